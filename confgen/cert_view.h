/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `rolecert clone` and `rolecert import` need to know about one
 * certificate: its names as the provider's walker reads them (the same walk
 * `check` makes, so clone, import, check and the provider agree), each
 * subject value also as UTF-8 for writing a profile, and the key as OpenSSL
 * decodes it. Values are (pointer, length): never treated as NUL-terminated.
 */
#ifndef ROLECERT_CONFGEN_CERT_VIEW_H
#define ROLECERT_CONFGEN_CERT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <rolecert/cert_names.h>
#include <rolecert/policy.h>
#include <rolecert/tbs.h>

#include "cert_reader.h"
#include "check_report.h"
#include "strbuf.h"

typedef struct cert_view {
    tbs_names *names; /* the walk (owned) */
    tbs_status status;
    const policy_attribute *subject; /* in DER order; values point into the item's DER */
    cert_name_text *attrs;           /* parallel to subject */
    size_t n_subject;
    bool multivalued;      /* some RDN holds more than one attribute */
    const policy_str *dns; /* SAN dNSNames in order; point into the item's DER */
    size_t n_dns;
    size_t n_other_general_names; /* SAN entries that are not dNSName */
    policy_key_type key_type;
    unsigned key_bits; /* RSA/DSA modulus bits, EC field bits */
    char curve[32];    /* EC group name ("prime256v1"), else empty */
} cert_view;

/* Walks the names of a certificate `item` (which must outlive the view).
 * false only when out of memory; a walk that fails is left in status for
 * cert_view_check to report. */
bool cert_view_init(cert_view *view, const cert_item *item, strbuf *why);
void cert_view_free(cert_view *view);

/* Runs the policy and the role coverage over the view exactly as `rolecert
 * check` does (check_collect) and prints each finding as
 *   FILE: SEVERITY[RULE-ID]: message
 *     hint: ...
 * false (and *why) when the names could not be walked or kept. */
bool cert_view_check(const cert_view *view, const policy_config *cfg, const role_name *required,
                     size_t n_required, const char *file, FILE *out, check_report *report,
                     strbuf *why);

#endif
