/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to profile*.c: what profile.c hands the SAN planner. profile.c
 * interprets the keys; profile_san.c turns the role's keys into the SAN in
 * the role's order.
 */
#ifndef ROLECERT_CONFGEN_PROFILE_SAN_H
#define ROLECERT_CONFGEN_PROFILE_SAN_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"
#include "profile_reader.h"

/* One item of a list value (accepted_domains, dns), pointing into its
 * entry's value. */
typedef struct list_item {
    const char *ptr;
    size_t len;
    unsigned line;
} list_item;

typedef struct item_vec {
    list_item *items;
    size_t n;
    size_t cap;
    unsigned line; /* of the entry being split */
    bool failed;
} item_vec;

/* The keys the SAN is planned from; an entry is NULL when not given. */
typedef struct san_input {
    const profile_entry *fqdn, *connector, *netbios, *load_balanced;
    item_vec accepted; /* every accepted_domains item, in written order */
    item_vec dns;      /* every [names] dns item */
    bool autodiscover_on;
    bool wildcard_on;
} san_input;

/* Fills p->san (a CN that is a DNS name first, then the role's names in its
 * order), p->repeated and the connector fields. p->role and p->subject must
 * be final. Returns false when out of memory. */
bool profile_plan_san(profile *p, const san_input *in);

void san_list_free(san_list *list);

#endif
