/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads the certificates and certificate requests an administrator hands to
 * `rolecert check|list|match|clone|import`: PEM (any number of CERTIFICATE,
 * X509 CERTIFICATE, TRUSTED CERTIFICATE, CERTIFICATE REQUEST, NEW CERTIFICATE
 * REQUEST and PKCS7 blocks in one file), DER certificates, DER requests and
 * PKCS #7 (.p7b, PEM or DER, certificates only). Every item keeps its own DER
 * so the name checks can walk it in place, exactly as the provider does.
 */
#ifndef ROLECERT_CONFGEN_CERT_READER_H
#define ROLECERT_CONFGEN_CERT_READER_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "strbuf.h"

typedef enum cert_item_kind { CERT_ITEM_CERTIFICATE, CERT_ITEM_REQUEST } cert_item_kind;

typedef struct cert_item {
    cert_item_kind kind;
    X509 *cert;         /* CERT_ITEM_CERTIFICATE: owned */
    X509_REQ *req;      /* CERT_ITEM_REQUEST: owned */
    unsigned char *der; /* the item's whole DER (Certificate or CertificationRequest), owned */
    size_t der_len;
    size_t position;    /* 1-based position of the item in its file */
} cert_item;

typedef struct cert_set {
    const char *path; /* as given; not owned */
    cert_item *items;
    size_t n;
    size_t cap;
} cert_set;

void cert_set_init(cert_set *set, const char *path);
void cert_set_free(cert_set *set);

/* Reads every item of the file. false (and a one-line reason in *why, e.g.
 * "no certificate or request found", "PEM block 3 (CERTIFICATE) does not
 * decode") when the file cannot be read or holds nothing usable; the
 * caller reports "PATH: error: unreadable: WHY" and exits 2. */
bool cert_read_file(cert_set *set, strbuf *why);

/* The same over bytes already in memory (tests, fuzzing). */
bool cert_read_memory(cert_set *set, const unsigned char *data, size_t len, strbuf *why);

#endif
