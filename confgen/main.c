/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert: command dispatch. Each command is a cli_command at the end of
 * its file (name, options, run); a new one is one entry here.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "rolecert_version.h"

typedef struct command {
    const cli_command *command;
    const char *summary;
} command;

static const command commands[] = {
    {&conf_command, "turn a role profile (INI) into openssl.cnf sections for openssl req"},
    {&check_command, "check certificates and requests with the name policy (as the provider)"},
    {&match_command, "Exchange Domain Security: does a certificate match these domains"},
    {&list_command, "list certificates like Get-ExchangeCertificate (thumbprint, names, validity)"},
    {&clone_command, "write a profile that requests a certificate's names again (new key)"},
    {&import_command, "check what the CA sent back and write the PEM bundle, leaf first"},
};

static void print_usage(FILE *out)
{
    fprintf(out, "usage: rolecert COMMAND [ARGS...]\n"
                 "       rolecert --help | --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s %s\n", commands[i].command->name, commands[i].summary);
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
        if (strcmp(name, commands[i].command->name) == 0)
            return cli_run(commands[i].command, argc - 1, argv + 1);
    }
    fprintf(stderr, "rolecert: unknown command '%s'\n", name);
    print_usage(stderr);
    return EXIT_BAD_INPUT;
}
