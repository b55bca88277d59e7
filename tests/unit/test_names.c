/* SPDX-License-Identifier: Apache-2.0 */
/* policy_check_names: the CN against the SAN, san-missing, san-critical,
 * dns-duplicate, key-weak, domain-not-permitted for a CN, and the order
 * of findings over a whole request. */
#include "policy_internal.h"
#include "unit_util.h"

#include <string.h>
#include <time.h>

#define N(arr) (sizeof(arr) / sizeof((arr)[0]))

static policy_config cfg;
static unit_findings found;
static unit_findings unscreened;

/* Also with the shape pre-screen off: the same findings, to the byte. */
static policy_result run(const policy_names *names)
{
    policy_sink sink = unit_sink(&found);
    policy_result with_sink = policy_check_names(&cfg, names, &sink);
    policy_result counted = policy_check_names(&cfg, names, NULL);
    CHECK(counted.errors == with_sink.errors && counted.warnings == with_sink.warnings &&
          counted.notices == with_sink.notices);
    policy_sink full = unit_sink(&unscreened);
    unit_findings_reset(&unscreened);
    (void)policy_check_names_screened(&cfg, names, &full, true);
    CHECK_SAME_FINDINGS(&found, &unscreened);
    return with_sink;
}

static policy_names names_of(const policy_attribute *subject, size_t n_subject,
                             const policy_str *dns, size_t n_dns)
{
    return (policy_names){.subject = subject,
                          .n_subject = n_subject,
                          .dns = dns,
                          .n_dns = n_dns,
                          .has_san = n_dns > 0,
                          .san_critical = false,
                          .key_type = POLICY_KEY_RSA,
                          .key_bits = 2048};
}

static const policy_attribute edge_subject[] = {
    {POLICY_ATTR_C, POLICY_STRING_PRINTABLE, {"US", 2}, {NULL, 0}, 0},
    {POLICY_ATTR_O, POLICY_STRING_UTF8, {"Contoso", 7}, {NULL, 0}, 1},
    {POLICY_ATTR_CN, POLICY_STRING_UTF8, {"mail.contoso.com", 16}, {NULL, 0}, 2},
};

static void test_clean_request(void)
{
    policy_str dns[] = {unit_str("mail.contoso.com"), unit_str("contoso.com"),
                        unit_str("autodiscover.contoso.com"), unit_str("owa.contoso.com"),
                        unit_str("smtp.contoso.com")};
    policy_names names = names_of(edge_subject, N(edge_subject), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "");
    CHECK_FINDINGS(found, policy_check_names(&cfg, NULL, NULL), "");
}

static void test_cn_not_in_san(void)
{
    policy_str dns[] = {unit_str("contoso.com"), unit_str("autodiscover.contoso.com")};
    policy_names names = names_of(edge_subject, N(edge_subject), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "cn-not-in-san:error:S2");
    CHECK_STR(found.f[0].message,
              "CN 'mail.contoso.com' is a DNS name that no SAN DNS name covers");
    CHECK_STR(found.f[0].hint,
              "add DNS:mail.contoso.com to the SAN: TLS clients match the SAN only");
    CHECK(found.f[0].value.ptr == edge_subject[2].value.ptr);

    /* A wildcard covers it, in any case; a wildcard one level up does not. */
    policy_str wild[] = {unit_str("*.CONTOSO.com")};
    names = names_of(edge_subject, N(edge_subject), wild, N(wild));
    CHECK_FINDINGS(found, run(&names), "");
    policy_str deep[] = {unit_str("*.com"), unit_str("mail.contoso.com.evil")};
    names = names_of(edge_subject, N(edge_subject), deep, N(deep));
    CHECK_FINDINGS(found, run(&names), "cn-not-in-san:error:S2 dns-wildcard:error:D0");

    /* A CN that is no DNS name needs no SAN entry. */
    policy_attribute plain[] = {unit_attr(POLICY_ATTR_CN, "Contoso Mail Server", 0)};
    names = names_of(plain, N(plain), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "");
    /* A BMPString CN is compared by its characters. */
    policy_attribute bmp[] = {unit_attr_typed(
        POLICY_ATTR_CN, POLICY_STRING_BMP, "\0o\0w\0a\0.\0c\0o\0n\0t\0o\0s\0o\0.\0c\0o\0m", 30, 0)};
    names = names_of(bmp, N(bmp), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "cn-not-in-san:error:S0");
    CHECK_STR(found.f[0].message, "CN 'owa.contoso.com' is a DNS name that no SAN DNS name covers");
    /* Configurable. */
    CHECK(policy_config_set(&cfg, unit_str("cn-not-in-san"), unit_str("warning")) ==
          POLICY_CONFIG_OK);
    CHECK_FINDINGS(found, run(&names), "cn-not-in-san:warning:S0");
    CHECK(policy_config_set(&cfg, unit_str("cn-not-in-san"), unit_str("off")) == POLICY_CONFIG_OK);
    CHECK_FINDINGS(found, run(&names), "");
    policy_config_init(&cfg);
}

static void test_san_missing_critical(void)
{
    /* No SAN extension: san-missing alone; only a SAN that is there can
     * miss the CN. */
    policy_names names = names_of(edge_subject, N(edge_subject), NULL, 0);
    CHECK_FINDINGS(found, run(&names), "san-missing:error:-");
    CHECK_STR(found.f[0].message, "no DNS name in the subject alternative name");
    names.usage.request = true;
    CHECK_FINDINGS(found, run(&names), "san-missing:warning:-");
    names.usage.request = false;
    /* A SAN extension with only other names (has_san, no dNSName). */
    names.has_san = true;
    names.san_critical = true;
    CHECK_FINDINGS(found, run(&names), "cn-not-in-san:error:S2 san-missing:error:-");

    policy_str dns[] = {unit_str("mail.contoso.com")};
    names = names_of(NULL, 0, dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "san-critical:error:-");
    CHECK_STR(found.f[0].message,
              "the subject is empty and the subjectAltName extension is not critical");
    names.san_critical = true;
    CHECK_FINDINGS(found, run(&names), "");
    /* Subject present: criticality does not matter. */
    names = names_of(edge_subject, N(edge_subject), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "");
    /* Nothing at all. */
    names = names_of(NULL, 0, NULL, 0);
    CHECK_FINDINGS(found, run(&names), "san-missing:error:-");
}

static void test_duplicates(void)
{
    policy_str dns[] = {unit_str("mail.contoso.com"), unit_str("MAIL.contoso.com"),
                        unit_str("x.contoso.com"), unit_str("mail.contoso.com"),
                        unit_str("X.Contoso.Com")};
    policy_names names = names_of(edge_subject, N(edge_subject), dns, N(dns));
    CHECK_FINDINGS(found, run(&names),
                   "dns-duplicate:notice:D1 dns-duplicate:notice:D3 dns-duplicate:notice:D4");
    CHECK_STR(found.f[0].message, "DNS name 'MAIL.contoso.com' repeats SAN entry 0");
    CHECK_STR(found.f[2].message, "DNS name 'X.Contoso.Com' repeats SAN entry 2");
    CHECK(policy_config_set(&cfg, unit_str("dns-duplicate"), unit_str("error")) ==
          POLICY_CONFIG_OK);
    CHECK_FINDINGS(found, run(&names),
                   "dns-duplicate:error:D1 dns-duplicate:error:D3 dns-duplicate:error:D4");
    policy_config_init(&cfg);
}

static void test_key(void)
{
    policy_str dns[] = {unit_str("mail.contoso.com")};
    policy_names names = names_of(edge_subject, N(edge_subject), dns, N(dns));
    names.key_bits = 1024;
    CHECK_FINDINGS(found, run(&names), "key-weak:error:-");
    CHECK_STR(found.f[0].message, "RSA key of 1024 bits, under the 2048 required");
    names.key_bits = 2047;
    names.key_type = POLICY_KEY_RSA_PSS;
    CHECK_FINDINGS(found, run(&names), "key-weak:error:-");
    CHECK_STR(found.f[0].message, "RSA-PSS key of 2047 bits, under the 2048 required");
    names.key_type = POLICY_KEY_DSA;
    names.key_bits = 1024;
    CHECK_FINDINGS(found, run(&names), "key-weak:error:-");
    names.key_type = POLICY_KEY_RSA;
    names.key_bits = 2048;
    CHECK_FINDINGS(found, run(&names), "");
    names.key_bits = 0; /* unknown */
    CHECK_FINDINGS(found, run(&names), "");
    names.key_type = POLICY_KEY_EC;
    names.key_bits = 256;
    CHECK_FINDINGS(found, run(&names), "");
    names.key_bits = 224;
    CHECK_FINDINGS(found, run(&names), "key-weak:error:-");
    CHECK_STR(found.f[0].message, "EC key of 224 bits, under the 256 required");
    names.key_type = POLICY_KEY_DSA;
    names.key_bits = 1024;
    CHECK_FINDINGS(found, run(&names), "key-weak:error:-");
    CHECK_STR(found.f[0].message, "DSA key of 1024 bits, under the 2048 required");
    names.key_type = POLICY_KEY_ED25519;
    names.key_bits = 253;
    CHECK_FINDINGS(found, run(&names), "");
}

static void test_permitted_cn(void)
{
    CHECK(policy_config_add_permitted(&cfg, unit_str("contoso.com")) == POLICY_CONFIG_OK);
    policy_attribute subject[] = {unit_attr(POLICY_ATTR_CN, "mail.fabrikam.com", 0)};
    policy_str dns[] = {unit_str("mail.fabrikam.com"), unit_str("mail.contoso.com")};
    policy_names names = names_of(subject, N(subject), dns, N(dns));
    CHECK_FINDINGS(found, run(&names),
                   "domain-not-permitted:error:S0 domain-not-permitted:error:D0");
    CHECK_STR(found.f[0].message, "CN 'mail.fabrikam.com' is outside permitted_domains");
    CHECK(found.f[0].value.ptr == subject[0].value.ptr);
    CHECK_STR(found.f[1].message, "DNS name 'mail.fabrikam.com' is outside permitted_domains");
    policy_attribute ok[] = {unit_attr(POLICY_ATTR_CN, "mail.contoso.com", 0)};
    names = names_of(ok, N(ok), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "domain-not-permitted:error:D0");
    /* A CN that is not a DNS name is not subject to the list. */
    policy_attribute plain[] = {unit_attr(POLICY_ATTR_CN, "Fabrikam Mail", 0)};
    policy_str good[] = {unit_str("mail.contoso.com")};
    names = names_of(plain, N(plain), good, N(good));
    CHECK_FINDINGS(found, run(&names), "");
    policy_config_init(&cfg);
}

/* The CN through the shape pre-screen: each string type, a CN equal to a
 * SAN entry but for case (which then lends that entry its shape), and the
 * CNs the pre-screen hands to the full checks. run() also checks every
 * request without the pre-screen and wants the same findings. */
static void test_cn_shapes(void)
{
    policy_str san[] = {unit_str("contoso.com"), unit_str("mail.contoso.com")};
    policy_attribute cn[1];
    policy_names names = names_of(cn, 1, san, N(san));
#define CN_AS(type, value, want)                                                                   \
    do {                                                                                           \
        cn[0] = unit_attr_typed(POLICY_ATTR_CN, (type), (value), strlen(value), 0);                \
        CHECK_FINDINGS(found, run(&names), (want));                                                \
    } while (0)
    static const struct {
        policy_string_type type;
        const char *value;
        const char *want;
    } cases[] = {
        {POLICY_STRING_UTF8, "mail.contoso.com", ""},
        {POLICY_STRING_PRINTABLE, "mail.contoso.com", ""},
        {POLICY_STRING_IA5, "MAIL.Contoso.COM", ""},
        {POLICY_STRING_VISIBLE, "contoso.com", ""},
        {POLICY_STRING_T61, "owa.contoso.com", "cn-not-in-san:error:S0"},
        {POLICY_STRING_NUMERIC, "12345", ""},
        /* '*' is no PrintableString character: that CN is not read as a name. */
        {POLICY_STRING_PRINTABLE, "*.contoso.com", "rdn-encoding:error:S0"},
        {POLICY_STRING_IA5, "*.contoso.com", "cn-not-in-san:error:S0"},
        {POLICY_STRING_UTF8, "w*.contoso.com", "cn-invalid-dns:error:S0"},
        {POLICY_STRING_UTF8, "mail.contoso.com.", "cn-invalid-dns:error:S0"},
        {POLICY_STRING_UTF8, "owa1", ""},
        {POLICY_STRING_UTF8, "mail.contoso.local", "cn-not-in-san:error:S0"},
        {POLICY_STRING_UTF8, "xn--mcrosoft-thh.com",
         "dns-homoglyph:warning:S0 cn-not-in-san:error:S0"},
        {POLICY_STRING_UTF8, "mail_1.contoso.com", "cn-invalid-dns:error:S0"},
    };
    for (size_t k = 0; k < N(cases); k++)
        CN_AS(cases[k].type, cases[k].value, cases[k].want);

    /* Equal to a SAN entry but for case: covered, and that entry's rules
     * still run (dns-internal, dns-homoglyph, dns-duplicate). */
    policy_str local[] = {unit_str("EX1.home.LAN"), unit_str("xn--mcrosoft-thh.com"),
                          unit_str("ex1.home.lan")};
    names = names_of(cn, 1, local, N(local));
    CN_AS(POLICY_STRING_UTF8, "ex1.home.lan",
          "dns-internal:warning:D0 dns-homoglyph:warning:D1 dns-internal:warning:D2 "
          "dns-duplicate:notice:D2");
    CN_AS(POLICY_STRING_UTF8, "XN--MCROSOFT-THH.COM",
          "dns-homoglyph:warning:S0 dns-internal:warning:D0 dns-homoglyph:warning:D1 "
          "dns-internal:warning:D2 dns-duplicate:notice:D2");
    /* A 64-character label is no shape: the full checks, for CN and SAN. */
    char long_name[80];
    memset(long_name, 'a', 64);
    strcpy(long_name + 64, ".com");
    policy_str longs[] = {unit_str(long_name)};
    names = names_of(cn, 1, longs, N(longs));
    CN_AS(POLICY_STRING_UTF8, long_name, "rdn-length:error:S0 dns-length:error:D0");
    /* Without a SAN, nothing to be covered by. */
    names = names_of(cn, 1, NULL, 0);
    CN_AS(POLICY_STRING_UTF8, "mail.contoso.com", "san-missing:error:-");
    /* A SAN entry with no bytes is skipped, not read. */
    policy_str holes[] = {{NULL, 0}, unit_str("mail.contoso.com")};
    names = names_of(cn, 1, holes, N(holes));
    CN_AS(POLICY_STRING_UTF8, "mail.contoso.com", "dns-syntax:error:D0");
#undef CN_AS
}

static void test_order_of_findings(void)
{
    policy_attribute subject[] = {
        unit_attr(POLICY_ATTR_CN, "mail.contoso.com", 0),
        unit_attr(POLICY_ATTR_C, "UK", 1),
        unit_attr(POLICY_ATTR_CN, "owa.contoso.com", 2),
    };
    policy_str dns[] = {unit_str("owa1"), unit_str("*.com"), unit_str("bücher.example"),
                        unit_str("OWA1")};
    policy_names names = names_of(subject, N(subject), dns, N(dns));
    names.key_bits = 1024;
    CHECK_FINDINGS(found, run(&names),
                   "rdn-order:error:S1 country-code:error:S1 multiple-cn:warning:S2 "
                   "cn-not-in-san:error:S0 cn-not-in-san:error:S2 dns-internal:warning:D0 "
                   "dns-wildcard:error:D1 dns-idn:error:D2 dns-internal:warning:D3 "
                   "dns-duplicate:notice:D3 key-weak:error:-");
}

static void test_speed(void)
{
    /* The provider runs this for every signature: a typical request must
     * take microseconds. The bound is loose enough for valgrind. */
    policy_str dns[] = {unit_str("mail.contoso.com"), unit_str("contoso.com"),
                        unit_str("autodiscover.contoso.com"), unit_str("owa.contoso.com"),
                        unit_str("xn--bcher-kva.example")};
    policy_names names = names_of(edge_subject, N(edge_subject), dns, N(dns));
    const int rounds = 2000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t errors = 0;
    for (int i = 0; i < rounds; i++)
        errors += policy_check_names(&cfg, &names, NULL).errors;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / rounds;
    policy_str ascii_only[] = {unit_str("mail.contoso.com"), unit_str("contoso.com"),
                               unit_str("autodiscover.contoso.com"), unit_str("owa.contoso.com"),
                               unit_str("smtp.contoso.com")};
    names.dns = ascii_only;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < rounds; i++)
        errors += policy_check_names(&cfg, &names, NULL).errors;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us_ascii =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / rounds;
    printf("policy_check_names, 1 CN / 5 SAN: %.2f us (one xn-- label), %.2f us (ASCII only)\n", us,
           us_ascii);
    CHECK_SIZE(errors, 0);
    CHECK(us < 2000.0 && us_ascii < 2000.0);
}

/* name-policy.md, "Which rules apply to which certificate": san-missing and
 * multiple-cn only for TLS servers; a missing SAN in a request is a warning. */
static void test_usage(void)
{
    policy_attribute two_cn[] = {unit_attr(POLICY_ATTR_CN, "client1", 0),
                                 unit_attr(POLICY_ATTR_CN, "client2", 1)};
    static const struct {
        policy_usage usage;
        const char *name;
        const char *findings;
    } kinds[] = {
        {{false, false, false, false},
         "TLS server certificate",
         "multiple-cn:warning:S1 san-missing:error:-"},
        {{true, false, false, false},
         "TLS server request",
         "multiple-cn:warning:S1 san-missing:warning:-"},
        {{false, true, false, false}, "CA certificate", ""},
        {{true, true, false, false}, "CA request", ""},
        {{false, true, true, true},
         "TLS server certificate",
         "multiple-cn:warning:S1 san-missing:error:-"},
        {{false, false, true, false}, "certificate not for TLS servers", ""},
        {{true, false, true, false}, "request not for TLS servers", ""},
    };
    for (size_t k = 0; k < N(kinds); k++) {
        policy_names names = names_of(two_cn, N(two_cn), NULL, 0);
        names.usage = kinds[k].usage;
        CHECK_STR(policy_usage_name(&names.usage), kinds[k].name);
        CHECK_FINDINGS(found, run(&names), kinds[k].findings);
    }
    CHECK(policy_usage_is_tls_server(NULL));

    /* What a name IS never depends on the kind: a CA's bad SAN is refused. */
    policy_attribute ca[] = {unit_attr(POLICY_ATTR_CN, "bad_name.contoso.com", 0)};
    policy_str bad[] = {unit_str("bad_name.contoso.com")};
    policy_names names = names_of(ca, N(ca), bad, N(bad));
    names.usage.ca = true;
    CHECK_FINDINGS(found, run(&names), "cn-invalid-dns:error:S0 dns-syntax:error:D0");
}

static void test_cn_invalid_dns(void)
{
    policy_str dns[] = {unit_str("mail1.diversiondebicicleta.com")};
    /* The seed's own typo. */
    policy_attribute typo[] = {unit_attr(POLICY_ATTR_CN, "mail1. DiversiondeBicicleta.com", 0)};
    policy_names names = names_of(typo, N(typo), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "cn-invalid-dns:error:S0");
    CHECK_STR(found.f[0].message, "CN 'mail1. DiversiondeBicicleta.com' looks like a DNS name but "
                                  "is not one: character not allowed (' ') at offset 6");
    CHECK_STR(found.f[0].hint, "did you mean 'mail1.diversiondebicicleta.com'? Software looking "
                               "for an FQDN in the CN will not find this one");
    policy_attribute under[] = {unit_attr(POLICY_ATTR_CN, "mail_1.contoso.com", 0)};
    names = names_of(under, N(under), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "cn-invalid-dns:error:S0");
    CHECK_CONTAINS(found.f[0].hint, "did you mean 'mail-1.contoso.com'?");
    policy_attribute uk[] = {unit_attr(POLICY_ATTR_CN, "mail..contoso.co.uk", 0)};
    names = names_of(uk, N(uk), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "cn-invalid-dns:error:S0");
    policy_attribute local[] = {unit_attr(POLICY_ATTR_CN, "owa 1.contoso.local", 0)};
    names = names_of(local, N(local), dns, N(dns));
    CHECK_FINDINGS(found, run(&names), "cn-invalid-dns:error:S0");

    /* A trailing dot never slips a CN past permitted_domains. */
    policy_config_add_permitted(&cfg, unit_str("contoso.com"));
    policy_attribute dot[] = {unit_attr(POLICY_ATTR_CN, "mail.fabrikam.com.", 0)};
    policy_str good[] = {unit_str("mail.contoso.com")};
    names = names_of(dot, N(dot), good, N(good));
    CHECK_FINDINGS(found, run(&names), "cn-invalid-dns:error:S0 domain-not-permitted:error:S0");
    CHECK_CONTAINS(found.f[1].message, "CN 'mail.fabrikam.com' is outside permitted_domains");
    policy_config_set(&cfg, unit_str("cn-invalid-dns"), unit_str("off"));
    CHECK_FINDINGS(found, run(&names), "domain-not-permitted:error:S0");
    policy_config_init(&cfg);

    /* Names that do not look like DNS names are not flagged. */
    static const char *const plain[] = {"Contoso Root CA v2.0", "Contoso Issuing CA",
                                        "Contoso OCSP",         "client1",
                                        "John Smith",           "v1.0 build 7"};
    for (size_t k = 0; k < N(plain); k++) {
        policy_attribute a[] = {unit_attr(POLICY_ATTR_CN, plain[k], 0)};
        names = names_of(a, N(a), dns, N(dns));
        CHECK_FINDINGS(found, run(&names), "");
    }
    /* A CN written as a look-alike A-label. */
    policy_attribute alabel[] = {unit_attr(POLICY_ATTR_CN, "xn--mcrosoft-thh.com", 0)};
    policy_str same[] = {unit_str("xn--mcrosoft-thh.com")};
    names = names_of(alabel, N(alabel), same, N(same));
    CHECK_FINDINGS(found, run(&names), "dns-homoglyph:warning:S0 dns-homoglyph:warning:D0");
    CHECK_CONTAINS(found.f[0].message, "CN 'xn--mcrosoft-thh.com' reads as");
}

int main(void)
{
    policy_config_init(&cfg);
    test_clean_request();
    test_cn_not_in_san();
    test_san_missing_critical();
    test_duplicates();
    test_key();
    test_usage();
    test_cn_invalid_dns();
    test_permitted_cn();
    test_order_of_findings();
    test_cn_shapes();
    test_speed();
    return unit_finish("test_names");
}
