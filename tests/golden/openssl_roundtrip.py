#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the openssl command rolecert prints for some golden profiles and
reads the result back with python3-cryptography: the subject (in DER order,
with its string types) and the SAN must be exactly what the profile says,
so the encoder's values survive OpenSSL's NCONF parser byte for byte."""
import os
import shutil
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.x509.oid import ExtensionOID

ROLECERT, CASES = sys.argv[1], sys.argv[2]

# name -> (subject as (short name, value) in DER order, SAN DNS names, SAN critical)
EXPECTED = {
    "escaped_comma": (
        [("C", "US"), ("O", "Contoso, Inc."), ("OU", "Sales, East"),
         ("OU", '$ENV::HOME #1 "q" \\ x'), ("CN", "mail1.contoso.com")],
        ["mail1.contoso.com", "contoso.com"], False),
    "unicode_self_signed": (
        [("C", "ES"), ("O", "Diversi\u00f3n de Bicicleta"),
         ("CN", "mail1.diversiondebicicleta.com")],
        ["mail1.diversiondebicicleta.com", "diversiondebicicleta.com"], False),
    "policy_override": (
        [("O", "Contoso; Research"), ("CN", "lab1.contoso.com"), ("CN", "lab2.contoso.com")],
        ["lab1.contoso.com", "lab2.contoso.com", "lab.contoso.com"], False),
    "empty_subject": (
        [],
        ["exchange-edge-transport-server-01.messaging.northamerica.contoso.com"], True),
    "extra_attribute": (
        [("O", "Contoso Corp"), ("title", "Mail Admin"), ("CN", "mail1.contoso.com")],
        ["mail1.contoso.com", "contoso.com"], False),
    "country_reorder": (
        [("C", "US"), ("ST", "Washington"), ("L", "Redmond"), ("O", "contoso corp"),
         ("OU", "Messaging"), ("CN", "mail1.contoso.com")],
        ["mail1.contoso.com", "contoso.com"], False),
    "prefix": (
        [("C", "GB"), ("L", "London"), ("O", "Contoso Ltd"), ("CN", "mail2.contoso.com")],
        ["mail2.contoso.com", "contoso.com"], False),
}
SHORT = {"countryName": "C", "stateOrProvinceName": "ST", "localityName": "L",
         "organizationName": "O", "organizationalUnitName": "OU", "commonName": "CN",
         "domainComponent": "DC", "title": "title"}


def check(name, workdir):
    shutil.copy(os.path.join(CASES, name + ".ini"), workdir)
    args = []
    args_file = os.path.join(CASES, name + ".args")
    if os.path.exists(args_file):
        with open(args_file) as f:
            args = f.read().splitlines()
    run = subprocess.run([ROLECERT, "conf", name + ".ini", "-o", name + ".cnf"] + args,
                         cwd=workdir, capture_output=True, text=True)
    if run.returncode != 0:
        return f"rolecert exit {run.returncode}: {run.stderr}"
    command = run.stdout.strip()
    made = subprocess.run(command, shell=True, cwd=workdir, capture_output=True, text=True)
    if made.returncode != 0:
        return f"'{command}' failed: {made.stderr}"
    if " -x509 " in command:
        with open(os.path.join(workdir, name + ".crt"), "rb") as f:
            obj = x509.load_pem_x509_certificate(f.read())
    else:
        with open(os.path.join(workdir, name + ".req"), "rb") as f:
            obj = x509.load_pem_x509_csr(f.read())
    subject = []
    for rdn in obj.subject.rdns:
        if len(rdn) != 1:
            return f"multi-valued RDN {rdn}"
        (attr,) = list(rdn)
        subject.append((SHORT.get(attr.oid._name, attr.oid.dotted_string), attr.value))
    san = obj.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    dns = san.value.get_values_for_type(x509.DNSName)
    want_subject, want_dns, want_critical = EXPECTED[name]
    problems = []
    if subject != want_subject:
        problems.append(f"subject {subject!r} != {want_subject!r}")
    if dns != want_dns:
        problems.append(f"SAN {dns!r} != {want_dns!r}")
    if san.critical != want_critical:
        problems.append(f"SAN critical {san.critical} != {want_critical}")
    return "; ".join(problems)


failures = 0
for case in sorted(EXPECTED):
    with tempfile.TemporaryDirectory() as work:
        problem = check(case, work)
    print(f"{'FAIL' if problem else 'ok'}: {case}{': ' + problem if problem else ''}")
    failures += bool(problem)
sys.exit(1 if failures else 0)
