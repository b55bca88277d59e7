/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the policy and the role coverage find in one walked certificate or
 * request, collected (not printed) so that `check` renders it as text or
 * JSON and `clone` and `import` report it their way: the three commands
 * check names through this one path, over the provider's own walk.
 */
#ifndef ROLECERT_CONFGEN_CHECK_REPORT_H
#define ROLECERT_CONFGEN_CHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <rolecert/policy.h>
#include <rolecert/tbs.h>

#include "profile.h"

/* One finding, copied out of the sink call. */
typedef struct check_finding {
    const char *rule_id; /* static, from the rule table */
    policy_severity severity;
    policy_where where;
    size_t index;
    char *value; /* UTF-8 (subject values decoded from their ASN.1 type) */
    size_t value_len;
    char message[POLICY_MESSAGE_MAX];
    char hint[POLICY_HINT_MAX];
} check_finding;

/* A name the profile's role needs. */
typedef struct role_name {
    const char *name;
    size_t len;
    const char *source;
    unsigned line;
    /* An accepted domain: covered by Exchange Domain Security matching
     * (the name, *.name, or one label under it); any other name by RFC 6125
     * host matching (name-policy.md, "Matching"). */
    bool accepted_domain;
} role_name;

typedef struct check_report {
    check_finding *findings;
    size_t n_findings;
    size_t cap;
    policy_result result;
    long *covered_by; /* per required name: index into the SAN DNS names, -1 not covered */
    size_t n_required;
    size_t missing; /* required names not covered */
    bool out_of_memory;
} check_report;

/* The role's names: the SAN plan, and (with_connector) the host names left
 * out of it because another name covers them: the connector FQDN, and with
 * wildcard = yes the fqdn, autodiscover and load-balanced names. false when
 * out of memory. */
bool role_names_of_profile(const profile *prof, bool with_connector, role_name **out, size_t *n);

/* The hint for a role name the certificate does not cover: the names that
 * would cover it, never a wildcard over a top-level domain. */
void role_name_cover_hint(strbuf *out, const role_name *name, const char *profile_path);

/* Runs the policy over a successful walk and checks every required name
 * against its SAN. report->out_of_memory when a finding could not be kept. */
void check_collect(check_report *report, const tbs_names *names, const policy_config *cfg,
                   const role_name *required, size_t n_required);
void check_report_free(check_report *report);

#endif
