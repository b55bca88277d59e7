# SPDX-License-Identifier: Apache-2.0
"""Round-trip property test: random profiles inside the policy, through
`rolecert conf` and stock `openssl req -new`; the CSR subject read by
python3-cryptography must equal the intended one, in DER order, with the
attribute OIDs and string types, every time.

Deterministic: the seed is printed and can be set with ROLECERT_SEED; the
number of cases with ROLECERT_ROUNDTRIP_CASES (default 1000).
"""

import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib

import rctest

DEFAULT_SEED = 20070521
DEFAULT_CASES = 1000
WORKERS = 2
SHOW_MISMATCHES = 5

MAX_CHARS = {"ST": 128, "L": 128, "O": 64, "OU": 64, "CN": 64}
TABLE_ORDER = {"C": 0, "DC": 0, "ST": 1, "L": 2, "O": 3, "OU": 4, "CN": 5}
DC_TOTAL_MAX = 255
FQDN = "mail1.contoso.com"


def char_ranges():
    """(weight, first, last) pools; no controls, surrogates, noncharacters,
    format or line/paragraph separators, which the policy refuses or which
    are white space at a value's ends."""
    return [
        (30, 0x20, 0x7E),        # ASCII, including " \ $ # , ; ' ` = +
        (15, 0xA1, 0xAC),        # Latin-1 (not NBSP, not the soft hyphen)
        (15, 0xAE, 0xFF),
        (8, 0x391, 0x3C9),       # Greek
        (8, 0x410, 0x44F),       # Cyrillic
        (6, 0x5D0, 0x5EA),       # Hebrew
        (12, 0x4E00, 0x9FFF),    # CJK
        (6, 0xAC00, 0xD7A3),     # Hangul
        (10, 0x1F300, 0x1F64F),  # emoji (astral)
        (5, 0x20000, 0x2A6DF),   # CJK extension B (astral)
    ]


UNWANTED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
SPECIALS = list('"\\$#,;\'`=+{}()[]:<>') + ["$ENV::HOME", "${x}", "a::b = c"]


class Generator:
    def __init__(self, seed, country_codes):
        self.rng = random.Random(seed)
        self.pools = char_ranges()
        self.weights = [w for w, _, _ in self.pools]
        self.country_codes = country_codes

    def char(self):
        rng = self.rng
        if rng.random() < 0.08:
            return rng.choice(SPECIALS)
        while True:
            _, lo, hi = rng.choices(self.pools, weights=self.weights)[0]
            ch = chr(rng.randint(lo, hi))
            # Unassigned code points (U+03A2) are legal but not the point here.
            if unicodedata.category(ch) not in UNWANTED_CATEGORIES:
                return ch

    def value(self, max_chars):
        rng = self.rng
        length = max_chars if rng.random() < 0.2 else rng.randint(1, max_chars)
        text = ""
        while len(text) < length:
            text += self.char()
        return self.fix_ends(text[:length])

    @staticmethod
    def fix_ends(text):
        # Leading/trailing white space is a warning (rdn-whitespace); the
        # property is about clean values, so move it inside.
        text = text.strip()
        return text if text else "x"

    def ascii_value(self, max_chars):
        rng = self.rng
        length = rng.randint(1, max_chars)
        return self.fix_ends("".join(chr(rng.randint(0x21, 0x7E)) for _ in range(length)))

    def quote(self, value, escape_ratio, windows=False):
        """VALUE in double quotes, as an INI value or an RDN value of name=:
        a quote as \\" or (Windows style) "", a backslash as \\\\; ; and #
        raw, as data (lines are as long as they need: nothing is trimmed)."""
        local = random.Random(zlib.crc32(value.encode("utf-8")) ^ int(escape_ratio * 1000))
        out = ['"']
        for ch in value:
            if ch == "\\":
                out.append("\\\\")
            elif ch == '"':
                out.append('""' if windows or local.random() < 0.5 else '\\"')
            elif ord(ch) > 0x7E and local.random() < escape_ratio:
                out.append("\\u{%X}" % ord(ch))
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)

    def case(self):
        """(profile text, intended subject [(ATTR, value)] in DER order)."""
        rng = self.rng
        escape_ratio = rng.choice([0.0, 0.0, 0.1, 1.0])
        written = []  # (ATTR, value) in the order written in the profile

        country_mode = rng.random()
        if country_mode < 0.5:
            written.append(("C", rng.choice(self.country_codes)))
        elif country_mode < 0.8:
            total = 0
            for _ in range(rng.randint(1, 4)):
                budget = min(DC_TOTAL_MAX - total, 120)
                if budget < 1:
                    break
                dc = self.ascii_value(budget)
                total += len(dc)
                written.append(("DC", dc))
        for attr in ("ST", "L", "O"):
            if rng.random() < 0.7:
                written.append((attr, self.value(MAX_CHARS[attr])))
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            written.append(("OU", self.value(MAX_CHARS["OU"])))
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            written.append(("CN", self.value(MAX_CHARS["CN"])))

        if rng.random() < 0.3:
            rng.shuffle(written)

        # The name= form (what is pasted from -SubjectName or AD): RDNs
        # separated by ',' or ';', quotes doubled; sometimes in LDAP order
        # (CN first, as an AD DN: read last RDN first).
        name_form = rng.random() < 0.4
        if name_form and rng.random() < 0.5 and any(a == "CN" for a, _ in written):
            written.reverse()
            if written[0][0] != "CN":
                written.insert(0, written.pop(max(i for i, av in enumerate(written)
                                                  if av[0] == "CN")))
        lines = []
        rdns = []
        for attr, value in written:
            spelled = attr
            if attr == "ST" and rng.random() < 0.5:
                spelled = "S"
            if rng.random() < 0.3:
                spelled = spelled.lower()
            if name_form:
                rdns.append("%s=%s" % (spelled, self.quote(value, escape_ratio, windows=True)))
            else:
                lines.append("%s = %s" % (spelled, self.quote(value, escape_ratio)))
        if name_form:
            line = "name = "
            for i, rdn in enumerate(rdns):
                line += (rng.choice([", ", ",", " ; ", ";"]) if i else "") + rdn
            lines.append(line)

        expected = sorted(subject_read(written, name_form),
                          key=lambda av: TABLE_ORDER[av[0]])
        if not any(a == "CN" for a, _ in expected):
            expected.append(("CN", FQDN))
        text = ("[role]\ntype = edge\nfqdn = %s\naccepted_domains = contoso.com\n\n"
                "[subject]\n%s\n\n[key]\ntype = ec\n" % (FQDN, "\n".join(lines)))
        return text, expected


def subject_read(written, name_form):
    """The DER order profile-format.md reads from the written subject,
    before the table's order is applied: a name= string that starts with CN
    is in LDAP order (reversed whole); otherwise the DC values are one
    domain name in DNS order, so DER holds them top-level label first
    (RFC 2247), and the rest keeps the written order. A DC value with dots
    is its labels."""
    out = []
    for attr, value in written:
        labels = value.split(".")
        if attr == "DC" and len(labels) > 1 and all(labels):
            out.extend(("DC", label) for label in labels)
        else:
            out.append((attr, value))
    if name_form and len(out) > 1 and out[0][0] == "CN":
        return list(reversed(out))
    dcs = [av for av in out if av[0] == "DC"]
    return [dcs.pop() if av[0] == "DC" else av for av in out]


def load_country_codes():
    with open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8") as f:
        return sorted(entry["alpha_2"] for entry in json.load(f)["3166-1"])


def run_case(workdir, env, key, index, text, expected):
    base = os.path.join(workdir, "c%04d" % index)
    with open(base + ".ini", "wb") as f:
        f.write(text.encode("utf-8"))
    conf = subprocess.run([rctest.ROLECERT, "conf", base + ".ini", "-o", base + ".cnf"],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60)
    if conf.returncode != 0:
        return ("rolecert exit %d" % conf.returncode, conf.stderr.decode("utf-8", "replace"))
    req = subprocess.run([rctest.OPENSSL, "req", "-new", "-config", base + ".cnf",
                          "-key", key, "-out", base + ".req"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if req.returncode != 0:
        return ("openssl req exit %d" % req.returncode, req.stderr.decode("utf-8", "replace"))
    entries, multivalued = rctest.name_entries(rctest.load_csr(base + ".req").subject)
    want = rctest.expected_entries(expected)
    if multivalued or entries != want:
        return ("subject differs", "got  %r\nwant %r" % (entries, want))
    for suffix in (".ini", ".cnf", ".req"):
        os.unlink(base + suffix)
    return None


def main():
    rctest.parse_args()
    seed = int(os.environ.get("ROLECERT_SEED", DEFAULT_SEED))
    cases = int(os.environ.get("ROLECERT_ROUNDTRIP_CASES", DEFAULT_CASES))
    print("seed %d (set ROLECERT_SEED to change), %d cases" % (seed, cases), flush=True)

    generator = Generator(seed, load_country_codes())
    generated = [generator.case() for _ in range(cases)]

    workdir = tempfile.mkdtemp(prefix="rolecert-roundtrip-")
    home = os.path.join(workdir, "home-sentinel")
    os.mkdir(home)
    env = rctest.tool_env(home)
    key = os.path.join(workdir, "p256.pem")
    subprocess.run([rctest.OPENSSL, "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", key], env=env, check=True)

    start = time.monotonic()
    mismatches = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(run_case, workdir, env, key, i, text, expected)
                   for i, (text, expected) in enumerate(generated)]
        for i, future in enumerate(futures):
            outcome = future.result()
            if outcome is not None:
                mismatches.append((i, outcome))
    elapsed = time.monotonic() - start

    for i, (what, detail) in mismatches[:SHOW_MISMATCHES]:
        print("--- case %d: %s\nprofile:\n%s\n%s" % (i, what, generated[i][0], detail))
    print("%d cases, %d mismatches (%.1f s)" % (cases, len(mismatches), elapsed))
    if mismatches:
        print("failing profiles kept in %s" % workdir)
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
