/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error reporting through the core's error functions, so that `openssl`
 * prints "...:rolecert:<function>:<reason string>:<file>:<line>:<message>".
 */
#ifndef ROLECERT_PROVIDER_ERR_H
#define ROLECERT_PROVIDER_ERR_H

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <stdint.h>

/* Reason codes; their strings are in err.c and handed to the core through
 * OSSL_FUNC_PROVIDER_GET_REASON_STRINGS. Never renumber. */
enum rolecert_reason {
    ROLECERT_R_POLICY_VIOLATION = 1,
    ROLECERT_R_MALFORMED_TBS = 2,
    ROLECERT_R_BAD_CONFIG = 3,
    ROLECERT_R_DELEGATE_FAILED = 4,
    ROLECERT_R_PREHASHED_REFUSED = 5,
    ROLECERT_R_OUT_OF_MEMORY = 6,
    ROLECERT_R_NOT_SUPPORTED = 7,
    ROLECERT_R_TOO_MANY_NAMES = 8,
    ROLECERT_R_NOT_WRAPPED = 9
};

/* The core's error entry points, captured once in OSSL_provider_init. */
typedef struct rolecert_core {
    const OSSL_CORE_HANDLE *handle;
    OSSL_FUNC_core_new_error_fn *new_error;
    OSSL_FUNC_core_set_error_debug_fn *set_error_debug;
    OSSL_FUNC_core_vset_error_fn *vset_error;
} rolecert_core;

const OSSL_ITEM *rolecert_reason_strings(void);

void rolecert_raise(const rolecert_core *core, const char *file, int line, const char *func,
                    uint32_t reason, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The one way errors are raised: records where, then the message. */
#define ROLECERT_RAISE(core, reason, ...)                                                          \
    rolecert_raise((core), __FILE__, __LINE__, __func__, (reason), __VA_ARGS__)

#endif /* ROLECERT_PROVIDER_ERR_H */
