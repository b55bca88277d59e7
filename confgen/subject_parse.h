/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subject of a profile: parsed from the Exchange -SubjectName form
 * ("C=US, O=Contoso Corp, CN=mail1.contoso.com") or collected from the
 * per-attribute keys; kept in written order until profile.c sorts it.
 */
#ifndef ROLECERT_CONFGEN_SUBJECT_PARSE_H
#define ROLECERT_CONFGEN_SUBJECT_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <rolecert/policy.h>

#include "array.h"
#include "diag.h"

typedef struct subject_attr {
    policy_attr attr;
    char *label; /* the attribute name as written */
    size_t label_len;
    char *value; /* NUL-terminated copy; value_len is authoritative */
    size_t value_len;
    size_t rdn;    /* written RDN index; equal indices: a multi-valued RDN */
    unsigned line; /* profile line the attribute came from */
} subject_attr;

typedef ARRAY_OF(subject_attr) subject_list;

void subject_list_init(subject_list *list);
void subject_list_free(subject_list *list);
/* Appends a copy; false when out of memory. */
bool subject_list_add(subject_list *list, policy_attr attr, const char *label, size_t label_len,
                      const char *value, size_t value_len, size_t rdn, unsigned line);

/* C, DC, S/ST, L, O, OU, CN (case-insensitive); anything else is OTHER. */
policy_attr subject_attr_from_name(const char *name, size_t len);

/* Parses the name= form: RDNs separated by ',' or ';', '+' inside one.
 * Errors go to diag as "[subject] name: ..." with the given line; returns
 * false after any. */
bool subject_parse(const char *text, size_t len, unsigned line, subject_list *out, diag_list *diag);

#endif
