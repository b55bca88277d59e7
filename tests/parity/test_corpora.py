# SPDX-License-Identifier: Apache-2.0
"""Real-world corpora through `rolecert check` and `rolecert list`.

Every certificate of Debian's ca-certificates and every file of
python3-cryptography-vectors' x509 folder: no crash, no sanitizer report, an
exit code of 0, 1 or 2, and every file either listed or reported unreadable
by name. `valgrind` mode runs a fixed sample of ~20 files under valgrind
(for builds without sanitizers).
"""

import glob
import os
import re
import shutil
import sys
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import hashes

import parity_lib as lib

MOZILLA = "/usr/share/ca-certificates/mozilla"
VECTORS = "/usr/lib/python3/dist-packages/cryptography_vectors/x509"
# Certificates, requests and PKCS #7 bundles; CRLs, PKCS #12 and mail are
# other formats (some .pem hold keys or CRLs: they must come back unreadable).
VECTOR_SUFFIXES = (".pem", ".der", ".crt", ".cer", ".p7b", ".p7c", ".csr")
BATCH = 150
SANITIZER_EXIT = 86
UNREADABLE_RE = re.compile(r"^(.*): error: unreadable: (.+)$")


def sanitizer_env():
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "exitcode=%d:detect_leaks=1" % SANITIZER_EXIT
    env["UBSAN_OPTIONS"] = "exitcode=%d:print_stacktrace=1" % SANITIZER_EXIT
    return env


def mozilla_files():
    return sorted(glob.glob(os.path.join(MOZILLA, "*.crt")))


def vector_files():
    files = []
    for root, _, names in os.walk(VECTORS):
        files += [os.path.join(root, n) for n in names if n.lower().endswith(VECTOR_SUFFIXES)]
    return sorted(files)


def batches(files):
    for i in range(0, len(files), BATCH):
        yield files[i:i + BATCH]


class CorporaTest(unittest.TestCase):
    def run_batch(self, command, files):
        proc = lib.run([lib.ROLECERT, command] + files, env=sanitizer_env())
        err = proc.stderr.decode("utf-8", errors="replace")
        out = proc.stdout.decode("utf-8", errors="replace")
        self.assertIn(proc.returncode, (0, 1, 2), "%s crashed (%d) on a batch starting %s:\n%s"
                      % (command, proc.returncode, files[0], err[-3000:]))
        self.assertNotIn("Sanitizer", err)
        unreadable = {}
        for line in err.splitlines():
            m = UNREADABLE_RE.match(line)
            self.assertTrue(m, "unexpected stderr line: %r" % line)
            unreadable[m.group(1)] = m.group(2)
        if unreadable:
            self.assertEqual(proc.returncode, 2)
        return proc.returncode, out, unreadable

    def test_mozilla_check_and_list(self):
        files = mozilla_files()
        if not files:
            self.skipTest("ca-certificates not installed")
        self.assertGreater(len(files), 100)
        for batch in batches(files):
            code, out, unreadable = self.run_batch("check", batch)
            self.assertEqual(unreadable, {})
            # Every one is a CA certificate, and CA:TRUE exempts no name: each
            # gets a verdict, with no san-missing (a CA is not a TLS server).
            self.assertEqual(out.count(": fail (") + out.count(": pass ("), len(batch), out)
            self.assertNotIn("skipped", out)
            self.assertNotIn("[san-missing]", out)
            code, out, unreadable = self.run_batch("list", batch)
            self.assertEqual(unreadable, {})
            proc = lib.run([lib.ROLECERT, "list", "--json"] + batch, env=sanitizer_env())
            items = lib.json.loads(proc.stdout)["items"]
            self.assertEqual([i["file"] for i in items], batch)
            for item in items:
                with open(item["file"], "rb") as f:
                    cert = x509.load_pem_x509_certificate(f.read())
                self.assertEqual(item["thumbprint"], cert.fingerprint(hashes.SHA1()).hex().upper())
        # --check-ca is what check always does now: the same verdicts.
        for batch in batches(files):
            code, out, unreadable = self.run_batch("check", ["--check-ca"] + batch)
            self.assertEqual(unreadable, {})
            self.assertEqual(out.count(": fail (") + out.count(": pass ("), len(batch))

    def test_vectors_check_and_list(self):
        files = vector_files()
        if not files:
            self.skipTest("python3-cryptography-vectors not installed")
        seen_items = 0
        seen_unreadable = 0
        for batch in batches(files):
            for command in ("check", "list"):
                code, out, unreadable = self.run_batch(command, batch)
                self.assertTrue(set(unreadable) <= set(batch))
                if command == "list":
                    seen_unreadable += len(unreadable)
                    seen_items += sum(1 for l in out.splitlines() if l.startswith("    file: "))
                    listed = {re.sub(r"\[#\d+\]$", "", l[len("    file: "):])
                              for l in out.splitlines() if l.startswith("    file: ")}
                    # Every file is accounted for: listed or unreadable.
                    self.assertEqual(listed | set(unreadable), set(batch))
                else:
                    check_unreadable = unreadable
            self.assertEqual(set(check_unreadable), set(unreadable))
        print("vectors: %d files, %d items listed, %d unreadable"
              % (len(files), seen_items, seen_unreadable), file=sys.stderr)
        self.assertGreater(seen_items, 300)


def valgrind_sample():
    files = mozilla_files()[::40][:8]
    vectors = vector_files()
    if vectors:
        wanted = ["cryptography.io.chain.pem", "badasn1time.pem", "bigoid.pem",
                  "cryptography-scts.pem", "ecdsa_root.pem", "letsencryptx3.pem",
                  "wildcard_san.pem", "utf8_common_name.pem"]
        files += [f for f in vectors if os.path.basename(f) in wanted]
        files += vectors[::max(1, len(vectors) // 5)][:5]
    return files


class ValgrindTest(unittest.TestCase):
    def test_sample_under_valgrind(self):
        valgrind = shutil.which("valgrind")
        if valgrind is None:
            self.skipTest("valgrind not installed")
        files = valgrind_sample()
        self.assertGreaterEqual(len(files), 15)
        for args in (["check", "--check-ca"], ["check", "--json"], ["list"], ["list", "--json"]):
            proc = lib.run([valgrind, "--error-exitcode=%d" % SANITIZER_EXIT, "--leak-check=full",
                            "--errors-for-leak-kinds=definite,indirect", "--quiet",
                            lib.ROLECERT] + args + files)
            self.assertIn(proc.returncode, (0, 1, 2), proc.stderr.decode(errors="replace")[-4000:])
        proc = lib.run([valgrind, "--error-exitcode=%d" % SANITIZER_EXIT, "--leak-check=full",
                        "--errors-for-leak-kinds=definite,indirect", "--quiet", lib.ROLECERT,
                        "match", files[0], "contoso.com", "com"])
        self.assertIn(proc.returncode, (0, 1, 2), proc.stderr.decode(errors="replace")[-4000:])


if __name__ == "__main__":
    lib.parse_args()
    unittest.main()
