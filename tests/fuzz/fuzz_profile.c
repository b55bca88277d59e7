/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Profile -> config, differentially: a fuzzed profile goes through the
 * reader, the planner, the policy and the writer exactly as `rolecert conf`
 * runs them. Whenever a config is produced, OpenSSL's own NCONF parser must
 * read back every DN value and every SAN name byte for byte as the policy
 * core saw them, and nothing else may appear in those sections. With
 * --enforce, the permitted_domains list must come back intact too.
 *
 * The first input byte picks the options (enforce or not, section prefix);
 * the rest is the profile.
 */
#include <openssl/conf.h>
#include <openssl/err.h>

#include <stdint.h>
#include <string.h>

#include "cnf_writer.h"
#include "diag.h"
#include "fuzz_check.h"
#include "profile.h"
#include "profile_reader.h"
#include "strbuf.h"

static const char *const prefixes[] = {"req", "edge", "P_1"};

static void expect_value(const CONF *conf, const char *section, const char *key, const char *want,
                         size_t want_len)
{
    const char *got = NCONF_get_string(conf, section, key);
    FUZZ_CHECK(got != NULL, "[%s] %s: NCONF does not find the key", section, key);
    FUZZ_CHECK(strlen(got) == want_len && memcmp(got, want, want_len) == 0,
               "[%s] %s: NCONF reads '%s', the policy checked %zu bytes '%.*s'", section, key, got,
               want_len, (int)want_len, want);
}

static void expect_section_size(const CONF *conf, const char *section, size_t want)
{
    STACK_OF(CONF_VALUE) *values = NCONF_get_section(conf, section);
    FUZZ_CHECK(values != NULL, "section [%s] missing", section);
    FUZZ_CHECK((size_t)sk_CONF_VALUE_num(values) == want, "[%s] holds %d keys, expected %zu",
               section, sk_CONF_VALUE_num(values), want);
}

static void read_back(const strbuf *out, const profile *p, const char *prefix, bool enforce)
{
    BIO *bio = BIO_new_mem_buf(out->data, (int)out->len);
    CONF *conf = NCONF_new(NULL);
    FUZZ_CHECK(bio != NULL && conf != NULL, "allocation");
    long error_line = -1;
    FUZZ_CHECK(NCONF_load_bio(conf, bio, &error_line) == 1,
               "NCONF refuses the generated config at line %ld:\n%s", error_line, out->data);

    char section[64], key[64];
    snprintf(section, sizeof(section), "%s_dn", prefix);
    for (size_t i = 0; i < p->subject.n; i++) {
        const subject_attr *a = &p->subject.items[i];
        const char *attr_key = cnf_attribute_key(a->attr, a->label, a->label_len);
        FUZZ_CHECK(attr_key != NULL, "a written attribute has no key");
        snprintf(key, sizeof(key), "%zu.%s", i, attr_key);
        expect_value(conf, section, key, a->value, a->value_len);
    }
    if (p->subject.n > 0)
        expect_section_size(conf, section, p->subject.n);

    snprintf(section, sizeof(section), "%s_san", prefix);
    for (size_t i = 0; i < p->san.n; i++) {
        snprintf(key, sizeof(key), "DNS.%zu", i);
        expect_value(conf, section, key, p->san.items[i].name, p->san.items[i].len);
    }
    expect_section_size(conf, section, p->san.n);

    if (enforce && p->policy.n_permitted > 0) {
        strbuf list;
        strbuf_init(&list);
        for (size_t i = 0; i < p->policy.n_permitted; i++) {
            if (i > 0)
                strbuf_append_str(&list, ", ");
            strbuf_append(&list, p->policy.permitted[i].ptr, p->policy.permitted[i].len);
        }
        FUZZ_CHECK(!list.failed, "allocation");
        snprintf(section, sizeof(section), "%s_rolecert", prefix);
        expect_value(conf, section, "permitted_domains", list.data, list.len);
        strbuf_free(&list);
    }
    NCONF_free(conf);
    BIO_free(bio);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool enforce = data[0] & 1;
    const char *prefix = prefixes[(data[0] >> 1) % 3];
    data++;
    size--;

    diag_list diag;
    diag_init(&diag, "fuzz.ini");
    profile_doc doc;
    profile_doc_init(&doc);
    profile prof;
    profile_init(&prof);
    strbuf out;
    strbuf_init(&out);

    if (profile_doc_parse(&doc, (const char *)data, size, &diag) &&
        profile_build(&prof, &doc, &diag) && diag.errors == 0 && profile_check(&prof, &diag) == 0 &&
        diag.errors == 0) {
        cnf_options opt = {.prefix = prefix,
                           .profile_name = "fuzz.ini",
                           .command = "openssl req -new -config fuzz.cnf",
                           .enforce = enforce,
                           .module_path = "/usr/lib/x86_64-linux-gnu/ossl-modules/rolecert.so"};
        const char *why = "";
        if (cnf_write(&out, &prof, &opt, &why))
            read_back(&out, &prof, prefix, enforce);
    }
    /* diag_print exercises the message escaping over hostile values. */
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull != NULL) {
        diag_print(&diag, devnull);
        fclose(devnull);
    }
    strbuf_free(&out);
    profile_free(&prof);
    profile_doc_free(&doc);
    diag_free(&diag);
    ERR_clear_error();
    return 0;
}
