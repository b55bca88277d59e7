/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a thread keeps between calls into the provider: its table of TBSs
 * hashed and not yet signed (tbs_memory.c), and one freed digest context
 * and one freed signature context for its next newctx. OpenSSL 3.0 makes
 * and frees a digest context for every EVP_Digest and a signature context
 * for every EVP_PKEY_sign; handing the last one back saves a malloc and a
 * free each time (the delegate's own context is still made and freed, so
 * what it held is cleansed as stock cleanses it).
 *
 * Each slot holds one object that knows how to release itself (its
 * rolecert_held header). One pthread key per process releases a thread's
 * objects when it ends (the module is linked -z nodelete, so the
 * destructor stays loaded); the provider's teardown releases the calling
 * thread's. The slots are thread-local with the initial-exec model: a few
 * bytes of glibc's static TLS reserve for dlopen'ed modules, and no
 * __tls_get_addr call on the paths every hash takes.
 */
#ifndef ROLECERT_PROVIDER_THREAD_H
#define ROLECERT_PROVIDER_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROLECERT_THREAD_LOCAL __thread __attribute__((tls_model("initial-exec")))

/* First member of whatever a slot holds. */
typedef struct rolecert_held {
    void (*release)(struct rolecert_held *self);
} rolecert_held;

typedef enum rolecert_held_kind {
    ROLECERT_HELD_TBS_TABLE,
    ROLECERT_HELD_DIGEST_CTX,
    ROLECERT_HELD_SIG_CTX,
    ROLECERT_HELD_KINDS
} rolecert_held_kind;

/* What a held context keeps of its buffer, and the largest buffer a
 * signed TBS leaves for the next capture: a request or certificate is one
 * or two KiB, and more is not kept per thread for nothing. */
#define ROLECERT_SPARE_BUFFER_MAX 4096

/* A slot's value before the thread is registered with the key (or when it
 * could not be): nothing may be held, since nothing would release it. */
#define ROLECERT_HELD_UNREADY ((rolecert_held *)1)

typedef struct rolecert_thread {
    rolecert_held *held[ROLECERT_HELD_KINDS]; /* NULL: empty, may hold */
    /* tbs_memory.c: a TBS this thread could not note (see there). */
    bool lost_one;
} rolecert_thread;

extern ROLECERT_THREAD_LOCAL rolecert_thread rolecert_this_thread;

/* What the slot holds, NULL when nothing (or not ready). */
static inline rolecert_held *rolecert_thread_peek(rolecert_held_kind kind)
{
    rolecert_held *h = rolecert_this_thread.held[kind];
    return (uintptr_t)h > (uintptr_t)ROLECERT_HELD_UNREADY ? h : NULL;
}

/* Takes what the slot holds (NULL when nothing): it is the caller's now. */
static inline rolecert_held *rolecert_thread_take(rolecert_held_kind kind)
{
    rolecert_held *h = rolecert_thread_peek(kind);
    if (h != NULL)
        rolecert_this_thread.held[kind] = NULL;
    return h;
}

/* rolecert_thread_give for the hot path: holds `h` only when the slot is
 * empty and the thread already registered (false otherwise, with no
 * attempt to register: rolecert_thread_keep does that). */
static inline bool rolecert_thread_give_ready(rolecert_held_kind kind, rolecert_held *h)
{
    if (rolecert_this_thread.held[kind] != NULL)
        return false;
    rolecert_this_thread.held[kind] = h;
    return true;
}

/* Out of line: registers the thread with the key (once per thread); false
 * when that failed and nothing may be held. */
bool rolecert_thread_ready(void);

/* Hands `h` to the slot: true when it is held (the slot was empty), false
 * when the caller keeps it. */
static inline bool rolecert_thread_give(rolecert_held_kind kind, rolecert_held *h)
{
    rolecert_held *was = rolecert_this_thread.held[kind];
    if (__builtin_expect(was == ROLECERT_HELD_UNREADY, 0) && rolecert_thread_ready())
        was = rolecert_this_thread.held[kind];
    if (was != NULL)
        return false;
    rolecert_this_thread.held[kind] = h;
    return true;
}

/* Hands a freed context back to its slot for the next newctx, its buffer
 * (*buffer, *capacity bytes) freed first when over
 * ROLECERT_SPARE_BUFFER_MAX; released when the slot is not free. */
void rolecert_thread_keep(rolecert_held_kind kind, rolecert_held *h, unsigned char **buffer,
                          size_t *capacity);

/* Releases what the calling thread holds in one slot, or in all (the
 * provider's teardown; other threads release theirs when they end). */
void rolecert_thread_release(rolecert_held_kind kind);
void rolecert_thread_release_all(void);

#endif /* ROLECERT_PROVIDER_THREAD_H */
