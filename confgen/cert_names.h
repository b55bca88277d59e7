/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `rolecert check|list|match` need to know about one certificate or
 * request read by cert_reader, for display: RFC 2253 subject, SHA-1
 * thumbprint, validity, key, as OpenSSL decodes them. The names the policy
 * checks come from rolecert/cert_names.h (the provider's own walk).
 */
#ifndef ROLECERT_CONFGEN_CERT_NAMES_H
#define ROLECERT_CONFGEN_CERT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include <rolecert/policy.h>

#include <rolecert/cert_names.h>
#include <rolecert/tbs.h>

#include "array.h"
#include "cert_reader.h"
#include "strbuf.h"

/* "FILE" or "FILE[#N]" (#N whenever the file holds several items). */
void cert_item_label(strbuf *out, const cert_set *set, const cert_item *item);

const char *cert_item_kind_name(cert_item_kind kind); /* "certificate", "request" */

/* The subject as `openssl -nameopt RFC2253,-esc_msb` prints it (UTF-8
 * intact, RFC 2253 order: last RDN first). Always one printable line. */
void cert_item_subject(strbuf *out, const cert_item *item);

/* 40 upper-case hex digits of SHA-1 over the item's DER, as Exchange shows
 * a thumbprint. false for requests. */
bool cert_item_thumbprint(const cert_item *item, char out[41]);

/* Parses a thumbprint argument: 40 hex digits, any case, ':' and white
 * space ignored. Writes the Exchange form. */
bool cert_thumbprint_parse(const char *text, char out[41]);

/* notBefore / notAfter as ISO 8601 UTC ("2025-01-31T12:00:00Z"). false
 * for requests and unreadable times. */
bool cert_item_validity(const cert_item *item, char not_before[32], char not_after[32]);

/* The policy's key type of an OpenSSL key (POLICY_KEY_UNKNOWN for others). */
policy_key_type cert_key_type(const EVP_PKEY *key);

/* Key as "RSA", "EC", "ED25519", ... and its size in bits (0 unknown). */
void cert_item_key(const cert_item *item, char *type, size_t type_size, int *bits);

/* The DNS names TLS and Exchange look at, in Domain Security order: SAN
 * dNSName values first, then the subject's CN values (UTF-8). */
typedef struct cert_dns_name {
    char *name; /* NUL-terminated copy; may contain other NULs (len rules) */
    size_t len;
    bool from_cn;
} cert_dns_name;

typedef ARRAY_OF(cert_dns_name) cert_dns_list;

void cert_dns_list_init(cert_dns_list *list);
void cert_dns_list_free(cert_dns_list *list);
bool cert_item_dns_names(const cert_item *item, cert_dns_list *out);

/* A directory string's bytes as UTF-8 (BMP, Universal, T61 decoded;
 * impossible code units become U+FFFD). */
bool cert_value_to_utf8(strbuf *out, policy_string_type type, policy_str value);

/* Appends a JSON string literal. Valid UTF-8 passes through; an invalid byte
 * is written as the four characters \xHH (escaped), so the document stays
 * valid and shows the byte, as the text output does. */
bool json_append_string(strbuf *out, const char *p, size_t len);
bool json_append_cstr(strbuf *out, const char *text);
/* The string, or null when text is NULL. */
bool json_append_cstr_or_null(strbuf *out, const char *text);
/* "key":"value", : a member of an object that is not its last. */
bool json_append_member(strbuf *out, const char *key, const char *p, size_t len);
bool json_append_member_cstr(strbuf *out, const char *key, const char *text);

#endif
