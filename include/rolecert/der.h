/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one DER header reader (identifier octet + length) every part of
 * rolecert uses. It reads any length form and reports what it saw; each
 * caller then judges by its own rule: the strict walker refuses anything
 * but minimal definite DER, the sniff accepts what OpenSSL's BER decoder
 * would read, the file reader splits concatenated items.
 */
#ifndef ROLECERT_DER_H
#define ROLECERT_DER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum der_header_status {
    DER_HEADER_OK,
    DER_HEADER_TRUNCATED,        /* fewer than the two first octets */
    DER_HEADER_LENGTH_TOO_LARGE, /* more length octets than a size_t holds */
    DER_HEADER_LENGTH_TRUNCATED  /* the length octets run past the input */
} der_header_status;

typedef struct der_header {
    unsigned char tag;    /* the first identifier octet */
    bool multi_byte_tag;  /* high-tag-number form (tag & 0x1f == 0x1f) */
    bool indefinite;      /* length octet 0x80 (BER only) */
    size_t length_octets; /* after the initial length octet; 0 in short form */
    bool minimal;         /* the length is in its shortest form */
    size_t header_len;    /* identifier and length octets */
    size_t len;           /* the contents' length as encoded; 0 when indefinite */
    bool fits;            /* definite, and header + contents lie inside the input */
} der_header;

/* The fast path of der_header_read for the length forms DER uses below
 * 64 KiB (short, 0x81 with a value of at least 0x80, 0x82 without a leading
 * zero octet): the header's size (2 to 4 octets) with *len set, when p[1]
 * starts one of them, it is minimal and its octets are inside avail; 0
 * otherwise, and der_header_read judges. Whether the contents fit and what
 * the identifier octet is, is the caller's question. */
static inline size_t der_header_quick(const unsigned char *p, size_t avail, size_t *len)
{
    if (avail >= 2 && p[1] < 0x80) {
        *len = p[1];
        return 2;
    }
    if (avail >= 3 && p[1] == 0x81 && p[2] >= 0x80) {
        *len = p[2];
        return 3;
    }
    if (avail >= 4 && p[1] == 0x82 && p[2] != 0) {
        *len = (size_t)p[2] << 8 | p[3];
        return 4;
    }
    return 0;
}

/* Reads the header at p (avail octets). On DER_HEADER_LENGTH_TOO_LARGE and
 * DER_HEADER_LENGTH_TRUNCATED, tag and length_octets are still set. */
der_header_status der_header_read(const unsigned char *p, size_t avail, der_header *h);

/* Header plus contents of a definite-length element with this tag that fits
 * inside avail; 0 otherwise. */
size_t der_element_size(const unsigned char *p, size_t avail, unsigned char tag);

#endif /* ROLECERT_DER_H */
