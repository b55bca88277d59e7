#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Which of the three walker bypasses of issue 10 a BER input is: (a) a
length in 9+ octets, (b) a SEQUENCE in high-tag-number form, (c) an
indefinite length on the second element of a TBS that starts with an INTEGER
(a v1 certificate: the signature algorithm). Only the top levels count:
that is where the walker's sniff decides. Used by rediscover.sh.

    ber-forms.py FILE...  ->  FILE FORM..."""
import sys

def elements(b, i, end, depth, index_path, out):
    idx = 0
    while i < end:
        if end - i >= 2 and b[i] == 0 and b[i + 1] == 0 and depth > 0:
            return i + 2
        t = b[i]; i += 1
        num = t & 0x1f
        high = num == 0x1f
        if high:
            num = 0
            while True:
                c = b[i]; i += 1
                num = (num << 7) | (c & 0x7f)
                if not c & 0x80:
                    break
        l = b[i]; i += 1
        path = index_path + [idx]
        rec = {"path": path, "num": num, "cls": t >> 6, "cons": bool(t & 0x20), "high": high,
               "indef": l == 0x80, "loct": (l & 0x7f) if l & 0x80 and l != 0x80 else 0}
        out.append(rec)
        if l == 0x80:
            i = elements(b, i, len(b), depth + 1, path, out)
        else:
            if l & 0x80:
                n = l & 0x7f
                l = int.from_bytes(b[i:i + n], "big"); i += n
            if rec["cons"] or num in (16, 17):
                try:
                    elements(b, i, i + l, depth + 1, path, [] if depth > 2 else out)
                except (IndexError, ValueError):
                    pass
            i += l
        idx += 1
    return i

def forms(b):
    out = []
    try:
        elements(b, 0, len(b), 0, [], out)
    except (IndexError, ValueError):
        pass
    top = [r for r in out if len(r["path"]) <= 2]
    found = set()
    if any(r["loct"] > 8 for r in top):
        found.add("a:9+-octet-length")
    if any(r["high"] and r["num"] == 16 and r["cls"] == 0 for r in out if len(r["path"]) <= 3):
        found.add("b:high-tag-SEQUENCE")
    level1 = [r for r in out if len(r["path"]) == 2]
    v1 = level1 and level1[0]["num"] == 2 and level1[0]["cls"] == 0
    if v1 and len(level1) > 1 and level1[1]["indef"]:
        found.add("c:v1-indefinite-algorithm")
    return found or {"other"}

if __name__ == "__main__":
    for f in sys.argv[1:]:
        print(f, " ".join(sorted(forms(open(f, "rb").read()))))
