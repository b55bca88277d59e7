# SPDX-License-Identifier: Apache-2.0
"""`rolecert import`: what the CA sent back -> a PEM bundle, leaf first."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

import parity_clone_util as util
import parity_lib as lib

CERTTOOL = os.environ.get("ROLECERT_CERTTOOL", "certtool")

LEAF_SUBJECT = [("C", "US"), ("O", "Contoso Corp"), ("CN", "mail1.contoso.com")]
LEAF_SANS = ["mail1.contoso.com", "contoso.com", "mail.contoso.com"]


class ImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="rolecert-import-")
        ca = cls.ca = util.Ca(cls.work)
        ca.issue("leaf", LEAF_SUBJECT, LEAF_SANS, keyspec=2048)
        ca.issue("other", [("CN", "other.fabrikam.com")], ["other.fabrikam.com"])
        ca.issue("wild", [("CN", "mail.contoso.com")], ["mail.contoso.com", "*.contoso.com"])
        ca.issue("soon", [("CN", "soon.contoso.com")], ["soon.contoso.com"], days=10)
        ca.issue("gone", [("CN", "gone.contoso.com")], ["gone.contoso.com"], days=0)
        ca.issue("bad", [("CN", "mail.contoso.com")], ["mail.contoso.com", "bad_name.contoso.com"])
        ca.key("stranger")
        # The CA's answer in shuffled order: root, leaf, intermediate.
        lib.cat(ca.path("shuffled.pem"), ca.path("root.pem"), ca.path("leaf.pem"),
                ca.path("inter.pem"))
        lib.openssl("crl2pkcs7", "-nocrl", "-certfile", ca.path("shuffled.pem"),
                    "-out", ca.path("shuffled.p7b"))
        lib.openssl("crl2pkcs7", "-nocrl", "-certfile", ca.path("shuffled.pem"), "-outform",
                    "DER", "-out", ca.path("shuffled-der.p7b"))
        time.sleep(1)  # `gone` (-days 0) is now past its notAfter

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="case-", dir=self.work)

    def p(self, name):
        return os.path.join(self.tmp, name)

    def c(self, name):
        return self.ca.path(name)

    def run_import(self, *args):
        return lib.rolecert("import", *args, cwd=self.tmp)

    def assert_unwritten(self, bundle="bundle.pem"):
        self.assertFalse(os.path.exists(self.p(bundle)))
        self.assertEqual(os.listdir(self.tmp), [])

    def test_shuffled_chain_is_ordered_leaf_first(self):
        expected = [util.load_cert(self.c(n)) for n in ("leaf.pem", "inter.pem", "root.pem")]
        for source in ("shuffled.pem", "shuffled.p7b", "shuffled-der.p7b"):
            with self.subTest(source=source):
                code, out, err = self.run_import(self.c(source), "--key", self.c("leaf.key"),
                                                 "-o", "bundle.pem")
                self.assertEqual(code, 0, err)
                self.assertEqual(out, "")
                got = util.load_pem_certs(self.p("bundle.pem"))
                self.assertEqual([util.fingerprint(x) for x in got],
                                 [util.fingerprint(x) for x in expected])
                with open(self.p("bundle.pem"), "rb") as f:
                    self.assertNotIn(b"PRIVATE KEY", f.read())
                lib.openssl("verify", "-CAfile", self.c("root.pem"), "-untrusted",
                            self.p("bundle.pem"), self.p("bundle.pem"))
                self.assertIn(": wrote bundle.pem: certificate 2 'CN=mail1.contoso.com,"
                              "O=Contoso Corp,C=US', then certificate 3 'CN=Parity Intermediate,"
                              "O=Parity Test', then certificate 1 'CN=Parity Root,O=Parity Test'\n",
                              err)

    def test_der_leaf_alone_and_unrelated_certificates(self):
        code, _, err = self.run_import(self.c("leaf.der"), "--key", self.c("leaf.key"), "-o",
                                       "bundle.pem")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(util.load_pem_certs(self.p("bundle.pem"))), 1)
        self.assertIn("the chain ends at certificate 1 'CN=mail1.contoso.com,O=Contoso Corp,C=US':"
                      " its issuer is not in the file", err)

        mixed = self.p("mixed.pem")
        lib.cat(mixed, self.c("other.pem"), self.c("inter.pem"), self.c("leaf.pem"),
                self.c("inter.pem"))
        code, _, err = self.run_import(mixed, "--key", self.c("leaf.key"), "-o", "bundle.pem")
        self.assertEqual(code, 0, err)
        got = util.load_pem_certs(self.p("bundle.pem"))
        self.assertEqual([util.fingerprint(x) for x in got],
                         [util.fingerprint(util.load_cert(self.c(n)))
                          for n in ("leaf.pem", "inter.pem")])
        self.assertIn("%s: notice: certificate 1 'CN=other.fabrikam.com' is not part of the "
                      "leaf's chain: left out\n" % mixed, err)
        self.assertIn("%s: notice: certificate 4 'CN=Parity Intermediate,O=Parity Test' is a "
                      "second copy of one in the chain: left out\n" % mixed, err)

    def test_key_that_matches_nothing(self):
        code, out, err = self.run_import(self.c("shuffled.p7b"), "--key", self.c("stranger.key"),
                                         "-o", "bundle.pem")
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertIn("%s: error: none of its 3 certificates holds the public key of %s\n"
                      % (self.c("shuffled.p7b"), self.c("stranger.key")), err)
        self.assert_unwritten()

    def test_existing_bundle_untouched_on_failure(self):
        with open(self.p("bundle.pem"), "w") as f:
            f.write("previous\n")
        for args in ((self.c("shuffled.p7b"), "--key", self.c("stranger.key")),
                     (self.c("bad.pem"), "--key", self.c("bad.key")),
                     (self.c("gone.pem"), "--key", self.c("gone.key")),
                     (self.c("leaf.pem"), "--key", self.c("leaf.key"), "--services", "ftp"),
                     (self.c("nothing.pem"), "--key", self.c("leaf.key"))):
            with self.subTest(args=args):
                code, _, _ = self.run_import(*args, "-o", "bundle.pem")
                self.assertIn(code, (1, 2))
                with open(self.p("bundle.pem")) as f:
                    self.assertEqual(f.read(), "previous\n")
                self.assertEqual(os.listdir(self.tmp), ["bundle.pem"])

    def test_policy_error_in_leaf(self):
        code, _, err = self.run_import(self.c("bad.pem"), "--key", self.c("bad.key"), "-o",
                                       "bundle.pem")
        self.assertEqual(code, 1)
        self.assertIn("%s: error[dns-syntax]: DNS name 'bad_name.contoso.com'" % self.c("bad.pem"),
                      err)
        self.assert_unwritten()

    def test_expiry(self):
        code, _, err = self.run_import(self.c("soon.pem"), "--key", self.c("soon.key"), "-o",
                                       "bundle.pem")
        self.assertEqual(code, 0, err)
        self.assertRegex(err, r"%s: warning: certificate 1 'CN=soon\.contoso\.com' expires in 9 "
                              r"days \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)\n  hint: renew it"
                         % self.c("soon.pem"))
        self.assertTrue(os.path.exists(self.p("bundle.pem")))
        os.unlink(self.p("bundle.pem"))
        code, _, err = self.run_import(self.c("gone.pem"), "--key", self.c("gone.key"), "-o",
                                       "bundle.pem")
        self.assertEqual(code, 1)
        self.assertIn("%s: error: certificate 1 'CN=gone.contoso.com' expired on "
                      % self.c("gone.pem"), err)
        self.assert_unwritten()

    def test_services_lines(self):
        code, out, err = self.run_import(self.c("shuffled.pem"), "--key", self.c("leaf.key"), "-o",
                                         "bundle.pem", "--services", "HTTPS, pop,smtp,imap")
        self.assertEqual(code, 0, err)
        bundle = os.path.realpath(self.p("bundle.pem"))
        key = os.path.realpath(self.c("leaf.key"))
        self.assertEqual(out, "# Postfix (main.cf): smtp\n"
                              "smtpd_tls_chain_files = %s, %s\n"
                              "# Dovecot (conf.d/10-ssl.conf): imap, pop\n"
                              "ssl_cert = <%s\n"
                              "ssl_key = <%s\n"
                              "# nginx (server block): https\n"
                              "ssl_certificate %s;\n"
                              "ssl_certificate_key %s;\n"
                              % (key, bundle, bundle, key, bundle, key))
        self.assertNotIn("wildcard", err)

    def test_wildcard_warning_for_pop_and_imap_only(self):
        for services, warned in (("pop", True), ("imap", True), ("smtp,https", False)):
            with self.subTest(services=services):
                code, out, err = self.run_import(self.c("wild.pem"), "--key", self.c("wild.key"),
                                                 "-o", "bundle.pem", "--services", services)
                self.assertEqual(code, 0, err)
                line = ("%s: warning: a wildcard certificate ('*.contoso.com') for POP/IMAP\n"
                        % self.c("wild.pem"))
                self.assertEqual(line in err, warned, err)

    def test_profile_coverage(self):
        covered = self.p("covered.ini")
        lib.write(covered, """\
            [role]
            type = edge
            fqdn = mail1.contoso.com
            accepted_domains = contoso.com
            connector_fqdn = mail.contoso.com
            """)
        code, _, err = self.run_import(self.c("leaf.pem"), "--key", self.c("leaf.key"),
                                       "--profile", covered, "-o", "bundle.pem")
        self.assertEqual(code, 0, err)
        os.unlink(self.p("bundle.pem"))
        os.unlink(covered)
        missing = self.p("missing.ini")
        lib.write(missing, """\
            [role]
            type = edge
            fqdn = mail1.contoso.com
            accepted_domains = contoso.com, fabrikam.com
            """)
        code, _, err = self.run_import(self.c("leaf.pem"), "--key", self.c("leaf.key"),
                                       "--profile", missing, "-o", "bundle.pem")
        self.assertEqual(code, 1)
        self.assertIn("%s: error: role name 'fabrikam.com' (accepted domain, %s:4) is not covered "
                      "by the certificate\n" % (self.c("leaf.pem"), missing), err)
        # The hint names what covers an apex domain, never a wildcard over .com.
        self.assertIn("  hint: request a certificate whose SAN holds 'fabrikam.com' or "
                      "'*.fabrikam.com' (Domain Security takes either)", err)
        self.assertNotIn("*.com", err)
        os.unlink(missing)
        self.assert_unwritten()

    def check_pkcs12(self, path, password, name, key_path, chain):
        """The file opens with openssl, certtool and python3-cryptography, each
        seeing the key, the leaf, its chain and the friendly name."""
        info = lib.run([lib.OPENSSL, "pkcs12", "-info", "-in", path, "-passin",
                        "pass:" + password, "-noenc"], check=True)
        text = (info.stdout + info.stderr).decode("utf-8")
        self.assertIn("MAC: sha256", text)
        self.assertIn("AES-256-CBC", text)
        self.assertNotIn("3DES", text)
        self.assertIn("friendlyName: %s" % name, text)
        certtool = lib.run([CERTTOOL, "--p12-info", "--inder", "--infile", path, "--password",
                            password], check=True).stdout.decode("utf-8")
        self.assertIn("Friendly name: %s" % name, certtool)
        self.assertIn("MAC: SHA256", certtool)
        with open(path, "rb") as f:
            p12 = pkcs12.load_pkcs12(f.read(), password.encode("utf-8"))
        self.assertEqual(p12.cert.friendly_name, name.encode("utf-8"))
        self.assertEqual(util.fingerprint(p12.cert.certificate), util.fingerprint(chain[0]))
        self.assertEqual([util.fingerprint(c.certificate) for c in p12.additional_certs],
                         [util.fingerprint(c) for c in chain[1:]])
        with open(key_path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), None)
        der = serialization.Encoding.DER
        spki = serialization.PublicFormat.SubjectPublicKeyInfo
        self.assertEqual(p12.key.public_key().public_bytes(der, spki),
                         key.public_key().public_bytes(der, spki))
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)

    def test_pkcs12_for_windows(self):
        chain = [util.load_cert(self.c(n)) for n in ("leaf.pem", "inter.pem", "root.pem")]
        profile = self.p("edge.ini")
        lib.write(profile, """\
            [role]
            type = edge
            fqdn = mail1.contoso.com
            accepted_domains = contoso.com

            [output]
            friendly_name = Contoso Edge 2026; "mail1"
            """)
        env_pass = "p\u00e4ss word;#"
        with open(self.p("pass.txt"), "w", encoding="utf-8") as f:
            f.write("from a file\nsecond line\n")
        cases = [  # (passout, password, profile?, friendly name)
            ("pass:s3cret", "s3cret", True, 'Contoso Edge 2026; "mail1"'),
            ("env:PFX_PASS", env_pass, False, "mail1.contoso.com"),
            ("file:" + self.p("pass.txt"), "from a file", True, 'Contoso Edge 2026; "mail1"'),
            ("stdin", "typed", False, "mail1.contoso.com"),
            ("fd:0", "typed", False, "mail1.contoso.com"),
        ]
        for passout, password, with_profile, name in cases:
            with self.subTest(passout=passout):
                args = [lib.ROLECERT, "import", self.c("shuffled.p7b"), "--key",
                        self.c("leaf.key"), "--pkcs12", "out.pfx", "--passout", passout]
                if with_profile:
                    args += ["--profile", profile]
                proc = subprocess.run(args, cwd=self.tmp, input=b"typed\n",
                                      env=dict(os.environ, PFX_PASS=env_pass),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                err = proc.stderr.decode("utf-8")
                self.assertEqual(proc.returncode, 0, err)
                self.assertIn(": wrote out.pfx: the key, then 3 certificates, friendly name "
                              "'%s' (AES-256, SHA-256 MAC)\n" % name, err)
                self.check_pkcs12(self.p("out.pfx"), password, name, self.c("leaf.key"), chain)
                self.assertFalse(os.path.exists(self.p("bundle.pem")))
                os.unlink(self.p("out.pfx"))
        # Both outputs at once; a missing environment variable writes nothing.
        code, _, err = self.run_import(self.c("shuffled.pem"), "--key", self.c("leaf.key"),
                                       "-o", "bundle.pem", "--pkcs12", "both.pfx",
                                       "--passout", "pass:x")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(util.load_pem_certs(self.p("bundle.pem"))), 3)
        self.check_pkcs12(self.p("both.pfx"), "x", "mail1.contoso.com", self.c("leaf.key"), chain)
        code, _, err = self.run_import(self.c("shuffled.pem"), "--key", self.c("leaf.key"),
                                       "--pkcs12", "none.pfx", "--passout",
                                       "env:ROLECERT_NO_SUCH_VARIABLE")
        self.assertEqual(code, 2)
        self.assertIn("the environment variable ROLECERT_NO_SUCH_VARIABLE is not set", err)
        self.assertFalse(os.path.exists(self.p("none.pfx")))

    def test_self_signed_is_its_own_chain(self):
        lib.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-noenc", "-keyout", self.p("self.key"), "-out", self.p("self.crt"),
                    "-subj", "/CN=mail1.contoso.com", "-addext",
                    "subjectAltName=DNS:mail1.contoso.com", "-addext",
                    "keyUsage=critical,digitalSignature", "-addext",
                    "basicConstraints=CA:FALSE", "-days", "30")
        code, _, err = self.run_import(self.p("self.crt"), "--key", self.p("self.key"),
                                       "-o", "bundle.pem")
        self.assertEqual(code, 0, err)
        self.assertNotIn("issuer is not in the file", err)
        self.assertIn("is self-signed", err)

    def test_usage_errors(self):
        leaf, key = self.c("leaf.pem"), self.c("leaf.key")
        cases = [(), (leaf,), (leaf, "--key", key), (leaf, "-o", "b.pem"),
                 (leaf, "--key", key, "-o", "b.pem", "--services", "smtp,ftp"),
                 (leaf, "--key", key, "-o", "b.pem", "--services", "smtp,"),
                 (leaf, "--key", key, "-o", "b.pem", "--bogus"),
                 (leaf, "--key", key, "--pkcs12", "b.pfx"),
                 (leaf, "--key", key, "-o", "b.pem", "--passout", "pass:x"),
                 (leaf, "--key", key, "--pkcs12", "b.pfx", "--passout", "pass:x",
                  "--services", "smtp"),
                 (leaf, "--key", key, "-o", "b.pem", "--pkcs12", "b.pem", "--passout",
                  "pass:x")]
        for args in cases:
            with self.subTest(args=args):
                self.assertEqual(self.run_import(*args)[0], 2)
        code, _, err = self.run_import(leaf, "--key", key, "-o", key)
        self.assertEqual(code, 2)
        self.assertIn("is the key or the certificate file", err)
        code, _, err = self.run_import(leaf, "--key", leaf, "-o", "b.pem")
        self.assertEqual(code, 2)
        self.assertIn("unreadable key", err)
        self.assert_unwritten("b.pem")


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
