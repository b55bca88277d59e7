/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile to-be-signed bytes, built by hand: BER lengths, trailing data,
 * NUL inside names, broken BMP/Universal strings, an OID that wraps to
 * 2.5.4.3 in a careless decoder, every GeneralName choice, multi-valued
 * RDNs, an empty subject, a 70,000-byte CN, and byte strings that are
 * plainly something else. Each goes (1) through the walker directly, with
 * an exact expected status, and (2) through libcrypto's EVP_DigestSign with
 * rolecert.so from the build tree loaded in-process, with an exact expected
 * verdict: signed, or refused with the expected rolecert reason.
 *
 *   hostile_der MODULE_DIR
 */
#include <openssl/crmf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile_tbs.h"
#include <rolecert/tbs.h>

/* ---------------------------------------------------------------------- */

typedef enum verdict { SIGNED, REFUSED } verdict;

static const char *const POLICY = "certificate name policy violation";
static const char *const MALFORMED = "malformed to-be-signed data";
static const char *const TOO_MANY = "too many names to check";

typedef struct signer {
    OSSL_LIB_CTX *ctx;
    EVP_PKEY *key;
} signer;

static bool errors_mention(const char *reason, char *first, size_t first_size)
{
    bool found = false;
    unsigned long err;
    first[0] = '\0';
    const char *data = NULL;
    int flags = 0;
    while ((err = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
        char text[256];
        ERR_error_string_n(err, text, sizeof(text));
        if (first[0] == '\0')
            snprintf(first, first_size, "%s: %s", text, (flags & ERR_TXT_STRING) ? data : "");
        if (reason != NULL && strstr(text, reason) != NULL)
            found = true;
    }
    return found;
}

static void expect(const signer *s, const char *what, bytes tbs, tbs_status want_status,
                   verdict want, const char *want_reason)
{
    cases++;
    tbs_names *walked = malloc(sizeof(*walked));
    if (walked == NULL)
        abort();
    tbs_status got = tbs_parse(tbs.p, tbs.len, walked);
    CHECK(got == want_status, "%s: walker status %d, expected %d (%s at %zu)", what, got,
          want_status, walked->error != NULL ? walked->error : "-", walked->error_offset);
    free(walked);

    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[256];
    size_t sig_len = sizeof(sig);
    int rc =
        md != NULL && EVP_DigestSignInit_ex(md, NULL, "SHA256", s->ctx, NULL, s->key, NULL) == 1
            ? EVP_DigestSign(md, sig, &sig_len, tbs.p, tbs.len)
            : -1;
    char first[512];
    bool mentioned = errors_mention(want_reason, first, sizeof(first));
    if (want == SIGNED) {
        CHECK(rc == 1, "%s: refused, expected signed (%s)", what, first);
    } else {
        CHECK(rc != 1, "%s: signed, expected refused (%s)", what, want_reason);
        CHECK(rc == 1 || mentioned, "%s: refused without '%s' (%s)", what, want_reason, first);
    }
    EVP_MD_CTX_free(md);
    free(tbs.p);
}

static bytes ucs(const unsigned char *units, size_t len)
{
    return b_raw(units, len);
}

static void hostile_requests(const signer *s)
{
    expect(s, "good request", request(good_subject(), good_san()), TBS_OK, SIGNED, NULL);
    expect(s, "good certificate", certificate(good_subject(), good_san()), TBS_OK, SIGNED, NULL);
    expect(s, "bad DNS name (control)",
           request(good_subject(), san_ext(false, dns("bad_name.contoso.com"))), TBS_OK, REFUSED,
           POLICY);

    /* BER lengths. */
    bytes good = request(good_subject(), good_san());
    size_t header = 2 + ((good.p[1] & 0x80) ? (good.p[1] & 0x7F) : 0u);
    expect(s, "outer length in long form (2 octets)",
           b_tlv_long(0x30, 2, b_raw(good.p + header, good.len - header)), TBS_MALFORMED, REFUSED,
           MALFORMED);
    expect(s, "outer length in long form (6 octets)",
           b_tlv_long(0x30, 6, b_raw(good.p + header, good.len - header)), TBS_MALFORMED, REFUSED,
           MALFORMED);
    expect(s, "outer length in long form (8 octets)",
           b_tlv_long(0x30, 8, b_raw(good.p + header, good.len - header)), TBS_MALFORMED, REFUSED,
           MALFORMED);
    expect(s, "outer indefinite length",
           b_tlv_indefinite(0x30, b_raw(good.p + header, good.len - header)), TBS_MALFORMED,
           REFUSED, MALFORMED);
    expect(s, "subject in long form",
           request(b_tlv_long(0x30, 1, B_CAT(CN_UTF8("mail.contoso.com"))), good_san()),
           TBS_MALFORMED, REFUSED, MALFORMED);
    expect(s, "subject indefinite",
           request(b_tlv_indefinite(0x30, CN_UTF8("mail.contoso.com")), good_san()), TBS_MALFORMED,
           REFUSED, MALFORMED);
    expect(s, "CN value in long form",
           request(b_seq(b_set(b_seq(b_raw(OID_CN, sizeof(OID_CN)),
                                     b_tlv_long(0x0C, 1, b_str("mail.contoso.com"))))),
                   good_san()),
           TBS_MALFORMED, REFUSED, MALFORMED);

    /* A subject SEQUENCE with the constructed bit clear: OpenSSL's
     * decoder still reads it as the Name. */
    expect(s, "subject as a primitive SEQUENCE (0x10)",
           request(b_tlv(0x10, CN_UTF8("bad_name.contoso.com")), good_san()), TBS_MALFORMED,
           REFUSED, MALFORMED);

    /* Trailing bytes. */
    static const unsigned char junk[] = {0x05, 0x00};
    expect(s, "trailing bytes after the TBS", B_CAT(b_raw(good.p, good.len), b_raw(junk, 2)),
           TBS_MALFORMED, REFUSED, MALFORMED);
    expect(s, "trailing bytes inside the Name",
           request(b_seq(CN_UTF8("mail.contoso.com"), b_raw(junk, 2)), good_san()), TBS_MALFORMED,
           REFUSED, MALFORMED);
    expect(s, "trailing bytes inside an attribute",
           request(b_seq(b_set(b_seq(b_raw(OID_CN, sizeof(OID_CN)),
                                     b_tlv(0x0C, b_str("mail.contoso.com")), b_raw(junk, 2)))),
                   good_san()),
           TBS_MALFORMED, REFUSED, MALFORMED);
    expect(s, "cut short", b_raw(good.p, good.len - 1), TBS_MALFORMED, REFUSED, MALFORMED);
    free(good.p);

    /* NUL inside a CN. */
    expect(s, "NUL in a UTF8String CN",
           request(b_seq(b_set(ATTR(OID_CN, 0x0C, b_raw("mail\0.contoso.com", 17)))), good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "NUL in a PrintableString CN",
           request(b_seq(b_set(ATTR(OID_CN, 0x13, b_raw("mail.contoso.com\0", 17)))), good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "NUL in a SAN dNSName",
           request(good_subject(),
                   san_ext(false, B_CAT(dns("mail.contoso.com"),
                                        b_tlv(0x82, b_raw("evil.com\0.contoso.com", 21))))),
           TBS_OK, REFUSED, POLICY);

    /* BMPString / UniversalString. */
    static const unsigned char bmp_odd[] = {0, 'm', 0, 'a', 0, 'i', 0};
    static const unsigned char bmp_lone_high[] = {0, 'm', 0xD8, 0x00, 0, 'x'};
    static const unsigned char bmp_lone_low[] = {0, 'm', 0xDC, 0x00};
    static const unsigned char bmp_ok[] = {0, 'I', 0, 'T'};
    static const unsigned char univ_odd[] = {0, 0, 0, 'm', 0, 0, 'a'};
    static const unsigned char univ_surrogate[] = {0, 0, 0, 'm', 0, 0, 0xD8, 0x00};
    static const unsigned char univ_too_big[] = {0, 0x11, 0, 0};
    expect(s, "BMPString of odd length",
           request(b_seq(b_set(ATTR(OID_OU, 0x1E, ucs(bmp_odd, sizeof(bmp_odd)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "BMPString with a lone high surrogate",
           request(b_seq(b_set(ATTR(OID_OU, 0x1E, ucs(bmp_lone_high, sizeof(bmp_lone_high)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "BMPString with a lone low surrogate",
           request(b_seq(b_set(ATTR(OID_OU, 0x1E, ucs(bmp_lone_low, sizeof(bmp_lone_low)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "BMPString, valid",
           request(b_seq(b_set(ATTR(OID_OU, 0x1E, ucs(bmp_ok, sizeof(bmp_ok)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, SIGNED, NULL);
    expect(s, "UniversalString of odd length",
           request(b_seq(b_set(ATTR(OID_OU, 0x1C, ucs(univ_odd, sizeof(univ_odd)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "UniversalString with a surrogate",
           request(b_seq(b_set(ATTR(OID_OU, 0x1C, ucs(univ_surrogate, sizeof(univ_surrogate)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "UniversalString above U+10FFFF",
           request(b_seq(b_set(ATTR(OID_OU, 0x1C, ucs(univ_too_big, sizeof(univ_too_big)))),
                         CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "VisibleString DC (OpenSSL cannot read it)",
           request(b_seq(b_set(ATTR(OID_OU, 0x1A, b_str("Mail"))), CN_UTF8("mail.contoso.com")),
                   good_san()),
           TBS_OK, REFUSED, POLICY);

    /* 2.5.4.(2^64 + 3): the last arc wraps to 3 in 64-bit arithmetic. A
     * careless reader sees a CN; it is an unknown attribute. */
    static const unsigned char oid_wraps_to_cn[] = {0x06, 0x0C, 0x55, 0x04, 0x82, 0x80, 0x80,
                                                    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x03};
    expect(
        s, "OID with a huge arc that wraps to 2.5.4.3",
        request(b_seq(b_set(ATTR(oid_wraps_to_cn, 0x0C, b_str("mail.contoso.com")))), good_san()),
        TBS_OK, REFUSED, POLICY);
    static const unsigned char oid_non_minimal[] = {0x06, 0x04, 0x55, 0x04, 0x80, 0x03};
    expect(
        s, "OID with a non-minimal arc",
        request(b_seq(b_set(ATTR(oid_non_minimal, 0x0C, b_str("mail.contoso.com")))), good_san()),
        TBS_MALFORMED, REFUSED, MALFORMED);

    /* Every GeneralName choice next to a good dNSName: walked, signed. */
    static const unsigned char other_name[] = {0xA0, 0x0E, 0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04,
                                               0x01, 0x82, 0x37, 0x14, 0x02, 0x03, 0xA0, 0x00};
    static const unsigned char x400[] = {0xA3, 0x02, 0x30, 0x00};
    static const unsigned char edi_party[] = {0xA5, 0x05, 0xA1, 0x03, 0x0C, 0x01, 'x'};
    static const unsigned char ip[] = {0x87, 0x04, 192, 0, 2, 1};
    static const unsigned char registered_id[] = {0x88, 0x03, 0x2A, 0x03, 0x04};
    expect(s, "every GeneralName choice",
           request(good_subject(),
                   san_ext(false,
                           B_CAT(b_raw(other_name, sizeof(other_name)),
                                 b_tlv(0x81, b_str("a@contoso.com")), dns("mail.contoso.com"),
                                 b_raw(x400, sizeof(x400)), b_tlv(0xA4, b_seq(CN_UTF8("x"))),
                                 b_raw(edi_party, sizeof(edi_party)),
                                 b_tlv(0x86, b_str("https://contoso.com/")), b_raw(ip, sizeof(ip)),
                                 b_raw(registered_id, sizeof(registered_id))))),
           TBS_OK, SIGNED, NULL);
    expect(
        s, "a SAN of other names only (no dNSName for the CN)",
        request(good_subject(), san_ext(false, B_CAT(b_raw(ip, sizeof(ip)),
                                                     b_tlv(0x86, b_str("https://contoso.com/"))))),
        TBS_OK, REFUSED, POLICY);
    expect(s, "two SAN extensions",
           request(good_subject(), B_CAT(good_san(), san_ext(false, dns("evil.example")))),
           TBS_MALFORMED, REFUSED, MALFORMED);

    /* Subjects. */
    expect(s, "multi-valued RDN",
           request(b_seq(b_set(ATTR(OID_O, 0x0C, b_str("Contoso")),
                               ATTR(OID_CN, 0x0C, b_str("mail.contoso.com")))),
                   good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "empty RDN", request(b_seq(b_tlv(0x31, b_empty())), good_san()), TBS_MALFORMED,
           REFUSED, MALFORMED);
    expect(s, "empty subject, critical SAN",
           request(b_tlv(0x30, b_empty()), san_ext(true, dns("mail.contoso.com"))), TBS_OK, SIGNED,
           NULL);
    expect(s, "empty subject, non-critical SAN",
           request(b_tlv(0x30, b_empty()), san_ext(false, dns("mail.contoso.com"))), TBS_OK,
           REFUSED, POLICY);
    expect(s, "empty subject in a certificate, critical SAN",
           certificate(b_tlv(0x30, b_empty()), san_ext(true, dns("mail.contoso.com"))), TBS_OK,
           SIGNED, NULL);

    char *huge = malloc(70001);
    if (huge == NULL)
        abort();
    memset(huge, 'a', 70000);
    huge[70000] = '\0';
    memcpy(huge + 70000 - 12, ".contoso.com", 12);
    expect(s, "70,000-byte CN", request(b_seq(CN_UTF8(huge)), good_san()), TBS_OK, REFUSED, POLICY);
    expect(s, "70,000-byte CN in a certificate", certificate(b_seq(CN_UTF8(huge)), good_san()),
           TBS_OK, REFUSED, POLICY);
    expect(s, "70,000-byte dNSName", request(good_subject(), san_ext(false, dns(huge))), TBS_OK,
           REFUSED, POLICY);
    free(huge);

    /* More names than the walker holds: refused, never half-checked. */
    bytes many = b_empty();
    for (int i = 0; i < TBS_MAX_DNS + 1; i++) {
        char name[32];
        snprintf(name, sizeof(name), "h%d.contoso.com", i);
        many = B_CAT(many, dns(name));
    }
    expect(s, "more dNSNames than can be checked",
           request(good_subject(), san_ext(false, B_CAT(dns("mail.contoso.com"), many))),
           TBS_TOO_MANY, REFUSED, TOO_MANY);
}

static void crmf_requests(const signer *s)
{
    expect(s, "CRMF CertRequest, good names", crmf_request(good_subject(), good_san()), TBS_OK,
           SIGNED, NULL);
    expect(s, "CRMF CertRequest, bad DNS name",
           crmf_request(good_subject(), san_ext(true, dns("bad_name.contoso.com"))), TBS_OK,
           REFUSED, POLICY);
    expect(s, "CRMF CertRequest, bad CN, no SAN",
           crmf_request(b_seq(CN_UTF8("bad_name.contoso.com")), b_empty()), TBS_OK, REFUSED,
           POLICY);
    static const unsigned char id_and_empty_template[] = {0x30, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00};
    /* No names at all: a request may leave them to the CA (a missing SAN
     * in a request is a warning); the CA's certificate is checked when it
     * is signed. */
    expect(s, "CRMF CertRequest, empty CertTemplate",
           b_raw(id_and_empty_template, sizeof(id_and_empty_template)), TBS_OK, SIGNED, NULL);
    /* [9] before [5]: OpenSSL refuses the order too, but ours must not
     * read past it as "not a request". */
    expect(s, "CRMF CertTemplate out of order",
           b_seq(b_raw(INTEGER_0, sizeof(INTEGER_0)),
                 b_seq(b_tlv(0xA9, good_san()), b_tlv(0xA5, good_subject()))),
           TBS_MALFORMED, REFUSED, MALFORMED);
    expect(s, "CMP ProtectedPart (ir), good names",
           cmp_protected_part(0xA0, b_seq(crmf_request(good_subject(), good_san()))), TBS_OK,
           SIGNED, NULL);
    expect(
        s, "CMP ProtectedPart (kur), bad DNS name",
        cmp_protected_part(
            0xA7, b_seq(crmf_request(good_subject(), san_ext(false, dns("bad_name.contoso.com"))))),
        TBS_OK, REFUSED, POLICY);
    expect(s, "CMP ProtectedPart, two CertReqMsgs",
           cmp_protected_part(0xA2, B_CAT(b_seq(crmf_request(good_subject(), good_san())),
                                          b_seq(crmf_request(good_subject(), good_san())))),
           TBS_TOO_MANY, REFUSED, TOO_MANY);
    /* ip [1]: the server's answer, a certificate already signed. */
    expect(s, "CMP ProtectedPart (ip)", cmp_protected_part(0xA1, b_empty()), TBS_NOT_TBS, SIGNED,
           NULL);
}

/* ---- BER that OpenSSL reads as a TBS: never "not a TBS" ---------------- */

typedef enum openssl_item { AS_CINF, AS_REQ_INFO, AS_CRMF } openssl_item;

static bool openssl_decodes(openssl_item as, bytes der)
{
    const unsigned char *p = der.p;
    bool whole = false;
    if (as == AS_CINF) {
        X509_CINF *cinf = d2i_X509_CINF(NULL, &p, (long)der.len);
        whole = cinf != NULL && p == der.p + der.len;
        X509_CINF_free(cinf);
    } else if (as == AS_REQ_INFO) {
        X509_REQ_INFO *rinf = d2i_X509_REQ_INFO(NULL, &p, (long)der.len);
        whole = rinf != NULL && p == der.p + der.len;
        X509_REQ_INFO_free(rinf);
    } else {
        /* No d2i for a bare CertRequest: a CertReqMsg holding only it. */
        bytes msg = b_tlv(0x30, b_raw(der.p, der.len));
        p = msg.p;
        OSSL_CRMF_MSG *crm = d2i_OSSL_CRMF_MSG(NULL, &p, (long)msg.len);
        whole = crm != NULL && p == msg.p + msg.len;
        OSSL_CRMF_MSG_free(crm);
        free(msg.p);
    }
    ERR_clear_error();
    return whole;
}

/* HOSTILE_DER_WRITE=DIR: also leave the bytes in DIR/NAME.der, for the
 * end-to-end `openssl dgst -sign` test. */
static void write_out(const char *name, bytes der)
{
    const char *dir = getenv("HOSTILE_DER_WRITE");
    if (dir == NULL)
        return;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.der", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(der.p, 1, der.len, f) == der.len && fclose(f) == 0, "cannot write %s",
          path);
}

static void expect_ber(const signer *s, const char *name, bytes der, openssl_item as, tbs_kind kind)
{
    CHECK(openssl_decodes(as, der), "%s: OpenSSL does not decode it: the case proves nothing",
          name);
    tbs_names *walked = malloc(sizeof(*walked));
    if (walked == NULL)
        abort();
    (void)tbs_parse(der.p, der.len, walked);
    CHECK(walked->kind == kind, "%s: walked as kind %d, expected %d", name, walked->kind, kind);
    CHECK(walked->error != NULL && strstr(walked->error, "OpenSSL") != NULL,
          "%s: the reason does not say OpenSSL reads it (%s)", name,
          walked->error != NULL ? walked->error : "-");
    free(walked);
    write_out(name, der);
    expect(s, name, der, TBS_MALFORMED, REFUSED, MALFORMED);
}

/* Header and contents of a DER TLV, re-tagged with SEQUENCE's number 16 in
 * high-tag-number form (0x3F 0x10): BER, which OpenSSL reads. */
static bytes high_tag_sequence(bytes der)
{
    der.p[0] = 0x10;
    return B_CAT(b_raw("\x3F", 1), der);
}

static void ber_openssl_reads(const signer *s)
{
    expect_ber(s, "ber-cert-9-octet-length",
               b_tlv_long(0x30, 9, contents_of(certificate(good_subject(), good_san()))), AS_CINF,
               TBS_KIND_CERTIFICATE);
    expect_ber(s, "ber-cert-high-tag", high_tag_sequence(certificate(good_subject(), good_san())),
               AS_CINF, TBS_KIND_CERTIFICATE);
    /* v1: no version, no extensions; the algorithm's length indefinite. */
    static const unsigned char serial[] = {0x02, 0x01, 0x07};
    expect_ber(
        s, "ber-cert-v1-indefinite-algorithm",
        b_seq(b_raw(serial, sizeof(serial)),
              b_tlv_indefinite(0x30, b_raw(ALG_ECDSA_SHA256 + 2, sizeof(ALG_ECDSA_SHA256) - 2)),
              b_seq(b_set(ATTR(OID_CN, 0x0C, b_str("Contoso Issuing CA")))),
              b_raw(VALIDITY, sizeof(VALIDITY)), b_seq(CN_UTF8("bad_name.contoso.com")),
              b_raw(spki.p, spki.len)),
        AS_CINF, TBS_KIND_CERTIFICATE);
    expect_ber(s, "ber-request-high-tag", high_tag_sequence(request(good_subject(), good_san())),
               AS_REQ_INFO, TBS_KIND_CERT_REQUEST);
    expect_ber(s, "ber-crmf-9-octet-length",
               b_tlv_long(0x30, 9, contents_of(crmf_request(good_subject(), good_san()))), AS_CRMF,
               TBS_KIND_CRMF_REQUEST);
    expect_ber(s, "ber-crmf-high-tag", high_tag_sequence(crmf_request(good_subject(), good_san())),
               AS_CRMF, TBS_KIND_CRMF_REQUEST);
}

static void plainly_something_else(const signer *s)
{
    /* TLS 1.3 CertificateVerify content: 64 spaces, context, 0, hash. */
    unsigned char tls[64 + 34 + 1 + 32];
    memset(tls, 0x20, 64);
    memcpy(tls + 64, "TLS 1.3, server CertificateVerify", 33);
    tls[97] = 0;
    memset(tls + 98, 0xAB, 33);
    expect(s, "TLS 1.3 CertificateVerify", b_raw(tls, sizeof(tls)), TBS_NOT_TBS, SIGNED, NULL);
    static const unsigned char client_hello[] = {0x16, 0x03, 0x01, 0x00, 0x05,
                                                 0x01, 0x00, 0x00, 0x01, 0x00};
    expect(s, "TLS handshake record", b_raw(client_hello, sizeof(client_hello)), TBS_NOT_TBS,
           SIGNED, NULL);
    /* TBSCertList: version, algorithm, issuer, thisUpdate (a time). */
    static const unsigned char utc[] = {0x17, 0x0D, '2', '4', '0', '1', '0', '1',
                                        '0',  '0',  '0', '0', '0', '0', 'Z'};
    expect(s, "CRL TBSCertList",
           b_seq(b_raw("\x02\x01\x01", 3), b_raw(ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256)),
                 b_seq(CN_UTF8("Contoso CA")), b_raw(utc, sizeof(utc))),
           TBS_NOT_TBS, SIGNED, NULL);
    /* OCSP ResponseData: [1] responderID, producedAt, responses. */
    expect(s, "OCSP ResponseData",
           b_seq(b_tlv(0xA1, b_seq(CN_UTF8("Contoso OCSP"))), b_tlv(0x18, b_str("20240101000000Z")),
                 b_tlv(0x30, b_empty())),
           TBS_NOT_TBS, SIGNED, NULL);
    /* CMS signed attributes: a SET OF Attribute. */
    static const unsigned char content_type[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                                 0xF7, 0x0D, 0x01, 0x09, 0x03};
    expect(s, "CMS signed attributes",
           b_set(b_seq(b_raw(content_type, sizeof(content_type)),
                       b_set(b_raw("\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x01", 11)))),
           TBS_NOT_TBS, SIGNED, NULL);
    expect(s, "empty input", b_empty(), TBS_NOT_TBS, SIGNED, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: hostile_der MODULE_DIR\n");
        return 2;
    }
    signer s = {OSSL_LIB_CTX_new(), NULL};
    OSSL_PROVIDER *deflt = NULL, *rolecert = NULL;
    if (s.ctx == NULL || (deflt = OSSL_PROVIDER_load(s.ctx, "default")) == NULL ||
        !OSSL_PROVIDER_set_default_search_path(s.ctx, argv[1]) ||
        (rolecert = OSSL_PROVIDER_load(s.ctx, "rolecert")) == NULL ||
        !EVP_set_default_properties(s.ctx, "?rolecert.enforce=yes,?rolecert.keymgmt=no") ||
        (s.key = EVP_PKEY_Q_keygen(s.ctx, NULL, "EC", "P-256")) == NULL) {
        ERR_print_errors_fp(stderr);
        return 2;
    }
    unsigned char *der = NULL;
    int der_len = i2d_PUBKEY(s.key, &der);
    if (der_len <= 0)
        return 2;
    spki = b_raw(der, (size_t)der_len);
    OPENSSL_free(der);

    hostile_requests(&s);
    crmf_requests(&s);
    ber_openssl_reads(&s);
    plainly_something_else(&s);

    free(spki.p);
    EVP_PKEY_free(s.key);
    OSSL_PROVIDER_unload(rolecert);
    OSSL_PROVIDER_unload(deflt);
    OSSL_LIB_CTX_free(s.ctx);
    printf("%d hostile inputs, %d failures\n", cases, failures);
    return failures == 0 ? 0 : 1;
}
