/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every rule of the table is emitted by at least one request here, through
 * policy_check_names (the entry the provider uses). A rule added to the
 * table without a case makes this test fail.
 */
#include "unit_util.h"

#include <string.h>

typedef struct coverage_case {
    policy_rule rule; /* must be among the findings */
    policy_attribute subject[3];
    size_t n_subject;
    const char *dns[3];
    size_t n_dns;
    bool has_san;
    policy_key_type key_type;
    unsigned key_bits;
} coverage_case;

#define ATTR(a, v, r)                                                                              \
    {                                                                                              \
        (a), POLICY_STRING_UTF8, {(v), sizeof(v) - 1}, {NULL, 0}, (r)                              \
    }
#define CN_OK ATTR(POLICY_ATTR_CN, "mail.contoso.com", 9)
#define SAN_OK "mail.contoso.com"

static const coverage_case cases[] = {
    {POLICY_RDN_UNKNOWN, {ATTR(POLICY_ATTR_OTHER, "x", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_RDN_EMPTY, {ATTR(POLICY_ATTR_O, "", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_RDN_ENCODING, {ATTR(POLICY_ATTR_O, "a\0b", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_RDN_WHITESPACE, {ATTR(POLICY_ATTR_O, "a ", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_RDN_LENGTH, {ATTR(POLICY_ATTR_C, "USA", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_RDN_COUNT,
     {ATTR(POLICY_ATTR_L, "a", 0), ATTR(POLICY_ATTR_L, "b", 1), CN_OK},
     3,
     {SAN_OK},
     1,
     true,
     0,
     0},
    {POLICY_RDN_ORDER, {CN_OK, ATTR(POLICY_ATTR_O, "a", 10)}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_RDN_MULTIVALUED,
     {ATTR(POLICY_ATTR_O, "a", 0), ATTR(POLICY_ATTR_OU, "b", 0), CN_OK},
     3,
     {SAN_OK},
     1,
     true,
     0,
     0},
    {POLICY_COUNTRY_CODE, {ATTR(POLICY_ATTR_C, "UK", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_DC_ASCII, {ATTR(POLICY_ATTR_DC, "é", 0), CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_DC_WITH_C,
     {ATTR(POLICY_ATTR_DC, "com", 0), ATTR(POLICY_ATTR_C, "US", 1), CN_OK},
     3,
     {SAN_OK},
     1,
     true,
     0,
     0},
    {POLICY_MULTIPLE_CN, {CN_OK, CN_OK}, 2, {SAN_OK}, 1, true, 0, 0},
    {POLICY_CN_HOMOGLYPH,
     {ATTR(POLICY_ATTR_CN, "mаil.contoso.com", 0)},
     1,
     {SAN_OK},
     1,
     true,
     0,
     0},
    {POLICY_CN_NOT_IN_SAN, {CN_OK}, 1, {"contoso.com"}, 1, true, 0, 0},
    {POLICY_SAN_MISSING, {ATTR(POLICY_ATTR_CN, "Mail", 0)}, 1, {NULL}, 0, false, 0, 0},
    {POLICY_SAN_CRITICAL, {{0}}, 0, {SAN_OK}, 1, true, 0, 0},
    {POLICY_DNS_SYNTAX, {CN_OK}, 1, {SAN_OK, "a_b.contoso.com"}, 2, true, 0, 0},
    {POLICY_DNS_LENGTH,
     {CN_OK},
     1,
     {SAN_OK, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.contoso.com"},
     2,
     true,
     0,
     0},
    {POLICY_DNS_WILDCARD, {CN_OK}, 1, {SAN_OK, "*.com"}, 2, true, 0, 0},
    {POLICY_DNS_HOMOGLYPH, {CN_OK}, 1, {SAN_OK, "xn--mcrosoft-thh.com"}, 2, true, 0, 0},
    {POLICY_CN_INVALID_DNS,
     {ATTR(POLICY_ATTR_CN, "mail1. DiversiondeBicicleta.com", 0)},
     1,
     {SAN_OK},
     1,
     true,
     0,
     0},
    {POLICY_DNS_IDN, {CN_OK}, 1, {SAN_OK, "bücher.contoso.com"}, 2, true, 0, 0},
    {POLICY_DNS_INTERNAL, {CN_OK}, 1, {SAN_OK, "owa1"}, 2, true, 0, 0},
    {POLICY_DNS_DUPLICATE, {CN_OK}, 1, {SAN_OK, "Mail.Contoso.com"}, 2, true, 0, 0},
    {POLICY_DOMAIN_NOT_PERMITTED, {CN_OK}, 1, {SAN_OK, "mail.fabrikam.com"}, 2, true, 0, 0},
    {POLICY_KEY_WEAK, {CN_OK}, 1, {SAN_OK}, 1, true, POLICY_KEY_RSA, 1024},
};

int main(void)
{
    policy_config cfg;
    policy_config_init(&cfg);
    CHECK(policy_config_add_permitted(&cfg, unit_str("contoso.com")) == POLICY_CONFIG_OK);
    static unit_findings found;
    policy_sink sink = unit_sink(&found);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const coverage_case *c = &cases[i];
        policy_str dns[3];
        for (size_t k = 0; k < c->n_dns; k++)
            dns[k] = unit_str(c->dns[k]);
        policy_names names = {.subject = c->subject,
                              .n_subject = c->n_subject,
                              .dns = dns,
                              .n_dns = c->n_dns,
                              .has_san = c->has_san,
                              .san_critical = false,
                              .key_type = c->key_type,
                              .key_bits = c->key_bits};
        unit_findings_reset(&found);
        policy_check_names(&cfg, &names, &sink);
        bool seen = false;
        for (size_t k = 0; k < found.n; k++)
            seen = seen || found.f[k].rule == c->rule;
        unit_check(seen, __FILE__, __LINE__, policy_rule_get(c->rule)->id);
    }
    for (size_t r = 0; r < POLICY_RULE_COUNT; r++) {
        bool hit = unit_rule_hits[r] > 0;
        unit_check(hit, __FILE__, __LINE__, "rule emitted by at least one case");
        if (!hit)
            fprintf(stderr, "    rule never emitted: %s\n", policy_rule_get((policy_rule)r)->id);
    }
    return unit_finish("test_rule_coverage");
}
