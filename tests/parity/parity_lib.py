# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the `rolecert check|list|match` tests.

Every certificate and request is made in the test by the stock `openssl` CLI:
a root CA, an intermediate, and leaves with the names of the Exchange guide's
Domain Security examples. Expected values are written from the specs, or read
with independent tools (`openssl x509 -fingerprint`, python3-cryptography).

Run a test file as: /usr/bin/python3 test_x.py ROLECERT_BINARY [unittest args]
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap

ROLECERT = None
OPENSSL = os.environ.get("ROLECERT_OPENSSL", "openssl")


def parse_args(extra=0):
    """Take ROLECERT_BINARY (and `extra` more paths) off argv; return the extras."""
    global ROLECERT
    if len(sys.argv) < 2 + extra:
        sys.exit("usage: %s ROLECERT_BINARY%s [unittest args]" % (sys.argv[0], " PATH" * extra))
    ROLECERT = os.path.abspath(sys.argv[1])
    extras = sys.argv[2:2 + extra]
    del sys.argv[1:2 + extra]
    return extras


def run(args, cwd=None, check=False, env=None):
    proc = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (args, proc.returncode,
                                                   proc.stderr.decode(errors="replace")))
    return proc


def rolecert(*args, cwd=None):
    """(exit code, stdout text, stderr text) of one rolecert run."""
    proc = run([ROLECERT] + list(args), cwd=cwd)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def rolecert_json(*args, cwd=None):
    code, out, err = rolecert(*args, cwd=cwd)
    return code, json.loads(out), err


def openssl(*args, cwd=None, env=None):
    return run([OPENSSL] + list(args), cwd=cwd, check=True, env=env).stdout


def sha1_thumbprint(path, der=False):
    """Exchange's thumbprint form of `openssl x509 -fingerprint -sha1`."""
    out = openssl("x509", "-in", path, "-inform", "DER" if der else "PEM", "-noout",
                  "-fingerprint", "-sha1").decode()
    return out.strip().split("=", 1)[1].replace(":", "").upper()


def openssl_subject(path):
    out = openssl("x509", "-in", path, "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb")
    return out.decode("utf-8").strip().split("=", 1)[1]


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(textwrap.dedent(text))


def cat(dest, *sources):
    with open(dest, "wb") as out:
        for src in sources:
            with open(src, "rb") as f:
                out.write(f.read())


def ext_config(path, sans, ca=False, pathlen=None):
    """An openssl extension section `ext` (and a [req]/[dn] for requests)."""
    lines = ["[ext]"]
    if ca:
        lines.append("basicConstraints = critical, CA:TRUE" +
                     (", pathlen:%d" % pathlen if pathlen is not None else ""))
        lines.append("keyUsage = critical, keyCertSign, cRLSign")
    else:
        lines.append("basicConstraints = CA:FALSE")
    if sans:
        lines.append("subjectAltName = @san")
        lines.append("[san]")
        for i, name in enumerate(sans):
            lines.append('DNS.%d = "%s"' % (i, name))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Pki:
    """A root, an intermediate and leaves, all made with the openssl CLI."""

    def __init__(self, workdir):
        self.dir = workdir

    def path(self, name):
        return os.path.join(self.dir, name)

    def key(self, name, spec="ec"):
        out = self.path(name + ".key")
        if spec == "ec":
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", out)
        else:
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:%d" % spec,
                    "-out", out)
        return out

    def root(self):
        key = self.key("root")
        ext = self.path("root.ext")
        ext_config(ext, [], ca=True)
        openssl("req", "-x509", "-new", "-key", key, "-subj", "/C=US/O=Woodgrove Test/CN=Test Root",
                "-days", "30", "-config", ext, "-extensions", "ext", "-out", self.path("root.pem"))
        return self.path("root.pem")

    def intermediate(self):
        key = self.key("inter")
        ext = self.path("inter.ext")
        ext_config(ext, [], ca=True, pathlen=0)
        openssl("req", "-new", "-key", key, "-subj", "/C=US/O=Woodgrove Test/CN=Test Intermediate",
                "-out", self.path("inter.csr"))
        openssl("x509", "-req", "-in", self.path("inter.csr"), "-CA", self.path("root.pem"),
                "-CAkey", self.path("root.key"), "-CAcreateserial", "-days", "20",
                "-extfile", ext, "-extensions", "ext", "-out", self.path("inter.pem"))
        return self.path("inter.pem")

    def request(self, name, subj, sans, keyspec="ec"):
        key = self.key(name, keyspec)
        ext = self.path(name + ".ext")
        ext_config(ext, sans)
        args = ["req", "-new", "-key", key, "-subj", subj, "-utf8", "-out", self.path(name + ".csr")]
        if sans:
            args += ["-config", ext, "-reqexts", "ext"]
        else:
            args += ["-config", "/dev/null"]
        openssl(*args)
        return self.path(name + ".csr")

    def leaf(self, name, subj, sans, keyspec="ec", days=10):
        self.request(name, subj, sans, keyspec)
        openssl("x509", "-req", "-in", self.path(name + ".csr"), "-CA", self.path("inter.pem"),
                "-CAkey", self.path("inter.key"), "-CAcreateserial", "-days", str(days),
                "-extfile", self.path(name + ".ext"), "-extensions", "ext",
                "-out", self.path(name + ".pem"))
        openssl("x509", "-in", self.path(name + ".pem"), "-outform", "DER",
                "-out", self.path(name + ".der"))
        return self.path(name + ".pem")


def standard_pki(workdir):
    """The fixture every parity test uses. Returns the Pki."""
    pki = Pki(workdir)
    pki.root()
    pki.intermediate()
    pki.leaf("wg", "/C=US/O=Woodgrove Bank/CN=mail1.woodgrovebank.com",
             ["mail1.woodgrovebank.com"], keyspec=2048)
    pki.leaf("wgus", "/C=US/O=Woodgrove Bank/CN=mail1.us.woodgrovebank.com",
             ["mail1.us.woodgrovebank.com"])
    pki.leaf("contoso", "/C=US/O=Contoso/CN=mail.contoso.com",
             ["*.contoso.com", "mail.contoso.com"])
    pki.leaf("bad", "/C=US/O=Contoso/CN=mail.contoso.com",
             ["mail.contoso.com", "bad_name.contoso.com", "owa1"])
    pki.request("badreq", "/C=UK/O=Contoso/CN=mail.contoso.com", ["mail.contoso.com", "*.com"])
    # A file with several certificates (leaf, intermediate, root), and the
    # same as PKCS #7 in PEM and DER (openssl crl2pkcs7 -nocrl).
    cat(pki.path("chain.pem"), pki.path("wg.pem"), pki.path("inter.pem"), pki.path("root.pem"))
    openssl("crl2pkcs7", "-nocrl", "-certfile", pki.path("chain.pem"), "-out", pki.path("chain.p7b"))
    openssl("crl2pkcs7", "-nocrl", "-certfile", pki.path("chain.pem"), "-outform", "DER",
            "-out", pki.path("chain-der.p7b"))
    return pki


class TempDirMixin:
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rolecert-parity-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
