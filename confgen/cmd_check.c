/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert check FILE... [--profile P.ini] [--json] [--check-ca]
 *
 * The offline twin of the provider: every certificate and request goes
 * through the same tbs_parse walk and policy_check_names call the provider
 * makes at signing time, so the same names get the same verdicts.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_names.h"
#include "cert_reader.h"
#include "check_report.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "profile.h"
#include "strbuf.h"
#include "text.h"

static const char check_help[] =
    "usage: rolecert check FILE... [--profile PROFILE.ini] [--json] [--check-ca]\n"
    "\n"
    "Checks the names of certificates and certificate requests (PEM, DER or\n"
    "PKCS #7 .p7b; several per file) with the name policy, exactly as the\n"
    "rolecert provider would check them at signing time.\n"
    "\n"
    "options:\n"
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

static const cli_option check_options[] = {
    {"--profile", NULL, "FILE", offsetof(check_args, profile), "a file name", NULL, NULL,
     "apply the profile's [policy] and also report every name\n"
     "the profile's role needs that the item does not cover\n"
     "(accepted domains by Exchange Domain Security matching,\n"
     "other names by RFC 6125 host matching, against the SAN)"},
    {"--json", NULL, NULL, offsetof(check_args, json), NULL, NULL, NULL,
     "print one JSON document on standard output instead of text"},
    {"--check-ca", NULL, NULL, offsetof(check_args, check_ca), NULL, NULL, NULL,
     "accepted for old scripts: CA certificates are always\n"
     "checked now (CA:TRUE never exempts a name)"},
};

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
    return POLICY_ENUM_NAME(where, "item", [POLICY_WHERE_NONE] = "item",
                            [POLICY_WHERE_SUBJECT] = "subject", [POLICY_WHERE_SAN] = "san");
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

/* Everything `check` reports about one item, collected before it is
 * rendered as text or JSON. */
typedef struct item_report {
    strbuf label;
    strbuf subject;
    const char *kind;
    const char *verdict;
    strbuf error; /* why the names cannot be checked; empty when they were */
    bool too_many;
    tbs_names *names; /* the walk, kept when the names were checked */
    check_report check;
} item_report;

static void collect_item(check_run *run, const cert_set *set, const cert_item *item, item_report *r)
{
    strbuf_init(&r->label);
    strbuf_init(&r->subject);
    strbuf_init(&r->error);
    r->check = (check_report){0};
    r->too_many = false;
    r->names = NULL;
    cert_item_label(&r->label, set, item);
    cert_item_subject(&r->subject, item);
    r->kind = cert_item_kind_name(item->kind);
    r->verdict = "pass";

    tbs_names *names = malloc(sizeof(*names));
    if (names == NULL) {
        fprintf(stderr, "rolecert check: out of memory\n");
        raise_exit(run, EXIT_BAD_INPUT);
        r->verdict = "unreadable";
        return;
    }
    tbs_status status = cert_names_walk(item->der, item->der_len, names);
    if (status != TBS_OK) {
        /* The provider refuses to sign what it cannot walk; here a malformed
         * item is unreadable input (2), one with too many names a refusal (1). */
        r->too_many = status == TBS_TOO_MANY;
        r->verdict = r->too_many ? "fail" : "unreadable";
        raise_exit(run, r->too_many ? EXIT_POLICY_ERROR : EXIT_BAD_INPUT);
        strbuf_printf(&r->error, "%s names cannot be checked: %s at byte %zu", r->kind,
                      names->error != NULL ? names->error : "malformed", names->error_offset);
    } else {
        check_collect(&r->check, names, &run->policy, run->required, run->n_required);
        if (r->check.out_of_memory) {
            fprintf(stderr, "rolecert check: out of memory\n");
            raise_exit(run, EXIT_BAD_INPUT);
        }
        if (r->check.result.errors > 0 || r->check.missing > 0) {
            r->verdict = "fail";
            raise_exit(run, EXIT_POLICY_ERROR);
        }
        r->names = names;
        return;
    }
    free(names);
}

static void item_report_free(item_report *r)
{
    check_report_free(&r->check);
    free(r->names);
    strbuf_free(&r->label);
    strbuf_free(&r->subject);
    strbuf_free(&r->error);
}

static bool item_checked(const item_report *r)
{
    return r->names != NULL;
}

static void render_text(const check_run *run, const item_report *r)
{
    const char *label = r->label.data;
    if (r->error.len > 0)
        printf("%s: error: %s\n  hint: %s\n", label, r->error.data,
               r->too_many ? "the provider refuses to sign this too; split the names over "
                             "several certificates"
                           : "the provider refuses to sign this too; re-issue it from a "
                             "clean request");
    for (size_t i = 0; i < r->check.n_findings; i++) {
        const check_finding *f = &r->check.findings[i];
        printf("%s: %s[%s]: %s\n  hint: %s\n", label, policy_severity_name(f->severity), f->rule_id,
               f->message, f->hint);
    }
    for (size_t i = 0; i < r->check.n_required; i++) {
        const role_name *name = &run->required[i];
        if (r->check.covered_by[i] >= 0)
            continue;
        printf("%s: error: role name ", label);
        strbuf quoted;
        strbuf_init(&quoted);
        text_append_quoted(&quoted, name->name, name->len);
        printf("%s (%s, %s:%u) is not covered by the %s\n", quoted.data, name->source,
               run->args->profile, name->line, r->kind);
        strbuf_free(&quoted);
        strbuf hint;
        strbuf_init(&hint);
        role_name_cover_hint(&hint, name, run->args->profile);
        printf("  hint: %s\n", hint.failed ? "" : hint.data);
        strbuf_free(&hint);
    }
    printf("%s: %s ", label, r->kind);
    strbuf quoted;
    strbuf_init(&quoted);
    text_append_quoted(&quoted, r->subject.data != NULL ? r->subject.data : "", r->subject.len);
    printf("%s: %s", quoted.data, r->verdict);
    strbuf_free(&quoted);
    if (strcmp(r->verdict, "pass") == 0 || strcmp(r->verdict, "fail") == 0) {
        strbuf summary;
        strbuf_init(&summary);
        append_counts(&summary, r->check.result, r->check.missing);
        printf(" (%s)\n", summary.data);
        strbuf_free(&summary);
    } else {
        printf("\n");
    }
}

static void render_finding_json(strbuf *j, const check_finding *f)
{
    strbuf_append_char(j, '{');
    json_append_member_cstr(j, "rule", f->rule_id);
    json_append_member_cstr(j, "severity", policy_severity_name(f->severity));
    json_append_member_cstr(j, "where", where_name(f->where));
    if (f->where != POLICY_WHERE_NONE) {
        json_key(j, "index");
        strbuf_printf(j, "%zu,", f->index);
    }
    json_append_member(j, "value", f->value, f->value_len);
    json_append_member_cstr(j, "message", f->message);
    json_key(j, "hint");
    json_append_cstr(j, f->hint);
    strbuf_append_char(j, '}');
}

static void render_coverage_json(strbuf *j, const role_name *name, const policy_str *by)
{
    strbuf_append_char(j, '{');
    json_append_member(j, "name", name->name, name->len);
    json_append_member_cstr(j, "source", name->source);
    json_key(j, "line");
    strbuf_printf(j, "%u,", name->line);
    json_key(j, "covered");
    strbuf_append_str(j, by != NULL ? "true," : "false,");
    json_key(j, "covered_by");
    if (by != NULL)
        json_append_string(j, by->ptr, by->len);
    else
        strbuf_append_str(j, "null");
    strbuf_append_char(j, '}');
}

static void render_json(strbuf *j, const check_run *run, const item_report *r,
                        const cert_item *item)
{
    strbuf_append_char(j, '{');
    json_key(j, "position");
    strbuf_printf(j, "%zu,", item->position);
    json_append_member_cstr(j, "kind", r->kind);
    json_append_member(j, "subject", r->subject.data != NULL ? r->subject.data : "",
                       r->subject.len);
    if (r->error.len > 0)
        json_append_member(j, "error", r->error.data, r->error.len);
    if (item_checked(r)) {
        json_key(j, "findings");
        strbuf_append_char(j, '[');
        for (size_t i = 0; i < r->check.n_findings; i++) {
            if (i > 0)
                strbuf_append_char(j, ',');
            render_finding_json(j, &r->check.findings[i]);
        }
        strbuf_append_str(j, "],");
        if (run->args->profile != NULL) {
            json_key(j, "coverage");
            strbuf_append_char(j, '[');
            for (size_t i = 0; i < r->check.n_required; i++) {
                if (i > 0)
                    strbuf_append_char(j, ',');
                long by = r->check.covered_by[i];
                render_coverage_json(j, &run->required[i], by >= 0 ? &r->names->dns[by] : NULL);
            }
            strbuf_append_str(j, "],");
        }
    }
    json_key(j, "verdict");
    json_append_cstr(j, r->verdict);
    strbuf_printf(j, ",\"errors\":%zu,\"warnings\":%zu,\"notices\":%zu,\"not_covered\":%zu}",
                  r->check.result.errors, r->check.result.warnings, r->check.result.notices,
                  r->check.missing);
}

static void check_item(check_run *run, const cert_set *set, const cert_item *item, bool first)
{
    item_report r;
    collect_item(run, set, item, &r);
    if (!first)
        strbuf_append_char(&run->json, ',');
    render_json(&run->json, run, &r, item);
    if (!run->args->json)
        render_text(run, &r);
    item_report_free(&r);
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
    json_append_member_cstr(j, "file", path);
    if (!cli_read_certs(&set, &why)) {
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
    bool ok = cli_load_profile(prof, run->args->profile, &diag);
    diag_free(&diag);
    if (!ok)
        return false;
    run->policy = prof->policy;
    if (!role_names_of_profile(prof, true, &run->required, &run->n_required)) {
        fprintf(stderr, "rolecert check: out of memory\n");
        return false;
    }
    return true;
}

static int check_parsed(void *parsed, char **arguments, size_t n_arguments)
{
    check_args *args = parsed;
    args->files = arguments;
    args->n_files = n_arguments;
    return -1;
}

static int run_check(const void *parsed)
{
    const check_args *args = parsed;
    int rc;
    check_run run = {.args = args, .first_file = true, .exit_code = EXIT_CLEAN};
    policy_config_init(&run.policy);
    strbuf_init(&run.json);
    profile prof;
    profile_init(&prof);
    if (args->profile != NULL && !load_profile(&run, &prof)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    strbuf_append_str(&run.json, "{\"files\":[");
    for (size_t i = 0; i < args->n_files; i++)
        check_file(&run, args->files[i]);
    strbuf_printf(&run.json, "],\"exit\":%d}\n", run.exit_code);
    if (run.json.failed) {
        fprintf(stderr, "rolecert check: out of memory\n");
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (args->json)
        fwrite(run.json.data, 1, run.json.len, stdout);
    rc = cli_finish_stdout(&check_command, run.exit_code);

done:
    free(run.required);
    profile_free(&prof);
    strbuf_free(&run.json);
    return rc;
}

const cli_command check_command = {
    "check",  check_help, CLI_OPTIONS(check_options), "certificate or request file",
    NULL,     false,      sizeof(check_args),         check_parsed,
    run_check};
