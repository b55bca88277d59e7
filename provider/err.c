/* SPDX-License-Identifier: Apache-2.0 */
#include "err.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define POLICY_VIOLATION_TEXT "certificate name policy violation"

static const OSSL_ITEM fixed_reasons[] = {
    {ROLECERT_R_POLICY_VIOLATION, POLICY_VIOLATION_TEXT},
    {ROLECERT_R_MALFORMED_TBS, "malformed to-be-signed data"},
    {ROLECERT_R_BAD_CONFIG, "invalid rolecert configuration"},
    {ROLECERT_R_DELEGATE_FAILED, "delegate provider failure"},
    {ROLECERT_R_PREHASHED_REFUSED, "signing a precomputed digest is refused"},
    {ROLECERT_R_OUT_OF_MEMORY, "out of memory"},
    {ROLECERT_R_NOT_SUPPORTED, "operation not supported"},
    {ROLECERT_R_TOO_MANY_NAMES, "too many names to check"},
    {ROLECERT_R_NOT_WRAPPED, "algorithm could not be wrapped"},
    {0, NULL},
};

/* Reason strings that carry a finding (rolecert_finding_reason). The core
 * keeps the pointers it is handed at load, not copies, so a slot's text
 * can be written when a finding is raised; the slots are used in turn, and
 * a text is only overwritten after ROLECERT_FINDING_SLOTS later findings.
 * Were a libcrypto ever to copy the strings, its reason would read as the
 * plain "certificate name policy violation" the slots start with. */
#define FIXED_REASONS (sizeof(fixed_reasons) / sizeof(fixed_reasons[0]) - 1)
static char finding_text[ROLECERT_FINDING_SLOTS][ROLECERT_FINDING_TEXT_MAX];
static OSSL_ITEM reason_strings[FIXED_REASONS + ROLECERT_FINDING_SLOTS + 1];
static pthread_once_t reason_strings_once = PTHREAD_ONCE_INIT;
static unsigned next_finding;
static pthread_mutex_t finding_lock = PTHREAD_MUTEX_INITIALIZER;

static void reason_strings_build(void)
{
    memcpy(reason_strings, fixed_reasons, FIXED_REASONS * sizeof(OSSL_ITEM));
    for (size_t i = 0; i < ROLECERT_FINDING_SLOTS; i++) {
        snprintf(finding_text[i], sizeof(finding_text[i]), "%s", POLICY_VIOLATION_TEXT);
        reason_strings[FIXED_REASONS + i] =
            (OSSL_ITEM){ROLECERT_R_FINDING_BASE + (unsigned)i, finding_text[i]};
    }
    reason_strings[FIXED_REASONS + ROLECERT_FINDING_SLOTS] = (OSSL_ITEM){0, NULL};
}

const OSSL_ITEM *rolecert_reason_strings(void)
{
    pthread_once(&reason_strings_once, reason_strings_build);
    return reason_strings;
}

uint32_t rolecert_finding_reason(const char *fmt, ...)
{
    /* Writers take turns (a refusal is rare next to its cost); libcrypto
     * reads a slot without this lock, which only matters to a reader
     * ROLECERT_FINDING_SLOTS findings late. */
    pthread_mutex_lock(&finding_lock);
    unsigned slot = next_finding++ % ROLECERT_FINDING_SLOTS;
    char *text = finding_text[slot];
    int n = snprintf(text, ROLECERT_FINDING_TEXT_MAX, "%s: ", POLICY_VIOLATION_TEXT);
    if (n > 0 && n < ROLECERT_FINDING_TEXT_MAX) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(text + n, ROLECERT_FINDING_TEXT_MAX - (size_t)n, fmt, args);
        va_end(args);
    }
    pthread_mutex_unlock(&finding_lock);
    return ROLECERT_R_FINDING_BASE + slot;
}

void rolecert_raise(const rolecert_core *core, const char *file, int line, const char *func,
                    uint32_t reason, const char *fmt, ...)
{
    /* Before OSSL_provider_init has captured the core functions there is
     * nowhere to report to; callers then fail by return value alone. */
    if (core == NULL || core->new_error == NULL || core->vset_error == NULL)
        return;
    core->new_error(core->handle);
    if (core->set_error_debug != NULL)
        core->set_error_debug(core->handle, file, line, func);
    va_list args;
    va_start(args, fmt);
    core->vset_error(core->handle, reason, fmt, args);
    va_end(args);
}
