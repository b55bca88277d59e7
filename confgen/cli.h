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
    const char *name;  /* "conf" */
    const char *usage; /* "usage: rolecert conf ...\n" */
    const char *intro; /* of --help, between the usage and the options */
    const char *outro; /* of --help, after the options */
    const cli_option *options;
    size_t n_options;
    int help_column;           /* where option descriptions start in --help */
    size_t max_positional;     /* 0: any number */
    const char *one_at_a_time; /* "(one profile at a time)", with max_positional */
} cli_command;

#define CLI_OPTIONS(table) (table), sizeof(table) / sizeof((table)[0])

/* Parses argv[1..argc): options into *args as the table says, the other
 * arguments (and everything after "--") collected in place from argv[1],
 * their number in *n_positional. Returns -1 when parsed, else the exit code:
 * the help was printed, or a usage error. Only what one option or argument
 * shows is judged here; how they go together is the command's. */
int cli_parse(const cli_command *cmd, int argc, char **argv, void *args, size_t *n_positional);

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
