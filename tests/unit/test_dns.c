/* SPDX-License-Identifier: Apache-2.0 */
/* SAN dNSName rules: dns-syntax, dns-length, dns-wildcard, dns-idn,
 * dns-internal, domain-not-permitted, and the A-label helper. */
#include "policy_internal.h"
#include "unit_util.h"

#include <string.h>

static policy_config cfg;
static unit_findings found;
static unit_findings unscreened;

/* Every case also runs with the shape pre-screen off: the findings must be
 * the same, to the byte. */
static policy_result check_name_len(const char *name, size_t len)
{
    policy_str s = {name, len};
    policy_sink sink = unit_sink(&found);
    policy_result result = policy_check_dns_name(&cfg, s, 3, &sink);
    policy_sink full = unit_sink(&unscreened);
    unit_findings_reset(&unscreened);
    policy_result want = policy_check_dns_name_screened(&cfg, s, 3, &full, true);
    CHECK_SAME_FINDINGS(&found, &unscreened);
    policy_result counted = policy_check_dns_name(&cfg, s, 3, NULL);
    CHECK(counted.errors == want.errors && counted.warnings == want.warnings &&
          counted.notices == want.notices);
    return result;
}

static policy_result check_name(const char *name)
{
    return check_name_len(name, strlen(name));
}

#define EXPECT(name, want) CHECK_FINDINGS(found, check_name(name), want)

/* A name of exactly `total` characters: labels of 63 and a final ".com". */
static const char *name_of_length(char *buf, size_t total)
{
    memset(buf, 'a', total);
    for (size_t i = 63; i < total; i += 64)
        buf[i] = '.';
    memcpy(buf + total - 4, ".com", 4);
    buf[total] = '\0';
    return buf;
}

static void test_valid(void)
{
    EXPECT("mail.contoso.com", "");
    EXPECT("MAIL.Contoso.COM", "");
    EXPECT("autodiscover.contoso.com", "");
    EXPECT("a-b.c-d.example", "");
    /* bücher: a valid A-label, but ü passes for u (dns-homoglyph). */
    EXPECT("xn--bcher-kva.example", "dns-homoglyph:warning:D3");
    EXPECT("XN--BCHER-KVA.example", "dns-homoglyph:warning:D3");
    EXPECT("*.contoso.com", "");
    EXPECT("1.example.com", "");
    EXPECT("3com.com", "");
}

static void test_length(void)
{
    char buf[300];
    EXPECT(name_of_length(buf, 253), "");
    CHECK_SIZE(strlen(buf), 253);
    EXPECT(name_of_length(buf, 254), "dns-length:error:D3");
    CHECK_CONTAINS(found.f[0].message, "aaa...': 254 characters, over the 253 allowed");
    CHECK_SIZE(found.f[0].value.len, 254);
    CHECK_SIZE(found.f[0].index, 3);
    char label[100];
    memset(label, 'b', 63);
    strcpy(label + 63, ".contoso.com");
    EXPECT(label, "");
    memset(label, 'b', 64);
    strcpy(label + 64, ".contoso.com");
    EXPECT(label, "dns-length:error:D3");
    CHECK_CONTAINS(found.f[0].message, "': label 64 characters long, over the 63 allowed");
    /* Last label too. */
    strcpy(label, "contoso.");
    memset(label + 8, 'c', 64);
    label[72] = '\0';
    EXPECT(label, "dns-length:error:D3");
}

static void test_syntax(void)
{
    EXPECT("bad_name.contoso.com", "dns-syntax:error:D3");
    CHECK_STR(found.f[0].message, "DNS name 'bad_name.contoso.com': character '_' not allowed "
                                  "(only A-Z a-z 0-9 '-' in dot-separated labels)");
    CHECK_STR(found.f[0].hint, "use '-' instead of '_': '_' is not allowed in host names");
    EXPECT("mail contoso.com", "dns-syntax:error:D3");
    EXPECT("mail,contoso.com", "dns-syntax:error:D3");
    EXPECT("mail\x01.contoso.com", "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "'mail\\x01.contoso.com': character '\\x01' not allowed");
    CHECK_FINDINGS(found, check_name_len("mail\0.contoso.com", 17), "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "'mail\\x00.contoso.com'");
    EXPECT("mail.contoso.com.", "dns-syntax:error:D3");
    CHECK_STR(found.f[0].message, "DNS name 'mail.contoso.com.': trailing dot");
    EXPECT(".contoso.com", "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "leading dot (empty label)");
    EXPECT("a..contoso.com", "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "empty label ('..')");
    EXPECT("-mail.contoso.com", "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "label starts with '-'");
    EXPECT("mail-.contoso.com", "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "label ends with '-'");
    EXPECT("192.168.1.1", "dns-syntax:error:D3");
    CHECK_STR(found.f[0].message, "DNS name '192.168.1.1': an IP address written as a DNS name");
    CHECK_CONTAINS(found.f[0].hint, "IP SAN");
    EXPECT("host.123", "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "last label is all digits");
    EXPECT("fe80::1", "dns-syntax:error:D3 dns-internal:warning:D3");
    CHECK_CONTAINS(found.f[0].hint, "IPv6");
    CHECK_FINDINGS(found, check_name_len("", 0), "dns-syntax:error:D3");
    CHECK_CONTAINS(found.f[0].message, "empty name");
    CHECK_FINDINGS(found, check_name_len(NULL, 7), "dns-syntax:error:D3");
    EXPECT(".", "dns-syntax:error:D3");
}

static void test_wildcard(void)
{
    EXPECT("*.com", "dns-wildcard:error:D3");
    CHECK_STR(found.f[0].message, "DNS name '*.com': wildcard directly over a top-level domain");
    CHECK_STR(found.f[0].hint, "use a wildcard under a registered domain, e.g. *.contoso.com");
    EXPECT("w*.contoso.com", "dns-wildcard:error:D3");
    CHECK_STR(found.f[0].message,
              "DNS name 'w*.contoso.com': '*' is not the whole left-most label");
    EXPECT("mail.*.contoso.com", "dns-wildcard:error:D3");
    EXPECT("*.*.contoso.com", "dns-wildcard:error:D3");
    CHECK_CONTAINS(found.f[0].message, "more than one '*'");
    EXPECT("*", "dns-wildcard:error:D3");
    CHECK_CONTAINS(found.f[0].message, "a bare '*' is not a name");
    EXPECT("*.", "dns-syntax:error:D3 dns-wildcard:error:D3");
    EXPECT("*.local", "dns-wildcard:error:D3 dns-internal:warning:D3");
    /* Public suffixes of more than one label, from the distribution's list. */
    EXPECT("*.co.uk", "dns-wildcard:error:D3");
    CHECK_STR(found.f[0].message,
              "DNS name '*.co.uk': wildcard directly over a public suffix (Public Suffix List)");
    EXPECT("*.github.io", "dns-wildcard:error:D3");
    EXPECT("*.CO.UK.", "dns-syntax:error:D3 dns-wildcard:error:D3");
    EXPECT("*.contoso.co.uk", "");
    EXPECT("*.contoso.github.io", "");
}

static void test_idn(void)
{
    EXPECT("bücher.example", "dns-idn:error:D3");
    CHECK_STR(
        found.f[0].message,
        "DNS name 'bücher.example': non-ASCII characters (a U-label); a DNS name must be ASCII");
    CHECK_STR(found.f[0].hint, "write it as its A-label: its A-label is xn--bcher-kva.example");
    EXPECT("*.Bücher.example", "dns-idn:error:D3");
    CHECK_CONTAINS(found.f[0].hint, "its A-label is *.xn--bcher-kva.example");
    /* Only dns-idn for a non-ASCII name, even when other rules would fire. */
    EXPECT("bad_ü.local", "dns-idn:error:D3");
    CHECK_STR(found.f[0].hint,
              "it has no IDNA2008 A-label (its A-label form 'xn--bad_-3ra.local' is "
              "no DNS name: character not allowed); use an ASCII name");
    EXPECT("bad\xFF.example", "dns-idn:error:D3");
    CHECK_STR(found.f[0].message, "DNS name 'bad\\xFF.example': non-ASCII characters (a U-label); "
                                  "a DNS name must be ASCII");
    CHECK_CONTAINS(found.f[0].hint, "(name is not valid UTF-8)");
    /* xn-- labels must be valid IDNA2008. */
    EXPECT("xn--zz.example", "dns-idn:error:D3");
    CHECK_CONTAINS(found.f[0].message, "label 'xn--zz' is not a valid IDNA2008 A-label");
    EXPECT("xn--abc-.example", "dns-syntax:error:D3 dns-idn:error:D3");
    CHECK_STR(found.f[1].hint, "string contains invalid punycode data; compute the A-label of the "
                               "Unicode name with an IDNA2008 tool (idn2), or do not start a "
                               "label with 'xn--'");
    /* Decodes to u + U+0308 (not NFC), whose A-label is that of the NFC form. */
    EXPECT("xn--u-ccb.example", "dns-idn:error:D3");
    CHECK_CONTAINS(found.f[0].hint,
                   "it does not round-trip: it decodes to 'u\xCC\x88', whose A-label is "
                   "'xn--tda'");
    EXPECT("xn--abc.example", "dns-idn:error:D3");
    EXPECT("mail.xn--bcher-kva.xn--ls8h.example", "dns-idn:error:D3"); /* an emoji */
    CHECK_CONTAINS(found.f[0].message, "label 'xn--ls8h' is not a valid IDNA2008 A-label");
    CHECK_CONTAINS(found.f[0].hint, "string contains a disallowed character");
    EXPECT("xn--9zz.example", ""); /* U+7BAF, a valid CJK label */
    EXPECT("xn--Bcher-kva.example", "dns-homoglyph:warning:D3");
    EXPECT("xn--.example", "dns-syntax:error:D3 dns-idn:error:D3");

    char out[300];
    CHECK(policy_dns_to_alabel(unit_str("bücher.example"), out, sizeof(out)));
    CHECK_STR(out, "xn--bcher-kva.example");
    CHECK(policy_dns_to_alabel(unit_str("MÜNCHEN.de"), out, sizeof(out)));
    CHECK_STR(out, "xn--mnchen-3ya.de");
    CHECK(policy_dns_to_alabel(unit_str("faß.de"), out, sizeof(out))); /* non-transitional */
    CHECK_STR(out, "xn--fa-hia.de");
    CHECK(policy_dns_to_alabel(unit_str("mail.contoso.com"), out, sizeof(out)));
    CHECK_STR(out, "mail.contoso.com");
    CHECK(!policy_dns_to_alabel(unit_str("bücher.example"), out, 8));
    CHECK_STR(out, "A-la...");
    CHECK(!policy_dns_to_alabel((policy_str){"b\xC3", 2}, out, sizeof(out)));
    CHECK_STR(out, "name is not valid UTF-8");
    CHECK(!policy_dns_to_alabel((policy_str){"b\0c", 3}, out, sizeof(out)));
    CHECK_STR(out, "name holds a NUL character");
    CHECK(!policy_dns_to_alabel(unit_str(""), out, sizeof(out)));
    CHECK(!policy_dns_to_alabel(unit_str("a"), NULL, 0));
    char big[2000];
    memset(big, 'a', sizeof(big));
    CHECK(!policy_dns_to_alabel((policy_str){big, sizeof(big)}, out, sizeof(out)));
    CHECK_STR(out, "name too long to convert");
}

static void test_homoglyph(void)
{
    /* The look-alike: its U-label holds a Cyrillic i (U+0456). */
    EXPECT("xn--mcrosoft-thh.com", "dns-homoglyph:warning:D3");
    CHECK_STR(found.f[0].message, "DNS name 'xn--mcrosoft-thh.com' reads as 'm\xD1\x96"
                                  "crosoft.com': "
                                  "U+0456 \xD1\x96 looks like ASCII 'i'");
    CHECK_STR(found.f[0].hint, "a user sees it as 'microsoft.com'; use that ASCII name, and keep "
                               "the A-label only if the Unicode name is really yours");
    EXPECT("*.xn--mcrosoft-thh.com", "dns-homoglyph:warning:D3");
    CHECK_CONTAINS(found.f[0].message, "reads as '*.m\xD1\x96"
                                       "crosoft.com'");
    /* A script that passes for no ASCII is no look-alike. */
    EXPECT("xn--9zz.example", "");
    EXPECT("mail.contoso.com", "");
}

static void test_internal(void)
{
    EXPECT("owa1", "dns-internal:warning:D3");
    CHECK_STR(found.f[0].message, "DNS name 'owa1': single-label name");
    EXPECT("mail.contoso.local", "dns-internal:warning:D3");
    CHECK_STR(found.f[0].message, "DNS name 'mail.contoso.local': reserved suffix '.local'");
    EXPECT("ex1.CORP.Internal", "dns-internal:warning:D3");
    EXPECT("ex1.home.lan", "dns-internal:warning:D3");
    EXPECT("ex1.localdomain", "dns-internal:warning:D3");
    EXPECT("mail.local.contoso.com", "");
    EXPECT("mail.notlocal", "");
    CHECK(policy_config_set(&cfg, unit_str("dns-internal"), unit_str("error")) == POLICY_CONFIG_OK);
    EXPECT("owa1", "dns-internal:error:D3");
    CHECK(policy_config_set(&cfg, unit_str("dns-internal"), unit_str("off")) == POLICY_CONFIG_OK);
    EXPECT("owa1", "");
    policy_config_init(&cfg);
}

static void test_permitted(void)
{
    CHECK(policy_config_add_permitted(&cfg, unit_str("contoso.com")) == POLICY_CONFIG_OK);
    CHECK(policy_config_add_permitted(&cfg, unit_str("Woodgrovebank.com.")) == POLICY_CONFIG_OK);
    EXPECT("mail.contoso.com", "");
    EXPECT("contoso.com", "");
    EXPECT("a.b.c.CONTOSO.com", "");
    EXPECT("*.contoso.com", "");
    EXPECT("mail.woodgrovebank.com", "");
    EXPECT("evilcontoso.com", "domain-not-permitted:error:D3");
    CHECK_STR(found.f[0].message, "DNS name 'evilcontoso.com' is outside permitted_domains");
    CHECK_STR(found.f[0].hint,
              "use a name under a permitted domain: contoso.com, Woodgrovebank.com.");
    EXPECT("contoso.com.evil.net", "domain-not-permitted:error:D3");
    EXPECT("owa1", "dns-internal:warning:D3 domain-not-permitted:error:D3");
    EXPECT("*.com", "dns-wildcard:error:D3 domain-not-permitted:error:D3");
    policy_config_init(&cfg);
    EXPECT("evilcontoso.com", "");
}

static bool shape(const char *name, policy_dns_shape *out)
{
    return policy_dns_shape_of(unit_str(name), out);
}

/* The pre-screen's own answers, at each of its limits. */
static void test_shape(void)
{
    policy_dns_shape sh;
    CHECK(shape("mail.contoso.com", &sh));
    CHECK_SIZE(sh.dots, 2);
    CHECK_SIZE(sh.last_label, 13);
    CHECK(!sh.star && !sh.ace);
    CHECK(shape("MAIL-01.Contoso.COM", &sh) && sh.dots == 2 && sh.last_label == 16);
    CHECK(shape("owa1", &sh) && sh.dots == 0 && sh.last_label == 0);
    CHECK(shape("*.contoso.com", &sh) && sh.star && !sh.ace);
    CHECK(shape("w*.contoso.com", &sh) && sh.star); /* dns-wildcard's to judge */
    CHECK(shape("mail.XN--BCHER-KVA.example", &sh) && sh.ace);
    CHECK(shape("abcdefgh.xN--bcher-kva.example", &sh) && sh.ace); /* at a word boundary */
    CHECK(shape("xn-a.xna-b.example", &sh) && !sh.ace);
    CHECK(!shape("xn--.example", &sh));         /* ends in '-' */
    CHECK(!shape("mail.contoso.com.", &sh));    /* trailing dot */
    CHECK(!shape(".contoso.com", &sh));         /* leading dot */
    CHECK(!shape("mail..contoso.com", &sh));    /* empty label */
    CHECK(!shape("abcdefg..contoso.com", &sh)); /* ... across a word */
    CHECK(!shape("-mail.contoso.com", &sh));
    CHECK(!shape("abcdefg-.contoso.com", &sh)); /* '-' ends a label at a word's end */
    CHECK(!shape("abcdefgh.-ontoso.com", &sh)); /* '-' starts a word and a label */
    CHECK(!shape("mail.contoso.123", &sh));
    CHECK(!shape("192.168.1.1", &sh));
    CHECK(shape("mail.contoso.c0m", &sh));
    CHECK(!shape("bad_name.contoso.com", &sh));
    CHECK(!shape("mail.b\xC3\xBC"
                 "cher.com",
                 &sh));
    CHECK(!shape("", &sh));
    CHECK(!policy_dns_shape_of((policy_str){NULL, 3}, &sh));
    CHECK(!policy_dns_shape_of((policy_str){"a.b\0c", 5}, &sh));
    char buf[300];
    CHECK(shape(name_of_length(buf, 253), &sh));
    CHECK(!shape(name_of_length(buf, 254), &sh));
    memset(buf, 'b', 63);
    strcpy(buf + 63, ".com");
    CHECK(shape(buf, &sh));
    memset(buf, 'b', 64);
    strcpy(buf + 64, ".com");
    CHECK(!shape(buf, &sh));
    strcpy(buf, "contoso.");
    memset(buf + 8, 'c', 63);
    buf[71] = '\0';
    CHECK(shape(buf, &sh) && sh.last_label == 8);
    buf[71] = 'c';
    buf[72] = '\0';
    CHECK(!shape(buf, &sh));
}

/* Names at each limit of the pre-screen: exact findings (check_name also
 * runs every name without the pre-screen and wants the same). */
static void test_shape_limits(void)
{
    char buf[300];
    /* 253 and 254 characters; with a trailing dot too. */
    EXPECT(name_of_length(buf, 253), "");
    strcat(buf, ".");
    EXPECT(buf, "dns-length:error:D3 dns-syntax:error:D3");
    EXPECT(name_of_length(buf, 252), "");
    strcat(buf, ".");
    EXPECT(buf, "dns-syntax:error:D3");
    /* A 63-character label at the start, at the end, across words. */
    memset(buf, 'a', 63);
    strcpy(buf + 63, ".com");
    EXPECT(buf, "");
    strcpy(buf, "x.");
    memset(buf + 2, 'd', 63);
    strcpy(buf + 65, ".com");
    EXPECT(buf, "");
    buf[65] = 'd';
    strcpy(buf + 66, ".com");
    EXPECT(buf, "dns-length:error:D3");
    CHECK_CONTAINS(found.f[0].message, "label 64 characters long, over the 63 allowed");
    /* '*' forms: the shape lets dns-wildcard judge each. */
    EXPECT("*.contoso.com", "");
    EXPECT("*.contoso.local", "dns-internal:warning:D3");
    EXPECT("abcdefg*.contoso.com", "dns-wildcard:error:D3");
    EXPECT("*.abcdefgh.com", "");
    EXPECT("*", "dns-wildcard:error:D3");
    EXPECT("*.*", "dns-wildcard:error:D3");
    EXPECT("*.xn--mcrosoft-thh.com", "dns-homoglyph:warning:D3");
    /* xn-- in any case, in any label, at a word boundary or not. */
    EXPECT("XN--MCROSOFT-THH.COM", "dns-homoglyph:warning:D3");
    EXPECT("mail.Xn--Bcher-Kva.example", "dns-homoglyph:warning:D3");
    EXPECT("abcdefgh.xn--bcher-kva.example", "dns-homoglyph:warning:D3");
    EXPECT("abcdefg.XN--ZZ.example", "dns-idn:error:D3");
    EXPECT("xn-bcher.example", "");
    EXPECT("xna--bcher.example", "");
    /* Reserved suffixes in any case; names that only start like them. */
    EXPECT("mail.contoso.LOCAL", "dns-internal:warning:D3");
    EXPECT("ex1.home.LAN", "dns-internal:warning:D3");
    EXPECT("ex1.Internal", "dns-internal:warning:D3");
    EXPECT("ex1.LocalDomain", "dns-internal:warning:D3");
    EXPECT("mail.lab", "");
    EXPECT("mail.lan1", "");
    EXPECT("mail.locals", "");
    EXPECT("mail.intern", "");
    EXPECT("mail.localhost", "");
    EXPECT("local", "dns-internal:warning:D3");
    EXPECT("localhost", "dns-internal:warning:D3");
    /* Digits: an all-digit last label, an all-digit name, digits elsewhere. */
    EXPECT("mail.contoso.123", "dns-syntax:error:D3");
    EXPECT("abcdefgh.12345678", "dns-syntax:error:D3");
    EXPECT("12345678.com", "");
    EXPECT("1", "dns-syntax:error:D3 dns-internal:warning:D3");
    EXPECT("mail.c0m", "");
    /* '_' and other bytes, in a word and in the tail. */
    EXPECT("_dmarc.contoso.com", "dns-syntax:error:D3");
    EXPECT("abcdefgh.contoso_c", "dns-syntax:error:D3");
    EXPECT("ABCDEFGH.CONTOSO.COM", "");
    EXPECT("a-b-c-d-.e", "dns-syntax:error:D3");
    EXPECT("abcdefgh-.com", "dns-syntax:error:D3");
    /* A broken name with a look-alike A-label: its bytes are shown escaped. */
    EXPECT("xn--bcher-kva.\x7Fxample", "dns-syntax:error:D3 dns-homoglyph:warning:D3");
    CHECK_STR(found.f[1].message, "DNS name 'xn--bcher-kva.\\x7Fxample' reads as "
                                  "'b\xC3\xBC"
                                  "cher.\\x7Fxample': U+00FC \xC3\xBC looks like ASCII 'u'");
    CHECK_CONTAINS(found.f[1].hint, "a user sees it as 'bucher.\\x7Fxample'");
}

/* Every byte that sits next to a range the word-at-a-time scan tests,
 * put at every offset of names of 3 to 41 characters (under, at and over
 * 8, 16 and 32: whole and partial words and blocks): the same findings
 * with the pre-screen and without (check_name compares). */
static void test_shape_bytes(void)
{
    static const unsigned char bytes[] = {
        0x00, '\t', ' ', '*', ',', '-', '.',  '/',  '0',  '9',  ':',  '@',  'A',  'Z',  '[',
        '_',  '`',  'a', 'x', 'z', '{', 0x7F, 0x80, 0xAD, 0xAE, 0xB0, 0xC1, 0xC3, 0xE1, 0xFF};
    static const char *const bases[] = {"mail.contoso.com",
                                        "abcdefgh.ijklmnop.qrstuvwx.co",
                                        "xn--bcher-kva.example",
                                        "a.b",
                                        "*.contoso.local",
                                        "autodiscover.contoso.com",
                                        "mail.contoso.co",
                                        "a-b.c-d.e-f.g-h.i-j.k",
                                        "ex1.mail.europe.contoso.com",
                                        "owa.contoso.com.1",
                                        "abcdefgh.ijklmnop.qrstuvwx.yz-0123.example"};
    char buf[64];
    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
        size_t len = strlen(bases[b]);
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof(bytes); k++) {
                memcpy(buf, bases[b], len);
                buf[at] = (char)bytes[k];
                unit_findings_reset(&found);
                (void)check_name_len(buf, len);
            }
        }
    }
}

static void test_cn_is_dns_name(void)
{
    CHECK(policy_cn_is_dns_name(unit_str("mail.contoso.com")));
    CHECK(policy_cn_is_dns_name(unit_str("*.contoso.com")));
    CHECK(policy_cn_is_dns_name(unit_str("*.com")));
    CHECK(!policy_cn_is_dns_name(unit_str("owa1")));
    CHECK(!policy_cn_is_dns_name(unit_str("Contoso Mail")));
    CHECK(!policy_cn_is_dns_name(unit_str("Contoso Inc.")));
    CHECK(!policy_cn_is_dns_name(unit_str("mail.contoso.com.")));
    CHECK(!policy_cn_is_dns_name(unit_str("w*.contoso.com")));
    CHECK(!policy_cn_is_dns_name(unit_str("*.*.contoso.com")));
    CHECK(!policy_cn_is_dns_name(unit_str("192.168.1.1")));
    CHECK(!policy_cn_is_dns_name(unit_str("bücher.example")));
    CHECK(!policy_cn_is_dns_name((policy_str){"a.b\0", 4}));
    CHECK(!policy_cn_is_dns_name((policy_str){NULL, 4}));
}

int main(void)
{
    policy_config_init(&cfg);
    test_valid();
    test_length();
    test_syntax();
    test_wildcard();
    test_idn();
    test_homoglyph();
    test_internal();
    test_permitted();
    test_cn_is_dns_name();
    test_shape();
    test_shape_limits();
    test_shape_bytes();
    /* A NULL config is the defaults. */
    policy_sink sink = unit_sink(&found);
    CHECK_FINDINGS(found, policy_check_dns_name(NULL, unit_str("owa1"), 0, &sink),
                   "dns-internal:warning:D0");
    return unit_finish("test_dns");
}
