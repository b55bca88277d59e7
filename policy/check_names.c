/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The whole check of one request: subject, the CN against the SAN, the SAN
 * itself, each DNS name, duplicates and the key. Findings come out in that
 * order.
 */
#include "policy_internal.h"

#include <stdint.h>
#include <string.h>

/* Bits b of word b / 64 for the characters lo..hi (one word). */
#define CHAR_BITS(lo, hi) ((~0ull >> (63 - ((hi) - (lo)))) << ((lo) % 64))

/* Does every character a name of this shape may hold decode as itself in
 * `type`? Then policy_value_to_ascii would copy the value unchanged. */
static bool shape_is_itself(policy_string_type type, const policy_dns_shape *shape)
{
    /* Letters, digits, '-' and '.', and '*' when there is one. */
    uint64_t low = CHAR_BITS('-', '.') | CHAR_BITS('0', '9');
    const uint64_t high = CHAR_BITS('A', 'Z') | CHAR_BITS('a', 'z');
    if (shape->star)
        low |= CHAR_BITS('*', '*');
    if ((unsigned)type > POLICY_STRING_OTHER)
        return false;
    return (low & ~policy_ascii_as_itself[type][0]) == 0 &&
           (high & ~policy_ascii_as_itself[type][1]) == 0;
}

/* A CN's shape, for the SAN entry it equals (but for letter case), which
 * then needs no scan of its own. */
typedef struct shape_memo {
    bool set;
    size_t index;
    policy_dns_shape shape;
} shape_memo;

/* The first SAN DNS name equal to `cn` but for letter case; -1 when none. */
static long equal_san(const policy_names *names, policy_str cn)
{
    size_t n = names->dns != NULL ? names->n_dns : 0;
    for (size_t k = 0; k < n; k++) {
        if (names->dns[k].ptr != NULL && policy_equal_ci_inline(names->dns[k], cn))
            return (long)k;
    }
    return -1;
}

static POLICY_COLD void emit_cn_not_in_san(policy_emitter *em, policy_str cn,
                                                  policy_str value, size_t i)
{
    policy_finding f;
    if (!policy_finding_begin(em, &f, POLICY_CN_NOT_IN_SAN, POLICY_WHERE_SUBJECT, i, value))
        return;
    if (policy_emitter_wants_text(em)) {
        policy_text text;
        policy_text_init(&text, f.message, sizeof(f.message));
        policy_text_puts(&text, "CN '");
        policy_text_put(&text, cn);
        policy_text_puts(&text, "' is a DNS name that no SAN DNS name covers");
        policy_text_init(&text, f.hint, sizeof(f.hint));
        policy_text_puts(&text, "add DNS:");
        policy_text_put(&text, cn);
        policy_text_puts(&text, " to the SAN: TLS clients match the SAN only");
    }
    policy_finding_emit(em, &f);
}

/* The CN rules over `cn`, the CN as ASCII. With a shape, cn is the value
 * itself and the shape is policy_dns_shape_of's for it; NULL otherwise. */
static void check_cn(policy_emitter *em, const policy_names *names, size_t i, policy_str cn,
                     const policy_dns_shape *shape, shape_memo *memo)
{
    const policy_attribute *a = &names->subject[i];
    /* A shaped CN is a DNS name when it has a dot and no '*', and needs no
     * homoglyph check without an xn-- label. */
    if (!(shape != NULL && shape->dots > 0 && !shape->star) && !policy_cn_is_dns_name(cn)) {
        policy_check_cn_invalid_dns_into(em, cn, a->value, i);
        return;
    }
    if (shape == NULL || shape->ace)
        policy_check_homoglyph_alabels_into(em, cn, a->value, POLICY_WHERE_SUBJECT, i);
    /* A shaped CN (never empty, no trailing dot) that a SAN entry equals is
     * covered by it. */
    long same = shape != NULL && names->has_san ? equal_san(names, cn) : -1;
    if (same >= 0)
        *memo = (shape_memo){true, (size_t)same, *shape};
    /* Only a SAN that is there can miss the CN (name-policy.md): without
     * one, san-missing speaks for TLS servers, and a CA may still add the
     * SAN to a request when it signs. Findings point into the caller's
     * bytes, not the local copy. */
    if (names->has_san && same < 0 &&
        policy_host_covered_by_list(cn, names->dns, names->dns != NULL ? names->n_dns : 0) < 0)
        emit_cn_not_in_san(em, cn, a->value, i);
    if (policy_permitted_configured(em))
        policy_check_permitted_into(em, cn, a->value, POLICY_WHERE_SUBJECT, i, "CN");
}

/* A CN that is not shaped: its ASCII copy, when it has one. */
static POLICY_COLD void check_cn_copied(policy_emitter *em, const policy_names *names,
                                               size_t i, shape_memo *memo)
{
    const policy_attribute *a = &names->subject[i];
    char ascii[POLICY_DNS_MAX];
    size_t len = 0;
    if (policy_value_to_ascii(a->type, a->value, ascii, sizeof(ascii), &len))
        check_cn(em, names, i, (policy_str){ascii, len}, NULL, memo);
}

static void check_cn_against_san(policy_emitter *em, const policy_names *names, size_t i,
                                 shape_memo *memo)
{
    const policy_attribute *a = &names->subject[i];
    if (a->attr != POLICY_ATTR_CN || a->value.ptr == NULL)
        return;
    /* A CN of the DNS shape whose characters are their own ASCII is its
     * own ASCII copy. */
    policy_dns_shape shape;
    if (!em->unscreened && policy_dns_shape_of(a->value, &shape) &&
        shape_is_itself(a->type, &shape))
        check_cn(em, names, i, a->value, &shape, memo);
    else
        check_cn_copied(em, names, i, memo);
}

/* A finding about the item as a whole; a NULL hint is the rule's. */
static void emit_whole(policy_emitter *em, policy_rule rule, const char *message, const char *hint)
{
    policy_finding f;
    if (!policy_finding_begin(em, &f, rule, POLICY_WHERE_NONE, 0, (policy_str){NULL, 0}))
        return;
    if (policy_emitter_wants_text(em)) {
        policy_text text;
        policy_text_init(&text, f.message, sizeof(f.message));
        policy_text_puts(&text, message);
        policy_text_init(&text, f.hint, sizeof(f.hint));
        policy_text_puts(&text, hint != NULL ? hint : policy_rule_get(rule)->hint);
    }
    policy_finding_emit(em, &f);
}

static void check_duplicate(policy_emitter *em, const policy_names *names, size_t i)
{
    policy_str name = policy_strip_dot_inline(names->dns[i]);
    for (size_t k = 0; k < i; k++) {
        if (!policy_equal_ci_inline(policy_strip_dot_inline(names->dns[k]), name))
            continue;
        policy_finding f;
        if (!policy_finding_begin(em, &f, POLICY_DNS_DUPLICATE, POLICY_WHERE_SAN, i, names->dns[i]))
            return;
        if (policy_emitter_wants_text(em)) {
            policy_text text;
            policy_text_init(&text, f.message, sizeof(f.message));
            policy_text_puts(&text, "DNS name '");
            policy_text_put_value(&text, POLICY_STRING_UTF8, names->dns[i], POLICY_DISPLAY_MAX);
            policy_text_printf(&text, "' repeats SAN entry %zu", k);
            policy_text_init(&text, f.hint, sizeof(f.hint));
            policy_text_puts(&text, "remove the repeated name");
        }
        policy_finding_emit(em, &f);
        return;
    }
}

/* The least strength the policy accepts, in the bits the walker measures:
 * the modulus for RSA and DSA, the group order for EC. */
static const struct {
    policy_key_type type;
    const char *name;
    unsigned min_bits;
} key_minimums[] = {
    {POLICY_KEY_RSA, "RSA", 2048},
    {POLICY_KEY_RSA_PSS, "RSA-PSS", 2048},
    {POLICY_KEY_DSA, "DSA", 2048},
    {POLICY_KEY_EC, "EC", 256},
};

static void check_key(policy_emitter *em, const policy_names *names)
{
    size_t k = 0;
    while (k < sizeof(key_minimums) / sizeof(key_minimums[0]) &&
           key_minimums[k].type != names->key_type)
        k++;
    if (k == sizeof(key_minimums) / sizeof(key_minimums[0]) || names->key_bits == 0 ||
        names->key_bits >= key_minimums[k].min_bits)
        return;
    char message[96];
    policy_text text;
    policy_text_init(&text, message, sizeof(message));
    policy_text_printf(&text, "%s key of %u bits, under the %u required", key_minimums[k].name,
                       names->key_bits, key_minimums[k].min_bits);
    emit_whole(em, POLICY_KEY_WEAK, message, NULL);
}

policy_result policy_check_names_screened(const policy_config *cfg, const policy_names *names,
                                          const policy_sink *sink, bool unscreened)
{
    policy_emitter em;
    policy_emitter_init(&em, cfg, sink);
    em.unscreened = unscreened;
    if (names == NULL)
        return em.result;
    em.usage = &names->usage;
    size_t n_subject = names->subject != NULL ? names->n_subject : 0;
    size_t n_dns = names->dns != NULL ? names->n_dns : 0;

    policy_check_subject_into(&em, names->subject, n_subject);
    shape_memo memo = {false, 0, {0, 0, false, false}};
    for (size_t i = 0; i < n_subject; i++)
        check_cn_against_san(&em, names, i, &memo);

    if (n_dns == 0)
        emit_whole(&em, POLICY_SAN_MISSING, "no DNS name in the subject alternative name",
                   "add the server's DNS names as SAN dNSName entries: TLS clients match the "
                   "SAN only");
    if (n_subject == 0 && names->has_san && !names->san_critical)
        emit_whole(&em, POLICY_SAN_CRITICAL,
                   "the subject is empty and the subjectAltName extension is not critical",
                   "mark subjectAltName critical (RFC 5280 4.2.1.6), or give the subject a CN");

    for (size_t i = 0; i < n_dns; i++) {
        if (memo.set && memo.index == i)
            policy_check_dns_name_shaped_into(&em, names->dns[i], i, &memo.shape);
        else
            policy_check_dns_name_into(&em, names->dns[i], i);
        check_duplicate(&em, names, i);
    }
    check_key(&em, names);
    return em.result;
}

policy_result policy_check_names(const policy_config *cfg, const policy_names *names,
                                 const policy_sink *sink)
{
    return policy_check_names_screened(cfg, names, sink, false);
}
