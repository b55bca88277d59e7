/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider's settings: one policy per rolecert section that this
 * process's configs hold. The first comes from the core (the section of
 * the config that activated us); the others from the sections of the other
 * config files the process loads (config_scan.h), which the core would
 * silently ignore: OpenSSL configures an already activated provider only
 * once. Every policy applies on its own terms: a name must pass all, and a
 * later section cannot loosen an earlier one.
 *
 * Any key or value we do not understand, in any of them, puts the provider
 * into a refusing state: it signs nothing with a half-understood policy.
 * (Failing OSSL_provider_init instead would not stop anything: OpenSSL 3.0
 * treats a provider that fails to activate from a config file as a
 * non-fatal error and carries on without it, signing unchecked.)
 */
#ifndef ROLECERT_PROVIDER_CONFIG_H
#define ROLECERT_PROVIDER_CONFIG_H

#include "delegate.h"
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
    bool refuse_prehashed;   /* EVP_PKEY_sign on a digest: refused */
    bool check_prehashed;    /* ... checked against what was hashed (tbs_memory.h) */
    char *permitted_storage; /* the bytes policy.permitted points into */
    char origin[256];        /* where the section is, for messages */
} rolecert_settings;

#define ROLECERT_POLICIES_MAX 3 /* the core's section and one per file */

typedef struct rolecert_policies {
    rolecert_settings set[ROLECERT_POLICIES_MAX];
    size_t n;
    bool refuse_prehashed; /* any of them refuses */
    bool check_prehashed;  /* any of them checks (and none refuses) */
    bool refuse_all;       /* a section was not understood or not checked */
    char error[768];       /* why, naming the file and key */
    /* The provider to stand in front of: `delegate`, and the config text
     * carrying its `delegate_section` (NULL: none), from the activating
     * section only. */
    char delegate[ROLECERT_DELEGATE_NAME_MAX];
    char *delegate_conf;
    /* A provider activated beside us that may hold keys (delegate.h); its
     * URI scheme is offered refusing (store.c), so its keys cannot load. */
    char beside[ROLECERT_DELEGATE_NAME_MAX];
} rolecert_policies;

/* Every key a section may hold besides the rule ids. */
#define ROLECERT_CONF_MODE "mode"
#define ROLECERT_CONF_REPORT "report"
#define ROLECERT_CONF_PERMITTED "permitted_domains"
#define ROLECERT_CONF_PREHASHED "prehashed"
#define ROLECERT_CONF_CA "ca_certificates"

/* Always leaves `p` usable: on false refuse_all is set and error says
 * why. */
bool rolecert_policies_load(rolecert_policies *p, const OSSL_CORE_HANDLE *handle,
                            OSSL_FUNC_core_get_params_fn *get_params);
void rolecert_policies_free(rolecert_policies *p);

/* True when `key` is one the section may hold (a rule id or one above). */
bool rolecert_settings_key_known(const char *key, size_t len);

/* One line to the report (a single write(), O_APPEND when a file). */
void rolecert_report(const rolecert_settings *settings, const char *line, size_t len);
/* The same line to every policy's report (each file once). */
void rolecert_report_all(const rolecert_policies *p, const char *line, size_t len);

#endif /* ROLECERT_PROVIDER_CONFIG_H */
