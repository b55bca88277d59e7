# SPDX-License-Identifier: Apache-2.0
"""rolecert conf --enforce: the generated config activates rolecert.so with
the profile's [policy], so stock `openssl req -config` enforces at signing
time what the generator checked, including names edited in by hand later.

Run: /usr/bin/python3 test_enforce.py ROLECERT SOURCE_DIR MODULE [unittest args]
"""

import os
import re
import sys

import rctest
from rctest import OPENSSL

MODULE = None

PROFILE = """\
[role]
type = edge
fqdn = mail1.contoso.com
accepted_domains = contoso.com, fabrikam.com
connector_fqdn = mail.contoso.com

[subject]
name = C=US, O=Contoso Corp, CN=mail1.contoso.com

[key]
type = ec

[policy]
multiple-cn = error
dns-internal = off
permitted_domains = contoso.com, fabrikam.com, contoso.local
"""

REFUSAL_RE = re.compile(r"rolecert:.*certificate name policy violation:.*error\[([a-z-]+)\]")


def section_lines(text, name):
    """The key = value lines of one section of a generated config."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("["):
            inside = line.strip() == "[ %s ]" % name
            continue
        if inside and line.strip():
            lines.append(line)
    return lines


class EnforceTest(rctest.E2ETestCase):
    def generate(self, extra=()):
        profile = self.write_profile("edge.ini", PROFILE)
        result = self.conf(profile, "edge.cnf", ["--enforce", "--module", MODULE] + list(extra))
        self.assertEqual(result.returncode, 0, repr(result))
        with open(self.path("edge.cnf"), encoding="utf-8") as f:
            return f.read()

    def test_activation_block(self):
        text = self.generate()
        # openssl_conf must sit in the default section, before any header.
        head = text.split("\n[", 1)[0]
        self.assertIn("\nopenssl_conf = req_openssl_init\n", head)
        self.assertEqual(section_lines(text, "req_openssl_init"),
                         ["providers = req_providers", "alg_section = req_algorithms"])
        self.assertEqual(section_lines(text, "req_providers"),
                         ["default = req_default", "rolecert = req_rolecert"])
        self.assertEqual(section_lines(text, "req_default"), ["activate = 1"])
        self.assertEqual(section_lines(text, "req_algorithms"),
                         ["default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no"])
        self.assertEqual(section_lines(text, "req_rolecert"), [
            'module = "%s"' % MODULE,
            "activate = 1",
            # rule-table order (name-policy.md), not the profile's
            "multiple-cn = error",
            "dns-internal = off",
            'permitted_domains = "contoso.com, fabrikam.com, contoso.local"',
        ])

    def test_prefix_names_every_section(self):
        text = self.generate(["--prefix", "edge"])
        self.assertIn("\nopenssl_conf = edge_openssl_init\n", text.split("\n[", 1)[0])
        for name in ("edge_openssl_init", "edge_providers", "edge_default",
                     "edge_algorithms", "edge_rolecert"):
            self.assertTrue(section_lines(text, name), name)

    def test_default_module_is_the_installed_path(self):
        profile = self.write_profile("edge.ini", PROFILE)
        result = self.conf(profile, "edge.cnf", ["--enforce"])
        self.assertEqual(result.returncode, 0, repr(result))
        with open(self.path("edge.cnf"), encoding="utf-8") as f:
            module = [l for l in f.read().splitlines() if l.startswith("module = ")]
        self.assertEqual(len(module), 1)
        self.assertRegex(module[0], r'^module = "/.+/rolecert\.so"$')

    def test_module_needs_enforce_and_an_absolute_path(self):
        profile = self.write_profile("edge.ini", PROFILE)
        for extra in (["--module", MODULE], ["--enforce", "--module", "rolecert.so"]):
            result = self.conf(profile, "edge.cnf", extra)
            self.assertEqual(result.returncode, 2, repr(result))
            self.assertFalse(os.path.exists(self.path("edge.cnf")))

    def test_generated_config_signs_good_names(self):
        self.generate()
        key = self.make_key("edge.key", "ec:P-256")
        self.req_new("edge.cnf", key, "edge.req")
        self.run_tool([OPENSSL, "req", "-verify", "-noout", "-in", "edge.req"])
        csr = rctest.load_csr(self.path("edge.req"))
        self.assertEqual(rctest.san_of(csr), (["mail1.contoso.com", "contoso.com",
                                               "fabrikam.com", "mail.contoso.com"], False))
        self.req_x509("edge.cnf", key, "edge.crt")
        self.run_tool([OPENSSL, "verify", "-CAfile", "edge.crt", "edge.crt"])

    def edit_and_sign(self, old, new, x509=False):
        text = self.generate()
        self.assertIn(old, text)
        with open(self.path("edge.cnf"), "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        key = self.make_key("edge.key", "ec:P-256")
        out = "edited.crt" if x509 else "edited.req"
        sign = self.req_x509 if x509 else self.req_new
        result = sign("edge.cnf", key, out, check=False)
        return result, out

    def assert_signing_refused(self, result, out, rule, value):
        self.assertNotEqual(result.returncode, 0, repr(result))
        self.assertEqual(REFUSAL_RE.findall(result.stderr), [rule], result.stderr)
        self.assertIn("'%s'" % value, result.stderr)
        self.assertIn("hint:", result.stderr)
        self.assertFalse(os.path.exists(self.path(out)), "output left after a refusal")

    def test_hand_edited_bad_name_is_refused(self):
        for x509 in (False, True):
            with self.subTest(x509=x509):
                result, out = self.edit_and_sign('DNS.1 = "contoso.com"',
                                                 'DNS.1 = "bad_name.contoso.com"', x509)
                self.assert_signing_refused(result, out, "dns-syntax", "bad_name.contoso.com")

    def test_profile_policy_reaches_the_provider(self):
        # permitted_domains came from the profile's [policy].
        result, out = self.edit_and_sign('DNS.1 = "contoso.com"',
                                         'DNS.1 = "mail.woodgrovebank.com"')
        self.assert_signing_refused(result, out, "domain-not-permitted",
                                    "mail.woodgrovebank.com")
        # multiple-cn = error came from the profile too (default: warning).
        result, out = self.edit_and_sign('2.CN = "mail1.contoso.com"',
                                         '2.CN = "mail1.contoso.com"\n3.CN = "contoso.com"')
        self.assert_signing_refused(result, out, "multiple-cn", "contoso.com")
        # dns-internal = off: a reserved suffix signs without a word.
        result, out = self.edit_and_sign('DNS.1 = "contoso.com"', 'DNS.1 = "mail.contoso.local"')
        self.assertEqual(result.returncode, 0, repr(result))
        self.assertNotIn("dns-internal", result.stderr)


if __name__ == "__main__":
    rctest.parse_args()
    if len(sys.argv) < 2:
        sys.exit("usage: test_enforce.py ROLECERT SOURCE_DIR MODULE")
    MODULE = os.path.abspath(sys.argv.pop(1))
    import unittest
    unittest.main(verbosity=2)
