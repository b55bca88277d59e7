/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider context shared by every operation: the core's error entry
 * points, the settings read from the config section, and the delegate (the
 * default provider loaded into a private library context) with its
 * dispatch functions resolved once, so no signature ever fetches anything.
 * Read-only after OSSL_provider_init: many threads may use it at once.
 */
#ifndef ROLECERT_PROVIDER_PROV_H
#define ROLECERT_PROVIDER_PROV_H

#include "config.h"
#include "err.h"

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/types.h>

/* Signature algorithms wrapped (names as the default provider spells them). */
typedef enum rolecert_sig_alg {
    ROLECERT_SIG_RSA, /* RSA and RSA-PSS keys both sign through "RSA" */
    ROLECERT_SIG_ECDSA,
    ROLECERT_SIG_ED25519,
    ROLECERT_SIG_ED448,
    ROLECERT_SIG_DSA,
    ROLECERT_SIG_SM2,
    ROLECERT_SIG_COUNT
} rolecert_sig_alg;

typedef enum rolecert_key_alg {
    ROLECERT_KEY_RSA,
    ROLECERT_KEY_RSA_PSS,
    ROLECERT_KEY_EC,
    ROLECERT_KEY_ED25519,
    ROLECERT_KEY_ED448,
    ROLECERT_KEY_DSA,
    ROLECERT_KEY_SM2,
    ROLECERT_KEY_COUNT
} rolecert_key_alg;

/* The delegate's signature functions; any may be NULL when it lacks one. */
typedef struct rolecert_sig_fns {
    OSSL_FUNC_signature_newctx_fn *newctx;
    OSSL_FUNC_signature_freectx_fn *freectx;
    OSSL_FUNC_signature_dupctx_fn *dupctx;
    OSSL_FUNC_signature_sign_init_fn *sign_init;
    OSSL_FUNC_signature_sign_fn *sign;
    OSSL_FUNC_signature_verify_init_fn *verify_init;
    OSSL_FUNC_signature_verify_fn *verify;
    OSSL_FUNC_signature_verify_recover_init_fn *verify_recover_init;
    OSSL_FUNC_signature_verify_recover_fn *verify_recover;
    OSSL_FUNC_signature_digest_sign_init_fn *digest_sign_init;
    OSSL_FUNC_signature_digest_sign_update_fn *digest_sign_update;
    OSSL_FUNC_signature_digest_sign_final_fn *digest_sign_final;
    OSSL_FUNC_signature_digest_sign_fn *digest_sign;
    OSSL_FUNC_signature_digest_verify_init_fn *digest_verify_init;
    OSSL_FUNC_signature_digest_verify_update_fn *digest_verify_update;
    OSSL_FUNC_signature_digest_verify_final_fn *digest_verify_final;
    OSSL_FUNC_signature_digest_verify_fn *digest_verify;
    OSSL_FUNC_signature_get_ctx_params_fn *get_ctx_params;
    OSSL_FUNC_signature_gettable_ctx_params_fn *gettable_ctx_params;
    OSSL_FUNC_signature_set_ctx_params_fn *set_ctx_params;
    OSSL_FUNC_signature_settable_ctx_params_fn *settable_ctx_params;
    OSSL_FUNC_signature_get_ctx_md_params_fn *get_ctx_md_params;
    OSSL_FUNC_signature_gettable_ctx_md_params_fn *gettable_ctx_md_params;
    OSSL_FUNC_signature_set_ctx_md_params_fn *set_ctx_md_params;
    OSSL_FUNC_signature_settable_ctx_md_params_fn *settable_ctx_md_params;
} rolecert_sig_fns;

typedef struct rolecert_kmgmt_fns {
    OSSL_FUNC_keymgmt_new_fn *new_key;
    OSSL_FUNC_keymgmt_free_fn *free_key;
    OSSL_FUNC_keymgmt_has_fn *has;
    OSSL_FUNC_keymgmt_import_fn *import;
    OSSL_FUNC_keymgmt_import_types_fn *import_types;
    OSSL_FUNC_keymgmt_export_fn *export_key;
    OSSL_FUNC_keymgmt_export_types_fn *export_types;
    OSSL_FUNC_keymgmt_get_params_fn *get_params;
    OSSL_FUNC_keymgmt_gettable_params_fn *gettable_params;
    OSSL_FUNC_keymgmt_set_params_fn *set_params;
    OSSL_FUNC_keymgmt_settable_params_fn *settable_params;
    OSSL_FUNC_keymgmt_query_operation_name_fn *query_operation_name;
    OSSL_FUNC_keymgmt_match_fn *match;
    OSSL_FUNC_keymgmt_validate_fn *validate;
} rolecert_kmgmt_fns;

typedef struct rolecert_provctx {
    rolecert_core core;
    OSSL_LIB_CTX *delegate_libctx;
    OSSL_PROVIDER *delegate;
    void *delegate_provctx;
    const OSSL_ALGORITHM *delegate_sig_algs; /* to unquery at teardown */
    const OSSL_ALGORITHM *delegate_kmgmt_algs;
    bool have_sig[ROLECERT_SIG_COUNT];
    bool have_kmgmt[ROLECERT_KEY_COUNT];
    rolecert_sig_fns sig[ROLECERT_SIG_COUNT];
    rolecert_kmgmt_fns kmgmt[ROLECERT_KEY_COUNT];
    OSSL_ALGORITHM sig_algs[ROLECERT_SIG_COUNT + 1];
    OSSL_ALGORITHM kmgmt_algs[ROLECERT_KEY_COUNT + 1];
    rolecert_settings settings;
    bool refuse_all; /* the config section was not understood */
} rolecert_provctx;

/* 1 when signing may go on; 0 (error raised) when the config was bad. */
int rolecert_config_usable(const rolecert_provctx *pc);

/* Dispatch tables of our own implementations (sig.c, kmgmt.c). */
const OSSL_DISPATCH *rolecert_sig_dispatch(rolecert_sig_alg alg);
const OSSL_DISPATCH *rolecert_kmgmt_dispatch(rolecert_key_alg alg);
/* Fill the delegate's functions from its dispatch table. */
void rolecert_sig_fns_load(rolecert_sig_fns *fns, const OSSL_DISPATCH *dispatch);
void rolecert_kmgmt_fns_load(rolecert_key_alg alg, rolecert_kmgmt_fns *fns,
                             const OSSL_DISPATCH *dispatch);

/* The verdict on one to-be-signed blob (check.c): 1 sign, 0 refuse (the
 * errors are already raised). */
int rolecert_check_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len);

#endif /* ROLECERT_PROVIDER_PROV_H */
