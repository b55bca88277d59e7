/* SPDX-License-Identifier: Apache-2.0 */
/* Exchange Domain Security matching, RFC 6125 coverage, permitted_domains,
 * and the small helpers. */
#include "policy_internal.h"
#include "unit_util.h"

#include <string.h>

static policy_match match(const char *name, const char *domain)
{
    return policy_match_domain_security(unit_str(name), unit_str(domain));
}

static bool covered(const char *host, const char *name)
{
    return policy_host_covered(unit_str(host), unit_str(name));
}

static bool permitted(const char *name, const char *domain)
{
    return policy_domain_permitted(unit_str(name), unit_str(domain));
}

static void test_domain_security(void)
{
    CHECK(match("woodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_EXACT);
    CHECK(match("WoodGroveBank.COM", "woodgrovebank.com") == POLICY_MATCH_EXACT);
    CHECK(match("woodgrovebank.com.", "woodgrovebank.com") == POLICY_MATCH_EXACT);
    CHECK(match("woodgrovebank.com", "woodgrovebank.com.") == POLICY_MATCH_EXACT);
    CHECK(match("*.contoso.com", "contoso.com") == POLICY_MATCH_WILDCARD);
    CHECK(match("*.Contoso.com.", "CONTOSO.com") == POLICY_MATCH_WILDCARD);
    /* The seed's wildcard sentence: *.contoso.com also stands for every
     * name one label under contoso.com, never two. */
    CHECK(match("*.contoso.com", "x.contoso.com") == POLICY_MATCH_WILDCARD);
    CHECK(match("*.contoso.com", "X.Contoso.COM.") == POLICY_MATCH_WILDCARD);
    CHECK(match("*.contoso.com", "a.b.contoso.com") == POLICY_MATCH_NONE);
    CHECK(match("*.contoso.com", "*.contoso.com") == POLICY_MATCH_EXACT);
    CHECK(match("*.contoso.com", "w*.contoso.com") == POLICY_MATCH_NONE);
    CHECK(match("*.contoso.com", "fabrikam.com") == POLICY_MATCH_NONE);
    CHECK(match("mail1.woodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_ONE_LABEL);
    CHECK(match("MAIL1.woodgrovebank.com", "WoodgroveBank.com.") == POLICY_MATCH_ONE_LABEL);
    CHECK(match("mail1.us.woodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match("*.us.woodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match("evilwoodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match("woodgrovebank.com", "mail.woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match("w*.woodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match(".woodgrovebank.com", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match("", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(match("woodgrovebank.com", "") == POLICY_MATCH_NONE);
    CHECK(match(".", ".") == POLICY_MATCH_NONE);
    CHECK(match("woodgrovebank.com..", "woodgrovebank.com") == POLICY_MATCH_NONE);
    CHECK(policy_match_domain_security((policy_str){NULL, 3}, unit_str("a.com")) ==
          POLICY_MATCH_NONE);
    CHECK_STR(policy_match_name(POLICY_MATCH_EXACT), "exact");
    CHECK_STR(policy_match_name(POLICY_MATCH_WILDCARD), "wildcard");
    CHECK_STR(policy_match_name(POLICY_MATCH_ONE_LABEL), "one-label");
    CHECK_STR(policy_match_name(POLICY_MATCH_NONE), "none");
    CHECK_STR(policy_match_name((policy_match)99), "none");
    /* A value the table leaves out gets the fallback, never NULL. */
    CHECK_STR(POLICY_ENUM_NAME(2, "gap", [0] = "zero", [3] = "three"), "gap");
    CHECK_STR(POLICY_ENUM_NAME(3, "gap", [0] = "zero", [3] = "three"), "three");
    CHECK_STR(POLICY_ENUM_NAME(4, "gap", [0] = "zero", [3] = "three"), "gap");
}

static void test_host_covered(void)
{
    CHECK(covered("mail.contoso.com", "mail.contoso.com"));
    CHECK(covered("MAIL.contoso.com.", "mail.CONTOSO.com"));
    CHECK(covered("mail.contoso.com", "*.contoso.com"));
    CHECK(covered("mail.contoso.com", "*.contoso.com."));
    CHECK(!covered("contoso.com", "*.contoso.com"));
    CHECK(!covered("a.mail.contoso.com", "*.contoso.com"));
    CHECK(!covered("mail.contoso.com", "m*.contoso.com"));
    CHECK(!covered("mail.contoso.com", "*ail.contoso.com"));
    CHECK(!covered("mail.contoso.com", "mail.*.com"));
    CHECK(!covered("mail.evilcontoso.com", "*.contoso.com"));
    CHECK(!covered(".contoso.com", "*.contoso.com"));
    CHECK(!covered("mail.contoso.com", "*"));
    CHECK(!covered("mail.contoso.com", "*."));
    CHECK(!covered("", ""));
    CHECK(!covered("mail.contoso.com", "contoso.com"));
    policy_str list[] = {unit_str("owa1"), unit_str("*.fabrikam.com"),
                         unit_str("mail.contoso.com")};
    CHECK(policy_host_covered_by_list(unit_str("Mail.Contoso.com"), list, 3) == 2);
    CHECK(policy_host_covered_by_list(unit_str("smtp.fabrikam.com"), list, 3) == 1);
    CHECK(policy_host_covered_by_list(unit_str("fabrikam.com"), list, 3) == -1);
    CHECK(policy_host_covered_by_list(unit_str("owa1"), list, 0) == -1);
    CHECK(policy_host_covered_by_list(unit_str("owa1"), NULL, 3) == -1);
}

static void test_permitted(void)
{
    CHECK(permitted("contoso.com", "contoso.com"));
    CHECK(permitted("mail.contoso.com", "contoso.com"));
    CHECK(permitted("a.b.c.contoso.com", "CONTOSO.COM"));
    CHECK(permitted("mail.contoso.com.", "contoso.com."));
    CHECK(permitted("*.contoso.com", "contoso.com"));
    CHECK(permitted("*.sub.contoso.com", "contoso.com"));
    CHECK(permitted("*.sub.contoso.com", "sub.contoso.com"));
    CHECK(!permitted("*.contoso.com", "sub.contoso.com"));
    CHECK(!permitted("evilcontoso.com", "contoso.com"));
    CHECK(!permitted("contoso.com.evil.net", "contoso.com"));
    CHECK(!permitted("contoso.com", "mail.contoso.com"));
    CHECK(!permitted("", "contoso.com"));
    CHECK(!permitted("contoso.com", ""));
    CHECK(!permitted(".contoso.com", "contoso.com"));
}

static void test_helpers(void)
{
    CHECK(policy_str_equal_ci(unit_str("MaIl"), unit_str("mAiL")));
    CHECK(!policy_str_equal_ci(unit_str("mail"), unit_str("mail.")));
    CHECK(!policy_str_equal_ci(unit_str("\xC3\x9C"), unit_str("\xC3\xBC"))); /* ASCII only */
    CHECK(policy_str_equal_ci((policy_str){NULL, 0}, unit_str("")));
    CHECK(policy_homoglyph_table_sorted());
    char out[3];
    CHECK(policy_homoglyph_ascii(0xEF, out) == 1 && out[0] == 'i');
    CHECK(policy_homoglyph_ascii(0x0430, out) == 1 && out[0] == 'a');
    CHECK(policy_homoglyph_ascii(0x03BF, out) == 1 && out[0] == 'o');
    CHECK(policy_homoglyph_ascii(0x0131, out) == 1 && out[0] == 'i');
    CHECK(policy_homoglyph_ascii(0x017E, out) == 1 && out[0] == 'z');
    CHECK(policy_homoglyph_ascii(0xFF21, out) == 1 && out[0] == 'A');
    CHECK(policy_homoglyph_ascii(0xFF5E, out) == 1 && out[0] == '~');
    CHECK(policy_homoglyph_ascii(0xDF, out) == 2 && out[0] == 's' && out[1] == 's');
    CHECK(policy_homoglyph_ascii(0x0153, out) == 2 && out[0] == 'o' && out[1] == 'e');
    CHECK(policy_homoglyph_ascii(0xFF61, out) == 1 && out[0] == '.');
    CHECK(policy_homoglyph_ascii(0x00F7, out) == 0); /* division sign */
    CHECK(policy_homoglyph_ascii(0x65E5, out) == 0); /* CJK */
    CHECK(policy_homoglyph_ascii(0x0080, out) == 0);

    /* "p<Cyrillic a>y<ZWSP>pal.com": the zero-width space reads as nothing
     * only where the caller says a display shows nothing. */
    policy_skeleton sk;
    policy_str zwsp = unit_str("p\xD0\xB0y\xE2\x80\x8Bpal.com");
    CHECK(policy_homoglyph_skeleton(POLICY_STRING_UTF8, zwsp, true, &sk));
    CHECK(sk.len == 10 && memcmp(sk.text, "paypal.com", 10) == 0);
    CHECK(sk.first_cp == 0x0430 && strcmp(sk.first_look, "a") == 0);
    CHECK(!policy_homoglyph_skeleton(POLICY_STRING_UTF8, zwsp, false, &sk));
    CHECK(policy_homoglyph_skeleton(POLICY_STRING_UTF8, unit_str("mail.com"), false, &sk));
    CHECK(sk.first_cp == 0 && sk.len == 8);
    /* A skeleton longer than a DNS name is none. */
    char long_name[POLICY_DNS_MAX + 1];
    memset(long_name, 'a', sizeof(long_name));
    CHECK(policy_homoglyph_skeleton(POLICY_STRING_UTF8, (policy_str){long_name, POLICY_DNS_MAX},
                                    false, &sk));
    CHECK(!policy_homoglyph_skeleton(POLICY_STRING_UTF8, (policy_str){long_name, sizeof(long_name)},
                                     false, &sk));
}

/* What each one-byte type takes under 0x80, written out apart from the
 * decoder's table (X.680 41.4 for PrintableString). */
static bool ascii_in_type(int type, unsigned b)
{
    bool alnum = (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    switch (type) {
    case POLICY_STRING_UTF8:
    case POLICY_STRING_IA5:
    case POLICY_STRING_T61:
        return true;
    case POLICY_STRING_PRINTABLE:
        return alnum || (b != 0 && strchr(" '()+,-./:=?", (int)b) != NULL);
    case POLICY_STRING_VISIBLE:
        return b >= 0x20 && b <= 0x7E;
    case POLICY_STRING_NUMERIC:
        return (b >= '0' && b <= '9') || b == ' ';
    default:
        return false;
    }
}

/* The inline ASCII path of policy_decode_next and the full decoder agree
 * on every type and every byte under 0x80, at the end of a value and
 * before a second byte (BMP and Universal take more than one), and both
 * take exactly the type's character set. */
static void test_decode_fast_path(void)
{
    for (int type = POLICY_STRING_UTF8; type <= POLICY_STRING_OTHER; type++) {
        for (unsigned b = 0; b < 0x80; b++) {
            for (size_t len = 1; len <= 4; len++) {
                char bytes[4] = {(char)b, 0, 0, 0x41};
                policy_str v = {bytes, len};
                size_t pos_fast = 0, pos_any = 0;
                uint32_t cp_fast = 0xFFFFFFFF, cp_any = 0xFFFFFFFF;
                policy_decode_status fast = policy_decode_next(type, v, &pos_fast, &cp_fast);
                policy_decode_status any = policy_decode_next_any(type, v, &pos_any, &cp_any);
                CHECK(fast == any && pos_fast == pos_any && cp_fast == cp_any);
                if (type != POLICY_STRING_BMP && type != POLICY_STRING_UNIVERSAL &&
                    type != POLICY_STRING_OTHER)
                    CHECK((fast == POLICY_DECODE_OK) == ascii_in_type(type, b) && cp_fast == b);
            }
        }
    }
}

int main(void)
{
    test_decode_fast_path();
    test_domain_security();
    test_host_covered();
    test_permitted();
    test_helpers();
    return unit_finish("test_match");
}
