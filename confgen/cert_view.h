/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `rolecert clone` and `rolecert import` need to know about one
 * certificate, read through OpenSSL's decoded X509: the subject attributes
 * (raw value and string type for the policy, a UTF-8 copy for writing a
 * profile), the SAN dNSNames and the key. The policy verdict itself comes
 * from cert_names (the provider's DER walker), so clone, import, check and
 * the provider agree. Values are (pointer, length): never treated as
 * NUL-terminated.
 */
#ifndef ROLECERT_CONFGEN_CERT_VIEW_H
#define ROLECERT_CONFGEN_CERT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <rolecert/policy.h>

#include "cert_reader.h"
#include "strbuf.h"

typedef struct cert_view_attr {
    char *utf8; /* the value as UTF-8 (owned, NUL after), NULL when not convertible */
    size_t utf8_len;
    char label[64]; /* OpenSSL short name ("CN", "emailAddress") or dotted OID */
} cert_view_attr;

typedef struct cert_view {
    policy_attribute *subject; /* in DER order; values point into the X509 */
    cert_view_attr *attrs;     /* parallel to subject */
    size_t n_subject;
    bool multivalued; /* some RDN holds more than one attribute */
    policy_str *dns;  /* SAN dNSNames in order; point into the X509 */
    size_t n_dns;
    size_t n_other_general_names; /* SAN entries that are not dNSName */
    bool has_san;
    bool san_critical;
    policy_key_type key_type;
    unsigned key_bits;        /* RSA/DSA modulus bits, EC field bits */
    char curve[32];           /* EC group name ("prime256v1"), else empty */
    GENERAL_NAMES *san_owner; /* the decoded SAN that dns[] points into */
} cert_view;

/* Reads the names of `cert` (which must outlive the view). false only when
 * out of memory or the SAN extension does not decode; *why says which. */
bool cert_view_init(cert_view *view, X509 *cert, strbuf *why);
void cert_view_free(cert_view *view);

/* Runs the policy over the item's names exactly as `rolecert check` and the
 * provider see them (cert_names_walk over its DER) and prints each finding as
 *   FILE: SEVERITY[RULE-ID]: message
 *     hint: ...
 * false (and *why) when the walk fails. */
bool cert_item_check(const cert_item *item, const policy_config *cfg, const char *file, FILE *out,
                     policy_result *result, strbuf *why);

#endif
