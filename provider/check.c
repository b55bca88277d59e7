/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verdict on one to-be-signed blob: walk it, run every policy over
 * what it names (a name must pass all), raise one error per error finding
 * of a policy in enforce mode and report the rest, one line each.
 */
#include "prov.h"
#include <rolecert/tbs.h>

#include <stdarg.h>
#include <stdio.h>

typedef struct verdict_sink {
    const rolecert_provctx *pc;
    const rolecert_settings *settings;
    tbs_kind kind;
    const char *origin;     /* "" with one policy; else " (policy of FILE)" */
    bool finding_in_reason; /* see rolecert_check_remembered_tbs */
} verdict_sink;

static void report_finding(const verdict_sink *sink, const policy_finding *f, const char *note)
{
    char line[POLICY_MESSAGE_MAX + POLICY_HINT_MAX + 512];
    int n = snprintf(line, sizeof(line), "rolecert: %s[%s] %s; hint: %s (%s%s)%s\n",
                     policy_severity_name(f->severity), f->rule_id, f->message, f->hint,
                     tbs_kind_name(sink->kind), note, sink->origin);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
    if (line[len - 1] != '\n')
        line[len - 1] = '\n'; /* truncated: still one whole line */
    rolecert_report(sink->settings, line, len);
}

static void name_policy_finding(void *ctx, const policy_finding *f)
{
    const verdict_sink *sink = ctx;
    if (f->severity == POLICY_SEV_ERROR && sink->settings->mode == ROLECERT_MODE_ENFORCE) {
        uint32_t reason = ROLECERT_R_POLICY_VIOLATION;
        if (sink->finding_in_reason)
            reason = rolecert_finding_reason("error[%s] %s (%s)", f->rule_id, f->message,
                                             tbs_kind_name(sink->kind));
        ROLECERT_RAISE(&sink->pc->core, reason, "error[%s] %s; hint: %s (%s)%s", f->rule_id,
                       f->message, f->hint, tbs_kind_name(sink->kind), sink->origin);
        return;
    }
    report_finding(sink, f, f->severity == POLICY_SEV_ERROR ? "; audit mode: signed anyway" : "");
}

/* Bytes that start like a request or certificate but cannot be walked. */
static int refuse_unreadable(const rolecert_provctx *pc, const tbs_names *names, tbs_status status)
{
    uint32_t reason = status == TBS_TOO_MANY ? ROLECERT_R_TOO_MANY_NAMES : ROLECERT_R_MALFORMED_TBS;
    return ROLECERT_REFUSE_UNCHECKED(pc, reason, "refusing to sign what cannot be checked",
                                     "%s: %s at byte %zu", tbs_kind_name(names->kind), names->error,
                                     names->error_offset);
}

int rolecert_refuse_unchecked(const rolecert_provctx *pc, const char *file, int line,
                              const char *func, uint32_t reason, const char *refusal,
                              const char *what_fmt, ...)
{
    /* Every message is a fixed text with a few numbers, a kind and a
     * walker error: far shorter than this. */
    char what[1024];
    va_list args;
    va_start(args, what_fmt);
    int n = vsnprintf(what, sizeof(what), what_fmt, args);
    va_end(args);
    if (n < 0)
        what[0] = '\0';
    bool audit = true;
    for (size_t i = 0; i < pc->policies.n; i++)
        audit = audit && pc->policies.set[i].mode == ROLECERT_MODE_AUDIT;
    if (!audit) {
        rolecert_raise(&pc->core, file, line, func, reason, "%s; %s", what, refusal);
        return 0;
    }
    char text[sizeof(what) + 64];
    n = snprintf(text, sizeof(text), "rolecert: %s (audit mode: signed anyway)\n", what);
    if (n > 0 && (size_t)n < sizeof(text))
        rolecert_report_all(&pc->policies, text, (size_t)n);
    return 1;
}

int rolecert_config_usable(const rolecert_provctx *pc)
{
    if (!pc->policies.refuse_all)
        return 1;
    ROLECERT_RAISE(&pc->core, ROLECERT_R_BAD_CONFIG, "%s; refusing to sign anything",
                   pc->policies.error);
    return 0;
}

static int check_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len,
                     bool finding_in_reason)
{
    tbs_names names;
    tbs_status status = tbs_parse(tbs, len, &names);
    if (status == TBS_NOT_TBS)
        return 1;
    if (status != TBS_OK)
        return refuse_unreadable(pc, &names, status);

    policy_names view;
    tbs_to_policy_names(&names, &view);
    bool refused = false;
    for (size_t i = 0; i < pc->policies.n; i++) {
        const rolecert_settings *s = &pc->policies.set[i];
        char origin[sizeof(s->origin) + 32];
        origin[0] = '\0'; /* not the whole array: this runs at every signature */
        if (pc->policies.n > 1)
            snprintf(origin, sizeof(origin), " (policy of %s)", s->origin);
        verdict_sink sink_ctx = {pc, s, names.kind, origin, finding_in_reason};
        policy_sink sink = {name_policy_finding, &sink_ctx};
        policy_result result = policy_check_names(&s->policy, &view, &sink);
        refused = refused || (result.errors > 0 && s->mode == ROLECERT_MODE_ENFORCE);
    }
    return !refused;
}

int rolecert_check_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len)
{
    /* Most of what is signed (digests, TLS transcripts) is ruled out by its
     * first byte: no walk to set up. */
    if (!tbs_may_be(tbs, len))
        return 1;
    return check_tbs(pc, tbs, len, false);
}

int rolecert_check_remembered_tbs(const rolecert_provctx *pc, const unsigned char *tbs, size_t len)
{
    return check_tbs(pc, tbs, len, true);
}
