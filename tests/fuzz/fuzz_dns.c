/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DNS-name checks and the matchers over two arbitrary byte strings (the
 * first byte gives the first string's length). Beyond not crashing:
 * case-insensitive equality is symmetric; an equal pair matches exactly
 * (Domain Security), covers (RFC 6125) and is permitted; a finding points
 * inside the checked name; the A-label is NUL-terminated in its buffer.
 * And the shape pre-screen is only a shortcut: the DNS name check, and the
 * whole check of a request whose CN is the first string (of a string type
 * the input picks) and whose SAN is the second cut at newlines, give the
 * same findings with it and without it.
 */
#include <stdint.h>
#include <string.h>

#include <rolecert/policy.h>

#include "fuzz_check.h"
#include "fuzz_findings.h"
#include "policy_internal.h"

typedef struct finding_bounds {
    policy_str name;
} finding_bounds;

static void check_finding(void *ctx, const policy_finding *f)
{
    const finding_bounds *b = ctx;
    FUZZ_CHECK(f->severity != POLICY_SEV_OFF, "a finding at severity off");
    FUZZ_CHECK(f->value.len == 0 || (f->value.ptr >= b->name.ptr &&
                                     f->value.ptr + f->value.len <= b->name.ptr + b->name.len),
               "finding %s points outside the name", f->rule_id);
    FUZZ_CHECK(memchr(f->message, '\0', sizeof(f->message)) != NULL, "message not terminated");
    FUZZ_CHECK(memchr(f->hint, '\0', sizeof(f->hint)) != NULL, "hint not terminated");
}

#define MAX_SAN 4

static fuzz_findings screened_found, unscreened_found;

static void differ_dns(const policy_config *cfg, policy_str name)
{
    policy_sink a = fuzz_findings_sink(&screened_found), b = fuzz_findings_sink(&unscreened_found);
    policy_result ra = policy_check_dns_name_screened(cfg, name, 1, &a, false);
    policy_result rb = policy_check_dns_name_screened(cfg, name, 1, &b, true);
    fuzz_findings_require_same(&screened_found, &unscreened_found, "DNS name");
    fuzz_results_require_same(ra, rb, "DNS name");
    fuzz_results_require_same(policy_check_dns_name_screened(cfg, name, 1, NULL, false), rb,
                              "DNS name, no sink");
}

static void differ_names(const policy_config *cfg, const policy_names *names)
{
    policy_sink a = fuzz_findings_sink(&screened_found), b = fuzz_findings_sink(&unscreened_found);
    policy_result ra = policy_check_names_screened(cfg, names, &a, false);
    policy_result rb = policy_check_names_screened(cfg, names, &b, true);
    fuzz_findings_require_same(&screened_found, &unscreened_found, "request");
    fuzz_results_require_same(ra, rb, "request");
    fuzz_results_require_same(policy_check_names_screened(cfg, names, NULL, false), rb,
                              "request, no sink");
}

/* The request: CN = a, typed by the input's length; SAN = b cut at '\n',
 * and, by the length too, a itself or a with letter case flipped (a CN
 * equal to a SAN entry lends it its shape). */
static void differ_request(const policy_config *cfg, policy_str a, policy_str b, size_t size)
{
    static char flipped[1024];
    policy_attribute cn = {
        POLICY_ATTR_CN, (policy_string_type)(size % (POLICY_STRING_OTHER + 1)), a, {NULL, 0}, 0};
    policy_str san[MAX_SAN];
    size_t n_san = 0;
    size_t start = 0;
    for (size_t i = 0; i <= b.len && n_san < MAX_SAN; i++) {
        if (i < b.len && b.ptr[i] != '\n')
            continue;
        san[n_san++] = (policy_str){b.ptr + start, i - start};
        start = i + 1;
    }
    if ((size & 2) != 0 && n_san < MAX_SAN && a.len <= sizeof(flipped)) {
        for (size_t i = 0; i < a.len; i++) {
            char c = a.ptr[i];
            bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            flipped[i] = letter && (size & 4) != 0 ? (char)(c ^ 0x20) : c;
        }
        san[n_san++] = (policy_str){flipped, a.len};
    }
    policy_names names = {.subject = &cn,
                          .n_subject = 1,
                          .dns = san,
                          .n_dns = b.len > 0 || (size & 2) != 0 ? n_san : 0,
                          .has_san = true,
                          .key_type = POLICY_KEY_EC,
                          .key_bits = 256};
    differ_names(cfg, &names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t first_len = data[0] < size - 1 ? data[0] : size - 1;
    policy_str a = {(const char *)data + 1, first_len};
    policy_str b = {(const char *)data + 1 + first_len, size - 1 - first_len};

    policy_config cfg;
    policy_config_init(&cfg);
    finding_bounds bounds = {a};
    policy_sink sink = {check_finding, &bounds};
    (void)policy_check_dns_name(&cfg, a, 0, &sink);
    differ_dns(&cfg, a);
    differ_request(&cfg, a, b, size);

    /* The same name under an allow-list of the second string, when that is
     * accepted as a domain. */
    if (policy_config_add_permitted(&cfg, b) == POLICY_CONFIG_OK) {
        (void)policy_check_dns_name(&cfg, a, 3, &sink);
        differ_dns(&cfg, a);
        differ_request(&cfg, a, b, size);
    }

    bool equal = policy_str_equal_ci(a, b);
    FUZZ_CHECK(equal == policy_str_equal_ci(b, a), "equal_ci not symmetric");
    policy_match match = policy_match_domain_security(a, b);
    bool covered = policy_host_covered(a, b);
    bool permitted = policy_domain_permitted(a, b);
    /* (A wildcard is a name, never a domain: "*.c" does not permit itself.) */
    if (equal && a.len > 0 && a.ptr[0] != '*' && policy_cn_is_dns_name(a)) {
        FUZZ_CHECK(match == POLICY_MATCH_EXACT, "equal names match as %s",
                   policy_match_name(match));
        FUZZ_CHECK(covered, "an equal name does not cover");
        FUZZ_CHECK(permitted, "an equal name is not permitted");
    }
    (void)policy_match_name(match);
    (void)policy_host_covered_by_list(a, &b, 1);
    (void)policy_country_code_valid(a);

    char alabel[256];
    memset(alabel, 'x', sizeof(alabel));
    (void)policy_dns_to_alabel(a, alabel, sizeof(alabel));
    FUZZ_CHECK(memchr(alabel, '\0', sizeof(alabel)) != NULL, "A-label not terminated");
    char tiny[4];
    memset(tiny, 'x', sizeof(tiny));
    (void)policy_dns_to_alabel(a, tiny, sizeof(tiny));
    FUZZ_CHECK(memchr(tiny, '\0', sizeof(tiny)) != NULL, "A-label not terminated in 4 bytes");
    return 0;
}
