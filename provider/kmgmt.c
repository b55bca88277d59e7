/* SPDX-License-Identifier: Apache-2.0 */
#include "kmgmt.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/*
 * import_types, export_types and query_operation_name receive no context,
 * so they cannot reach a provider context. Their answers are the default
 * provider's static tables, the same for every context in the process;
 * each OSSL_provider_init stores the same pointers again. Atomics keep
 * that well-defined when two library contexts load us concurrently.
 */
typedef struct static_fns {
    _Atomic(OSSL_FUNC_keymgmt_import_types_fn *) import_types;
    _Atomic(OSSL_FUNC_keymgmt_export_types_fn *) export_types;
    _Atomic(OSSL_FUNC_keymgmt_query_operation_name_fn *) query_operation_name;
} static_fns;

static static_fns remembered[ROLECERT_KEY_COUNT];

void rolecert_kmgmt_remember_static(rolecert_key_alg alg, const rolecert_kmgmt_fns *fns)
{
    atomic_store(&remembered[alg].import_types, fns->import_types);
    atomic_store(&remembered[alg].export_types, fns->export_types);
    atomic_store(&remembered[alg].query_operation_name, fns->query_operation_name);
}

static void *key_new(void *provctx, rolecert_key_alg alg)
{
    rolecert_provctx *pc = provctx;
    rolecert_key *key = malloc(sizeof(*key));
    if (key == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "key object");
        return NULL;
    }
    key->pc = pc;
    key->delegate = &pc->kmgmt[alg];
    key->delegate_key = key->delegate->new_key(pc->delegate_provctx);
    if (key->delegate_key == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_DELEGATE_FAILED, "default provider: new key failed");
        free(key);
        return NULL;
    }
    return key;
}

static void key_free(void *keydata)
{
    rolecert_key *key = keydata;
    if (key == NULL)
        return;
    key->delegate->free_key(key->delegate_key);
    free(key);
}

static int key_has(const void *keydata, int selection)
{
    const rolecert_key *key = keydata;
    if (key == NULL)
        return 0;
    return key->delegate->has(key->delegate_key, selection);
}

static int key_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    rolecert_key *key = keydata;
    if (key == NULL || key->delegate->import == NULL)
        return 0;
    return key->delegate->import(key->delegate_key, selection, params);
}

static int key_export(void *keydata, int selection, OSSL_CALLBACK *param_cb, void *cbarg)
{
    rolecert_key *key = keydata;
    if (key == NULL || key->delegate->export_key == NULL)
        return 0;
    return key->delegate->export_key(key->delegate_key, selection, param_cb, cbarg);
}

static int key_get_params(void *keydata, OSSL_PARAM params[])
{
    rolecert_key *key = keydata;
    if (key == NULL || key->delegate->get_params == NULL)
        return 0;
    return key->delegate->get_params(key->delegate_key, params);
}

static int key_set_params(void *keydata, const OSSL_PARAM params[])
{
    rolecert_key *key = keydata;
    if (key == NULL || key->delegate->set_params == NULL)
        return 0;
    return key->delegate->set_params(key->delegate_key, params);
}

static int key_match(const void *keydata1, const void *keydata2, int selection)
{
    const rolecert_key *a = keydata1, *b = keydata2;
    if (a == NULL || b == NULL || a->delegate != b->delegate || a->delegate->match == NULL)
        return 0;
    return a->delegate->match(a->delegate_key, b->delegate_key, selection);
}

static int key_validate(const void *keydata, int selection, int checktype)
{
    const rolecert_key *key = keydata;
    if (key == NULL || key->delegate->validate == NULL)
        return 0;
    return key->delegate->validate(key->delegate_key, selection, checktype);
}

static const OSSL_PARAM *gettable_params(void *provctx, rolecert_key_alg alg)
{
    const rolecert_provctx *pc = provctx;
    const rolecert_kmgmt_fns *d = &pc->kmgmt[alg];
    return d->gettable_params != NULL ? d->gettable_params(pc->delegate_provctx) : NULL;
}

static const OSSL_PARAM *settable_params(void *provctx, rolecert_key_alg alg)
{
    const rolecert_provctx *pc = provctx;
    const rolecert_kmgmt_fns *d = &pc->kmgmt[alg];
    return d->settable_params != NULL ? d->settable_params(pc->delegate_provctx) : NULL;
}

static const OSSL_PARAM *import_types(int selection, rolecert_key_alg alg)
{
    OSSL_FUNC_keymgmt_import_types_fn *fn = atomic_load(&remembered[alg].import_types);
    return fn != NULL ? fn(selection) : NULL;
}

static const OSSL_PARAM *export_types(int selection, rolecert_key_alg alg)
{
    OSSL_FUNC_keymgmt_export_types_fn *fn = atomic_load(&remembered[alg].export_types);
    return fn != NULL ? fn(selection) : NULL;
}

static const char *query_operation_name(int operation_id, rolecert_key_alg alg)
{
    OSSL_FUNC_keymgmt_query_operation_name_fn *fn =
        atomic_load(&remembered[alg].query_operation_name);
    return fn != NULL ? fn(operation_id) : NULL;
}

#define ROLECERT_KMGMT_ENTRY_POINTS(name, alg)                                                     \
    static void *key_new_##name(void *provctx)                                                     \
    {                                                                                              \
        return key_new(provctx, alg);                                                              \
    }                                                                                              \
    static const OSSL_PARAM *key_gettable_params_##name(void *provctx)                             \
    {                                                                                              \
        return gettable_params(provctx, alg);                                                      \
    }                                                                                              \
    static const OSSL_PARAM *key_settable_params_##name(void *provctx)                             \
    {                                                                                              \
        return settable_params(provctx, alg);                                                      \
    }                                                                                              \
    static const OSSL_PARAM *key_import_types_##name(int selection)                                \
    {                                                                                              \
        return import_types(selection, alg);                                                       \
    }                                                                                              \
    static const OSSL_PARAM *key_export_types_##name(int selection)                                \
    {                                                                                              \
        return export_types(selection, alg);                                                       \
    }                                                                                              \
    static const char *key_query_operation_name_##name(int operation_id)                           \
    {                                                                                              \
        return query_operation_name(operation_id, alg);                                            \
    }                                                                                              \
    static const OSSL_DISPATCH kmgmt_dispatch_##name[] = {                                         \
        {OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))key_new_##name},                                   \
        {OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))key_free},                                        \
        {OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))key_has},                                          \
        {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))key_import},                                    \
        {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))key_import_types_##name},                 \
        {OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))key_export},                                    \
        {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))key_export_types_##name},                 \
        {OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))key_get_params},                            \
        {OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, (void (*)(void))key_gettable_params_##name},           \
        {OSSL_FUNC_KEYMGMT_SET_PARAMS, (void (*)(void))key_set_params},                            \
        {OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS, (void (*)(void))key_settable_params_##name},           \
        {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))key_query_operation_name_##name}, \
        {OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))key_match},                                      \
        {OSSL_FUNC_KEYMGMT_VALIDATE, (void (*)(void))key_validate},                                \
        {0, NULL}};

ROLECERT_KMGMT_ENTRY_POINTS(rsa, ROLECERT_KEY_RSA)
ROLECERT_KMGMT_ENTRY_POINTS(rsa_pss, ROLECERT_KEY_RSA_PSS)
ROLECERT_KMGMT_ENTRY_POINTS(ec, ROLECERT_KEY_EC)
ROLECERT_KMGMT_ENTRY_POINTS(ed25519, ROLECERT_KEY_ED25519)
ROLECERT_KMGMT_ENTRY_POINTS(ed448, ROLECERT_KEY_ED448)
ROLECERT_KMGMT_ENTRY_POINTS(dsa, ROLECERT_KEY_DSA)
ROLECERT_KMGMT_ENTRY_POINTS(sm2, ROLECERT_KEY_SM2)

const OSSL_DISPATCH *rolecert_kmgmt_dispatch(rolecert_key_alg alg)
{
    static const OSSL_DISPATCH *const tables[ROLECERT_KEY_COUNT] = {
        [ROLECERT_KEY_RSA] = kmgmt_dispatch_rsa,
        [ROLECERT_KEY_RSA_PSS] = kmgmt_dispatch_rsa_pss,
        [ROLECERT_KEY_EC] = kmgmt_dispatch_ec,
        [ROLECERT_KEY_ED25519] = kmgmt_dispatch_ed25519,
        [ROLECERT_KEY_ED448] = kmgmt_dispatch_ed448,
        [ROLECERT_KEY_DSA] = kmgmt_dispatch_dsa,
        [ROLECERT_KEY_SM2] = kmgmt_dispatch_sm2,
    };
    return tables[alg];
}

void rolecert_kmgmt_fns_load(rolecert_key_alg alg, rolecert_kmgmt_fns *fns,
                             const OSSL_DISPATCH *dispatch)
{
    memset(fns, 0, sizeof(*fns));
    for (const OSSL_DISPATCH *d = dispatch; d->function_id != 0; d++) {
        switch (d->function_id) {
        case OSSL_FUNC_KEYMGMT_NEW:
            fns->new_key = OSSL_FUNC_keymgmt_new(d);
            break;
        case OSSL_FUNC_KEYMGMT_FREE:
            fns->free_key = OSSL_FUNC_keymgmt_free(d);
            break;
        case OSSL_FUNC_KEYMGMT_HAS:
            fns->has = OSSL_FUNC_keymgmt_has(d);
            break;
        case OSSL_FUNC_KEYMGMT_IMPORT:
            fns->import = OSSL_FUNC_keymgmt_import(d);
            break;
        case OSSL_FUNC_KEYMGMT_IMPORT_TYPES:
            fns->import_types = OSSL_FUNC_keymgmt_import_types(d);
            break;
        case OSSL_FUNC_KEYMGMT_EXPORT:
            fns->export_key = OSSL_FUNC_keymgmt_export(d);
            break;
        case OSSL_FUNC_KEYMGMT_EXPORT_TYPES:
            fns->export_types = OSSL_FUNC_keymgmt_export_types(d);
            break;
        case OSSL_FUNC_KEYMGMT_GET_PARAMS:
            fns->get_params = OSSL_FUNC_keymgmt_get_params(d);
            break;
        case OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS:
            fns->gettable_params = OSSL_FUNC_keymgmt_gettable_params(d);
            break;
        case OSSL_FUNC_KEYMGMT_SET_PARAMS:
            fns->set_params = OSSL_FUNC_keymgmt_set_params(d);
            break;
        case OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS:
            fns->settable_params = OSSL_FUNC_keymgmt_settable_params(d);
            break;
        case OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME:
            fns->query_operation_name = OSSL_FUNC_keymgmt_query_operation_name(d);
            break;
        case OSSL_FUNC_KEYMGMT_MATCH:
            fns->match = OSSL_FUNC_keymgmt_match(d);
            break;
        case OSSL_FUNC_KEYMGMT_VALIDATE:
            fns->validate = OSSL_FUNC_keymgmt_validate(d);
            break;
        default:
            break;
        }
    }
    rolecert_kmgmt_remember_static(alg, fns);
}
