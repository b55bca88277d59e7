/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dispatch table rolecert offers in front of each delegate algorithm,
 * for every operation, in one place: a table per operation names the
 * delegate's functions that are wrapped, where the delegate's function is
 * kept, and what stands in its place (ops.h); rolecert_wrap_dispatch
 * (wrap.c) applies it. A function a table does not name is not offered,
 * so libcrypto never takes a path we have not wrapped.
 */
#include "kmgmt.h"
#include "ops.h"

#define SIG_WRAP(id, field, ours)                                                                  \
    ROLECERT_WRAP(OSSL_FUNC_SIGNATURE_##id, rolecert_sig_fns, field, ours)
#define SIG_WRAP_PER_SLOT(id, field)                                                               \
    ROLECERT_WRAP_PER_SLOT(OSSL_FUNC_SIGNATURE_##id, rolecert_sig_fns, sig_slot_fns, field)

bool rolecert_sig_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                       OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX])
{
    static const rolecert_wrap_entry table[] =
    { SIG_WRAP_PER_SLOT(NEWCTX, newctx),
      SIG_WRAP(FREECTX, freectx, rolecert_sig_freectx),
      SIG_WRAP(DUPCTX, dupctx, rolecert_sig_dupctx),
      SIG_WRAP(SIGN_INIT, sign_init, rolecert_sig_sign_init),
      SIG_WRAP(SIGN, sign, rolecert_sig_sign),
      SIG_WRAP(VERIFY_INIT, verify_init, rolecert_sig_verify_init),
      SIG_WRAP(VERIFY, verify, rolecert_sig_verify),
      SIG_WRAP(VERIFY_RECOVER_INIT, verify_recover_init, rolecert_sig_verify_recover_init),
      SIG_WRAP(VERIFY_RECOVER, verify_recover, rolecert_sig_verify_recover),
      SIG_WRAP(DIGEST_SIGN_INIT, digest_sign_init, rolecert_sig_digest_sign_init),
      SIG_WRAP(DIGEST_SIGN_UPDATE, digest_sign_update, rolecert_sig_digest_sign_update),
      SIG_WRAP(DIGEST_SIGN_FINAL, digest_sign_final, rolecert_sig_digest_sign_final),
      SIG_WRAP(DIGEST_SIGN, digest_sign, rolecert_sig_digest_sign),
      SIG_WRAP(DIGEST_VERIFY_INIT, digest_verify_init, rolecert_sig_digest_verify_init),
      SIG_WRAP(DIGEST_VERIFY_UPDATE, digest_verify_update, rolecert_sig_digest_verify_update),
      SIG_WRAP(DIGEST_VERIFY_FINAL, digest_verify_final, rolecert_sig_digest_verify_final),
      SIG_WRAP(DIGEST_VERIFY, digest_verify, rolecert_sig_digest_verify),
      SIG_WRAP(GET_CTX_PARAMS, get_ctx_params, rolecert_sig_get_ctx_params),
      SIG_WRAP_PER_SLOT(GETTABLE_CTX_PARAMS, gettable_ctx_params),
      SIG_WRAP(SET_CTX_PARAMS, set_ctx_params, rolecert_sig_set_ctx_params),
      SIG_WRAP_PER_SLOT(SETTABLE_CTX_PARAMS, settable_ctx_params),
      SIG_WRAP(GET_CTX_MD_PARAMS, get_ctx_md_params, rolecert_sig_get_ctx_md_params),
      SIG_WRAP(GETTABLE_CTX_MD_PARAMS, gettable_ctx_md_params, rolecert_sig_gettable_ctx_md_params),
      SIG_WRAP(SET_CTX_MD_PARAMS, set_ctx_md_params, rolecert_sig_set_ctx_md_params),
      SIG_WRAP(SETTABLE_CTX_MD_PARAMS, settable_ctx_md_params, rolecert_sig_settable_ctx_md_params),
#if ROLECERT_HAVE_MESSAGE_SIGNING
      SIG_WRAP_PER_SLOT(QUERY_KEY_TYPES, query_key_types),
      SIG_WRAP(SIGN_MESSAGE_INIT, sign_message_init, rolecert_sig_sign_message_init),
      SIG_WRAP(SIGN_MESSAGE_UPDATE, sign_message_update, rolecert_sig_sign_message_update),
      SIG_WRAP(SIGN_MESSAGE_FINAL, sign_message_final, rolecert_sig_sign_message_final),
      SIG_WRAP(VERIFY_MESSAGE_INIT, verify_message_init, rolecert_sig_verify_message_init),
      SIG_WRAP(VERIFY_MESSAGE_UPDATE, verify_message_update, rolecert_sig_verify_message_update),
      SIG_WRAP(VERIFY_MESSAGE_FINAL, verify_message_final, rolecert_sig_verify_message_final),
#endif
    };
    rolecert_sig_fns *fns = &pc->sig[slot];
    size_t n = rolecert_wrap_dispatch(table, sizeof(table) / sizeof(table[0]), fns, sizeof(*fns),
                                      &rolecert_sig_slot_fns[slot], dispatch, out);
    /* A delegate that streams only: libcrypto's one-shot digest-sign
     * still reaches one function of ours that sees the whole TBS. */
    if (fns->digest_sign == NULL && fns->digest_sign_update != NULL &&
        fns->digest_sign_final != NULL && n < ROLECERT_DISPATCH_MAX - 1) {
        out[n++] = (OSSL_DISPATCH){OSSL_FUNC_SIGNATURE_DIGEST_SIGN,
                                   (rolecert_generic_fn)rolecert_sig_digest_sign};
        out[n] = (OSSL_DISPATCH){0, NULL};
    }
    return fns->newctx != NULL && fns->freectx != NULL;
}

#define KMGMT_WRAP(id, field, ours)                                                                \
    ROLECERT_WRAP(OSSL_FUNC_KEYMGMT_##id, rolecert_kmgmt_fns, field, ours)
#define KMGMT_WRAP_PER_SLOT(id, field)                                                             \
    ROLECERT_WRAP_PER_SLOT(OSSL_FUNC_KEYMGMT_##id, rolecert_kmgmt_fns, kmgmt_slot_fns, field)

bool rolecert_kmgmt_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                         OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX])
{
    /* Not key generation or dup: keys are made by the delegate's own key
     * manager outside; ours receives exports, and loads what our store
     * hands over by reference. */
    static const rolecert_wrap_entry table[] = {
        KMGMT_WRAP_PER_SLOT(NEW, new_key),
        KMGMT_WRAP(FREE, free_key, rolecert_key_free),
        KMGMT_WRAP(HAS, has, rolecert_key_has),
        KMGMT_WRAP(IMPORT, import, rolecert_key_import),
        KMGMT_WRAP_PER_SLOT(IMPORT_TYPES, import_types),
        KMGMT_WRAP(EXPORT, export_key, rolecert_key_export),
        KMGMT_WRAP_PER_SLOT(EXPORT_TYPES, export_types),
        KMGMT_WRAP(GET_PARAMS, get_params, rolecert_key_get_params),
        KMGMT_WRAP_PER_SLOT(GETTABLE_PARAMS, gettable_params),
        KMGMT_WRAP(SET_PARAMS, set_params, rolecert_key_set_params),
        KMGMT_WRAP_PER_SLOT(SETTABLE_PARAMS, settable_params),
        KMGMT_WRAP_PER_SLOT(QUERY_OPERATION_NAME, query_operation_name),
        KMGMT_WRAP(MATCH, match, rolecert_key_match),
        KMGMT_WRAP(VALIDATE, validate, rolecert_key_validate),
        KMGMT_WRAP_PER_SLOT(LOAD, load),
    };
    rolecert_kmgmt_fns *fns = &pc->kmgmt[slot];
    rolecert_wrap_dispatch(table, sizeof(table) / sizeof(table[0]), fns, sizeof(*fns),
                           &rolecert_kmgmt_slot_fns[slot], dispatch, out);
    return fns->new_key != NULL && fns->free_key != NULL && fns->has != NULL && fns->import != NULL;
}

#define DIGEST_WRAP(id, field, ours)                                                               \
    ROLECERT_WRAP(OSSL_FUNC_DIGEST_##id, rolecert_digest_fns, field, ours)
#define DIGEST_WRAP_PER_SLOT(id, field)                                                            \
    ROLECERT_WRAP_PER_SLOT(OSSL_FUNC_DIGEST_##id, rolecert_digest_fns, digest_slot_fns, field)

bool rolecert_digest_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                          OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX])
{
    /* Not the one-shot OSSL_FUNC_DIGEST_DIGEST: libcrypto hashes through
     * init/update/final without it. */
    static const rolecert_wrap_entry table[] = {
        DIGEST_WRAP_PER_SLOT(NEWCTX, newctx),
        DIGEST_WRAP(INIT, init, rolecert_digest_init),
        DIGEST_WRAP(UPDATE, update, rolecert_digest_update),
        DIGEST_WRAP(FINAL, final, rolecert_digest_final),
        DIGEST_WRAP(FREECTX, freectx, rolecert_digest_freectx),
        DIGEST_WRAP(DUPCTX, dupctx, rolecert_digest_dupctx),
        DIGEST_WRAP_PER_SLOT(GET_PARAMS, get_params),
        DIGEST_WRAP(SET_CTX_PARAMS, set_ctx_params, rolecert_digest_set_ctx_params),
        DIGEST_WRAP(GET_CTX_PARAMS, get_ctx_params, rolecert_digest_get_ctx_params),
        DIGEST_WRAP_PER_SLOT(GETTABLE_PARAMS, gettable_params),
        DIGEST_WRAP_PER_SLOT(SETTABLE_CTX_PARAMS, settable_ctx_params),
        DIGEST_WRAP_PER_SLOT(GETTABLE_CTX_PARAMS, gettable_ctx_params),
#ifdef OSSL_FUNC_DIGEST_SQUEEZE
        DIGEST_WRAP(SQUEEZE, squeeze, rolecert_digest_squeeze),
#endif
    };
    rolecert_digest_fns *fns = &pc->digest[slot];
    rolecert_wrap_dispatch(table, sizeof(table) / sizeof(table[0]), fns, sizeof(*fns),
                           &rolecert_digest_slot_fns[slot], dispatch, out);
    return fns->newctx != NULL && fns->freectx != NULL && fns->init != NULL &&
           fns->update != NULL && fns->final != NULL;
}

#define STORE_WRAP(id, field, ours)                                                                \
    ROLECERT_WRAP(OSSL_FUNC_STORE_##id, rolecert_store_fns, field, ours)
#define STORE_WRAP_PER_SLOT(id, field)                                                             \
    ROLECERT_WRAP_PER_SLOT(OSSL_FUNC_STORE_##id, rolecert_store_fns, store_slot_fns, field)

bool rolecert_store_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                         OSSL_DISPATCH out[])
{
    /* Not delete, nor what later headers add. */
    static const rolecert_wrap_entry table[] = {
        STORE_WRAP_PER_SLOT(OPEN, open),
        STORE_WRAP_PER_SLOT(ATTACH, attach),
        STORE_WRAP_PER_SLOT(SETTABLE_CTX_PARAMS, settable_ctx_params),
        STORE_WRAP(SET_CTX_PARAMS, set_ctx_params, rolecert_store_set_ctx_params),
        STORE_WRAP(LOAD, load, rolecert_store_load),
        STORE_WRAP(EOF, eof, rolecert_store_eof),
        STORE_WRAP(CLOSE, close, rolecert_store_close),
        STORE_WRAP(EXPORT_OBJECT, export_object, rolecert_store_export_object),
#ifdef OSSL_FUNC_STORE_OPEN_EX
        STORE_WRAP_PER_SLOT(OPEN_EX, open_ex),
#endif
    };
    rolecert_store_fns *fns = &pc->store[slot];
    rolecert_wrap_dispatch(table, sizeof(table) / sizeof(table[0]), fns, sizeof(*fns),
                           &rolecert_store_slot_fns[slot], dispatch, out);
    return fns->load != NULL && fns->eof != NULL && fns->close != NULL &&
           (fns->open != NULL || fns->attach != NULL);
}

#define CIPHER_OWN(id, field)                                                                      \
    ROLECERT_WRAP_OWN(OSSL_FUNC_ASYM_CIPHER_##id, rolecert_cipher_fns, field)
#define CIPHER_WRAP_PER_SLOT(id, field)                                                            \
    ROLECERT_WRAP_PER_SLOT(OSSL_FUNC_ASYM_CIPHER_##id, rolecert_cipher_fns, cipher_slot_fns, field)

bool rolecert_cipher_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                          OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX])
{
    static const rolecert_wrap_entry table[] = {
        CIPHER_WRAP_PER_SLOT(NEWCTX, newctx),
        CIPHER_OWN(FREECTX, freectx),
        CIPHER_OWN(DUPCTX, dupctx),
        CIPHER_WRAP_PER_SLOT(ENCRYPT_INIT, encrypt_init),
        CIPHER_OWN(ENCRYPT, encrypt),
        CIPHER_WRAP_PER_SLOT(DECRYPT_INIT, decrypt_init),
        CIPHER_OWN(DECRYPT, decrypt),
        CIPHER_OWN(GET_CTX_PARAMS, get_ctx_params),
        CIPHER_WRAP_PER_SLOT(GETTABLE_CTX_PARAMS, gettable_ctx_params),
        CIPHER_OWN(SET_CTX_PARAMS, set_ctx_params),
        CIPHER_WRAP_PER_SLOT(SETTABLE_CTX_PARAMS, settable_ctx_params),
    };
    rolecert_cipher_fns *fns = &pc->cipher[slot];
    rolecert_wrap_dispatch(table, sizeof(table) / sizeof(table[0]), fns, sizeof(*fns),
                           &rolecert_cipher_slot_fns[slot], dispatch, out);
    /* encrypt and decrypt are each optional, as a pair. */
    return fns->newctx != NULL && fns->freectx != NULL &&
           ((fns->encrypt_init != NULL && fns->encrypt != NULL) ||
            (fns->decrypt_init != NULL && fns->decrypt != NULL));
}
