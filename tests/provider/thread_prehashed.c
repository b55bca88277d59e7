/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prehashed = check under threads: THREADS threads (default 8) x 300
 * rounds of hashing and signing interleaved, the way python3-cryptography
 * signs (SHA-256 over the to-be-signed bytes, then EVP_PKEY_sign on the
 * digest), with keys shared between the threads. Round j of thread i does,
 * by (i + j) % 4:
 *   0  hash a good request, sign its digest: signed, and it verifies;
 *   1  hash a bad request, sign its digest: refused, name-policy reason;
 *   2  sign the bad request's digest WITHOUT hashing it in this thread:
 *      signed, although other threads (and the main thread, which hashed
 *      it once at the start) are hashing that very request all the time:
 *      no verdict crosses threads;
 *   3  hash a bad request and a good one, sign only the good one: signed
 *      (the bad one stays remembered, the table evicts it in time), then
 *      sign the bad digest: refused (this thread did hash it).
 * Keys alternate between EC P-256 and, every 8th round, RSA-2048.
 *
 *   OPENSSL_CONF=CONFIG thread_prehashed [THREADS]
 *
 * CONFIG activates rolecert with prehashed = check (ctest generates one:
 * BUILD/tests/provider/prehashed_check.cnf).
 */
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_THREADS 8
#define MAX_THREADS 64
#define ROUNDS 300
/* provider/err.h: a policy violation, or one spelled out in the reason */
#define REASON_POLICY_VIOLATION 1
#define REASON_FINDING_BASE 100
#define REASON_FINDING_SLOTS 64

typedef struct shared {
    EVP_PKEY *ec, *rsa;
    unsigned char *good, *bad; /* request TBS DER */
    size_t good_len, bad_len;
    unsigned char bad_digest[32];
} shared;

typedef struct job {
    const shared *s;
    int index;
    int wrong;
    char first_wrong[256];
} job;

static size_t request_tbs(EVP_PKEY *key, const char *san, unsigned char **der)
{
    X509_REQ *req = X509_REQ_new();
    X509_NAME *name = X509_NAME_new();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, san);
    int len = -1;
    *der = NULL;
    if (req != NULL && name != NULL && exts != NULL && ext != NULL &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   (const unsigned char *)"mail.contoso.com", -1, -1, 0) &&
        X509_REQ_set_version(req, X509_REQ_VERSION_1) && X509_REQ_set_subject_name(req, name) &&
        sk_X509_EXTENSION_push(exts, ext))
        ext = NULL;
    if (ext == NULL && X509_REQ_add_extensions(req, exts) && X509_REQ_set_pubkey(req, key))
        len = i2d_re_X509_REQ_tbs(req, der);
    X509_EXTENSION_free(ext);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(name);
    X509_REQ_free(req);
    return len > 0 ? (size_t)len : 0;
}

static bool hash(const unsigned char *in, size_t len, unsigned char out[32])
{
    unsigned int outl = 0;
    EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    bool ok = sha256 != NULL && EVP_Digest(in, len, out, &outl, sha256, NULL) && outl == 32;
    EVP_MD_free(sha256);
    return ok;
}

/* 1 signed (and verified), 0 refused by the name policy, -1 anything else. */
static int sign_digest(EVP_PKEY *key, const unsigned char digest[32])
{
    unsigned char sig[512];
    size_t siglen = sizeof(sig);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    int result = -1;
    if (ctx != NULL && EVP_PKEY_sign_init(ctx) > 0 &&
        EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0) {
        if (EVP_PKEY_sign(ctx, sig, &siglen, digest, 32) > 0) {
            /* verify_init forgets the digest: RSA needs it again. */
            result = EVP_PKEY_verify_init(ctx) > 0 &&
                             EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0 &&
                             EVP_PKEY_verify(ctx, sig, siglen, digest, 32) > 0
                         ? 1
                         : -1;
        } else {
            unsigned long e = ERR_peek_error();
            const char *lib = ERR_lib_error_string(e);
            int reason = ERR_GET_REASON(e);
            result = lib != NULL && strcmp(lib, "rolecert") == 0 &&
                             (reason == REASON_POLICY_VIOLATION ||
                              (reason >= REASON_FINDING_BASE &&
                               reason < REASON_FINDING_BASE + REASON_FINDING_SLOTS))
                         ? 0
                         : -1;
        }
    }
    if (result < 0 && getenv("THREAD_PREHASHED_DEBUG") != NULL)
        ERR_print_errors_fp(stderr);
    ERR_clear_error();
    EVP_PKEY_CTX_free(ctx);
    return result;
}

static void expect(job *j, int round, const char *what, int got, int want)
{
    if (got == want)
        return;
    if (j->wrong++ == 0)
        snprintf(j->first_wrong, sizeof(j->first_wrong),
                 "thread %d round %d: %s: got %d, expected %d (1 signed, 0 refused, -1 error)",
                 j->index, round, what, got, want);
}

static void *run(void *arg)
{
    job *j = arg;
    const shared *s = j->s;
    unsigned char good[32], bad[32];
    for (int r = 0; r < ROUNDS; r++) {
        EVP_PKEY *key = r % 8 == 7 ? s->rsa : s->ec;
        switch ((j->index + r) % 4) {
        case 0:
            expect(j, r, "good, hashed",
                   hash(s->good, s->good_len, good) ? sign_digest(key, good) : -1, 1);
            break;
        case 1:
            expect(j, r, "bad, hashed", hash(s->bad, s->bad_len, bad) ? sign_digest(key, bad) : -1,
                   0);
            break;
        case 2:
            expect(j, r, "bad, hashed elsewhere", sign_digest(key, s->bad_digest), 1);
            break;
        default:
            if (!hash(s->bad, s->bad_len, bad) || !hash(s->good, s->good_len, good)) {
                expect(j, r, "hashing", -1, 1);
                break;
            }
            expect(j, r, "good after a bad one", sign_digest(key, good), 1);
            expect(j, r, "bad, hashed before a good one", sign_digest(key, bad), 0);
            break;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : DEFAULT_THREADS;
    if (threads < 1 || threads > MAX_THREADS)
        threads = DEFAULT_THREADS;
    if (getenv("OPENSSL_CONF") == NULL) {
        fprintf(stderr, "thread_prehashed: set OPENSSL_CONF to a config with prehashed = check\n");
        return 2;
    }

    shared s = {0};
    s.ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    s.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    if (s.ec == NULL || s.rsa == NULL ||
        (s.good_len = request_tbs(s.ec, "DNS:mail.contoso.com,DNS:contoso.com", &s.good)) == 0 ||
        (s.bad_len = request_tbs(s.ec, "DNS:bad_name.contoso.com", &s.bad)) == 0 ||
        !hash(s.bad, s.bad_len, s.bad_digest)) {
        fprintf(stderr, "thread_prehashed: set-up failed\n");
        ERR_print_errors_fp(stderr);
        return 2;
    }
    /* The set-up means nothing unless the check is in the path here. */
    int main_verdict = sign_digest(s.ec, s.bad_digest);
    if (main_verdict != 0 || !hash(s.bad, s.bad_len, s.bad_digest)) {
        fprintf(stderr,
                "thread_prehashed: a bad name hashed and signed was not refused (%d): "
                "prehashed = check is not in the path\n",
                main_verdict);
        return 2;
    }

    pthread_t tid[MAX_THREADS];
    job jobs[MAX_THREADS];
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job){&s, i, 0, ""};
        if (pthread_create(&tid[i], NULL, run, &jobs[i]) != 0) {
            fprintf(stderr, "thread_prehashed: pthread_create failed\n");
            return 2;
        }
    }
    int wrong = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        if (jobs[i].wrong > 0)
            fprintf(stderr, "%s (%d wrong in that thread)\n", jobs[i].first_wrong, jobs[i].wrong);
        wrong += jobs[i].wrong;
    }
    printf("thread_prehashed: %d threads x %d rounds, %d wrong verdicts\n", threads, ROUNDS, wrong);
    OPENSSL_free(s.good);
    OPENSSL_free(s.bad);
    EVP_PKEY_free(s.ec);
    EVP_PKEY_free(s.rsa);
    return wrong == 0 ? 0 : 1;
}
