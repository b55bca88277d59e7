/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks a planned profile with the policy core, as the provider will check
 * the request: every finding goes to the diagnostics with the profile line
 * its name came from.
 */
#include <stdlib.h>

#include "profile.h"

typedef struct check_ctx {
    const profile *p;
    diag_list *diag;
    size_t errors;
} check_ctx;

static unsigned finding_line(const profile *p, const policy_finding *f)
{
    switch (f->where) {
    case POLICY_WHERE_SUBJECT:
        return f->index < p->subject.n ? p->subject.items[f->index].line : 0;
    case POLICY_WHERE_SAN:
        if (f->index < p->san.n)
            return p->san.items[f->index].line;
        if (f->index - p->san.n < p->repeated.n)
            return p->repeated.items[f->index - p->san.n].line;
        return 0;
    case POLICY_WHERE_NONE:
        break;
    }
    if (f->rule == POLICY_KEY_WEAK)
        return p->key_line;
    if (f->rule == POLICY_SAN_MISSING || f->rule == POLICY_SAN_CRITICAL)
        return p->role_line;
    return 0;
}

static void check_sink(void *ctx, const policy_finding *f)
{
    check_ctx *cc = ctx;
    /* The repeated names are only there for dns-duplicate: whatever else
     * they draw was already said about their first occurrence. */
    if (f->where == POLICY_WHERE_SAN && f->index >= cc->p->san.n && f->rule != POLICY_DNS_DUPLICATE)
        return;
    if (f->severity == POLICY_SEV_ERROR)
        cc->errors++;
    diag_add(cc->diag, finding_line(cc->p, f), f->severity, f->rule_id, f->message, f->hint);
}

size_t profile_check(const profile *p, diag_list *diag)
{
    size_t n_dns = p->san.n + p->repeated.n;
    policy_attribute *subject = calloc(p->subject.n + 1, sizeof(*subject));
    policy_str *dns = calloc(n_dns + 1, sizeof(*dns));
    if (subject == NULL || dns == NULL) {
        free(subject);
        free(dns);
        diag_errorf(diag, 0, "", "out of memory");
        /* Not a policy error: the caller exits 2, not 1. */
        diag->out_of_memory = true;
        return 1;
    }
    for (size_t i = 0; i < p->subject.n; i++) {
        const subject_attr *a = &p->subject.items[i];
        subject[i] = (policy_attribute){
            .attr = a->attr,
            .type = POLICY_STRING_UTF8,
            .value = {a->value, a->value_len},
            .label = a->attr == POLICY_ATTR_OTHER ? (policy_str){a->label, a->label_len}
                                                  : (policy_str){"", 0},
            .rdn = a->rdn,
        };
    }
    for (size_t i = 0; i < p->san.n; i++)
        dns[i] = (policy_str){p->san.items[i].name, p->san.items[i].len};
    for (size_t i = 0; i < p->repeated.n; i++)
        dns[p->san.n + i] = (policy_str){p->repeated.items[i].name, p->repeated.items[i].len};
    policy_names names = {
        .subject = subject,
        .n_subject = p->subject.n,
        .dns = dns,
        .n_dns = n_dns,
        .has_san = true,
        .san_critical = p->subject.n == 0,
        .key_type = p->key_type,
        .key_bits = p->key_bits,
    };
    check_ctx cc = {.p = p, .diag = diag, .errors = 0};
    policy_sink sink = {.emit = check_sink, .ctx = &cc};
    policy_check_names(&p->policy, &names, &sink);
    free(subject);
    free(dns);
    return cc.errors;
}
