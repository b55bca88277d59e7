/* SPDX-License-Identifier: Apache-2.0 */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rolecert/policy.h>

size_t utf8_decode(const char *p, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    if (len == 0)
        return 0;
    uint32_t c = s[0];
    size_t need;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return need;
}

bool utf8_append(strbuf *sb, uint32_t cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return strbuf_append(sb, out, n);
}

bool text_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

size_t utf8_length(const char *p, size_t len)
{
    size_t count = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t used = utf8_decode(p + i, len - i, &cp);
        i += used == 0 ? 1 : used;
        count++;
    }
    return count;
}

char text_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

char text_ascii_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

bool text_is_space(char c)
{
    return c == ' ' || c == '\t';
}

bool text_equal_ci(const char *a, size_t alen, const char *b, size_t blen)
{
    return policy_str_equal_ci((policy_str){a, alen}, (policy_str){b, blen});
}

bool text_equal_ci_cstr(const char *a, size_t alen, const char *b)
{
    size_t blen = 0;
    while (b[blen] != '\0')
        blen++;
    return text_equal_ci(a, alen, b, blen);
}

bool text_append_quoted(strbuf *sb, const char *p, size_t len)
{
    bool ok = strbuf_append_char(sb, '\'');
    size_t i = 0;
    while (i < len && ok) {
        uint32_t cp;
        size_t used = utf8_decode(p + i, len - i, &cp);
        if (used == 0 || text_is_control(cp)) {
            size_t n = used == 0 ? 1 : used;
            for (size_t k = 0; k < n && ok; k++)
                ok = strbuf_printf(sb, "\\x%02X", (unsigned)(unsigned char)p[i + k]);
            i += n;
        } else {
            ok = strbuf_append(sb, p + i, used);
            i += used;
        }
    }
    return ok && strbuf_append_char(sb, '\'');
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t text_parse_unicode_escape(const char *s, size_t len, uint32_t *cp, size_t *used_on_error)
{
    size_t j = 2;
    uint32_t value = 0;
    size_t digits = 0;
    bool valid = len > 2 && s[0] == '\\' && s[1] == 'u' && s[2] == '{';
    if (valid) {
        j = 3;
        while (j < len && hex_digit(s[j]) >= 0 && digits < 7) {
            value = value * 16 + (uint32_t)hex_digit(s[j]);
            digits++;
            j++;
        }
        valid = j < len && s[j] == '}' && digits >= 1 && digits <= 6 && value <= 0x10FFFF &&
                !(value >= 0xD800 && value <= 0xDFFF) && !text_is_control(value);
    }
    if (!valid) {
        *used_on_error = j < len ? j + 1 : len;
        return 0;
    }
    *cp = value;
    return j + 1;
}

char *text_copy(const char *p, size_t len)
{
    char *out = malloc(len + 1);
    if (out != NULL) {
        if (len > 0)
            memcpy(out, p, len);
        out[len] = '\0';
    }
    return out;
}
