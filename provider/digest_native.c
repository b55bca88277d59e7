/* SPDX-License-Identifier: Apache-2.0 */
/*
 * See digest_native.h. libcrypto's SHA-2 functions are deprecated as an
 * API (since 3.0, in favour of EVP); they are what the default provider
 * calls for these digests, and this file alone calls them.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "digest_native.h"
#include "delegate.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <string.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(rolecert_native_state) &&
                   sizeof(SHA512_CTX) <= sizeof(rolecert_native_state),
               "rolecert_native_state is too small for libcrypto's SHA-2 state");

/* One digest's functions with the provider's signatures. The state is
 * cleansed, not freed, by freectx: it lives inside rolecert's context. */
#define NATIVE_DIGEST(prefix, ctx_type, size)                                                      \
    static int prefix##_native_init(void *state, const OSSL_PARAM params[])                        \
    {                                                                                              \
        (void)params;                                                                              \
        return prefix##_Init((ctx_type *)state);                                                   \
    }                                                                                              \
    static int prefix##_native_update(void *state, const unsigned char *in, size_t inl)            \
    {                                                                                              \
        return prefix##_Update((ctx_type *)state, in, inl);                                        \
    }                                                                                              \
    static int prefix##_native_final(void *state, unsigned char *out, size_t *outl, size_t outsz)  \
    {                                                                                              \
        if (outsz < (size) || !prefix##_Final(out, (ctx_type *)state))                             \
            return 0;                                                                              \
        *outl = (size);                                                                            \
        return 1;                                                                                  \
    }                                                                                              \
    static void prefix##_native_cleanse(void *state)                                               \
    {                                                                                              \
        OPENSSL_cleanse(state, sizeof(ctx_type));                                                  \
    }                                                                                              \
    static const rolecert_digest_fns prefix##_native = {                                           \
        .init = prefix##_native_init,                                                              \
        .update = prefix##_native_update,                                                          \
        .final = prefix##_native_final,                                                            \
        .freectx = prefix##_native_cleanse,                                                        \
    };

NATIVE_DIGEST(SHA224, SHA256_CTX, SHA224_DIGEST_LENGTH)
NATIVE_DIGEST(SHA256, SHA256_CTX, SHA256_DIGEST_LENGTH)
NATIVE_DIGEST(SHA384, SHA512_CTX, SHA384_DIGEST_LENGTH)
NATIVE_DIGEST(SHA512, SHA512_CTX, SHA512_DIGEST_LENGTH)

/* By one of the default provider's names for each. */
static const struct {
    const char *name;
    const rolecert_digest_fns *fns;
} natives[] = {
    {"SHA2-224", &SHA224_native},
    {"SHA2-256", &SHA256_native},
    {"SHA2-384", &SHA384_native},
    {"SHA2-512", &SHA512_native},
};

/* The same digest from both of a message fed in three pieces (the first
 * crossing a block boundary). */
static bool same_answer(const rolecert_digest_fns *delegate, const rolecert_digest_fns *native)
{
    static const unsigned char message[300] = "rolecert: the delegate's digest and ours must agree";
    static const size_t pieces[] = {131, 0, sizeof(message) - 131};
    unsigned char theirs[EVP_MAX_MD_SIZE], ours[EVP_MAX_MD_SIZE];
    size_t theirs_len = 0, ours_len = 0;
    void *ctx = delegate->newctx(delegate->provctx);
    bool ok = ctx != NULL && delegate->init(ctx, NULL);
    rolecert_native_state state;
    ok = ok && native->init(&state, NULL);
    for (size_t i = 0, at = 0; ok && i < sizeof(pieces) / sizeof(pieces[0]); at += pieces[i++])
        ok = delegate->update(ctx, message + at, pieces[i]) &&
             native->update(&state, message + at, pieces[i]);
    ok = ok && delegate->final(ctx, theirs, &theirs_len, sizeof(theirs)) &&
         native->final(&state, ours, &ours_len, sizeof(ours)) && theirs_len == ours_len &&
         memcmp(theirs, ours, ours_len) == 0;
    native->freectx(&state);
    if (ctx != NULL)
        delegate->freectx(ctx);
    return ok;
}

const rolecert_digest_fns *rolecert_native_digest_for(const char *names, const char *source,
                                                      const rolecert_digest_fns *fns)
{
    /* A context with parameters would be handed our state. */
    if (names == NULL || strcmp(source, ROLECERT_DELEGATE_DEFAULT) != 0 ||
        fns->get_ctx_params != NULL || fns->set_ctx_params != NULL ||
        fns->gettable_ctx_params != NULL || fns->settable_ctx_params != NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(natives) / sizeof(natives[0]); i++)
        if (rolecert_names_contain(names, natives[i].name))
            return same_answer(fns, natives[i].fns) ? natives[i].fns : NULL;
    return NULL;
}
