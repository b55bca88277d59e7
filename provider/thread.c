/* SPDX-License-Identifier: Apache-2.0 */
#include "thread.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

_Static_assert(ROLECERT_HELD_KINDS == 3, "one ROLECERT_HELD_UNREADY per slot below");
ROLECERT_THREAD_LOCAL rolecert_thread rolecert_this_thread = {
    {ROLECERT_HELD_UNREADY, ROLECERT_HELD_UNREADY, ROLECERT_HELD_UNREADY}, false};

static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static bool thread_key_ok;

static void release_slot(rolecert_thread *t, rolecert_held_kind kind)
{
    rolecert_held *h = t->held[kind];
    if ((uintptr_t)h <= (uintptr_t)ROLECERT_HELD_UNREADY)
        return;
    t->held[kind] = NULL;
    h->release(h);
}

static void release_all(rolecert_thread *t)
{
    for (int kind = 0; kind < ROLECERT_HELD_KINDS; kind++)
        release_slot(t, (rolecert_held_kind)kind);
}

/* The key's value is the thread's own rolecert_this_thread. */
static void thread_ends(void *vthread)
{
    release_all(vthread);
}

static void thread_key_create(void)
{
    thread_key_ok = pthread_key_create(&thread_key, thread_ends) == 0;
}

bool rolecert_thread_ready(void)
{
    rolecert_thread *t = &rolecert_this_thread;
    if (t->held[0] != ROLECERT_HELD_UNREADY)
        return true; /* all slots turn ready together */
    pthread_once(&thread_key_once, thread_key_create);
    if (!thread_key_ok || pthread_setspecific(thread_key, t) != 0)
        return false;
    for (int kind = 0; kind < ROLECERT_HELD_KINDS; kind++)
        t->held[kind] = NULL;
    return true;
}

void rolecert_thread_keep(rolecert_held_kind kind, rolecert_held *h, unsigned char **buffer,
                          size_t *capacity)
{
    if (*capacity > ROLECERT_SPARE_BUFFER_MAX) {
        free(*buffer);
        *buffer = NULL;
        *capacity = 0;
    }
    if (!rolecert_thread_give(kind, h))
        h->release(h);
}

void rolecert_thread_release(rolecert_held_kind kind)
{
    release_slot(&rolecert_this_thread, kind);
}

/* lost_one stays: what it says about this thread's next pre-hashed
 * signature is still true after a teardown (tbs_memory.c). */
void rolecert_thread_release_all(void)
{
    release_all(&rolecert_this_thread);
}
