/* SPDX-License-Identifier: Apache-2.0 */
#include "tbs_memory.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct tbs_entry {
    unsigned char digest[TBS_MEMORY_DIGEST_MAX];
    size_t digest_len;  /* 0: free */
    unsigned char *tbs; /* NULL: looked like a TBS but could not be kept */
    size_t len;
    uint64_t age;
} tbs_entry;

typedef struct tbs_forgotten {
    unsigned char digest[TBS_MEMORY_DIGEST_MAX];
    size_t digest_len;
} tbs_forgotten;

typedef struct tbs_table {
    tbs_entry entries[TBS_MEMORY_ENTRIES];
    uint64_t clock;
    /* Digests of evicted entries (a ring): a signature over one of them is
     * refused rather than waved on as "not a TBS". */
    tbs_forgotten forgotten[TBS_MEMORY_ENTRIES];
    size_t next_forgotten;
} tbs_table;

/* The pointer is thread-local; the key only frees the table when a thread
 * ends (the module is linked -z nodelete, so the destructor stays). */
static ROLECERT_THREAD_LOCAL tbs_table *thread_table;
/* A TBS this thread could not even note (no memory for the table): the
 * next pre-hashed signature without a match is refused, not waved on. */
static ROLECERT_THREAD_LOCAL bool thread_lost_one;
static pthread_key_t table_key;
static pthread_once_t table_key_once = PTHREAD_ONCE_INIT;
static bool table_key_ok;

static void table_free(void *vtable)
{
    tbs_table *table = vtable;
    if (table == NULL)
        return;
    for (size_t i = 0; i < TBS_MEMORY_ENTRIES; i++)
        free(table->entries[i].tbs);
    free(table);
}

static void table_key_create(void)
{
    table_key_ok = pthread_key_create(&table_key, table_free) == 0;
}

static tbs_table *table_get(void)
{
    if (thread_table != NULL)
        return thread_table;
    pthread_once(&table_key_once, table_key_create);
    if (!table_key_ok)
        return NULL;
    tbs_table *table = calloc(1, sizeof(*table));
    if (table == NULL)
        return NULL;
    if (pthread_setspecific(table_key, table) != 0) {
        free(table);
        return NULL;
    }
    thread_table = table;
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

static void entry_clear(tbs_entry *e)
{
    free(e->tbs);
    memset(e, 0, sizeof(*e));
}

void rolecert_tbs_remember(const unsigned char *digest, size_t digest_len, unsigned char *tbs,
                           size_t len)
{
    tbs_table *table = digest_len > 0 && digest_len <= TBS_MEMORY_DIGEST_MAX ? table_get() : NULL;
    if (table == NULL) {
        free(tbs);
        thread_lost_one = true;
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
            thread_lost_one = true;
        memcpy(f->digest, e->digest, e->digest_len);
        f->digest_len = e->digest_len;
    }
    entry_clear(e);
    memcpy(e->digest, digest, digest_len);
    e->digest_len = digest_len;
    e->tbs = tbs;
    e->len = len;
    e->age = ++table->clock;
}

int rolecert_check_prehashed(const rolecert_provctx *pc, const unsigned char *digest,
                             size_t digest_len)
{
    /* No digest was remembered empty (a free entry or note is) or longer
     * than a hash makes. */
    bool may_match = digest_len > 0 && digest_len <= TBS_MEMORY_DIGEST_MAX;
    tbs_table *table = may_match ? thread_table : NULL;
    tbs_entry *e = table != NULL ? find(table, digest, digest_len) : NULL;
    if (e == NULL && table != NULL) {
        /* Oldest note first: one digest pushed out twice keeps its newer
         * note longest (fuzz_tbs_memory's model holds us to that). */
        for (size_t i = 0; i < TBS_MEMORY_ENTRIES; i++) {
            tbs_forgotten *f = &table->forgotten[(table->next_forgotten + i) % TBS_MEMORY_ENTRIES];
            if (f->digest_len != digest_len || memcmp(f->digest, digest, digest_len) != 0)
                continue;
            f->digest_len = 0;
            ROLECERT_RAISE(&pc->core, ROLECERT_R_TOO_MANY_NAMES,
                           "this thread hashed more than %d requests or certificates before "
                           "signing this one, so it was no longer remembered and cannot be "
                           "checked (prehashed = check); sign each right after hashing it",
                           TBS_MEMORY_ENTRIES);
            return 0;
        }
    }
    if (e == NULL) {
        if (!thread_lost_one)
            return 1; /* not the digest of anything shaped like a TBS */
        thread_lost_one = false;
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY,
                       "a request or certificate hashed in this thread could not be remembered "
                       "(out of memory, or over %d were hashed before one was signed), so a "
                       "pre-hashed signature that matches nothing remembered may be over it and "
                       "cannot be checked (prehashed = check); refusing",
                       2 * TBS_MEMORY_ENTRIES);
        return 0;
    }
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
    entry_clear(e); /* nothing is kept after the signature */
    return verdict;
}

void rolecert_tbs_forget_thread(void)
{
    tbs_table *table = thread_table;
    thread_lost_one = false;
    if (table == NULL)
        return;
    thread_table = NULL;
    pthread_setspecific(table_key, NULL);
    table_free(table);
}
