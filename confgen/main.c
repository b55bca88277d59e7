/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert: command dispatch. Each command is a cli_command at the end of
 * its file (name, summary, options, run); a new one is one entry here.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "rolecert_version.h"

static const cli_command *const commands[] = {
    &conf_command, &check_command, &match_command, &list_command, &clone_command, &import_command,
};

static void print_usage(FILE *out)
{
    fprintf(out, "usage: rolecert COMMAND [ARGS...]\n"
                 "       rolecert --help | --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n`rolecert COMMAND --help` describes a command's options.\n");
}

static int finish_stdout(void)
{
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_usage(stdout);
        return finish_stdout();
    }
    if (strcmp(name, "--version") == 0) {
        printf("rolecert %s\n", ROLECERT_VERSION);
        return finish_stdout();
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(name, commands[i]->name) == 0)
            return cli_run(commands[i], argc - 1, argv + 1);
    }
    fprintf(stderr, "rolecert: unknown command '%s'\n", name);
    print_usage(stderr);
    return EXIT_BAD_INPUT;
}
