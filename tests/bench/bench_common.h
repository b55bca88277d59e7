/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the provider benchmarks (bench_sign, bench_prehashed): how
 * they give up when the set-up is wrong, and how they sum up rounds.
 * Define BENCH_NAME (the program's name, a string literal) first.
 */
#ifndef ROLECERT_BENCH_COMMON_H
#define ROLECERT_BENCH_COMMON_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static void die(const char *what)
{
    fprintf(stderr, BENCH_NAME ": %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(2);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v. */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), compare_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The same key in another library context: both sides then sign the same
 * bytes with the same key, and differ only by rolecert. */
static inline EVP_PKEY *copy_key(EVP_PKEY *key, OSSL_LIB_CTX *ctx)
{
    unsigned char *der = NULL;
    int len = i2d_PrivateKey(key, &der);
    const unsigned char *p = der;
    EVP_PKEY *copy = len > 0 ? d2i_AutoPrivateKey_ex(NULL, &p, len, ctx, NULL) : NULL;
    OPENSSL_free(der);
    if (copy == NULL)
        die("copying the key into the rolecert context failed");
    return copy;
}

/* The middle of a sorted v at fraction q (0..1). */
static inline double quantile_sorted(const double *v, int n, double q)
{
    return v[(int)(q * (n - 1) + 0.5)];
}

typedef struct pair_stats {
    double stock, guarded;     /* median time of a batch on each side */
    double ratio;              /* median of the pairs' guarded / stock */
    double ratio_q1, ratio_q3; /* the middle half of those ratios */
} pair_stats;

/* `pairs` pairs of batches, stock and rolecert in turn (the order
 * alternating), after a few unrecorded ones; run(job, guarded) times one
 * batch. */
static inline pair_stats run_pairs(int pairs, double (*run)(const void *job, bool guarded),
                                   const void *job)
{
    double *stock = malloc(sizeof(double) * (size_t)pairs);
    double *guarded = malloc(sizeof(double) * (size_t)pairs);
    double *ratio = malloc(sizeof(double) * (size_t)pairs);
    if (stock == NULL || guarded == NULL || ratio == NULL)
        die("out of memory");
    for (int i = 0; i < 4; i++)
        run(job, i % 2 != 0);
    for (int i = 0; i < pairs; i++) {
        bool guarded_first = i % 2 != 0;
        double first = run(job, guarded_first);
        double second = run(job, !guarded_first);
        stock[i] = guarded_first ? second : first;
        guarded[i] = guarded_first ? first : second;
        ratio[i] = guarded[i] / stock[i];
    }
    pair_stats st = {median(stock, pairs), median(guarded, pairs), median(ratio, pairs), 0, 0};
    st.ratio_q1 = quantile_sorted(ratio, pairs, 0.25); /* median() sorted it */
    st.ratio_q3 = quantile_sorted(ratio, pairs, 0.75);
    free(stock);
    free(guarded);
    free(ratio);
    return st;
}

#endif /* ROLECERT_BENCH_COMMON_H */
