/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Store wrapper: the delegate's URI schemes (`pkcs11:`) are offered by
 * rolecert, so a key in a token is loaded through us. The delegate's
 * store hands a private key over by reference; that reference is wrapped
 * (rolecert_key_ref, kmgmt.h) so that libcrypto loads it into rolecert's
 * key manager, and every signature with it comes through rolecert.
 */
#ifndef ROLECERT_PROVIDER_STORE_H
#define ROLECERT_PROVIDER_STORE_H

#include <openssl/core.h>
#include <openssl/core_dispatch.h>

#include <stdbool.h>

/* A delegate offers one or two schemes (pkcs11-provider: `pkcs11`). */
#define ROLECERT_STORE_SLOTS 4

typedef struct rolecert_store_fns {
    OSSL_FUNC_store_open_fn *open;
    OSSL_FUNC_store_attach_fn *attach;
    OSSL_FUNC_store_settable_ctx_params_fn *settable_ctx_params;
    OSSL_FUNC_store_set_ctx_params_fn *set_ctx_params;
    OSSL_FUNC_store_load_fn *load;
    OSSL_FUNC_store_eof_fn *eof;
    OSSL_FUNC_store_close_fn *close;
    OSSL_FUNC_store_export_object_fn *export_object;
#ifdef OSSL_FUNC_STORE_OPEN_EX
    OSSL_FUNC_store_open_ex_fn *open_ex;
#endif
} rolecert_store_fns;

struct rolecert_provctx;
/* Our dispatch for the delegate's store in `slot`; false when it lacks
 * open, load, eof or close. */
bool rolecert_store_wrap(struct rolecert_provctx *pc, int slot, const OSSL_DISPATCH *dispatch,
                         OSSL_DISPATCH out[]);

#endif /* ROLECERT_PROVIDER_STORE_H */
