# SPDX-License-Identifier: Apache-2.0
"""Signs requests and certificates with python3-cryptography, the way an
ordinary Python program does, and prints one JSON line per attempt.

    OPENSSL_CONF=guard.cnf /usr/bin/python3 cryptography_signer.py [--batch]

Key types rsa, ec, ed25519, ed448, dsa; kinds csr (CertificateSigningRequestBuilder) and
certificate (CertificateBuilder, self-signed); names good and bad. A refusal
is reported with the OpenSSL reason strings of the errors cryptography
collected, so the caller can tell a name-policy refusal from a prehashed one.

--batch: as a program that prepares a batch does, hashes the to-be-signed
bytes of nine good requests (RSA) first, then signs the digests of the
first and the last, pre-hashed; one JSON line for each ("first", "last").
"""
import datetime
import json
import sys

from cryptography import x509
from cryptography.exceptions import InternalError
from cryptography.hazmat.bindings.openssl.binding import Binding
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa, utils
from cryptography.x509.oid import NameOID

KEY_TYPES = ("rsa", "ec", "dsa", "ed25519", "ed448")
NAMES = {
    "good": ["mail.contoso.com", "autodiscover.contoso.com"],
    "bad": ["mail.contoso.com", "bad_name.contoso.com"],
}


def new_key(key_type):
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048), hashes.SHA256()
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()
    if key_type == "dsa":
        return dsa.generate_private_key(key_size=2048), hashes.SHA256()
    if key_type == "ed448":
        return ed448.Ed448PrivateKey.generate(), None
    return ed25519.Ed25519PrivateKey.generate(), None


def reason_strings(error):
    """OpenSSL's reason string for every error cryptography attached."""
    binding = Binding()
    collected = []
    for arg in error.args:
        if isinstance(arg, list):
            collected.extend(arg)
    collected.extend(getattr(error, "err_code", []) or [])
    reasons = []
    for entry in collected:
        # 38 (Debian 12) gives the packed error code (its reason_text is the
        # whole error line); 43 (Debian 13) only the reason text.
        if not hasattr(entry, "code"):
            reasons.append(entry.reason_text.decode())
            continue
        text = binding.lib.ERR_reason_error_string(entry.code)
        reasons.append(binding.ffi.string(text).decode() if text != binding.ffi.NULL else str(entry.code))
    return reasons


def sign(kind, key, digest, names):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    san = x509.SubjectAlternativeName([x509.DNSName(n) for n in names])
    if kind == "csr":
        builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
        return builder.add_extension(san, critical=False).sign(key, digest)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(san, critical=False))
    return builder.sign(key, digest)


def refusal(error):
    """What a refused attempt's JSON line says besides its key, kind and names."""
    return {"outcome": "refused", "exception": type(error).__name__,
            "message": str(error).splitlines()[0] if str(error) else "",
            "reasons": reason_strings(error)}


def batch():
    """--batch (see the top)."""
    key, digest = new_key("rsa")
    tbs = [sign("csr", key, digest, ["host%d.contoso.com" % i]).tbs_certrequest_bytes
           for i in range(9)]
    digests = []
    for data in tbs:
        h = hashes.Hash(hashes.SHA256())
        h.update(data)
        digests.append(h.finalize())
    for label, i in (("first", 0), ("last", 8)):
        result = {"batch": label}
        try:
            signature = key.sign(digests[i], padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
            key.public_key().verify(signature, tbs[i], padding.PKCS1v15(), hashes.SHA256())
            result["outcome"] = "signed"
        except (ValueError, InternalError) as error:
            result.update(refusal(error))
        print(json.dumps(result), flush=True)
    return 0


def main():
    if sys.argv[1:] == ["--batch"]:
        return batch()
    for key_type in KEY_TYPES:
        key, digest = new_key(key_type)
        for kind in ("csr", "certificate"):
            for names_kind, names in NAMES.items():
                result = {"key": key_type, "kind": kind, "names": names_kind}
                try:
                    signed = sign(kind, key, digest, names)
                    result["outcome"] = "signed"
                    result["pem"] = signed.public_bytes(serialization.Encoding.PEM).decode()
                except (ValueError, InternalError) as error:
                    result.update(refusal(error))
                print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
