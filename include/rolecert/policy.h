/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert name-policy core.
 *
 * One rule table (shared/spec/name-policy.md) with stable rule ids, default
 * severities and fix hints, plus the Exchange Domain Security matcher, the
 * RFC 6125 "covered" test and the permitted_domains test.
 *
 * Pure C over (pointer, length) strings: no I/O, no global mutable state, no
 * NUL-terminated input anywhere. Safe to call from many threads at once as
 * long as each thread uses its own output objects (a policy_config is only
 * read by the checks).
 */
#ifndef ROLECERT_POLICY_H
#define ROLECERT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A byte string that is never assumed to be NUL-terminated. */
typedef struct policy_str {
    const char *ptr;
    size_t len;
} policy_str;

#define POLICY_STR_LIT(s) ((policy_str){(s), sizeof(s) - 1})

/* ---------------------------------------------------------------------- */
/* The rule table                                                          */
/* ---------------------------------------------------------------------- */

/* Order is the order of name-policy.md; ids are stable and never reused. */
typedef enum policy_rule {
    POLICY_RDN_UNKNOWN,
    POLICY_RDN_EMPTY,
    POLICY_RDN_ENCODING,
    POLICY_RDN_WHITESPACE,
    POLICY_RDN_LENGTH,
    POLICY_RDN_COUNT,
    POLICY_RDN_ORDER,
    POLICY_RDN_MULTIVALUED,
    POLICY_COUNTRY_CODE,
    POLICY_DC_ASCII,
    POLICY_DC_WITH_C,
    POLICY_MULTIPLE_CN,
    POLICY_CN_HOMOGLYPH,
    POLICY_CN_INVALID_DNS,
    POLICY_CN_NOT_IN_SAN,
    POLICY_SAN_MISSING,
    POLICY_SAN_CRITICAL,
    POLICY_DNS_SYNTAX,
    POLICY_DNS_LENGTH,
    POLICY_DNS_WILDCARD,
    POLICY_DNS_HOMOGLYPH,
    POLICY_DNS_IDN,
    POLICY_DNS_INTERNAL,
    POLICY_DNS_DUPLICATE,
    POLICY_DOMAIN_NOT_PERMITTED,
    POLICY_KEY_WEAK,
    POLICY_RULE_COUNT
} policy_rule;

/* Ordered so that a larger value is more severe. */
typedef enum policy_severity {
    POLICY_SEV_OFF = 0,
    POLICY_SEV_NOTICE = 1,
    POLICY_SEV_WARNING = 2,
    POLICY_SEV_ERROR = 3
} policy_severity;

/* Which certificates a rule applies to (name-policy.md, "Which rules apply
 * to which certificate"): what a name IS is checked everywhere; what a
 * certificate must CONTAIN depends on what it is for. */
typedef enum policy_scope {
    POLICY_SCOPE_ALL,       /* every request and certificate, CA or not */
    POLICY_SCOPE_TLS_SERVER /* only TLS server requests and certificates */
} policy_scope;

typedef struct policy_rule_info {
    policy_rule rule;
    const char *id; /* "rdn-length" */
    policy_severity default_severity;
    bool configurable;   /* may be changed in [policy] / provider config */
    const char *summary; /* one line: what the rule checks */
    const char *hint;    /* the generic fix hint */
    policy_scope scope;
    /* The most a finding may weigh in a request (a CA may still add what is
     * missing when it signs); POLICY_SEV_ERROR when requests are not eased. */
    policy_severity request_max;
} policy_rule_info;

/* The whole table, POLICY_RULE_COUNT entries indexed by policy_rule. */
const policy_rule_info *policy_rule_table(void);
const policy_rule_info *policy_rule_get(policy_rule rule);
/* Look up a rule by id (case-insensitive); NULL when unknown. */
const policy_rule_info *policy_rule_find(policy_str id);

const char *policy_severity_name(policy_severity sev); /* "error", ... "off" */
/* Parse "error|warning|notice|off" (case-insensitive). false when invalid. */
bool policy_severity_parse(policy_str text, policy_severity *out);

/* ---------------------------------------------------------------------- */
/* Configuration                                                           */
/* ---------------------------------------------------------------------- */

#define POLICY_MAX_PERMITTED 64

typedef struct policy_config {
    policy_severity severity[POLICY_RULE_COUNT];
    /* permitted_domains; the strings are owned by the caller and must
     * outlive the config. n_permitted == 0 means "no allow-list". */
    policy_str permitted[POLICY_MAX_PERMITTED];
    size_t n_permitted;
} policy_config;

/* Every rule at its default severity, no permitted_domains. */
void policy_config_init(policy_config *cfg);

typedef enum policy_config_result {
    POLICY_CONFIG_OK = 0,
    POLICY_CONFIG_UNKNOWN_RULE,     /* no rule with that id */
    POLICY_CONFIG_NOT_CONFIGURABLE, /* the rule exists but is fixed */
    POLICY_CONFIG_BAD_SEVERITY,     /* value is not error|warning|notice|off */
    POLICY_CONFIG_TOO_MANY,         /* more than POLICY_MAX_PERMITTED domains */
    POLICY_CONFIG_BAD_DOMAIN        /* a permitted domain that is not a DNS name */
} policy_config_result;

/* `RULE-ID = severity` from a profile's [policy] or the provider's section. */
policy_config_result policy_config_set(policy_config *cfg, policy_str rule_id, policy_str severity);
/* Add one permitted domain (already split; caller keeps the bytes alive). */
policy_config_result policy_config_add_permitted(policy_config *cfg, policy_str domain);

/* ---------------------------------------------------------------------- */
/* Findings                                                                */
/* ---------------------------------------------------------------------- */

#define POLICY_MESSAGE_MAX 256
#define POLICY_HINT_MAX 512

/* Where in the checked names a finding points. */
typedef enum policy_where {
    POLICY_WHERE_NONE,    /* the request as a whole (san-missing, key-weak) */
    POLICY_WHERE_SUBJECT, /* index = position in policy_names.subject */
    POLICY_WHERE_SAN      /* index = position in policy_names.dns */
} policy_where;

typedef struct policy_finding {
    policy_rule rule;
    const char *rule_id;      /* same as policy_rule_get(rule)->id */
    policy_severity severity; /* after the config was applied; never OFF */
    policy_where where;
    size_t index;
    policy_str value;                 /* points into the caller's input; may be empty */
    char message[POLICY_MESSAGE_MAX]; /* NUL-terminated, printable ASCII/UTF-8 */
    char hint[POLICY_HINT_MAX];       /* NUL-terminated */
} policy_finding;

/* Findings are delivered one by one to a sink. The finding is only valid
 * during the call: copy what you keep. */
typedef void (*policy_sink_fn)(void *ctx, const policy_finding *finding);

typedef struct policy_sink {
    policy_sink_fn emit;
    void *ctx;
} policy_sink;

/* Counts per severity, returned by every check. */
typedef struct policy_result {
    size_t errors;
    size_t warnings;
    size_t notices;
} policy_result;

/* ---------------------------------------------------------------------- */
/* What is checked                                                         */
/* ---------------------------------------------------------------------- */

typedef enum policy_attr {
    POLICY_ATTR_C,
    POLICY_ATTR_DC,
    POLICY_ATTR_ST,
    POLICY_ATTR_L,
    POLICY_ATTR_O,
    POLICY_ATTR_OU,
    POLICY_ATTR_CN,
    POLICY_ATTR_OTHER /* anything outside the seed's table */
} policy_attr;

/* The table's abbreviation: "C", "DC", "ST", "L", "O", "OU", "CN";
 * "attribute" for POLICY_ATTR_OTHER (which has no name of its own). */
const char *policy_attr_name(policy_attr attr);

/* Position in the seed's table order (name-policy.md): C and DC 1, ST 2,
 * L 3, O 4, OU 5, CN 6; 0 for POLICY_ATTR_OTHER, which has no place. */
#define POLICY_ATTR_RANK_MAX 6
unsigned policy_attr_rank(policy_attr attr);

/* One row of the subject-attribute table: every fact about an attribute
 * in the table lives here once (policy/attributes.c); the DER walker finds
 * attributes by `oid`, the profile reader by `name` and `alias`, OpenSSL
 * callers map a NID through its OID (rolecert/cert_names.h). */
typedef struct policy_attr_info {
    policy_attr attr;
    const char *name;         /* as policy_attr_name */
    const char *alias;        /* another spelling a profile accepts ("S" for ST), or NULL */
    unsigned rank;            /* as policy_attr_rank */
    size_t max_chars;         /* per value; 0 when there is no per-value limit (DC: in total) */
    const unsigned char *oid; /* the attribute type's DER contents octets */
    size_t oid_len;
} policy_attr_info;

/* The row of attr; NULL for POLICY_ATTR_OTHER and out-of-range values. */
const policy_attr_info *policy_attr_info_of(policy_attr attr);
/* By name or alias, ASCII case-insensitive; POLICY_ATTR_OTHER when none. */
policy_attr policy_attr_of_name(policy_str name);
/* By OID contents octets; POLICY_ATTR_OTHER when none. */
policy_attr policy_attr_of_oid(const unsigned char *oid, size_t len);

/* How the value bytes are encoded (the ASN.1 string type in DER; UTF8 for
 * values from a profile). The core decodes every type itself. */
typedef enum policy_string_type {
    POLICY_STRING_UTF8,
    POLICY_STRING_PRINTABLE,
    POLICY_STRING_IA5,
    POLICY_STRING_BMP,       /* UCS-2 big-endian */
    POLICY_STRING_UNIVERSAL, /* UCS-4 big-endian */
    POLICY_STRING_T61,       /* treated as ISO 8859-1, as OpenSSL does */
    POLICY_STRING_VISIBLE,   /* ASCII 0x20..0x7E */
    POLICY_STRING_NUMERIC,
    POLICY_STRING_OTHER /* not a directory string: rdn-encoding */
} policy_string_type;

typedef struct policy_attribute {
    policy_attr attr;
    policy_string_type type;
    policy_str value;
    /* For POLICY_ATTR_OTHER: the attribute's display name ("title",
     * "2.5.4.12"); used in messages only. May be empty. */
    policy_str label;
    /* Index of the RDN (SET) holding this attribute; attributes sharing one
     * index form a multi-valued RDN. Must be non-decreasing. */
    size_t rdn;
} policy_attribute;

typedef enum policy_key_type {
    POLICY_KEY_UNKNOWN,
    POLICY_KEY_RSA,
    POLICY_KEY_RSA_PSS,
    POLICY_KEY_EC,
    POLICY_KEY_ED25519,
    POLICY_KEY_ED448,
    POLICY_KEY_DSA,
    POLICY_KEY_SM2
} policy_key_type;

/* What the request or certificate is for, read from its basicConstraints
 * and extendedKeyUsage. All false (the zero value) is a TLS server
 * certificate: the strictest reading. */
typedef struct policy_usage {
    bool request;         /* a request (PKCS #10, CRMF), not an issued certificate */
    bool ca;              /* basicConstraints cA = TRUE */
    bool has_eku;         /* an extendedKeyUsage extension is present */
    bool eku_server_auth; /* it holds serverAuth or anyExtendedKeyUsage */
} policy_usage;

/* TLS server: serverAuth in the extendedKeyUsage, or no extendedKeyUsage
 * and not a CA. NULL is a TLS server. */
bool policy_usage_is_tls_server(const policy_usage *usage);
/* "TLS server request", "CA certificate", "certificate not for TLS servers", ... */
const char *policy_usage_name(const policy_usage *usage);

/* Everything the policy looks at in one CSR, certificate or planned request. */
typedef struct policy_names {
    const policy_attribute *subject; /* in DER order */
    size_t n_subject;
    const policy_str *dns; /* SAN dNSName values, in order */
    size_t n_dns;
    bool has_san; /* a subjectAltName extension is present */
    bool san_critical;
    policy_key_type key_type;
    unsigned key_bits; /* RSA/DSA modulus, EC order bits; 0 when unknown */
    policy_usage usage;
} policy_names;

/* Run every rule over the names. Returns the counts of what was emitted
 * (rules at OFF are not emitted). A NULL sink only counts. */
policy_result policy_check_names(const policy_config *cfg, const policy_names *names,
                                 const policy_sink *sink);

/* The parts, for callers that check as they go. Indices in findings are
 * relative to the arrays passed here. */
policy_result policy_check_subject(const policy_config *cfg, const policy_attribute *subject,
                                   size_t n, const policy_sink *sink);
/* One SAN dNSName: dns-syntax, dns-length, dns-wildcard, dns-idn,
 * dns-internal, domain-not-permitted. `index` is copied into findings. */
policy_result policy_check_dns_name(const policy_config *cfg, policy_str name, size_t index,
                                    const policy_sink *sink);

/* ---------------------------------------------------------------------- */
/* Name helpers shared by the CLI and the provider                         */
/* ---------------------------------------------------------------------- */

/* True when `value` (UTF-8) is an ASCII DNS name with at least one dot that
 * passes dns-syntax (a left-most "*" label allowed): such a CN must be in
 * the SAN. */
bool policy_cn_is_dns_name(policy_str value);

/* Convert a (possibly Unicode) DNS name to its A-label form with libidn2
 * (IDNA2008, non-transitional). Writes a NUL-terminated string into out.
 * Returns false when the name cannot be converted; then `out` holds a short
 * reason. */
bool policy_dns_to_alabel(policy_str name, char *out, size_t out_size);

/* Exchange Domain Security (name-policy.md): how a certificate name matches
 * a domain. Case-insensitive; one trailing dot on either side is ignored. */
typedef enum policy_match {
    POLICY_MATCH_NONE = 0,
    POLICY_MATCH_EXACT,    /* woodgrovebank.com */
    POLICY_MATCH_WILDCARD, /* *.woodgrovebank.com */
    POLICY_MATCH_ONE_LABEL /* mail1.woodgrovebank.com */
} policy_match;

policy_match policy_match_domain_security(policy_str cert_name, policy_str domain);
const char *policy_match_name(policy_match m); /* "exact", "wildcard", "one-label", "none" */
/* Index of the name in `names` that matches `domain` most closely (exact,
 * then wildcard, then one label under; the first of its kind), or -1. */
long policy_domain_matched_by_list(policy_str domain, const policy_str *names, size_t n);

/* RFC 6125 host matching: `host` is covered by `name` when equal, or when
 * `name` is "*.P" and host is exactly one label followed by ".P".
 * Case-insensitive; one trailing dot on either side is ignored. */
bool policy_host_covered(policy_str host, policy_str name);
/* Index of the first name in `names` that covers `host`, or -1. */
long policy_host_covered_by_list(policy_str host, const policy_str *names, size_t n);

/* permitted_domains: `name` equals `domain` or lies anywhere under it
 * (a wildcard name "*.sub.d" is under d when "sub.d" is). */
bool policy_domain_permitted(policy_str name, policy_str domain);

/* ISO 3166-1 alpha-2, exact upper case ("GB" yes, "UK"/"gb"/"XX" no). */
bool policy_country_code_valid(policy_str code);
size_t policy_country_code_count(void); /* 249 */

/* Case-insensitive ASCII comparison of two byte strings. */
bool policy_str_equal_ci(policy_str a, policy_str b);

/* The name of `value` in a table of names indexed by an enum, or `fallback`
 * for a value past the table's end or without a name. */
const char *policy_enum_name(const char *const *names, size_t n_names, unsigned value,
                             const char *fallback);
/* The same over the table written as the designated initializers that
 * follow: POLICY_ENUM_NAME(kind, "data", [KIND_A] = "a", [KIND_B] = "b"). */
#define POLICY_ENUM_NAME(value, fallback, ...)                                                     \
    policy_enum_name((const char *const[]){__VA_ARGS__},                                           \
                     sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *),            \
                     (unsigned)(value), (fallback))

#ifdef __cplusplus
}
#endif

#endif /* ROLECERT_POLICY_H */
