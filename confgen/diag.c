/* SPDX-License-Identifier: Apache-2.0 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "strbuf.h"
#include "text.h"

void diag_init(diag_list *d, const char *file)
{
    memset(d, 0, sizeof(*d));
    d->file = file;
}

void diag_free(diag_list *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].rule_id);
        free(d->items[i].message);
        free(d->items[i].hint);
    }
    free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
}

static char *copy_text(const char *text)
{
    return text != NULL ? text_copy(text, strlen(text)) : NULL;
}

void diag_add(diag_list *d, unsigned line, policy_severity severity, const char *rule_id,
              const char *message, const char *hint)
{
    /* Counted even when the item cannot be stored, so an error still fails
     * the run. */
    if (severity == POLICY_SEV_ERROR)
        d->errors++;
    else if (severity == POLICY_SEV_WARNING)
        d->warnings++;
    else if (severity == POLICY_SEV_NOTICE)
        d->notices++;
    diag_item *items = array_grow(d->items, &d->cap, d->n, sizeof(*items));
    if (items == NULL) {
        d->out_of_memory = true;
        return;
    }
    d->items = items;
    diag_item *item = &d->items[d->n];
    item->line = line;
    item->severity = severity;
    item->rule_id = copy_text(rule_id);
    item->message = copy_text(message);
    item->hint = copy_text(hint);
    if ((rule_id != NULL && item->rule_id == NULL) || item->message == NULL ||
        (hint != NULL && item->hint == NULL)) {
        free(item->rule_id);
        free(item->message);
        free(item->hint);
        d->out_of_memory = true;
        return;
    }
    d->n++;
}

void diag_verrorf(diag_list *d, unsigned line, const char *hint, const char *fmt, va_list ap)
{
    strbuf msg;
    strbuf_init(&msg);
    strbuf_vprintf(&msg, fmt, ap);
    diag_add(d, line, POLICY_SEV_ERROR, NULL, msg.failed ? "(out of memory)" : msg.data, hint);
    strbuf_free(&msg);
}

void diag_errorf(diag_list *d, unsigned line, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verrorf(d, line, hint, fmt, ap);
    va_end(ap);
}

static unsigned sort_key(const diag_item *item)
{
    return item->line == 0 ? ~0u : item->line;
}

void diag_print(diag_list *d, FILE *out)
{
    /* Insertion sort: stable, and lists are short. */
    for (size_t i = 1; i < d->n; i++) {
        diag_item moving = d->items[i];
        size_t j = i;
        while (j > 0 && sort_key(&d->items[j - 1]) > sort_key(&moving)) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = moving;
    }
    for (size_t i = 0; i < d->n; i++) {
        const diag_item *item = &d->items[i];
        if (item->line != 0)
            fprintf(out, "%s:%u: ", d->file, item->line);
        else
            fprintf(out, "%s: ", d->file);
        if (item->rule_id != NULL)
            fprintf(out, "%s[%s]: %s\n", policy_severity_name(item->severity), item->rule_id,
                    item->message);
        else
            fprintf(out, "%s: %s\n", policy_severity_name(item->severity), item->message);
        if (item->hint != NULL && item->hint[0] != '\0')
            fprintf(out, "  hint: %s\n", item->hint);
    }
    if (d->out_of_memory)
        fprintf(out, "%s: error: out of memory while collecting diagnostics\n", d->file);
    fflush(out);
}
