/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A structure-aware libFuzzer mutator for DER inputs: it parses the input as
 * a tree of TLVs (leniently, so its own BER output parses again and the
 * forms compound), changes one or a few nodes, and re-encodes the tree with
 * every length recomputed. The changes are the encodings BER allows and DER
 * forbids — long and non-minimal lengths (up to 12 octets, leading zeros),
 * high-tag-number form for low tag numbers, indefinite lengths, constructed
 * strings, a SEQUENCE with the constructed bit clear — plus structural ones
 * (drop an element, wrap one in a SEQUENCE, unwrap one), so a request or
 * certificate is re-encoded in shapes a byte-level mutator almost never
 * reaches: a random byte flip cannot fix up the lengths of every enclosing
 * element. Half the time, and whenever the input is not a tree, libFuzzer's
 * own mutation runs instead.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#define MAX_NODES 2048
#define MAX_DEPTH 48
#define NONE (-1)

typedef struct node {
    unsigned char cls_cons; /* class bits and the constructed bit of the first octet */
    unsigned long number;   /* tag number */
    bool high_tag;          /* encode the number in high-tag-number form */
    bool indefinite;        /* constructed only */
    bool primitive_bit;     /* constructed, but written with the bit clear */
    unsigned len_octets;    /* 0: minimal; else long form with at least this many octets */
    const uint8_t *value;   /* primitive contents (points into the input) */
    size_t value_len;
    int first_child, next_sibling;
    int depth;
    bool dropped;
} node;

typedef struct tree {
    node nodes[MAX_NODES];
    int count;
    uint32_t rng;
} tree;

static uint32_t next_random(tree *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 17;
    t->rng ^= t->rng << 5;
    return t->rng;
}

static uint32_t below(tree *t, uint32_t n)
{
    return n == 0 ? 0 : next_random(t) % n;
}

/* One TLV in any BER form OpenSSL takes; returns the node index or NONE. */
static int parse_node(tree *t, const uint8_t **p, const uint8_t *end, int depth);

static bool parse_children(tree *t, int parent, const uint8_t **p, const uint8_t *end,
                           bool indefinite, int depth)
{
    int *link = &t->nodes[parent].first_child;
    for (;;) {
        if (indefinite) {
            if (end - *p >= 2 && (*p)[0] == 0 && (*p)[1] == 0) {
                *p += 2;
                return true;
            }
        } else if (*p == end) {
            return true;
        }
        if (*p >= end)
            return false;
        int child = parse_node(t, p, end, depth + 1);
        if (child == NONE)
            return false;
        *link = child;
        link = &t->nodes[child].next_sibling;
    }
}

static int parse_node(tree *t, const uint8_t **p, const uint8_t *end, int depth)
{
    const uint8_t *q = *p;
    if (depth > MAX_DEPTH || t->count == MAX_NODES || end - q < 2)
        return NONE;
    int index = t->count++;
    node *n = &t->nodes[index];
    memset(n, 0, sizeof(*n));
    n->first_child = n->next_sibling = NONE;
    n->depth = depth;
    n->cls_cons = q[0] & 0xE0;
    n->number = q[0] & 0x1f;
    q++;
    if (n->number == 0x1f) {
        n->high_tag = true;
        n->number = 0;
        do {
            if (q == end || n->number > 0xFFFFFF)
                return NONE;
            n->number = (n->number << 7) | (*q & 0x7f);
        } while (*q++ & 0x80);
    }
    if (q == end)
        return NONE;
    size_t len = *q++;
    if (len == 0x80) {
        if (!(n->cls_cons & 0x20))
            return NONE;
        n->indefinite = true;
        if (!parse_children(t, index, &q, end, true, depth))
            return NONE;
        *p = q;
        return index;
    }
    if (len & 0x80) {
        size_t octets = len & 0x7f;
        if ((size_t)(end - q) < octets)
            return NONE;
        len = 0;
        for (size_t i = 0; i < octets; i++) {
            if (len >> 48)
                return NONE;
            len = (len << 8) | q[i];
        }
        q += octets;
        n->len_octets = (unsigned)octets;
    }
    if ((size_t)(end - q) < len)
        return NONE;
    if (n->cls_cons & 0x20) {
        const uint8_t *inner = q;
        if (!parse_children(t, index, &inner, q + len, false, depth))
            return NONE;
    } else {
        n->value = q;
        n->value_len = len;
    }
    *p = q + len;
    return index;
}

static size_t length_octets_needed(size_t len)
{
    size_t octets = 0;
    for (; len > 0; len >>= 8)
        octets++;
    return octets;
}

static size_t content_size(const tree *t, int index);

static size_t encoded_size(const tree *t, int index)
{
    const node *n = &t->nodes[index];
    if (n->dropped)
        return 0;
    size_t header = 1;
    if (n->high_tag || n->number >= 0x1f)
        for (unsigned long v = n->number; header == 1 || v > 0; v >>= 7)
            header++;
    size_t content = content_size(t, index);
    if (n->indefinite)
        return header + 1 + content + 2;
    size_t needed = length_octets_needed(content);
    if (content < 0x80 && n->len_octets == 0)
        return header + 1 + content;
    return header + 1 + (n->len_octets > needed ? n->len_octets : needed) + content;
}

static size_t content_size(const tree *t, int index)
{
    const node *n = &t->nodes[index];
    if (!(n->cls_cons & 0x20))
        return n->value_len;
    size_t total = 0;
    for (int c = n->first_child; c != NONE; c = t->nodes[c].next_sibling)
        total += encoded_size(t, c);
    return total;
}

static uint8_t *encode(const tree *t, int index, uint8_t *out)
{
    const node *n = &t->nodes[index];
    if (n->dropped)
        return out;
    if (n->high_tag || n->number >= 0x1f) {
        *out++ = (uint8_t)((n->primitive_bit ? n->cls_cons & 0xC0 : n->cls_cons) | 0x1f);
        unsigned groups = 1;
        for (unsigned long v = n->number >> 7; v > 0; v >>= 7)
            groups++;
        for (unsigned g = groups; g > 0; g--)
            *out++ = (uint8_t)(((n->number >> (7 * (g - 1))) & 0x7f) | (g > 1 ? 0x80 : 0));
    } else {
        *out++ = (uint8_t)((n->primitive_bit ? n->cls_cons & 0xC0 : n->cls_cons) | n->number);
    }
    size_t content = content_size(t, index);
    if (n->indefinite) {
        *out++ = 0x80;
    } else if (content < 0x80 && n->len_octets == 0) {
        *out++ = (uint8_t)content;
    } else {
        size_t needed = length_octets_needed(content);
        size_t octets = n->len_octets > needed ? n->len_octets : needed;
        *out++ = (uint8_t)(0x80 | octets);
        for (size_t i = octets; i > 0; i--)
            *out++ = i > sizeof(size_t) ? 0 : (uint8_t)(content >> (8 * (i - 1)));
    }
    if (n->cls_cons & 0x20) {
        for (int c = n->first_child; c != NONE; c = t->nodes[c].next_sibling)
            out = encode(t, c, out);
    } else if (n->value_len > 0) {
        memcpy(out, n->value, n->value_len);
        out += n->value_len;
    }
    if (n->indefinite) {
        *out++ = 0;
        *out++ = 0;
    }
    return out;
}

static int new_node(tree *t)
{
    if (t->count == MAX_NODES)
        return NONE;
    node *n = &t->nodes[t->count];
    memset(n, 0, sizeof(*n));
    n->first_child = n->next_sibling = NONE;
    return t->count++;
}

static bool is_string_tag(const node *n)
{
    if ((n->cls_cons & 0xC0) != 0)
        return false;
    switch (n->number) {
    case 0x04: /* OCTET STRING */
    case 0x0C: /* UTF8String */
    case 0x12: /* NumericString */
    case 0x13: /* PrintableString */
    case 0x14: /* T61String */
    case 0x16: /* IA5String */
    case 0x1A: /* VisibleString */
    case 0x1C: /* UniversalString */
    case 0x1E: /* BMPString */
        return true;
    default:
        return false;
    }
}

/* A primitive string becomes constructed: the same tag, its contents cut
 * into up to three primitive pieces. */
static void make_constructed_string(tree *t, int index)
{
    node *n = &t->nodes[index];
    size_t len = n->value_len;
    size_t cuts[2] = {below(t, (uint32_t)len + 1), below(t, (uint32_t)len + 1)};
    if (cuts[0] > cuts[1]) {
        size_t swap = cuts[0];
        cuts[0] = cuts[1];
        cuts[1] = swap;
    }
    size_t bounds[4] = {0, cuts[0], cuts[1], len};
    int *link = &n->first_child;
    for (int i = 0; i < 3; i++) {
        if (bounds[i + 1] == bounds[i] && i != 0)
            continue;
        int piece = new_node(t);
        if (piece == NONE)
            return;
        node *c = &t->nodes[piece];
        c->cls_cons = n->cls_cons;
        c->number = n->number;
        c->value = n->value + bounds[i];
        c->value_len = bounds[i + 1] - bounds[i];
        *link = piece;
        link = &c->next_sibling;
    }
    n->cls_cons |= 0x20;
    n->value = NULL;
    n->value_len = 0;
}

/* Swaps node `index` with a new SEQUENCE holding it (the index stays the
 * parent's link, so no parent pointers are needed). */
static void wrap_in_sequence(tree *t, int index)
{
    int moved = new_node(t);
    if (moved == NONE)
        return;
    t->nodes[moved] = t->nodes[index];
    t->nodes[moved].next_sibling = NONE;
    node *n = &t->nodes[index];
    int sibling = n->next_sibling;
    memset(n, 0, sizeof(*n));
    n->cls_cons = 0x20;
    n->number = 0x10;
    n->first_child = moved;
    n->next_sibling = sibling;
}

/* A constructed node is replaced by its first child (the rest go). */
static void unwrap(tree *t, int index)
{
    node *n = &t->nodes[index];
    if (!(n->cls_cons & 0x20) || n->first_child == NONE)
        return;
    int sibling = n->next_sibling;
    *n = t->nodes[n->first_child];
    n->next_sibling = sibling;
}

static void mutate_one(tree *t, int index)
{
    node *n = &t->nodes[index];
    bool constructed = (n->cls_cons & 0x20) != 0;
    /* A context-tagged element right under the root is an OPTIONAL or
     * DEFAULT field (a certificate's version, a CertTemplate's fields):
     * without it the input is another shape the standard allows (v1). */
    if (n->depth == 1 && (n->cls_cons & 0xC0) == 0x80 && below(t, 3) == 0) {
        n->dropped = true;
        return;
    }
    switch (below(t, 9)) {
    case 0: /* long form, possibly past what size_t holds, leading zeros */
        n->len_octets = 1 + below(t, 12);
        n->indefinite = false;
        break;
    case 1:
        n->high_tag = true;
        break;
    case 2:
        if (constructed) {
            n->indefinite = true;
            n->primitive_bit = false;
        } else if (is_string_tag(n))
            make_constructed_string(t, index);
        break;
    case 3: /* twice the odds for the form with the most ways to go wrong */
        if (constructed) {
            n->indefinite = true;
            n->primitive_bit = false;
        } else if (is_string_tag(n)) {
            make_constructed_string(t, index);
        } else {
            n->len_octets = 1 + below(t, 12);
        }
        break;
    case 4: /* SEQUENCE or SET with the constructed bit clear */
        if (constructed && (n->number == 0x10 || n->number == 0x11) && !n->indefinite)
            n->primitive_bit = true;
        break;
    case 5:
        if (index != 0)
            n->dropped = true;
        break;
    case 6:
        wrap_in_sequence(t, index);
        break;
    case 7:
        unwrap(t, index);
        break;
    default: /* back to DER for this node */
        n->len_octets = 0;
        n->high_tag = false;
        n->indefinite = false;
        n->primitive_bit = false;
        break;
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    static tree t;
    t.rng = seed * 2654435761u + 1;
    if ((next_random(&t) & 1) == 0 && LLVMFuzzerMutate != NULL)
        return LLVMFuzzerMutate(data, size, max_size);
    t.count = 0;
    const uint8_t *p = data;
    int root = size > 0 ? parse_node(&t, &p, data + size, 0) : NONE;
    if (root == NONE || p != data + size) /* not a tree: bytes it is */
        return LLVMFuzzerMutate != NULL ? LLVMFuzzerMutate(data, size, max_size) : size;
    int parsed = t.count;
    /* Half the time the root or one of its elements: that is where a sniff
     * decides what the bytes are. */
    int top[MAX_NODES];
    int n_top = 0;
    for (int i = 0; i < parsed; i++)
        if (t.nodes[i].depth <= 1)
            top[n_top++] = i;
    for (uint32_t rounds = 1 + below(&t, 4); rounds > 0; rounds--) {
        int index =
            below(&t, 2) == 0 ? top[below(&t, (uint32_t)n_top)] : (int)below(&t, (uint32_t)parsed);
        mutate_one(&t, index);
    }
    size_t out_size = encoded_size(&t, root);
    if (out_size == 0 || out_size > max_size)
        return LLVMFuzzerMutate != NULL ? LLVMFuzzerMutate(data, size, max_size) : size;
    /* Primitive values point into `data`: encode into a copy first. */
    static uint8_t scratch[1 << 20];
    if (out_size > sizeof(scratch))
        return size;
    encode(&t, root, scratch);
    memcpy(data, scratch, out_size);
    return out_size;
}
