/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The meaning of a role profile: its role, subject, names, key and output,
 * and the plan computed from them (the subject in DER order, the SAN in the
 * role's order), checked by the policy core before anything is written.
 */
#ifndef ROLECERT_CONFGEN_PROFILE_H
#define ROLECERT_CONFGEN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <rolecert/policy.h>

#include "array.h"
#include "diag.h"
#include "profile_reader.h"
#include "subject_parse.h"

typedef enum role_type { ROLE_EDGE, ROLE_CLIENT_ACCESS, ROLE_CUSTOM } role_type;
typedef enum output_kind { OUTPUT_REQUEST, OUTPUT_SELF_SIGNED } output_kind;

/* Where a SAN name came from, for --explain and for diagnostics. */
typedef enum name_source {
    SOURCE_FQDN,
    SOURCE_CN,
    SOURCE_ACCEPTED_DOMAIN,
    SOURCE_WILDCARD,
    SOURCE_AUTODISCOVER,
    SOURCE_CONNECTOR,
    SOURCE_LOAD_BALANCED,
    SOURCE_NETBIOS,
    SOURCE_DNS
} name_source;

const char *name_source_label(name_source source); /* "accepted domain", "dns=" */

typedef struct san_name {
    char *name; /* lower-case, NUL-terminated copy */
    size_t len;
    name_source source;
    unsigned line;
    char *covered_by; /* in profile.omitted: the wildcard that covers it */
} san_name;

typedef ARRAY_OF(san_name) san_list;

typedef struct profile {
    role_type role;
    unsigned role_line;

    subject_list subject; /* DER order once planned */
    san_list san;         /* what is written, in order */
    /* A name the user wrote twice in one list: checked (dns-duplicate) but
     * not written. */
    san_list repeated;

    /* Host names the role generates that wildcard = yes covers (RFC 6125),
     * left out of the SAN; each with the wildcard that covers it. */
    san_list omitted;

    /* The Send connector FQDN when another name covers it (edge). */
    char *connector_omitted;
    char *connector_covered_by;
    unsigned connector_line;

    policy_key_type key_type; /* POLICY_KEY_RSA, POLICY_KEY_EC or POLICY_KEY_ED25519 */
    unsigned key_bits;        /* rsa: 2048/3072/4096 (or less: key-weak); ec: 256/384 */
    unsigned key_line;        /* the line that set the size (bits or curve), else type */

    output_kind kind;
    bool der; /* [output] encoding = der (-BinaryEncoded) */
    unsigned days;
    char *friendly_name; /* [output] friendly_name, or NULL */
    const char *digest;  /* "sha256" ... (static) */

    policy_config policy;
    /* permitted_domains items live here so the config's pointers stay valid. */
    char **permitted;
    size_t n_permitted;
} profile;

void profile_init(profile *p);
void profile_free(profile *p);

/* Interprets the entries and plans the request. Errors of the profile are
 * reported into diag (exit 2); notices of the generator too. Returns false
 * when the profile is malformed. */
bool profile_build(profile *p, const profile_doc *doc, diag_list *diag);

/* Runs the policy over the plan; findings go to diag with their profile
 * lines. Returns the number of findings of severity error. */
size_t profile_check(const profile *p, diag_list *diag);

#endif
