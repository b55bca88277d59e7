/* SPDX-License-Identifier: Apache-2.0 */
#include "cert_names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "text.h"

void cert_item_label(strbuf *out, const cert_set *set, const cert_item *item)
{
    strbuf_reset(out);
    strbuf_append_str(out, set->path);
    if (set->n > 1)
        strbuf_printf(out, "[#%zu]", item->position);
}

const char *cert_item_kind_name(cert_item_kind kind)
{
    return kind == CERT_ITEM_CERTIFICATE ? "certificate" : "request";
}

/* Keeps valid UTF-8 except controls; everything else becomes \xHH, so a
 * subject from a hostile certificate cannot forge output lines. */
static void append_printable(strbuf *out, const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t used = utf8_decode(p + i, len - i, &cp);
        if (used == 0 || text_is_control(cp)) {
            size_t bad = used == 0 ? 1 : used;
            for (size_t k = 0; k < bad; k++)
                strbuf_printf(out, "\\x%02X", (unsigned char)p[i + k]);
            i += bad;
            continue;
        }
        strbuf_append(out, p + i, used);
        i += used;
    }
}

static bool print_name(strbuf *out, const X509_NAME *name, unsigned long flags)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return false;
    bool ok = X509_NAME_print_ex(bio, name, 0, flags) >= 0;
    if (ok) {
        char *data = NULL;
        long n = BIO_get_mem_data(bio, &data);
        if (n > 0)
            append_printable(out, data, (size_t)n);
    }
    BIO_free(bio);
    return ok;
}

void cert_item_subject(strbuf *out, const cert_item *item)
{
    strbuf_reset(out);
    const X509_NAME *name = item->kind == CERT_ITEM_CERTIFICATE
                                ? X509_get_subject_name(item->cert)
                                : X509_REQ_get_subject_name(item->req);
    if (name == NULL)
        return;
    /* -nameopt RFC2253,-esc_msb; a value that is not valid in its own
     * encoding makes OpenSSL give up, then every value is dumped as hex. */
    if (print_name(out, name, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB))
        return;
    strbuf_reset(out);
    if (!print_name(out, name, XN_FLAG_RFC2253 | ASN1_STRFLGS_DUMP_ALL))
        strbuf_append_str(out, "(subject not printable)");
    ERR_clear_error();
}

static void hex_upper(const unsigned char *p, size_t len, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0x0F];
    }
    out[2 * len] = '\0';
}

bool cert_item_thumbprint(const cert_item *item, char out[41])
{
    out[0] = '\0';
    if (item->kind != CERT_ITEM_CERTIFICATE)
        return false;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    /* Over the DER exactly as read: what Exchange and `openssl x509
     * -fingerprint` hash. */
    if (!EVP_Digest(item->der, item->der_len, md, &md_len, EVP_sha1(), NULL) || md_len != 20) {
        ERR_clear_error();
        return false;
    }
    hex_upper(md, md_len, out);
    return true;
}

bool cert_thumbprint_parse(const char *text, char out[41])
{
    size_t n = 0;
    for (const char *p = text; *p != '\0'; p++) {
        char c = *p;
        if (c == ':' || c == ' ' || c == '\t')
            continue;
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex || n == 40)
            return false;
        out[n++] = text_ascii_upper(c);
    }
    out[n] = '\0';
    return n == 40;
}

static bool format_time(const ASN1_TIME *t, char out[32])
{
    struct tm tm;
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
        ERR_clear_error();
        strcpy(out, "?");
        return false;
    }
    int n = snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return n > 0 && n < 32;
}

bool cert_item_validity(const cert_item *item, char not_before[32], char not_after[32])
{
    if (item->kind != CERT_ITEM_CERTIFICATE) {
        not_before[0] = not_after[0] = '\0';
        return false;
    }
    bool ok = format_time(X509_get0_notBefore(item->cert), not_before);
    return format_time(X509_get0_notAfter(item->cert), not_after) && ok;
}

/* OpenSSL's key types as the policy and the CLI name them. */
typedef struct key_type_row {
    int evp_id;
    policy_key_type type;
    const char *name; /* NULL: OpenSSL's own type name */
} key_type_row;

static const key_type_row key_types[] = {
    {EVP_PKEY_RSA, POLICY_KEY_RSA, "RSA"},       {EVP_PKEY_RSA_PSS, POLICY_KEY_RSA_PSS, "RSA-PSS"},
    {EVP_PKEY_EC, POLICY_KEY_EC, "EC"},          {EVP_PKEY_ED25519, POLICY_KEY_ED25519, "ED25519"},
    {EVP_PKEY_ED448, POLICY_KEY_ED448, "ED448"}, {EVP_PKEY_DSA, POLICY_KEY_DSA, "DSA"},
    {EVP_PKEY_SM2, POLICY_KEY_SM2, NULL},
};

static const key_type_row *key_type_row_of(const EVP_PKEY *key)
{
    int id = EVP_PKEY_get_base_id(key);
    for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++) {
        if (key_types[i].evp_id == id)
            return &key_types[i];
    }
    return NULL;
}

policy_key_type cert_key_type(const EVP_PKEY *key)
{
    const key_type_row *row = key_type_row_of(key);
    return row != NULL ? row->type : POLICY_KEY_UNKNOWN;
}

void cert_item_key(const cert_item *item, char *type, size_t type_size, int *bits)
{
    /* X509_get0_pubkey decodes on first use: a key OpenSSL cannot decode
     * (unknown algorithm, bad encoding) is reported as unknown. */
    EVP_PKEY *key = item->kind == CERT_ITEM_CERTIFICATE ? X509_get0_pubkey(item->cert)
                                                        : X509_REQ_get0_pubkey(item->req);
    *bits = 0;
    snprintf(type, type_size, "unknown");
    if (key == NULL) {
        ERR_clear_error();
        return;
    }
    const key_type_row *row = key_type_row_of(key);
    const char *name = row != NULL && row->name != NULL ? row->name : EVP_PKEY_get0_type_name(key);
    if (name != NULL)
        snprintf(type, type_size, "%s", name);
    *bits = EVP_PKEY_get_bits(key);
    if (*bits < 0)
        *bits = 0;
    ERR_clear_error();
}

void cert_dns_list_init(cert_dns_list *list)
{
    list->items = NULL;
    list->n = 0;
    list->cap = 0;
}

void cert_dns_list_free(cert_dns_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i].name);
    free(list->items);
    cert_dns_list_init(list);
}

static bool dns_list_push(cert_dns_list *list, const unsigned char *p, size_t len, bool from_cn)
{
    if (!array_make_room(&list->items, list->n, &list->cap, sizeof(*list->items)))
        return false;
    char *copy = text_copy((const char *)p, len);
    if (copy == NULL)
        return false;
    list->items[list->n++] = (cert_dns_name){copy, len, from_cn};
    return true;
}

static GENERAL_NAMES *item_san(const cert_item *item)
{
    if (item->kind == CERT_ITEM_CERTIFICATE)
        return X509_get_ext_d2i(item->cert, NID_subject_alt_name, NULL, NULL);
    STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(item->req);
    if (exts == NULL)
        return NULL;
    GENERAL_NAMES *san = X509V3_get_d2i(exts, NID_subject_alt_name, NULL, NULL);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return san;
}

bool cert_item_dns_names(const cert_item *item, cert_dns_list *out)
{
    bool ok = true;
    GENERAL_NAMES *san = item_san(item);
    for (int i = 0; ok && i < sk_GENERAL_NAME_num(san); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);
        if (gn->type != GEN_DNS)
            continue;
        const ASN1_IA5STRING *dns = gn->d.dNSName;
        ok = dns_list_push(out, ASN1_STRING_get0_data(dns), (size_t)ASN1_STRING_length(dns), false);
    }
    GENERAL_NAMES_free(san);
    const X509_NAME *subject = item->kind == CERT_ITEM_CERTIFICATE
                                   ? X509_get_subject_name(item->cert)
                                   : X509_REQ_get_subject_name(item->req);
    for (int i = -1; ok && subject != NULL;) {
        i = X509_NAME_get_index_by_NID(subject, NID_commonName, i);
        if (i < 0)
            break;
        const ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
        unsigned char *utf8 = NULL;
        int len = ASN1_STRING_to_UTF8(&utf8, value);
        if (len < 0)
            continue; /* not decodable: cannot match anything */
        ok = dns_list_push(out, utf8, (size_t)len, true);
        OPENSSL_free(utf8);
    }
    ERR_clear_error();
    return ok;
}

/* BMPString (width 2) or UniversalString (width 4): big-endian code units;
 * a surrogate, a value past U+10FFFF or a cut unit becomes U+FFFD. */
static void append_ucs(strbuf *out, const unsigned char *p, size_t len, size_t width)
{
    for (size_t i = 0; i + width <= len; i += width) {
        uint32_t cp = 0;
        for (size_t k = 0; k < width; k++)
            cp = (cp << 8) | p[i + k];
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        utf8_append(out, cp);
    }
    if (len % width != 0)
        utf8_append(out, 0xFFFD);
}

bool cert_value_to_utf8(strbuf *out, policy_string_type type, policy_str value)
{
    const unsigned char *p = (const unsigned char *)value.ptr;
    switch (type) {
    case POLICY_STRING_BMP:
        append_ucs(out, p, value.len, 2);
        break;
    case POLICY_STRING_UNIVERSAL:
        append_ucs(out, p, value.len, 4);
        break;
    case POLICY_STRING_T61:
        for (size_t i = 0; i < value.len; i++)
            utf8_append(out, p[i]);
        break;
    default:
        strbuf_append(out, value.ptr, value.len);
        break;
    }
    return !out->failed;
}

bool json_append_string(strbuf *out, const char *p, size_t len)
{
    strbuf_append_char(out, '"');
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t used = utf8_decode(p + i, len - i, &cp);
        if (used == 0) {
            strbuf_printf(out, "\\\\x%02X", (unsigned char)p[i]);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            strbuf_printf(out, "\\%c", (char)cp);
        else if (cp == '\n')
            strbuf_append_str(out, "\\n");
        else if (cp == '\t')
            strbuf_append_str(out, "\\t");
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 ||
                 cp == 0x2029)
            strbuf_printf(out, "\\u%04X", (unsigned)cp);
        else
            strbuf_append(out, p + i, used);
        i += used;
    }
    strbuf_append_char(out, '"');
    return !out->failed;
}

bool json_append_cstr(strbuf *out, const char *text)
{
    return json_append_string(out, text, strlen(text));
}

bool json_append_cstr_or_null(strbuf *out, const char *text)
{
    return text != NULL ? json_append_cstr(out, text) : strbuf_append_str(out, "null");
}

bool json_append_member(strbuf *out, const char *key, const char *p, size_t len)
{
    json_append_cstr(out, key);
    strbuf_append_char(out, ':');
    json_append_string(out, p, len);
    return strbuf_append_char(out, ',');
}

bool json_append_member_cstr(strbuf *out, const char *key, const char *text)
{
    return json_append_member(out, key, text, strlen(text));
}
