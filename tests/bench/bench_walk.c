/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_walk: what tbs_parse costs on the bytes the provider sees all the
 * time and must pass (TLS 1.3 CertificateVerify content, a CRL's TBS, OCSP
 * ResponseData, CMS signed attributes), next to a request and a
 * certificate it walks. Each input is parsed `--count` times (default
 * 200,000); the median of `--rounds` (default 5) is printed in ns per
 * parse. Inputs that could start a SEQUENCE but are no TBS are also asked
 * of OpenSSL's decoders (the BER fallback): that is the cost measured here.
 *
 *   bench_walk [--count N] [--rounds R]
 *
 * Timing is printed, never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <rolecert/tbs.h>

typedef struct input {
    const char *name;
    unsigned char *der;
    size_t len;
    tbs_status want;
} input;

static void die(const char *what)
{
    fprintf(stderr, "bench_walk: %s failed\n", what);
    exit(1);
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A tiny DER writer (short and long lengths) for the CMS attributes. */
static size_t put_tlv(unsigned char *out, unsigned char tag, const unsigned char *value, size_t len)
{
    size_t n = 0;
    out[n++] = tag;
    if (len < 0x80) {
        out[n++] = (unsigned char)len;
    } else {
        out[n++] = 0x81;
        out[n++] = (unsigned char)len;
    }
    memmove(out + n, value, len);
    return n + len;
}

static X509 *self_signed(EVP_PKEY *key, const char *cn, X509_NAME **name_out)
{
    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();
    if (cert == NULL || name == NULL ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                    0) ||
        !X509_set_version(cert, X509_VERSION_3) ||
        !ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) || !X509_set_subject_name(cert, name) ||
        !X509_set_issuer_name(cert, name) ||
        X509_gmtime_adj(X509_getm_notBefore(cert), 0) == NULL ||
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400) == NULL || !X509_set_pubkey(cert, key) ||
        !X509_sign(cert, key, EVP_sha256()))
        die("certificate");
    *name_out = name;
    return cert;
}

static input crl_tbs(EVP_PKEY *key, X509_NAME *issuer, int revoked, const char *label)
{
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = ASN1_TIME_new();
    if (crl == NULL || t == NULL || !X509_CRL_set_version(crl, 1) ||
        !X509_CRL_set_issuer_name(crl, issuer) || X509_gmtime_adj(t, 0) == NULL ||
        !X509_CRL_set1_lastUpdate(crl, t) || !X509_CRL_set1_nextUpdate(crl, t))
        die("CRL");
    for (int i = 0; i < revoked; i++) {
        X509_REVOKED *r = X509_REVOKED_new();
        ASN1_INTEGER *serial = ASN1_INTEGER_new();
        if (r == NULL || serial == NULL || !ASN1_INTEGER_set(serial, 1000 + i) ||
            !X509_REVOKED_set_serialNumber(r, serial) || !X509_REVOKED_set_revocationDate(r, t) ||
            !X509_CRL_add0_revoked(crl, r))
            die("revoked entry");
        ASN1_INTEGER_free(serial);
    }
    if (!X509_CRL_sort(crl) || !X509_CRL_sign(crl, key, EVP_sha256()))
        die("CRL signing");
    input in = {label, NULL, 0, TBS_NOT_TBS};
    int len = i2d_re_X509_CRL_tbs(crl, &in.der);
    if (len <= 0)
        die("CRL TBS");
    in.len = (size_t)len;
    ASN1_TIME_free(t);
    X509_CRL_free(crl);
    return in;
}

static input ocsp_response_data(EVP_PKEY *key, X509 *cert)
{
    OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
    OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), cert, cert);
    ASN1_TIME *t = X509_gmtime_adj(NULL, 0);
    if (bs == NULL || id == NULL || t == NULL ||
        OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, t, t) == NULL ||
        !OCSP_basic_sign(bs, cert, key, EVP_sha256(), NULL, OCSP_NOCERTS))
        die("OCSP response");
    input in = {"OCSP ResponseData", NULL, 0, TBS_NOT_TBS};
    int len = i2d_OCSP_RESPDATA(OCSP_resp_get0_respdata(bs), &in.der);
    if (len <= 0)
        die("OCSP ResponseData");
    in.len = (size_t)len;
    ASN1_TIME_free(t);
    OCSP_CERTID_free(id);
    OCSP_BASICRESP_free(bs);
    return in;
}

/* SET { contentType data, signingTime, messageDigest }: what CMS signs. */
static input cms_signed_attributes(void)
{
    static const unsigned char content_type[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                                 0xF7, 0x0D, 0x01, 0x09, 0x03};
    static const unsigned char data_oid[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                             0xF7, 0x0D, 0x01, 0x07, 0x01};
    static const unsigned char signing_time[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                                 0xF7, 0x0D, 0x01, 0x09, 0x05};
    static const unsigned char utc[] = {0x17, 0x0D, '2', '6', '1', '1', '3', '0',
                                        '0',  '0',  '0', '0', '0', '0', 'Z'};
    static const unsigned char message_digest[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                                   0xF7, 0x0D, 0x01, 0x09, 0x04};
    unsigned char a[3][80], set[64], digest[34] = {0x04, 0x20};
    size_t la[3], n = 0;
    memset(digest + 2, 0xAB, 32);
    la[0] = put_tlv(set, 0x31, data_oid, sizeof(data_oid));
    memcpy(a[0], content_type, sizeof(content_type));
    memcpy(a[0] + sizeof(content_type), set, la[0]);
    la[0] += sizeof(content_type);
    la[1] = put_tlv(set, 0x31, utc, sizeof(utc));
    memcpy(a[1], signing_time, sizeof(signing_time));
    memcpy(a[1] + sizeof(signing_time), set, la[1]);
    la[1] += sizeof(signing_time);
    unsigned char digest_set[40];
    size_t lds = put_tlv(digest_set, 0x31, digest, sizeof(digest));
    memcpy(a[2], message_digest, sizeof(message_digest));
    memcpy(a[2] + sizeof(message_digest), digest_set, lds);
    la[2] = sizeof(message_digest) + lds;
    unsigned char body[256];
    for (int i = 0; i < 3; i++)
        n += put_tlv(body + n, 0x30, a[i], la[i]);
    input in = {"CMS signed attributes", OPENSSL_malloc(n + 3), 0, TBS_NOT_TBS};
    if (in.der == NULL)
        die("allocation");
    in.len = put_tlv(in.der, 0x31, body, n);
    return in;
}

static input tls13_certificate_verify(void)
{
    static const char context[] = "TLS 1.3, server CertificateVerify";
    input in = {"TLS 1.3 CertificateVerify", OPENSSL_malloc(64 + 34 + 32), 64 + 34 + 32,
                TBS_NOT_TBS};
    if (in.der == NULL)
        die("allocation");
    memset(in.der, 0x20, 64);
    memcpy(in.der + 64, context, 34); /* with its terminating 0, as TLS 1.3 has it */
    memset(in.der + 98, 0x5C, 32);
    return in;
}

static input request_info(EVP_PKEY *key, X509_NAME *name)
{
    X509_REQ *req = X509_REQ_new();
    X509_EXTENSIONS *exts = sk_X509_EXTENSION_new_null();
    X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name,
                                              "DNS:mail.contoso.com,DNS:contoso.com");
    if (req == NULL || exts == NULL || san == NULL || !sk_X509_EXTENSION_push(exts, san) ||
        !X509_REQ_set_version(req, X509_REQ_VERSION_1) || !X509_REQ_set_subject_name(req, name) ||
        !X509_REQ_set_pubkey(req, key) || !X509_REQ_add_extensions(req, exts) ||
        !X509_REQ_sign(req, key, EVP_sha256()))
        die("request");
    input in = {"CertificationRequestInfo", NULL, 0, TBS_OK};
    int len = i2d_re_X509_REQ_tbs(req, &in.der);
    if (len <= 0)
        die("request TBS");
    in.len = (size_t)len;
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_REQ_free(req);
    return in;
}

static input certificate_tbs(X509 *cert)
{
    input in = {"TBSCertificate", NULL, 0, TBS_OK};
    int len = i2d_re_X509_tbs(cert, &in.der);
    if (len <= 0)
        die("certificate TBS");
    in.len = (size_t)len;
    return in;
}

int main(int argc, char **argv)
{
    long count = 200000, rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--count") == 0)
            count = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--rounds") == 0)
            rounds = strtol(argv[i + 1], NULL, 10);
    }
    if (count < 1 || rounds < 1 || rounds > 99)
        die("arguments (--count N --rounds R)");
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (key == NULL)
        die("key");
    X509_NAME *name = NULL;
    X509 *cert = self_signed(key, "mail.contoso.com", &name);
    input inputs[] = {tls13_certificate_verify(),
                      crl_tbs(key, name, 0, "CRL TBSCertList, empty"),
                      crl_tbs(key, name, 1000, "CRL TBSCertList, 1000 revoked"),
                      ocsp_response_data(key, cert),
                      cms_signed_attributes(),
                      request_info(key, name),
                      certificate_tbs(cert)};
    static tbs_names names;
    printf("%-32s %7s %10s\n", "input", "bytes", "ns/parse");
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        const input *in = &inputs[i];
        if (tbs_parse(in->der, in->len, &names) != in->want)
            die(in->name);
        double per[99];
        for (long r = 0; r < rounds; r++) {
            double start = now_ns();
            for (long c = 0; c < count; c++)
                (void)tbs_parse(in->der, in->len, &names);
            per[r] = (now_ns() - start) / (double)count;
        }
        qsort(per, (size_t)rounds, sizeof(per[0]), compare_double);
        printf("%-32s %7zu %10.1f\n", in->name, in->len, per[rounds / 2]);
    }
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        OPENSSL_free(inputs[i].der);
    X509_NAME_free(name);
    X509_free(cert);
    EVP_PKEY_free(key);
    return 0;
}
