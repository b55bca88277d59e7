/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prehashed = check's remembered-TBS table (provider/tbs_memory.c) against
 * a reference model: one thread's table, and a second thread's
 * interleaved, driven through remember / check_prehashed / forget_thread
 * operations decoded from the input, while plain arrays re-implement the
 * rules tbs_memory.h and docs/provider.md state: 8 entries, the oldest
 * pushed out first and its digest noted among the last 8 pushed out (a
 * signature over one is refused, and uses the oldest such note up), an
 * entry dropped when its digest is signed, a digest matching only the
 * same bytes of the same length, one lost TBS (no memory, or its note
 * pushed out unused) refusing the next unmatched signature, nothing
 * shared between threads. What each entry must get is
 * computed here by walking its bytes and running the policy directly.
 * Every answer of rolecert's (the verdict, and each error it raises:
 * reason and text, read back from libcrypto's error queue) must be the
 * model's; the first disagreement aborts, naming the operation.
 *
 * Input:
 *   byte 0              number of pool TBSs (its low 7 bits mod 9); the
 *                       top bit puts the policy in audit mode, where every
 *                       pre-hashed signature signs and nothing is raised
 *                       (what is remembered and forgotten is the same)
 *   pool                each: 2-byte big-endian length, then the bytes
 *   operations, until the input ends; each starts with a byte o:
 *     o % 8 < 4         remember: digest byte, TBS byte t (t % 4 < 2: pool
 *                       TBS t / 4; 2: NULL, "over 256 KiB"; 3: inline,
 *                       2-byte length and the bytes follow)
 *     o % 8 < 7         check_prehashed: digest byte
 *     o % 8 == 7        forget_thread
 *                       all in the main thread when o & 8 is clear, else
 *                       in a second one, where o % 8 == 7 ends the thread
 *                       instead (the thread-specific destructor frees its
 *                       table; the next operation there starts another)
 *   digest byte d       digest number d % 16, length by d / 16 (20, 32, 48,
 *                       64, three times each, then 20, 32, 0 and 65, under
 *                       which nothing is kept): numbers 2k and 2k+1 differ
 *                       in the last byte only, and a shorter digest of a
 *                       number is a prefix of a longer one.
 * make-seeds.py writes seeds whose pool holds real good and bad requests
 * and certificates (python3-cryptography's TBS bytes).
 */
#include <openssl/core_dispatch.h>
#include <openssl/err.h>
#include <openssl/provider.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "prov.h"
#include "tbs_memory.h"
#include <rolecert/tbs.h>

#define POOL_MAX 8
#define DIGEST_BYTES (TBS_MEMORY_DIGEST_MAX + 1)
/* libcrypto's per-thread error queue is a ring that keeps this many. */
#define QUEUE_KEEPS (ERR_NUM_ERRORS - 1)

static rolecert_provctx pc;

/* A provider of our own, built in, only to be handed libcrypto's real
 * error functions, so rolecert's errors land on the queue as they do in
 * rolecert.so. */
static int capture_core(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in,
                        const OSSL_DISPATCH **out, void **provctx)
{
    static const OSSL_DISPATCH none[] = {{0, NULL}};
    pc.core.handle = handle;
    for (; in->function_id != 0; in++) {
        if (in->function_id == OSSL_FUNC_CORE_NEW_ERROR)
            pc.core.new_error = OSSL_FUNC_core_new_error(in);
        else if (in->function_id == OSSL_FUNC_CORE_SET_ERROR_DEBUG)
            pc.core.set_error_debug = OSSL_FUNC_core_set_error_debug(in);
        else if (in->function_id == OSSL_FUNC_CORE_VSET_ERROR)
            pc.core.vset_error = OSSL_FUNC_core_vset_error(in);
    }
    *out = none;
    *provctx = NULL;
    return 1;
}

static OSSL_PROVIDER *capturing;
static void teardown(void);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FUZZ_CHECK(OSSL_PROVIDER_add_builtin(NULL, "fuzz-tbs-memory", capture_core) &&
                   (capturing = OSSL_PROVIDER_load(NULL, "fuzz-tbs-memory")) != NULL &&
                   pc.core.new_error != NULL && pc.core.vset_error != NULL,
               "cannot load the error-capturing provider");
    FUZZ_CHECK(atexit(teardown) == 0, "atexit");
    /* One policy, enforcing, at its defaults: `prehashed = check` alone. */
    pc.policies.n = 1;
    policy_config_init(&pc.policies.set[0].policy);
    pc.policies.set[0].mode = ROLECERT_MODE_ENFORCE;
    pc.policies.set[0].report_fd = -1;
    pc.policies.set[0].check_prehashed = true;
    pc.policies.check_prehashed = true;
    return 0;
}

/* ---- the input --------------------------------------------------------- */

typedef struct reader {
    const uint8_t *p, *end;
} reader;

static bool read_byte(reader *r, uint8_t *b)
{
    if (r->p >= r->end)
        return false;
    *b = *r->p++;
    return true;
}

/* A length-prefixed run of bytes, cut short where the input ends. */
static void read_blob(reader *r, const uint8_t **bytes, size_t *len)
{
    uint8_t hi = 0, lo = 0;
    (void)(read_byte(r, &hi) && read_byte(r, &lo));
    size_t want = (size_t)hi << 8 | lo, left = (size_t)(r->end - r->p);
    *len = want < left ? want : left;
    *bytes = r->p;
    r->p += *len;
}

typedef struct digest {
    uint8_t bytes[DIGEST_BYTES];
    size_t len;
    unsigned number;
} digest;

static void read_digest(reader *r, digest *d)
{
    static const size_t lengths[16] = {20, 32, 48, 64, 20, 32, 48, 64,
                                       20, 32, 48, 64, 20, 32, 0,  DIGEST_BYTES};
    uint8_t b = 0;
    (void)read_byte(r, &b);
    d->number = b % 16;
    d->len = lengths[b / 16];
    for (size_t i = 0; i < d->len; i++)
        d->bytes[i] = (uint8_t)((d->number / 2) * 37 + i * 11);
    if (d->len > 0)
        d->bytes[d->len - 1] ^= (uint8_t)(d->number % 2);
}

static bool same_digest(const digest *a, const digest *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* ---- the model ----------------------------------------------------------- */

typedef struct model_entry {
    digest d;
    const uint8_t *tbs; /* into the input; NULL: too large */
    size_t len;
} model_entry;

typedef struct model_note {
    digest d;
    bool used; /* a signature over it was refused already */
} model_note;

/* One thread's table as the rules have it. */
typedef struct model {
    model_entry entries[TBS_MEMORY_ENTRIES]; /* oldest first */
    size_t n;
    model_note pushed_out[TBS_MEMORY_ENTRIES]; /* the last ones, oldest first */
    size_t n_pushed_out;
    bool lost; /* a TBS could not even be noted */
} model;

static void model_remember(model *m, const digest *d, const uint8_t *tbs, size_t len)
{
    if (d->len == 0 || d->len > TBS_MEMORY_DIGEST_MAX) {
        m->lost = true;
        return;
    }
    model_entry e = {*d, tbs, len};
    size_t i = 0;
    while (i < m->n && !same_digest(&m->entries[i].d, d))
        i++;
    if (i == m->n && m->n == TBS_MEMORY_ENTRIES) {
        if (m->n_pushed_out == TBS_MEMORY_ENTRIES) {
            /* An unused note pushed out: that digest is lost. */
            if (!m->pushed_out[0].used)
                m->lost = true;
            memmove(&m->pushed_out[0], &m->pushed_out[1],
                    (TBS_MEMORY_ENTRIES - 1) * sizeof(model_note));
            m->n_pushed_out--;
        }
        m->pushed_out[m->n_pushed_out++] = (model_note){m->entries[0].d, false};
        i = 0;
    }
    /* Hashed again or new: either way the newest. */
    if (i < m->n) {
        memmove(&m->entries[i], &m->entries[i + 1], (m->n - i - 1) * sizeof(e));
        m->n--;
    }
    m->entries[m->n++] = e;
}

/* What rolecert must answer: the verdict and the errors it raises, the
 * last QUEUE_KEEPS of them (the queue keeps no more). */
typedef struct expectation {
    int verdict;
    size_t n_errors;
    uint32_t reason[QUEUE_KEEPS]; /* ROLECERT_R_FINDING_BASE: any finding reason */
    char text[QUEUE_KEEPS][POLICY_MESSAGE_MAX + 64]; /* the start of the error's text */
} expectation;

static void expect_error(expectation *x, uint32_t reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void expect_error(expectation *x, uint32_t reason, const char *fmt, ...)
{
    size_t slot = x->n_errors++ % QUEUE_KEEPS;
    x->reason[slot] = reason;
    va_list args;
    va_start(args, fmt);
    vsnprintf(x->text[slot], sizeof(x->text[slot]), fmt, args);
    va_end(args);
}

static void expect_finding(void *ctx, const policy_finding *f)
{
    if (f->severity == POLICY_SEV_ERROR)
        expect_error(ctx, ROLECERT_R_FINDING_BASE, "error[%s] %s; hint: ", f->rule_id, f->message);
}

/* The walker and the policy, run here on the remembered bytes. */
static void expect_verdict_on(const uint8_t *tbs, size_t len, expectation *x)
{
    static tbs_names names; /* large; the threads take turns */
    tbs_status status = tbs_parse(tbs, len, &names);
    if (status == TBS_NOT_TBS) {
        x->verdict = 1;
        return;
    }
    if (status != TBS_OK) {
        x->verdict = 0;
        expect_error(
            x, status == TBS_TOO_MANY ? ROLECERT_R_TOO_MANY_NAMES : ROLECERT_R_MALFORMED_TBS,
            "%s: %s at byte %zu;", tbs_kind_name(names.kind), names.error, names.error_offset);
        return;
    }
    policy_names view;
    tbs_to_policy_names(&names, &view);
    policy_sink sink = {expect_finding, x};
    policy_result result = policy_check_names(&pc.policies.set[0].policy, &view, &sink);
    x->verdict = result.errors == 0;
}

static void model_check(model *m, const digest *d, expectation *x)
{
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < m->n; i++) {
        if (!same_digest(&m->entries[i].d, d))
            continue;
        model_entry e = m->entries[i];
        memmove(&m->entries[i], &m->entries[i + 1], (m->n - i - 1) * sizeof(e));
        m->n--;
        if (e.tbs != NULL) {
            expect_verdict_on(e.tbs, e.len, x);
        } else {
            x->verdict = 0;
            expect_error(x, ROLECERT_R_TOO_MANY_NAMES,
                         "what was hashed to this digest starts like a request or certificate "
                         "but is over");
        }
        return;
    }
    for (size_t i = 0; i < m->n_pushed_out; i++) {
        model_note *note = &m->pushed_out[i];
        if (note->used || !same_digest(&note->d, d))
            continue;
        note->used = true;
        x->verdict = 0;
        expect_error(x, ROLECERT_R_TOO_MANY_NAMES, "this thread hashed more than %d",
                     TBS_MEMORY_ENTRIES);
        return;
    }
    x->verdict = !m->lost;
    if (m->lost)
        expect_error(x, ROLECERT_R_OUT_OF_MEMORY,
                     "a request or certificate hashed in this thread could not be remembered");
    m->lost = false;
}

/* Audit mode signs everything and raises nothing (findings and what could
 * not be checked go to the report); the table moves as in enforce mode. */
static void model_check_in_mode(model *m, const digest *d, expectation *x)
{
    model_check(m, d, x);
    if (pc.policies.set[0].mode == ROLECERT_MODE_AUDIT) {
        x->verdict = 1;
        x->n_errors = 0;
    }
}

/* ---- rolecert against the model ---------------------------------------- */

static void compare(size_t op, const digest *d, int verdict, const expectation *x)
{
    FUZZ_CHECK(verdict == x->verdict,
               "operation %zu, check_prehashed(digest %u, %zu bytes): rolecert says %s, the "
               "model %s",
               op, d->number, d->len, verdict ? "sign" : "refuse", x->verdict ? "sign" : "refuse");
    size_t n = x->n_errors < QUEUE_KEEPS ? x->n_errors : QUEUE_KEEPS;
    size_t first = x->n_errors - n;
    for (size_t i = 0; i < n; i++) {
        const char *data = NULL;
        int flags = 0;
        unsigned long code = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
        const char *text = data != NULL && (flags & ERR_TXT_STRING) ? data : "";
        size_t slot = (first + i) % QUEUE_KEEPS;
        uint32_t reason = (uint32_t)ERR_GET_REASON(code);
        bool reason_ok = x->reason[slot] == ROLECERT_R_FINDING_BASE
                             ? reason >= ROLECERT_R_FINDING_BASE &&
                                   reason < ROLECERT_R_FINDING_BASE + ROLECERT_FINDING_SLOTS
                             : reason == x->reason[slot];
        FUZZ_CHECK(code != 0 && reason_ok &&
                       strncmp(text, x->text[slot], strlen(x->text[slot])) == 0,
                   "operation %zu, check_prehashed(digest %u, %zu bytes), error %zu of %zu: "
                   "rolecert raised reason %u \"%s\", the model expects reason %u \"%s...\"",
                   op, d->number, d->len, first + i + 1, x->n_errors, reason, text, x->reason[slot],
                   x->text[slot]);
    }
    unsigned long extra = ERR_peek_error_data(NULL, NULL);
    FUZZ_CHECK(extra == 0,
               "operation %zu, check_prehashed(digest %u, %zu bytes): rolecert raised more "
               "errors than the model's %zu",
               op, d->number, d->len, x->n_errors);
}

/* One decoded operation, run in the thread it names. */
typedef struct operation {
    size_t number;
    enum { REMEMBER, CHECK, FORGET } kind;
    digest d;
    const uint8_t *tbs; /* REMEMBER: NULL for "too large" */
    size_t len;
} operation;

static void run(const operation *op, model *m)
{
    static _Thread_local expectation expected; /* large */
    ERR_clear_error();
    if (op->kind == REMEMBER) {
        unsigned char *kept = NULL;
        size_t capacity = 0;
        if (op->tbs != NULL) {
            /* As digest.c captures: into what a signed TBS left, else
             * exactly the bytes (for ASan). */
            kept = rolecert_tbs_spare_buffer(op->len, &capacity);
            if (kept == NULL) {
                capacity = op->len == 0 ? 1 : op->len;
                kept = malloc(capacity);
            }
            FUZZ_CHECK(kept != NULL, "allocation");
            memcpy(kept, op->tbs, op->len);
        }
        rolecert_tbs_remember(op->d.bytes, op->d.len, kept, op->len, capacity);
        model_remember(m, &op->d, op->tbs, op->len);
    } else if (op->kind == CHECK) {
        model_check_in_mode(m, &op->d, &expected);
        int verdict = rolecert_check_prehashed(&pc, op->d.bytes, op->d.len);
        compare(op->number, &op->d, verdict, &expected);
    } else {
        rolecert_tbs_forget_thread();
        memset(m, 0, sizeof(*m));
    }
    ERR_clear_error();
}

/* A second thread, handed one operation at a time: its table and its
 * model are its own, and what it remembers must never answer the main
 * thread's checks (nor the other way round). Ending it frees its table
 * through the thread-specific destructor, as when a program's thread
 * ends (the leak checker sees what that would leave). */
static struct worker {
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    const operation *op; /* to run; NULL when done */
    bool quit;
    model m;
} worker = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

static void *worker_main(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&worker.lock);
    for (;;) {
        while (worker.op == NULL && !worker.quit)
            pthread_cond_wait(&worker.changed, &worker.lock);
        if (worker.quit)
            break;
        run(worker.op, &worker.m);
        worker.op = NULL;
        pthread_cond_broadcast(&worker.changed);
    }
    pthread_mutex_unlock(&worker.lock);
    return NULL;
}

static void worker_run(const operation *op)
{
    if (!worker.running) {
        memset(&worker.m, 0, sizeof(worker.m));
        worker.quit = false;
        FUZZ_CHECK(pthread_create(&worker.thread, NULL, worker_main, NULL) == 0, "pthread_create");
        worker.running = true;
    }
    pthread_mutex_lock(&worker.lock);
    worker.op = op;
    pthread_cond_broadcast(&worker.changed);
    while (worker.op != NULL)
        pthread_cond_wait(&worker.changed, &worker.lock);
    pthread_mutex_unlock(&worker.lock);
}

static void worker_end(void)
{
    if (!worker.running)
        return;
    pthread_mutex_lock(&worker.lock);
    worker.quit = true;
    pthread_cond_broadcast(&worker.changed);
    pthread_mutex_unlock(&worker.lock);
    FUZZ_CHECK(pthread_join(worker.thread, NULL) == 0, "pthread_join");
    worker.running = false;
}

static void teardown(void)
{
    worker_end();
    OSSL_PROVIDER_unload(capturing);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static model main_model;
    reader r = {data, data + size};
    const uint8_t *pool[POOL_MAX];
    size_t pool_len[POOL_MAX];
    uint8_t n_pool = 0;
    (void)read_byte(&r, &n_pool);
    /* Set while the second thread waits: it reads it under worker.lock. */
    pc.policies.set[0].mode = n_pool & 0x80 ? ROLECERT_MODE_AUDIT : ROLECERT_MODE_ENFORCE;
    n_pool = (uint8_t)((n_pool & 0x7f) % (POOL_MAX + 1));
    for (size_t i = 0; i < n_pool; i++)
        read_blob(&r, &pool[i], &pool_len[i]);

    memset(&main_model, 0, sizeof(main_model));
    uint8_t o;
    for (size_t number = 1; read_byte(&r, &o); number++) {
        operation op = {.number = number,
                        .kind = o % 8 < 4   ? REMEMBER
                                : o % 8 < 7 ? CHECK
                                            : FORGET};
        if (op.kind != FORGET)
            read_digest(&r, &op.d);
        uint8_t t = 0;
        if (op.kind == REMEMBER && read_byte(&r, &t) && t % 4 < 2 && n_pool > 0) {
            op.tbs = pool[t / 4 % n_pool];
            op.len = pool_len[t / 4 % n_pool];
        } else if (op.kind == REMEMBER && t % 4 == 3) {
            read_blob(&r, &op.tbs, &op.len);
        }
        if (o / 8 % 2 == 0)
            run(&op, &main_model);
        else if (op.kind == FORGET)
            worker_end();
        else
            worker_run(&op);
    }
    /* The second thread stays for the next input (a thread per input
     * would cost more than the input), its table forgotten like ours. */
    if (worker.running)
        worker_run(&(operation){.kind = FORGET});
    rolecert_tbs_forget_thread();
    return 0;
}
