/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key-manager wrapper: libcrypto exports a signing key into it (once per
 * EVP_PKEY, cached) so that our signature implementation is usable; the
 * key material itself lives in the delegate's key object inside the
 * private library context.
 */
#ifndef ROLECERT_PROVIDER_KMGMT_H
#define ROLECERT_PROVIDER_KMGMT_H

#include "prov.h"

typedef struct rolecert_key {
    const rolecert_provctx *pc;
    /* NULL for a key of a type that could not be wrapped: it imports (so
     * libcrypto does not fall back to the delegate's own signature) but
     * every signature refuses it. */
    const rolecert_kmgmt_fns *delegate;
    void *delegate_key;
    const char *refusal; /* why delegate is NULL, when not for the slots */
    /* Loaded by reference from the delegate's store: its private half
     * stays with the delegate (a token) and is never exported. */
    bool held;
} rolecert_key;

/* The key manager's free, for every rolecert_key (refuse.c's too). */
OSSL_FUNC_keymgmt_free_fn rolecert_key_free;

/* What rolecert's store hands libcrypto instead of the delegate's key
 * reference (store.c): it names our provider context, so that the
 * context-free keymgmt load can find the delegate's key manager. Lives on
 * the store's stack for the duration of one object callback, which is
 * when libcrypto loads it. */
#define ROLECERT_KEY_REF_MAGIC 0x72634b52u
typedef struct rolecert_key_ref {
    unsigned int magic;
    const rolecert_provctx *pc;
    const void *reference;
    size_t reference_size;
} rolecert_key_ref;

#endif /* ROLECERT_PROVIDER_KMGMT_H */
