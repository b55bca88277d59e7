#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Ansible's community.crypto.x509_certificate, provider: ownca, with an RSA
# CA key, under prehashed = check: the module hashes the TBSCertificate and
# signs the digest through python3-cryptography, so only the remembered TBS
# lets rolecert check it. A good request issues a certificate that verifies;
# a bad one fails the play with the rule id and the name, and leaves no
# certificate. The CA and the requests are made with stock openssl (no
# rolecert): only the issuing is under test.
#   ansible_ownca_test.sh MODULE_DIR        (exit 77: no ansible-playbook)
set -euo pipefail

MODULE=$(readlink -f "$1")/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
if ! command -v ansible-playbook >/dev/null; then
    echo "skipped: ansible-playbook not installed (Debian package ansible)"
    exit 77
fi
SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=workflow_lib.sh
. "$SCRIPT_DIR/workflow_lib.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES

$OPENSSL req -x509 -newkey rsa:2048 -nodes -keyout ca.key -subj "/CN=Contoso Test CA" \
    -days 30 -out ca.crt 2>/dev/null
newkey host.key ec
for kind in good bad; do
    case $kind in
    good) san="DNS:mail.contoso.com,DNS:autodiscover.contoso.com" ;;
    bad) san="DNS:mail.contoso.com,DNS:bad_name.contoso.com" ;;
    esac
    $OPENSSL req -new -key host.key -subj /CN=mail.contoso.com -addext "subjectAltName=$san" \
        -out $kind.csr
done
guard_block "prehashed = check" >check.cnf
cat >issue.yml <<'EOY'
- hosts: localhost
  gather_facts: false
  tasks:
    - name: issue from our own CA
      community.crypto.x509_certificate:
        path: "{{ work }}/{{ kind }}.crt"
        csr_path: "{{ work }}/{{ kind }}.csr"
        provider: ownca
        ownca_path: "{{ work }}/ca.crt"
        ownca_privatekey_path: "{{ work }}/ca.key"
        ownca_digest: sha256
        ownca_not_after: +30d
        select_crypto_backend: cryptography
EOY

issue() { # good|bad; output in $1.log
    OPENSSL_CONF=$WORK/check.cnf ANSIBLE_LOCAL_TEMP=$WORK/tmp ANSIBLE_REMOTE_TEMP=$WORK/tmp \
        ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
        ansible-playbook -c local -i localhost, issue.yml -e "work=$WORK kind=$1" \
        -e ansible_python_interpreter=/usr/bin/python3 >"$1.log" 2>&1
}

if ! issue good; then
    fail "ownca: a good name was not issued"
    cat good.log >&2
elif ! $OPENSSL verify -CAfile ca.crt good.crt >/dev/null; then
    fail "ownca: the certificate issued does not verify"
elif ! $OPENSSL x509 -in good.crt -noout -ext subjectAltName |
    grep -q "DNS:mail.contoso.com, DNS:autodiscover.contoso.com"; then
    fail "ownca: the certificate issued lacks the names asked for"
else
    pass "ownca: good name issued and verified"
fi

if issue bad; then
    fail "ownca: bad_name.contoso.com was issued under prehashed = check"
elif ! grep -q "error\[dns-syntax\] DNS name 'bad_name.contoso.com'" bad.log; then
    fail "ownca: refused, but the output does not name the rule and the name"
    cat bad.log >&2
elif [ -e bad.crt ]; then
    fail "ownca: refused, but a certificate was left behind"
else
    pass "ownca: bad name refused (error[dns-syntax], bad_name.contoso.com)"
fi
exit $((failures > 0))
