/* SPDX-License-Identifier: Apache-2.0 */
#include "tbs_memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct tbs_entry {
    unsigned char digest[TBS_MEMORY_DIGEST_MAX];
    unsigned char *tbs; /* NULL: looked like a TBS but could not be kept */
    size_t len;
    size_t capacity;
    uint64_t age;
} tbs_entry;

/* The buffer a signed TBS leaves is kept for the next capture up to this
 * size (a request or certificate is one or two KiB): one malloc and one
 * free fewer per pre-hashed signature. */
#define TBS_SPARE_BUFFER_MAX 4096

/* A digest's key: its length (1 to 64) in the top byte, its first seven
 * bytes below; 0 marks a free entry or note (no digest is empty). */
static inline uint64_t key_of(const unsigned char *digest, size_t len)
{
    uint64_t key = 0;
    memcpy(&key, digest, len < 7 ? len : 7);
    return key | (uint64_t)len << 56;
}

static inline size_t key_len(uint64_t key)
{
    return (size_t)(key >> 56);
}

typedef struct tbs_table {
    rolecert_held held; /* first: the thread's slot releases it */
    /* The keys of the entries, and of the digests of evicted entries (a
     * ring: a signature over one of them is refused rather than waved on
     * as "not a TBS"). A lookup reads these two cache lines, and a whole
     * digest only where a key matches: after an ECDSA signature has been
     * through the caches, every line read here costs. */
    _Alignas(64) uint64_t entry_key[TBS_MEMORY_ENTRIES];
    _Alignas(64) uint64_t forgotten_key[TBS_MEMORY_ENTRIES];
    tbs_entry entries[TBS_MEMORY_ENTRIES];
    unsigned char forgotten[TBS_MEMORY_ENTRIES][TBS_MEMORY_DIGEST_MAX];
    uint64_t clock;
    size_t next_forgotten;
    unsigned char *spare_buffer;
    size_t spare_capacity;
} tbs_table;

_Static_assert(TBS_MEMORY_DIGEST_MAX < 256, "a digest's length fits the key's top byte");

static void table_release(rolecert_held *held)
{
    tbs_table *table = (tbs_table *)held;
    for (size_t i = 0; i < TBS_MEMORY_ENTRIES; i++)
        free(table->entries[i].tbs);
    free(table->spare_buffer);
    free(table);
}

static tbs_table *table_get(void)
{
    tbs_table *table = (tbs_table *)rolecert_thread_peek(ROLECERT_HELD_TBS_TABLE);
    if (table != NULL)
        return table;
    table = aligned_alloc(64, sizeof(*table)); /* a multiple of 64: _Alignas above */
    if (table == NULL)
        return NULL;
    memset(table, 0, sizeof(*table));
    table->held.release = table_release;
    if (!rolecert_thread_give(ROLECERT_HELD_TBS_TABLE, &table->held)) {
        free(table);
        return NULL;
    }
    return table;
}

/* The index of the entry remembering `digest` (key `key`), or -1. */
static int find(const tbs_table *table, uint64_t key, const unsigned char *digest)
{
    for (int i = 0; i < TBS_MEMORY_ENTRIES; i++)
        if (table->entry_key[i] == key &&
            memcmp(table->entries[i].digest, digest, key_len(key)) == 0)
            return i;
    return -1;
}

/* The entry is free again; its buffer becomes the spare when there is
 * none and it is small. */
static void entry_clear(tbs_table *table, int i)
{
    tbs_entry *e = &table->entries[i];
    if (table->spare_buffer == NULL && e->tbs != NULL && e->capacity <= TBS_SPARE_BUFFER_MAX) {
        table->spare_buffer = e->tbs;
        table->spare_capacity = e->capacity;
    } else {
        free(e->tbs);
    }
    e->tbs = NULL;
    table->entry_key[i] = 0;
}

unsigned char *rolecert_tbs_spare_buffer(size_t min, size_t *capacity)
{
    tbs_table *table = (tbs_table *)rolecert_thread_peek(ROLECERT_HELD_TBS_TABLE);
    if (table == NULL || table->spare_buffer == NULL || table->spare_capacity < min)
        return NULL;
    unsigned char *buffer = table->spare_buffer;
    *capacity = table->spare_capacity;
    table->spare_buffer = NULL;
    return buffer;
}

void rolecert_tbs_remember(const unsigned char *digest, size_t digest_len, unsigned char *tbs,
                           size_t len, size_t capacity)
{
    tbs_table *table = digest_len > 0 && digest_len <= TBS_MEMORY_DIGEST_MAX ? table_get() : NULL;
    if (table == NULL) {
        free(tbs);
        rolecert_this_thread.lost_one = true;
        return;
    }
    uint64_t key = key_of(digest, digest_len);
    int i = find(table, key, digest);
    for (int j = 0; i < 0 && j < TBS_MEMORY_ENTRIES; j++)
        if (table->entry_key[j] == 0)
            i = j;
    /* Full: the oldest goes, and its digest is noted as forgotten. */
    if (i < 0) {
        i = 0;
        for (int j = 1; j < TBS_MEMORY_ENTRIES; j++)
            if (table->entries[j].age < table->entries[i].age)
                i = j;
        size_t f = table->next_forgotten;
        table->next_forgotten = (f + 1) % TBS_MEMORY_ENTRIES;
        /* A note pushed out unused: that digest is not known at all any
         * more, so the next signature that matches nothing may be it. */
        if (table->forgotten_key[f] != 0)
            rolecert_this_thread.lost_one = true;
        memcpy(table->forgotten[f], table->entries[i].digest, key_len(table->entry_key[i]));
        table->forgotten_key[f] = table->entry_key[i];
    }
    entry_clear(table, i);
    tbs_entry *e = &table->entries[i];
    memcpy(e->digest, digest, digest_len);
    table->entry_key[i] = key;
    e->tbs = tbs;
    e->len = len;
    e->capacity = capacity;
    e->age = ++table->clock;
}

int rolecert_check_prehashed(const rolecert_provctx *pc, const unsigned char *digest,
                             size_t digest_len)
{
    /* No digest was remembered empty (a free entry or note is) or longer
     * than a hash makes. */
    bool may_match = digest_len > 0 && digest_len <= TBS_MEMORY_DIGEST_MAX;
    tbs_table *table =
        may_match ? (tbs_table *)rolecert_thread_peek(ROLECERT_HELD_TBS_TABLE) : NULL;
    uint64_t key = may_match ? key_of(digest, digest_len) : 0;
    int i = table != NULL ? find(table, key, digest) : -1;
    if (i < 0 && table != NULL) {
        /* Oldest note first: one digest pushed out twice keeps its newer
         * note longest (fuzz_tbs_memory's model holds us to that). */
        for (size_t n = 0; n < TBS_MEMORY_ENTRIES; n++) {
            size_t f = (table->next_forgotten + n) % TBS_MEMORY_ENTRIES;
            if (table->forgotten_key[f] != key ||
                memcmp(table->forgotten[f], digest, digest_len) != 0)
                continue;
            table->forgotten_key[f] = 0;
            ROLECERT_RAISE(&pc->core, ROLECERT_R_TOO_MANY_NAMES,
                           "this thread hashed more than %d requests or certificates before "
                           "signing this one, so it was no longer remembered and cannot be "
                           "checked (prehashed = check); sign each right after hashing it",
                           TBS_MEMORY_ENTRIES);
            return 0;
        }
    }
    if (i < 0) {
        if (!rolecert_this_thread.lost_one)
            return 1; /* not the digest of anything shaped like a TBS */
        rolecert_this_thread.lost_one = false;
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY,
                       "a request or certificate hashed in this thread could not be remembered "
                       "(out of memory, or over %d were hashed before one was signed), so a "
                       "pre-hashed signature that matches nothing remembered may be over it and "
                       "cannot be checked (prehashed = check); refusing",
                       2 * TBS_MEMORY_ENTRIES);
        return 0;
    }
    const tbs_entry *e = &table->entries[i];
    int verdict;
    if (e->tbs == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_TOO_MANY_NAMES,
                       "what was hashed to this digest starts like a request or certificate but "
                       "is over %zu bytes (or memory ran out), so it was not kept and cannot be "
                       "checked (prehashed = check); refusing",
                       TBS_MEMORY_CAPTURE_MAX);
        verdict = 0;
    } else {
        verdict = rolecert_check_remembered_tbs(pc, e->tbs, e->len);
    }
    entry_clear(table, i); /* nothing is kept after the signature */
    return verdict;
}

void rolecert_tbs_forget_thread(void)
{
    rolecert_this_thread.lost_one = false;
    rolecert_thread_release(ROLECERT_HELD_TBS_TABLE);
}
