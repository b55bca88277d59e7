/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the provider benchmarks (bench_sign, bench_prehashed): how
 * they give up when the set-up is wrong, and how they sum up rounds.
 * Define BENCH_NAME (the program's name, a string literal) first.
 */
#ifndef ROLECERT_BENCH_COMMON_H
#define ROLECERT_BENCH_COMMON_H

#include <openssl/err.h>

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

#endif /* ROLECERT_BENCH_COMMON_H */
