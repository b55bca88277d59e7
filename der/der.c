/* SPDX-License-Identifier: Apache-2.0 */
#include <rolecert/der.h>

der_header_status der_header_read(const unsigned char *p, size_t avail, der_header *h)
{
    *h = (der_header){.minimal = true};
    if (avail < 2)
        return DER_HEADER_TRUNCATED;
    h->tag = p[0];
    h->multi_byte_tag = (p[0] & 0x1f) == 0x1f;
    h->header_len = 2;
    if (!(p[1] & 0x80)) {
        h->len = p[1];
    } else if (p[1] == 0x80) {
        h->indefinite = true;
    } else {
        size_t n = p[1] & 0x7f;
        h->length_octets = n;
        if (n > sizeof(size_t))
            return DER_HEADER_LENGTH_TOO_LARGE;
        if (avail - 2 < n)
            return DER_HEADER_LENGTH_TRUNCATED;
        for (size_t i = 0; i < n; i++)
            h->len = (h->len << 8) | p[2 + i];
        h->header_len += n;
        h->minimal = p[2] != 0 && h->len >= 0x80;
    }
    h->fits = !h->indefinite && h->len <= avail - h->header_len;
    return DER_HEADER_OK;
}

size_t der_element_size(const unsigned char *p, size_t avail, unsigned char tag)
{
    der_header h;
    if (der_header_read(p, avail, &h) != DER_HEADER_OK || !h.fits || h.tag != tag)
        return 0;
    return h.header_len + h.len;
}
