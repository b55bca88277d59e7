/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration: rule and severity parsing, what may be configured,
 * permitted_domains, and the rule table's own consistency. */
#include "unit_util.h"

#include <string.h>

static const char *const configurable_ids[] = {
    "rdn-unknown",  "rdn-whitespace", "rdn-order",     "dc-with-c",    "multiple-cn",
    "cn-homoglyph", "cn-invalid-dns", "cn-not-in-san", "dns-internal", "dns-duplicate",
};

static bool in_configurable(const char *id)
{
    for (size_t i = 0; i < sizeof(configurable_ids) / sizeof(configurable_ids[0]); i++) {
        if (strcmp(id, configurable_ids[i]) == 0)
            return true;
    }
    return false;
}

static void test_table(void)
{
    static const char *const ids[POLICY_RULE_COUNT] = {
        "rdn-unknown",          "rdn-empty",      "rdn-encoding",  "rdn-whitespace",
        "rdn-length",           "rdn-count",      "rdn-order",     "rdn-multivalued",
        "country-code",         "dc-ascii",       "dc-with-c",     "multiple-cn",
        "cn-homoglyph",         "cn-invalid-dns", "cn-not-in-san", "san-missing",
        "san-critical",         "dns-syntax",     "dns-length",    "dns-wildcard",
        "dns-homoglyph",        "dns-idn",        "dns-internal",  "dns-duplicate",
        "domain-not-permitted", "key-weak",
    };
    static const policy_severity defaults[POLICY_RULE_COUNT] = {
        POLICY_SEV_ERROR,   POLICY_SEV_ERROR, POLICY_SEV_ERROR,   POLICY_SEV_WARNING,
        POLICY_SEV_ERROR,   POLICY_SEV_ERROR, POLICY_SEV_ERROR,   POLICY_SEV_ERROR,
        POLICY_SEV_ERROR,   POLICY_SEV_ERROR, POLICY_SEV_WARNING, POLICY_SEV_WARNING,
        POLICY_SEV_WARNING, POLICY_SEV_ERROR, POLICY_SEV_ERROR,   POLICY_SEV_ERROR,
        POLICY_SEV_ERROR,   POLICY_SEV_ERROR, POLICY_SEV_ERROR,   POLICY_SEV_ERROR,
        POLICY_SEV_WARNING, POLICY_SEV_ERROR, POLICY_SEV_WARNING, POLICY_SEV_NOTICE,
        POLICY_SEV_ERROR,   POLICY_SEV_ERROR,
    };
    const policy_rule_info *table = policy_rule_table();
    size_t configurable = 0;
    for (size_t i = 0; i < POLICY_RULE_COUNT; i++) {
        CHECK(table[i].rule == (policy_rule)i);
        CHECK_STR(table[i].id, ids[i]);
        CHECK(table[i].default_severity == defaults[i]);
        CHECK(table[i].configurable == in_configurable(table[i].id));
        CHECK(table[i].summary != NULL && table[i].summary[0] != '\0' &&
              strchr(table[i].summary, '|') == NULL);
        CHECK(table[i].hint != NULL && table[i].hint[0] != '\0' &&
              strchr(table[i].hint, '|') == NULL);
        CHECK(policy_rule_get((policy_rule)i) == &table[i]);
        CHECK(policy_rule_find(unit_str(ids[i])) == &table[i]);
        configurable += table[i].configurable;
    }
    CHECK_SIZE(configurable, 10);
    CHECK(policy_rule_get(POLICY_RULE_COUNT) == NULL);
    CHECK(policy_rule_get((policy_rule)-1) == NULL);
    CHECK(policy_rule_find(unit_str("DNS-Wildcard")) == &table[POLICY_DNS_WILDCARD]);
    CHECK(policy_rule_find(unit_str("dns-wildcar")) == NULL);
    CHECK(policy_rule_find(unit_str("dns-wildcard ")) == NULL);
    CHECK(policy_rule_find((policy_str){"dns-wildcardX", 12}) == &table[POLICY_DNS_WILDCARD]);
    CHECK(policy_rule_find(unit_str("")) == NULL);
    CHECK(policy_rule_find((policy_str){NULL, 4}) == NULL);
}

static void test_severity(void)
{
    policy_severity sev = POLICY_SEV_OFF;
    CHECK(policy_severity_parse(unit_str("error"), &sev) && sev == POLICY_SEV_ERROR);
    CHECK(policy_severity_parse(unit_str("WARNING"), &sev) && sev == POLICY_SEV_WARNING);
    CHECK(policy_severity_parse(unit_str("Notice"), &sev) && sev == POLICY_SEV_NOTICE);
    CHECK(policy_severity_parse(unit_str("off"), &sev) && sev == POLICY_SEV_OFF);
    sev = POLICY_SEV_NOTICE;
    CHECK(!policy_severity_parse(unit_str("fatal"), &sev) && sev == POLICY_SEV_NOTICE);
    CHECK(!policy_severity_parse(unit_str("err"), &sev));
    CHECK(!policy_severity_parse(unit_str("error "), &sev));
    CHECK(!policy_severity_parse(unit_str(""), &sev));
    CHECK(!policy_severity_parse((policy_str){NULL, 3}, &sev));
    CHECK_STR(policy_severity_name(POLICY_SEV_ERROR), "error");
    CHECK_STR(policy_severity_name(POLICY_SEV_WARNING), "warning");
    CHECK_STR(policy_severity_name(POLICY_SEV_NOTICE), "notice");
    CHECK_STR(policy_severity_name(POLICY_SEV_OFF), "off");
    CHECK_STR(policy_severity_name((policy_severity)9), "invalid");
}

static void test_config_set(void)
{
    policy_config cfg;
    policy_config_init(&cfg);
    for (size_t i = 0; i < POLICY_RULE_COUNT; i++)
        CHECK(cfg.severity[i] == policy_rule_get((policy_rule)i)->default_severity);
    CHECK_SIZE(cfg.n_permitted, 0);

    CHECK(policy_config_set(&cfg, unit_str("no-such-rule"), unit_str("off")) ==
          POLICY_CONFIG_UNKNOWN_RULE);
    CHECK(policy_config_set(&cfg, unit_str("rdn-length"), unit_str("off")) ==
          POLICY_CONFIG_NOT_CONFIGURABLE);
    CHECK(policy_config_set(&cfg, unit_str("key-weak"), unit_str("warning")) ==
          POLICY_CONFIG_NOT_CONFIGURABLE);
    CHECK(cfg.severity[POLICY_RDN_LENGTH] == POLICY_SEV_ERROR);
    CHECK(policy_config_set(&cfg, unit_str("dns-internal"), unit_str("fatal")) ==
          POLICY_CONFIG_BAD_SEVERITY);
    CHECK(cfg.severity[POLICY_DNS_INTERNAL] == POLICY_SEV_WARNING);
    /* Unknown rule is reported before a bad severity. */
    CHECK(policy_config_set(&cfg, unit_str("nope"), unit_str("fatal")) ==
          POLICY_CONFIG_UNKNOWN_RULE);
    for (size_t i = 0; i < sizeof(configurable_ids) / sizeof(configurable_ids[0]); i++) {
        CHECK(policy_config_set(&cfg, unit_str(configurable_ids[i]), unit_str("notice")) ==
              POLICY_CONFIG_OK);
        CHECK(cfg.severity[policy_rule_find(unit_str(configurable_ids[i]))->rule] ==
              POLICY_SEV_NOTICE);
    }

    /* OFF suppresses: counts and sink both see nothing. */
    unit_findings found;
    policy_sink sink = unit_sink(&found);
    CHECK_FINDINGS(found, policy_check_dns_name(&cfg, unit_str("owa1"), 0, &sink),
                   "dns-internal:notice:D0");
    CHECK(policy_config_set(&cfg, unit_str("dns-internal"), unit_str("OFF")) == POLICY_CONFIG_OK);
    CHECK_FINDINGS(found, policy_check_dns_name(&cfg, unit_str("owa1"), 0, &sink), "");
    /* A corrupt severity value behaves as the default, never as off. */
    cfg.severity[POLICY_DNS_INTERNAL] = (policy_severity)42;
    CHECK_FINDINGS(found, policy_check_dns_name(&cfg, unit_str("owa1"), 0, &sink),
                   "dns-internal:warning:D0");
}

static void test_permitted_config(void)
{
    policy_config cfg;
    policy_config_init(&cfg);
    CHECK(policy_config_add_permitted(&cfg, unit_str("contoso.com")) == POLICY_CONFIG_OK);
    CHECK(policy_config_add_permitted(&cfg, unit_str("corp.")) == POLICY_CONFIG_OK);
    CHECK(policy_config_add_permitted(&cfg, unit_str("")) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, unit_str(".")) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, unit_str("*.contoso.com")) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, unit_str(".contoso.com")) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, unit_str("bad_name.com")) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, unit_str("bücher.example")) ==
          POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, unit_str("10.0.0.1")) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK(policy_config_add_permitted(&cfg, (policy_str){NULL, 3}) == POLICY_CONFIG_BAD_DOMAIN);
    char label[80];
    memset(label, 'a', 64);
    memcpy(label + 64, ".com", 5);
    CHECK(policy_config_add_permitted(&cfg, unit_str(label)) == POLICY_CONFIG_BAD_DOMAIN);
    CHECK_SIZE(cfg.n_permitted, 2);
    while (cfg.n_permitted < POLICY_MAX_PERMITTED)
        CHECK(policy_config_add_permitted(&cfg, unit_str("example.org")) == POLICY_CONFIG_OK);
    CHECK(policy_config_add_permitted(&cfg, unit_str("example.net")) == POLICY_CONFIG_TOO_MANY);
    CHECK_SIZE(cfg.n_permitted, POLICY_MAX_PERMITTED);
}

int main(void)
{
    test_table();
    test_severity();
    test_config_set();
    test_permitted_config();
    return unit_finish("test_config");
}
