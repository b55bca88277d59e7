/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pieces every hostile-TBS test builds from: the same OIDs, the same
 * request and certificate builders, so hostile_der.c (the walker and the
 * provider) and hostile_check.c (`rolecert check`) judge identical bytes.
 * Include it in one .c file per test program.
 */
#ifndef ROLECERT_TESTS_HOSTILE_TBS_H
#define ROLECERT_TESTS_HOSTILE_TBS_H

#include <stdbool.h>
#include <stdio.h>

#include "der_build.h"

static int failures;
static int cases;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

static const unsigned char OID_CN[] = {0x06, 0x03, 0x55, 0x04, 0x03};
static const unsigned char OID_O[] = {0x06, 0x03, 0x55, 0x04, 0x0A};
static const unsigned char OID_OU[] = {0x06, 0x03, 0x55, 0x04, 0x0B};
static const unsigned char OID_SAN[] = {0x06, 0x03, 0x55, 0x1D, 0x11};
static const unsigned char OID_EXT_REQ[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                            0xF7, 0x0D, 0x01, 0x09, 0x0E};
static const unsigned char ALG_ECDSA_SHA256[] = {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86,
                                                 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
static const unsigned char INTEGER_0[] = {0x02, 0x01, 0x00};
static const unsigned char BOOLEAN_TRUE[] = {0x01, 0x01, 0xFF};
static const unsigned char VALIDITY[] = {
    0x30, 0x1E, 0x17, 0x0D, '2', '4', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0',
    'Z',  0x17, 0x0D, '2',  '5', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z'};

static bytes spki; /* the signing key's SubjectPublicKeyInfo */

static inline bytes attr(const unsigned char *oid, size_t oid_len, unsigned char tag, bytes value)
{
    return b_seq(b_raw(oid, oid_len), b_tlv(tag, value));
}

#define ATTR(oid, tag, value) attr(oid, sizeof(oid), tag, value)
#define CN_UTF8(text) b_set(ATTR(OID_CN, 0x0C, b_str(text)))

static inline bytes dns(const char *name)
{
    return b_tlv(0x82, b_str(name));
}

static inline bytes san_ext(bool critical, bytes general_names)
{
    if (critical)
        return b_seq(b_raw(OID_SAN, sizeof(OID_SAN)), b_raw(BOOLEAN_TRUE, sizeof(BOOLEAN_TRUE)),
                     b_tlv(0x04, b_tlv(0x30, general_names)));
    return b_seq(b_raw(OID_SAN, sizeof(OID_SAN)), b_tlv(0x04, b_tlv(0x30, general_names)));
}

/* CertificationRequestInfo: version, subject, key, [0] { extensionRequest }. */
static inline bytes request(bytes subject, bytes extensions)
{
    bytes ext_req = b_seq(b_raw(OID_EXT_REQ, sizeof(OID_EXT_REQ)), b_set(b_tlv(0x30, extensions)));
    return b_seq(b_raw(INTEGER_0, sizeof(INTEGER_0)), subject, b_raw(spki.p, spki.len),
                 b_tlv(0xA0, ext_req));
}

/* TBSCertificate v3: version, serial, algorithm, issuer, validity, subject,
 * key, [3] { extensions }. */
static inline bytes certificate(bytes subject, bytes extensions)
{
    static const unsigned char version_v3[] = {0xA0, 0x03, 0x02, 0x01, 0x02};
    static const unsigned char serial[] = {0x02, 0x01, 0x07};
    return b_seq(b_raw(version_v3, sizeof(version_v3)), b_raw(serial, sizeof(serial)),
                 b_raw(ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256)),
                 b_seq(b_set(ATTR(OID_CN, 0x0C, b_str("Contoso Issuing CA")))),
                 b_raw(VALIDITY, sizeof(VALIDITY)), subject, b_raw(spki.p, spki.len),
                 b_tlv(0xA3, b_tlv(0x30, extensions)));
}

/* The contents of a DER TLV (its header skipped): for IMPLICIT re-tagging. */
static inline bytes contents_of(bytes der)
{
    size_t header = 2 + ((der.p[1] & 0x80) ? (der.p[1] & 0x7Fu) : 0u);
    bytes out = b_raw(der.p + header, der.len - header);
    free(der.p);
    return out;
}

/* CRMF CertRequest (RFC 4211): certReqId 0, CertTemplate { [5] subject
 * (EXPLICIT: Name is a CHOICE), [6] publicKey, [9] extensions (both
 * IMPLICIT) } — what `openssl cmp` signs for the proof of possession. */
static inline bytes crmf_request(bytes subject, bytes extensions)
{
    return b_seq(b_raw(INTEGER_0, sizeof(INTEGER_0)),
                 b_seq(b_tlv(0xA5, subject), b_tlv(0xA6, contents_of(b_raw(spki.p, spki.len))),
                       b_tlv(0xA9, extensions)));
}

/* CMP ProtectedPart (RFC 4210): PKIHeader { pvno 2, sender and recipient
 * as empty directoryNames }, body `choice` { CertReqMessages { CertReqMsg
 * { each request } } } — what `openssl cmp` signs for message protection. */
static inline bytes cmp_protected_part(unsigned char choice, bytes cert_req_msgs)
{
    static const unsigned char header[] = {0x30, 0x0B, 0x02, 0x01, 0x02, 0xA4, 0x02,
                                           0x30, 0x00, 0xA4, 0x02, 0x30, 0x00};
    return b_seq(b_raw(header, sizeof(header)), b_tlv(choice, b_tlv(0x30, cert_req_msgs)));
}

static inline bytes good_subject(void)
{
    return b_seq(b_set(ATTR(OID_O, 0x0C, b_str("Contoso Corp"))), CN_UTF8("mail.contoso.com"));
}

static inline bytes good_san(void)
{
    return san_ext(false, B_CAT(dns("mail.contoso.com"), dns("contoso.com")));
}

#endif
