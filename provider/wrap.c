/* SPDX-License-Identifier: Apache-2.0 */
#include "wrap.h"

#include <string.h>

static const rolecert_wrap_entry *wrap_entry(const rolecert_wrap_entry *table, size_t entries,
                                             int function_id)
{
    for (size_t i = 0; i < entries; i++)
        if (table[i].function_id == function_id)
            return &table[i];
    return NULL;
}

size_t rolecert_wrap_dispatch(const rolecert_wrap_entry *table, size_t entries, void *delegate_fns,
                              size_t fns_size, const void *slot_fns, const OSSL_DISPATCH *dispatch,
                              OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX])
{
    memset(delegate_fns, 0, fns_size);
    size_t n = 0;
    for (const OSSL_DISPATCH *d = dispatch; d->function_id != 0; d++) {
        const rolecert_wrap_entry *e = wrap_entry(table, entries, d->function_id);
        if (e == NULL)
            continue;
        /* The fns structs hold typed function pointers; OpenSSL's own
         * OSSL_FUNC_* accessors convert d->function the same way. */
        memcpy((unsigned char *)delegate_fns + e->delegate_offset, &d->function,
               sizeof(d->function));
        rolecert_generic_fn ours = e->ours;
        if (ours == NULL && e->slot_offset == ROLECERT_WRAP_DELEGATES_OWN)
            ours = d->function;
        else if (ours == NULL)
            memcpy(&ours, (const unsigned char *)slot_fns + e->slot_offset, sizeof(ours));
        if (n < ROLECERT_DISPATCH_MAX - 1)
            out[n++] = (OSSL_DISPATCH){d->function_id, ours};
    }
    out[n] = (OSSL_DISPATCH){0, NULL};
    return n;
}
