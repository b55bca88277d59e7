# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the end-to-end tests.

Every test drives the real `rolecert` binary and the stock `openssl` CLI, and
reads the results back with independent readers (python3-cryptography, GnuTLS
certtool). Nothing here knows what rolecert is supposed to produce: expected
values live in the tests, written from the specs.

Run a test file as: /usr/bin/python3 test_x.py ROLECERT_BINARY SOURCE_DIR
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

ROLECERT = None
SOURCE_DIR = None
OPENSSL = os.environ.get("ROLECERT_OPENSSL", "openssl")
CERTTOOL = os.environ.get("ROLECERT_CERTTOOL", "certtool")

# Attribute OIDs as python3-cryptography reports them (dotted strings, so the
# comparison does not depend on the library's short names).
OID = {
    "C": NameOID.COUNTRY_NAME.dotted_string,           # 2.5.4.6
    "DC": NameOID.DOMAIN_COMPONENT.dotted_string,      # 0.9.2342.19200300.100.1.25
    "ST": NameOID.STATE_OR_PROVINCE_NAME.dotted_string,  # 2.5.4.8
    "L": NameOID.LOCALITY_NAME.dotted_string,          # 2.5.4.7
    "O": NameOID.ORGANIZATION_NAME.dotted_string,      # 2.5.4.10
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME.dotted_string,  # 2.5.4.11
    "CN": NameOID.COMMON_NAME.dotted_string,           # 2.5.4.3
}
SHORT_NAME = {oid: name for name, oid in OID.items()}

# The ASN.1 string type `openssl req` must use with string_mask = utf8only:
# countryName is fixed to PrintableString and domainComponent to IA5String by
# OpenSSL's string table; everything else is UTF8String.
EXPECTED_STRING_TYPE = {"C": "PrintableString", "DC": "IA5String"}
DEFAULT_STRING_TYPE = "UTF8String"

FINDING_RE = re.compile(r"\b(error|warning|notice)\[([a-z0-9-]+)\]")


def parse_args():
    """Take ROLECERT_BINARY SOURCE_DIR off argv, leave the rest to unittest."""
    global ROLECERT, SOURCE_DIR
    if len(sys.argv) < 3:
        sys.exit("usage: %s ROLECERT_BINARY SOURCE_DIR [unittest args]" % sys.argv[0])
    ROLECERT = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    del sys.argv[1:3]
    if not os.access(ROLECERT, os.X_OK):
        sys.exit("rolecert binary not executable: %s" % ROLECERT)


def main():
    parse_args()
    unittest.main(verbosity=2)


def tool_env(home):
    """A clean environment: no inherited OpenSSL config or provider, a HOME
    that a wrongly expanded $ENV::HOME would reveal."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OPENSSL_") and k not in ("SSL_CERT_FILE",)}
    env["HOME"] = home
    env["LC_ALL"] = "C.UTF-8"
    return env


class Result:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout_bytes = proc.stdout
        self.stderr_bytes = proc.stderr
        self.stdout = proc.stdout.decode("utf-8", "replace")
        self.stderr = proc.stderr.decode("utf-8", "replace")

    def findings(self):
        """[(severity, rule id)] in the order rolecert reported them."""
        return [m.groups() for m in FINDING_RE.finditer(self.stderr)]

    def printed_commands(self):
        text = self.stdout if self.stdout.strip() else self.stderr
        return [line.strip() for line in text.splitlines()
                if line.strip().startswith("openssl req ")]

    def __repr__(self):
        return "exit %d\n--- stdout\n%s--- stderr\n%s" % (
            self.returncode, self.stdout, self.stderr)


class E2ETestCase(unittest.TestCase):
    """A fresh temporary directory per test, removed afterwards."""

    maxDiff = None

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rolecert-e2e-")
        self.home = os.path.join(self.dir, "home-sentinel")
        os.mkdir(self.home)
        self.env = tool_env(self.home)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def run_tool(self, argv, cwd=None, check=True, input_bytes=None):
        proc = subprocess.run(argv, cwd=cwd or self.dir, env=self.env,
                              input=input_bytes, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)
        result = Result(proc)
        if check and proc.returncode != 0:
            self.fail("%s failed: %r" % (" ".join(argv), result))
        return result

    def write_profile(self, name, text):
        path = self.path(name)
        with open(path, "wb") as f:
            # surrogateescape lets a test write invalid UTF-8 bytes ("\udcff").
            f.write(text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text)
        return path

    def conf(self, profile, out=None, extra=()):
        """rolecert conf PROFILE [-o OUT]; never raises on a non-zero exit."""
        argv = [ROLECERT, "conf", profile]
        if out is not None:
            argv += ["-o", out]
        argv += list(extra)
        return self.run_tool(argv, check=False)

    def conf_ok(self, profile, out):
        result = self.conf(profile, out)
        self.assertEqual(result.returncode, 0, repr(result))
        self.assertTrue(os.path.isfile(self.path(out)), repr(result))
        return result

    def assert_refused(self, result, out, rule, exit_code=1):
        """An error finding with this rule id, the exit code, no output file."""
        self.assertEqual(result.returncode, exit_code, repr(result))
        self.assertIn(("error", rule), result.findings(), repr(result))
        self.assertFalse(os.path.exists(self.path(out)),
                         "output file left behind on exit %d" % result.returncode)

    def make_key(self, name, kind):
        """kind: rsa:BITS, ec:CURVE, ed25519."""
        path = self.path(name)
        if kind.startswith("rsa:"):
            opts = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + kind[4:]]
        elif kind.startswith("ec:"):
            opts = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + kind[3:]]
        elif kind == "ed25519":
            opts = ["-algorithm", "ED25519"]
        else:
            raise ValueError(kind)
        self.run_tool([OPENSSL, "genpkey"] + opts + ["-out", path])
        return path

    def req_new(self, cnf, key, out, section=None, check=True):
        argv = [OPENSSL, "req", "-new", "-config", cnf, "-key", key, "-out", out]
        if section:
            argv += ["-section", section]
        return self.run_tool(argv, check=check)

    def req_x509(self, cnf, key, out, days=365, section=None, check=True):
        argv = [OPENSSL, "req", "-x509", "-new", "-config", cnf, "-days", str(days),
                "-key", key, "-out", out]
        if section:
            argv += ["-section", section]
        return self.run_tool(argv, check=check)


# --------------------------------------------------------------------------
# Readers


def load_csr(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_csr(f.read())


def load_cert(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def name_entries(name):
    """An x509.Name as [(OID dotted, value, ASN.1 type name)] in DER order,
    and whether any RDN was multi-valued."""
    entries = []
    multivalued = False
    for rdn in name.rdns:
        attrs = list(rdn)
        if len(attrs) != 1:
            multivalued = True
        for attr in attrs:
            entries.append((attr.oid.dotted_string, attr.value, attr._type.name))
    return entries, multivalued


def expected_entries(subject):
    """[(ATTR, value)] from a test -> [(OID dotted, value, ASN.1 type name)]."""
    return [(OID[a], v, EXPECTED_STRING_TYPE.get(a, DEFAULT_STRING_TYPE))
            for a, v in subject]


def san_of(obj):
    """(DNS names in order, critical) of a CSR or certificate; (None, None)
    without a SAN extension. Any non-DNS general name is returned as repr."""
    try:
        ext = obj.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return None, None
    names = []
    for gn in ext.value:
        names.append(gn.value if isinstance(gn, x509.DNSName) else repr(gn))
    return names, ext.critical


def load_private_key(path):
    with open(path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    return key


# GnuTLS certtool prints the DN as an RFC 4514 string, last RDN first.
RFC4514_SPECIAL = set(' "#+,;<=>\\')


def split_rfc4514(dn):
    """'CN=a\\,b,O=x' -> [[('CN','a,b')], [('O','x')]] in the printed order."""
    rdns, attrs = [], []
    key, buf = None, bytearray()
    i, raw = 0, dn.encode("utf-8")
    while i < len(raw):
        ch = raw[i:i + 1]
        if ch == b"\\":
            nxt = raw[i + 1:i + 2]
            hexpair = raw[i + 1:i + 3]
            if nxt and nxt.decode("latin-1") in RFC4514_SPECIAL:
                buf += nxt
                i += 2
                continue
            if re.fullmatch(rb"[0-9A-Fa-f]{2}", hexpair):
                buf.append(int(hexpair, 16))
                i += 3
                continue
            buf += nxt
            i += 2
            continue
        if ch == b"=" and key is None:
            key, buf = buf.decode("utf-8"), bytearray()
        elif ch in (b",", b"+"):
            attrs.append((key, buf.decode("utf-8")))
            key, buf = None, bytearray()
            if ch == b",":
                rdns.append(attrs)
                attrs = []
        else:
            buf += ch
        i += 1
    if key is not None:
        attrs.append((key, buf.decode("utf-8")))
        rdns.append(attrs)
    return rdns


def certtool_info(test, path, kind):
    """Subject [(ATTR, value)] in DER order and SAN DNS names, as GnuTLS
    certtool (--crq-info or --certificate-info) prints them."""
    flag = "--crq-info" if kind == "csr" else "--certificate-info"
    result = test.run_tool([CERTTOOL, flag, "--infile", path])
    subject = None
    dns = []
    for line in result.stdout.splitlines():
        stripped = line.strip()
        if stripped.startswith("Subject:") and subject is None:
            printed = split_rfc4514(stripped[len("Subject:"):].strip())
            subject = [attr for rdn in reversed(printed) for attr in rdn]
        elif stripped.startswith("DNSname:"):
            dns.append(stripped[len("DNSname:"):].strip())
    if kind == "csr":
        test.assertIn("Self signature: verified", result.stdout)
    return subject, dns, result.stdout


# --------------------------------------------------------------------------
# Writing profiles


def ini_quote(value, escape_non_ascii=False):
    """A profile value in double quotes (profile-format.md): `\\` and `"` are
    escaped; `;` and `#` are data, written as they are."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif escape_non_ascii and ord(ch) > 0x7E:
            out.append("\\u{%X}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def shell_command_argv(command):
    return shlex.split(command)
