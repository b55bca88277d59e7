/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one DER header reader, the whole-item TBS span and the subject-
 * attribute table, at their edges: each reader judges the header's facts
 * by its own rule, so the facts must be exactly right.
 */
#include <rolecert/cert_names.h>
#include <rolecert/der.h>

#include <rolecert/tbs.h>

#include <openssl/objects.h>

#include <string.h>

#include "unit_util.h"

static der_header read_ok(const unsigned char *p, size_t len)
{
    der_header h;
    CHECK(der_header_read(p, len, &h) == DER_HEADER_OK);
    return h;
}

static void test_header(void)
{
    der_header h;
    const unsigned char short_form[] = {0x30, 0x03, 1, 2, 3};
    h = read_ok(short_form, sizeof(short_form));
    CHECK(h.tag == 0x30 && h.header_len == 2 && h.len == 3 && h.fits && h.minimal);
    CHECK(!read_ok(short_form, 4).fits); /* the contents run past the input */

    const unsigned char long_form[] = {0x04, 0x81, 0x80};
    h = read_ok(long_form, sizeof(long_form));
    CHECK(h.length_octets == 1 && h.header_len == 3 && h.len == 0x80 && h.minimal && !h.fits);

    const unsigned char not_minimal[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
    h = read_ok(not_minimal, sizeof(not_minimal));
    CHECK(!h.minimal && h.fits && h.len == 5);
    const unsigned char leading_zero[] = {0x04, 0x82, 0x00, 0x81};
    CHECK(!read_ok(leading_zero, sizeof(leading_zero)).minimal);

    const unsigned char indefinite[] = {0x30, 0x80, 0, 0};
    h = read_ok(indefinite, sizeof(indefinite));
    CHECK(h.indefinite && !h.fits && h.len == 0);

    const unsigned char high_tag[] = {0x1f, 0x01, 0x00};
    CHECK(read_ok(high_tag, 2).multi_byte_tag);

    CHECK(der_header_read(short_form, 1, &h) == DER_HEADER_TRUNCATED);
    const unsigned char cut_length[] = {0x30, 0x82, 0x01};
    CHECK(der_header_read(cut_length, sizeof(cut_length), &h) == DER_HEADER_LENGTH_TRUNCATED);
    CHECK(h.length_octets == 2 && h.tag == 0x30);
    const unsigned char huge[] = {0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    CHECK(der_header_read(huge, sizeof(huge), &h) == DER_HEADER_LENGTH_TOO_LARGE);
    CHECK(h.length_octets == 9);

    CHECK_SIZE(der_element_size(short_form, sizeof(short_form), 0x30), 5);
    CHECK_SIZE(der_element_size(short_form, sizeof(short_form), 0x31), 0);
    CHECK_SIZE(der_element_size(indefinite, sizeof(indefinite), 0x30), 0);
}

/* The inline fast path reads exactly the minimal headers of up to two
 * length octets, with der_header_read's facts: every value of the second
 * and third octets, at every length the input can be cut to. */
static void test_header_quick(void)
{
    unsigned char p[4] = {0x30, 0, 0, 0x01};
    for (unsigned second = 0; second < 0x100; second++) {
        for (unsigned third = 0; third < 0x100; third++) {
            p[1] = (unsigned char)second;
            p[2] = (unsigned char)third;
            for (size_t avail = 0; avail <= sizeof(p); avail++) {
                der_header h;
                size_t len = 0;
                size_t header = der_header_quick(p, avail, &len);
                bool read = der_header_read(p, avail, &h) == DER_HEADER_OK && !h.indefinite &&
                            h.minimal && h.length_octets <= 2;
                if (header != 0 || read) {
                    CHECK(header != 0 && read);
                    CHECK(header == h.header_len && len == h.len);
                }
            }
        }
    }
}

static size_t put(unsigned char *out, unsigned char tag, const unsigned char *value, size_t len)
{
    memmove(out + 2, value, len); /* value may be out: wrap in place */
    out[0] = tag;
    out[1] = (unsigned char)len; /* short form: every element here is small */
    return len + 2;
}

/* A CertificationRequestInfo with one subject attribute of this type
 * (contents octets) and an Ed25519 key; its length. */
static size_t request_with_type(unsigned char *out, const unsigned char *type, size_t type_len)
{
    unsigned char atv[64], name[80], spki[64], body[192];
    const unsigned char version[] = {0x02, 0x01, 0x00};
    const unsigned char value[] = {0x13, 0x01, 'a'};
    const unsigned char ed25519[] = {0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70};
    const unsigned char attributes[] = {0xA0, 0x00};
    size_t n = put(atv, 0x06, type, type_len);
    memcpy(atv + n, value, sizeof(value));
    n = put(atv, 0x30, atv, n + sizeof(value));
    n = put(name, 0x31, atv, n);
    n = put(name, 0x30, name, n);
    unsigned char key[33] = {0};
    size_t k = sizeof(ed25519);
    memcpy(spki, ed25519, k);
    k += put(spki + k, 0x03, key, sizeof(key));
    k = put(spki, 0x30, spki, k);
    size_t b = 0;
    memcpy(body, version, sizeof(version));
    b += sizeof(version);
    memcpy(body + b, name, n);
    b += n;
    memcpy(body + b, spki, k);
    b += k;
    memcpy(body + b, attributes, sizeof(attributes));
    b += sizeof(attributes);
    return put(out, 0x30, body, b);
}

/* The walk finds attribute types as policy_attr_of_oid does, and judges OIDs on its fast paths as
 * strictly as by their subidentifiers. */
static void test_walk_types(void)
{
    static tbs_names names;
    unsigned char der[256];
    for (unsigned last = 0; last < 0x100; last++) {
        const unsigned char type[] = {0x55, 0x04, (unsigned char)last};
        size_t len = request_with_type(der, type, sizeof(type));
        tbs_status status = tbs_parse(der, len, &names);
        if (last >= 0x80) { /* the last subidentifier never ends */
            CHECK(status == TBS_MALFORMED);
            CHECK_STR(names.error, "truncated OBJECT IDENTIFIER");
            continue;
        }
        CHECK(status == TBS_OK && names.n_subject == 1);
        CHECK(names.subject[0].attr == policy_attr_of_oid(type, sizeof(type)));
    }
    const unsigned char dc[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19};
    CHECK(tbs_parse(der, request_with_type(der, dc, sizeof(dc)), &names) == TBS_OK);
    CHECK(names.subject[0].attr == POLICY_ATTR_DC);

    /* 0x80 opening a subidentifier (first, inner, in a three-octet OID);
     * 0x80 inside one is fine. */
    const unsigned char first[] = {0x80, 0x01, 0x03};
    const unsigned char inner[] = {0x2A, 0x80, 0x01, 0x86, 0x48, 0x01};
    const unsigned char inside[] = {0x2A, 0x81, 0x80, 0x01, 0x86, 0x48, 0x01};
    const unsigned char leading_zero[] = {0x55, 0x80, 0x03};
    const unsigned char *bad[] = {first, inner, leading_zero};
    const size_t bad_len[] = {sizeof(first), sizeof(inner), sizeof(leading_zero)};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(tbs_parse(der, request_with_type(der, bad[i], bad_len[i]), &names) == TBS_MALFORMED);
        CHECK_STR(names.error, "non-minimal OBJECT IDENTIFIER");
        CHECK_SIZE(names.error_offset, 11); /* 30 L 02 01 00 30 L 31 L 30 L: the type */
    }
    CHECK(tbs_parse(der, request_with_type(der, inside, sizeof(inside)), &names) == TBS_OK);
    CHECK(names.subject[0].attr == POLICY_ATTR_OTHER);
}

static void test_tbs_span(void)
{
    /* Certificate ::= SEQUENCE { SEQUENCE {02 01 00}, ... } */
    const unsigned char item[] = {0x30, 0x07, 0x30, 0x03, 0x02, 0x01, 0x00, 0x05, 0x00};
    const unsigned char *tbs = NULL;
    size_t tbs_len = 0;
    CHECK(cert_tbs_span(item, sizeof(item), &tbs, &tbs_len));
    CHECK(tbs == item + 2 && tbs_len == 5);
    CHECK(!cert_tbs_span(item, 5, &tbs, &tbs_len)); /* outer SEQUENCE cut short */
    const unsigned char not_sequence[] = {0x30, 0x03, 0x31, 0x01, 0x00};
    CHECK(!cert_tbs_span(not_sequence, sizeof(not_sequence), &tbs, &tbs_len));

    static tbs_names names;
    CHECK(cert_names_walk(item, sizeof(item), &names) == TBS_MALFORMED);
    CHECK(names.error != NULL);
}

static void test_attribute_table(void)
{
    for (int a = POLICY_ATTR_C; a < POLICY_ATTR_OTHER; a++) {
        const policy_attr_info *info = policy_attr_info_of((policy_attr)a);
        CHECK(info != NULL && info->attr == (policy_attr)a);
        CHECK(policy_attr_of_name(unit_str(info->name)) == (policy_attr)a);
        CHECK(policy_attr_of_oid(info->oid, info->oid_len) == (policy_attr)a);
        CHECK_STR(policy_attr_name((policy_attr)a), info->name);
        CHECK(policy_attr_rank((policy_attr)a) == info->rank);
    }
    CHECK(policy_attr_info_of(POLICY_ATTR_OTHER) == NULL);
    CHECK(policy_attr_of_name(unit_str("s")) == POLICY_ATTR_ST);
    CHECK(policy_attr_of_name(unit_str("cn")) == POLICY_ATTR_CN);
    CHECK(policy_attr_of_name(unit_str("title")) == POLICY_ATTR_OTHER);
    const unsigned char title[] = {0x55, 0x04, 0x0C};
    CHECK(policy_attr_of_oid(title, sizeof(title)) == POLICY_ATTR_OTHER);

    /* OpenSSL's NIDs reach the table through its OIDs. */
    CHECK(cert_attr_of_nid(NID_commonName) == POLICY_ATTR_CN);
    CHECK(cert_attr_of_nid(NID_countryName) == POLICY_ATTR_C);
    CHECK(cert_attr_of_nid(NID_domainComponent) == POLICY_ATTR_DC);
    CHECK(cert_attr_of_nid(NID_stateOrProvinceName) == POLICY_ATTR_ST);
    CHECK(cert_attr_of_nid(NID_localityName) == POLICY_ATTR_L);
    CHECK(cert_attr_of_nid(NID_organizationName) == POLICY_ATTR_O);
    CHECK(cert_attr_of_nid(NID_organizationalUnitName) == POLICY_ATTR_OU);
    CHECK(cert_attr_of_nid(NID_title) == POLICY_ATTR_OTHER);
    CHECK(cert_attr_of_nid(NID_undef) == POLICY_ATTR_OTHER);
}

int main(void)
{
    test_header();
    test_header_quick();
    test_walk_types();
    test_tbs_span();
    test_attribute_table();
    return unit_finish("der");
}
