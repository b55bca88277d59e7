/* SPDX-License-Identifier: Apache-2.0 */
#include "unit_util.h"

#include <stdlib.h>
#include <string.h>

size_t unit_rule_hits[POLICY_RULE_COUNT];
unsigned unit_cases;
unsigned unit_failures;

void unit_findings_reset(unit_findings *out)
{
    out->n = 0;
    out->dropped = 0;
}

static void collect(void *ctx, const policy_finding *finding)
{
    unit_findings *out = ctx;
    if ((unsigned)finding->rule < POLICY_RULE_COUNT)
        unit_rule_hits[finding->rule]++;
    /* Invariants of every finding, whatever the test. */
    const policy_rule_info *info = policy_rule_get(finding->rule);
    unit_check(info != NULL && finding->rule_id == info->id, __FILE__, __LINE__,
               "finding rule_id is the table's id");
    unit_check(finding->severity != POLICY_SEV_OFF, __FILE__, __LINE__, "severity is never off");
    unit_check(memchr(finding->message, '\0', sizeof(finding->message)) != NULL &&
                   finding->message[0] != '\0',
               __FILE__, __LINE__, "message is a non-empty C string");
    unit_check(memchr(finding->hint, '\0', sizeof(finding->hint)) != NULL &&
                   finding->hint[0] != '\0',
               __FILE__, __LINE__, "hint is a non-empty C string");
    for (const char *p = finding->message; *p != '\0'; p++)
        unit_check((unsigned char)*p >= 0x20 && *p != 0x7F, __FILE__, __LINE__,
                   "message has no control characters");
    if (out->n < UNIT_MAX_FINDINGS)
        out->f[out->n++] = *finding;
    else
        out->dropped++;
}

policy_sink unit_sink(unit_findings *out)
{
    return (policy_sink){collect, out};
}

const char *unit_summary(const unit_findings *found, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < found->n && len < size; i++) {
        const policy_finding *f = &found->f[i];
        char where[32];
        if (f->where == POLICY_WHERE_SUBJECT)
            snprintf(where, sizeof(where), "S%zu", f->index);
        else if (f->where == POLICY_WHERE_SAN)
            snprintf(where, sizeof(where), "D%zu", f->index);
        else
            snprintf(where, sizeof(where), "-");
        int n = snprintf(buf + len, size - len, "%s%s:%s:%s", i > 0 ? " " : "", f->rule_id,
                         policy_severity_name(f->severity), where);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    if (found->dropped > 0 && len < size)
        snprintf(buf + len, size - len, " (+%zu dropped)", found->dropped);
    return buf;
}

void unit_check(bool ok, const char *file, int line, const char *what)
{
    unit_cases++;
    if (!ok) {
        unit_failures++;
        fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    }
}

void unit_check_str(const char *got, const char *want, const char *file, int line, const char *what)
{
    bool ok = got != NULL && strcmp(got, want) == 0;
    unit_check(ok, file, line, what);
    if (!ok)
        fprintf(stderr, "    got:  \"%s\"\n    want: \"%s\"\n", got != NULL ? got : "(null)", want);
}

void unit_check_contains(const char *text, const char *needle, const char *file, int line,
                         const char *what)
{
    bool ok = text != NULL && strstr(text, needle) != NULL;
    unit_check(ok, file, line, what);
    if (!ok)
        fprintf(stderr, "    text:    \"%s\"\n    missing: \"%s\"\n",
                text != NULL ? text : "(null)", needle);
}

void unit_check_size(size_t got, size_t want, const char *file, int line, const char *what)
{
    unit_check(got == want, file, line, what);
    if (got != want)
        fprintf(stderr, "    got %zu, want %zu\n", got, want);
}

void unit_check_result(policy_result result, const unit_findings *found, const char *file, int line)
{
    size_t errors = 0, warnings = 0, notices = 0;
    for (size_t i = 0; i < found->n; i++) {
        errors += found->f[i].severity == POLICY_SEV_ERROR;
        warnings += found->f[i].severity == POLICY_SEV_WARNING;
        notices += found->f[i].severity == POLICY_SEV_NOTICE;
    }
    bool ok = found->dropped == 0 && result.errors == errors && result.warnings == warnings &&
              result.notices == notices;
    unit_check(ok, file, line, "result counts equal the findings emitted");
    if (!ok)
        fprintf(stderr, "    result %zu/%zu/%zu, sink %zu/%zu/%zu\n", result.errors,
                result.warnings, result.notices, errors, warnings, notices);
}

static bool same_finding(const policy_finding *a, const policy_finding *b)
{
    return a->rule == b->rule && a->rule_id == b->rule_id && a->severity == b->severity &&
           a->where == b->where && a->index == b->index && a->value.ptr == b->value.ptr &&
           a->value.len == b->value.len && strcmp(a->message, b->message) == 0 &&
           strcmp(a->hint, b->hint) == 0;
}

void unit_check_same_findings(const unit_findings *got, const unit_findings *want, const char *file,
                              int line, const char *what)
{
    size_t i = 0;
    while (i < got->n && i < want->n && same_finding(&got->f[i], &want->f[i]))
        i++;
    bool ok = got->n == want->n && i == got->n && got->dropped == want->dropped;
    unit_check(ok, file, line, what);
    if (!ok && i < got->n)
        fprintf(stderr, "    got [%zu] %s \"%s\" / \"%s\"\n", i, got->f[i].rule_id,
                got->f[i].message, got->f[i].hint);
    if (!ok && i < want->n)
        fprintf(stderr, "    want [%zu] %s \"%s\" / \"%s\"\n", i, want->f[i].rule_id,
                want->f[i].message, want->f[i].hint);
}

int unit_finish(const char *name)
{
    printf("%s: %u cases, %u failures\n", name, unit_cases, unit_failures);
    return unit_failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

policy_str unit_str(const char *s)
{
    return (policy_str){s, strlen(s)};
}

policy_attribute unit_attr(policy_attr attr, const char *value, size_t rdn)
{
    return unit_attr_typed(attr, POLICY_STRING_UTF8, value, strlen(value), rdn);
}

policy_attribute unit_attr_typed(policy_attr attr, policy_string_type type, const char *bytes,
                                 size_t len, size_t rdn)
{
    return (policy_attribute){
        .attr = attr, .type = type, .value = {bytes, len}, .label = {NULL, 0}, .rdn = rdn};
}

const char *unit_repeat(char *buf, size_t size, const char *unit, size_t n)
{
    size_t ulen = strlen(unit);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (len + ulen + 1 > size) {
            fprintf(stderr, "unit_repeat: buffer too small\n");
            abort();
        }
        memcpy(buf + len, unit, ulen);
        len += ulen;
    }
    buf[len] = '\0';
    return buf;
}
