/* SPDX-License-Identifier: Apache-2.0 */
/* rolecert conf PROFILE.ini [-o FILE] [--prefix NAME] [--explain] */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnf_writer.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "profile.h"
#include "rolecert_version.h"
#include "strbuf.h"

static const char conf_help[] =
    "usage: rolecert conf PROFILE.ini [-o FILE] [--prefix NAME] [--explain]\n"
    "                     [--enforce [--module PATH]]\n"
    "\n"
    "Turns a role profile (INI) into openssl.cnf sections for stock `openssl req`,\n"
    "after checking every planned name against the name policy.\n"
    "\n"
    "options:\n"
    "\n"
    "exit status: 0 written (warnings and notices allowed), 1 a policy error,\n"
    "2 usage error, unreadable or malformed profile, or output not writable.\n"
    "The openssl req command for the profile is printed after a successful run\n"
    "(on standard output with -o, on standard error without).\n";

typedef struct conf_args {
    const char *profile;
    const char *output;
    const char *prefix; /* NULL: CNF_DEFAULT_PREFIX, and no -section in the command */
    bool explain;
    bool enforce;
    const char *module;
} conf_args;

static bool path_absolute(const char *path)
{
    return path[0] == '/';
}

static const cli_option conf_options[] = {
    {"--output", "-o", "FILE", offsetof(conf_args, output), "a file name", NULL, NULL,
     "write the config to FILE (atomically: FILE is only\n"
     "replaced when the whole run succeeds); default:\n"
     "standard output"},
    {"--prefix", NULL, "NAME", offsetof(conf_args, prefix), NULL, cnf_prefix_valid,
     "[A-Za-z][A-Za-z0-9_]*, at most 32 characters",
     "name the sections NAME, NAME_dn, NAME_req_ext,\n"
     "NAME_x509_ext, NAME_san ([A-Za-z][A-Za-z0-9_]*, at\n"
     "most 32 characters; default req); use with\n"
     "`openssl req -section NAME`"},
    {"--explain", NULL, NULL, offsetof(conf_args, explain), NULL, NULL, NULL,
     "print each SAN name and where it came from on\n"
     "standard error"},
    {"--enforce", NULL, NULL, offsetof(conf_args, enforce), NULL, NULL, NULL,
     "also activate the rolecert provider in the file\n"
     "(openssl_conf, providers with default, alg_section),\n"
     "with the profile's [policy] in its section, so\n"
     "`openssl req -config FILE` enforces the same policy\n"
     "at signing time"},
    {"--module", NULL, "PATH", offsetof(conf_args, module), "a file name", path_absolute,
     "it must be absolute: libcrypto resolves a relative path against its own modules "
     "directory",
     "with --enforce: the provider module to load\n"
     "(default: " ROLECERT_DEFAULT_MODULE ")"},
};

#define usage_error(...) cli_usage_error(&conf_command, __VA_ARGS__)

/* Paths end up in the generated file's header comment and in a printed
 * shell command: a control character there would break both. */
static bool path_printable(const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return false;
    }
    return true;
}

static int conf_parsed(void *parsed, char **arguments, size_t n_arguments)
{
    (void)n_arguments; /* 1: the command takes just_one */
    conf_args *args = parsed;
    args->profile = arguments[0];
    if (args->module != NULL && !args->enforce)
        return usage_error("%s", "--module goes with --enforce");
    if (args->module != NULL && !path_printable(args->module))
        return usage_error("%s", "the module path holds a control character");
    if (!path_printable(args->profile))
        return usage_error("%s", "the profile path holds a control character");
    if (args->output != NULL && !path_printable(args->output))
        return usage_error("%s", "the output path holds a control character");
    return -1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* PATH without the extension of its last component. */
static void append_stem(strbuf *sb, const char *path)
{
    const char *base = base_name(path);
    const char *dot = strrchr(base, '.');
    size_t len = dot != NULL && dot != base ? (size_t)(dot - path) : strlen(path);
    strbuf_append(sb, path, len);
}

/* Quotes for a POSIX shell only when needed, so ordinary commands read as
 * the contract shows them. */
static void append_shell_word(strbuf *sb, const char *word, size_t len)
{
    bool plain = len > 0;
    for (size_t i = 0; i < len && plain; i++) {
        char c = word[i];
        plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                strchr("_-./+=:@,%", c) != NULL;
    }
    if (plain) {
        strbuf_append(sb, word, len);
        return;
    }
    strbuf_append_char(sb, '\'');
    for (size_t i = 0; i < len; i++) {
        if (word[i] == '\'')
            strbuf_append_str(sb, "'\\''");
        else
            strbuf_append_char(sb, word[i]);
    }
    strbuf_append_char(sb, '\'');
}

static void append_stem_file(strbuf *cmd, const strbuf *stem, const char *extension)
{
    strbuf file;
    strbuf_init(&file);
    strbuf_append(&file, stem->data, stem->len);
    strbuf_append_str(&file, extension);
    append_shell_word(cmd, file.data, file.len);
    if (file.failed)
        cmd->failed = true; /* never print or write a command with a name missing */
    strbuf_free(&file);
}

static void build_command(strbuf *cmd, const profile *p, const conf_args *args)
{
    strbuf stem, config;
    strbuf_init(&stem);
    strbuf_init(&config);
    if (args->output != NULL) {
        append_stem(&stem, args->output);
        strbuf_append_str(&config, args->output);
    } else {
        append_stem(&stem, base_name(args->profile));
        strbuf_append(&config, stem.data, stem.len);
        strbuf_append_str(&config, ".cnf");
    }
    bool self_signed = p->kind == OUTPUT_SELF_SIGNED;
    strbuf_append_str(cmd, self_signed ? "openssl req -x509 -new -config "
                                       : "openssl req -new -config ");
    append_shell_word(cmd, config.data, config.len);
    if (args->prefix != NULL)
        strbuf_printf(cmd, " -section %s", args->prefix);
    /* `req` refuses an empty DN section; -subj / gives the empty subject. */
    if (p->subject.n == 0)
        strbuf_append_str(cmd, " -subj /");
    if (self_signed)
        strbuf_printf(cmd, " -days %u", p->days);
    switch (p->key_type) {
    case POLICY_KEY_EC:
        strbuf_printf(cmd, " -newkey ec -pkeyopt ec_paramgen_curve:%s",
                      p->key_bits == 384 ? "P-384" : "P-256");
        break;
    case POLICY_KEY_ED25519:
        strbuf_append_str(cmd, " -newkey ed25519");
        break;
    default: /* RSA: the one other type a profile takes */
        strbuf_printf(cmd, " -newkey rsa:%u", p->key_bits);
        break;
    }
    strbuf_append_str(cmd, " -noenc -keyout ");
    append_stem_file(cmd, &stem, ".key");
    /* -BinaryEncoded: the request (or certificate) in DER. */
    strbuf_append_str(cmd, p->der ? " -outform DER -out " : " -out ");
    append_stem_file(cmd, &stem, self_signed ? ".crt" : ".req");
    if (stem.failed || config.failed)
        cmd->failed = true;
    strbuf_free(&stem);
    strbuf_free(&config);
}

static void print_explain(const profile *p, const char *file)
{
    for (size_t i = 0; i < p->san.n; i++) {
        const san_name *s = &p->san.items[i];
        fprintf(stderr, "  DNS:%s  <- %s (%s:%u)\n", s->name, name_source_label(s->source), file,
                s->line);
    }
    for (size_t i = 0; i < p->omitted.n; i++) {
        const san_name *s = &p->omitted.items[i];
        fprintf(stderr, "  DNS:%s  <- %s (covered by %s, omitted) (%s:%u)\n", s->name,
                name_source_label(s->source), s->covered_by, file, s->line);
    }
    if (p->connector_omitted != NULL)
        fprintf(stderr, "  DNS:%s  <- connector (covered by %s, omitted) (%s:%u)\n",
                p->connector_omitted, p->connector_covered_by, file, p->connector_line);
}

/* With -o the command goes to stdout just before the rename: when it
 * cannot be written, the old config stays and the exit is 2. */
static bool print_command(void *command, strbuf *error)
{
    printf("%s\n", (const char *)command);
    return cli_flush_before_rename(error, "config");
}

static int run_conf(const void *parsed)
{
    const conf_args *args = parsed;
    int rc;
    diag_list diag;
    diag_init(&diag, args->profile);
    profile prof;
    profile_init(&prof);
    strbuf cmd, out;
    strbuf_init(&cmd);
    strbuf_init(&out);

    if (!cli_load_profile(&prof, args->profile, &diag)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    size_t policy_errors = profile_check(&prof, &diag);
    diag_print(&diag, stderr);
    if (args->explain)
        print_explain(&prof, args->profile);
    /* A finding that could not be recorded (or checks that could not run)
     * is out of memory, exit 2: never a policy verdict, never a file. */
    if (diag.out_of_memory) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (policy_errors > 0 || diag.errors > 0) {
        rc = EXIT_POLICY_ERROR;
        goto done;
    }

    build_command(&cmd, &prof, args);
    cnf_options opt = {.prefix = args->prefix != NULL ? args->prefix : CNF_DEFAULT_PREFIX,
                       .profile_name = base_name(args->profile),
                       .command = cmd.data,
                       .enforce = args->enforce,
                       .module_path =
                           args->module != NULL ? args->module : ROLECERT_DEFAULT_MODULE};
    const char *why = "";
    if (cmd.failed || !cnf_write(&out, &prof, &opt, &why)) {
        fprintf(stderr, "%s: error: cannot write the config: %s\n", args->profile,
                cmd.failed ? "out of memory" : why);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (!cli_write_output(&conf_command, args->output, out.data, out.len, print_command,
                          cmd.data)) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (args->output == NULL)
        fprintf(stderr, "%s\n", cmd.data);
    rc = EXIT_CLEAN;

done:
    strbuf_free(&cmd);
    strbuf_free(&out);
    profile_free(&prof);
    diag_free(&diag);
    return rc;
}

const cli_command conf_command = {"conf",  conf_help, CLI_OPTIONS(conf_options), "profile",
                                  NULL,    true,      sizeof(conf_args),         conf_parsed,
                                  run_conf};

int cmd_conf(int argc, char **argv)
{
    return cli_run(&conf_command, argc, argv);
}
