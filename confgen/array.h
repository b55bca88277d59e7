/* SPDX-License-Identifier: Apache-2.0 */
/* Growable arrays: the one place their capacity doubles. */
#ifndef ROLECERT_CONFGEN_ARRAY_H
#define ROLECERT_CONFGEN_ARRAY_H

#include <stddef.h>

/* A growable array of T: items[0..n) in use, room for cap. */
#define ARRAY_OF(T)                                                                                \
    struct {                                                                                       \
        T *items;                                                                                  \
        size_t n;                                                                                  \
        size_t cap;                                                                                \
    }

/* Room for one more item after n of them: returns items itself while
 * n < *cap, else the array reallocated to twice the capacity (8 at first)
 * with *cap updated. NULL when out of memory; items and *cap are then
 * untouched and still the caller's. */
void *array_grow(void *items, size_t *cap, size_t n, size_t item_size);

#endif
