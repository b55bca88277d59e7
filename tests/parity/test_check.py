# SPDX-License-Identifier: Apache-2.0
"""`rolecert check` on certificates and requests made with stock openssl."""

import os
import unittest

import parity_lib as lib


class CheckTest(lib.TempDirMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.work = tempfile.mkdtemp(prefix="rolecert-check-")
        cls.pki = lib.standard_pki(cls.work)

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.work, ignore_errors=True)

    def check(self, *args):
        return lib.rolecert("check", *args, cwd=self.work)

    def test_clean_certificate_pem_and_der(self):
        for name in ("wg.pem", "wg.der"):
            code, out, err = self.check(name)
            self.assertEqual(code, 0, err)
            self.assertEqual(out, "%s: certificate 'CN=mail1.woodgrovebank.com,O=Woodgrove Bank,"
                                  "C=US': pass (0 errors, 0 warnings, 0 notices)\n" % name)
            self.assertEqual(err, "")

    def test_findings_in_order_with_hints(self):
        code, out, _ = self.check("bad.pem")
        self.assertEqual(code, 1)
        lines = out.splitlines()
        self.assertEqual(lines[0], "bad.pem: error[dns-syntax]: DNS name 'bad_name.contoso.com': "
                                   "character '_' not allowed (only A-Z a-z 0-9 '-' in "
                                   "dot-separated labels)")
        self.assertTrue(lines[1].startswith("  hint: "))
        self.assertEqual(lines[2], "bad.pem: warning[dns-internal]: DNS name 'owa1': "
                                   "single-label name")
        self.assertTrue(lines[3].startswith("  hint: "))
        self.assertEqual(lines[4], "bad.pem: certificate 'CN=mail.contoso.com,O=Contoso,C=US': "
                                   "fail (1 error, 1 warning, 0 notices)")
        self.assertEqual(len(lines), 5)

    def test_request(self):
        code, out, _ = self.check("badreq.csr")
        self.assertEqual(code, 1)
        rules = [l.split(":")[1].strip() for l in out.splitlines() if not l.startswith("  ")]
        self.assertEqual(rules[:2], ["error[country-code]", "error[dns-wildcard]"])
        self.assertTrue(out.endswith("badreq.csr: request 'CN=mail.contoso.com,O=Contoso,C=UK': "
                                     "fail (2 errors, 0 warnings, 0 notices)\n"))

    def test_several_items_get_positions(self):
        for name in ("chain.pem", "chain.p7b", "chain-der.p7b"):
            code, out, err = self.check(name)
            self.assertEqual(code, 0, err)
            self.assertEqual(out.splitlines(), [
                "%s[#1]: certificate 'CN=mail1.woodgrovebank.com,O=Woodgrove Bank,C=US': pass "
                "(0 errors, 0 warnings, 0 notices)" % name,
                "%s[#2]: certificate 'CN=Test Intermediate,O=Woodgrove Test,C=US': pass "
                "(0 errors, 0 warnings, 0 notices)" % name,
                "%s[#3]: certificate 'CN=Test Root,O=Woodgrove Test,C=US': pass "
                "(0 errors, 0 warnings, 0 notices)" % name,
            ])

    def test_check_ca(self):
        # A CA certificate carries no DNS name and is not asked for one
        # (name-policy.md: san-missing is for TLS servers only).
        code, out, _ = self.check("--check-ca", "chain.pem")
        self.assertEqual(code, 0)
        self.assertNotIn("san-missing", out)
        self.assertIn("chain.pem[#3]: certificate 'CN=Test Root,O=Woodgrove Test,C=US': pass "
                      "(0 errors, 0 warnings, 0 notices)", out)

    def test_several_files_worst_exit(self):
        code, out, _ = self.check("wg.pem", "bad.pem", "contoso.pem")
        self.assertEqual(code, 1)
        self.assertEqual(out.count("pass ("), 2)
        with open(os.path.join(self.work, "junk.pem"), "w") as f:
            f.write("hello\n")
        code, out, err = self.check("bad.pem", "junk.pem")
        self.assertEqual(code, 2)
        self.assertEqual(err, "junk.pem: error: unreadable: neither PEM nor DER (no certificate "
                              "or request found)\n")
        self.assertIn("bad.pem: certificate", out)

    def test_unreadable_inputs(self):
        cases = {
            "empty.pem": (b"", "empty file"),
            "truncated.pem": (None, "PEM block 1 (CERTIFICATE) does not decode"),
            "key-only.pem": (None, "no certificate or request found"),
            "trailing.der": (None, "bytes after DER item 1 are not DER"),
        }
        with open(os.path.join(self.work, "wg.pem")) as f:
            pem = f.read()
        body = pem.splitlines()
        truncated = "\n".join(body[:5] + body[-1:]) + "\n"
        with open(os.path.join(self.work, "wg.key"), "rb") as f:
            key = f.read()
        with open(os.path.join(self.work, "wg.der"), "rb") as f:
            der = f.read()
        data = {"empty.pem": b"", "truncated.pem": truncated.encode(), "key-only.pem": key,
                "trailing.der": der + b"\x01\x02"}
        for name, (_, why) in cases.items():
            with open(os.path.join(self.work, name), "wb") as f:
                f.write(data[name])
            code, out, err = self.check(name)
            self.assertEqual(code, 2, name)
            self.assertEqual(err, "%s: error: unreadable: %s\n" % (name, why))
            code, _, err = lib.rolecert("list", name, cwd=self.work)
            self.assertEqual(code, 2, name)
        code, _, err = self.check("does-not-exist.pem")
        self.assertEqual((code, err), (2, "does-not-exist.pem: error: unreadable: No such file "
                                          "or directory\n"))

    def test_usage(self):
        self.assertEqual(self.check()[0], 2)
        self.assertEqual(self.check("--bogus", "wg.pem")[0], 2)
        self.assertEqual(self.check("--profile")[0], 2)
        code, out, _ = self.check("--help")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("usage: rolecert check"))

    def test_json(self):
        code, doc, _ = lib.rolecert_json("check", "--json", "bad.pem", "chain.pem", "badreq.csr",
                                         cwd=self.work)
        self.assertEqual(code, 1)
        self.assertEqual(doc["exit"], 1)
        files = doc["files"]
        self.assertEqual([f["file"] for f in files], ["bad.pem", "chain.pem", "badreq.csr"])
        bad = files[0]["items"][0]
        self.assertEqual(bad["kind"], "certificate")
        self.assertEqual(bad["subject"], "CN=mail.contoso.com,O=Contoso,C=US")
        self.assertEqual(bad["verdict"], "fail")
        self.assertEqual((bad["errors"], bad["warnings"], bad["notices"]), (1, 1, 0))
        self.assertEqual([(f["rule"], f["severity"], f["where"], f.get("index"), f["value"])
                          for f in bad["findings"]],
                         [("dns-syntax", "error", "san", 1, "bad_name.contoso.com"),
                          ("dns-internal", "warning", "san", 2, "owa1")])
        for f in bad["findings"]:
            self.assertTrue(f["message"] and f["hint"])
        self.assertEqual([i["verdict"] for i in files[1]["items"]], ["pass", "pass", "pass"])
        self.assertEqual([i["position"] for i in files[1]["items"]], [1, 2, 3])
        req = files[2]["items"][0]
        self.assertEqual(req["kind"], "request")
        self.assertEqual(req["findings"][0]["value"], "UK")
        self.assertEqual(req["findings"][0]["where"], "subject")


class ProfileCoverageTest(lib.TempDirMixin, unittest.TestCase):
    """check --profile: which role names a certificate covers (RFC 6125)."""

    def setUp(self):
        super().setUp()
        self.pki = lib.Pki(self.tmp)
        self.pki.root()
        self.pki.intermediate()

    def profile(self, dns, policy=""):
        path = os.path.join(self.tmp, "role.ini")
        lib.write(path, """\
            [role]
            type = custom
            fqdn = %s

            [names]
            dns = %s

            [subject]
            CN = %s

            [key]
            type = ec
            curve = P-256
            %s
            """ % (dns[0], ", ".join(dns[1:]) or dns[0], dns[0], policy))
        return path

    def covered(self, cert_names, role_names):
        cert = self.pki.leaf("leaf", "/CN=%s" % cert_names[0], cert_names)
        prof = self.profile(role_names)
        code, doc, err = lib.rolecert_json("check", "--json", "--profile", prof, cert,
                                           cwd=self.tmp)
        self.assertIn(code, (0, 1), err)
        item = doc["files"][0]["items"][0]
        return {c["name"]: c["covered_by"] for c in item["coverage"]}, code

    def test_rfc6125_cases(self):
        cov, code = self.covered(["*.contoso.com", "contoso.com"],
                                 ["mail.contoso.com", "contoso.com", "a.b.contoso.com",
                                  "MAIL2.Contoso.COM"])
        self.assertEqual(cov, {"mail.contoso.com": "*.contoso.com",
                               "contoso.com": "contoso.com",
                               "a.b.contoso.com": None,  # no match across labels
                               "mail2.contoso.com": "*.contoso.com"})  # case-insensitive
        self.assertEqual(code, 1)

    def test_wildcard_only_whole_leftmost_label(self):
        cov, _ = self.covered(["mail.contoso.com", "contoso.com"],
                              ["mail.contoso.com", "owa.contoso.com"])
        self.assertEqual(cov, {"mail.contoso.com": "mail.contoso.com", "owa.contoso.com": None})

    def test_trailing_dot_in_certificate(self):
        cov, code = self.covered(["mail.contoso.com.", "contoso.com"],
                                 ["mail.contoso.com", "contoso.com"])
        self.assertEqual(cov, {"mail.contoso.com": "mail.contoso.com.",
                               "contoso.com": "contoso.com"})

    def test_text_output_and_exit(self):
        cert = self.pki.leaf("leaf", "/CN=mail.contoso.com", ["mail.contoso.com"])
        prof = self.profile(["mail.contoso.com", "autodiscover.contoso.com"])
        code, out, _ = lib.rolecert("check", "--profile", prof, cert, cwd=self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("%s: error: role name 'autodiscover.contoso.com' (dns=, %s:6) is not "
                      "covered by the certificate\n  hint: " % (cert, prof), out)
        self.assertIn("fail (0 errors, 0 warnings, 0 notices; 1 role name not covered)", out)
        prof = self.profile(["mail.contoso.com"])
        code, out, _ = lib.rolecert("check", "--profile", prof, cert, cwd=self.tmp)
        self.assertEqual(code, 0, out)

    def test_profile_policy_applies(self):
        cert = self.pki.leaf("leaf", "/CN=mail.contoso.com", ["mail.contoso.com", "owa1"])
        prof = self.profile(["mail.contoso.com"], "\n[policy]\ndns-internal = error\n")
        code, out, _ = lib.rolecert("check", "--profile", prof, cert, cwd=self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("error[dns-internal]", out)

    def test_bad_profile_exits_2(self):
        path = os.path.join(self.tmp, "broken.ini")
        lib.write(path, "[role]\ntype = nonsense\n")
        cert = self.pki.leaf("leaf", "/CN=mail.contoso.com", ["mail.contoso.com"])
        code, out, err = lib.rolecert("check", "--profile", path, cert, cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn("broken.ini:2: error:", err)
        self.assertEqual(out, "")


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
