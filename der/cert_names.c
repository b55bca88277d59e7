/* SPDX-License-Identifier: Apache-2.0 */
#include <rolecert/cert_names.h>

#include <rolecert/der.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <stdio.h>
#include <string.h>

bool cert_tbs_span(const unsigned char *der, size_t len, const unsigned char **tbs, size_t *tbs_len)
{
    der_header outer;
    if (der_header_read(der, len, &outer) != DER_HEADER_OK || !outer.fits || outer.tag != 0x30)
        return false;
    const unsigned char *body = der + outer.header_len;
    size_t inner = der_element_size(body, outer.len, 0x30);
    if (inner == 0)
        return false;
    *tbs = body;
    *tbs_len = inner;
    return true;
}

tbs_status cert_names_walk(const unsigned char *der, size_t len, tbs_names *out)
{
    const unsigned char *tbs = NULL;
    size_t tbs_len = 0;
    if (!cert_tbs_span(der, len, &tbs, &tbs_len)) {
        memset(out, 0, sizeof(*out));
        out->error = "no to-be-signed SEQUENCE inside the outer SEQUENCE";
        return TBS_MALFORMED;
    }
    tbs_status status = tbs_parse(tbs, tbs_len, out);
    if (status == TBS_NOT_TBS) {
        out->error = "not a TBSCertificate or CertificationRequestInfo";
        out->error_offset = 0;
        return TBS_MALFORMED;
    }
    if (status != TBS_OK)
        out->error_offset += (size_t)(tbs - der);
    return status;
}

bool cert_name_text_of(const tbs_names *names, size_t i, cert_name_text *out)
{
    const tbs_raw_attribute *raw = &names->subject_raw[i];
    const policy_attribute *a = &names->subject[i];
    out->utf8 = NULL;
    out->utf8_len = 0;
    snprintf(out->label, sizeof(out->label), "?");
    /* The walker validated the OID; this decodes only what it points at. */
    const unsigned char *p = raw->type_der;
    ASN1_OBJECT *type = d2i_ASN1_OBJECT(NULL, &p, (long)raw->type_der_len);
    ASN1_STRING *value = ASN1_STRING_type_new(raw->value_tag);
    bool ok =
        type != NULL && value != NULL && ASN1_STRING_set(value, a->value.ptr, (int)a->value.len);
    if (ok) {
        if (OBJ_obj2txt(out->label, sizeof(out->label), type, 0) <= 0)
            snprintf(out->label, sizeof(out->label), "?");
        /* OpenSSL's conversion, as every OpenSSL-based reader of the
         * certificate shows the value (PrintableString and IA5String read
         * as Latin-1, say). */
        unsigned char *utf8 = NULL;
        int utf8_len = ASN1_STRING_to_UTF8(&utf8, value);
        if (utf8_len >= 0) {
            out->utf8 = (char *)utf8;
            out->utf8_len = (size_t)utf8_len;
        }
    }
    ASN1_OBJECT_free(type);
    ASN1_STRING_free(value);
    ERR_clear_error();
    return ok;
}

void cert_name_text_free(cert_name_text *text)
{
    OPENSSL_free(text->utf8);
    text->utf8 = NULL;
    text->utf8_len = 0;
}

policy_attr cert_attr_of_nid(int nid)
{
    const ASN1_OBJECT *obj = OBJ_nid2obj(nid);
    if (nid == NID_undef || obj == NULL)
        return POLICY_ATTR_OTHER;
    return policy_attr_of_oid(OBJ_get0_data(obj), OBJ_length(obj));
}
