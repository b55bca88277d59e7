#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# rolecert in front of pkcs11-provider with a SoftHSM2 token (issue 15).
#   hsm_test.sh MODULE_DIR
# A CA key in the token: req -x509 makes the CA certificate, x509 -req and ca
# refuse a bad request (the rule named, ca's database unchanged) and issue a
# good one that verifies; s_server with a token key completes TLS 1.3; and
# pkcs11 activated beside rolecert (no `delegate`) refuses all signing.
# Exit 77 where pkcs11-provider or SoftHSM2 is not installed (Debian 12).
#
# SoftHSM makes openssl die with SIGSEGV at exit (C_CloseSession during
# OPENSSL_cleanup, after SoftHSM's own destructors ran), with or without
# rolecert, once the module was initialised. The delegate's section here
# sets pkcs11-provider's `pkcs11-module-quirks = no-deinit`, which avoids
# it, so every exit status below is checked exactly.
set -euo pipefail

MODULE_DIR=$(readlink -f "$1")
MODULE=$MODULE_DIR/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=../workflows/workflow_lib.sh
. "$SCRIPT_DIR/../workflows/workflow_lib.sh"
SOFTHSM=${SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
MODULES=$("$OPENSSL" version -m | sed -n 's/^MODULESDIR: "\(.*\)"$/\1/p')
for need in "$SOFTHSM" "$MODULES/pkcs11.so"; do
    [ -f "$need" ] || { echo "skipped: $need not installed (pkcs11-provider, softhsm2)"; exit 77; }
done
command -v softhsm2-util >/dev/null || { echo "skipped: no softhsm2-util (softhsm2)"; exit 77; }

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    [ -n "${HSM_TEST_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES

# What an administrator writes: pkcs11's own section unchanged, named by
# rolecert's `delegate_section` instead of being activated itself.
pkcs11_section() {
    printf '[pkcs11_sect]\n%s\npkcs11-module-path = %s\npkcs11-module-token-pin = 1234\n' "$1" "$SOFTHSM"
    echo "pkcs11-module-quirks = no-deinit"
}

# The token: an EC and an RSA key, made in it by pkcs11-provider itself
# (activated on its own for that; the private key cannot be written out,
# so genpkey's exit status is not the test: the public key is read back).
mkdir tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$WORK" >softhsm2.conf
export SOFTHSM2_CONF=$WORK/softhsm2.conf
softhsm2-util --init-token --free --label ca --pin 1234 --so-pin 5678 >/dev/null
{
    printf 'openssl_conf = init\n[init]\nproviders = provider_sect\n[provider_sect]\n'
    printf 'default = default_sect\npkcs11 = pkcs11_sect\n[default_sect]\nactivate = 1\n'
    pkcs11_section "activate = 1"
} >keygen.cnf
for key in EC:ec_paramgen_curve:P-256:eckey RSA:rsa_keygen_bits:2048:rsakey; do
    IFS=: read -r type opt value label <<<"$key"
    OPENSSL_CONF=$WORK/keygen.cnf "$OPENSSL" genpkey -propquery provider=pkcs11 -algorithm "$type" \
        -pkeyopt "$opt:$value" -pkeyopt "pkcs11_uri:pkcs11:token=ca;object=$label" \
        -out /dev/null >/dev/null 2>&1 || true
    OPENSSL_CONF=$WORK/keygen.cnf "$OPENSSL" pkey -pubin -noout \
        -in "pkcs11:token=ca;object=$label;type=public" ||
        { echo "FAIL: no $type key $label in the token" >&2; exit 1; }
done
EC_KEY='pkcs11:token=ca;object=eckey;type=private'
RSA_KEY='pkcs11:token=ca;object=rsakey;type=private'

{
    guard_block "delegate = pkcs11" "delegate_section = pkcs11_sect"
    pkcs11_section ""
} >hsm.cnf
export OPENSSL_CONF=$WORK/hsm.cnf

# run NAME WANT CMD...: exit status WANT; output in NAME.out.
run() {
    local name=$1 want=$2
    shift 2
    local rc=0
    timeout 60 "$@" >"$name.out" 2>&1 || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name: exit $rc, expected $want"
        sed 's/^/    /' "$name.out" >&2
        return 1
    fi
}

for kind in ec rsa; do
    key=$EC_KEY
    [ $kind = rsa ] && key=$RSA_KEY
    if run "$kind-ca" 0 "$OPENSSL" req -x509 -new -key "$key" -subj "/CN=Contoso $kind CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign \
        -days 30 -out "$kind-ca.pem" &&
        "$OPENSSL" verify -CAfile "$kind-ca.pem" "$kind-ca.pem" >/dev/null 2>&1; then
        pass "$kind: req -x509 makes the CA certificate with the token key"
    else
        fail "$kind: no self-signed CA certificate"
    fi
    # The same with a bad name: checked although the key is in the token.
    if run "$kind-ca-bad" 1 "$OPENSSL" req -x509 -new -key "$key" \
        -subj "/CN=bad_name.contoso.com" -addext subjectAltName=DNS:bad_name.contoso.com \
        -days 30 -out "$kind-bad-self.pem" && grep -q 'error\[dns-syntax\]' "$kind-ca-bad.out"; then
        pass "$kind: req -x509 with a bad name and the token key is refused"
    else
        fail "$kind: req -x509 with a bad name was not refused by rule"
    fi
done

"$OPENSSL" ecparam -name prime256v1 -genkey -noout -out leaf.key
for n in bad:bad_name.contoso.com good:mail.contoso.com; do
    "$OPENSSL" req -new -key leaf.key -subj "/CN=${n#*:}" \
        -addext "subjectAltName=DNS:${n#*:}" -out "${n%%:*}.csr" 2>/dev/null ||
        [ "${n%%:*}" = bad ] # refused by rolecert itself: made below without it
done
OPENSSL_CONF=/dev/null "$OPENSSL" req -new -key leaf.key -subj /CN=bad_name.contoso.com \
    -addext subjectAltName=DNS:bad_name.contoso.com -out bad.csr

for kind in ec rsa; do
    key=$EC_KEY
    [ $kind = rsa ] && key=$RSA_KEY
    if run "$kind-x509-bad" 1 "$OPENSSL" x509 -req -in bad.csr -CA "$kind-ca.pem" -CAkey "$key" \
        -copy_extensions copy -days 10 -out "$kind-bad.crt" &&
        grep -q 'rolecert:.*error\[dns-syntax\] DNS name .bad_name.contoso.com.' "$kind-x509-bad.out"
    then
        pass "$kind: x509 -req with the CA key in the token refuses bad_name.contoso.com"
    else
        fail "$kind: x509 -req signed a bad name with the token key"
    fi
    if run "$kind-x509-good" 0 "$OPENSSL" x509 -req -in good.csr -CA "$kind-ca.pem" \
        -CAkey "$key" -copy_extensions copy -days 10 -out "$kind-good.crt" &&
        "$OPENSSL" verify -CAfile "$kind-ca.pem" "$kind-good.crt" >/dev/null; then
        pass "$kind: x509 -req with the token key issues mail.contoso.com, and it verifies"
    else
        fail "$kind: x509 -req did not issue a good certificate"
    fi
done

# openssl ca with the EC key in the token.
mkdir -p ca/new
: >ca/index.txt
echo 01 >ca/serial
cat >ca.cnf <<EOC
[ca]
default_ca = token_ca
[token_ca]
dir = $WORK/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir/new
certificate = $WORK/ec-ca.pem
private_key = $EC_KEY
default_md = sha256
default_days = 10
policy = anything
copy_extensions = copy
unique_subject = no
[anything]
commonName = supplied
EOC
sum_before=$(cat ca/index.txt ca/serial | sha256sum)
if run ca-bad 1 "$OPENSSL" ca -batch -config ca.cnf -in bad.csr -out ca-bad.crt &&
    grep -q 'error\[dns-syntax\]' ca-bad.out &&
    [ "$(cat ca/index.txt ca/serial | sha256sum)" = "$sum_before" ]; then
    pass "ca with the token key refuses bad_name.contoso.com; index.txt and serial unchanged"
else
    fail "ca: bad request not refused, or its database changed"
fi
if run ca-good 0 "$OPENSSL" ca -batch -config ca.cnf -in good.csr -out ca-good.crt &&
    "$OPENSSL" verify -CAfile ec-ca.pem ca-good.crt >/dev/null && grep -q mail.contoso.com ca/index.txt
then
    pass "ca with the token key issues mail.contoso.com, and it verifies"
else
    fail "ca did not issue the good request"
fi

# TLS 1.3: the server's key is the RSA key in the token.
"$OPENSSL" req -new -key "$RSA_KEY" -subj /CN=localhost -addext subjectAltName=DNS:localhost \
    -out srv.csr 2>srv-csr.out || fail "request for the server's token key: $(cat srv-csr.out)"
"$OPENSSL" x509 -req -in srv.csr -CA ec-ca.pem -CAkey "$EC_KEY" -copy_extensions copy -days 10 \
    -out srv.pem 2>srv-crt.out || fail "server certificate: $(cat srv-crt.out)"
port=$((20000 + RANDOM % 20000))
timeout 60 "$OPENSSL" s_server -accept "127.0.0.1:$port" -key "$RSA_KEY" -cert srv.pem \
    -tls1_3 -naccept 1 -www >server.out 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
    grep -q ACCEPT server.out 2>/dev/null && break
    sleep 0.2
done
if printf 'GET / HTTP/1.0\r\n\r\n' | timeout 30 "$OPENSSL" s_client -connect "127.0.0.1:$port" \
    -servername localhost -CAfile ec-ca.pem -verify_return_error -brief >client.out 2>&1 &&
    grep -q 'Protocol version: TLSv1.3' client.out && grep -q 'Verification: OK' client.out; then
    pass "s_server with its key in the token completes a TLS 1.3 handshake with s_client"
else
    fail "TLS 1.3 handshake with the token key: $(cat client.out server.out)"
fi
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

# A software key of a type the token offers but cannot import (Ed25519 in
# SoftHSM) is refused, never left to `default` unchecked; an EC one is checked.
"$OPENSSL" genpkey -algorithm ed25519 -out ed.key 2>/dev/null
if run soft-ed 1 "$OPENSSL" req -new -key ed.key -subj /CN=mail.contoso.com \
    -addext subjectAltName=DNS:mail.contoso.com -out ed.csr &&
    grep -q 'refusing rather than signing unchecked' soft-ed.out; then
    pass "an Ed25519 software key the token cannot import is refused, not signed unchecked"
else
    fail "Ed25519 software key beside the token"
fi
if run soft-ec 1 "$OPENSSL" req -new -key leaf.key -subj /CN=bad_name.contoso.com -out x.csr &&
    grep -q 'error\[cn-invalid-dns\]' soft-ec.out; then
    pass "an EC software key beside the token is checked"
else
    fail "EC software key beside the token"
fi

# pkcs11 activated beside rolecert, without `delegate`: every signature is
# refused, naming the provider.
{
    guard_block
    printf '[provider_sect]\npkcs11 = pkcs11_sect\n' # a section read again adds to it
    pkcs11_section "activate = 1"
} >beside.cnf
if OPENSSL_CONF=$WORK/beside.cnf run beside 1 "$OPENSSL" x509 -req -in good.csr \
    -CA ec-ca.pem -CAkey "$EC_KEY" -days 10 -out beside.crt &&
    grep -q "activates the provider 'pkcs11' beside rolecert" beside.out; then
    pass "pkcs11 activated beside rolecert: signing is refused, naming pkcs11"
else
    fail "pkcs11 beside rolecert was not refused"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all HSM checks passed"
