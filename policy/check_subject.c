/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Subject rules over the attributes in DER order. Findings come out sorted
 * by attribute index, and per attribute in rule-table order.
 */
#include "policy_internal.h"

#include <string.h>

/* Room for a CN skeleton or a DC value converted to UTF-8. */
#define SUBJECT_WORK_MAX 1024

#define DC_TOTAL_MAX 255

static bool valid_attr(policy_attr attr)
{
    return (unsigned)attr <= POLICY_ATTR_OTHER;
}

/* What one decoding pass over a value found. */
typedef struct value_scan {
    policy_decode_status bad; /* first decoding error, OK when none */
    size_t bad_offset;
    bool has_control;
    uint32_t control_cp;
    size_t chars;
    uint32_t first_cp;
    uint32_t last_cp;
    bool has_non_ascii;
} value_scan;

static value_scan scan_value(const policy_attribute *a)
{
    value_scan s = {.bad = POLICY_DECODE_OK};
    /* Bytes that are their own ASCII characters, the usual value, in one
     * tight loop; the first other one and all after it decode below. */
    const unsigned char *v = (const unsigned char *)a->value.ptr;
    size_t pos = 0;
    while (pos < a->value.len && policy_ascii_is_itself(a->type, v[pos])) {
        if (!s.has_control && policy_is_control(v[pos])) {
            s.has_control = true;
            s.control_cp = v[pos];
        }
        pos++;
    }
    s.chars = pos;
    if (pos > 0) {
        s.first_cp = v[0];
        s.last_cp = v[pos - 1];
    }
    for (;;) {
        size_t at = pos;
        uint32_t cp;
        policy_decode_status st = policy_decode_next(a->type, a->value, &pos, &cp);
        if (st == POLICY_DECODE_END)
            break;
        if (st != POLICY_DECODE_OK) {
            s.bad = st;
            s.bad_offset = at;
            return s;
        }
        if (s.chars == 0)
            s.first_cp = cp;
        s.last_cp = cp;
        s.chars++;
        if (cp >= 0x80)
            s.has_non_ascii = true;
        if (!s.has_control && policy_is_control(cp)) {
            s.has_control = true;
            s.control_cp = cp;
        }
    }
    return s;
}

/* The high bit of each byte of w outside 0x20..0x7E. With every high
 * bit clear no byte of the sums carries into the next: x + 0x01 reaches
 * 0x80 only for 0x7F, and x + 0x60 stays under 0x80 only for x < 0x20;
 * a byte with its high bit set is marked anyway (the carry it may send to
 * the next byte cannot clear that mark). */
static uint64_t outside_printable_ascii(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t high = 0x8080808080808080ULL;
    return (w | (w + ones) | ~(w + 0x60 * ones)) & high;
}

static uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

static uint64_t load4(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

/* A plain value: every byte in 0x20..0x7E and its own character in the
 * string type, no space first or last. Then scan_value would find no
 * decoding error, no control character, no non-ASCII, chars == bytes and
 * no white space at either end; check_country may take the bytes as the
 * code. Most names are plain; the rest go through scan_value. */
static POLICY_INLINE bool plain_value(policy_string_type type, policy_str value)
{
    const unsigned char *p = (const unsigned char *)value.ptr;
    size_t len = value.len;
    if (p[0] == ' ' || p[len - 1] == ' ')
        return false;
    const uint64_t *row = policy_ascii_as_itself[type];
    if ((row[0] & row[1]) != ~0ULL) {
        /* Printable, Numeric, Visible take part of ASCII, BMP and
         * Universal none: byte by byte, without the control characters. */
        uint64_t low = row[0] & ~0xFFFFFFFFULL;
        uint64_t high = row[1] & ~(1ULL << 63);
        for (size_t i = 0; i < len; i++) {
            if (p[i] >= 0x80 || (((p[i] < 0x40 ? low : high) >> (p[i] & 63)) & 1) == 0)
                return false;
        }
        return true;
    }
    /* UTF-8, IA5 and T61 take all of ASCII as itself: whole words at a
     * time, the first and last overlapping when the length is not a
     * multiple of 8; short values as overlapping halves, or the first,
     * middle and last byte. */
    if (len > 16) {
        for (size_t i = 0; i + 8 < len; i += 8) {
            if (outside_printable_ascii(load8(p + i)) != 0)
                return false;
        }
        return outside_printable_ascii(load8(p + len - 8)) == 0;
    }
    if (len >= 8)
        return (outside_printable_ascii(load8(p)) | outside_printable_ascii(load8(p + len - 8))) ==
               0;
    /* From here the bytes go to separate lanes of one word. */
    if (len >= 4)
        return outside_printable_ascii(load4(p) | load4(p + len - 4) << 32) == 0;
    uint64_t w = p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16 |
                 0x4141414141000000ULL; /* the rest read as 'A' */
    return outside_printable_ascii(w) == 0;
}

/* "CN 'value'" or "title 'value'" at the start of a message. */
static void put_attr_and_value(policy_text *text, const policy_attribute *a)
{
    if (a->attr == POLICY_ATTR_OTHER && a->label.len > 0 && a->label.ptr != NULL)
        policy_text_put_value(text, POLICY_STRING_UTF8, a->label, 64);
    else
        policy_text_puts(text, policy_attr_name(a->attr));
    policy_text_puts(text, " '");
    policy_text_put_value(text, a->type, a->value, POLICY_DISPLAY_MAX);
    policy_text_puts(text, "'");
}

static void put_code_point(policy_text *text, uint32_t cp)
{
    policy_text_printf(text, "U+%04X", (unsigned)cp);
    if (policy_is_control(cp) || policy_is_invisible_format(cp)) {
        policy_text_puts(text, " (invisible)");
    } else {
        policy_text_puts(text, " (");
        policy_text_put_code_point(text, cp);
        policy_text_puts(text, ")");
    }
}

typedef struct subject_state {
    policy_emitter *em;
    const policy_attribute *subject;
    size_t n;
    const policy_attribute *cur; /* subject[i], sanitised */
    /* How often each attribute came, counting stops at 3: the rules ask
     * only for none, one or the second. */
    unsigned short seen[POLICY_ATTR_OTHER + 1]; /* not char: no aliasing */
    size_t first_index[POLICY_ATTR_OTHER + 1];  /* set when seen turns 1 */
    unsigned max_rank;
    bool order_reported;
    size_t dc_total;
    bool dc_total_reported;
    bool dc_with_c_reported;
    bool multivalued_reported; /* for the current RDN set */
} subject_state;

/* Emit a finding on the current attribute with a message "<attr>
 * '<value>'<tail>" and a hint (NULL: the rule's). */
POLICY_COLD static void emit_attr(subject_state *st, policy_rule rule, size_t i, const char *tail,
                                  const char *hint)
{
    policy_finding f;
    if (!policy_finding_begin(st->em, &f, rule, POLICY_WHERE_SUBJECT, i, st->cur->value))
        return;
    if (policy_emitter_wants_text(st->em)) {
        policy_text text;
        policy_text_init(&text, f.message, sizeof(f.message));
        put_attr_and_value(&text, st->cur);
        policy_text_puts(&text, tail);
        policy_text_init(&text, f.hint, sizeof(f.hint));
        policy_text_puts(&text, hint != NULL ? hint : policy_rule_get(rule)->hint);
    }
    policy_finding_emit(st->em, &f);
}

/* A finding that names one code point of the value: the message reads
 * "<attr> '<value>'<before>U+XXXX (c)<after>". */
static void emit_attr_code_point(subject_state *st, policy_rule rule, size_t i, const char *before,
                                 uint32_t cp, const char *after, const char *hint)
{
    char tail[160];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_puts(&text, before);
    put_code_point(&text, cp);
    policy_text_puts(&text, after);
    emit_attr(st, rule, i, tail, hint);
}

static void check_encoding(subject_state *st, size_t i, const value_scan *scan)
{
    const policy_attribute *a = st->cur;
    char tail[160];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    if (scan->bad != POLICY_DECODE_OK) {
        policy_text_puts(&text, ": ");
        if (scan->bad == POLICY_DECODE_NOT_IN_CHARSET)
            policy_text_printf(&text, "byte 0x%02X at offset %zu is not allowed in %s",
                               (unsigned char)a->value.ptr[scan->bad_offset], scan->bad_offset,
                               policy_string_type_name(a->type));
        else if (scan->bad == POLICY_DECODE_NOT_DIRECTORY)
            policy_text_puts(&text, "the value is not a directory string");
        else
            policy_text_printf(&text, "%s at offset %zu",
                               policy_decode_status_text(scan->bad, a->type), scan->bad_offset);
    } else {
        policy_text_printf(&text, ": control character U+%04X", (unsigned)scan->control_cp);
        if (scan->control_cp == 0)
            policy_text_puts(&text, " (NUL)");
    }
    emit_attr(st, POLICY_RDN_ENCODING, i, tail, NULL);
}

/* A value that is not plain, in full: rdn-encoding, then rdn-whitespace
 * if it decodes. false when it does not: its other value rules are
 * skipped (a value with control characters still decodes, and its other
 * findings are real too). */
POLICY_COLD static bool check_value(subject_state *st, size_t i, value_scan *scan)
{
    *scan = scan_value(st->cur);
    if (scan->bad != POLICY_DECODE_OK || scan->has_control)
        check_encoding(st, i, scan);
    if (scan->bad != POLICY_DECODE_OK)
        return false;
    if (policy_is_space(scan->first_cp) || policy_is_space(scan->last_cp))
        emit_attr(st, POLICY_RDN_WHITESPACE, i, " has leading or trailing white space", NULL);
    return true;
}

POLICY_COLD static void report_dc_total(subject_state *st, size_t i)
{
    char tail[128];
    char hint[160];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_printf(&text,
                       ": the DC values now total %zu characters, over the %d allowed "
                       "in all",
                       st->dc_total, DC_TOTAL_MAX);
    policy_text_init(&text, hint, sizeof(hint));
    policy_text_printf(&text, "shorten the DC values to at most %d characters in all",
                       DC_TOTAL_MAX);
    emit_attr(st, POLICY_RDN_LENGTH, i, tail, hint);
}

POLICY_COLD static void report_length(subject_state *st, size_t i, size_t chars, size_t max)
{
    char tail[128];
    char hint[160];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_printf(&text, " is %zu characters long, over the %zu allowed", chars, max);
    policy_text_init(&text, hint, sizeof(hint));
    if (st->cur->attr == POLICY_ATTR_CN)
        policy_text_printf(&text,
                           "shorten the CN to at most %zu characters; an FQDN over 64 "
                           "characters cannot be the CN and goes in the SAN only",
                           max);
    else
        policy_text_printf(&text, "shorten the value to at most %zu characters", max);
    emit_attr(st, POLICY_RDN_LENGTH, i, tail, hint);
}

/* chars: the value's length in characters; max: the attribute's limit. */
static void check_length(subject_state *st, size_t i, policy_attr attr, size_t chars, size_t max)
{
    if (attr == POLICY_ATTR_DC) {
        st->dc_total += chars;
        if (st->dc_total > DC_TOTAL_MAX && !st->dc_total_reported) {
            st->dc_total_reported = true;
            report_dc_total(st, i);
        }
        return;
    }
    if (max != 0 && chars > max)
        report_length(st, i, chars, max);
}

POLICY_COLD static void report_count(subject_state *st, size_t i)
{
    const policy_attribute *a = st->cur;
    char tail[96];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_printf(&text, ": %s may appear only once (first at attribute %zu)",
                       policy_attr_name(a->attr), st->first_index[a->attr]);
    emit_attr(st, POLICY_RDN_COUNT, i, tail, NULL);
}

/* rdn-count: may the attribute appear only once? */
static bool attr_single(policy_attr attr)
{
    return attr == POLICY_ATTR_C || attr == POLICY_ATTR_ST || attr == POLICY_ATTR_L ||
           attr == POLICY_ATTR_O;
}

static void check_count(subject_state *st, size_t i, policy_attr attr)
{
    if (attr_single(attr) && st->seen[attr] == 2)
        report_count(st, i);
}

POLICY_COLD static void report_order(subject_state *st, size_t i, unsigned rank)
{
    /* The hint lists this subject's attributes in the right order: a stable
     * sort by rank, done rank by rank to stay allocation-free. */
    char hint[POLICY_HINT_MAX];
    policy_text text;
    policy_text_init(&text, hint, sizeof(hint));
    policy_text_puts(&text, "reorder the subject as ");
    bool first = true;
    for (unsigned r = 1; r <= 6; r++) {
        for (size_t k = 0; k < st->n; k++) {
            if (policy_attr_rank(st->subject[k].attr) != r)
                continue;
            if (!first)
                policy_text_puts(&text, ", ");
            policy_text_puts(&text, policy_attr_name(st->subject[k].attr));
            first = false;
        }
    }
    policy_text_puts(&text, " (order C/DC, ST, L, O, OU, CN)");
    char tail[96];
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_printf(&text, " is out of order: %s must come before ",
                       policy_attr_name(st->cur->attr));
    /* Name the first earlier attribute that should follow this one. */
    for (size_t k = 0; k < i; k++) {
        if (policy_attr_rank(st->subject[k].attr) > rank) {
            policy_text_puts(&text, policy_attr_name(st->subject[k].attr));
            break;
        }
    }
    emit_attr(st, POLICY_RDN_ORDER, i, tail, hint);
}

static void check_order(subject_state *st, size_t i, unsigned rank)
{
    if (rank == 0)
        return;
    if (rank >= st->max_rank) {
        st->max_rank = rank;
        return;
    }
    if (st->order_reported)
        return;
    st->order_reported = true;
    report_order(st, i, rank);
}

POLICY_COLD static void report_multivalued(subject_state *st, size_t i)
{
    char tail[96];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_printf(&text, " shares one RDN with %s (a multi-valued RDN)",
                       policy_attr_name(st->subject[i - 1].attr));
    emit_attr(st, POLICY_RDN_MULTIVALUED, i, tail, NULL);
}

static void check_multivalued(subject_state *st, size_t i)
{
    if (i == 0 || st->cur->rdn != st->subject[i - 1].rdn) {
        st->multivalued_reported = false;
        return;
    }
    if (st->multivalued_reported)
        return;
    st->multivalued_reported = true;
    report_multivalued(st, i);
}

/* Exceptionally reserved codes people write for a country that has
 * another code: the hint names the assigned one. */
static const policy_country *reserved_alias(const char code[2])
{
    static const char aliases[][2][3] = {{"UK", "GB"}, {"EL", "GR"}};
    for (size_t k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++) {
        if (memcmp(code, aliases[k][0], 2) == 0)
            return policy_country_by_alpha2(aliases[k][1]);
    }
    return NULL;
}

POLICY_COLD static void check_country_in_full(subject_state *st, size_t i)
{
    const policy_attribute *a = st->cur;
    char code[8];
    size_t len = 0;
    bool ascii = policy_value_to_ascii(a->type, a->value, code, sizeof(code), &len);
    if (ascii && policy_country_code_valid((policy_str){code, len}))
        return;

    char tail[96];
    char hint[POLICY_HINT_MAX];
    policy_text text;
    policy_text htext;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_init(&htext, hint, sizeof(hint));
    char upper[8] = {0};
    for (size_t k = 0; ascii && k < len; k++)
        upper[k] = (code[k] >= 'a' && code[k] <= 'z') ? (char)(code[k] - 'a' + 'A') : code[k];
    const policy_country *match = NULL;
    if (ascii && len == 2 && (match = policy_country_by_alpha2(upper)) != NULL) {
        policy_text_puts(&text, " is not in upper case");
        policy_text_printf(&htext, "write it in upper case: '%s' (%s)", match->alpha2, match->name);
    } else if (ascii && len == 2 && (match = reserved_alias(upper)) != NULL) {
        policy_text_puts(&text, " is not an ISO 3166-1 alpha-2 code");
        policy_text_printf(&htext, "use '%s': ISO 3166-1 assigns %s to %s (%.2s is only reserved)",
                           match->alpha2, match->alpha2, match->name, upper);
    } else if (ascii && len == 3 && (match = policy_country_by_alpha3(upper)) != NULL) {
        policy_text_puts(&text, " is an alpha-3 code; C takes the two-letter ISO 3166-1 code");
        policy_text_printf(&htext, "the alpha-2 code for '%s' is '%s' (%s)", match->alpha3,
                           match->alpha2, match->name);
    } else {
        policy_text_puts(&text, " is not an assigned ISO 3166-1 alpha-2 code");
        policy_text_puts(&htext, policy_rule_get(POLICY_COUNTRY_CODE)->hint);
    }
    emit_attr(st, POLICY_COUNTRY_CODE, i, tail, hint);
}

/* A plain value is its own ASCII copy: is it an assigned code? */
static bool plain_country_valid(policy_str value)
{
    return value.len == 2 &&
           policy_country_pair_assigned((unsigned char)value.ptr[0], (unsigned char)value.ptr[1]);
}

static void check_country(subject_state *st, size_t i, bool plain)
{
    if (plain && plain_country_valid(st->cur->value))
        return;
    check_country_in_full(st, i);
}

/* The attribute's value as an A-label (NUL-terminated); false when it has
 * none, and alabel then says why. */
static bool value_alabel(const policy_attribute *a, char *alabel, size_t size)
{
    char utf8[SUBJECT_WORK_MAX];
    size_t len;
    if (!policy_value_to_utf8(a->type, a->value, utf8, sizeof(utf8), &len)) {
        policy_text text;
        policy_text_init(&text, alabel, size);
        policy_text_puts(&text, "too long");
        return false;
    }
    return policy_dns_to_alabel((policy_str){utf8, len}, alabel, size);
}

POLICY_COLD static void check_dc_ascii(subject_state *st, size_t i)
{
    const policy_attribute *a = st->cur;
    uint32_t cp = 0;
    size_t pos = 0;
    while (policy_decode_next(a->type, a->value, &pos, &cp) == POLICY_DECODE_OK && cp < 0x80)
        ;
    char hint[POLICY_HINT_MAX];
    policy_text text;
    policy_text_init(&text, hint, sizeof(hint));
    char alabel[POLICY_DNS_MAX + 3];
    if (value_alabel(a, alabel, sizeof(alabel)))
        policy_text_printf(&text, "write the domain component as its A-label '%s'", alabel);
    else
        policy_text_puts(&text, "write the domain component in ASCII");
    emit_attr_code_point(st, POLICY_DC_ASCII, i, " holds non-ASCII character ", cp, "", hint);
}

static void check_dc_with_c(subject_state *st, size_t i, policy_attr attr)
{
    if (attr != POLICY_ATTR_C && attr != POLICY_ATTR_DC)
        return;
    policy_attr other = attr == POLICY_ATTR_C ? POLICY_ATTR_DC : POLICY_ATTR_C;
    if (st->seen[other] == 0 || st->dc_with_c_reported)
        return;
    st->dc_with_c_reported = true;
    emit_attr(st, POLICY_DC_WITH_C, i,
              attr == POLICY_ATTR_C ? ": C in a subject that has DC"
                                    : ": DC in a subject that has C",
              NULL);
}

POLICY_COLD static void report_multiple_cn(subject_state *st, size_t i)
{
    char tail[96];
    policy_text text;
    policy_text_init(&text, tail, sizeof(tail));
    policy_text_printf(&text, " is a second CN (the first is attribute %zu)",
                       st->first_index[POLICY_ATTR_CN]);
    emit_attr(st, POLICY_MULTIPLE_CN, i, tail, NULL);
}

static void check_multiple_cn(subject_state *st, size_t i, policy_attr attr)
{
    if (attr == POLICY_ATTR_CN && st->seen[POLICY_ATTR_CN] == 2)
        report_multiple_cn(st, i);
}

/* Every non-ASCII character a Latin letter (U+00C0..U+024F, but the
 * multiplication and division signs): the script of accented real IDNs, as
 * against Cyrillic, Greek or fullwidth look-alikes mixed into a name. */
static bool only_latin_letters(const policy_attribute *a)
{
    size_t pos = 0;
    uint32_t cp;
    policy_decode_status status;
    while ((status = policy_decode_next(a->type, a->value, &pos, &cp)) == POLICY_DECODE_OK) {
        if (cp >= 0x80 && (cp < 0xC0 || cp > 0x24F || cp == 0xD7 || cp == 0xF7))
            return false;
    }
    return status == POLICY_DECODE_END;
}

POLICY_COLD static void check_homoglyph(subject_state *st, size_t i)
{
    const policy_attribute *a = st->cur;
    policy_skeleton sk;
    if (!policy_homoglyph_skeleton(a->type, a->value, true, &sk) || sk.first_cp == 0 ||
        !policy_cn_is_dns_name((policy_str){sk.text, sk.len}))
        return;

    char looks[48];
    policy_text text;
    policy_text_init(&text, looks, sizeof(looks));
    if (sk.first_look[0] != '\0')
        policy_text_printf(&text, ", which looks like ASCII '%s'", sk.first_look);
    else
        policy_text_puts(&text, ", which is invisible");
    char hint[POLICY_HINT_MAX];
    char alabel[POLICY_DNS_MAX + 3];
    policy_text_init(&text, hint, sizeof(hint));
    bool has_alabel = value_alabel(a, alabel, sizeof(alabel));
    if (has_alabel && only_latin_letters(a)) {
        /* Accented Latin is how real IDNs look (diversióndebicicleta.es):
         * lead with the A-label, and do not push an unrelated ASCII domain
         * as what the user "meant". */
        policy_text_printf(&text,
                           "TLS clients will never match it; if this IDN is yours, put its "
                           "A-label '%s' in the CN and the SAN. The ASCII look-alike '",
                           alabel);
        policy_text_put(&text, (policy_str){sk.text, sk.len});
        policy_text_puts(&text, "' is a different domain");
    } else if (has_alabel) {
        policy_text_puts(&text, "TLS clients will never match it; did you mean '");
        policy_text_put(&text, (policy_str){sk.text, sk.len});
        policy_text_printf(&text,
                           "'? Put the ASCII name in the CN, or its A-label '%s' if the Unicode "
                           "is intended",
                           alabel);
    } else {
        policy_text_puts(&text, "TLS clients will never match it; did you mean '");
        policy_text_put(&text, (policy_str){sk.text, sk.len});
        policy_text_puts(&text, "'? Put the ASCII name in the CN, or its A-label ");
        policy_text_puts(&text, "xn--... if the Unicode is intended (this name has none: ");
        policy_text_puts(&text, alabel);
        policy_text_puts(&text, ")");
    }
    emit_attr_code_point(st, POLICY_CN_HOMOGLYPH, i, " looks like a DNS name but holds ",
                         sk.first_cp, looks, hint);
}

/* Can no subject rule fire? True only when every attribute is in the
 * table, plain and within its length, in its own RDN, in table order; C
 * is an assigned code; no C with DC; and no attribute that may appear once
 * (rdn-count, multiple-cn) comes twice. The usual subject is that, and
 * this loop keeps all it needs in registers; anything else takes the
 * rule-by-rule loop, which writes every finding. */
static bool subject_is_clean(const policy_attribute *subject, size_t n)
{
    unsigned seen = 0;
    unsigned max_rank = 0;
    size_t dc_total = 0;
    for (size_t i = 0; i < n; i++) {
        const policy_attribute *a = &subject[i];
        policy_attr attr = a->attr;
        if ((unsigned)attr >= POLICY_ATTR_OTHER || a->value.ptr == NULL || a->value.len == 0 ||
            (unsigned)a->type > POLICY_STRING_OTHER || !plain_value(a->type, a->value))
            return false;
        const policy_attr_info *info = &policy_attr_table[attr];
        if (info->rank < max_rank || (i > 0 && a->rdn == subject[i - 1].rdn))
            return false;
        max_rank = info->rank;
        if ((seen & 1u << attr) != 0 && (attr_single(attr) || attr == POLICY_ATTR_CN))
            return false;
        seen |= 1u << attr;
        if (attr == POLICY_ATTR_DC) {
            dc_total += a->value.len;
            if (dc_total > DC_TOTAL_MAX)
                return false;
        } else if (info->max_chars != 0 && a->value.len > info->max_chars) {
            return false;
        }
        if (attr == POLICY_ATTR_C && !plain_country_valid(a->value))
            return false;
    }
    return (seen & 1u << POLICY_ATTR_C) == 0 || (seen & 1u << POLICY_ATTR_DC) == 0;
}

void policy_check_subject_into(policy_emitter *em, const policy_attribute *subject, size_t n)
{
    if (subject == NULL)
        n = 0;
    if (!em->unscreened && subject_is_clean(subject, n))
        return;
    /* Every field but first_index, which is written before it is read. */
    subject_state st;
    st.em = em;
    st.subject = subject;
    st.n = n;
    memset(st.seen, 0, sizeof(st.seen));
    st.max_rank = 0;
    st.order_reported = false;
    st.dc_total = 0;
    st.dc_total_reported = false;
    st.dc_with_c_reported = false;
    st.multivalued_reported = false;
    bool prescreen = !em->unscreened;
    for (size_t i = 0; i < n; i++) {
        const policy_attribute *a = &subject[i];
        policy_attribute safe;
        /* Out-of-range enums from a careless caller count as "other" and a
         * NULL pointer as empty: bad input never crashes. */
        if (valid_attr(a->attr) && a->value.ptr != NULL &&
            (unsigned)a->type <= POLICY_STRING_OTHER &&
            (a->attr != POLICY_ATTR_OTHER || a->label.ptr != NULL)) {
            st.cur = a;
        } else {
            safe = *a;
            if (!valid_attr(safe.attr))
                safe.attr = POLICY_ATTR_OTHER;
            if (safe.value.ptr == NULL)
                safe.value.len = 0;
            if ((unsigned)safe.type > POLICY_STRING_OTHER)
                safe.type = POLICY_STRING_OTHER;
            if (safe.label.ptr == NULL)
                safe.label.len = 0;
            st.cur = &safe;
        }
        const policy_attribute *cur = st.cur;
        policy_attr attr = cur->attr;
        if (st.seen[attr] == 0)
            st.first_index[attr] = i;
        if (st.seen[attr] < 3)
            st.seen[attr]++;

        if (attr == POLICY_ATTR_OTHER)
            emit_attr(&st, POLICY_RDN_UNKNOWN, i,
                      " is not in the table (C, DC, S/ST, L, O, OU, CN)", NULL);

        bool value_ok = false;
        bool plain = false;
        size_t chars = 0;
        bool non_ascii = false;
        value_scan scan;
        if (cur->value.len == 0) {
            emit_attr(&st, POLICY_RDN_EMPTY, i, " is empty", NULL);
        } else if (prescreen && plain_value(cur->type, cur->value)) {
            plain = true;
            value_ok = true;
            chars = cur->value.len;
        } else if (check_value(&st, i, &scan)) {
            value_ok = true;
            chars = scan.chars;
            non_ascii = scan.has_non_ascii;
        }
        const policy_attr_info *info = policy_attr_row(attr);
        if (value_ok)
            check_length(&st, i, attr, chars, info != NULL ? info->max_chars : 0);
        check_count(&st, i, attr);
        check_order(&st, i, info != NULL ? info->rank : 0);
        check_multivalued(&st, i);
        if (value_ok && attr == POLICY_ATTR_C)
            check_country(&st, i, plain);
        if (value_ok && attr == POLICY_ATTR_DC && non_ascii)
            check_dc_ascii(&st, i);
        check_dc_with_c(&st, i, attr);
        check_multiple_cn(&st, i, attr);
        if (value_ok && attr == POLICY_ATTR_CN && non_ascii)
            check_homoglyph(&st, i);
    }
}

policy_result policy_check_subject_screened(const policy_config *cfg,
                                            const policy_attribute *subject, size_t n,
                                            const policy_sink *sink, bool unscreened)
{
    policy_emitter em;
    policy_emitter_init(&em, cfg, sink);
    em.unscreened = unscreened;
    policy_check_subject_into(&em, subject, n);
    return em.result;
}

policy_result policy_check_subject(const policy_config *cfg, const policy_attribute *subject,
                                   size_t n, const policy_sink *sink)
{
    return policy_check_subject_screened(cfg, subject, n, sink, false);
}
