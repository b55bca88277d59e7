# SPDX-License-Identifier: Apache-2.0
"""`rolecert list`: thumbprints, subjects, names, validity and keys."""

import datetime
import shutil
import tempfile
import unittest

from cryptography import x509

import parity_lib as lib


class ListTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="rolecert-list-")
        cls.pki = lib.standard_pki(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def items(self, *args):
        code, doc, err = lib.rolecert_json("list", "--json", *args, cwd=self.work)
        self.assertEqual(code, 0, err)
        return doc["items"]

    def expected(self, name):
        """What an independent reader says about the certificate."""
        path = self.pki.path(name + ".pem")
        with open(path, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            dns = san.value.get_values_for_type(x509.DNSName)
        except x509.ExtensionNotFound:
            dns = []
        iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"thumbprint": lib.sha1_thumbprint(path), "subject": lib.openssl_subject(path),
                "dns": dns, "not_before": iso(cert.not_valid_before),
                "not_after": iso(cert.not_valid_after), "key_bits": cert.public_key().key_size}

    def test_every_format_same_facts(self):
        for name, files in (("wg", ["wg.pem", "wg.der"]), ("contoso", ["contoso.pem"])):
            want = self.expected(name)
            for f in files:
                [item] = self.items(f)
                got = {k: item[k] for k in want}
                self.assertEqual(got, want, f)
                self.assertEqual(item["kind"], "certificate")
        [wg] = self.items("wg.pem")
        self.assertEqual((wg["key_type"], wg["key_bits"]), ("RSA", 2048))
        [c] = self.items("contoso.pem")
        self.assertEqual((c["key_type"], c["key_bits"]), ("EC", 256))

    def test_chain_pem_and_p7b(self):
        want = [self.expected(n)["thumbprint"] for n in ("wg", "inter", "root")]
        for f in ("chain.pem", "chain.p7b", "chain-der.p7b"):
            items = self.items(f)
            self.assertEqual([i["thumbprint"] for i in items], want, f)
            self.assertEqual([i["position"] for i in items], [1, 2, 3])

    def test_thumbprint_filter(self):
        thumb = self.expected("inter")["thumbprint"]
        for arg in (thumb, thumb.lower(), ":".join(thumb[i:i + 2] for i in range(0, 40, 2)),
                    " ".join(thumb[i:i + 4] for i in range(0, 40, 4))):
            items = self.items("chain.pem", "wg.pem", "--thumbprint", arg)
            self.assertEqual([(i["file"], i["position"]) for i in items], [("chain.pem", 2)])
        code, _, _ = lib.rolecert("list", "chain.pem", "--thumbprint", "12:34", cwd=self.work)
        self.assertEqual(code, 2)

    def test_domain_filter(self):
        files = ["wg.pem", "wgus.pem", "contoso.pem", "chain.pem", "badreq.csr"]
        got = [(i["file"], i["position"]) for i in self.items(*files, "--domain",
                                                                "woodgrovebank.com")]
        self.assertEqual(got, [("wg.pem", 1), ("chain.pem", 1)])
        got = [i["file"] for i in self.items(*files, "--domain", "contoso.com")]
        self.assertEqual(got, ["contoso.pem", "badreq.csr"])
        self.assertEqual(self.items(*files, "--domain", "fabrikam.com"), [])

    def test_requests_are_listed_without_thumbprint(self):
        [req] = self.items("badreq.csr")
        self.assertEqual(req["kind"], "request")
        self.assertIsNone(req["thumbprint"])
        self.assertIsNone(req["not_after"])
        self.assertEqual(req["dns"], ["mail.contoso.com", "*.com"])
        self.assertEqual(req["subject"], "CN=mail.contoso.com,O=Contoso,C=UK")

    def test_table(self):
        code, out, _ = lib.rolecert("list", "wg.pem", "badreq.csr", cwd=self.work)
        self.assertEqual(code, 0)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("Thumbprint"))
        want = self.expected("wg")
        self.assertTrue(lines[1].startswith(want["thumbprint"] + "  " + want["not_before"]))
        self.assertTrue(lines[1].endswith("RSA-2048    CN=mail1.woodgrovebank.com,O=Woodgrove Bank,C=US"))
        self.assertEqual(lines[2:4], ["    file: wg.pem", "    dns:  mail1.woodgrovebank.com"])
        self.assertTrue(lines[4].startswith("(request)"))

    def test_utf8_subject_intact(self):
        path = self.pki.path("utf8.pem")
        lib.openssl("req", "-x509", "-new", "-key", self.pki.path("root.key"), "-utf8",
                    "-subj", "/O=Diversión de Bicicleta/CN=mail.contoso.com", "-config", "/dev/null",
                    "-out", path)
        [item] = self.items(path)
        self.assertEqual(item["subject"], "CN=mail.contoso.com,O=Diversión de Bicicleta")
        self.assertEqual(item["subject"], lib.openssl_subject(path))


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
