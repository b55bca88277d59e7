#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates the seed corpora in corpus/ from the tests and examples.

    /usr/bin/python3 tests/fuzz/make-seeds.py [GENERATOR...]

GENERATOR is one of the functions named in GENERATORS (all by default).

Seeds are named seed-*; inputs that once broke a target are kept as
regress-* and never regenerated. Needs Debian's python3-cryptography and
the openssl CLI (for PKCS #7)."""
import datetime
import glob
import hashlib
import os
import random
import re
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def put(target, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def clear(target):
    for path in glob.glob(os.path.join(CORPUS, target, "seed-*")):
        os.unlink(path)


def profiles():
    clear("profile")
    clear("subject")
    sources = sorted(glob.glob(os.path.join(ROOT, "tests/golden/*.ini")) +
                     glob.glob(os.path.join(ROOT, "examples/*.ini")))
    for path in sources:
        data = open(path, "rb").read()
        # Option byte: plain, --enforce, and one other prefix.
        put("profile", b"\x00" + data)
        put("profile", b"\x03" + data)
        for m in re.finditer(rb"^name\s*=\s*(.*)$", data, re.M):
            put("subject", b"\x00" + m.group(1))
    for text in [b'C=US, O="a, b", CN=x.contoso.com', b"CN=a+OU=b", b'O="unbalanced',
                 b"O=\\u{3B}", b"=x", b"CN=", b", , ,", b"2.5.4.3=mail.contoso.com"]:
        put("subject", b"\x00" + text)
        put("subject", b"\x01" + text)
    # Attribute records for fuzz_subject's differential oracle (attribute,
    # string type, new-RDN bit, length, bytes): the benchmark's subject, and
    # plain values at the limits, with a space or a control byte at an end.
    def record(attr, string_type, value, new_rdn=1):
        return bytes([attr, string_type, new_rdn, len(value)]) + value
    C, DC, O, CN = 0, 1, 4, 6
    UTF8, PRINTABLE, IA5, T61 = 0, 1, 2, 5
    for records in [
            [(C, PRINTABLE, b"US"), (O, UTF8, b"Contoso"), (CN, UTF8, b"mail.contoso.com")],
            [(DC, IA5, b"d" * 200), (DC, IA5, b"e" * 56), (C, PRINTABLE, b"us")],
            [(CN, UTF8, b"a" * 64), (CN, UTF8, b"b" * 65), (O, T61, b"Caf\xe9 ")],
            [(O, UTF8, b"Con  toso\x7f"), (O, PRINTABLE, b"a@b", 0), (C, UTF8, b"UK")]]:
        put("subject", b"\x00" + b"".join(record(*r) for r in records))


def dns():
    clear("dns")
    pairs = [
        (b"mail.contoso.com", b"contoso.com"), (b"*.contoso.com", b"contoso.com"),
        (b"mail1.contoso.com", b"*.contoso.com"), (b"xn--bcher-kva.example", b"example"),
        ("bücher.example".encode(), b"example"), (b"bad_name.contoso.com", b"contoso.com"),
        (b"owa1", b"owa1"), (b"*.com", b"com"), (b"a." * 60 + b"com", b"com"),
        (b"MAIL.Contoso.COM.", b"mail.contoso.com"), (b"-a-.b", b""), (b"\x00.com", b".com"),
        ("раураl.com".encode(), b"com"), (b"x" * 64 + b".com", b"com"),
        # A CN equal to a SAN entry but for case; names over 8, 16 and 32
        # characters for the shape pre-screen's word and block scans.
        (b"autodiscover.contoso.com", b"contoso.com\nAUTODISCOVER.contoso.com"),
        (b"ex1.home.lan", b"EX1.home.LAN\nex1.home.lan"),
        (b"xn--mcrosoft-thh.com", b"contoso.com\nXN--mcrosoft-thh.com"),
        (b"abcdefgh.ijklmnop.qrstuvwx.yz-0123.example", b"example"),
    ]
    for a, b in pairs:
        put("dns", bytes([len(a)]) + a + b)


def names():
    yield x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso Corp"),
                     x509.NameAttribute(NameOID.COMMON_NAME, "mail.contoso.com")])
    yield x509.Name([])
    yield x509.Name([x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "com"),
                     x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "contoso"),
                     x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Mail"),
                     x509.NameAttribute(NameOID.COMMON_NAME, "*.contoso.com")])
    yield x509.Name([x509.RelativeDistinguishedName([
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "IT"),
        x509.NameAttribute(NameOID.TITLE, "Server")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, "Diversión")])])
    yield x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bad_name.contoso.com"),
                     x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA"),
                     x509.NameAttribute(NameOID.LOCALITY_NAME, "Redmond")])


def sans():
    yield [x509.DNSName("mail.contoso.com"), x509.DNSName("contoso.com")]
    yield [x509.DNSName("mail.contoso.com"), x509.RFC822Name("a@contoso.com"),
           x509.UniformResourceIdentifier("https://contoso.com/"),
           x509.IPAddress(__import__("ipaddress").ip_address("192.0.2.1")),
           x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")])),
           x509.RegisteredID(x509.ObjectIdentifier("1.2.3.4")),
           x509.OtherName(x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), b"\x0c\x03a@b")]
    yield None


def tbs_and_items():
    clear("tbs")
    clear("cert_reader")
    keys = [ec.generate_private_key(ec.SECP256R1()), ed25519.Ed25519PrivateKey.generate(),
            rsa.generate_private_key(public_exponent=65537, key_size=2048)]
    now = datetime.datetime(2024, 1, 1)
    pems = []
    for i, (name, san) in enumerate((n, s) for n in names() for s in sans()):
        key = keys[i % len(keys)]
        digest = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
        builder = x509.CertificateSigningRequestBuilder().subject_name(name)
        if san is not None:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=i % 2 == 0)
        csr = builder.sign(key, digest)
        put("tbs", csr.tbs_certrequest_bytes)
        cert_builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                        .public_key(key.public_key()).serial_number(i + 1)
                        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30)))
        if san is not None:
            cert_builder = cert_builder.add_extension(x509.SubjectAlternativeName(san), False)
        if i % 3 == 0:
            cert_builder = cert_builder.add_extension(x509.BasicConstraints(ca=i % 2 == 0, path_length=None), True)
        cert = cert_builder.sign(key, digest)
        put("tbs", cert.tbs_certificate_bytes)
        if i < 6:
            put("cert_reader", cert.public_bytes(serialization.Encoding.DER))
            put("cert_reader", csr.public_bytes(serialization.Encoding.DER))
            put("cert_reader", csr.public_bytes(serialization.Encoding.PEM))
            pems.append(cert.public_bytes(serialization.Encoding.PEM))
    # Things that must pass through: a CRL's TBS.
    crl = (x509.CertificateRevocationListBuilder().issuer_name(next(names()))
           .last_update(now).next_update(now + datetime.timedelta(days=1))
           .sign(keys[0], hashes.SHA256()))
    put("tbs", crl.tbs_certlist_bytes)
    put("cert_reader", b"".join(pems[:3]))
    put("cert_reader", b"junk before\n" + pems[0] + b"\njunk after\n")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "bundle.pem")
        with open(bundle, "wb") as f:
            f.write(b"".join(pems[:2]))
        for form in ("PEM", "DER"):
            p7 = subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", bundle,
                                 "-outform", form], check=True, capture_output=True).stdout
            put("cert_reader", p7)


def der(tag, content):
    """One DER TLV (low tag numbers only)."""
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + content


def crmf():
    """CRMF CertRequests (RFC 4211) and CMP ProtectedParts (RFC 4210) with
    an ir, cr or kur body, as `openssl cmp` signs them. Run after
    tbs_and_items, which clears the tbs seeds."""
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    spki_contents = spki[2 + (spki[1] & 0x7F if spki[1] & 0x80 else 0):]
    san_oid = der(0x06, bytes([0x55, 0x1D, 0x11]))
    header = der(0x30, der(0x02, b"\x02") + der(0xA4, der(0x30, b"")) + der(0xA4, der(0x30, b"")))
    for i, (name, san) in enumerate(zip(names(), sans())):
        fields = der(0xA5, name.public_bytes())
        fields += der(0xA6, spki_contents)
        if san is not None:
            value = x509.SubjectAlternativeName(san).public_bytes()
            critical = der(0x01, b"\xff") if i % 2 == 0 else b""
            fields += der(0xA9, der(0x30, san_oid + critical + der(0x04, value)))
        request = der(0x30, der(0x02, bytes([i % 3])) + der(0x30, fields))
        put("tbs", request)
        body = [0xA0, 0xA2, 0xA7][i % 3]
        put("tbs", der(0x30, header + der(body, der(0x30, der(0x30, request)))))


def tbs_memory():
    """Operation sequences for fuzz_tbs_memory.c (its comment has the
    format) over a pool of real TBSs: good and bad requests and
    certificates, one cut short (malformed) and a CRL's (not a TBS); each
    in enforce and in audit mode."""
    clear("tbs_memory")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime(2024, 1, 1)
    pool = []
    for dns_name in ["mail.contoso.com", "bad_name.contoso.com"]:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns_name)])
        san = x509.SubjectAlternativeName([x509.DNSName(dns_name)])
        csr = (x509.CertificateSigningRequestBuilder().subject_name(name)
               .add_extension(san, critical=False).sign(key, hashes.SHA256()))
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(7).not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(san, critical=False).sign(key, hashes.SHA256()))
        pool += [csr.tbs_certrequest_bytes, cert.tbs_certificate_bytes]
    pool.append(pool[2][:len(pool[2]) // 2])
    crl = (x509.CertificateRevocationListBuilder().issuer_name(next(names()))
           .last_update(now).next_update(now + datetime.timedelta(days=1))
           .sign(key, hashes.SHA256()))
    pool.append(crl.tbs_certlist_bytes)
    good_csr, good_cert, bad_csr, bad_cert, cut, not_tbs = range(6)
    lengths = {20: 0, 32: 1, 48: 2, 64: 3, 0: 14, 65: 15}

    def d(number, length=32):
        return bytes([lengths[length] * 16 + number])

    def remember(digest, tbs, thread=0):
        return bytes([thread * 8]) + digest + bytes([tbs * 4])

    def check(digest, thread=0):
        return bytes([4 + thread * 8]) + digest

    end_other_thread = b"\x0f"

    head = bytes([len(pool)]) + b"".join(len(t).to_bytes(2, "big") + t for t in pool)
    many = [d(n, length) for length in (20, 32) for n in range(16)]
    scenarios = [
        # good and bad interleaved, each checked once, then once more
        remember(d(0), good_csr) + remember(d(1), bad_csr) + remember(d(2), good_cert) +
        remember(d(3), bad_cert) + check(d(1)) + check(d(0)) + check(d(3)) + check(d(2)) +
        check(d(1)),
        # 9 hashed: the first is pushed out and refused, once
        b"".join(remember(many[i], bad_csr if i % 2 else good_cert) for i in range(9)) +
        check(many[0]) + check(many[0]) + check(many[8]) + check(many[1]),
        # 17 hashed: the first is no longer even noted
        b"".join(remember(many[i], bad_cert) for i in range(17)) + check(many[0]) +
        check(many[16]),
        # too large
        b"\x00" + d(5) + b"\x02" + check(d(5)) + check(d(5)),
        # a digest of another length or last byte matches nothing
        remember(d(0, 20), bad_csr) + check(d(0, 32)) + check(d(1, 20)) + check(d(0, 20)),
        remember(d(4, 64), bad_cert) + check(d(4, 48)) + check(d(4, 64)),
        # hashed again: the newest bytes count
        remember(d(0), bad_csr) + remember(d(0), good_csr) + check(d(0)) + check(d(0)),
        # the thread forgets
        remember(d(0), bad_csr) + b"\x07" + check(d(0)),
        # lost: the next unmatched signature is refused
        remember(d(3, 0), good_csr) + check(d(9)) + check(d(9)),
        remember(d(3, 65), bad_csr) + remember(d(2), bad_csr) + check(d(2)) + check(d(3, 0)),
        # malformed, not a TBS, and bytes of the input's own
        remember(d(6), cut) + remember(d(7), not_tbs) + check(d(7)) + check(d(6)),
        b"\x00" + d(8) + b"\x03" + len(pool[bad_csr]).to_bytes(2, "big") + pool[bad_csr] +
        check(d(8)),
    ]
    # what one thread remembered answers none of the other's signatures
    scenarios.append(remember(d(1), bad_csr, 1) + check(d(1)) + check(d(1), 1) +
                     remember(d(2), bad_cert) + remember(d(3), bad_csr, 1) + check(d(2), 1) +
                     end_other_thread + check(d(3), 1) + check(d(2)) +
                     remember(d(3, 0), good_csr, 1) + check(d(4)) + check(d(4), 1))
    # The same digest (many[8]) pushed out twice, its notes the 8th and 9th
    # of the last 8 pushed out: one refused signature uses up the older
    # note, so after 7 more are pushed out the newer one still refuses.
    twice = b"".join(remember(many[i], good_csr) for i in range(1, 17))
    twice += b"".join(check(many[i]) for i in range(9, 17))
    twice += remember(many[8], bad_csr)
    twice += b"".join(remember(many[i], good_csr) for i in range(17, 25))
    twice += check(many[8]) + b"".join(remember(many[i], good_csr) for i in range(25, 32))
    scenarios.append(twice + check(many[8]))
    rng = random.Random(13)
    for _ in range(6):
        ops = b""
        for _ in range(rng.randrange(10, 60)):
            kind = rng.random()
            digest = d(rng.randrange(16), rng.choice([20, 32, 48, 64]))
            thread = rng.randrange(2)
            if kind < 0.5:
                ops += remember(digest, rng.randrange(len(pool)), thread)
            elif kind < 0.95:
                ops += check(digest, thread)
            else:
                ops += bytes([7 + 8 * thread])
        scenarios.append(ops)
    # Each in enforce mode, and in audit mode (the top bit of the pool
    # count), where everything signs.
    for ops in scenarios:
        put("tbs_memory", head + ops)
        put("tbs_memory", bytes([0x80 | head[0]]) + head[1:] + ops)


GENERATORS = {"profiles": profiles, "dns": dns, "tbs_and_items": tbs_and_items,
              "crmf": crmf,  # after tbs_and_items, which clears the tbs seeds
              "tbs_memory": tbs_memory}

if __name__ == "__main__":
    for generator in sys.argv[1:] or GENERATORS:
        GENERATORS[generator]()
    for target in sorted(os.listdir(CORPUS)):
        print(target, len(os.listdir(os.path.join(CORPUS, target))))
