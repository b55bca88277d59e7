/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-algorithm entry points without a fixed algorithm list.
 *
 * A provider's dispatch functions carry no algorithm identity: newctx gets
 * only the provider context, import_types and query_operation_name get
 * nothing at all. So every algorithm we wrap needs entry points of its own.
 * They are generated here as ROLECERT_SLOTS numbered trampolines per
 * operation (sig.c, kmgmt.c); at load time each algorithm the delegate
 * offers claims a slot, and the trampoline of slot N forwards to what slot
 * N holds.
 *
 * Slots are claimed in a process-wide registry, keyed by the algorithm's
 * names and the delegate's context-free functions (as pointers), so that two library
 * contexts (or, later, two delegates) that offer the same algorithm share
 * a slot and the context-free trampolines always answer for the right one.
 *
 * An algorithm that finds no free slot is not left to the delegate: it is
 * offered under a refusing implementation (refuse.c), so signing
 * with it fails with a message instead of bypassing the check.
 */
#ifndef ROLECERT_PROVIDER_SLOTS_H
#define ROLECERT_PROVIDER_SLOTS_H

#include <stddef.h>

/* 128 per operation: OpenSSL 3.5's default provider offers 59 signature
 * algorithms. ROLECERT_SLOT_LIMIT (a build option for tests) uses fewer. */
#define ROLECERT_SLOTS 128
#ifndef ROLECERT_SLOT_LIMIT
#define ROLECERT_SLOT_LIMIT ROLECERT_SLOTS
#endif

#define ROLECERT_SLOT_ROW(M, hi)                                                                   \
    M(hi, 0) M(hi, 1) M(hi, 2) M(hi, 3) M(hi, 4) M(hi, 5) M(hi, 6) M(hi, 7)
/* Expands M(hi, lo) for the slots hi * 8 + lo, 0 .. ROLECERT_SLOTS - 1. */
#define ROLECERT_FOR_EACH_SLOT(M)                                                                  \
    ROLECERT_SLOT_ROW(M, 0)                                                                        \
    ROLECERT_SLOT_ROW(M, 1)                                                                        \
    ROLECERT_SLOT_ROW(M, 2)                                                                        \
    ROLECERT_SLOT_ROW(M, 3)                                                                        \
    ROLECERT_SLOT_ROW(M, 4)                                                                        \
    ROLECERT_SLOT_ROW(M, 5)                                                                        \
    ROLECERT_SLOT_ROW(M, 6)                                                                        \
    ROLECERT_SLOT_ROW(M, 7)                                                                        \
    ROLECERT_SLOT_ROW(M, 8)                                                                        \
    ROLECERT_SLOT_ROW(M, 9) ROLECERT_SLOT_ROW(M, 10) ROLECERT_SLOT_ROW(M, 11)                      \
        ROLECERT_SLOT_ROW(M, 12) ROLECERT_SLOT_ROW(M, 13) ROLECERT_SLOT_ROW(M, 14)                 \
            ROLECERT_SLOT_ROW(M, 15)
#define ROLECERT_SLOT_INDEX(hi, lo) ((hi)*8 + (lo))

typedef enum rolecert_slot_kind {
    ROLECERT_SLOT_SIG,
    ROLECERT_SLOT_KMGMT,
    ROLECERT_SLOT_DIGEST,      /* only with prehashed = check (digest.c) */
    ROLECERT_SLOT_ASYM_CIPHER, /* only with a delegate other than default (cipher.c) */
    ROLECERT_SLOT_KINDS
} rolecert_slot_kind;

/* The context-free functions a slot answers with (sig: query_key_types;
 * kmgmt: import_types, export_types, query_operation_name; digest:
 * get_params). */
#define ROLECERT_SLOT_STATIC_FNS 3
typedef void (*rolecert_generic_fn)(void);

typedef struct rolecert_slot_identity {
    const char *names;
    rolecert_generic_fn fns[ROLECERT_SLOT_STATIC_FNS];
} rolecert_slot_identity;

/* The slot for this identity (the same one every time it is asked for), or
 * -1 when all are taken. */
int rolecert_slot_claim(rolecert_slot_kind kind, const rolecert_slot_identity *identity);

/* Context-free function `i` remembered for `slot` (NULL when none). */
rolecert_generic_fn rolecert_slot_static_fn(rolecert_slot_kind kind, int slot, int i);

#endif /* ROLECERT_PROVIDER_SLOTS_H */
