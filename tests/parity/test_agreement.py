# SPDX-License-Identifier: Apache-2.0
"""`rolecert check` and the provider give the same names the same verdicts.

The provider (audit mode, report to a file) watches stock `openssl req` sign
requests and self-signed certificates with bad names; `rolecert check` then
reads the very files that were signed. Both must report the same findings:
same rule ids, severities and messages, in the same order. Enforce mode must
refuse exactly the items `check` fails.

Run as: test_agreement.py ROLECERT_BINARY PROVIDER_MODULE [unittest args]
"""

import os
import re
import unittest

import parity_lib as lib

MODULE = None
REPORT_RE = re.compile(r"^rolecert: (error|warning|notice)\[([a-z0-9-]+)\] (.*); hint: (.*) "
                       r"\((certificate request|certificate)(; audit mode: signed anyway)?\)$")

# (subject lines, SAN names, key) for each case; each exercises other rules.
CASES = [
    (["C = US", "O = Contoso", "CN = mail.contoso.com"],
     ["mail.contoso.com", "bad_name.contoso.com", "owa1"], "ec"),
    (["C = US", "O = Contoso", "CN = mail.contoso.com"],
     ["*.com", "mail.contoso.com", "MAIL.contoso.com", "server.local"], "ec"),
    (["C = UK", "O = Contoso", "CN = other.contoso.com"], ["mail.contoso.com"], "ec"),
    (["C = US", "CN = mail.m\u00efcrosoft.com"], ["mail.microsoft.com"], "ec"),
    (["C = US", "O = Contoso", "CN = mail.contoso.com"], ["b\u00fccher.example", "a..b.com"], "ec"),
    (["DC = contoso", "C = US", "CN = mail.contoso.com"], [], "ec"),
    (["C = US", 'O = " Contoso"', "CN = mail.contoso.com"], ["mail.contoso.com"], "rsa:1024"),
    (["C = US", "O = Contoso", "CN = mail.contoso.com"], ["mail.contoso.com"], "ec"),
]


def guard_block(work, mode):
    return "\n".join([
        "openssl_conf = openssl_init",
        "[openssl_init]", "providers = provider_sect", "alg_section = algorithm_sect",
        "[provider_sect]", "default = default_sect", "rolecert = rolecert_sect",
        "[default_sect]", "activate = 1",
        "[algorithm_sect]", "default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no",
        "[rolecert_sect]", "module = %s" % MODULE, "activate = 1", "mode = %s" % mode,
        "report = %s" % os.path.join(work, "report.log"), ""])


def req_block(subject, sans):
    lines = ["[req]", "prompt = no", "utf8 = yes", "string_mask = utf8only",
             "default_md = sha256", "distinguished_name = req_dn"]
    if sans:
        lines += ["req_extensions = req_ext", "x509_extensions = req_ext"]
    else:
        lines += ["x509_extensions = req_none"]
    lines += ["[req_dn]"] + ["%d.%s" % (i, s) for i, s in enumerate(subject)]
    lines += ["[req_none]", "subjectKeyIdentifier = hash"]
    if sans:
        lines += ["[req_ext]", "subjectAltName = @req_san", "[req_san]"]
        lines += ['DNS.%d = "%s"' % (i, n) for i, n in enumerate(sans)]
    return "\n".join(lines) + "\n"


def provider_findings(report):
    findings = []
    for line in report.splitlines():
        m = REPORT_RE.match(line)
        if m is None:
            raise AssertionError("unexpected report line: %r" % line)
        findings.append((m.group(1), m.group(2), m.group(3), m.group(4)))
    return findings


class AgreementTest(lib.TempDirMixin, unittest.TestCase):
    def make(self, case_no, mode, x509):
        subject, sans, key = CASES[case_no]
        work = self.tmp
        cnf = os.path.join(work, "case%d-%s.cnf" % (case_no, mode))
        with open(cnf, "w", encoding="utf-8") as f:
            f.write(guard_block(work, mode) + req_block(subject, sans))
        keyfile = os.path.join(work, "case%d.key" % case_no)
        if not os.path.exists(keyfile):
            spec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"] if key == "ec" \
                else ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]
            lib.openssl("genpkey", *spec, "-out", keyfile)
        out = os.path.join(work, "case%d-%s.%s" % (case_no, mode, "crt" if x509 else "csr"))
        report = os.path.join(work, "report.log")
        if os.path.exists(report):
            os.unlink(report)
        env = dict(os.environ)
        env.pop("OPENSSL_CONF", None)
        env.pop("OPENSSL_MODULES", None)
        # A sanitized module inside the unsanitized openssl binary needs the
        # sanitizer runtimes preloaded (CMake passes them for such builds).
        if os.environ.get("ROLECERT_PROVIDER_PRELOAD"):
            env["LD_PRELOAD"] = os.environ["ROLECERT_PROVIDER_PRELOAD"]
            env["ASAN_OPTIONS"] = "detect_leaks=0:verify_asan_link_order=0"
        args = [lib.OPENSSL, "req", "-new", "-config", cnf, "-key", keyfile, "-out", out]
        if x509:
            args[2:2] = ["-x509", "-days", "1"]
        proc = lib.run(args, env=env)
        text = ""
        if os.path.exists(report):
            with open(report, encoding="utf-8") as f:
                text = f.read()
        return proc, out, text

    def check_findings(self, path):
        code, doc, err = lib.rolecert_json("check", "--json", path)
        self.assertIn(code, (0, 1), err)
        item = doc["files"][0]["items"][0]
        return code, [(f["severity"], f["rule"], f["message"], f["hint"]) for f in item["findings"]]

    def test_same_findings_audit_mode(self):
        rules_seen = set()
        for case_no in range(len(CASES)):
            for x509 in (False, True):
                with self.subTest(case=case_no, x509=x509):
                    proc, out, report = self.make(case_no, "audit", x509)
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    want = provider_findings(report)
                    code, got = self.check_findings(out)
                    self.assertEqual(got, want)
                    self.assertEqual(code, 1 if any(f[0] == "error" for f in want) else 0)
                    rules_seen |= {f[1] for f in want}
        # The cases reach far into the rule table.
        for rule in ("dns-syntax", "dns-internal", "dns-wildcard", "dns-duplicate",
                     "country-code", "cn-not-in-san", "cn-homoglyph", "dns-idn", "san-missing",
                     "dc-with-c", "rdn-whitespace", "key-weak"):
            self.assertIn(rule, rules_seen)

    def test_enforce_refuses_what_check_fails(self):
        for case_no in range(len(CASES)):
            with self.subTest(case=case_no):
                audit_proc, audit_out, _ = self.make(case_no, "audit", False)
                check_code, _ = self.check_findings(audit_out)
                proc, _, _ = self.make(case_no, "enforce", False)
                self.assertEqual(proc.returncode, check_code,
                                 proc.stderr.decode(errors="replace"))
                if check_code == 1:
                    self.assertIn(b"certificate name policy violation", proc.stderr)


if __name__ == "__main__":
    MODULE = os.path.abspath(lib.parse_args(extra=1)[0])
    unittest.main()
