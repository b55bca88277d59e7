/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include "config_scan.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const extra_keys[] = {ROLECERT_CONF_MODE,
                                         ROLECERT_CONF_REPORT,
                                         ROLECERT_CONF_PERMITTED,
                                         ROLECERT_CONF_PREHASHED,
                                         ROLECERT_CONF_CA,
                                         ROLECERT_CONF_DELEGATE,
                                         ROLECERT_CONF_DELEGATE_SECTION};
#define N_EXTRA_KEYS (sizeof(extra_keys) / sizeof(extra_keys[0]))

static policy_str str_of(const char *s)
{
    return (policy_str){s, strlen(s)};
}

static bool equal_ci(const char *value, const char *word)
{
    return policy_str_equal_ci(str_of(value), str_of(word));
}

bool rolecert_settings_key_known(const char *key, size_t len)
{
    /* Exact case: the core matches keys with strcmp, so "DNS-Syntax" would
     * never reach us and must count as unknown. */
    for (size_t i = 0; i < N_EXTRA_KEYS; i++)
        if (strlen(extra_keys[i]) == len && memcmp(extra_keys[i], key, len) == 0)
            return true;
    const policy_rule_info *rule = policy_rule_find((policy_str){key, len});
    return rule != NULL && strlen(rule->id) == len && memcmp(rule->id, key, len) == 0;
}

typedef struct parse_ctx {
    rolecert_settings *s;
    char *error;
    size_t error_size;
} parse_ctx;

static bool bad_value(parse_ctx *c, const char *key, const char *value, const char *expected)
{
    snprintf(c->error, c->error_size, "rolecert config (%s): %s = '%s': %s", c->s->origin, key,
             value, expected);
    return false;
}

static bool load_rule(parse_ctx *c, const char *key, const char *value)
{
    switch (policy_config_set(&c->s->policy, str_of(key), str_of(value))) {
    case POLICY_CONFIG_OK:
        return true;
    case POLICY_CONFIG_NOT_CONFIGURABLE:
        return bad_value(c, key, value, "this rule cannot be changed");
    case POLICY_CONFIG_BAD_SEVERITY:
        return bad_value(c, key, value, "expected error, warning, notice or off");
    default:
        return bad_value(c, key, value, "not accepted");
    }
}

static bool load_permitted(parse_ctx *c, const char *value)
{
    rolecert_settings *s = c->s;
    s->permitted_storage = strdup(value);
    if (s->permitted_storage == NULL)
        return bad_value(c, ROLECERT_CONF_PERMITTED, value, "out of memory");
    const char *separators = ", \t";
    char *p = s->permitted_storage;
    while (*p != '\0') {
        size_t skip = strspn(p, separators);
        p += skip;
        size_t n = strcspn(p, separators);
        if (n == 0)
            break;
        policy_str domain = {p, n};
        policy_config_result r = policy_config_add_permitted(&s->policy, domain);
        if (r != POLICY_CONFIG_OK) {
            snprintf(c->error, c->error_size, "rolecert config (%s): permitted_domains: '%.*s': %s",
                     s->origin, (int)n, p,
                     r == POLICY_CONFIG_TOO_MANY ? "too many domains" : "not a DNS domain name");
            return false;
        }
        p += n;
    }
    if (s->policy.n_permitted == 0)
        return bad_value(c, ROLECERT_CONF_PERMITTED, value, "no domain given");
    return true;
}

static bool load_report(parse_ctx *c, const char *value)
{
    rolecert_settings *s = c->s;
    if (equal_ci(value, "off")) {
        s->report_fd = -1;
        return true;
    }
    if (equal_ci(value, "stderr")) {
        s->report_fd = STDERR_FILENO;
        return true;
    }
    if (value[0] != '/')
        return bad_value(c, ROLECERT_CONF_REPORT, value,
                         "expected stderr, off or an absolute file path");
    int fd = open(value, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0)
        return bad_value(c, ROLECERT_CONF_REPORT, value, strerror(errno));
    s->report_fd = fd;
    s->report_fd_owned = true;
    return true;
}

static void settings_free(rolecert_settings *s)
{
    if (s->report_fd_owned && s->report_fd >= 0)
        close(s->report_fd);
    s->report_fd = -1;
    s->report_fd_owned = false;
    free(s->permitted_storage);
    s->permitted_storage = NULL;
}

/* One section's values (NULL: key absent) into `s`; false with `error`
 * naming the key when one is not understood. */
static bool settings_parse(rolecert_settings *s, const char *origin, const char *const *keys,
                           const char *const *values, size_t n_keys, char *error, size_t error_size)
{
    policy_config_init(&s->policy);
    s->mode = ROLECERT_MODE_ENFORCE;
    s->report_fd = STDERR_FILENO;
    s->report_fd_owned = false;
    s->refuse_prehashed = false;
    s->check_prehashed = false;
    s->permitted_storage = NULL;
    snprintf(s->origin, sizeof(s->origin), "%s", origin);
    parse_ctx c = {s, error, error_size};

    const char *report_value = NULL;
    for (size_t i = 0; i < n_keys; i++) {
        const char *key = keys[i];
        const char *value = values[i];
        /* The delegate is the provider's, not a policy's (delegate.h). */
        if (value == NULL || strcmp(key, ROLECERT_CONF_DELEGATE) == 0 ||
            strcmp(key, ROLECERT_CONF_DELEGATE_SECTION) == 0)
            continue;
        bool ok = true;
        if (strcmp(key, ROLECERT_CONF_MODE) == 0) {
            if (equal_ci(value, "enforce"))
                s->mode = ROLECERT_MODE_ENFORCE;
            else if (equal_ci(value, "audit"))
                s->mode = ROLECERT_MODE_AUDIT;
            else
                ok = bad_value(&c, key, value, "expected enforce or audit");
        } else if (strcmp(key, ROLECERT_CONF_PREHASHED) == 0) {
            s->refuse_prehashed = equal_ci(value, "refuse");
            s->check_prehashed = equal_ci(value, "check");
            if (!s->refuse_prehashed && !s->check_prehashed && !equal_ci(value, "allow"))
                ok = bad_value(&c, key, value, "expected allow, check or refuse");
        } else if (strcmp(key, ROLECERT_CONF_CA) == 0) {
            /* Kept so that old configs saying `check` still load; `skip` is
             * refused rather than ignored: CA:TRUE never exempts a name
             * (a CA is not asked for a SAN anyway). */
            if (!equal_ci(value, "check"))
                ok = bad_value(&c, key, value,
                               "expected check: CA certificates are always checked now, since "
                               "CA:TRUE never exempts a name; remove the line");
        } else if (strcmp(key, ROLECERT_CONF_REPORT) == 0) {
            report_value = value; /* opened last: a bad key elsewhere must not create it */
            continue;
        } else if (strcmp(key, ROLECERT_CONF_PERMITTED) == 0) {
            ok = load_permitted(&c, value);
        } else {
            ok = load_rule(&c, key, value);
        }
        if (!ok) {
            settings_free(s);
            return false;
        }
    }
    if (report_value != NULL && !load_report(&c, report_value)) {
        settings_free(s);
        return false;
    }
    return true;
}

enum { N_KEYS = POLICY_RULE_COUNT + N_EXTRA_KEYS };

/* The same section when every key we know holds what the core told us. */
static bool same_values(STACK_OF(CONF_VALUE) * section, const char *const *keys,
                        const char *const *values)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        /* The core turns a value naming a section into that section's
         * keys (`delegate_section.module`, ...): it never passes it. */
        if (strcmp(keys[i], ROLECERT_CONF_DELEGATE_SECTION) == 0)
            continue;
        const char *in_file = rolecert_conf_value(section, keys[i]);
        if ((in_file == NULL) != (values[i] == NULL))
            return false;
        if (in_file != NULL && strcmp(in_file, values[i]) != 0)
            return false;
    }
    return true;
}

__attribute__((format(printf, 2, 3))) static bool refuse(rolecert_policies *p, const char *fmt, ...)
{
    p->refuse_all = true;
    va_list args;
    va_start(args, fmt);
    vsnprintf(p->error, sizeof(p->error), fmt, args);
    va_end(args);
    return false;
}

static bool unknown_keys(rolecert_policies *p, const rolecert_conf_file *f)
{
    for (int i = 0; i < sk_CONF_VALUE_num(f->section); i++) {
        const char *key = sk_CONF_VALUE_value(f->section, i)->name;
        if (!rolecert_conf_core_key(key) && !rolecert_settings_key_known(key, strlen(key)))
            return refuse(p,
                          "rolecert config: unknown key '%s' in %s (known: the rule ids, "
                          "permitted_domains, mode, report, prehashed, ca_certificates, delegate, "
                          "delegate_section)",
                          key, f->path);
    }
    return true;
}

/* One more policy, from a section; false (refusing) when not understood. */
static bool add_policy(rolecert_policies *p, const char *origin, const char *const *keys,
                       const char *const *values)
{
    rolecert_settings *s = &p->set[p->n];
    if (!settings_parse(s, origin, keys, values, N_KEYS, p->error, sizeof(p->error))) {
        p->refuse_all = true;
        return false;
    }
    p->n++;
    p->refuse_prehashed = p->refuse_prehashed || s->refuse_prehashed;
    p->check_prehashed = (p->check_prehashed || s->check_prehashed) && !p->refuse_prehashed;
    return true;
}

static const char *key_value(const char *const *keys, const char *const *values, const char *key)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i], key) == 0)
            return values[i];
    return NULL;
}

/* `delegate` and `delegate_section` of the activating section. The
 * delegate's settings are read from the file itself: the core hands us
 * only our own section. */
static bool load_delegate_settings(rolecert_policies *p, const char *const *keys,
                                   const char *const *values, const rolecert_conf_file *file)
{
    const char *name = key_value(keys, values, ROLECERT_CONF_DELEGATE);
    /* Only the file has it: the core passes the section's keys instead. */
    const char *section_name =
        file != NULL ? rolecert_conf_value(file->section, ROLECERT_CONF_DELEGATE_SECTION) : NULL;
    if (name == NULL)
        name = ROLECERT_DELEGATE_DEFAULT;
    if (strlen(name) >= sizeof(p->delegate))
        return refuse(p, "rolecert config: delegate = '%.64s...': name too long", name);
    snprintf(p->delegate, sizeof(p->delegate), "%s", name);
    STACK_OF(CONF_VALUE) *settings = NULL;
    if (section_name != NULL) {
        settings = file != NULL ? NCONF_get_section(file->conf, section_name) : NULL;
        if (settings == NULL)
            return refuse(p, "rolecert config: delegate_section = '%s': no such section in %s",
                          section_name, file != NULL ? file->path : "the config");
    }
    if (section_name == NULL && strcmp(name, ROLECERT_DELEGATE_DEFAULT) == 0)
        return true;
    char error[256];
    p->delegate_conf = rolecert_delegate_conf_text(name, settings, error, sizeof(error));
    return p->delegate_conf != NULL || refuse(p, "%s", error);
}

bool rolecert_policies_load(rolecert_policies *p, const OSSL_CORE_HANDLE *handle,
                            OSSL_FUNC_core_get_params_fn *get_params)
{
    memset(p, 0, sizeof(*p));
    /* The core answers only the keys it is asked for, so ask for all, and
     * for the core's own, which tell whether a config section exists. */
    const char *keys[N_KEYS];
    char *values[N_KEYS];
    char *module = NULL, *activate = NULL, *provider_name = NULL;
    OSSL_PARAM params[N_KEYS + 4];
    const policy_rule_info *rules = policy_rule_table();
    for (size_t i = 0; i < N_KEYS; i++) {
        keys[i] = i < N_EXTRA_KEYS ? extra_keys[i] : rules[i - N_EXTRA_KEYS].id;
        values[i] = NULL;
        params[i] = OSSL_PARAM_construct_utf8_ptr(keys[i], &values[i], 0);
    }
    params[N_KEYS] = OSSL_PARAM_construct_utf8_ptr("module", &module, 0);
    params[N_KEYS + 1] = OSSL_PARAM_construct_utf8_ptr("activate", &activate, 0);
    params[N_KEYS + 2] =
        OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_CORE_PROV_NAME, &provider_name, 0);
    params[N_KEYS + 3] = OSSL_PARAM_construct_end();
    if (get_params == NULL || !get_params(handle, params))
        return refuse(p, "rolecert config: cannot read the provider's section");
    const char *const *core_values = (const char *const *)values;
    bool core_has_section = module != NULL || activate != NULL;
    for (size_t i = 0; i < N_KEYS; i++)
        core_has_section = core_has_section || values[i] != NULL;

    rolecert_conf_file files[ROLECERT_CONF_FILES] = {{NULL, false, NULL, NULL}};
    char error[256];
    if (provider_name == NULL ||
        !rolecert_conf_files_read(provider_name, files, error, sizeof(error))) {
        rolecert_conf_files_free(files);
        return refuse(p, "%s", provider_name == NULL ? "rolecert config: no provider name" : error);
    }
    bool ok = true;
    int matched = -1;
    for (int i = 0; i < ROLECERT_CONF_FILES && ok; i++) {
        if (files[i].section == NULL)
            continue;
        ok = unknown_keys(p, &files[i]);
        if (matched < 0 && same_values(files[i].section, keys, core_values))
            matched = i;
    }
    if (ok && core_has_section && matched < 0) {
        char tried[512];
        snprintf(tried, sizeof(tried), "%s%s%s", files[0].path != NULL ? files[0].path : "",
                 files[0].path != NULL && files[1].path != NULL ? ", " : "",
                 files[1].path != NULL ? files[1].path : "");
        ok = refuse(p,
                    "rolecert config: the config file that activated rolecert could not be read "
                    "again (tried: %s), so its section was not checked for unknown keys; give "
                    "OPENSSL_CONF or -config a regular file, not a pipe or a process "
                    "substitution such as <(...)",
                    tried);
    }
    if (ok)
        ok = add_policy(p, matched >= 0 ? files[matched].path : "the provider's section", keys,
                        core_values);
    if (ok)
        ok = load_delegate_settings(p, keys, core_values, matched >= 0 ? &files[matched] : NULL);
    for (int i = 0; i < ROLECERT_CONF_FILES && ok; i++) {
        const char *beside =
            files[i].readable ? rolecert_conf_provider_beside(files[i].conf, provider_name) : NULL;
        if (beside != NULL)
            snprintf(p->beside, sizeof(p->beside), "%s", beside);
        if (beside != NULL)
            ok = refuse(p,
                        "rolecert config: %s activates the provider '%s' beside rolecert: keys it "
                        "holds would sign without rolecert's check; remove its activation and put "
                        "'delegate = %s' (and 'delegate_section = <its section>') in rolecert's "
                        "section, so that rolecert stands in front of it",
                        files[i].path, beside, beside);
    }
    /* The other files' sections: the core never configured us from them. */
    for (int i = 0; i < ROLECERT_CONF_FILES && ok; i++) {
        STACK_OF(CONF_VALUE) *section = files[i].section;
        if (section == NULL || i == matched || same_values(section, keys, core_values))
            continue;
        const char *file_values[N_KEYS];
        for (size_t k = 0; k < N_KEYS; k++)
            file_values[k] = rolecert_conf_value(section, keys[k]);
        ok = add_policy(p, files[i].path, keys, file_values);
    }
    rolecert_conf_files_free(files);
    return ok;
}

void rolecert_policies_free(rolecert_policies *p)
{
    OPENSSL_free(p->delegate_conf);
    p->delegate_conf = NULL;
    for (size_t i = 0; i < p->n; i++)
        settings_free(&p->set[i]);
    p->n = 0;
}

void rolecert_report(const rolecert_settings *s, const char *line, size_t len)
{
    if (s->report_fd < 0)
        return;
    /* One write() per line: concurrent signers never interleave inside a
     * line. A failed report must not change the verdict. */
    ssize_t written;
    do {
        written = write(s->report_fd, line, len);
    } while (written < 0 && errno == EINTR);
}

void rolecert_report_all(const rolecert_policies *p, const char *line, size_t len)
{
    for (size_t i = 0; i < p->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || p->set[j].report_fd == p->set[i].report_fd;
        if (!seen)
            rolecert_report(&p->set[i], line, len);
    }
}
