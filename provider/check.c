/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verdict on one to-be-signed blob: walk it, run the policy core over
 * what it names, raise one error per error finding (enforce) and report
 * the rest, one line each.
 */
#include "prov.h"
#include <rolecert/tbs.h>

#include <stdio.h>

typedef struct verdict_sink {
    const rolecert_provctx *pc;
    tbs_kind kind;
} verdict_sink;

static void report_finding(const rolecert_settings *s, tbs_kind kind, const policy_finding *f,
                           const char *note)
{
    char line[POLICY_MESSAGE_MAX + POLICY_HINT_MAX + 128];
    int n = snprintf(line, sizeof(line), "rolecert: %s[%s] %s; hint: %s (%s%s)\n",
                     policy_severity_name(f->severity), f->rule_id, f->message, f->hint,
                     tbs_kind_name(kind), note);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
    if (line[len - 1] != '\n')
        line[len - 1] = '\n'; /* truncated: still one whole line */
    rolecert_report(s, line, len);
}

static void name_policy_finding(void *ctx, const policy_finding *f)
{
    const verdict_sink *sink = ctx;
    const rolecert_provctx *pc = sink->pc;
    if (f->severity == POLICY_SEV_ERROR && pc->settings.mode == ROLECERT_MODE_ENFORCE) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_POLICY_VIOLATION, "error[%s] %s; hint: %s (%s)",
                       f->rule_id, f->message, f->hint, tbs_kind_name(sink->kind));
        return;
    }
    report_finding(&pc->settings, sink->kind, f,
                   f->severity == POLICY_SEV_ERROR ? "; audit mode: signed anyway" : "");
}

static int refuse_unreadable(const rolecert_provctx *pc, const tbs_names *names, tbs_status status)
{
    uint32_t reason = status == TBS_TOO_MANY ? ROLECERT_R_TOO_MANY_NAMES : ROLECERT_R_MALFORMED_TBS;
    if (pc->settings.mode == ROLECERT_MODE_AUDIT) {
        char line[256];
        int n = snprintf(line, sizeof(line),
                         "rolecert: %s: %s at byte %zu (audit mode: signed anyway)\n",
                         tbs_kind_name(names->kind), names->error, names->error_offset);
        if (n > 0 && (size_t)n < sizeof(line))
            rolecert_report(&pc->settings, line, (size_t)n);
        return 1;
    }
    ROLECERT_RAISE(&pc->core, reason, "%s: %s at byte %zu; refusing to sign what cannot be checked",
                   tbs_kind_name(names->kind), names->error, names->error_offset);
    return 0;
}

int rolecert_config_usable(const rolecert_provctx *pc)
{
    if (!pc->refuse_all)
        return 1;
    ROLECERT_RAISE(&pc->core, ROLECERT_R_BAD_CONFIG, "%s; refusing to sign anything",
                   pc->settings.config_error);
    return 0;
}

int rolecert_check_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len)
{
    tbs_names names;
    tbs_status status = tbs_parse(tbs, len, &names);
    if (status == TBS_NOT_TBS)
        return 1;
    if (status != TBS_OK)
        return refuse_unreadable(pc, &names, status);
    policy_names view;
    tbs_to_policy_names(&names, &view);
    verdict_sink sink_ctx = {pc, names.kind};
    policy_sink sink = {name_policy_finding, &sink_ctx};
    policy_result result = policy_check_names(&pc->settings.policy, &view, &sink);
    return result.errors == 0 || pc->settings.mode == ROLECERT_MODE_AUDIT;
}
