/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider's to-be-signed walker over arbitrary bytes, differentially
 * against OpenSSL: whenever ours walks a CertificationRequestInfo, a
 * TBSCertificate or a CRMF CertRequest (bare or inside a CMP ProtectedPart)
 * as fine, OpenSSL's d2i_X509_NAME must decode the same
 * subject bytes to the same attributes (kind, RDN, string type, value
 * bytes), and d2i_GENERAL_NAMES (through the whole request or certificate
 * the TBS is wrapped into) must find the same dNSNames in the same order
 * and the same number of other names. Every walk, whatever its verdict,
 * then goes through the policy core as the provider runs it. What it
 * passes as "not a TBS" must be something none of OpenSSL's decoders reads
 * as one. ber_mutator.c re-encodes inputs in the forms BER allows and DER
 * forbids, which is where such bytes hide.
 */
#include <openssl/cmp.h>
#include <openssl/crmf.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include <rolecert/cert_names.h>
#include <rolecert/der.h>
#include <rolecert/tbs.h>

/* One element of strict DER (the walker already accepted it). */
typedef struct element {
    unsigned char tag;
    const uint8_t *start; /* the tag */
    const uint8_t *value;
    size_t len;   /* of the value */
    size_t total; /* header + value */
} element;

static bool next_element(const uint8_t **p, const uint8_t *end, element *e)
{
    der_header h;
    if (der_header_read(*p, (size_t)(end - *p), &h) != DER_HEADER_OK || !h.fits)
        return false;
    e->start = *p;
    e->tag = h.tag;
    e->value = *p + h.header_len;
    e->len = h.len;
    e->total = h.header_len + h.len;
    *p = e->value + e->len;
    return true;
}

/* The CertRequest inside a walked CRMF input: the input itself, or the one
 * CertReqMsg's inside a ProtectedPart (header, body [n] { CertReqMessages
 * { CertReqMsg { CertRequest, ... } } }). */
static bool find_crmf_request(const uint8_t *der, size_t len, element *request)
{
    const uint8_t *p = der, *end = der + len;
    element outer, field;
    if (!next_element(&p, end, &outer))
        return false;
    if (outer.len == 0 || outer.value[0] != 0x30) {
        *request = outer;
        return true;
    }
    p = outer.value;
    end = outer.value + outer.len;
    if (!next_element(&p, end, &field) || !next_element(&p, end, &field)) /* header, body */
        return false;
    for (int depth = 0; depth < 3; depth++) { /* CertReqMessages, CertReqMsg, CertRequest */
        p = field.value;
        if (!next_element(&p, field.value + field.len, &field))
            return false;
    }
    *request = field;
    return true;
}

/* The subject's whole encoding inside a walked TBS; false when there is
 * none (a CertTemplate without [5]). */
static bool find_subject(const uint8_t *der, size_t len, tbs_kind kind, element *subject)
{
    const uint8_t *p = der, *end = der + len;
    element outer, field;
    if (kind == TBS_KIND_CRMF_REQUEST) {
        /* certReqId, then the CertTemplate's [5] EXPLICIT Name. */
        if (!find_crmf_request(der, len, &outer))
            return false;
        p = outer.value;
        end = outer.value + outer.len;
        if (!next_element(&p, end, &field) || !next_element(&p, end, &field))
            return false;
        p = field.value;
        end = field.value + field.len;
        while (next_element(&p, end, &field)) {
            if (field.tag == 0xA5) {
                p = field.value;
                return next_element(&p, field.value + field.len, subject);
            }
        }
        return false;
    }
    if (!next_element(&p, end, &outer))
        return false;
    p = outer.value;
    end = outer.value + outer.len;
    /* Request: version, subject. Certificate: [0] version, serial,
     * signature algorithm, issuer, validity, subject. */
    int skip = 1;
    if (kind == TBS_KIND_CERTIFICATE)
        skip = end - p > 0 && p[0] == 0xA0 ? 5 : 4;
    for (int i = 0; i < skip; i++) {
        if (!next_element(&p, end, &field))
            return false;
    }
    return next_element(&p, end, subject);
}

static void note_fixed_error(void *ctx, const policy_finding *f)
{
    if (f->severity == POLICY_SEV_ERROR && !policy_rule_get(f->rule)->configurable)
        *(bool *)ctx = true;
}

/* A subject OpenSSL cannot decode (invalid UTF-8, a BMPString of odd
 * length...) is one no verifier can read: the walk may accept it, but the
 * policy must then refuse it with a rule no configuration can turn off. */
static void expect_refused_subject(const tbs_names *walked)
{
    policy_config cfg;
    policy_config_init(&cfg);
    for (size_t r = 0; r < POLICY_RULE_COUNT; r++) {
        if (policy_rule_get((policy_rule)r)->configurable)
            cfg.severity[r] = POLICY_SEV_OFF;
    }
    bool refused = false;
    policy_sink sink = {note_fixed_error, &refused};
    (void)policy_check_subject(&cfg, walked->subject, walked->n_subject, &sink);
    FUZZ_CHECK(refused, "d2i_X509_NAME refuses a subject the policy lets through");
}

static void compare_subject(const tbs_names *walked, const element *subject)
{
    const unsigned char *p = subject->start;
    X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)subject->total);
    if (name == NULL) {
        expect_refused_subject(walked);
        return;
    }
    FUZZ_CHECK(p == subject->start + subject->total, "d2i_X509_NAME stops early");
    int n = X509_NAME_entry_count(name);
    FUZZ_CHECK(walked->n_subject == (size_t)n, "subject: ours %zu attributes, OpenSSL %d",
               walked->n_subject, n);
    for (int i = 0; i < n; i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        const ASN1_STRING *data = X509_NAME_ENTRY_get_data(e);
        const policy_attribute *a = &walked->subject[i];
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        FUZZ_CHECK(a->attr == cert_attr_of_nid(nid), "subject %d: kind %d vs nid %d", i, a->attr,
                   nid);
        FUZZ_CHECK(a->rdn == (size_t)X509_NAME_ENTRY_set(e), "subject %d: RDN %zu vs %d", i, a->rdn,
                   X509_NAME_ENTRY_set(e));
        policy_string_type type = tbs_string_type_of_tag((unsigned)ASN1_STRING_type(data));
        /* A constructed (BER) string OpenSSL puts together is "other" to
         * ours, which the policy refuses (rdn-encoding): fail closed. */
        if (a->type == POLICY_STRING_OTHER && type != POLICY_STRING_OTHER) {
            expect_refused_subject(walked);
            continue;
        }
        FUZZ_CHECK(a->type == type, "subject %d: string type %d vs OpenSSL tag %d", i, a->type,
                   ASN1_STRING_type(data));
        /* OpenSSL keeps a non-string value (a SEQUENCE, an INTEGER...) as
         * its whole encoding; ours points at the contents: compare the
         * strings, which are what the policy reads. */
        if (type != POLICY_STRING_OTHER)
            FUZZ_CHECK(a->value.len == (size_t)ASN1_STRING_length(data) &&
                           memcmp(a->value.ptr, ASN1_STRING_get0_data(data), a->value.len) == 0,
                       "subject %d: value bytes differ", i);
    }
    X509_NAME_free(name);
}

static size_t put_header(uint8_t *out, unsigned char tag, size_t len)
{
    size_t n = 0;
    out[n++] = tag;
    if (len < 0x80) {
        out[n++] = (uint8_t)len;
    } else {
        size_t bytes = 0;
        for (size_t l = len; l > 0; l >>= 8)
            bytes++;
        out[n++] = (uint8_t)(0x80 | bytes);
        for (size_t i = bytes; i > 0; i--)
            out[n++] = (uint8_t)(len >> (8 * (i - 1)));
    }
    return n;
}

/* TBS + ecdsa-with-SHA256 + an empty BIT STRING: a whole certificate or
 * request for OpenSSL's decoder (the signature is never checked). */
static uint8_t *wrap_signed(const uint8_t *tbs, size_t tbs_len, size_t *out_len)
{
    static const uint8_t tail[] = {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE,
                                   0x3D, 0x04, 0x03, 0x02, 0x03, 0x01, 0x00};
    size_t body = tbs_len + sizeof(tail);
    uint8_t *out = malloc(body + 8);
    if (out == NULL)
        return NULL;
    size_t n = put_header(out, 0x30, body);
    memcpy(out + n, tbs, tbs_len);
    memcpy(out + n + tbs_len, tail, sizeof(tail));
    *out_len = n + body;
    return out;
}

/* libcrypto has no d2i for a bare CertRequest: a CertReqMsg without its
 * optional popo and regInfo is SEQUENCE { CertRequest }. NULL unless the
 * whole of it decodes. */
static OSSL_CRMF_MSG *crmf_msg_of(const uint8_t *request, size_t len)
{
    uint8_t *msg = malloc(len + 16);
    FUZZ_CHECK(msg != NULL, "allocation");
    size_t n = put_header(msg, 0x30, len);
    memcpy(msg + n, request, len);
    const unsigned char *p = msg;
    OSSL_CRMF_MSG *crm = d2i_OSSL_CRMF_MSG(NULL, &p, (long)(n + len));
    if (crm != NULL && p != msg + n + len) {
        OSSL_CRMF_MSG_free(crm);
        crm = NULL;
    }
    free(msg);
    return crm;
}

static GENERAL_NAMES *openssl_san(const uint8_t *tbs, size_t len, tbs_kind kind, bool *decoded)
{
    size_t whole_len = 0;
    uint8_t *whole = wrap_signed(tbs, len, &whole_len);
    FUZZ_CHECK(whole != NULL, "allocation");
    const unsigned char *p = whole;
    GENERAL_NAMES *gens = NULL;
    int crit = -1;
    *decoded = false;
    if (kind == TBS_KIND_CERTIFICATE) {
        X509 *cert = d2i_X509(NULL, &p, (long)whole_len);
        if (cert != NULL) {
            *decoded = true;
            gens = X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, NULL);
            if (gens == NULL && crit >= 0)
                *decoded = false; /* the extension is there but does not decode */
            X509_free(cert);
        }
    } else if (kind == TBS_KIND_CRMF_REQUEST) {
        element request;
        OSSL_CRMF_MSG *msg = find_crmf_request(tbs, len, &request)
                                 ? crmf_msg_of(request.start, request.total)
                                 : NULL;
        if (msg != NULL) {
            *decoded = true;
            const STACK_OF(X509_EXTENSION) *exts =
                OSSL_CRMF_CERTTEMPLATE_get0_extensions(OSSL_CRMF_MSG_get0_tmpl(msg));
            gens = X509V3_get_d2i(exts, NID_subject_alt_name, &crit, NULL);
            if (gens == NULL && crit >= 0)
                *decoded = false;
            OSSL_CRMF_MSG_free(msg);
        }
    } else {
        X509_REQ *req = d2i_X509_REQ(NULL, &p, (long)whole_len);
        if (req != NULL) {
            STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
            *decoded = true;
            gens = X509V3_get_d2i(exts, NID_subject_alt_name, &crit, NULL);
            if (gens == NULL && crit >= 0)
                *decoded = false;
            sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
            X509_REQ_free(req);
        }
    }
    free(whole);
    return gens;
}

static void compare_san(const tbs_names *walked, const GENERAL_NAMES *gens)
{
    FUZZ_CHECK(walked->has_san == (gens != NULL), "SAN present: ours %d, OpenSSL %d",
               walked->has_san, gens != NULL);
    if (gens == NULL)
        return;
    size_t dns = 0, others = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type != GEN_DNS) {
            others++;
            continue;
        }
        const ASN1_IA5STRING *s = g->d.dNSName;
        FUZZ_CHECK(
            dns < walked->n_dns && walked->dns[dns].len == (size_t)ASN1_STRING_length(s) &&
                memcmp(walked->dns[dns].ptr, ASN1_STRING_get0_data(s), walked->dns[dns].len) == 0,
            "SAN dNSName %zu differs", dns);
        dns++;
    }
    FUZZ_CHECK(walked->n_dns == dns, "SAN: ours %zu dNSNames, OpenSSL %zu", walked->n_dns, dns);
    FUZZ_CHECK(walked->n_other_general_names == others, "SAN: ours %zu other names, OpenSSL %zu",
               walked->n_other_general_names, others);
}

static unsigned long long executions;
static struct timespec start; /* of the first execution */

/* ROLECERT_FUZZ_SURVEY=DIR (tests/fuzz/rediscover.sh; never set in CI):
 * instead of aborting, a pass-through finding is saved as
 * DIR/<execution>-<milliseconds>-<what> and the run goes on, so one run
 * shows how soon each form turns up. */
static void passed_through(const uint8_t *data, size_t size, const char *what)
{
    const char *dir = getenv("ROLECERT_FUZZ_SURVEY");
    FUZZ_CHECK(dir != NULL, "passed through, but OpenSSL decodes it as a %s", what);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ms = (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%llu-%lld-%s", dir, executions, ms, what);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL && fwrite(data, 1, size, f) == size && fclose(f) == 0, "writing %s", path);
}

/* What passes through unchecked must be plainly something else: none of
 * OpenSSL's own decoders (BER-tolerant) may read it as a whole
 * TBSCertificate, CertificationRequestInfo, CRMF CertRequest or CMP
 * ir/cr/kur. */
static void expect_not_decodable(const uint8_t *data, size_t size)
{
    const unsigned char *p = data;
    X509_CINF *cinf = d2i_X509_CINF(NULL, &p, (long)size);
    bool whole = cinf != NULL && p == data + size;
    X509_CINF_free(cinf);
    if (whole) {
        passed_through(data, size, "TBSCertificate");
        return;
    }
    p = data;
    X509_REQ_INFO *rinf = d2i_X509_REQ_INFO(NULL, &p, (long)size);
    whole = rinf != NULL && p == data + size;
    X509_REQ_INFO_free(rinf);
    if (whole) {
        passed_through(data, size, "CertificationRequestInfo");
        return;
    }
    OSSL_CRMF_MSG *crm = crmf_msg_of(data, size);
    OSSL_CRMF_MSG_free(crm);
    if (crm != NULL) {
        passed_through(data, size, "CRMF-CertRequest");
        return;
    }
    p = data;
    OSSL_CMP_MSG *cmp = d2i_OSSL_CMP_MSG(NULL, &p, (long)size);
    int body = cmp != NULL && p == data + size ? OSSL_CMP_MSG_get_bodytype(cmp) : -1;
    OSSL_CMP_MSG_free(cmp);
    /* PKIBody choices ir [0], cr [2], kur [7] carry CertReqMessages. */
    if (body == 0 || body == 2 || body == 7)
        passed_through(data, size, "CMP-request");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tbs_names walked; /* large; one input at a time */
    if (executions++ == 0)
        clock_gettime(CLOCK_MONOTONIC, &start);
    tbs_status status = tbs_parse(data, size, &walked);
    FUZZ_CHECK(status == TBS_NOT_TBS || walked.kind != TBS_KIND_OTHER,
               "a TBS verdict of kind other");
    /* Callers skip the walk on tbs_may_be's word. */
    FUZZ_CHECK(tbs_may_be(data, size) || status == TBS_NOT_TBS,
               "tbs_may_be ruled out what the walk takes for a TBS");
    if (status == TBS_MALFORMED || status == TBS_TOO_MANY)
        FUZZ_CHECK(walked.error != NULL && walked.error_offset <= size,
                   "refused without a reason inside the input");
    if (status == TBS_NOT_TBS)
        expect_not_decodable(data, size);
    if (status != TBS_OK)
        return 0;
    /* OTHER: the sniff passed it, OpenSSL's decoders read it, the walk
     * found it strict DER after all. */
    tbs_kind sniffed = tbs_sniff(data, size);
    FUZZ_CHECK(sniffed == walked.kind || sniffed == TBS_KIND_OTHER,
               "sniff and walk disagree on the kind");

    element subject;
    if (find_subject(data, size, walked.kind, &subject))
        compare_subject(&walked, &subject);
    else
        FUZZ_CHECK(walked.kind == TBS_KIND_CRMF_REQUEST && walked.n_subject == 0,
                   "no subject in a walked TBS");
    bool decoded = false;
    GENERAL_NAMES *gens = openssl_san(data, size, walked.kind, &decoded);
    if (decoded)
        compare_san(&walked, gens);
    GENERAL_NAMES_free(gens);

    policy_config cfg;
    policy_config_init(&cfg);
    policy_names view;
    tbs_to_policy_names(&walked, &view);
    (void)policy_check_names(&cfg, &view, NULL);
    ERR_clear_error();
    return 0;
}
