/* SPDX-License-Identifier: Apache-2.0 */
#include "store.h"
#include "kmgmt.h"
#include "ops.h"
#include "prov.h"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <stdlib.h>
#include <string.h>

/* An object callback has a handful of parameters (type, data type,
 * reference or data, description). */
#define STORE_OBJECT_PARAMS_MAX 32

typedef struct store_ctx {
    const rolecert_provctx *pc;
    const rolecert_store_fns *delegate;
    void *delegate_ctx;
} store_ctx;

static void *store_wrap_ctx(const rolecert_provctx *pc, int slot, void *delegate_ctx)
{
    if (delegate_ctx == NULL)
        return NULL;
    store_ctx *ctx = malloc(sizeof(*ctx));
    if (ctx == NULL) {
        pc->store[slot].close(delegate_ctx);
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "store context");
        return NULL;
    }
    *ctx = (store_ctx){pc, &pc->store[slot], delegate_ctx};
    return ctx;
}

static void *store_open(void *provctx, const char *uri, int slot)
{
    const rolecert_provctx *pc = provctx;
    return store_wrap_ctx(pc, slot, pc->store[slot].open(pc->delegate.provctx, uri));
}

static void *store_attach(void *provctx, OSSL_CORE_BIO *in, int slot)
{
    const rolecert_provctx *pc = provctx;
    return store_wrap_ctx(pc, slot, pc->store[slot].attach(pc->delegate.provctx, in));
}

static const OSSL_PARAM *store_settable_ctx_params(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    return pc->store[slot].settable_ctx_params(pc->delegate.provctx);
}

#ifdef OSSL_FUNC_STORE_OPEN_EX
static void *store_open_ex(void *provctx, const char *uri, const OSSL_PARAM params[],
                           OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg, int slot)
{
    const rolecert_provctx *pc = provctx;
    return store_wrap_ctx(
        pc, slot, pc->store[slot].open_ex(pc->delegate.provctx, uri, params, pw_cb, pw_cbarg));
}
#endif

int rolecert_store_set_ctx_params(void *loaderctx, const OSSL_PARAM params[])
{
    store_ctx *ctx = loaderctx;
    return ctx->delegate->set_ctx_params(ctx->delegate_ctx, params);
}

typedef struct load_arg {
    const store_ctx *ctx;
    OSSL_CALLBACK *object_cb;
    void *object_cbarg;
} load_arg;

/* A key handed over by reference becomes a reference to rolecert's key
 * manager (kmgmt.c: key_load), so the key is ours and signs through us.
 * Everything else (certificates, public keys as data) passes as it is. */
static int load_object(const OSSL_PARAM params[], void *arg)
{
    const load_arg *a = arg;
    const OSSL_PARAM *ref = OSSL_PARAM_locate_const(params, OSSL_OBJECT_PARAM_REFERENCE);
    if (ref == NULL)
        return a->object_cb(params, a->object_cbarg);
    OSSL_PARAM ours[STORE_OBJECT_PARAMS_MAX];
    size_t n = 0;
    while (params[n].key != NULL) {
        if (n + 1 >= STORE_OBJECT_PARAMS_MAX) {
            ROLECERT_RAISE(&a->ctx->pc->core, ROLECERT_R_NOT_SUPPORTED,
                           "the %s provider's store object has over %d parameters",
                           a->ctx->pc->delegate.name, STORE_OBJECT_PARAMS_MAX);
            return 0;
        }
        ours[n] = params[n];
        n++;
    }
    ours[n] = params[n];
    rolecert_key_ref key_ref = {ROLECERT_KEY_REF_MAGIC, a->ctx->pc, ref->data, ref->data_size};
    ours[ref - params] =
        OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, &key_ref, sizeof(key_ref));
    return a->object_cb(ours, a->object_cbarg);
}

int rolecert_store_load(void *loaderctx, OSSL_CALLBACK *object_cb, void *object_cbarg,
                        OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
    store_ctx *ctx = loaderctx;
    load_arg arg = {ctx, object_cb, object_cbarg};
    return ctx->delegate->load(ctx->delegate_ctx, load_object, &arg, pw_cb, pw_cbarg);
}

int rolecert_store_eof(void *loaderctx)
{
    store_ctx *ctx = loaderctx;
    return ctx->delegate->eof(ctx->delegate_ctx);
}

int rolecert_store_close(void *loaderctx)
{
    store_ctx *ctx = loaderctx;
    if (ctx == NULL)
        return 1;
    int ret = ctx->delegate->close(ctx->delegate_ctx);
    free(ctx);
    return ret;
}

/* libcrypto asks for an export when it picked another key manager than
 * ours: the reference is ours, the delegate gets its own back. */
int rolecert_store_export_object(void *loaderctx, const void *reference, size_t reference_sz,
                                 OSSL_CALLBACK *export_cb, void *export_cbarg)
{
    store_ctx *ctx = loaderctx;
    const rolecert_key_ref *ref = reference;
    if (reference_sz != sizeof(*ref) || ref->magic != ROLECERT_KEY_REF_MAGIC || ref->pc != ctx->pc)
        return 0;
    return ctx->delegate->export_object(ctx->delegate_ctx, ref->reference, ref->reference_size,
                                        export_cb, export_cbarg);
}

#ifdef OSSL_FUNC_STORE_OPEN_EX
#define STORE_SLOT_OPEN_EX(i)                                                                      \
    static void *store_open_ex_##i(void *provctx, const char *uri, const OSSL_PARAM params[],      \
                                   OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)                \
    {                                                                                              \
        return store_open_ex(provctx, uri, params, pw_cb, pw_cbarg, i);                            \
    }
#define STORE_SLOT_ENTRY_OPEN_EX(i) , store_open_ex_##i
#else
#define STORE_SLOT_OPEN_EX(i)
#define STORE_SLOT_ENTRY_OPEN_EX(i)
#endif

/* open, attach and settable_ctx_params get only the provider context. */
#define STORE_SLOT(i)                                                                              \
    static void *store_open_##i(void *provctx, const char *uri)                                    \
    {                                                                                              \
        return store_open(provctx, uri, i);                                                        \
    }                                                                                              \
    static void *store_attach_##i(void *provctx, OSSL_CORE_BIO *in)                                \
    {                                                                                              \
        return store_attach(provctx, in, i);                                                       \
    }                                                                                              \
    static const OSSL_PARAM *store_settable_ctx_params_##i(void *provctx)                          \
    {                                                                                              \
        return store_settable_ctx_params(provctx, i);                                              \
    }                                                                                              \
    STORE_SLOT_OPEN_EX(i)
STORE_SLOT(0)
STORE_SLOT(1)
STORE_SLOT(2)
STORE_SLOT(3)

#define STORE_SLOT_ENTRY(i)                                                                        \
    {                                                                                              \
        store_open_##i, store_attach_##i,                                                          \
            store_settable_ctx_params_##i STORE_SLOT_ENTRY_OPEN_EX(i)                              \
    }
const store_slot_fns rolecert_store_slot_fns[ROLECERT_STORE_SLOTS] = {
    STORE_SLOT_ENTRY(0), STORE_SLOT_ENTRY(1), STORE_SLOT_ENTRY(2), STORE_SLOT_ENTRY(3)};
