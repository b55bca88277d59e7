/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider's life cycle in one process: loaded twice into one library
 * context, loaded into two contexts at once, unloaded and reloaded many
 * times, and activated from configs with a missing or broken section.
 * After every step a good CSR must sign and a bad one must be refused by
 * the policy; a config that cannot be read must never lead to a bad name
 * being signed (fail closed).
 *
 *   provider_lifecycle MODULE_DIR
 */
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

static const char *module_dir;

/* A request for CN=mail.contoso.com and `san` with a new P-256 key made
 * in ctx (*key), or NULL. */
static X509_REQ *make_request(OSSL_LIB_CTX *ctx, const char *san, EVP_PKEY **key)
{
    *key = EVP_PKEY_Q_keygen(ctx, NULL, "EC", "P-256");
    X509_REQ *req = X509_REQ_new_ex(ctx, NULL);
    X509_NAME *name = X509_NAME_new();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, san);
    bool ok = *key != NULL && req != NULL && name != NULL && exts != NULL && ext != NULL &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                         (const unsigned char *)"mail.contoso.com", -1, -1, 0) &&
              X509_REQ_set_subject_name(req, name) && sk_X509_EXTENSION_push(exts, ext);
    if (ok)
        ext = NULL; /* owned by exts */
    ok = ok && X509_REQ_add_extensions(req, exts) && X509_REQ_set_pubkey(req, *key);
    X509_EXTENSION_free(ext);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(name);
    if (!ok) {
        X509_REQ_free(req);
        req = NULL;
    }
    return req;
}

/* 1: signed; 0: refused by the policy; -1: refused for another reason. */
static int sign_request(OSSL_LIB_CTX *ctx, const char *san)
{
    EVP_PKEY *key;
    X509_REQ *req = make_request(ctx, san, &key);
    int result = -1;
    if (req != NULL && X509_REQ_sign(req, key, EVP_sha256()) > 0) {
        result = 1;
    } else if (req != NULL) {
        unsigned long err;
        char text[256];
        while ((err = ERR_get_error()) != 0) {
            ERR_error_string_n(err, text, sizeof(text));
            if (strstr(text, "certificate name policy violation") != NULL)
                result = 0;
        }
    }
    ERR_clear_error();
    X509_REQ_free(req);
    EVP_PKEY_free(key);
    return result;
}

static void expect_enforcing(OSSL_LIB_CTX *ctx, const char *when)
{
    CHECK(sign_request(ctx, "DNS:mail.contoso.com") == 1, "%s: a good request is not signed", when);
    CHECK(sign_request(ctx, "DNS:mail.contoso.com,DNS:bad_name.contoso.com") == 0,
          "%s: a bad request is not refused by the policy", when);
}

static OSSL_PROVIDER *load(OSSL_LIB_CTX *ctx)
{
    OSSL_PROVIDER *p = NULL;
    if (!OSSL_PROVIDER_set_default_search_path(ctx, module_dir) ||
        (p = OSSL_PROVIDER_load(ctx, "rolecert")) == NULL ||
        !EVP_set_default_properties(ctx, "?rolecert.enforce=yes,?rolecert.keymgmt=no"))
        ERR_print_errors_fp(stderr);
    return p;
}

static void twice_and_reload(void)
{
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *deflt = OSSL_PROVIDER_load(ctx, "default");
    OSSL_PROVIDER *first = load(ctx);
    OSSL_PROVIDER *second = load(ctx);
    CHECK(deflt != NULL && first != NULL && second != NULL, "loading twice");
    expect_enforcing(ctx, "loaded twice");
    OSSL_PROVIDER_unload(second);
    expect_enforcing(ctx, "loaded twice, unloaded once");
    OSSL_PROVIDER_unload(first);
    CHECK(!OSSL_PROVIDER_available(ctx, "rolecert"), "still available after unloading both");
    for (int i = 0; i < 20; i++) {
        OSSL_PROVIDER *again = load(ctx);
        CHECK(again != NULL, "reload %d", i);
        if (i % 5 == 0)
            expect_enforcing(ctx, "reloaded");
        OSSL_PROVIDER_unload(again);
    }

    /* Two contexts at once, each with its own copy of the settings. */
    OSSL_LIB_CTX *other = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *other_default = OSSL_PROVIDER_load(other, "default");
    OSSL_PROVIDER *in_other = load(other);
    OSSL_PROVIDER *in_ctx = load(ctx);
    CHECK(in_other != NULL && in_ctx != NULL, "two contexts");
    expect_enforcing(ctx, "first of two contexts");
    expect_enforcing(other, "second of two contexts");
    OSSL_PROVIDER_unload(in_other);
    OSSL_PROVIDER_unload(other_default);
    OSSL_LIB_CTX_free(other);
    expect_enforcing(ctx, "after the other context was freed");
    OSSL_PROVIDER_unload(in_ctx);
    OSSL_PROVIDER_unload(deflt);
    OSSL_LIB_CTX_free(ctx);
}

/* A library context configured from a file whose rolecert section is
 * `body` (NULL: the section is missing); *loaded says whether the config
 * loaded. */
static OSSL_LIB_CTX *config_ctx(const char *what, const char *body, int *loaded)
{
    char path[] = "/tmp/rolecert-lifecycle-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        CHECK(false, "%s: temporary config", what);
        return NULL;
    }
    fprintf(f, "openssl_conf = init\n[init]\nproviders = provs\nalg_section = algs\n"
               "[provs]\ndefault = default_sect\nrolecert = rolecert_sect\n"
               "[default_sect]\nactivate = 1\n"
               "[algs]\ndefault_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no\n");
    if (body != NULL)
        fprintf(f, "[rolecert_sect]\nmodule = %s/rolecert.so\nactivate = 1\n%s", module_dir, body);
    fclose(f);
    /* Unknown keys are found by reading the file again, which the
     * provider finds through OPENSSL_CONF (docs/provider.md): a program
     * that loads a config from elsewhere does not get that check. */
    setenv("OPENSSL_CONF", path, 1);
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();
    *loaded = OSSL_LIB_CTX_load_config(ctx, path);
    unsetenv("OPENSSL_CONF");
    ERR_clear_error();
    unlink(path);
    return ctx;
}

/* Activates the provider from a config whose rolecert section is `body`
 * (NULL: the section is missing). A config that loads must enforce; one
 * that does not must not let the bad name through either. */
static void from_config(const char *what, const char *body, bool must_load)
{
    int loaded;
    OSSL_LIB_CTX *ctx = config_ctx(what, body, &loaded);
    if (ctx == NULL)
        return;
    if (must_load) {
        CHECK(loaded == 1, "%s: the config does not load", what);
        expect_enforcing(ctx, what);
    } else {
        /* Either the config is refused as a whole (the application stops,
         * as openssl does) or the provider refuses to sign: never signed. */
        int bad = sign_request(ctx, "DNS:mail.contoso.com,DNS:bad_name.contoso.com");
        CHECK(loaded != 1 || bad != 1, "%s: loaded, and a bad name was signed", what);
        if (loaded == 1)
            CHECK(sign_request(ctx, "DNS:mail.contoso.com") != 1,
                  "%s: a broken config signs (expected refuse everything)", what);
    }
    OSSL_LIB_CTX_free(ctx);
}

/* Hashes a request for `san` made in ctx with ctx's SHA-256 (rolecert's,
 * with prehashed = check), then signs the digest as python3-cryptography
 * does; `between` runs in between. 1 signed, 0 refused. */
static int sign_prehashed(OSSL_LIB_CTX *ctx, const char *san, void (*between)(void))
{
    EVP_PKEY *key;
    X509_REQ *req = make_request(ctx, san, &key);
    EVP_MD *sha256 = EVP_MD_fetch(ctx, "SHA256", NULL);
    unsigned char *tbs = NULL, md[EVP_MAX_MD_SIZE], sig[256];
    unsigned int mdlen = 0;
    size_t siglen = sizeof(sig);
    CHECK(sha256 != NULL &&
              strcmp(OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(sha256)), "rolecert") == 0,
          "prehashed = check: SHA256 is not rolecert's");
    int len = req != NULL ? i2d_re_X509_REQ_tbs(req, &tbs) : -1;
    CHECK(len > 0 && EVP_Digest(tbs, (size_t)len, md, &mdlen, sha256, NULL), "hashing the request");
    between();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(ctx, key, NULL);
    int signed_it = pctx != NULL && EVP_PKEY_sign_init(pctx) > 0 &&
                    EVP_PKEY_CTX_set_signature_md(pctx, sha256) > 0 &&
                    EVP_PKEY_sign(pctx, sig, &siglen, md, mdlen) > 0;
    ERR_clear_error();
    EVP_PKEY_CTX_free(pctx);
    OPENSSL_free(tbs);
    EVP_MD_free(sha256);
    X509_REQ_free(req);
    EVP_PKEY_free(key);
    return signed_it;
}

static OSSL_LIB_CTX *other_ctx;

static void nothing(void) {}

static void free_other_ctx(void)
{
    OSSL_LIB_CTX_free(other_ctx);
    other_ctx = NULL;
}

/* prehashed = check in two contexts: what a thread remembered is the
 * thread's, so tearing down the other context's rolecert drops what this
 * one hashed. The signature over it must then be refused, not waved on
 * as "not a TBS" (it was signed unchecked before 2026-11-30). */
static void prehashed_across_teardown(void)
{
    int loaded_a, loaded_b;
    OSSL_LIB_CTX *ctx = config_ctx("prehashed", "prehashed = check\n", &loaded_a);
    other_ctx = config_ctx("prehashed, other", "prehashed = check\n", &loaded_b);
    CHECK(loaded_a == 1 && loaded_b == 1, "prehashed = check configs do not load");
    CHECK(sign_prehashed(ctx, "DNS:mail.contoso.com", nothing) == 1,
          "prehashed: a good request hashed and signed is refused");
    CHECK(sign_prehashed(ctx, "DNS:bad_name.contoso.com", nothing) == 0,
          "prehashed: a bad request hashed and signed is signed");
    CHECK(sign_prehashed(ctx, "DNS:bad_name.contoso.com", free_other_ctx) == 0,
          "prehashed: a bad request is signed when another context's rolecert was torn "
          "down between its hash and its signature");
    CHECK(sign_prehashed(ctx, "DNS:mail.contoso.com", nothing) == 1,
          "prehashed: a good request is refused after the teardown was dealt with");
    OSSL_LIB_CTX_free(other_ctx);
    OSSL_LIB_CTX_free(ctx);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: provider_lifecycle MODULE_DIR\n");
        return 2;
    }
    module_dir = argv[1];
    twice_and_reload();
    from_config("a plain section", "", true);
    from_config("section with policy keys", "dns-internal = off\nmode = enforce\n", true);
    from_config("section missing", NULL, false);
    from_config("unknown key", "no-such-rule = error\n", false);
    from_config("bad severity", "dns-internal = loud\n", false);
    from_config("bad mode", "mode = maybe\n", false);
    prehashed_across_teardown();
    printf("provider life cycle: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
