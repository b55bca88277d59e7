/* SPDX-License-Identifier: Apache-2.0 */
#include "config_scan.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMDLINE_MAX 65536

bool rolecert_conf_core_key(const char *key)
{
    static const char *const keys[] = {"module", "activate", "identity", "soft_load"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

const char *rolecert_conf_value(STACK_OF(CONF_VALUE) * section, const char *name)
{
    for (int i = 0; i < sk_CONF_VALUE_num(section); i++) {
        CONF_VALUE *v = sk_CONF_VALUE_value(section, i);
        if (v->name != NULL && strcmp(v->name, name) == 0)
            return v->value;
    }
    return NULL;
}

/* Our section in `conf`, or NULL. Looked up section by section (not with
 * NCONF_get_string, which raises "no value" for a missing key). */
static STACK_OF(CONF_VALUE) * find_section(CONF *conf, const char *provider_name)
{
    const char *init = rolecert_conf_value(NCONF_get_section(conf, "default"), "openssl_conf");
    STACK_OF(CONF_VALUE) *init_section = init != NULL ? NCONF_get_section(conf, init) : NULL;
    const char *providers = rolecert_conf_value(init_section, "providers");
    STACK_OF(CONF_VALUE) *list = providers != NULL ? NCONF_get_section(conf, providers) : NULL;
    for (int i = 0; i < sk_CONF_VALUE_num(list); i++) {
        CONF_VALUE *entry = sk_CONF_VALUE_value(list, i);
        STACK_OF(CONF_VALUE) *section = NCONF_get_section(conf, entry->value);
        if (section == NULL)
            continue;
        const char *identity = rolecert_conf_value(section, "identity");
        if (strcmp(identity != NULL ? identity : entry->name, provider_name) == 0)
            return section;
    }
    return NULL;
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
            found = OPENSSL_strdup(buf + next);
        else if (strncmp(arg, "-config=", 8) == 0)
            found = OPENSSL_strdup(arg + 8);
        else if (strncmp(arg, "--config=", 9) == 0)
            found = OPENSSL_strdup(arg + 9);
        i = next;
    }
    free(buf);
    return found;
}

static bool read_one(rolecert_conf_file *f, const char *provider_name, char *error,
                     size_t error_size)
{
    f->conf = NCONF_new(NULL);
    long error_line = 0;
    f->readable = f->conf != NULL && NCONF_load(f->conf, f->path, &error_line) > 0;
    /* A file that is missing or does not parse is simply not one libcrypto
     * loaded; running out of memory while reading it means the check was
     * not done, and that must not count as passing. */
    if (f->conf == NULL ||
        (!f->readable && ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_MALLOC_FAILURE)) {
        snprintf(error, error_size, "rolecert config: out of memory while reading %s", f->path);
        return false;
    }
    if (f->readable)
        f->section = find_section(f->conf, provider_name);
    return true;
}

bool rolecert_conf_files_read(const char *provider_name,
                              rolecert_conf_file files[ROLECERT_CONF_FILES], char *error,
                              size_t error_size)
{
    memset(files, 0, sizeof(*files) * ROLECERT_CONF_FILES);
    ERR_set_mark();
    files[0].path = config_from_cmdline();
    files[1].path = CONF_get1_default_config_file();
    bool ok = true;
    for (size_t i = 0; i < ROLECERT_CONF_FILES && ok; i++)
        if (files[i].path != NULL)
            ok = read_one(&files[i], provider_name, error, error_size);
    ERR_pop_to_mark();
    return ok;
}

void rolecert_conf_files_free(rolecert_conf_file files[ROLECERT_CONF_FILES])
{
    for (size_t i = 0; i < ROLECERT_CONF_FILES; i++) {
        NCONF_free(files[i].conf);
        OPENSSL_free(files[i].path);
        files[i] = (rolecert_conf_file){NULL, false, NULL, NULL};
    }
}
