/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The config files this process loads, read again. The core hands a
 * provider only the keys it asks for, and only from the first config that
 * activated it; so, to see misspelt keys and the sections of later
 * configs, the files are read again here: `-config FILE` from the command
 * line (the openssl CLI loads it after the default file) and OPENSSL_CONF
 * or the default file. Each file's provider section for our name is found
 * through openssl_conf -> providers. Nothing here knows what the keys
 * mean (config.c does).
 */
#ifndef ROLECERT_PROVIDER_CONFIG_SCAN_H
#define ROLECERT_PROVIDER_CONFIG_SCAN_H

#include <openssl/conf.h>

#include <stdbool.h>
#include <stddef.h>

#define ROLECERT_CONF_FILES 2

typedef struct rolecert_conf_file {
    char *path;    /* NULL: no such candidate (OPENSSL_malloc'd) */
    bool readable; /* it parsed */
    CONF *conf;
    STACK_OF(CONF_VALUE) * section; /* our provider section, or NULL */
} rolecert_conf_file;

/* Fills `files`; false only when memory ran out (`error` says so): then
 * nothing can be said about the files. Leaves libcrypto's error queue as
 * it found it. */
bool rolecert_conf_files_read(const char *provider_name,
                              rolecert_conf_file files[ROLECERT_CONF_FILES], char *error,
                              size_t error_size);
void rolecert_conf_files_free(rolecert_conf_file files[ROLECERT_CONF_FILES]);

/* The value of `name` in `section` (no fallback to [default]), or NULL. */
const char *rolecert_conf_value(STACK_OF(CONF_VALUE) * section, const char *name);

/* Keys of a provider section that the core itself consumes. */
bool rolecert_conf_core_key(const char *key);

#endif /* ROLECERT_PROVIDER_CONFIG_SCAN_H */
