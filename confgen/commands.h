/* SPDX-License-Identifier: Apache-2.0 */
/* The rolecert sub-commands, dispatched from main.c's table. */
#ifndef ROLECERT_CONFGEN_COMMANDS_H
#define ROLECERT_CONFGEN_COMMANDS_H

#include "cli.h"

/* Exit codes of docs/generated-config.md. */
enum {
    EXIT_CLEAN = 0,        /* written; only warnings or notices */
    EXIT_POLICY_ERROR = 1, /* a finding of severity error */
    EXIT_BAD_INPUT = 2     /* usage, unreadable or malformed profile, unwritable output */
};

/* Each defined at the end of its file (cmd_conf.c ...); main.c runs them
 * with cli_run. */
extern const cli_command conf_command, check_command, match_command, list_command, clone_command,
    import_command;

/* cli_run(&conf_command, ...): what tests/reliability/alloc_fail_conf.c
 * runs under failing allocations. argv[0] is "conf". */
int cmd_conf(int argc, char **argv);

#endif
