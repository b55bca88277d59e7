/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Exchange -SubjectName parser ("C=US, O=Contoso, CN=mail.contoso.com")
 * over arbitrary bytes. Beyond not crashing: a successful parse reports no
 * error, every copy is NUL-terminated at its stated length, RDN indices
 * never decrease, and the policy core accepts the result as input.
 *
 * The first input byte says whether inih cut the line at a comment.
 */
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "fuzz_check.h"
#include "subject_parse.h"

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
