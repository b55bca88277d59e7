/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_check: the core of `rolecert check` (certificate DER -> tbs walk ->
 * policy_names -> policy_check_names) against a bare d2i_X509 over the same
 * bytes, in one run. Certificates are made once with OpenSSL's APIs (200
 * distinct: RSA-2048 and EC P-256 keys, 1 to 6 SAN names, some bad), then
 * replicated into separate buffers up to --count (default 10,000).
 *
 *   bench_check [--count N] [--rounds R]
 *
 * Prints both rates and their ratio; timing is reported, never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <rolecert/policy.h>

#include "cert_names.h"

#define DISTINCT 200
#define RSA_KEYS 4
#define EC_KEYS 4

typedef struct blob {
    unsigned char *der;
    size_t len;
} blob;

static void die(const char *what)
{
    fprintf(stderr, "bench_check: %s failed\n", what);
    exit(1);
}

static EVP_PKEY *make_key(bool rsa)
{
    EVP_PKEY *key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
    if (key == NULL)
        die("key generation");
    return key;
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL || !X509_add_ext(cert, ext, -1))
        die("X509_add_ext");
    X509_EXTENSION_free(ext);
}

/* Certificate number i: names vary so that every policy path is walked. */
static blob make_cert(size_t i, EVP_PKEY *subject_key, EVP_PKEY *ca_key)
{
    static const char *const domains[] = {"contoso.com", "woodgrovebank.com", "fabrikam.com",
                                          "example.org"};
    const char *domain = domains[i % 4];
    char cn[96], san[512];
    snprintf(cn, sizeof(cn), "mail%zu.%s", i, domain);
    int n = snprintf(san, sizeof(san), "DNS:%s", cn);
    for (size_t k = 0; k < i % 6; k++)
        n += snprintf(san + n, sizeof(san) - (size_t)n, ",DNS:%s%zu.%s",
                      k == 3 && i % 7 == 0 ? "bad_" : "host", k, domain);
    if (i % 11 == 0)
        n += snprintf(san + n, sizeof(san) - (size_t)n, ",DNS:owa%zu", i);

    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();
    if (cert == NULL || name == NULL)
        die("X509_new");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), (long)i + 1);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"US", -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8,
        (const unsigned char *)(i % 5 == 0 ? "Diversión de Bicicleta" : "Contoso Corp"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(cert, name);
    X509_set_issuer_name(cert, name);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 365);
    X509_set_pubkey(cert, subject_key);
    add_ext(cert, cert, NID_basic_constraints, "CA:FALSE");
    add_ext(cert, cert, NID_key_usage, "digitalSignature,keyEncipherment");
    add_ext(cert, cert, NID_subject_alt_name, san);
    if (!X509_sign(cert, ca_key, EVP_sha256()))
        die("X509_sign");
    blob b = {NULL, 0};
    int len = i2d_X509(cert, &b.der);
    if (len <= 0)
        die("i2d_X509");
    b.len = (size_t)len;
    X509_NAME_free(name);
    X509_free(cert);
    return b;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_finding(void *ctx, const policy_finding *f)
{
    (void)f;
    (*(size_t *)ctx)++;
}

/* The check core; returns the number of findings (so it is not optimised
 * away, and as a sanity figure). */
static size_t run_check(const blob *certs, size_t n, const policy_config *cfg, tbs_names *names)
{
    size_t findings = 0;
    policy_sink sink = {count_finding, &findings};
    for (size_t i = 0; i < n; i++) {
        if (cert_names_walk(certs[i].der, certs[i].len, names) != TBS_OK)
            die("cert_names_walk");
        policy_names view;
        tbs_to_policy_names(names, &view);
        policy_check_names(cfg, &view, &sink);
    }
    return findings;
}

static size_t run_d2i(const blob *certs, size_t n)
{
    size_t decoded = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = certs[i].der;
        X509 *cert = d2i_X509(NULL, &p, (long)certs[i].len);
        decoded += cert != NULL;
        X509_free(cert);
    }
    return decoded;
}

int main(int argc, char **argv)
{
    size_t count = 10000;
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_check [--count N] [--rounds R]\n");
            return 2;
        }
    }
    if (count < DISTINCT)
        count = DISTINCT;
    if (rounds < 1)
        rounds = 1;

    EVP_PKEY *keys[RSA_KEYS + EC_KEYS];
    for (size_t k = 0; k < RSA_KEYS + EC_KEYS; k++)
        keys[k] = make_key(k < RSA_KEYS);
    EVP_PKEY *ca_key = make_key(false);
    blob distinct[DISTINCT];
    for (size_t i = 0; i < DISTINCT; i++)
        distinct[i] = make_cert(i, keys[i % (RSA_KEYS + EC_KEYS)], ca_key);

    /* Separate copies, so neither loop enjoys a cache the other lacks. */
    blob *certs = calloc(count, sizeof(*certs));
    if (certs == NULL)
        die("calloc");
    for (size_t i = 0; i < count; i++) {
        const blob *src = &distinct[i % DISTINCT];
        certs[i].der = malloc(src->len);
        if (certs[i].der == NULL)
            die("malloc");
        memcpy(certs[i].der, src->der, src->len);
        certs[i].len = src->len;
    }

    policy_config cfg;
    policy_config_init(&cfg);
    tbs_names *names = malloc(sizeof(*names));
    if (names == NULL)
        die("malloc");

    double best_check = 1e30, best_d2i = 1e30;
    size_t findings = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        findings = run_check(certs, count, &cfg, names);
        double t1 = now();
        if (run_d2i(certs, count) != count)
            die("d2i_X509");
        double t2 = now();
        if (t1 - t0 < best_check)
            best_check = t1 - t0;
        if (t2 - t1 < best_d2i)
            best_d2i = t2 - t1;
    }
    double check_rate = (double)count / best_check;
    double d2i_rate = (double)count / best_d2i;
    printf(
        "bench_check: %zu certificates (%d distinct, RSA-2048 and EC P-256), best of %d rounds\n",
        count, DISTINCT, rounds);
    printf("  check core (walk + policy_check_names): %12.0f certs/s  (%zu findings per pass)\n",
           check_rate, findings);
    printf("  bare d2i_X509:                          %12.0f certs/s\n", d2i_rate);
    printf("  ratio check/d2i_X509:                   %12.2fx\n", check_rate / d2i_rate);

    for (size_t i = 0; i < count; i++)
        free(certs[i].der);
    free(certs);
    for (size_t i = 0; i < DISTINCT; i++)
        OPENSSL_free(distinct[i].der);
    for (size_t k = 0; k < RSA_KEYS + EC_KEYS; k++)
        EVP_PKEY_free(keys[k]);
    EVP_PKEY_free(ca_key);
    free(names);
    return 0;
}
