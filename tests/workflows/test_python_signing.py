# SPDX-License-Identifier: Apache-2.0
"""python3-cryptography under OPENSSL_CONF with rolecert.so active,
prehashed = allow, check and refuse (and audit mode, alone and with check),
RSA / EC / DSA / Ed25519 / Ed448 keys, CSRs and certificates, good and bad
names; and a batch hashed before it is signed. What each key type's
path shows the provider decides the outcome, and the path depends on
cryptography's version (38 on Debian 12, 43 on Debian 13):

  rsa            EVP_PKEY_sign on a digest: allow -> signed unchecked,
                 check -> the hashed TBS is checked: bad names refused
                 (the reason string names rule and name), good ones signed,
                 refuse -> refused ("signing a precomputed digest is refused";
                 43 drops OpenSSL's errors there and raises only "Unable to
                 sign/verify with this key")
  ec, dsa        38: ECDSA_sign / DSA_sign, the pre-3.0 API: never reach a
                 provider; signed in every mode, bad names included.
                 43: EVP_PKEY_sign on a digest, as RSA
  ed25519, ed448 EVP_DigestSign on the whole to-be-signed DER: checked; a bad
                 name is refused ("certificate name policy violation")

    test_python_signing.py MODULE_DIR      (run with /usr/bin/python3)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import cryptography
from cryptography import x509

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.join(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "."), "rolecert.so")
OPENSSL = os.environ.get("ROLECERT_OPENSSL", "openssl")
NAMES = {
    "good": ["mail.contoso.com", "autodiscover.contoso.com"],
    "bad": ["mail.contoso.com", "bad_name.contoso.com"],
}
NAME_POLICY = ["certificate name policy violation"]
# A pre-hashed signature refused under prehashed = check: the finding is in
# OpenSSL's reason string itself, the one text these programs show.
FINDING = ["certificate name policy violation: error[dns-syntax] DNS name 'bad_name.contoso.com': "
           "character '_' not allowed (only A-Z a-z 0-9 '-' in dot-separated labels) (%s)"]
KIND_NAMES = {"csr": "certificate request", "certificate": "certificate"}
PREHASHED = ["signing a precomputed digest is refused"]
CRYPTOGRAPHY_MAJOR = int(cryptography.__version__.split(".")[0])
# From 43 on, EC and DSA sign through EVP_PKEY_sign (38 used the legacy API),
# and an RSA refusal at EVP_PKEY_sign_init or EVP_PKEY_sign loses OpenSSL's
# reason.
PREHASHED_KEYS = ("rsa", "ec", "dsa") if CRYPTOGRAPHY_MAJOR >= 43 else ("rsa",)
# What 43 says instead, at EVP_PKEY_sign_init (refuse) and EVP_PKEY_sign (check).
RSA_REFUSED_MESSAGE = {
    "refuse": "Unable to sign/verify with this key",
    "check": "Digest or salt length too long for key size. Use a larger key or shorter salt "
             "length if you are specifying a PSS salt",
}
EVP_SIGN_FAILED = "provider signature failure"


def guard_block(*extra):
    return "\n".join([
        "openssl_conf = openssl_init",
        "[openssl_init]", "providers = provider_sect", "alg_section = algorithm_sect",
        "[provider_sect]", "default = default_sect", "rolecert = rolecert_sect",
        "[default_sect]", "activate = 1",
        "[algorithm_sect]", "default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no",
        "[rolecert_sect]", "module = " + MODULE, "activate = 1", *extra]) + "\n"


def expected(mode, key, names):
    """(outcome, reasons) for one attempt; kind (csr/certificate) never matters."""
    if mode == "check_audit":
        return ("signed", None)
    if key in PREHASHED_KEYS:
        if mode == "check" and names == "bad":
            return ("refused", [] if key == "rsa" and CRYPTOGRAPHY_MAJOR >= 43 else FINDING)
        if mode != "refuse":
            return ("signed", None)
        return ("refused", [] if key == "rsa" and CRYPTOGRAPHY_MAJOR >= 43 else PREHASHED)
    if key in ("ec", "dsa"):  # 38: the legacy API, no provider sees it
        return ("signed", None)
    if names == "bad" and mode != "audit":
        return ("refused", NAME_POLICY)
    return ("signed", None)


class PythonCryptographySigning(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="rolecert-wf-py-")
        cls.report = os.path.join(cls.tmp.name, "audit.log")
        cls.check_audit_report = os.path.join(cls.tmp.name, "check-audit.log")
        cls.batch_report = os.path.join(cls.tmp.name, "batch-audit.log")
        configs = {
            "allow": guard_block(),
            "refuse": guard_block("prehashed = refuse"),
            "check": guard_block("prehashed = check"),
            "audit": guard_block("mode = audit", "report = " + cls.report),
            "check_audit": guard_block("prehashed = check", "mode = audit",
                                       "report = " + cls.check_audit_report),
        }
        cls.results = {mode: cls.run_signer(mode, text) for mode, text in configs.items()}
        cls.batch = {
            "check": cls.run_signer("batch", configs["check"], "--batch"),
            "check_audit": cls.run_signer("batch-audit", guard_block(
                "prehashed = check", "mode = audit", "report = " + cls.batch_report), "--batch"),
        }

    @classmethod
    def run_signer(cls, name, config, *args):
        path = os.path.join(cls.tmp.name, name + ".cnf")
        with open(path, "w") as f:
            f.write(config)
        env = dict(os.environ, OPENSSL_CONF=path)
        env.pop("OPENSSL_MODULES", None)
        proc = subprocess.run([sys.executable, os.path.join(HERE, "cryptography_signer.py"), *args],
                              env=env, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise AssertionError("signer (%s) failed: %s" % (name, proc.stderr))
        return [json.loads(line) for line in proc.stdout.splitlines()]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check_mode(self, mode):
        rows = self.results[mode]
        self.assertEqual(len(rows), 20, rows)
        for row in rows:
            with self.subTest(mode=mode, key=row["key"], kind=row["kind"], names=row["names"]):
                outcome, reasons = expected(mode, row["key"], row["names"])
                self.assertEqual(row["outcome"], outcome, row)
                if outcome == "refused":
                    # OpenSSL 3.5's EVP_PKEY_sign adds its own error after
                    # a provider's refusal.
                    got = sorted(set(row["reasons"]) - {EVP_SIGN_FAILED})
                    if reasons is FINDING:
                        reasons = [FINDING[0] % KIND_NAMES[row["kind"]]]
                        if CRYPTOGRAPHY_MAJOR < 43:  # 38 puts the reason into the message
                            self.assertIn("error[dns-syntax] DNS name 'bad_name.contoso.com'",
                                          row["message"])
                    self.assertEqual(got, reasons, row)
                    if not reasons:
                        self.assertEqual(row["message"], RSA_REFUSED_MESSAGE[mode], row)
                else:
                    self.check_signed(row)

    def check_signed(self, row):
        """What was signed carries exactly the names asked for and verifies."""
        pem = row["pem"].encode()
        path = os.path.join(self.tmp.name, "signed.pem")
        with open(path, "wb") as f:
            f.write(pem)
        env = {k: v for k, v in os.environ.items() if k not in ("OPENSSL_CONF", "OPENSSL_MODULES")}
        if row["kind"] == "csr":
            item = x509.load_pem_x509_csr(pem)
            self.assertTrue(item.is_signature_valid)
            command = [OPENSSL, "req", "-verify", "-noout", "-in", path]
        else:
            item = x509.load_pem_x509_certificate(pem)
            command = [OPENSSL, "verify", "-CAfile", path, path]
        san = item.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertEqual(san.get_values_for_type(x509.DNSName), NAMES[row["names"]])
        proc = subprocess.run(command, env=env, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_prehashed_allow(self):
        self.check_mode("allow")

    def test_prehashed_check(self):
        self.check_mode("check")

    def test_prehashed_refuse(self):
        self.check_mode("refuse")

    def test_audit_report_shows_what_the_provider_saw(self):
        """In audit mode everything signs; the report names exactly the bad
        names the provider could see: the Ed25519 and Ed448 requests and
        certificates (signed in that order), nothing for RSA, EC or DSA."""
        self.check_mode("audit")
        with open(self.report) as f:
            lines = f.read().splitlines()
        prefix = ("rolecert: error[dns-syntax] DNS name 'bad_name.contoso.com': character '_' "
                  "not allowed")
        self.assertEqual(len(lines), 4, lines)
        self.assertTrue(all(line.startswith(prefix) for line in lines), lines)
        for i, kind in enumerate(["certificate request", "certificate"] * 2):
            self.assertTrue(lines[i].endswith("(%s; audit mode: signed anyway)" % kind), lines)

    def test_prehashed_check_audit(self):
        """prehashed = check in audit mode: everything signs, and the report
        names the bad name of each request and certificate the provider
        checked, the pre-hashed ones included, in the order they were signed."""
        self.check_mode("check_audit")
        with open(self.check_audit_report) as f:
            lines = f.read().splitlines()
        checked = [k for k in ("rsa", "ec", "dsa", "ed25519", "ed448")
                   if k in PREHASHED_KEYS or k.startswith("ed")]
        kinds = ["certificate request", "certificate"] * len(checked)
        self.assertEqual(len(lines), len(kinds), lines)
        prefix = ("rolecert: error[dns-syntax] DNS name 'bad_name.contoso.com': character '_' "
                  "not allowed")
        for line, kind in zip(lines, kinds):
            self.assertTrue(line.startswith(prefix), lines)
            self.assertTrue(line.endswith("(%s; audit mode: signed anyway)" % kind), lines)

    def test_batch_hashed_before_signing(self):
        """Nine requests hashed before the first is signed: the first is no
        longer remembered, so its pre-hashed signature cannot be checked and
        is refused; the last is checked and signed."""
        first, last = self.batch["check"]
        self.assertEqual(first["outcome"], "refused", first)
        if CRYPTOGRAPHY_MAJOR >= 43:
            self.assertEqual(first["message"], RSA_REFUSED_MESSAGE["check"], first)
        else:
            self.assertEqual(sorted(set(first["reasons"]) - {EVP_SIGN_FAILED}),
                             ["too many names to check"], first)
        self.assertEqual(last, {"batch": "last", "outcome": "signed"})

    def test_batch_in_audit_mode(self):
        """The same in audit mode: both sign (each verified against its
        request), and the report says which could not be checked."""
        self.assertEqual(self.batch["check_audit"], [{"batch": "first", "outcome": "signed"},
                                                     {"batch": "last", "outcome": "signed"}])
        with open(self.batch_report) as f:
            self.assertEqual(f.read(), (
                "rolecert: this thread hashed more than 8 requests or certificates before "
                "signing this one, so it was no longer remembered and cannot be checked "
                "(prehashed = check) (audit mode: signed anyway)\n"))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
