/* SPDX-License-Identifier: Apache-2.0 */
#include "check_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_names.h"
#include "strbuf.h"
#include "text.h"

typedef struct collector {
    check_report *report;
    const tbs_names *names; /* to decode subject values */
} collector;

static void collect_finding(void *ctx, const policy_finding *f)
{
    collector *c = ctx;
    check_report *r = c->report;
    if (!array_make_room(&r->findings, r->n_findings, &r->cap, sizeof(*r->findings))) {
        r->out_of_memory = true;
        return;
    }
    check_finding *kept = &r->findings[r->n_findings];
    kept->rule_id = f->rule_id;
    kept->severity = f->severity;
    kept->where = f->where;
    kept->index = f->index;
    snprintf(kept->message, sizeof(kept->message), "%s", f->message);
    snprintf(kept->hint, sizeof(kept->hint), "%s", f->hint);
    strbuf value;
    strbuf_init(&value);
    const tbs_names *names = c->names;
    policy_string_type type = POLICY_STRING_UTF8;
    if (f->where == POLICY_WHERE_SUBJECT && f->index < names->n_subject &&
        f->value.ptr == names->subject[f->index].value.ptr)
        type = names->subject[f->index].type;
    cert_value_to_utf8(&value, type, f->value);
    kept->value = strbuf_detach(&value, &kept->value_len);
    if (kept->value == NULL) {
        r->out_of_memory = true;
        return;
    }
    r->n_findings++;
}

bool role_names_of_profile(const profile *prof, bool with_connector, role_name **out, size_t *n)
{
    bool connector = with_connector && prof->connector_omitted != NULL;
    size_t total = prof->san.n + (connector ? 1 : 0) + (with_connector ? prof->omitted.n : 0);
    *n = 0;
    *out = calloc(total == 0 ? 1 : total, sizeof(**out));
    if (*out == NULL)
        return false;
    for (size_t i = 0; i < prof->san.n; i++) {
        const san_name *s = &prof->san.items[i];
        (*out)[(*n)++] = (role_name){s->name, s->len, name_source_label(s->source), s->line,
                                     s->source == SOURCE_ACCEPTED_DOMAIN};
    }
    for (size_t i = 0; with_connector && i < prof->omitted.n; i++) {
        const san_name *s = &prof->omitted.items[i];
        (*out)[(*n)++] = (role_name){s->name, s->len, name_source_label(s->source), s->line, false};
    }
    if (connector)
        (*out)[(*n)++] =
            (role_name){prof->connector_omitted, strlen(prof->connector_omitted),
                        name_source_label(SOURCE_CONNECTOR), prof->connector_line, false};
    return true;
}

void check_collect(check_report *report, const tbs_names *names, const policy_config *cfg,
                   const role_name *required, size_t n_required)
{
    memset(report, 0, sizeof(*report));
    policy_names view;
    tbs_to_policy_names(names, &view);
    collector c = {report, names};
    policy_sink sink = {collect_finding, &c};
    report->result = policy_check_names(cfg, &view, &sink);
    if (n_required == 0)
        return;
    report->covered_by = calloc(n_required, sizeof(*report->covered_by));
    if (report->covered_by == NULL) {
        report->out_of_memory = true;
        return;
    }
    report->n_required = n_required;
    for (size_t i = 0; i < n_required; i++) {
        policy_str host = {required[i].name, required[i].len};
        report->covered_by[i] = required[i].accepted_domain
                                    ? policy_domain_matched_by_list(host, view.dns, view.n_dns)
                                    : policy_host_covered_by_list(host, view.dns, view.n_dns);
        if (report->covered_by[i] < 0)
            report->missing++;
    }
}

void check_report_free(check_report *report)
{
    for (size_t i = 0; i < report->n_findings; i++)
        free(report->findings[i].value);
    free(report->findings);
    free(report->covered_by);
    memset(report, 0, sizeof(*report));
}

void role_name_cover_hint(strbuf *out, const role_name *name, const char *profile_path)
{
    strbuf_append_str(out, "request a certificate whose SAN holds ");
    text_append_quoted(out, name->name, name->len);
    const char *dot = memchr(name->name, '.', name->len);
    size_t parent = dot != NULL ? name->len - (size_t)(dot + 1 - name->name) : 0;
    if (name->accepted_domain) {
        strbuf_append_str(out, " or ");
        strbuf_append_str(out, "'*.");
        strbuf_append(out, name->name, name->len);
        strbuf_append_str(out, "' (Domain Security takes either)");
    } else if (dot != NULL && memchr(dot + 1, '.', parent) != NULL) {
        /* *.com for www.com would be a wildcard over a top-level domain. */
        strbuf_append_str(out, " or '*.");
        strbuf_append(out, dot + 1, parent);
        strbuf_append_char(out, '\'');
    }
    strbuf_printf(out, " (rolecert conf %s makes the request)", profile_path);
}
