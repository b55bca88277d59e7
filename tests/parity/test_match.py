# SPDX-License-Identifier: Apache-2.0
"""`rolecert match`: Exchange Domain Security over real certificates."""

import os
import shutil
import tempfile
import unittest

import parity_lib as lib


class MatchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="rolecert-match-")
        cls.pki = lib.standard_pki(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def match(self, *args):
        return lib.rolecert("match", *args, cwd=self.work)

    def test_one_label_under(self):
        code, out, _ = self.match("wg.pem", "woodgrovebank.com")
        self.assertEqual(code, 0)
        self.assertEqual(out.splitlines(), [
            "wg.pem: certificate 'CN=mail1.woodgrovebank.com,O=Woodgrove Bank,C=US'",
            "'woodgrovebank.com': match: SAN 'mail1.woodgrovebank.com' (one-label)"])

    def test_two_labels_under_is_no_match(self):
        code, out, _ = self.match("wgus.der", "woodgrovebank.com")
        self.assertEqual(code, 1)
        self.assertEqual(out.splitlines()[1:], [
            "'woodgrovebank.com': no match",
            "  SAN 'mail1.us.woodgrovebank.com' is two labels under woodgrovebank.com",
            "  CN 'mail1.us.woodgrovebank.com' is two labels under woodgrovebank.com"])

    def test_wildcard_exact_case_and_trailing_dot(self):
        code, out, _ = self.match("contoso.pem", "contoso.com", "MAIL.Contoso.com.")
        self.assertEqual(code, 0, out)
        self.assertEqual(out.splitlines()[1:], [
            "'contoso.com': match: SAN '*.contoso.com' (wildcard)",
            "'MAIL.Contoso.com.': match: SAN 'mail.contoso.com' (exact)"])
        code, out, _ = self.match("wg.pem", "WoodGroveBank.COM.")
        self.assertEqual(code, 0, out)

    def test_wildcard_is_one_level_only(self):
        # The seed: "*.contoso.com represents contoso.com and all the
        # sub-domains"; a wildcard stands for one label (RFC 6125).
        code, out, _ = self.match("contoso.pem", "us.contoso.com")
        self.assertEqual(code, 0, out)
        self.assertEqual(out.splitlines()[1:], [
            "'us.contoso.com': match: SAN '*.contoso.com' (wildcard)"])
        code, out, _ = self.match("contoso.pem", "a.b.contoso.com")
        self.assertEqual(code, 1)
        self.assertEqual(out.splitlines()[1:], [
            "'a.b.contoso.com': no match",
            "  SAN '*.contoso.com' stands for contoso.com and one label under it; "
            "a.b.contoso.com is two labels under contoso.com (that takes *.b.contoso.com)",
            "  SAN 'mail.contoso.com' is not under a.b.contoso.com",
            "  CN 'mail.contoso.com' is not under a.b.contoso.com"])

    def test_mixed_exit_1(self):
        code, out, _ = self.match("contoso.pem", "contoso.com", "fabrikam.com", "com")
        self.assertEqual(code, 1)
        self.assertIn("'fabrikam.com': no match\n  SAN '*.contoso.com' is not under fabrikam.com\n",
                      out)
        self.assertIn("  SAN '*.contoso.com' is a wildcard for names two labels under com\n", out)

    def test_several_certificates_first_and_thumbprint(self):
        for name in ("chain.pem", "chain.p7b", "chain-der.p7b"):
            code, out, _ = self.match(name, "woodgrovebank.com")
            self.assertEqual(code, 0)
            self.assertEqual(out.splitlines()[0],
                             "%s: 3 certificates; matching the first (#1 'CN=mail1.woodgrovebank.com,"
                             "O=Woodgrove Bank,C=US'); --thumbprint picks another" % name)
        thumb = lib.sha1_thumbprint(self.pki.path("root.pem"))
        colons = ":".join(thumb[i:i + 2] for i in range(0, 40, 2)).lower()
        code, out, _ = self.match("chain.p7b", "woodgrovebank.com", "--thumbprint", colons)
        self.assertEqual(code, 1)
        self.assertEqual(out.splitlines()[:2], [
            "chain.p7b: certificate #3 'CN=Test Root,O=Woodgrove Test,C=US' (thumbprint %s)"
            % thumb, "'woodgrovebank.com': no match"])
        self.assertIn("  CN 'Test Root' is not under woodgrovebank.com", out)
        code, _, err = self.match("chain.p7b", "x.com", "--thumbprint", "00" * 20)
        self.assertEqual(code, 2)
        self.assertEqual(err, "chain.p7b: error: no certificate with thumbprint %s\n" % ("00" * 20))

    def test_request_only_file(self):
        code, out, _ = self.match("badreq.csr", "contoso.com")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("badreq.csr: no certificate; matching request #1 "))

    def test_no_dns_names(self):
        path = os.path.join(self.work, "noname.pem")
        lib.openssl("req", "-x509", "-new", "-key", self.pki.path("root.key"), "-subj", "/O=X",
                    "-config", "/dev/null", "-out", path)
        code, out, _ = self.match(path, "contoso.com")
        self.assertEqual(code, 1)
        self.assertIn("'contoso.com': no match: the certificate has no DNS names", out)

    def test_bad_input(self):
        self.assertEqual(self.match("wg.pem")[0], 2)
        self.assertEqual(self.match("wg.pem", "")[0], 2)
        self.assertEqual(self.match("wg.pem", "x.com", "--thumbprint", "abc")[0], 2)
        self.assertEqual(self.match("nope.pem", "x.com")[0], 2)
        self.assertEqual(self.match("wg.key", "x.com")[0], 2)


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
