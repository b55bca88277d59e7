/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DNS-name checks and the matchers over two arbitrary byte strings (the
 * first byte gives the first string's length). Beyond not crashing:
 * case-insensitive equality is symmetric; an equal pair matches exactly
 * (Domain Security), covers (RFC 6125) and is permitted; a finding points
 * inside the checked name; the A-label is NUL-terminated in its buffer.
 */
#include <stdint.h>
#include <string.h>

#include <rolecert/policy.h>

#include "fuzz_check.h"

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

    /* The same name under an allow-list of the second string, when that is
     * accepted as a domain. */
    if (policy_config_add_permitted(&cfg, b) == POLICY_CONFIG_OK)
        (void)policy_check_dns_name(&cfg, a, 3, &sink);

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
