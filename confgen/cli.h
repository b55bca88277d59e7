/* SPDX-License-Identifier: Apache-2.0 */
/* What every rolecert command does the same way with its command line. */
#ifndef ROLECERT_CONFGEN_CLI_H
#define ROLECERT_CONFGEN_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "atomic_file.h"
#include "cert_reader.h"
#include "diag.h"
#include "profile.h"
#include "strbuf.h"

/* One option of a command. The table both parses the command line and
 * writes the options block of --help, so the two cannot drift apart. */
typedef struct cli_option {
    const char *long_name;  /* "--output"; also accepted as "--output=VALUE" */
    const char *short_name; /* "-o", or NULL */
    const char *metavar;    /* "FILE" in the help; NULL: a flag, no argument */
    size_t offset;          /* in the command's args: a bool (flag) or a const char * */
    /* What an argument must not be empty for, "a file name": an empty one
     * is a usage error "OPTION needs a file name". NULL: `valid` judges. */
    const char *needs;
    bool (*valid)(const char *value); /* NULL: any non-empty value */
    const char *valid_form;           /* with valid: what a valid value looks like */
    const char *help;                 /* its lines, '\n' between them */
} cli_option;

typedef struct cli_command {
    const char *name; /* "conf" */
    /* The --help text: the usage paragraph (also printed after a usage
     * error), what the command does, "options:", the exit status; the
     * options block is written from the table after the "options:" line. */
    const char *help;
    const cli_option *options;
    size_t n_options;
    /* The arguments that are not options: what the first and second must-have
     * ones are ("no profile given"); just_one: a second one is an error
     * ("unexpected argument 'b.ini' (one profile at a time)"). */
    const char *argument, *second_argument;
    bool just_one;
    size_t args_size; /* sizeof the command's args, which start zeroed */
    /* After the table has filled args: takes the arguments that are not
     * options (arguments[0..n_arguments), at least as many as the command
     * must have) and judges how the options go together. -1 when the
     * command can run, else the exit code (a usage error). */
    int (*parsed)(void *args, char **arguments, size_t n_arguments);
    int (*run)(const void *args); /* the command itself: the exit code */
} cli_command;

#define CLI_OPTIONS(table) (table), sizeof(table) / sizeof((table)[0])

/* Runs a command on argv[1..argc) (argv[0] is its name): parses the
 * options into zeroed args as the table says, collects the other arguments
 * (and everything after "--") in place from argv[1], then calls the
 * command's parsed and run. Returns the exit code; --help and usage errors
 * end here. What one option or argument shows, and how many arguments
 * there are, is judged here; how they go together is the command's. */
int cli_run(const cli_command *cmd, int argc, char **argv);

/* Prints "rolecert COMMAND: MESSAGE" and the command's usage on stderr;
 * returns EXIT_BAD_INPUT so a parser can `return cli_usage_error(...)`. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads the file of a set (cert_set_init names it); when it cannot be
 * read says "PATH: error: unreadable: WHY" and returns false, the reason
 * left in *why. */
bool cli_read_certs(cert_set *set, strbuf *why);

/* Reads the profile at path and builds *prof (profile_doc_read, then
 * profile_build); when it is malformed prints diag and returns false. */
bool cli_load_profile(profile *prof, const char *path, diag_list *diag);

/* rc once the command has printed all: flushes standard output; when it
 * cannot be written says so and returns EXIT_BAD_INPUT. */
int cli_finish_stdout(const cli_command *cmd, int rc);

/* A command's output: to path atomically (before_rename, when not NULL,
 * runs just before the rename: see atomic_file_replace_with), or without
 * a path to standard output. false, said on stderr, when it cannot be
 * written. */
bool cli_write_output(const cli_command *cmd, const char *path, const char *data, size_t len,
                      atomic_file_commit_fn before_rename, void *ctx);

/* For atomic_file_replace_with: what a command printed just before its
 * file (WHAT: "config", "bundle") is renamed into place must reach
 * standard output, else the old file stays. */
bool cli_flush_before_rename(strbuf *error, const char *what);

/* A --thumbprint value: 40 hex digits, any case, ':' and spaces ignored. */
bool cli_thumbprint_valid(const char *value);
#define CLI_THUMBPRINT_FORM "40 hex digits (SHA-1), colons allowed"

/* One finding about a file on stderr: "FILE: SEVERITY: message", then
 * "  hint: ..." when there is a hint. */
void cli_say(const char *file, const char *severity, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
