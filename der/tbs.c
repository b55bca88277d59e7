/* SPDX-License-Identifier: Apache-2.0 */
#include <rolecert/tbs.h>

#include <rolecert/der.h>

#include <openssl/asn1.h>
#include <openssl/cmp.h>
#include <openssl/crmf.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
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

/* The walk's small steps: inlined, so that the elements and spans they
 * pass around stay in registers and callbacks become direct calls. */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

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

/* OID contents octets (no tag and length). Subject attribute types are in
 * the policy's attribute table. */
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

ALWAYS_INLINE der_span span_of(const der_tlv *tlv)
{
    return (der_span){tlv->value, tlv->len};
}

static __attribute__((cold, noinline)) bool fail(walker *w, const unsigned char *at,
                                                 const char *why)
{
    if (w->out->error == NULL) {
        w->out->error = why;
        w->out->error_offset = (size_t)(at - w->base);
    }
    return false;
}

/* One strict DER header: low-tag-number form, definite and minimal length,
 * contents inside the avail octets at p. Into a temporary of the inline
 * readers', so that the walk's own elements and spans never need an
 * address and stay in registers. */
static __attribute__((noinline)) bool der_read_any(walker *w, const unsigned char *p, size_t avail,
                                                   der_tlv *tlv)
{
    size_t len;
    size_t header = der_header_quick(p, avail, &len);
    if (header != 0 && (p[0] & 0x1f) != 0x1f && len <= avail - header) {
        *tlv = (der_tlv){p[0], p, p + header, len};
        return true;
    }
    der_header h;
    der_header_status status = der_header_read(p, avail, &h);
    if (status == DER_HEADER_TRUNCATED)
        return fail(w, p, "truncated element");
    if (h.multi_byte_tag)
        return fail(w, p, "multi-byte tag");
    if (h.indefinite)
        return fail(w, p, "indefinite length (BER, not DER)");
    if (h.length_octets > 4)
        return fail(w, p, "length field too large");
    if (status == DER_HEADER_LENGTH_TRUNCATED)
        return fail(w, p, "truncated length");
    if (!h.minimal)
        return fail(w, p, "non-minimal length encoding");
    if (!h.fits)
        return fail(w, p, "element longer than its container");
    *tlv = (der_tlv){h.tag, p, p + h.header_len, h.len};
    return true;
}

/* der_read_any, then the identifier octet must be `tag`. */
static __attribute__((noinline)) bool der_expect_any(walker *w, const unsigned char *p,
                                                     size_t avail, unsigned char tag, der_tlv *tlv,
                                                     const char *what)
{
    if (!der_read_any(w, p, avail, tlv))
        return false;
    return tlv->tag == tag ? true : fail(w, p, what);
}

/* Past *tlv, which starts at in->ptr. */
ALWAYS_INLINE void der_skip(der_span *in, const der_tlv *tlv)
{
    size_t whole = (size_t)(tlv->value - in->ptr) + tlv->len;
    in->ptr += whole;
    in->len -= whole;
}

/* The next element. Inline for the most common header (a low tag number, a
 * short length, contents that fit), which der_read_any would read whole
 * too. */
ALWAYS_INLINE bool der_read(walker *w, der_span *in, der_tlv *tlv)
{
    const unsigned char *p = in->ptr;
    if (in->len >= 2 && p[1] < 0x80 && (p[0] & 0x1f) != 0x1f && p[1] <= in->len - 2) {
        *tlv = (der_tlv){p[0], p, p + 2, p[1]};
    } else {
        der_tlv slow;
        if (!der_read_any(w, p, in->len, &slow))
            return false;
        *tlv = slow;
    }
    der_skip(in, tlv);
    return true;
}

/* The next element, which must be a `tag` (`what` otherwise). */
ALWAYS_INLINE bool der_expect(walker *w, der_span *in, unsigned char tag, der_tlv *tlv,
                              const char *what)
{
    const unsigned char *p = in->ptr;
    if (in->len >= 2 && p[0] == tag && (tag & 0x1f) != 0x1f && p[1] < 0x80 && p[1] <= in->len - 2) {
        *tlv = (der_tlv){tag, p, p + 2, p[1]};
    } else {
        der_tlv slow;
        if (!der_expect_any(w, p, in->len, tag, &slow, what))
            return false;
        *tlv = slow;
    }
    der_skip(in, tlv);
    return true;
}

/* der_expect for an element that is usually longer than 127 octets (the
 * whole TBS): lengths of one and two octets inline too. */
ALWAYS_INLINE bool der_expect_long(walker *w, der_span *in, unsigned char tag, der_tlv *tlv,
                                   const char *what)
{
    const unsigned char *p = in->ptr;
    size_t len;
    size_t header = der_header_quick(p, in->len, &len);
    if (header != 0 && p[0] == tag && (tag & 0x1f) != 0x1f && len <= in->len - header) {
        *tlv = (der_tlv){tag, p, p + header, len};
        der_skip(in, tlv);
        return true;
    }
    return der_expect(w, in, tag, tlv, what);
}

ALWAYS_INLINE bool at_end(walker *w, const der_span *in, const char *what)
{
    return in->len == 0 ? true : fail(w, in->ptr, what);
}

/* The one element of `tag` a wrapper (an extnValue, an explicit tag, a SET
 * of one value) holds, and nothing after it. */
ALWAYS_INLINE bool der_sole(walker *w, const der_tlv *wrapper, unsigned char tag, der_tlv *tlv,
                            const char *what, const char *trailing)
{
    der_span content = span_of(wrapper);
    return der_expect(w, &content, tag, tlv, what) && at_end(w, &content, trailing);
}

ALWAYS_INLINE bool integer_valid(walker *w, const der_tlv *tlv)
{
    if (tlv->len == 0)
        return fail(w, tlv->start, "empty INTEGER");
    if (tlv->len > 1 && ((tlv->value[0] == 0x00 && !(tlv->value[1] & 0x80)) ||
                         (tlv->value[0] == 0xff && (tlv->value[1] & 0x80))))
        return fail(w, tlv->start, "non-minimal INTEGER");
    return true;
}

/* No subidentifier may open with 0x80 (a leading zero group); asked only
 * of OIDs that hold an octet 0x80, the only ones that could. */
static __attribute__((noinline)) bool oid_groups_minimal(walker *w, const unsigned char *start,
                                                         const unsigned char *value, size_t len)
{
    unsigned char previous = 0; /* as if a subidentifier ended before the first */
    for (size_t i = 0; i < len; i++) {
        if (value[i] == 0x80 && previous < 0x80)
            return fail(w, start, "non-minimal OBJECT IDENTIFIER");
        previous = value[i];
    }
    return true;
}

/* Contents, a last octet that ends a subidentifier, and no subidentifier
 * that opens with 0x80. Without any octet 0x80 the last holds: the usual
 * case, asked inline of the three octets of 2.5.4.3 and the like and of
 * memchr for longer ones. */
ALWAYS_INLINE bool oid_valid(walker *w, const der_tlv *tlv)
{
    const unsigned char *v = tlv->value;
    size_t n = tlv->len;
    if (n == 0)
        return fail(w, tlv->start, "empty OBJECT IDENTIFIER");
    if (v[n - 1] & 0x80)
        return fail(w, tlv->start, "truncated OBJECT IDENTIFIER");
    if (n == 3 ? ((v[0] | v[1]) & 0x80) == 0 : memchr(v, 0x80, n) == NULL)
        return true;
    return oid_groups_minimal(w, tlv->start, v, n);
}

/* A SEQUENCE that opens with an OBJECT IDENTIFIER (AttributeTypeAndValue,
 * AlgorithmIdentifier, Extension, Attribute): the SEQUENCE, its OID, and in
 * *rest what follows the OID. */
ALWAYS_INLINE bool der_oid_sequence_unchecked(walker *w, der_span *in, const char *what,
                                              const char *oid_what, der_tlv *seq, der_tlv *oid,
                                              der_span *rest)
{
    if (!der_expect(w, in, TAG_SEQUENCE, seq, what))
        return false;
    *rest = span_of(seq);
    return der_expect(w, rest, TAG_OID, oid, oid_what);
}

/* der_oid_sequence_unchecked, and the OID valid. A caller that compares
 * the OID with its own constants anyway may use the unchecked one and
 * validate only an OID that is none of them, at once: one of them is
 * valid. */
ALWAYS_INLINE bool der_oid_sequence(walker *w, der_span *in, const char *what, const char *oid_what,
                                    der_tlv *seq, der_tlv *oid, der_span *rest)
{
    return der_oid_sequence_unchecked(w, in, what, oid_what, seq, oid, rest) && oid_valid(w, oid);
}

ALWAYS_INLINE policy_string_type string_type_of_tag(unsigned tag)
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

policy_string_type tbs_string_type_of_tag(unsigned tag)
{
    return string_type_of_tag(tag);
}

/* Only for attributes outside the table, so the allocation in d2i does not
 * matter for speed. The OID was validated before. */
static policy_str label_of(const unsigned char *type_start, const unsigned char *type_end,
                           char *buf, size_t size)
{
    const unsigned char *p = type_start;
    long der_len = (long)(type_end - type_start);
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
            der_span fields;
            if (!der_oid_sequence_unchecked(
                    w, &atvs, "subject: expected an AttributeTypeAndValue (SEQUENCE)",
                    "subject: expected an attribute type", &atv, &type, &fields))
                return false;
            /* An attribute of the policy's table has a valid OID (one of
             * its constants): only the others are validated. */
            policy_attr attr = policy_attr_of_oid(type.value, type.len);
            if ((attr == POLICY_ATTR_OTHER && !oid_valid(w, &type)) ||
                !der_read(w, &fields, &value) ||
                !at_end(w, &fields, "subject: trailing data in an attribute"))
                return false;
            size_t i = out->n_subject;
            if (i == TBS_MAX_SUBJECT) {
                w->too_many = true;
                return fail(w, atv.start, "more subject attributes than can be checked");
            }
            out->subject[i] = (policy_attribute){
                .attr = attr,
                .type = (value.tag & 0x20) ? POLICY_STRING_OTHER : string_type_of_tag(value.tag),
                .value = {(const char *)value.value, value.len},
                .label = attr == POLICY_ATTR_OTHER ? label_of(type.start, type.value + type.len,
                                                              out->labels[i], TBS_LABEL_MAX)
                                                   : (policy_str){"", 0},
                .rdn = rdn};
            out->subject_raw[i] = (tbs_raw_attribute){
                type.start, (size_t)(type.value + type.len - type.start), value.tag};
            out->n_subject = i + 1;
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

/* The public key algorithms whose keys the policy tells apart (constant
 * sizes: the comparisons are inlined); POLICY_KEY_UNKNOWN for others. */
ALWAYS_INLINE policy_key_type key_type_of_oid(const der_tlv *oid)
{
    if (OID_IS(oid, OID_RSA))
        return POLICY_KEY_RSA;
    if (OID_IS(oid, OID_RSA_PSS))
        return POLICY_KEY_RSA_PSS;
    if (OID_IS(oid, OID_EC))
        return POLICY_KEY_EC;
    if (OID_IS(oid, OID_ED25519))
        return POLICY_KEY_ED25519;
    if (OID_IS(oid, OID_ED448))
        return POLICY_KEY_ED448;
    if (OID_IS(oid, OID_DSA))
        return POLICY_KEY_DSA;
    return POLICY_KEY_UNKNOWN;
}

static bool walk_spki(walker *w, const der_tlv *spki)
{
    der_span fields = span_of(spki);
    der_tlv alg_seq, alg_oid, params = {0}, key;
    der_span alg_fields;
    if (!der_oid_sequence_unchecked(w, &fields, "public key: expected an AlgorithmIdentifier",
                                    "public key: expected an algorithm OID", &alg_seq, &alg_oid,
                                    &alg_fields))
        return false;
    policy_key_type type = key_type_of_oid(&alg_oid);
    if (type == POLICY_KEY_UNKNOWN && !oid_valid(w, &alg_oid))
        return false;
    bool has_params = alg_fields.len > 0;
    if (has_params && !der_read(w, &alg_fields, &params))
        return false;
    if (!at_end(w, &alg_fields, "public key: trailing data in the AlgorithmIdentifier") ||
        !der_expect(w, &fields, TAG_BIT_STRING, &key, "public key: expected a BIT STRING") ||
        !at_end(w, &fields, "public key: trailing data"))
        return false;
    if (type == POLICY_KEY_UNKNOWN)
        return true;

    tbs_names *out = w->out;
    out->key_type = type;
    switch (type) {
    case POLICY_KEY_RSA:
    case POLICY_KEY_RSA_PSS:
        out->key_bits = rsa_modulus_bits(w, &key);
        break;
    case POLICY_KEY_EC:
        if (has_params && params.tag == TAG_OID && OID_IS(&params, OID_SM2_CURVE))
            out->key_type = POLICY_KEY_SM2;
        out->key_bits = ec_field_bits(&key);
        break;
    case POLICY_KEY_DSA:
        out->key_bits = dsa_p_bits(w, has_params, &params);
        break;
    default:
        break;
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

/* The contents of the one SEQUENCE an extnValue holds, and nothing after
 * it. */
ALWAYS_INLINE bool ext_sequence(walker *w, const der_tlv *octets, const char *what,
                                const char *trailing, der_span *contents)
{
    der_tlv seq;
    if (!der_sole(w, octets, TAG_SEQUENCE, &seq, what, trailing))
        return false;
    *contents = span_of(&seq);
    return true;
}

/* Every element of a SEQUENCE OF, read strictly and handed to `element`. */
ALWAYS_INLINE bool each_element(walker *w, der_span list,
                                bool (*element)(walker *w, const der_tlv *item))
{
    while (list.len > 0) {
        der_tlv item;
        if (!der_read(w, &list, &item) || !element(w, &item))
            return false;
    }
    return true;
}

/* An extnValue holding one SEQUENCE OF: each element to `element`. */
ALWAYS_INLINE bool walk_ext_sequence(walker *w, const der_tlv *octets, const char *what,
                                     const char *trailing,
                                     bool (*element)(walker *w, const der_tlv *item))
{
    der_span items;
    return ext_sequence(w, octets, what, trailing, &items) && each_element(w, items, element);
}

ALWAYS_INLINE bool san_general_name(walker *w, const der_tlv *gn)
{
    tbs_names *out = w->out;
    if (!is_general_name_tag(gn->tag))
        return fail(w, gn->start, "subjectAltName: unknown GeneralName choice");
    if (gn->tag != TAG_DNS_NAME) {
        out->n_other_general_names++;
        return true;
    }
    if (out->n_dns == TBS_MAX_DNS) {
        w->too_many = true;
        return fail(w, gn->start, "more DNS names than can be checked");
    }
    out->dns[out->n_dns++] = (policy_str){(const char *)gn->value, gn->len};
    return true;
}

ALWAYS_INLINE bool basic_constraints_field(walker *w, const der_tlv *field)
{
    if (field->tag == TAG_BOOLEAN && field->len == 1 && field->value[0] == 0xff)
        w->out->is_ca = true;
    return true;
}

ALWAYS_INLINE bool key_purpose(walker *w, const der_tlv *purpose)
{
    if (purpose->tag != TAG_OID)
        return fail(w, purpose->start, "extendedKeyUsage: expected an OID");
    if (!oid_valid(w, purpose))
        return false;
    if (OID_IS(purpose, OID_KP_SERVER_AUTH) || OID_IS(purpose, OID_ANY_EXT_KEY_USAGE))
        w->out->eku_server_auth = true;
    return true;
}

/* extendedKeyUsage: whether it names serverAuth (or anyExtendedKeyUsage),
 * which decides the rules that apply to TLS servers only. */
static bool walk_ext_key_usage(walker *w, const der_tlv *octets)
{
    der_span purposes;
    if (!ext_sequence(w, octets, "extendedKeyUsage: expected a SEQUENCE",
                      "extendedKeyUsage: trailing data", &purposes))
        return false;
    if (w->out->has_eku)
        return fail(w, octets->start, "extendedKeyUsage extension appears twice");
    w->out->has_eku = true;
    return each_element(w, purposes, key_purpose);
}

static bool walk_extensions(walker *w, der_span exts)
{
    tbs_names *out = w->out;
    while (exts.len > 0) {
        der_tlv ext, id, field;
        der_span fields;
        if (!der_oid_sequence(w, &exts, "extensions: expected an Extension",
                              "extensions: expected an extension OID", &ext, &id, &fields) ||
            !der_read(w, &fields, &field))
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
            if (!walk_ext_sequence(w, &field, "subjectAltName: expected GeneralNames",
                                   "subjectAltName: trailing data", san_general_name))
                return false;
        } else if (OID_IS(&id, OID_BASIC_CONSTRAINTS)) {
            if (!walk_ext_sequence(w, &field, "basicConstraints: expected a SEQUENCE",
                                   "basicConstraints: trailing data", basic_constraints_field))
                return false;
        } else if (OID_IS(&id, OID_EXT_KEY_USAGE)) {
            if (!walk_ext_key_usage(w, &field))
                return false;
        }
    }
    return true;
}

/* Extensions inside a wrapper: a certificate's [3], a request's
 * extension-request value. */
ALWAYS_INLINE bool walk_wrapped_extensions(walker *w, const der_tlv *wrapper, const char *what,
                                           const char *trailing)
{
    der_tlv exts;
    return der_sole(w, wrapper, TAG_SEQUENCE, &exts, what, trailing) &&
           walk_extensions(w, span_of(&exts));
}

/* One field of a SEQUENCE, in order: its tag, the error when it is not
 * there, and what checks its contents (NULL: its framing only). */
typedef struct der_field {
    unsigned char tag;
    const char *missing;
    bool (*walk)(walker *w, const der_tlv *field);
} der_field;

/* A SEQUENCE of fixed fields, the last of them OPTIONAL when last_optional;
 * `trailing` is the error for anything after them. */
typedef struct der_sequence {
    const der_field *fields;
    size_t n_fields;
    bool last_optional;
    const char *trailing;
} der_sequence;

#define DER_FIELDS(table) (table), sizeof(table) / sizeof((table)[0])

/* The first n fields; all of them required. */
ALWAYS_INLINE bool walk_fields(walker *w, der_span *body, const der_field *fields, size_t n)
{
    /* Unrolled: each field's tag and walk become constants. */
#pragma GCC unroll 8
    for (size_t i = 0; i < n; i++) {
        der_tlv field;
        if (!der_expect(w, body, fields[i].tag, &field, fields[i].missing) ||
            (fields[i].walk != NULL && !fields[i].walk(w, &field)))
            return false;
    }
    return true;
}

ALWAYS_INLINE bool walk_sequence(walker *w, der_span body, const der_sequence *seq)
{
    size_t required = seq->n_fields - (seq->last_optional ? 1 : 0);
    if (!walk_fields(w, &body, seq->fields, required))
        return false;
    if (body.len > 0 && !walk_fields(w, &body, seq->fields + required, seq->n_fields - required))
        return false;
    return at_end(w, &body, seq->trailing);
}

static const der_field certificate_fields[] = {
    {TAG_INTEGER, "certificate: expected the serial number", integer_valid},
    {TAG_SEQUENCE, "certificate: expected the signature algorithm", NULL},
    {TAG_SEQUENCE, "certificate: expected the issuer", NULL},
    {TAG_SEQUENCE, "certificate: expected the validity", NULL},
    {TAG_SEQUENCE, "certificate: expected the subject", walk_name},
    {TAG_SEQUENCE, "certificate: expected the public key", walk_spki},
};

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
    if (!walk_fields(w, &body, DER_FIELDS(certificate_fields)))
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
        if (field.tag == TAG_CTX3_CONSTRUCTED &&
            !walk_wrapped_extensions(w, &field, "certificate: expected Extensions",
                                     "certificate: trailing data after Extensions"))
            return false;
    }
    return true;
}

static bool walk_attributes(walker *w, const der_tlv *wrapper)
{
    der_span attrs = span_of(wrapper);
    while (attrs.len > 0) {
        der_tlv attr, type, values;
        der_span fields;
        if (!der_oid_sequence_unchecked(w, &attrs, "request: expected an Attribute",
                                        "request: expected an attribute type", &attr, &type,
                                        &fields))
            return false;
        bool extensions =
            OID_IS(&type, OID_EXTENSION_REQUEST) || OID_IS(&type, OID_MS_EXTENSION_REQUEST);
        if ((!extensions && !oid_valid(w, &type)) ||
            !der_expect(w, &fields, TAG_SET, &values, "request: expected attribute values") ||
            !at_end(w, &fields, "request: trailing data in an Attribute"))
            return false;
        if (!extensions)
            continue;
        if (!walk_wrapped_extensions(w, &values, "request: expected Extensions",
                                     "request: more than one value in an extension request"))
            return false;
    }
    return true;
}

/* CertTemplate (RFC 4211, IMPLICIT TAGS): every field optional, in order,
 * once each. Which of [0]..[9] are constructed; [3] issuer and [5] subject
 * are EXPLICIT (Name is a CHOICE), [6] and [9] IMPLICIT SEQUENCEs. */
static bool template_field_tag(unsigned char tag)
{
    static const unsigned short constructed =
        1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 9;
    unsigned number = tag & 0x1f;
    if ((tag & 0xC0) != 0x80 || number > 9)
        return false;
    return ((tag & 0x20) != 0) == ((constructed >> number) & 1u);
}

static bool walk_template(walker *w, const der_tlv *cert_template)
{
    der_span fields = span_of(cert_template);
    int last = -1;
    while (fields.len > 0) {
        der_tlv field;
        if (!der_read(w, &fields, &field))
            return false;
        int number = field.tag & 0x1f;
        if (!template_field_tag(field.tag) || number <= last)
            return fail(w, field.start, "CRMF: unexpected element in the CertTemplate");
        last = number;
        if (number == 5) {
            der_span inner = span_of(&field);
            der_tlv name;
            if (!der_expect(w, &inner, TAG_SEQUENCE, &name, "CRMF: expected the subject Name") ||
                !at_end(w, &inner, "CRMF: trailing data after the subject") || !walk_name(w, &name))
                return false;
        } else if (number == 6) {
            if (!walk_spki(w, &field))
                return false;
        } else if (number == 9) {
            if (!walk_extensions(w, span_of(&field)))
                return false;
        }
    }
    return true;
}

/* CertificationRequestInfo (RFC 2986): version, subject, public key,
 * attributes [0]. RFC 2986 requires the attributes, but OpenSSL's
 * X509_REQ_INFO reads them as OPTIONAL, and the walker must see every
 * request OpenSSL would sign. */
static const der_field request_fields[] = {
    {TAG_INTEGER, "request: expected the version", integer_valid},
    {TAG_SEQUENCE, "request: expected the subject", walk_name},
    {TAG_SEQUENCE, "request: expected the public key", walk_spki},
    {TAG_CTX0_CONSTRUCTED, "request: expected attributes", walk_attributes},
};
static const der_sequence request_info = {DER_FIELDS(request_fields), true,
                                          "request: trailing data after the attributes"};

/* CertRequest: certReqId, certTemplate, controls OPTIONAL. What `openssl
 * cmp` signs for a POPOSigningKey (crmf_lib.c, ASN1_item_sign_ex over
 * OSSL_CRMF_CERTREQUEST). */
static const der_field crmf_request_fields[] = {
    {TAG_INTEGER, "CRMF: expected the certReqId", integer_valid},
    {TAG_SEQUENCE, "CRMF: expected the CertTemplate", walk_template},
    {TAG_SEQUENCE, "CRMF: expected the controls", NULL},
};
static const der_sequence crmf_request = {DER_FIELDS(crmf_request_fields), true,
                                          "CRMF: trailing data after the controls"};

/* PKIBody choices that carry CertReqMessages: ir [0], cr [2], kur [7]. */
static bool is_crmf_body_tag(unsigned char tag)
{
    return tag == 0xA0 || tag == 0xA2 || tag == 0xA7;
}

/* ProtectedPart (RFC 4210): header, body. What `openssl cmp` signs for
 * signature-based message protection; with -popo 0 or -1 it is the only
 * signature that sees the template. One CertReqMsg is all `openssl cmp`
 * sends; more would mix several certificates' names into one check. */
static bool walk_protected_part(walker *w, der_span body)
{
    der_tlv header, choice, msgs, msg, request;
    if (!der_expect(w, &body, TAG_SEQUENCE, &header, "CMP: expected the PKIHeader") ||
        !der_read(w, &body, &choice) || !at_end(w, &body, "CMP: trailing data after the body"))
        return false;
    if (!is_crmf_body_tag(choice.tag))
        return fail(w, choice.start, "CMP: expected an ir, cr or kur body");
    der_span inner = span_of(&choice);
    if (!der_expect(w, &inner, TAG_SEQUENCE, &msgs, "CMP: expected CertReqMessages") ||
        !at_end(w, &inner, "CMP: trailing data after CertReqMessages"))
        return false;
    der_span list = span_of(&msgs);
    if (!der_expect(w, &list, TAG_SEQUENCE, &msg, "CMP: expected a CertReqMsg"))
        return false;
    if (list.len > 0) {
        w->too_many = true;
        return fail(w, list.ptr, "more than one CertReqMsg in one message");
    }
    der_span fields = span_of(&msg);
    if (!der_expect(w, &fields, TAG_SEQUENCE, &request, "CMP: expected a CertRequest"))
        return false;
    while (fields.len > 0) { /* popo, regInfo: only their framing matters */
        der_tlv rest;
        if (!der_read(w, &fields, &rest))
            return false;
    }
    return walk_sequence(w, span_of(&request), &crmf_request);
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

static bool sniff_set(const unsigned char *p, size_t avail, size_t header, size_t len,
                      bool definite, sniff_tlv *t)
{
    /* OpenSSL's decoder reads a SEQUENCE or SET even with the constructed
     * bit clear (0x10, 0x11): sniff them as what they would be taken for,
     * so the strict walk refuses them (found by tests/fuzz/fuzz_tbs). */
    t->tag = sniff_tag(p[0]);
    t->value = p + header;
    t->complete = definite && len <= avail - header;
    t->len = len <= avail - header ? len : avail - header;
    return true;
}

static __attribute__((noinline)) bool sniff_read_any(const unsigned char *p, size_t avail,
                                                     sniff_tlv *t)
{
    /* OpenSSL's BER reader takes up to sizeof(long) length octets (leading
     * zeros allowed) and indefinite lengths: anything it could read as a
     * TBS must be sniffed as one, so that the strict walk refuses it rather
     * than letting it pass unchecked (found by tests/fuzz/fuzz_tbs). */
    der_header h;
    if (der_header_read(p, avail, &h) != DER_HEADER_OK)
        return false;
    return sniff_set(p, avail, h.header_len, h.indefinite ? avail - h.header_len : h.len,
                     !h.indefinite, t);
}

/* Most headers are minimal DER: read those inline. */
ALWAYS_INLINE bool sniff_read(const unsigned char *p, size_t avail, sniff_tlv *t)
{
    size_t len;
    size_t header = der_header_quick(p, avail, &len);
    if (header != 0)
        return sniff_set(p, avail, header, len, true, t);
    sniff_tlv slow; /* the caller's stays in registers */
    if (!sniff_read_any(p, avail, &slow))
        return false;
    *t = slow;
    return true;
}

/* Inline in tbs_parse, which asks it of every input. */
ALWAYS_INLINE tbs_kind sniff(const unsigned char *der, size_t len)
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
    /* ProtectedPart: a PKIHeader (pvno first), then an ir, cr or kur. */
    if (e1.tag == TAG_SEQUENCE && e1.complete && e1.len > 0 && e1.value[0] == TAG_INTEGER) {
        p = e1.value + e1.len;
        return sniff_read(p, (size_t)(end - p), &e2) && is_crmf_body_tag(e2.tag)
                   ? TBS_KIND_CRMF_REQUEST
                   : TBS_KIND_OTHER;
    }
    if (e1.tag != TAG_INTEGER || !e1.complete)
        return TBS_KIND_OTHER;
    p = e1.value + e1.len;
    if (!sniff_read(p, (size_t)(end - p), &e2) || e2.tag != TAG_SEQUENCE)
        return TBS_KIND_OTHER;
    unsigned char first_inside = e2.len > 0 ? sniff_tag(e2.value[0]) : 0;
    /* certReqId, CertTemplate (context-tagged fields, or none at all and
     * nothing after it: a PKCS #10 request has a key there). */
    if (template_field_tag(first_inside) || (e2.len == 0 && e2.complete && e2.value == end))
        return TBS_KIND_CRMF_REQUEST;
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

tbs_kind tbs_sniff(const unsigned char *der, size_t len)
{
    return sniff(der, len);
}

static bool walk_kind(walker *w, tbs_kind kind, der_span body)
{
    switch (kind) {
    case TBS_KIND_CERTIFICATE:
        return walk_certificate(w, body);
    case TBS_KIND_CRMF_REQUEST:
        return body.len > 0 && body.ptr[0] == TAG_SEQUENCE ? walk_protected_part(w, body)
                                                           : walk_sequence(w, body, &crmf_request);
    default:
        return walk_sequence(w, body, &request_info);
    }
}

ALWAYS_INLINE tbs_status walk_tbs(const unsigned char *der, size_t len, tbs_kind kind,
                                  tbs_names *out)
{
    out->kind = kind;
    walker w = {der, out, false};
    der_span all = {der, len};
    der_tlv outer;
    bool ok = der_expect_long(&w, &all, TAG_SEQUENCE, &outer, "expected a SEQUENCE") &&
              at_end(&w, &all, "trailing data after the to-be-signed SEQUENCE") &&
              walk_kind(&w, kind, span_of(&outer));
    if (ok)
        return TBS_OK;
    return w.too_many ? TBS_TOO_MANY : TBS_MALFORMED;
}

/* ---- what the strict sniff does not recognise, OpenSSL may still read ---
 *
 * OpenSSL's BER decoder takes lengths of any number of octets (leading
 * zeros skipped), tags in high-tag-number form, indefinite lengths and
 * constructed strings: bytes it reads as a TBS, once signed, make a
 * certificate that verifies. So before anything passes as "not a TBS",
 * OpenSSL's own decoders are asked; the sniff's guesses are not the
 * authority. Only identifier octets ASN1_get_object could take for a
 * universal SEQUENCE get that far (tbs_may_be): TLS handshake transcripts
 * (0x20 pad) and CMS signed attributes (0x31) stop at the first byte. */

/* One identifier and length as OpenSSL's ASN1_get_object reads them: any
 * tag form, lengths of any number of octets (leading zeros skipped),
 * indefinite lengths on constructed elements. Deliberately not the strict
 * reader: this one must accept all OpenSSL accepts. */
typedef struct ber_header {
    unsigned cls; /* identifier bits 8-7 */
    unsigned long number;
    bool indefinite;
    size_t len;
} ber_header;

#define BER_UNIVERSAL 0
#define BER_CONTEXT 2
#define BER_MAX_NEST 30 /* OpenSSL's ASN1_MAX_CONSTRUCTED_NEST */

static bool ber_read(const unsigned char **pp, const unsigned char *end, ber_header *h)
{
    const unsigned char *p = *pp;
    if (p >= end)
        return false;
    bool constructed = (p[0] & 0x20) != 0;
    h->cls = p[0] >> 6;
    h->number = p[0] & 0x1f;
    p++;
    if (h->number == 0x1f) {
        h->number = 0;
        do {
            if (p >= end || h->number > (INT_MAX >> 7))
                return false;
            h->number = (h->number << 7) | (*p & 0x7f);
        } while (*p++ & 0x80);
    }
    if (p >= end)
        return false;
    unsigned char first = *p++;
    h->indefinite = first == 0x80;
    h->len = first & 0x7f;
    if (h->indefinite) {
        if (!constructed)
            return false;
        h->len = 0;
    } else if (first & 0x80) {
        size_t octets = first & 0x7f;
        if ((size_t)(end - p) < octets)
            return false;
        for (; octets > 0 && *p == 0; octets--)
            p++;
        if (octets > sizeof(long))
            return false;
        h->len = 0;
        for (; octets > 0; octets--)
            h->len = (h->len << 8) | *p++;
        if (h->len > LONG_MAX)
            return false;
    }
    if (h->len > (size_t)(end - p)) /* OpenSSL: "too long" */
        return false;
    *pp = p;
    return true;
}

/* Past one element's contents (an indefinite one up to its end-of-contents). */
static bool ber_skip(const unsigned char **pp, const unsigned char *end, const ber_header *h,
                     int depth)
{
    if (!h->indefinite) {
        *pp += h->len;
        return true;
    }
    if (depth > BER_MAX_NEST)
        return false;
    for (;;) {
        if (end - *pp >= 2 && (*pp)[0] == 0 && (*pp)[1] == 0) {
            *pp += 2;
            return true;
        }
        ber_header child;
        if (!ber_read(pp, end, &child) || !ber_skip(pp, end, &child, depth + 1))
            return false;
    }
}

static bool ber_is(const ber_header *h, unsigned cls, unsigned long number)
{
    return h->cls == cls && h->number == number;
}

/* Could the first elements be those of one of the kinds, as OpenSSL's
 * templates want them? TBSCertificate: [0]? INTEGER SEQUENCE SEQUENCE
 * SEQUENCE (serial, algorithm, issuer, validity); CertificationRequestInfo:
 * INTEGER SEQUENCE SEQUENCE [0]?; CertRequest: INTEGER SEQUENCE SEQUENCE?;
 * ProtectedPart: SEQUENCE [n]. A CRL's TBS (a time fourth), OCSP
 * ResponseData ([1] or [2] first) and the rest stop here, for tens of
 * nanoseconds instead of microseconds of failed decoding. Headers this
 * cannot read, no decoder reads either (ASN1_get_object fails the same
 * way: truncated, too long, indefinite primitive, over sizeof(long)). */
static bool ber_shape_may_fit(const unsigned char *der, size_t len)
{
    const unsigned char *p = der, *end = der + len;
    ber_header outer, e[5];
    /* A header ASN1_get_object cannot read (or that claims more than
     * there is) fails every d2i at once: random bytes such as a digest
     * that happens to start with 0x30 stop here, not in four decoders. */
    if (!ber_read(&p, end, &outer))
        return false;
    if (!outer.indefinite)
        end = p + outer.len;
    size_t n = 0;
    while (n < 5 && p < end && !(outer.indefinite && end - p >= 2 && p[0] == 0 && p[1] == 0)) {
        /* The same for a field's header (OPTIONAL ones too); a nested
         * indefinite element that cannot be skipped is left to them. */
        if (!ber_read(&p, end, &e[n]))
            return false;
        if (!ber_skip(&p, end, &e[n], 1))
            return true;
        n++;
    }
    if (n >= 2 && ber_is(&e[0], BER_UNIVERSAL, 16) && e[1].cls == BER_CONTEXT)
        return true;
    bool version = n > 0 && ber_is(&e[0], BER_CONTEXT, 0);
    const ber_header *f = version ? e + 1 : e;
    size_t k = version ? n - 1 : n;
    if (k == 0 || !ber_is(&f[0], BER_UNIVERSAL, 2))
        return false;
#define SEQ_AT(i) (k > (i) && ber_is(&f[i], BER_UNIVERSAL, 16))
    if (SEQ_AT(1) && SEQ_AT(2) && SEQ_AT(3))
        return true;
    if (version)
        return false;
    if (SEQ_AT(1) && SEQ_AT(2) && (k == 3 || ber_is(&f[3], BER_CONTEXT, 0)))
        return true;
    return SEQ_AT(1) && (k == 2 || (k == 3 && SEQ_AT(2)));
#undef SEQ_AT
}

static bool decodes_whole(const ASN1_ITEM *it, const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    ASN1_VALUE *value = ASN1_item_d2i(NULL, &p, (long)len, it);
    bool whole = value != NULL && p == der + len;
    ASN1_item_free(value, it);
    return whole;
}

/* libcrypto exports no ASN1_ITEM for CertRequest; a CertReqMsg without its
 * optional popo and regInfo is SEQUENCE { CertRequest }. -1: no memory. */
static int decodes_as_crmf_request(const unsigned char *der, size_t len)
{
    unsigned char *wrapped = malloc(len + 2 + sizeof(size_t));
    if (wrapped == NULL)
        return -1;
    size_t header = 0;
    wrapped[header++] = TAG_SEQUENCE;
    if (len < 0x80) {
        wrapped[header++] = (unsigned char)len;
    } else {
        size_t octets = 0;
        for (size_t rest = len; rest > 0; rest >>= 8)
            octets++;
        wrapped[header++] = (unsigned char)(0x80 | octets);
        for (size_t i = octets; i > 0; i--)
            wrapped[header++] = (unsigned char)(len >> (8 * (i - 1)));
    }
    memcpy(wrapped + header, der, len);
    int decoded = decodes_whole(ASN1_ITEM_rptr(OSSL_CRMF_MSG), wrapped, header + len);
    free(wrapped);
    return decoded;
}

/* OSSL_CMP_MSG_get_bodytype is the PKIBody choice number, the tag's. */
static bool decodes_as_cmp_request(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    OSSL_CMP_MSG *msg = d2i_OSSL_CMP_MSG(NULL, &p, (long)len);
    int body = msg != NULL ? OSSL_CMP_MSG_get_bodytype(msg) : -1;
    OSSL_CMP_MSG_free(msg);
    return p == der + len && body >= 0 && body <= 0x1f &&
           is_crmf_body_tag((unsigned char)(TAG_CTX0_CONSTRUCTED | body));
}

static tbs_status ber_fallback(const unsigned char *der, size_t len, tbs_names *out)
{
    if (!tbs_may_be(der, len) || !ber_shape_may_fit(der, len))
        return TBS_NOT_TBS;
    ERR_set_mark(); /* a failed d2i is an answer here, not an error */
    tbs_kind kind = TBS_KIND_OTHER;
    int crmf = 0;
    if (decodes_whole(ASN1_ITEM_rptr(X509_CINF), der, len))
        kind = TBS_KIND_CERTIFICATE;
    else if (decodes_whole(ASN1_ITEM_rptr(X509_REQ_INFO), der, len))
        kind = TBS_KIND_CERT_REQUEST;
    else if ((crmf = decodes_as_crmf_request(der, len)) != 0 || decodes_as_cmp_request(der, len))
        kind = TBS_KIND_CRMF_REQUEST;
    ERR_pop_to_mark();
    if (kind == TBS_KIND_OTHER)
        return TBS_NOT_TBS;
    /* Strict DER the sniff did not foresee is checked like any other. */
    tbs_status status = walk_tbs(der, len, kind, out);
    if (status == TBS_MALFORMED)
        out->error = crmf < 0 ? "out of memory while asking OpenSSL's decoders"
                              : "BER that OpenSSL's decoder reads as one, but not DER";
    return status;
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

    tbs_kind kind = sniff(der, len);
    if (kind == TBS_KIND_OTHER)
        return ber_fallback(der, len, out);
    return walk_tbs(der, len, kind, out);
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
    out->usage = (policy_usage){.request = names->kind == TBS_KIND_CERT_REQUEST ||
                                           names->kind == TBS_KIND_CRMF_REQUEST,
                                .ca = names->is_ca,
                                .has_eku = names->has_eku,
                                .eku_server_auth = names->eku_server_auth};
}

const char *tbs_kind_name(tbs_kind kind)
{
    return POLICY_ENUM_NAME(
        kind, "data", [TBS_KIND_OTHER] = "data", [TBS_KIND_CERT_REQUEST] = "certificate request",
        [TBS_KIND_CERTIFICATE] = "certificate",
        [TBS_KIND_CRMF_REQUEST] = "CRMF certificate request");
}
