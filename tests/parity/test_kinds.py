# SPDX-License-Identifier: Apache-2.0
"""What each kind of request and certificate is checked for.

name-policy.md, "Which rules apply to which certificate": what a name IS is
checked on everything (CA:TRUE never exempts a name); san-missing and
multiple-cn only on TLS servers; a missing SAN in a request is a warning.
Every (kind, names) pair is made by stock `openssl req` (-new and -x509)
under the provider in audit mode, and read back by `rolecert check`: both
must give exactly the findings of the table below.

Run as: test_kinds.py ROLECERT_BINARY PROVIDER_MODULE [unittest args]
"""

import os
import unittest

import parity_lib as lib
import test_agreement as agreement

# The extensions that make each kind, as openssl.cnf lines.
KINDS = {
    "server": ["extendedKeyUsage = serverAuth"],
    "plain": [],  # no extendedKeyUsage, not a CA: a TLS server
    "client": ["extendedKeyUsage = clientAuth"],
    "ca": ["basicConstraints = critical, CA:TRUE", "keyUsage = keyCertSign, cRLSign"],
    "ca-server": ["basicConstraints = critical, CA:TRUE", "extendedKeyUsage = serverAuth"],
    "ocsp": ["extendedKeyUsage = OCSPSigning"],
    "tsa": ["extendedKeyUsage = critical, timeStamping"],
}
TLS_SERVERS = {"server", "plain", "ca-server"}

# name case -> (subject lines, SAN names)
NAMES = {
    "good": (["C = US", "O = Contoso", "CN = mail.contoso.com"], ["mail.contoso.com"]),
    "no-san": (["C = US", "O = Contoso", "CN = Contoso Service"], []),
    "two-cn": (["C = US", "0.CN = a.contoso.com", "1.CN = b.contoso.com"],
               ["a.contoso.com", "b.contoso.com"]),
    "bad-san": (["C = US", "CN = Contoso Service"], ["bad_name.contoso.com"]),
    "lookalike-cn": (["C = US", "CN = mail1. DiversiondeBicicleta.com"],
                     ["mail1.diversiondebicicleta.com"]),
    "wildcard-psl": (["C = US", "CN = Contoso Service"], ["*.co.uk"]),
}


def expected(kind, case, request):
    """The findings (severity, rule) the table above must give."""
    server = kind in TLS_SERVERS
    return {
        "good": [],
        "no-san": [("warning" if request else "error", "san-missing")] if server else [],
        "two-cn": [("warning", "multiple-cn")] if server else [],
        "bad-san": [("error", "dns-syntax")],
        "lookalike-cn": [("error", "cn-invalid-dns")],
        "wildcard-psl": [("error", "dns-wildcard")],
    }[case]


def kind_block(subject, sans, extensions):
    lines = ["[req]", "prompt = no", "utf8 = yes", "string_mask = utf8only",
             "default_md = sha256", "distinguished_name = req_dn",
             "req_extensions = req_ext", "x509_extensions = req_ext", "[req_dn]"]
    lines += ["%d.%s" % (i, s) if not s[0].isdigit() else s for i, s in enumerate(subject)]
    lines += ["[req_ext]", "subjectKeyIdentifier = hash"] + extensions
    if sans:
        lines += ["subjectAltName = @req_san", "[req_san]"]
        lines += ['DNS.%d = "%s"' % (i, n) for i, n in enumerate(sans)]
    return "\n".join(lines) + "\n"


class KindsTest(lib.TempDirMixin, unittest.TestCase):
    def sign(self, kind, case, request, mode="audit"):
        subject, sans = NAMES[case]
        work = self.tmp
        cnf = os.path.join(work, "%s-%s-%s.cnf" % (kind, case, mode))
        with open(cnf, "w", encoding="utf-8") as f:
            f.write(agreement.guard_block(work, mode) + kind_block(subject, sans, KINDS[kind]))
        key = os.path.join(work, "key.pem")
        if not os.path.exists(key):
            lib.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-out", key)
        out = os.path.join(work, "%s-%s.%s" % (kind, case, "csr" if request else "crt"))
        report = os.path.join(work, "report.log")
        if os.path.exists(report):
            os.unlink(report)
        env = dict(os.environ)
        env.pop("OPENSSL_CONF", None)
        if os.environ.get("ROLECERT_PROVIDER_PRELOAD"):
            env["LD_PRELOAD"] = os.environ["ROLECERT_PROVIDER_PRELOAD"]
            env["ASAN_OPTIONS"] = "detect_leaks=0:verify_asan_link_order=0"
        args = [lib.OPENSSL, "req", "-new", "-config", cnf, "-key", key, "-out", out]
        if not request:
            args[2:2] = ["-x509", "-days", "1"]
        proc = lib.run(args, env=env)
        text = ""
        if os.path.exists(report):
            with open(report, encoding="utf-8") as f:
                text = f.read()
        return proc, out, text

    def test_matrix(self):
        checked = 0
        for kind in KINDS:
            for case in NAMES:
                for request in (True, False):
                    with self.subTest(kind=kind, case=case, request=request):
                        proc, out, report = self.sign(kind, case, request)
                        self.assertEqual(proc.returncode, 0, proc.stderr)
                        provider = [(f[0], f[1]) for f in agreement.provider_findings(report)]
                        code, doc, err = lib.rolecert_json("check", "--json", out)
                        self.assertIn(code, (0, 1), err)
                        item = doc["files"][0]["items"][0]
                        check = [(f["severity"], f["rule"]) for f in item["findings"]]
                        want = expected(kind, case, request)
                        self.assertEqual(provider, want)
                        self.assertEqual(check, want)
                        self.assertEqual(code, 1 if any(s == "error" for s, _ in want) else 0)
                        checked += 1
        self.assertEqual(checked, len(KINDS) * len(NAMES) * 2)

    def test_enforce_refuses_bad_names_of_every_kind(self):
        # CA:TRUE never exempts a name: a CA request and a self-signed CA
        # certificate with a bad SAN are refused, naming the rule.
        for kind in ("ca", "client", "ocsp", "tsa"):
            for request in (True, False):
                with self.subTest(kind=kind, request=request):
                    proc, out, _ = self.sign(kind, "bad-san", request, mode="enforce")
                    self.assertEqual(proc.returncode, 1)
                    self.assertIn(b"error[dns-syntax] DNS name 'bad_name.contoso.com'",
                                  proc.stderr)
                    proc, out, _ = self.sign(kind, "no-san", request, mode="enforce")
                    self.assertEqual(proc.returncode, 0, proc.stderr)


if __name__ == "__main__":
    agreement.MODULE = os.path.abspath(lib.parse_args(extra=1)[0])
    unittest.main()
