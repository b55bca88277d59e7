/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prehashed = check: the delegate's hash algorithms, wrapped.
 *
 * Programs that hash a request or certificate themselves and then sign the
 * digest (python3-cryptography with RSA keys, and with EC and DSA keys from
 * 43 on; Ansible's community.crypto, which uses it) fetch their digest
 * through the library's default properties, so with the same
 * `?rolecert.enforce=yes` they get these. Input whose first byte could
 * start a TBS is kept while it still may be one (tbs_may_start_with, then
 * tbs_sniff on the first bytes); at the end, what still sniffs like a
 * request, certificate or CRMF body is remembered with its digest
 * (tbs_memory.h) and walked only if that digest is signed. Everything
 * else costs one branch an update. BER forms that only OpenSSL's decoders
 * read as a TBS (tbs_parse's fallback) are not remembered: the
 * digest-sign path refuses them, a pre-hashed signature over one is
 * signed (docs/provider.md).
 */
#include "digest_native.h"
#include "ops.h"
#include "tbs_memory.h"
#include <rolecert/tbs.h>

#include <stdlib.h>
#include <string.h>

/* Bytes to see before tbs_sniff can tell a TBS from something else. */
#define DIGEST_SNIFF_BYTES 64

typedef enum capture_state {
    CAPTURE_FRESH,     /* nothing hashed since init */
    CAPTURE_PASSING,   /* plainly not a TBS: nothing more is looked at */
    CAPTURE_KEEPING,   /* may still be a TBS: kept */
    CAPTURE_TOO_LARGE, /* started like one but outgrew the cap (or memory): not kept */
} capture_state;

typedef struct rolecert_digest_ctx {
    rolecert_held held; /* first: a thread's spare slot releases it */
    const rolecert_digest_fns *delegate;
    void *delegate_ctx;
    capture_state state;
    /* Meaningful from the update that enters KEEPING on. */
    unsigned char *buffer;
    size_t buffered;
    size_t capacity;
    /* The buffer's length when tbs_sniff last took it for a TBS: at the
     * final, the same bytes need no second sniff. */
    size_t sniffed_len;
    /* A digest rolecert computes itself keeps its state here, and
     * delegate_ctx points to it (digest_native.h). */
    rolecert_native_state native_state;
} rolecert_digest_ctx;

static bool is_native(const rolecert_digest_ctx *ctx)
{
    return ctx->delegate_ctx == &ctx->native_state;
}

static void ctx_release(rolecert_held *held)
{
    rolecert_digest_ctx *ctx = (rolecert_digest_ctx *)held;
    free(ctx->buffer);
    free(ctx);
}

static rolecert_digest_ctx *ctx_alloc(void)
{
    rolecert_digest_ctx *ctx =
        (rolecert_digest_ctx *)rolecert_thread_take(ROLECERT_HELD_DIGEST_CTX);
    if (__builtin_expect(ctx != NULL, 1))
        return ctx;
    ctx = calloc(1, sizeof(*ctx));
    if (ctx != NULL)
        ctx->held.release = ctx_release;
    return ctx;
}

/* The cases rolecert_digest_freectx does not keep inline: the thread's
 * first context, a second one, a big buffer. */
static void ctx_free(rolecert_digest_ctx *ctx)
{
    rolecert_thread_keep(ROLECERT_HELD_DIGEST_CTX, &ctx->held, &ctx->buffer, &ctx->capacity);
}

/* Inlined into each slot's trampoline, which fixes `slot`. */
static inline __attribute__((always_inline)) void *digest_newctx(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    const rolecert_digest_fns *d = &pc->digest[slot];
    rolecert_digest_ctx *ctx = ctx_alloc();
    if (ctx == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "digest context");
        return NULL;
    }
    ctx->state = CAPTURE_FRESH;
    if (d->native != NULL) {
        ctx->delegate = d->native;
        ctx->delegate_ctx = &ctx->native_state;
        return ctx;
    }
    ctx->delegate = d;
    /* Last: only ctx is live across the call. */
    ctx->delegate_ctx = d->newctx(d->provctx);
    if (ctx->delegate_ctx == NULL) {
        ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

void rolecert_digest_freectx(void *vctx)
{
    rolecert_digest_ctx *ctx = vctx;
    if (ctx == NULL)
        return;
    OSSL_FUNC_digest_freectx_fn *delegate_free = ctx->delegate->freectx;
    void *delegate_ctx = ctx->delegate_ctx;
    /* The usual case, kept without a call: a small buffer, a ready slot. */
    if (__builtin_expect(ctx->capacity <= ROLECERT_SPARE_BUFFER_MAX &&
                             rolecert_thread_give_ready(ROLECERT_HELD_DIGEST_CTX, &ctx->held),
                         1)) {
        delegate_free(delegate_ctx);
        return;
    }
    delegate_free(delegate_ctx);
    ctx_free(ctx);
}

void *rolecert_digest_dupctx(void *vctx)
{
    const rolecert_digest_ctx *src = vctx;
    rolecert_digest_ctx *dst = malloc(sizeof(*dst));
    if (dst == NULL)
        return NULL;
    *dst = *src;
    /* TOO_LARGE too: its first bytes decide whether the digest is noted. */
    bool keeps = src->state == CAPTURE_KEEPING || src->state == CAPTURE_TOO_LARGE;
    if (!rolecert_buffer_dup(src->buffer, keeps ? src->buffered : 0, &dst->buffer,
                             &dst->capacity)) {
        free(dst);
        return NULL;
    }
    /* A native state came with the copy. */
    dst->delegate_ctx =
        is_native(src) ? &dst->native_state : src->delegate->dupctx(src->delegate_ctx);
    if (dst->delegate_ctx == NULL) {
        free(dst->buffer);
        free(dst);
        return NULL;
    }
    return dst;
}

int rolecert_digest_init(void *vctx, const OSSL_PARAM params[])
{
    rolecert_digest_ctx *ctx = vctx;
    ctx->state = CAPTURE_FRESH;
    return ctx->delegate->init(ctx->delegate_ctx, params);
}

/* Keeps what may still be a TBS (state KEEPING); out of line, so that
 * the usual update stays a test or two and a jump. */
static __attribute__((noinline)) void capture(rolecert_digest_ctx *ctx, const unsigned char *in,
                                              size_t inl)
{
    /* Whole inputs (the usual case) are judged in place, before a copy. */
    bool whole_sniffed = ctx->buffered == 0 && inl >= DIGEST_SNIFF_BYTES;
    if (whole_sniffed && tbs_sniff(in, inl) == TBS_KIND_OTHER) {
        ctx->state = CAPTURE_PASSING;
        return;
    }
    if (inl > TBS_MEMORY_CAPTURE_MAX - ctx->buffered) {
        ctx->state = CAPTURE_TOO_LARGE; /* the first bytes stay for the sniff */
        return;
    }
    if (ctx->buffered + inl > ctx->capacity && ctx->buffer == NULL)
        ctx->buffer = rolecert_tbs_spare_buffer(inl, &ctx->capacity);
    if (ctx->buffered + inl > ctx->capacity) {
        size_t capacity = ctx->capacity == 0 ? 1024 : ctx->capacity;
        while (capacity < ctx->buffered + inl)
            capacity *= 2;
        unsigned char *grown = realloc(ctx->buffer, capacity);
        if (grown == NULL) {
            /* Hashing goes on; a signature over this digest is refused. */
            ctx->state = CAPTURE_TOO_LARGE;
            return;
        }
        ctx->buffer = grown;
        ctx->capacity = capacity;
    }
    bool sniffed_before = ctx->buffered >= DIGEST_SNIFF_BYTES;
    memcpy(ctx->buffer + ctx->buffered, in, inl);
    ctx->buffered += inl;
    if (whole_sniffed) {
        ctx->sniffed_len = ctx->buffered;
    } else if (!sniffed_before && ctx->buffered >= DIGEST_SNIFF_BYTES) {
        if (tbs_sniff(ctx->buffer, ctx->buffered) == TBS_KIND_OTHER)
            ctx->state = CAPTURE_PASSING;
        else
            ctx->sniffed_len = ctx->buffered;
    }
}

static __attribute__((noinline)) int update_capturing(rolecert_digest_ctx *ctx,
                                                      const unsigned char *in, size_t inl)
{
    capture(ctx, in, inl);
    return ctx->delegate->update(ctx->delegate_ctx, in, inl);
}

/* Entering KEEPING: what is kept starts here. */
static __attribute__((noinline)) int update_capturing_first(rolecert_digest_ctx *ctx,
                                                            const unsigned char *in, size_t inl)
{
    ctx->buffered = 0;
    ctx->sniffed_len = 0;
    return update_capturing(ctx, in, inl);
}

/* Most inputs are ruled out by their first byte: no frame, no call but
 * the delegate's. */
int rolecert_digest_update(void *vctx, const unsigned char *in, size_t inl)
{
    rolecert_digest_ctx *ctx = vctx;
    capture_state state = ctx->state;
    if (state == CAPTURE_FRESH && inl > 0) {
        state = tbs_may_start_with(in[0]) ? CAPTURE_KEEPING : CAPTURE_PASSING;
        ctx->state = state;
        if (state == CAPTURE_KEEPING)
            return update_capturing_first(ctx, in, inl);
    }
    if (__builtin_expect(state == CAPTURE_KEEPING, 0) && inl > 0)
        return update_capturing(ctx, in, inl);
    return ctx->delegate->update(ctx->delegate_ctx, in, inl);
}

/* After the delegate's final: remember what may be signed pre-hashed. */
static void remember(rolecert_digest_ctx *ctx, const unsigned char *digest, size_t digest_len)
{
    capture_state state = ctx->state;
    ctx->state = CAPTURE_PASSING; /* a second final must not remember twice */
    if (state == CAPTURE_TOO_LARGE) {
        if (tbs_sniff(ctx->buffer, ctx->buffered) != TBS_KIND_OTHER)
            rolecert_tbs_remember(digest, digest_len, NULL, 0, 0);
        return;
    }
    if (state != CAPTURE_KEEPING)
        return;
    /* The walk itself waits for the signature (most hashes are never
     * signed); what tbs_sniff does not take for a TBS is not kept. */
    if (ctx->sniffed_len != ctx->buffered &&
        tbs_sniff(ctx->buffer, ctx->buffered) == TBS_KIND_OTHER)
        return;
    unsigned char *kept = ctx->buffer; /* handed over, not copied */
    size_t len = ctx->buffered, capacity = ctx->capacity;
    ctx->buffer = NULL;
    ctx->buffered = ctx->capacity = 0;
    rolecert_tbs_remember(digest, digest_len, kept, len, capacity);
}

static __attribute__((noinline)) int final_remembering(rolecert_digest_ctx *ctx, unsigned char *out,
                                                       size_t *outl, size_t outsz)
{
    if (!ctx->delegate->final(ctx->delegate_ctx, out, outl, outsz))
        return 0;
    remember(ctx, out, *outl);
    return 1;
}

int rolecert_digest_final(void *vctx, unsigned char *out, size_t *outl, size_t outsz)
{
    rolecert_digest_ctx *ctx = vctx;
    if (__builtin_expect(ctx->state >= CAPTURE_KEEPING, 0))
        return final_remembering(ctx, out, outl, outsz);
    return ctx->delegate->final(ctx->delegate_ctx, out, outl, outsz);
}

#ifdef OSSL_FUNC_DIGEST_SQUEEZE
/* An XOF's output is never what RSA, ECDSA or DSA sign: not remembered. */
int rolecert_digest_squeeze(void *vctx, unsigned char *out, size_t *outl, size_t outsz)
{
    rolecert_digest_ctx *ctx = vctx;
    return ctx->delegate->squeeze(ctx->delegate_ctx, out, outl, outsz);
}
#endif

int rolecert_digest_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    rolecert_digest_ctx *ctx = vctx;
    return ctx->delegate->set_ctx_params(ctx->delegate_ctx, params);
}

int rolecert_digest_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    rolecert_digest_ctx *ctx = vctx;
    return ctx->delegate->get_ctx_params(ctx->delegate_ctx, params);
}

static const OSSL_PARAM *gettable_params(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    return pc->digest[slot].gettable_params(pc->digest[slot].provctx);
}

static const OSSL_PARAM *gettable_ctx_params(void *vctx, void *provctx, int slot)
{
    const rolecert_digest_ctx *ctx = vctx;
    const rolecert_provctx *pc = provctx;
    return pc->digest[slot].gettable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL,
                                                pc->digest[slot].provctx);
}

static const OSSL_PARAM *settable_ctx_params(void *vctx, void *provctx, int slot)
{
    const rolecert_digest_ctx *ctx = vctx;
    const rolecert_provctx *pc = provctx;
    return pc->digest[slot].settable_ctx_params(ctx != NULL ? ctx->delegate_ctx : NULL,
                                                pc->digest[slot].provctx);
}

/* ---- per-slot entry points ------------------------------------------- */

/* get_params has no context at all; newctx and the tables only the
 * provider's: slot N's trampolines say which algorithm they are. */
#define DIGEST_SLOT(hi, lo)                                                                        \
    static void *digest_newctx_##hi##_##lo(void *provctx)                                          \
    {                                                                                              \
        return digest_newctx(provctx, ROLECERT_SLOT_INDEX(hi, lo));                                \
    }                                                                                              \
    static int digest_get_params_##hi##_##lo(OSSL_PARAM params[])                                  \
    {                                                                                              \
        OSSL_FUNC_digest_get_params_fn *fn =                                                       \
            (OSSL_FUNC_digest_get_params_fn *)rolecert_slot_static_fn(                             \
                ROLECERT_SLOT_DIGEST, ROLECERT_SLOT_INDEX(hi, lo), 0);                             \
        return fn != NULL ? fn(params) : 0;                                                        \
    }                                                                                              \
    static const OSSL_PARAM *digest_gettable_params_##hi##_##lo(void *provctx)                     \
    {                                                                                              \
        return gettable_params(provctx, ROLECERT_SLOT_INDEX(hi, lo));                              \
    }                                                                                              \
    static const OSSL_PARAM *digest_gettable_ctx_params_##hi##_##lo(void *vctx, void *provctx)     \
    {                                                                                              \
        return gettable_ctx_params(vctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                    \
    }                                                                                              \
    static const OSSL_PARAM *digest_settable_ctx_params_##hi##_##lo(void *vctx, void *provctx)     \
    {                                                                                              \
        return settable_ctx_params(vctx, provctx, ROLECERT_SLOT_INDEX(hi, lo));                    \
    }
ROLECERT_FOR_EACH_SLOT(DIGEST_SLOT)

#define DIGEST_SLOT_ENTRY(hi, lo)                                                                  \
    {digest_newctx_##hi##_##lo, digest_get_params_##hi##_##lo, digest_gettable_params_##hi##_##lo, \
     digest_gettable_ctx_params_##hi##_##lo, digest_settable_ctx_params_##hi##_##lo},
const digest_slot_fns rolecert_digest_slot_fns[ROLECERT_SLOTS] = {
    ROLECERT_FOR_EACH_SLOT(DIGEST_SLOT_ENTRY)};

void rolecert_digest_wrapped(rolecert_provctx *pc, int slot, const OSSL_ALGORITHM *alg,
                             const char *source)
{
    pc->digest[slot].native =
        rolecert_native_digest_for(alg->algorithm_names, source, &pc->digest[slot]);
}

rolecert_slot_identity rolecert_digest_identity(const OSSL_ALGORITHM *alg)
{
    rolecert_slot_identity id = {alg->algorithm_names, {NULL, NULL, NULL}};
    for (const OSSL_DISPATCH *d = alg->implementation; d->function_id != 0; d++)
        if (d->function_id == OSSL_FUNC_DIGEST_GET_PARAMS)
            id.fns[0] = d->function;
    return id;
}
