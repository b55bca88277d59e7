/* SPDX-License-Identifier: Apache-2.0 */
#include "kmgmt.h"
#include "ops.h"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <stdlib.h>
#include <string.h>

/* Slots of the context-free functions in the registry (slots.h). */
enum { STATIC_IMPORT_TYPES, STATIC_EXPORT_TYPES, STATIC_QUERY_OPERATION_NAME };

static rolecert_key *key_alloc(const rolecert_provctx *pc, const rolecert_kmgmt_fns *fns)
{
    rolecert_key *key = malloc(sizeof(*key));
    if (key == NULL) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_OUT_OF_MEMORY, "key object");
        return NULL;
    }
    *key = (rolecert_key){pc, fns, NULL, NULL, false};
    return key;
}

static void *key_new(void *provctx, int slot)
{
    rolecert_provctx *pc = provctx;
    rolecert_key *key = key_alloc(pc, &pc->kmgmt[slot]);
    if (key == NULL)
        return NULL;
    key->delegate_key = key->delegate->new_key(key->delegate->provctx);
    if (key->delegate_key == NULL) {
        ROLECERT_RAISE_DELEGATE_FAILED(pc, "new key");
        free(key);
        return NULL;
    }
    return key;
}

void rolecert_key_free(void *keydata)
{
    rolecert_key *key = keydata;
    if (key == NULL)
        return;
    if (key->delegate != NULL)
        key->delegate->free_key(key->delegate_key);
    free(key);
}

int rolecert_key_has(const void *keydata, int selection)
{
    const rolecert_key *key = keydata;
    if (key == NULL)
        return 0;
    if (key->delegate == NULL)
        return 1; /* refused at signing (rolecert_key_import) */
    return key->delegate->has(key->delegate_key, selection);
}

int rolecert_key_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    rolecert_key *key = keydata;
    if (key == NULL || key->delegate == NULL)
        return 0;
    /* tpm2-openssl takes only the public half of a private key and still
     * says yes: the key could never sign, and the TPM's error would not
     * say why. ("priv": EC, ECX, DSA, DH; "d": RSA.) */
    bool has_private = (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 &&
                       (OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PRIV_KEY) != NULL ||
                        OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_RSA_D) != NULL);
    if (key->delegate->import(key->delegate_key, selection, params) &&
        (!has_private || key->delegate->has(key->delegate_key, OSSL_KEYMGMT_SELECT_PRIVATE_KEY)))
        return 1;
    /* A software private key the delegate (a token) cannot take in:
     * failing here would make libcrypto sign with the key's own provider,
     * unchecked. It "imports" and every signature refuses it instead. */
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) == 0 ||
        key->delegate->provctx != key->pc->delegate.provctx ||
        key->pc->delegate.source[1].prov == NULL)
        return 0;
    key->delegate->free_key(key->delegate_key);
    key->delegate = NULL;
    key->delegate_key = NULL;
    key->refusal = "the delegate provider could not import this software key, and `default` "
                   "cannot sign with a key of a type the delegate offers";
    return 1;
}

int rolecert_key_export(void *keydata, int selection, OSSL_CALLBACK *param_cb, void *cbarg)
{
    rolecert_key *key = keydata;
    /* A token key exported whole would reach the other provider as its
     * public half only, and an operation there (default's RSA decryption)
     * would fail on it, in TLS silently; refused, libcrypto takes the
     * operation to the key's own provider: us (cipher.c). Encoders ask
     * for the public half alone and get it. */
    if (key != NULL && key->held && (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0)
        return 0;
    return key != NULL && key->delegate != NULL &&
           key->delegate->export_key(key->delegate_key, selection, param_cb, cbarg);
}

int rolecert_key_get_params(void *keydata, OSSL_PARAM params[])
{
    rolecert_key *key = keydata;
    return key != NULL && key->delegate != NULL &&
           key->delegate->get_params(key->delegate_key, params);
}

int rolecert_key_set_params(void *keydata, const OSSL_PARAM params[])
{
    rolecert_key *key = keydata;
    return key != NULL && key->delegate != NULL &&
           key->delegate->set_params(key->delegate_key, params);
}

int rolecert_key_match(const void *keydata1, const void *keydata2, int selection)
{
    const rolecert_key *a = keydata1, *b = keydata2;
    if (a == NULL || b == NULL || a->delegate == NULL || a->delegate != b->delegate)
        return 0;
    return a->delegate->match(a->delegate_key, b->delegate_key, selection);
}

int rolecert_key_validate(const void *keydata, int selection, int checktype)
{
    const rolecert_key *key = keydata;
    return key != NULL && key->delegate != NULL &&
           key->delegate->validate(key->delegate_key, selection, checktype);
}

/* A key the delegate's store handed over by reference (store.c wrapped
 * it): the delegate's key manager loads it, and it becomes ours. */
static void *key_load(const void *reference, size_t reference_sz, int slot)
{
    const rolecert_key_ref *ref = reference;
    if (reference_sz != sizeof(*ref) || ref->magic != ROLECERT_KEY_REF_MAGIC)
        return NULL;
    const rolecert_provctx *pc = ref->pc;
    const rolecert_kmgmt_fns *fns = &pc->kmgmt[slot];
    if (fns->load == NULL)
        return NULL;
    rolecert_key *key = key_alloc(pc, fns);
    if (key == NULL)
        return NULL;
    key->delegate_key = fns->load(ref->reference, ref->reference_size);
    if (key->delegate_key == NULL) {
        free(key);
        return NULL;
    }
    key->held = true;
    return key;
}

static const OSSL_PARAM *gettable_params(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    return pc->kmgmt[slot].gettable_params(pc->kmgmt[slot].provctx);
}

static const OSSL_PARAM *settable_params(void *provctx, int slot)
{
    const rolecert_provctx *pc = provctx;
    return pc->kmgmt[slot].settable_params(pc->kmgmt[slot].provctx);
}

/* import_types, export_types and query_operation_name receive no context:
 * they answer with what the slot's registry entry remembered. */
static const OSSL_PARAM *import_types(int selection, int slot)
{
    OSSL_FUNC_keymgmt_import_types_fn *fn =
        (OSSL_FUNC_keymgmt_import_types_fn *)rolecert_slot_static_fn(ROLECERT_SLOT_KMGMT, slot,
                                                                     STATIC_IMPORT_TYPES);
    return fn != NULL ? fn(selection) : NULL;
}

static const OSSL_PARAM *export_types(int selection, int slot)
{
    OSSL_FUNC_keymgmt_export_types_fn *fn =
        (OSSL_FUNC_keymgmt_export_types_fn *)rolecert_slot_static_fn(ROLECERT_SLOT_KMGMT, slot,
                                                                     STATIC_EXPORT_TYPES);
    return fn != NULL ? fn(selection) : NULL;
}

static const char *query_operation_name(int operation_id, int slot)
{
    OSSL_FUNC_keymgmt_query_operation_name_fn *fn =
        (OSSL_FUNC_keymgmt_query_operation_name_fn *)rolecert_slot_static_fn(
            ROLECERT_SLOT_KMGMT, slot, STATIC_QUERY_OPERATION_NAME);
    return fn != NULL ? fn(operation_id) : NULL;
}

#define KMGMT_SLOT(hi, lo)                                                                         \
    static void *key_new_##hi##_##lo(void *provctx)                                                \
    {                                                                                              \
        return key_new(provctx, ROLECERT_SLOT_INDEX(hi, lo));                                      \
    }                                                                                              \
    static const OSSL_PARAM *key_gettable_params_##hi##_##lo(void *provctx)                        \
    {                                                                                              \
        return gettable_params(provctx, ROLECERT_SLOT_INDEX(hi, lo));                              \
    }                                                                                              \
    static const OSSL_PARAM *key_settable_params_##hi##_##lo(void *provctx)                        \
    {                                                                                              \
        return settable_params(provctx, ROLECERT_SLOT_INDEX(hi, lo));                              \
    }                                                                                              \
    static const OSSL_PARAM *key_import_types_##hi##_##lo(int selection)                           \
    {                                                                                              \
        return import_types(selection, ROLECERT_SLOT_INDEX(hi, lo));                               \
    }                                                                                              \
    static const OSSL_PARAM *key_export_types_##hi##_##lo(int selection)                           \
    {                                                                                              \
        return export_types(selection, ROLECERT_SLOT_INDEX(hi, lo));                               \
    }                                                                                              \
    static const char *key_query_operation_name_##hi##_##lo(int operation_id)                      \
    {                                                                                              \
        return query_operation_name(operation_id, ROLECERT_SLOT_INDEX(hi, lo));                    \
    }                                                                                              \
    static void *key_load_##hi##_##lo(const void *reference, size_t reference_sz)                  \
    {                                                                                              \
        return key_load(reference, reference_sz, ROLECERT_SLOT_INDEX(hi, lo));                     \
    }
ROLECERT_FOR_EACH_SLOT(KMGMT_SLOT)

#define KMGMT_SLOT_ENTRY(hi, lo)                                                                   \
    {key_new_##hi##_##lo,                                                                          \
     key_gettable_params_##hi##_##lo,                                                              \
     key_settable_params_##hi##_##lo,                                                              \
     key_import_types_##hi##_##lo,                                                                 \
     key_export_types_##hi##_##lo,                                                                 \
     key_query_operation_name_##hi##_##lo,                                                         \
     key_load_##hi##_##lo},
const kmgmt_slot_fns rolecert_kmgmt_slot_fns[ROLECERT_SLOTS] = {
    ROLECERT_FOR_EACH_SLOT(KMGMT_SLOT_ENTRY)};

rolecert_slot_identity rolecert_kmgmt_identity(const OSSL_ALGORITHM *alg)
{
    rolecert_slot_identity id = {alg->algorithm_names, {NULL, NULL, NULL}};
    for (const OSSL_DISPATCH *d = alg->implementation; d->function_id != 0; d++) {
        if (d->function_id == OSSL_FUNC_KEYMGMT_IMPORT_TYPES)
            id.fns[STATIC_IMPORT_TYPES] = d->function;
        else if (d->function_id == OSSL_FUNC_KEYMGMT_EXPORT_TYPES)
            id.fns[STATIC_EXPORT_TYPES] = d->function;
        else if (d->function_id == OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME)
            id.fns[STATIC_QUERY_OPERATION_NAME] = d->function;
    }
    return id;
}
