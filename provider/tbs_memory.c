/* SPDX-License-Identifier: Apache-2.0 */
#include "tbs_memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct tbs_entry {
    unsigned char digest[TBS_MEMORY_DIGEST_MAX];
    size_t digest_len;  /* 0: free */
    unsigned char *tbs; /* NULL: looked like a TBS but could not be kept */
    size_t len;
    size_t capacity;
    uint64_t age;
} tbs_entry;

typedef struct tbs_forgotten {
    unsigned char digest[TBS_MEMORY_DIGEST_MAX];
    size_t digest_len;
} tbs_forgotten;

typedef struct tbs_table {
    rolecert_held held; /* first: the thread's slot releases it */
    tbs_entry entries[TBS_MEMORY_ENTRIES];
    uint64_t clock;
    /* Digests of evicted entries (a ring): a signature over one of them is
     * refused rather than waved on as "not a TBS". */
    tbs_forgotten forgotten[TBS_MEMORY_ENTRIES];
    size_t next_forgotten;
    unsigned char *spare_buffer;
    size_t spare_capacity;
} tbs_table;

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
    table = calloc(1, sizeof(*table));
    if (table == NULL)
        return NULL;
    table->held.release = table_release;
    if (!rolecert_thread_give(ROLECERT_HELD_TBS_TABLE, &table->held)) {
        free(table);
        return NULL;
    }
    return table;
}

static tbs_entry *find(tbs_table *table, const unsigned char *digest, size_t digest_len)
{
    for (size_t i = 0; i < TBS_MEMORY_ENTRIES; i++) {
        tbs_entry *e = &table->entries[i];
        if (e->digest_len == digest_len && memcmp(e->digest, digest, digest_len) == 0)
            return e;
    }
    return NULL;
}

/* The entry is free again; its buffer becomes the spare when there is
 * none and it is small (one malloc and one free fewer per pre-hashed
 * signature). */
static void entry_clear(tbs_table *table, tbs_entry *e)
{
    if (table->spare_buffer == NULL && e->tbs != NULL && e->capacity <= ROLECERT_SPARE_BUFFER_MAX) {
        table->spare_buffer = e->tbs;
        table->spare_capacity = e->capacity;
    } else {
        free(e->tbs);
    }
    e->tbs = NULL;
    e->digest_len = 0;
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
    tbs_entry *e = find(table, digest, digest_len);
    for (size_t i = 0; e == NULL && i < TBS_MEMORY_ENTRIES; i++)
        if (table->entries[i].digest_len == 0)
            e = &table->entries[i];
    /* Full: the oldest goes, and its digest is noted as forgotten. */
    if (e == NULL) {
        e = &table->entries[0];
        for (size_t i = 1; i < TBS_MEMORY_ENTRIES; i++)
            if (table->entries[i].age < e->age)
                e = &table->entries[i];
        tbs_forgotten *f = &table->forgotten[table->next_forgotten];
        table->next_forgotten = (table->next_forgotten + 1) % TBS_MEMORY_ENTRIES;
        /* A note pushed out unused: that digest is not known at all any
         * more, so the next signature that matches nothing may be it. */
        if (f->digest_len != 0)
            rolecert_this_thread.lost_one = true;
        memcpy(f->digest, e->digest, e->digest_len);
        f->digest_len = e->digest_len;
    }
    entry_clear(table, e);
    memcpy(e->digest, digest, digest_len);
    e->digest_len = digest_len;
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
    tbs_entry *e = table != NULL ? find(table, digest, digest_len) : NULL;
    if (e == NULL && table != NULL) {
        /* Oldest note first: one digest pushed out twice keeps its newer
         * note longest (fuzz_tbs_memory's model holds us to that). */
        for (size_t i = 0; i < TBS_MEMORY_ENTRIES; i++) {
            tbs_forgotten *f = &table->forgotten[(table->next_forgotten + i) % TBS_MEMORY_ENTRIES];
            if (f->digest_len != digest_len || memcmp(f->digest, digest, digest_len) != 0)
                continue;
            f->digest_len = 0;
            return ROLECERT_REFUSE_UNCHECKED(
                pc, ROLECERT_R_TOO_MANY_NAMES, "sign each right after hashing it",
                "this thread hashed more than %d requests or certificates before signing this "
                "one, so it was no longer remembered and cannot be checked (prehashed = check)",
                TBS_MEMORY_ENTRIES);
        }
    }
    if (e == NULL) {
        if (!rolecert_this_thread.lost_one)
            return 1; /* not the digest of anything shaped like a TBS */
        rolecert_this_thread.lost_one = false;
        return ROLECERT_REFUSE_UNCHECKED(
            pc, ROLECERT_R_OUT_OF_MEMORY, "refusing",
            "a request or certificate hashed in this thread could not be remembered (out of "
            "memory, or over %d were hashed before one was signed), so a pre-hashed signature "
            "that matches nothing remembered may be over it and cannot be checked (prehashed = "
            "check)",
            2 * TBS_MEMORY_ENTRIES);
    }
    int verdict;
    if (e->tbs == NULL) {
        verdict = ROLECERT_REFUSE_UNCHECKED(
            pc, ROLECERT_R_TOO_MANY_NAMES, "refusing",
            "what was hashed to this digest starts like a request or certificate but is over %zu "
            "bytes (or memory ran out), so it was not kept and cannot be checked (prehashed = "
            "check)",
            TBS_MEMORY_CAPTURE_MAX);
    } else {
        verdict = rolecert_check_remembered_tbs(pc, e->tbs, e->len);
    }
    entry_clear(table, e); /* nothing is kept after the signature */
    return verdict;
}

void rolecert_tbs_teardown_thread(void)
{
    /* Another rolecert in this process (another library context) may
     * still see the signature over what is dropped here: the next
     * unmatched one is refused, as after any TBS that could not be kept. */
    const tbs_table *table = (const tbs_table *)rolecert_thread_peek(ROLECERT_HELD_TBS_TABLE);
    for (size_t i = 0; table != NULL && i < TBS_MEMORY_ENTRIES; i++)
        if (table->entries[i].digest_len != 0)
            rolecert_this_thread.lost_one = true;
    rolecert_thread_release(ROLECERT_HELD_TBS_TABLE);
}

void rolecert_tbs_forget_thread(void)
{
    rolecert_this_thread.lost_one = false;
    rolecert_thread_release(ROLECERT_HELD_TBS_TABLE);
}
