/* SPDX-License-Identifier: Apache-2.0 */
/* Plans the SAN of a profile's role: which names, in which order, from where. */
#include "profile_san.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "strbuf.h"
#include "text.h"

void san_list_free(san_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].name);
        free(list->items[i].covered_by);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

static bool san_list_push(san_list *list, const char *name, size_t len, name_source source,
                          unsigned line)
{
    san_name *items = array_grow(list->items, &list->cap, list->n, sizeof(*items));
    if (items == NULL)
        return false;
    list->items = items;
    char *copy = text_copy(name, len);
    if (copy == NULL)
        return false;
    for (size_t i = 0; i < len; i++)
        copy[i] = text_ascii_lower(copy[i]);
    list->items[list->n++] = (san_name){copy, len, source, line, NULL};
    return true;
}

static bool san_list_holds(const san_list *list, const char *name, size_t len)
{
    for (size_t i = 0; i < list->n; i++) {
        if (text_equal_ci(list->items[i].name, list->items[i].len, name, len))
            return true;
    }
    return false;
}

/* Role-generated overlaps are dropped silently: the first source wins. */
static bool san_list_add_unique(san_list *list, const char *name, size_t len, name_source source,
                                unsigned line)
{
    if (san_list_holds(list, name, len))
        return true;
    return san_list_push(list, name, len, source, line);
}

/* ---- the SAN ----------------------------------------------------------------------- */

static bool add_single(san_list *list, const profile_entry *e, name_source source)
{
    if (e == NULL)
        return true;
    return san_list_add_unique(list, e->value, e->value_len, source, e->line);
}

static bool add_items(san_list *list, const item_vec *vec, name_source source)
{
    for (size_t i = 0; i < vec->n; i++) {
        const list_item *d = &vec->items[i];
        if (!san_list_add_unique(list, d->ptr, d->len, source, d->line))
            return false;
    }
    return true;
}

static bool add_prefixed(san_list *list, const san_input *c, const char *prefix, name_source source)
{
    strbuf name;
    strbuf_init(&name);
    bool ok = true;
    for (size_t i = 0; ok && i < c->accepted.n; i++) {
        const list_item *d = &c->accepted.items[i];
        strbuf_reset(&name);
        strbuf_append_str(&name, prefix);
        strbuf_append(&name, d->ptr, d->len);
        ok = !name.failed && san_list_add_unique(list, name.data, name.len, source, d->line);
    }
    strbuf_free(&name);
    return ok;
}

/* A `dns =` name that the role already generates (fqdn, accepted domain,
 * autodiscover, ...) is also one the user wrote twice: Exchange's
 * -DomainName list would carry it twice too. */
static bool collect_dns_over_role(san_list *repeated, const san_list *san, const item_vec *dns)
{
    for (size_t i = 0; i < dns->n; i++) {
        for (size_t k = 0; k < san->n; k++) {
            const san_name *s = &san->items[k];
            if (s->source == SOURCE_DNS || s->source == SOURCE_CN ||
                !text_equal_ci(dns->items[i].ptr, dns->items[i].len, s->name, s->len))
                continue;
            if (!san_list_push(repeated, dns->items[i].ptr, dns->items[i].len, SOURCE_DNS,
                               dns->items[i].line))
                return false;
            break;
        }
    }
    return true;
}

/* Names the user wrote twice in one list are checked as dns-duplicate. */
static bool collect_repeats(san_list *repeated, const item_vec *vec)
{
    for (size_t i = 1; i < vec->n; i++) {
        for (size_t k = 0; k < i; k++) {
            if (text_equal_ci(vec->items[i].ptr, vec->items[i].len, vec->items[k].ptr,
                              vec->items[k].len)) {
                if (!san_list_push(repeated, vec->items[i].ptr, vec->items[i].len, SOURCE_DNS,
                                   vec->items[i].line))
                    return false;
                break;
            }
        }
    }
    return true;
}

static bool is_dns_cn(const profile *p, const char *name, size_t len)
{
    for (size_t i = 0; i < p->subject.n; i++) {
        const subject_attr *a = &p->subject.items[i];
        if (a->attr == POLICY_ATTR_CN && text_equal_ci(a->value, a->value_len, name, len))
            return true;
    }
    return false;
}

/*
 * wildcard = yes: "a single wildcard domain name represents all the
 * sub-domains", so a host name the role generates (the server FQDN,
 * autodiscover.<d>, the load-balanced name) that a wildcard covers (RFC
 * 6125: one label followed by .P) is left out, kept in p->omitted with the
 * wildcard for --explain. A name that is the subject's CN stays: the CN is
 * always in the SAN. Accepted domains and dns= names are never left out.
 */
static bool omit_covered_hosts(profile *p, const san_list *role, bool *skip)
{
    size_t n_wild = 0;
    policy_str *wild = calloc(role->n + 1, sizeof(*wild));
    if (wild == NULL)
        return false;
    for (size_t i = 0; i < role->n; i++) {
        if (role->items[i].source == SOURCE_WILDCARD)
            wild[n_wild++] = (policy_str){role->items[i].name, role->items[i].len};
    }
    bool ok = true;
    for (size_t i = 0; ok && i < role->n; i++) {
        const san_name *s = &role->items[i];
        if (s->source != SOURCE_FQDN && s->source != SOURCE_AUTODISCOVER &&
            s->source != SOURCE_LOAD_BALANCED)
            continue;
        long by = policy_host_covered_by_list((policy_str){s->name, s->len}, wild, n_wild);
        if (by < 0 || is_dns_cn(p, s->name, s->len))
            continue;
        skip[i] = true;
        ok = san_list_push(&p->omitted, s->name, s->len, s->source, s->line);
        if (ok) {
            p->omitted.items[p->omitted.n - 1].covered_by = strndup(wild[by].ptr, wild[by].len);
            ok = p->omitted.items[p->omitted.n - 1].covered_by != NULL;
        }
    }
    free(wild);
    return ok;
}

bool profile_plan_san(profile *p, const san_input *c)
{
    san_list role, head;
    memset(&role, 0, sizeof(role));
    memset(&head, 0, sizeof(head));
    size_t connector_at = 0;
    bool ok = true;
    switch (p->role) {
    case ROLE_EDGE:
        ok = add_single(&role, c->fqdn, SOURCE_FQDN) &&
             add_items(&role, &c->accepted, SOURCE_ACCEPTED_DOMAIN) &&
             (!c->wildcard_on || add_prefixed(&role, c, "*.", SOURCE_WILDCARD));
        connector_at = role.n;
        ok = ok && add_items(&role, &c->dns, SOURCE_DNS);
        break;
    case ROLE_CLIENT_ACCESS:
        ok =
            add_single(&role, c->netbios, SOURCE_NETBIOS) &&
            add_items(&role, &c->accepted, SOURCE_ACCEPTED_DOMAIN) &&
            (!c->wildcard_on || add_prefixed(&role, c, "*.", SOURCE_WILDCARD)) &&
            add_single(&role, c->fqdn, SOURCE_FQDN) &&
            (!c->autodiscover_on || add_prefixed(&role, c, "autodiscover.", SOURCE_AUTODISCOVER)) &&
            add_single(&role, c->load_balanced, SOURCE_LOAD_BALANCED) &&
            add_items(&role, &c->dns, SOURCE_DNS);
        break;
    case ROLE_CUSTOM:
        ok = add_single(&role, c->fqdn, SOURCE_FQDN) && add_items(&role, &c->dns, SOURCE_DNS);
        break;
    }
    /* A CN that is a DNS name leads the SAN unless the role already has it. */
    for (size_t i = 0; ok && i < p->subject.n; i++) {
        const subject_attr *a = &p->subject.items[i];
        if (a->attr != POLICY_ATTR_CN ||
            !policy_cn_is_dns_name((policy_str){a->value, a->value_len}) ||
            san_list_holds(&role, a->value, a->value_len))
            continue;
        ok = san_list_add_unique(&head, a->value, a->value_len, SOURCE_CN, a->line);
    }
    bool *skip = ok ? calloc(role.n + 1, sizeof(*skip)) : NULL;
    ok = ok && skip != NULL && (!c->wildcard_on || omit_covered_hosts(p, &role, skip));
    long covered = -1;
    policy_str *all = NULL;
    if (ok && c->connector != NULL) {
        size_t n_all = 0;
        all = calloc(head.n + role.n + 1, sizeof(*all));
        ok = all != NULL;
        for (size_t i = 0; ok && i < head.n + role.n; i++) {
            const san_name *s = i < head.n ? &head.items[i] : &role.items[i - head.n];
            if (i < head.n || !skip[i - head.n])
                all[n_all++] = (policy_str){s->name, s->len};
        }
        if (ok)
            covered = policy_host_covered_by_list(
                (policy_str){c->connector->value, c->connector->value_len}, all, n_all);
        if (ok && covered >= 0) {
            p->connector_omitted = strndup(c->connector->value, c->connector->value_len);
            p->connector_covered_by = strndup(all[covered].ptr, all[covered].len);
            p->connector_line = c->connector->line;
            ok = p->connector_omitted != NULL && p->connector_covered_by != NULL;
        }
    }
    for (size_t i = 0; ok && i < head.n; i++)
        ok = san_list_push(&p->san, head.items[i].name, head.items[i].len, head.items[i].source,
                           head.items[i].line);
    for (size_t i = 0; ok && i <= role.n; i++) {
        if (i == connector_at && c->connector != NULL && covered < 0)
            ok = san_list_push(&p->san, c->connector->value, c->connector->value_len,
                               SOURCE_CONNECTOR, c->connector->line);
        if (ok && i < role.n && !skip[i])
            ok = san_list_push(&p->san, role.items[i].name, role.items[i].len, role.items[i].source,
                               role.items[i].line);
    }
    ok = ok && collect_repeats(&p->repeated, &c->accepted) &&
         collect_repeats(&p->repeated, &c->dns) &&
         collect_dns_over_role(&p->repeated, &p->san, &c->dns);
    free(all);
    free(skip);
    san_list_free(&role);
    san_list_free(&head);
    return ok;
}
