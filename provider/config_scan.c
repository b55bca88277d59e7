/* SPDX-License-Identifier: Apache-2.0 */
#include "config_scan.h"
#include "config.h"

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/crypto.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CANDIDATES 2
#define CMDLINE_MAX 65536

/* Keys of a provider section that the core itself consumes. */
static bool core_key(const char *key)
{
    static const char *const keys[] = {"module", "activate", "identity", "soft_load"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static const char *section_value(STACK_OF(CONF_VALUE) * section, const char *name)
{
    for (int i = 0; i < sk_CONF_VALUE_num(section); i++) {
        CONF_VALUE *v = sk_CONF_VALUE_value(section, i);
        if (v->name != NULL && strcmp(v->name, name) == 0)
            return v->value;
    }
    return NULL;
}

/* Our section in `conf`, or NULL. */
static STACK_OF(CONF_VALUE) * find_section(CONF *conf, const char *provider_name)
{
    const char *init = NCONF_get_string(conf, NULL, "openssl_conf");
    STACK_OF(CONF_VALUE) *init_section = init != NULL ? NCONF_get_section(conf, init) : NULL;
    const char *providers = init_section != NULL ? section_value(init_section, "providers") : NULL;
    STACK_OF(CONF_VALUE) *list = providers != NULL ? NCONF_get_section(conf, providers) : NULL;
    for (int i = 0; i < sk_CONF_VALUE_num(list); i++) {
        CONF_VALUE *entry = sk_CONF_VALUE_value(list, i);
        STACK_OF(CONF_VALUE) *section = NCONF_get_section(conf, entry->value);
        if (section == NULL)
            continue;
        const char *identity = section_value(section, "identity");
        if (strcmp(identity != NULL ? identity : entry->name, provider_name) == 0)
            return section;
    }
    return NULL;
}

/* The same file when every key we know holds what the core told us. */
static bool same_values(STACK_OF(CONF_VALUE) * section, const char *const *keys,
                        const char *const *values, size_t n_keys)
{
    for (size_t i = 0; i < n_keys; i++) {
        const char *in_file = section_value(section, keys[i]);
        if ((in_file == NULL) != (values[i] == NULL))
            return false;
        if (in_file != NULL && strcmp(in_file, values[i]) != 0)
            return false;
    }
    return true;
}

/* The argument after -config / --config on our own command line. */
static char *config_from_cmdline(void)
{
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = malloc(CMDLINE_MAX + 1);
    size_t len = 0;
    ssize_t n = 0;
    while (buf != NULL && len < CMDLINE_MAX && (n = read(fd, buf + len, CMDLINE_MAX - len)) > 0)
        len += (size_t)n;
    close(fd);
    if (buf == NULL)
        return NULL;
    buf[len] = '\0';
    char *found = NULL;
    for (size_t i = 0; i < len && found == NULL;) {
        const char *arg = buf + i;
        size_t arg_len = strlen(arg);
        size_t next = i + arg_len + 1;
        if ((strcmp(arg, "-config") == 0 || strcmp(arg, "--config") == 0) && next < len)
            found = strdup(buf + next);
        else if (strncmp(arg, "-config=", 8) == 0)
            found = strdup(arg + 8);
        else if (strncmp(arg, "--config=", 9) == 0)
            found = strdup(arg + 9);
        i = next;
    }
    free(buf);
    return found;
}

bool rolecert_config_scan_unknown(const char *provider_name, const char *const *keys,
                                  const char *const *values, size_t n_keys, char *error,
                                  size_t error_size)
{
    if (provider_name == NULL)
        return true;
    char *candidates[MAX_CANDIDATES] = {NULL, NULL};
    candidates[0] = config_from_cmdline();
    candidates[1] = CONF_get1_default_config_file();
    bool ok = true;
    bool identified = false;
    for (size_t c = 0; c < MAX_CANDIDATES && ok && !identified; c++) {
        if (candidates[c] == NULL)
            continue;
        CONF *conf = NCONF_new(NULL);
        long error_line = 0;
        ERR_set_mark();
        bool loaded = conf != NULL && NCONF_load(conf, candidates[c], &error_line) > 0;
        /* A file that is missing or does not parse is simply not the one
         * libcrypto loaded; running out of memory while reading it means
         * the check was not done, and that must not count as passing. */
        if (conf == NULL ||
            (!loaded && ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_MALLOC_FAILURE)) {
            snprintf(error, error_size,
                     "rolecert config: out of memory while checking %s for unknown keys",
                     candidates[c]);
            ok = false;
        }
        ERR_pop_to_mark();
        if (loaded) {
            STACK_OF(CONF_VALUE) *section = find_section(conf, provider_name);
            if (section != NULL && same_values(section, keys, values, n_keys)) {
                identified = true;
                for (int i = 0; i < sk_CONF_VALUE_num(section) && ok; i++) {
                    const char *key = sk_CONF_VALUE_value(section, i)->name;
                    if (!core_key(key) && !rolecert_settings_key_known(key, strlen(key))) {
                        snprintf(error, error_size,
                                 "rolecert config: unknown key '%s' in %s (known: the rule "
                                 "ids, permitted_domains, mode, report, prehashed, "
                                 "ca_certificates)",
                                 key, candidates[c]);
                        ok = false;
                    }
                }
            }
        }
        NCONF_free(conf);
    }
    free(candidates[0]);
    OPENSSL_free(candidates[1]);
    return ok;
}
