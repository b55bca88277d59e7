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

/* Reasons ROLECERT_R_FINDING_BASE + 0 .. ROLECERT_FINDING_SLOTS - 1 read
 * "certificate name policy violation: <the finding>". For programs that
 * show only OpenSSL's reason string, not the error's text:
 * python3-cryptography 38 (ERR_error_string_n into 256 bytes), and so
 * Ansible's community.crypto. */
#define ROLECERT_R_FINDING_BASE 100
#define ROLECERT_FINDING_SLOTS 64
#define ROLECERT_FINDING_TEXT_MAX 224

const OSSL_ITEM *rolecert_reason_strings(void);

/* A reason code whose string is "certificate name policy violation: "
 * and the formatted text (cut at ROLECERT_FINDING_TEXT_MAX). */
uint32_t rolecert_finding_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void rolecert_raise(const rolecert_core *core, const char *file, int line, const char *func,
                    uint32_t reason, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The one way errors are raised: records where, then the message. */
#define ROLECERT_RAISE(core, reason, ...)                                                          \
    rolecert_raise((core), __FILE__, __LINE__, __func__, (reason), __VA_ARGS__)

/* The delegate's `what` ("newctx") failed; pc is a rolecert_provctx. */
#define ROLECERT_RAISE_DELEGATE_FAILED(pc, what)                                                   \
    ROLECERT_RAISE(&(pc)->core, ROLECERT_R_DELEGATE_FAILED, "%s provider: %s failed",              \
                   (pc)->delegate.name, (what))

#endif /* ROLECERT_PROVIDER_ERR_H */
