/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_names.h"
#include "cli.h"
#include "commands.h"

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    fprintf(stderr, "rolecert %s: ", cmd->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    const char *end = strstr(cmd->help, "\n\n");
    int usage_len = end != NULL ? (int)(end - cmd->help) + 1 : (int)strlen(cmd->help);
    fprintf(stderr, "\n%.*s", usage_len, cmd->help);
    return EXIT_BAD_INPUT;
}

/* "-o FILE, --output FILE", "--json": the option as --help names it. */
static int format_term(char *buf, size_t size, const cli_option *o)
{
    if (o->short_name != NULL && o->metavar != NULL)
        return snprintf(buf, size, "%s %s, %s %s", o->short_name, o->metavar, o->long_name,
                        o->metavar);
    if (o->short_name != NULL)
        return snprintf(buf, size, "%s, %s", o->short_name, o->long_name);
    if (o->metavar != NULL)
        return snprintf(buf, size, "%s %s", o->long_name, o->metavar);
    return snprintf(buf, size, "%s", o->long_name);
}

/* The term indented by two, padded to the column, or on a line of its own
 * when it does not leave two spaces before the column; then the help. */
static void print_option_help(FILE *out, const cli_option *o, int column)
{
    char term[128];
    int used = format_term(term, sizeof(term), o);
    if (used < 0 || (size_t)used >= sizeof(term))
        return;
    fprintf(out, "  %s", term);
    used += 2;
    if (used + 2 > column) {
        fputc('\n', out);
        used = 0;
    }
    for (const char *line = o->help; line != NULL;) {
        const char *end = strchr(line, '\n');
        int len = end != NULL ? (int)(end - line) : (int)strlen(line);
        fprintf(out, "%*s%.*s\n", column - used, "", len, line);
        used = 0;
        line = end != NULL ? end + 1 : NULL;
    }
}

/* The descriptions start two spaces after the longest term, at most at
 * HELP_COLUMN_MAX; a longer term stands on a line of its own. --help must
 * not say 0 when stdout cannot be written (`rolecert conf --help >
 * /dev/full`). */
#define HELP_COLUMN_MAX 26
#define OPTIONS_LINE "\noptions:\n"

static int print_help(const cli_command *cmd)
{
    static const cli_option help = {"--help", "-h", NULL, 0, NULL, NULL, NULL, "show this help"};
    int column = 4 + format_term(NULL, 0, &help);
    for (size_t i = 0; i < cmd->n_options; i++) {
        int wanted = 4 + format_term(NULL, 0, &cmd->options[i]);
        if (wanted > column)
            column = wanted < HELP_COLUMN_MAX ? wanted : HELP_COLUMN_MAX;
    }
    FILE *out = stdout;
    const char *options = strstr(cmd->help, OPTIONS_LINE);
    size_t head =
        options != NULL ? (size_t)(options - cmd->help) + strlen(OPTIONS_LINE) : strlen(cmd->help);
    fwrite(cmd->help, 1, head, out);
    for (size_t i = 0; i < cmd->n_options; i++)
        print_option_help(out, &cmd->options[i], column);
    print_option_help(out, &help, column);
    fputs(cmd->help + head, out);
    return fflush(out) == 0 && !ferror(out) ? EXIT_CLEAN : EXIT_BAD_INPUT;
}

/* The option ARG names ("-o", "--output" or "--output=..."), with the
 * argument that "--output=..." carries in *inline_value. */
static const cli_option *find_option(const cli_command *cmd, const char *arg,
                                     const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < cmd->n_options; i++) {
        const cli_option *o = &cmd->options[i];
        size_t len = strlen(o->long_name);
        if (strcmp(arg, o->long_name) == 0 ||
            (o->short_name != NULL && strcmp(arg, o->short_name) == 0))
            return o;
        if (o->metavar != NULL && strncmp(arg, o->long_name, len) == 0 && arg[len] == '=') {
            *inline_value = arg + len + 1;
            return o;
        }
    }
    return NULL;
}

/* Returns -1 when parsed, else the exit code: the help was printed, or a
 * usage error. The arguments that are not options end up in argv[1..1 +
 * *n_positional). */
static int parse(const cli_command *cmd, int argc, char **argv, void *args, size_t *n_positional)
{
    bool options_done = false;
    *n_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            if (cmd->just_one && *n_positional == 1)
                return cli_usage_error(cmd, "unexpected argument '%s' (one %s at a time)", arg,
                                       cmd->argument);
            argv[1 + (*n_positional)++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
            return print_help(cmd);
        const char *value;
        const cli_option *o = find_option(cmd, arg, &value);
        if (o == NULL)
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        /* Messages name the option as it was written, without "=VALUE". */
        int name_len = value != NULL ? (int)(value - 1 - arg) : (int)strlen(arg);
        char *slot = (char *)args + o->offset;
        if (o->metavar == NULL) {
            *(bool *)slot = true;
            continue;
        }
        if (value == NULL) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "option '%s' needs a value", arg);
            value = argv[++i];
        }
        const char **text = (const char **)slot;
        if (*text != NULL)
            return cli_usage_error(cmd, "%.*s given twice", name_len, arg);
        if (o->needs != NULL && value[0] == '\0')
            return cli_usage_error(cmd, "%.*s needs %s", name_len, arg, o->needs);
        if (o->valid != NULL && !o->valid(value))
            return cli_usage_error(cmd, "invalid %s '%s': %s", o->long_name, value, o->valid_form);
        *text = value;
    }
    if (cmd->argument != NULL && *n_positional < 1)
        return cli_usage_error(cmd, "no %s given", cmd->argument);
    if (cmd->second_argument != NULL && *n_positional < 2)
        return cli_usage_error(cmd, "no %s given", cmd->second_argument);
    return -1;
}

int cli_run(const cli_command *cmd, int argc, char **argv)
{
    void *args = calloc(1, cmd->args_size);
    if (args == NULL) {
        fprintf(stderr, "rolecert %s: out of memory\n", cmd->name);
        return EXIT_BAD_INPUT;
    }
    size_t n_arguments;
    int rc = parse(cmd, argc, argv, args, &n_arguments);
    if (rc < 0 && cmd->parsed != NULL)
        rc = cmd->parsed(args, argv + 1, n_arguments);
    if (rc < 0)
        rc = cmd->run(args);
    free(args);
    return rc;
}

bool cli_thumbprint_valid(const char *value)
{
    char thumbprint[41];
    return cert_thumbprint_parse(value, thumbprint);
}

void cli_say(const char *file, const char *severity, const char *hint, const char *fmt, ...)
{
    fprintf(stderr, "%s: %s: ", file, severity);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (hint != NULL)
        fprintf(stderr, "  hint: %s\n", hint);
}

bool cli_read_certs(cert_set *set, strbuf *why)
{
    if (cert_read_file(set, why))
        return true;
    cli_say(set->path, "error", NULL, "unreadable: %s", why->data != NULL ? why->data : "");
    return false;
}

bool cli_load_profile(profile *prof, const char *path, diag_list *diag)
{
    profile_doc doc;
    profile_doc_init(&doc);
    bool ok =
        profile_doc_read(&doc, path, diag) && profile_build(prof, &doc, diag) && diag->errors == 0;
    profile_doc_free(&doc);
    if (!ok)
        diag_print(diag, stderr);
    return ok;
}

int cli_finish_stdout(const cli_command *cmd, int rc)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    fprintf(stderr, "rolecert %s: error: cannot write to standard output\n", cmd->name);
    return EXIT_BAD_INPUT;
}

bool cli_write_output(const cli_command *cmd, const char *path, const char *data, size_t len,
                      atomic_file_commit_fn before_rename, void *ctx)
{
    if (path == NULL) {
        if (fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0 && !ferror(stdout))
            return true;
        fprintf(stderr, "rolecert %s: error: cannot write to standard output\n", cmd->name);
        return false;
    }
    strbuf error;
    strbuf_init(&error);
    bool ok = atomic_file_replace_with(path, data, len, &error, before_rename, ctx);
    if (!ok)
        fprintf(stderr, "rolecert %s: error: %s\n", cmd->name,
                error.failed ? "out of memory" : error.data);
    strbuf_free(&error);
    return ok;
}

bool cli_flush_before_rename(strbuf *error, const char *what)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return true;
    strbuf_printf(error, "cannot write to standard output; the %s was not written", what);
    return false;
}
