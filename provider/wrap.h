/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wrapping one delegate algorithm, for every operation (sig.c, kmgmt.c,
 * digest.c, store.c): each operation says in a table which of the
 * delegate's functions it wraps, where it keeps the delegate's function,
 * and what it offers instead; rolecert_wrap_dispatch walks the delegate's
 * dispatch table once against it. A function the table does not name is
 * not offered, so libcrypto never takes a path we have not wrapped.
 */
#ifndef ROLECERT_PROVIDER_WRAP_H
#define ROLECERT_PROVIDER_WRAP_H

#include "slots.h"

#include <openssl/core.h>

#include <stddef.h>
#include <stdint.h>

/* Most dispatch entries one wrapped algorithm can have (with the end). */
#define ROLECERT_DISPATCH_MAX 40

typedef struct rolecert_wrap_entry {
    int function_id;
    size_t delegate_offset;   /* of the delegate's function, in the operation's fns struct */
    rolecert_generic_fn ours; /* shared by every slot; NULL: the slot's own ... */
    size_t slot_offset;       /* ... at this offset in the operation's per-slot table, or
                                 ROLECERT_WRAP_DELEGATES_OWN */
} rolecert_wrap_entry;

/* `offsetof(T, field)`, and a compile-time check that `value` has the
 * field's function type (an incompatible pointer is an error under
 * -Werror), so a table row cannot pair a function with the wrong slot. */
#define ROLECERT_WRAP_FIELD(T, field, value)                                                       \
    (offsetof(T, field) + 0 * sizeof((T){.field = (value)}))

/* A row whose replacement is `ours`, the same for every slot. */
#define ROLECERT_WRAP(id, T, field, ours)                                                          \
    {                                                                                              \
        (id), ROLECERT_WRAP_FIELD(T, field, ours), (rolecert_generic_fn)(ours), 0                  \
    }
/* A row that offers the delegate's own function: for what needs nothing of
 * ours (a pass-through operation's context is the delegate's own). */
#define ROLECERT_WRAP_DELEGATES_OWN SIZE_MAX
#define ROLECERT_WRAP_OWN(id, T, field)                                                            \
    {                                                                                              \
        (id), offsetof(T, field), NULL, ROLECERT_WRAP_DELEGATES_OWN                                \
    }
/* A row whose replacement is the slot's own trampoline, `field` of the
 * per-slot table type S (a function with no context says nothing of
 * which algorithm it answers for). */
#define ROLECERT_WRAP_PER_SLOT(id, T, S, field)                                                    \
    {                                                                                              \
        (id), ROLECERT_WRAP_FIELD(T, field, (S){0}.field), NULL, offsetof(S, field)                \
    }

/* Load the delegate functions `table` names from `dispatch` into
 * `delegate_fns` (zeroed first, `fns_size` bytes; its leading provctx is
 * set by the caller afterwards) and write our dispatch to `out`, ended
 * by {0, NULL}; returns how many entries precede the end. `slot_fns` is
 * this slot's row of per-slot trampolines. */
size_t rolecert_wrap_dispatch(const rolecert_wrap_entry *table, size_t entries, void *delegate_fns,
                              size_t fns_size, const void *slot_fns, const OSSL_DISPATCH *dispatch,
                              OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX]);

#endif /* ROLECERT_PROVIDER_WRAP_H */
