/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What each operation's file offers dispatch.c, which writes, in one
 * place, the dispatch table rolecert puts in front of each delegate
 * algorithm: the entry points shared by every slot, and the per-slot
 * trampolines (slots.h) of the functions that carry no context.
 */
#ifndef ROLECERT_PROVIDER_OPS_H
#define ROLECERT_PROVIDER_OPS_H

#include "prov.h"

#include <openssl/core_dispatch.h>

/* ---- Signatures (sig.c): the name-policy check. */

OSSL_FUNC_signature_freectx_fn rolecert_sig_freectx;
OSSL_FUNC_signature_dupctx_fn rolecert_sig_dupctx;
OSSL_FUNC_signature_sign_init_fn rolecert_sig_sign_init;
OSSL_FUNC_signature_sign_fn rolecert_sig_sign;
OSSL_FUNC_signature_verify_init_fn rolecert_sig_verify_init;
OSSL_FUNC_signature_verify_fn rolecert_sig_verify;
OSSL_FUNC_signature_verify_recover_init_fn rolecert_sig_verify_recover_init;
OSSL_FUNC_signature_verify_recover_fn rolecert_sig_verify_recover;
OSSL_FUNC_signature_digest_sign_init_fn rolecert_sig_digest_sign_init;
OSSL_FUNC_signature_digest_sign_update_fn rolecert_sig_digest_sign_update;
OSSL_FUNC_signature_digest_sign_final_fn rolecert_sig_digest_sign_final;
OSSL_FUNC_signature_digest_sign_fn rolecert_sig_digest_sign;
OSSL_FUNC_signature_digest_verify_init_fn rolecert_sig_digest_verify_init;
OSSL_FUNC_signature_digest_verify_update_fn rolecert_sig_digest_verify_update;
OSSL_FUNC_signature_digest_verify_final_fn rolecert_sig_digest_verify_final;
OSSL_FUNC_signature_digest_verify_fn rolecert_sig_digest_verify;
OSSL_FUNC_signature_get_ctx_params_fn rolecert_sig_get_ctx_params;
OSSL_FUNC_signature_set_ctx_params_fn rolecert_sig_set_ctx_params;
OSSL_FUNC_signature_get_ctx_md_params_fn rolecert_sig_get_ctx_md_params;
OSSL_FUNC_signature_gettable_ctx_md_params_fn rolecert_sig_gettable_ctx_md_params;
OSSL_FUNC_signature_set_ctx_md_params_fn rolecert_sig_set_ctx_md_params;
OSSL_FUNC_signature_settable_ctx_md_params_fn rolecert_sig_settable_ctx_md_params;
#if ROLECERT_HAVE_MESSAGE_SIGNING
OSSL_FUNC_signature_sign_message_init_fn rolecert_sig_sign_message_init;
OSSL_FUNC_signature_sign_message_update_fn rolecert_sig_sign_message_update;
OSSL_FUNC_signature_sign_message_final_fn rolecert_sig_sign_message_final;
OSSL_FUNC_signature_verify_message_init_fn rolecert_sig_verify_message_init;
OSSL_FUNC_signature_verify_message_update_fn rolecert_sig_verify_message_update;
OSSL_FUNC_signature_verify_message_final_fn rolecert_sig_verify_message_final;
#endif

typedef struct sig_slot_fns {
    OSSL_FUNC_signature_newctx_fn *newctx;
    OSSL_FUNC_signature_gettable_ctx_params_fn *gettable_ctx_params;
    OSSL_FUNC_signature_settable_ctx_params_fn *settable_ctx_params;
#if ROLECERT_HAVE_MESSAGE_SIGNING
    OSSL_FUNC_signature_query_key_types_fn *query_key_types;
#endif
} sig_slot_fns;
extern const sig_slot_fns rolecert_sig_slot_fns[ROLECERT_SLOTS];

/* ---- Key managers (kmgmt.c): keys live in the delegate's key objects. */

OSSL_FUNC_keymgmt_has_fn rolecert_key_has;
OSSL_FUNC_keymgmt_import_fn rolecert_key_import;
OSSL_FUNC_keymgmt_export_fn rolecert_key_export;
OSSL_FUNC_keymgmt_get_params_fn rolecert_key_get_params;
OSSL_FUNC_keymgmt_set_params_fn rolecert_key_set_params;
OSSL_FUNC_keymgmt_match_fn rolecert_key_match;
OSSL_FUNC_keymgmt_validate_fn rolecert_key_validate;

typedef struct kmgmt_slot_fns {
    OSSL_FUNC_keymgmt_new_fn *new_key;
    OSSL_FUNC_keymgmt_gettable_params_fn *gettable_params;
    OSSL_FUNC_keymgmt_settable_params_fn *settable_params;
    OSSL_FUNC_keymgmt_import_types_fn *import_types;
    OSSL_FUNC_keymgmt_export_types_fn *export_types;
    OSSL_FUNC_keymgmt_query_operation_name_fn *query_operation_name;
    OSSL_FUNC_keymgmt_load_fn *load;
} kmgmt_slot_fns;
extern const kmgmt_slot_fns rolecert_kmgmt_slot_fns[ROLECERT_SLOTS];

/* ---- Hashes (digest.c), prehashed = check only: TBS-shaped input is remembered. */

OSSL_FUNC_digest_init_fn rolecert_digest_init;
OSSL_FUNC_digest_update_fn rolecert_digest_update;
OSSL_FUNC_digest_final_fn rolecert_digest_final;
OSSL_FUNC_digest_freectx_fn rolecert_digest_freectx;
OSSL_FUNC_digest_dupctx_fn rolecert_digest_dupctx;
OSSL_FUNC_digest_set_ctx_params_fn rolecert_digest_set_ctx_params;
OSSL_FUNC_digest_get_ctx_params_fn rolecert_digest_get_ctx_params;
#ifdef OSSL_FUNC_DIGEST_SQUEEZE
OSSL_FUNC_digest_squeeze_fn rolecert_digest_squeeze;
#endif

typedef struct digest_slot_fns {
    OSSL_FUNC_digest_newctx_fn *newctx;
    OSSL_FUNC_digest_get_params_fn *get_params;
    OSSL_FUNC_digest_gettable_params_fn *gettable_params;
    OSSL_FUNC_digest_gettable_ctx_params_fn *gettable_ctx_params;
    OSSL_FUNC_digest_settable_ctx_params_fn *settable_ctx_params;
} digest_slot_fns;
extern const digest_slot_fns rolecert_digest_slot_fns[ROLECERT_SLOTS];

/* ---- Stores (store.c): the delegate's URI schemes, keys handed over by reference. */

OSSL_FUNC_store_set_ctx_params_fn rolecert_store_set_ctx_params;
OSSL_FUNC_store_load_fn rolecert_store_load;
OSSL_FUNC_store_eof_fn rolecert_store_eof;
OSSL_FUNC_store_close_fn rolecert_store_close;
OSSL_FUNC_store_export_object_fn rolecert_store_export_object;

typedef struct store_slot_fns {
    OSSL_FUNC_store_open_fn *open;
    OSSL_FUNC_store_attach_fn *attach;
    OSSL_FUNC_store_settable_ctx_params_fn *settable_ctx_params;
#ifdef OSSL_FUNC_STORE_OPEN_EX
    OSSL_FUNC_store_open_ex_fn *open_ex;
#endif
} store_slot_fns;
extern const store_slot_fns rolecert_store_slot_fns[ROLECERT_STORE_SLOTS];

/* ---- Asymmetric ciphers (cipher.c), with a delegate other than default: passed through. */

typedef struct cipher_slot_fns {
    OSSL_FUNC_asym_cipher_newctx_fn *newctx;
    OSSL_FUNC_asym_cipher_encrypt_init_fn *encrypt_init;
    OSSL_FUNC_asym_cipher_decrypt_init_fn *decrypt_init;
    OSSL_FUNC_asym_cipher_gettable_ctx_params_fn *gettable_ctx_params;
    OSSL_FUNC_asym_cipher_settable_ctx_params_fn *settable_ctx_params;
} cipher_slot_fns;
extern const cipher_slot_fns rolecert_cipher_slot_fns[ROLECERT_SLOTS];

#endif /* ROLECERT_PROVIDER_OPS_H */
