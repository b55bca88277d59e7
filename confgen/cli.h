/* SPDX-License-Identifier: Apache-2.0 */
/* What every rolecert command does the same way with its command line. */
#ifndef ROLECERT_CONFGEN_CLI_H
#define ROLECERT_CONFGEN_CLI_H

/* Prints "rolecert COMMAND: MESSAGE" and the command's usage on stderr;
 * returns EXIT_BAD_INPUT so a parser can `return cli_usage_error(...)`. */
int cli_usage_error(const char *command, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints a --help text on stdout: EXIT_CLEAN, or EXIT_BAD_INPUT when stdout
 * cannot be written (`rolecert conf --help > /dev/full` must not say 0). */
int cli_print_help(const char *help);

/* One finding about a file on stderr: "FILE: SEVERITY: message", then
 * "  hint: ..." when there is a hint. */
void cli_say(const char *file, const char *severity, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
