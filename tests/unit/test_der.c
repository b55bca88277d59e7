/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one DER header reader, the whole-item TBS span and the subject-
 * attribute table, at their edges: each reader judges the header's facts
 * by its own rule, so the facts must be exactly right.
 */
#include <rolecert/cert_names.h>
#include <rolecert/der.h>

#include <openssl/objects.h>

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
    test_tbs_span();
    test_attribute_table();
    return unit_finish("der");
}
