/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The to-be-signed walker: recognises a CertificationRequestInfo (PKCS #10),
 * a TBSCertificate (RFC 5280) or a CRMF CertRequest (RFC 4211) by reading
 * the DER in place, and extracts what the name policy checks. Values point
 * INTO the input: nothing is copied, nothing is NUL-terminated. What the
 * strict walk does not recognise is handed to OpenSSL's own (BER) decoders:
 * if one of them reads it as one of the kinds, it is walked as that kind or
 * refused, never passed as "not a TBS".
 */
#ifndef ROLECERT_TBS_H
#define ROLECERT_TBS_H

#include <rolecert/policy.h>

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define TBS_MAX_SUBJECT 64
#define TBS_MAX_DNS 256
#define TBS_LABEL_MAX 48

typedef enum tbs_kind {
    TBS_KIND_OTHER,        /* neither: passes through unchecked */
    TBS_KIND_CERT_REQUEST, /* CertificationRequestInfo */
    TBS_KIND_CERTIFICATE,  /* TBSCertificate */
    /* CRMF (RFC 4211): a CertRequest, what `openssl cmp` signs for the proof
     * of possession, or a CMP ProtectedPart (RFC 4210) whose body is an ir,
     * cr or kur: the names are the CertTemplate's. */
    TBS_KIND_CRMF_REQUEST
} tbs_kind;

typedef enum tbs_status {
    TBS_NOT_TBS,   /* plainly something else (CRL, OCSP, CMS, TLS, ...) */
    TBS_OK,        /* recognised and fully walked */
    TBS_MALFORMED, /* starts like one of the kinds but is not strict DER, or
                    * is BER that OpenSSL's own decoders read as one */
    TBS_TOO_MANY   /* well-formed but holds more names than we can check */
} tbs_status;

/* What a reader that shows the names needs beyond the policy's view. */
typedef struct tbs_raw_attribute {
    const unsigned char *type_der; /* the attribute type's whole OBJECT IDENTIFIER element */
    size_t type_der_len;
    unsigned char value_tag; /* the value's identifier octet */
} tbs_raw_attribute;

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
    tbs_raw_attribute subject_raw[TBS_MAX_SUBJECT]; /* parallel to subject */
    /* Why and where (byte offset) a walk failed, for the error message. */
    const char *error;
    size_t error_offset;
} tbs_names;

/* Cheap look at the first bytes only: could this be one of the two? Used
 * when the data is too large to buffer. */
tbs_kind tbs_sniff(const unsigned char *der, size_t len);

/* Could a to-be-signed blob in any form OpenSSL's BER decoder reads begin
 * with this identifier octet (a universal SEQUENCE: 0x30, 0x10, or a tag in
 * high-tag-number form)? When not, nothing after it can make it one: a
 * streaming signer may stop buffering. */
static inline bool tbs_may_start_with(unsigned char identifier)
{
    /* Inline: every hash with prehashed = check asks it of its first byte.
     * Bits 0x10, 0x1f, 0x30 and 0x3f: universal class, either form. */
    return identifier < 0x40 && ((0x8001000080010000ULL >> identifier) & 1) != 0;
}

/* Could `der` be a to-be-signed blob at all? When not, tbs_parse returns
 * TBS_NOT_TBS at its first byte, and a caller that only wants the verdict
 * (a digest handed to a signature, a TLS transcript) can skip the walk's
 * set-up. Lengths past LONG_MAX are beyond OpenSSL's decoders. */
static inline bool tbs_may_be(const unsigned char *der, size_t len)
{
    return der != NULL && len >= 2 && len <= (size_t)LONG_MAX && tbs_may_start_with(der[0]);
}

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
