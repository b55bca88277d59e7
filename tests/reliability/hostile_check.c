/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `rolecert check` on the hostile to-be-signed bytes of hostile_der.c:
 * each CertificationRequestInfo / TBSCertificate is wrapped as a whole
 * CertificationRequest / Certificate (with a dummy signature), written as
 * DER and as PEM, and checked with the rolecert binary. Each must get a
 * clear verdict: exit 0 "pass", exit 1 with the expected rule id, or exit 2
 * "unreadable" with a message; never a crash or a sanitizer report. And it
 * must agree with the provider (loaded in-process from the build tree) on
 * the same bytes: signed <-> exit 0, refused <-> non-zero, and every rule
 * the provider names is one check names.
 *
 *   hostile_check ROLECERT_BINARY MODULE_DIR
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostile_tbs.h"
#include <rolecert/tbs.h>

/* ---------------------------------------------------------------------- */

typedef enum kind { REQUEST, CERTIFICATE } kind;

/* What `rolecert check` must say (docs/commands.md, cmd_check.c). */
typedef enum expected {
    PASS,
    POLICY,     /* exit 1, the rule id */
    UNREADABLE, /* exit 2: OpenSSL cannot decode it, or the walker rejects it */
    /* exit 2, OpenSSL cannot decode it: check never reaches the walker, so
     * it cannot name the rule the provider (which sees only the
     * to-be-signed bytes) refuses it by. Documented: "A file OpenSSL
     * cannot decode ... makes the exit status 2". */
    UNDECODABLE,
    TOO_MANY /* exit 1, names cannot be checked */
} expected;

static const char *rolecert_binary;
static char work_dir[] = "/tmp/rolecert-hostile-check-XXXXXX";
static OSSL_LIB_CTX *ctx;
static EVP_PKEY *key;

/* The provider's verdict on the bytes: signed, or refused; the rule ids of
 * its policy errors, space-separated ("error[dns-syntax] ..."). */
static bool provider_signs(bytes tbs, char *rules, size_t rules_size)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[256];
    size_t sig_len = sizeof(sig);
    bool signed_it = md != NULL &&
                     EVP_DigestSignInit_ex(md, NULL, "SHA256", ctx, NULL, key, NULL) == 1 &&
                     EVP_DigestSign(md, sig, &sig_len, tbs.p, tbs.len) == 1;
    EVP_MD_CTX_free(md);
    rules[0] = '\0';
    unsigned long err;
    const char *data = NULL;
    int flags = 0;
    while ((err = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
        char text[256];
        ERR_error_string_n(err, text, sizeof(text));
        if (strstr(text, "certificate name policy violation") != NULL && (flags & ERR_TXT_STRING) &&
            strncmp(data, "error[", 6) == 0) {
            size_t used = strlen(rules);
            snprintf(rules + used, rules_size - used, "%.*s ", (int)strcspn(data, " "), data);
        }
    }
    return signed_it;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *copy = malloc(n + 1);
    if (copy != NULL)
        memcpy(copy, buf, n + 1);
    return copy;
}

typedef struct check_run {
    int exit_code; /* -1: killed by a signal */
    char *out;
    char *err;
} check_run;

static check_run run_check(const char *path)
{
    char out_path[128], err_path[128];
    snprintf(out_path, sizeof(out_path), "%s/out.txt", work_dir);
    snprintf(err_path, sizeof(err_path), "%s/err.txt", work_dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(127);
        execl(rolecert_binary, "rolecert", "check", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    check_run r = {-1, NULL, NULL};
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out_path);
    r.err = read_text(err_path);
    return r;
}

static bool write_file(const char *path, const unsigned char *p, size_t len, bool pem, kind k)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return false;
    bool ok = pem ? PEM_write(f, k == REQUEST ? "CERTIFICATE REQUEST" : "CERTIFICATE", "", p,
                              (long)len) > 0
                  : fwrite(p, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* Every "error[rule]" of `rules` appears in check's output as "error[rule]:". */
static bool names_every_rule(const char *out, const char *rules)
{
    const char *r = rules;
    while (*r != '\0') {
        size_t len = strcspn(r, " ");
        char wanted[96];
        snprintf(wanted, sizeof(wanted), "%.*s:", (int)len, r);
        if (strstr(out, wanted) == NULL)
            return false;
        r += len;
        r += strspn(r, " ");
    }
    return true;
}

static void expect(const char *what, kind k, bytes tbs, expected want, const char *rule)
{
    char rules[1024];
    bool provider_signed = provider_signs(tbs, rules, sizeof(rules));
    static const unsigned char dummy_signature[] = {0x03, 0x09, 0x00, 0x30, 0x06, 0x02,
                                                    0x01, 0x01, 0x02, 0x01, 0x01};
    bytes whole = b_seq(b_raw(tbs.p, tbs.len), b_raw(ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256)),
                        b_raw(dummy_signature, sizeof(dummy_signature)));
    free(tbs.p);

    for (int pem = 0; pem <= 1; pem++) {
        cases++;
        char path[128];
        snprintf(path, sizeof(path), "%s/item.%s", work_dir, pem ? "pem" : "der");
        if (!write_file(path, whole.p, whole.len, pem, k)) {
            CHECK(false, "%s: cannot write %s", what, path);
            continue;
        }
        check_run r = run_check(path);
        const char *out = r.out != NULL ? r.out : "";
        const char *err = r.err != NULL ? r.err : "";
        const char *form = pem ? "PEM" : "DER";
        CHECK(r.exit_code >= 0 && r.exit_code <= 2, "%s (%s): check exit %d (crash?); stderr: %s",
              what, form, r.exit_code, err);
        CHECK(strstr(err, "Sanitizer") == NULL && strstr(err, "runtime error") == NULL,
              "%s (%s): sanitizer report: %s", what, form, err);
        /* Agreement with the provider on the same to-be-signed bytes. */
        CHECK(provider_signed == (r.exit_code == 0), "%s (%s): the provider %s, check exits %d",
              what, form, provider_signed ? "signs" : "refuses", r.exit_code);
        CHECK(want == UNDECODABLE || names_every_rule(out, rules),
              "%s (%s): the provider names %s; check says: %s", what, form, rules, out);
        switch (want) {
        case PASS:
            CHECK(r.exit_code == 0 && strstr(out, ": pass (") != NULL,
                  "%s (%s): exit %d, expected 0 and pass: %s%s", what, form, r.exit_code, out, err);
            break;
        case POLICY: {
            char wanted[96];
            snprintf(wanted, sizeof(wanted), "error[%s]:", rule);
            CHECK(r.exit_code == 1 && strstr(out, wanted) != NULL &&
                      strstr(out, ": fail (") != NULL,
                  "%s (%s): exit %d, expected 1 with %s: %s%s", what, form, r.exit_code, wanted,
                  out, err);
            break;
        }
        case UNREADABLE:
            /* Either OpenSSL cannot decode the item (stderr, "unreadable:
             * WHY") or the walker rejects it (stdout, verdict unreadable). */
            CHECK(r.exit_code == 2 &&
                      ((strstr(err, ": error: unreadable: ") != NULL && out[0] == '\0') ||
                       (strstr(out, "names cannot be checked: ") != NULL &&
                        strstr(out, ": unreadable\n") != NULL)),
                  "%s (%s): exit %d, expected 2 and unreadable with a reason: %s%s", what, form,
                  r.exit_code, out, err);
            break;
        case UNDECODABLE:
            CHECK(r.exit_code == 2 && strstr(err, ": error: unreadable: ") != NULL &&
                      out[0] == '\0' && rules[0] != '\0',
                  "%s (%s): exit %d, expected 2, unreadable, and a policy refusal by the "
                  "provider (%s): %s%s",
                  what, form, r.exit_code, rules, out, err);
            break;
        case TOO_MANY:
            CHECK(r.exit_code == 1 && strstr(out, "names cannot be checked: ") != NULL &&
                      strstr(out, ": fail (") != NULL,
                  "%s (%s): exit %d, expected 1, too many names: %s%s", what, form, r.exit_code,
                  out, err);
            break;
        }
        if (getenv("HOSTILE_CHECK_VERBOSE") != NULL)
            fprintf(stderr, "--- %s (%s): provider %s [%s], check exit %d\n%s%s", what, form,
                    provider_signed ? "signs" : "refuses", rules, r.exit_code, out, err);
        free(r.out);
        free(r.err);
        unlink(path);
    }
    free(whole.p);
}

static bytes ucs(const unsigned char *units, size_t len)
{
    return b_raw(units, len);
}

/* The rule each policy case is refused by (docs/rules.md). */
#define RULE_NUL_CN "rdn-encoding"
#define RULE_NUL_DNS "dns-syntax"
#define RULE_UNKNOWN_ATTRIBUTE "rdn-unknown"
#define RULE_SAN_MISSING "san-missing"
#define RULE_CN_NOT_IN_SAN "cn-not-in-san"
#define RULE_MULTI_VALUED "rdn-multivalued"
#define RULE_EMPTY_SUBJECT "san-critical"
#define RULE_LONG_CN "rdn-length"
#define RULE_LONG_DNS "dns-length"

static void hostile_items(void)
{
    expect("good request", REQUEST, request(good_subject(), good_san()), PASS, NULL);
    expect("good certificate", CERTIFICATE, certificate(good_subject(), good_san()), PASS, NULL);
    expect("bad DNS name (control)", REQUEST,
           request(good_subject(), san_ext(false, dns("bad_name.contoso.com"))), POLICY,
           "dns-syntax");

    /* BER lengths. */
    bytes good = request(good_subject(), good_san());
    size_t header = 2 + ((good.p[1] & 0x80) ? (good.p[1] & 0x7F) : 0u);
    expect("outer length in long form (2 octets)", REQUEST,
           b_tlv_long(0x30, 2, b_raw(good.p + header, good.len - header)), UNREADABLE, NULL);
    expect("outer length in long form (6 octets)", REQUEST,
           b_tlv_long(0x30, 6, b_raw(good.p + header, good.len - header)), UNREADABLE, NULL);
    expect("outer length in long form (8 octets)", REQUEST,
           b_tlv_long(0x30, 8, b_raw(good.p + header, good.len - header)), UNREADABLE, NULL);
    expect("outer indefinite length", REQUEST,
           b_tlv_indefinite(0x30, b_raw(good.p + header, good.len - header)), UNREADABLE, NULL);
    expect("subject in long form", REQUEST,
           request(b_tlv_long(0x30, 1, B_CAT(CN_UTF8("mail.contoso.com"))), good_san()), UNREADABLE,
           NULL);
    expect("subject indefinite", REQUEST,
           request(b_tlv_indefinite(0x30, CN_UTF8("mail.contoso.com")), good_san()), UNREADABLE,
           NULL);
    expect("CN value in long form", REQUEST,
           request(b_seq(b_set(b_seq(b_raw(OID_CN, sizeof(OID_CN)),
                                     b_tlv_long(0x0C, 1, b_str("mail.contoso.com"))))),
                   good_san()),
           UNREADABLE, NULL);
    expect("subject as a primitive SEQUENCE (0x10)", REQUEST,
           request(b_tlv(0x10, CN_UTF8("bad_name.contoso.com")), good_san()), UNREADABLE, NULL);

    /* Trailing bytes. */
    static const unsigned char junk[] = {0x05, 0x00};
    expect("trailing bytes after the TBS", REQUEST, B_CAT(b_raw(good.p, good.len), b_raw(junk, 2)),
           UNREADABLE, NULL);
    expect("trailing bytes inside the Name", REQUEST,
           request(b_seq(CN_UTF8("mail.contoso.com"), b_raw(junk, 2)), good_san()), UNREADABLE,
           NULL);
    expect("trailing bytes inside an attribute", REQUEST,
           request(b_seq(b_set(b_seq(b_raw(OID_CN, sizeof(OID_CN)),
                                     b_tlv(0x0C, b_str("mail.contoso.com")), b_raw(junk, 2)))),
                   good_san()),
           UNREADABLE, NULL);
    expect("cut short", REQUEST, b_raw(good.p, good.len - 1), UNREADABLE, NULL);
    free(good.p);

    /* NUL inside a name. */
    expect("NUL in a UTF8String CN", REQUEST,
           request(b_seq(b_set(ATTR(OID_CN, 0x0C, b_raw("mail\0.contoso.com", 17)))), good_san()),
           POLICY, RULE_NUL_CN);
    expect("NUL in a PrintableString CN", REQUEST,
           request(b_seq(b_set(ATTR(OID_CN, 0x13, b_raw("mail.contoso.com\0", 17)))), good_san()),
           POLICY, RULE_NUL_CN);
    expect("NUL in a SAN dNSName", REQUEST,
           request(good_subject(),
                   san_ext(false, B_CAT(dns("mail.contoso.com"),
                                        b_tlv(0x82, b_raw("evil.com\0.contoso.com", 21))))),
           POLICY, RULE_NUL_DNS);

    /* BMPString / UniversalString. */
    static const unsigned char bmp_odd[] = {0, 'm', 0, 'a', 0, 'i', 0};
    static const unsigned char bmp_lone_high[] = {0, 'm', 0xD8, 0x00, 0, 'x'};
    static const unsigned char bmp_lone_low[] = {0, 'm', 0xDC, 0x00};
    static const unsigned char bmp_ok[] = {0, 'I', 0, 'T'};
    static const unsigned char univ_odd[] = {0, 0, 0, 'm', 0, 0, 'a'};
    static const unsigned char univ_surrogate[] = {0, 0, 0, 'm', 0, 0, 0xD8, 0x00};
    static const unsigned char univ_too_big[] = {0, 0x11, 0, 0};
#define OU_THEN_CN(tag, value)                                                                     \
    request(b_seq(b_set(ATTR(OID_OU, tag, value)), CN_UTF8("mail.contoso.com")), good_san())
    expect("BMPString of odd length", REQUEST, OU_THEN_CN(0x1E, ucs(bmp_odd, sizeof(bmp_odd))),
           UNDECODABLE, NULL);
    expect("BMPString with a lone high surrogate", REQUEST,
           OU_THEN_CN(0x1E, ucs(bmp_lone_high, sizeof(bmp_lone_high))), UNDECODABLE, NULL);
    expect("BMPString with a lone low surrogate", REQUEST,
           OU_THEN_CN(0x1E, ucs(bmp_lone_low, sizeof(bmp_lone_low))), UNDECODABLE, NULL);
    expect("BMPString, valid", REQUEST, OU_THEN_CN(0x1E, ucs(bmp_ok, sizeof(bmp_ok))), PASS, NULL);
    expect("UniversalString of odd length", REQUEST,
           OU_THEN_CN(0x1C, ucs(univ_odd, sizeof(univ_odd))), UNDECODABLE, NULL);
    expect("UniversalString with a surrogate", REQUEST,
           OU_THEN_CN(0x1C, ucs(univ_surrogate, sizeof(univ_surrogate))), UNDECODABLE, NULL);
    expect("UniversalString above U+10FFFF", REQUEST,
           OU_THEN_CN(0x1C, ucs(univ_too_big, sizeof(univ_too_big))), UNDECODABLE, NULL);
    expect("VisibleString OU", REQUEST, OU_THEN_CN(0x1A, b_str("Mail")), UNDECODABLE, NULL);
#undef OU_THEN_CN

    /* OIDs. */
    static const unsigned char oid_wraps_to_cn[] = {0x06, 0x0C, 0x55, 0x04, 0x82, 0x80, 0x80,
                                                    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x03};
    expect(
        "OID with a huge arc that wraps to 2.5.4.3", REQUEST,
        request(b_seq(b_set(ATTR(oid_wraps_to_cn, 0x0C, b_str("mail.contoso.com")))), good_san()),
        POLICY, RULE_UNKNOWN_ATTRIBUTE);
    static const unsigned char oid_non_minimal[] = {0x06, 0x04, 0x55, 0x04, 0x80, 0x03};
    expect(
        "OID with a non-minimal arc", REQUEST,
        request(b_seq(b_set(ATTR(oid_non_minimal, 0x0C, b_str("mail.contoso.com")))), good_san()),
        UNREADABLE, NULL);

    /* GeneralName choices. */
    static const unsigned char other_name[] = {0xA0, 0x0E, 0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04,
                                               0x01, 0x82, 0x37, 0x14, 0x02, 0x03, 0xA0, 0x00};
    static const unsigned char x400[] = {0xA3, 0x02, 0x30, 0x00};
    static const unsigned char edi_party[] = {0xA5, 0x05, 0xA1, 0x03, 0x0C, 0x01, 'x'};
    static const unsigned char ip[] = {0x87, 0x04, 192, 0, 2, 1};
    static const unsigned char registered_id[] = {0x88, 0x03, 0x2A, 0x03, 0x04};
    expect("every GeneralName choice", REQUEST,
           request(good_subject(),
                   san_ext(false,
                           B_CAT(b_raw(other_name, sizeof(other_name)),
                                 b_tlv(0x81, b_str("a@contoso.com")), dns("mail.contoso.com"),
                                 b_raw(x400, sizeof(x400)), b_tlv(0xA4, b_seq(CN_UTF8("x"))),
                                 b_raw(edi_party, sizeof(edi_party)),
                                 b_tlv(0x86, b_str("https://contoso.com/")), b_raw(ip, sizeof(ip)),
                                 b_raw(registered_id, sizeof(registered_id))))),
           PASS, NULL);
    /* A TLS server certificate must carry a DNS name; in a request a missing
     * one is only a warning (the CA may add it), but the CN still must be
     * covered. */
    expect("a SAN of other names only", CERTIFICATE,
           certificate(good_subject(),
                       san_ext(false, B_CAT(b_raw(ip, sizeof(ip)),
                                            b_tlv(0x86, b_str("https://contoso.com/"))))),
           POLICY, RULE_SAN_MISSING);
    expect(
        "a request with a SAN of other names only", REQUEST,
        request(good_subject(), san_ext(false, B_CAT(b_raw(ip, sizeof(ip)),
                                                     b_tlv(0x86, b_str("https://contoso.com/"))))),
        POLICY, RULE_CN_NOT_IN_SAN);
    expect("two SAN extensions", REQUEST,
           request(good_subject(), B_CAT(good_san(), san_ext(false, dns("evil.example")))),
           UNREADABLE, NULL);

    /* Subjects. */
    expect("multi-valued RDN", REQUEST,
           request(b_seq(b_set(ATTR(OID_O, 0x0C, b_str("Contoso")),
                               ATTR(OID_CN, 0x0C, b_str("mail.contoso.com")))),
                   good_san()),
           POLICY, RULE_MULTI_VALUED);
    expect("empty RDN", REQUEST, request(b_seq(b_tlv(0x31, b_empty())), good_san()), UNREADABLE,
           NULL);
    expect("empty subject, critical SAN", REQUEST,
           request(b_tlv(0x30, b_empty()), san_ext(true, dns("mail.contoso.com"))), PASS, NULL);
    expect("empty subject, non-critical SAN", REQUEST,
           request(b_tlv(0x30, b_empty()), san_ext(false, dns("mail.contoso.com"))), POLICY,
           RULE_EMPTY_SUBJECT);
    expect("empty subject in a certificate, critical SAN", CERTIFICATE,
           certificate(b_tlv(0x30, b_empty()), san_ext(true, dns("mail.contoso.com"))), PASS, NULL);

    char *huge = malloc(70001);
    if (huge == NULL)
        abort();
    memset(huge, 'a', 70000);
    huge[70000] = '\0';
    memcpy(huge + 70000 - 12, ".contoso.com", 12);
    expect("70,000-byte CN", REQUEST, request(b_seq(CN_UTF8(huge)), good_san()), POLICY,
           RULE_LONG_CN);
    expect("70,000-byte CN in a certificate", CERTIFICATE,
           certificate(b_seq(CN_UTF8(huge)), good_san()), POLICY, RULE_LONG_CN);
    expect("70,000-byte dNSName", REQUEST, request(good_subject(), san_ext(false, dns(huge))),
           POLICY, RULE_LONG_DNS);
    free(huge);

    bytes many = b_empty();
    for (int i = 0; i < TBS_MAX_DNS + 1; i++) {
        char name[32];
        snprintf(name, sizeof(name), "h%d.contoso.com", i);
        many = B_CAT(many, dns(name));
    }
    expect("more dNSNames than can be checked", REQUEST,
           request(good_subject(), san_ext(false, B_CAT(dns("mail.contoso.com"), many))), TOO_MANY,
           NULL);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hostile_check ROLECERT_BINARY MODULE_DIR\n");
        return 2;
    }
    rolecert_binary = argv[1];
    if (mkdtemp(work_dir) == NULL)
        return 2;
    OSSL_PROVIDER *deflt = NULL, *rolecert = NULL;
    if ((ctx = OSSL_LIB_CTX_new()) == NULL ||
        (deflt = OSSL_PROVIDER_load(ctx, "default")) == NULL ||
        !OSSL_PROVIDER_set_default_search_path(ctx, argv[2]) ||
        (rolecert = OSSL_PROVIDER_load(ctx, "rolecert")) == NULL ||
        !EVP_set_default_properties(ctx, "?rolecert.enforce=yes,?rolecert.keymgmt=no") ||
        (key = EVP_PKEY_Q_keygen(ctx, NULL, "EC", "P-256")) == NULL) {
        ERR_print_errors_fp(stderr);
        return 2;
    }
    unsigned char *der = NULL;
    int der_len = i2d_PUBKEY(key, &der);
    if (der_len <= 0)
        return 2;
    spki = b_raw(der, (size_t)der_len);
    OPENSSL_free(der);

    hostile_items();

    free(spki.p);
    EVP_PKEY_free(key);
    OSSL_PROVIDER_unload(rolecert);
    OSSL_PROVIDER_unload(deflt);
    OSSL_LIB_CTX_free(ctx);
    char path[128];
    snprintf(path, sizeof(path), "%s/out.txt", work_dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/err.txt", work_dir);
    unlink(path);
    rmdir(work_dir);
    printf("%d hostile items checked (DER and PEM), %d failures\n", cases, failures);
    return failures == 0 ? 0 : 1;
}
