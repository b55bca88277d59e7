/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule table, severities, the configuration and finding emission.
 * docs/rules.md is generated from this table (tests/unit/print_rules.c).
 */
#include "policy_internal.h"

#include <string.h>

#define RULE_SCOPED(e, id_text, sev, conf, what, fix, in_scope, in_request)                        \
    [e] = {.rule = (e),                                                                            \
           .id = (id_text),                                                                        \
           .default_severity = (sev),                                                              \
           .configurable = (conf),                                                                 \
           .summary = (what),                                                                      \
           .hint = (fix),                                                                          \
           .scope = (in_scope),                                                                    \
           .request_max = (in_request)}
#define RULE(e, id_text, sev, conf, what, fix)                                                     \
    RULE_SCOPED(e, id_text, sev, conf, what, fix, POLICY_SCOPE_ALL, POLICY_SEV_ERROR)

static const policy_rule_info rule_table[POLICY_RULE_COUNT] = {
    RULE(POLICY_RDN_UNKNOWN, "rdn-unknown", POLICY_SEV_ERROR, true,
         "subject attribute outside the table (C, DC, S/ST, L, O, OU, CN)",
         "remove the attribute, or set rdn-unknown to a lower severity if your CA accepts it"),
    RULE(POLICY_RDN_EMPTY, "rdn-empty", POLICY_SEV_ERROR, false, "empty subject attribute value",
         "give the attribute a value or leave it out"),
    RULE(POLICY_RDN_ENCODING, "rdn-encoding", POLICY_SEV_ERROR, false,
         "invalid UTF-8, NUL, control characters, or a string type that cannot hold the value",
         "re-encode the value as UTF8String without control characters"),
    RULE(POLICY_RDN_WHITESPACE, "rdn-whitespace", POLICY_SEV_WARNING, true,
         "leading or trailing white space in a subject value",
         "remove the white space at the start and end of the value"),
    RULE(POLICY_RDN_LENGTH, "rdn-length", POLICY_SEV_ERROR, false,
         "value longer than the table allows, in characters (C 2, DC 255 in total, ST/L 128, "
         "O/OU/CN 64)",
         "shorten the value; an FQDN over 64 characters goes in the SAN only"),
    RULE(POLICY_RDN_COUNT, "rdn-count", POLICY_SEV_ERROR, false, "C, ST, L or O more than once",
         "keep one value of the attribute"),
    RULE(POLICY_RDN_ORDER, "rdn-order", POLICY_SEV_ERROR, true,
         "subject attributes not in the order C/DC, ST, L, O, OU, CN",
         "reorder the subject as C/DC, ST, L, O, OU, CN"),
    RULE(POLICY_RDN_MULTIVALUED, "rdn-multivalued", POLICY_SEV_ERROR, false,
         "more than one attribute in one RDN (multi-valued RDN)",
         "put each attribute in its own RDN (no '+' in the subject)"),
    RULE(POLICY_COUNTRY_CODE, "country-code", POLICY_SEV_ERROR, false,
         "C is not an assigned ISO 3166-1 alpha-2 code in upper case",
         "use the two-letter upper-case ISO 3166-1 code, e.g. US, GB, DE"),
    RULE(POLICY_DC_ASCII, "dc-ascii", POLICY_SEV_ERROR, false, "non-ASCII character in DC",
         "write the domain component in ASCII, as its A-label (xn--...) if it is an IDN"),
    RULE(POLICY_DC_WITH_C, "dc-with-c", POLICY_SEV_WARNING, true,
         "both DC and C in the subject (by convention mutually exclusive)",
         "use either DC components or C, not both"),
    RULE_SCOPED(POLICY_MULTIPLE_CN, "multiple-cn", POLICY_SEV_WARNING, true,
                "more than one CN: services that assume one CN break (TLS server certificates "
                "and requests only)",
                "keep one CN and put the other names in the SAN", POLICY_SCOPE_TLS_SERVER,
                POLICY_SEV_ERROR),
    RULE(POLICY_CN_HOMOGLYPH, "cn-homoglyph", POLICY_SEV_WARNING, true,
         "CN looks like a DNS name but holds non-ASCII look-alike characters",
         "put the ASCII name in the CN, or its A-label (xn--...) if the Unicode is intended"),
    RULE(POLICY_CN_INVALID_DNS, "cn-invalid-dns", POLICY_SEV_ERROR, true,
         "CN looks like a DNS name (a dot, ending in a public or reserved suffix) but breaks DNS "
         "syntax: white space, '_', a trailing dot, an empty label",
         "write the CN as a valid DNS name (the hint gives the nearest one), or as a name that "
         "does not look like one (Contoso Issuing CA)"),
    RULE(POLICY_CN_NOT_IN_SAN, "cn-not-in-san", POLICY_SEV_ERROR, true,
         "CN is a DNS name that no SAN DNS name covers (clients match the SAN only)",
         "add the CN to the SAN DNS names"),
    RULE_SCOPED(POLICY_SAN_MISSING, "san-missing", POLICY_SEV_ERROR, false,
                "no DNS name in the SAN of a TLS server certificate (a warning in a request: the "
                "CA may add the names when it signs)",
                "add the server's DNS names as SAN dNSName entries", POLICY_SCOPE_TLS_SERVER,
                POLICY_SEV_WARNING),
    RULE(POLICY_SAN_CRITICAL, "san-critical", POLICY_SEV_ERROR, false,
         "empty subject with a SAN that is not marked critical (RFC 5280 4.2.1.6)",
         "mark the subjectAltName extension critical, or give the subject a CN"),
    RULE(POLICY_DNS_SYNTAX, "dns-syntax", POLICY_SEV_ERROR, false,
         "DNS name with a character outside A-Z a-z 0-9 '-', an empty label, a label starting "
         "or ending with '-', a trailing dot, or an IP address",
         "use letters, digits and '-' in dot-separated labels; put IP addresses in an IP SAN"),
    RULE(POLICY_DNS_LENGTH, "dns-length", POLICY_SEV_ERROR, false,
         "DNS name over 253 characters or a label over 63",
         "shorten the name: at most 63 characters a label and 253 in all"),
    RULE(POLICY_DNS_WILDCARD, "dns-wildcard", POLICY_SEV_ERROR, false,
         "'*' not as the whole left-most label, more than one '*', or a wildcard directly over a "
         "public suffix (*.com, *.co.uk, *.github.io: the distribution's Public Suffix List, "
         "read with libpsl)",
         "use one wildcard as the whole left-most label under a registered domain, e.g. "
         "*.contoso.com"),
    RULE(POLICY_DNS_HOMOGLYPH, "dns-homoglyph", POLICY_SEV_WARNING, false,
         "an A-label name (xn--...) whose Unicode form holds characters that look like ASCII "
         "letters (also a CN written as A-labels)",
         "use the ASCII name the user thinks they see; keep the A-label only if the Unicode "
         "name is really yours"),
    RULE(POLICY_DNS_IDN, "dns-idn", POLICY_SEV_ERROR, false,
         "non-ASCII (U-label) DNS name, or an xn-- label that is not valid IDNA2008",
         "write the name as its A-label (xn--...)"),
    RULE(POLICY_DNS_INTERNAL, "dns-internal", POLICY_SEV_WARNING, true,
         "single-label name or a reserved suffix (.local, .internal, .lan, .localdomain)",
         "public CAs no longer issue for internal names: use a registered domain"),
    RULE(POLICY_DNS_DUPLICATE, "dns-duplicate", POLICY_SEV_NOTICE, true,
         "the same DNS name twice in the SAN (case-insensitive)", "remove the repeated name"),
    RULE(POLICY_DOMAIN_NOT_PERMITTED, "domain-not-permitted", POLICY_SEV_ERROR, false,
         "DNS name (or a CN that is a DNS name) outside permitted_domains",
         "use a name under one of the permitted domains"),
    RULE(POLICY_KEY_WEAK, "key-weak", POLICY_SEV_ERROR, false,
         "RSA or DSA key under 2048 bits, EC key under 256 bits (from the SubjectPublicKeyInfo)",
         "use an RSA key of at least 2048 bits, or an EC key on P-256 or larger"),
};

const policy_rule_info *policy_rule_table(void)
{
    return rule_table;
}

const policy_rule_info *policy_rule_get(policy_rule rule)
{
    if ((unsigned)rule >= POLICY_RULE_COUNT)
        return NULL;
    return &rule_table[rule];
}

static policy_str cstr(const char *s)
{
    return (policy_str){s, strlen(s)};
}

const policy_rule_info *policy_rule_find(policy_str id)
{
    if (id.ptr == NULL && id.len != 0)
        return NULL;
    for (size_t i = 0; i < POLICY_RULE_COUNT; i++) {
        if (policy_str_equal_ci(id, cstr(rule_table[i].id)))
            return &rule_table[i];
    }
    return NULL;
}

static const char *const severity_names[] = {
    [POLICY_SEV_OFF] = "off",
    [POLICY_SEV_NOTICE] = "notice",
    [POLICY_SEV_WARNING] = "warning",
    [POLICY_SEV_ERROR] = "error",
};

const char *policy_severity_name(policy_severity sev)
{
    return policy_enum_name(severity_names, sizeof(severity_names) / sizeof(severity_names[0]),
                            (unsigned)sev, "invalid");
}

const char *policy_enum_name(const char *const *names, size_t n_names, unsigned value,
                             const char *fallback)
{
    return value < n_names && names[value] != NULL ? names[value] : fallback;
}

bool policy_severity_parse(policy_str text, policy_severity *out)
{
    if (text.ptr == NULL && text.len != 0)
        return false;
    for (unsigned sev = POLICY_SEV_OFF; sev <= POLICY_SEV_ERROR; sev++) {
        if (policy_str_equal_ci(text, cstr(severity_names[sev]))) {
            if (out != NULL)
                *out = (policy_severity)sev;
            return true;
        }
    }
    return false;
}

/* ---- configuration --------------------------------------------------- */

void policy_config_init(policy_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < POLICY_RULE_COUNT; i++)
        cfg->severity[i] = rule_table[i].default_severity;
}

policy_config_result policy_config_set(policy_config *cfg, policy_str rule_id, policy_str severity)
{
    const policy_rule_info *info = policy_rule_find(rule_id);
    if (info == NULL)
        return POLICY_CONFIG_UNKNOWN_RULE;
    if (!info->configurable)
        return POLICY_CONFIG_NOT_CONFIGURABLE;
    policy_severity sev;
    if (!policy_severity_parse(severity, &sev))
        return POLICY_CONFIG_BAD_SEVERITY;
    cfg->severity[info->rule] = sev;
    return POLICY_CONFIG_OK;
}

/* ---- emission -------------------------------------------------------- */

void policy_emitter_init(policy_emitter *em, const policy_config *cfg, const policy_sink *sink)
{
    em->cfg = cfg;
    em->sink = (sink != NULL && sink->emit != NULL) ? sink : NULL;
    em->result = (policy_result){0, 0, 0};
    em->usage = NULL;
    em->unscreened = false;
}

bool policy_usage_is_tls_server(const policy_usage *usage)
{
    if (usage == NULL)
        return true;
    return usage->has_eku ? usage->eku_server_auth : !usage->ca;
}

const char *policy_usage_name(const policy_usage *usage)
{
    static const char *const names[2][3] = {
        {"TLS server certificate", "CA certificate", "certificate not for TLS servers"},
        {"TLS server request", "CA request", "request not for TLS servers"},
    };
    bool request = usage != NULL && usage->request;
    if (policy_usage_is_tls_server(usage))
        return names[request][0];
    return names[request][usage->has_eku ? 2 : 1];
}

static policy_severity configured_severity(const policy_config *cfg, policy_rule rule)
{
    policy_severity sev = cfg != NULL ? cfg->severity[rule] : rule_table[rule].default_severity;
    /* A config written by hand with an out-of-range value must not crash
     * nor silently pass: treat it as the default. */
    if ((unsigned)sev > POLICY_SEV_ERROR)
        sev = rule_table[rule].default_severity;
    return sev;
}

bool policy_finding_begin(policy_emitter *em, policy_finding *f, policy_rule rule,
                          policy_where where, size_t index, policy_str value)
{
    policy_severity sev = configured_severity(em->cfg, rule);
    if (rule_table[rule].scope == POLICY_SCOPE_TLS_SERVER && !policy_usage_is_tls_server(em->usage))
        return false;
    if (em->usage != NULL && em->usage->request && sev > rule_table[rule].request_max)
        sev = rule_table[rule].request_max;
    if (sev == POLICY_SEV_OFF)
        return false;
    f->rule = rule;
    f->rule_id = rule_table[rule].id;
    f->severity = sev;
    f->where = where;
    f->index = index;
    f->value = value;
    f->message[0] = '\0';
    f->hint[0] = '\0';
    return true;
}

bool policy_emitter_wants_text(const policy_emitter *em)
{
    return em->sink != NULL;
}

void policy_finding_emit(policy_emitter *em, const policy_finding *f)
{
    switch (f->severity) {
    case POLICY_SEV_ERROR:
        em->result.errors++;
        break;
    case POLICY_SEV_WARNING:
        em->result.warnings++;
        break;
    case POLICY_SEV_NOTICE:
        em->result.notices++;
        break;
    case POLICY_SEV_OFF:
        return;
    }
    if (em->sink != NULL)
        em->sink->emit(em->sink->ctx, f);
}

void policy_result_add(policy_result *into, policy_result add)
{
    into->errors += add.errors;
    into->warnings += add.warnings;
    into->notices += add.notices;
}
