/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "commands.h"

int cli_usage_error(const char *command, const char *usage, const char *fmt, ...)
{
    fprintf(stderr, "rolecert %s: ", command);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage);
    return EXIT_BAD_INPUT;
}

int cli_print_help(const char *help)
{
    fputs(help, stdout);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_BAD_INPUT;
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
