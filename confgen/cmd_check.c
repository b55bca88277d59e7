/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert check FILE... [--profile P.ini] [--json] [--check-ca]
 *
 * The offline twin of the provider: every certificate and request goes
 * through the same tbs_parse walk and policy_check_names call the provider
 * makes at signing time, so the same names get the same verdicts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_names.h"
#include "cert_reader.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "profile.h"
#include "profile_reader.h"
#include "strbuf.h"
#include "text.h"

static const char check_usage[] =
    "usage: rolecert check FILE... [--profile PROFILE.ini] [--json] [--check-ca]\n";

static const char check_help[] =
    "usage: rolecert check FILE... [--profile PROFILE.ini] [--json] [--check-ca]\n"
    "\n"
    "Checks the names of certificates and certificate requests (PEM, DER or\n"
    "PKCS #7 .p7b; several per file) with the name policy, exactly as the\n"
    "rolecert provider would check them at signing time.\n"
    "\n"
    "options:\n"
    "  --profile FILE  apply the profile's [policy] and also report every name\n"
    "                  the profile's role needs that the item does not cover\n"
    "                  (RFC 6125 host matching against the SAN DNS names)\n"
    "  --json          print one JSON document on standard output instead of text\n"
    "  --check-ca      also check CA certificates (basicConstraints cA=TRUE); by\n"
    "                  default they are skipped, as the provider skips them\n"
    "  -h, --help      show this help\n"
    "\n"
    "exit status: 0 every item passes (warnings and notices allowed), 1 a policy\n"
    "error or a role name not covered, 2 usage error or an unreadable file or\n"
    "profile.\n";

typedef struct check_args {
    char **files;
    size_t n_files;
    const char *profile;
    bool json;
    bool check_ca;
} check_args;

#define usage_error(...) cli_usage_error("check", check_usage, __VA_ARGS__)

/* Returns -1 when parsed, else the exit code (help or usage error). The
 * file names are collected in place at the front of argv. */
static int parse_args(int argc, char **argv, check_args *args)
{
    bool options_done = false;
    args->files = argv + 1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            args->files[args->n_files++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            return cli_print_help(check_help);
        } else if (strcmp(arg, "--json") == 0) {
            args->json = true;
        } else if (strcmp(arg, "--check-ca") == 0) {
            args->check_ca = true;
        } else if (strcmp(arg, "--profile") == 0 || strncmp(arg, "--profile=", 10) == 0) {
            if (args->profile != NULL)
                return usage_error("%s", "--profile given twice");
            if (arg[9] == '=')
                args->profile = arg + 10;
            else if (i + 1 >= argc)
                return usage_error("option '%s' needs a value", arg);
            else
                args->profile = argv[++i];
        } else {
            return usage_error("unknown option '%s'", arg);
        }
    }
    if (args->n_files == 0)
        return usage_error("%s", "no certificate or request file given");
    return -1;
}

/* One finding, copied out of the sink call. */
typedef struct check_finding {
    const char *rule_id; /* static, from the rule table */
    policy_severity severity;
    policy_where where;
    size_t index;
    char *value; /* UTF-8 (subject values decoded from their ASN.1 type) */
    size_t value_len;
    char message[POLICY_MESSAGE_MAX];
    char hint[POLICY_HINT_MAX];
} check_finding;

typedef struct finding_list {
    check_finding *items;
    size_t n;
    size_t cap;
    bool out_of_memory;
    const tbs_names *names; /* to decode subject values */
} finding_list;

static void finding_list_free(finding_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i].value);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

static void collect_finding(void *ctx, const policy_finding *f)
{
    finding_list *list = ctx;
    if (list->n == list->cap) {
        size_t cap = list->cap == 0 ? 8 : list->cap * 2;
        check_finding *grown = realloc(list->items, cap * sizeof(*grown));
        if (grown == NULL) {
            list->out_of_memory = true;
            return;
        }
        list->items = grown;
        list->cap = cap;
    }
    check_finding *c = &list->items[list->n];
    c->rule_id = f->rule_id;
    c->severity = f->severity;
    c->where = f->where;
    c->index = f->index;
    snprintf(c->message, sizeof(c->message), "%s", f->message);
    snprintf(c->hint, sizeof(c->hint), "%s", f->hint);
    strbuf value;
    strbuf_init(&value);
    const tbs_names *names = list->names;
    policy_string_type type = POLICY_STRING_UTF8;
    if (f->where == POLICY_WHERE_SUBJECT && f->index < names->n_subject &&
        f->value.ptr == names->subject[f->index].value.ptr)
        type = names->subject[f->index].type;
    cert_value_to_utf8(&value, type, f->value);
    c->value = strbuf_detach(&value, &c->value_len);
    if (c->value == NULL) {
        list->out_of_memory = true;
        return;
    }
    list->n++;
}

/* A name the profile's role needs, and what covered it. */
typedef struct role_name {
    const char *name;
    size_t len;
    const char *source;
    unsigned line;
} role_name;

typedef struct check_run {
    const check_args *args;
    policy_config policy;
    role_name *required;
    size_t n_required;
    strbuf json; /* the whole document, printed at the end */
    bool first_file;
    int exit_code;
} check_run;

static void raise_exit(check_run *run, int code)
{
    if (code == EXIT_BAD_INPUT || (code == EXIT_POLICY_ERROR && run->exit_code == EXIT_CLEAN))
        run->exit_code = code;
}

static const char *where_name(policy_where where)
{
    switch (where) {
    case POLICY_WHERE_SUBJECT:
        return "subject";
    case POLICY_WHERE_SAN:
        return "san";
    case POLICY_WHERE_NONE:
        break;
    }
    return "item";
}

static void append_counts(strbuf *sb, policy_result r, size_t missing)
{
    strbuf_printf(sb, "%zu error%s, %zu warning%s, %zu notice%s", r.errors,
                  r.errors == 1 ? "" : "s", r.warnings, r.warnings == 1 ? "" : "s", r.notices,
                  r.notices == 1 ? "" : "s");
    if (missing > 0)
        strbuf_printf(sb, "; %zu role name%s not covered", missing, missing == 1 ? "" : "s");
}

static void json_key(strbuf *j, const char *key)
{
    json_append_cstr(j, key);
    strbuf_append_char(j, ':');
}

static void check_item(check_run *run, const cert_set *set, const cert_item *item, bool first)
{
    strbuf label, subject, summary;
    strbuf_init(&label);
    strbuf_init(&subject);
    strbuf_init(&summary);
    cert_item_label(&label, set, item);
    cert_item_subject(&subject, item);
    const char *kind = cert_item_kind_name(item->kind);
    strbuf *j = &run->json;
    if (!first)
        strbuf_append_char(j, ',');
    strbuf_append_char(j, '{');
    json_key(j, "position");
    strbuf_printf(j, "%zu,", item->position);
    json_key(j, "kind");
    json_append_cstr(j, kind);
    strbuf_append_char(j, ',');
    json_key(j, "subject");
    json_append_string(j, subject.data != NULL ? subject.data : "", subject.len);
    strbuf_append_char(j, ',');

    tbs_names *names = malloc(sizeof(*names));
    finding_list findings = {0};
    const char *verdict = "pass";
    policy_result result = {0, 0, 0};
    size_t missing = 0;
    if (names == NULL) {
        fprintf(stderr, "rolecert check: out of memory\n");
        raise_exit(run, EXIT_BAD_INPUT);
        verdict = "unreadable";
        goto finish;
    }
    tbs_status status = cert_names_walk(item->der, item->der_len, names);
    if (status != TBS_OK) {
        /* The provider refuses to sign what it cannot walk; here a malformed
         * item is unreadable input (2), one with too many names a refusal (1). */
        bool too_many = status == TBS_TOO_MANY;
        verdict = too_many ? "fail" : "unreadable";
        raise_exit(run, too_many ? EXIT_POLICY_ERROR : EXIT_BAD_INPUT);
        strbuf why;
        strbuf_init(&why);
        strbuf_printf(&why, "%s names cannot be checked: %s at byte %zu", kind,
                      names->error != NULL ? names->error : "malformed", names->error_offset);
        if (!run->args->json)
            printf("%s: error: %s\n  hint: %s\n", label.data, why.data,
                   too_many ? "the provider refuses to sign this too; split the names over "
                              "several certificates"
                            : "the provider refuses to sign this too; re-issue it from a "
                              "clean request");
        json_key(j, "error");
        json_append_string(j, why.data, why.len);
        strbuf_append_char(j, ',');
        strbuf_free(&why);
        goto finish;
    }

    policy_names view;
    tbs_to_policy_names(names, &view);
    findings.names = names;
    policy_sink sink = {collect_finding, &findings};
    result = policy_check_names(&run->policy, &view, &sink);
    if (findings.out_of_memory) {
        fprintf(stderr, "rolecert check: out of memory\n");
        raise_exit(run, EXIT_BAD_INPUT);
    }
    json_key(j, "findings");
    strbuf_append_char(j, '[');
    for (size_t i = 0; i < findings.n; i++) {
        const check_finding *f = &findings.items[i];
        const char *sev = policy_severity_name(f->severity);
        if (!run->args->json)
            printf("%s: %s[%s]: %s\n  hint: %s\n", label.data, sev, f->rule_id, f->message,
                   f->hint);
        if (i > 0)
            strbuf_append_char(j, ',');
        strbuf_append_char(j, '{');
        json_key(j, "rule");
        json_append_cstr(j, f->rule_id);
        strbuf_append_char(j, ',');
        json_key(j, "severity");
        json_append_cstr(j, sev);
        strbuf_append_char(j, ',');
        json_key(j, "where");
        json_append_cstr(j, where_name(f->where));
        strbuf_append_char(j, ',');
        if (f->where != POLICY_WHERE_NONE) {
            json_key(j, "index");
            strbuf_printf(j, "%zu,", f->index);
        }
        json_key(j, "value");
        json_append_string(j, f->value, f->value_len);
        strbuf_append_char(j, ',');
        json_key(j, "message");
        json_append_cstr(j, f->message);
        strbuf_append_char(j, ',');
        json_key(j, "hint");
        json_append_cstr(j, f->hint);
        strbuf_append_char(j, '}');
    }
    strbuf_append_str(j, "],");

    if (run->args->profile != NULL) {
        json_key(j, "coverage");
        strbuf_append_char(j, '[');
        for (size_t i = 0; i < run->n_required; i++) {
            const role_name *r = &run->required[i];
            policy_str host = {r->name, r->len};
            long by = policy_host_covered_by_list(host, view.dns, view.n_dns);
            if (by < 0) {
                missing++;
                if (!run->args->json) {
                    printf("%s: error: role name ", label.data);
                    strbuf quoted;
                    strbuf_init(&quoted);
                    text_append_quoted(&quoted, r->name, r->len);
                    printf("%s (%s, %s:%u) is not covered by the %s\n", quoted.data, r->source,
                           run->args->profile, r->line, kind);
                    strbuf_free(&quoted);
                    printf("  hint: request a certificate whose SAN holds this name or a "
                           "wildcard for its parent (rolecert conf %s makes the request)\n",
                           run->args->profile);
                }
            }
            if (i > 0)
                strbuf_append_char(j, ',');
            strbuf_append_char(j, '{');
            json_key(j, "name");
            json_append_string(j, r->name, r->len);
            strbuf_append_char(j, ',');
            json_key(j, "source");
            json_append_cstr(j, r->source);
            strbuf_append_char(j, ',');
            json_key(j, "line");
            strbuf_printf(j, "%u,", r->line);
            json_key(j, "covered");
            strbuf_append_str(j, by >= 0 ? "true," : "false,");
            json_key(j, "covered_by");
            if (by >= 0)
                json_append_string(j, view.dns[by].ptr, view.dns[by].len);
            else
                strbuf_append_str(j, "null");
            strbuf_append_char(j, '}');
        }
        strbuf_append_str(j, "],");
    }
    if (result.errors > 0 || missing > 0) {
        verdict = "fail";
        raise_exit(run, EXIT_POLICY_ERROR);
    }

finish:
    json_key(j, "verdict");
    json_append_cstr(j, verdict);
    strbuf_printf(j, ",\"errors\":%zu,\"warnings\":%zu,\"notices\":%zu,\"not_covered\":%zu}",
                  result.errors, result.warnings, result.notices, missing);
    if (!run->args->json) {
        printf("%s: %s ", label.data, kind);
        strbuf quoted;
        strbuf_init(&quoted);
        text_append_quoted(&quoted, subject.data != NULL ? subject.data : "", subject.len);
        printf("%s: %s", quoted.data, verdict);
        strbuf_free(&quoted);
        if (strcmp(verdict, "skipped") == 0) {
            printf(" (CA certificate; --check-ca checks it)\n");
        } else if (strcmp(verdict, "pass") == 0 || strcmp(verdict, "fail") == 0) {
            append_counts(&summary, result, missing);
            printf(" (%s)\n", summary.data);
        } else {
            printf("\n");
        }
    }
    finding_list_free(&findings);
    free(names);
    strbuf_free(&label);
    strbuf_free(&subject);
    strbuf_free(&summary);
}

static void check_file(check_run *run, const char *path)
{
    cert_set set;
    cert_set_init(&set, path);
    strbuf why;
    strbuf_init(&why);
    strbuf *j = &run->json;
    if (!run->first_file)
        strbuf_append_char(j, ',');
    run->first_file = false;
    strbuf_append_char(j, '{');
    json_key(j, "file");
    json_append_cstr(j, path);
    strbuf_append_char(j, ',');
    if (!cert_read_file(&set, &why)) {
        fprintf(stderr, "%s: error: unreadable: %s\n", path, why.data);
        raise_exit(run, EXIT_BAD_INPUT);
        json_key(j, "error");
        json_append_string(j, why.data, why.len);
        strbuf_append_str(j, ",\"items\":[]}");
    } else {
        json_key(j, "items");
        strbuf_append_char(j, '[');
        for (size_t i = 0; i < set.n; i++)
            check_item(run, &set, &set.items[i], i == 0);
        strbuf_append_str(j, "]}");
    }
    cert_set_free(&set);
    strbuf_free(&why);
}

static bool load_profile(check_run *run, profile *prof)
{
    diag_list diag;
    diag_init(&diag, run->args->profile);
    profile_doc doc;
    profile_doc_init(&doc);
    bool ok = profile_doc_read(&doc, run->args->profile, &diag) &&
              profile_build(prof, &doc, &diag) && diag.errors == 0;
    if (!ok)
        diag_print(&diag, stderr);
    profile_doc_free(&doc);
    diag_free(&diag);
    if (!ok)
        return false;
    run->policy = prof->policy;
    size_t n = prof->san.n + (prof->connector_omitted != NULL ? 1 : 0);
    run->required = calloc(n == 0 ? 1 : n, sizeof(*run->required));
    if (run->required == NULL) {
        fprintf(stderr, "rolecert check: out of memory\n");
        return false;
    }
    for (size_t i = 0; i < prof->san.n; i++) {
        const san_name *s = &prof->san.items[i];
        run->required[run->n_required++] =
            (role_name){s->name, s->len, name_source_label(s->source), s->line};
    }
    if (prof->connector_omitted != NULL)
        run->required[run->n_required++] =
            (role_name){prof->connector_omitted, strlen(prof->connector_omitted),
                        name_source_label(SOURCE_CONNECTOR), prof->connector_line};
    return true;
}

int cmd_check(int argc, char **argv)
{
    check_args args = {0};
    int rc = parse_args(argc, argv, &args);
    if (rc >= 0)
        return rc;

    check_run run = {.args = &args, .first_file = true, .exit_code = EXIT_CLEAN};
    policy_config_init(&run.policy);
    strbuf_init(&run.json);
    profile prof;
    profile_init(&prof);
    if (args.profile != NULL && !load_profile(&run, &prof)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    strbuf_append_str(&run.json, "{\"files\":[");
    for (size_t i = 0; i < args.n_files; i++)
        check_file(&run, args.files[i]);
    strbuf_printf(&run.json, "],\"exit\":%d}\n", run.exit_code);
    if (run.json.failed) {
        fprintf(stderr, "rolecert check: out of memory\n");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (args.json)
        fwrite(run.json.data, 1, run.json.len, stdout);
    rc = run.exit_code;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "rolecert check: error: cannot write to standard output\n");
        rc = EXIT_BAD_INPUT;
    }

done:
    free(run.required);
    profile_free(&prof);
    strbuf_free(&run.json);
    return rc;
}
