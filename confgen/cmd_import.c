/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert import FILE --key KEY [--profile P.ini] -o BUNDLE [--services LIST]
 *                 [--pkcs12 FILE --passout ARG]
 *
 * Import-ExchangeCertificate: takes what the CA sent back (.cer in PEM or
 * DER, .p7b), finds the certificate whose public key is KEY's, orders its
 * chain leaf first (each next certificate issued the one before: name,
 * AKI/SKI and signature), checks the leaf's names (policy, and the profile's
 * role names with --profile) and validity, and writes a PEM bundle (leaf,
 * then the chain; never the key) atomically. --services (Enable-
 * ExchangeCertificate) prints the Postfix, Dovecot and nginx settings that
 * point at the bundle and the key. --pkcs12 writes the key, the leaf and its
 * chain for Windows (Import-ExchangeCertificate), encrypted with AES-256 and
 * a SHA-256 MAC under the --passout pass phrase.
 *
 * Exit codes as conf: 0 written (warnings allowed); 1 a policy error, a role
 * name not covered, no certificate for the key, expired or not yet valid;
 * 2 usage, unreadable input, unwritable output. Nothing is written on 1 or 2.
 */
/* realpath() is XSI; the project builds with _POSIX_C_SOURCE only. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "atomic_file.h"
#include "cert_names.h"
#include "cert_reader.h"
#include "cert_view.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "profile.h"
#include "profile_reader.h"
#include "strbuf.h"
#include "text.h"

/* Warn when the leaf expires within this many days. */
#define EXPIRY_WARNING_DAYS 30
/* The largest key file read. */
#define KEY_FILE_MAX (1024 * 1024)
/* The longest pass phrase read from file:, fd: or stdin (openssl's apps
 * read at most 1 KiB, PEM_BUFSIZE, too). */
#define PASS_MAX 1024

enum {
    SERVICE_SMTP = 1u << 0,
    SERVICE_IMAP = 1u << 1,
    SERVICE_POP = 1u << 2,
    SERVICE_HTTPS = 1u << 3,
};

static const char import_help[] =
    "usage: rolecert import FILE --key KEY [-o BUNDLE] [--pkcs12 P12 --passout ARG]\n"
    "                       [--profile P.ini] [--services LIST]\n"
    "\n"
    "Takes what the CA sent back (FILE: .cer in PEM or DER, .p7b), finds the\n"
    "certificate for KEY, orders its chain leaf first, checks the leaf's names and\n"
    "validity, and writes BUNDLE: PEM, the leaf then its issuers (never the key),\n"
    "and/or P12: a PKCS #12 file with the key, the leaf and its chain for Windows\n"
    "(AES-256, SHA-256 MAC). At least one of -o and --pkcs12 is given.\n"
    "\n"
    "options:\n"
    "\n"
    "exit status: 0 written (warnings allowed), 1 a policy error, a role name not\n"
    "covered, no certificate for the key, or a certificate expired or not yet\n"
    "valid; 2 usage error, unreadable input or output not writable.\n";

typedef struct import_args {
    const char *file;
    const char *key;
    const char *output;
    const char *profile;
    const char *services_text;
    const char *pkcs12;
    const char *passout;
    unsigned services;
} import_args;

static const cli_option import_options[] = {
    {"--key", NULL, "KEY", offsetof(import_args, key), "a file name", NULL, NULL,
     "the private key the request was made with (PEM or\n"
     "DER, unencrypted); only its public half is used"},
    {"--output", "-o", "BUNDLE", offsetof(import_args, output), "a file name", NULL, NULL,
     "the PEM bundle to write (atomically: replaced only\n"
     "when the whole run succeeds)"},
    {"--profile", NULL, "P.ini", offsetof(import_args, profile), "a file name", NULL, NULL,
     "apply the profile's [policy] and require every name\n"
     "its role needs to be covered by the certificate"},
    {"--pkcs12", NULL, "P12", offsetof(import_args, pkcs12), "a file name", NULL, NULL,
     "also write a PKCS #12 file (.pfx) with the key, the\n"
     "leaf and its chain, for Import-ExchangeCertificate;\n"
     "friendly name: the profile's [output] friendly_name,\n"
     "else its fqdn, else the leaf's first DNS name"},
    {"--passout", NULL, "ARG", offsetof(import_args, passout), "a pass phrase source", NULL, NULL,
     "the PKCS #12 pass phrase, as openssl takes it:\n"
     "pass:TEXT, env:VAR, file:PATH, fd:N or stdin"},
    {"--services", NULL, "LIST", offsetof(import_args, services_text), "a list of services", NULL,
     NULL,
     "smtp, imap, pop, https (comma-separated; pop3 and iis\n"
     "are accepted too): print the Postfix, Dovecot and nginx\n"
     "settings for the bundle and key on standard output"},
};

#define usage_error(...) cli_usage_error(&import_command, __VA_ARGS__)

#define say cli_say

/* Exchange's service names plus the protocol names admins also use. */
static bool parse_services(const char *text, unsigned *services)
{
    static const struct {
        const char *name;
        unsigned bit;
    } table[] = {{"smtp", SERVICE_SMTP}, {"imap", SERVICE_IMAP},   {"pop", SERVICE_POP},
                 {"pop3", SERVICE_POP},  {"https", SERVICE_HTTPS}, {"iis", SERVICE_HTTPS}};
    *services = 0;
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        while (len > 0 && text_is_space(*p)) {
            p++;
            len--;
        }
        while (len > 0 && text_is_space(p[len - 1]))
            len--;
        bool known = false;
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]) && !known; i++) {
            if (text_equal_ci_cstr(p, len, table[i].name)) {
                *services |= table[i].bit;
                known = true;
            }
        }
        if (!known) {
            usage_error("unknown service '%.*s' in --services: smtp, imap, pop, https", (int)len,
                        p);
            return false;
        }
        if (end == NULL)
            return true;
        p = end + 1;
    }
}

static int import_parsed(void *parsed, char **arguments, size_t n_arguments)
{
    (void)n_arguments; /* 1: the command takes just_one */
    import_args *args = parsed;
    args->file = arguments[0];
    if (args->key == NULL)
        return usage_error("%s", "--key is required: the key the request was made with");
    if (args->output == NULL && args->pkcs12 == NULL)
        return usage_error("%s", "-o BUNDLE or --pkcs12 P12 is required: where to write");
    if (args->pkcs12 != NULL && args->passout == NULL)
        return usage_error("%s", "--pkcs12 needs --passout ARG (pass:, env:, file:, fd: or stdin): "
                                 "the PKCS #12 file holds the key");
    if (args->passout != NULL && args->pkcs12 == NULL)
        return usage_error("%s", "--passout is the pass phrase of --pkcs12 P12, which is missing");
    if (args->services_text != NULL && args->output == NULL)
        return usage_error("%s", "--services points the servers at -o BUNDLE, which is missing");
    if (args->services_text != NULL && !parse_services(args->services_text, &args->services))
        return EXIT_BAD_INPUT;
    return -1;
}

/* ---- paths -------------------------------------------------------------- */

/* The absolute form of a path whose directory exists (the file need not). */
static bool absolute_path(const char *path, strbuf *out, strbuf *why)
{
    const char *slash = strrchr(path, '/');
    strbuf dir;
    strbuf_init(&dir);
    if (slash == NULL)
        strbuf_append_char(&dir, '.');
    else if (slash == path)
        strbuf_append_char(&dir, '/');
    else
        strbuf_append(&dir, path, (size_t)(slash - path));
    const char *base = slash != NULL ? slash + 1 : path;
    bool ok = !dir.failed;
    char *resolved = ok ? realpath(dir.data, NULL) : NULL;
    if (resolved == NULL) {
        strbuf_printf(why, "%s: %s", dir.data != NULL ? dir.data : path, strerror(errno));
        ok = false;
    } else {
        strbuf_append_str(out, resolved);
        if (strcmp(resolved, "/") != 0)
            strbuf_append_char(out, '/');
        strbuf_append_str(out, base);
        free(resolved);
        ok = !out->failed;
    }
    strbuf_free(&dir);
    return ok;
}

/* Characters that Postfix (list separators, $ expansion), Dovecot and nginx
 * ($ variables, ; { } # quotes) would not take literally in an unquoted
 * path. */
static bool path_safe_for_services(const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
        if (*p <= 0x20 || *p == 0x7F || strchr(",;\"'#{}$\\", *p) != NULL)
            return false;
    }
    return true;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* ---- the key ------------------------------------------------------------ */

static int refuse_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1; /* never prompt: an encrypted key is an error */
}

static EVP_PKEY *read_key(const char *path, strbuf *why)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        strbuf_append_str(why, strerror(errno));
        return NULL;
    }
    unsigned char *data = malloc(KEY_FILE_MAX);
    size_t len = data != NULL ? fread(data, 1, KEY_FILE_MAX, f) : 0;
    bool read_error = data == NULL || ferror(f);
    bool too_big = !read_error && len == KEY_FILE_MAX && fgetc(f) != EOF;
    fclose(f);
    EVP_PKEY *key = NULL;
    if (read_error || too_big) {
        strbuf_append_str(why, data == NULL ? "out of memory"
                               : too_big    ? "larger than 1 MiB: not a key file"
                                            : "read error");
    } else {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        if (bio != NULL)
            key = PEM_read_bio_PrivateKey(bio, NULL, refuse_password, NULL);
        BIO_free(bio);
        if (key == NULL) {
            const unsigned char *p = data;
            key = d2i_AutoPrivateKey(NULL, &p, (long)len);
        }
        if (key == NULL)
            strbuf_append_str(why, "not an unencrypted private key in PEM or DER");
    }
    ERR_clear_error();
    free(data);
    return key;
}

/* ---- the chain ---------------------------------------------------------- */

static bool is_certificate(const cert_item *item)
{
    return item->kind == CERT_ITEM_CERTIFICATE;
}

static bool same_der(const cert_item *a, const cert_item *b)
{
    return a->der_len == b->der_len && memcmp(a->der, b->der, a->der_len) == 0;
}

/* `issuer` issued `subject`: names and AKI/SKI agree (X509_check_issued) and
 * the signature verifies with the issuer's key. */
static bool issued_by(X509 *subject, X509 *issuer)
{
    if (X509_check_issued(issuer, subject) != X509_V_OK)
        return false;
    EVP_PKEY *key = X509_get0_pubkey(issuer);
    bool ok = key != NULL && X509_verify(subject, key) == 1;
    ERR_clear_error();
    return ok;
}

/* Self-signed: issuer and subject name agree and its own key verifies its
 * signature. X509_check_issued alone is not enough: it also wants
 * keyCertSign in keyUsage, which a server's self-signed certificate (as
 * rolecert conf makes it, or New-ExchangeCertificate) does not have. */
static bool self_signed(X509 *cert)
{
    bool ok = X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0 &&
              X509_get0_pubkey(cert) != NULL && X509_verify(cert, X509_get0_pubkey(cert)) == 1;
    ERR_clear_error();
    return ok;
}

/* Appends "certificate N 'SUBJECT'" (cert_item_subject replaces a buffer's
 * contents, hence the second one). */
static void describe(strbuf *out, const cert_item *item)
{
    strbuf subject;
    strbuf_init(&subject);
    cert_item_subject(&subject, item);
    strbuf_printf(out, "certificate %zu '%s'", item->position,
                  subject.data != NULL ? subject.data : "");
    strbuf_free(&subject);
}

/* ---- validity ----------------------------------------------------------- */

/* 1: expired, -1: not yet valid, 0: valid now; *days_left to notAfter. */
static int validity_now(X509 *cert, int *days_left)
{
    *days_left = INT_MAX;
    if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
        return -1;
    if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0)
        return 1;
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, NULL, X509_get0_notAfter(cert)))
        *days_left = days;
    return 0;
}

static void append_time(strbuf *out, const ASN1_TIME *t)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio != NULL && ASN1_TIME_print_ex(bio, t, ASN1_DTFLGS_ISO8601)) {
        char *data = NULL;
        long len = BIO_get_mem_data(bio, &data);
        if (len > 0)
            strbuf_append(out, data, (size_t)len);
    }
    BIO_free(bio);
}

/* ---- the command -------------------------------------------------------- */

typedef struct import_run {
    const import_args *args;
    cert_set set;
    EVP_PKEY *key;
    profile prof;
    bool have_profile;
    size_t *chain; /* indices into set.items, leaf first */
    size_t n_chain;
    cert_view leaf_view;
    strbuf bundle_path; /* absolute */
    strbuf key_path;    /* absolute */
    strbuf why;
} import_run;

static int load_inputs(import_run *run)
{
    const import_args *args = run->args;
    if (!cli_read_certs(&run->set, &run->why))
        return EXIT_BAD_INPUT;
    strbuf_reset(&run->why);
    run->key = read_key(args->key, &run->why);
    if (run->key == NULL) {
        say(args->key, "error", NULL, "unreadable key: %s", run->why.data);
        return EXIT_BAD_INPUT;
    }
    if (args->profile != NULL) {
        diag_list diag;
        diag_init(&diag, args->profile);
        bool ok = cli_load_profile(&run->prof, args->profile, &diag);
        diag_free(&diag);
        if (!ok)
            return EXIT_BAD_INPUT;
        run->have_profile = true;
    }
    return -1;
}

static int check_paths(import_run *run)
{
    const import_args *args = run->args;
    strbuf_reset(&run->why);
    char *key_resolved = realpath(args->key, NULL);
    if (key_resolved == NULL) {
        say(args->key, "error", NULL, "cannot resolve the key's path: %s", strerror(errno));
        return EXIT_BAD_INPUT;
    }
    strbuf_append_str(&run->key_path, key_resolved);
    free(key_resolved);
    if (args->output != NULL && !absolute_path(args->output, &run->bundle_path, &run->why)) {
        fprintf(stderr, "rolecert import: error: cannot write %s: %s\n", args->output,
                run->why.data);
        return EXIT_BAD_INPUT;
    }
    /* Writing over the key or the CA's file would destroy it. */
    const char *outputs[] = {args->output, args->pkcs12};
    for (size_t i = 0; i < 2; i++) {
        if (outputs[i] != NULL &&
            (same_file(outputs[i], args->key) || same_file(outputs[i], args->file)))
            return usage_error("%s %s is the key or the certificate file: choose another path",
                               i == 0 ? "-o" : "--pkcs12", outputs[i]);
    }
    if (args->output != NULL && args->pkcs12 != NULL &&
        (strcmp(args->output, args->pkcs12) == 0 || same_file(args->output, args->pkcs12)))
        return usage_error("-o and --pkcs12 name the same file %s", args->pkcs12);
    if (args->services != 0) {
        const char *bad = !path_safe_for_services(run->key_path.data)      ? run->key_path.data
                          : !path_safe_for_services(run->bundle_path.data) ? run->bundle_path.data
                                                                           : NULL;
        if (bad != NULL)
            return usage_error("--services: the path '%s' holds white space or one of , ; \" ' "
                               "# { } $ \\, which the service configs would not take literally",
                               bad);
    }
    return -1;
}

static int find_leaf(import_run *run, size_t *leaf)
{
    const import_args *args = run->args;
    size_t n_certs = 0;
    bool found = false;
    for (size_t i = 0; i < run->set.n; i++) {
        const cert_item *item = &run->set.items[i];
        if (!is_certificate(item))
            continue;
        n_certs++;
        EVP_PKEY *pub = X509_get0_pubkey(item->cert);
        if (!found && pub != NULL && EVP_PKEY_eq(pub, run->key) == 1) {
            *leaf = i;
            found = true;
        }
    }
    ERR_clear_error();
    if (n_certs == 0) {
        say(args->file, "error", "import reads the certificates the CA issued, not requests",
            "no certificate in the file");
        return EXIT_BAD_INPUT;
    }
    if (!found) {
        say(args->file, "error",
            "import the certificate with the key its request was made with (the -keyout of "
            "openssl req)",
            "none of its %zu certificate%s holds the public key of %s", n_certs,
            n_certs == 1 ? "" : "s", args->key);
        return EXIT_POLICY_ERROR;
    }
    return -1;
}

/* A notice "BEFORE certificate N 'SUBJECT'AFTER" about the item. */
static void chain_notice(const import_run *run, size_t item, const char *before, const char *after)
{
    strbuf name;
    strbuf_init(&name);
    describe(&name, &run->set.items[item]);
    say(run->args->file, "notice", NULL, "%s%s%s", before, name.data != NULL ? name.data : "",
        after);
    strbuf_free(&name);
}

static int build_chain(import_run *run, size_t leaf)
{
    const import_args *args = run->args;
    size_t n = run->set.n;
    run->chain = calloc(n, sizeof(*run->chain));
    bool *used = calloc(n, sizeof(*used));
    if (run->chain == NULL || used == NULL) {
        free(used);
        say(args->file, "error", NULL, "out of memory");
        return EXIT_BAD_INPUT;
    }
    run->chain[run->n_chain++] = leaf;
    used[leaf] = true;
    size_t current = leaf;
    for (;;) {
        X509 *cert = run->set.items[current].cert;
        if (self_signed(cert)) {
            if (current == leaf)
                chain_notice(run, current, "",
                             " is self-signed: it is its own chain (clients trust it only when "
                             "it is installed as trusted)");
            break; /* the root */
        }
        bool next_found = false;
        for (size_t i = 0; i < n && !next_found; i++) {
            const cert_item *item = &run->set.items[i];
            if (used[i] || !is_certificate(item) || !issued_by(cert, item->cert))
                continue;
            used[i] = true;
            run->chain[run->n_chain++] = i;
            current = i;
            next_found = true;
        }
        if (!next_found) {
            chain_notice(run, current, "the chain ends at ",
                         ": its issuer is not in the file (clients need the server to send every "
                         "intermediate; the root is optional)");
            break;
        }
    }
    /* Everything else is reported and left out. */
    for (size_t i = 0; i < n; i++) {
        const cert_item *item = &run->set.items[i];
        if (used[i])
            continue;
        strbuf name;
        strbuf_init(&name);
        describe(&name, item);
        if (!is_certificate(item)) {
            say(args->file, "notice", NULL, "item %zu is a certificate request: left out",
                item->position);
        } else {
            bool duplicate = false;
            for (size_t k = 0; k < run->n_chain && !duplicate; k++)
                duplicate = same_der(item, &run->set.items[run->chain[k]]);
            say(args->file, "notice", NULL, "%s %s: left out", name.data,
                duplicate ? "is a second copy of one in the chain"
                          : "is not part of the leaf's chain");
        }
        strbuf_free(&name);
    }
    free(used);
    return -1;
}

/* Policy and role coverage of the leaf; validity of every certificate. */
static int check_leaf(import_run *run)
{
    const import_args *args = run->args;
    const cert_item *leaf = &run->set.items[run->chain[0]];
    policy_config defaults;
    policy_config_init(&defaults);
    const policy_config *cfg = run->have_profile ? &run->prof.policy : &defaults;
    role_name *required = NULL;
    size_t n_required = 0;
    check_report report = {0};
    strbuf_reset(&run->why);
    bool ok =
        (!run->have_profile || role_names_of_profile(&run->prof, false, &required, &n_required)) &&
        cert_view_init(&run->leaf_view, leaf, &run->why) &&
        cert_view_check(&run->leaf_view, cfg, required, n_required, args->file, stderr, &report,
                        &run->why);
    if (!ok) {
        say(args->file, "error", NULL, "unreadable: certificate %zu: %s", leaf->position,
            run->why.len > 0 ? run->why.data : "out of memory");
        check_report_free(&report);
        free(required);
        return EXIT_BAD_INPUT;
    }
    size_t errors = report.result.errors;

    if (run->have_profile) {
        for (size_t i = 0; i < n_required; i++) {
            if (report.covered_by[i] >= 0)
                continue;
            const san_name *s = &run->prof.san.items[i];
            strbuf quoted;
            strbuf_init(&quoted);
            text_append_quoted(&quoted, s->name, s->len);
            strbuf hint;
            strbuf_init(&hint);
            role_name_cover_hint(&hint, &required[i], args->profile);
            say(args->file, "error", hint.data,
                "role name %s (%s, %s:%u) is not covered by the certificate", quoted.data,
                name_source_label(s->source), args->profile, s->line);
            strbuf_free(&hint);
            strbuf_free(&quoted);
            errors++;
        }
    }
    check_report_free(&report);
    free(required);

    for (size_t k = 0; k < run->n_chain; k++) {
        const cert_item *item = &run->set.items[run->chain[k]];
        int days_left = 0;
        int state = validity_now(item->cert, &days_left);
        strbuf name, when;
        strbuf_init(&name);
        strbuf_init(&when);
        describe(&name, item);
        if (state != 0) {
            append_time(&when, state > 0 ? X509_get0_notAfter(item->cert)
                                         : X509_get0_notBefore(item->cert));
            say(args->file, "error", k == 0 ? "ask the CA for a current certificate" : NULL,
                "%s %s %s", name.data, state > 0 ? "expired on" : "is not valid before",
                when.data != NULL ? when.data : "?");
            errors++;
        } else if (days_left < EXPIRY_WARNING_DAYS) {
            append_time(&when, X509_get0_notAfter(item->cert));
            say(args->file, "warning", k == 0 ? "renew it: rolecert clone makes the profile" : NULL,
                "%s expires in %d day%s (%s)", name.data, days_left, days_left == 1 ? "" : "s",
                when.data != NULL ? when.data : "?");
        }
        strbuf_free(&name);
        strbuf_free(&when);
    }
    return errors > 0 ? EXIT_POLICY_ERROR : -1;
}

static bool leaf_wildcard(const cert_view *v, const char **name, size_t *len)
{
    for (size_t i = 0; i < v->n_dns; i++) {
        if (v->dns[i].len >= 2 && v->dns[i].ptr[0] == '*' && v->dns[i].ptr[1] == '.') {
            *name = v->dns[i].ptr;
            *len = v->dns[i].len;
            return true;
        }
    }
    for (size_t i = 0; i < v->n_subject; i++) {
        const cert_name_text *a = &v->attrs[i];
        if (v->subject[i].attr == POLICY_ATTR_CN && a->utf8 != NULL && a->utf8_len >= 2 &&
            a->utf8[0] == '*' && a->utf8[1] == '.') {
            *name = a->utf8;
            *len = a->utf8_len;
            return true;
        }
    }
    return false;
}

/* ---- PKCS #12 ----------------------------------------------------------- */

/* The first line of what fd holds (at most PASS_MAX bytes), as openssl's
 * file:, fd: and stdin sources read it. */
static bool read_pass_line(int fd, strbuf *pass, strbuf *why)
{
    char buf[PASS_MAX];
    size_t len = 0;
    while (len < sizeof(buf)) {
        ssize_t got = read(fd, buf + len, sizeof(buf) - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            strbuf_append_str(why, strerror(errno));
            return false;
        }
        if (got == 0)
            break;
        char *newline = memchr(buf + len, '\n', (size_t)got);
        len += (size_t)got;
        if (newline != NULL) {
            len = (size_t)(newline - buf);
            break;
        }
    }
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    strbuf_append(pass, buf, len);
    OPENSSL_cleanse(buf, sizeof(buf));
    return !pass->failed;
}

/* ARG in openssl's pass-phrase syntax (openssl-passphrase-options(1)). */
static bool read_passout(const char *arg, strbuf *pass, strbuf *why)
{
    if (strncmp(arg, "pass:", 5) == 0) {
        strbuf_append_str(pass, arg + 5);
        return !pass->failed;
    }
    if (strncmp(arg, "env:", 4) == 0) {
        const char *value = getenv(arg + 4);
        if (value == NULL) {
            strbuf_printf(why, "the environment variable %s is not set", arg + 4);
            return false;
        }
        strbuf_append_str(pass, value);
        return !pass->failed;
    }
    if (strncmp(arg, "file:", 5) == 0) {
        int fd = open(arg + 5, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            strbuf_printf(why, "%s: %s", arg + 5, strerror(errno));
            return false;
        }
        bool ok = read_pass_line(fd, pass, why);
        close(fd);
        return ok;
    }
    if (strncmp(arg, "fd:", 3) == 0) {
        char *end = NULL;
        errno = 0;
        long fd = strtol(arg + 3, &end, 10);
        if (arg[3] == '\0' || *end != '\0' || errno != 0 || fd < 0 || fd > INT_MAX) {
            strbuf_printf(why, "'%s' is not fd:N with a file descriptor number N", arg);
            return false;
        }
        return read_pass_line((int)fd, pass, why);
    }
    if (strcmp(arg, "stdin") == 0)
        return read_pass_line(STDIN_FILENO, pass, why);
    strbuf_printf(why, "'%s' is none of pass:TEXT, env:VAR, file:PATH, fd:N, stdin", arg);
    return false;
}

/* Windows shows the friendly name in the certificate store (-FriendlyName):
 * the profile's, else the server's FQDN, else the leaf's first DNS name or
 * CN. */
static void friendly_name(const import_run *run, strbuf *out)
{
    const profile *p = &run->prof;
    if (run->have_profile && p->friendly_name != NULL) {
        strbuf_append_str(out, p->friendly_name);
        return;
    }
    const san_list *lists[] = {&p->san, &p->omitted};
    for (size_t l = 0; run->have_profile && l < 2; l++) {
        for (size_t i = 0; i < lists[l]->n; i++) {
            if (lists[l]->items[i].source == SOURCE_FQDN) {
                strbuf_append(out, lists[l]->items[i].name, lists[l]->items[i].len);
                return;
            }
        }
    }
    const cert_view *v = &run->leaf_view;
    if (v->n_dns > 0) {
        strbuf_append(out, v->dns[0].ptr, v->dns[0].len);
        return;
    }
    for (size_t i = 0; i < v->n_subject; i++) {
        if (v->subject[i].attr == POLICY_ATTR_CN && v->attrs[i].utf8 != NULL) {
            strbuf_append(out, v->attrs[i].utf8, v->attrs[i].utf8_len);
            return;
        }
    }
}

/* The key, the leaf and its chain: AES-256-CBC (PBES2, PBKDF2 with
 * HMAC-SHA-256) for both bags and a SHA-256 MAC, which Windows Server 2016
 * and later import; the 3DES/SHA-1 form older Windows needs is in
 * docs/commands.md. */
static int write_pkcs12(import_run *run)
{
    const import_args *args = run->args;
    strbuf pass, name;
    strbuf_init(&pass);
    strbuf_init(&name);
    strbuf_reset(&run->why);
    int rc = -1;
    PKCS12 *p12 = NULL;
    unsigned char *der = NULL;
    STACK_OF(X509) *ca = sk_X509_new_null();
    if (!read_passout(args->passout, &pass, &run->why)) {
        say(args->pkcs12, "error", "give the pass phrase as openssl takes it, e.g. env:PFX_PASS",
            "--passout: %s", run->why.failed ? "out of memory" : run->why.data);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    friendly_name(run, &name);
    bool ok = ca != NULL && !name.failed;
    for (size_t k = 1; ok && k < run->n_chain; k++)
        ok = sk_X509_push(ca, run->set.items[run->chain[k]].cert) > 0;
    if (ok)
        p12 = PKCS12_create_ex(pass.data != NULL ? pass.data : "", name.len > 0 ? name.data : NULL,
                               run->key, run->set.items[run->chain[0]].cert, ca, NID_aes_256_cbc,
                               NID_aes_256_cbc, PKCS12_DEFAULT_ITER, -1, 0, NULL, NULL);
    ok = p12 != NULL && PKCS12_set_mac(p12, pass.data != NULL ? pass.data : "", -1, NULL, 0,
                                       PKCS12_DEFAULT_ITER, EVP_sha256()) == 1;
    int len = ok ? i2d_PKCS12(p12, &der) : -1;
    if (len <= 0) {
        say(args->pkcs12, "error", NULL, "cannot make the PKCS #12 file (OpenSSL refused it)");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    strbuf_reset(&run->why);
    if (!atomic_file_replace_secret(args->pkcs12, (const char *)der, (size_t)len, &run->why, NULL,
                                    NULL)) {
        fprintf(stderr, "rolecert import: error: %s\n",
                run->why.failed ? "out of memory" : run->why.data);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    fprintf(stderr,
            "%s: wrote %s: the key, then %zu certificate%s, friendly name '%s' "
            "(AES-256, SHA-256 MAC)\n",
            args->file, args->pkcs12, run->n_chain, run->n_chain == 1 ? "" : "s",
            name.data != NULL ? name.data : "");
done:
    if (pass.data != NULL)
        OPENSSL_cleanse(pass.data, pass.len);
    strbuf_free(&pass);
    strbuf_free(&name);
    OPENSSL_free(der);
    PKCS12_free(p12);
    sk_X509_free(ca);
    ERR_clear_error();
    return rc;
}

static void print_services(const import_run *run)
{
    unsigned services = run->args->services;
    const char *bundle = run->bundle_path.data;
    const char *key = run->key_path.data;
    if (services & SERVICE_SMTP)
        printf("# Postfix (main.cf): smtp\n"
               "smtpd_tls_chain_files = %s, %s\n",
               key, bundle);
    if (services & (SERVICE_IMAP | SERVICE_POP))
        printf("# Dovecot (conf.d/10-ssl.conf): %s\n"
               "ssl_cert = <%s\n"
               "ssl_key = <%s\n",
               (services & SERVICE_IMAP) && (services & SERVICE_POP) ? "imap, pop"
               : (services & SERVICE_IMAP)                           ? "imap"
                                                                     : "pop",
               bundle, key);
    if (services & SERVICE_HTTPS)
        printf("# nginx (server block): https\n"
               "ssl_certificate %s;\n"
               "ssl_certificate_key %s;\n",
               bundle, key);
}

/* The settings go to stdout just before the bundle is renamed into place:
 * when they cannot be written, the old bundle stays and the exit is 2. */
static bool print_services_now(void *ctx, strbuf *error)
{
    print_services(ctx);
    return cli_flush_before_rename(error, "bundle");
}

static int run_import(const void *parsed)
{
    const import_args *args = parsed;
    int rc;
    import_run run = {.args = args};
    cert_set_init(&run.set, args->file);
    profile_init(&run.prof);
    strbuf_init(&run.bundle_path);
    strbuf_init(&run.key_path);
    strbuf_init(&run.why);
    size_t leaf = 0;
    BIO *pem = NULL;

    if ((rc = load_inputs(&run)) >= 0 || (rc = check_paths(&run)) >= 0 ||
        (rc = find_leaf(&run, &leaf)) >= 0 || (rc = build_chain(&run, leaf)) >= 0 ||
        (rc = check_leaf(&run)) >= 0)
        goto done;

    if (args->services & (SERVICE_IMAP | SERVICE_POP)) {
        const char *wildcard = NULL;
        size_t wildcard_len = 0;
        if (leaf_wildcard(&run.leaf_view, &wildcard, &wildcard_len))
            say(args->file, "warning",
                "as Exchange warns for POP and IMAP: use a certificate whose CN is the mail "
                "server's own FQDN, which mail clients are configured with",
                "a wildcard certificate ('%.*s') for POP/IMAP", (int)wildcard_len, wildcard);
    }

    if (args->pkcs12 != NULL && (rc = write_pkcs12(&run)) >= 0)
        goto done;
    if (args->output == NULL) {
        rc = EXIT_CLEAN;
        goto done;
    }
    pem = BIO_new(BIO_s_mem());
    bool ok = pem != NULL;
    for (size_t k = 0; ok && k < run.n_chain; k++)
        ok = PEM_write_bio_X509(pem, run.set.items[run.chain[k]].cert) == 1;
    char *data = NULL;
    long len = ok ? BIO_get_mem_data(pem, &data) : 0;
    if (!ok || len <= 0) {
        say(args->file, "error", NULL, "cannot encode the bundle (out of memory)");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (!cli_write_output(&import_command, args->output, data, (size_t)len,
                          args->services != 0 ? print_services_now : NULL, &run)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    strbuf order;
    strbuf_init(&order);
    for (size_t k = 0; k < run.n_chain; k++) {
        if (k > 0)
            strbuf_append_str(&order, ", then ");
        describe(&order, &run.set.items[run.chain[k]]);
    }
    fprintf(stderr, "%s: wrote %s: %s\n", args->file, args->output, order.data);
    strbuf_free(&order);
    rc = EXIT_CLEAN;

done:
    BIO_free(pem);
    ERR_clear_error();
    cert_view_free(&run.leaf_view);
    free(run.chain);
    EVP_PKEY_free(run.key);
    profile_free(&run.prof);
    cert_set_free(&run.set);
    strbuf_free(&run.bundle_path);
    strbuf_free(&run.key_path);
    strbuf_free(&run.why);
    return rc;
}

const cli_command import_command = {
    "import",  import_help, CLI_OPTIONS(import_options), "certificate file",
    NULL,      true,        sizeof(import_args),         import_parsed,
    run_import};
