/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Exchange -SubjectName parser ("C=US, O=Contoso, CN=mail.contoso.com")
 * over arbitrary bytes. Beyond not crashing: a successful parse reports no
 * error, every copy is NUL-terminated at its stated length, RDN indices
 * never decrease, and the policy core accepts the result as input.
 *
 * The first input byte says whether inih cut the line at a comment.
 *
 * And a differential oracle for policy_check_subject_into's pre-screen of
 * plain values: every subject is checked with the pre-screen and with it
 * turned off (every value decoded in full), and the findings must be the
 * same, field by field and in order. The subjects: the parsed one, as
 * UTF8String and as the string type data[0] names; and the input read as
 * raw attribute records (any attribute, type, RDN and bytes).
 */
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "fuzz_check.h"
#include "fuzz_findings.h"
#include "policy_internal.h"
#include "subject_parse.h"

static policy_result check_recorded(const policy_config *cfg, const policy_attribute *attrs,
                                    size_t n, bool prescreen, fuzz_findings *r)
{
    policy_sink sink = fuzz_findings_sink(r);
    policy_result result = policy_check_subject_screened(cfg, attrs, n, &sink, !prescreen);
    /* Without a sink no text is written: the counts must not change. */
    fuzz_results_require_same(policy_check_subject_screened(cfg, attrs, n, NULL, !prescreen),
                              result, "subject without a sink");
    return result;
}

/* The pre-screen is an optimisation only: findings with and without it
 * are identical. */
static void differential(const policy_config *cfg, const policy_attribute *attrs, size_t n)
{
    static fuzz_findings fast;
    static fuzz_findings full;
    policy_result a = check_recorded(cfg, attrs, n, true, &fast);
    policy_result b = check_recorded(cfg, attrs, n, false, &full);
    fuzz_results_require_same(a, b, "subject");
    fuzz_findings_require_same(&fast, &full, "subject");
}

/* The input as attribute records: attribute, string type, a byte whose
 * low bit starts a new RDN, a length, then that many value bytes. Values
 * run up to 255 bytes so every length limit (C 2, 64, 128, DC 255 in all)
 * is in reach; out-of-range enums test the sanitising. */
static size_t read_records(const uint8_t *data, size_t size, policy_attribute *attrs, size_t max)
{
    size_t n = 0;
    size_t rdn = 0;
    size_t pos = 0;
    while (n < max && size - pos >= 4) {
        policy_attribute *a = &attrs[n];
        a->attr = (policy_attr)(data[pos] % (POLICY_ATTR_OTHER + 2));
        a->type = (policy_string_type)(data[pos + 1] % (POLICY_STRING_OTHER + 2));
        if (n > 0 && (data[pos + 2] & 1))
            rdn++;
        a->rdn = rdn;
        size_t len = data[pos + 3];
        pos += 4;
        if (len > size - pos)
            len = size - pos;
        /* A NULL pointer must read as empty, whatever the length says. */
        a->value = (policy_str){(data[pos - 2] & 6) == 6 ? NULL : (const char *)data + pos, len};
        a->label = (policy_str){(const char *)data, data[pos - 2] & 8 ? 0 : 2};
        pos += len;
        n++;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* data[0] chose a flag the parser no longer takes; still skipped so
     * the stored corpus keeps its meaning. */
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    diag_list diag;
    diag_init(&diag, "fuzz.ini");
    subject_list list;
    subject_list_init(&list);
    bool ok = subject_parse(text, len, 7, &list, &diag);
    FUZZ_CHECK(ok == (diag.errors == 0), "parse returned %d with %zu errors", ok, diag.errors);
    if (ok) {
        policy_attribute attrs[64];
        size_t n = 0;
        for (size_t i = 0; i < list.n; i++) {
            const subject_attr *a = &list.items[i];
            FUZZ_CHECK(a->value != NULL && a->value[a->value_len] == '\0',
                       "value %zu not terminated at its length", i);
            FUZZ_CHECK(a->label != NULL && a->label[a->label_len] == '\0',
                       "label %zu not terminated at its length", i);
            FUZZ_CHECK(a->value_len <= len && a->label_len <= len,
                       "attribute %zu longer than input", i);
            FUZZ_CHECK(i == 0 || a->rdn >= list.items[i - 1].rdn, "RDN index decreases at %zu", i);
            FUZZ_CHECK(a->attr == subject_attr_from_name(a->label, a->label_len),
                       "attribute %zu kind does not match its label", i);
            if (n < sizeof(attrs) / sizeof(attrs[0]))
                attrs[n++] = (policy_attribute){.attr = a->attr,
                                                .type = POLICY_STRING_UTF8,
                                                .value = {a->value, a->value_len},
                                                .label = {a->label, a->label_len},
                                                .rdn = a->rdn};
        }
        policy_config cfg;
        policy_config_init(&cfg);
        (void)policy_check_subject(&cfg, attrs, n, NULL);
        differential(&cfg, attrs, n);
        policy_string_type type = (policy_string_type)(data[0] % (POLICY_STRING_OTHER + 1));
        if (type != POLICY_STRING_UTF8) {
            for (size_t i = 0; i < n; i++)
                attrs[i].type = type;
            differential(&cfg, attrs, n);
        }
    }
    {
        policy_attribute records[64];
        size_t n = read_records(data, size, records, sizeof(records) / sizeof(records[0]));
        policy_config cfg;
        policy_config_init(&cfg);
        differential(&cfg, records, n);
        /* Rules turned off must be skipped alike. */
        for (size_t r = 0; r < POLICY_RULE_COUNT; r++) {
            if (data[0] & (1u << (r % 8)))
                cfg.severity[r] = POLICY_SEV_OFF;
        }
        differential(&cfg, records, n);
    }
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull != NULL) {
        diag_print(&diag, devnull);
        fclose(devnull);
    }
    subject_list_free(&list);
    diag_free(&diag);
    return 0;
}
