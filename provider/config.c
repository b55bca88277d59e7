/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include "config_scan.h"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const extra_keys[] = {ROLECERT_KEY_MODE, ROLECERT_KEY_REPORT,
                                         ROLECERT_KEY_PERMITTED, ROLECERT_KEY_PREHASHED,
                                         ROLECERT_KEY_CA};
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

static bool bad_value(rolecert_settings *s, const char *key, const char *value,
                      const char *expected)
{
    snprintf(s->config_error, sizeof(s->config_error), "rolecert config: %s = '%s': %s", key, value,
             expected);
    return false;
}

static bool load_rule(rolecert_settings *s, const char *key, const char *value)
{
    switch (policy_config_set(&s->policy, str_of(key), str_of(value))) {
    case POLICY_CONFIG_OK:
        return true;
    case POLICY_CONFIG_NOT_CONFIGURABLE:
        return bad_value(s, key, value, "this rule cannot be changed");
    case POLICY_CONFIG_BAD_SEVERITY:
        return bad_value(s, key, value, "expected error, warning, notice or off");
    default:
        return bad_value(s, key, value, "not accepted");
    }
}

static bool load_permitted(rolecert_settings *s, const char *value)
{
    s->permitted_storage = strdup(value);
    if (s->permitted_storage == NULL) {
        return bad_value(s, ROLECERT_KEY_PERMITTED, value, "out of memory");
    }
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
            snprintf(s->config_error, sizeof(s->config_error),
                     "rolecert config: permitted_domains: '%.*s': %s", (int)n, p,
                     r == POLICY_CONFIG_TOO_MANY ? "too many domains" : "not a DNS domain name");
            return false;
        }
        p += n;
    }
    if (s->policy.n_permitted == 0)
        return bad_value(s, ROLECERT_KEY_PERMITTED, value, "no domain given");
    return true;
}

static bool load_report(rolecert_settings *s, const char *value)
{
    if (equal_ci(value, "off")) {
        s->report_fd = -1;
        return true;
    }
    if (equal_ci(value, "stderr")) {
        s->report_fd = STDERR_FILENO;
        return true;
    }
    if (value[0] != '/')
        return bad_value(s, ROLECERT_KEY_REPORT, value,
                         "expected stderr, off or an absolute file path");
    int fd = open(value, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0)
        return bad_value(s, ROLECERT_KEY_REPORT, value, strerror(errno));
    s->report_fd = fd;
    s->report_fd_owned = true;
    return true;
}

bool rolecert_settings_load(rolecert_settings *s, const OSSL_CORE_HANDLE *handle,
                            OSSL_FUNC_core_get_params_fn *get_params)
{
    s->config_error[0] = '\0';
    policy_config_init(&s->policy);
    s->mode = ROLECERT_MODE_ENFORCE;
    s->report_fd = STDERR_FILENO;
    s->report_fd_owned = false;
    s->refuse_prehashed = false;
    s->check_ca = false;
    s->permitted_storage = NULL;

    /* The core answers only the keys it is asked for, so ask for all. */
    enum { N_KEYS = POLICY_RULE_COUNT + N_EXTRA_KEYS };
    const char *keys[N_KEYS];
    char *values[N_KEYS];
    OSSL_PARAM params[N_KEYS + 2];
    char *provider_name = NULL;
    const policy_rule_info *rules = policy_rule_table();
    for (size_t i = 0; i < N_KEYS; i++) {
        keys[i] = i < N_EXTRA_KEYS ? extra_keys[i] : rules[i - N_EXTRA_KEYS].id;
        values[i] = NULL;
        params[i] = OSSL_PARAM_construct_utf8_ptr(keys[i], &values[i], 0);
    }
    params[N_KEYS] =
        OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_CORE_PROV_NAME, &provider_name, 0);
    params[N_KEYS + 1] = OSSL_PARAM_construct_end();
    if (get_params == NULL || !get_params(handle, params)) {
        snprintf(s->config_error, sizeof(s->config_error),
                 "rolecert config: cannot read the provider's section");
        return false;
    }

    if (!rolecert_config_scan_unknown(provider_name, keys, (const char *const *)values, N_KEYS,
                                      s->config_error, sizeof(s->config_error)))
        return false;

    const char *report_value = NULL;
    for (size_t i = 0; i < N_KEYS; i++) {
        const char *key = keys[i];
        const char *value = values[i];
        if (value == NULL)
            continue;
        bool ok = true;
        if (strcmp(key, ROLECERT_KEY_MODE) == 0) {
            if (equal_ci(value, "enforce"))
                s->mode = ROLECERT_MODE_ENFORCE;
            else if (equal_ci(value, "audit"))
                s->mode = ROLECERT_MODE_AUDIT;
            else
                ok = bad_value(s, key, value, "expected enforce or audit");
        } else if (strcmp(key, ROLECERT_KEY_PREHASHED) == 0) {
            if (equal_ci(value, "allow"))
                s->refuse_prehashed = false;
            else if (equal_ci(value, "refuse"))
                s->refuse_prehashed = true;
            else
                ok = bad_value(s, key, value, "expected allow or refuse");
        } else if (strcmp(key, ROLECERT_KEY_CA) == 0) {
            if (equal_ci(value, "skip"))
                s->check_ca = false;
            else if (equal_ci(value, "check"))
                s->check_ca = true;
            else
                ok = bad_value(s, key, value, "expected skip or check");
        } else if (strcmp(key, ROLECERT_KEY_REPORT) == 0) {
            report_value = value; /* opened last: a bad key elsewhere must not create it */
            continue;
        } else if (strcmp(key, ROLECERT_KEY_PERMITTED) == 0) {
            ok = load_permitted(s, value);
        } else {
            ok = load_rule(s, key, value);
        }
        if (!ok) {
            rolecert_settings_free(s);
            return false;
        }
    }
    if (report_value != NULL && !load_report(s, report_value)) {
        rolecert_settings_free(s);
        return false;
    }
    return true;
}

void rolecert_settings_free(rolecert_settings *s)
{
    if (s->report_fd_owned && s->report_fd >= 0)
        close(s->report_fd);
    s->report_fd = -1;
    s->report_fd_owned = false;
    free(s->permitted_storage);
    s->permitted_storage = NULL;
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
