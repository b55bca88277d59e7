/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unknown keys in the provider's section. The core hands a provider only
 * the keys it asks for, so a misspelt rule id would be silently ignored.
 * To fail closed on it, the config file that openssl loaded is read again
 * (OPENSSL_CONF or the default file, and `-config FILE` of the openssl
 * command line), our section is found through openssl_conf -> providers,
 * and, when its known keys hold exactly the values the core gave us (so it
 * is the same file), every other key is an error.
 */
#ifndef ROLECERT_PROVIDER_CONFIG_SCAN_H
#define ROLECERT_PROVIDER_CONFIG_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* false (with `error` naming the key) when the section that was loaded
 * holds a key we do not know. true when it does not, or when the file
 * cannot be identified. */
bool rolecert_config_scan_unknown(const char *provider_name, const char *const *keys,
                                  const char *const *values, size_t n_keys, char *error,
                                  size_t error_size);

#endif /* ROLECERT_PROVIDER_CONFIG_SCAN_H */
