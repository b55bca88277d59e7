/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Everything rolecert offers that refuses: the implementation an
 * algorithm gets when it could not be wrapped (no free slot, or the
 * delegate's implementation lacks a function we need), and the store
 * offered under the URI scheme of a provider activated beside us. Each
 * is a complete dispatch table, as libcrypto wants one, whose entry point
 * fails with a message that says why; the rest is never reached.
 */
#include "refuse.h"

#include "kmgmt.h"

#include <openssl/params.h>

#include <stdlib.h>

/* ---- signature algorithms that could not be wrapped ------------------ */

static void *sig_refusing_newctx(void *provctx, const char *propq)
{
    const rolecert_provctx *pc = provctx;
    (void)propq;
    ROLECERT_RAISE(&pc->core, ROLECERT_R_NOT_WRAPPED,
                   "this signature algorithm could not be wrapped (the %s provider offers more "
                   "than rolecert's %d slots; see the report at load): refusing rather than "
                   "signing unchecked",
                   pc->delegate.name, ROLECERT_SLOT_LIMIT);
    return NULL;
}

/* Never reached (newctx fails); libcrypto only wants a complete set. */
static void refusing_freectx(void *vctx)
{
    (void)vctx;
}

static int sig_refusing_sign_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    (void)vctx, (void)provkey, (void)params;
    return 0;
}

static int sig_refusing_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                             const unsigned char *tbs, size_t tbslen)
{
    (void)vctx, (void)sig, (void)siglen, (void)sigsize, (void)tbs, (void)tbslen;
    return 0;
}

static OSSL_FUNC_signature_newctx_fn sig_refusing_newctx;
static OSSL_FUNC_signature_freectx_fn refusing_freectx;
static OSSL_FUNC_signature_sign_init_fn sig_refusing_sign_init;
static OSSL_FUNC_signature_sign_fn sig_refusing_sign;

const OSSL_DISPATCH *rolecert_sig_unwrapped_dispatch(void)
{
    static const OSSL_DISPATCH dispatch[] = {
        {OSSL_FUNC_SIGNATURE_NEWCTX, (rolecert_generic_fn)sig_refusing_newctx},
        {OSSL_FUNC_SIGNATURE_FREECTX, (rolecert_generic_fn)refusing_freectx},
        {OSSL_FUNC_SIGNATURE_SIGN_INIT, (rolecert_generic_fn)sig_refusing_sign_init},
        {OSSL_FUNC_SIGNATURE_SIGN, (rolecert_generic_fn)sig_refusing_sign},
        {0, NULL},
    };
    return dispatch;
}

/* ---- key types that could not be wrapped ----------------------------- */

static OSSL_FUNC_keymgmt_new_fn key_refusing_new;
static OSSL_FUNC_keymgmt_has_fn key_refusing_has;
static OSSL_FUNC_keymgmt_import_fn key_refusing_import;
static OSSL_FUNC_keymgmt_import_types_fn key_refusing_types;

/* The key "imports" so that libcrypto 3.0 does not fall back to the key's
 * own provider; the signature then refuses it (sig.c: delegate_key). */
static void *key_refusing_new(void *provctx)
{
    rolecert_key *key = calloc(1, sizeof(*key));
    if (key != NULL) {
        key->pc = provctx;
        key->refusal = NULL;
    }
    return key;
}

static int key_refusing_has(const void *keydata, int selection)
{
    (void)selection;
    return keydata != NULL;
}

static int key_refusing_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    (void)selection, (void)params;
    return keydata != NULL;
}

static const OSSL_PARAM *key_refusing_types(int selection)
{
    static const OSSL_PARAM none[] = {OSSL_PARAM_END};
    (void)selection;
    return none;
}

const OSSL_DISPATCH *rolecert_kmgmt_unwrapped_dispatch(void)
{
    static const OSSL_DISPATCH dispatch[] = {
        {OSSL_FUNC_KEYMGMT_NEW, (rolecert_generic_fn)key_refusing_new},
        {OSSL_FUNC_KEYMGMT_FREE, (rolecert_generic_fn)rolecert_key_free},
        {OSSL_FUNC_KEYMGMT_HAS, (rolecert_generic_fn)key_refusing_has},
        {OSSL_FUNC_KEYMGMT_IMPORT, (rolecert_generic_fn)key_refusing_import},
        {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (rolecert_generic_fn)key_refusing_types},
        {0, NULL},
    };
    return dispatch;
}

/* ---- hash algorithms that could not be wrapped (prehashed = check) --- */

static void *digest_refusing_newctx(void *provctx)
{
    const rolecert_provctx *pc = provctx;
    ROLECERT_RAISE(&pc->core, ROLECERT_R_NOT_WRAPPED,
                   "this hash algorithm could not be wrapped (the %s provider offers more than "
                   "rolecert's %d slots; see the report at load), and with prehashed = check "
                   "hashing unseen could sign a request unchecked: refused",
                   pc->delegate.name, ROLECERT_SLOT_LIMIT);
    return NULL;
}

static int digest_refusing_init(void *vctx, const OSSL_PARAM params[])
{
    (void)vctx, (void)params;
    return 0;
}

static int digest_refusing_update(void *vctx, const unsigned char *in, size_t inl)
{
    (void)vctx, (void)in, (void)inl;
    return 0;
}

static int digest_refusing_final(void *vctx, unsigned char *out, size_t *outl, size_t outsz)
{
    (void)vctx, (void)out, (void)outl, (void)outsz;
    return 0;
}

static OSSL_FUNC_digest_newctx_fn digest_refusing_newctx;
static OSSL_FUNC_digest_init_fn digest_refusing_init;
static OSSL_FUNC_digest_update_fn digest_refusing_update;
static OSSL_FUNC_digest_final_fn digest_refusing_final;

const OSSL_DISPATCH *rolecert_digest_unwrapped_dispatch(void)
{
    static const OSSL_DISPATCH dispatch[] = {
        {OSSL_FUNC_DIGEST_NEWCTX, (rolecert_generic_fn)digest_refusing_newctx},
        {OSSL_FUNC_DIGEST_INIT, (rolecert_generic_fn)digest_refusing_init},
        {OSSL_FUNC_DIGEST_UPDATE, (rolecert_generic_fn)digest_refusing_update},
        {OSSL_FUNC_DIGEST_FINAL, (rolecert_generic_fn)digest_refusing_final},
        {OSSL_FUNC_DIGEST_FREECTX, (rolecert_generic_fn)refusing_freectx},
        {0, NULL},
    };
    return dispatch;
}

/* ---- the scheme of a provider activated beside us -------------------- */

static void *store_refusing_open(void *provctx, const char *uri)
{
    const rolecert_provctx *pc = provctx;
    (void)uri;
    ROLECERT_RAISE(&pc->core, ROLECERT_R_BAD_CONFIG, "%s", pc->policies.error);
    return NULL;
}

/* Never reached (open fails); libcrypto wants a complete set. */
static int store_refusing_load(void *loaderctx, OSSL_CALLBACK *object_cb, void *object_cbarg,
                               OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
    (void)loaderctx, (void)object_cb, (void)object_cbarg, (void)pw_cb, (void)pw_cbarg;
    return 0;
}

/* eof and close: nothing is ever open. */
static int store_refusing_done(void *loaderctx)
{
    (void)loaderctx;
    return 1;
}

static OSSL_FUNC_store_open_fn store_refusing_open;
static OSSL_FUNC_store_load_fn store_refusing_load;
static OSSL_FUNC_store_eof_fn store_refusing_done;

const OSSL_DISPATCH *rolecert_store_refusing_dispatch(void)
{
    static const OSSL_DISPATCH dispatch[] = {
        {OSSL_FUNC_STORE_OPEN, (rolecert_generic_fn)store_refusing_open},
        {OSSL_FUNC_STORE_LOAD, (rolecert_generic_fn)store_refusing_load},
        {OSSL_FUNC_STORE_EOF, (rolecert_generic_fn)store_refusing_done},
        {OSSL_FUNC_STORE_CLOSE, (rolecert_generic_fn)store_refusing_done},
        {0, NULL},
    };
    return dispatch;
}
