/* SPDX-License-Identifier: Apache-2.0 */
#include "cnf_writer.h"

#include <string.h>

#include "profile.h"
#include "rolecert_version.h"
#include "text.h"

static const struct {
    const char *name; /* OpenSSL's short name, written as the key */
} extra_attributes[] = {
    {"emailAddress"},        {"serialNumber"}, {"street"}, {"title"},    {"postalCode"},
    {"businessCategory"},    {"givenName"},    {"SN"},     {"initials"}, {"pseudonym"},
    {"generationQualifier"}, {"dnQualifier"},
};

const char *cnf_attribute_key(policy_attr attr, const char *label, size_t label_len)
{
    if (attr != POLICY_ATTR_OTHER)
        return policy_attr_name(attr);
    for (size_t i = 0; i < sizeof(extra_attributes) / sizeof(extra_attributes[0]); i++) {
        if (text_equal_ci_cstr(label, label_len, extra_attributes[i].name))
            return extra_attributes[i].name;
    }
    return NULL;
}

bool cnf_encode_value(strbuf *out, const char *value, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c < 0x20 || c == 0x7F)
            return false;
    }
    bool ok = strbuf_append_char(out, '"');
    for (size_t i = 0; i < len && ok; i++) {
        if (value[i] == '\\' || value[i] == '"')
            ok = strbuf_append_char(out, '\\');
        ok = ok && strbuf_append_char(out, value[i]);
    }
    return ok && strbuf_append_char(out, '"');
}

bool cnf_prefix_valid(const char *prefix)
{
    size_t len = strlen(prefix);
    if (len == 0 || len > CNF_PREFIX_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = prefix[i];
        bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        bool digit = c >= '0' && c <= '9';
        if (!(letter || (i > 0 && (digit || c == '_'))))
            return false;
    }
    return true;
}

static const char *key_usage(key_algorithm alg)
{
    return alg == KEY_ALG_RSA ? "critical, digitalSignature, keyEncipherment"
                              : "critical, digitalSignature";
}

/* The activation block of docs/provider.md. The provider is found through
 * the key `rolecert` in the providers section, so that name is fixed;
 * `default` must be activated too or `req` cannot load keys. Only the rules
 * the profile changed are written: the rest keep the provider's defaults,
 * which are the same table. */
static bool write_activation(strbuf *out, const profile *p, const cnf_options *opt,
                             const char **why)
{
    const char *P = opt->prefix;
    strbuf_printf(out,
                  "\n[ %s_openssl_init ]\nproviders = %s_providers\nalg_section = %s_algorithms\n",
                  P, P, P);
    strbuf_printf(out, "\n[ %s_providers ]\ndefault = %s_default\nrolecert = %s_rolecert\n", P, P,
                  P);
    strbuf_printf(out, "\n[ %s_default ]\nactivate = 1\n", P);
    strbuf_printf(out,
                  "\n[ %s_algorithms ]\n"
                  "default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no\n",
                  P);
    strbuf_printf(out, "\n[ %s_rolecert ]\nmodule = ", P);
    if (!cnf_encode_value(out, opt->module_path, strlen(opt->module_path))) {
        *why = "the module path holds a control character";
        return false;
    }
    strbuf_append_str(out, "\nactivate = 1\n");
    const policy_rule_info *table = policy_rule_table();
    for (size_t r = 0; r < POLICY_RULE_COUNT; r++) {
        if (table[r].configurable && p->policy.severity[r] != table[r].default_severity)
            strbuf_printf(out, "%s = %s\n", table[r].id,
                          policy_severity_name(p->policy.severity[r]));
    }
    if (p->policy.n_permitted > 0) {
        strbuf list;
        strbuf_init(&list);
        for (size_t i = 0; i < p->policy.n_permitted; i++) {
            if (i > 0)
                strbuf_append_str(&list, ", ");
            strbuf_append(&list, p->policy.permitted[i].ptr, p->policy.permitted[i].len);
        }
        strbuf_append_str(out, "permitted_domains = ");
        bool encoded = !list.failed && cnf_encode_value(out, list.data, list.len);
        strbuf_free(&list);
        if (!encoded) {
            *why = "a permitted domain cannot be written";
            return false;
        }
        strbuf_append_char(out, '\n');
    }
    return true;
}

bool cnf_write(strbuf *out, const profile *p, const cnf_options *opt, const char **why)
{
    const char *P = opt->prefix;
    if (!cnf_prefix_valid(P)) {
        *why = "invalid section prefix";
        return false;
    }
    if (p->san.n == 0) {
        *why = "no SAN DNS name to write";
        return false;
    }
    if (p->key_alg == KEY_ALG_RSA && p->key_bits != 2048 && p->key_bits != 3072 &&
        p->key_bits != 4096) {
        *why = "RSA key size is not 2048, 3072 or 4096";
        return false;
    }
    for (size_t i = 1; i < p->subject.n; i++) {
        if (p->subject.items[i].rdn == p->subject.items[i - 1].rdn) {
            *why = "a multi-valued RDN cannot be written";
            return false;
        }
    }
    strbuf_printf(out, "# Generated by rolecert %s from %s. Regenerate rather than edit.\n",
                  ROLECERT_VERSION, opt->profile_name);
    strbuf_printf(out, "# %s\n\n", opt->command);
    /* libcrypto reads openssl_conf only from the default section, which
     * ends at the first section header. */
    if (opt->enforce)
        strbuf_printf(out,
                      "# rolecert.so checks every name at signing time (docs/provider.md)\n"
                      "openssl_conf = %s_openssl_init\n\n",
                      P);

    strbuf_printf(out, "[ %s ]\n", P);
    strbuf_append_str(out, "prompt = no\nutf8 = yes\nstring_mask = utf8only\n");
    strbuf_printf(out, "default_md = %s\n", p->digest);
    if (p->key_alg == KEY_ALG_RSA)
        strbuf_printf(out, "default_bits = %u\n", p->key_bits);
    strbuf_printf(out, "distinguished_name = %s_dn\n", P);
    strbuf_printf(out, "req_extensions = %s_req_ext\n", P);
    strbuf_printf(out, "x509_extensions = %s_x509_ext\n\n", P);

    strbuf_printf(out, "[ %s_dn ]\n", P);
    for (size_t i = 0; i < p->subject.n; i++) {
        const subject_attr *a = &p->subject.items[i];
        const char *key = cnf_attribute_key(a->attr, a->label, a->label_len);
        if (key == NULL) {
            *why = "a subject attribute has no OpenSSL name";
            return false;
        }
        strbuf_printf(out, "%zu.%s = ", i, key);
        if (!cnf_encode_value(out, a->value, a->value_len)) {
            *why = "a subject value holds a control character";
            return false;
        }
        strbuf_append_char(out, '\n');
    }

    const char *critical = p->subject.n == 0 ? "critical, " : "";
    strbuf_printf(out, "\n[ %s_req_ext ]\n", P);
    strbuf_printf(out,
                  "basicConstraints = CA:FALSE\nkeyUsage = %s\n"
                  "extendedKeyUsage = serverAuth, clientAuth\nsubjectAltName = %s@%s_san\n",
                  key_usage(p->key_alg), critical, P);
    strbuf_printf(out, "\n[ %s_x509_ext ]\n", P);
    strbuf_printf(out,
                  "basicConstraints = CA:FALSE\nkeyUsage = %s\n"
                  "extendedKeyUsage = serverAuth, clientAuth\nsubjectKeyIdentifier = hash\n"
                  "authorityKeyIdentifier = keyid:always\nsubjectAltName = %s@%s_san\n",
                  key_usage(p->key_alg), critical, P);

    strbuf_printf(out, "\n[ %s_san ]\n", P);
    for (size_t i = 0; i < p->san.n; i++) {
        strbuf_printf(out, "DNS.%zu = ", i);
        if (!cnf_encode_value(out, p->san.items[i].name, p->san.items[i].len)) {
            *why = "a DNS name holds a control character";
            return false;
        }
        strbuf_append_char(out, '\n');
    }
    if (opt->enforce && !write_activation(out, p, opt, why))
        return false;
    if (out->failed) {
        *why = "out of memory";
        return false;
    }
    return true;
}
