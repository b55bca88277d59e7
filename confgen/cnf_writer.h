/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the openssl.cnf sections of docs/generated-config.md. Every key
 * comes from a fixed table (the DN keys from cnf_keys.h); every value that
 * came from the profile goes through cnf_encode_value(), the one encoder.
 */
#ifndef ROLECERT_CONFGEN_CNF_WRITER_H
#define ROLECERT_CONFGEN_CNF_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include <rolecert/policy.h>

#include "cnf_keys.h" /* the DN keys the writer writes */
#include "strbuf.h"

struct profile;

#define CNF_PREFIX_MAX 32
#define CNF_DEFAULT_PREFIX "req"

/* `"` + bytes with \ and " escaped + `"`. Returns false (writing nothing)
 * for NUL or a control character, which NCONF cannot carry safely. */
bool cnf_encode_value(strbuf *out, const char *value, size_t len);

/* [A-Za-z][A-Za-z0-9_]*, at most CNF_PREFIX_MAX characters. */
bool cnf_prefix_valid(const char *prefix);

typedef struct cnf_options {
    const char *prefix;       /* section prefix */
    const char *profile_name; /* for the header comment (basename) */
    const char *command;      /* the openssl req command, for the header comment */
    /* --enforce: add the activation block of docs/provider.md that loads
     * rolecert.so (from module_path) with the profile's [policy]. */
    bool enforce;
    const char *module_path;
} cnf_options;

/* Appends the whole file. On false, *why says what was refused. */
bool cnf_write(strbuf *out, const struct profile *p, const cnf_options *opt, const char **why);

#endif
