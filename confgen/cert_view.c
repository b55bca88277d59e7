/* SPDX-License-Identifier: Apache-2.0 */
#include "cert_view.h"

#include "cert_names.h"
#include <rolecert/tbs.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

static policy_attr attr_from_nid(int nid)
{
    switch (nid) {
    case NID_countryName:
        return POLICY_ATTR_C;
    case NID_domainComponent:
        return POLICY_ATTR_DC;
    case NID_stateOrProvinceName:
        return POLICY_ATTR_ST;
    case NID_localityName:
        return POLICY_ATTR_L;
    case NID_organizationName:
        return POLICY_ATTR_O;
    case NID_organizationalUnitName:
        return POLICY_ATTR_OU;
    case NID_commonName:
        return POLICY_ATTR_CN;
    default:
        return POLICY_ATTR_OTHER;
    }
}

static policy_key_type key_type_from_pkey(const EVP_PKEY *pkey)
{
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
        return POLICY_KEY_RSA;
    case EVP_PKEY_RSA_PSS:
        return POLICY_KEY_RSA_PSS;
    case EVP_PKEY_EC:
        return POLICY_KEY_EC;
    case EVP_PKEY_ED25519:
        return POLICY_KEY_ED25519;
    case EVP_PKEY_ED448:
        return POLICY_KEY_ED448;
    case EVP_PKEY_DSA:
        return POLICY_KEY_DSA;
    case EVP_PKEY_SM2:
        return POLICY_KEY_SM2;
    default:
        return POLICY_KEY_UNKNOWN;
    }
}

static bool read_subject(cert_view *view, X509 *cert, strbuf *why)
{
    const X509_NAME *name = X509_get_subject_name(cert);
    int count = X509_NAME_entry_count(name);
    if (count <= 0)
        return true;
    view->subject = calloc((size_t)count, sizeof(*view->subject));
    view->attrs = calloc((size_t)count, sizeof(*view->attrs));
    if (view->subject == NULL || view->attrs == NULL) {
        strbuf_append_str(why, "out of memory");
        return false;
    }
    for (int i = 0; i < count; i++) {
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        const ASN1_OBJECT *object = X509_NAME_ENTRY_get_object(entry);
        const ASN1_STRING *data = X509_NAME_ENTRY_get_data(entry);
        policy_attribute *attr = &view->subject[i];
        cert_view_attr *extra = &view->attrs[i];
        attr->attr = attr_from_nid(OBJ_obj2nid(object));
        attr->type = tbs_string_type_of_tag((unsigned)ASN1_STRING_type(data));
        attr->value.ptr = (const char *)ASN1_STRING_get0_data(data);
        attr->value.len = (size_t)ASN1_STRING_length(data);
        attr->rdn = (size_t)X509_NAME_ENTRY_set(entry);
        if (i > 0 && attr->rdn == view->subject[i - 1].rdn)
            view->multivalued = true;
        /* The short name when OpenSSL knows one, else the dotted OID. */
        if (OBJ_obj2txt(extra->label, sizeof(extra->label), object, 0) <= 0)
            strcpy(extra->label, "?");
        attr->label.ptr = extra->label;
        attr->label.len = strlen(extra->label);
        unsigned char *utf8 = NULL;
        int utf8_len = ASN1_STRING_to_UTF8(&utf8, data);
        if (utf8_len >= 0) {
            extra->utf8 = (char *)utf8;
            extra->utf8_len = (size_t)utf8_len;
        }
        view->n_subject++;
    }
    return true;
}

bool cert_view_init(cert_view *view, X509 *cert, strbuf *why)
{
    memset(view, 0, sizeof(*view));
    if (!read_subject(view, cert, why))
        return false;

    int index = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1);
    if (index >= 0) {
        X509_EXTENSION *ext = X509_get_ext(cert, index);
        view->has_san = true;
        view->san_critical = X509_EXTENSION_get_critical(ext) != 0;
        GENERAL_NAMES *san = X509V3_EXT_d2i(ext);
        if (san == NULL) {
            strbuf_append_str(why, "the subjectAltName extension does not decode");
            return false;
        }
        view->san_owner = san;
        int n = sk_GENERAL_NAME_num(san);
        if (n > 0) {
            view->dns = calloc((size_t)n, sizeof(*view->dns));
            if (view->dns == NULL) {
                strbuf_append_str(why, "out of memory");
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            const GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);
            if (gn->type != GEN_DNS) {
                view->n_other_general_names++;
                continue;
            }
            view->dns[view->n_dns].ptr = (const char *)ASN1_STRING_get0_data(gn->d.dNSName);
            view->dns[view->n_dns].len = (size_t)ASN1_STRING_length(gn->d.dNSName);
            view->n_dns++;
        }
    }

    EVP_PKEY *pkey = X509_get0_pubkey(cert);
    if (pkey != NULL) {
        view->key_type = key_type_from_pkey(pkey);
        view->key_bits = (unsigned)EVP_PKEY_get_bits(pkey);
        size_t curve_len = 0;
        if (view->key_type == POLICY_KEY_EC &&
            !EVP_PKEY_get_group_name(pkey, view->curve, sizeof(view->curve), &curve_len))
            view->curve[0] = '\0';
    }

    return true;
}

void cert_view_free(cert_view *view)
{
    for (size_t i = 0; i < view->n_subject; i++)
        OPENSSL_free(view->attrs[i].utf8);
    free(view->attrs);
    free(view->subject);
    free(view->dns);
    GENERAL_NAMES_free(view->san_owner);
    memset(view, 0, sizeof(*view));
}

typedef struct print_ctx {
    const char *file;
    FILE *out;
} print_ctx;

static void print_finding(void *ctx, const policy_finding *finding)
{
    print_ctx *pc = ctx;
    fprintf(pc->out, "%s: %s[%s]: %s\n", pc->file, policy_severity_name(finding->severity),
            finding->rule_id, finding->message);
    if (finding->hint[0] != '\0')
        fprintf(pc->out, "  hint: %s\n", finding->hint);
}

bool cert_item_check(const cert_item *item, const policy_config *cfg, const char *file, FILE *out,
                     policy_result *result, strbuf *why)
{
    *result = (policy_result){0};
    tbs_names *walked = malloc(sizeof(*walked));
    if (walked == NULL) {
        strbuf_append_str(why, "out of memory");
        return false;
    }
    tbs_status status = cert_names_walk(item->der, item->der_len, walked);
    if (status != TBS_OK) {
        strbuf_printf(why, "its names cannot be walked: %s",
                      status == TBS_TOO_MANY  ? "more names than the checker holds"
                      : walked->error != NULL ? walked->error
                                              : "malformed DER");
        free(walked);
        return false;
    }
    policy_names names;
    tbs_to_policy_names(walked, &names);
    print_ctx pc = {.file = file, .out = out};
    policy_sink sink = {.emit = print_finding, .ctx = &pc};
    *result = policy_check_names(cfg, &names, &sink);
    free(walked);
    return true;
}
