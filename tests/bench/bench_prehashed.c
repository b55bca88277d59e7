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
 *   bench_prehashed MODULE_DIR [--quick]
 *
 * Times are the thread's CPU time. Ratios are medians of per-round ratios (throughput: rolecert /
 * stock; signing: rolecert / stock time). Exits non-zero only when the set-up is wrong (rolecert's
 * SHA-256 not in the path, or a bad name signed).
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
#include <unistd.h>

#define ROUNDS_MAX 64

/* CPU time of this thread: on a shared machine, time spent waiting for a
 * core would otherwise land on whichever side happened to be running. */
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* The activation block with prehashed = check, in a file OPENSSL_CONF
 * names (the provider reads its config file again to check for unknown
 * keys). */
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
    /* The process's own (default) context, as for any program the config
     * applies to: set before libcrypto first reads OPENSSL_CONF. */
    setenv("OPENSSL_CONF", path, 1);
    if (!OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL))
        die("loading the prehashed = check config failed");
    return NULL;
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

static void bench_hash(OSSL_LIB_CTX *stock, OSSL_LIB_CTX *guarded, hash_style style, size_t len,
                       bool sequence, int rounds, bool quick)
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
    int n = (int)((quick ? (64u << 10) : (4u << 20)) / len);
    if (n < 2000 && !quick)
        n = 2000;
    double ratios[ROUNDS_MAX], stock_mbs[ROUNDS_MAX], guarded_mbs[ROUNDS_MAX];
    time_hash(style, sctx, smd, in, len, n);
    time_hash(style, gctx, gmd, in, len, n);
    for (int r = 0; r < rounds; r++) {
        double s, g;
        if (r % 2 == 0) {
            s = time_hash(style, sctx, smd, in, len, n);
            g = time_hash(style, gctx, gmd, in, len, n);
        } else {
            g = time_hash(style, gctx, gmd, in, len, n);
            s = time_hash(style, sctx, smd, in, len, n);
        }
        stock_mbs[r] = (double)len * n / s; /* bytes per us = MB/s */
        guarded_mbs[r] = (double)len * n / g;
        ratios[r] = s / g;
    }
    printf("SHA-256 %5zu B %-8s %-11s stock %8.1f MB/s   rolecert %8.1f MB/s   ratio %.3f\n", len,
           sequence ? "SEQUENCE" : "zeros", style == HASH_SPEED ? "speed" : "reused ctx",
           median(stock_mbs, rounds), median(guarded_mbs, rounds), median(ratios, rounds));
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

static void bench_sign(OSSL_LIB_CTX *stock, OSSL_LIB_CTX *guarded, const char *label,
                       const char *type, const char *param, int per_round, int rounds)
{
    EVP_PKEY *skey = strcmp(type, "RSA") == 0 ? EVP_PKEY_Q_keygen(stock, NULL, type, (size_t)2048)
                                              : EVP_PKEY_Q_keygen(stock, NULL, type, param);
    EVP_PKEY *gkey = strcmp(type, "RSA") == 0 ? EVP_PKEY_Q_keygen(guarded, NULL, type, (size_t)2048)
                                              : EVP_PKEY_Q_keygen(guarded, NULL, type, param);
    if (skey == NULL || gkey == NULL)
        die("key generation failed");
    unsigned char *stbs, *gtbs, *bad;
    size_t slen = request_tbs(stock, skey, "DNS:mail.contoso.com,DNS:contoso.com", &stbs);
    size_t glen = request_tbs(guarded, gkey, "DNS:mail.contoso.com,DNS:contoso.com", &gtbs);
    size_t badlen = request_tbs(guarded, gkey, "DNS:bad_name.contoso.com", &bad);
    /* Meaningless unless rolecert checks the pre-hashed path. */
    if (sign_prehashed(guarded, gkey, bad, badlen))
        die("a bad name was signed pre-hashed: prehashed = check is not in the path");
    ERR_clear_error();
    double stock_us[ROUNDS_MAX], guarded_us[ROUNDS_MAX], ratios[ROUNDS_MAX];
    time_sign(stock, skey, stbs, slen, per_round);
    time_sign(guarded, gkey, gtbs, glen, per_round);
    for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
            stock_us[r] = time_sign(stock, skey, stbs, slen, per_round);
            guarded_us[r] = time_sign(guarded, gkey, gtbs, glen, per_round);
        } else {
            guarded_us[r] = time_sign(guarded, gkey, gtbs, glen, per_round);
            stock_us[r] = time_sign(stock, skey, stbs, slen, per_round);
        }
        ratios[r] = guarded_us[r] / stock_us[r];
    }
    printf("pre-hashed %-11s stock %8.1f us/sig   rolecert %8.1f us/sig   ratio %.3f\n", label,
           median(stock_us, rounds), median(guarded_us, rounds), median(ratios, rounds));
    OPENSSL_free(stbs);
    OPENSSL_free(gtbs);
    OPENSSL_free(bad);
    EVP_PKEY_free(skey);
    EVP_PKEY_free(gkey);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_prehashed MODULE_DIR [--quick]\n");
        return 2;
    }
    bool quick = argc > 2 && strcmp(argv[2], "--quick") == 0;
    int rounds = quick ? 2 : 30;
    char path[64], *module_dir = realpath(argv[1], NULL); /* the config needs it absolute */
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
            bench_hash(stock, guarded, ways[w].style, sizes[i], ways[w].sequence, rounds, quick);
    bench_sign(stock, guarded, "RSA-2048", "RSA", NULL, quick ? 3 : 40, rounds);
    bench_sign(stock, guarded, "ECDSA P-256", "EC", "P-256", quick ? 3 : 400, rounds);

    OSSL_PROVIDER_unload(stock_default);
    OSSL_LIB_CTX_free(stock);
    unlink(path);
    return 0;
}
