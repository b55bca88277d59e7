/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Asymmetric cipher pass-through, offered only with a `delegate` other
 * than default: a key held by the delegate (a token's RSA key loaded
 * through our store) lives in our key manager, so its decryption, e.g. a
 * TLS 1.2 server taking the client's premaster secret under RSA key
 * exchange, must come to us; libcrypto would otherwise export the public
 * half to `default`, whose decryption then fails (in TLS, silently: the
 * handshake ends in "decrypt error"). Nothing here is checked: every call
 * goes to the delegate's implementation with the delegate's key.
 */
#include "kmgmt.h"
#include "prov.h"

#include <stdlib.h>

typedef struct rolecert_cipher_ctx {
    const rolecert_provctx *pc;
    const rolecert_cipher_fns *delegate;
    void *delegate_ctx;
} rolecert_cipher_ctx;

static OSSL_FUNC_asym_cipher_freectx_fn cipher_freectx;
static OSSL_FUNC_asym_cipher_dupctx_fn cipher_dupctx;
static OSSL_FUNC_asym_cipher_encrypt_init_fn cipher_encrypt_init;
static OSSL_FUNC_asym_cipher_encrypt_fn cipher_encrypt;
static OSSL_FUNC_asym_cipher_decrypt_init_fn cipher_decrypt_init;
static OSSL_FUNC_asym_cipher_decrypt_fn cipher_decrypt;
static OSSL_FUNC_asym_cipher_get_ctx_params_fn cipher_get_ctx_params;
static OSSL_FUNC_asym_cipher_set_ctx_params_fn cipher_set_ctx_params;

static void *cipher_newctx(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    rolecert_cipher_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "asymmetric cipher context");
        return NULL;
    }
    ctx->pc = pc;
    ctx->delegate = &pc->cipher[slot];
    ctx->delegate_ctx = ctx->delegate->newctx(ctx->delegate->provctx);
    if (ctx->delegate_ctx == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_DELEGATE_FAILED, "%s provider: newctx failed",
                       pc->delegate.name);
        free(ctx);
        return NULL;
    }
    return ctx;
}

static void cipher_freectx(void *vctx)
{
    rolecert_cipher_ctx *ctx = vctx;
    if (ctx == NULL)
        return;
    ctx->delegate->freectx(ctx->delegate_ctx);
    free(ctx);
}

static void *cipher_dupctx(void *vctx)
{
    const rolecert_cipher_ctx *src = vctx;
    if (src->delegate->dupctx == NULL)
        return NULL;
    rolecert_cipher_ctx *dst = malloc(sizeof(*dst));
    if (dst == NULL)
        return NULL;
    *dst = *src;
    dst->delegate_ctx = src->delegate->dupctx(src->delegate_ctx);
    if (dst->delegate_ctx == NULL) {
        free(dst);
        return NULL;
    }
    return dst;
}

/* The delegate's key in our key object, when the delegate's cipher can
 * use it: the key manager that made it must be of the same provider
 * (the delegate's, or default's for a key type the delegate lacks). */
static void *cipher_key(const rolecert_cipher_ctx *ctx, void *provkey)
{
    const rolecert_key *key = provkey;
    if (key == NULL)
        return NULL;
    if (key->delegate == NULL || key->delegate->provctx != ctx->delegate->provctx) {
        ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_NOT_WRAPPED,
                       "this key cannot be used with the %s provider's asymmetric cipher",
                       ctx->pc->delegate.name);
        return NULL;
    }
    return key->delegate_key;
}

static int cipher_encrypt_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_cipher_ctx *ctx = vctx;
    void *key = cipher_key(ctx, provkey);
    return (key != NULL || provkey == NULL) &&
           ctx->delegate->encrypt_init(ctx->delegate_ctx, key, params);
}

static int cipher_encrypt(void *vctx, unsigned char *out, size_t *outlen, size_t outsize,
                          const unsigned char *in, size_t inlen)
{
    rolecert_cipher_ctx *ctx = vctx;
    return ctx->delegate->encrypt(ctx->delegate_ctx, out, outlen, outsize, in, inlen);
}

static int cipher_decrypt_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_cipher_ctx *ctx = vctx;
    void *key = cipher_key(ctx, provkey);
    return (key != NULL || provkey == NULL) &&
           ctx->delegate->decrypt_init(ctx->delegate_ctx, key, params);
}

static int cipher_decrypt(void *vctx, unsigned char *out, size_t *outlen, size_t outsize,
                          const unsigned char *in, size_t inlen)
{
    rolecert_cipher_ctx *ctx = vctx;
    return ctx->delegate->decrypt(ctx->delegate_ctx, out, outlen, outsize, in, inlen);
}

static int cipher_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    rolecert_cipher_ctx *ctx = vctx;
    return ctx->delegate->get_ctx_params(ctx->delegate_ctx, params);
}

static int cipher_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    rolecert_cipher_ctx *ctx = vctx;
    return ctx->delegate->set_ctx_params(ctx->delegate_ctx, params);
}

/* The lists are asked for with or without a context. */
static const OSSL_PARAM *cipher_gettable(void *vctx, void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    const rolecert_cipher_fns *fns = &pc->cipher[slot];
    rolecert_cipher_ctx *ctx = vctx;
    return fns->gettable_ctx_params == NULL
               ? NULL
               : fns->gettable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL, fns->provctx);
}

static const OSSL_PARAM *cipher_settable(void *vctx, void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    const rolecert_cipher_fns *fns = &pc->cipher[slot];
    rolecert_cipher_ctx *ctx = vctx;
    return fns->settable_ctx_params == NULL
               ? NULL
               : fns->settable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL, fns->provctx);
}

#define CIPHER_SLOT(hi, lo)                                                                        \
    static void *cipher_newctx_##hi##_##lo(void *provctx)                                          \
    {                                                                                              \
        return cipher_newctx(provctx, ROLECERT_SLOT_INDEX(hi, lo));                                \
    }                                                                                              \
    static const OSSL_PARAM *cipher_gettable_##hi##_##lo(void *vctx, void *provctx)                \
    {                                                                                              \
        return cipher_gettable(vctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                        \
    }                                                                                              \
    static const OSSL_PARAM *cipher_settable_##hi##_##lo(void *vctx, void *provctx)                \
    {                                                                                              \
        return cipher_settable(vctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                        \
    }
ROLECERT_FOR_EACH_SLOT(CIPHER_SLOT)

typedef struct cipher_slot_fns {
    OSSL_FUNC_asym_cipher_newctx_fn *newctx;
    OSSL_FUNC_asym_cipher_gettable_ctx_params_fn *gettable_ctx_params;
    OSSL_FUNC_asym_cipher_settable_ctx_params_fn *settable_ctx_params;
} cipher_slot_fns;

#define CIPHER_SLOT_ENTRY(hi, lo)                                                                  \
    {cipher_newctx_##hi##_##lo, cipher_gettable_##hi##_##lo, cipher_settable_##hi##_##lo},
static const cipher_slot_fns slot_fns[ROLECERT_SLOTS] = {ROLECERT_FOR_EACH_SLOT(CIPHER_SLOT_ENTRY)};

#define CIPHER_WRAP(id, field, ours)                                                               \
    ROLECERT_WRAP(OSSL_FUNC_ASYM_CIPHER_##id, rolecert_cipher_fns, field, ours)
#define CIPHER_WRAP_PER_SLOT(id, field)                                                            \
    ROLECERT_WRAP_PER_SLOT(OSSL_FUNC_ASYM_CIPHER_##id, rolecert_cipher_fns, cipher_slot_fns, field)

bool rolecert_cipher_wrap(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                          OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX])
{
    static const rolecert_wrap_entry table[] = {
        CIPHER_WRAP_PER_SLOT(NEWCTX, newctx),
        CIPHER_WRAP(FREECTX, freectx, cipher_freectx),
        CIPHER_WRAP(DUPCTX, dupctx, cipher_dupctx),
        CIPHER_WRAP(ENCRYPT_INIT, encrypt_init, cipher_encrypt_init),
        CIPHER_WRAP(ENCRYPT, encrypt, cipher_encrypt),
        CIPHER_WRAP(DECRYPT_INIT, decrypt_init, cipher_decrypt_init),
        CIPHER_WRAP(DECRYPT, decrypt, cipher_decrypt),
        CIPHER_WRAP(GET_CTX_PARAMS, get_ctx_params, cipher_get_ctx_params),
        CIPHER_WRAP_PER_SLOT(GETTABLE_CTX_PARAMS, gettable_ctx_params),
        CIPHER_WRAP(SET_CTX_PARAMS, set_ctx_params, cipher_set_ctx_params),
        CIPHER_WRAP_PER_SLOT(SETTABLE_CTX_PARAMS, settable_ctx_params),
    };
    rolecert_cipher_fns *fns = &pc->cipher[slot];
    rolecert_wrap_dispatch(table, sizeof(table) / sizeof(table[0]), fns, sizeof(*fns),
                           &slot_fns[slot], dispatch, out);
    /* encrypt and decrypt are each optional, as a pair. */
    return fns->newctx != NULL && fns->freectx != NULL &&
           ((fns->encrypt_init != NULL && fns->encrypt != NULL) ||
            (fns->decrypt_init != NULL && fns->decrypt != NULL));
}

rolecert_slot_identity rolecert_cipher_identity(const OSSL_ALGORITHM *alg)
{
    return (rolecert_slot_identity){alg->algorithm_names, {NULL, NULL, NULL}};
}
