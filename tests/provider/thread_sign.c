/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Concurrent signing through the provider: 8 threads (or THREADS) x 500 signatures of
 * CSRs, good and bad interleaved, EC and Ed25519 keys shared between the
 * threads. Every verdict must be right: good ones sign and verify, bad
 * ones are refused with the policy's reason.
 *
 *   thread_sign MODULE_DIR [THREADS]
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_THREADS 8
#define MAX_THREADS 64
#define SIGNATURES_PER_THREAD 500

typedef struct shared {
    OSSL_LIB_CTX *ctx;
    EVP_PKEY *keys[2];
    EVP_MD *sha256;
} shared;

typedef struct job {
    const shared *s;
    int index;
    int wrong_verdicts;
    int setup_failed;
} job;

static X509_REQ *make_request(OSSL_LIB_CTX *ctx, EVP_PKEY *key, const char *san)
{
    /* X509_REQ_new leaves the version unset, and from 3.4 on X509_REQ_verify
     * refuses such a request ("unsupported version"): set it. */
    X509_REQ *req = X509_REQ_new_ex(ctx, NULL);
    X509_NAME *name = X509_NAME_new();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, san);
    int ok = req != NULL && name != NULL && exts != NULL && ext != NULL &&
             X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        (const unsigned char *)"mail.contoso.com", -1, -1, 0) &&
             X509_REQ_set_version(req, X509_REQ_VERSION_1) &&
             X509_REQ_set_subject_name(req, name) && sk_X509_EXTENSION_push(exts, ext) &&
             X509_REQ_add_extensions(req, exts) && X509_REQ_set_pubkey(req, key);
    if (!ok) {
        X509_EXTENSION_free(ext);
        X509_REQ_free(req);
        req = NULL;
    }
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(name);
    return req;
}

static bool refused_by_policy(void)
{
    bool found = false;
    unsigned long err;
    char text[256];
    while ((err = ERR_get_error()) != 0) {
        ERR_error_string_n(err, text, sizeof(text));
        if (strstr(text, "certificate name policy violation") != NULL)
            found = true;
    }
    return found;
}

static void *run(void *arg)
{
    job *j = arg;
    const shared *s = j->s;
    EVP_PKEY *key = s->keys[j->index % 2];
    const EVP_MD *md = j->index % 2 == 0 ? s->sha256 : NULL; /* Ed25519: no digest */
    X509_REQ *good = make_request(s->ctx, key, "DNS:mail.contoso.com,DNS:contoso.com");
    X509_REQ *bad = make_request(s->ctx, key, "DNS:mail.contoso.com,DNS:bad_name.contoso.com");
    if (good == NULL || bad == NULL) {
        j->setup_failed = 1;
    } else {
        for (int i = 0; i < SIGNATURES_PER_THREAD; i++) {
            bool want_good = (i + j->index) % 2 == 0;
            X509_REQ *req = want_good ? good : bad;
            int signed_ok = X509_REQ_sign(req, key, md) > 0;
            if (want_good) {
                if (!signed_ok || X509_REQ_verify(req, key) != 1)
                    j->wrong_verdicts++;
                ERR_clear_error();
            } else if (signed_ok || !refused_by_policy()) {
                j->wrong_verdicts++;
            }
        }
    }
    X509_REQ_free(good);
    X509_REQ_free(bad);
    ERR_clear_error();
    return NULL;
}

int main(int argc, char **argv)
{
    int n_threads = DEFAULT_THREADS;
    if (argc == 3)
        n_threads = atoi(argv[2]);
    if (argc < 2 || argc > 3 || n_threads < 1 || n_threads > MAX_THREADS) {
        fprintf(stderr, "usage: thread_sign MODULE_DIR [THREADS (1-%d)]\n", MAX_THREADS);
        return 2;
    }
    shared s = {0};
    s.ctx = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *deflt = NULL, *rolecert = NULL;
    if (s.ctx == NULL || (deflt = OSSL_PROVIDER_load(s.ctx, "default")) == NULL ||
        !OSSL_PROVIDER_set_default_search_path(s.ctx, argv[1]) ||
        (rolecert = OSSL_PROVIDER_load(s.ctx, "rolecert")) == NULL ||
        !EVP_set_default_properties(s.ctx, "?rolecert.enforce=yes,?rolecert.keymgmt=no") ||
        (s.keys[0] = EVP_PKEY_Q_keygen(s.ctx, NULL, "EC", "P-256")) == NULL ||
        (s.keys[1] = EVP_PKEY_Q_keygen(s.ctx, NULL, "ED25519")) == NULL ||
        (s.sha256 = EVP_MD_fetch(s.ctx, "SHA256", NULL)) == NULL) {
        ERR_print_errors_fp(stderr);
        return 2;
    }

    pthread_t threads[MAX_THREADS];
    job jobs[MAX_THREADS];
    for (int t = 0; t < n_threads; t++) {
        jobs[t] = (job){&s, t, 0, 0};
        if (pthread_create(&threads[t], NULL, run, &jobs[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 2;
        }
    }
    int wrong = 0, setup = 0;
    for (int t = 0; t < n_threads; t++) {
        pthread_join(threads[t], NULL);
        wrong += jobs[t].wrong_verdicts;
        setup += jobs[t].setup_failed;
    }
    printf("%d threads x %d signatures: %d wrong verdicts, %d set-up failures\n", n_threads,
           SIGNATURES_PER_THREAD, wrong, setup);

    EVP_MD_free(s.sha256);
    EVP_PKEY_free(s.keys[0]);
    EVP_PKEY_free(s.keys[1]);
    OSSL_PROVIDER_unload(rolecert);
    OSSL_PROVIDER_unload(deflt);
    OSSL_LIB_CTX_free(s.ctx);
    return wrong == 0 && setup == 0 ? 0 : 1;
}
