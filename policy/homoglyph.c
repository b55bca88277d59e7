/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ASCII look-alikes of non-ASCII characters, for cn-homoglyph: the
 * "skeleton" of a CN maps each character to what a reader takes it for.
 * Letters with diacritics map to their base letter; Greek and Cyrillic
 * letters that are drawn like Latin ones map to that letter.
 */
#include "policy_internal.h"

#include <string.h>

/* U+00C0..U+00FF and U+0100..U+017F, one base letter each; '?' = none or
 * a two-letter ligature (listed in the sorted table below). */
static const char latin1_letters[] = "AAAAAA?CEEEEIIIIDNOOOOOxOUUUUY??"
                                     "aaaaaa?ceeeeiiiidnooooo?ouuuuy?y";
static const char latin_ext_a_letters[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??Jj"
                                          "KkkLlLlLlLlLlNnNnNnnNnOoOoOo??RrRrRrSsSsSsSsTtTtTt"
                                          "UuUuUuUuUuUuWwYyYZzZzZz?";

_Static_assert(sizeof(latin1_letters) - 1 == 0x40, "Latin-1 letters cover U+00C0..U+00FF");
_Static_assert(sizeof(latin_ext_a_letters) - 1 == 0x80,
               "Latin Extended-A letters cover U+0100..U+017F");

typedef struct homoglyph {
    uint32_t cp;
    const char *ascii;
} homoglyph;

/* Sorted by code point: binary search (policy_homoglyph_table_sorted). */
static const homoglyph homoglyphs[] = {
    {0x00C6, "AE"},
    {0x00DF, "ss"},
    {0x00E6, "ae"},
    {0x0132, "IJ"},
    {0x0133, "ij"},
    {0x0152, "OE"},
    {0x0153, "oe"},
    /* Latin letters outside the blocks above that pass for ASCII. */
    {0x0180, "b"},
    {0x0189, "D"},
    {0x0191, "F"},
    {0x0192, "f"},
    {0x0197, "I"},
    {0x019A, "l"},
    {0x01C3, "!"},
    {0x0251, "a"},
    {0x0261, "g"},
    {0x0269, "i"},
    {0x026A, "I"},
    {0x0280, "R"},
    {0x028F, "Y"},
    /* Greek. */
    {0x0391, "A"},
    {0x0392, "B"},
    {0x0395, "E"},
    {0x0396, "Z"},
    {0x0397, "H"},
    {0x0399, "I"},
    {0x039A, "K"},
    {0x039C, "M"},
    {0x039D, "N"},
    {0x039F, "O"},
    {0x03A1, "P"},
    {0x03A4, "T"},
    {0x03A5, "Y"},
    {0x03A7, "X"},
    {0x03AF, "i"},
    {0x03B1, "a"},
    {0x03B3, "y"},
    {0x03B9, "i"},
    {0x03BA, "k"},
    {0x03BD, "v"},
    {0x03BF, "o"},
    {0x03C1, "p"},
    {0x03C4, "t"},
    {0x03C5, "u"},
    {0x03C7, "x"},
    {0x03C9, "w"},
    {0x03CC, "o"},
    /* Cyrillic. */
    {0x0405, "S"},
    {0x0406, "I"},
    {0x0408, "J"},
    {0x0410, "A"},
    {0x0412, "B"},
    {0x0415, "E"},
    {0x041A, "K"},
    {0x041C, "M"},
    {0x041D, "H"},
    {0x041E, "O"},
    {0x0420, "P"},
    {0x0421, "C"},
    {0x0422, "T"},
    {0x0423, "Y"},
    {0x0425, "X"},
    {0x0430, "a"},
    {0x0435, "e"},
    {0x043E, "o"},
    {0x0440, "p"},
    {0x0441, "c"},
    {0x0443, "y"},
    {0x0445, "x"},
    {0x0450, "e"},
    {0x0451, "e"},
    {0x0455, "s"},
    {0x0456, "i"},
    {0x0457, "i"},
    {0x0458, "j"},
    {0x04AE, "Y"},
    {0x04AF, "y"},
    {0x04BB, "h"},
    {0x04C0, "I"},
    {0x04CF, "l"},
    {0x0501, "d"},
    {0x050C, "G"},
    {0x051B, "q"},
    {0x051D, "w"},
    /* Dashes and dots. */
    {0x2010, "-"},
    {0x2011, "-"},
    {0x2012, "-"},
    {0x2013, "-"},
    {0x2024, "."},
    {0x2212, "-"},
    {0x3002, "."},
    {0xFF61, "."},
};

static size_t put(char out[3], const char *ascii)
{
    size_t n = 0;
    while (ascii[n] != '\0' && n < 2) {
        out[n] = ascii[n];
        n++;
    }
    out[n] = '\0';
    return n;
}

size_t policy_homoglyph_ascii(uint32_t cp, char out[3])
{
    out[0] = '\0';
    if (cp >= 0xC0 && cp <= 0xFF && latin1_letters[cp - 0xC0] != '?') {
        out[0] = latin1_letters[cp - 0xC0];
        out[1] = '\0';
        return 1;
    }
    if (cp >= 0x100 && cp <= 0x17F && latin_ext_a_letters[cp - 0x100] != '?') {
        out[0] = latin_ext_a_letters[cp - 0x100];
        out[1] = '\0';
        return 1;
    }
    /* Fullwidth forms of ASCII '!'..'~'. */
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out[0] = (char)(cp - 0xFF01 + '!');
        out[1] = '\0';
        return 1;
    }
    size_t lo = 0;
    size_t hi = sizeof(homoglyphs) / sizeof(homoglyphs[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (homoglyphs[mid].cp == cp)
            return put(out, homoglyphs[mid].ascii);
        if (homoglyphs[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

bool policy_homoglyph_skeleton(policy_string_type type, policy_str value, bool skip_invisible,
                               policy_skeleton *out)
{
    out->len = 0;
    out->first_cp = 0;
    memset(out->first_look, 0, sizeof(out->first_look));
    size_t pos = 0;
    uint32_t cp;
    while (policy_decode_next(type, value, &pos, &cp) == POLICY_DECODE_OK) {
        char look[3] = {(char)cp, '\0', '\0'};
        size_t n = 1;
        if (cp >= 0x80) {
            if (skip_invisible && policy_is_invisible_format(cp)) {
                look[0] = '\0';
                n = 0;
            } else if ((n = policy_homoglyph_ascii(cp, look)) == 0) {
                return false;
            }
            if (out->first_cp == 0) {
                out->first_cp = cp;
                memcpy(out->first_look, look, sizeof(look));
            }
        }
        if (n > sizeof(out->text) - out->len)
            return false;
        memcpy(out->text + out->len, look, n);
        out->len += n;
    }
    return true;
}

bool policy_homoglyph_table_sorted(void)
{
    for (size_t i = 1; i < sizeof(homoglyphs) / sizeof(homoglyphs[0]); i++) {
        if (homoglyphs[i - 1].cp >= homoglyphs[i].cp)
            return false;
    }
    return true;
}
