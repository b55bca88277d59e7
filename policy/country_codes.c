/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ISO 3166-1 alpha-2 codes, generated from Debian's iso-codes into
 * country_codes.inc (scripts/gen-country-codes.py), sorted by alpha-2.
 */
#include "policy_internal.h"

#include <string.h>

#define COUNTRY(a2, a3, display_name) {a2, a3, display_name},
static const policy_country countries[] = {
#include "country_codes.inc"
};
#undef COUNTRY

_Static_assert(sizeof(countries) / sizeof(countries[0]) == POLICY_COUNTRY_TABLE_SIZE,
               "country table size");

size_t policy_country_code_count(void)
{
    return sizeof(countries) / sizeof(countries[0]);
}

const policy_country *policy_country_at(size_t index)
{
    return index < policy_country_code_count() ? &countries[index] : NULL;
}

const policy_country *policy_country_by_alpha2(const char code[2])
{
    size_t lo = 0;
    size_t hi = policy_country_code_count();
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        /* Two bytes as one number: memcmp's order, without a call. */
        int cmp = ((unsigned char)code[0] << 8 | (unsigned char)code[1]) -
                  ((unsigned char)countries[mid].alpha2[0] << 8 |
                   (unsigned char)countries[mid].alpha2[1]);
        if (cmp == 0)
            return &countries[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const policy_country *policy_country_by_alpha3(const char code[3])
{
    /* Only used to build a hint for an already failed value: linear is fine. */
    for (size_t i = 0; i < policy_country_code_count(); i++) {
        if (memcmp(code, countries[i].alpha3, 3) == 0)
            return &countries[i];
    }
    return NULL;
}

/* policy_country_pair_assigned's bits (see policy_internal.h), built from
 * countries[] at first use. The words are atomic because threads may
 * build them at once (all store the same). */
_Atomic uint64_t policy_country_pairs[POLICY_COUNTRY_PAIR_WORDS];
atomic_bool policy_country_pairs_ready;

void policy_country_pairs_build(void)
{
    uint64_t words[POLICY_COUNTRY_PAIR_WORDS] = {0};
    for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
        unsigned char a = (unsigned char)countries[i].alpha2[0];
        unsigned char b = (unsigned char)countries[i].alpha2[1];
        /* The table holds upper-case pairs only (scripts/gen-country-codes.py). */
        if (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z') {
            unsigned bit = policy_country_pair_bit(a, b);
            words[bit / 64] |= 1ULL << (bit % 64);
        }
    }
    for (size_t w = 0; w < POLICY_COUNTRY_PAIR_WORDS; w++)
        atomic_store_explicit(&policy_country_pairs[w], words[w], memory_order_relaxed);
    atomic_store_explicit(&policy_country_pairs_ready, true, memory_order_release);
}

bool policy_country_code_valid(policy_str code)
{
    return code.ptr != NULL && code.len == 2 &&
           policy_country_pair_assigned((unsigned char)code.ptr[0], (unsigned char)code.ptr[1]);
}
