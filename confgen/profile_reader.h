/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads a role profile (INI) with inih, closing Debian inih's traps: every
 * physical line is seen by our own reader first (line numbers, UTF-8 and
 * control characters, section headers, the value), so inih never splits a
 * long line, never cuts a value at " ;", never continues an indented line,
 * and never truncates a section name.
 * The result is a flat list of (key, decoded value, line) entries; what the
 * values mean is profile.c's business.
 */
#ifndef ROLECERT_CONFGEN_PROFILE_READER_H
#define ROLECERT_CONFGEN_PROFILE_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strbuf.h"

/* The largest profile read, so a wrong path (a device, a log) fails fast. */
#define PROFILE_MAX_BYTES (1024u * 1024u)

typedef enum profile_section {
    SECTION_ROLE,
    SECTION_SUBJECT,
    SECTION_NAMES,
    SECTION_KEY,
    SECTION_OUTPUT,
    SECTION_POLICY,
    SECTION_COUNT
} profile_section;

typedef enum profile_key {
    KEY_ROLE_TYPE,
    KEY_ROLE_FQDN,
    KEY_ROLE_ACCEPTED_DOMAINS,
    KEY_ROLE_CONNECTOR_FQDN,
    KEY_ROLE_NETBIOS,
    KEY_ROLE_AUTODISCOVER,
    KEY_ROLE_LOAD_BALANCED,
    KEY_ROLE_WILDCARD,
    KEY_SUBJECT_NAME,
    KEY_SUBJECT_C,
    KEY_SUBJECT_DC,
    KEY_SUBJECT_ST, /* also spelled S */
    KEY_SUBJECT_L,
    KEY_SUBJECT_O,
    KEY_SUBJECT_OU,
    KEY_SUBJECT_CN,
    KEY_NAMES_DNS,
    KEY_KEY_TYPE,
    KEY_KEY_BITS,
    KEY_KEY_CURVE,
    KEY_OUTPUT_KIND,
    KEY_OUTPUT_DAYS,
    KEY_OUTPUT_DIGEST,
    KEY_OUTPUT_ENCODING,
    KEY_OUTPUT_FRIENDLY_NAME,
    KEY_POLICY_PERMITTED_DOMAINS,
    KEY_POLICY_RULE, /* RULE-ID = severity; validated by profile.c */
    KEY_COUNT
} profile_key;

typedef struct profile_entry {
    profile_key key;
    char *name; /* the key as written (NUL-terminated) */
    size_t name_len;
    char *value; /* decoded: quotes and escapes resolved; NUL-terminated copy */
    size_t value_len;
    unsigned line;
} profile_entry;

typedef struct profile_doc {
    profile_entry *entries;
    size_t n;
    size_t cap;
} profile_doc;

void profile_doc_init(profile_doc *doc);
void profile_doc_free(profile_doc *doc);

/* Parses profile text held in memory. Returns false when any error was
 * reported into diag (the entries are then incomplete). */
bool profile_doc_parse(profile_doc *doc, const char *data, size_t len, diag_list *diag);
/* Reads the file fully (at most PROFILE_MAX_BYTES) and parses it. */
bool profile_doc_read(profile_doc *doc, const char *path, diag_list *diag);

const char *profile_section_name(profile_section section);
/* The keys of a section as the hint lists them: "name, C, DC, ...". */
const char *profile_section_keys(profile_section section);

/* Splits a list value (accepted_domains, dns, permitted_domains) at commas
 * and white space. Calls item() for every item; an empty item between two
 * commas is reported and makes the result false. */
typedef bool (*profile_list_item_fn)(void *ctx, const char *item, size_t len);
bool profile_split_list(const char *value, size_t len, profile_list_item_fn item, void *ctx,
                        bool *empty_item);

/* Decodes one value as written after '=' (trimmed): a value in double
 * quotes keeps every character between them, with \" \\ and \u{HEX} as
 * escapes and "" (Windows style) as a quote. Exposed for unit tests. On
 * error returns false and sets *why / *hint. */
bool profile_decode_value(const char *value, size_t len, strbuf *out, strbuf *why,
                          const char **hint);

#endif
