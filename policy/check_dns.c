/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SAN dNSName rules: dns-idn (non-ASCII), dns-length, dns-syntax,
 * dns-wildcard, dns-idn (bad xn-- label), dns-internal, domain-not-permitted.
 * libidn2 is only called for non-ASCII names and xn-- labels, and only on
 * bounded, NUL-terminated local copies.
 */
#include "policy_internal.h"

#include <idn2.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest input handed to libidn2 for a U-label name; longer ones cannot
 * give an A-label within 253 octets anyway. */
#define ALABEL_INPUT_MAX 1024

/* ---- syntax ---------------------------------------------------------- */

static bool all_digits(const char *p, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!policy_is_ascii_digit(p[i]))
            return false;
    }
    return true;
}

static policy_dns_problem problem(const char *what, const char *hint, size_t offset)
{
    return (policy_dns_problem){what, hint, offset};
}

policy_dns_problem policy_dns_syntax_problem(policy_str name)
{
    if (name.len == 0)
        return problem("empty name", "give a DNS name such as mail.contoso.com", 0);
    for (size_t i = 0; i < name.len; i++) {
        char c = name.ptr[i];
        if (policy_is_ldh(c) || c == '.' || c == '*')
            continue;
        const char *hint = "use only letters, digits and '-' in dot-separated labels";
        if (c == '_')
            hint = "use '-' instead of '_': '_' is not allowed in host names";
        else if (c == ':')
            hint = "put an IPv6 address in an IP SAN (IP:...), not in a DNS name";
        else if (c == ' ' || c == '\t')
            hint = "remove the white space";
        return problem("character not allowed", hint, i);
    }
    if (name.ptr[name.len - 1] == '.')
        return problem("trailing dot", "remove the trailing dot", name.len - 1);

    size_t start = 0;
    size_t labels = 0;
    size_t numeric_labels = 0;
    size_t last_start = 0;
    for (size_t i = 0; i <= name.len; i++) {
        if (i < name.len && name.ptr[i] != '.')
            continue;
        size_t n = i - start;
        if (n == 0)
            return problem(start == 0 ? "leading dot (empty label)" : "empty label ('..')",
                           "remove the extra dot", start);
        if (name.ptr[start] == '-')
            return problem("label starts with '-'", "remove the '-' at the start of the label",
                           start);
        if (name.ptr[i - 1] == '-')
            return problem("label ends with '-'", "remove the '-' at the end of the label", i - 1);
        labels++;
        if (all_digits(name.ptr + start, n))
            numeric_labels++;
        last_start = start;
        start = i + 1;
    }
    if (numeric_labels == labels)
        return problem("an IP address written as a DNS name",
                       "put IP addresses in an IP SAN (IP:...), not in a DNS name", 0);
    if (all_digits(name.ptr + last_start, name.len - last_start))
        return problem("last label is all digits (no top-level domain is numeric)",
                       "end the name in its top-level domain; put IP addresses in an IP SAN",
                       last_start);
    return problem(NULL, NULL, 0);
}

const char *policy_dns_wildcard_problem(policy_str name)
{
    size_t stars = 0;
    for (size_t i = 0; i < name.len; i++)
        stars += name.ptr[i] == '*';
    if (stars == 0)
        return NULL;
    if (stars > 1)
        return "more than one '*'";
    if (name.ptr[0] != '*' || (name.len > 1 && name.ptr[1] != '.'))
        return "'*' is not the whole left-most label";
    policy_str rest = policy_strip_trailing_dot((policy_str){name.ptr + 1, name.len - 1});
    if (rest.len <= 1)
        return "a bare '*' is not a name";
    if (memchr(rest.ptr + 1, '.', rest.len - 1) == NULL)
        return "wildcard directly over a top-level domain";
    if (policy_is_public_suffix((policy_str){rest.ptr + 1, rest.len - 1}))
        return "wildcard directly over a public suffix (Public Suffix List)";
    return NULL;
}

/* A label of the shape: 1 to 63 characters, no '-' at either end. */
static inline bool shape_label(const char *p, size_t n, policy_dns_shape *shape)
{
    if (n - 1 >= POLICY_DNS_LABEL_MAX || p[0] == '-' || p[n - 1] == '-')
        return false; /* (n - 1 wraps for an empty label) */
    if ((p[0] | 0x20) == 'x' && policy_starts_with_ace(p, n))
        shape->ace = true;
    return true;
}

/* The dot at `end` ends the label from *start. */
static inline bool shape_dot(const char *p, size_t end, size_t *start, policy_dns_shape *shape)
{
    if (!shape_label(p + *start, end - *start, shape))
        return false;
    shape->dots++;
    *start = end + 1;
    return true;
}

/* The characters from `from` to `to`, one by one. */
static inline bool shape_chars(const char *p, size_t from, size_t to, size_t *start,
                               policy_dns_shape *shape)
{
    for (size_t i = from; i < to; i++) {
        char c = p[i];
        if (policy_is_ldh(c))
            continue;
        if (c == '*')
            shape->star = true;
        else if (c != '.' || !shape_dot(p, i, start, shape))
            return false;
    }
    return true;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SHAPE_WORDS 1
#define BYTES(b) (0x0101010101010101ull * (b))

/* The high bit of each byte of x that is zero; exact, no borrow between
 * bytes. */
static inline uint64_t zero_bytes(uint64_t x)
{
    const uint64_t low7 = BYTES(0x7F);
    return ~(((x & low7) + low7) | x | low7);
}

/* The high bit of each byte of x that is a lower-case letter. */
static inline uint64_t lower_bytes(uint64_t x)
{
    const uint64_t high = BYTES(0x80);
    uint64_t y = x & ~high; /* 7 bits a byte: the sums below stay in their byte */
    return (y + BYTES(0x80 - 'a')) & ~(y + BYTES(0x80 - 'z' - 1)) & ~x & high;
}

/* The high bit of each byte of x that is not a letter, digit or '-'. */
static inline uint64_t not_ldh_bytes(uint64_t x)
{
    const uint64_t high = BYTES(0x80);
    uint64_t y = x & ~high; /* 7 bits a byte: the sums below stay in their byte */
    uint64_t folded = y | BYTES(0x20);
    uint64_t letter = ((folded + BYTES(0x80 - 'a')) & ~(folded + BYTES(0x80 - 'z' - 1)));
    uint64_t digit = ((y + BYTES(0x80 - '0')) & ~(y + BYTES(0x80 - '9' - 1)));
    uint64_t ldh = (letter | digit | zero_bytes(x ^ BYTES('-'))) & ~x & high;
    return ~ldh & high;
}
#endif

#ifdef SHAPE_WORDS
/* The eight characters at p + at, the first `from` of them already seen:
 * letters, digits and '-' need nothing, a dot ends a label, anything else
 * goes one by one. Lower-case letters and dots, the usual, are asked about
 * first. */
static POLICY_INLINE bool shape_word(const char *p, size_t at, size_t from, size_t *start,
                                     policy_dns_shape *shape)
{
    const uint64_t high = BYTES(0x80);
    const uint64_t seen = high & ((1ull << (8 * from)) - 1); /* from < 8 */
    uint64_t x;
    memcpy(&x, p + at, 8);
    uint64_t lower = lower_bytes(x) | seen;
    if (lower == high)
        return true;
    uint64_t dots = zero_bytes(x ^ BYTES('.')) & ~seen;
    if ((lower | dots) != high && (not_ldh_bytes(x) & ~seen) != dots)
        return shape_chars(p, at + from, at + 8, start, shape);
    for (; dots != 0; dots &= dots - 1) {
        if (!shape_dot(p, at + (size_t)__builtin_ctzll(dots) / 8, start, shape))
            return false;
    }
    return true;
}
#endif

#if defined(SHAPE_WORDS) && defined(__SSE2__)
#define SHAPE_BLOCKS 1

/* A bit per byte of x (bit i for byte i) in lo..hi: the bytes shifted so
 * that lo becomes -128 and compared signed. */
static inline unsigned range_bits(__m128i x, char lo, char hi)
{
    __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - lo)));
    __m128i limit = _mm_set1_epi8((char)(-128 + (hi - lo) + 1));
    return (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(limit, shifted));
}

static inline unsigned equal_bits(__m128i x, char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
}

/* shape_word for sixteen characters (SSE2, every x86-64). */
static POLICY_INLINE bool shape_block(const char *p, size_t at, size_t from, size_t *start,
                                      policy_dns_shape *shape)
{
    const unsigned all = 0xFFFF;
    const unsigned seen = (1u << from) - 1; /* from < 16 */
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
    unsigned lower = range_bits(x, 'a', 'z') | seen;
    if (lower == all)
        return true;
    unsigned dots = equal_bits(x, '.') & ~seen;
    if ((lower | dots) != all && (lower | dots | range_bits(x, 'A', 'Z') | range_bits(x, '0', '9') |
                                  equal_bits(x, '-')) != all)
        return shape_chars(p, at + from, at + 16, start, shape);
    for (; dots != 0; dots &= dots - 1) {
        if (!shape_dot(p, at + (size_t)__builtin_ctz(dots), start, shape))
            return false;
    }
    return true;
}
#endif

#ifdef SHAPE_WORDS
typedef bool shape_step(const char *p, size_t at, size_t from, size_t *start,
                        policy_dns_shape *shape);

/* Steps of `width` characters from *i, then what is left as the name's
 * last `width` characters, those already seen skipped. */
static POLICY_INLINE bool shape_steps(const char *p, size_t len, size_t width, shape_step *step,
                                      size_t *i, size_t *start, policy_dns_shape *shape)
{
    for (; *i + width <= len; *i += width) {
        if (!step(p, *i, 0, start, shape))
            return false;
    }
    if (*i < len && len >= width) {
        if (!step(p, len - width, width - (len - *i), start, shape))
            return false;
        *i = len;
    }
    return true;
}
#endif

bool policy_dns_shape_of(policy_str name, policy_dns_shape *shape)
{
    if (name.ptr == NULL || name.len == 0 || name.len > POLICY_DNS_MAX)
        return false;
    *shape = (policy_dns_shape){0, 0, false, false};
    const char *p = name.ptr;
    size_t start = 0;
    size_t i = 0;
#ifdef SHAPE_BLOCKS
    if (!shape_steps(p, name.len, 16, shape_block, &i, &start, shape))
        return false;
#endif
#ifdef SHAPE_WORDS
    if (!shape_steps(p, name.len, 8, shape_word, &i, &start, shape))
        return false;
#endif
    if (!shape_chars(p, i, name.len, &start, shape))
        return false;
    /* An all-digit last label is dns-syntax's, and so is a name of digit
     * labels only, which ends in one. */
    shape->last_label = start;
    return shape_label(p + start, name.len - start, shape) &&
           !all_digits(p + start, name.len - start);
}

bool policy_cn_is_dns_name(policy_str value)
{
    if (value.ptr == NULL || value.len == 0 || value.len > POLICY_DNS_MAX)
        return false;
    size_t stars = 0;
    for (size_t i = 0; i < value.len; i++) {
        if ((unsigned char)value.ptr[i] >= 0x80)
            return false;
        stars += value.ptr[i] == '*';
    }
    if (memchr(value.ptr, '.', value.len) == NULL)
        return false;
    if (stars > 1 || (stars == 1 && (value.len < 2 || value.ptr[0] != '*' || value.ptr[1] != '.')))
        return false;
    return policy_dns_syntax_problem(value).what == NULL;
}

/* ---- IDNA ------------------------------------------------------------ */

static void set_reason(char *out, size_t out_size, const char *reason)
{
    if (out_size == 0)
        return;
    policy_text text;
    policy_text_init(&text, out, out_size);
    policy_text_puts(&text, reason);
}

bool policy_dns_to_alabel(policy_str name, char *out, size_t out_size)
{
    if (out == NULL || out_size == 0)
        return false;
    out[0] = '\0';
    if (name.ptr == NULL || name.len == 0) {
        set_reason(out, out_size, "empty name");
        return false;
    }
    if (name.len > ALABEL_INPUT_MAX) {
        set_reason(out, out_size, "name too long to convert");
        return false;
    }
    size_t pos = 0;
    uint32_t cp;
    policy_decode_status st;
    while ((st = policy_decode_next(POLICY_STRING_UTF8, name, &pos, &cp)) == POLICY_DECODE_OK) {
        if (cp == 0) {
            set_reason(out, out_size, "name holds a NUL character");
            return false;
        }
    }
    if (st != POLICY_DECODE_END) {
        set_reason(out, out_size, "name is not valid UTF-8");
        return false;
    }
    /* libidn2 does not take '*'; convert what is under a wildcard. */
    policy_str rest;
    bool wildcard = policy_wildcard_base(name, &rest);
    char input[ALABEL_INPUT_MAX + 1];
    memcpy(input, rest.ptr, rest.len);
    input[rest.len] = '\0';
    char *alabel = NULL;
    int rc = idn2_to_ascii_8z(input, &alabel, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
        set_reason(out, out_size, idn2_strerror(rc));
        return false;
    }
    size_t n = strlen(alabel);
    /* libidn2 passes ASCII it should refuse ('_', spaces, empty labels)
     * straight through, and with STD3 rules on it silently drops it: check
     * the result ourselves rather than hint a different name. */
    policy_dns_problem bad = policy_dns_syntax_problem((policy_str){alabel, n});
    bool ok = bad.what == NULL && n <= POLICY_DNS_MAX;
    size_t need = n + (wildcard ? 2 : 0) + 1;
    if (ok && need <= out_size) {
        size_t at = 0;
        if (wildcard) {
            memcpy(out, "*.", 2);
            at = 2;
        }
        memcpy(out + at, alabel, n + 1);
    } else if (ok) {
        set_reason(out, out_size, "A-label longer than the output buffer");
        ok = false;
    } else {
        policy_text text;
        policy_text_init(&text, out, out_size);
        policy_text_puts(&text, "its A-label form '");
        policy_text_put_value(&text, POLICY_STRING_UTF8, (policy_str){alabel, n}, 80);
        policy_text_puts(&text, "' is no DNS name: ");
        policy_text_puts(&text, bad.what != NULL ? bad.what : "over 253 characters");
    }
    idn2_free(alabel);
    return ok;
}

/* An "xn--" label must decode and encode back to itself under IDNA2008. */
static bool alabel_valid(policy_str label, char *reason, size_t reason_size)
{
    char lower[POLICY_DNS_LABEL_MAX + 1];
    if (label.len > POLICY_DNS_LABEL_MAX) {
        set_reason(reason, reason_size, "label too long");
        return false;
    }
    for (size_t i = 0; i < label.len; i++)
        lower[i] = policy_ascii_lower(label.ptr[i]);
    lower[label.len] = '\0';

    char *unicode = NULL;
    int rc = idn2_to_unicode_8z8z(lower, &unicode, 0);
    if (rc != IDN2_OK) {
        set_reason(reason, reason_size, idn2_strerror(rc));
        return false;
    }
    char *alabel = NULL;
    rc = idn2_to_ascii_8z(unicode, &alabel, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    bool same = rc == IDN2_OK && strcmp(alabel, lower) == 0;
    if (rc != IDN2_OK) {
        set_reason(reason, reason_size, idn2_strerror(rc));
    } else if (!same) {
        policy_text text;
        policy_text_init(&text, reason, reason_size);
        policy_text_puts(&text, "it does not round-trip: it decodes to '");
        policy_text_put_value(&text, POLICY_STRING_UTF8, (policy_str){unicode, strlen(unicode)},
                              80);
        policy_text_puts(&text, "', whose A-label is '");
        policy_text_puts(&text, alabel);
        policy_text_puts(&text, "'");
    }
    idn2_free(alabel);
    idn2_free(unicode);
    return same;
}

/* ---- the check ------------------------------------------------------- */

static void message_for_name(policy_finding *f, policy_str name, const char *what)
{
    policy_text text;
    policy_text_init(&text, f->message, sizeof(f->message));
    policy_text_puts(&text, "DNS name '");
    policy_text_put_value(&text, POLICY_STRING_UTF8, name, POLICY_DISPLAY_MAX);
    policy_text_puts(&text, "': ");
    policy_text_puts(&text, what);
}

static void set_hint(policy_finding *f, const char *hint)
{
    policy_text text;
    policy_text_init(&text, f->hint, sizeof(f->hint));
    policy_text_puts(&text, hint);
}

static void emit_simple(policy_emitter *em, policy_rule rule, policy_str name, size_t index,
                        const char *what, const char *hint)
{
    policy_finding f;
    if (!policy_finding_begin(em, &f, rule, POLICY_WHERE_SAN, index, name))
        return;
    if (policy_emitter_wants_text(em)) {
        message_for_name(&f, name, what);
        set_hint(&f, hint != NULL ? hint : policy_rule_get(rule)->hint);
    }
    policy_finding_emit(em, &f);
}

static void check_unicode_name(policy_emitter *em, policy_str name, size_t index)
{
    policy_finding f;
    if (!policy_finding_begin(em, &f, POLICY_DNS_IDN, POLICY_WHERE_SAN, index, name))
        return;
    if (policy_emitter_wants_text(em)) {
        char alabel[POLICY_DNS_MAX + 3];
        bool ok = policy_dns_to_alabel(name, alabel, sizeof(alabel));
        message_for_name(&f, name, "non-ASCII characters (a U-label); a DNS name must be ASCII");
        policy_text text;
        policy_text_init(&text, f.hint, sizeof(f.hint));
        if (ok) {
            policy_text_printf(&text, "write it as its A-label: its A-label is %s", alabel);
        } else {
            policy_text_puts(&text, "it has no IDNA2008 A-label (");
            policy_text_puts(&text, alabel);
            policy_text_puts(&text, "); use an ASCII name");
        }
    }
    policy_finding_emit(em, &f);
}

static void check_length(policy_emitter *em, policy_str name, size_t index)
{
    char what[128];
    policy_text text;
    policy_text_init(&text, what, sizeof(what));
    if (name.len > POLICY_DNS_MAX) {
        policy_text_printf(&text, "%zu characters, over the %d allowed", name.len, POLICY_DNS_MAX);
        emit_simple(em, POLICY_DNS_LENGTH, name, index, what, NULL);
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i <= name.len; i++) {
        if (i < name.len && name.ptr[i] != '.')
            continue;
        if (i - start > POLICY_DNS_LABEL_MAX) {
            policy_text_printf(&text, "label %zu characters long, over the %d allowed", i - start,
                               POLICY_DNS_LABEL_MAX);
            emit_simple(em, POLICY_DNS_LENGTH, name, index, what, NULL);
            return;
        }
        start = i + 1;
    }
}

static void check_syntax(policy_emitter *em, policy_str name, size_t index)
{
    policy_dns_problem p = policy_dns_syntax_problem(name);
    if (p.what == NULL)
        return;
    policy_finding f;
    if (!policy_finding_begin(em, &f, POLICY_DNS_SYNTAX, POLICY_WHERE_SAN, index, name))
        return;
    if (policy_emitter_wants_text(em)) {
        char what[160];
        policy_text text;
        policy_text_init(&text, what, sizeof(what));
        if (strcmp(p.what, "character not allowed") == 0) {
            policy_text_puts(&text, "character '");
            policy_text_put_value(&text, POLICY_STRING_UTF8, (policy_str){name.ptr + p.offset, 1},
                                  8);
            policy_text_puts(&text, "' not allowed (only A-Z a-z 0-9 '-' in dot-separated labels)");
        } else {
            policy_text_puts(&text, p.what);
        }
        message_for_name(&f, name, what);
        set_hint(&f, p.hint);
    }
    policy_finding_emit(em, &f);
}

POLICY_COLD static void check_wildcard(policy_emitter *em, policy_str name, size_t index)
{
    const char *what = policy_dns_wildcard_problem(name);
    if (what != NULL)
        emit_simple(em, POLICY_DNS_WILDCARD, name, index, what,
                    "use a wildcard under a registered domain, e.g. *.contoso.com");
}

/* true when every xn-- label is a valid A-label (no finding emitted). */
POLICY_COLD static bool check_alabels(policy_emitter *em, policy_str name, size_t index)
{
    size_t start = 0;
    for (size_t i = 0; i <= name.len; i++) {
        if (i < name.len && name.ptr[i] != '.')
            continue;
        policy_str label = {name.ptr + start, i - start};
        start = i + 1;
        if (!policy_starts_with_ace(label.ptr, label.len))
            continue;
        bool ldh = true;
        for (size_t k = 0; k < label.len; k++)
            ldh = ldh && policy_is_ldh(label.ptr[k]);
        char reason[POLICY_MESSAGE_MAX];
        if (ldh && alabel_valid(label, reason, sizeof(reason)))
            continue;
        if (!ldh)
            set_reason(reason, sizeof(reason), "not an LDH label");
        policy_finding f;
        if (!policy_finding_begin(em, &f, POLICY_DNS_IDN, POLICY_WHERE_SAN, index, name))
            return false;
        if (policy_emitter_wants_text(em)) {
            char what[POLICY_MESSAGE_MAX];
            policy_text text;
            policy_text_init(&text, what, sizeof(what));
            policy_text_puts(&text, "label '");
            policy_text_put_value(&text, POLICY_STRING_UTF8, label, 64);
            policy_text_puts(&text, "' is not a valid IDNA2008 A-label");
            message_for_name(&f, name, what);
            policy_text_init(&text, f.hint, sizeof(f.hint));
            policy_text_puts(&text, reason);
            policy_text_puts(&text, "; compute the A-label of the Unicode name with an IDNA2008 "
                                    "tool (idn2), or do not start a label with 'xn--'");
        }
        policy_finding_emit(em, &f);
        return false; /* one finding per name */
    }
    return true;
}

#define SUFFIX(s)                                                                                  \
    {                                                                                              \
        s, sizeof(s) - 1                                                                           \
    }
static const policy_str internal_suffixes[] = {SUFFIX(".local"), SUFFIX(".internal"),
                                               SUFFIX(".lan"), SUFFIX(".localdomain")};
#undef SUFFIX

const char *policy_dns_reserved_suffix(policy_str name)
{
    policy_str bare = policy_strip_trailing_dot(name);
    for (size_t i = 0; i < sizeof(internal_suffixes) / sizeof(internal_suffixes[0]); i++) {
        const policy_str *suffix = &internal_suffixes[i];
        /* Each starts with its dot: most names differ right there. */
        if (bare.len >= suffix->len && bare.ptr[bare.len - suffix->len] == '.' &&
            policy_has_suffix_ci(bare, *suffix))
            return suffix->ptr;
    }
    return NULL;
}

/* For the last label of a name with a dot (and no trailing dot): false
 * proves that policy_dns_reserved_suffix(name) is NULL. */
static inline bool label_may_be_reserved(policy_str label)
{
    if (label.len == 0)
        return false;
    char first = policy_ascii_lower(label.ptr[0]);
    /* Unrolled, the table's lengths and letters become constants. */
#if defined(__GNUC__)
#pragma GCC unroll 8
#endif
    for (size_t i = 0; i < sizeof(internal_suffixes) / sizeof(internal_suffixes[0]); i++) {
        const policy_str *suffix = &internal_suffixes[i];
        if (suffix->len == label.len + 1 && first == policy_ascii_lower(suffix->ptr[1]))
            return true;
    }
    return false;
}

POLICY_COLD static void check_internal(policy_emitter *em, policy_str name, size_t index)
{
    policy_str bare = policy_strip_trailing_dot(name);
    if (bare.len == 0 || (bare.len == 1 && bare.ptr[0] == '*'))
        return;
    if (memchr(bare.ptr, '.', bare.len) == NULL) {
        emit_simple(em, POLICY_DNS_INTERNAL, name, index, "single-label name",
                    "allowed for Client Access (NetBIOS name), but public CAs no longer issue "
                    "for internal names; use an FQDN under a registered domain");
        return;
    }
    const char *reserved = policy_dns_reserved_suffix(bare);
    if (reserved != NULL) {
        char what[64];
        policy_text text;
        policy_text_init(&text, what, sizeof(what));
        policy_text_printf(&text, "reserved suffix '%s'", reserved);
        emit_simple(em, POLICY_DNS_INTERNAL, name, index, what,
                    "public CAs no longer issue for internal names; use a name under a "
                    "registered domain");
    }
}

void policy_check_permitted_into(policy_emitter *em, policy_str name, policy_str value,
                                 policy_where where, size_t index, const char *what)
{
    const policy_config *cfg = em->cfg;
    if (!policy_permitted_configured(em))
        return;
    size_t n = cfg->n_permitted < POLICY_MAX_PERMITTED ? cfg->n_permitted : POLICY_MAX_PERMITTED;
    for (size_t i = 0; i < n; i++) {
        if (policy_domain_permitted(name, cfg->permitted[i]))
            return;
    }
    policy_finding f;
    if (!policy_finding_begin(em, &f, POLICY_DOMAIN_NOT_PERMITTED, where, index, value))
        return;
    if (policy_emitter_wants_text(em)) {
        policy_text text;
        policy_text_init(&text, f.message, sizeof(f.message));
        policy_text_printf(&text, "%s '", what);
        policy_text_put_value(&text, POLICY_STRING_UTF8, name, POLICY_DISPLAY_MAX);
        policy_text_puts(&text, "' is outside permitted_domains");
        policy_text_init(&text, f.hint, sizeof(f.hint));
        policy_text_puts(&text, "use a name under a permitted domain: ");
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                policy_text_puts(&text, ", ");
            policy_text_put_value(&text, POLICY_STRING_UTF8, cfg->permitted[i], 80);
        }
    }
    policy_finding_emit(em, &f);
}

/* Every rule in order, each its full check. */
static POLICY_COLD void check_dns_name_all(policy_emitter *em, policy_str name, size_t index)
{
    for (size_t i = 0; i < name.len; i++) {
        if ((unsigned char)name.ptr[i] >= 0x80) {
            check_unicode_name(em, name, index);
            return;
        }
    }
    check_length(em, name, index);
    check_syntax(em, name, index);
    check_wildcard(em, name, index);
    if (check_alabels(em, name, index))
        policy_check_homoglyph_alabels_into(em, name, name, POLICY_WHERE_SAN, index);
    check_internal(em, name, index);
    if (name.len > 0)
        policy_check_permitted_into(em, name, name, POLICY_WHERE_SAN, index, "DNS name");
}

void policy_check_dns_name_shaped_into(policy_emitter *em, policy_str name, size_t index,
                                       const policy_dns_shape *shape)
{
    /* The rules in the order of the full sequence, those the shape proves
     * silent left out: dns-idn (non-ASCII), dns-length, dns-syntax, and
     * the rest when nothing they look for is there. */
    if (shape->star)
        check_wildcard(em, name, index);
    if (shape->ace && check_alabels(em, name, index))
        policy_check_homoglyph_alabels_into(em, name, name, POLICY_WHERE_SAN, index);
    policy_str last = {name.ptr + shape->last_label, name.len - shape->last_label};
    if (shape->dots == 0 || label_may_be_reserved(last))
        check_internal(em, name, index);
    if (policy_permitted_configured(em))
        policy_check_permitted_into(em, name, name, POLICY_WHERE_SAN, index, "DNS name");
}

void policy_check_dns_name_into(policy_emitter *em, policy_str name, size_t index)
{
    if (name.ptr == NULL)
        name.len = 0;
    policy_dns_shape shape;
    if (!em->unscreened && policy_dns_shape_of(name, &shape))
        policy_check_dns_name_shaped_into(em, name, index, &shape);
    else
        check_dns_name_all(em, name, index);
}

policy_result policy_check_dns_name_screened(const policy_config *cfg, policy_str name,
                                             size_t index, const policy_sink *sink, bool unscreened)
{
    policy_emitter em;
    policy_emitter_init(&em, cfg, sink);
    em.unscreened = unscreened;
    policy_check_dns_name_into(&em, name, index);
    return em.result;
}

policy_result policy_check_dns_name(const policy_config *cfg, policy_str name, size_t index,
                                    const policy_sink *sink)
{
    return policy_check_dns_name_screened(cfg, name, index, sink, false);
}

/* Here rather than with the rest of the configuration (rules.c): a
 * permitted domain is judged by the DNS syntax rules of this file, and
 * rules.c, which every check calls, then needs nothing from it. */
policy_config_result policy_config_add_permitted(policy_config *cfg, policy_str domain)
{
    if (domain.ptr == NULL)
        return POLICY_CONFIG_BAD_DOMAIN;
    /* One trailing dot is accepted, as everywhere names are compared. */
    policy_str bare = policy_strip_trailing_dot(domain);
    if (bare.len == 0 || bare.len > POLICY_DNS_MAX)
        return POLICY_CONFIG_BAD_DOMAIN;
    for (size_t i = 0; i < bare.len; i++) {
        if (bare.ptr[i] == '*')
            return POLICY_CONFIG_BAD_DOMAIN;
    }
    policy_dns_problem problem = policy_dns_syntax_problem(bare);
    if (problem.what != NULL)
        return POLICY_CONFIG_BAD_DOMAIN;
    size_t label_len = 0;
    for (size_t i = 0; i < bare.len; i++) {
        label_len = bare.ptr[i] == '.' ? 0 : label_len + 1;
        if (label_len > POLICY_DNS_LABEL_MAX)
            return POLICY_CONFIG_BAD_DOMAIN;
    }
    if (cfg->n_permitted >= POLICY_MAX_PERMITTED)
        return POLICY_CONFIG_TOO_MANY;
    cfg->permitted[cfg->n_permitted++] = domain;
    return POLICY_CONFIG_OK;
}
