/* SPDX-License-Identifier: Apache-2.0 */
#include <rolecert/tbs.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* DER identifier octets used below. */
#define TAG_BOOLEAN 0x01
#define TAG_INTEGER 0x02
#define TAG_BIT_STRING 0x03
#define TAG_OCTET_STRING 0x04
#define TAG_OID 0x06
#define TAG_SEQUENCE 0x30
#define TAG_SET 0x31
#define TAG_CTX0_CONSTRUCTED 0xA0
#define TAG_CTX3_CONSTRUCTED 0xA3
#define TAG_DNS_NAME 0x82 /* GeneralName dNSName [2] IMPLICIT IA5String */

typedef struct der_span {
    const unsigned char *ptr;
    size_t len;
} der_span;

typedef struct der_tlv {
    unsigned char tag;
    const unsigned char *start; /* first identifier octet */
    const unsigned char *value;
    size_t len;
} der_tlv;

typedef struct walker {
    const unsigned char *base;
    tbs_names *out;
    bool too_many;
} walker;

/* OID contents octets (no tag and length). */
static const unsigned char OID_C[] = {0x55, 0x04, 0x06};
static const unsigned char OID_ST[] = {0x55, 0x04, 0x08};
static const unsigned char OID_L[] = {0x55, 0x04, 0x07};
static const unsigned char OID_O[] = {0x55, 0x04, 0x0A};
static const unsigned char OID_OU[] = {0x55, 0x04, 0x0B};
static const unsigned char OID_CN[] = {0x55, 0x04, 0x03};
static const unsigned char OID_DC[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19};
static const unsigned char OID_SAN[] = {0x55, 0x1D, 0x11};
static const unsigned char OID_BASIC_CONSTRAINTS[] = {0x55, 0x1D, 0x13};
static const unsigned char OID_EXT_KEY_USAGE[] = {0x55, 0x1D, 0x25};
static const unsigned char OID_KP_SERVER_AUTH[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
static const unsigned char OID_ANY_EXT_KEY_USAGE[] = {0x55, 0x1D, 0x25, 0x00};
static const unsigned char OID_EXTENSION_REQUEST[] = {0x2A, 0x86, 0x48, 0x86, 0xF7,
                                                      0x0D, 0x01, 0x09, 0x0E};
static const unsigned char OID_MS_EXTENSION_REQUEST[] = {0x2B, 0x06, 0x01, 0x04, 0x01,
                                                         0x82, 0x37, 0x02, 0x01, 0x0E};
static const unsigned char OID_RSA[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01};
static const unsigned char OID_RSA_PSS[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A};
static const unsigned char OID_EC[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
static const unsigned char OID_SM2_CURVE[] = {0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D};
static const unsigned char OID_ED25519[] = {0x2B, 0x65, 0x70};
static const unsigned char OID_ED448[] = {0x2B, 0x65, 0x71};
static const unsigned char OID_DSA[] = {0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01};

#define OID_IS(tlv, oid)                                                                           \
    ((tlv)->len == sizeof(oid) && memcmp((tlv)->value, (oid), sizeof(oid)) == 0)

static der_span span_of(const der_tlv *tlv)
{
    return (der_span){tlv->value, tlv->len};
}

static bool fail(walker *w, const unsigned char *at, const char *why)
{
    if (w->out->error == NULL) {
        w->out->error = why;
        w->out->error_offset = (size_t)(at - w->base);
    }
    return false;
}

/* One strict DER header: low-tag-number form, definite and minimal length,
 * contents inside the container. */
static bool der_read(walker *w, der_span *in, der_tlv *tlv)
{
    const unsigned char *p = in->ptr;
    size_t avail = in->len;
    if (avail < 2)
        return fail(w, p, "truncated element");
    if ((p[0] & 0x1f) == 0x1f)
        return fail(w, p, "multi-byte tag");
    size_t header = 2;
    size_t len = p[1];
    if (len & 0x80) {
        size_t n = len & 0x7f;
        if (n == 0)
            return fail(w, p, "indefinite length (BER, not DER)");
        if (n > 4)
            return fail(w, p, "length field too large");
        if (avail - 2 < n)
            return fail(w, p, "truncated length");
        if (p[2] == 0)
            return fail(w, p, "non-minimal length encoding");
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | p[2 + i];
        if (len < 0x80)
            return fail(w, p, "non-minimal length encoding");
        header += n;
    }
    if (avail - header < len)
        return fail(w, p, "element longer than its container");
    tlv->tag = p[0];
    tlv->start = p;
    tlv->value = p + header;
    tlv->len = len;
    in->ptr = p + header + len;
    in->len = avail - header - len;
    return true;
}

static bool der_expect(walker *w, der_span *in, unsigned char tag, der_tlv *tlv, const char *what)
{
    const unsigned char *at = in->ptr;
    if (!der_read(w, in, tlv))
        return false;
    if (tlv->tag != tag)
        return fail(w, at, what);
    return true;
}

static bool at_end(walker *w, const der_span *in, const char *what)
{
    return in->len == 0 ? true : fail(w, in->ptr, what);
}

static bool integer_valid(walker *w, const der_tlv *tlv)
{
    if (tlv->len == 0)
        return fail(w, tlv->start, "empty INTEGER");
    if (tlv->len > 1 && ((tlv->value[0] == 0x00 && !(tlv->value[1] & 0x80)) ||
                         (tlv->value[0] == 0xff && (tlv->value[1] & 0x80))))
        return fail(w, tlv->start, "non-minimal INTEGER");
    return true;
}

static bool oid_valid(walker *w, const der_tlv *tlv)
{
    if (tlv->len == 0)
        return fail(w, tlv->start, "empty OBJECT IDENTIFIER");
    if (tlv->value[tlv->len - 1] & 0x80)
        return fail(w, tlv->start, "truncated OBJECT IDENTIFIER");
    bool subid_start = true;
    for (size_t i = 0; i < tlv->len; i++) {
        if (subid_start && tlv->value[i] == 0x80)
            return fail(w, tlv->start, "non-minimal OBJECT IDENTIFIER");
        subid_start = !(tlv->value[i] & 0x80);
    }
    return true;
}

policy_string_type tbs_string_type_of_tag(unsigned tag)
{
    switch (tag) {
    case 0x0C:
        return POLICY_STRING_UTF8;
    case 0x13:
        return POLICY_STRING_PRINTABLE;
    case 0x16:
        return POLICY_STRING_IA5;
    case 0x1E:
        return POLICY_STRING_BMP;
    case 0x1C:
        return POLICY_STRING_UNIVERSAL;
    case 0x14:
        return POLICY_STRING_T61;
    case 0x12:
        return POLICY_STRING_NUMERIC;
    /* 0x1A VisibleString too: it is not a DirectoryString and OpenSSL's
     * d2i_X509_NAME refuses a Name holding one, so the policy must refuse
     * it (rdn-encoding) rather than sign a subject no OpenSSL-based
     * verifier can read (found by tests/fuzz/fuzz_tbs). */
    default:
        return POLICY_STRING_OTHER;
    }
}

static policy_attr attr_of(const der_tlv *type)
{
    if (OID_IS(type, OID_CN))
        return POLICY_ATTR_CN;
    if (OID_IS(type, OID_C))
        return POLICY_ATTR_C;
    if (OID_IS(type, OID_O))
        return POLICY_ATTR_O;
    if (OID_IS(type, OID_OU))
        return POLICY_ATTR_OU;
    if (OID_IS(type, OID_DC))
        return POLICY_ATTR_DC;
    if (OID_IS(type, OID_ST))
        return POLICY_ATTR_ST;
    if (OID_IS(type, OID_L))
        return POLICY_ATTR_L;
    return POLICY_ATTR_OTHER;
}

/* Only for attributes outside the table, so the allocation in d2i does not
 * matter for speed. The OID was validated before. */
static policy_str label_of(const der_tlv *type, char *buf, size_t size)
{
    const unsigned char *p = type->start;
    long der_len = (long)(type->value + type->len - type->start);
    ASN1_OBJECT *obj = d2i_ASN1_OBJECT(NULL, &p, der_len);
    buf[0] = '\0';
    if (obj != NULL) {
        int nid = OBJ_obj2nid(obj);
        const char *short_name = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
        if (short_name != NULL)
            snprintf(buf, size, "%s", short_name);
        else
            OBJ_obj2txt(buf, (int)size, obj, 1);
        ASN1_OBJECT_free(obj);
    }
    return (policy_str){buf, strlen(buf)};
}

static bool walk_name(walker *w, const der_tlv *name)
{
    tbs_names *out = w->out;
    der_span rdns = span_of(name);
    for (size_t rdn = 0; rdns.len > 0; rdn++) {
        der_tlv set;
        if (!der_expect(w, &rdns, TAG_SET, &set, "subject: expected an RDN (SET)"))
            return false;
        der_span atvs = span_of(&set);
        if (atvs.len == 0)
            return fail(w, set.start, "subject: empty RDN");
        while (atvs.len > 0) {
            der_tlv atv, type, value;
            if (!der_expect(w, &atvs, TAG_SEQUENCE, &atv,
                            "subject: expected an AttributeTypeAndValue (SEQUENCE)"))
                return false;
            der_span fields = span_of(&atv);
            if (!der_expect(w, &fields, TAG_OID, &type, "subject: expected an attribute type") ||
                !oid_valid(w, &type) || !der_read(w, &fields, &value) ||
                !at_end(w, &fields, "subject: trailing data in an attribute"))
                return false;
            if (out->n_subject == TBS_MAX_SUBJECT) {
                w->too_many = true;
                return fail(w, atv.start, "more subject attributes than can be checked");
            }
            policy_attribute *a = &out->subject[out->n_subject];
            a->attr = attr_of(&type);
            a->type = (value.tag & 0x20) ? POLICY_STRING_OTHER : tbs_string_type_of_tag(value.tag);
            a->value = (policy_str){(const char *)value.value, value.len};
            a->label = a->attr == POLICY_ATTR_OTHER
                           ? label_of(&type, out->labels[out->n_subject], TBS_LABEL_MAX)
                           : (policy_str){"", 0};
            a->rdn = rdn;
            out->n_subject++;
        }
    }
    return true;
}

static unsigned integer_bits(const der_tlv *tlv)
{
    size_t i = 0;
    while (i < tlv->len && tlv->value[i] == 0)
        i++;
    if (i == tlv->len)
        return 0;
    unsigned bits = (unsigned)((tlv->len - i - 1) * 8);
    for (unsigned char top = tlv->value[i]; top != 0; top >>= 1)
        bits++;
    return bits;
}

/* RSAPublicKey inside the BIT STRING. Not being able to read it is not a
 * reason to refuse (the key is the signer's business); bits stay 0. */
static unsigned rsa_modulus_bits(walker *w, const der_tlv *bit_string)
{
    if (bit_string->len < 1 || bit_string->value[0] != 0)
        return 0;
    const char *saved_error = w->out->error;
    size_t saved_offset = w->out->error_offset;
    der_span key = {bit_string->value + 1, bit_string->len - 1};
    der_tlv seq, modulus;
    unsigned bits = 0;
    if (der_expect(w, &key, TAG_SEQUENCE, &seq, "RSA key")) {
        der_span fields = span_of(&seq);
        if (der_expect(w, &fields, TAG_INTEGER, &modulus, "RSA modulus"))
            bits = integer_bits(&modulus);
    }
    w->out->error = saved_error;
    w->out->error_offset = saved_offset;
    return bits;
}

/* DSA: the size of p in Dss-Parms { p, q, g }; 0 when unreadable. */
static unsigned dsa_p_bits(walker *w, bool has_params, const der_tlv *params)
{
    if (!has_params || params->tag != TAG_SEQUENCE)
        return 0;
    const char *saved_error = w->out->error;
    size_t saved_offset = w->out->error_offset;
    der_span fields = span_of(params);
    der_tlv p;
    unsigned bits = der_expect(w, &fields, TAG_INTEGER, &p, "DSA p") ? integer_bits(&p) : 0;
    w->out->error = saved_error;
    w->out->error_offset = saved_offset;
    return bits;
}

/* EC: the field size, from the public point (04 X Y or 02/03 X); 0 when
 * the point is not one of those forms. */
static unsigned ec_field_bits(const der_tlv *bit_string)
{
    if (bit_string->len < 3 || bit_string->value[0] != 0)
        return 0;
    size_t point = bit_string->len - 1;
    unsigned char form = bit_string->value[1];
    if (form == 0x04 && point % 2 == 1)
        return (unsigned)((point - 1) / 2 * 8);
    if (form == 0x02 || form == 0x03)
        return (unsigned)((point - 1) * 8);
    return 0;
}

static bool walk_spki(walker *w, const der_tlv *spki)
{
    der_span fields = span_of(spki);
    der_tlv alg, alg_oid, params, key;
    if (!der_expect(w, &fields, TAG_SEQUENCE, &alg, "public key: expected an AlgorithmIdentifier"))
        return false;
    der_span alg_fields = span_of(&alg);
    if (!der_expect(w, &alg_fields, TAG_OID, &alg_oid, "public key: expected an algorithm OID") ||
        !oid_valid(w, &alg_oid))
        return false;
    bool has_params = alg_fields.len > 0;
    if (has_params && !der_read(w, &alg_fields, &params))
        return false;
    if (!at_end(w, &alg_fields, "public key: trailing data in the AlgorithmIdentifier") ||
        !der_expect(w, &fields, TAG_BIT_STRING, &key, "public key: expected a BIT STRING") ||
        !at_end(w, &fields, "public key: trailing data"))
        return false;

    tbs_names *out = w->out;
    if (OID_IS(&alg_oid, OID_RSA) || OID_IS(&alg_oid, OID_RSA_PSS)) {
        out->key_type = OID_IS(&alg_oid, OID_RSA) ? POLICY_KEY_RSA : POLICY_KEY_RSA_PSS;
        out->key_bits = rsa_modulus_bits(w, &key);
    } else if (OID_IS(&alg_oid, OID_EC)) {
        bool sm2 = has_params && params.tag == TAG_OID && OID_IS(&params, OID_SM2_CURVE);
        out->key_type = sm2 ? POLICY_KEY_SM2 : POLICY_KEY_EC;
        out->key_bits = ec_field_bits(&key);
    } else if (OID_IS(&alg_oid, OID_ED25519)) {
        out->key_type = POLICY_KEY_ED25519;
    } else if (OID_IS(&alg_oid, OID_ED448)) {
        out->key_type = POLICY_KEY_ED448;
    } else if (OID_IS(&alg_oid, OID_DSA)) {
        out->key_type = POLICY_KEY_DSA;
        out->key_bits = dsa_p_bits(w, has_params, &params);
    }
    return true;
}

static bool is_general_name_tag(unsigned char tag)
{
    switch (tag) {
    case 0xA0: /* otherName */
    case 0x81: /* rfc822Name */
    case 0x82: /* dNSName */
    case 0xA3: /* x400Address */
    case 0xA4: /* directoryName */
    case 0xA5: /* ediPartyName */
    case 0x86: /* uniformResourceIdentifier */
    case 0x87: /* iPAddress */
    case 0x88: /* registeredID */
        return true;
    default:
        return false;
    }
}

static bool walk_san(walker *w, const der_tlv *octets)
{
    tbs_names *out = w->out;
    der_span content = span_of(octets);
    der_tlv names;
    if (!der_expect(w, &content, TAG_SEQUENCE, &names, "subjectAltName: expected GeneralNames") ||
        !at_end(w, &content, "subjectAltName: trailing data"))
        return false;
    der_span list = span_of(&names);
    while (list.len > 0) {
        der_tlv gn;
        if (!der_read(w, &list, &gn))
            return false;
        if (!is_general_name_tag(gn.tag))
            return fail(w, gn.start, "subjectAltName: unknown GeneralName choice");
        if (gn.tag != TAG_DNS_NAME) {
            out->n_other_general_names++;
            continue;
        }
        if (out->n_dns == TBS_MAX_DNS) {
            w->too_many = true;
            return fail(w, gn.start, "more DNS names than can be checked");
        }
        out->dns[out->n_dns++] = (policy_str){(const char *)gn.value, gn.len};
    }
    return true;
}

static bool walk_basic_constraints(walker *w, const der_tlv *octets)
{
    der_span content = span_of(octets);
    der_tlv seq;
    if (!der_expect(w, &content, TAG_SEQUENCE, &seq, "basicConstraints: expected a SEQUENCE") ||
        !at_end(w, &content, "basicConstraints: trailing data"))
        return false;
    der_span fields = span_of(&seq);
    while (fields.len > 0) {
        der_tlv field;
        if (!der_read(w, &fields, &field))
            return false;
        if (field.tag == TAG_BOOLEAN && field.len == 1 && field.value[0] == 0xff)
            w->out->is_ca = true;
    }
    return true;
}

/* extendedKeyUsage: whether it names serverAuth (or anyExtendedKeyUsage),
 * which decides the rules that apply to TLS servers only. */
static bool walk_ext_key_usage(walker *w, const der_tlv *octets)
{
    der_span content = span_of(octets);
    der_tlv seq;
    if (!der_expect(w, &content, TAG_SEQUENCE, &seq, "extendedKeyUsage: expected a SEQUENCE") ||
        !at_end(w, &content, "extendedKeyUsage: trailing data"))
        return false;
    if (w->out->has_eku)
        return fail(w, octets->start, "extendedKeyUsage extension appears twice");
    w->out->has_eku = true;
    der_span purposes = span_of(&seq);
    while (purposes.len > 0) {
        der_tlv purpose;
        if (!der_expect(w, &purposes, TAG_OID, &purpose, "extendedKeyUsage: expected an OID") ||
            !oid_valid(w, &purpose))
            return false;
        if (OID_IS(&purpose, OID_KP_SERVER_AUTH) || OID_IS(&purpose, OID_ANY_EXT_KEY_USAGE))
            w->out->eku_server_auth = true;
    }
    return true;
}

static bool walk_extensions(walker *w, der_span exts)
{
    tbs_names *out = w->out;
    while (exts.len > 0) {
        der_tlv ext, id, field;
        if (!der_expect(w, &exts, TAG_SEQUENCE, &ext, "extensions: expected an Extension"))
            return false;
        der_span fields = span_of(&ext);
        if (!der_expect(w, &fields, TAG_OID, &id, "extensions: expected an extension OID") ||
            !oid_valid(w, &id) || !der_read(w, &fields, &field))
            return false;
        bool critical = false;
        if (field.tag == TAG_BOOLEAN) {
            if (field.len != 1 || (field.value[0] != 0x00 && field.value[0] != 0xff))
                return fail(w, field.start, "extensions: invalid BOOLEAN");
            critical = field.value[0] == 0xff;
            if (!der_read(w, &fields, &field))
                return false;
        }
        if (field.tag != TAG_OCTET_STRING)
            return fail(w, field.start, "extensions: expected extnValue (OCTET STRING)");
        if (!at_end(w, &fields, "extensions: trailing data in an Extension"))
            return false;
        if (OID_IS(&id, OID_SAN)) {
            /* A second SAN would hide names from whoever reads the first. */
            if (out->has_san)
                return fail(w, ext.start, "subjectAltName extension appears twice");
            out->has_san = true;
            out->san_critical = critical;
            if (!walk_san(w, &field))
                return false;
        } else if (OID_IS(&id, OID_BASIC_CONSTRAINTS)) {
            if (!walk_basic_constraints(w, &field))
                return false;
        } else if (OID_IS(&id, OID_EXT_KEY_USAGE)) {
            if (!walk_ext_key_usage(w, &field))
                return false;
        }
    }
    return true;
}

static bool walk_certificate(walker *w, der_span body)
{
    der_tlv field;
    if (body.len > 0 && body.ptr[0] == TAG_CTX0_CONSTRUCTED) {
        der_tlv version;
        if (!der_read(w, &body, &field))
            return false;
        der_span inner = span_of(&field);
        if (!der_expect(w, &inner, TAG_INTEGER, &version, "certificate: expected the version") ||
            !integer_valid(w, &version) ||
            !at_end(w, &inner, "certificate: trailing data in version"))
            return false;
    }
    if (!der_expect(w, &body, TAG_INTEGER, &field, "certificate: expected the serial number") ||
        !integer_valid(w, &field) ||
        !der_expect(w, &body, TAG_SEQUENCE, &field,
                    "certificate: expected the signature algorithm") ||
        !der_expect(w, &body, TAG_SEQUENCE, &field, "certificate: expected the issuer") ||
        !der_expect(w, &body, TAG_SEQUENCE, &field, "certificate: expected the validity") ||
        !der_expect(w, &body, TAG_SEQUENCE, &field, "certificate: expected the subject") ||
        !walk_name(w, &field) ||
        !der_expect(w, &body, TAG_SEQUENCE, &field, "certificate: expected the public key") ||
        !walk_spki(w, &field))
        return false;
    unsigned last_optional = 0; /* [1], [2], [3] must come in order, once each */
    while (body.len > 0) {
        if (!der_read(w, &body, &field))
            return false;
        unsigned number = field.tag & 0x1f;
        bool known = field.tag == 0x81 || field.tag == 0x82 || field.tag == TAG_CTX3_CONSTRUCTED;
        if (!known || number <= last_optional)
            return fail(w, field.start, "certificate: unexpected element after the public key");
        last_optional = number;
        if (field.tag == TAG_CTX3_CONSTRUCTED) {
            der_span wrapper = span_of(&field);
            der_tlv exts;
            if (!der_expect(w, &wrapper, TAG_SEQUENCE, &exts, "certificate: expected Extensions") ||
                !at_end(w, &wrapper, "certificate: trailing data after Extensions") ||
                !walk_extensions(w, span_of(&exts)))
                return false;
        }
    }
    return true;
}

static bool walk_attributes(walker *w, der_span attrs)
{
    while (attrs.len > 0) {
        der_tlv attr, type, values, value;
        if (!der_expect(w, &attrs, TAG_SEQUENCE, &attr, "request: expected an Attribute"))
            return false;
        der_span fields = span_of(&attr);
        if (!der_expect(w, &fields, TAG_OID, &type, "request: expected an attribute type") ||
            !oid_valid(w, &type) ||
            !der_expect(w, &fields, TAG_SET, &values, "request: expected attribute values") ||
            !at_end(w, &fields, "request: trailing data in an Attribute"))
            return false;
        if (!OID_IS(&type, OID_EXTENSION_REQUEST) && !OID_IS(&type, OID_MS_EXTENSION_REQUEST))
            continue;
        der_span set = span_of(&values);
        if (!der_expect(w, &set, TAG_SEQUENCE, &value, "request: expected Extensions") ||
            !at_end(w, &set, "request: more than one value in an extension request") ||
            !walk_extensions(w, span_of(&value)))
            return false;
    }
    return true;
}

static bool walk_request(walker *w, der_span body)
{
    der_tlv field;
    if (!der_expect(w, &body, TAG_INTEGER, &field, "request: expected the version") ||
        !integer_valid(w, &field) ||
        !der_expect(w, &body, TAG_SEQUENCE, &field, "request: expected the subject") ||
        !walk_name(w, &field) ||
        !der_expect(w, &body, TAG_SEQUENCE, &field, "request: expected the public key") ||
        !walk_spki(w, &field))
        return false;
    if (body.len > 0) {
        if (!der_expect(w, &body, TAG_CTX0_CONSTRUCTED, &field, "request: expected attributes") ||
            !walk_attributes(w, span_of(&field)))
            return false;
    }
    return at_end(w, &body, "request: trailing data after the attributes");
}

/* Header reading for the sniff: any length form, possibly cut short. */
typedef struct sniff_tlv {
    unsigned char tag;
    const unsigned char *value;
    size_t len;    /* what is available, even when the header claims more */
    bool complete; /* definite length and all of it present */
} sniff_tlv;

static unsigned char sniff_tag(unsigned char tag)
{
    return tag == 0x10 || tag == 0x11 ? (unsigned char)(tag | 0x20) : tag;
}

static bool sniff_read(const unsigned char *p, size_t avail, sniff_tlv *t)
{
    if (avail < 2)
        return false;
    size_t header = 2;
    size_t len = p[1];
    bool definite = true;
    if (len == 0x80) {
        definite = false;
        len = avail - 2;
    } else if (len & 0x80) {
        size_t n = len & 0x7f;
        /* OpenSSL's BER reader takes up to sizeof(long) length octets
         * (leading zeros allowed): anything it could read as a TBS must be
         * sniffed as one, so that the strict walk refuses it rather than
         * letting it pass unchecked (found by tests/fuzz/fuzz_tbs). */
        if (n > sizeof(size_t) || avail - 2 < n)
            return false;
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | p[2 + i];
        header += n;
    }
    /* OpenSSL's decoder reads a SEQUENCE or SET even with the constructed
     * bit clear (0x10, 0x11): sniff them as what they would be taken for,
     * so the strict walk refuses them (found by tests/fuzz/fuzz_tbs). */
    t->tag = sniff_tag(p[0]);
    t->value = p + header;
    t->complete = definite && len <= avail - header;
    t->len = len <= avail - header ? len : avail - header;
    return true;
}

tbs_kind tbs_sniff(const unsigned char *der, size_t len)
{
    sniff_tlv outer, e1, e2, e3, e4;
    if (der == NULL || !sniff_read(der, len, &outer) || outer.tag != TAG_SEQUENCE)
        return TBS_KIND_OTHER;
    const unsigned char *p = outer.value;
    const unsigned char *end = outer.value + outer.len;
    if (!sniff_read(p, (size_t)(end - p), &e1))
        return TBS_KIND_OTHER;
    if (e1.tag == TAG_CTX0_CONSTRUCTED)
        return e1.len > 0 && e1.value[0] == TAG_INTEGER ? TBS_KIND_CERTIFICATE : TBS_KIND_OTHER;
    if (e1.tag != TAG_INTEGER || !e1.complete)
        return TBS_KIND_OTHER;
    p = e1.value + e1.len;
    if (!sniff_read(p, (size_t)(end - p), &e2) || e2.tag != TAG_SEQUENCE)
        return TBS_KIND_OTHER;
    unsigned char first_inside = e2.len > 0 ? sniff_tag(e2.value[0]) : 0;
    bool looks_like_name = e2.len == 0 || first_inside == TAG_SET;
    if (!looks_like_name && first_inside != TAG_OID)
        return TBS_KIND_OTHER;
    if (!e2.complete)
        return looks_like_name ? TBS_KIND_CERT_REQUEST : TBS_KIND_OTHER;
    p = e2.value + e2.len;
    if (!sniff_read(p, (size_t)(end - p), &e3) || e3.tag != TAG_SEQUENCE)
        return TBS_KIND_OTHER;
    if (looks_like_name) /* version, subject, public key: a request */
        return TBS_KIND_CERT_REQUEST;
    /* serial, algorithm, issuer, then a SEQUENCE (validity) for a v1
     * certificate; a CRL has a time there. */
    if (!e3.complete)
        return TBS_KIND_OTHER;
    p = e3.value + e3.len;
    if (!sniff_read(p, (size_t)(end - p), &e4) || e4.tag != TAG_SEQUENCE)
        return TBS_KIND_OTHER;
    return TBS_KIND_CERTIFICATE;
}

tbs_status tbs_parse(const unsigned char *der, size_t len, tbs_names *out)
{
    /* Only the scalar fields: the arrays are filled up to their counts. */
    out->kind = TBS_KIND_OTHER;
    out->n_subject = 0;
    out->n_dns = 0;
    out->n_other_general_names = 0;
    out->has_san = false;
    out->san_critical = false;
    out->is_ca = false;
    out->has_eku = false;
    out->eku_server_auth = false;
    out->key_type = POLICY_KEY_UNKNOWN;
    out->key_bits = 0;
    out->error = NULL;
    out->error_offset = 0;

    tbs_kind kind = tbs_sniff(der, len);
    if (kind == TBS_KIND_OTHER)
        return TBS_NOT_TBS;
    out->kind = kind;

    walker w = {der, out, false};
    der_span all = {der, len};
    der_tlv outer;
    bool ok = der_expect(&w, &all, TAG_SEQUENCE, &outer, "expected a SEQUENCE") &&
              at_end(&w, &all, "trailing data after the to-be-signed SEQUENCE") &&
              (kind == TBS_KIND_CERTIFICATE ? walk_certificate(&w, span_of(&outer))
                                            : walk_request(&w, span_of(&outer)));
    if (ok)
        return TBS_OK;
    return w.too_many ? TBS_TOO_MANY : TBS_MALFORMED;
}

void tbs_to_policy_names(const tbs_names *names, policy_names *out)
{
    out->subject = names->subject;
    out->n_subject = names->n_subject;
    out->dns = names->dns;
    out->n_dns = names->n_dns;
    out->has_san = names->has_san;
    out->san_critical = names->san_critical;
    out->key_type = names->key_type;
    out->key_bits = names->key_bits;
    out->usage = (policy_usage){.request = names->kind == TBS_KIND_CERT_REQUEST,
                                .ca = names->is_ca,
                                .has_eku = names->has_eku,
                                .eku_server_auth = names->eku_server_auth};
}

const char *tbs_kind_name(tbs_kind kind)
{
    switch (kind) {
    case TBS_KIND_CERT_REQUEST:
        return "certificate request";
    case TBS_KIND_CERTIFICATE:
        return "certificate";
    default:
        return "data";
    }
}
