#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What each certificate is checked for, with the stock openssl CLI and
# Debian's own /usr/lib/ssl/openssl.cnf under rolecert (name-policy.md,
# "Which rules apply to which certificate"):
#   - CA:TRUE never exempts a name: req -x509 (Debian's v3_ca), a CSR asking
#     for CA:TRUE copied by x509 -req -copy_extensions, ca -extensions v3_ca;
#   - client, OCSP-responder, time-stamping and sub-CA certificates issue;
#   - look-alike names are caught: a CN with a trailing dot, '_' or a space,
#     wildcards over public suffixes, weak DSA keys.
#   kinds_test.sh MODULE_DIR
set -euo pipefail

MODULE=$(readlink -f "$1")/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=workflow_lib.sh
. "$SCRIPT_DIR/workflow_lib.sh"
WORK=$(mktemp -d)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES
STOCK_CNF=$($OPENSSL version -d | sed 's/^OPENSSLDIR: "\(.*\)"$/\1/')/openssl.cnf
[ -f "$STOCK_CNF" ] || { echo "no stock openssl.cnf at $STOCK_CNF" >&2; exit 1; }

# The administrator's system config: the distribution's file with the
# activation block added at its end.
{
    echo ".include $STOCK_CNF"
    guard_block "permitted_domains = contoso.com"
} >guarded.cnf

# expect_refused WHAT RULE OUTPUT COMMAND...: exit 1, the rule named, no output.
expect_refused() {
    local what=$1 rule=$2 out=$3
    shift 3
    if "$@" >cmd.log 2>&1; then
        fail "$what: signed, expected error[$rule]"
    elif ! grep -q "certificate name policy violation" cmd.log || ! grep -q "error\[$rule\]" cmd.log; then
        fail "$what: refused without error[$rule]"
        cat cmd.log >&2
    elif [ -s "$out" ]; then
        fail "$what: refused but $out is not empty"
    else
        pass "$what: refused with error[$rule]"
    fi
    rm -f "$out"
}

# expect_issued WHAT CERT COMMAND...: exit 0 and the certificate verifies.
expect_issued() {
    local what=$1 cert=$2
    shift 2
    if ! "$@" >cmd.log 2>&1; then
        fail "$what: refused"
        cat cmd.log >&2
    elif ! $OPENSSL verify -CAfile ca.crt "$cert" >verify.log 2>&1; then
        fail "$what: issued but does not verify"
        cat verify.log >&2
    else
        pass "$what: issued and verifies"
    fi
}

make_test_ca ca.key ca.crt
newkey leaf.key ec

# 1. Debian's stock req -x509 marks every self-signed certificate CA:true.
expect_refused "req -x509 with the stock v3_ca" dns-syntax self.crt \
    "$OPENSSL" req -config guarded.cnf -x509 -new -key leaf.key -out self.crt \
    -subj /CN=bad_name.contoso.com -addext subjectAltName=DNS:bad_name.contoso.com
if "$OPENSSL" req -config guarded.cnf -x509 -new -key leaf.key -out good-self.crt \
    -subj /CN=mail.contoso.com -addext subjectAltName=DNS:mail.contoso.com >cmd.log 2>&1 &&
    "$OPENSSL" x509 -in good-self.crt -noout -text | grep -q "CA:TRUE"; then
    pass "req -x509 with the stock v3_ca: a good name signs (CA:TRUE)"
else
    fail "req -x509 with the stock v3_ca: a good name"
    cat cmd.log >&2
fi

# 2. A requester asks for CA:TRUE; the CA copies the request's extensions.
"$OPENSSL" req -config "$STOCK_CNF" -new -key leaf.key -out ca-trick.csr \
    -subj /CN=bad_name.contoso.com -addext basicConstraints=critical,CA:TRUE \
    -addext subjectAltName=DNS:bad_name.contoso.com
expect_refused "x509 -req -copy_extensions copy of a CA:TRUE request" dns-syntax trick.crt \
    env OPENSSL_CONF="$WORK/guarded.cnf" "$OPENSSL" x509 -req -in ca-trick.csr -CA ca.crt \
    -CAkey ca.key -copy_extensions copy -days 1 -out trick.crt

# 3. openssl ca -extensions v3_ca on a server request.
mkdir -p ca/newcerts
: >ca/index.txt
echo 01 >ca/serial
cat guarded.cnf - >ca.cnf <<EOC

[ca]
default_ca = test_ca

[test_ca]
dir = $WORK/ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
certificate = $WORK/ca.crt
private_key = $WORK/ca.key
default_md = sha256
default_days = 1
policy = policy_anything
copy_extensions = copy
unique_subject = no
EOC
"$OPENSSL" req -config "$STOCK_CNF" -new -key leaf.key -out server.csr \
    -subj /CN=mail.contoso.com -addext subjectAltName=DNS:bad_name.contoso.com
expect_refused "ca -extensions v3_ca" dns-syntax ca-issued.crt \
    "$OPENSSL" ca -config ca.cnf -batch -extensions v3_ca -in server.csr -out ca-issued.crt
if [ -s ca/index.txt ]; then fail "ca: the database changed"; else pass "ca: database unchanged"; fi

# 4. Certificates that are not TLS servers issue without a SAN.
issue() { # WHAT CN EXTENSIONS...
    local what=$1 cn=$2
    shift 2
    printf '%s\n' "[ext]" "$@" >"$what.ext"
    "$OPENSSL" req -config "$STOCK_CNF" -new -key leaf.key -subj "/C=US/O=Contoso/CN=$cn" \
        -out "$what.csr"
    expect_issued "$what certificate (CN=$cn, no SAN)" "$what.crt" \
        env OPENSSL_CONF="$WORK/guarded.cnf" "$OPENSSL" x509 -req -in "$what.csr" -CA ca.crt \
        -CAkey ca.key -extfile "$what.ext" -extensions ext -days 1 -out "$what.crt"
}
issue ocsp "Contoso OCSP" "extendedKeyUsage = OCSPSigning" "keyUsage = critical, digitalSignature"
issue tsa "Contoso TSA" "extendedKeyUsage = critical, timeStamping" \
    "keyUsage = critical, digitalSignature"
issue client "client1" "extendedKeyUsage = clientAuth" "keyUsage = critical, digitalSignature"
issue subca "Contoso Issuing CA" "basicConstraints = critical, CA:TRUE" \
    "keyUsage = critical, keyCertSign, cRLSign"
printf '%s\n' "[ext]" "extendedKeyUsage = serverAuth" >server.ext
"$OPENSSL" req -config "$STOCK_CNF" -new -key leaf.key -subj "/C=US/O=Contoso/CN=Contoso Web" \
    -out nosan.csr
expect_refused "a TLS server certificate without a SAN" san-missing nosan.crt \
    env OPENSSL_CONF="$WORK/guarded.cnf" "$OPENSSL" x509 -req -in nosan.csr -CA ca.crt \
    -CAkey ca.key -extfile server.ext -extensions ext -days 1 -out nosan.crt

# 5. Names that look like DNS names but are not, and other look-alikes.
refuse_cn() { # RULE CN SAN
    local rule=$1 cn=$2 san=$3
    expect_refused "CN '$cn'" "$rule" cn.csr \
        "$OPENSSL" req -config guarded.cnf -new -key leaf.key -out cn.csr -subj "/C=US/CN=$cn" \
        -addext "subjectAltName=DNS:$san"
}
refuse_cn cn-invalid-dns "mail.fabrikam.com." mail.contoso.com
refuse_cn domain-not-permitted "mail.fabrikam.com." mail.contoso.com
refuse_cn cn-invalid-dns "mail1. DiversiondeBicicleta.com" mail1.contoso.com
refuse_cn cn-invalid-dns "mail_1.contoso.com" mail1.contoso.com
{
    echo ".include $STOCK_CNF"
    guard_block
} >open.cnf
for wildcard in "*.co.uk" "*.github.io" "*.com"; do
    expect_refused "SAN '$wildcard'" dns-wildcard wild.csr \
        "$OPENSSL" req -config open.cnf -new -key leaf.key -out wild.csr -subj /CN=Contoso \
        -addext "subjectAltName=DNS:$wildcard"
done
"$OPENSSL" genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.param 2>/dev/null
"$OPENSSL" genpkey -paramfile dsa.param -out dsa.key
expect_refused "a DSA-1024 key" key-weak dsa.csr \
    "$OPENSSL" req -config guarded.cnf -new -key dsa.key -out dsa.csr -subj /CN=mail.contoso.com \
    -addext subjectAltName=DNS:mail.contoso.com

# 6. An old config saying ca_certificates = skip is refused, not obeyed.
{
    echo ".include $STOCK_CNF"
    guard_block "ca_certificates = skip"
} >skip.cnf
if "$OPENSSL" req -config skip.cnf -new -key leaf.key -out skip.csr -subj /CN=mail.contoso.com \
    -addext subjectAltName=DNS:mail.contoso.com >cmd.log 2>&1; then
    fail "ca_certificates = skip: signed"
elif ! grep -q "ca_certificates = 'skip': expected check: .*CA:TRUE never exempts a name" cmd.log; then
    fail "ca_certificates = skip: refused without saying why"
    cat cmd.log >&2
else
    pass "ca_certificates = skip: refused, saying why"
fi

finish
