/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers of the policy core: finding emission, bounded text
 * building, string decoding per ASN.1 type, DNS syntax and the homoglyph
 * skeleton. Not installed; the unit and fuzz tests may include it.
 */
#ifndef ROLECERT_POLICY_INTERNAL_H
#define ROLECERT_POLICY_INTERNAL_H

#include <rolecert/policy.h>

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <stdatomic.h>

#if defined(__GNUC__)
#define POLICY_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
/* A rare path (a finding, a full check) kept out of line: its buffers
 * and registers do not weigh on the common one, which needs no frame. */
#define POLICY_COLD __attribute__((noinline, cold))
/* Inlined even where called twice: a few instructions on every name. */
#define POLICY_INLINE inline __attribute__((always_inline))
#else
#define POLICY_PRINTF(fmt_index, first_arg)
#define POLICY_COLD
#define POLICY_INLINE inline
#endif

/* Longest DNS name in presentation form (RFC 1035: 255 octets on the wire). */
#define POLICY_DNS_MAX 253
#define POLICY_DNS_LABEL_MAX 63
/* Values longer than this are shown cut with "..." in messages. */
#define POLICY_DISPLAY_MAX 160

/* ---- bounded text building ------------------------------------------- */

/* Appends never overflow: when the buffer is full the text is cut at a
 * UTF-8 boundary and ends in "...", so a message is never silently short. */
typedef struct policy_text {
    char *buf;
    size_t size;
    size_t len;
    bool full;
} policy_text;

void policy_text_init(policy_text *text, char *buf, size_t size);
void policy_text_puts(policy_text *text, const char *s);
void policy_text_put(policy_text *text, policy_str s);
void policy_text_printf(policy_text *text, const char *fmt, ...) POLICY_PRINTF(2, 3);
/* A value for display, decoded per its string type: printable characters
 * as UTF-8, control characters and undecodable bytes as \xHH, bidi and
 * zero-width format characters as \uHHHH, a backslash as \\. At most
 * max_bytes of output, then "...". */
void policy_text_put_value(policy_text *text, policy_string_type type, policy_str value,
                           size_t max_bytes);
/* One code point as UTF-8 (no escaping). */
void policy_text_put_code_point(policy_text *text, uint32_t cp);

/* ---- subject attributes --------------------------------------------- */

/* attributes.c's table, for lookups inline in the per-attribute loop. */
extern const policy_attr_info policy_attr_table[POLICY_ATTR_OTHER];

/* policy_attr_info_of without the call. */
static inline const policy_attr_info *policy_attr_row(policy_attr attr)
{
    return (unsigned)attr < POLICY_ATTR_OTHER ? &policy_attr_table[attr] : NULL;
}

/* ---- decoding -------------------------------------------------------- */

typedef enum policy_decode_status {
    POLICY_DECODE_OK,
    POLICY_DECODE_END,
    POLICY_DECODE_BAD_UTF8,       /* malformed, overlong, surrogate, > U+10FFFF */
    POLICY_DECODE_BAD_LENGTH,     /* BMP odd / Universal not a multiple of 4 */
    POLICY_DECODE_BAD_CODE_POINT, /* surrogate or > U+10FFFF in BMP/Universal */
    POLICY_DECODE_NOT_IN_CHARSET, /* byte outside the type's repertoire */
    POLICY_DECODE_NOT_DIRECTORY   /* POLICY_STRING_OTHER */
} policy_decode_status;

/* Per string type, the bytes under 0x80 that decode as themselves (bit b
 * of word b / 64): every one for UTF-8, IA5 and T61, the type's set for
 * Printable, Visible and Numeric, none for BMP, Universal and OTHER. */
extern const uint64_t policy_ascii_as_itself[POLICY_STRING_OTHER + 1][2];

/* Is byte b an ASCII character that decodes as itself in type? */
static inline bool policy_ascii_is_itself(policy_string_type type, unsigned char b)
{
    return (unsigned)type <= POLICY_STRING_OTHER && b < 0x80 &&
           ((policy_ascii_as_itself[type][b >> 6] >> (b & 63)) & 1) != 0;
}

/* policy_decode_next for any unit (unicode.c). */
policy_decode_status policy_decode_next_any(policy_string_type type, policy_str value, size_t *pos,
                                            uint32_t *cp);

/* Decode the code point at *pos. On OK *pos moves past it. On an error *pos
 * moves past the offending unit (at least one byte) so a display can go on;
 * *cp then holds the first offending byte. Inline for an ASCII byte that
 * is its own code point: names are mostly that, and every rule over a
 * value decodes it. */
static inline policy_decode_status policy_decode_next(policy_string_type type, policy_str value,
                                                      size_t *pos, uint32_t *cp)
{
    if (*pos < value.len && policy_ascii_is_itself(type, (unsigned char)value.ptr[*pos])) {
        *cp = (unsigned char)value.ptr[*pos];
        *pos += 1;
        return POLICY_DECODE_OK;
    }
    return policy_decode_next_any(type, value, pos, cp);
}
const char *policy_decode_status_text(policy_decode_status status, policy_string_type type);
const char *policy_string_type_name(policy_string_type type);

/* C0, DEL, C1 */
static inline bool policy_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* ASCII space/tab and Unicode spaces */
static inline bool policy_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}
/* Bidi controls and zero-width characters: shown escaped in messages. */
bool policy_is_invisible_format(uint32_t cp);

/* Copy a value holding only ASCII into buf (any string type). false when it
 * holds anything else, does not decode, or needs more than size bytes. */
bool policy_value_to_ascii(policy_string_type type, policy_str value, char *buf, size_t size,
                           size_t *len);

/* Transcode a value that decodes cleanly into UTF-8 (not NUL-terminated).
 * false when it does not decode or needs more than size bytes. */
bool policy_value_to_utf8(policy_string_type type, policy_str value, char *buf, size_t size,
                          size_t *len);

/* ---- ASCII helpers --------------------------------------------------- */

static inline char policy_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline bool policy_is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool policy_is_ldh(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || policy_is_ascii_digit(c) || c == '-';
}

/* Does the label at p (len bytes left) start with the ACE prefix "xn--",
 * in any case? Inline: asked at every label of every name. */
static inline bool policy_starts_with_ace(const char *p, size_t len)
{
    return len >= 4 && policy_ascii_lower(p[0]) == 'x' && policy_ascii_lower(p[1]) == 'n' &&
           p[2] == '-' && p[3] == '-';
}

/* policy_str_equal_ci and policy_strip_trailing_dot for the core's own
 * hot paths: a call to an exported name is not inlined under -fPIC. */
static inline bool policy_equal_ci_inline(policy_str a, policy_str b)
{
    if (a.len != b.len)
        return false;
    size_t i = 0;
    /* Identical bytes, the usual case for names that match, eight at a
     * time; from the first chunk that differs, byte by byte. */
    for (; i + 8 <= a.len; i += 8) {
        uint64_t x, y;
        memcpy(&x, a.ptr + i, 8);
        memcpy(&y, b.ptr + i, 8);
        if (x != y)
            break;
    }
    for (; i < a.len; i++) {
        if (policy_ascii_lower(a.ptr[i]) != policy_ascii_lower(b.ptr[i]))
            return false;
    }
    return true;
}

static inline policy_str policy_strip_dot_inline(policy_str s)
{
    if (s.len > 0 && s.ptr[s.len - 1] == '.')
        s.len--;
    return s;
}

bool policy_has_suffix_ci(policy_str s, policy_str suffix);
policy_str policy_strip_trailing_dot(policy_str s);
/* A wildcard name "*.<base>" with a base: true, and *base is what follows
 * the "*."; otherwise false, and *base is the whole name. */
bool policy_wildcard_base(policy_str name, policy_str *base);

/* ---- DNS syntax ------------------------------------------------------ */

typedef struct policy_dns_problem {
    const char *what; /* NULL when the name is fine */
    const char *hint; /* concrete fix, may be NULL */
    size_t offset;    /* where in the name */
} policy_dns_problem;

/* dns-syntax for an ASCII name; a '*' character is accepted here (checked
 * by dns-wildcard). */
policy_dns_problem policy_dns_syntax_problem(policy_str name);
/* The reserved suffix (".local", ...) that `name` ends in, or NULL. */
const char *policy_dns_reserved_suffix(policy_str name);
/* An explicit entry of the distribution's Public Suffix List (libpsl's
 * built-in copy, from Debian's publicsuffix): "com", "co.uk", "github.io". */
bool policy_is_public_suffix(policy_str name);
/* dns-wildcard; NULL when no '*' or the wildcard is well-formed. */
const char *policy_dns_wildcard_problem(policy_str name);

/* What one pass over a name tells the rules, so that a rule the name
 * cannot break is not asked (its full check stays the one that decides and
 * writes findings). Meaningful only when policy_dns_shape_of is true. */
typedef struct policy_dns_shape {
    size_t dots;       /* how many '.' */
    size_t last_label; /* offset of the last label */
    bool star;         /* holds a '*' */
    bool ace;          /* a label starts with "xn--", in any case */
} policy_dns_shape;

/* true when neither dns-idn (non-ASCII), dns-length nor dns-syntax can
 * fire for `name`: 1 to POLICY_DNS_MAX bytes, labels of 1 to
 * POLICY_DNS_LABEL_MAX letters, digits, '-' and '*', none starting or
 * ending in '-', the last not all digits (so no trailing dot either). */
bool policy_dns_shape_of(policy_str name, policy_dns_shape *shape);

/* ---- homoglyphs ------------------------------------------------------ */

/* The ASCII look-alike of a non-ASCII code point written into out (one or
 * two characters, NUL-terminated); 0 when it has none. */
size_t policy_homoglyph_ascii(uint32_t cp, char out[3]);
bool policy_homoglyph_table_sorted(void); /* for the unit tests */

/* What a reader takes a name for: each character as its ASCII look-alike. */
typedef struct policy_skeleton {
    char text[POLICY_DNS_MAX]; /* len bytes, not NUL-terminated */
    size_t len;
    uint32_t first_cp;  /* the first non-ASCII character; 0 when none */
    char first_look[3]; /* its look-alike; "" for an invisible one */
} policy_skeleton;

/* The skeleton of `value`, up to its first undecodable unit. false when a
 * character passes for no ASCII, or the skeleton is longer than a DNS name.
 * With skip_invisible, bidi and zero-width characters read as nothing (a
 * display shows none); without, they pass for no ASCII. */
bool policy_homoglyph_skeleton(policy_string_type type, policy_str value, bool skip_invisible,
                               policy_skeleton *out);

/* ---- country codes --------------------------------------------------- */

typedef struct policy_country {
    char alpha2[3];
    char alpha3[4];
    const char *name; /* UTF-8 */
} policy_country;

const policy_country *policy_country_at(size_t index);
const policy_country *policy_country_by_alpha2(const char code[2]);
const policy_country *policy_country_by_alpha3(const char code[3]);
/* Which upper-case pairs "ab" are assigned alpha-2 codes: bit
 * (a - 'A') * 26 + (b - 'A'), built from the country table at first use,
 * so that the C of every name is one lookup. */
#define POLICY_COUNTRY_PAIR_WORDS ((26 * 26 + 63) / 64)
extern _Atomic uint64_t policy_country_pairs[POLICY_COUNTRY_PAIR_WORDS];
extern atomic_bool policy_country_pairs_ready;
POLICY_COLD void policy_country_pairs_build(void);

static inline unsigned policy_country_pair_bit(unsigned char a, unsigned char b)
{
    return (unsigned)(a - 'A') * 26 + (unsigned)(b - 'A');
}

/* Is "ab" an assigned alpha-2 code (upper case)? What
 * policy_country_code_valid asks of two bytes. */
static inline bool policy_country_pair_assigned(unsigned char a, unsigned char b)
{
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
        return false;
    if (!atomic_load_explicit(&policy_country_pairs_ready, memory_order_acquire))
        policy_country_pairs_build();
    unsigned bit = policy_country_pair_bit(a, b);
    return (atomic_load_explicit(&policy_country_pairs[bit / 64], memory_order_relaxed) >>
                (bit % 64) &
            1) != 0;
}

/* ---- emission -------------------------------------------------------- */

typedef struct policy_emitter {
    const policy_config *cfg;
    const policy_sink *sink;
    policy_result result;
    /* What the checked item is for; NULL checks as a TLS server certificate. */
    const policy_usage *usage;
    /* Test switch: ask every rule's full check, never the shape pre-screen
     * (the unit and fuzz tests compare both ways). false in every check. */
    bool unscreened;
} policy_emitter;

void policy_emitter_init(policy_emitter *em, const policy_config *cfg, const policy_sink *sink);
/* Start a finding. false when the rule is OFF: skip it. When the sink is
 * NULL the texts need not be written (policy_emitter_wants_text). */
bool policy_finding_begin(policy_emitter *em, policy_finding *f, policy_rule rule,
                          policy_where where, size_t index, policy_str value);
bool policy_emitter_wants_text(const policy_emitter *em);
void policy_finding_emit(policy_emitter *em, const policy_finding *f);
void policy_result_add(policy_result *into, policy_result add);

/* The subject part, writing into an existing emitter. */
void policy_check_subject_into(policy_emitter *em, const policy_attribute *subject, size_t n);
void policy_check_dns_name_into(policy_emitter *em, policy_str name, size_t index);
/* The same for a name whose policy_dns_shape_of is true and gave `shape`
 * (or for one equal to such a name but for letter case: the shape is the
 * same). */
void policy_check_dns_name_shaped_into(policy_emitter *em, policy_str name, size_t index,
                                       const policy_dns_shape *shape);
/* policy_check_names and policy_check_dns_name with the pre-screen off
 * (unscreened) or on, for the tests that prove both give the same. */
policy_result policy_check_names_screened(const policy_config *cfg, const policy_names *names,
                                          const policy_sink *sink, bool unscreened);
policy_result policy_check_subject_screened(const policy_config *cfg,
                                            const policy_attribute *subject, size_t n,
                                            const policy_sink *sink, bool unscreened);
policy_result policy_check_dns_name_screened(const policy_config *cfg, policy_str name,
                                             size_t index, const policy_sink *sink,
                                             bool unscreened);
/* cn-invalid-dns for an ASCII CN that is not a DNS name: when it looks like
 * one, the finding, then domain-not-permitted for the name it was meant to
 * be (so a stray dot or space never slips a CN past permitted_domains). */
void policy_check_cn_invalid_dns_into(policy_emitter *em, policy_str cn, policy_str value,
                                      size_t index);
/* dns-homoglyph for an ASCII name whose xn-- labels are valid A-labels. */
void policy_check_homoglyph_alabels_into(policy_emitter *em, policy_str name, policy_str value,
                                         policy_where where, size_t index);
/* Is there a permitted_domains list? Without one, domain-not-permitted
 * cannot fire. */
static inline bool policy_permitted_configured(const policy_emitter *em)
{
    return em->cfg != NULL && em->cfg->n_permitted > 0;
}
/* domain-not-permitted for one ASCII name; the finding carries `value`
 * (the caller's bytes the name was read from). */
void policy_check_permitted_into(policy_emitter *em, policy_str name, policy_str value,
                                 policy_where where, size_t index, const char *what);

#endif /* ROLECERT_POLICY_INTERNAL_H */
