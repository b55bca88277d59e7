/* SPDX-License-Identifier: Apache-2.0 */
/* Byte-string helpers: strict UTF-8, ASCII case folding, display quoting. */
#ifndef ROLECERT_CONFGEN_TEXT_H
#define ROLECERT_CONFGEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Decodes one scalar value (no overlongs, no surrogates, at most U+10FFFF).
 * Returns the bytes used, or 0 when the bytes at p are not valid UTF-8. */
size_t utf8_decode(const char *p, size_t len, uint32_t *cp);
/* Appends the UTF-8 form of a scalar value. */
bool utf8_append(strbuf *sb, uint32_t cp);
/* `\u{HEX}` at s (s[0] is the backslash): 1 to 6 hex digits naming a scalar
 * value that is neither NUL nor a control character. Returns the bytes the
 * escape takes, or 0 when it is malformed (then *used_on_error says how far
 * the bad escape reaches, for the message). */
size_t text_parse_unicode_escape(const char *s, size_t len, uint32_t *cp, size_t *used_on_error);
/* C0, DEL and C1 controls. */
bool text_is_control(uint32_t cp);
/* Code points in valid UTF-8 (counts invalid bytes as one each). */
size_t utf8_length(const char *p, size_t len);

/* A NUL-terminated copy of len bytes (p may be NULL when len is 0); NULL
 * when out of memory. */
char *text_copy(const char *p, size_t len);

bool text_equal_ci(const char *a, size_t alen, const char *b, size_t blen);
bool text_equal_ci_cstr(const char *a, size_t alen, const char *b);
char text_ascii_lower(char c);
char text_ascii_upper(char c);
bool text_is_space(char c); /* space or TAB */

/* Appends `'value'` for a message: controls and invalid UTF-8 as \xHH, so a
 * diagnostic is always one printable line. */
bool text_append_quoted(strbuf *sb, const char *p, size_t len);

#endif
