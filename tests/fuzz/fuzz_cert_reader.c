/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `check`'s file reader (PEM with any number of blocks, DER certificates
 * and requests, PKCS #7 in PEM or DER) over arbitrary bytes. Beyond not
 * crashing or leaking: a refusal always says why; every item read holds
 * the decoded object of its kind and DER that OpenSSL decodes again to the
 * whole of it; positions count 1, 2, 3...; and the item's to-be-signed part
 * goes through the provider's walker as `check` does.
 */
#include <openssl/err.h>
#include <openssl/x509.h>

#include <stdint.h>

#include "cert_reader.h"
#include "fuzz_check.h"
#include "strbuf.h"
#include <rolecert/tbs.h>

/* The first element inside the outer SEQUENCE: the TBS. */
static bool inner_first(const unsigned char *der, size_t len, const unsigned char **tbs,
                        size_t *tbs_len)
{
    if (len < 2 || der[0] != 0x30)
        return false;
    size_t hdr = 2;
    if (der[1] & 0x80) {
        size_t n = der[1] & 0x7f;
        if (n == 0 || n > 4 || len < 2 + n)
            return false;
        hdr += n;
    }
    const unsigned char *p = der + hdr;
    if (len - hdr < 2)
        return false;
    size_t inner_len = p[1], inner_hdr = 2;
    if (p[1] & 0x80) {
        size_t n = p[1] & 0x7f;
        if (n == 0 || n > 4 || len - hdr < 2 + n)
            return false;
        inner_len = 0;
        for (size_t i = 0; i < n; i++)
            inner_len = (inner_len << 8) | p[2 + i];
        inner_hdr += n;
    }
    if (inner_len > len - hdr - inner_hdr)
        return false;
    *tbs = p;
    *tbs_len = inner_hdr + inner_len;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tbs_names walked;
    cert_set set;
    cert_set_init(&set, "fuzz.pem");
    strbuf why;
    strbuf_init(&why);
    bool ok = cert_read_memory(&set, data, size, &why);
    if (!ok) {
        FUZZ_CHECK(why.len > 0 || why.failed, "refused without a reason");
    } else {
        FUZZ_CHECK(set.n > 0, "success with no item");
    }
    for (size_t i = 0; i < set.n; i++) {
        const cert_item *item = &set.items[i];
        FUZZ_CHECK(item->position == i + 1, "item %zu at position %zu", i, item->position);
        FUZZ_CHECK(item->der != NULL && item->der_len > 0, "item %zu without DER", i);
        const unsigned char *p = item->der;
        if (item->kind == CERT_ITEM_CERTIFICATE) {
            FUZZ_CHECK(item->cert != NULL && item->req == NULL, "item %zu: certificate", i);
            X509 *again = d2i_X509(NULL, &p, (long)item->der_len);
            FUZZ_CHECK(again != NULL && p == item->der + item->der_len,
                       "item %zu: DER does not decode again", i);
            X509_free(again);
        } else {
            FUZZ_CHECK(item->req != NULL && item->cert == NULL, "item %zu: request", i);
            X509_REQ *again = d2i_X509_REQ(NULL, &p, (long)item->der_len);
            FUZZ_CHECK(again != NULL && p == item->der + item->der_len,
                       "item %zu: DER does not decode again", i);
            X509_REQ_free(again);
        }
        const unsigned char *tbs;
        size_t tbs_len;
        if (inner_first(item->der, item->der_len, &tbs, &tbs_len))
            (void)tbs_parse(tbs, tbs_len, &walked);
    }
    cert_set_free(&set);
    strbuf_free(&why);
    ERR_clear_error();
    return 0;
}
