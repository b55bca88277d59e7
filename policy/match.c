/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Name matching: Exchange Domain Security, RFC 6125 host coverage and the
 * permitted_domains test. All comparisons are ASCII case-insensitive and
 * ignore one trailing dot.
 */
#include "policy_internal.h"

#include <stdint.h>
#include <string.h>

bool policy_str_equal_ci(policy_str a, policy_str b)
{
    return policy_equal_ci_inline(a, b);
}

static inline bool has_suffix_ci(policy_str s, policy_str suffix)
{
    if (suffix.len > s.len)
        return false;
    return policy_equal_ci_inline((policy_str){s.ptr + s.len - suffix.len, suffix.len}, suffix);
}

bool policy_has_suffix_ci(policy_str s, policy_str suffix)
{
    return has_suffix_ci(s, suffix);
}

policy_str policy_strip_trailing_dot(policy_str s)
{
    return policy_strip_dot_inline(s);
}

bool policy_wildcard_base(policy_str name, policy_str *base)
{
    bool wildcard = name.len > 2 && name.ptr[0] == '*' && name.ptr[1] == '.';
    *base = wildcard ? (policy_str){name.ptr + 2, name.len - 2} : name;
    return wildcard;
}

static bool valid_str(policy_str s)
{
    return s.ptr != NULL || s.len == 0;
}

/* Both valid and, each without one trailing dot, not empty. */
static bool bare_pair(policy_str a, policy_str b, policy_str *bare_a, policy_str *bare_b)
{
    if (!valid_str(a) || !valid_str(b))
        return false;
    *bare_a = policy_strip_dot_inline(a);
    *bare_b = policy_strip_dot_inline(b);
    return bare_a->len > 0 && bare_b->len > 0;
}

/* `name` is "<prefix>.<domain>": return the prefix length, or 0 when not. */
static size_t prefix_under(policy_str name, policy_str domain)
{
    if (domain.len == 0 || name.len < domain.len + 2)
        return 0;
    if (!has_suffix_ci(name, domain))
        return 0;
    size_t prefix_len = name.len - domain.len - 1;
    if (name.ptr[prefix_len] != '.')
        return 0;
    return prefix_len;
}

static bool is_single_label(const char *p, size_t n)
{
    return n > 0 && memchr(p, '.', n) == NULL;
}

/* `name` is exactly one label followed by ".<domain>"; the label's length
 * goes to *label_len. */
static bool one_label_under(policy_str name, policy_str domain, size_t *label_len)
{
    *label_len = prefix_under(name, domain);
    return is_single_label(name.ptr, *label_len);
}

policy_match policy_match_domain_security(policy_str cert_name, policy_str domain)
{
    policy_str name, dom;
    if (!bare_pair(cert_name, domain, &name, &dom))
        return POLICY_MATCH_NONE;
    if (policy_equal_ci_inline(name, dom))
        return POLICY_MATCH_EXACT;
    /* The seed: "*.contoso.com represents contoso.com and all the
     * sub-domains"; a wildcard stands for one label (RFC 6125), so it
     * matches a domain exactly one label under its parent too. A wildcard
     * over a public suffix (*.com) stands for nobody's names. */
    size_t prefix_len;
    policy_str parent;
    if (policy_wildcard_base(name, &parent) && !policy_is_public_suffix(parent) &&
        one_label_under(dom, parent, &prefix_len) && memchr(dom.ptr, '*', prefix_len) == NULL)
        return POLICY_MATCH_WILDCARD;
    if (!one_label_under(name, dom, &prefix_len))
        return POLICY_MATCH_NONE;
    if (prefix_len == 1 && name.ptr[0] == '*')
        return POLICY_MATCH_WILDCARD;
    /* A partial wildcard label ("w*") is no name at all: no match. */
    if (memchr(name.ptr, '*', prefix_len) != NULL)
        return POLICY_MATCH_NONE;
    return POLICY_MATCH_ONE_LABEL;
}

long policy_domain_matched_by_list(policy_str domain, const policy_str *names, size_t n)
{
    long best = -1;
    policy_match best_how = POLICY_MATCH_NONE;
    for (size_t i = 0; names != NULL && i < n; i++) {
        policy_match how = policy_match_domain_security(names[i], domain);
        if (how != POLICY_MATCH_NONE && (best < 0 || how < best_how)) {
            best = (long)i;
            best_how = how;
        }
    }
    return best;
}

const char *policy_match_name(policy_match m)
{
    return POLICY_ENUM_NAME(
        m, "none", [POLICY_MATCH_NONE] = "none", [POLICY_MATCH_EXACT] = "exact",
        [POLICY_MATCH_WILDCARD] = "wildcard", [POLICY_MATCH_ONE_LABEL] = "one-label");
}

static inline bool host_covered(policy_str host, policy_str name)
{
    policy_str h, n, parent;
    size_t label_len;
    /* A wildcard stands for exactly one whole label of the host. */
    return bare_pair(host, name, &h, &n) &&
           (policy_equal_ci_inline(h, n) ||
            (policy_wildcard_base(n, &parent) && one_label_under(h, parent, &label_len)));
}

bool policy_host_covered(policy_str host, policy_str name)
{
    return host_covered(host, name);
}

long policy_host_covered_by_list(policy_str host, const policy_str *names, size_t n)
{
    if (names == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (host_covered(host, names[i]))
            return (long)i;
    }
    return -1;
}

bool policy_domain_permitted(policy_str name, policy_str domain)
{
    policy_str n, d;
    if (!bare_pair(name, domain, &n, &d))
        return false;
    if (n.len >= 2 && n.ptr[0] == '*' && n.ptr[1] == '.') {
        n.ptr += 2;
        n.len -= 2;
    }
    if (n.len == 0)
        return false;
    return policy_equal_ci_inline(n, d) || prefix_under(n, d) > 0;
}
