/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The differential oracles' recorder (fuzz_dns, fuzz_subject): a check's
 * findings with and without the pre-screens must be the same, field by
 * field and in order, value pointers included, and so must the counts.
 */
#ifndef ROLECERT_FUZZ_FINDINGS_H
#define ROLECERT_FUZZ_FINDINGS_H

#include <string.h>

#include <rolecert/policy.h>

#include "fuzz_check.h"

#define FUZZ_FINDINGS_MAX 1024

typedef struct fuzz_findings {
    size_t n;
    size_t dropped;
    policy_finding f[FUZZ_FINDINGS_MAX];
} fuzz_findings;

static inline void fuzz_findings_record(void *ctx, const policy_finding *f)
{
    fuzz_findings *r = ctx;
    if (r->n < FUZZ_FINDINGS_MAX)
        r->f[r->n++] = *f;
    else
        r->dropped++;
}

/* A sink recording into r, emptied first. */
static inline policy_sink fuzz_findings_sink(fuzz_findings *r)
{
    r->n = 0;
    r->dropped = 0;
    return (policy_sink){fuzz_findings_record, r};
}

static inline void fuzz_results_require_same(policy_result got, policy_result want,
                                             const char *what)
{
    FUZZ_CHECK(got.errors == want.errors && got.warnings == want.warnings &&
                   got.notices == want.notices,
               "%s: counts %zu/%zu/%zu with the pre-screen, %zu/%zu/%zu without", what, got.errors,
               got.warnings, got.notices, want.errors, want.warnings, want.notices);
}

static inline void fuzz_findings_require_same(const fuzz_findings *got, const fuzz_findings *want,
                                              const char *what)
{
    FUZZ_CHECK(got->n == want->n && got->dropped == want->dropped,
               "%s: %zu findings with the pre-screen, %zu without", what, got->n, want->n);
    for (size_t i = 0; i < got->n; i++) {
        const policy_finding *a = &got->f[i], *b = &want->f[i];
        FUZZ_CHECK(a->rule == b->rule && a->rule_id == b->rule_id && a->severity == b->severity &&
                       a->where == b->where && a->index == b->index,
                   "%s: finding %zu is %s at %zu, without the pre-screen %s at %zu", what, i,
                   a->rule_id, a->index, b->rule_id, b->index);
        FUZZ_CHECK(a->value.ptr == b->value.ptr && a->value.len == b->value.len,
                   "%s: finding %zu (%s) points elsewhere", what, i, a->rule_id);
        FUZZ_CHECK(strcmp(a->message, b->message) == 0, "%s: message '%s' vs '%s'", what,
                   a->message, b->message);
        FUZZ_CHECK(strcmp(a->hint, b->hint) == 0, "%s: hint '%s' vs '%s'", what, a->hint, b->hint);
    }
}

#endif
