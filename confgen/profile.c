/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interprets a profile's entries: each key's value, the keys that go
 * together, the subject (normalised, in table order, with its default CN).
 * The SAN is planned in profile_san.c, the policy check is profile_check.c.
 */
#include "profile.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "cnf_keys.h"
#include "profile_san.h"
#include "strbuf.h"
#include "text.h"

#define CN_MAX_CHARS 64

const char *name_source_label(name_source source)
{
    static const char *const labels[] = {
        [SOURCE_FQDN] = "fqdn",
        [SOURCE_CN] = "cn",
        [SOURCE_ACCEPTED_DOMAIN] = "accepted domain",
        [SOURCE_WILDCARD] = "wildcard",
        [SOURCE_AUTODISCOVER] = "autodiscover",
        [SOURCE_CONNECTOR] = "connector",
        [SOURCE_LOAD_BALANCED] = "load-balanced",
        [SOURCE_NETBIOS] = "netbios",
        [SOURCE_DNS] = "dns=",
    };
    return (unsigned)source < sizeof(labels) / sizeof(labels[0]) ? labels[source] : "?";
}

void profile_init(profile *p)
{
    memset(p, 0, sizeof(*p));
    subject_list_init(&p->subject);
    p->key_type = POLICY_KEY_RSA;
    p->key_bits = 2048;
    p->kind = OUTPUT_REQUEST;
    p->days = 365;
    p->digest = "sha256";
    policy_config_init(&p->policy);
}

void profile_free(profile *p)
{
    subject_list_free(&p->subject);
    san_list_free(&p->san);
    san_list_free(&p->repeated);
    san_list_free(&p->omitted);
    free(p->connector_omitted);
    free(p->connector_covered_by);
    free(p->friendly_name);
    for (size_t i = 0; i < p->n_permitted; i++)
        free(p->permitted[i]);
    free(p->permitted);
    memset(p, 0, sizeof(*p));
}

/* ---- small helpers ------------------------------------------------------ */

static void error_with_value(diag_list *diag, unsigned line, const char *hint, const char *before,
                             const char *value, size_t len, const char *after)
{
    strbuf msg;
    strbuf_init(&msg);
    strbuf_append_str(&msg, before);
    text_append_quoted(&msg, value, len);
    strbuf_append_str(&msg, after);
    diag_add(diag, line, POLICY_SEV_ERROR, NULL, msg.failed ? "(out of memory)" : msg.data, hint);
    strbuf_free(&msg);
}

/* A value a key takes from a fixed list of words, and what it means. */
typedef struct keyword {
    const char *word;
    int value;
} keyword;

static const keyword role_words[] = {
    {"edge", ROLE_EDGE}, {"client-access", ROLE_CLIENT_ACCESS}, {"custom", ROLE_CUSTOM}};
static const keyword key_type_words[] = {
    {"rsa", POLICY_KEY_RSA}, {"ec", POLICY_KEY_EC}, {"ed25519", POLICY_KEY_ED25519}};
static const keyword curve_words[] = {{"P-256", 256}, {"P-384", 384}};
static const keyword kind_words[] = {{"request", OUTPUT_REQUEST},
                                     {"self-signed", OUTPUT_SELF_SIGNED}};
static const keyword encoding_words[] = {{"pem", false}, {"der", true}};
static const keyword digest_words[] = {{"sha256", 0}, {"sha384", 1}, {"sha512", 2}};
static const keyword bool_words[] = {
    {"yes", true}, {"true", true}, {"no", false}, {"false", false}};

#define N_WORDS(words) (sizeof(words) / sizeof((words)[0]))

/* The keys whose value is one of a list of words. */
typedef struct keyword_key {
    profile_key key;
    const char *section;
    const char *name; /* as the messages spell it */
    const keyword *words;
    size_t n_words;
} keyword_key;

static const keyword_key keyword_keys[] = {
    {KEY_ROLE_TYPE, "role", "type", role_words, N_WORDS(role_words)},
    {KEY_KEY_TYPE, "key", "type", key_type_words, N_WORDS(key_type_words)},
    {KEY_KEY_CURVE, "key", "curve", curve_words, N_WORDS(curve_words)},
    {KEY_OUTPUT_KIND, "output", "kind", kind_words, N_WORDS(kind_words)},
    {KEY_OUTPUT_DIGEST, "output", "digest", digest_words, N_WORDS(digest_words)},
    {KEY_OUTPUT_ENCODING, "output", "encoding", encoding_words, N_WORDS(encoding_words)},
};

/* The word of the list that e's value is (case-insensitive), or NULL. */
static const keyword *find_keyword(const profile_entry *e, const keyword *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (text_equal_ci_cstr(e->value, e->value_len, words[i].word))
            return &words[i];
    }
    return NULL;
}

/* For a key that takes a word: its value in *value, or an error
 * "[SECTION] unknown NAME 'VALUE'" whose hint lists the words. Other keys:
 * true, *value untouched. */
static bool take_keyword(const profile_entry *e, int *value, diag_list *diag)
{
    for (size_t k = 0; k < N_WORDS(keyword_keys); k++) {
        const keyword_key *spec = &keyword_keys[k];
        if (spec->key != e->key)
            continue;
        const keyword *w = find_keyword(e, spec->words, spec->n_words);
        if (w != NULL) {
            *value = w->value;
            return true;
        }
        strbuf hint, before;
        strbuf_init(&hint);
        strbuf_init(&before);
        strbuf_printf(&hint, "%s is ", spec->name);
        for (size_t i = 0; i < spec->n_words; i++)
            strbuf_printf(&hint, "%s%s",
                          i == 0                   ? ""
                          : i + 1 == spec->n_words ? " or "
                                                   : ", ",
                          spec->words[i].word);
        strbuf_printf(&before, "[%s] unknown %s ", spec->section, spec->name);
        error_with_value(diag, e->line, hint.failed ? "" : hint.data,
                         before.failed ? "" : before.data, e->value, e->value_len, "");
        strbuf_free(&hint);
        strbuf_free(&before);
        return false;
    }
    return true;
}

static bool parse_bool(const profile_entry *e, bool *out, diag_list *diag)
{
    const keyword *w = find_keyword(e, bool_words, N_WORDS(bool_words));
    if (w != NULL) {
        *out = w->value;
        return true;
    }
    strbuf before;
    strbuf_init(&before);
    strbuf_printf(&before, "[role] %s must be yes or no, not ", e->name);
    error_with_value(diag, e->line, "write yes or no", before.failed ? "" : before.data, e->value,
                     e->value_len, "");
    strbuf_free(&before);
    return false;
}

/* Plain decimal digits only: no sign, no spaces, no overflow. */
static bool parse_unsigned(const char *text, size_t len, unsigned long *out)
{
    if (len == 0 || len > 9)
        return false;
    unsigned long value = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (unsigned long)(text[i] - '0');
    }
    *out = value;
    return true;
}

/* A key whose value is a number: which numbers it takes, and the error
 * for any other value ("BEFORE 'value' AFTER", with the hint). */
typedef struct number_key {
    bool (*fits)(unsigned long value);
    const char *hint, *before, *after;
} number_key;

/* Under 2048 is the policy's key-weak error, with its own hint. */
static bool bits_fit(unsigned long bits)
{
    return bits != 0 && (bits < 2048 || bits == 2048 || bits == 3072 || bits == 4096);
}

static bool days_fit(unsigned long days)
{
    return days >= 1 && days <= 36500;
}

static const number_key key_bits = {bits_fit, "bits is 2048, 3072 or 4096", "[key] bits ",
                                    " is not 2048, 3072 or 4096"};
static const number_key output_days = {days_fit, "days is a whole number from 1 to 36500",
                                       "[output] days ", " is not 1..36500"};

static bool take_number(const profile_entry *e, const number_key *key, unsigned *out,
                        diag_list *diag)
{
    unsigned long value = 0;
    if (!parse_unsigned(e->value, e->value_len, &value) || !key->fits(value)) {
        error_with_value(diag, e->line, key->hint, key->before, e->value, e->value_len, key->after);
        return false;
    }
    *out = (unsigned)value;
    return true;
}

static bool is_empty_value(const profile_entry *e, const char *section, diag_list *diag)
{
    if (e->value_len != 0)
        return false;
    strbuf msg;
    strbuf_init(&msg);
    strbuf_printf(&msg, "[%s] empty value for ", section);
    text_append_quoted(&msg, e->name, e->name_len);
    diag_add(diag, e->line, POLICY_SEV_ERROR, NULL, msg.failed ? "(out of memory)" : msg.data,
             "give a value or remove the line");
    strbuf_free(&msg);
    return true;
}

/* ---- list values ----------------------------------------------------------- */

static bool item_vec_add(void *ctx, const char *item, size_t len)
{
    item_vec *vec = ctx;
    list_item *items = array_grow(vec->items, &vec->cap, vec->n, sizeof(*items));
    if (items == NULL) {
        vec->failed = true;
        return false;
    }
    vec->items = items;
    vec->items[vec->n++] = (list_item){item, len, vec->line};
    return true;
}

static bool split_entry(const profile_entry *e, const char *section, item_vec *vec, diag_list *diag)
{
    if (is_empty_value(e, section, diag))
        return false;
    vec->line = e->line;
    bool empty_item = false;
    if (!profile_split_list(e->value, e->value_len, item_vec_add, vec, &empty_item)) {
        if (vec->failed) {
            diag_errorf(diag, e->line, "", "out of memory");
        } else {
            strbuf msg;
            strbuf_init(&msg);
            strbuf_printf(&msg, "[%s] empty item in the list of ", section);
            text_append_quoted(&msg, e->name, e->name_len);
            diag_add(diag, e->line, POLICY_SEV_ERROR, NULL,
                     msg.failed ? "(out of memory)" : msg.data,
                     "separate names with one comma or with white space");
            strbuf_free(&msg);
        }
        return false;
    }
    return true;
}

/* ---- [policy] ---------------------------------------------------------------- */

static void append_configurable_rules(strbuf *sb)
{
    const policy_rule_info *table = policy_rule_table();
    bool first = true;
    for (size_t i = 0; i < POLICY_RULE_COUNT; i++) {
        if (!table[i].configurable)
            continue;
        strbuf_printf(sb, "%s%s", first ? "" : ", ", table[i].id);
        first = false;
    }
}

static bool apply_policy_rule(profile *p, const profile_entry *e, diag_list *diag)
{
    policy_config_result r = policy_config_set(&p->policy, (policy_str){e->name, e->name_len},
                                               (policy_str){e->value, e->value_len});
    if (r == POLICY_CONFIG_OK)
        return true;
    strbuf hint;
    strbuf_init(&hint);
    if (r == POLICY_CONFIG_BAD_SEVERITY) {
        strbuf before;
        strbuf_init(&before);
        strbuf_append_str(&before, "[policy] ");
        text_append_quoted(&before, e->name, e->name_len);
        strbuf_append_str(&before, " must be error, warning, notice or off, not ");
        error_with_value(diag, e->line, "write error, warning, notice or off",
                         before.failed ? "" : before.data, e->value, e->value_len, "");
        strbuf_free(&before);
    } else if (r == POLICY_CONFIG_NOT_CONFIGURABLE) {
        strbuf_append_str(&hint, "rules that can be changed: ");
        append_configurable_rules(&hint);
        error_with_value(diag, e->line, hint.failed ? "" : hint.data, "[policy] rule ", e->name,
                         e->name_len, " cannot be changed");
    } else {
        strbuf_append_str(&hint, "keys in [policy]: permitted_domains, ");
        append_configurable_rules(&hint);
        error_with_value(diag, e->line, hint.failed ? "" : hint.data, "[policy] unknown key ",
                         e->name, e->name_len, "");
    }
    strbuf_free(&hint);
    return false;
}

static bool apply_permitted(profile *p, const profile_entry *e, diag_list *diag)
{
    item_vec vec = {0};
    bool ok = split_entry(e, "policy", &vec, diag);
    for (size_t i = 0; ok && i < vec.n; i++) {
        char **grown = realloc(p->permitted, (p->n_permitted + 1) * sizeof(*grown));
        char *copy = grown != NULL ? malloc(vec.items[i].len + 1) : NULL;
        if (grown != NULL)
            p->permitted = grown;
        if (copy == NULL) {
            diag_errorf(diag, e->line, "", "out of memory");
            ok = false;
            break;
        }
        memcpy(copy, vec.items[i].ptr, vec.items[i].len);
        copy[vec.items[i].len] = '\0';
        p->permitted[p->n_permitted++] = copy;
        policy_config_result r =
            policy_config_add_permitted(&p->policy, (policy_str){copy, vec.items[i].len});
        if (r == POLICY_CONFIG_TOO_MANY) {
            diag_errorf(diag, e->line, "list the parent domains instead of every sub-domain",
                        "[policy] permitted_domains holds more than %d domains",
                        POLICY_MAX_PERMITTED);
            ok = false;
        } else if (r != POLICY_CONFIG_OK) {
            error_with_value(
                diag, e->line, "list registered DNS domains without wildcards, e.g. contoso.com",
                "[policy] permitted_domains: ", copy, vec.items[i].len, " is not a DNS domain");
            ok = false;
        }
    }
    free(vec.items);
    return ok;
}

/* ---- the profile ---------------------------------------------------------------- */

typedef struct collected {
    const profile_entry *role_type, *autodiscover, *wildcard;
    const profile_entry *subject_name, *first_subject_key;
    const profile_entry *key_type, *bits, *curve;
    const profile_entry *kind, *days, *digest;
    san_input san;
} collected;

static const char *role_name(role_type role)
{
    for (size_t i = 0; i < N_WORDS(role_words); i++) {
        if (role_words[i].value == (int)role)
            return role_words[i].word;
    }
    return "?";
}

static bool interpret_entry(profile *p, collected *c, const profile_entry *e, size_t *written_rdn,
                            diag_list *diag)
{
    int word = 0;
    if (!take_keyword(e, &word, diag))
        return false;
    switch (e->key) {
    case KEY_ROLE_TYPE:
        c->role_type = e;
        p->role_line = e->line;
        p->role = (role_type)word;
        return true;
    case KEY_ROLE_FQDN:
        c->san.fqdn = e;
        return !is_empty_value(e, "role", diag);
    case KEY_ROLE_CONNECTOR_FQDN:
        c->san.connector = e;
        return !is_empty_value(e, "role", diag);
    case KEY_ROLE_NETBIOS:
        c->san.netbios = e;
        return !is_empty_value(e, "role", diag);
    case KEY_ROLE_LOAD_BALANCED:
        c->san.load_balanced = e;
        return !is_empty_value(e, "role", diag);
    case KEY_ROLE_AUTODISCOVER:
        c->autodiscover = e;
        return parse_bool(e, &c->san.autodiscover_on, diag);
    case KEY_ROLE_WILDCARD:
        c->wildcard = e;
        return parse_bool(e, &c->san.wildcard_on, diag);
    case KEY_ROLE_ACCEPTED_DOMAINS:
        return split_entry(e, "role", &c->san.accepted, diag);
    case KEY_NAMES_DNS:
        return split_entry(e, "names", &c->san.dns, diag);
    case KEY_SUBJECT_NAME:
        c->subject_name = e;
        return true;
    case KEY_SUBJECT_C:
    case KEY_SUBJECT_DC:
    case KEY_SUBJECT_ST:
    case KEY_SUBJECT_L:
    case KEY_SUBJECT_O:
    case KEY_SUBJECT_OU:
    case KEY_SUBJECT_CN:
        if (c->first_subject_key == NULL)
            c->first_subject_key = e;
        if (!subject_list_add(&p->subject, subject_attr_from_name(e->name, e->name_len), e->name,
                              e->name_len, e->value, e->value_len, (*written_rdn)++, e->line)) {
            diag_errorf(diag, e->line, "", "out of memory");
            return false;
        }
        return true;
    case KEY_KEY_TYPE:
        c->key_type = e;
        p->key_type = (policy_key_type)word;
        return true;
    case KEY_KEY_BITS:
        c->bits = e;
        return take_number(e, &key_bits, &p->key_bits, diag);
    case KEY_KEY_CURVE:
        c->curve = e;
        p->key_bits = (unsigned)word;
        return true;
    case KEY_OUTPUT_KIND:
        c->kind = e;
        p->kind = (output_kind)word;
        return true;
    case KEY_OUTPUT_DAYS:
        c->days = e;
        return take_number(e, &output_days, &p->days, diag);
    case KEY_OUTPUT_DIGEST:
        c->digest = e;
        p->digest = digest_words[word].word;
        return true;
    case KEY_OUTPUT_ENCODING:
        p->der = word != 0;
        return true;
    case KEY_OUTPUT_FRIENDLY_NAME:
        if (is_empty_value(e, "output", diag))
            return false;
        p->friendly_name = strndup(e->value, e->value_len);
        if (p->friendly_name == NULL)
            diag_errorf(diag, e->line, "", "out of memory");
        return p->friendly_name != NULL;
    case KEY_POLICY_PERMITTED_DOMAINS:
    case KEY_POLICY_RULE:
        return true; /* applied first, in profile_build */
    case KEY_COUNT:
        break;
    }
    return false;
}

/* A key that only one role (or two) can use is an error elsewhere, never
 * ignored. */
static bool role_key_allowed(const profile *p, const profile_entry *e, bool allowed,
                             const char *roles, diag_list *diag)
{
    if (e == NULL || allowed)
        return true;
    strbuf hint;
    strbuf_init(&hint);
    strbuf_printf(&hint, "remove it, or use type = %s", roles);
    diag_errorf(diag, e->line, hint.failed ? "" : hint.data,
                "[role] %s applies to type = %s only; this profile is type = %s", e->name, roles,
                role_name(p->role));
    strbuf_free(&hint);
    return false;
}

static bool check_cross_keys(profile *p, collected *c, diag_list *diag)
{
    bool ok = true;
    if (c->role_type == NULL) {
        diag_errorf(diag, 0, "add [role] type = edge | client-access | custom",
                    "[role] type is missing");
        return false;
    }
    bool client = p->role == ROLE_CLIENT_ACCESS;
    bool edge = p->role == ROLE_EDGE;
    ok &= role_key_allowed(p, c->san.netbios, client, "client-access", diag);
    ok &= role_key_allowed(p, c->autodiscover, client, "client-access", diag);
    ok &= role_key_allowed(p, c->san.load_balanced, client, "client-access", diag);
    ok &= role_key_allowed(p, c->san.connector, edge, "edge", diag);
    ok &= role_key_allowed(p, c->wildcard, edge || client, "edge or client-access", diag);
    if (c->san.accepted.n > 0 && p->role == ROLE_CUSTOM) {
        diag_errorf(diag, c->san.accepted.items[0].line, "list the names under [names] dns",
                    "[role] accepted_domains applies to type = edge or client-access only; this "
                    "profile is type = custom");
        ok = false;
    }
    if (c->san.fqdn == NULL && p->role != ROLE_CUSTOM) {
        diag_errorf(diag, p->role_line, "add [role] fqdn = the server's FQDN",
                    "[role] fqdn is missing (type = %s needs it)", role_name(p->role));
        ok = false;
    }
    if (c->subject_name != NULL && c->first_subject_key != NULL) {
        diag_errorf(diag, c->first_subject_key->line,
                    "use either name = ... or one key per attribute, not both",
                    "[subject] per-attribute key '%s' and name= (line %u) both given",
                    c->first_subject_key->name, c->subject_name->line);
        ok = false;
    }
    if (c->bits != NULL && p->key_type != POLICY_KEY_RSA) {
        diag_errorf(diag, c->bits->line, "remove bits, or use type = rsa",
                    "[key] bits applies to type = rsa only");
        ok = false;
    }
    if (c->curve != NULL && p->key_type != POLICY_KEY_EC) {
        diag_errorf(diag, c->curve->line, "remove curve, or use type = ec",
                    "[key] curve applies to type = ec only");
        ok = false;
    }
    if (p->key_type == POLICY_KEY_EC && c->curve == NULL)
        p->key_bits = 256;
    if (p->key_type == POLICY_KEY_ED25519)
        p->key_bits = 256;
    p->key_line = c->bits != NULL       ? c->bits->line
                  : c->curve != NULL    ? c->curve->line
                  : c->key_type != NULL ? c->key_type->line
                                        : 0;
    if (c->days != NULL && p->kind != OUTPUT_SELF_SIGNED) {
        diag_errorf(diag, c->days->line, "remove days, or set [output] kind = self-signed",
                    "[output] days applies to kind = self-signed only");
        ok = false;
    }
    return ok;
}

/* ---- the subject --------------------------------------------------------------- */

static const char *attr_display(const subject_attr *a)
{
    return a->attr != POLICY_ATTR_OTHER ? policy_attr_name(a->attr) : a->label;
}

static void upper_case_country(profile *p, diag_list *diag)
{
    for (size_t i = 0; i < p->subject.n; i++) {
        subject_attr *a = &p->subject.items[i];
        if (a->attr != POLICY_ATTR_C)
            continue;
        bool lower = false;
        for (size_t k = 0; k < a->value_len; k++)
            lower |= a->value[k] >= 'a' && a->value[k] <= 'z';
        if (!lower)
            continue;
        strbuf msg;
        strbuf_init(&msg);
        strbuf_append_str(&msg, "C ");
        text_append_quoted(&msg, a->value, a->value_len);
        for (size_t k = 0; k < a->value_len; k++)
            a->value[k] = text_ascii_upper(a->value[k]);
        strbuf_append_str(&msg, " written in upper case as ");
        text_append_quoted(&msg, a->value, a->value_len);
        diag_add(diag, a->line, POLICY_SEV_NOTICE, "country-code",
                 msg.failed ? "(out of memory)" : msg.data,
                 "write ISO 3166-1 codes in upper case, e.g. C=US");
        strbuf_free(&msg);
    }
}

static bool has_multivalued_rdn(const subject_list *s)
{
    for (size_t i = 1; i < s->n; i++) {
        if (s->items[i].rdn == s->items[i - 1].rdn)
            return true;
    }
    return false;
}

/* Appends the subject as `openssl -nameopt RFC2253` prints it (last RDN
 * first), for the notice that shows a reordered subject. */
static void append_rfc2253(strbuf *sb, const subject_list *s)
{
    for (size_t i = s->n; i-- > 0;) {
        const subject_attr *a = &s->items[i];
        strbuf_printf(sb, "%s%s=", i + 1 == s->n ? "" : ",", attr_display(a));
        for (size_t k = 0; k < a->value_len; k++) {
            char c = a->value[k];
            if (strchr(",+\"\\<>;", c) != NULL || (k == 0 && (c == ' ' || c == '#')) ||
                (k + 1 == a->value_len && c == ' '))
                strbuf_append_char(sb, '\\');
            strbuf_append_char(sb, c);
        }
    }
}

/* `DC = contoso.com` is the domain contoso.com: one DC per label, in DNS
 * order like `DC=contoso, DC=com`. A value with an empty label is left
 * whole for the policy to judge. */
static bool split_dotted_dc(subject_list *s)
{
    subject_list out;
    subject_list_init(&out);
    size_t rdn = 0;
    for (size_t i = 0; i < s->n; i++) {
        const subject_attr *a = &s->items[i];
        if (i > 0 && a->rdn != s->items[i - 1].rdn)
            rdn++;
        bool split = a->attr == POLICY_ATTR_DC && memchr(a->value, '.', a->value_len) != NULL &&
                     a->value[0] != '.' && a->value[a->value_len - 1] != '.' &&
                     strstr(a->value, "..") == NULL && strlen(a->value) == a->value_len;
        size_t start = 0;
        for (size_t k = 0; k <= a->value_len; k++) {
            if (split ? k < a->value_len && a->value[k] != '.' : k < a->value_len)
                continue;
            if (start > 0)
                rdn++;
            if (!subject_list_add(&out, a->attr, a->label, a->label_len, a->value + start,
                                  k - start, rdn, a->line)) {
                subject_list_free(&out);
                return false;
            }
            start = k + 1;
        }
    }
    subject_list_free(s);
    *s = out;
    return true;
}

/*
 * The DER order, from what was written (profile-format.md, "Values"):
 * - a name= string that starts with CN is in LDAP order (an AD DN, most
 *   specific first): it is reversed whole, so it prints back as written
 *   with -nameopt RFC2253;
 * - otherwise the written order is the DER order (the seed's, C/DC first),
 *   except that the DC values are a domain name in DNS order (DC=contoso,
 *   DC=com), which RFC 2247 encodes top-level label first.
 * That reading is then put in the table's order, stable within one rank;
 * an attribute outside the table has no place in it, so it stays behind
 * the attribute before it. Only a move the reading did not ask for is a
 * reordering, reported with the result. A multi-valued RDN is left as
 * written: the policy refuses it anyway (rdn-multivalued).
 */
static bool sort_subject(profile *p, bool from_name, diag_list *diag)
{
    subject_list *s = &p->subject;
    if (s->n < 2 || has_multivalued_rdn(s))
        return true;
    int *rank = calloc(s->n, sizeof(*rank));
    subject_attr *sorted = calloc(s->n, sizeof(*sorted));
    if (rank == NULL || sorted == NULL) {
        free(rank);
        free(sorted);
        diag_errorf(diag, 0, "", "out of memory");
        return false;
    }
    bool ldap = from_name && s->items[0].attr == POLICY_ATTR_CN;
    if (ldap) {
        for (size_t i = 0, k = s->n - 1; i < k; i++, k--) {
            subject_attr t = s->items[i];
            s->items[i] = s->items[k];
            s->items[k] = t;
        }
    } else {
        size_t lo = 0, hi = s->n;
        while (lo < hi) {
            while (lo < hi && s->items[lo].attr != POLICY_ATTR_DC)
                lo++;
            while (hi > lo && s->items[hi - 1].attr != POLICY_ATTR_DC)
                hi--;
            if (hi - lo < 2)
                break;
            subject_attr t = s->items[lo];
            s->items[lo++] = s->items[--hi];
            s->items[hi] = t;
        }
    }
    for (size_t i = 0; i < s->n; i++)
        s->items[i].rdn = i; /* the reading's order, to tell a move */
    int previous = 1;
    for (size_t i = 0; i < s->n; i++) {
        int r = (int)policy_attr_rank(s->items[i].attr);
        rank[i] = r > 0 ? r : previous;
        previous = rank[i];
    }
    /* Counting by rank keeps the written order within one rank. */
    size_t out = 0;
    for (int r = 1; r <= POLICY_ATTR_RANK_MAX; r++) {
        for (size_t i = 0; i < s->n; i++) {
            if (rank[i] == r)
                sorted[out++] = s->items[i];
        }
    }
    size_t first_moved = s->n;
    for (size_t i = 0; i < s->n; i++) {
        if (sorted[i].rdn != i && first_moved == s->n)
            first_moved = i;
    }
    memcpy(s->items, sorted, s->n * sizeof(*sorted));
    free(rank);
    free(sorted);
    if (first_moved < s->n && p->policy.severity[POLICY_RDN_ORDER] != POLICY_SEV_OFF) {
        strbuf msg;
        strbuf_init(&msg);
        strbuf_append_str(&msg,
                          "subject reordered to the table's order (C/DC, ST, L, O, OU, CN): ");
        append_rfc2253(&msg, s);
        strbuf_append_str(&msg, " (as -nameopt RFC2253 prints it)");
        diag_add(diag, s->items[first_moved].line, POLICY_SEV_NOTICE, "rdn-order",
                 msg.failed ? "(out of memory)" : msg.data,
                 ldap ? "write an LDAP-order subject as CN, OU, O, L, ST, C/DC to keep it as "
                        "written"
                      : "write the subject as C/DC, ST, L, O, OU, CN to keep it as written");
        strbuf_free(&msg);
    }
    for (size_t i = 0; i < s->n; i++)
        s->items[i].rdn = i;
    return true;
}

static bool default_cn(profile *p, const collected *c, diag_list *diag)
{
    for (size_t i = 0; i < p->subject.n; i++) {
        if (p->subject.items[i].attr == POLICY_ATTR_CN)
            return true;
    }
    if (c->san.fqdn == NULL)
        return true;
    size_t chars = utf8_length(c->san.fqdn->value, c->san.fqdn->value_len);
    if (chars > CN_MAX_CHARS) {
        strbuf msg;
        strbuf_init(&msg);
        strbuf_append_str(&msg, "FQDN ");
        text_append_quoted(&msg, c->san.fqdn->value, c->san.fqdn->value_len);
        strbuf_printf(&msg, " is %zu characters, more than a CN holds (%d): the subject gets no CN",
                      chars, CN_MAX_CHARS);
        diag_add(diag, c->san.fqdn->line, POLICY_SEV_NOTICE, "rdn-length",
                 msg.failed ? "(out of memory)" : msg.data,
                 "the FQDN is in the SAN only, as Exchange prescribes");
        strbuf_free(&msg);
        return true;
    }
    char *lower = malloc(c->san.fqdn->value_len + 1);
    if (lower == NULL) {
        diag_errorf(diag, c->san.fqdn->line, "", "out of memory");
        return false;
    }
    for (size_t i = 0; i < c->san.fqdn->value_len; i++)
        lower[i] = text_ascii_lower(c->san.fqdn->value[i]);
    bool ok = subject_list_add(&p->subject, POLICY_ATTR_CN, "CN", 2, lower, c->san.fqdn->value_len,
                               p->subject.n, c->san.fqdn->line);
    free(lower);
    if (!ok)
        diag_errorf(diag, c->san.fqdn->line, "", "out of memory");
    return ok;
}

/* With rdn-unknown downgraded, an attribute outside the table may be
 * written, but only under a key from the writer's fixed table. */
static bool check_writable_attributes(const profile *p, diag_list *diag)
{
    bool ok = true;
    for (size_t i = 0; i < p->subject.n; i++) {
        const subject_attr *a = &p->subject.items[i];
        if (a->attr != POLICY_ATTR_OTHER ||
            p->policy.severity[POLICY_RDN_UNKNOWN] == POLICY_SEV_ERROR)
            continue;
        if (cnf_attribute_key(a->attr, a->label, a->label_len) == NULL) {
            strbuf hint;
            strbuf_init(&hint);
            strbuf_append_str(&hint, "attributes beyond the table: ");
            cnf_append_extra_attributes(&hint);
            error_with_value(diag, a->line, hint.failed ? "" : hint.data, "[subject] attribute ",
                             a->label, a->label_len, " cannot be written to openssl.cnf");
            strbuf_free(&hint);
            ok = false;
        }
    }
    return ok;
}

bool profile_build(profile *p, const profile_doc *doc, diag_list *diag)
{
    collected c;
    memset(&c, 0, sizeof(c));
    c.san.autodiscover_on = true;
    bool ok = true;
    /* [policy] first: it decides how the rest is treated (rdn-unknown,
     * rdn-order). */
    for (size_t i = 0; i < doc->n; i++) {
        const profile_entry *e = &doc->entries[i];
        if (e->key == KEY_POLICY_RULE)
            ok &= apply_policy_rule(p, e, diag);
        else if (e->key == KEY_POLICY_PERMITTED_DOMAINS)
            ok &= apply_permitted(p, e, diag);
    }
    size_t written_rdn = 0;
    for (size_t i = 0; i < doc->n; i++)
        ok &= interpret_entry(p, &c, &doc->entries[i], &written_rdn, diag);
    ok = ok && check_cross_keys(p, &c, diag);
    if (ok && c.subject_name != NULL)
        ok = subject_parse(c.subject_name->value, c.subject_name->value_len, c.subject_name->line,
                           &p->subject, diag);
    if (ok) {
        upper_case_country(p, diag);
        if (!split_dotted_dc(&p->subject)) {
            diag_errorf(diag, 0, "", "out of memory");
            ok = false;
        }
        ok = ok && sort_subject(p, c.subject_name != NULL, diag) && default_cn(p, &c, diag) &&
             check_writable_attributes(p, diag);
    }
    if (ok && !profile_plan_san(p, &c.san)) {
        diag_errorf(diag, 0, "", "out of memory");
        ok = false;
    }
    free(c.san.accepted.items);
    free(c.san.dns.items);
    return ok;
}
