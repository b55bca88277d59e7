/* SPDX-License-Identifier: Apache-2.0 */
#include "delegate.h"
#include "config_scan.h"
#include "prov.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/provider.h>

#include <stdio.h>
#include <string.h>

/* Keys and names are copied into a config text: only plain ones, so that
 * none can write into another section (`other::key`) or start a comment. */
static bool plain_name(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) >= ROLECERT_DELEGATE_NAME_MAX)
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

/* A value as a quoted config string: inside quotes nothing expands and
 * `\X` is a literal X. Control characters cannot be written back: refused. */
static bool append_quoted(BIO *out, const char *value)
{
    if (BIO_write(out, "\"", 1) != 1)
        return false;
    for (const char *p = value; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
        if ((*p == '\\' || *p == '"') && BIO_write(out, "\\", 1) != 1)
            return false;
        if (BIO_write(out, p, 1) != 1)
            return false;
    }
    return BIO_write(out, "\"\n", 2) == 2;
}

/* Settings a delegate needs to list its algorithms when it is loaded
 * (rolecert wraps them then, once), added when the section lacks them:
 * pkcs11-provider otherwise initialises its PKCS#11 module on first use
 * and offers no signature until then. */
static const struct {
    const char *provider, *key, *value;
} load_settings[] = {
    {"pkcs11", "pkcs11-module-load-behavior", "early"},
};

char *rolecert_delegate_conf_text(const char *name, STACK_OF(CONF_VALUE) * settings, char *error,
                                  size_t error_size)
{
    if (!plain_name(name)) {
        snprintf(error, error_size,
                 "rolecert config: delegate = '%s': expected a provider name (letters, digits, "
                 "'_', '-', '.')",
                 name);
        return NULL;
    }
    BIO *out = BIO_new(BIO_s_mem());
    bool ok = out != NULL &&
              BIO_printf(out,
                         "openssl_conf = rolecert_delegate_init\n"
                         "[rolecert_delegate_init]\nproviders = rolecert_delegate_providers\n"
                         "[rolecert_delegate_providers]\n%s = rolecert_delegate_settings\n",
                         name) > 0;
    if (ok && strcmp(name, ROLECERT_DELEGATE_DEFAULT) != 0)
        ok = BIO_printf(out,
                        "%s = rolecert_delegate_default\n"
                        "[rolecert_delegate_default]\nactivate = 1\n",
                        ROLECERT_DELEGATE_DEFAULT) > 0;
    ok = ok && BIO_printf(out, "[rolecert_delegate_settings]\nactivate = 1\n") > 0;
    for (size_t i = 0; ok && i < sizeof(load_settings) / sizeof(load_settings[0]); i++)
        if (strcmp(load_settings[i].provider, name) == 0 &&
            rolecert_conf_value(settings, load_settings[i].key) == NULL)
            ok = BIO_printf(out, "%s = %s\n", load_settings[i].key, load_settings[i].value) > 0;
    for (int i = 0; ok && i < sk_CONF_VALUE_num(settings); i++) {
        const CONF_VALUE *v = sk_CONF_VALUE_value(settings, i);
        if (v->name == NULL || v->value == NULL || strcmp(v->name, "activate") == 0)
            continue;
        if (!plain_name(v->name)) {
            snprintf(error, error_size,
                     "rolecert config: key '%s' of the delegate's section '%s': not a plain key",
                     v->name, v->section != NULL ? v->section : "?");
            BIO_free(out);
            return NULL;
        }
        ok = BIO_printf(out, "%s = ", v->name) > 0 && append_quoted(out, v->value);
        if (!ok) {
            snprintf(error, error_size,
                     "rolecert config: the value of '%s' in the delegate's section '%s' holds a "
                     "control character",
                     v->name, v->section != NULL ? v->section : "?");
            BIO_free(out);
            return NULL;
        }
    }
    char *data = NULL;
    long len = ok ? BIO_get_mem_data(out, &data) : 0;
    char *text = len > 0 ? OPENSSL_strndup(data, (size_t)len) : NULL;
    BIO_free(out);
    if (text == NULL)
        snprintf(error, error_size, "rolecert config: out of memory for the delegate's settings");
    return text;
}

const char *rolecert_conf_provider_beside(CONF *conf, const char *own_name)
{
    /* Providers without keys of their own to sign with. */
    static const char *const keyless[] = {"default", "base", "legacy", "null"};
    /* Section by section: NCONF_get_string raises "no value" errors. */
    const char *init = rolecert_conf_value(NCONF_get_section(conf, "default"), "openssl_conf");
    const char *providers =
        init != NULL ? rolecert_conf_value(NCONF_get_section(conf, init), "providers") : NULL;
    STACK_OF(CONF_VALUE) *list = providers != NULL ? NCONF_get_section(conf, providers) : NULL;
    for (int i = 0; i < sk_CONF_VALUE_num(list); i++) {
        const CONF_VALUE *entry = sk_CONF_VALUE_value(list, i);
        const char *identity =
            rolecert_conf_value(NCONF_get_section(conf, entry->value), "identity");
        const char *name = identity != NULL ? identity : entry->name;
        bool harmless = strcmp(name, own_name) == 0;
        for (size_t k = 0; k < sizeof(keyless) / sizeof(keyless[0]); k++)
            harmless = harmless || strcmp(name, keyless[k]) == 0;
        if (!harmless)
            return name;
    }
    return NULL;
}

bool rolecert_delegate_load(rolecert_delegate *d, const char *name, const char *conf_text)
{
    d->name = name;
    d->libctx = OSSL_LIB_CTX_new();
    if (d->libctx == NULL)
        return false;
    if (conf_text != NULL) {
        /* The delegate reads its settings through the core, from a
         * config loaded into this library context only. */
        CONF *conf = NCONF_new_ex(d->libctx, NULL);
        BIO *in = BIO_new_mem_buf(conf_text, -1);
        long line = 0;
        bool ok = conf != NULL && in != NULL && NCONF_load_bio(conf, in, &line) > 0 &&
                  CONF_modules_load(conf, NULL, 0) > 0;
        BIO_free(in);
        NCONF_free(conf);
        if (!ok)
            return false;
    } else if (strcmp(name, ROLECERT_DELEGATE_DEFAULT) != 0 &&
               OSSL_PROVIDER_load(d->libctx, ROLECERT_DELEGATE_DEFAULT) == NULL) {
        return false;
    }
    d->prov = OSSL_PROVIDER_load(d->libctx, name);
    if (d->prov == NULL)
        return false;
    d->provctx = OSSL_PROVIDER_get0_provider_ctx(d->prov);
    d->source[0] = (rolecert_delegate_source){name, d->prov, d->provctx, {NULL, NULL}};
    if (strcmp(name, ROLECERT_DELEGATE_DEFAULT) == 0)
        return true;
    OSSL_PROVIDER *fallback = OSSL_PROVIDER_load(d->libctx, ROLECERT_DELEGATE_DEFAULT);
    if (fallback == NULL)
        return false;
    d->source[1] = (rolecert_delegate_source){ROLECERT_DELEGATE_DEFAULT,
                                              fallback,
                                              OSSL_PROVIDER_get0_provider_ctx(fallback),
                                              {NULL, NULL}};
    return true;
}
