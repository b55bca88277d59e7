/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key-manager wrapper: libcrypto exports a signing key into it (once per
 * EVP_PKEY, cached) so that our signature implementation is usable; the
 * key material itself lives in the default provider's key object inside
 * the private library context.
 */
#ifndef ROLECERT_PROVIDER_KMGMT_H
#define ROLECERT_PROVIDER_KMGMT_H

#include "prov.h"

typedef struct rolecert_key {
    const rolecert_provctx *pc;
    const rolecert_kmgmt_fns *delegate;
    void *delegate_key;
} rolecert_key;

/* The functions without a provider context (import/export types, the
 * operation name) need the delegate's answers: remember them once. */
void rolecert_kmgmt_remember_static(rolecert_key_alg alg, const rolecert_kmgmt_fns *fns);

#endif /* ROLECERT_PROVIDER_KMGMT_H */
