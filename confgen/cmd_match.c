/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert match CERT DOMAIN... [--thumbprint HEX]
 *
 * Exchange Domain Security matching: for each domain, which certificate name
 * (SAN DNS names first, then CN) matched and how, or why none did.
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
#include "text.h"

static const char match_help[] =
    "usage: rolecert match CERT DOMAIN... [--thumbprint HEX]\n"
    "\n"
    "Exchange Domain Security matching: a certificate matches a domain D when\n"
    "one of its DNS names (SAN dNSName values first, then the subject CN) is D\n"
    "itself, the wildcard *.D, or exactly one label under D. For each domain the\n"
    "matching name and how it matched is printed, or why no name matched.\n"
    "\n"
    "CERT may be PEM, DER or PKCS #7 (.p7b). When it holds several certificates\n"
    "the first one is used (and said so) unless --thumbprint picks another. A\n"
    "file holding only a certificate request is matched on the request's names.\n"
    "\n"
    "options:\n"
    "\n"
    "exit status: 0 every domain matches, 1 some domain does not, 2 usage error,\n"
    "unreadable CERT or no certificate with the thumbprint.\n";

typedef struct match_args {
    const char *cert;
    char **domains;
    size_t n_domains;
    const char *thumbprint_text;
    char thumbprint[41];
} match_args;

static const cli_option match_options[] = {
    {"--thumbprint", NULL, "HEX", offsetof(match_args, thumbprint_text), NULL, cli_thumbprint_valid,
     CLI_THUMBPRINT_FORM,
     "the certificate with this SHA-1 thumbprint (40 hex\n"
     "digits, any case; ':' and spaces are ignored)"},
};

#define usage_error(...) cli_usage_error(&match_command, __VA_ARGS__)

static int match_parsed(void *parsed, char **arguments, size_t n_arguments)
{
    match_args *args = parsed;
    if (args->thumbprint_text != NULL)
        cert_thumbprint_parse(args->thumbprint_text, args->thumbprint);
    args->cert = arguments[0];
    args->domains = arguments + 1;
    args->n_domains = n_arguments - 1;
    for (size_t i = 0; i < args->n_domains; i++) {
        if (args->domains[i][0] == '\0')
            return usage_error("%s", "an empty domain name");
    }
    return -1;
}

/* Lower-case copy without one trailing dot: how the matcher compares. */
static void normalise(strbuf *out, const char *p, size_t len)
{
    strbuf_reset(out);
    if (len > 1 && p[len - 1] == '.')
        len--;
    for (size_t i = 0; i < len; i++)
        strbuf_append_char(out, text_ascii_lower(p[i]));
}

static bool ends_with_label_suffix(const strbuf *name, const strbuf *suffix, size_t *prefix_len)
{
    if (name->len <= suffix->len + 1)
        return false;
    size_t cut = name->len - suffix->len;
    if (name->data[cut - 1] != '.' || memcmp(name->data + cut, suffix->data, suffix->len) != 0)
        return false;
    *prefix_len = cut - 1;
    return true;
}

static size_t count_labels(const char *p, size_t len)
{
    size_t labels = 1;
    for (size_t i = 0; i < len; i++)
        labels += p[i] == '.';
    return labels;
}

static const char *count_word(size_t n)
{
    static const char *const words[] = {"zero", "one", "two", "three", "four", "five"};
    return n < sizeof(words) / sizeof(words[0]) ? words[n] : "many";
}

/* Why `name` does not match `domain`: one phrase, after the name. */
static void explain_no_match(strbuf *out, const char *name, size_t name_len, const char *domain)
{
    strbuf n, d;
    strbuf_init(&n);
    strbuf_init(&d);
    normalise(&n, name, name_len);
    normalise(&d, domain, strlen(domain));
    size_t prefix = 0;
    if (n.len == 0) {
        strbuf_append_str(out, "is empty");
    } else if (ends_with_label_suffix(&n, &d, &prefix)) {
        bool wildcard = prefix >= 1 && n.data[0] == '*' && (prefix == 1 || n.data[1] == '.');
        size_t labels = count_labels(n.data, prefix);
        if (wildcard && labels >= 2)
            strbuf_printf(out, "is a wildcard for names %s labels under %s", count_word(labels),
                          domain);
        else if (memchr(n.data, '*', prefix) != NULL)
            strbuf_printf(out, "has a wildcard that is not a whole left-most label");
        else
            strbuf_printf(out, "is %s labels under %s", count_word(labels), domain);
    } else if (ends_with_label_suffix(&d, &n, &prefix)) {
        strbuf_printf(out, "is a parent domain of %s, not a name under it", domain);
    } else if (n.len > 2 && n.data[0] == '*' && n.data[1] == '.') {
        strbuf parent;
        strbuf_init(&parent);
        strbuf_append(&parent, n.data + 2, n.len - 2);
        if (ends_with_label_suffix(&d, &parent, &prefix))
            strbuf_printf(out,
                          "stands for %s and one label under it; %s is %s labels under %s "
                          "(that takes *.%s)",
                          parent.data, domain, count_word(count_labels(d.data, prefix)),
                          parent.data, strchr(d.data, '.') + 1);
        else
            strbuf_printf(out, "is not under %s", domain);
        strbuf_free(&parent);
    } else {
        strbuf_printf(out, "is not under %s", domain);
    }
    strbuf_free(&n);
    strbuf_free(&d);
}

static const cert_item *pick_item(const cert_set *set, const match_args *args)
{
    for (size_t i = 0; i < set->n; i++) {
        const cert_item *item = &set->items[i];
        char thumb[41];
        if (args->thumbprint_text != NULL) {
            if (cert_item_thumbprint(item, thumb) && strcmp(thumb, args->thumbprint) == 0)
                return item;
        } else if (item->kind == CERT_ITEM_CERTIFICATE) {
            return item;
        }
    }
    /* Only requests in the file: their names are what will be certified. */
    return args->thumbprint_text != NULL || set->n == 0 ? NULL : &set->items[0];
}

static size_t count_kind(const cert_set *set, cert_item_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        n += set->items[i].kind == kind;
    return n;
}

static int run_match(const void *parsed)
{
    const match_args *args = parsed;
    int rc;
    cert_set set;
    cert_set_init(&set, args->cert);
    strbuf why, quoted, reason;
    strbuf_init(&why);
    strbuf_init(&quoted);
    strbuf_init(&reason);
    cert_dns_list names;
    cert_dns_list_init(&names);
    if (!cli_read_certs(&set, &why)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    const cert_item *item = pick_item(&set, args);
    if (item == NULL) {
        fprintf(stderr, "%s: error: no certificate with thumbprint %s\n", args->cert,
                args->thumbprint);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    size_t n_certs = count_kind(&set, CERT_ITEM_CERTIFICATE);
    strbuf subject;
    strbuf_init(&subject);
    cert_item_subject(&subject, item);
    text_append_quoted(&quoted, subject.data != NULL ? subject.data : "", subject.len);
    strbuf_free(&subject);
    if (args->thumbprint_text != NULL)
        printf("%s: certificate #%zu %s (thumbprint %s)\n", args->cert, item->position, quoted.data,
               args->thumbprint);
    else if (item->kind == CERT_ITEM_REQUEST)
        printf("%s: no certificate; matching request #%zu %s\n", args->cert, item->position,
               quoted.data);
    else if (n_certs > 1)
        printf("%s: %zu certificates; matching the first (#%zu %s); --thumbprint picks "
               "another\n",
               args->cert, n_certs, item->position, quoted.data);
    else
        printf("%s: certificate %s\n", args->cert, quoted.data);

    if (!cert_item_dns_names(item, &names)) {
        fprintf(stderr, "rolecert match: out of memory\n");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    rc = EXIT_CLEAN;
    for (size_t d = 0; d < args->n_domains; d++) {
        const char *domain = args->domains[d];
        policy_str dom = {domain, strlen(domain)};
        long matched = -1;
        policy_match how = POLICY_MATCH_NONE;
        /* The closest match wins (exact, then wildcard, then one label
         * under), the first of its kind in SAN-then-CN order. */
        for (size_t i = 0; i < names.n; i++) {
            policy_match m = policy_match_domain_security(
                (policy_str){names.items[i].name, names.items[i].len}, dom);
            if (m != POLICY_MATCH_NONE && (matched < 0 || m < how)) {
                how = m;
                matched = (long)i;
            }
        }
        strbuf_reset(&quoted);
        text_append_quoted(&quoted, domain, dom.len);
        if (matched >= 0) {
            const cert_dns_name *n = &names.items[matched];
            strbuf name;
            strbuf_init(&name);
            text_append_quoted(&name, n->name, n->len);
            printf("%s: match: %s %s (%s)\n", quoted.data, n->from_cn ? "CN" : "SAN", name.data,
                   policy_match_name(how));
            strbuf_free(&name);
            continue;
        }
        rc = EXIT_POLICY_ERROR;
        if (names.n == 0) {
            printf("%s: no match: the %s has no DNS names (no SAN dNSName, no CN)\n", quoted.data,
                   cert_item_kind_name(item->kind));
            continue;
        }
        printf("%s: no match\n", quoted.data);
        for (size_t i = 0; i < names.n; i++) {
            const cert_dns_name *n = &names.items[i];
            strbuf name;
            strbuf_init(&name);
            text_append_quoted(&name, n->name, n->len);
            strbuf_reset(&reason);
            explain_no_match(&reason, n->name, n->len, domain);
            printf("  %s %s %s\n", n->from_cn ? "CN" : "SAN", name.data,
                   reason.data != NULL ? reason.data : "");
            strbuf_free(&name);
        }
    }
    rc = cli_finish_stdout(&match_command, rc);

done:
    cert_dns_list_free(&names);
    cert_set_free(&set);
    strbuf_free(&why);
    strbuf_free(&quoted);
    strbuf_free(&reason);
    return rc;
}

const cli_command match_command = {
    "match",  match_help, CLI_OPTIONS(match_options), "certificate file",
    "domain", false,      sizeof(match_args),         match_parsed,
    run_match};
