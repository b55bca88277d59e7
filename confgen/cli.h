/* SPDX-License-Identifier: Apache-2.0 */
/* What every rolecert command does the same way with its command line. */
#ifndef ROLECERT_CONFGEN_CLI_H
#define ROLECERT_CONFGEN_CLI_H

#include <stdbool.h>
#include <stddef.h>

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
} cli_command;

#define CLI_OPTIONS(table) (table), sizeof(table) / sizeof((table)[0])

/* Parses argv[1..argc): options into *args as the table says; the other
 * arguments (and everything after "--") are collected in place from
 * argv[1], and *arguments and *n_arguments (either may be NULL) say where
 * and how many. Returns -1 when parsed, else the exit code: the help was
 * printed, or a usage error. What one option or argument shows, and how
 * many arguments there are, is judged here; how they go together is the
 * command's. */
int cli_parse(const cli_command *cmd, int argc, char **argv, void *args, char ***arguments,
              size_t *n_arguments);

/* Prints "rolecert COMMAND: MESSAGE" and the command's usage on stderr;
 * returns EXIT_BAD_INPUT so a parser can `return cli_usage_error(...)`. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A --thumbprint value: 40 hex digits, any case, ':' and spaces ignored. */
bool cli_thumbprint_valid(const char *value);
#define CLI_THUMBPRINT_FORM "40 hex digits (SHA-1), colons allowed"

/* One finding about a file on stderr: "FILE: SEVERITY: message", then
 * "  hint: ..." when there is a hint. */
void cli_say(const char *file, const char *severity, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
