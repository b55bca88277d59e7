/* SPDX-License-Identifier: Apache-2.0 */
#include "profile_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rolecert/policy.h>

#include "array.h"
#include "text.h"

/* ---- the key table ---------------------------------------------------- */

typedef struct key_spec {
    profile_section section;
    const char *name;
    profile_key key;
    bool repeatable;
    bool free_text; /* any text, ; and # included (subject values, names) */
} key_spec;

static const key_spec key_table[] = {
    {SECTION_ROLE, "type", KEY_ROLE_TYPE, false, false},
    {SECTION_ROLE, "fqdn", KEY_ROLE_FQDN, false, false},
    {SECTION_ROLE, "accepted_domains", KEY_ROLE_ACCEPTED_DOMAINS, true, false},
    {SECTION_ROLE, "connector_fqdn", KEY_ROLE_CONNECTOR_FQDN, false, false},
    {SECTION_ROLE, "netbios", KEY_ROLE_NETBIOS, false, false},
    {SECTION_ROLE, "autodiscover", KEY_ROLE_AUTODISCOVER, false, false},
    {SECTION_ROLE, "load_balanced", KEY_ROLE_LOAD_BALANCED, false, false},
    {SECTION_ROLE, "wildcard", KEY_ROLE_WILDCARD, false, false},
    {SECTION_SUBJECT, "name", KEY_SUBJECT_NAME, false, true},
    {SECTION_SUBJECT, "C", KEY_SUBJECT_C, false, true},
    {SECTION_SUBJECT, "DC", KEY_SUBJECT_DC, true, true},
    {SECTION_SUBJECT, "S", KEY_SUBJECT_ST, false, true},
    {SECTION_SUBJECT, "ST", KEY_SUBJECT_ST, false, true},
    {SECTION_SUBJECT, "L", KEY_SUBJECT_L, false, true},
    {SECTION_SUBJECT, "O", KEY_SUBJECT_O, false, true},
    {SECTION_SUBJECT, "OU", KEY_SUBJECT_OU, true, true},
    {SECTION_SUBJECT, "CN", KEY_SUBJECT_CN, true, true},
    {SECTION_NAMES, "dns", KEY_NAMES_DNS, true, false},
    {SECTION_KEY, "type", KEY_KEY_TYPE, false, false},
    {SECTION_KEY, "bits", KEY_KEY_BITS, false, false},
    {SECTION_KEY, "curve", KEY_KEY_CURVE, false, false},
    {SECTION_OUTPUT, "kind", KEY_OUTPUT_KIND, false, false},
    {SECTION_OUTPUT, "days", KEY_OUTPUT_DAYS, false, false},
    {SECTION_OUTPUT, "digest", KEY_OUTPUT_DIGEST, false, false},
    {SECTION_OUTPUT, "encoding", KEY_OUTPUT_ENCODING, false, false},
    {SECTION_OUTPUT, "friendly_name", KEY_OUTPUT_FRIENDLY_NAME, false, true},
    {SECTION_POLICY, "permitted_domains", KEY_POLICY_PERMITTED_DOMAINS, false, false},
};

static const char *const section_names[SECTION_COUNT] = {
    [SECTION_ROLE] = "role", [SECTION_SUBJECT] = "subject", [SECTION_NAMES] = "names",
    [SECTION_KEY] = "key",   [SECTION_OUTPUT] = "output",   [SECTION_POLICY] = "policy",
};

static const char *const section_key_lists[SECTION_COUNT] = {
    /* Parenthesised: one string split over two lines, which clang's
     * -Wstring-concatenation otherwise takes for a missing comma. */
    [SECTION_ROLE] = ("type, fqdn, accepted_domains, connector_fqdn, netbios, autodiscover, "
                      "load_balanced, wildcard"),
    [SECTION_SUBJECT] = "name, C, DC, S, ST, L, O, OU, CN",
    [SECTION_NAMES] = "dns",
    [SECTION_KEY] = "type, bits, curve",
    [SECTION_OUTPUT] = "kind, days, digest, encoding, friendly_name",
    [SECTION_POLICY] = "permitted_domains and the configurable rule ids",
};

#define REPEATABLE_KEYS "accepted_domains, dns, DC, OU and CN"
#define SECTION_LIST "[role], [subject], [names], [key], [output], [policy]"

const char *profile_section_name(profile_section section)
{
    return (unsigned)section < SECTION_COUNT ? section_names[section] : "?";
}

const char *profile_section_keys(profile_section section)
{
    return (unsigned)section < SECTION_COUNT ? section_key_lists[section] : "";
}

/* ---- documents ---------------------------------------------------------- */

void profile_doc_init(profile_doc *doc)
{
    memset(doc, 0, sizeof(*doc));
}

void profile_doc_free(profile_doc *doc)
{
    for (size_t i = 0; i < doc->n; i++) {
        free(doc->entries[i].name);
        free(doc->entries[i].value);
    }
    free(doc->entries);
    profile_doc_init(doc);
}

/* ---- values ------------------------------------------------------------- */

#define COMMENT_HINT                                                                               \
    "comments go on their own line: everything after '=' is the value, so a ; or # after it is "   \
    "part of it"
#define QUOTE_HINT "close the quote; inside quotes write a quote as \\\" and a backslash as \\\\"
#define ESCAPE_HINT                                                                                \
    "inside quotes only \\\", \\\\ and \\u{HEX} are escapes (so an escaped comma of name= is "     \
    "written \\\\, there)"
#define UNICODE_ESCAPE_HINT                                                                        \
    "\\u{HEX} takes 1 to 6 hex digits naming a Unicode scalar value that is neither NUL nor "      \
    "a control character"

bool profile_decode_value(const char *value, size_t len, strbuf *out, strbuf *why,
                          const char **hint)
{
    strbuf_reset(out);
    if (len == 0 || value[0] != '"') {
        strbuf_append(out, value, len);
    } else {
        size_t i = 1;
        bool closed = false;
        while (i < len) {
            char c = value[i];
            if (c == '"' && i + 1 < len && value[i + 1] == '"') {
                strbuf_append_char(out, '"'); /* Windows style: "" is a quote */
                i += 2;
                continue;
            }
            if (c == '"') {
                closed = true;
                i++;
                break;
            }
            if (c != '\\') {
                strbuf_append_char(out, c);
                i++;
                continue;
            }
            if (i + 1 >= len) {
                break; /* a lone backslash at the end: the quote is not closed */
            }
            char esc = value[i + 1];
            if (esc == '"' || esc == '\\') {
                strbuf_append_char(out, esc);
                i += 2;
                continue;
            }
            if (esc != 'u') {
                strbuf_append_str(why, "unknown escape ");
                text_append_quoted(why, value + i, 2);
                *hint = ESCAPE_HINT;
                return false;
            }
            uint32_t cp = 0;
            size_t bad_end = 0;
            size_t used = text_parse_unicode_escape(value + i, len - i, &cp, &bad_end);
            if (used == 0) {
                strbuf_append_str(why, "invalid escape ");
                text_append_quoted(why, value + i, bad_end);
                *hint = UNICODE_ESCAPE_HINT;
                return false;
            }
            utf8_append(out, cp);
            i += used;
        }
        if (!closed) {
            strbuf_append_str(why, "unbalanced quote");
            *hint = QUOTE_HINT;
            return false;
        }
        while (i < len && text_is_space(value[i]))
            i++;
        if (i < len) {
            strbuf_append_str(why, "text after the closing quote");
            *hint = value[i] == ';' || value[i] == '#'
                        ? COMMENT_HINT
                        : "quote the whole value; a quote inside it is written \\\" or \"\"";
            return false;
        }
    }
    /* Only TAB can get here from the file itself; every other control
     * character was refused with its line already. */
    for (size_t i = 0; i < out->len; i++) {
        if (out->data[i] == '\t') {
            strbuf_append_str(why, "TAB character");
            *hint = "use spaces inside a value";
            return false;
        }
    }
    if (out->failed) {
        strbuf_append_str(why, "out of memory");
        *hint = "";
        return false;
    }
    return true;
}

bool profile_split_list(const char *value, size_t len, profile_list_item_fn item, void *ctx,
                        bool *empty_item)
{
    bool ok = true;
    bool comma_seen = false;
    bool item_since_comma = false;
    *empty_item = false;
    size_t i = 0;
    while (i < len) {
        if (text_is_space(value[i])) {
            i++;
        } else if (value[i] == ',') {
            if (!item_since_comma)
                *empty_item = true;
            comma_seen = true;
            item_since_comma = false;
            i++;
        } else {
            size_t start = i;
            while (i < len && value[i] != ',' && !text_is_space(value[i]))
                i++;
            if (!item(ctx, value + start, i - start))
                ok = false;
            item_since_comma = true;
        }
    }
    if (comma_seen && !item_since_comma)
        *empty_item = true;
    return ok && !*empty_item;
}

/* ---- the line reader ------------------------------------------------------ */

/*
 * Who reads what. A profile is read once, line by line, each part of a line
 * by one party:
 *
 * - profile_line_reader (the reader ini_parse_stream calls) owns the
 *   physical line. It strips a BOM and the CR before LF; refuses NUL, invalid
 *   UTF-8 and control characters; removes indentation (inih would append an
 *   indented line to the previous value); and reads "[section]" headers
 *   itself, because inih cuts a section name at 49 bytes and ignores text
 *   after ']'. inih gets a blank line in place of a header or of a refused
 *   line, so its line count stays ours and it never sees a section.
 * - A key line is split by the reader at its first '=' or ':' (where inih
 *   splits it too). The reader keeps the value itself and hands inih a short
 *   stand-in line: the key as written, the separator, and one letter. So a
 *   line is as long as its value needs, whatever INI_MAX_LINE the
 *   distribution built inih with (Debian's 200 would cut a long line and
 *   read its tail as a new key), and inih's inline " ;" comments never cut
 *   a value: everything after '=' is the value (profile-format.md). Only a
 *   key longer than inih's buffer is refused, which no key in the table is.
 * - inih owns the key: it trims it, finds the separator, and calls
 *   profile_ini_handler with the stand-in as the value. A line it cannot
 *   split never reaches the handler.
 * - profile_ini_handler judges what inih split: where inih's name lies in
 *   the line it was handed tells which separator stood there; the key goes
 *   against the key table, the kept value through profile_decode_value. A
 *   key line the handler was not called for is one inih refused, reported
 *   when the next line is read.
 */

typedef struct reader_ctx {
    const char *data;
    size_t len;
    size_t pos;
    unsigned line;
    /* The key line (unindented, without its terminator), the stand-in line
     * handed to inih (its key part is the line's, byte for byte), and the
     * value the reader kept (trimmed). NULL text: no key line. */
    const char *text;
    size_t text_len;
    const char *copy;
    size_t key_len; /* bytes before the separator; text_len when there is none */
    const char *value;
    size_t value_len;
    bool handled; /* profile_ini_handler was called for that line */
    int section;  /* profile_section, or one of the two below */
    profile_doc *doc;
    diag_list *diag;
    unsigned first_line[KEY_COUNT];
    bool failed;
} reader_ctx;

/* The value inih is handed in place of the real one. */
#define STAND_IN 'v'

enum { SECTION_NONE_YET = -1, SECTION_UNKNOWN = -2 };

static void reader_error(reader_ctx *ctx, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reader_error(reader_ctx *ctx, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verrorf(ctx->diag, ctx->line, hint, fmt, ap);
    va_end(ap);
    ctx->failed = true;
}

static bool check_line_bytes(reader_ctx *ctx, const char *line, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char byte = (unsigned char)line[i];
        if (byte == 0) {
            reader_error(ctx, "remove it; a profile is UTF-8 text", "NUL byte at column %zu",
                         i + 1);
            return false;
        }
        uint32_t cp;
        size_t used = utf8_decode(line + i, len - i, &cp);
        if (used == 0) {
            reader_error(ctx, "save the profile as UTF-8",
                         "invalid UTF-8 (byte 0x%02X at column %zu)", byte, i + 1);
            return false;
        }
        if (text_is_control(cp) && cp != '\t') {
            reader_error(ctx, "remove it; only TAB, and CR before the end of a line, are allowed",
                         "control character U+%04X at column %zu", (unsigned)cp, i + 1);
            return false;
        }
        i += used;
    }
    return true;
}

static int find_section(const char *name, size_t len)
{
    for (int s = 0; s < SECTION_COUNT; s++) {
        if (text_equal_ci_cstr(name, len, section_names[s]))
            return s;
    }
    return SECTION_UNKNOWN;
}

/* A "[section]" line. It ends at the first ']'; as for inih, a ';' after
 * white space before it starts a comment, and the header has no ']'. */
static void take_section_line(reader_ctx *ctx, const char *text, size_t len)
{
    size_t close = 1;
    while (close < len && text[close] != ']' &&
           !(close > 1 && text_is_space(text[close - 1]) && text[close] == ';'))
        close++;
    if (close >= len || text[close] != ']') {
        reader_error(ctx, "write a section header as [name]", "section header without ']'");
        ctx->section = SECTION_UNKNOWN;
        return;
    }
    size_t rest = close + 1;
    while (rest < len && text_is_space(text[rest]))
        rest++;
    if (rest < len && text[rest] != ';') {
        reader_error(ctx, "put nothing but a ; comment after a section header",
                     "text after the section header");
        ctx->section = SECTION_UNKNOWN;
        return;
    }
    const char *name = text + 1;
    size_t name_len = close - 1;
    while (name_len > 0 && text_is_space(name[0])) {
        name++;
        name_len--;
    }
    while (name_len > 0 && text_is_space(name[name_len - 1]))
        name_len--;
    ctx->section = find_section(name, name_len);
    if (ctx->section == SECTION_UNKNOWN) {
        strbuf msg;
        strbuf_init(&msg);
        strbuf_append_str(&msg, "unknown section ");
        text_append_quoted(&msg, name, name_len);
        reader_error(ctx, "sections are " SECTION_LIST, "%s", msg.failed ? "?" : msg.data);
        strbuf_free(&msg);
    }
}

/* A key line inih did not hand to the handler: it found no '=' or ':'. */
static void report_unsplit_line(reader_ctx *ctx)
{
    if (ctx->text != NULL && !ctx->handled)
        reader_error(ctx, "comments start with ; or # at the beginning of a line",
                     "expected 'key = value', a [section] or a comment");
    ctx->text = NULL;
}

/* fgets-style: hands inih one line for every physical line (a key line
 * as its stand-in, a blank line in place of one that was refused or is a
 * section header), so that inih's line count stays ours. */
static char *profile_line_reader(char *str, int num, void *stream)
{
    reader_ctx *ctx = stream;
    report_unsplit_line(ctx);
    if (ctx->pos >= ctx->len || num < 3)
        return NULL;
    const char *line = ctx->data + ctx->pos;
    size_t avail = ctx->len - ctx->pos;
    const char *newline = memchr(line, '\n', avail);
    size_t len = newline != NULL ? (size_t)(newline - line) : avail;
    ctx->pos += newline != NULL ? len + 1 : len;
    ctx->line++;

    if (ctx->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        len -= 3;
    }
    if (len > 0 && line[len - 1] == '\r')
        len--;
    /* inih needs room for the newline and the NUL. */
    size_t max_content = (size_t)num - 2;
    bool usable = check_line_bytes(ctx, line, len);
    /* Indented lines are ordinary lines, never continuations. */
    while (usable && len > 0 && text_is_space(line[0])) {
        line++;
        len--;
    }
    size_t handed = 0;
    if (usable && len > 0 && line[0] == '[') {
        take_section_line(ctx, line, len);
    } else if (usable && len > 0 && line[0] != ';' && line[0] != '#') {
        size_t sep = 0;
        while (sep < len && line[sep] != '=' && line[sep] != ':')
            sep++;
        ctx->text = line;
        ctx->text_len = len;
        ctx->copy = str;
        ctx->key_len = sep;
        ctx->handled = false;
        if (sep == len) {
            /* No separator: inih refuses it whatever its length. */
            handed = len < max_content ? len : max_content;
            memcpy(str, line, handed);
        } else if (sep + 2 > max_content) {
            reader_error(ctx, "keys are the short names docs/profile.md lists",
                         "key of %zu bytes; the INI reader holds at most %zu", sep,
                         max_content - 2);
            ctx->text = NULL;
        } else {
            size_t v = sep + 1, end = len;
            while (v < end && text_is_space(line[v]))
                v++;
            while (end > v && text_is_space(line[end - 1]))
                end--;
            ctx->value = line + v;
            ctx->value_len = end - v;
            memcpy(str, line, sep + 1);
            str[sep + 1] = STAND_IN;
            handed = sep + 2;
        }
    }
    str[handed] = '\n';
    str[handed + 1] = '\0';
    return str;
}

/* ---- the inih handler ------------------------------------------------------ */

static bool doc_push(profile_doc *doc, profile_entry *entry)
{
    profile_entry *entries = array_grow(doc->entries, &doc->cap, doc->n, sizeof(*entries));
    if (entries == NULL)
        return false;
    doc->entries = entries;
    doc->entries[doc->n++] = *entry;
    return true;
}

static const key_spec *find_key(profile_section section, const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++) {
        if (key_table[i].section == section && text_equal_ci_cstr(name, len, key_table[i].name))
            return &key_table[i];
    }
    return NULL;
}

static unsigned first_policy_line(const reader_ctx *ctx, const char *name, size_t len)
{
    for (size_t i = 0; i < ctx->doc->n; i++) {
        const profile_entry *e = &ctx->doc->entries[i];
        if (e->key == KEY_POLICY_RULE && text_equal_ci(e->name, e->name_len, name, len))
            return e->line;
    }
    return 0;
}

/* What inih split out of the current key line, read against the line
 * itself: the key must be followed by '=' (inih also takes ':') and not be
 * empty, and the value must be the stand-in after the reader's separator. */
static bool in_copy(const reader_ctx *ctx, const char *p)
{
    uintptr_t at = (uintptr_t)p, start = (uintptr_t)ctx->copy;
    return ctx->text != NULL && p != NULL && at >= start && at - start <= ctx->key_len + 1;
}

static bool judge_split(reader_ctx *ctx, const char *name, const char *value)
{
    if (!in_copy(ctx, name) || value != ctx->copy + ctx->key_len + 1 || value[0] != STAND_IN ||
        value[1] != '\0' || ctx->key_len == ctx->text_len) {
        /* Not where this reader put the line: never expected, never ignored. */
        reader_error(ctx, "write 'key = value' or [section]", "the INI parser refused this line");
        return false;
    }
    size_t name_len = strlen(name);
    if (ctx->text[ctx->key_len] == ':') {
        reader_error(ctx, "write 'key = value'", "':' between key and value; use '='");
        return false;
    }
    if (name_len == 0) {
        reader_error(ctx, "write 'key = value'", "no key before '='");
        return false;
    }
    return true;
}

static int profile_ini_handler(void *user, const char *section, const char *name, const char *value)
{
    (void)section; /* inih never sees a header: the reader tracks sections */
    reader_ctx *ctx = user;
    /* An inih built with INI_ALLOW_NO_VALUE hands over a line without '='
     * as a NULL value: left unhandled, it is reported as such. */
    if (value == NULL)
        return 1;
    ctx->handled = true;
    if (!judge_split(ctx, name, value))
        return 1;
    size_t name_len = strlen(name);
    if (ctx->section == SECTION_UNKNOWN)
        return 1; /* reported at the section header */
    strbuf msg;
    strbuf_init(&msg);
    if (ctx->section == SECTION_NONE_YET) {
        strbuf_append_str(&msg, "key ");
        text_append_quoted(&msg, name, name_len);
        strbuf_append_str(&msg, " before any section");
        reader_error(ctx, "put it under its section, e.g. [role]", "%s", msg.data);
        strbuf_free(&msg);
        return 1;
    }
    profile_section sec = (profile_section)ctx->section;
    const key_spec *spec = find_key(sec, name, name_len);
    profile_key key;
    unsigned first = 0;
    if (spec != NULL) {
        key = spec->key;
        if (!spec->repeatable)
            first = ctx->first_line[key];
    } else if (sec == SECTION_POLICY) {
        key = KEY_POLICY_RULE; /* profile.c checks the id against the rule table */
        first = first_policy_line(ctx, name, name_len);
    } else {
        strbuf_printf(&msg, "[%s] unknown key ", section_names[sec]);
        text_append_quoted(&msg, name, name_len);
        strbuf hint;
        strbuf_init(&hint);
        strbuf_printf(&hint, "keys in [%s]: %s", section_names[sec], section_key_lists[sec]);
        reader_error(ctx, hint.data, "%s", msg.data);
        strbuf_free(&hint);
        strbuf_free(&msg);
        return 1;
    }
    if (first != 0) {
        strbuf_printf(&msg, "[%s] duplicate key ", section_names[sec]);
        text_append_quoted(&msg, name, name_len);
        strbuf_printf(&msg, " (first given at line %u)", first);
        reader_error(ctx, "give it once; only " REPEATABLE_KEYS " repeat", "%s", msg.data);
        strbuf_free(&msg);
        return 1;
    }
    if (spec != NULL && !spec->repeatable)
        ctx->first_line[key] = ctx->line;

    strbuf decoded, why;
    strbuf_init(&decoded);
    strbuf_init(&why);
    const char *hint = "";
    if (!profile_decode_value(ctx->value, ctx->value_len, &decoded, &why, &hint)) {
        strbuf_append(&msg, why.data, why.len);
        strbuf_append_str(&msg, " in the value of ");
        text_append_quoted(&msg, name, name_len);
        reader_error(ctx, hint, "%s", msg.failed ? "(out of memory)" : msg.data);
    } else if ((spec == NULL || !spec->free_text) && decoded.len > 0 &&
               (memchr(decoded.data, ';', decoded.len) != NULL ||
                memchr(decoded.data, '#', decoded.len) != NULL)) {
        /* No such key takes ; or #: what follows one was meant as a
         * comment, and is never silently dropped. */
        strbuf_printf(&msg, "[%s] ", section_names[sec]);
        text_append_quoted(&msg, name, name_len);
        strbuf_append_str(&msg, " cannot hold ");
        text_append_quoted(&msg, decoded.data, decoded.len);
        strbuf_append_str(&msg, ": ; and # are not part of any such value");
        reader_error(ctx, COMMENT_HINT, "%s", msg.failed ? "(out of memory)" : msg.data);
    } else {
        profile_entry entry = {.key = key,
                               .name = text_copy(name, name_len),
                               .name_len = name_len,
                               .value =
                                   text_copy(decoded.data != NULL ? decoded.data : "", decoded.len),
                               .value_len = decoded.len,
                               .line = ctx->line};
        if (entry.name == NULL || entry.value == NULL || !doc_push(ctx->doc, &entry)) {
            free(entry.name);
            free(entry.value);
            reader_error(ctx, "", "out of memory");
        }
    }
    strbuf_free(&decoded);
    strbuf_free(&why);
    strbuf_free(&msg);
    return 1;
}

bool profile_doc_parse(profile_doc *doc, const char *data, size_t len, diag_list *diag)
{
    reader_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.data = data;
    ctx.len = len;
    ctx.section = SECTION_NONE_YET;
    ctx.doc = doc;
    ctx.diag = diag;
    int rc = ini_parse_stream(profile_line_reader, &ctx, profile_ini_handler, &ctx);
    report_unsplit_line(&ctx); /* the last line, when inih refused it */
    if (rc != 0 && !ctx.failed) {
        /* inih refused a line the reader let through: never expected, but
         * never ignored either. */
        diag_errorf(diag, rc > 0 ? (unsigned)rc : 0, "write 'key = value' or [section]",
                    "the INI parser refused this line");
        return false;
    }
    return !ctx.failed;
}

bool profile_doc_read(profile_doc *doc, const char *path, diag_list *diag)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_errorf(diag, 0, "check the path and its permissions", "cannot open the profile: %s",
                    strerror(errno));
        return false;
    }
    size_t cap = 64 * 1024;
    size_t len = 0;
    char *data = malloc(cap);
    bool ok = data != NULL;
    while (ok) {
        if (len == cap) {
            if (cap > PROFILE_MAX_BYTES) {
                diag_errorf(diag, 0, "a profile is a short text file",
                            "the profile is larger than %u bytes", PROFILE_MAX_BYTES);
                ok = false;
                break;
            }
            size_t grown_cap = cap * 2;
            char *grown = realloc(data, grown_cap);
            if (grown == NULL) {
                ok = false;
                diag_errorf(diag, 0, "", "out of memory");
                break;
            }
            data = grown;
            cap = grown_cap;
        }
        ssize_t got = read(fd, data + len, cap - len);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            diag_errorf(diag, 0, "check the path", "cannot read the profile: %s", strerror(errno));
            ok = false;
        } else if (got == 0) {
            break;
        } else {
            len += (size_t)got;
        }
    }
    close(fd);
    if (ok && len > PROFILE_MAX_BYTES) {
        diag_errorf(diag, 0, "a profile is a short text file",
                    "the profile is larger than %u bytes", PROFILE_MAX_BYTES);
        ok = false;
    }
    if (data == NULL) { /* ok is already false: say why */
        diag_errorf(diag, 0, "", "out of memory");
        ok = false;
    }
    if (ok)
        ok = profile_doc_parse(doc, data, len, diag);
    free(data);
    return ok;
}
