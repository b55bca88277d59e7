/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names that are not what they look like: a CN that reads as a DNS name but
 * breaks its syntax (cn-invalid-dns), and an A-label whose Unicode form
 * passes for an ASCII name (dns-homoglyph). The public suffixes come from
 * libpsl's built-in list, which Debian builds from its publicsuffix package:
 * compiled-in data, so no file is read and no state is kept.
 */
#include "policy_internal.h"

#include <idn2.h>
#include <libpsl.h>

#include <string.h>

/* Lower-case NUL-terminated copy without one trailing dot; false when it
 * does not fit. */
static bool lower_copy(policy_str name, char *out, size_t size)
{
    name = policy_strip_trailing_dot(name);
    if (name.ptr == NULL || name.len == 0 || name.len >= size)
        return false;
    for (size_t i = 0; i < name.len; i++)
        out[i] = policy_ascii_lower(name.ptr[i]);
    out[name.len] = '\0';
    return true;
}

bool policy_is_public_suffix(policy_str name)
{
    const psl_ctx_t *psl = psl_builtin();
    char buf[POLICY_DNS_MAX + 1];
    if (psl == NULL || !lower_copy(name, buf, sizeof(buf)))
        return false;
    /* Explicit entries only: the implicit "*" rule would make every final
     * label a public suffix, "0" of "Contoso Root CA v2.0" included. */
    return psl_is_public_suffix2(psl, buf, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

/* The DNS name a CN was meant to be: white space removed, '_' as '-', empty
 * labels and the trailing dot dropped, lower case. Its length; 0 when none
 * fits. */
static size_t nearest_dns_name(policy_str cn, char *out, size_t size)
{
    size_t len = 0;
    for (size_t i = 0; i < cn.len; i++) {
        char c = cn.ptr[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c == '.' && (len == 0 || out[len - 1] == '.'))
            continue;
        if (len + 1 >= size)
            return 0;
        out[len++] = c == '_' ? '-' : policy_ascii_lower(c);
    }
    while (len > 0 && out[len - 1] == '.')
        len--;
    out[len] = '\0';
    return len;
}

/* A dot, and a tail that is a public suffix or a reserved one. */
static bool looks_like_dns_name(policy_str name)
{
    if (memchr(name.ptr, '.', name.len) == NULL)
        return false;
    if (policy_dns_reserved_suffix(name) != NULL)
        return true;
    for (size_t i = 0; i < name.len; i++) {
        if (name.ptr[i] == '.' &&
            policy_is_public_suffix((policy_str){name.ptr + i + 1, name.len - i - 1}))
            return true;
    }
    return false;
}

void policy_check_cn_invalid_dns_into(policy_emitter *em, policy_str cn, policy_str value,
                                      size_t index)
{
    char nearest[POLICY_DNS_MAX + 1];
    size_t len = nearest_dns_name(cn, nearest, sizeof(nearest));
    policy_str meant = {nearest, len};
    if (len == 0 || !looks_like_dns_name(meant))
        return;
    policy_finding f;
    if (policy_finding_begin(em, &f, POLICY_CN_INVALID_DNS, POLICY_WHERE_SUBJECT, index, value)) {
        if (policy_emitter_wants_text(em)) {
            policy_dns_problem p = policy_dns_syntax_problem(cn);
            policy_text text;
            policy_text_init(&text, f.message, sizeof(f.message));
            policy_text_puts(&text, "CN '");
            policy_text_put_value(&text, POLICY_STRING_UTF8, cn, POLICY_DISPLAY_MAX);
            policy_text_puts(&text, "' looks like a DNS name but is not one");
            if (p.what != NULL && p.offset < cn.len) {
                unsigned char c = (unsigned char)cn.ptr[p.offset];
                if (c >= 0x20 && c < 0x7f)
                    policy_text_printf(&text, ": %s ('%c') at offset %zu", p.what, c, p.offset);
                else
                    policy_text_printf(&text, ": %s (\\x%02X) at offset %zu", p.what, c, p.offset);
            }
            policy_text_init(&text, f.hint, sizeof(f.hint));
            if (policy_cn_is_dns_name(meant)) {
                policy_text_puts(&text, "did you mean '");
                policy_text_put(&text, meant);
                policy_text_puts(&text, "'? Software looking for an FQDN in the CN will not "
                                        "find this one");
            } else {
                policy_text_puts(&text, policy_rule_get(POLICY_CN_INVALID_DNS)->hint);
            }
        }
        policy_finding_emit(em, &f);
    }
    if (policy_cn_is_dns_name(meant))
        policy_check_permitted_into(em, meant, value, POLICY_WHERE_SUBJECT, index, "CN");
}

static bool has_alabel(policy_str name)
{
    for (size_t i = 0; i + 4 <= name.len; i++) {
        if ((i == 0 || name.ptr[i - 1] == '.') &&
            policy_starts_with_ace(name.ptr + i, name.len - i))
            return true;
    }
    return false;
}

void policy_check_homoglyph_alabels_into(policy_emitter *em, policy_str name, policy_str value,
                                         policy_where where, size_t index)
{
    if (!has_alabel(name))
        return;
    /* libidn2 does not take '*': decode what is under a wildcard. */
    policy_str under;
    bool wildcard = policy_wildcard_base(name, &under);
    char ascii[POLICY_DNS_MAX + 1];
    char *unicode = NULL;
    if (!lower_copy(under, ascii, sizeof(ascii)) ||
        idn2_to_unicode_8z8z(ascii, &unicode, 0) != IDN2_OK)
        return; /* dns-idn speaks for names that do not decode */

    policy_str u = {unicode, strlen(unicode)};
    policy_skeleton sk;
    policy_finding f;
    if (policy_homoglyph_skeleton(POLICY_STRING_UTF8, u, false, &sk) && sk.first_cp != 0 &&
        policy_finding_begin(em, &f, POLICY_DNS_HOMOGLYPH, where, index, value)) {
        if (policy_emitter_wants_text(em)) {
            const char *star = wildcard ? "*." : "";
            policy_text text;
            policy_text_init(&text, f.message, sizeof(f.message));
            policy_text_puts(&text, where == POLICY_WHERE_SUBJECT ? "CN '" : "DNS name '");
            policy_text_put_value(&text, POLICY_STRING_UTF8, name, POLICY_DISPLAY_MAX);
            policy_text_printf(&text, "' reads as '%s", star);
            policy_text_put_value(&text, POLICY_STRING_UTF8, u, POLICY_DISPLAY_MAX);
            policy_text_printf(&text, "': U+%04X ", (unsigned)sk.first_cp);
            policy_text_put_code_point(&text, sk.first_cp);
            policy_text_printf(&text, " looks like ASCII '%s'", sk.first_look);
            policy_text_init(&text, f.hint, sizeof(f.hint));
            policy_text_printf(&text, "a user sees it as '%s", star);
            policy_text_put_value(&text, POLICY_STRING_UTF8, (policy_str){sk.text, sk.len},
                                  POLICY_DISPLAY_MAX);
            policy_text_puts(&text, "'; use that ASCII name, and keep the A-label only if the "
                                    "Unicode name is really yours");
        }
        policy_finding_emit(em, &f);
    }
    idn2_free(unicode);
}
