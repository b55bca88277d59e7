/* SPDX-License-Identifier: Apache-2.0 */
/* Prints the ISO 3166-1 table compiled into the policy core, one
 * "ALPHA2 ALPHA3 Name" per line, for scripts/gen-country-codes.py --compare. */
#include "policy_internal.h"

#include <stdio.h>

int main(void)
{
    for (size_t i = 0; i < policy_country_code_count(); i++) {
        const policy_country *c = policy_country_at(i);
        printf("%s %s %s\n", c->alpha2, c->alpha3, c->name);
    }
    return 0;
}
