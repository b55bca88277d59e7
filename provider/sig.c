/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signature wrapper: every call goes straight to the delegate's
 * implementation in the private library context (resolved once in
 * prov.c). Where the to-be-signed bytes show up — a digest-sign, a
 * message-sign (3.4+), or a one-shot sign handed the whole message — the
 * policy runs on them; the check does not depend on the algorithm.
 * Verification and everything else pass through untouched.
 */
#include "kmgmt.h"
#include "ops.h"
#include "prov.h"
#include "tbs_memory.h"
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
    rolecert_held held; /* first: a thread's spare slot releases it */
    const rolecert_provctx *pc;
    const rolecert_sig_fns *delegate;
    void *delegate_ctx;
    int slot;
    /* Streamed input (digest-sign or message-sign update/final), kept
     * only while it may still be a request or certificate. */
    unsigned char *buffer;
    size_t buffered;
    size_t capacity;
    bool stream_may_be_tbs; /* false once the stream plainly is something else */
    bool overflowed;
    unsigned char head[SIG_SNIFF_BYTES];
    size_t head_len;
} rolecert_sig_ctx;

static void sig_ctx_release(rolecert_held *held)
{
    rolecert_sig_ctx *ctx = (rolecert_sig_ctx *)held;
    free(ctx->buffer);
    free(ctx);
}

static void sig_reset_stream(rolecert_sig_ctx *ctx)
{
    ctx->buffered = 0;
    ctx->stream_may_be_tbs = true;
    ctx->overflowed = false;
    ctx->head_len = 0;
}

static rolecert_sig_ctx *sig_newctx(void *provctx, int slot)
{
    rolecert_provctx *pc = provctx;
    rolecert_sig_ctx *ctx = (rolecert_sig_ctx *)rolecert_thread_take(ROLECERT_HELD_SIG_CTX);
    if (ctx == NULL) {
        ctx = calloc(1, sizeof(*ctx));
        if (ctx == NULL) {
            ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "signature context");
            return NULL;
        }
        ctx->held.release = sig_ctx_release;
    }
    ctx->pc = pc;
    ctx->slot = slot;
    ctx->delegate = &pc->sig[slot];
    sig_reset_stream(ctx); /* a spare's is whatever its last use left */
    /* The caller's property query names our provider's properties, which
     * mean nothing in the private context: the delegate gets none. */
    ctx->delegate_ctx = ctx->delegate->newctx(ctx->delegate->provctx, NULL);
    if (ctx->delegate_ctx == NULL) {
        ROLECERT_RAISE_DELEGATE_FAILED(pc, "newctx");
        sig_ctx_release(&ctx->held);
        return NULL;
    }
    return ctx;
}

void rolecert_sig_freectx(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    if (ctx == NULL)
        return;
    ctx->delegate->freectx(ctx->delegate_ctx);
    rolecert_thread_keep(ROLECERT_HELD_SIG_CTX, &ctx->held, &ctx->buffer, &ctx->capacity);
}

void *rolecert_sig_dupctx(void *vctx)
{
    const rolecert_sig_ctx *src = vctx;
    rolecert_sig_ctx *dst = malloc(sizeof(*dst));
    if (dst == NULL)
        return NULL;
    *dst = *src;
    if (!rolecert_buffer_dup(src->buffer, src->buffered, &dst->buffer, &dst->capacity)) {
        free(dst);
        return NULL;
    }
    dst->delegate_ctx = src->delegate->dupctx(src->delegate_ctx);
    if (dst->delegate_ctx == NULL) {
        free(dst->buffer);
        free(dst);
        return NULL;
    }
    return dst;
}

/* The delegate's key inside our key object. false (error raised) for a key
 * whose type could not be wrapped: it must not sign, nor be handed on. A
 * NULL provkey (re-initialising with the key already set) stays NULL. */
static bool delegate_key(const rolecert_sig_ctx *ctx, void *provkey, void **out)
{
    const rolecert_key *key = provkey;
    *out = NULL;
    if (key == NULL)
        return true;
    if (key->delegate == NULL && key->refusal != NULL) {
        ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_NOT_WRAPPED,
                       "%s (%s): refusing rather than signing unchecked", key->refusal,
                       ctx->pc->delegate.name);
        return false;
    }
    if (key->delegate == NULL) {
        ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_NOT_WRAPPED,
                       "this key type could not be wrapped (the %s provider offers more key "
                       "managers than rolecert's %d slots): refusing rather than signing unchecked",
                       ctx->pc->delegate.name, ROLECERT_SLOT_LIMIT);
        return false;
    }
    *out = key->delegate_key;
    return true;
}

/* Common to every signing init: a usable config and a wrapped key. */
static bool sign_init_allowed(rolecert_sig_ctx *ctx, void *provkey, void **key)
{
    sig_reset_stream(ctx);
    return rolecert_config_usable(ctx->pc) && delegate_key(ctx, provkey, key);
}

/* ---- signing what may be a digest ------------------------------------ */

int rolecert_sig_sign_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    if (!sign_init_allowed(ctx, provkey, &key))
        return 0;
    if (ctx->pc->policies.refuse_prehashed &&
        !ROLECERT_REFUSE_UNCHECKED(
            ctx->pc, ROLECERT_R_PREHASHED_REFUSED,
            "sign the data itself with EVP_DigestSign (as openssl req, x509, ca and dgst -sign "
            "do), or set prehashed = allow in the rolecert provider's section to let such "
            "signatures through unchecked",
            "EVP_PKEY_sign hands over only a digest, whose names cannot be checked (prehashed = "
            "refuse)"))
        return 0;
    return ctx->delegate->sign_init(ctx->delegate_ctx, key, params);
}

/* For RSA or ECDSA the input is a digest, which never reads as a TBS; for
 * ML-DSA, SLH-DSA or EdDSA, and after a message-sign init, it is the
 * message itself, checked like a digest-sign. With prehashed = check a
 * digest is also looked up among what this thread hashed. A NULL sig only
 * asks for the size: the check runs once, on the real signing call. */
int rolecert_sig_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                      const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    if (sig != NULL && !rolecert_check_tbs(ctx->pc, tbs, tbslen))
        return 0;
    if (sig != NULL && ctx->pc->policies.check_prehashed &&
        !rolecert_check_prehashed(ctx->pc, tbs, tbslen))
        return 0;
    return ctx->delegate->sign(ctx->delegate_ctx, sig, siglen, sigsize, tbs, tbslen);
}

/* ---- verification: passes through ------------------------------------ */

int rolecert_sig_verify_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    return delegate_key(ctx, provkey, &key) &&
           ctx->delegate->verify_init(ctx->delegate_ctx, key, params);
}

int rolecert_sig_verify(void *vctx, const unsigned char *sig, size_t siglen,
                        const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->verify(ctx->delegate_ctx, sig, siglen, tbs, tbslen);
}

int rolecert_sig_verify_recover_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    return delegate_key(ctx, provkey, &key) &&
           ctx->delegate->verify_recover_init(ctx->delegate_ctx, key, params);
}

int rolecert_sig_verify_recover(void *vctx, unsigned char *rout, size_t *routlen, size_t routsize,
                                const unsigned char *sig, size_t siglen)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->verify_recover(ctx->delegate_ctx, rout, routlen, routsize, sig, siglen);
}

int rolecert_sig_digest_verify_init(void *vctx, const char *mdname, void *provkey,
                                    const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    return delegate_key(ctx, provkey, &key) &&
           ctx->delegate->digest_verify_init(ctx->delegate_ctx, mdname, key, params);
}

int rolecert_sig_digest_verify_update(void *vctx, const unsigned char *data, size_t datalen)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->digest_verify_update(ctx->delegate_ctx, data, datalen);
}

int rolecert_sig_digest_verify_final(void *vctx, const unsigned char *sig, size_t siglen)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->digest_verify_final(ctx->delegate_ctx, sig, siglen);
}

int rolecert_sig_digest_verify(void *vctx, const unsigned char *sig, size_t siglen,
                               const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->digest_verify(ctx->delegate_ctx, sig, siglen, tbs, tbslen);
}

/* ---- digest-signing: where the to-be-signed DER is seen --------------- */

int rolecert_sig_digest_sign_init(void *vctx, const char *mdname, void *provkey,
                                  const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    return sign_init_allowed(ctx, provkey, &key) &&
           ctx->delegate->digest_sign_init(ctx->delegate_ctx, mdname, key, params);
}

/* One-shot: what ASN1_item_sign_ctx (req, x509, ca), TLS and CMS use.
 * Offered also when the delegate streams only (3.0's ECDSA, DSA): the
 * bytes are then checked in place, not copied into a stream buffer. */
int rolecert_sig_digest_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                             const unsigned char *tbs, size_t tbslen)
{
    rolecert_sig_ctx *ctx = vctx;
    const rolecert_sig_fns *d = ctx->delegate;
    if (sig != NULL && !rolecert_check_tbs(ctx->pc, tbs, tbslen))
        return 0;
    if (d->digest_sign != NULL)
        return d->digest_sign(ctx->delegate_ctx, sig, siglen, sigsize, tbs, tbslen);
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
    if (!ctx->stream_may_be_tbs || ctx->overflowed)
        return true;
    if (ctx->head_len > 0 && !tbs_may_start_with(ctx->head[0])) {
        /* Not a SEQUENCE in any form: neither a request nor a certificate. */
        ctx->stream_may_be_tbs = false;
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

/* The verdict on everything streamed since the init; 1 sign, 0 refuse. */
static int check_stream(rolecert_sig_ctx *ctx)
{
    if (!ctx->stream_may_be_tbs)
        return 1;
    if (!ctx->overflowed)
        return rolecert_check_tbs(ctx->pc, ctx->buffer, ctx->buffered);
    if (tbs_sniff(ctx->head, ctx->head_len) == TBS_KIND_OTHER)
        return 1;
    ROLECERT_RAISE(&ctx->pc->core, ROLECERT_R_TOO_MANY_NAMES,
                   "to-be-signed data over %zu bytes cannot be checked", SIG_BUFFER_MAX);
    return 0;
}

/* Digest-sign and message-sign stream alike: what goes to the delegate's
 * update is kept while it may be a TBS, and checked before its final
 * makes the signature (a NULL sig only asks for the length). */
static int stream_update(rolecert_sig_ctx *ctx, OSSL_FUNC_signature_digest_sign_update_fn *update,
                         const unsigned char *data, size_t datalen)
{
    return stream_append(ctx, data, datalen) && update(ctx->delegate_ctx, data, datalen);
}

static int stream_final(rolecert_sig_ctx *ctx, OSSL_FUNC_signature_digest_sign_final_fn *final,
                        unsigned char *sig, size_t *siglen, size_t sigsize)
{
    if (sig != NULL && !check_stream(ctx))
        return 0;
    return final(ctx->delegate_ctx, sig, siglen, sigsize);
}

int rolecert_sig_digest_sign_update(void *vctx, const unsigned char *data, size_t datalen)
{
    rolecert_sig_ctx *ctx = vctx;
    return stream_update(ctx, ctx->delegate->digest_sign_update, data, datalen);
}

int rolecert_sig_digest_sign_final(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize)
{
    rolecert_sig_ctx *ctx = vctx;
    return stream_final(ctx, ctx->delegate->digest_sign_final, sig, siglen, sigsize);
}

/* ---- message signing (3.4+): the message is the to-be-signed bytes ---- */

#if ROLECERT_HAVE_MESSAGE_SIGNING
int rolecert_sig_sign_message_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    return sign_init_allowed(ctx, provkey, &key) &&
           ctx->delegate->sign_message_init(ctx->delegate_ctx, key, params);
}

int rolecert_sig_sign_message_update(void *vctx, const unsigned char *data, size_t datalen)
{
    rolecert_sig_ctx *ctx = vctx;
    return stream_update(ctx, ctx->delegate->sign_message_update, data, datalen);
}

int rolecert_sig_sign_message_final(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize)
{
    rolecert_sig_ctx *ctx = vctx;
    return stream_final(ctx, ctx->delegate->sign_message_final, sig, siglen, sigsize);
}

int rolecert_sig_verify_message_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    void *key;
    return delegate_key(ctx, provkey, &key) &&
           ctx->delegate->verify_message_init(ctx->delegate_ctx, key, params);
}

int rolecert_sig_verify_message_update(void *vctx, const unsigned char *data, size_t datalen)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->verify_message_update(ctx->delegate_ctx, data, datalen);
}

int rolecert_sig_verify_message_final(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->verify_message_final(ctx->delegate_ctx);
}
#endif

/* ---- parameters: the delegate's, so ctrl-to-param checks match -------- */

int rolecert_sig_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->get_ctx_params(ctx->delegate_ctx, params);
}

int rolecert_sig_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->set_ctx_params(ctx->delegate_ctx, params);
}

static const OSSL_PARAM *gettable_ctx_params(void *vctx, void *provctx, int slot)
{
    const rolecert_sig_ctx *ctx = vctx;
    const rolecert_provctx *pc = provctx;
    return pc->sig[slot].gettable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL,
                                             pc->sig[slot].provctx);
}

static const OSSL_PARAM *settable_ctx_params(void *vctx, void *provctx, int slot)
{
    const rolecert_sig_ctx *ctx = vctx;
    const rolecert_provctx *pc = provctx;
    return pc->sig[slot].settable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL,
                                             pc->sig[slot].provctx);
}

int rolecert_sig_get_ctx_md_params(void *vctx, OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->get_ctx_md_params(ctx->delegate_ctx, params);
}

const OSSL_PARAM *rolecert_sig_gettable_ctx_md_params(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx == NULL ? NULL : ctx->delegate->gettable_ctx_md_params(ctx->delegate_ctx);
}

int rolecert_sig_set_ctx_md_params(void *vctx, const OSSL_PARAM params[])
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx->delegate->set_ctx_md_params(ctx->delegate_ctx, params);
}

const OSSL_PARAM *rolecert_sig_settable_ctx_md_params(void *vctx)
{
    rolecert_sig_ctx *ctx = vctx;
    return ctx == NULL ? NULL : ctx->delegate->settable_ctx_md_params(ctx->delegate_ctx);
}

/* ---- per-slot entry points ------------------------------------------- */

/* newctx, the (get|set)table lists and query_key_types carry no algorithm
 * of their own: slot N's trampolines say which one they are. */
#if ROLECERT_HAVE_MESSAGE_SIGNING
#define SIG_SLOT_QUERY_KEY_TYPES(hi, lo)                                                           \
    static const char **sig_query_key_types_##hi##_##lo(void)                                      \
    {                                                                                              \
        OSSL_FUNC_signature_query_key_types_fn *fn =                                               \
            (OSSL_FUNC_signature_query_key_types_fn *)rolecert_slot_static_fn(                     \
                ROLECERT_SLOT_SIG, ROLECERT_SLOT_INDEX(hi, lo), 0);                                \
        return fn != NULL ? fn() : NULL;                                                           \
    }
#define SIG_SLOT_ENTRY_QKT(hi, lo) , sig_query_key_types_##hi##_##lo
#else
#define SIG_SLOT_QUERY_KEY_TYPES(hi, lo)
#define SIG_SLOT_ENTRY_QKT(hi, lo)
#endif

#define SIG_SLOT(hi, lo)                                                                           \
    static void *sig_newctx_##hi##_##lo(void *provctx, const char *propq)                          \
    {                                                                                              \
        (void)propq;                                                                               \
        return sig_newctx(provctx, ROLECERT_SLOT_INDEX(hi, lo));                                   \
    }                                                                                              \
    static const OSSL_PARAM *sig_gettable_ctx_params_##hi##_##lo(void *vctx, void *provctx)        \
    {                                                                                              \
        return gettable_ctx_params(vctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                    \
    }                                                                                              \
    static const OSSL_PARAM *sig_settable_ctx_params_##hi##_##lo(void *vctx, void *provctx)        \
    {                                                                                              \
        return settable_ctx_params(vctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                    \
    }                                                                                              \
    SIG_SLOT_QUERY_KEY_TYPES(hi, lo)
ROLECERT_FOR_EACH_SLOT(SIG_SLOT)

#define SIG_SLOT_ENTRY(hi, lo)                                                                     \
    {sig_newctx_##hi##_##lo, sig_gettable_ctx_params_##hi##_##lo,                                  \
     sig_settable_ctx_params_##hi##_##lo SIG_SLOT_ENTRY_QKT(hi, lo)},
const sig_slot_fns rolecert_sig_slot_fns[ROLECERT_SLOTS] = {ROLECERT_FOR_EACH_SLOT(SIG_SLOT_ENTRY)};

rolecert_slot_identity rolecert_sig_identity(const OSSL_ALGORITHM *alg)
{
    rolecert_slot_identity id = {alg->algorithm_names, {NULL, NULL, NULL}};
#if ROLECERT_HAVE_MESSAGE_SIGNING
    for (const OSSL_DISPATCH *d = alg->implementation; d->function_id != 0; d++)
        if (d->function_id == OSSL_FUNC_SIGNATURE_QUERY_KEY_TYPES)
            id.fns[0] = d->function;
#endif
    return id;
}
