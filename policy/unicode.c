/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding of directory strings per ASN.1 type, and bounded, escaped text
 * for messages.
 */
#include "policy_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- bounded text ---------------------------------------------------- */

static const char ellipsis[] = "...";

void policy_text_init(policy_text *text, char *buf, size_t size)
{
    text->buf = buf;
    text->size = size;
    text->len = 0;
    text->full = size < sizeof(ellipsis) + 1;
    if (size > 0)
        buf[0] = '\0';
}

/* Mark the text as cut: back up to a UTF-8 boundary with room for "..." */
static void text_cut(policy_text *text)
{
    if (text->full)
        return;
    text->full = true;
    size_t keep = text->size - sizeof(ellipsis); /* leaves room for "..." + NUL */
    if (keep > text->len)
        keep = text->len;
    while (keep > 0 && ((unsigned char)text->buf[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(text->buf + keep, ellipsis, sizeof(ellipsis));
    text->len = keep + sizeof(ellipsis) - 1;
}

static void text_append(policy_text *text, const char *s, size_t n)
{
    if (text->full)
        return;
    if (n >= text->size - text->len) {
        size_t room = text->size - text->len - 1;
        memcpy(text->buf + text->len, s, room);
        text->len += room;
        text->buf[text->len] = '\0';
        text_cut(text);
        return;
    }
    memcpy(text->buf + text->len, s, n);
    text->len += n;
    text->buf[text->len] = '\0';
}

void policy_text_puts(policy_text *text, const char *s)
{
    text_append(text, s, strlen(s));
}

void policy_text_put(policy_text *text, policy_str s)
{
    if (s.len > 0)
        text_append(text, s.ptr, s.len);
}

void policy_text_printf(policy_text *text, const char *fmt, ...)
{
    if (text->full)
        return;
    char line[POLICY_HINT_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(line)) {
        text_append(text, line, sizeof(line) - 1);
        text_cut(text);
        return;
    }
    text_append(text, line, (size_t)n);
}

static size_t encode_utf8(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void policy_text_put_code_point(policy_text *text, uint32_t cp)
{
    char utf8[4];
    text_append(text, utf8, encode_utf8(cp, utf8));
}

void policy_text_put_value(policy_text *text, policy_string_type type, policy_str value,
                           size_t max_bytes)
{
    size_t written = 0;
    size_t pos = 0;
    while (pos < value.len) {
        size_t start = pos;
        uint32_t cp = 0;
        policy_decode_status st = policy_decode_next(type, value, &pos, &cp);
        if (st == POLICY_DECODE_END)
            break;
        char piece[64];
        size_t n = 0;
        if (st != POLICY_DECODE_OK) {
            /* Show every raw byte of the unit that did not decode. */
            for (size_t i = start; i < pos && n + 4 < sizeof(piece); i++)
                n += (size_t)snprintf(piece + n, sizeof(piece) - n, "\\x%02X",
                                      (unsigned char)value.ptr[i]);
        } else if (cp == '\\') {
            memcpy(piece, "\\\\", 2);
            n = 2;
        } else if (policy_is_control(cp)) {
            if (cp < 0x100)
                n = (size_t)snprintf(piece, sizeof(piece), "\\x%02X", (unsigned)cp);
        } else if (policy_is_invisible_format(cp)) {
            n = (size_t)snprintf(piece, sizeof(piece), "\\u%04X", (unsigned)cp);
        } else {
            n = encode_utf8(cp, piece);
        }
        if (written + n > max_bytes) {
            text_append(text, ellipsis, sizeof(ellipsis) - 1);
            return;
        }
        text_append(text, piece, n);
        written += n;
    }
}

/* ---- decoding -------------------------------------------------------- */

bool policy_is_invisible_format(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

#define ASCII_ALL                                                                                  \
    {                                                                                              \
        ~0ULL, ~0ULL                                                                               \
    }
const uint64_t policy_ascii_as_itself[POLICY_STRING_OTHER + 1][2] = {
    [POLICY_STRING_UTF8] = ASCII_ALL,
    /* A-Z a-z 0-9 and  '()+,-./:=? (X.680 41.4) */
    [POLICY_STRING_PRINTABLE] = {0xa7fffb8100000000ULL, 0x07fffffe07fffffeULL},
    [POLICY_STRING_IA5] = ASCII_ALL,
    [POLICY_STRING_T61] = ASCII_ALL,
    [POLICY_STRING_VISIBLE] = {0xffffffff00000000ULL, 0x7fffffffffffffffULL}, /* 0x20..0x7E */
    [POLICY_STRING_NUMERIC] = {0x03ff000100000000ULL, 0},                     /* 0-9 and space */
};
#undef ASCII_ALL

static policy_decode_status decode_utf8(policy_str v, size_t *pos, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)v.ptr + *pos;
    size_t left = v.len - *pos;
    unsigned char b0 = p[0];
    *cp = b0;
    if (b0 < 0x80) {
        *pos += 1;
        return POLICY_DECODE_OK;
    }
    size_t need;
    uint32_t min;
    uint32_t value;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        min = 0x80;
        value = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        min = 0x800;
        value = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        min = 0x10000;
        value = b0 & 0x07;
    } else {
        *pos += 1;
        return POLICY_DECODE_BAD_UTF8;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= left || (p[i] & 0xC0) != 0x80) {
            /* Consume the lead and the valid continuation bytes seen. */
            *pos += i;
            return POLICY_DECODE_BAD_UTF8;
        }
        value = (value << 6) | (p[i] & 0x3F);
    }
    *pos += need + 1;
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return POLICY_DECODE_BAD_UTF8;
    *cp = value;
    return POLICY_DECODE_OK;
}

policy_decode_status policy_decode_next_any(policy_string_type type, policy_str value, size_t *pos,
                                            uint32_t *cp)
{
    if (*pos >= value.len)
        return POLICY_DECODE_END;
    const unsigned char *p = (const unsigned char *)value.ptr + *pos;
    size_t left = value.len - *pos;
    switch (type) {
    case POLICY_STRING_UTF8:
        return decode_utf8(value, pos, cp);
    case POLICY_STRING_BMP:
        if (left < 2) {
            *cp = p[0];
            *pos += left;
            return POLICY_DECODE_BAD_LENGTH;
        }
        *cp = ((uint32_t)p[0] << 8) | p[1];
        *pos += 2;
        if (*cp >= 0xD800 && *cp <= 0xDFFF)
            return POLICY_DECODE_BAD_CODE_POINT;
        return POLICY_DECODE_OK;
    case POLICY_STRING_UNIVERSAL:
        if (left < 4) {
            *cp = p[0];
            *pos += left;
            return POLICY_DECODE_BAD_LENGTH;
        }
        *cp = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
        *pos += 4;
        if (*cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
            return POLICY_DECODE_BAD_CODE_POINT;
        return POLICY_DECODE_OK;
    case POLICY_STRING_T61:
        *cp = p[0];
        *pos += 1;
        return POLICY_DECODE_OK;
    case POLICY_STRING_IA5:
        *cp = p[0];
        *pos += 1;
        return p[0] < 0x80 ? POLICY_DECODE_OK : POLICY_DECODE_NOT_IN_CHARSET;
    case POLICY_STRING_VISIBLE:
    case POLICY_STRING_PRINTABLE:
    case POLICY_STRING_NUMERIC:
        *cp = p[0];
        *pos += 1;
        return policy_ascii_is_itself(type, p[0]) ? POLICY_DECODE_OK : POLICY_DECODE_NOT_IN_CHARSET;
    case POLICY_STRING_OTHER:
    default:
        /* One byte at a time, so a display shows every byte as \xHH. */
        *cp = p[0];
        *pos += 1;
        return POLICY_DECODE_NOT_DIRECTORY;
    }
}

const char *policy_string_type_name(policy_string_type type)
{
    return POLICY_ENUM_NAME(
        type, "a non-directory string type", [POLICY_STRING_UTF8] = "UTF8String",
        [POLICY_STRING_PRINTABLE] = "PrintableString", [POLICY_STRING_IA5] = "IA5String",
        [POLICY_STRING_BMP] = "BMPString", [POLICY_STRING_UNIVERSAL] = "UniversalString",
        [POLICY_STRING_T61] = "T61String", [POLICY_STRING_VISIBLE] = "VisibleString",
        [POLICY_STRING_NUMERIC] = "NumericString");
}

const char *policy_decode_status_text(policy_decode_status status, policy_string_type type)
{
    switch (status) {
    case POLICY_DECODE_BAD_UTF8:
        return "invalid UTF-8";
    case POLICY_DECODE_BAD_LENGTH:
        return type == POLICY_STRING_BMP ? "BMPString of odd length"
                                         : "UniversalString length not a multiple of 4";
    case POLICY_DECODE_BAD_CODE_POINT:
        return type == POLICY_STRING_BMP ? "surrogate code unit in BMPString"
                                         : "invalid code point in UniversalString";
    case POLICY_DECODE_NOT_IN_CHARSET:
        return "character not allowed in the string type";
    case POLICY_DECODE_NOT_DIRECTORY:
        return "not a directory string type";
    case POLICY_DECODE_OK:
    case POLICY_DECODE_END:
    default:
        return "valid";
    }
}

/* Decodes the whole value into UTF-8; ascii_only refuses anything past
 * U+007F. false when it does not decode or does not fit. */
static bool transcode(policy_string_type type, policy_str value, char *buf, size_t size,
                      size_t *len, bool ascii_only)
{
    /* Names are mostly bytes that are their own ASCII characters: copied
     * as they are, until one is not. */
    size_t n = 0;
    while (n < value.len && n < size && policy_ascii_is_itself(type, (unsigned char)value.ptr[n])) {
        buf[n] = value.ptr[n];
        n++;
    }
    if (n == value.len) {
        *len = n;
        return true;
    }
    size_t room = ascii_only ? 1 : 4; /* the longest one code point may need */
    size_t pos = 0;
    n = 0;
    for (;;) {
        uint32_t cp;
        policy_decode_status st = policy_decode_next(type, value, &pos, &cp);
        if (st == POLICY_DECODE_END)
            break;
        if (st != POLICY_DECODE_OK || (ascii_only && cp >= 0x80) || size - n < room)
            return false;
        if (cp < 0x80)
            buf[n++] = (char)cp;
        else
            n += encode_utf8(cp, buf + n);
    }
    *len = n;
    return true;
}

bool policy_value_to_ascii(policy_string_type type, policy_str value, char *buf, size_t size,
                           size_t *len)
{
    return transcode(type, value, buf, size, len, true);
}

bool policy_value_to_utf8(policy_string_type type, policy_str value, char *buf, size_t size,
                          size_t *len)
{
    return transcode(type, value, buf, size, len, false);
}
