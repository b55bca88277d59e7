/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Certificate-name extraction over a whole Certificate or
 * CertificationRequest (the signed item, not only its to-be-signed part):
 * the same tbs_parse walk the provider makes at signing time, plus what a
 * reader that shows or rewrites the names needs of each subject attribute.
 */
#ifndef ROLECERT_CERT_NAMES_H
#define ROLECERT_CERT_NAMES_H

#include <rolecert/policy.h>
#include <rolecert/tbs.h>

#include <stdbool.h>
#include <stddef.h>

/* Finds the to-be-signed part (TBSCertificate / CertificationRequestInfo):
 * the first element of the outer SEQUENCE. false when der is not a
 * definite-length SEQUENCE starting with one. */
bool cert_tbs_span(const unsigned char *der, size_t len, const unsigned char **tbs,
                   size_t *tbs_len);

/* cert_tbs_span + tbs_parse, as the provider does at signing time.
 * TBS_NOT_TBS is turned into TBS_MALFORMED (with out->error set): the
 * caller already decoded the item as a certificate or request, so the
 * walker not recognising it is a defect of the item. Offsets in out->error
 * count from the start of the whole item. */
tbs_status cert_names_walk(const unsigned char *der, size_t len, tbs_names *out);

/* Subject attribute i of a successful walk as a person reads it. */
typedef struct cert_name_text {
    char *utf8; /* OpenSSL's UTF-8 conversion (owned, NUL after), NULL when it refuses */
    size_t utf8_len;
    char label[64]; /* OpenSSL's name of the type (long name first), else the dotted OID */
} cert_name_text;

/* false only when out of memory; free with cert_name_text_free. */
bool cert_name_text_of(const tbs_names *names, size_t i, cert_name_text *out);
void cert_name_text_free(cert_name_text *text);

/* The table's attribute for an OpenSSL NID (POLICY_ATTR_OTHER outside it). */
policy_attr cert_attr_of_nid(int nid);

#endif /* ROLECERT_CERT_NAMES_H */
