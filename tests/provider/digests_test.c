/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prehashed = check offers every hash algorithm of the delegate, and
 * computes the SHA-2 ones itself when they come from the default provider
 * (provider/digest_native.h). Whichever way, each must give stock's
 * answer: for every hash algorithm rolecert offers in the configured
 * context, against the same algorithm in a stock context (the default
 * provider alone), the digest of inputs of 0 to 520 bytes fed whole, in
 * pieces of 1, 63 and 200 bytes, and through a copy of the context made
 * halfway (EVP_MD_CTX_copy_ex: both the copy and the original finish);
 * the sizes and block sizes too. Inputs starting with 0x30 (a SEQUENCE,
 * what rolecert keeps while it may be a TBS) and with zeros.
 *
 *   OPENSSL_CONF=CONFIG digests_test
 *
 * CONFIG activates rolecert with prehashed = check (ctest's:
 * BUILD/tests/provider/prehashed_check.cnf).
 */
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MAX_LEN 520
#define MAX_ALGS 64
#define XOF_LEN 64

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    if (++failures > 20)
        return;
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

static bool feed(EVP_MD_CTX *ctx, const unsigned char *in, size_t len, size_t piece)
{
    bool ok = true;
    for (size_t at = 0; ok && at < len; at += piece)
        ok = EVP_DigestUpdate(ctx, in + at, len - at < piece ? len - at : piece);
    return ok;
}

static bool finish(EVP_MD_CTX *ctx, bool xof, unsigned char *out, size_t *out_len)
{
    unsigned int n = 0;
    bool ok = xof ? EVP_DigestFinalXOF(ctx, out, XOF_LEN) : EVP_DigestFinal_ex(ctx, out, &n);
    *out_len = ok ? (xof ? XOF_LEN : n) : 0;
    return ok;
}

/* The digest of `in` fed in pieces of `piece` bytes (0: whole); with
 * `copy`, a copy of the context made after the first half, given the
 * rest at once, must agree (*copy_agrees). 0 when libcrypto refused. */
static size_t digest(const EVP_MD *md, const unsigned char *in, size_t len, size_t piece, bool copy,
                     unsigned char *out, bool *copy_agrees)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new(), *other = EVP_MD_CTX_new();
    bool xof = (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) != 0;
    size_t step = piece == 0 ? MAX_LEN : piece, half = len / 2, got = 0;
    bool ok = ctx != NULL && other != NULL && EVP_DigestInit_ex(ctx, md, NULL) &&
              feed(ctx, in, half, step) && (!copy || EVP_MD_CTX_copy_ex(other, ctx)) &&
              feed(ctx, in + half, len - half, step) && finish(ctx, xof, out, &got);
    if (ok && copy) {
        unsigned char again[EVP_MAX_MD_SIZE > XOF_LEN ? EVP_MAX_MD_SIZE : XOF_LEN];
        size_t again_len = 0;
        *copy_agrees = EVP_DigestUpdate(other, in + half, len - half) &&
                       finish(other, xof, again, &again_len) && again_len == got &&
                       memcmp(again, out, got) == 0;
    }
    EVP_MD_CTX_free(ctx);
    EVP_MD_CTX_free(other);
    return ok ? got : 0;
}

typedef struct offered {
    const char *names[MAX_ALGS];
    size_t n;
} offered;

static void collect(EVP_MD *md, void *arg)
{
    offered *o = arg;
    if (strcmp(OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(md)), "rolecert") == 0 &&
        o->n < MAX_ALGS)
        o->names[o->n++] = EVP_MD_get0_name(md);
}

static void compare(OSSL_LIB_CTX *stock, const char *name, const unsigned char *in)
{
    EVP_MD *ours = EVP_MD_fetch(NULL, name, NULL), *theirs = EVP_MD_fetch(stock, name, NULL);
    if (ours == NULL || theirs == NULL) {
        fail("%s: fetched in one context only (rolecert's %s, stock's %s)", name,
             ours != NULL ? "yes" : "no", theirs != NULL ? "yes" : "no");
        goto done;
    }
    if (strcmp(OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(ours)), "rolecert") != 0)
        fail("%s: not rolecert's in the configured context", name);
    if (EVP_MD_get_size(ours) != EVP_MD_get_size(theirs) ||
        EVP_MD_get_block_size(ours) != EVP_MD_get_block_size(theirs))
        fail("%s: size or block size differs (%d/%d against %d/%d)", name, EVP_MD_get_size(ours),
             EVP_MD_get_block_size(ours), EVP_MD_get_size(theirs), EVP_MD_get_block_size(theirs));
    static const size_t pieces[] = {0, 1, 63, 200};
    for (size_t len = 0; len <= MAX_LEN; len++) {
        for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
            unsigned char a[EVP_MAX_MD_SIZE > XOF_LEN ? EVP_MAX_MD_SIZE : XOF_LEN];
            unsigned char b[sizeof(a)];
            bool copy_agrees = false, unused;
            size_t na = digest(ours, in, len, pieces[p], true, a, &copy_agrees);
            size_t nb = digest(theirs, in, len, pieces[p], false, b, &unused);
            if (na != nb || (na > 0 && memcmp(a, b, na) != 0))
                fail("%s: %zu bytes in pieces of %zu: rolecert's digest differs from stock's", name,
                     len, pieces[p]);
            else if (na > 0 && !copy_agrees)
                fail("%s: %zu bytes in pieces of %zu: a copy made halfway disagrees", name, len,
                     pieces[p]);
        }
    }
done:
    EVP_MD_free(ours);
    EVP_MD_free(theirs);
}

int main(void)
{
    OSSL_LIB_CTX *stock = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *stock_default = stock != NULL ? OSSL_PROVIDER_load(stock, "default") : NULL;
    if (stock_default == NULL) {
        fprintf(stderr, "digests_test: no stock context\n");
        return 2;
    }
    offered o = {{NULL}, 0};
    EVP_MD_do_all_provided(NULL, collect, &o);
    if (o.n < 10) {
        fprintf(stderr,
                "digests_test: rolecert offers %zu hash algorithms: is OPENSSL_CONF a "
                "prehashed = check config?\n",
                o.n);
        return 2;
    }
    static unsigned char sequence[MAX_LEN], zeros[MAX_LEN];
    sequence[0] = 0x30;
    for (size_t i = 1; i < MAX_LEN; i++)
        sequence[i] = (unsigned char)(i * 131 + 7);
    for (size_t i = 0; i < o.n; i++) {
        compare(stock, o.names[i], sequence);
        compare(stock, o.names[i], zeros);
    }
    printf("digests_test: %zu hash algorithms, %d failure(s)\n", o.n, failures);
    OSSL_PROVIDER_unload(stock_default);
    OSSL_LIB_CTX_free(stock);
    return failures == 0 ? 0 : 1;
}
