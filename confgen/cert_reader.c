/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cert_reader: PEM (many blocks), DER and PKCS #7 certificates and requests.
 *
 * Each item keeps the exact bytes it was decoded from (not a re-encoding)
 * wherever the container gives them to us, so that the name walker sees the
 * same DER the provider would see at signing time. PKCS #7 is the exception:
 * its certificates are re-encoded with i2d_X509, which reproduces the
 * original TBSCertificate bytes because OpenSSL caches that encoding.
 */
#include "cert_reader.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include <rolecert/der.h>

/* Far above any real bundle (Debian's whole CA bundle is ~200 KiB); keeps a
 * mistaken `rolecert check /dev/zero` or a disk image from eating memory. */
#define CERT_FILE_MAX (64u * 1024u * 1024u)

void cert_set_init(cert_set *set, const char *path)
{
    set->path = path;
    set->items = NULL;
    set->n = 0;
    set->cap = 0;
}

static void cert_item_free(cert_item *item)
{
    X509_free(item->cert);
    X509_REQ_free(item->req);
    OPENSSL_free(item->der);
    item->cert = NULL;
    item->req = NULL;
    item->der = NULL;
    item->der_len = 0;
}

void cert_set_free(cert_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        cert_item_free(&set->items[i]);
    free(set->items);
    set->items = NULL;
    set->n = 0;
    set->cap = 0;
}

/* Takes ownership of cert/req and der (also on failure). */
static bool cert_set_push(cert_set *set, cert_item_kind kind, X509 *cert, X509_REQ *req,
                          unsigned char *der, size_t der_len, strbuf *why)
{
    if (!array_make_room(&set->items, set->n, &set->cap, sizeof(*set->items))) {
        X509_free(cert);
        X509_REQ_free(req);
        OPENSSL_free(der);
        strbuf_append_str(why, "out of memory");
        return false;
    }
    cert_item *item = &set->items[set->n];
    item->kind = kind;
    item->cert = cert;
    item->req = req;
    item->der = der;
    item->der_len = der_len;
    item->position = set->n + 1;
    set->n++;
    return true;
}

static unsigned char *copy_bytes(const unsigned char *p, size_t len)
{
    unsigned char *copy = OPENSSL_malloc(len == 0 ? 1 : len);
    if (copy != NULL && len > 0)
        memcpy(copy, p, len);
    return copy;
}

/* A certificate or request whose DER is exactly [p, p + len). */
static bool push_item_bytes(cert_set *set, cert_item_kind kind, const unsigned char *p, size_t len,
                            strbuf *why)
{
    unsigned char *der = copy_bytes(p, len);
    if (der == NULL) {
        strbuf_append_str(why, "out of memory");
        return false;
    }
    const unsigned char *q = der;
    X509 *cert = NULL;
    X509_REQ *req = NULL;
    if (kind == CERT_ITEM_CERTIFICATE)
        cert = d2i_X509(NULL, &q, (long)len);
    else
        req = d2i_X509_REQ(NULL, &q, (long)len);
    if ((cert == NULL && req == NULL) || (size_t)(q - der) != len) {
        X509_free(cert);
        X509_REQ_free(req);
        OPENSSL_free(der);
        return false;
    }
    return cert_set_push(set, kind, cert, req, der, len, why);
}

static bool push_certificate_bytes(cert_set *set, const unsigned char *p, size_t len, strbuf *why)
{
    return push_item_bytes(set, CERT_ITEM_CERTIFICATE, p, len, why);
}

static bool push_request_bytes(cert_set *set, const unsigned char *p, size_t len, strbuf *why)
{
    return push_item_bytes(set, CERT_ITEM_REQUEST, p, len, why);
}

/* Every certificate of a SignedData (CRLs and signers are ignored). Returns
 * the number pushed, or -1 when p7 is not usable. */
static long push_pkcs7_certificates(cert_set *set, PKCS7 *p7, strbuf *why)
{
    STACK_OF(X509) *certs = NULL;
    if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
        certs = p7->d.sign->cert;
    else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped != NULL)
        certs = p7->d.signed_and_enveloped->cert;
    else
        return -1;
    long pushed = 0;
    for (int i = 0; i < sk_X509_num(certs); i++) {
        X509 *cert = sk_X509_value(certs, i);
        unsigned char *der = NULL;
        int len = i2d_X509(cert, &der);
        if (len <= 0) {
            strbuf_printf(why, "certificate %d of the PKCS #7 bundle does not encode", i + 1);
            return -1;
        }
        if (!X509_up_ref(cert)) {
            OPENSSL_free(der);
            strbuf_append_str(why, "out of memory");
            return -1;
        }
        if (!cert_set_push(set, CERT_ITEM_CERTIFICATE, cert, NULL, der, (size_t)len, why))
            return -1;
        pushed++;
    }
    return pushed;
}

static bool push_pkcs7_bytes(cert_set *set, const unsigned char *p, size_t len, strbuf *why,
                             bool *decoded)
{
    const unsigned char *q = p;
    PKCS7 *p7 = d2i_PKCS7(NULL, &q, (long)len);
    *decoded = p7 != NULL && (size_t)(q - p) == len;
    if (!*decoded) {
        PKCS7_free(p7);
        return false;
    }
    size_t before = why->len;
    long pushed = push_pkcs7_certificates(set, p7, why);
    PKCS7_free(p7);
    if (pushed < 0) {
        if (why->len == before)
            strbuf_append_str(why, "PKCS #7 content is not SignedData");
        return false;
    }
    return true;
}

static bool looks_like_pem(const unsigned char *data, size_t len)
{
    static const char marker[] = "-----BEGIN ";
    const size_t mlen = sizeof(marker) - 1;
    for (size_t i = 0; i + mlen <= len; i++) {
        if (data[i] == '-' && memcmp(data + i, marker, mlen) == 0)
            return true;
    }
    return false;
}

/* True when the PEM reader stopped because nothing more was there. */
static bool pem_at_end(void)
{
    unsigned long err = ERR_peek_last_error();
    return ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
}

static bool name_is(const char *name, const char *want)
{
    return strcmp(name, want) == 0;
}

static bool read_pem(cert_set *set, const unsigned char *data, size_t len, strbuf *why)
{
    if (len > INT_MAX) {
        strbuf_append_str(why, "file too large");
        return false;
    }
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL) {
        strbuf_append_str(why, "out of memory");
        return false;
    }
    bool ok = true;
    size_t block = 0;
    for (;;) {
        char *name = NULL;
        char *header = NULL;
        unsigned char *body = NULL;
        long body_len = 0;
        ERR_clear_error();
        if (!PEM_read_bio(bio, &name, &header, &body, &body_len)) {
            if (!pem_at_end()) {
                strbuf_printf(why, "PEM block %zu is not valid base64 or is truncated", block + 1);
                ok = false;
            }
            break;
        }
        block++;
        size_t blen = body_len > 0 ? (size_t)body_len : 0;
        bool pushed = true;
        bool recognised = true;
        if (name_is(name, PEM_STRING_X509) || name_is(name, PEM_STRING_X509_OLD)) {
            pushed = push_certificate_bytes(set, body, blen, why);
        } else if (name_is(name, PEM_STRING_X509_TRUSTED)) {
            /* A certificate followed by OpenSSL's trust settings: keep only
             * the certificate's own bytes. */
            const unsigned char *q = body;
            X509 *probe = d2i_X509(NULL, &q, body_len);
            size_t cert_len = probe != NULL ? (size_t)(q - body) : 0;
            X509_free(probe);
            pushed = probe != NULL && push_certificate_bytes(set, body, cert_len, why);
        } else if (name_is(name, PEM_STRING_X509_REQ) || name_is(name, PEM_STRING_X509_REQ_OLD)) {
            pushed = push_request_bytes(set, body, blen, why);
        } else if (name_is(name, PEM_STRING_PKCS7)) {
            bool decoded = false;
            size_t before = why->len;
            pushed = push_pkcs7_bytes(set, body, blen, why, &decoded);
            if (!pushed && decoded && why->len != before) {
                /* push_pkcs7_bytes already said why; name the block. */
                strbuf_reset(why);
                strbuf_printf(why, "PEM block %zu (PKCS7) holds no usable certificates", block);
            }
        } else {
            /* Keys, CRLs, parameters: not ours to check; skipping them lets
             * a combined "cert + key" file be checked as it is. */
            recognised = false;
        }
        if (recognised && !pushed && why->len == 0)
            strbuf_printf(why, "PEM block %zu (%s) does not decode", block, name);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(body);
        if (recognised && !pushed) {
            ok = false;
            break;
        }
    }
    BIO_free(bio);
    ERR_clear_error();
    return ok;
}

static bool read_der(cert_set *set, const unsigned char *data, size_t len, strbuf *why)
{
    size_t offset = 0;
    while (offset < len) {
        /* Concatenated DER items are split before decoding. */
        size_t tlv = der_element_size(data + offset, len - offset, 0x30);
        if (tlv == 0 || tlv > LONG_MAX) {
            if (set->n == 0)
                strbuf_append_str(why, "neither PEM nor DER (no certificate or request found)");
            else
                strbuf_printf(why, "bytes after DER item %zu are not DER", set->n);
            return false;
        }
        const unsigned char *item = data + offset;
        size_t before = why->len;
        bool decoded = false;
        if (!push_certificate_bytes(set, item, tlv, why) && why->len == before &&
            !push_request_bytes(set, item, tlv, why) && why->len == before &&
            !push_pkcs7_bytes(set, item, tlv, why, &decoded)) {
            if (why->len == before)
                strbuf_printf(why, "DER item %zu is not a certificate, request or PKCS #7",
                              set->n + 1);
            return false;
        }
        if (why->len != before)
            return false;
        offset += tlv;
    }
    return true;
}

bool cert_read_memory(cert_set *set, const unsigned char *data, size_t len, strbuf *why)
{
    strbuf_reset(why);
    bool ok =
        looks_like_pem(data, len) ? read_pem(set, data, len, why) : read_der(set, data, len, why);
    ERR_clear_error();
    if (ok && set->n == 0) {
        strbuf_append_str(why, "no certificate or request found");
        ok = false;
    }
    if (!ok && why->len == 0)
        strbuf_append_str(why, "out of memory");
    return ok;
}

bool cert_read_file(cert_set *set, strbuf *why)
{
    strbuf_reset(why);
    FILE *f = fopen(set->path, "rb");
    if (f == NULL) {
        strbuf_append_str(why, strerror(errno));
        return false;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    size_t cap = 0;
    bool ok = true;
    for (;;) {
        if (len == cap) {
            if (cap >= CERT_FILE_MAX) {
                strbuf_printf(why, "larger than %u MiB", CERT_FILE_MAX / (1024u * 1024u));
                ok = false;
                break;
            }
            size_t grown_cap = cap == 0 ? 16384 : cap * 2;
            unsigned char *grown = realloc(data, grown_cap);
            if (grown == NULL) {
                strbuf_append_str(why, "out of memory");
                ok = false;
                break;
            }
            data = grown;
            cap = grown_cap;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                strbuf_append_str(why, strerror(errno));
                ok = false;
            }
            break;
        }
    }
    fclose(f);
    if (ok && len == 0) {
        strbuf_append_str(why, "empty file");
        ok = false;
    }
    if (ok)
        ok = cert_read_memory(set, data, len, why);
    free(data);
    return ok;
}
