/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cost of the rolecert provider per signature: the same CSR signed with
 * X509_REQ_sign in a stock library context (default provider only) and in
 * one where rolecert is active, interleaved in one process, with the same
 * key on both sides (ML-DSA-65 signs deterministically: its hedged
 * signatures vary in time by more than what is measured).
 *
 *   bench_sign MODULE_DIR [--quick]
 *   OPENSSL_CONF=GUARDED_CNF bench_sign MODULE_DIR --hsm STOCK_CNF GUARDED_CNF KEY_URI [--wall]
 *
 * --hsm: a key in a token (pkcs11-provider + SoftHSM2), signed through a
 * library context configured by STOCK_CNF (pkcs11 activated) and one
 * configured by GUARDED_CNF (rolecert with `delegate = pkcs11`); rolecert
 * reads its delegate's section from OPENSSL_CONF, hence that variable.
 *
 * Times are this thread's CPU time (on a shared machine, time spent
 * waiting for a core would otherwise land on whichever side happened to be
 * running), with --hsm too: SoftHSM2 signs inside this thread. A real
 * token signs outside the process: give --wall to time it by the clock. Prints the median
 * microseconds per signature and the median of the per-round ratios for RSA-2048, ECDSA P-256,
 * Ed25519 and, where this OpenSSL has it (3.5+), ML-DSA-65. Exits non-zero only when the set-up is
 * wrong (for instance the provider does not refuse a bad name), never on
 * timing.
 */
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NAME "bench_sign"
#include "bench_common.h"

#define ROUNDS_MAX 64

typedef struct bench_alg {
    const char *label;
    const char *type;
    const char *signature; /* the signature algorithm's name, to see if it exists */
    const char *curve;     /* EC only */
    size_t bits;           /* RSA only */
    const char *digest;
    int per_round;
    /* Signed with the `deterministic` parameter: ML-DSA's time otherwise
     * varies from signature to signature (rejection sampling) by more than
     * what is measured here. */
    bool deterministic;
} bench_alg;

static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static EVP_PKEY *make_key(OSSL_LIB_CTX *ctx, const bench_alg *alg)
{
    EVP_PKEY *key;
    if (strcmp(alg->type, "RSA") == 0)
        key = EVP_PKEY_Q_keygen(ctx, NULL, "RSA", alg->bits);
    else if (strcmp(alg->type, "EC") == 0)
        key = EVP_PKEY_Q_keygen(ctx, NULL, "EC", alg->curve);
    else
        key = EVP_PKEY_Q_keygen(ctx, NULL, alg->type);
    if (key == NULL)
        die("key generation failed");
    return key;
}

static X509_REQ *make_request(OSSL_LIB_CTX *ctx, EVP_PKEY *key, const char *san)
{
    X509_REQ *req = X509_REQ_new_ex(ctx, NULL);
    X509_NAME *name = X509_NAME_new();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, san);
    if (req == NULL || name == NULL || exts == NULL || ext == NULL ||
        !X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1,
                                    0) ||
        !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Contoso", -1,
                                    -1, 0) ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    (const unsigned char *)"mail.contoso.com", -1, -1, 0) ||
        !X509_REQ_set_subject_name(req, name) || !sk_X509_EXTENSION_push(exts, ext) ||
        !X509_REQ_add_extensions(req, exts) || !X509_REQ_set_pubkey(req, key))
        die("building the request failed");
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(name);
    return req;
}

static const EVP_MD *digest_of(OSSL_LIB_CTX *ctx, const bench_alg *alg, EVP_MD **fetched)
{
    *fetched = alg->digest != NULL ? EVP_MD_fetch(ctx, alg->digest, NULL) : NULL;
    return *fetched;
}

typedef struct bench_side {
    OSSL_LIB_CTX *ctx;
    X509_REQ *req;
    EVP_PKEY *key;
    const EVP_MD *md;
} bench_side;

static int sign_request(const bench_side *side, X509_REQ *req, bool deterministic)
{
    if (!deterministic)
        return X509_REQ_sign(req, side->key, side->md) > 0;
    int one = 1;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_int("deterministic", &one),
                           OSSL_PARAM_construct_end()};
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    int ok = mctx != NULL &&
             EVP_DigestSignInit_ex(mctx, NULL, NULL, side->ctx, NULL, side->key, params) > 0 &&
             X509_REQ_sign_ctx(req, mctx) > 0;
    EVP_MD_CTX_free(mctx);
    return ok;
}

static double time_batch(const bench_side *side, bool deterministic, int n)
{
    double start = now_us();
    for (int i = 0; i < n; i++)
        if (!sign_request(side, side->req, deterministic))
            die("signing a good request failed");
    return (now_us() - start) / n;
}

/* Times `per_round` signatures stock and guarded, `rounds` times
 * interleaved, and prints the medians and the median ratio. */
static void bench_pair(const char *label, const bench_side *stock, const bench_side *guarded,
                       bool deterministic, int per_round, int rounds)
{
    /* The comparison means nothing unless the provider is really in
     * the path: a bad name must be refused there and signed stock. */
    X509_REQ *bad = make_request(guarded->ctx, guarded->key, "DNS:bad_name.contoso.com");
    if (sign_request(guarded, bad, deterministic))
        die("the provider signed a bad name: it is not in the signing path");
    ERR_clear_error();
    X509_REQ_free(bad);

    double stock_us[ROUNDS_MAX], guarded_us[ROUNDS_MAX];
    time_batch(stock, deterministic, per_round); /* warm-up */
    time_batch(guarded, deterministic, per_round);
    for (int r = 0; r < rounds; r++) {
        /* Alternate which goes first so drift hits both alike. */
        if (r % 2 == 0) {
            stock_us[r] = time_batch(stock, deterministic, per_round);
            guarded_us[r] = time_batch(guarded, deterministic, per_round);
        } else {
            guarded_us[r] = time_batch(guarded, deterministic, per_round);
            stock_us[r] = time_batch(stock, deterministic, per_round);
        }
    }
    /* Each round's pair ran back to back: the median of their ratios
     * holds up on a loaded machine better than a ratio of medians. */
    double ratios[ROUNDS_MAX];
    for (int r = 0; r < rounds; r++)
        ratios[r] = guarded_us[r] / stock_us[r];
    double s = median(stock_us, rounds), g = median(guarded_us, rounds);
    printf("%-12s stock %8.1f us/sig   rolecert %8.1f us/sig   ratio %.3f\n", label, s, g,
           median(ratios, rounds));
}

static EVP_PKEY *load_key(OSSL_LIB_CTX *ctx, const char *uri)
{
    OSSL_STORE_CTX *store = OSSL_STORE_open_ex(uri, ctx, NULL, NULL, NULL, NULL, NULL, NULL);
    EVP_PKEY *key = NULL;
    while (store != NULL && key == NULL && !OSSL_STORE_eof(store)) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(store);
        if (info != NULL && OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
            key = OSSL_STORE_INFO_get1_PKEY(info);
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    if (key == NULL)
        die("cannot load the token key");
    return key;
}

/* The same token key through stock pkcs11-provider and through rolecert. */
static int bench_hsm(const char *stock_cnf, const char *guarded_cnf, const char *uri, int rounds,
                     bool quick)
{
    OSSL_LIB_CTX *stock = OSSL_LIB_CTX_new();
    OSSL_LIB_CTX *guarded = OSSL_LIB_CTX_new();
    if (stock == NULL || guarded == NULL || !OSSL_LIB_CTX_load_config(stock, stock_cnf) ||
        !OSSL_LIB_CTX_load_config(guarded, guarded_cnf))
        die("loading the configs failed");
    EVP_PKEY *stock_key = load_key(stock, uri);
    EVP_PKEY *guarded_key = load_key(guarded, uri);
    EVP_MD *smd = EVP_MD_fetch(stock, "SHA256", NULL);
    EVP_MD *gmd = EVP_MD_fetch(guarded, "SHA256", NULL);
    X509_REQ *stock_req = make_request(stock, stock_key, "DNS:mail.contoso.com,DNS:contoso.com");
    X509_REQ *guarded_req =
        make_request(guarded, guarded_key, "DNS:mail.contoso.com,DNS:contoso.com");
    char label[32];
    snprintf(label, sizeof(label), "SoftHSM %s", EVP_PKEY_get0_type_name(stock_key));
    bench_side stock_side = {stock, stock_req, stock_key, smd};
    bench_side guarded_side = {guarded, guarded_req, guarded_key, gmd};
    bench_pair(label, &stock_side, &guarded_side, false, quick ? 5 : 40, rounds);
    X509_REQ_free(stock_req);
    X509_REQ_free(guarded_req);
    EVP_MD_free(smd);
    EVP_MD_free(gmd);
    EVP_PKEY_free(stock_key);
    EVP_PKEY_free(guarded_key);
    OSSL_LIB_CTX_free(stock);
    OSSL_LIB_CTX_free(guarded);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sign MODULE_DIR [--quick]\n");
        return 2;
    }
    bool quick = argc > 2 && strcmp(argv[2], "--quick") == 0;
    int rounds = quick ? 2 : 30;
    if ((argc == 6 || argc == 7) && strcmp(argv[2], "--hsm") == 0) {
        if (argc == 7 && strcmp(argv[6], "--wall") == 0)
            bench_clock = CLOCK_MONOTONIC;
        else if (argc == 7)
            die("--hsm: the last argument may only be --wall");
        return bench_hsm(argv[3], argv[4], argv[5], rounds, false);
    }

    OSSL_LIB_CTX *stock = OSSL_LIB_CTX_new();
    OSSL_LIB_CTX *guarded = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *providers[3] = {NULL, NULL, NULL};
    if (stock == NULL || guarded == NULL ||
        (providers[0] = OSSL_PROVIDER_load(stock, "default")) == NULL ||
        (providers[1] = OSSL_PROVIDER_load(guarded, "default")) == NULL ||
        !OSSL_PROVIDER_set_default_search_path(guarded, argv[1]) ||
        (providers[2] = OSSL_PROVIDER_load(guarded, "rolecert")) == NULL ||
        !EVP_set_default_properties(guarded, "?rolecert.enforce=yes,?rolecert.keymgmt=no"))
        die("setting up the library contexts failed");

    static const bench_alg algs[] = {
        {"RSA-2048", "RSA", "RSA", NULL, 2048, "SHA256", 40, false},
        {"ECDSA P-256", "EC", "ECDSA", "P-256", 0, "SHA256", 400, false},
        {"Ed25519", "ED25519", "ED25519", NULL, 0, NULL, 400, false},
        {"ML-DSA-65", "ML-DSA-65", "ML-DSA-65", NULL, 0, NULL, 200, true},
    };
    for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
        const bench_alg *alg = &algs[a];
        EVP_SIGNATURE *available = EVP_SIGNATURE_fetch(stock, alg->signature, NULL);
        if (available == NULL) {
            ERR_clear_error();
            printf("%-12s skipped: %s has no such signature\n", alg->label,
                   OpenSSL_version(OPENSSL_VERSION));
            continue;
        }
        EVP_SIGNATURE_free(available);
        int per_round = quick ? 5 : alg->per_round;
        EVP_PKEY *stock_key = make_key(stock, alg);
        EVP_PKEY *guarded_key = copy_key(stock_key, guarded);
        EVP_MD *stock_md = NULL, *guarded_md = NULL;
        const EVP_MD *smd = digest_of(stock, alg, &stock_md);
        const EVP_MD *gmd = digest_of(guarded, alg, &guarded_md);
        X509_REQ *stock_req =
            make_request(stock, stock_key, "DNS:mail.contoso.com,DNS:contoso.com");
        X509_REQ *guarded_req =
            make_request(guarded, guarded_key, "DNS:mail.contoso.com,DNS:contoso.com");

        bench_side stock_side = {stock, stock_req, stock_key, smd};
        bench_side guarded_side = {guarded, guarded_req, guarded_key, gmd};
        bench_pair(alg->label, &stock_side, &guarded_side, alg->deterministic, per_round, rounds);
        X509_REQ_free(stock_req);
        X509_REQ_free(guarded_req);
        EVP_MD_free(stock_md);
        EVP_MD_free(guarded_md);
        EVP_PKEY_free(stock_key);
        EVP_PKEY_free(guarded_key);
    }
    for (int i = 2; i >= 0; i--)
        OSSL_PROVIDER_unload(providers[i]);
    OSSL_LIB_CTX_free(stock);
    OSSL_LIB_CTX_free(guarded);
    return 0;
}
