/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert list FILE... [--domain NAME] [--thumbprint HEX] [--json]
 *
 * Like Exchange's Get-ExchangeCertificate: thumbprint, subject, DNS names,
 * validity and key of every certificate (and request) in the files.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_names.h"
#include "cert_reader.h"
#include "cli.h"
#include "commands.h"
#include "strbuf.h"

static const char list_help[] =
    "usage: rolecert list FILE... [--domain NAME] [--thumbprint HEX] [--json]\n"
    "\n"
    "Lists the certificates and certificate requests in the files (PEM, DER or\n"
    "PKCS #7 .p7b) like Get-ExchangeCertificate: SHA-1 thumbprint, subject\n"
    "(RFC 2253), DNS names (SAN), validity (UTC), key type and size. Requests\n"
    "are listed with kind 'request' and no thumbprint or validity.\n"
    "\n"
    "options:\n"
    "\n"
    "exit status: 0 listed (also when no item matched the filters), 2 usage\n"
    "error or an unreadable file (the readable files are still listed).\n";

typedef struct list_args {
    char **files;
    size_t n_files;
    const char *domain;
    const char *thumbprint_text;
    char thumbprint[41];
    bool json;
} list_args;

static const cli_option list_options[] = {
    {"--domain", NULL, "NAME", offsetof(list_args, domain), "a domain name", NULL, NULL,
     "only items with a DNS name (SAN, then CN) that matches\n"
     "NAME by Exchange Domain Security rules (NAME itself,\n"
     "*.NAME or one label under NAME)"},
    {"--thumbprint", NULL, "HEX", offsetof(list_args, thumbprint_text), NULL, cli_thumbprint_valid,
     CLI_THUMBPRINT_FORM,
     "only the certificate with this SHA-1 thumbprint (40 hex\n"
     "digits, any case; ':' and spaces are ignored)"},
    {"--json", NULL, NULL, offsetof(list_args, json), NULL, NULL, NULL,
     "print one JSON document on standard output"},
};

static int list_parsed(void *parsed, char **arguments, size_t n_arguments)
{
    list_args *args = parsed;
    args->files = arguments;
    args->n_files = n_arguments;
    if (args->thumbprint_text != NULL)
        cert_thumbprint_parse(args->thumbprint_text, args->thumbprint);
    return -1;
}

static bool matches_domain(const cert_dns_list *names, const char *domain)
{
    policy_str d = {domain, strlen(domain)};
    for (size_t i = 0; i < names->n; i++) {
        policy_str n = {names->items[i].name, names->items[i].len};
        if (policy_match_domain_security(n, d) != POLICY_MATCH_NONE)
            return true;
    }
    return false;
}

typedef struct list_run {
    const list_args *args;
    strbuf json;
    bool first_json_item;
    size_t shown;
    int exit_code;
} list_run;

static void print_row(const char *c1, const char *c2, const char *c3, const char *c4,
                      const char *c5)
{
    printf("%-40s  %-20s  %-20s  %-10s  %s\n", c1, c2, c3, c4, c5);
}

static void list_item(list_run *run, const cert_set *set, const cert_item *item)
{
    char thumb[41];
    bool has_thumb = cert_item_thumbprint(item, thumb);
    if (run->args->thumbprint_text != NULL &&
        (!has_thumb || strcmp(thumb, run->args->thumbprint) != 0))
        return;
    cert_dns_list names;
    cert_dns_list_init(&names);
    if (!cert_item_dns_names(item, &names)) {
        fprintf(stderr, "rolecert list: out of memory\n");
        run->exit_code = EXIT_BAD_INPUT;
        cert_dns_list_free(&names);
        return;
    }
    if (run->args->domain != NULL && !matches_domain(&names, run->args->domain)) {
        cert_dns_list_free(&names);
        return;
    }
    strbuf label, subject, dns;
    strbuf_init(&label);
    strbuf_init(&subject);
    strbuf_init(&dns);
    cert_item_label(&label, set, item);
    cert_item_subject(&subject, item);
    char not_before[32], not_after[32], key_type[32], key[48];
    bool has_validity = cert_item_validity(item, not_before, not_after);
    int key_bits = 0;
    cert_item_key(item, key_type, sizeof(key_type), &key_bits);
    if (key_bits > 0)
        snprintf(key, sizeof(key), "%s-%d", key_type, key_bits);
    else
        snprintf(key, sizeof(key), "%s", key_type);

    if (!run->args->json) {
        if (run->shown == 0)
            print_row("Thumbprint", "NotBefore", "NotAfter", "Key", "Subject");
        bool is_cert = item->kind == CERT_ITEM_CERTIFICATE;
        print_row(is_cert ? thumb : "(request)", is_cert && has_validity ? not_before : "-",
                  is_cert && has_validity ? not_after : "-", key,
                  subject.data != NULL ? subject.data : "");
        for (size_t i = 0; i < names.n; i++) {
            if (names.items[i].from_cn)
                continue;
            if (dns.len > 0)
                strbuf_append_str(&dns, ", ");
            strbuf_append(&dns, names.items[i].name, names.items[i].len);
        }
        strbuf display;
        strbuf_init(&display);
        /* Names come from the certificate: never let them break the table. */
        for (size_t i = 0; i < dns.len; i++) {
            unsigned char c = (unsigned char)dns.data[i];
            if (c < 0x20 || c == 0x7F)
                strbuf_printf(&display, "\\x%02X", c);
            else
                strbuf_append_char(&display, (char)c);
        }
        printf("    file: %s\n    dns:  %s\n", label.data, display.len > 0 ? display.data : "-");
        strbuf_free(&display);
    } else {
        strbuf *j = &run->json;
        if (!run->first_json_item)
            strbuf_append_char(j, ',');
        run->first_json_item = false;
        strbuf_append_str(j, "{\"file\":");
        json_append_cstr(j, set->path);
        strbuf_printf(j, ",\"position\":%zu,\"kind\":", item->position);
        json_append_cstr(j, cert_item_kind_name(item->kind));
        strbuf_append_str(j, ",\"thumbprint\":");
        json_append_cstr_or_null(j, has_thumb ? thumb : NULL);
        strbuf_append_str(j, ",\"subject\":");
        json_append_string(j, subject.data != NULL ? subject.data : "", subject.len);
        strbuf_append_str(j, ",\"dns\":[");
        bool first = true;
        for (size_t i = 0; i < names.n; i++) {
            if (names.items[i].from_cn)
                continue;
            if (!first)
                strbuf_append_char(j, ',');
            first = false;
            json_append_string(j, names.items[i].name, names.items[i].len);
        }
        strbuf_append_str(j, "],\"not_before\":");
        json_append_cstr_or_null(j, has_validity ? not_before : NULL);
        strbuf_append_str(j, ",\"not_after\":");
        json_append_cstr_or_null(j, has_validity ? not_after : NULL);
        strbuf_append_str(j, ",\"key_type\":");
        json_append_cstr(j, key_type);
        strbuf_printf(j, ",\"key_bits\":%d}", key_bits);
    }
    run->shown++;
    cert_dns_list_free(&names);
    strbuf_free(&label);
    strbuf_free(&subject);
    strbuf_free(&dns);
}

static int run_list(const void *parsed)
{
    const list_args *args = parsed;
    list_run run = {.args = args, .first_json_item = true, .exit_code = EXIT_CLEAN};
    strbuf_init(&run.json);
    strbuf errors;
    strbuf_init(&errors);
    strbuf why;
    strbuf_init(&why);
    for (size_t f = 0; f < args->n_files; f++) {
        cert_set set;
        cert_set_init(&set, args->files[f]);
        if (!cli_read_certs(&set, &why)) {
            run.exit_code = EXIT_BAD_INPUT;
            if (errors.len > 0)
                strbuf_append_char(&errors, ',');
            strbuf_append_str(&errors, "{\"file\":");
            json_append_cstr(&errors, args->files[f]);
            strbuf_append_str(&errors, ",\"error\":");
            json_append_string(&errors, why.data, why.len);
            strbuf_append_char(&errors, '}');
        } else {
            for (size_t i = 0; i < set.n; i++)
                list_item(&run, &set, &set.items[i]);
        }
        cert_set_free(&set);
    }
    if (args->json) {
        if (run.json.failed || errors.failed) {
            fprintf(stderr, "rolecert list: out of memory\n");
            run.exit_code = EXIT_BAD_INPUT;
        } else {
            printf("{\"items\":[%s],\"unreadable\":[%s]}\n",
                   run.json.data != NULL ? run.json.data : "",
                   errors.data != NULL ? errors.data : "");
        }
    } else if (run.shown == 0) {
        printf("no matching certificate or request\n");
    }
    int rc = cli_finish_stdout(&list_command, run.exit_code);
    strbuf_free(&run.json);
    strbuf_free(&errors);
    strbuf_free(&why);
    return rc;
}

const cli_command list_command = {
    "list",  list_help, CLI_OPTIONS(list_options), "certificate or request file",
    NULL,    false,     sizeof(list_args),         list_parsed,
    run_list};
