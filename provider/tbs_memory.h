/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prehashed = check: what was hashed, remembered until it is signed.
 *
 * A program that hashes a request or certificate itself and then signs
 * only the digest (EVP_PKEY_sign) shows us the bytes when it hashes them
 * through our digests (digest.c) and the digest when it signs (sig.c).
 * Between the two, the bytes are kept here: per thread (a digest hashed in
 * one thread and signed in another is not recognised, and no verdict ever
 * crosses threads), at most TBS_MEMORY_ENTRIES of them (the oldest goes
 * first), each at most TBS_MEMORY_CAPTURE_MAX bytes, and an entry is
 * dropped as soon as a signature over its digest is made or refused.
 */
#ifndef ROLECERT_PROVIDER_TBS_MEMORY_H
#define ROLECERT_PROVIDER_TBS_MEMORY_H

#include "prov.h"
#include "thread.h"

#include <stdbool.h>
#include <stddef.h>

#define TBS_MEMORY_ENTRIES 8
#define TBS_MEMORY_CAPTURE_MAX ((size_t)256 << 10)
#define TBS_MEMORY_DIGEST_MAX 64

/* Keep `tbs` (malloc'ed, `capacity` bytes; ownership passes here, NULL
 * when the input was over TBS_MEMORY_CAPTURE_MAX and only its start looked
 * like a TBS) under the digest that was computed over it. Never fails the
 * caller: when no memory is left the thread simply remembers nothing new,
 * and a signature over that digest is refused (see
 * rolecert_check_prehashed). */
void rolecert_tbs_remember(const unsigned char *digest, size_t digest_len, unsigned char *tbs,
                           size_t len, size_t capacity);

/* A buffer of at least `min` bytes that a signed TBS left behind, for the
 * next capture (NULL when the thread has none): *capacity is its size. */
unsigned char *rolecert_tbs_spare_buffer(size_t min, size_t *capacity);

/* Called by a pre-hashed signature (EVP_PKEY_sign) over `digest`: the
 * verdict on what this thread hashed to it (1 sign, 0 refuse, errors
 * raised), 1 when it hashed nothing that was shaped like a TBS. */
int rolecert_check_prehashed(const rolecert_provctx *pc, const unsigned char *digest,
                             size_t digest_len);

/* Forget everything the calling thread remembered, and its table
 * (fuzz_tbs_memory, whose model starts over with it). */
void rolecert_tbs_forget_thread(void);

/* The provider's teardown: the calling thread's table is released, and
 * when it still remembered a TBS, the thread's next pre-hashed signature
 * that matches nothing is refused. */
void rolecert_tbs_teardown_thread(void);

#endif /* ROLECERT_PROVIDER_TBS_MEMORY_H */
