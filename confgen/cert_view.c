/* SPDX-License-Identifier: Apache-2.0 */
#include "cert_view.h"

#include "cert_names.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

static void read_key(cert_view *view, const cert_item *item)
{
    EVP_PKEY *pkey = item->kind == CERT_ITEM_CERTIFICATE ? X509_get0_pubkey(item->cert) : NULL;
    if (pkey == NULL) {
        ERR_clear_error();
        return;
    }
    view->key_type = cert_key_type(pkey);
    view->key_bits = (unsigned)EVP_PKEY_get_bits(pkey);
    size_t curve_len = 0;
    if (view->key_type == POLICY_KEY_EC &&
        !EVP_PKEY_get_group_name(pkey, view->curve, sizeof(view->curve), &curve_len))
        view->curve[0] = '\0';
}

bool cert_view_init(cert_view *view, const cert_item *item, strbuf *why)
{
    memset(view, 0, sizeof(*view));
    view->names = malloc(sizeof(*view->names));
    if (view->names == NULL) {
        strbuf_append_str(why, "out of memory");
        return false;
    }
    const tbs_names *names = view->names;
    view->status = cert_names_walk(item->der, item->der_len, view->names);
    read_key(view, item);
    if (view->status != TBS_OK)
        return true;
    if (names->n_subject > 0) {
        view->attrs = calloc(names->n_subject, sizeof(*view->attrs));
        if (view->attrs == NULL) {
            strbuf_append_str(why, "out of memory");
            return false;
        }
    }
    view->subject = names->subject;
    for (size_t i = 0; i < names->n_subject; i++) {
        if (!cert_name_text_of(names, i, &view->attrs[i])) {
            strbuf_append_str(why, "out of memory");
            return false;
        }
        view->n_subject++;
        if (i > 0 && names->subject[i].rdn == names->subject[i - 1].rdn)
            view->multivalued = true;
    }
    view->dns = names->dns;
    view->n_dns = names->n_dns;
    view->n_other_general_names = names->n_other_general_names;
    return true;
}

void cert_view_free(cert_view *view)
{
    for (size_t i = 0; i < view->n_subject; i++)
        cert_name_text_free(&view->attrs[i]);
    free(view->attrs);
    free(view->names);
    memset(view, 0, sizeof(*view));
}

bool cert_view_check(const cert_view *view, const policy_config *cfg, const role_name *required,
                     size_t n_required, const char *file, FILE *out, check_report *report,
                     strbuf *why)
{
    *report = (check_report){0};
    if (view->status != TBS_OK) {
        const char *error = view->names->error;
        strbuf_printf(why, "its names cannot be walked: %s",
                      view->status == TBS_TOO_MANY ? "more names than the checker holds"
                      : error != NULL              ? error
                                                   : "malformed DER");
        return false;
    }
    check_collect(report, view->names, cfg, required, n_required);
    if (report->out_of_memory) {
        strbuf_append_str(why, "out of memory");
        return false;
    }
    for (size_t i = 0; i < report->n_findings; i++) {
        const check_finding *f = &report->findings[i];
        fprintf(out, "%s: %s[%s]: %s\n", file, policy_severity_name(f->severity), f->rule_id,
                f->message);
        if (f->hint[0] != '\0')
            fprintf(out, "  hint: %s\n", f->hint);
    }
    return true;
}
