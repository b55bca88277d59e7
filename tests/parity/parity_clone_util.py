# SPDX-License-Identifier: Apache-2.0
"""Helpers for the `rolecert clone` and `rolecert import` tests.

Certificates are made by the stock `openssl` CLI from config files (so any
UTF-8 value, quote, ';', '#' or backslash reaches the DER exactly) and read
back with python3-cryptography, an independent reader.
"""

import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtensionOID, NameOID

import parity_lib as lib

SHORT = {
    NameOID.COUNTRY_NAME: "C",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.LOCALITY_NAME: "L",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.COMMON_NAME: "CN",
}


def cnf_value(value):
    """openssl.cnf quoting that round-trips any string without NUL or
    control characters (shared/spec/openssl-facts.md)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_cnf(path, subject, sans, ca=False, raw_san_lines=None):
    """A config with [req] (prompt = no, UTF-8) and an `ext` section.
    subject: list of (ATTR, value) in DER order. sans: DNS names."""
    lines = ["[req]", "prompt = no", "utf8 = yes", "string_mask = utf8only",
             "distinguished_name = dn", "[dn]"]
    for i, (attr, value) in enumerate(subject):
        lines.append("%d.%s = %s" % (i, attr, cnf_value(value)))
    lines.append("[ext]")
    if ca:
        lines += ["basicConstraints = critical, CA:TRUE",
                  "keyUsage = critical, keyCertSign, cRLSign",
                  "subjectKeyIdentifier = hash"]
    else:
        lines.append("basicConstraints = CA:FALSE")
    lines.append("authorityKeyIdentifier = keyid")
    if sans or raw_san_lines:
        lines += ["subjectAltName = @san", "[san]"]
        for i, name in enumerate(sans):
            lines.append("DNS.%d = %s" % (i, cnf_value(name)))
        lines += raw_san_lines or []
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Ca:
    """Root and intermediate made with openssl; leaves issued by either."""

    def __init__(self, workdir, days=400):
        self.dir = workdir
        self.path = lambda name: os.path.join(self.dir, name)
        self.key("root")
        write_cnf(self.path("root.cnf"), [("O", "Parity Test"), ("CN", "Parity Root")], [], ca=True)
        lib.openssl("req", "-x509", "-new", "-key", self.path("root.key"), "-config",
                    self.path("root.cnf"), "-extensions", "ext", "-days", str(days),
                    "-out", self.path("root.pem"))
        self.issue("inter", [("O", "Parity Test"), ("CN", "Parity Intermediate")], [],
                   issuer="root", ca=True, days=days)

    def key(self, name, spec="ec"):
        out = self.path(name + ".key")
        if spec == "ec":
            args = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        elif spec == "p384":
            args = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]
        elif spec == "ed25519":
            args = ["-algorithm", "ED25519"]
        else:
            args = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:%d" % spec]
        lib.openssl("genpkey", *args, "-out", out)
        return out

    def issue(self, name, subject, sans, issuer="inter", ca=False, days=400, keyspec="ec",
              raw_san_lines=None):
        """Key, CSR and certificate NAME.pem (and NAME.der); returns the PEM path."""
        self.key(name, keyspec)
        cnf = self.path(name + ".cnf")
        write_cnf(cnf, subject, sans, ca=ca, raw_san_lines=raw_san_lines)
        lib.openssl("req", "-new", "-key", self.path(name + ".key"), "-config", cnf,
                    "-out", self.path(name + ".csr"))
        lib.openssl("x509", "-req", "-in", self.path(name + ".csr"), "-CA",
                    self.path(issuer + ".pem"), "-CAkey", self.path(issuer + ".key"),
                    "-CAcreateserial", "-days", str(days), "-extfile", cnf, "-extensions", "ext",
                    "-out", self.path(name + ".pem"))
        lib.openssl("x509", "-in", self.path(name + ".pem"), "-outform", "DER",
                    "-out", self.path(name + ".der"))
        return self.path(name + ".pem")


def load_cert(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"-----"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def load_pem_certs(path):
    """Every certificate of a PEM bundle, in file order."""
    with open(path, "rb") as f:
        data = f.read()
    marker = b"-----END CERTIFICATE-----"
    blocks = [b + marker + b"\n" for b in data.split(marker) if b"-----BEGIN" in b]
    return [x509.load_pem_x509_certificate(b) for b in blocks]


def load_csr(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_csr(f.read())


def subject_of(obj):
    """[(SHORT, value)] in DER order."""
    return [(SHORT.get(a.oid, a.oid.dotted_string), a.value) for a in obj.subject]


def dns_of(obj):
    try:
        ext = obj.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    except x509.ExtensionNotFound:
        return []
    return ext.value.get_values_for_type(x509.DNSName)


def fingerprint(cert):
    return cert.fingerprint(hashes.SHA256())


def public_der(obj):
    return obj.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def sha1_hex(cert):
    return cert.fingerprint(hashes.SHA1()).hex().upper()
