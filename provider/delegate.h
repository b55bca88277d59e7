/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider rolecert stands in front of (issue 15): `delegate = NAME`
 * in rolecert's section (default `default`), with `delegate_section =
 * SECTION` holding that provider's own settings exactly as they would be
 * in openssl.cnf (module, pkcs11-module-path, ...). It is loaded into
 * rolecert's private library context from a config text made here, so
 * that the delegate reads its settings through the core as it always
 * does; `default` is loaded beside it there (digests, software keys).
 */
#ifndef ROLECERT_PROVIDER_DELEGATE_H
#define ROLECERT_PROVIDER_DELEGATE_H

#include <openssl/conf.h>

#include <stdbool.h>
#include <stddef.h>

#define ROLECERT_CONF_DELEGATE "delegate"
#define ROLECERT_CONF_DELEGATE_SECTION "delegate_section"
#define ROLECERT_DELEGATE_DEFAULT "default"
#define ROLECERT_DELEGATE_NAME_MAX 64

/* The config text that activates `name` with `settings` (NULL: none) in a
 * library context of its own, or NULL with `error` saying why (a key or
 * name that is not plain, out of memory). OPENSSL_free it. */
char *rolecert_delegate_conf_text(const char *name, STACK_OF(CONF_VALUE) * settings, char *error,
                                  size_t error_size);

/* A provider that `conf` activates beside `own_name` and that may hold
 * keys of its own (anything but default, base, legacy, null), or NULL.
 * Such a provider's keys would sign without rolecert. */
const char *rolecert_conf_provider_beside(CONF *conf, const char *own_name);

typedef struct rolecert_delegate rolecert_delegate;
/* Loads `name` (configured by `conf_text` when not NULL) into a new
 * private library context, with `default` beside it. */
bool rolecert_delegate_load(rolecert_delegate *d, const char *name, const char *conf_text);

#endif /* ROLECERT_PROVIDER_DELEGATE_H */
