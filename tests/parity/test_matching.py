# SPDX-License-Identifier: Apache-2.0
"""One matching answer: `match`, `check --profile` and `import --profile`.

Whether a certificate covers an accepted domain is Exchange Domain Security
(name-policy.md, "Matching"): the domain itself, `*.domain`, or one label
under it; and, from the seed's wildcard sentence, `*.P` also stands for every
name one label under P. The same (certificate, domain) pair must get the same
answer from all three commands.
"""

import os
import unittest

import parity_lib as lib

# certificate -> (SAN names, the role's server FQDN, which the SAN covers)
CERTS = {
    "wild-contoso": (["*.contoso.com"], "mail.contoso.com"),
    "apex-wg": (["woodgrovebank.com"], "woodgrovebank.com"),
    "wild-wg": (["*.woodgrovebank.com"], "mail1.woodgrovebank.com"),
    "mail1-wg": (["mail1.woodgrovebank.com"], "mail1.woodgrovebank.com"),
    "mail1-us-wg": (["mail1.us.woodgrovebank.com"], "mail1.us.woodgrovebank.com"),
}

# (certificate, accepted domain, covered?) from the seed's examples.
TABLE = [
    ("wild-contoso", "contoso.com", True),
    ("wild-contoso", "x.contoso.com", True),
    ("wild-contoso", "a.b.contoso.com", False),
    ("wild-contoso", "fabrikam.com", False),
    ("apex-wg", "woodgrovebank.com", True),
    ("apex-wg", "mail1.woodgrovebank.com", False),
    ("wild-wg", "woodgrovebank.com", True),
    ("wild-wg", "mail1.woodgrovebank.com", True),
    ("wild-wg", "mail1.us.woodgrovebank.com", False),
    ("mail1-wg", "woodgrovebank.com", True),
    ("mail1-wg", "us.woodgrovebank.com", False),
    ("mail1-us-wg", "woodgrovebank.com", False),
    ("mail1-us-wg", "us.woodgrovebank.com", True),
]


class MatchingTest(lib.TempDirMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.work = tempfile.mkdtemp(prefix="rolecert-matching-")
        cls.pki = lib.Pki(cls.work)
        cls.pki.root()
        cls.pki.intermediate()
        for name, (sans, _) in CERTS.items():
            cls.pki.leaf(name, "/C=US/O=Contoso/CN=Contoso Mail", sans)

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.work, ignore_errors=True)

    def profile(self, fqdn, domain):
        path = os.path.join(self.tmp, "role.ini")
        lib.write(path, """\
            [role]
            type = edge
            fqdn = %s
            accepted_domains = %s
            """ % (fqdn, domain))
        return path

    def test_three_commands_agree(self):
        for cert, domain, covered in TABLE:
            with self.subTest(cert=cert, domain=domain):
                pem = self.pki.path(cert + ".pem")
                prof = self.profile(CERTS[cert][1], domain)
                want = 0 if covered else 1
                code, out, err = lib.rolecert("match", pem, domain, cwd=self.tmp)
                self.assertEqual(code, want, out + err)
                code, out, err = lib.rolecert("check", "--profile", prof, pem, cwd=self.tmp)
                self.assertEqual(code, want, out + err)
                if not covered:
                    self.assertIn("'%s' (accepted domain, " % domain, out)
                bundle = os.path.join(self.tmp, "bundle.pem")
                code, out, err = lib.rolecert("import", pem, "--key", self.pki.path(cert + ".key"),
                                              "--profile", prof, "-o", bundle, cwd=self.tmp)
                self.assertEqual(code, want, out + err)
                self.assertEqual(os.path.exists(bundle), covered)
                if covered:
                    os.unlink(bundle)
                else:
                    self.assertIn("role name '%s' (accepted domain, " % domain, err)


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
