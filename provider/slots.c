/* SPDX-License-Identifier: Apache-2.0 */
#include "slots.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

typedef struct slot_entry {
    const char *names; /* NULL: free */
    rolecert_generic_fn fns[ROLECERT_SLOT_STATIC_FNS];
} slot_entry;

/* Entries are written once, under the lock, before the slot's algorithm is
 * handed to libcrypto; afterwards they are only read. An identity is
 * compared by its pointers, never dereferenced: a delegate module that was
 * unloaded and loaded again elsewhere simply claims new slots. Nothing is
 * allocated, so nothing outlives the library. */
static slot_entry registry[ROLECERT_SLOT_KINDS][ROLECERT_SLOTS];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static bool same_identity(const slot_entry *e, const rolecert_slot_identity *id)
{
    if (e->names != id->names)
        return false;
    for (int i = 0; i < ROLECERT_SLOT_STATIC_FNS; i++)
        if (e->fns[i] != id->fns[i])
            return false;
    return true;
}

int rolecert_slot_claim(rolecert_slot_kind kind, const rolecert_slot_identity *identity)
{
    int found = -1;
    pthread_mutex_lock(&registry_lock);
    slot_entry *entries = registry[kind];
    for (int i = 0; i < ROLECERT_SLOT_LIMIT && found < 0; i++) {
        if (entries[i].names == NULL) {
            entries[i].names = identity->names;
            memcpy(entries[i].fns, identity->fns, sizeof(entries[i].fns));
            found = i;
        } else if (same_identity(&entries[i], identity)) {
            found = i;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return found;
}

rolecert_generic_fn rolecert_slot_static_fn(rolecert_slot_kind kind, int slot, int i)
{
    return registry[kind][slot].fns[i];
}
