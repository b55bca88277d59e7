/* SPDX-License-Identifier: Apache-2.0 */
/* The rolecert sub-commands, dispatched from main.c's table. */
#ifndef ROLECERT_CONFGEN_COMMANDS_H
#define ROLECERT_CONFGEN_COMMANDS_H

/* Exit codes of docs/generated-config.md. */
enum {
    EXIT_CLEAN = 0,        /* written; only warnings or notices */
    EXIT_POLICY_ERROR = 1, /* a finding of severity error */
    EXIT_BAD_INPUT = 2     /* usage, unreadable or malformed profile, unwritable output */
};

/* argv[0] is the command's own name ("conf"). */
int cmd_conf(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_clone(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
