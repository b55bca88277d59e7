/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider's settings, read once from its openssl.cnf section through
 * the core's get_params. Any key or value we do not understand puts the
 * provider into a refusing state: it signs nothing with a half-understood
 * policy. (Failing OSSL_provider_init instead would not stop anything:
 * OpenSSL 3.0 treats a provider that fails to activate from a config file
 * as a non-fatal error and carries on without it, signing unchecked.)
 */
#ifndef ROLECERT_PROVIDER_CONFIG_H
#define ROLECERT_PROVIDER_CONFIG_H

#include "err.h"

#include <rolecert/policy.h>

#include <openssl/core_dispatch.h>

#include <stdbool.h>
#include <stddef.h>

typedef enum rolecert_mode {
    ROLECERT_MODE_ENFORCE, /* error findings refuse the signature */
    ROLECERT_MODE_AUDIT    /* everything signs; error findings are reported */
} rolecert_mode;

typedef struct rolecert_settings {
    policy_config policy;
    rolecert_mode mode;
    int report_fd; /* -1: off */
    bool report_fd_owned;
    bool refuse_prehashed;   /* EVP_PKEY_sign on a digest: cannot be checked */
    bool check_ca;           /* also check names of CA certificates / requests */
    char *permitted_storage; /* the bytes policy.permitted points into */
    /* Why loading failed, naming the key (empty when it did not). */
    char config_error[512];
} rolecert_settings;

/* Every key the section may hold besides the rule ids. */
#define ROLECERT_KEY_MODE "mode"
#define ROLECERT_KEY_REPORT "report"
#define ROLECERT_KEY_PERMITTED "permitted_domains"
#define ROLECERT_KEY_PREHASHED "prehashed"
#define ROLECERT_KEY_CA "ca_certificates"

/* false when a key or value is not understood; config_error says which. */
bool rolecert_settings_load(rolecert_settings *settings, const OSSL_CORE_HANDLE *handle,
                            OSSL_FUNC_core_get_params_fn *get_params);
void rolecert_settings_free(rolecert_settings *settings);

/* True when `key` is one the section may hold (a rule id or one above). */
bool rolecert_settings_key_known(const char *key, size_t len);

/* One line to the report (a single write(), O_APPEND when a file). */
void rolecert_report(const rolecert_settings *settings, const char *line, size_t len);

#endif /* ROLECERT_PROVIDER_CONFIG_H */
