# SPDX-License-Identifier: Apache-2.0
"""`rolecert clone`: certificate -> profile -> `rolecert conf` -> `openssl req`
gives a request with the certificate's names and a new key."""

import os
import shlex
import shutil
import tempfile
import unittest

import parity_clone_util as util
import parity_lib as lib

TABLE_SUBJECT = [("C", "US"), ("ST", "Washington"), ("L", "Redmond"), ("O", "Contoso Corp"),
                 ("OU", "Messaging"), ("OU", "Edge"), ("CN", "mail1.contoso.com")]
TABLE_SANS = ["mail1.contoso.com", "contoso.com", "autodiscover.contoso.com", "*.fabrikam.com"]


class CloneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="rolecert-clone-")
        cls.ca = util.Ca(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="case-", dir=self.work)

    def p(self, name):
        return os.path.join(self.tmp, name)

    def clone(self, *args):
        return lib.rolecert("clone", *args, cwd=self.tmp)

    def request_from(self, profile):
        """conf the profile, run the printed openssl req; return the CSR."""
        code, out, err = lib.rolecert("conf", profile, "-o", "req.cnf", cwd=self.tmp)
        self.assertEqual(code, 0, err)
        command = shlex.split(out.strip())
        self.assertEqual(command[:2], ["openssl", "req"])
        lib.run([lib.OPENSSL] + command[1:], cwd=self.tmp, check=True)
        return util.load_csr(self.p("req.req")), err

    def test_round_trip_in_table_order(self):
        cert = self.ca.issue("table", TABLE_SUBJECT, TABLE_SANS, keyspec=2048)
        code, _, err = self.clone(cert, "-o", "clone.ini")
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        with open(self.p("clone.ini"), encoding="utf-8") as f:
            text = f.read()
        body = text[text.index("[role]"):]
        self.assertEqual(body, "[role]\ntype = custom\n\n[subject]\n"
                               'C = "US"\nST = "Washington"\nL = "Redmond"\nO = "Contoso Corp"\n'
                               'OU = "Messaging"\nOU = "Edge"\nCN = "mail1.contoso.com"\n\n'
                               '[names]\ndns = "mail1.contoso.com"\ndns = "contoso.com"\n'
                               'dns = "autodiscover.contoso.com"\ndns = "*.fabrikam.com"\n\n'
                               "[key]\ntype = rsa\nbits = 2048\n\n[output]\nkind = request\n")
        self.assertIn("; SHA-1 thumbprint %s\n" % util.sha1_hex(util.load_cert(cert)), text)
        csr, conf_err = self.request_from("clone.ini")
        self.assertEqual(conf_err, "")
        self.assertEqual(util.subject_of(csr), TABLE_SUBJECT)
        self.assertEqual(util.dns_of(csr), TABLE_SANS)
        self.assertEqual(csr.public_key().key_size, 2048)
        # A new key, never the certificate's.
        self.assertNotEqual(util.public_der(csr), util.public_der(util.load_cert(cert)))

    def test_domain_components_keep_their_der_order(self):
        # RFC 2247: DER holds DC=com first; the profile writes the domain in
        # DNS order (DC = contoso, DC = com), which conf encodes back.
        subject = [("DC", "com"), ("DC", "contoso"), ("OU", "Servers"), ("OU", "Mail"),
                   ("CN", "mail1.contoso.com")]
        cert = self.ca.issue("dc", subject, ["mail1.contoso.com"])
        code, _, err = self.clone(cert, "-o", "dc.ini")
        self.assertEqual(code, 0, err)
        with open(self.p("dc.ini"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn('[subject]\nDC = "contoso"\nDC = "com"\nOU = "Servers"\nOU = "Mail"\n',
                      text)
        csr, conf_err = self.request_from("dc.ini")
        self.assertNotIn("rdn-order", conf_err)
        self.assertEqual(util.subject_of(csr), subject)

    def test_kind_request_by_default_or_self_signed(self):
        cert = self.ca.issue("kind", [("CN", "mail1.contoso.com")], ["mail1.contoso.com"])
        code, out, err = self.clone(cert)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.endswith("[output]\nkind = request\n"), out)
        code, _, err = self.clone(cert, "--kind", "self-signed", "-o", "self.ini")
        self.assertEqual(code, 0, err)
        code, out, err = lib.rolecert("conf", "self.ini", "-o", "self.cnf", cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("openssl req -x509 -new -config self.cnf -days 365 "), out)
        lib.run([lib.OPENSSL] + shlex.split(out.strip())[1:], cwd=self.tmp, check=True)
        crt = util.load_cert(self.p("self.crt"))
        self.assertEqual(crt.subject, crt.issuer)
        self.assertEqual(util.subject_of(crt), [("CN", "mail1.contoso.com")])
        self.assertEqual(util.dns_of(crt), ["mail1.contoso.com"])
        code, _, err = self.clone(cert, "--kind", "x509")
        self.assertEqual(code, 2)
        self.assertIn("invalid --kind 'x509'", err)

    def test_values_with_quotes_semicolons_hashes_backslashes_unicode(self):
        subject = [("C", "ES"), ("L", "#Sevilla; centro"), ("O", 'Diversión "de" Bicicleta'),
                   ("OU", "a\\b;c #d $ENV::HOME"), ("OU", "日本語 ✓ 😀"),
                   ("CN", "mail1.diversiondebicicleta.com")]
        sans = ["mail1.diversiondebicicleta.com"]
        cert = self.ca.issue("special", subject, sans)
        for source in (cert, self.ca.path("special.der")):
            code, _, err = self.clone(source, "-o", "special.ini")
            self.assertEqual(code, 0, err)
            self.assertEqual(err, "")
            with open(self.p("special.ini"), encoding="utf-8") as f:
                text = f.read()
            self.assertIn('L = "#Sevilla; centro"\n', text)
            self.assertIn('O = "Diversión \\"de\\" Bicicleta"\n', text)
            self.assertIn('OU = "a\\\\b;c #d $ENV::HOME"\n', text)
            csr, _ = self.request_from("special.ini")
            self.assertEqual(util.subject_of(csr), subject)
            self.assertEqual(util.dns_of(csr), sans)
            # EC P-256 certificate -> EC P-256 request.
            self.assertEqual(csr.public_key().curve.name, "secp256r1")

    def test_other_order_is_kept_in_profile_and_conf_reorders(self):
        subject = [("CN", "mail1.contoso.com"), ("O", "Contoso Corp"), ("C", "US")]
        cert = self.ca.issue("order", subject, ["mail1.contoso.com"])
        code, _, err = self.clone(cert, "-o", "order.ini")
        self.assertEqual(code, 0, err)
        lines = err.splitlines()
        self.assertEqual(lines[0].split(":")[1].strip(), "error[rdn-order]")
        self.assertIn("%s: notice: the certificate's subject is not in the table's order "
                      "(C/DC, ST, L, O, OU, CN); the profile keeps the certificate's order, and "
                      "rolecert conf writes the new request's subject as C, O, CN\n" % cert, err)
        self.assertIn("%s: notice: the certificate has 1 policy error; the profile keeps its "
                      "names as they are, and rolecert conf reports what it still refuses\n"
                      % cert, err)
        with open(self.p("order.ini"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn('[subject]\nCN = "mail1.contoso.com"\nO = "Contoso Corp"\nC = "US"\n', text)
        csr, conf_err = self.request_from("order.ini")
        self.assertIn("notice[rdn-order]", conf_err)
        self.assertEqual(util.subject_of(csr), [("C", "US"), ("O", "Contoso Corp"),
                                                ("CN", "mail1.contoso.com")])
        self.assertEqual(util.dns_of(csr), ["mail1.contoso.com"])

    def test_attribute_outside_table_uses_name_form(self):
        subject = [("C", "US"), ("O", 'Contoso, "Inc"; x'), ("emailAddress", "admin@contoso.com"),
                   ("CN", "mail.contoso.com")]
        cert = self.ca.issue("email", subject, ["mail.contoso.com"])
        code, out, err = self.clone(cert)
        self.assertEqual(code, 0, err)
        self.assertIn('[subject]\nname = "C=\\"US\\", O=\\"Contoso, \\\\\\"Inc\\\\\\"; x\\", '
                      'emailAddress=\\"admin@contoso.com\\", CN=\\"mail.contoso.com\\""\n', out)
        self.assertIn("%s: error[rdn-unknown]: emailAddress 'admin@contoso.com'" % cert, err)
        # With rdn-unknown lowered, the same subject comes back, in order.
        with open(self.p("email.ini"), "w", encoding="utf-8") as f:
            f.write(out + "\n[policy]\nrdn-unknown = warning\n")
        csr, _ = self.request_from("email.ini")
        self.assertEqual(util.subject_of(csr),
                         [("C", "US"), ("O", 'Contoso, "Inc"; x'),
                          ("1.2.840.113549.1.9.1", "admin@contoso.com"),
                          ("CN", "mail.contoso.com")])

    def test_refused_names_are_written_and_reported(self):
        cert = self.ca.issue("refused", [("O", "Contoso"), ("CN", "mail.contoso.com")],
                             ["mail.contoso.com", "bad_name.contoso.com"])
        code, out, err = self.clone(cert)
        self.assertEqual(code, 0, err)
        self.assertIn('dns = "bad_name.contoso.com"\n', out)
        self.assertIn("%s: error[dns-syntax]: DNS name 'bad_name.contoso.com'" % cert, err)
        with open(self.p("refused.ini"), "w", encoding="utf-8") as f:
            f.write(out)
        code, _, conf_err = lib.rolecert("conf", "refused.ini", "-o", "refused.cnf", cwd=self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("error[dns-syntax]", conf_err)

    def test_upper_case_san_and_cn_outside_san(self):
        cert = self.ca.issue("case", [("CN", "owa.contoso.com")], ["Mail.Contoso.com"])
        code, out, err = self.clone(cert, "-o", "case.ini")
        self.assertEqual(code, 0, err)
        self.assertIn("%s: notice: SAN DNS name 1 'Mail.Contoso.com': rolecert conf writes DNS "
                      "names lower-case (they compare case-insensitively)\n" % cert, err)
        self.assertIn("%s: notice: rolecert conf puts the CN 'owa.contoso.com' first in the new "
                      "request's SAN (clients match the SAN only)\n" % cert, err)
        csr, _ = self.request_from("case.ini")
        self.assertEqual(util.dns_of(csr), ["owa.contoso.com", "mail.contoso.com"])

    def test_key_types(self):
        cases = [(1024, "type = rsa\nbits = 2048\n", "has 1024 bits; the profile asks for 2048"),
                 (3000, "type = rsa\nbits = 3072\n", "has 3000 bits; the profile asks for 3072"),
                 ("p384", "type = ec\ncurve = P-384\n", None),
                 ("ed25519", "type = ed25519\n", None)]
        for spec, expected, notice in cases:
            with self.subTest(spec=spec):
                name = "key%s" % spec
                cert = self.ca.issue(name, [("CN", "k.contoso.com")], ["k.contoso.com"],
                                     keyspec=spec)
                code, out, err = self.clone(cert)
                self.assertEqual(code, 0, err)
                self.assertIn("[key]\n" + expected + "\n[output]\nkind = request\n", out)
                if notice:
                    self.assertIn(notice, err)

    def test_several_certificates_and_thumbprint(self):
        leaf = self.ca.issue("multi", [("CN", "multi.contoso.com")], ["multi.contoso.com"])
        chain = self.p("chain.pem")
        lib.cat(chain, leaf, self.ca.path("inter.pem"), self.ca.path("root.pem"))
        code, out, err = self.clone(chain)
        self.assertEqual(code, 0, err)
        thumb = util.sha1_hex(util.load_cert(leaf))
        self.assertIn("%s: notice: the file holds 3 certificates; cloning the first (thumbprint "
                      "%s, subject 'CN=multi.contoso.com')\n  hint: pick another with "
                      "--thumbprint\n" % (chain, thumb), err)
        self.assertIn('CN = "multi.contoso.com"', out)

        inter = util.sha1_hex(util.load_cert(self.ca.path("inter.pem")))
        colons = ":".join(inter[i:i + 2] for i in range(0, 40, 2)).lower()
        p7b = self.p("chain.p7b")
        lib.openssl("crl2pkcs7", "-nocrl", "-certfile", chain, "-out", p7b)
        for source in (chain, p7b):
            code, out, err = self.clone(source, "--thumbprint", colons)
            self.assertEqual(code, 0, err)
            self.assertIn('[subject]\nO = "Parity Test"\nCN = "Parity Intermediate"\n', out)
            self.assertIn("; SHA-1 thumbprint %s\n" % inter, out)

        code, out, err = self.clone(chain, "--thumbprint", "00" * 20)
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn("no certificate with thumbprint %s" % ("00" * 20), err)
        code, _, err = self.clone(chain, "--thumbprint", "abc")
        self.assertEqual(code, 2)
        self.assertIn("invalid --thumbprint 'abc'", err)

    def test_long_values_are_cloned(self):
        # A profile line is as long as its value needs (no inih limit).
        long_dns = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + ".example.com"
        subject = [("C", "JP"), ("O", "\u65e5\u672c" * 32), ("CN", "x.contoso.com")]
        cert = self.ca.issue("long", subject, ["x.contoso.com", long_dns])
        code, _, err = self.clone(cert, "-o", "long.ini")
        self.assertEqual(code, 0, err)
        csr, _ = self.request_from("long.ini")
        self.assertEqual(util.subject_of(csr), subject)
        self.assertEqual(util.dns_of(csr), ["x.contoso.com", long_dns])

    def test_unwritable_values_fail_and_leave_output_untouched(self):
        cases = {
            "tab": ([("CN", "x.contoso.com")], ["x.contoso.com"], ["DNS.9 = a\\tb.contoso.com"]),
        }
        for name, (subject, sans, raw) in cases.items():
            with self.subTest(case=name):
                cert = self.ca.issue(name, subject, sans, raw_san_lines=raw)
                with open(self.p("keep.ini"), "w") as f:
                    f.write("; previous\n")
                code, out, err = self.clone(cert, "-o", "keep.ini")
                self.assertEqual(code, 1, err)
                self.assertIn("nothing written: 1 name cannot be cloned", err)
                with open(self.p("keep.ini")) as f:
                    self.assertEqual(f.read(), "; previous\n")
                self.assertEqual(sorted(os.listdir(self.tmp)), ["keep.ini"])

    def test_usage_and_unreadable(self):
        self.assertEqual(self.clone()[0], 2)
        self.assertEqual(self.clone("a.pem", "b.pem")[0], 2)
        self.assertEqual(self.clone("--bogus")[0], 2)
        code, _, err = self.clone("missing.pem")
        self.assertEqual(code, 2)
        self.assertIn("missing.pem: error: unreadable:", err)
        code, _, err = self.clone(self.ca.path("inter.csr"))
        self.assertEqual(code, 2)
        self.assertIn("no certificate in the file", err)


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
