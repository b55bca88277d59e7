# SPDX-License-Identifier: Apache-2.0
"""Sign a CSR with a bad SAN the way python3-cryptography (38, 43) does (hash
first, then EVP_PKEY_sign on the digest). Prints "signed" or the error."""
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
builder = (
    x509.CertificateSigningRequestBuilder()
    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.contoso.com")]))
    .add_extension(x509.SubjectAlternativeName([x509.DNSName("bad_name.contoso.com")]), critical=False)
)
try:
    builder.sign(key, hashes.SHA256())
    print("signed")
except ValueError as e:
    print("refused:", e)
