/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert clone CERT [--thumbprint HEX] [-o P.ini]
 *
 * `Get-ExchangeCertificate -Thumbprint X | New-ExchangeCertificate`: writes a
 * custom-role profile holding the certificate's subject (as written, in its
 * order) and its SAN DNS names, so that `rolecert conf` and `openssl req`
 * make a request for the same names with a new key. Only names are cloned,
 * never keys (the seed: "only the certificate metadata and not the key sets
 * are cloned").
 *
 * Names the policy refuses are still written, and reported: the verdict is
 * conf's. A value that no profile can carry (a control character, invalid
 * UTF-8, a line over the INI reader's limit) is an error: nothing is written
 * and the exit status is 1. The generated text is read back with the real
 * profile reader before it is written, so every value round-trips exactly.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "cert_names.h"
#include "cert_reader.h"
#include "cert_view.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "profile_reader.h"
#include "rolecert_version.h"
#include "strbuf.h"
#include "subject_parse.h"
#include "text.h"

static const char clone_help[] =
    "usage: rolecert clone CERT [--thumbprint HEX] [--kind KIND] [-o P.ini]\n"
    "\n"
    "Writes a role profile (type custom) that reproduces the certificate's subject\n"
    "and SAN DNS names, so that `rolecert conf` and `openssl req` make a request for\n"
    "the same names with a NEW key (keys are never copied). CERT is PEM, DER or\n"
    "PKCS #7 (.p7b).\n"
    "\n"
    "options:\n"
    "\n"
    "Names the policy refuses are still written and reported on standard error.\n"
    "exit status: 0 written, 1 a name no profile can carry (nothing written),\n"
    "2 usage error, unreadable certificate, thumbprint not found, or output not\n"
    "writable.\n";

typedef struct clone_args {
    const char *cert;
    const char *output;
    const char *thumbprint_text;
    const char *kind;
    char thumbprint[41];
} clone_args;

static bool kind_valid(const char *value)
{
    return strcmp(value, "request") == 0 || strcmp(value, "self-signed") == 0;
}

static const cli_option clone_options[] = {
    {"--thumbprint", NULL, "HEX", offsetof(clone_args, thumbprint_text), NULL, cli_thumbprint_valid,
     CLI_THUMBPRINT_FORM,
     "clone the certificate with this SHA-1 thumbprint (40\n"
     "hex digits, any case, colons allowed); without it a\n"
     "file holding several certificates clones the first"},
    {"--kind", NULL, "KIND", offsetof(clone_args, kind), NULL, kind_valid, "request or self-signed",
     "[output] kind of the profile: request (the default:\n"
     "a renewal goes to the CA that clients already trust)\n"
     "or self-signed (what New-ExchangeCertificate makes\n"
     "from a piped certificate without -GenerateRequest)"},
    {"--output", "-o", "FILE", offsetof(clone_args, output), "a file name", NULL, NULL,
     "write the profile to FILE (atomically); default:\n"
     "standard output"},
};

static int clone_parsed(void *parsed, char **arguments, size_t n_arguments)
{
    (void)n_arguments; /* 1: the command takes just_one */
    clone_args *args = parsed;
    args->cert = arguments[0];
    if (args->thumbprint_text != NULL)
        cert_thumbprint_parse(args->thumbprint_text, args->thumbprint);
    return -1;
}

/* ---- what the clone says ------------------------------------------------ */

typedef struct clone_ctx {
    const char *file;
    const char *kind; /* [output] kind */
    size_t errors;    /* names no profile can carry */
} clone_ctx;

#define say cli_say

/* ---- encoding values for the profile ------------------------------------ */

typedef enum value_problem {
    VALUE_OK,
    VALUE_NOT_UTF8,
    VALUE_CONTROL,
} value_problem;

static value_problem check_value(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t used = utf8_decode(p + i, len - i, &cp);
        if (used == 0)
            return VALUE_NOT_UTF8;
        if (cp == 0 || text_is_control(cp))
            return VALUE_CONTROL;
        i += used;
    }
    return VALUE_OK;
}

/* An INI value in double quotes that the profile reader decodes back to the
 * same bytes: `\"` and `\\` escaped; everything else (`;`, `#` and UTF-8
 * included) is written raw. The value must have passed check_value(). */
static void append_ini_quoted(strbuf *out, const char *p, size_t len)
{
    strbuf_append_char(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"' || p[i] == '\\') {
            strbuf_append_char(out, '\\');
            strbuf_append_char(out, p[i]);
        } else {
            strbuf_append_char(out, p[i]);
        }
    }
    strbuf_append_char(out, '"');
}

/* A value of the name= form in RDN quotes (`"` and `\` escaped). */
static void append_rdn_quoted(strbuf *out, const char *p, size_t len)
{
    strbuf_append_char(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"' || p[i] == '\\')
            strbuf_append_char(out, '\\');
        strbuf_append_char(out, p[i]);
    }
    strbuf_append_char(out, '"');
}

/* Appends `key = "value"` and a newline; reports a line the reader cannot
 * hold. */
static void append_line(strbuf *out, const char *key, const char *value, size_t value_len)
{
    strbuf_printf(out, "%s = ", key);
    append_ini_quoted(out, value, value_len);
    strbuf_append_char(out, '\n');
}

/* Refuses values no profile can carry; true when the value can be written. */
static bool value_writable(clone_ctx *ctx, const char *p, size_t len, bool convertible,
                           const char *what)
{
    value_problem problem = convertible ? check_value(p, len) : VALUE_NOT_UTF8;
    if (problem == VALUE_OK)
        return true;
    strbuf shown;
    strbuf_init(&shown);
    if (convertible)
        text_append_quoted(&shown, p, len);
    say(ctx->file, "error",
        "fix the name in a profile by hand (rolecert conf would refuse it anyway: rdn-encoding / "
        "dns-syntax)",
        "%s %s: %s; a profile cannot carry it", what, shown.data != NULL ? shown.data : "",
        problem == VALUE_CONTROL ? "holds NUL or a control character"
                                 : "is not a valid string (invalid UTF-8 or string type)");
    strbuf_free(&shown);
    ctx->errors++;
    return false;
}

/* ---- the subject -------------------------------------------------------- */

static const char *table_key(policy_attr attr)
{
    return attr != POLICY_ATTR_OTHER ? policy_attr_name(attr) : NULL;
}

static bool subject_in_table_order(const cert_view *v)
{
    int last = 0;
    for (size_t i = 0; i < v->n_subject; i++) {
        int rank = (int)policy_attr_rank(v->subject[i].attr);
        if (rank == 0)
            continue; /* conf keeps an outside attribute behind its predecessor */
        if (rank < last)
            return false;
        last = rank;
    }
    return true;
}

/* The order conf will write: table order, stable within one type. */
static void append_table_order(strbuf *out, const cert_view *v)
{
    bool first = true;
    for (int rank = 1; rank <= POLICY_ATTR_RANK_MAX; rank++) {
        for (size_t i = 0; i < v->n_subject; i++) {
            if ((int)policy_attr_rank(v->subject[i].attr) != rank)
                continue;
            strbuf_printf(out, "%s%s", first ? "" : ", ", table_key(v->subject[i].attr));
            first = false;
        }
    }
}

/* The DER index of the attribute written at position i, so that conf's
 * reading of the profile (profile-format.md) gives back the certificate's
 * DER order: DC values form a domain name in DNS order (DER holds it
 * top-level label first, RFC 2247); a name= string that would start with
 * CN is read in LDAP order, so it is written that way. conf leaves a
 * multi-valued subject as written. */
static size_t written_at(const cert_view *v, bool name_form, size_t i)
{
    size_t n = v->n_subject;
    if (v->multivalued || n < 2)
        return i;
    if (name_form && v->subject[0].attr == POLICY_ATTR_CN) {
        if (v->subject[n - 1].attr == POLICY_ATTR_CN)
            return n - 1 - i;
        return i;
    }
    if (v->subject[i].attr != POLICY_ATTR_DC)
        return i;
    size_t before = 0, dcs = 0;
    for (size_t k = 0; k < n; k++) {
        if (v->subject[k].attr == POLICY_ATTR_DC) {
            before += k < i;
            dcs++;
        }
    }
    size_t want = dcs - 1 - before; /* the mirror DC */
    for (size_t k = 0; k < n; k++) {
        if (v->subject[k].attr == POLICY_ATTR_DC && want-- == 0)
            return k;
    }
    return i;
}

static void write_subject(clone_ctx *ctx, strbuf *out, const cert_view *v)
{
    if (v->n_subject == 0)
        return;
    bool all_in_table = true;
    for (size_t i = 0; i < v->n_subject; i++)
        all_in_table &= v->subject[i].attr != POLICY_ATTR_OTHER;

    bool writable = true;
    for (size_t i = 0; i < v->n_subject; i++) {
        char what[128];
        snprintf(what, sizeof(what), "subject attribute %zu (%s)", i + 1, v->attrs[i].label);
        writable &= value_writable(ctx, v->attrs[i].utf8, v->attrs[i].utf8_len,
                                   v->attrs[i].utf8 != NULL, what);
    }
    if (!writable)
        return;

    strbuf_append_str(out, "[subject]\n");
    if (all_in_table && !v->multivalued) {
        /* One key per attribute: one value per line, in the certificate's
         * order as conf reads it. */
        for (size_t w = 0; w < v->n_subject; w++) {
            size_t i = written_at(v, false, w);
            append_line(out, table_key(v->subject[i].attr), v->attrs[i].utf8, v->attrs[i].utf8_len);
        }
    } else {
        /* Attributes outside the table and multi-valued RDNs exist only in
         * the name= form, which is one line. */
        strbuf rdns;
        strbuf_init(&rdns);
        for (size_t w = 0; w < v->n_subject; w++) {
            size_t i = written_at(v, true, w);
            if (w > 0)
                strbuf_append_str(
                    &rdns,
                    v->subject[i].rdn == v->subject[written_at(v, true, w - 1)].rdn ? "+" : ", ");
            const char *key = table_key(v->subject[i].attr);
            strbuf_append_str(&rdns, key != NULL ? key : v->attrs[i].label);
            strbuf_append_char(&rdns, '=');
            append_rdn_quoted(&rdns, v->attrs[i].utf8, v->attrs[i].utf8_len);
        }
        append_line(out, "name", rdns.data != NULL ? rdns.data : "", rdns.len);
        strbuf_free(&rdns);
    }
    strbuf_append_char(out, '\n');
}

/* ---- the SAN ------------------------------------------------------------ */

static bool dns_listed(const cert_view *v, const char *p, size_t len)
{
    for (size_t i = 0; i < v->n_dns; i++) {
        if (text_equal_ci(v->dns[i].ptr, v->dns[i].len, p, len))
            return true;
    }
    return false;
}

static void write_names(clone_ctx *ctx, strbuf *out, const cert_view *v)
{
    if (v->n_dns == 0)
        return;
    strbuf_append_str(out, "[names]\n");
    for (size_t i = 0; i < v->n_dns; i++) {
        const char *p = v->dns[i].ptr;
        size_t len = v->dns[i].len;
        char what[64];
        snprintf(what, sizeof(what), "SAN DNS name %zu", i + 1);
        if (!value_writable(ctx, p, len, true, what))
            continue;
        /* dns= is a list split at commas and white space: such a name (or an
         * empty one) cannot be one item. */
        bool splits = len == 0;
        bool upper = false;
        for (size_t k = 0; k < len; k++) {
            splits |= p[k] == ',' || text_is_space(p[k]);
            upper |= p[k] >= 'A' && p[k] <= 'Z';
        }
        if (splits) {
            strbuf shown;
            strbuf_init(&shown);
            text_append_quoted(&shown, p, len);
            say(ctx->file, "error", "fix the name in a profile by hand (it is not a DNS name)",
                "%s %s: %s; the dns= list cannot hold it as one name", what,
                shown.data != NULL ? shown.data : "",
                len == 0 ? "is empty" : "holds a comma or white space");
            strbuf_free(&shown);
            ctx->errors++;
            continue;
        }
        if (upper) {
            strbuf shown;
            strbuf_init(&shown);
            text_append_quoted(&shown, p, len);
            say(ctx->file, "notice", NULL,
                "%s %s: rolecert conf writes DNS names lower-case (they compare "
                "case-insensitively)",
                what, shown.data != NULL ? shown.data : "");
            strbuf_free(&shown);
        }
        append_line(out, "dns", p, len);
    }
    strbuf_append_char(out, '\n');
}

/* ---- the key ------------------------------------------------------------ */

static void write_key(clone_ctx *ctx, strbuf *out, const cert_view *v)
{
    strbuf_append_str(out, "[key]\n");
    switch (v->key_type) {
    case POLICY_KEY_RSA:
    case POLICY_KEY_RSA_PSS: {
        unsigned bits = v->key_bits <= 2048 ? 2048 : v->key_bits <= 3072 ? 3072 : 4096;
        if (v->key_type == POLICY_KEY_RSA_PSS)
            say(ctx->file, "notice", NULL,
                "the certificate's key is RSA-PSS; the profile asks for a plain RSA key");
        if (v->key_bits < 2048)
            say(ctx->file, "notice", NULL,
                "the certificate's RSA key has %u bits; the profile asks for 2048 (key-weak: "
                "under 2048 is refused)",
                v->key_bits);
        else if (bits != v->key_bits)
            say(ctx->file, "notice", NULL,
                "the certificate's RSA key has %u bits; the profile asks for %u (bits = 2048, "
                "3072 or 4096)",
                v->key_bits, bits);
        strbuf_printf(out, "type = rsa\nbits = %u\n", bits);
        break;
    }
    case POLICY_KEY_EC: {
        const char *curve = NULL;
        if (strcmp(v->curve, "prime256v1") == 0 || strcmp(v->curve, "P-256") == 0)
            curve = "P-256";
        else if (strcmp(v->curve, "secp384r1") == 0 || strcmp(v->curve, "P-384") == 0)
            curve = "P-384";
        if (curve == NULL) {
            curve = "P-384";
            say(ctx->file, "notice", NULL,
                "the certificate's EC curve '%s' is not one a profile offers; the profile "
                "asks for P-384",
                v->curve[0] != '\0' ? v->curve : "(unknown)");
        }
        strbuf_printf(out, "type = ec\ncurve = %s\n", curve);
        break;
    }
    case POLICY_KEY_ED25519:
        strbuf_append_str(out, "type = ed25519\n");
        break;
    default:
        say(ctx->file, "notice", NULL,
            "the certificate's key type is not one a profile offers (rsa, ec, ed25519); the "
            "profile asks for RSA 2048");
        strbuf_append_str(out, "type = rsa\nbits = 2048\n");
        break;
    }
    strbuf_printf(out, "\n[output]\nkind = %s\n", ctx->kind);
}

/* ---- reading the result back -------------------------------------------- */

static bool same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Reads the generated profile with the real reader and compares every
 * subject value and DNS name with the certificate's. */
static bool reads_back(const strbuf *text, const cert_view *v, strbuf *why)
{
    diag_list diag;
    diag_init(&diag, "(cloned profile)");
    profile_doc doc;
    profile_doc_init(&doc);
    subject_list parsed;
    subject_list_init(&parsed);
    bool ok = profile_doc_parse(&doc, text->data, text->len, &diag) && diag.errors == 0;
    if (!ok)
        strbuf_append_str(why, "the profile reader refuses it");
    size_t subject_seen = 0, dns_seen = 0;
    for (size_t i = 0; ok && i < doc.n; i++) {
        const profile_entry *e = &doc.entries[i];
        if (e->key == KEY_SUBJECT_NAME) {
            ok = subject_parse(e->value, e->value_len, e->line, &parsed, &diag);
            for (size_t w = 0; ok && w < parsed.n; w++) {
                const subject_attr *a = &parsed.items[w];
                size_t k = w < v->n_subject ? written_at(v, true, w) : 0;
                ok = w < v->n_subject && a->attr == v->subject[k].attr &&
                     same_bytes(a->value, a->value_len, v->attrs[k].utf8, v->attrs[k].utf8_len);
            }
            subject_seen = parsed.n;
        } else if (e->key >= KEY_SUBJECT_C && e->key <= KEY_SUBJECT_CN) {
            size_t k = subject_seen < v->n_subject ? written_at(v, false, subject_seen) : 0;
            ok = subject_seen < v->n_subject &&
                 same_bytes(e->value, e->value_len, v->attrs[k].utf8, v->attrs[k].utf8_len);
            subject_seen++;
        } else if (e->key == KEY_NAMES_DNS) {
            ok = dns_seen < v->n_dns &&
                 same_bytes(e->value, e->value_len, v->dns[dns_seen].ptr, v->dns[dns_seen].len);
            dns_seen++;
        }
        if (!ok)
            strbuf_printf(why, "line %u does not read back as the certificate's value", e->line);
    }
    if (ok && (subject_seen != v->n_subject || dns_seen != v->n_dns)) {
        ok = false;
        strbuf_append_str(why, "names are missing when read back");
    }
    subject_list_free(&parsed);
    profile_doc_free(&doc);
    diag_free(&diag);
    return ok;
}

/* ---- the command -------------------------------------------------------- */

/* The file name for the header comment: its base name when that is short
 * printable ASCII (the profile must stay UTF-8 with short lines). */
static const char *printable_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t len = strlen(base);
    if (len == 0 || len > 100)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)base[i] < 0x20 || (unsigned char)base[i] > 0x7E)
            return NULL;
    }
    return base;
}

static int pick_certificate(const cert_set *set, const clone_args *args, size_t *picked,
                            size_t *n_certs)
{
    *n_certs = 0;
    bool found = false;
    for (size_t i = 0; i < set->n; i++) {
        if (set->items[i].kind != CERT_ITEM_CERTIFICATE)
            continue;
        (*n_certs)++;
        if (found)
            continue;
        char thumb[41];
        if (args->thumbprint_text == NULL ||
            (cert_item_thumbprint(&set->items[i], thumb) && strcmp(thumb, args->thumbprint) == 0)) {
            *picked = i;
            found = true;
        }
    }
    if (*n_certs == 0) {
        say(args->cert, "error", "clone reads certificates (the names a CA issued), not requests",
            "no certificate in the file");
        return EXIT_BAD_INPUT;
    }
    if (!found) {
        say(args->cert, "error", NULL,
            "no certificate with thumbprint %s; the file holds:", args->thumbprint);
        for (size_t i = 0; i < set->n; i++) {
            char thumb[41];
            if (set->items[i].kind != CERT_ITEM_CERTIFICATE ||
                !cert_item_thumbprint(&set->items[i], thumb))
                continue;
            strbuf subject;
            strbuf_init(&subject);
            cert_item_subject(&subject, &set->items[i]);
            fprintf(stderr, "  %s  %s\n", thumb, subject.data != NULL ? subject.data : "");
            strbuf_free(&subject);
        }
        return EXIT_BAD_INPUT;
    }
    return -1;
}

static int run_clone(const void *parsed)
{
    const clone_args *args = parsed;
    int rc;
    cert_set set;
    cert_set_init(&set, args->cert);
    strbuf why, text, subject;
    strbuf_init(&why);
    strbuf_init(&text);
    strbuf_init(&subject);
    cert_view view;
    memset(&view, 0, sizeof(view));
    clone_ctx ctx = {.file = args->cert, .kind = args->kind != NULL ? args->kind : "request"};

    if (!cli_read_certs(&set, &why)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    size_t picked = 0, n_certs = 0;
    rc = pick_certificate(&set, args, &picked, &n_certs);
    if (rc >= 0)
        goto done;
    const cert_item *item = &set.items[picked];
    char thumb[41];
    if (!cert_item_thumbprint(item, thumb) || !cert_view_init(&view, item, &why)) {
        say(args->cert, "error", NULL, "unreadable: certificate %zu: %s", item->position,
            why.len > 0 ? why.data : "cannot compute its SHA-1 thumbprint");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    cert_item_subject(&subject, item);
    if (n_certs > 1 && args->thumbprint_text == NULL)
        say(args->cert, "notice", "pick another with --thumbprint",
            "the file holds %zu certificates; cloning the first (thumbprint %s, subject '%s')",
            n_certs, thumb, subject.data != NULL ? subject.data : "");

    /* The certificate's names as the policy sees them: kept as they are,
     * reported so that nobody is surprised when conf refuses them. */
    policy_config cfg;
    policy_config_init(&cfg);
    check_report report;
    bool checked = cert_view_check(&view, &cfg, NULL, 0, args->cert, stderr, &report, &why);
    policy_result verdict = report.result;
    check_report_free(&report);
    if (!checked) {
        say(args->cert, "error", NULL, "unreadable: certificate %zu: %s", item->position,
            why.data != NULL ? why.data : "");
        rc = EXIT_BAD_INPUT;
        goto done;
    }

    if (!view.multivalued && !subject_in_table_order(&view)) {
        strbuf order;
        strbuf_init(&order);
        append_table_order(&order, &view);
        say(args->cert, "notice", NULL,
            "the certificate's subject is not in the table's order (C/DC, ST, L, O, OU, CN); "
            "the profile keeps the certificate's order, and rolecert conf writes the new "
            "request's subject as %s",
            order.data != NULL ? order.data : "");
        strbuf_free(&order);
    }
    for (size_t i = 0; i < view.n_subject; i++) {
        const policy_attribute *a = &view.subject[i];
        if (a->attr == POLICY_ATTR_CN && view.attrs[i].utf8 != NULL &&
            policy_cn_is_dns_name((policy_str){view.attrs[i].utf8, view.attrs[i].utf8_len}) &&
            !dns_listed(&view, view.attrs[i].utf8, view.attrs[i].utf8_len))
            say(args->cert, "notice", NULL,
                "rolecert conf puts the CN '%.*s' first in the new request's SAN (clients match "
                "the SAN only)",
                (int)view.attrs[i].utf8_len, view.attrs[i].utf8);
    }
    if (view.n_other_general_names > 0)
        say(args->cert, "notice", NULL,
            "%zu SAN entries that are not DNS names (IP addresses, e-mail, URIs) are not "
            "cloned: a profile holds DNS names only",
            view.n_other_general_names);

    const char *base = printable_base_name(args->cert);
    strbuf_printf(&text,
                  "; Cloned by rolecert %s from %s (certificate %zu).\n"
                  "; SHA-1 thumbprint %s\n"
                  "; Only names are cloned, never keys: openssl req makes a new one.\n\n"
                  "[role]\ntype = custom\n\n",
                  ROLECERT_VERSION, base != NULL ? base : "a certificate", item->position, thumb);
    write_subject(&ctx, &text, &view);
    write_names(&ctx, &text, &view);
    write_key(&ctx, &text, &view);
    if (text.failed) {
        say(args->cert, "error", NULL, "out of memory");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (ctx.errors > 0) {
        say(args->cert, "error", NULL, "nothing written: %zu name%s cannot be cloned", ctx.errors,
            ctx.errors == 1 ? "" : "s");
        rc = EXIT_POLICY_ERROR;
        goto done;
    }
    strbuf_reset(&why);
    if (!reads_back(&text, &view, &why)) {
        say(args->cert, "error", "this is a bug in rolecert clone; please report it",
            "the cloned profile does not read back exactly (%s); nothing written",
            why.data != NULL ? why.data : "");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (verdict.errors > 0)
        say(args->cert, "notice", NULL,
            "the certificate has %zu policy error%s; the profile keeps its names as they are, "
            "and rolecert conf reports what it still refuses",
            verdict.errors, verdict.errors == 1 ? "" : "s");

    rc = cli_write_output(&clone_command, args->output, text.data, text.len, NULL, NULL)
             ? EXIT_CLEAN
             : EXIT_BAD_INPUT;

done:
    cert_view_free(&view);
    cert_set_free(&set);
    strbuf_free(&why);
    strbuf_free(&text);
    strbuf_free(&subject);
    return rc;
}

const cli_command clone_command = {
    "clone",  clone_help, CLI_OPTIONS(clone_options), "certificate file",
    NULL,     true,       sizeof(clone_args),         clone_parsed,
    run_clone};
