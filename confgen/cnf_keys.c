/* SPDX-License-Identifier: Apache-2.0 */
#include "cnf_keys.h"

#include "text.h"

/* OpenSSL's short names, written as the key. */
static const char *const extra_attributes[] = {
    "emailAddress",        "serialNumber", "street", "title",    "postalCode",
    "businessCategory",    "givenName",    "SN",     "initials", "pseudonym",
    "generationQualifier", "dnQualifier",
};

#define N_EXTRA (sizeof(extra_attributes) / sizeof(extra_attributes[0]))

const char *cnf_attribute_key(policy_attr attr, const char *label, size_t label_len)
{
    if (attr != POLICY_ATTR_OTHER)
        return policy_attr_name(attr);
    for (size_t i = 0; i < N_EXTRA; i++) {
        if (text_equal_ci_cstr(label, label_len, extra_attributes[i]))
            return extra_attributes[i];
    }
    return NULL;
}

void cnf_append_extra_attributes(strbuf *out)
{
    for (size_t i = 0; i < N_EXTRA; i++)
        strbuf_printf(out, "%s%s", i == 0 ? "" : ", ", extra_attributes[i]);
}
