/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cost of prehashed = check: with it, rolecert wraps every hash algorithm
 * of its delegate, so every hash a program makes through the default
 * properties goes through it. In one process, a stock library context
 * (default provider only) against one configured with prehashed = check,
 * interleaved round by round:
 *
 *   - SHA-256 throughput at 64, 1,024 and 8,192-byte inputs of zeros,
 *     `openssl speed -evp sha256`'s way (apps/speed.c's EVP_Digest_loop:
 *     one EVP_Digest per input, so a context made and freed each time);
 *     then a harsher way, one EVP_MD_CTX reused with init/update/final
 *     per input, where the hash is all stock pays for; and that with
 *     inputs whose first byte is a SEQUENCE, the one case in which
 *     rolecert keeps bytes (until tbs_sniff rules them out, after 64);
 *   - pre-hashed signing as python3-cryptography does it: SHA-256 over a
 *     request's to-be-signed bytes, then EVP_PKEY_sign on the digest, with
 *     RSA-2048 and ECDSA P-256 (rolecert remembers the TBS, checks it at
 *     the signature).
 *
 *   bench_prehashed MODULE_DIR [--quick | --processes N]
 *
 * Times are the thread's CPU time of short batches (about 0.1 ms of hashing, 20 ECDSA or 4 RSA
 * signatures), stock and rolecert in turn, the order alternating: 1,000 pairs (--quick: 20). A
 * ratio is the median of the pairs' ratios (throughput: rolecert / stock; signing: rolecert /
 * stock time), with the middle half of them beside it. Short batches in alternation keep a
 * preempted or throttled stretch inside one pair instead of one side (30 rounds of 10 ms each,
 * the method before, read P-256 anywhere from 1.00 to 1.07 in one run). What stays is a
 * difference between processes (code and heap placement): the same build reads up to about
 * 1% apart from one run to the next, more than within a run. Exits non-zero only when the
 * set-up is wrong (rolecert's SHA-256 not in the path, or a bad name signed).
 */
#define _DEFAULT_SOURCE /* mkstemp, realpath, setenv */
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NAME "bench_prehashed"
#include "bench_common.h"

#include <sys/wait.h>
#include <unistd.h>

/* CPU time of this thread: on a shared machine, time spent waiting for a
 * core would otherwise land on whichever side happened to be running. */
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* A library context of its own loaded from a config with prehashed = check,
 * as the stock side has one of its own: the process's default context costs
 * more per call whatever is in it (on 3.5, ~220 instructions a pre-hashed
 * signature, resolving NULL to it at each EVP entry point), which only one
 * side would pay. The file is also what OPENSSL_CONF names, as the provider
 * reads its config file again to check for unknown keys; the default
 * context is told not to load it. */
static OSSL_LIB_CTX *guarded_context(const char *module_dir, char *path, size_t path_size)
{
    snprintf(path, path_size, "/tmp/bench_prehashed.XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL)
        die("cannot write the config");
    fprintf(f,
            "openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n"
            "alg_section = algorithm_sect\n[provider_sect]\ndefault = default_sect\n"
            "rolecert = rolecert_sect\n[default_sect]\nactivate = 1\n[algorithm_sect]\n"
            "default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no\n"
            "[rolecert_sect]\nmodule = %s/rolecert.so\nactivate = 1\nprehashed = check\n",
            module_dir);
    fclose(f);
    setenv("OPENSSL_CONF", path, 1);
    OSSL_LIB_CTX *ctx = NULL;
    if (!OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) ||
        (ctx = OSSL_LIB_CTX_new()) == NULL || !OSSL_LIB_CTX_load_config(ctx, path))
        die("loading the prehashed = check config failed");
    return ctx;
}

/* A child process (--child) prints its rows tab-separated for the parent. */
static bool child_mode;

static void print_row(const char *label, const char *unit, double stock, double guarded,
                      double ratio, double q1, double q3)
{
    if (child_mode)
        printf("%s\t%s\t%.6g\t%.6g\t%.6f\t%.6f\t%.6f\n", label, unit, stock, guarded, ratio, q1,
               q3);
    else
        printf("%-37s stock %8.1f %-6s rolecert %8.1f %-6s ratio %.3f (middle half %.3f-%.3f)\n",
               label, stock, unit, guarded, unit, ratio, q1, q3);
}

typedef enum hash_style {
    HASH_SPEED,     /* EVP_Digest per input, as `openssl speed -evp` */
    HASH_REUSED_CTX /* one EVP_MD_CTX, init/update/final per input */
} hash_style;

static double time_hash(hash_style style, EVP_MD_CTX *mctx, const EVP_MD *md,
                        const unsigned char *in, size_t len, int n)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int outl;
    double start = now_us();
    for (int i = 0; i < n; i++) {
        int ok = style == HASH_SPEED
                     ? EVP_Digest(in, len, out, NULL, md, NULL)
                     : EVP_DigestInit_ex(mctx, md, NULL) && EVP_DigestUpdate(mctx, in, len) &&
                           EVP_DigestFinal_ex(mctx, out, &outl);
        if (!ok)
            die("hashing failed");
    }
    return now_us() - start;
}

typedef struct hash_job {
    hash_style style;
    EVP_MD_CTX *sctx, *gctx;
    const EVP_MD *smd, *gmd;
    const unsigned char *in;
    size_t len;
    int batch;
} hash_job;

static double hash_pair(const void *vjob, bool guarded)
{
    const hash_job *j = vjob;
    return guarded ? time_hash(j->style, j->gctx, j->gmd, j->in, j->len, j->batch)
                   : time_hash(j->style, j->sctx, j->smd, j->in, j->len, j->batch);
}

static void bench_hash(OSSL_LIB_CTX *stock, OSSL_LIB_CTX *guarded, hash_style style, size_t len,
                       bool sequence, int pairs)
{
    unsigned char *in = calloc(1, len);
    if (in == NULL)
        die("out of memory");
    if (sequence) { /* a SEQUENCE header, then zeros: not a TBS */
        in[0] = 0x30;
        in[1] = 0x82;
        in[2] = (unsigned char)((len - 4) >> 8);
        in[3] = (unsigned char)(len - 4);
    }
    EVP_MD *smd = EVP_MD_fetch(stock, "SHA256", NULL);
    EVP_MD *gmd = EVP_MD_fetch(guarded, "SHA256", NULL);
    EVP_MD_CTX *sctx = EVP_MD_CTX_new(), *gctx = EVP_MD_CTX_new();
    if (smd == NULL || gmd == NULL || sctx == NULL || gctx == NULL)
        die("fetching SHA256 failed");
    /* About 0.1 ms of hashing a batch. */
    int batch = (int)((64u << 10) / len);
    pair_stats st =
        run_pairs(pairs, hash_pair, &(hash_job){style, sctx, gctx, smd, gmd, in, len, batch});
    char label[64];
    snprintf(label, sizeof(label), "SHA-256 %5zu B %-8s %s", len, sequence ? "SEQUENCE" : "zeros",
             style == HASH_SPEED ? "speed" : "reused ctx");
    print_row(label, "MB/s", (double)len * batch / st.stock, (double)len * batch / st.guarded,
              1 / st.ratio, 1 / st.ratio_q3, 1 / st.ratio_q1);
    EVP_MD_CTX_free(sctx);
    EVP_MD_CTX_free(gctx);
    EVP_MD_free(smd);
    EVP_MD_free(gmd);
    free(in);
}

/* A request's to-be-signed DER, as a program that hashes it itself has it. */
static size_t request_tbs(OSSL_LIB_CTX *ctx, EVP_PKEY *key, const char *san, unsigned char **der)
{
    X509_REQ *req = X509_REQ_new_ex(ctx, NULL);
    X509_NAME *name = X509_NAME_new();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, san);
    if (req == NULL || name == NULL || exts == NULL || ext == NULL ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    (const unsigned char *)"mail.contoso.com", -1, -1, 0) ||
        !X509_REQ_set_subject_name(req, name) || !sk_X509_EXTENSION_push(exts, ext) ||
        !X509_REQ_add_extensions(req, exts) || !X509_REQ_set_pubkey(req, key))
        die("building the request failed");
    *der = NULL;
    int len = i2d_re_X509_REQ_tbs(req, der);
    if (len <= 0)
        die("encoding the request failed");
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(name);
    X509_REQ_free(req);
    return (size_t)len;
}

/* Hash the TBS, sign the digest: 1 signed, 0 refused. */
static int sign_prehashed(OSSL_LIB_CTX *ctx, EVP_PKEY *key, const unsigned char *tbs, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE], sig[512];
    unsigned int mdlen;
    size_t siglen = sizeof(sig);
    EVP_MD *sha256 = EVP_MD_fetch(ctx, "SHA256", NULL);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(ctx, key, NULL);
    int ok = sha256 != NULL && pctx != NULL && EVP_Digest(tbs, len, md, &mdlen, sha256, NULL) &&
             EVP_PKEY_sign_init(pctx) > 0 && EVP_PKEY_CTX_set_signature_md(pctx, sha256) > 0 &&
             EVP_PKEY_sign(pctx, sig, &siglen, md, mdlen) > 0;
    EVP_PKEY_CTX_free(pctx);
    EVP_MD_free(sha256);
    return ok;
}

static double time_sign(OSSL_LIB_CTX *ctx, EVP_PKEY *key, const unsigned char *tbs, size_t len,
                        int n)
{
    double start = now_us();
    for (int i = 0; i < n; i++)
        if (!sign_prehashed(ctx, key, tbs, len))
            die("signing a good request pre-hashed failed");
    return (now_us() - start) / n;
}

typedef struct sign_job {
    OSSL_LIB_CTX *stock, *guarded;
    EVP_PKEY *skey, *gkey;
    const unsigned char *stbs, *gtbs;
    size_t slen, glen;
    int batch;
} sign_job;

static double sign_pair(const void *vjob, bool guarded)
{
    const sign_job *j = vjob;
    return guarded ? time_sign(j->guarded, j->gkey, j->gtbs, j->glen, j->batch)
                   : time_sign(j->stock, j->skey, j->stbs, j->slen, j->batch);
}

static void bench_sign(OSSL_LIB_CTX *stock, OSSL_LIB_CTX *guarded, const char *label,
                       const char *type, const char *param, int per_batch, int pairs)
{
    EVP_PKEY *skey = strcmp(type, "RSA") == 0 ? EVP_PKEY_Q_keygen(stock, NULL, type, (size_t)2048)
                                              : EVP_PKEY_Q_keygen(stock, NULL, type, param);
    if (skey == NULL)
        die("key generation failed");
    /* One key, so the two sides sign the same bytes alike: two keys made
     * ECDSA alone differ by about 1% (bench_sign saw the same). */
    EVP_PKEY *gkey = copy_key(skey, guarded);
    unsigned char *stbs, *gtbs, *bad;
    size_t slen = request_tbs(stock, skey, "DNS:mail.contoso.com,DNS:contoso.com", &stbs);
    size_t glen = request_tbs(guarded, gkey, "DNS:mail.contoso.com,DNS:contoso.com", &gtbs);
    size_t badlen = request_tbs(guarded, gkey, "DNS:bad_name.contoso.com", &bad);
    /* Meaningless unless rolecert checks the pre-hashed path. */
    if (sign_prehashed(guarded, gkey, bad, badlen))
        die("a bad name was signed pre-hashed: prehashed = check is not in the path");
    ERR_clear_error();
    sign_job job = {stock, guarded, skey, gkey, stbs, gtbs, slen, glen, per_batch};
    pair_stats st = run_pairs(pairs, sign_pair, &job);
    char row[64];
    snprintf(row, sizeof(row), "pre-hashed %s", label);
    print_row(row, "us/sig", st.stock, st.guarded, st.ratio, st.ratio_q1, st.ratio_q3);
    OPENSSL_free(stbs);
    OPENSSL_free(gtbs);
    OPENSSL_free(bad);
    EVP_PKEY_free(skey);
    EVP_PKEY_free(gkey);
}

/* ---- several processes ------------------------------------------------
 *
 * Within one process the pairs agree to a few parts in a thousand, but
 * from one process to the next the same build reads differently (64-byte
 * SHA-256 anywhere from 0.94 to 0.99 on 3.0): where the code and the heap
 * land. So by default the measurement runs in several fresh processes, one
 * after another, and each row reports the median over them, with their
 * lowest and highest. */

#define PROCESSES_MAX 16
#define ROWS_MAX 16

typedef struct gathered_row {
    char label[64], unit[16];
    double stock[PROCESSES_MAX], guarded[PROCESSES_MAX], ratio[PROCESSES_MAX];
    int n;
} gathered_row;

static gathered_row rows[ROWS_MAX];
static int n_rows;

static void gather_line(char *line)
{
    char *field[7];
    int n = 0;
    for (char *save = NULL, *f = strtok_r(line, "\t\n", &save); f != NULL && n < 7;
         f = strtok_r(NULL, "\t\n", &save))
        field[n++] = f;
    if (n != 7)
        die("a child printed a line that is not a row");
    gathered_row *r = NULL;
    for (int i = 0; i < n_rows && r == NULL; i++)
        if (strcmp(rows[i].label, field[0]) == 0)
            r = &rows[i];
    if (r == NULL) {
        if (n_rows == ROWS_MAX)
            die("too many rows");
        r = &rows[n_rows++];
        snprintf(r->label, sizeof(r->label), "%s", field[0]);
        snprintf(r->unit, sizeof(r->unit), "%s", field[1]);
    }
    r->stock[r->n] = strtod(field[2], NULL);
    r->guarded[r->n] = strtod(field[3], NULL);
    r->ratio[r->n] = strtod(field[4], NULL);
    r->n++;
}

static void run_child(const char *module_dir)
{
    int fds[2];
    if (pipe(fds) != 0)
        die("pipe failed");
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork failed");
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        /* exec, not just fork: a fresh process gets a fresh layout. */
        execl("/proc/self/exe", "bench_prehashed", module_dir, "--child", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *from = fdopen(fds[0], "r");
    char line[256];
    while (from != NULL && fgets(line, sizeof(line), from) != NULL)
        gather_line(line);
    if (from != NULL)
        fclose(from);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("a measuring process failed");
}

static void print_gathered(int processes)
{
    printf("median of %d processes (in brackets: the lowest and highest process)\n", processes);
    for (int i = 0; i < n_rows; i++) {
        gathered_row *r = &rows[i];
        if (r->n != processes)
            die("a row is missing from a process");
        double stock = median(r->stock, r->n), guarded = median(r->guarded, r->n);
        double ratio = median(r->ratio, r->n); /* sorts: [0] and [n-1] are the extremes */
        printf("%-37s stock %8.1f %-6s rolecert %8.1f %-6s ratio %.3f (%.3f-%.3f)\n", r->label,
               stock, r->unit, guarded, r->unit, ratio, r->ratio[0], r->ratio[r->n - 1]);
    }
}

static void measure(const char *module_dir_arg, bool quick)
{
    int pairs = quick ? 20 : 1000;
    char path[64], *module_dir = realpath(module_dir_arg, NULL); /* the config needs it absolute */
    if (module_dir == NULL)
        die("no such module directory");
    OSSL_LIB_CTX *guarded = guarded_context(module_dir, path, sizeof(path));
    free(module_dir);
    OSSL_LIB_CTX *stock = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *stock_default = stock != NULL ? OSSL_PROVIDER_load(stock, "default") : NULL;
    if (stock_default == NULL)
        die("loading the default provider failed");
    EVP_MD *probe = EVP_MD_fetch(guarded, "SHA256", NULL);
    const char *owner = probe != NULL ? OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(probe)) : "";
    if (strcmp(owner, "rolecert") != 0)
        die("SHA256 in the prehashed = check context is not rolecert's");
    EVP_MD_free(probe);

    static const size_t sizes[] = {64, 1024, 8192};
    static const struct {
        hash_style style;
        bool sequence;
    } ways[] = {{HASH_SPEED, false}, {HASH_REUSED_CTX, false}, {HASH_REUSED_CTX, true}};
    for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++)
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            bench_hash(stock, guarded, ways[w].style, sizes[i], ways[w].sequence, pairs);
    bench_sign(stock, guarded, "RSA-2048", "RSA", NULL, 4, pairs);
    bench_sign(stock, guarded, "ECDSA P-256", "EC", "P-256", 20, pairs);

    OSSL_PROVIDER_unload(stock_default);
    OSSL_LIB_CTX_free(stock);
    OSSL_LIB_CTX_free(guarded);
    unlink(path);
}

int main(int argc, char **argv)
{
    const char *usage = "usage: bench_prehashed MODULE_DIR [--quick | --processes N]\n";
    if (argc < 2 || argc > 4) {
        fputs(usage, stderr);
        return 2;
    }
    bool quick = false;
    int processes = 5;
    if (argc == 3 && strcmp(argv[2], "--quick") == 0) {
        quick = true;
        processes = 1;
    } else if (argc == 3 && strcmp(argv[2], "--child") == 0) {
        child_mode = true;
        processes = 1;
    } else if (argc == 4 && strcmp(argv[2], "--processes") == 0) {
        processes = atoi(argv[3]);
        if (processes < 1 || processes > PROCESSES_MAX) {
            fprintf(stderr, "bench_prehashed: --processes takes 1 to %d\n", PROCESSES_MAX);
            return 2;
        }
    } else if (argc != 2) {
        fputs(usage, stderr);
        return 2;
    }
    if (processes == 1) {
        measure(argv[1], quick);
        return 0;
    }
    for (int i = 0; i < processes; i++)
        run_child(argv[1]);
    print_gathered(processes);
    return 0;
}
