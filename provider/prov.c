/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rolecert.so entry point. OSSL_provider_init is the only exported symbol
 * (everything else is built with hidden visibility).
 */
#include "kmgmt.h"
#include "prov.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include <stdlib.h>
#include <string.h>

#define ROLECERT_PROVIDER_NAME "rolecert"
#define ROLECERT_SIG_PROPERTIES "provider=rolecert,rolecert.enforce=yes"
#define ROLECERT_KMGMT_PROPERTIES "provider=rolecert,rolecert.keymgmt=yes"

/* The default provider's first name for each algorithm we wrap. */
static const char *const sig_names[ROLECERT_SIG_COUNT] = {
    [ROLECERT_SIG_RSA] = "RSA",         [ROLECERT_SIG_ECDSA] = "ECDSA",
    [ROLECERT_SIG_ED25519] = "ED25519", [ROLECERT_SIG_ED448] = "ED448",
    [ROLECERT_SIG_DSA] = "DSA",         [ROLECERT_SIG_SM2] = "SM2",
};

static const char *const key_names[ROLECERT_KEY_COUNT] = {
    [ROLECERT_KEY_RSA] = "RSA",     [ROLECERT_KEY_RSA_PSS] = "RSA-PSS",
    [ROLECERT_KEY_EC] = "EC",       [ROLECERT_KEY_ED25519] = "ED25519",
    [ROLECERT_KEY_ED448] = "ED448", [ROLECERT_KEY_DSA] = "DSA",
    [ROLECERT_KEY_SM2] = "SM2",
};

/* "RSA:rsaEncryption:1.2..." starts with the name "RSA" (and not "RSA-PSS"). */
static bool first_name_is(const char *names, const char *name)
{
    size_t n = strlen(name);
    return strncmp(names, name, n) == 0 && (names[n] == '\0' || names[n] == ':');
}

static const OSSL_ALGORITHM *find_algorithm(const OSSL_ALGORITHM *algs, const char *name)
{
    for (const OSSL_ALGORITHM *a = algs; a != NULL && a->algorithm_names != NULL; a++)
        if (first_name_is(a->algorithm_names, name))
            return a;
    return NULL;
}

static void provctx_free(rolecert_provctx *pc)
{
    if (pc == NULL)
        return;
    if (pc->delegate != NULL) {
        if (pc->delegate_sig_algs != NULL)
            OSSL_PROVIDER_unquery_operation(pc->delegate, OSSL_OP_SIGNATURE, pc->delegate_sig_algs);
        if (pc->delegate_kmgmt_algs != NULL)
            OSSL_PROVIDER_unquery_operation(pc->delegate, OSSL_OP_KEYMGMT, pc->delegate_kmgmt_algs);
        OSSL_PROVIDER_unload(pc->delegate);
    }
    OSSL_LIB_CTX_free(pc->delegate_libctx);
    rolecert_settings_free(&pc->settings);
    free(pc);
}

/* Load the default provider into a private library context and resolve
 * the implementations we wrap, once. Only the default provider lives
 * there, so delegation can never come back into us. */
static bool load_delegate(rolecert_provctx *pc)
{
    pc->delegate_libctx = OSSL_LIB_CTX_new();
    if (pc->delegate_libctx == NULL)
        return false;
    pc->delegate = OSSL_PROVIDER_load(pc->delegate_libctx, "default");
    if (pc->delegate == NULL)
        return false;
    pc->delegate_provctx = OSSL_PROVIDER_get0_provider_ctx(pc->delegate);
    int no_store = 0;
    pc->delegate_sig_algs =
        OSSL_PROVIDER_query_operation(pc->delegate, OSSL_OP_SIGNATURE, &no_store);
    pc->delegate_kmgmt_algs =
        OSSL_PROVIDER_query_operation(pc->delegate, OSSL_OP_KEYMGMT, &no_store);
    if (pc->delegate_sig_algs == NULL || pc->delegate_kmgmt_algs == NULL)
        return false;

    size_t n = 0;
    for (int alg = 0; alg < ROLECERT_SIG_COUNT; alg++) {
        const OSSL_ALGORITHM *a = find_algorithm(pc->delegate_sig_algs, sig_names[alg]);
        if (a == NULL)
            continue; /* not built into this libcrypto: nothing can sign with it */
        rolecert_sig_fns_load(&pc->sig[alg], a->implementation);
        if (pc->sig[alg].newctx == NULL || pc->sig[alg].freectx == NULL)
            return false;
        pc->have_sig[alg] = true;
        /* The same names as the default provider, so every alias fetches us. */
        pc->sig_algs[n++] = (OSSL_ALGORITHM){a->algorithm_names, ROLECERT_SIG_PROPERTIES,
                                             rolecert_sig_dispatch((rolecert_sig_alg)alg),
                                             "rolecert name-policy checking signature"};
    }
    pc->sig_algs[n] = (OSSL_ALGORITHM){NULL, NULL, NULL, NULL};

    n = 0;
    for (int alg = 0; alg < ROLECERT_KEY_COUNT; alg++) {
        const OSSL_ALGORITHM *a = find_algorithm(pc->delegate_kmgmt_algs, key_names[alg]);
        if (a == NULL)
            continue;
        rolecert_kmgmt_fns_load((rolecert_key_alg)alg, &pc->kmgmt[alg], a->implementation);
        const rolecert_kmgmt_fns *k = &pc->kmgmt[alg];
        if (k->new_key == NULL || k->free_key == NULL || k->has == NULL || k->import == NULL)
            return false;
        pc->have_kmgmt[alg] = true;
        pc->kmgmt_algs[n++] = (OSSL_ALGORITHM){a->algorithm_names, ROLECERT_KMGMT_PROPERTIES,
                                               rolecert_kmgmt_dispatch((rolecert_key_alg)alg),
                                               "rolecert key manager (delegates to default)"};
    }
    pc->kmgmt_algs[n] = (OSSL_ALGORITHM){NULL, NULL, NULL, NULL};
    return true;
}

static void rolecert_teardown(void *provctx)
{
    provctx_free(provctx);
}

static const OSSL_ALGORITHM *rolecert_query(void *provctx, int operation_id, int *no_store)
{
    rolecert_provctx *pc = provctx;
    *no_store = 0;
    switch (operation_id) {
    case OSSL_OP_SIGNATURE:
        return pc->sig_algs;
    case OSSL_OP_KEYMGMT:
        return pc->kmgmt_algs;
    default:
        return NULL;
    }
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
    pc->settings.report_fd = -1;
    if (!rolecert_settings_load(&pc->settings, handle, get_params)) {
        /* Stay loaded but refuse every signature: see config.h for why a
         * failed init would fail open. */
        pc->refuse_all = true;
        ROLECERT_RAISE(&pc->core, ROLECERT_R_BAD_CONFIG, "%s", pc->settings.config_error);
    }
    if (!load_delegate(pc)) {
        ROLECERT_RAISE(&pc->core, ROLECERT_R_DELEGATE_FAILED,
                       "cannot load the default provider into a private library context");
        provctx_free(pc);
        return 0;
    }
    *out = provider_dispatch;
    *provctx = pc;
    return 1;
}
