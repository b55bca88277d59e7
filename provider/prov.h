/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider context shared by every operation: the core's error entry
 * points, the policies read from the configs, and the delegate (today the
 * default provider, loaded into a private library context) whose every
 * signature algorithm, and every key manager those need, is wrapped: no
 * list of algorithms is kept here. Read-only after OSSL_provider_init:
 * many threads may use it at once.
 */
#ifndef ROLECERT_PROVIDER_PROV_H
#define ROLECERT_PROVIDER_PROV_H

#include "config.h"
#include "err.h"
#include "slots.h"
#include "store.h"
#include "wrap.h"

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/types.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* OpenSSL 3.4 added message signing (EVP_PKEY_sign_message_*); the
 * default provider's ML-DSA and SLH-DSA use it. Built against older
 * headers, those entry points are not wrapped (and not offered). */
#ifdef OSSL_FUNC_SIGNATURE_SIGN_MESSAGE_INIT
#define ROLECERT_HAVE_MESSAGE_SIGNING 1
#else
#define ROLECERT_HAVE_MESSAGE_SIGNING 0
#endif

/* The delegate's signature functions; any may be NULL when it lacks one. */
typedef struct rolecert_sig_fns {
    void *provctx; /* of the provider these are from */
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
#if ROLECERT_HAVE_MESSAGE_SIGNING
    OSSL_FUNC_signature_query_key_types_fn *query_key_types;
    OSSL_FUNC_signature_sign_message_init_fn *sign_message_init;
    OSSL_FUNC_signature_sign_message_update_fn *sign_message_update;
    OSSL_FUNC_signature_sign_message_final_fn *sign_message_final;
    OSSL_FUNC_signature_verify_message_init_fn *verify_message_init;
    OSSL_FUNC_signature_verify_message_update_fn *verify_message_update;
    OSSL_FUNC_signature_verify_message_final_fn *verify_message_final;
#endif
} rolecert_sig_fns;

typedef struct rolecert_kmgmt_fns {
    void *provctx; /* of the provider these are from */
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
    OSSL_FUNC_keymgmt_load_fn *load; /* keys a store hands over by reference */
} rolecert_kmgmt_fns;

/* The delegate's hash functions (prehashed = check only: digest.c). */
typedef struct rolecert_digest_fns {
    void *provctx; /* the source provider's context (delegate or default) */
    OSSL_FUNC_digest_newctx_fn *newctx;
    OSSL_FUNC_digest_init_fn *init;
    OSSL_FUNC_digest_update_fn *update;
    OSSL_FUNC_digest_final_fn *final;
    OSSL_FUNC_digest_freectx_fn *freectx;
    OSSL_FUNC_digest_dupctx_fn *dupctx;
    OSSL_FUNC_digest_get_params_fn *get_params;
    OSSL_FUNC_digest_set_ctx_params_fn *set_ctx_params;
    OSSL_FUNC_digest_get_ctx_params_fn *get_ctx_params;
    OSSL_FUNC_digest_gettable_params_fn *gettable_params;
    OSSL_FUNC_digest_settable_ctx_params_fn *settable_ctx_params;
    OSSL_FUNC_digest_gettable_ctx_params_fn *gettable_ctx_params;
#ifdef OSSL_FUNC_DIGEST_SQUEEZE
    OSSL_FUNC_digest_squeeze_fn *squeeze;
#endif
    /* Set after wrapping: the same digest computed by rolecert itself
     * (digest_native.h), or NULL. */
    const struct rolecert_digest_fns *native;
} rolecert_digest_fns;

/* The delegate's asymmetric ciphers (cipher.c), passed through unchecked
 * for the keys our key manager holds. */
typedef struct rolecert_cipher_fns {
    void *provctx; /* of the provider these are from */
    OSSL_FUNC_asym_cipher_newctx_fn *newctx;
    OSSL_FUNC_asym_cipher_freectx_fn *freectx;
    OSSL_FUNC_asym_cipher_dupctx_fn *dupctx;
    OSSL_FUNC_asym_cipher_encrypt_init_fn *encrypt_init;
    OSSL_FUNC_asym_cipher_encrypt_fn *encrypt;
    OSSL_FUNC_asym_cipher_decrypt_init_fn *decrypt_init;
    OSSL_FUNC_asym_cipher_decrypt_fn *decrypt;
    OSSL_FUNC_asym_cipher_get_ctx_params_fn *get_ctx_params;
    OSSL_FUNC_asym_cipher_gettable_ctx_params_fn *gettable_ctx_params;
    OSSL_FUNC_asym_cipher_set_ctx_params_fn *set_ctx_params;
    OSSL_FUNC_asym_cipher_settable_ctx_params_fn *settable_ctx_params;
} rolecert_cipher_fns;

/* One operation of the delegate as we offer it: a slot per algorithm
 * (slots.h) and a dispatch table per algorithm mirroring the delegate's,
 * so libcrypto takes the same paths (one-shot or streamed, digest or
 * message) as it would with the delegate itself. */
typedef struct rolecert_offer {
    OSSL_ALGORITHM *algs; /* what query_operation returns, NULL-terminated */
    OSSL_DISPATCH (*dispatch)[ROLECERT_DISPATCH_MAX];
    size_t n;
    size_t unwrapped; /* offered under the refusing implementation */
} rolecert_offer;

/* A provider whose signatures and key managers are wrapped: the delegate,
 * then `default` for what the delegate does not offer. */
#define ROLECERT_SOURCES 2
typedef struct rolecert_delegate_source {
    const char *name;
    OSSL_PROVIDER *prov;
    void *provctx;
    /* by rolecert_slot_kind (digests only with prehashed = check); to unquery
     * at teardown */
    const OSSL_ALGORITHM *algs[ROLECERT_SLOT_KINDS];
} rolecert_delegate_source;

/* The provider that really signs, `delegate =` ("default" when not set).
 * Only it and `default` live in the private library context, so
 * delegation can never come back into us. */
typedef struct rolecert_delegate {
    const char *name;
    OSSL_LIB_CTX *libctx;
    OSSL_PROVIDER *prov; /* source[0].prov */
    void *provctx;       /* source[0].provctx */
    rolecert_delegate_source source[ROLECERT_SOURCES];
    const OSSL_ALGORITHM *store_algs; /* the delegate's only */
} rolecert_delegate;

typedef struct rolecert_provctx {
    rolecert_core core;
    rolecert_delegate delegate;
    rolecert_sig_fns sig[ROLECERT_SLOTS]; /* by slot */
    rolecert_kmgmt_fns kmgmt[ROLECERT_SLOTS];
    rolecert_digest_fns digest[ROLECERT_SLOTS]; /* prehashed = check only */
    rolecert_cipher_fns cipher[ROLECERT_SLOTS]; /* with a delegate other than default only */
    rolecert_offer offers[ROLECERT_SLOT_KINDS]; /* by rolecert_slot_kind; empty when not made */
    rolecert_store_fns store[ROLECERT_STORE_SLOTS];
    rolecert_offer store_offer;
    rolecert_policies policies;
} rolecert_provctx;

/* dupctx of a context that captures its input: `*copy` gets its own copy
 * of the first `len` bytes of `buffer` (NULL when len is 0), `*capacity`
 * its size. false when memory ran out. */
static inline bool rolecert_buffer_dup(const unsigned char *buffer, size_t len,
                                       unsigned char **copy, size_t *capacity)
{
    *copy = NULL;
    *capacity = 0;
    if (len == 0)
        return true;
    if ((*copy = malloc(len)) == NULL)
        return false;
    memcpy(*copy, buffer, len);
    *capacity = len;
    return true;
}

/* `names` ("RSA:rsaEncryption:1.2...") holds `name` (case-insensitive, as
 * libcrypto compares algorithm names). */
bool rolecert_names_contain(const char *names, const char *name);

/* 1 when signing may go on; 0 (error raised) when the config was bad. */
int rolecert_config_usable(const rolecert_provctx *pc);

/* Our dispatch table for the delegate's `dispatch` in `slot` (sig.c,
 * kmgmt.c): the delegate's functions are loaded into pc->sig[slot] /
 * pc->kmgmt[slot] and `out` gets ours for each one the delegate has.
 * false when the delegate's implementation lacks what we need. */
bool rolecert_sig_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                       OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX]);
bool rolecert_kmgmt_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                         OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX]);
bool rolecert_digest_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                          OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX]);
bool rolecert_cipher_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                          OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX]);
/* The identity a delegate algorithm claims its slot with. */
rolecert_slot_identity rolecert_sig_identity(const OSSL_ALGORITHM *alg);
rolecert_slot_identity rolecert_kmgmt_identity(const OSSL_ALGORITHM *alg);
rolecert_slot_identity rolecert_digest_identity(const OSSL_ALGORITHM *alg);
/* A hash algorithm wrapped into `slot`: whether rolecert computes it
 * itself (digest_native.h). */
void rolecert_digest_wrapped(rolecert_provctx *pc, int slot, const OSSL_ALGORITHM *alg,
                             const char *source);
rolecert_slot_identity rolecert_cipher_identity(const OSSL_ALGORITHM *alg);

/* The verdict on one to-be-signed blob (check.c): 1 sign, 0 refuse (the
 * errors are already raised). */
int rolecert_check_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len);
/* The same for a TBS remembered for a pre-hashed signature: each finding
 * also goes into the error's reason string (rolecert_finding_reason),
 * since the programs that sign that way show only that. */
int rolecert_check_remembered_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len);

/* What should be checked and cannot be (bytes that start like a TBS but
 * do not walk, a pre-hashed TBS that was not kept, prehashed = refuse):
 * refused, the error reading "<what>; <refusal>", unless every policy is
 * in audit mode, which signs everything: then "<what> (audit mode: signed
 * anyway)" goes to the report. 1 sign, 0 refuse. Through the macro, which
 * records where. */
int rolecert_refuse_unchecked(const rolecert_provctx *pc, const char *file, int line,
                              const char *func, uint32_t reason, const char *refusal,
                              const char *what_fmt, ...) __attribute__((format(printf, 7, 8)));
#define ROLECERT_REFUSE_UNCHECKED(pc, reason, refusal, ...)                                        \
    rolecert_refuse_unchecked((pc), __FILE__, __LINE__, __func__, (reason), (refusal), __VA_ARGS__)

#endif /* ROLECERT_PROVIDER_PROV_H */
