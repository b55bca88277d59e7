/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The to-be-signed walker: recognises a CertificationRequestInfo (PKCS #10)
 * or a TBSCertificate (RFC 5280) by reading the DER in place, and extracts
 * what the name policy checks. Values point INTO the input: nothing is
 * copied, nothing is NUL-terminated.
 */
#ifndef ROLECERT_TBS_H
#define ROLECERT_TBS_H

#include <rolecert/policy.h>

#include <stdbool.h>
#include <stddef.h>

#define TBS_MAX_SUBJECT 64
#define TBS_MAX_DNS 256
#define TBS_LABEL_MAX 48

typedef enum tbs_kind {
    TBS_KIND_OTHER,        /* neither: passes through unchecked */
    TBS_KIND_CERT_REQUEST, /* CertificationRequestInfo */
    TBS_KIND_CERTIFICATE   /* TBSCertificate */
} tbs_kind;

typedef enum tbs_status {
    TBS_NOT_TBS,   /* plainly something else (CRL, OCSP, CMS, TLS, ...) */
    TBS_OK,        /* recognised and fully walked */
    TBS_MALFORMED, /* starts like one of the two but is not strict DER */
    TBS_TOO_MANY   /* well-formed but holds more names than we can check */
} tbs_status;

typedef struct tbs_names {
    tbs_kind kind;
    policy_attribute subject[TBS_MAX_SUBJECT];
    size_t n_subject;
    policy_str dns[TBS_MAX_DNS];
    size_t n_dns;
    size_t n_other_general_names; /* SAN entries that are not dNSName */
    bool has_san;
    bool san_critical;
    bool is_ca;           /* basicConstraints cA = TRUE */
    bool has_eku;         /* an extendedKeyUsage extension */
    bool eku_server_auth; /* ... naming serverAuth or anyExtendedKeyUsage */
    policy_key_type key_type;
    unsigned key_bits; /* RSA/DSA modulus, EC field bits; 0 when unknown */
    /* Storage for dotted OIDs of attributes outside the table. */
    char labels[TBS_MAX_SUBJECT][TBS_LABEL_MAX];
    /* Why and where (byte offset) a walk failed, for the error message. */
    const char *error;
    size_t error_offset;
} tbs_names;

/* Cheap look at the first bytes only: could this be one of the two? Used
 * when the data is too large to buffer. */
tbs_kind tbs_sniff(const unsigned char *der, size_t len);

/* Walk `der`. `out` is fully (re)initialised. */
tbs_status tbs_parse(const unsigned char *der, size_t len, tbs_names *out);

/* The policy's view of a successful walk (points into `names`). */
void tbs_to_policy_names(const tbs_names *names, policy_names *out);

const char *tbs_kind_name(tbs_kind kind);

/* The policy's string type for a universal ASN.1 tag (a DER tag byte, which
 * for these is also OpenSSL's V_ASN1_* number). Anything that is not a
 * DirectoryString the walker accepts is POLICY_STRING_OTHER (rdn-encoding):
 * callers that decode names with OpenSSL use this too, so every reader
 * judges a string type the same way. */
policy_string_type tbs_string_type_of_tag(unsigned tag);

#endif /* ROLECERT_TBS_H */
