/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Asymmetric cipher pass-through, offered only with a `delegate` other
 * than default: a key held by the delegate (a token's RSA key loaded
 * through our store) lives in our key manager, so its decryption, e.g. a
 * TLS 1.2 server taking the client's premaster secret under RSA key
 * exchange, must come to us; libcrypto would otherwise export the public
 * half to `default`, whose decryption then fails (in TLS, silently: the
 * handshake ends in "decrypt error"). Nothing here is checked, and only
 * what must know the slot or our key is ours: the context is the
 * delegate's own, and so are encryption, decryption, freeing and the
 * parameters (dispatch.c offers the delegate's functions for those).
 */
#include "kmgmt.h"
#include "ops.h"
#include "prov.h"

static void *cipher_newctx(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    const rolecert_cipher_fns *fns = &pc->cipher[slot];
    void *ctx = fns->newctx(fns->provctx);
    if (ctx == NULL)
        ROLECERT_RAISE_DELEGATE_FAILED(pc, "newctx");
    return ctx;
}

/* encrypt_init and decrypt_init: the delegate's key in our key object,
 * when the delegate's cipher can use it: the key manager that made it
 * must be of the same provider (the delegate's, or default's for a key
 * type the delegate lacks). libcrypto always passes the key. */
static int cipher_init(bool encrypt, int slot, void *ctx, void *provkey, const OSSL_PARAM params[])
{
    const rolecert_key *key = provkey;
    if (key == NULL)
        return 0;
    const rolecert_cipher_fns *fns = &key->pc->cipher[slot];
    if (key->delegate == NULL || key->delegate->provctx != fns->provctx) {
        ROLECERT_RAISE(&key->pc->core, ROLECERT_R_NOT_WRAPPED,
                       "this key cannot be used with the %s provider's asymmetric cipher",
                       key->pc->delegate.name);
        return 0;
    }
    return (encrypt ? fns->encrypt_init : fns->decrypt_init)(ctx, key->delegate_key, params);
}

/* The lists are asked for with or without a context. */
static const OSSL_PARAM *cipher_gettable(void *ctx, void *provctx, int slot)
{
    const rolecert_cipher_fns *fns = &((const rolecert_provctx *)provctx)->cipher[slot];
    return fns->gettable_ctx_params(ctx, fns->provctx);
}

static const OSSL_PARAM *cipher_settable(void *ctx, void *provctx, int slot)
{
    const rolecert_cipher_fns *fns = &((const rolecert_provctx *)provctx)->cipher[slot];
    return fns->settable_ctx_params(ctx, fns->provctx);
}

/* The init functions get no provider context: each slot has its own, and
 * the key says which provider context it is of. */
#define CIPHER_SLOT(hi, lo)                                                                        \
    static void *cipher_newctx_##hi##_##lo(void *provctx)                                          \
    {                                                                                              \
        return cipher_newctx(provctx, ROLECERT_SLOT_INDEX(hi, lo));                                \
    }                                                                                              \
    static int cipher_encrypt_init_##hi##_##lo(void *ctx, void *provkey, const OSSL_PARAM p[])     \
    {                                                                                              \
        return cipher_init(true, ROLECERT_SLOT_INDEX(hi, lo), ctx, provkey, p);                    \
    }                                                                                              \
    static int cipher_decrypt_init_##hi##_##lo(void *ctx, void *provkey, const OSSL_PARAM p[])     \
    {                                                                                              \
        return cipher_init(false, ROLECERT_SLOT_INDEX(hi, lo), ctx, provkey, p);                   \
    }                                                                                              \
    static const OSSL_PARAM *cipher_gettable_##hi##_##lo(void *ctx, void *provctx)                 \
    {                                                                                              \
        return cipher_gettable(ctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                         \
    }                                                                                              \
    static const OSSL_PARAM *cipher_settable_##hi##_##lo(void *ctx, void *provctx)                 \
    {                                                                                              \
        return cipher_settable(ctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                         \
    }
ROLECERT_FOR_EACH_SLOT(CIPHER_SLOT)

#define CIPHER_SLOT_ENTRY(hi, lo)                                                                  \
    {cipher_newctx_##hi##_##lo, cipher_encrypt_init_##hi##_##lo, cipher_decrypt_init_##hi##_##lo,  \
     cipher_gettable_##hi##_##lo, cipher_settable_##hi##_##lo},
const cipher_slot_fns rolecert_cipher_slot_fns[ROLECERT_SLOTS] = {
    ROLECERT_FOR_EACH_SLOT(CIPHER_SLOT_ENTRY)};

rolecert_slot_identity rolecert_cipher_identity(const OSSL_ALGORITHM *alg)
{
    return (rolecert_slot_identity){alg->algorithm_names, {NULL, NULL, NULL}};
}
