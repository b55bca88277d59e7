# SPDX-License-Identifier: Apache-2.0
"""Strings that mean something to NCONF, inih or a DN parser, placed in every
subject attribute: each either arrives in the CSR subject exactly as written
(read back by python3-cryptography) or is refused with a clear error, never
turned into a different value. The generated file must hold only keys from
the generator's fixed table.
"""

import os
import re

import rctest

# Every string is valid UTF-8 without control characters and within every
# attribute's size, so the policy has no reason to refuse any of them.
INJECTIONS = [
    "$ENV::HOME",
    "$HOME",
    "${x}",
    "$(x)",
    "$req::prompt",
    "$",
    "a#b",
    "#leading hash",
    'say "hi"',
    '"',
    "it's",
    "'single quoted'",
    "back`tick`",
    "`",
    "back\\slash",
    "trailing backslash\\",
    "\\",
    "\\\\double",
    '\\"',
    "\\n not a newline",
    "\\u{41} literal",
    "other::key = x",
    "default::openssl_conf = x",
    "init::providers = evil",
    "[ evil ]",
    "= x",
    "+plus",
    "  leading and trailing  ",
    " one leading",
    "one trailing ",
    "a,b+c=d;e",
    "a ;comment-like",
    "Diversi\u00f3n de Bicicleta",
    "Diversi\u00f3n",
    "emoji \U0001F600\U0001F680 astral",
    "\u4e2d\u6587 \u0420\u0443\u0441 \u0395\u03bb \u05e2\u05d1",
    "percent %s %n",
    "<tag>&amp;",
]

ATTRIBUTES = ["ST", "L", "O", "OU", "CN"]

# Keys the generator may write (docs/generated-config.md), per section kind.
MAIN_KEYS = {"prompt", "utf8", "string_mask", "default_md", "default_bits",
             "distinguished_name", "req_extensions", "x509_extensions"}
EXT_KEYS = {"basicConstraints", "keyUsage", "extendedKeyUsage", "subjectKeyIdentifier",
            "authorityKeyIdentifier", "subjectAltName"}
DN_KEY_RE = re.compile(r"^\d+\.(C|DC|ST|L|O|OU|CN)$")
SAN_KEY_RE = re.compile(r"^DNS\.\d+$")
LINE_RE = re.compile(r"^([A-Za-z0-9_.]+) = (.*)$")


def decode_conf_value(text):
    """Inverse of the contract's encoder: `"`, `\\\\` -> `\\`, `\\"` -> `"`, `"`."""
    assert text.startswith('"') and text.endswith('"') and len(text) >= 2, text
    out, i, body = [], 0, text[1:-1]
    while i < len(body):
        if body[i] == "\\":
            assert i + 1 < len(body) and body[i + 1] in '\\"', text
            out.append(body[i + 1])
            i += 2
        else:
            assert body[i] != '"', text
            out.append(body[i])
            i += 1
    return "".join(out)


class InjectionTest(rctest.E2ETestCase):

    @classmethod
    def setUpClass(cls):
        cls.refused = []

    @classmethod
    def tearDownClass(cls):
        if cls.refused:
            print("\nrefused with an error (allowed, listed for review):")
            for item in cls.refused:
                print("  %r" % (item,))

    def setUp(self):
        super().setUp()
        self.key = self.make_key("k.pem", "ec:P-256")

    def check_generated_file(self, path, expected_dn):
        """Structure of the .cnf: only known keys; DN values decode exactly."""
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        section = None
        dn = []
        for line in lines:
            if line == "" or line.startswith("#"):
                continue
            self.assertFalse(line.startswith((" ", "\t")), repr(line))
            m = re.fullmatch(r"\[ ([A-Za-z0-9_]+) \]", line)
            if m:
                section = m.group(1)
                continue
            m = LINE_RE.match(line)
            self.assertIsNotNone(m, "not a key = value line: %r" % line)
            key, value = m.groups()
            self.assertNotIn("::", key)
            if section == "req":
                self.assertIn(key, MAIN_KEYS)
            elif section == "req_dn":
                self.assertRegex(key, DN_KEY_RE)
                dn.append((key.split(".", 1)[1], decode_conf_value(value)))
            elif section in ("req_req_ext", "req_x509_ext"):
                self.assertIn(key, EXT_KEYS)
            elif section == "req_san":
                self.assertRegex(key, SAN_KEY_RE)
                decode_conf_value(value)
            else:
                self.fail("unexpected section %r" % section)
        self.assertEqual(dn, expected_dn)
        # N in N.ATTR counts from 0 in file order.
        indices = [int(l.split(".", 1)[0]) for l in lines
                   if re.match(r"^\d+\.(C|DC|ST|L|O|OU|CN) = ", l)]
        self.assertEqual(indices, list(range(len(indices))))

    def round_trip(self, label, profile_text, expected_subject):
        """expected_subject: [(ATTR, value)] in DER order."""
        for stale in ("p.cnf", "p.req"):
            if os.path.exists(self.path(stale)):
                os.unlink(self.path(stale))
        self.write_profile("p.ini", profile_text)
        result = self.conf("p.ini", "p.cnf")
        if result.returncode != 0:
            # Refusal is acceptable only as a clear, located error and with
            # nothing written.
            self.assertIn(result.returncode, (1, 2), repr(result))
            self.assertRegex(result.stderr, r"(?m)^p\.ini:\d+: error", repr(result))
            self.assertFalse(os.path.exists(self.path("p.cnf")))
            type(self).refused.append((label, result.stderr.splitlines()[0]))
            return
        self.assertNotIn("error", [s for s, _ in result.findings()], repr(result))
        self.check_generated_file(self.path("p.cnf"), expected_subject)
        self.req_new("p.cnf", self.key, "p.req")
        entries, multivalued = rctest.name_entries(rctest.load_csr(self.path("p.req")).subject)
        self.assertFalse(multivalued)
        self.assertEqual(entries, rctest.expected_entries(expected_subject))

    def test_every_attribute_key_form(self):
        for value in INJECTIONS:
            for attr in ATTRIBUTES:
                with self.subTest(attr=attr, value=value):
                    subject = [("C", "US"), ("ST", "Washington"), ("L", "Redmond"),
                               ("O", "Contoso Corp"), ("OU", "Messaging"),
                               ("CN", "mail1.contoso.com")]
                    subject = [(a, value if a == attr else v) for a, v in subject]
                    text = ("[role]\ntype = edge\nfqdn = mail1.contoso.com\n"
                            "accepted_domains = contoso.com\n\n[subject]\n"
                            + "".join("%s = %s\n" % (a, rctest.ini_quote(v))
                                      for a, v in subject))
                    self.round_trip((attr, value), text, subject)

    def test_every_attribute_escaped_non_ascii(self):
        """The same values with every non-ASCII character written \\u{HEX}."""
        for value in INJECTIONS:
            if value.isascii():
                continue
            for attr in ATTRIBUTES:
                with self.subTest(attr=attr, value=value):
                    subject = [("C", "US"), (attr, value), ("CN", "mail1.contoso.com")]
                    if attr == "CN":
                        subject = [("C", "US"), ("CN", value)]
                    order = {"C": 0, "ST": 1, "L": 2, "O": 3, "OU": 4, "CN": 5}
                    subject.sort(key=lambda av: order[av[0]])
                    text = ("[role]\ntype = edge\nfqdn = mail1.contoso.com\n"
                            "accepted_domains = contoso.com\n\n[subject]\n"
                            + "".join("%s = %s\n" % (a, rctest.ini_quote(v, True))
                                      for a, v in subject))
                    self.round_trip((attr, value, "escaped"), text, subject)

    def test_name_form(self):
        """The -SubjectName form with quoted RDN values, for the strings that
        need no escape inside the quotes."""
        for value in INJECTIONS:
            if any(c in value for c in '"\\;'):
                continue
            for attr in ATTRIBUTES:
                with self.subTest(attr=attr, value=value):
                    subject = [("C", "US"), ("ST", "Washington"), ("L", "Redmond"),
                               ("O", "Contoso Corp"), ("OU", "Messaging"),
                               ("CN", "mail1.contoso.com")]
                    subject = [(a, value if a == attr else v) for a, v in subject]
                    name = ", ".join('%s="%s"' % (a, v) for a, v in subject)
                    text = ("[role]\ntype = edge\nfqdn = mail1.contoso.com\n"
                            "accepted_domains = contoso.com\n\n[subject]\n"
                            "name = %s\n" % name)
                    self.round_trip((attr, value, "name="), text, subject)

    def test_keys_from_profile_never_reach_the_file(self):
        """A profile key shaped like an NCONF cross-section write is an
        unknown key (exit 2), in every section."""
        base = ("[role]\ntype = edge\nfqdn = mail1.contoso.com\n"
                "accepted_domains = contoso.com\n")
        for section in ("role", "subject", "names", "key", "output", "policy"):
            for key in ("default::openssl_conf", "other::key", "evil::module",
                        "init::providers", "0.CN", "+0.O"):
                with self.subTest(section=section, key=key):
                    text = base + "\n[%s]\n%s = x\n" % (section, key)
                    if section == "role":
                        text = base + "%s = x\n" % key
                    self.write_profile("p.ini", text)
                    result = self.conf("p.ini", "p.cnf")
                    self.assertEqual(result.returncode, 2, repr(result))
                    self.assertRegex(result.stderr, r"(?m)^p\.ini:\d+: error", repr(result))
                    self.assertFalse(os.path.exists(self.path("p.cnf")))

    def test_prefix_is_validated(self):
        self.write_profile("p.ini", "[role]\ntype = edge\nfqdn = mail1.contoso.com\n"
                                    "accepted_domains = contoso.com\n")
        for prefix in ("default::x", "a b", "1abc", "a-b", "x" * 33, "", "req]\n[x"):
            with self.subTest(prefix=prefix):
                result = self.conf("p.ini", "p.cnf", extra=["--prefix", prefix])
                self.assertEqual(result.returncode, 2, repr(result))
                self.assertFalse(os.path.exists(self.path("p.cnf")))
        result = self.conf("p.ini", "p.cnf", extra=["--prefix", "Edge_1"])
        self.assertEqual(result.returncode, 0, repr(result))
        commands = result.printed_commands()
        self.assertEqual(len(commands), 1, repr(result))
        argv = commands[0].split(" ")
        where = argv.index("-section")
        self.assertEqual(argv[where + 1], "Edge_1")
        del argv[where:where + 2]
        self.assertEqual(" ".join(argv), "openssl req -new -config p.cnf -newkey rsa:2048 "
                                         "-noenc -keyout p.key -out p.req")
        with open(self.path("p.cnf"), encoding="utf-8") as f:
            sections = re.findall(r"(?m)^\[ (\S+) \]$", f.read())
        self.assertEqual(sections, ["Edge_1", "Edge_1_dn", "Edge_1_req_ext",
                                    "Edge_1_x509_ext", "Edge_1_san"])
        self.req_new("p.cnf", self.key, "p.req", section="Edge_1")
        csr = rctest.load_csr(self.path("p.req"))
        self.assertEqual(rctest.name_entries(csr.subject)[0],
                         rctest.expected_entries([("CN", "mail1.contoso.com")]))
        self.assertEqual(rctest.san_of(csr), (["mail1.contoso.com", "contoso.com"], False))


if __name__ == "__main__":
    rctest.main()
