/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostics: collected while a profile is read and checked, then printed
 * sorted by line, one line each plus its hint:
 *   FILE:LINE: SEVERITY[RULE-ID]: message      (policy findings)
 *   FILE:LINE: error: message                  (errors of the profile itself)
 *     hint: ...
 */
#ifndef ROLECERT_CONFGEN_DIAG_H
#define ROLECERT_CONFGEN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <rolecert/policy.h>

typedef struct diag_item {
    unsigned line; /* 0: the profile as a whole */
    policy_severity severity;
    char *rule_id; /* NULL for errors of the profile itself */
    char *message;
    char *hint;
} diag_item;

typedef struct diag_list {
    const char *file; /* as named on the command line */
    diag_item *items;
    size_t n;
    size_t cap;
    size_t errors;
    size_t warnings;
    size_t notices;
    bool out_of_memory;
} diag_list;

void diag_init(diag_list *d, const char *file);
void diag_free(diag_list *d);

/* Copies every string. rule_id NULL: an error of the profile (no rule). */
void diag_add(diag_list *d, unsigned line, policy_severity severity, const char *rule_id,
              const char *message, const char *hint);
void diag_errorf(diag_list *d, unsigned line, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_verrorf(diag_list *d, unsigned line, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* Prints every item, stably sorted by line (whole-profile items last). */
void diag_print(diag_list *d, FILE *out);

#endif
