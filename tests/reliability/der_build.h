/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny DER (and deliberately not-DER) builder for the hostile tests:
 * byte strings grown on the heap, so an overread by the code under test
 * lands on ASan's red zone or valgrind's unaddressable bytes.
 */
#ifndef ROLECERT_TESTS_DER_BUILD_H
#define ROLECERT_TESTS_DER_BUILD_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct bytes {
    unsigned char *p;
    size_t len;
} bytes;

static inline bytes b_raw(const void *data, size_t len)
{
    bytes out = {malloc(len == 0 ? 1 : len), len};
    if (out.p == NULL)
        abort();
    if (len > 0)
        memcpy(out.p, data, len);
    return out;
}

static inline bytes b_str(const char *text)
{
    return b_raw(text, strlen(text));
}

/* Concatenates and frees the parts. */
static inline bytes b_cat(size_t n, const bytes *parts)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += parts[i].len;
    bytes out = {malloc(len == 0 ? 1 : len), len};
    if (out.p == NULL)
        abort();
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].len > 0)
            memcpy(out.p + at, parts[i].p, parts[i].len);
        at += parts[i].len;
        free(parts[i].p);
    }
    return out;
}

#define B_CAT(...) b_cat(sizeof((bytes[]){__VA_ARGS__}) / sizeof(bytes), (bytes[]){__VA_ARGS__})

/* Tag + minimal DER length + contents (frees contents). */
static inline bytes b_tlv(unsigned char tag, bytes contents)
{
    unsigned char header[10];
    size_t n = 0;
    header[n++] = tag;
    if (contents.len < 0x80) {
        header[n++] = (unsigned char)contents.len;
    } else {
        size_t octets = 0;
        for (size_t l = contents.len; l > 0; l >>= 8)
            octets++;
        header[n++] = (unsigned char)(0x80 | octets);
        for (size_t i = octets; i > 0; i--)
            header[n++] = (unsigned char)(contents.len >> (8 * (i - 1)));
    }
    return B_CAT(b_raw(header, n), contents);
}

/* Tag + a long-form length of `octets` octets (non-minimal when the
 * length would fit in fewer): BER, never DER. */
static inline bytes b_tlv_long(unsigned char tag, size_t octets, bytes contents)
{
    unsigned char header[2 + 16];
    size_t n = 0;
    header[n++] = tag;
    header[n++] = (unsigned char)(0x80 | octets);
    for (size_t i = octets; i > 0; i--)
        header[n++] = i > sizeof(size_t) ? 0 : (unsigned char)(contents.len >> (8 * (i - 1)));
    return B_CAT(b_raw(header, n), contents);
}

/* Tag + indefinite length + contents + end-of-contents. */
static inline bytes b_tlv_indefinite(unsigned char tag, bytes contents)
{
    static const unsigned char header_len = 0x80, eoc[2] = {0, 0};
    return B_CAT(b_raw(&tag, 1), b_raw(&header_len, 1), contents, b_raw(eoc, 2));
}

#define b_seq(...) b_tlv(0x30, B_CAT(__VA_ARGS__))
#define b_set(...) b_tlv(0x31, B_CAT(__VA_ARGS__))

static inline bytes b_empty(void)
{
    return b_raw("", 0);
}

#endif
