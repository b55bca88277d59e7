/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SHA-2 digests rolecert computes itself (prehashed = check) when the
 * algorithm comes from the built-in default provider: libcrypto's SHA-2
 * functions, the code the default provider runs, on a state that lives
 * in rolecert's own digest context. A hash then makes no allocation of
 * its own (the default provider allocates and frees one per context, and
 * `EVP_Digest` makes a context per call), and its state is cleansed when
 * the context is freed, as the default provider's is.
 */
#ifndef ROLECERT_PROVIDER_DIGEST_NATIVE_H
#define ROLECERT_PROVIDER_DIGEST_NATIVE_H

#include "prov.h"

#include <stdint.h>

/* Room for the state of every digest of the table (SHA512_CTX, 216 bytes
 * on LP64, is the largest; digest_native.c asserts it fits). Opaque here:
 * only digest_native.c uses libcrypto's deprecated SHA-2 API. */
#define ROLECERT_NATIVE_STATE_MAX 256
typedef union rolecert_native_state {
    uint64_t align;
    unsigned char bytes[ROLECERT_NATIVE_STATE_MAX];
} rolecert_native_state;

/* The delegate's digest in `fns`, named `names` (one of them decides)
 * and offered by the provider `source`, as functions with the delegate's
 * signatures over a rolecert_native_state (newctx, dupctx and the
 * parameter functions stay NULL: digest.c places the state itself); NULL
 * when rolecert hashes through the delegate instead. Native only for the
 * built-in default provider's SHA-2, when its context takes no
 * parameters, and only when both give the same digest of a test message
 * fed in pieces. */
const rolecert_digest_fns *rolecert_native_digest_for(const char *names, const char *source,
                                                      const rolecert_digest_fns *fns);

#endif /* ROLECERT_PROVIDER_DIGEST_NATIVE_H */
