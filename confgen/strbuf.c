/* SPDX-License-Identifier: Apache-2.0 */
#include "strbuf.h"

#include "array.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void strbuf_free(strbuf *sb)
{
    free(sb->data);
    strbuf_init(sb);
}

void strbuf_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->data != NULL)
        sb->data[0] = '\0';
}

static bool strbuf_reserve(strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra >= SIZE_MAX - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap == 0 ? 64 : sb->cap;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *grown = realloc(sb->data, cap);
    if (grown == NULL) {
        sb->failed = true;
        return false;
    }
    sb->data = grown;
    sb->cap = cap;
    return true;
}

bool strbuf_append(strbuf *sb, const char *bytes, size_t len)
{
    if (!strbuf_reserve(sb, len))
        return false;
    if (len > 0)
        memcpy(sb->data + sb->len, bytes, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
    return true;
}

bool strbuf_append_str(strbuf *sb, const char *text)
{
    return strbuf_append(sb, text, strlen(text));
}

bool strbuf_append_char(strbuf *sb, char c)
{
    return strbuf_append(sb, &c, 1);
}

bool strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list probe;
    va_copy(probe, ap);
    int needed = vsnprintf(NULL, 0, fmt, probe);
    va_end(probe);
    if (needed < 0) {
        sb->failed = true;
        return false;
    }
    if (!strbuf_reserve(sb, (size_t)needed))
        return false;
    vsnprintf(sb->data + sb->len, (size_t)needed + 1, fmt, ap);
    sb->len += (size_t)needed;
    return true;
}

bool strbuf_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return ok;
}

char *strbuf_detach(strbuf *sb, size_t *len)
{
    if (!strbuf_reserve(sb, 0))
        return NULL;
    char *out = sb->data;
    if (len != NULL)
        *len = sb->len;
    strbuf_init(sb);
    return out;
}

bool array_make_room(void *items_ptr, size_t n, size_t *cap, size_t size)
{
    void *items;
    memcpy(&items, items_ptr, sizeof(items));
    void *grown = array_grow(items, cap, n, size);
    if (grown == NULL)
        return false;
    memcpy(items_ptr, &grown, sizeof(grown));
    return true;
}
