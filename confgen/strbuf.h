/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable byte buffer. Every append reports allocation failure instead of
 * truncating; the buffer always keeps a NUL after its bytes so that it can be
 * handed to printf-style output, but its length is authoritative.
 */
#ifndef ROLECERT_CONFGEN_STRBUF_H
#define ROLECERT_CONFGEN_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; the contents are incomplete */
} strbuf;

void strbuf_init(strbuf *sb);
void strbuf_free(strbuf *sb);
void strbuf_reset(strbuf *sb);
bool strbuf_append(strbuf *sb, const char *bytes, size_t len);
bool strbuf_append_str(strbuf *sb, const char *text);
bool strbuf_append_char(strbuf *sb, char c);
bool strbuf_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the bytes to the caller (NUL-terminated, never NULL unless allocation
 * failed) and leaves the buffer empty. */
char *strbuf_detach(strbuf *sb, size_t *len);

/* Room for one more element in a growable array: items_ptr is the address
 * of the array pointer, which holds n of *cap elements of `size` bytes; the
 * capacity doubles from 8. false when out of memory (the array is kept). */
bool array_make_room(void *items_ptr, size_t n, size_t *cap, size_t size);

#endif
