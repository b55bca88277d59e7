/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the policy unit tests: a sink that collects findings, a compact
 * summary of them for exact comparison, and counting assertions.
 */
#ifndef ROLECERT_UNIT_UTIL_H
#define ROLECERT_UNIT_UTIL_H

#include <rolecert/policy.h>

#include <stdio.h>

#define UNIT_MAX_FINDINGS 64

typedef struct unit_findings {
    size_t n;
    size_t dropped;
    policy_finding f[UNIT_MAX_FINDINGS];
} unit_findings;

/* Every finding any test saw, per rule: tests can demand coverage. */
extern size_t unit_rule_hits[POLICY_RULE_COUNT];
extern unsigned unit_cases;
extern unsigned unit_failures;

void unit_findings_reset(unit_findings *out);
policy_sink unit_sink(unit_findings *out);

/* "rule-id:severity:WHERE" per finding, space-separated, WHERE being S<i>
 * (subject), D<i> (SAN) or "-" (whole request). */
const char *unit_summary(const unit_findings *found, char *buf, size_t size);

void unit_check(bool ok, const char *file, int line, const char *what);
void unit_check_str(const char *got, const char *want, const char *file, int line,
                    const char *what);
void unit_check_contains(const char *text, const char *needle, const char *file, int line,
                         const char *what);
void unit_check_size(size_t got, size_t want, const char *file, int line, const char *what);
/* The result counts must equal what the sink saw. */
void unit_check_result(policy_result result, const unit_findings *found, const char *file,
                       int line);

/* The same findings in the same order: every field, the value by pointer
 * and length (a fast path must not change what a finding points at). */
void unit_check_same_findings(const unit_findings *got, const unit_findings *want, const char *file,
                              int line, const char *what);
#define CHECK_SAME_FINDINGS(got, want)                                                             \
    unit_check_same_findings((got), (want), __FILE__, __LINE__, "findings of " #got " as of " #want)

/* Prints "<name>: N cases, M failures" and returns the exit status. */
int unit_finish(const char *name);

#define CHECK(cond) unit_check((cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want) unit_check_str((got), (want), __FILE__, __LINE__, #got)
#define CHECK_CONTAINS(text, needle)                                                               \
    unit_check_contains((text), (needle), __FILE__, __LINE__, #text)
#define CHECK_SIZE(got, want) unit_check_size((got), (want), __FILE__, __LINE__, #got)

/* Run `call` (which returns a policy_result) into `found`, then compare the
 * summary with `want`. */
#define CHECK_FINDINGS(found, call, want)                                                          \
    do {                                                                                           \
        unit_findings_reset(&(found));                                                             \
        policy_result unit_result_ = (call);                                                       \
        char unit_buf_[2048];                                                                      \
        unit_check_str(unit_summary(&(found), unit_buf_, sizeof(unit_buf_)), (want), __FILE__,     \
                       __LINE__, #call);                                                           \
        unit_check_result(unit_result_, &(found), __FILE__, __LINE__);                             \
    } while (0)

/* Helpers to build inputs. */
policy_str unit_str(const char *s);
policy_attribute unit_attr(policy_attr attr, const char *value, size_t rdn);
policy_attribute unit_attr_typed(policy_attr attr, policy_string_type type, const char *bytes,
                                 size_t len, size_t rdn);
/* n copies of the UTF-8 sequence `unit` into buf (NUL-terminated). */
const char *unit_repeat(char *buf, size_t size, const char *unit, size_t n);

#endif /* ROLECERT_UNIT_UTIL_H */
