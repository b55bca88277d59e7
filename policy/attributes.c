/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subject-attribute table of name-policy.md: names, table order,
 * lengths and OIDs. Everything else (the walker, the CLI, the profile
 * reader, the fuzz oracle) looks attributes up here.
 */
#include "policy_internal.h"

#include <string.h>

/* The X.520 types' last arc n (2.5.4.n, contents 55 04 n). */
#define X520_C 0x06
#define X520_ST 0x08
#define X520_L 0x07
#define X520_O 0x0A
#define X520_OU 0x0B
#define X520_CN 0x03

static const unsigned char OID_C[] = {0x55, 0x04, X520_C};
static const unsigned char OID_DC[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19};
static const unsigned char OID_ST[] = {0x55, 0x04, X520_ST};
static const unsigned char OID_L[] = {0x55, 0x04, X520_L};
static const unsigned char OID_O[] = {0x55, 0x04, X520_O};
static const unsigned char OID_OU[] = {0x55, 0x04, X520_OU};
static const unsigned char OID_CN[] = {0x55, 0x04, X520_CN};

/* By n, for the contents 55 04 n (n < 128, a one-octet arc): the table's
 * attribute + 1, 0 where it has none. The walker asks at every subject
 * attribute: one load instead of a scan, and nothing built at start-up. */
static const unsigned char x520_by_arc[0x80] = {
    [X520_C] = POLICY_ATTR_C + 1, [X520_ST] = POLICY_ATTR_ST + 1, [X520_L] = POLICY_ATTR_L + 1,
    [X520_O] = POLICY_ATTR_O + 1, [X520_OU] = POLICY_ATTR_OU + 1, [X520_CN] = POLICY_ATTR_CN + 1,
};

/* attr, name, alias, rank, max_chars, oid, oid_len */
const policy_attr_info policy_attr_table[POLICY_ATTR_OTHER] = {
    [POLICY_ATTR_C] = {POLICY_ATTR_C, "C", NULL, 1, 2, OID_C, sizeof(OID_C)},
    [POLICY_ATTR_DC] = {POLICY_ATTR_DC, "DC", NULL, 1, 0, OID_DC, sizeof(OID_DC)},
    [POLICY_ATTR_ST] = {POLICY_ATTR_ST, "ST", "S", 2, 128, OID_ST, sizeof(OID_ST)},
    [POLICY_ATTR_L] = {POLICY_ATTR_L, "L", NULL, 3, 128, OID_L, sizeof(OID_L)},
    [POLICY_ATTR_O] = {POLICY_ATTR_O, "O", NULL, 4, 64, OID_O, sizeof(OID_O)},
    [POLICY_ATTR_OU] = {POLICY_ATTR_OU, "OU", NULL, 5, 64, OID_OU, sizeof(OID_OU)},
    [POLICY_ATTR_CN] = {POLICY_ATTR_CN, "CN", NULL, 6, 64, OID_CN, sizeof(OID_CN)},
};

const policy_attr_info *policy_attr_info_of(policy_attr attr)
{
    return policy_attr_row(attr);
}

const char *policy_attr_name(policy_attr attr)
{
    const policy_attr_info *info = policy_attr_info_of(attr);
    return info != NULL ? info->name : "attribute";
}

unsigned policy_attr_rank(policy_attr attr)
{
    const policy_attr_info *info = policy_attr_info_of(attr);
    return info != NULL ? info->rank : 0;
}

policy_attr policy_attr_of_name(policy_str name)
{
    for (size_t i = 0; i < POLICY_ATTR_OTHER; i++) {
        const policy_attr_info *info = &policy_attr_table[i];
        if (policy_str_equal_ci(name, (policy_str){info->name, strlen(info->name)}) ||
            (info->alias != NULL &&
             policy_str_equal_ci(name, (policy_str){info->alias, strlen(info->alias)})))
            return info->attr;
    }
    return POLICY_ATTR_OTHER;
}

policy_attr policy_attr_of_oid(const unsigned char *oid, size_t len)
{
    if (len == 3 && oid[0] == 0x55 && oid[1] == 0x04 && oid[2] < 0x80) {
        unsigned char at = x520_by_arc[oid[2]];
        return at != 0 ? (policy_attr)(at - 1) : POLICY_ATTR_OTHER;
    }
    for (size_t i = 0; len > 0 && i < POLICY_ATTR_OTHER; i++) {
        const policy_attr_info *row = &policy_attr_table[i];
        if (row->oid_len == len && memcmp(row->oid, oid, len) == 0)
            return row->attr;
    }
    return POLICY_ATTR_OTHER;
}
