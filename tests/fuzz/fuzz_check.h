/* SPDX-License-Identifier: Apache-2.0 */
/* What every fuzz target uses to report a broken invariant: print, then
 * abort, which libFuzzer records as a crash with its input. */
#ifndef ROLECERT_FUZZ_CHECK_H
#define ROLECERT_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "invariant broken at %s:%d: ", __FILE__, __LINE__);                    \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
