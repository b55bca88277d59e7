/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert.so entry point. OSSL_provider_init is the only exported symbol
 * (everything else is built with hidden visibility).
 */
#include "delegate.h"
#include "prov.h"
#include "refuse.h"
#include "tbs_memory.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLECERT_PROVIDER_NAME "rolecert"
#define ROLECERT_SIG_PROPERTIES "provider=rolecert,rolecert.enforce=yes"
#define ROLECERT_KMGMT_PROPERTIES "provider=rolecert,rolecert.keymgmt=yes"
#define ROLECERT_STORE_PROPERTIES "provider=rolecert,rolecert.store=yes"

bool rolecert_names_contain(const char *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names; p != NULL && *p != '\0';) {
        const char *end = strchr(p, ':');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len == n && OPENSSL_strncasecmp(p, name, n) == 0)
            return true;
        p = end != NULL ? end + 1 : NULL;
    }
    return false;
}

static bool any_names_contain(const OSSL_ALGORITHM *algs, const char *name)
{
    for (const OSSL_ALGORITHM *a = algs; a->algorithm_names != NULL; a++)
        if (rolecert_names_contain(a->algorithm_names, name))
            return true;
    return false;
}

/* The key manager is needed when one of the delegate's signature
 * algorithms signs with its keys: the name its query_operation_name gives
 * for signing (or its own names) is a signature algorithm's, or (3.4+) a
 * signature names it among its key types. Key managers of key exchange or
 * KEM keys are not offered, so they never shadow the delegate's. */
static bool kmgmt_needed(const OSSL_ALGORITHM *kmgmt, const OSSL_ALGORITHM *sig_algs)
{
    OSSL_FUNC_keymgmt_query_operation_name_fn *qon = NULL;
    for (const OSSL_DISPATCH *d = kmgmt->implementation; d->function_id != 0; d++)
        if (d->function_id == OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME)
            qon = OSSL_FUNC_keymgmt_query_operation_name(d);
    const char *sig_name = qon != NULL ? qon(OSSL_OP_SIGNATURE) : NULL;
    if (sig_name != NULL && any_names_contain(sig_algs, sig_name))
        return true;
    for (const OSSL_ALGORITHM *s = sig_algs; s->algorithm_names != NULL; s++) {
        /* Without query_operation_name libcrypto signs with the key
         * manager's own name. */
        const char *names = kmgmt->algorithm_names;
        const char *colon = strchr(names, ':');
        char first[64];
        size_t len = colon != NULL ? (size_t)(colon - names) : strlen(names);
        if (sig_name == NULL && len < sizeof(first)) {
            memcpy(first, names, len);
            first[len] = '\0';
            if (rolecert_names_contain(s->algorithm_names, first))
                return true;
        }
#if ROLECERT_HAVE_MESSAGE_SIGNING
        for (const OSSL_DISPATCH *d = s->implementation; d->function_id != 0; d++) {
            if (d->function_id != OSSL_FUNC_SIGNATURE_QUERY_KEY_TYPES)
                continue;
            const char **types = OSSL_FUNC_signature_query_key_types(d)();
            for (size_t i = 0; types != NULL && types[i] != NULL; i++)
                if (rolecert_names_contain(kmgmt->algorithm_names, types[i]))
                    return true;
        }
#endif
    }
    return false;
}

static size_t count_algorithms(const OSSL_ALGORITHM *algs)
{
    size_t n = 0;
    while (algs[n].algorithm_names != NULL)
        n++;
    return n;
}

/* The first of `names` ("RSA:rsaEncryption:...") is among `offer`'s. */
static bool offered(const rolecert_offer *offer, const char *names)
{
    const char *colon = strchr(names, ':');
    char first[64];
    size_t len = colon != NULL ? (size_t)(colon - names) : strlen(names);
    if (len >= sizeof(first))
        return false;
    memcpy(first, names, len);
    first[len] = '\0';
    for (size_t i = 0; i < offer->n; i++)
        if (rolecert_names_contain(offer->algs[i].algorithm_names, first))
            return true;
    return false;
}

/* Which kinds a configuration offers, and which algorithms of a kind. */
static bool prehashed_check(const rolecert_provctx *pc)
{
    return pc->policies.check_prehashed;
}

static bool delegate_not_default(const rolecert_provctx *pc)
{
    return strcmp(pc->delegate.name, ROLECERT_DELEGATE_DEFAULT) != 0;
}

static bool kmgmt_offer_needed(const rolecert_provctx *pc, const OSSL_ALGORITHM *alg,
                               const rolecert_delegate_source *src)
{
    (void)pc;
    return kmgmt_needed(alg, src->algs[ROLECERT_SLOT_SIG]);
}

/* A cipher only for a key type our key managers hold (offered before). */
static bool cipher_offer_needed(const rolecert_provctx *pc, const OSSL_ALGORITHM *alg,
                                const rolecert_delegate_source *src)
{
    (void)src;
    return offered(&pc->offers[ROLECERT_SLOT_KMGMT], alg->algorithm_names);
}

typedef struct offer_kind {
    rolecert_slot_kind kind;
    int operation_id;
    const char *properties;
    const char *description;
    const char *what; /* for the report */
    rolecert_slot_identity (*identity)(const OSSL_ALGORITHM *alg);
    bool (*wrap)(rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                 OSSL_DISPATCH out[ROLECERT_DISPATCH_MAX]);
    /* What an algorithm that could not be wrapped gets; NULL: it is not
     * offered (nothing it does is checked, so the delegate's own stands). */
    const OSSL_DISPATCH *(*unwrapped)(void);
    /* NULL: always offered / every algorithm of the kind. */
    bool (*wanted)(const rolecert_provctx *pc);
    bool (*needed)(const rolecert_provctx *pc, const OSSL_ALGORITHM *alg,
                   const rolecert_delegate_source *src);
    /* NULL, or told of each algorithm wrapped into a slot (its provider
     * context set), with the name of the provider it came from. */
    void (*wrapped)(rolecert_provctx *pc, int slot, const OSSL_ALGORITHM *alg, const char *source);
} offer_kind;

/* By rolecert_slot_kind. */
static const offer_kind offer_kinds[ROLECERT_SLOT_KINDS] = {
    {ROLECERT_SLOT_SIG, OSSL_OP_SIGNATURE, ROLECERT_SIG_PROPERTIES,
     "rolecert name-policy checking signature", "signature algorithm", rolecert_sig_identity,
     rolecert_sig_wrap, rolecert_sig_unwrapped_dispatch, NULL, NULL, NULL},
    {ROLECERT_SLOT_KMGMT, OSSL_OP_KEYMGMT, ROLECERT_KMGMT_PROPERTIES,
     "rolecert key manager (delegates)", "key manager", rolecert_kmgmt_identity,
     rolecert_kmgmt_wrap, rolecert_kmgmt_unwrapped_dispatch, NULL, kmgmt_offer_needed, NULL},
    /* prehashed = check: hashing a request or certificate is seen too. */
    {ROLECERT_SLOT_DIGEST, OSSL_OP_DIGEST, ROLECERT_SIG_PROPERTIES,
     "rolecert digest (remembers requests and certificates for pre-hashed signing)",
     "hash algorithm", rolecert_digest_identity, rolecert_digest_wrap,
     rolecert_digest_unwrapped_dispatch, prehashed_check, NULL, rolecert_digest_wrapped},
    /* With a delegate only, and not preferred (rolecert.keymgmt=yes): a
     * software public key encrypts with default as before, while a token
     * key, which never exports its private half, is decrypted by the
     * key's own provider: here (cipher.c). */
    {ROLECERT_SLOT_ASYM_CIPHER, OSSL_OP_ASYM_CIPHER, ROLECERT_KMGMT_PROPERTIES,
     "rolecert asymmetric cipher (delegates, unchecked)", "asymmetric cipher",
     rolecert_cipher_identity, rolecert_cipher_wrap, NULL, delegate_not_default,
     cipher_offer_needed, NULL},
};

static bool kind_wanted(const rolecert_provctx *pc, const offer_kind *k)
{
    return k->wanted == NULL || k->wanted(pc);
}

/* Where the provider context goes that slot `slot` of `kind` calls with. */
static void **slot_provctx(rolecert_provctx *pc, rolecert_slot_kind kind, int slot)
{
    switch (kind) {
    case ROLECERT_SLOT_SIG:
        return &pc->sig[slot].provctx;
    case ROLECERT_SLOT_KMGMT:
        return &pc->kmgmt[slot].provctx;
    case ROLECERT_SLOT_DIGEST:
        return &pc->digest[slot].provctx;
    default:
        return &pc->cipher[slot].provctx;
    }
}

/* Offer a wrapped copy of each of the sources' algorithms, under the same
 * names so every alias fetches us: the delegate's, then `default`'s that
 * the delegate does not offer (so that, beside a token, software keys of
 * every type still sign through us). One that cannot be wrapped is
 * offered refusing and reported. */
static bool make_offer(rolecert_provctx *pc, const offer_kind *k,
                       const rolecert_delegate_source src[ROLECERT_SOURCES])
{
    rolecert_offer *offer = &pc->offers[k->kind];
    size_t total = 0;
    for (int i = 0; i < ROLECERT_SOURCES; i++)
        total += src[i].algs[k->kind] != NULL ? count_algorithms(src[i].algs[k->kind]) : 0;
    offer->algs = calloc(total + 1, sizeof(*offer->algs));
    offer->dispatch = calloc(total + 1, sizeof(*offer->dispatch));
    if (offer->algs == NULL || offer->dispatch == NULL)
        return false;
    for (int i = 0; i < ROLECERT_SOURCES; i++) {
        if (src[i].algs[k->kind] == NULL)
            continue;
        size_t from_delegate = offer->n;
        for (const OSSL_ALGORITHM *a = src[i].algs[k->kind]; a->algorithm_names != NULL; a++) {
            if (k->needed != NULL && !k->needed(pc, a, &src[i]))
                continue;
            if (i > 0 &&
                offered(&(rolecert_offer){offer->algs, NULL, from_delegate, 0}, a->algorithm_names))
                continue;
            rolecert_slot_identity id = k->identity(a);
            int slot = rolecert_slot_claim(k->kind, &id);
            const OSSL_DISPATCH *ours = NULL;
            if (slot >= 0 && k->wrap(pc, slot, a->implementation, offer->dispatch[offer->n])) {
                ours = offer->dispatch[offer->n];
                *slot_provctx(pc, k->kind, slot) = src[i].provctx;
                if (k->wrapped != NULL)
                    k->wrapped(pc, slot, a, src[i].name);
            } else {
                offer->unwrapped++;
                ours = k->unwrapped != NULL ? k->unwrapped() : NULL;
            }
            if (ours != offer->dispatch[offer->n]) {
                char line[512];
                int len = snprintf(line, sizeof(line),
                                   "rolecert: the %s provider's %s %s could not be wrapped (%s); "
                                   "%s\n",
                                   src[i].name, k->what, a->algorithm_names,
                                   slot < 0 ? "no free slot" : "it lacks a required function",
                                   ours != NULL ? "signing with it is refused"
                                                : "it is not offered through rolecert");
                if (len > 0 && (size_t)len < sizeof(line))
                    rolecert_report_all(&pc->policies, line, (size_t)len);
                if (ours == NULL)
                    continue;
            }
            offer->algs[offer->n++] =
                (OSSL_ALGORITHM){a->algorithm_names, k->properties, ours, k->description};
        }
    }
    offer->algs[offer->n] = (OSSL_ALGORITHM){NULL, NULL, NULL, NULL};
    return true;
}

/* The delegate and what was offered from it. */
static void provctx_free_delegate(rolecert_provctx *pc)
{
    rolecert_delegate *d = &pc->delegate;
    for (int i = 0; i < ROLECERT_SOURCES; i++) {
        rolecert_delegate_source *s = &d->source[i];
        if (s->prov == NULL)
            continue;
        for (int k = 0; k < ROLECERT_SLOT_KINDS; k++)
            if (s->algs[k] != NULL)
                OSSL_PROVIDER_unquery_operation(s->prov, offer_kinds[k].operation_id, s->algs[k]);
        OSSL_PROVIDER_unload(s->prov);
    }
    if (d->store_algs != NULL)
        OSSL_PROVIDER_unquery_operation(d->prov, OSSL_OP_STORE, d->store_algs);
    OSSL_LIB_CTX_free(d->libctx);
    for (int k = 0; k < ROLECERT_SLOT_KINDS; k++) {
        free(pc->offers[k].algs);
        free(pc->offers[k].dispatch);
        pc->offers[k] = (rolecert_offer){NULL, NULL, 0, 0};
    }
    free(pc->store_offer.algs);
    free(pc->store_offer.dispatch);
    pc->store_offer = (rolecert_offer){NULL, NULL, 0, 0};
    memset(d, 0, sizeof(*d));
}

static void provctx_free(rolecert_provctx *pc)
{
    if (pc == NULL)
        return;
    provctx_free_delegate(pc);
    rolecert_tbs_teardown_thread();
    rolecert_thread_release_all();
    rolecert_policies_free(&pc->policies);
    free(pc);
}

/* The delegate's URI schemes (pkcs11-provider's `pkcs11:`), so that the
 * keys they hold are loaded into our key manager (store.h). The default
 * provider's `file:` is not offered: its keys are decoded by the default
 * provider outside and exported to us when they sign. */
static bool make_store_offer(rolecert_provctx *pc, const OSSL_ALGORITHM *algs)
{
    rolecert_offer *offer = &pc->store_offer;
    offer->algs = calloc(ROLECERT_STORE_SLOTS + 2, sizeof(*offer->algs));
    offer->dispatch = calloc(ROLECERT_STORE_SLOTS, sizeof(*offer->dispatch));
    if (offer->algs == NULL || offer->dispatch == NULL)
        return false;
    for (const OSSL_ALGORITHM *a = algs; a != NULL && a->algorithm_names != NULL; a++) {
        if (strcmp(pc->delegate.name, ROLECERT_DELEGATE_DEFAULT) == 0)
            break;
        if (offer->n == ROLECERT_STORE_SLOTS ||
            !rolecert_store_wrap(pc, (int)offer->n, a->implementation, offer->dispatch[offer->n])) {
            /* Its keys could not be loaded through us at all: say so. */
            char line[512];
            int len = snprintf(
                line, sizeof(line), "rolecert: the %s provider's store %s is not offered (%s)\n",
                pc->delegate.name, a->algorithm_names,
                offer->n == ROLECERT_STORE_SLOTS ? "no free slot" : "it lacks a required function");
            if (len > 0 && (size_t)len < sizeof(line))
                rolecert_report_all(&pc->policies, line, (size_t)len);
            offer->unwrapped++;
            continue;
        }
        offer->algs[offer->n] =
            (OSSL_ALGORITHM){a->algorithm_names, ROLECERT_STORE_PROPERTIES,
                             offer->dispatch[offer->n], "rolecert store (delegates)"};
        offer->n++;
    }
    if (pc->policies.beside[0] != '\0') {
        char line[1024];
        int len = snprintf(line, sizeof(line), "rolecert: %s\n", pc->policies.error);
        if (len > 0 && (size_t)len < sizeof(line))
            rolecert_report_all(&pc->policies, line, (size_t)len);
        offer->algs[offer->n++] =
            (OSSL_ALGORITHM){pc->policies.beside, ROLECERT_SIG_PROPERTIES,
                             rolecert_store_refusing_dispatch(), "rolecert: refused"};
    }
    return true;
}

/* Load the delegate into a private library context and wrap what it
 * offers, once. Only the delegate (and `default` beside it) lives there,
 * so delegation can never come back into us. */
static bool load_delegate(rolecert_provctx *pc, const char *name, const char *conf_text)
{
    rolecert_delegate *d = &pc->delegate;
    if (!rolecert_delegate_load(d, name, conf_text))
        return false;
    int no_store = 0;
    for (int i = 0; i < ROLECERT_SOURCES; i++) {
        rolecert_delegate_source *s = &d->source[i];
        if (s->prov == NULL)
            continue;
        for (int k = 0; k < ROLECERT_SLOT_KINDS; k++) {
            if (!kind_wanted(pc, &offer_kinds[k]))
                continue;
            s->algs[k] =
                OSSL_PROVIDER_query_operation(s->prov, offer_kinds[k].operation_id, &no_store);
            /* Every provider signs; a delegate may have no cipher. */
            if (s->algs[k] == NULL && k != ROLECERT_SLOT_ASYM_CIPHER)
                return false;
        }
    }
    d->store_algs = OSSL_PROVIDER_query_operation(d->prov, OSSL_OP_STORE, &no_store);
    /* In kind order: a cipher is offered for the key managers offered. */
    for (int k = 0; k < ROLECERT_SLOT_KINDS; k++)
        if (kind_wanted(pc, &offer_kinds[k]) && !make_offer(pc, &offer_kinds[k], d->source))
            return false;
    return make_store_offer(pc, d->store_algs);
}

static void rolecert_teardown(void *provctx)
{
    provctx_free(provctx);
}

static const OSSL_ALGORITHM *rolecert_query(void *provctx, int operation_id, int *no_store)
{
    rolecert_provctx *pc = provctx;
    *no_store = 0;
    if (operation_id == OSSL_OP_STORE)
        return pc->store_offer.n > 0 ? pc->store_offer.algs : NULL;
    for (int k = 0; k < ROLECERT_SLOT_KINDS; k++)
        if (offer_kinds[k].operation_id == operation_id)
            return pc->offers[k].algs; /* NULL when this configuration made none */
    return NULL;
}

static const OSSL_PARAM provider_gettable[] = {
    OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, NULL, 0),
    OSSL_PARAM_DEFN(OSSL_PROV_PARAM_VERSION, OSSL_PARAM_UTF8_PTR, NULL, 0),
    OSSL_PARAM_DEFN(OSSL_PROV_PARAM_BUILDINFO, OSSL_PARAM_UTF8_PTR, NULL, 0),
    OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, NULL, 0),
    OSSL_PARAM_END,
};

static const OSSL_PARAM *rolecert_gettable_params(void *provctx)
{
    (void)provctx;
    return provider_gettable;
}

static int rolecert_get_params(void *provctx, OSSL_PARAM params[])
{
    (void)provctx;
    OSSL_PARAM *p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
    if (p != NULL && !OSSL_PARAM_set_utf8_ptr(p, "rolecert name-policy provider"))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
    if (p != NULL && !OSSL_PARAM_set_utf8_ptr(p, ROLECERT_VERSION))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
    if (p != NULL && !OSSL_PARAM_set_utf8_ptr(p, "rolecert " ROLECERT_VERSION))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
    if (p != NULL && !OSSL_PARAM_set_int(p, 1))
        return 0;
    return 1;
}

static const OSSL_ITEM *rolecert_get_reason_strings(void *provctx)
{
    (void)provctx;
    return rolecert_reason_strings();
}

static const OSSL_DISPATCH provider_dispatch[] = {
    {OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))rolecert_teardown},
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))rolecert_query},
    {OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, (void (*)(void))rolecert_gettable_params},
    {OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))rolecert_get_params},
    {OSSL_FUNC_PROVIDER_GET_REASON_STRINGS, (void (*)(void))rolecert_get_reason_strings},
    {0, NULL},
};

__attribute__((visibility("default"))) int OSSL_provider_init(const OSSL_CORE_HANDLE *handle,
                                                              const OSSL_DISPATCH *in,
                                                              const OSSL_DISPATCH **out,
                                                              void **provctx)
{
    rolecert_core core = {handle, NULL, NULL, NULL};
    OSSL_FUNC_core_get_params_fn *get_params = NULL;
    for (const OSSL_DISPATCH *d = in; d != NULL && d->function_id != 0; d++) {
        switch (d->function_id) {
        case OSSL_FUNC_CORE_GET_PARAMS:
            get_params = OSSL_FUNC_core_get_params(d);
            break;
        case OSSL_FUNC_CORE_NEW_ERROR:
            core.new_error = OSSL_FUNC_core_new_error(d);
            break;
        case OSSL_FUNC_CORE_SET_ERROR_DEBUG:
            core.set_error_debug = OSSL_FUNC_core_set_error_debug(d);
            break;
        case OSSL_FUNC_CORE_VSET_ERROR:
            core.vset_error = OSSL_FUNC_core_vset_error(d);
            break;
        default:
            break;
        }
    }

    rolecert_provctx *pc = calloc(1, sizeof(*pc));
    if (pc == NULL) {
        ROLECERT_RAISE(&core, ROLECERT_R_OUT_OF_MEMORY, "provider context");
        return 0;
    }
    pc->core = core;
    if (!rolecert_policies_load(&pc->policies, handle, get_params)) {
        /* Stay loaded but refuse every signature: see config.h for why a
         * failed init would fail open. */
        ROLECERT_RAISE(&pc->core, ROLECERT_R_BAD_CONFIG, "%s", pc->policies.error);
    }
    const char *delegate =
        pc->policies.delegate[0] != '\0' ? pc->policies.delegate : ROLECERT_DELEGATE_DEFAULT;
    if (!load_delegate(pc, delegate, pc->policies.delegate_conf)) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_DELEGATE_FAILED,
                       "cannot load the %s provider into a private library context", delegate);
        if (strcmp(delegate, ROLECERT_DELEGATE_DEFAULT) == 0) {
            provctx_free(pc);
            return 0;
        }
        /* Failing the load would leave the keys to `default` outside,
         * unchecked: stand in front of `default` and refuse everything. */
        pc->policies.refuse_all = true;
        snprintf(pc->policies.error, sizeof(pc->policies.error),
                 "rolecert config: the delegate '%s' could not be loaded (see delegate_section "
                 "and its module)",
                 delegate);
        provctx_free_delegate(pc);
        if (!load_delegate(pc, ROLECERT_DELEGATE_DEFAULT, NULL)) {
            provctx_free(pc);
            return 0;
        }
    }
    *out = provider_dispatch;
    *provctx = pc;
    return 1;
}
