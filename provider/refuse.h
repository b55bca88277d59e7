/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What rolecert offers in place of what it cannot check (refuse.c): every
 * entry point refuses, naming why, so nothing is ever signed unchecked.
 */
#ifndef ROLECERT_PROVIDER_REFUSE_H
#define ROLECERT_PROVIDER_REFUSE_H

#include <openssl/core.h>

/* For an algorithm that could not be wrapped (no free slot, or the
 * delegate lacks a function we need): signing with it is refused. */
const OSSL_DISPATCH *rolecert_sig_unwrapped_dispatch(void);
const OSSL_DISPATCH *rolecert_kmgmt_unwrapped_dispatch(void);
const OSSL_DISPATCH *rolecert_digest_unwrapped_dispatch(void);

/* A store whose open refuses with the config error: offered, preferred
 * by rolecert's default_properties, under the scheme of a provider
 * activated beside us, so that its keys cannot load and sign unchecked. */
const OSSL_DISPATCH *rolecert_store_refusing_dispatch(void);

#endif /* ROLECERT_PROVIDER_REFUSE_H */
