/* SPDX-License-Identifier: Apache-2.0 */
#include "subject_parse.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "text.h"

void subject_list_init(subject_list *list)
{
    memset(list, 0, sizeof(*list));
}

void subject_list_free(subject_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].label);
        free(list->items[i].value);
    }
    free(list->items);
    subject_list_init(list);
}

bool subject_list_add(subject_list *list, policy_attr attr, const char *label, size_t label_len,
                      const char *value, size_t value_len, size_t rdn, unsigned line)
{
    if (!array_make_room(&list->items, list->n, &list->cap, sizeof(*list->items)))
        return false;
    subject_attr item = {.attr = attr,
                         .label = text_copy(label, label_len),
                         .label_len = label_len,
                         .value = text_copy(value, value_len),
                         .value_len = value_len,
                         .rdn = rdn,
                         .line = line};
    if (item.label == NULL || item.value == NULL) {
        free(item.label);
        free(item.value);
        return false;
    }
    list->items[list->n++] = item;
    return true;
}

policy_attr subject_attr_from_name(const char *name, size_t len)
{
    return policy_attr_of_name((policy_str){name, len});
}

typedef struct parser {
    const char *text;
    size_t len;
    size_t pos;
    unsigned line;
    diag_list *diag;
} parser;

static void parse_error(parser *p, const char *hint, const char *what, const char *attr,
                        size_t attr_len)
{
    strbuf msg;
    strbuf_init(&msg);
    strbuf_append_str(&msg, "[subject] name: ");
    strbuf_append_str(&msg, what);
    if (attr != NULL) {
        strbuf_append_str(&msg, " in the value of ");
        text_append_quoted(&msg, attr, attr_len);
    }
    diag_add(p->diag, p->line, POLICY_SEV_ERROR, NULL, msg.failed ? "(out of memory)" : msg.data,
             hint);
    strbuf_free(&msg);
}

static void skip_space(parser *p)
{
    while (p->pos < p->len && text_is_space(p->text[p->pos]))
        p->pos++;
}

static bool is_attr_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
}

#define ESCAPABLE ",+\"\\=;<># "
#define ESCAPE_HINT "escape only , + \" \\ = ; < > # and space with a backslash"

/* The '=' case is the guide's own typo, "C=US o=contoso corp": name the
 * attribute that probably lost its comma. */
static void equals_in_value_error(parser *p, const char *attr, size_t attr_len, size_t value_start,
                                  size_t equals_at)
{
    size_t word = equals_at;
    while (word > value_start && !text_is_space(p->text[word - 1]) && p->text[word - 1] != '"')
        word--;
    strbuf hint;
    strbuf_init(&hint);
    if (word > value_start && word < equals_at) {
        strbuf_append_str(&hint, "a comma missing before ");
        text_append_quoted(&hint, p->text + word, equals_at - word + 1);
        strbuf_append_str(&hint, "? separate RDNs with commas (C=US, O=Contoso); write an '=' "
                                 "inside a value as \\= or quote the value");
    } else {
        strbuf_append_str(&hint, "write an '=' inside a value as \\= or quote the value");
    }
    parse_error(p, hint.failed ? "" : hint.data, "unescaped '='", attr, attr_len);
    strbuf_free(&hint);
}

/* `\u{HEX}` inside a subject value: any Unicode scalar value by its code. */
static bool append_unicode_escape(parser *p, strbuf *out, const char *attr, size_t attr_len)
{
    uint32_t cp = 0;
    size_t bad_end = 0;
    size_t used = text_parse_unicode_escape(p->text + p->pos, p->len - p->pos, &cp, &bad_end);
    if (used == 0) {
        parse_error(p,
                    "escapes are \\\", \\\\ and \\u{HEX} inside quotes; \\u{HEX} and a backslash "
                    "before , + \\\" \\\\ = ; < > # or space outside them",
                    "unknown escape", attr, attr_len);
        return false;
    }
    utf8_append(out, cp);
    p->pos += used;
    return true;
}

static bool is_separator(char c)
{
    return c == ',' || c == ';' || c == '+';
}

/* One value, quoted or not, up to the next unescaped ',', ';' or '+'. */
static bool parse_value(parser *p, const char *attr, size_t attr_len, strbuf *out)
{
    skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == '"') {
        p->pos++;
        bool closed = false;
        while (p->pos < p->len) {
            char c = p->text[p->pos];
            if (c == '"' && p->pos + 1 < p->len && p->text[p->pos + 1] == '"') {
                strbuf_append_char(out, '"'); /* Windows style: "" is a quote */
                p->pos += 2;
                continue;
            }
            if (c == '"') {
                closed = true;
                p->pos++;
                break;
            }
            if (c == '\\' && p->pos + 1 < p->len &&
                (p->text[p->pos + 1] == '"' || p->text[p->pos + 1] == '\\')) {
                strbuf_append_char(out, p->text[p->pos + 1]);
                p->pos += 2;
                continue;
            }
            if (c == '\\') {
                if (!append_unicode_escape(p, out, attr, attr_len))
                    return false;
                continue;
            }
            strbuf_append_char(out, c);
            p->pos++;
        }
        if (!closed) {
            parse_error(p, "close the quote", "unbalanced quote", attr, attr_len);
            return false;
        }
        skip_space(p);
        if (p->pos < p->len && !is_separator(p->text[p->pos])) {
            parse_error(
                p,
                "quote the whole value; a quote inside it is doubled (O=\"Contoso \"\"Best\"\" "
                "Corp\") or escaped as \\\"",
                "text after the closing quote", attr, attr_len);
            return false;
        }
        return true;
    }
    size_t value_start = p->pos;
    size_t keep = 0; /* output length up to the last byte that is not trailing space */
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (is_separator(c))
            break;
        if (c == '\\') {
            if (p->pos + 1 < p->len && p->text[p->pos + 1] == 'u') {
                if (!append_unicode_escape(p, out, attr, attr_len))
                    return false;
                keep = out->len;
                continue;
            }
            if (p->pos + 1 >= p->len || strchr(ESCAPABLE, p->text[p->pos + 1]) == NULL ||
                p->text[p->pos + 1] == '\0') {
                parse_error(p, ESCAPE_HINT, "unknown escape", attr, attr_len);
                return false;
            }
            strbuf_append_char(out, p->text[p->pos + 1]);
            keep = out->len;
            p->pos += 2;
            continue;
        }
        if (c == '=') {
            equals_in_value_error(p, attr, attr_len, value_start, p->pos);
            return false;
        }
        if (c == '"') {
            parse_error(p,
                        "quote the whole value (O=\"Contoso, Inc.\") or escape the quote as \\\"",
                        "quote inside an unquoted value", attr, attr_len);
            return false;
        }
        strbuf_append_char(out, c);
        if (!text_is_space(c))
            keep = out->len;
        p->pos++;
    }
    out->len = keep;
    if (out->data != NULL)
        out->data[keep] = '\0';
    return true;
}

bool subject_parse(const char *text, size_t len, unsigned line, subject_list *out, diag_list *diag)
{
    parser p = {.text = text, .len = len, .pos = 0, .line = line, .diag = diag};
    skip_space(&p);
    if (p.pos >= p.len) {
        parse_error(&p, "write the subject as C=US, O=Contoso Corp, CN=mail1.contoso.com",
                    "empty subject", NULL, 0);
        return false;
    }
    size_t rdn = 0;
    strbuf value;
    strbuf_init(&value);
    bool ok = true;
    while (ok) {
        skip_space(&p);
        size_t attr_start = p.pos;
        while (p.pos < p.len && is_attr_char(p.text[p.pos]))
            p.pos++;
        size_t attr_len = p.pos - attr_start;
        skip_space(&p);
        if (attr_len == 0 || p.pos >= p.len || p.text[p.pos] != '=') {
            if (attr_len == 0 && (p.pos >= p.len || is_separator(p.text[p.pos]))) {
                parse_error(&p, "remove the extra ',', ';' or '+'",
                            "empty RDN (two separators in a row, or one at the start or end)", NULL,
                            0);
            } else {
                size_t end = p.pos;
                while (end < p.len && !is_separator(p.text[end]))
                    end++;
                strbuf what;
                strbuf_init(&what);
                text_append_quoted(&what, p.text + attr_start, end - attr_start);
                strbuf_append_str(&what, " is not ATTRIBUTE=value");
                /* "CN=x ; main server": a comment written after the value. */
                bool after_semicolon = attr_start > 0 && p.text[attr_start - 1] == ';';
                for (size_t k = attr_start; k-- > 0 && text_is_space(p.text[k]);)
                    after_semicolon = k > 0 && p.text[k - 1] == ';';
                parse_error(&p,
                            after_semicolon || p.text[attr_start] == '#'
                                ? "; separates RDNs like ',': comments go on their own line, "
                                  "never after a value"
                                : "write each RDN as ATTRIBUTE=value, e.g. O=Contoso Corp",
                            what.failed ? "bad RDN" : what.data, NULL, 0);
                strbuf_free(&what);
            }
            ok = false;
            break;
        }
        p.pos++; /* '=' */
        strbuf_reset(&value);
        if (!parse_value(&p, p.text + attr_start, attr_len, &value)) {
            ok = false;
            break;
        }
        if (value.failed ||
            !subject_list_add(out, subject_attr_from_name(p.text + attr_start, attr_len),
                              p.text + attr_start, attr_len, value.data ? value.data : "",
                              value.len, rdn, line)) {
            diag_errorf(diag, line, "", "out of memory");
            ok = false;
            break;
        }
        if (p.pos >= p.len)
            break;
        if (p.text[p.pos] != '+')
            rdn++;
        p.pos++; /* ',', ';' or '+' */
        skip_space(&p);
        if (p.pos >= p.len) {
            parse_error(&p, "remove the extra ',', ';' or '+'",
                        "empty RDN (two separators in a row, or one at the start or end)", NULL, 0);
            ok = false;
        }
    }
    strbuf_free(&value);
    return ok;
}
