/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's pure parts against hand-written expectations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnf_writer.h"
#include "diag.h"
#include "profile_reader.h"
#include "strbuf.h"
#include "subject_parse.h"

static int failures;

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);                    \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static bool bytes_equal(const char *p, size_t len, const char *want, size_t want_len)
{
    return len == want_len && (len == 0 || memcmp(p, want, len) == 0);
}

static void expect_decoded(const char *in, const char *want, size_t want_len)
{
    strbuf out, why;
    strbuf_init(&out);
    strbuf_init(&why);
    const char *hint = NULL;
    bool ok = profile_decode_value(in, strlen(in), &out, &why, &hint);
    EXPECT(ok);
    if (ok && !bytes_equal(out.data, out.len, want, want_len)) {
        fprintf(stderr, "decode(%s) gave '%.*s'\n", in, (int)out.len, out.data);
        failures++;
    }
    strbuf_free(&out);
    strbuf_free(&why);
}

static void expect_refused(const char *in, const char *why_want, const char *hint_part)
{
    strbuf out, why;
    strbuf_init(&out);
    strbuf_init(&why);
    const char *hint = "";
    EXPECT(!profile_decode_value(in, strlen(in), &out, &why, &hint));
    if (why.data == NULL || strcmp(why.data, why_want) != 0 || strstr(hint, hint_part) == NULL) {
        fprintf(stderr, "decode(%s): why '%s' hint '%s'\n", in, why.data ? why.data : "", hint);
        failures++;
    }
    strbuf_free(&out);
    strbuf_free(&why);
}

static void test_values(void)
{
    expect_decoded("plain value", "plain value", 11);
    expect_decoded("\"  spaced  \"", "  spaced  ", 10);
    expect_decoded("\"a\\\"b\\\\c\"", "a\"b\\c", 5);
    expect_decoded("\"x\\u{3B}y\\u{e9}\\u{1F600}\"", "x;y\xC3\xA9\xF0\x9F\x98\x80", 9);
    expect_decoded("\"\"", "", 0);
    expect_decoded("a\"b", "a\"b", 3); /* only a leading quote starts a quoted value */
    expect_decoded("\"Contoso \"\"Best\"\" Corp\"", "Contoso \"Best\" Corp", 19); /* Windows */
    expect_decoded("2048 ; strong", "2048 ; strong", 13); /* no inline comments */
    expect_refused("\"a\" ; comment", "text after the closing quote", "own line");
    expect_refused("\"open", "unbalanced quote", "close the quote");
    expect_refused("\"a\" b", "text after the closing quote", "quote the whole value");
    expect_refused("\"a\\qb\"", "unknown escape '\\q'", "are escapes");
    expect_refused("\"\\u{}\"", "invalid escape '\\u{}'", "1 to 6 hex digits");
    expect_refused("\"\\u{1234567}\"", "invalid escape '\\u{1234567}'", "1 to 6");
    expect_refused("\"\\u{110000}\"", "invalid escape '\\u{110000}'", "scalar value");
    expect_refused("\"\\u{DFFF}\"", "invalid escape '\\u{DFFF}'", "scalar value");
    expect_refused("\"\\u{0}\"", "invalid escape '\\u{0}'", "NUL");
    expect_refused("\"\\u{85}\"", "invalid escape '\\u{85}'", "control");
    expect_refused("a\tb", "TAB character", "spaces");
}

typedef struct items {
    char text[256];
    size_t n;
} items;

static bool collect(void *ctx, const char *item, size_t len)
{
    items *it = ctx;
    size_t used = strlen(it->text);
    snprintf(it->text + used, sizeof(it->text) - used, "%s%.*s", it->n ? "|" : "", (int)len, item);
    it->n++;
    return true;
}

static void expect_split(const char *in, bool ok_want, bool empty_want, const char *want)
{
    items it = {{0}, 0};
    bool empty = false;
    bool ok = profile_split_list(in, strlen(in), collect, &it, &empty);
    if (ok != ok_want || empty != empty_want || strcmp(it.text, want) != 0) {
        fprintf(stderr, "split(%s) = %d %d '%s'\n", in, ok, empty, it.text);
        failures++;
    }
}

static void test_lists(void)
{
    expect_split("a.com, b.com c.com", true, false, "a.com|b.com|c.com");
    expect_split("a.com,b.com", true, false, "a.com|b.com");
    expect_split("  a.com  ", true, false, "a.com");
    expect_split("a.com,,b.com", false, true, "a.com|b.com");
    expect_split(",a.com", false, true, "a.com");
    expect_split("a.com,", false, true, "a.com");
    expect_split("a.com , , b.com", false, true, "a.com|b.com");
}

static void test_subject(void)
{
    const char *in = " c = us , O=\"Contoso, Inc.\" ,OU=A\\, B\\+C\\ ,DC= x+CN=y ";
    subject_list list;
    subject_list_init(&list);
    diag_list diag;
    diag_init(&diag, "t.ini");
    EXPECT(subject_parse(in, strlen(in), 7, &list, &diag));
    EXPECT(diag.n == 0);
    EXPECT(list.n == 5);
    if (list.n == 5) {
        EXPECT(list.items[0].attr == POLICY_ATTR_C && strcmp(list.items[0].value, "us") == 0);
        EXPECT(list.items[0].line == 7 && list.items[0].rdn == 0);
        EXPECT(list.items[1].attr == POLICY_ATTR_O &&
               strcmp(list.items[1].value, "Contoso, Inc.") == 0);
        EXPECT(list.items[2].attr == POLICY_ATTR_OU && strcmp(list.items[2].value, "A, B+C ") == 0);
        EXPECT(list.items[3].attr == POLICY_ATTR_DC && strcmp(list.items[3].value, "x") == 0);
        /* '+' makes one multi-valued RDN: the same rdn index. */
        EXPECT(list.items[3].rdn == 3 && list.items[4].rdn == 3);
        EXPECT(list.items[4].attr == POLICY_ATTR_CN && strcmp(list.items[4].value, "y") == 0);
    }
    subject_list_free(&list);

    const char *bad[] = {"C=US o=contoso corp", "C=US,,O=x", "O=\"open", "O=a\\qb", "noequals",
                         "O=\"a\" b",           "O=a\"b",    "C=US,"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        subject_list_init(&list);
        size_t before = diag.errors;
        EXPECT(!subject_parse(bad[i], strlen(bad[i]), 3, &list, &diag));
        EXPECT(diag.errors == before + 1);
        subject_list_free(&list);
    }
    EXPECT(strstr(diag.items[0].hint, "a comma missing before 'o='") != NULL);
    diag_free(&diag);

    /* ';' separates RDNs like ','; "" inside quotes is a quote (Windows). */
    const char *win = "C=US ; O=\"Contoso \"\"Best\"\" Corp\" ; OU=a\\;b;CN=x";
    subject_list_init(&list);
    diag_init(&diag, "t.ini");
    EXPECT(subject_parse(win, strlen(win), 2, &list, &diag));
    EXPECT(list.n == 4 && diag.n == 0);
    if (list.n == 4) {
        EXPECT(strcmp(list.items[1].value, "Contoso \"Best\" Corp") == 0);
        EXPECT(strcmp(list.items[2].value, "a;b") == 0);
        EXPECT(list.items[3].rdn == 3 && strcmp(list.items[3].value, "x") == 0);
    }
    subject_list_free(&list);
    /* A comment after the subject is an error that says so. */
    const char *commented = "C=US, CN=x ; main server";
    subject_list_init(&list);
    EXPECT(!subject_parse(commented, strlen(commented), 2, &list, &diag));
    EXPECT(diag.n == 1 && strstr(diag.items[0].hint, "own line") != NULL);
    subject_list_free(&list);
    diag_free(&diag);
    EXPECT(subject_attr_from_name("s", 1) == POLICY_ATTR_ST);
    EXPECT(subject_attr_from_name("title", 5) == POLICY_ATTR_OTHER);
}

static void test_encoder(void)
{
    strbuf out;
    strbuf_init(&out);
    const char in[] = "$ENV::HOME #\"\\' x";
    EXPECT(cnf_encode_value(&out, in, sizeof(in) - 1));
    EXPECT(out.data != NULL && strcmp(out.data, "\"$ENV::HOME #\\\"\\\\' x\"") == 0);
    strbuf_reset(&out);
    EXPECT(!cnf_encode_value(&out, "a\nb", 3));
    EXPECT(!cnf_encode_value(&out, "a\0b", 3));
    EXPECT(!cnf_encode_value(&out, "a\x7f", 2));
    EXPECT(out.len == 0);
    strbuf_free(&out);
    EXPECT(cnf_prefix_valid("req") && cnf_prefix_valid("Edge_2"));
    EXPECT(!cnf_prefix_valid("") && !cnf_prefix_valid("2x") && !cnf_prefix_valid("_x"));
    EXPECT(!cnf_prefix_valid("a-b") && !cnf_prefix_valid("a::b"));
    EXPECT(cnf_prefix_valid("abcdefghijklmnopqrstuvwxyz012345"));
    EXPECT(!cnf_prefix_valid("abcdefghijklmnopqrstuvwxyz0123456"));
    EXPECT(strcmp(cnf_attribute_key(POLICY_ATTR_OTHER, "EMAILADDRESS", 12), "emailAddress") == 0);
    EXPECT(cnf_attribute_key(POLICY_ATTR_OTHER, "default::x", 10) == NULL);
}

/* Lines of any length: inih is handed a stand-in, so a value far beyond
 * any INI_MAX_LINE is read whole; a ';' or '#' after a value is never cut. */
static void test_long_lines(void)
{
    static const size_t lengths[] = {197, 198, 199, 200, 4096, 20000};
    for (size_t t = 0; t < sizeof(lengths) / sizeof(lengths[0]); t++) {
        size_t pad = lengths[t];
        char *text = malloc(pad + 64);
        if (text == NULL) {
            failures++;
            return;
        }
        int head = snprintf(text, 64, "\xEF\xBB\xBF[names]\r\ndns = ");
        memset(text + head, 'a', pad);
        memcpy(text + head + pad, " ;x\r\nz\r\n", 9);
        profile_doc doc;
        profile_doc_init(&doc);
        diag_list diag;
        diag_init(&diag, "t.ini");
        bool ok = profile_doc_parse(&doc, text, strlen(text), &diag);
        /* The value is refused for its ';' (line 2), and the line after it
         * is read as a line of its own (line 3), never as a tail. */
        EXPECT(!ok && doc.n == 0 && diag.n == 2);
        EXPECT(diag.n == 2 && diag.items[0].line == 2 && diag.items[1].line == 3);
        EXPECT(diag.n == 2 && strstr(diag.items[0].hint, "own line") != NULL);
        memcpy(text + head + pad, "\r\n", 3);
        profile_doc_free(&doc);
        diag_free(&diag);
        profile_doc_init(&doc);
        diag_init(&diag, "t.ini");
        ok = profile_doc_parse(&doc, text, strlen(text), &diag);
        EXPECT(ok && doc.n == 1 && doc.entries[0].value_len == pad);
        EXPECT(doc.n == 1 && doc.entries[0].line == 2);
        profile_doc_free(&doc);
        diag_free(&diag);
        free(text);
    }
}

int main(void)
{
    test_values();
    test_lists();
    test_subject();
    test_encoder();
    test_long_lines();
    if (failures != 0) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    puts("all confgen part tests passed");
    return 0;
}
