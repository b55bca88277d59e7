/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential target for work on the walker's speed: the worktree's
 * tbs_parse and tbs_sniff against another revision's (built from git by
 * walker-diff.sh, its symbols renamed old_*), which must agree on every
 * input: status, kind, error text and offset, and every name, pointer for
 * pointer. Never built by CMake; the revision it compares with comes from
 * the command line.
 */
#include <rolecert/tbs.h>

#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"

tbs_status old_tbs_parse(const unsigned char *der, size_t len, tbs_names *out);
tbs_kind old_tbs_sniff(const unsigned char *der, size_t len);

static bool same_text(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static bool same_str(policy_str a, policy_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static void compare(const tbs_names *a, const tbs_names *b)
{
    FUZZ_CHECK(a->kind == b->kind, "kind %d vs %d", a->kind, b->kind);
    FUZZ_CHECK(same_text(a->error, b->error), "error '%s' vs '%s'", a->error ? a->error : "-",
               b->error ? b->error : "-");
    FUZZ_CHECK(a->error_offset == b->error_offset, "error offset %zu vs %zu", a->error_offset,
               b->error_offset);
    FUZZ_CHECK(a->n_subject == b->n_subject, "%zu vs %zu attributes", a->n_subject, b->n_subject);
    for (size_t i = 0; i < a->n_subject; i++) {
        const policy_attribute *x = &a->subject[i], *y = &b->subject[i];
        FUZZ_CHECK(x->attr == y->attr && x->type == y->type && x->rdn == y->rdn,
                   "attribute %zu: kind, string type or RDN", i);
        FUZZ_CHECK(x->value.ptr == y->value.ptr && x->value.len == y->value.len,
                   "attribute %zu: value", i);
        FUZZ_CHECK(same_str(x->label, y->label), "attribute %zu: label", i);
        const tbs_raw_attribute *r = &a->subject_raw[i], *s = &b->subject_raw[i];
        FUZZ_CHECK(r->type_der == s->type_der && r->type_der_len == s->type_der_len &&
                       r->value_tag == s->value_tag,
                   "attribute %zu: raw type or tag", i);
    }
    FUZZ_CHECK(a->n_dns == b->n_dns, "%zu vs %zu dNSNames", a->n_dns, b->n_dns);
    for (size_t i = 0; i < a->n_dns; i++)
        FUZZ_CHECK(a->dns[i].ptr == b->dns[i].ptr && a->dns[i].len == b->dns[i].len, "dNSName %zu",
                   i);
    FUZZ_CHECK(a->n_other_general_names == b->n_other_general_names, "other names");
    FUZZ_CHECK(a->has_san == b->has_san && a->san_critical == b->san_critical &&
                   a->is_ca == b->is_ca && a->has_eku == b->has_eku &&
                   a->eku_server_auth == b->eku_server_auth,
               "SAN, basicConstraints or extendedKeyUsage flags");
    FUZZ_CHECK(a->key_type == b->key_type && a->key_bits == b->key_bits, "key %d/%u vs %d/%u",
               a->key_type, a->key_bits, b->key_type, b->key_bits);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tbs_names old_names, new_names; /* large; one input at a time */
    /* Whatever a walk leaves unset must not decide the comparison. */
    memset(&old_names, 0xA5, sizeof(old_names));
    memset(&new_names, 0xA5, sizeof(new_names));
    tbs_status old_status = old_tbs_parse(data, size, &old_names);
    tbs_status new_status = tbs_parse(data, size, &new_names);
    FUZZ_CHECK(old_status == new_status, "status %d vs %d", old_status, new_status);
    FUZZ_CHECK(old_tbs_sniff(data, size) == tbs_sniff(data, size), "sniff");
    compare(&old_names, &new_names);
    return 0;
}
