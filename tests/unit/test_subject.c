/* SPDX-License-Identifier: Apache-2.0 */
/* Subject rules at their boundaries: rdn-*, country-code, dc-*, multiple-cn,
 * cn-homoglyph. Every test runs twice: with the pre-screens (of the whole
 * subject, and of each plain value) and with every attribute checked rule
 * by rule; the findings must be the same. */
#include "policy_internal.h"
#include "unit_util.h"

#include <string.h>

static policy_config cfg;
static unit_findings found;
static bool unscreened; /* the second pass: every pre-screen off */

#define N(arr) (sizeof(arr) / sizeof((arr)[0]))

static policy_result check(const policy_attribute *subject, size_t n)
{
    policy_sink sink = unit_sink(&found);
    policy_result with_sink = policy_check_subject_screened(&cfg, subject, n, &sink, unscreened);
    /* A NULL sink must count exactly the same. */
    policy_result counted = policy_check_subject_screened(&cfg, subject, n, NULL, unscreened);
    CHECK(counted.errors == with_sink.errors && counted.warnings == with_sink.warnings &&
          counted.notices == with_sink.notices);
    return with_sink;
}

static void check_one(policy_attribute a, const char *want)
{
    CHECK_FINDINGS(found, check(&a, 1), want);
}

static void test_clean(void)
{
    policy_attribute s[] = {
        unit_attr(POLICY_ATTR_C, "US", 0),
        unit_attr(POLICY_ATTR_ST, "Washington", 1),
        unit_attr(POLICY_ATTR_L, "Redmond", 2),
        unit_attr(POLICY_ATTR_O, "Diversión de Bicicleta", 3),
        unit_attr(POLICY_ATTR_OU, "IT", 4),
        unit_attr(POLICY_ATTR_OU, "Mail", 5),
        unit_attr(POLICY_ATTR_CN, "mail.contoso.com", 6),
    };
    CHECK_FINDINGS(found, check(s, N(s)), "");
    CHECK_FINDINGS(found, check(s, 0), "");
    CHECK_FINDINGS(found, check(NULL, 3), "");
}

static void test_lengths(void)
{
    char buf[1024];
    static const policy_attr limited64[] = {POLICY_ATTR_O, POLICY_ATTR_OU, POLICY_ATTR_CN};
    for (size_t k = 0; k < N(limited64); k++) {
        check_one(unit_attr(limited64[k], unit_repeat(buf, sizeof(buf), "a", 64), 0), "");
        check_one(unit_attr(limited64[k], unit_repeat(buf, sizeof(buf), "a", 65), 0),
                  "rdn-length:error:S0");
        CHECK_CONTAINS(found.f[0].message, "is 65 characters long, over the 64 allowed");
        /* Characters, not bytes: 64 two-byte characters pass. */
        check_one(unit_attr(limited64[k], unit_repeat(buf, sizeof(buf), "é", 64), 0), "");
        check_one(unit_attr(limited64[k], unit_repeat(buf, sizeof(buf), "é", 65), 0),
                  "rdn-length:error:S0");
        CHECK_CONTAINS(found.f[0].message, "is 65 characters long");
        CHECK_SIZE(found.f[0].value.len, 130);
        /* Four-byte characters too. */
        check_one(unit_attr(limited64[k], unit_repeat(buf, sizeof(buf), "\xF0\x9F\x98\x80", 64), 0),
                  "");
    }
    CHECK_CONTAINS(found.f[0].hint, "goes in the SAN only"); /* the CN hint */
    static const policy_attr limited128[] = {POLICY_ATTR_ST, POLICY_ATTR_L};
    for (size_t k = 0; k < N(limited128); k++) {
        check_one(unit_attr(limited128[k], unit_repeat(buf, sizeof(buf), "ü", 128), 0), "");
        check_one(unit_attr(limited128[k], unit_repeat(buf, sizeof(buf), "x", 129), 0),
                  "rdn-length:error:S0");
        CHECK_CONTAINS(found.f[0].message, "is 129 characters long, over the 128 allowed");
        CHECK_STR(found.f[0].hint, "shorten the value to at most 128 characters");
    }
    /* BMP and T61 count characters too. */
    char bmp[130];
    for (size_t i = 0; i < 65; i++) {
        bmp[2 * i] = 0x00;
        bmp[2 * i + 1] = (char)0xE9;
    }
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_BMP, bmp, 128, 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_BMP, bmp, 130, 0),
              "rdn-length:error:S0");
    CHECK_CONTAINS(found.f[0].message, "O 'ééé");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_T61,
                              unit_repeat(buf, sizeof(buf), "\xE9", 64), 64, 0),
              "");

    /* DC: 255 characters over all DC values. */
    char dc1[101], dc2[101], dc3[57];
    unit_repeat(dc1, sizeof(dc1), "a", 100);
    unit_repeat(dc2, sizeof(dc2), "b", 100);
    unit_repeat(dc3, sizeof(dc3), "c", 56);
    policy_attribute dcs[] = {
        unit_attr_typed(POLICY_ATTR_DC, POLICY_STRING_IA5, dc3, 55, 0),
        unit_attr_typed(POLICY_ATTR_DC, POLICY_STRING_IA5, dc2, 100, 1),
        unit_attr_typed(POLICY_ATTR_DC, POLICY_STRING_IA5, dc1, 100, 2),
        unit_attr(POLICY_ATTR_CN, "x", 3),
    };
    CHECK_FINDINGS(found, check(dcs, N(dcs)), "");
    dcs[0].value.len = 56;
    CHECK_FINDINGS(found, check(dcs, N(dcs)), "rdn-length:error:S2");
    CHECK_CONTAINS(found.f[0].message, "total 256 characters, over the 255 allowed in all");
    /* One DC alone over 255. */
    policy_attribute dc_long[] = {
        unit_attr(POLICY_ATTR_DC, unit_repeat(buf, sizeof(buf), "d", 256), 0),
        unit_attr(POLICY_ATTR_DC, "com", 1)};
    CHECK_FINDINGS(found, check(dc_long, N(dc_long)), "rdn-length:error:S0");
}

static void test_country(void)
{
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_PRINTABLE, "GB", 2, 0), "");
    check_one(unit_attr(POLICY_ATTR_C, "US", 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_BMP, "\0D\0E", 4, 0), "");
    check_one(unit_attr(POLICY_ATTR_C, "UK", 0), "country-code:error:S0");
    CHECK_STR(found.f[0].message, "C 'UK' is not an ISO 3166-1 alpha-2 code");
    CHECK_STR(found.f[0].hint,
              "use 'GB': ISO 3166-1 assigns GB to United Kingdom (UK is only reserved)");
    check_one(unit_attr(POLICY_ATTR_C, "el", 0), "country-code:error:S0");
    CHECK_STR(found.f[0].hint, "use 'GR': ISO 3166-1 assigns GR to Greece (EL is only reserved)");
    check_one(unit_attr(POLICY_ATTR_C, "XX", 0), "country-code:error:S0");
    CHECK_STR(found.f[0].message, "C 'XX' is not an assigned ISO 3166-1 alpha-2 code");
    CHECK_CONTAINS(found.f[0].hint, "e.g. US, GB, DE");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_PRINTABLE, "USA", 3, 0),
              "rdn-length:error:S0 country-code:error:S0");
    CHECK_STR(found.f[1].hint, "the alpha-2 code for 'USA' is 'US' (United States)");
    check_one(unit_attr(POLICY_ATTR_C, "us", 0), "country-code:error:S0");
    CHECK_STR(found.f[0].message, "C 'us' is not in upper case");
    CHECK_STR(found.f[0].hint, "write it in upper case: 'US' (United States)");
    check_one(unit_attr(POLICY_ATTR_C, "Gb", 0), "country-code:error:S0");
    check_one(unit_attr(POLICY_ATTR_C, "U", 0), "country-code:error:S0");
    check_one(unit_attr(POLICY_ATTR_C, "ÜS", 0), "country-code:error:S0");
    CHECK_SIZE(policy_country_code_count(), 249);
    CHECK(policy_country_code_valid(unit_str("GB")));
    CHECK(policy_country_code_valid(unit_str("AX")));
    CHECK(policy_country_code_valid(unit_str("ZW")));
    CHECK(policy_country_code_valid(unit_str("AD")));
    CHECK(!policy_country_code_valid(unit_str("UK")));
    CHECK(!policy_country_code_valid(unit_str("gb")));
    CHECK(!policy_country_code_valid(unit_str("XX")));
    CHECK(!policy_country_code_valid(unit_str("EU")));
    CHECK(!policy_country_code_valid(unit_str("GBR")));
    CHECK(!policy_country_code_valid((policy_str){"G\0", 2}));
    CHECK(!policy_country_code_valid((policy_str){NULL, 2}));
}

static void test_encoding(void)
{
    /* NUL inside a value: shown escaped, never cut at the NUL. */
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_UTF8, "ab\0cd", 5, 0),
              "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "O 'ab\\x00cd': control character U+0000 (NUL)");
    CHECK_SIZE(found.f[0].value.len, 5);
    check_one(unit_attr(POLICY_ATTR_O, "a\tb", 0), "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "O 'a\\x09b': control character U+0009");
    check_one(unit_attr(POLICY_ATTR_O,
                        "a\xC2\x85"
                        "b",
                        0),
              "rdn-encoding:error:S0"); /* C1 NEL */
    check_one(unit_attr(POLICY_ATTR_O, "a\x7F", 0), "rdn-encoding:error:S0");
    /* A control character does not hide the value's other findings. */
    check_one(unit_attr(POLICY_ATTR_O, "\tContoso", 0),
              "rdn-encoding:error:S0 rdn-whitespace:warning:S0");
    check_one(unit_attr(POLICY_ATTR_C, "U\n", 0), "rdn-encoding:error:S0 country-code:error:S0");
    CHECK_STR(found.f[1].message, "C 'U\\x0A' is not an assigned ISO 3166-1 alpha-2 code");
    /* Invalid UTF-8: malformed, overlong, surrogate, beyond U+10FFFF, cut. */
    check_one(unit_attr(POLICY_ATTR_CN, "\xC3\x28", 0), "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "CN '\\xC3(': invalid UTF-8 at offset 0");
    check_one(unit_attr(POLICY_ATTR_CN, "a\xC0\xAF", 0), "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "CN 'a\\xC0\\xAF': invalid UTF-8 at offset 1");
    check_one(unit_attr(POLICY_ATTR_CN, "\xE0\x80\xAF", 0), "rdn-encoding:error:S0");
    check_one(unit_attr(POLICY_ATTR_CN, "\xED\xA0\x80", 0), "rdn-encoding:error:S0");
    check_one(unit_attr(POLICY_ATTR_CN, "\xF4\x90\x80\x80", 0), "rdn-encoding:error:S0");
    check_one(unit_attr(POLICY_ATTR_CN, "ok\xE2\x82", 0), "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "CN 'ok\\xE2\\x82': invalid UTF-8 at offset 2");
    check_one(unit_attr(POLICY_ATTR_CN, "\xFF", 0), "rdn-encoding:error:S0");
    /* Largest valid code point and the last BMP ones pass. */
    check_one(unit_attr(POLICY_ATTR_CN, "\xF4\x8F\xBF\xBF", 0), "");
    check_one(unit_attr(POLICY_ATTR_CN, "\xEF\xBF\xBD", 0), "");
    /* BMP: odd length, surrogates. */
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_BMP, "\0A\0", 3, 0),
              "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "O 'A\\x00': BMPString of odd length at offset 2");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_BMP, "\xD8\x00\xDC\x00", 4, 0),
              "rdn-encoding:error:S0");
    CHECK_CONTAINS(found.f[0].message, "surrogate code unit in BMPString");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_BMP, "\0\0", 2, 0),
              "rdn-encoding:error:S0");
    /* Universal: length and range. */
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_UNIVERSAL, "\0\0\0A\0\0", 6, 0),
              "rdn-encoding:error:S0");
    CHECK_CONTAINS(found.f[0].message, "UniversalString length not a multiple of 4");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_UNIVERSAL, "\0\x11\0\0", 4, 0),
              "rdn-encoding:error:S0");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_UNIVERSAL, "\0\x01\xF6\x00", 4, 0), "");
    /* Restricted types. */
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_PRINTABLE, "a@b", 3, 0),
              "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message,
              "O 'a\\x40b': byte 0x40 at offset 1 is not allowed in PrintableString");
    check_one(
        unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_PRINTABLE, "A-Z a-z 0-9 '()+,-./:=?", 23, 0),
        "");
    check_one(unit_attr_typed(POLICY_ATTR_DC, POLICY_STRING_IA5, "\x80", 1, 0),
              "rdn-encoding:error:S0");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_NUMERIC, "12 3", 4, 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_NUMERIC, "12a", 3, 0),
              "rdn-encoding:error:S0");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_VISIBLE, "a~", 2, 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_VISIBLE, "a\x7F", 2, 0),
              "rdn-encoding:error:S0");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_OTHER, "\x01\x02", 2, 0),
              "rdn-encoding:error:S0");
    CHECK_STR(found.f[0].message, "O '\\x01\\x02': the value is not a directory string");
    /* Out-of-range enums and NULL pointers from a careless caller. */
    check_one(unit_attr_typed((policy_attr)99, (policy_string_type)77, "v", 1, 0),
              "rdn-unknown:error:S0 rdn-encoding:error:S0");
    check_one(unit_attr_typed(POLICY_ATTR_O, POLICY_STRING_UTF8, NULL, 5, 0), "rdn-empty:error:S0");
}

static void test_whitespace_empty_unknown(void)
{
    check_one(unit_attr(POLICY_ATTR_O, " Contoso", 0), "rdn-whitespace:warning:S0");
    CHECK_STR(found.f[0].message, "O ' Contoso' has leading or trailing white space");
    check_one(unit_attr(POLICY_ATTR_O, "Contoso\xC2\xA0", 0), "rdn-whitespace:warning:S0");
    check_one(unit_attr(POLICY_ATTR_OU, "\xE3\x80\x80IT", 0), "rdn-whitespace:warning:S0");
    check_one(unit_attr(POLICY_ATTR_OU, "IT\xE2\x80\x8A", 0), "rdn-whitespace:warning:S0");
    check_one(unit_attr(POLICY_ATTR_O, "Con toso", 0), "");
    check_one(unit_attr(POLICY_ATTR_O, " ", 0), "rdn-whitespace:warning:S0");
    check_one(unit_attr(POLICY_ATTR_O, "", 0), "rdn-empty:error:S0");
    CHECK_STR(found.f[0].message, "O '' is empty");
    policy_attribute title = unit_attr(POLICY_ATTR_OTHER, "Mail admin", 0);
    title.label = unit_str("title");
    check_one(title, "rdn-unknown:error:S0");
    CHECK_STR(found.f[0].message,
              "title 'Mail admin' is not in the table (C, DC, S/ST, L, O, OU, CN)");
    title.label = (policy_str){NULL, 0};
    check_one(title, "rdn-unknown:error:S0");
    CHECK_CONTAINS(found.f[0].message, "attribute 'Mail admin'");
    /* Configured lower or off. */
    CHECK(policy_config_set(&cfg, unit_str("rdn-unknown"), unit_str("notice")) == POLICY_CONFIG_OK);
    check_one(title, "rdn-unknown:notice:S0");
    CHECK(policy_config_set(&cfg, unit_str("rdn-whitespace"), unit_str("off")) == POLICY_CONFIG_OK);
    check_one(unit_attr(POLICY_ATTR_O, " Contoso", 0), "");
    policy_config_init(&cfg);
}

static void test_count_order_multivalued(void)
{
    policy_attribute two_o[] = {unit_attr(POLICY_ATTR_O, "A", 0), unit_attr(POLICY_ATTR_O, "B", 1),
                                unit_attr(POLICY_ATTR_O, "C", 2), unit_attr(POLICY_ATTR_L, "X", 3),
                                unit_attr(POLICY_ATTR_L, "Y", 4)};
    CHECK_FINDINGS(found, check(two_o, 3), "rdn-count:error:S1");
    CHECK_STR(found.f[0].message, "O 'B': O may appear only once (first at attribute 0)");
    /* L after O is out of order; L twice is a count finding. */
    CHECK_FINDINGS(found, check(two_o, N(two_o)),
                   "rdn-count:error:S1 rdn-order:error:S3 rdn-count:error:S4");
    CHECK_STR(found.f[1].message, "L 'X' is out of order: L must come before O");
    CHECK_STR(found.f[1].hint,
              "reorder the subject as L, L, O, O, O (order C/DC, ST, L, O, OU, CN)");
    policy_attribute twice[] = {
        unit_attr(POLICY_ATTR_C, "US", 0), unit_attr(POLICY_ATTR_C, "US", 1),
        unit_attr(POLICY_ATTR_ST, "WA", 2), unit_attr(POLICY_ATTR_ST, "WA", 3)};
    CHECK_FINDINGS(found, check(twice, N(twice)), "rdn-count:error:S1 rdn-count:error:S3");
    /* OU and CN may repeat (CN gets its own rule). */
    policy_attribute ous[] = {unit_attr(POLICY_ATTR_OU, "A", 0), unit_attr(POLICY_ATTR_OU, "B", 1)};
    CHECK_FINDINGS(found, check(ous, N(ous)), "");

    policy_attribute order[] = {
        unit_attr(POLICY_ATTR_C, "US", 0),
        unit_attr(POLICY_ATTR_O, "Contoso", 1),
        unit_attr(POLICY_ATTR_OTHER, "x", 2),
        unit_attr(POLICY_ATTR_ST, "WA", 3),
        unit_attr(POLICY_ATTR_CN, "mail.contoso.com", 4),
        unit_attr(POLICY_ATTR_OU, "IT", 5),
    };
    CHECK_FINDINGS(found, check(order, N(order)), "rdn-unknown:error:S2 rdn-order:error:S3");
    CHECK_STR(found.f[1].message, "ST 'WA' is out of order: ST must come before O");
    CHECK_STR(found.f[1].hint,
              "reorder the subject as C, ST, O, OU, CN (order C/DC, ST, L, O, OU, CN)");
    /* CN first is the classic reversed (LDAP-style) order. */
    policy_attribute reversed[] = {unit_attr(POLICY_ATTR_CN, "a.contoso.com", 0),
                                   unit_attr(POLICY_ATTR_O, "Contoso", 1),
                                   unit_attr(POLICY_ATTR_C, "US", 2)};
    CHECK_FINDINGS(found, check(reversed, N(reversed)), "rdn-order:error:S1");
    CHECK(policy_config_set(&cfg, unit_str("RDN-ORDER"), unit_str("Warning")) == POLICY_CONFIG_OK);
    CHECK_FINDINGS(found, check(reversed, N(reversed)), "rdn-order:warning:S1");
    policy_config_init(&cfg);
    /* DC and C share rank 1: no order finding, only dc-with-c. */
    policy_attribute dc_c[] = {
        unit_attr(POLICY_ATTR_DC, "com", 0), unit_attr(POLICY_ATTR_DC, "contoso", 1),
        unit_attr(POLICY_ATTR_C, "US", 2), unit_attr(POLICY_ATTR_DC, "x", 3)};
    CHECK_FINDINGS(found, check(dc_c, N(dc_c)), "dc-with-c:warning:S2");
    CHECK_STR(found.f[0].message, "C 'US': C in a subject that has DC");

    policy_attribute multi[] = {
        unit_attr(POLICY_ATTR_O, "Contoso", 0), unit_attr(POLICY_ATTR_OU, "A", 1),
        unit_attr(POLICY_ATTR_OU, "B", 1),      unit_attr(POLICY_ATTR_OU, "C", 1),
        unit_attr(POLICY_ATTR_CN, "a", 2),      unit_attr(POLICY_ATTR_CN, "b", 2)};
    CHECK_FINDINGS(found, check(multi, N(multi)),
                   "rdn-multivalued:error:S2 rdn-multivalued:error:S5 multiple-cn:warning:S5");
    CHECK_STR(found.f[0].message, "OU 'B' shares one RDN with OU (a multi-valued RDN)");
}

static void test_dc_cn(void)
{
    policy_attribute dc[] = {unit_attr(POLICY_ATTR_DC, "bücher", 0),
                             unit_attr(POLICY_ATTR_DC, "example", 1)};
    CHECK_FINDINGS(found, check(dc, N(dc)), "dc-ascii:error:S0");
    CHECK_STR(found.f[0].message, "DC 'bücher' holds non-ASCII character U+00FC (ü)");
    CHECK_STR(found.f[0].hint, "write the domain component as its A-label 'xn--bcher-kva'");

    policy_attribute cns[] = {unit_attr(POLICY_ATTR_CN, "a.contoso.com", 0),
                              unit_attr(POLICY_ATTR_CN, "b.contoso.com", 1),
                              unit_attr(POLICY_ATTR_CN, "c.contoso.com", 2)};
    CHECK_FINDINGS(found, check(cns, N(cns)), "multiple-cn:warning:S1");
    CHECK_STR(found.f[0].message, "CN 'b.contoso.com' is a second CN (the first is attribute 0)");
    CHECK(policy_config_set(&cfg, unit_str("multiple-cn"), unit_str("off")) == POLICY_CONFIG_OK);
    CHECK_FINDINGS(found, check(cns, N(cns)), "");
    policy_config_init(&cfg);
}

static void test_homoglyph(void)
{
    check_one(unit_attr(POLICY_ATTR_CN, "mail.mïcrosoft.com", 0), "cn-homoglyph:warning:S0");
    CHECK_STR(found.f[0].message, "CN 'mail.mïcrosoft.com' looks like a DNS name but holds U+00EF "
                                  "(ï), which looks like ASCII 'i'");
    /* Accented Latin, as real IDNs are written: the A-label leads, and the
     * ASCII look-alike is named as a different domain, not as the meaning. */
    CHECK_CONTAINS(found.f[0].hint, "TLS clients will never match it; if this IDN is yours, put "
                                    "its A-label 'mail.xn--mcrosoft-");
    CHECK_CONTAINS(found.f[0].hint, ".com' in the CN and the SAN. The ASCII look-alike "
                                    "'mail.microsoft.com' is a different domain");
    check_one(unit_attr(POLICY_ATTR_CN, "mail1.diversióndebicicleta.es", 0),
              "cn-homoglyph:warning:S0");
    CHECK(strstr(found.f[0].hint, "did you mean") == NULL);
    CHECK_CONTAINS(found.f[0].hint, "'mail1.xn--diversindebicicleta-");
    /* Cyrillic р, а, у that pass for Latin. */
    check_one(unit_attr(POLICY_ATTR_CN, "\xD1\x80\xD0\xB0\xD1\x83pal.com", 0),
              "cn-homoglyph:warning:S0");
    CHECK_CONTAINS(found.f[0].message, "holds U+0440 (р), which looks like ASCII 'p'");
    CHECK_CONTAINS(found.f[0].hint, "did you mean 'paypal.com'?");
    /* Greek omicron, fullwidth letters, dotless i, ideographic full stop. */
    check_one(unit_attr(POLICY_ATTR_CN, "micr\xCE\xBFsoft.com", 0), "cn-homoglyph:warning:S0");
    CHECK_CONTAINS(found.f[0].hint, "'microsoft.com'");
    check_one(unit_attr(POLICY_ATTR_CN,
                        "\xEF\xBD\x8D"
                        "ail.contoso.com",
                        0),
              "cn-homoglyph:warning:S0");
    CHECK_CONTAINS(found.f[0].message, "U+FF4D");
    CHECK_CONTAINS(found.f[0].hint, "'mail.contoso.com'");
    check_one(unit_attr(POLICY_ATTR_CN,
                        "w\xC4\xB1ki.contoso\xE3\x80\x82"
                        "com",
                        0),
              "cn-homoglyph:warning:S0");
    CHECK_CONTAINS(found.f[0].hint, "'wiki.contoso.com'");
    /* An invisible zero-width space inside an otherwise ASCII name. */
    check_one(unit_attr(POLICY_ATTR_CN, "mail\xE2\x80\x8B.contoso.com", 0),
              "cn-homoglyph:warning:S0");
    CHECK_CONTAINS(found.f[0].message, "'mail\\u200B.contoso.com'");
    CHECK_CONTAINS(found.f[0].message, "U+200B (invisible), which is invisible");
    /* Not DNS-like: spaces, no dot, a character with no look-alike. */
    check_one(unit_attr(POLICY_ATTR_CN, "Café Contoso", 0), "");
    check_one(unit_attr(POLICY_ATTR_CN, "bücher", 0), "");
    check_one(unit_attr(POLICY_ATTR_CN, "日本.jp", 0), "");
    check_one(unit_attr(POLICY_ATTR_CN, "mail.contoso.com", 0), "");
    /* BMP-encoded look-alike. */
    check_one(unit_attr_typed(POLICY_ATTR_CN, POLICY_STRING_BMP, "\0a\0.\x04\x30\0.\0c\0o", 12, 0),
              "cn-homoglyph:warning:S0");
    CHECK_CONTAINS(found.f[0].hint, "'a.a.co'");
    CHECK(policy_config_set(&cfg, unit_str("cn-homoglyph"), unit_str("error")) == POLICY_CONFIG_OK);
    check_one(unit_attr(POLICY_ATTR_CN, "mail.mïcrosoft.com", 0), "cn-homoglyph:error:S0");
    policy_config_init(&cfg);
}

static void test_display(void)
{
    char buf[1024];
    /* A long value is cut for display only; value keeps the whole input. */
    check_one(unit_attr(POLICY_ATTR_O, unit_repeat(buf, sizeof(buf), "ä", 200), 0),
              "rdn-length:error:S0");
    CHECK_CONTAINS(found.f[0].message, "ää...' is 200 characters long, over the 64 allowed");
    CHECK_SIZE(found.f[0].value.len, 400);
    CHECK(strlen(found.f[0].message) < POLICY_MESSAGE_MAX);
    /* A backslash is escaped so \xHH stays unambiguous; bidi overrides shown. */
    check_one(unit_attr(POLICY_ATTR_O, "a\\b\xE2\x80\xAE ", 0), "rdn-whitespace:warning:S0");
    CHECK_STR(found.f[0].message, "O 'a\\\\b\\u202E ' has leading or trailing white space");
}

/* The pre-screen reads plain values a word at a time, in overlapping
 * windows (1-3 bytes as first, middle and last; 4-7 as two halves; 8 and
 * more as words and a last word): a byte it must not pass is found at
 * every position of every window size. */
static void test_plain_windows(void)
{
    struct {
        char byte;
        policy_string_type type;
        const char *inside; /* the findings with the byte inside the value */
        const char *at_end; /* with it first or last */
    } cases[] = {
        {' ', POLICY_STRING_UTF8, "", "rdn-whitespace:warning:S0"},
        {'\t', POLICY_STRING_UTF8, "rdn-encoding:error:S0",
         "rdn-encoding:error:S0 rdn-whitespace:warning:S0"},
        {'\0', POLICY_STRING_UTF8, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
        {'\x1F', POLICY_STRING_IA5, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
        {'\x7F', POLICY_STRING_T61, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
        {'\x80', POLICY_STRING_UTF8, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
        {'\xE9', POLICY_STRING_T61, "", ""}, /* é in ISO 8859-1 */
        {'@', POLICY_STRING_PRINTABLE, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
        {'@', POLICY_STRING_VISIBLE, "", ""},
        {'~', POLICY_STRING_VISIBLE, "", ""},
        {'\x7F', POLICY_STRING_VISIBLE, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
        {'1', POLICY_STRING_NUMERIC, "rdn-encoding:error:S0", "rdn-encoding:error:S0"},
    };
    char value[24];
    for (size_t c = 0; c < N(cases); c++) {
        /* Numeric's filler is a digit, so its odd byte out is the 'a'. */
        char fill = cases[c].type == POLICY_STRING_NUMERIC ? '7' : 'a';
        char odd = cases[c].type == POLICY_STRING_NUMERIC ? 'a' : cases[c].byte;
        for (size_t len = 1; len <= sizeof(value); len++) {
            memset(value, fill, len);
            check_one(unit_attr_typed(POLICY_ATTR_O, cases[c].type, value, len, 0), "");
            for (size_t at = 0; at < len; at++) {
                memset(value, fill, len);
                value[at] = odd;
                const char *want = (at == 0 || at == len - 1) ? cases[c].at_end : cases[c].inside;
                check_one(unit_attr_typed(POLICY_ATTR_O, cases[c].type, value, len, 0), want);
            }
        }
    }
}

/* Plain values at the limits, with the exact texts. */
static void test_plain_limits(void)
{
    char buf[300];
    check_one(unit_attr(POLICY_ATTR_CN, unit_repeat(buf, sizeof(buf), "a", 64), 0), "");
    check_one(unit_attr(POLICY_ATTR_CN, unit_repeat(buf, sizeof(buf), "a", 65), 0),
              "rdn-length:error:S0");
    CHECK_STR(found.f[0].hint, "shorten the CN to at most 64 characters; an FQDN over 64 "
                               "characters cannot be the CN and goes in the SAN only");
    check_one(unit_attr(POLICY_ATTR_L, unit_repeat(buf, sizeof(buf), "b", 128), 0), "");
    check_one(unit_attr(POLICY_ATTR_L, unit_repeat(buf, sizeof(buf), "b", 129), 0),
              "rdn-length:error:S0");
    char want[400];
    snprintf(want, sizeof(want), "L '%s' is 129 characters long, over the 128 allowed", buf);
    CHECK_STR(found.f[0].message, want);
    CHECK_STR(found.f[0].hint, "shorten the value to at most 128 characters");
    /* Three T61 characters: no plain pre-screen, still three. */
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_T61, "D\xC9U", 3, 0),
              "rdn-length:error:S0 country-code:error:S0");
    CHECK_STR(found.f[0].message, "C 'D\xC3\x89U' is 3 characters long, over the 2 allowed");
    check_one(unit_attr(POLICY_ATTR_O, "Contoso ", 0), "rdn-whitespace:warning:S0");
    CHECK_STR(found.f[0].message, "O 'Contoso ' has leading or trailing white space");
    CHECK_STR(found.f[0].hint, "remove the white space at the start and end of the value");
    check_one(unit_attr(POLICY_ATTR_O, "Con  toso", 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_PRINTABLE, "U@", 2, 0),
              "rdn-encoding:error:S0"); /* undecodable: no country-code */
    CHECK_STR(found.f[0].message,
              "C 'U\\x40': byte 0x40 at offset 1 is not allowed in PrintableString");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_BMP, "\0U\0S", 4, 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_BMP, "\0U\0K", 4, 0),
              "country-code:error:S0");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_T61, "US", 2, 0), "");
    check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_T61, " US", 3, 0),
              "rdn-whitespace:warning:S0 rdn-length:error:S0 country-code:error:S0");
    /* The benchmark's subject, as OpenSSL writes it. */
    policy_attribute bench[] = {
        unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_PRINTABLE, "US", 2, 0),
        unit_attr(POLICY_ATTR_O, "Contoso", 1),
        unit_attr(POLICY_ATTR_CN, "mail.contoso.com", 2),
    };
    CHECK_FINDINGS(found, check(bench, N(bench)), "");
}

/* The bit table of assigned pairs against the country table, for every
 * pair of bytes. */
static void test_country_pairs(void)
{
    size_t assigned = 0;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            char code[2] = {(char)a, (char)b};
            bool upper = a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
            bool want = upper && policy_country_by_alpha2(code) != NULL;
            bool got = policy_country_code_valid((policy_str){code, 2});
            if (got != want)
                CHECK(got == want);
            assigned += got;
        }
    }
    CHECK_SIZE(assigned, policy_country_code_count());
    /* As a subject: every upper-case pair, plain, finds what the full
     * check finds. */
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            char code[3] = {a, b, '\0'};
            check_one(unit_attr_typed(POLICY_ATTR_C, POLICY_STRING_PRINTABLE, code, 2, 0),
                      policy_country_by_alpha2(code) != NULL ? "" : "country-code:error:S0");
        }
    }
}

int main(void)
{
    policy_config_init(&cfg);
    for (int pass = 0; pass < 2; pass++) {
        unscreened = pass == 1;
        test_clean();
        test_lengths();
        test_country();
        test_encoding();
        test_whitespace_empty_unknown();
        test_count_order_multivalued();
        test_dc_cn();
        test_homoglyph();
        test_display();
        test_plain_windows();
        test_plain_limits();
        test_country_pairs();
    }
    return unit_finish("test_subject");
}
