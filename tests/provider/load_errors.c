/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A successful OSSL_PROVIDER_load(NULL, "rolecert") leaves libcrypto's
 * error queue empty, whatever OPENSSL_CONF holds (run under several).
 *
 *   provider_load_errors MODULE_DIR
 */
#include <openssl/err.h>
#include <openssl/provider.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: provider_load_errors MODULE_DIR\n");
        return 2;
    }
    if (!OSSL_PROVIDER_set_default_search_path(NULL, argv[1]))
        return 2;
    ERR_clear_error();
    OSSL_PROVIDER *prov = OSSL_PROVIDER_load(NULL, "rolecert");
    if (prov == NULL) {
        fprintf(stderr, "FAIL: OSSL_PROVIDER_load(NULL, \"rolecert\") failed\n");
        ERR_print_errors_fp(stderr);
        return 1;
    }
    int status = 0;
    if (ERR_peek_error() != 0) {
        fprintf(stderr, "FAIL: a successful load left errors on the queue:\n");
        ERR_print_errors_fp(stderr);
        status = 1;
    } else {
        printf("ok: OSSL_PROVIDER_load(NULL, \"rolecert\") left no errors\n");
    }
    OSSL_PROVIDER_unload(prov);
    return status;
}
