/* SPDX-License-Identifier: Apache-2.0 */
#include "err.h"

#include <stdarg.h>
#include <stddef.h>

static const OSSL_ITEM reason_strings[] = {
    {ROLECERT_R_POLICY_VIOLATION, "certificate name policy violation"},
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

const OSSL_ITEM *rolecert_reason_strings(void)
{
    return reason_strings;
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
