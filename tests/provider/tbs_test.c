/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The DER walker against OpenSSL's own decoders: requests and certificates
 * built with libcrypto are walked, and every subject attribute and SAN
 * dNSName found must match what d2i_X509_NAME / d2i_GENERAL_NAMES read
 * from the same bytes. Then every truncation and every single-byte change
 * of those bytes is walked (ASan/UBSan builds catch any overread), and
 * non-DER encodings of a valid request are refused. A CRMF CertRequest
 * built with OpenSSL's CRMF API is walked the same way.
 */
#include <rolecert/tbs.h>

#include <openssl/crmf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

static X509_NAME *subject_name(void)
{
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               (const unsigned char *)"Diversi\xc3\xb3n de Bicicleta", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, (const unsigned char *)"IT", -1, -1, 0);
    /* A multi-valued RDN: OU + title in one SET. */
    X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, (const unsigned char *)"Mail", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "title", MBSTRING_ASC, (const unsigned char *)"Server", -1, -1,
                               1);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"mail.contoso.com",
                               -1, -1, 0);
    return name;
}

static const char *const san_text =
    "DNS:mail.contoso.com,IP:192.0.2.1,DNS:autodiscover.contoso.com,email:a@contoso.com,"
    "DNS:bad_name.contoso.com";

static void compare(const tbs_names *walked, const X509_NAME *name, const GENERAL_NAMES *gens)
{
    int n = X509_NAME_entry_count(name);
    CHECK(walked->n_subject == (size_t)n, "subject: %zu attributes walked, OpenSSL has %d",
          walked->n_subject, n);
    for (int i = 0; i < n && (size_t)i < walked->n_subject; i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        const ASN1_STRING *data = X509_NAME_ENTRY_get_data(e);
        const policy_attribute *a = &walked->subject[i];
        CHECK(a->value.len == (size_t)ASN1_STRING_length(data) &&
                  memcmp(a->value.ptr, ASN1_STRING_get0_data(data), a->value.len) == 0,
              "subject %d: value differs", i);
        CHECK(a->rdn == (size_t)X509_NAME_ENTRY_set(e), "subject %d: RDN %zu vs %d", i, a->rdn,
              X509_NAME_ENTRY_set(e));
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        policy_attr want = nid == NID_countryName              ? POLICY_ATTR_C
                           : nid == NID_organizationName       ? POLICY_ATTR_O
                           : nid == NID_organizationalUnitName ? POLICY_ATTR_OU
                           : nid == NID_commonName             ? POLICY_ATTR_CN
                                                               : POLICY_ATTR_OTHER;
        CHECK(a->attr == want, "subject %d: attribute kind", i);
        if (want == POLICY_ATTR_OTHER)
            CHECK(a->label.len == strlen(OBJ_nid2sn(nid)) &&
                      memcmp(a->label.ptr, OBJ_nid2sn(nid), a->label.len) == 0,
                  "subject %d: label", i);
        int tag = ASN1_STRING_type(data);
        policy_string_type type = tag == V_ASN1_UTF8STRING        ? POLICY_STRING_UTF8
                                  : tag == V_ASN1_PRINTABLESTRING ? POLICY_STRING_PRINTABLE
                                                                  : POLICY_STRING_OTHER;
        if (type != POLICY_STRING_OTHER)
            CHECK(a->type == type, "subject %d: string type", i);
    }
    size_t dns = 0, others = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type != GEN_DNS) {
            others++;
            continue;
        }
        const ASN1_IA5STRING *s = g->d.dNSName;
        CHECK(dns < walked->n_dns && walked->dns[dns].len == (size_t)ASN1_STRING_length(s) &&
                  memcmp(walked->dns[dns].ptr, ASN1_STRING_get0_data(s), walked->dns[dns].len) == 0,
              "SAN dNSName %zu differs", dns);
        dns++;
    }
    CHECK(walked->n_dns == dns, "SAN: %zu dNSNames walked, OpenSSL has %zu", walked->n_dns, dns);
    CHECK(walked->n_other_general_names == others, "SAN: other names %zu vs %zu",
          walked->n_other_general_names, others);
    CHECK(walked->has_san, "SAN not seen");
}

/* No crash, and a changed or cut request never walks as fine with other
 * names than OpenSSL would see. */
static void mutate(const unsigned char *der, size_t len, const char *what)
{
    unsigned char *copy = malloc(len);
    tbs_names *names = malloc(sizeof(*names));
    for (size_t cut = 0; cut < len; cut++) {
        memcpy(copy, der, cut);
        tbs_status st = tbs_parse(copy, cut, names);
        CHECK(st != TBS_OK, "%s cut at %zu walked as OK", what, cut);
    }
    for (size_t i = 0; i < len; i++) {
        for (int delta = 1; delta < 256; delta += 37) {
            memcpy(copy, der, len);
            copy[i] = (unsigned char)(copy[i] + delta);
            (void)tbs_parse(copy, len, names);
        }
    }
    free(names);
    free(copy);
}

static void check_request(EVP_PKEY *key)
{
    X509_REQ *req = X509_REQ_new();
    X509_NAME *name = subject_name();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    sk_X509_EXTENSION_push(
        exts, X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, (char *)san_text));
    X509_REQ_set_subject_name(req, name);
    X509_REQ_add_extensions(req, exts);
    X509_REQ_set_pubkey(req, key);
    unsigned char *der = NULL;
    int len = i2d_re_X509_REQ_tbs(req, &der);
    CHECK(len > 0, "encoding the request");

    tbs_names *walked = malloc(sizeof(*walked));
    CHECK(tbs_parse(der, (size_t)len, walked) == TBS_OK, "request: %s at %zu",
          walked->error ? walked->error : "?", walked->error_offset);
    CHECK(walked->kind == TBS_KIND_CERT_REQUEST, "request kind");
    CHECK(walked->key_type == POLICY_KEY_RSA && walked->key_bits == 2048, "RSA key bits %u",
          walked->key_bits);
    GENERAL_NAMES *gens = NULL;
    STACK_OF(X509_EXTENSION) *got = X509_REQ_get_extensions(req);
    gens = X509V3_get_d2i(got, NID_subject_alt_name, NULL, NULL);
    compare(walked, X509_REQ_get_subject_name(req), gens);
    mutate(der, (size_t)len, "request");

    /* BER instead of DER: indefinite outer length, non-minimal length. */
    unsigned char *ber = malloc((size_t)len + 4);
    size_t header = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
    ber[0] = 0x30;
    ber[1] = 0x80;
    memcpy(ber + 2, der + header, (size_t)len - header);
    ber[2 + len - header] = 0;
    ber[3 + len - header] = 0;
    CHECK(tbs_parse(ber, (size_t)len - header + 4, walked) == TBS_MALFORMED,
          "indefinite length accepted");
    ber[1] = 0x84;
    size_t content = (size_t)len - header;
    ber[2] = 0;
    ber[3] = 0;
    ber[4] = (unsigned char)(content >> 8);
    ber[5] = (unsigned char)content;
    memcpy(ber + 6, der + header, content);
    CHECK(tbs_parse(ber, content + 6, walked) == TBS_MALFORMED, "non-minimal length accepted");
    free(ber);

    sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
    sk_X509_EXTENSION_pop_free(got, X509_EXTENSION_free);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(name);
    OPENSSL_free(der);
    X509_REQ_free(req);
    free(walked);
}

static void check_certificate(EVP_PKEY *key)
{
    X509 *x = X509_new();
    X509_NAME *name = subject_name();
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234567);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, name);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name,
                                               (char *)"critical,"
                                                       "DNS:a.contoso.com,DNS:b.contoso.com");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, key, EVP_sha256());
    unsigned char *der = NULL;
    int len = i2d_re_X509_tbs(x, &der);
    tbs_names *walked = malloc(sizeof(*walked));
    CHECK(tbs_parse(der, (size_t)len, walked) == TBS_OK, "certificate: %s at %zu",
          walked->error ? walked->error : "?", walked->error_offset);
    CHECK(walked->kind == TBS_KIND_CERTIFICATE, "certificate kind");
    CHECK(walked->san_critical, "critical SAN not seen");
    CHECK(!walked->is_ca, "not a CA");
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    compare(walked, X509_get_subject_name(x), gens);
    mutate(der, (size_t)len, "certificate");

    /* A CRL signed by the same key is neither: it passes. */
    X509_CRL *crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, name);
    ASN1_TIME *t = ASN1_TIME_set(NULL, 0);
    X509_CRL_set1_lastUpdate(crl, t);
    X509_CRL_set1_nextUpdate(crl, t);
    X509_CRL_sign(crl, key, EVP_sha256());
    unsigned char *crl_der = NULL;
    int crl_len = i2d_re_X509_CRL_tbs(crl, &crl_der);
    CHECK(tbs_parse(crl_der, (size_t)crl_len, walked) == TBS_NOT_TBS,
          "a CRL is not passed through");
    static const unsigned char tls13[] =
        "                                TLS 1.3, server CertificateVerify";
    CHECK(tbs_parse(tls13, sizeof(tls13), walked) == TBS_NOT_TBS, "TLS bytes are not passed");
    CHECK(tbs_parse(NULL, 0, walked) == TBS_NOT_TBS, "empty input");
    /* What tbs_may_be rules out, the walk never takes for a TBS: the
     * certificate with every first byte, and cut to 0 and 1 bytes. */
    for (int b = 0; b < 256; b++) {
        unsigned char first = der[0];
        der[0] = (unsigned char)b;
        if (!tbs_may_be(der, (size_t)len))
            CHECK(tbs_parse(der, (size_t)len, walked) == TBS_NOT_TBS,
                  "first byte 0x%02x ruled out by tbs_may_be but walked", b);
        else
            CHECK(b == 0x10 || b == 0x1f || b == 0x30 || b == 0x3f,
                  "tbs_may_be let first byte 0x%02x through", b);
        der[0] = first;
    }
    CHECK(!tbs_may_be(der, 1) && tbs_parse(der, 1, walked) == TBS_NOT_TBS, "one byte");
    CHECK(!tbs_may_be(NULL, 2), "no bytes");

    ASN1_TIME_free(t);
    OPENSSL_free(crl_der);
    X509_CRL_free(crl);
    sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
    X509_NAME_free(name);
    OPENSSL_free(der);
    X509_free(x);
    free(walked);
}

/* The CertRequest of a CertReqMsg made with OpenSSL's CRMF API: what
 * OSSL_CRMF_MSG_create_popo signs. */
static void check_crmf(EVP_PKEY *key)
{
    OSSL_CRMF_MSG *crm = OSSL_CRMF_MSG_new();
    X509_NAME *name = subject_name();
    X509_EXTENSIONS *exts = sk_X509_EXTENSION_new_null();
    sk_X509_EXTENSION_push(
        exts, X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, (char *)san_text));
    CHECK(crm != NULL && OSSL_CRMF_MSG_set_certReqId(crm, 0) &&
              OSSL_CRMF_CERTTEMPLATE_fill(OSSL_CRMF_MSG_get0_tmpl(crm), key, name, NULL, NULL) &&
              OSSL_CRMF_MSG_set0_extensions(crm, exts),
          "building the CRMF message");
    unsigned char *der = NULL;
    int len = i2d_OSSL_CRMF_MSG(crm, &der);
    CHECK(len > 4 && der[0] == 0x30, "encoding the CRMF message");
    /* CertReqMsg { certReq CertRequest, (no popo yet) }: its only element. */
    size_t header = 2 + ((der[1] & 0x80) ? (der[1] & 0x7Fu) : 0u);
    const unsigned char *request = der + header;
    size_t request_len = (size_t)len - header;

    tbs_names *walked = malloc(sizeof(*walked));
    CHECK(walked != NULL && tbs_parse(request, request_len, walked) == TBS_OK, "CRMF: %s at %zu",
          walked->error ? walked->error : "?", walked->error_offset);
    CHECK(walked->kind == TBS_KIND_CRMF_REQUEST, "CRMF kind");
    CHECK(walked->key_type == POLICY_KEY_RSA && walked->key_bits == 2048, "CRMF RSA key bits %u",
          walked->key_bits);
    GENERAL_NAMES *gens =
        X509V3_get_d2i(OSSL_CRMF_CERTTEMPLATE_get0_extensions(OSSL_CRMF_MSG_get0_tmpl(crm)),
                       NID_subject_alt_name, NULL, NULL);
    compare(walked, OSSL_CRMF_CERTTEMPLATE_get0_subject(OSSL_CRMF_MSG_get0_tmpl(crm)), gens);
    mutate(request, request_len, "CRMF CertRequest");

    free(walked);
    sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
    X509_NAME_free(name);
    OPENSSL_free(der);
    OSSL_CRMF_MSG_free(crm);
}

int main(void)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    if (key == NULL) {
        ERR_print_errors_fp(stderr);
        return 2;
    }
    check_request(key);
    check_certificate(key);
    check_crmf(key);
    EVP_PKEY_free(key);
    printf("tbs_test: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
