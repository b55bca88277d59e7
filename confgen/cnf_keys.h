/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The openssl.cnf DN key of a subject attribute: what the writer writes and
 * what profile.c checks before anything is planned. The table's attributes
 * take the policy core's names (policy_attr_name); beyond the table only the
 * fixed list of OpenSSL short names here can be written, when a profile
 * lowers rdn-unknown.
 */
#ifndef ROLECERT_CONFGEN_CNF_KEYS_H
#define ROLECERT_CONFGEN_CNF_KEYS_H

#include <stddef.h>

#include <rolecert/policy.h>

#include "strbuf.h"

/* The DN key for an attribute (C, DC, ST, L, O, OU, CN, or an OpenSSL short
 * name from the fixed list for OTHER); NULL when there is none. */
const char *cnf_attribute_key(policy_attr attr, const char *label, size_t label_len);

/* Appends the fixed list, "emailAddress, serialNumber, ...", for hints. */
void cnf_append_extra_attributes(strbuf *out);

#endif
