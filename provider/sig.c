/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signature wrapper: every call goes straight to the default provider's
 * implementation in the private library context (resolved once in
 * prov.c). Digest-signing is where the to-be-signed DER shows up, so that
 * is where the policy runs; verification and everything else pass
 * through untouched.
 */
#include "kmgmt.h"
#include "prov.h"
#include <rolecert/tbs.h>

#include <openssl/core_names.h>

#include <stdlib.h>
#include <string.h>

/* Beyond this a streamed input is not buffered for checking: nothing we
 * check is anywhere near it. Such data is refused when its first bytes
 * look like a request or certificate, passed otherwise. */
#define SIG_BUFFER_MAX ((size_t)16 << 20)
#define SIG_SNIFF_BYTES 64

typedef struct rolecert_sig_ctx {
    const rolecert_provctx *pc;
    const rolecert_sig_fns *delegate;
    void *delegate_ctx;
    /* Streamed digest-sign input (update/final), kept only while it may
     * still be a request or certificate. */
    unsigned char *buffer;
    size_t buffered;
    size_t capacity;
    bool streaming_checked; /* false once the stream plainly is something else */
    bool overflowed;
    unsigned char head[SIG_SNIFF_BYTES];
    size_t head_len;
} rolecert_sig_ctx;

static void *delegate_key(void *provkey)
{
    return provkey == NULL ? NULL : ((rolecert_key *)provkey)->delegate_key;
}

static rolecert_sig_ctx *sig_newctx(void *provctx, rolecert_sig_alg alg)
{
    rolecert_provctx *pc = provctx;
    rolecert_sig_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "signature context");
        return NULL;
    }
    ctx->pc = pc;
    ctx->delegate = &pc->sig[alg];
    /* The caller's property query names our provider's properties, which
     * mean nothing in the private context: the delegate gets none. */
    ctx->delegate_ctx = ctx->delegate->newctx(pc->delegate_provctx, NULL);
    if (ctx->delegate_ctx == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_DELEGATE_FAILED, "default provider: newctx failed");
        free(ctx);
        return NULL;
    }
    return ctx;
}

static void sig_reset_stream(rolecert_sig_ctx *ctx)
{
    ctx->buffered = 0;
    ctx->streaming_checked = true;
    ctx->overflowed = false;
    ctx->head_len = 0;
}

static void sig_freectx(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx == NULL)
        return;
    ctx->delegate->freectx(ctx->delegate_ctx);
    free(ctx->buffer);
    free(ctx);
}

static void *sig_dupctx(void *vctx)
{
    const rolecert_sig_ctx *src = vctx;
    if (src->delegate->dupctx == NULL)
        return NULL;
    rolecert_sig_ctx *dst = malloc(sizeof(*dst));
    if (dst == NULL)
        return NULL;
    *dst = *src;
    dst->buffer = NULL;
    dst->capacity = 0;
    if (src->buffered > 0) {
        dst->buffer = malloc(src->buffered);
        if (dst->buffer == NULL) {
            free(dst);
            return NULL;
        }
        memcpy(dst->buffer, src->buffer, src->buffered);
        dst->capacity = src->buffered;
    }
    dst->delegate_ctx = src->delegate->dupctx(src->delegate_ctx);
    if (dst->delegate_ctx == NULL) {
        free(dst->buffer);
        free(dst);
        return NULL;
    }
    return dst;
}

static int not_supported(const rolecert_sig_ctx *ctx, const char *what)
{
    ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_NOT_SUPPORTED, "%s", what);
    return 0;
}

/* ---- signing a precomputed digest: the names are not visible ---------- */

static int sig_sign_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    if (!rolecert_config_usable(ctx->pc))
        return 0;
    if (ctx->pc->settings.refuse_prehashed) {
        ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_PREHASHED_REFUSED,
                       "EVP_PKEY_sign hands over only a digest, whose names cannot be checked "
                       "(prehashed = refuse); sign the data itself with EVP_DigestSign (as openssl "
                       "req, x509, ca and dgst -sign do), or set prehashed = allow in the rolecert "
                       "provider's section to let such signatures through unchecked");
        return 0;
    }
    if (ctx->delegate->sign_init == NULL)
        return not_supported(ctx, "sign");
    return ctx->delegate->sign_init(ctx->delegate_ctx, delegate_key(provkey), params);
}

static int sig_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                    const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->sign == NULL)
        return not_supported(ctx, "sign");
    return ctx->delegate->sign(ctx->delegate_ctx, sig, siglen, sigsize, tbs, tbslen);
}

/* ---- verification: passes through ------------------------------------ */

static int sig_verify_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->verify_init == NULL)
        return not_supported(ctx, "verify");
    return ctx->delegate->verify_init(ctx->delegate_ctx, delegate_key(provkey), params);
}

static int sig_verify(void *vctx, const unsigned char *sig, size_t siglen, const unsigned char *tbs,
                      size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->verify == NULL)
        return not_supported(ctx, "verify");
    return ctx->delegate->verify(ctx->delegate_ctx, sig, siglen, tbs, tbslen);
}

static int sig_verify_recover_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->verify_recover_init == NULL)
        return not_supported(ctx, "verify-recover");
    return ctx->delegate->verify_recover_init(ctx->delegate_ctx, delegate_key(provkey), params);
}

static int sig_verify_recover(void *vctx, unsigned char *rout, size_t *routlen, size_t routsize,
                              const unsigned char *sig, size_t siglen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->verify_recover == NULL)
        return not_supported(ctx, "verify-recover");
    return ctx->delegate->verify_recover(ctx->delegate_ctx, rout, routlen, routsize, sig, siglen);
}

static int sig_digest_verify_init(void *vctx, const char *mdname, void *provkey,
                                  const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->digest_verify_init == NULL)
        return not_supported(ctx, "digest-verify");
    return ctx->delegate->digest_verify_init(ctx->delegate_ctx, mdname, delegate_key(provkey),
                                             params);
}

static int sig_digest_verify_update(void *vctx, const unsigned char *data, size_t datalen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->digest_verify_update == NULL)
        return not_supported(ctx, "streamed digest-verify");
    return ctx->delegate->digest_verify_update(ctx->delegate_ctx, data, datalen);
}

static int sig_digest_verify_final(void *vctx, const unsigned char *sig, size_t siglen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->digest_verify_final == NULL)
        return not_supported(ctx, "streamed digest-verify");
    return ctx->delegate->digest_verify_final(ctx->delegate_ctx, sig, siglen);
}

static int sig_digest_verify(void *vctx, const unsigned char *sig, size_t siglen,
                             const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    const rolecert_sig_fns *d = ctx->delegate;
    if (d->digest_verify != NULL)
        return d->digest_verify(ctx->delegate_ctx, sig, siglen, tbs, tbslen);
    if (d->digest_verify_update == NULL || d->digest_verify_final == NULL)
        return not_supported(ctx, "digest-verify");
    return d->digest_verify_update(ctx->delegate_ctx, tbs, tbslen) > 0 &&
           d->digest_verify_final(ctx->delegate_ctx, sig, siglen);
}

/* ---- digest-signing: where the to-be-signed DER is seen --------------- */

static int sig_digest_sign_init(void *vctx, const char *mdname, void *provkey,
                                const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    sig_reset_stream(ctx);
    if (!rolecert_config_usable(ctx->pc))
        return 0;
    if (ctx->delegate->digest_sign_init == NULL)
        return not_supported(ctx, "digest-sign");
    return ctx->delegate->digest_sign_init(ctx->delegate_ctx, mdname, delegate_key(provkey),
                                           params);
}

/* One-shot: what ASN1_item_sign_ctx (req, x509, ca), TLS and CMS use. */
static int sig_digest_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                           const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    const rolecert_sig_fns *d = ctx->delegate;
    /* A NULL sig only asks for the size; the check runs once, on the real
     * signing call. */
    if (sig != NULL && !rolecert_check_tbs(ctx->pc, tbs, tbslen))
        return 0;
    if (d->digest_sign != NULL)
        return d->digest_sign(ctx->delegate_ctx, sig, siglen, sigsize, tbs, tbslen);
    if (d->digest_sign_update == NULL || d->digest_sign_final == NULL)
        return not_supported(ctx, "digest-sign");
    if (sig == NULL)
        return d->digest_sign_final(ctx->delegate_ctx, NULL, siglen, 0);
    return d->digest_sign_update(ctx->delegate_ctx, tbs, tbslen) > 0 &&
           d->digest_sign_final(ctx->delegate_ctx, sig, siglen, sigsize);
}

static bool stream_append(rolecert_sig_ctx *ctx, const unsigned char *data, size_t len)
{
    if (ctx->head_len < SIG_SNIFF_BYTES) {
        size_t n = SIG_SNIFF_BYTES - ctx->head_len < len ? SIG_SNIFF_BYTES - ctx->head_len : len;
        memcpy(ctx->head + ctx->head_len, data, n);
        ctx->head_len += n;
    }
    if (!ctx->streaming_checked || ctx->overflowed)
        return true;
    if (ctx->head_len > 0 && !tbs_may_start_with(ctx->head[0])) {
        /* Not a SEQUENCE in any form: neither a request nor a certificate. */
        ctx->streaming_checked = false;
        return true;
    }
    if (len > SIG_BUFFER_MAX - ctx->buffered) {
        ctx->overflowed = true;
        return true;
    }
    if (ctx->buffered + len > ctx->capacity) {
        size_t capacity = ctx->capacity == 0 ? 1024 : ctx->capacity;
        while (capacity < ctx->buffered + len)
            capacity *= 2;
        unsigned char *grown = realloc(ctx->buffer, capacity);
        if (grown == NULL) {
            ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_OUT_OF_MEMORY, "buffering data to check");
            return false;
        }
        ctx->buffer = grown;
        ctx->capacity = capacity;
    }
    memcpy(ctx->buffer + ctx->buffered, data, len);
    ctx->buffered += len;
    return true;
}

static int sig_digest_sign_update(void *vctx, const unsigned char *data, size_t datalen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->digest_sign_update == NULL)
        return not_supported(ctx, "streamed digest-sign");
    if (!stream_append(ctx, data, datalen))
        return 0;
    return ctx->delegate->digest_sign_update(ctx->delegate_ctx, data, datalen);
}

static int sig_digest_sign_final(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->digest_sign_final == NULL)
        return not_supported(ctx, "streamed digest-sign");
    if (sig != NULL && ctx->streaming_checked) {
        if (ctx->overflowed) {
            if (tbs_sniff(ctx->head, ctx->head_len) != TBS_KIND_OTHER) {
                ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_TOO_MANY_NAMES,
                               "to-be-signed data over %zu bytes cannot be checked",
                               SIG_BUFFER_MAX);
                return 0;
            }
        } else if (!rolecert_check_tbs(ctx->pc, ctx->buffer, ctx->buffered)) {
            return 0;
        }
    }
    return ctx->delegate->digest_sign_final(ctx->delegate_ctx, sig, siglen, sigsize);
}

/* ---- parameters: the delegate's, so ctrl-to-param checks match -------- */

static int sig_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->get_ctx_params != NULL &&
           ctx->delegate->get_ctx_params(ctx->delegate_ctx, params);
}

static int sig_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx->delegate->set_ctx_params == NULL)
        return params == NULL || params[0].key == NULL;
    return ctx->delegate->set_ctx_params(ctx->delegate_ctx, params);
}

static const OSSL_PARAM *gettable_ctx_params(const rolecert_sig_ctx *ctx,
                                             const rolecert_provctx *pc, rolecert_sig_alg alg)
{
    const rolecert_sig_fns *d = &pc->sig[alg];
    if (d->gettable_ctx_params == NULL)
        return NULL;
    return d->gettable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL, pc->delegate_provctx);
}

static const OSSL_PARAM *settable_ctx_params(const rolecert_sig_ctx *ctx,
                                             const rolecert_provctx *pc, rolecert_sig_alg alg)
{
    const rolecert_sig_fns *d = &pc->sig[alg];
    if (d->settable_ctx_params == NULL)
        return NULL;
    return d->settable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL, pc->delegate_provctx);
}

static int sig_get_ctx_md_params(void *vctx, OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->get_ctx_md_params != NULL &&
           ctx->delegate->get_ctx_md_params(ctx->delegate_ctx, params);
}

static const OSSL_PARAM *sig_gettable_ctx_md_params(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx == NULL || ctx->delegate->gettable_ctx_md_params == NULL)
        return NULL;
    return ctx->delegate->gettable_ctx_md_params(ctx->delegate_ctx);
}

static int sig_set_ctx_md_params(void *vctx, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->set_ctx_md_params != NULL &&
           ctx->delegate->set_ctx_md_params(ctx->delegate_ctx, params);
}

static const OSSL_PARAM *sig_settable_ctx_md_params(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx == NULL || ctx->delegate->settable_ctx_md_params == NULL)
        return NULL;
    return ctx->delegate->settable_ctx_md_params(ctx->delegate_ctx);
}

/* ---- per-algorithm entry points and dispatch tables ------------------- */

/* newctx and the (get|set)table lists carry no algorithm of their own, so
 * each algorithm gets a thin entry point that says which one it is. */
#define ROLECERT_SIG_ENTRY_POINTS(name, alg)                                                       \
    static void *sig_newctx_##name(void *provctx, const char *propq)                               \
    {                                                                                              \
        (void)propq;                                                                               \
        return sig_newctx(provctx, alg);                                                           \
    }                                                                                              \
    static const OSSL_PARAM *sig_gettable_ctx_params_##name(void *vctx, void *provctx)             \
    {                                                                                              \
        return gettable_ctx_params(vctx, provctx, alg);                                            \
    }                                                                                              \
    static const OSSL_PARAM *sig_settable_ctx_params_##name(void *vctx, void *provctx)             \
    {                                                                                              \
        return settable_ctx_params(vctx, provctx, alg);                                            \
    }                                                                                              \
    static const OSSL_DISPATCH sig_dispatch_##name[] = {                                           \
        {OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))sig_newctx_##name},                           \
        {OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))sig_freectx},                                \
        {OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))sig_dupctx},                                  \
        {OSSL_FUNC_SIGNATURE_SIGN_INIT, (void (*)(void))sig_sign_init},                            \
        {OSSL_FUNC_SIGNATURE_SIGN, (void (*)(void))sig_sign},                                      \
        {OSSL_FUNC_SIGNATURE_VERIFY_INIT, (void (*)(void))sig_verify_init},                        \
        {OSSL_FUNC_SIGNATURE_VERIFY, (void (*)(void))sig_verify},                                  \
        {OSSL_FUNC_SIGNATURE_VERIFY_RECOVER_INIT, (void (*)(void))sig_verify_recover_init},        \
        {OSSL_FUNC_SIGNATURE_VERIFY_RECOVER, (void (*)(void))sig_verify_recover},                  \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, (void (*)(void))sig_digest_sign_init},              \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, (void (*)(void))sig_digest_sign_update},          \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, (void (*)(void))sig_digest_sign_final},            \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN, (void (*)(void))sig_digest_sign},                        \
        {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT, (void (*)(void))sig_digest_verify_init},          \
        {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE, (void (*)(void))sig_digest_verify_update},      \
        {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL, (void (*)(void))sig_digest_verify_final},        \
        {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY, (void (*)(void))sig_digest_verify},                    \
        {OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, (void (*)(void))sig_get_ctx_params},                  \
        {OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, (void (*)(void))sig_gettable_ctx_params_##name}, \
        {OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, (void (*)(void))sig_set_ctx_params},                  \
        {OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, (void (*)(void))sig_settable_ctx_params_##name}, \
        {OSSL_FUNC_SIGNATURE_GET_CTX_MD_PARAMS, (void (*)(void))sig_get_ctx_md_params},            \
        {OSSL_FUNC_SIGNATURE_GETTABLE_CTX_MD_PARAMS, (void (*)(void))sig_gettable_ctx_md_params},  \
        {OSSL_FUNC_SIGNATURE_SET_CTX_MD_PARAMS, (void (*)(void))sig_set_ctx_md_params},            \
        {OSSL_FUNC_SIGNATURE_SETTABLE_CTX_MD_PARAMS, (void (*)(void))sig_settable_ctx_md_params},  \
        {0, NULL}};

ROLECERT_SIG_ENTRY_POINTS(rsa, ROLECERT_SIG_RSA)
ROLECERT_SIG_ENTRY_POINTS(ecdsa, ROLECERT_SIG_ECDSA)
ROLECERT_SIG_ENTRY_POINTS(ed25519, ROLECERT_SIG_ED25519)
ROLECERT_SIG_ENTRY_POINTS(ed448, ROLECERT_SIG_ED448)
ROLECERT_SIG_ENTRY_POINTS(dsa, ROLECERT_SIG_DSA)
ROLECERT_SIG_ENTRY_POINTS(sm2, ROLECERT_SIG_SM2)

const OSSL_DISPATCH *rolecert_sig_dispatch(rolecert_sig_alg alg)
{
    static const OSSL_DISPATCH *const tables[ROLECERT_SIG_COUNT] = {
        [ROLECERT_SIG_RSA] = sig_dispatch_rsa,         [ROLECERT_SIG_ECDSA] = sig_dispatch_ecdsa,
        [ROLECERT_SIG_ED25519] = sig_dispatch_ed25519, [ROLECERT_SIG_ED448] = sig_dispatch_ed448,
        [ROLECERT_SIG_DSA] = sig_dispatch_dsa,         [ROLECERT_SIG_SM2] = sig_dispatch_sm2,
    };
    return tables[alg];
}

void rolecert_sig_fns_load(rolecert_sig_fns *fns, const OSSL_DISPATCH *dispatch)
{
    memset(fns, 0, sizeof(*fns));
    for (const OSSL_DISPATCH *d = dispatch; d->function_id != 0; d++) {
        switch (d->function_id) {
        case OSSL_FUNC_SIGNATURE_NEWCTX:
            fns->newctx = OSSL_FUNC_signature_newctx(d);
            break;
        case OSSL_FUNC_SIGNATURE_FREECTX:
            fns->freectx = OSSL_FUNC_signature_freectx(d);
            break;
        case OSSL_FUNC_SIGNATURE_DUPCTX:
            fns->dupctx = OSSL_FUNC_signature_dupctx(d);
            break;
        case OSSL_FUNC_SIGNATURE_SIGN_INIT:
            fns->sign_init = OSSL_FUNC_signature_sign_init(d);
            break;
        case OSSL_FUNC_SIGNATURE_SIGN:
            fns->sign = OSSL_FUNC_signature_sign(d);
            break;
        case OSSL_FUNC_SIGNATURE_VERIFY_INIT:
            fns->verify_init = OSSL_FUNC_signature_verify_init(d);
            break;
        case OSSL_FUNC_SIGNATURE_VERIFY:
            fns->verify = OSSL_FUNC_signature_verify(d);
            break;
        case OSSL_FUNC_SIGNATURE_VERIFY_RECOVER_INIT:
            fns->verify_recover_init = OSSL_FUNC_signature_verify_recover_init(d);
            break;
        case OSSL_FUNC_SIGNATURE_VERIFY_RECOVER:
            fns->verify_recover = OSSL_FUNC_signature_verify_recover(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT:
            fns->digest_sign_init = OSSL_FUNC_signature_digest_sign_init(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE:
            fns->digest_sign_update = OSSL_FUNC_signature_digest_sign_update(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL:
            fns->digest_sign_final = OSSL_FUNC_signature_digest_sign_final(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_SIGN:
            fns->digest_sign = OSSL_FUNC_signature_digest_sign(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT:
            fns->digest_verify_init = OSSL_FUNC_signature_digest_verify_init(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE:
            fns->digest_verify_update = OSSL_FUNC_signature_digest_verify_update(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL:
            fns->digest_verify_final = OSSL_FUNC_signature_digest_verify_final(d);
            break;
        case OSSL_FUNC_SIGNATURE_DIGEST_VERIFY:
            fns->digest_verify = OSSL_FUNC_signature_digest_verify(d);
            break;
        case OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS:
            fns->get_ctx_params = OSSL_FUNC_signature_get_ctx_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS:
            fns->gettable_ctx_params = OSSL_FUNC_signature_gettable_ctx_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS:
            fns->set_ctx_params = OSSL_FUNC_signature_set_ctx_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS:
            fns->settable_ctx_params = OSSL_FUNC_signature_settable_ctx_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_GET_CTX_MD_PARAMS:
            fns->get_ctx_md_params = OSSL_FUNC_signature_get_ctx_md_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_GETTABLE_CTX_MD_PARAMS:
            fns->gettable_ctx_md_params = OSSL_FUNC_signature_gettable_ctx_md_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_SET_CTX_MD_PARAMS:
            fns->set_ctx_md_params = OSSL_FUNC_signature_set_ctx_md_params(d);
            break;
        case OSSL_FUNC_SIGNATURE_SETTABLE_CTX_MD_PARAMS:
            fns->settable_ctx_md_params = OSSL_FUNC_signature_settable_ctx_md_params(d);
            break;
        default:
            break;
        }
    }
}
