/* SPDX-License-Identifier: Apache-2.0 */
#include "array.h"

#include <stdint.h>
#include <stdlib.h>

void *array_grow(void *items, size_t *cap, size_t n, size_t item_size)
{
    if (n < *cap)
        return items;
    size_t grown_cap = *cap == 0 ? 8 : *cap * 2;
    if (grown_cap < *cap || grown_cap > SIZE_MAX / item_size)
        return NULL;
    void *grown = realloc(items, grown_cap * item_size);
    if (grown != NULL)
        *cap = grown_cap;
    return grown;
}
