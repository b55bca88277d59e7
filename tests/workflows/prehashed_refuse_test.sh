#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# prehashed = refuse: EVP_PKEY_sign on a digest (openssl pkeyutl -sign) is
# refused with an error that says why and how to switch it off, while every
# digest-sign path keeps working: req, x509 -req, ca, dgst -sign,
# pkeyutl -sign -rawin, CMS with signed attributes, and TLS 1.2/1.3
# handshakes (both ends signing).
#   prehashed_refuse_test.sh MODULE_DIR
set -euo pipefail

MODULE=$(readlink -f "$1")/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=workflow_lib.sh
. "$SCRIPT_DIR/workflow_lib.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES

guard_block "prehashed = refuse" >refuse.cnf
guard_block >allow.cnf
guard_block "prehashed = allow" >allow_explicit.cnf
export OPENSSL_CONF=$WORK/refuse.cnf
for kt in rsa ec ed25519; do newkey $kt.key $kt; done
echo "the data" >data.txt
$OPENSSL dgst -sha256 -binary -out data.sha256 data.txt

# --- EVP_PKEY_sign on a digest: refused, with the whole message ------------
expected_detail="EVP_PKEY_sign hands over only a digest, whose names cannot be checked (prehashed = refuse); sign the data itself with EVP_DigestSign (as openssl req, x509, ca and dgst -sign do), or set prehashed = allow in the rolecert provider's section to let such signatures through unchecked"
for kt in rsa ec; do
    rm -f sig.bin
    if $OPENSSL pkeyutl -sign -inkey $kt.key -in data.sha256 -out sig.bin 2>stderr.txt; then
        fail "pkeyutl -sign ($kt) signed with prehashed = refuse"
    elif ! grep -q ":error:40800005:rolecert:rolecert_sig_sign_init:signing a precomputed digest is refused:" stderr.txt ||
        [ "$(grep -c -F -x -e "$expected_detail" <(sed 's/^.*:provider\/sig\.c:[0-9]*://' stderr.txt))" != 1 ]; then
        fail "pkeyutl -sign ($kt): unexpected refusal text"
        cat stderr.txt >&2
    elif [ -s sig.bin ]; then
        fail "pkeyutl -sign ($kt): signature written"
    else
        pass "pkeyutl -sign ($kt) refused: $(grep -o 'signing a precomputed digest is refused' stderr.txt)"
    fi
    for cnf in allow allow_explicit; do
        if OPENSSL_CONF=$WORK/$cnf.cnf $OPENSSL pkeyutl -sign -inkey $kt.key -in data.sha256 -out sig.bin 2>stderr.txt &&
            OPENSSL_CONF=$WORK/$cnf.cnf $OPENSSL pkeyutl -verify -inkey $kt.key -in data.sha256 -sigfile sig.bin >/dev/null 2>&1; then
            pass "pkeyutl -sign ($kt) signs with $cnf.cnf"
        else
            fail "pkeyutl -sign ($kt) with $cnf.cnf"
            cat stderr.txt >&2
        fi
    done
done

# --- digest-sign paths keep working under refuse ---------------------------
for kt in rsa ec; do
    rm -f data.sig
    if $OPENSSL dgst -sha256 -sign $kt.key -out data.sig data.txt 2>stderr.txt &&
        $OPENSSL pkey -in $kt.key -pubout -out $kt.pub &&
        $OPENSSL dgst -sha256 -verify $kt.pub -signature data.sig data.txt >/dev/null 2>&1; then
        pass "dgst -sha256 -sign ($kt) signs and verifies"
    else
        fail "dgst -sign ($kt) under prehashed = refuse"
        cat stderr.txt >&2
    fi
done
# Ed25519 signs the message itself (one-shot EVP_DigestSign).
if $OPENSSL pkeyutl -sign -rawin -inkey ed25519.key -in data.txt -out data.sig 2>stderr.txt &&
    $OPENSSL pkeyutl -verify -rawin -inkey ed25519.key -in data.txt -sigfile data.sig >/dev/null 2>&1; then
    pass "pkeyutl -sign -rawin (ed25519) signs"
else
    fail "pkeyutl -sign -rawin (ed25519) under prehashed = refuse"
    cat stderr.txt >&2
fi

# CMS: with signed attributes it digest-signs them (passes); -noattr signs
# the content's digest (refused).
# (a document signer, not a server: made without the provider)
env -u OPENSSL_CONF $OPENSSL req -config /dev/null -x509 -new -key ec.key -subj "/CN=Contoso signer" -days 2 -out signer.pem
if $OPENSSL cms -sign -binary -in data.txt -signer signer.pem -inkey ec.key -out data.cms 2>stderr.txt &&
    $OPENSSL cms -verify -binary -in data.cms -CAfile signer.pem -purpose any -out verified.txt 2>/dev/null &&
    cmp -s data.txt verified.txt; then
    pass "cms -sign (signed attributes) signs and verifies"
else
    fail "cms -sign under prehashed = refuse"
    cat stderr.txt >&2
fi
if $OPENSSL cms -sign -noattr -binary -in data.txt -signer signer.pem -inkey ec.key -out noattr.cms 2>stderr.txt; then
    fail "cms -sign -noattr signed with prehashed = refuse"
elif grep -q ":error:40800005:rolecert:rolecert_sig_sign_init:signing a precomputed digest is refused:" stderr.txt; then
    pass "cms -sign -noattr refused (a digest)"
else
    fail "cms -sign -noattr: unexpected error"
    cat stderr.txt >&2
fi

# Requests and certificates: still signed when good, still checked when bad.
{
    guard_block "prehashed = refuse"
    cat <<'EOC'

[req]
prompt = no
distinguished_name = req_dn
req_extensions = req_ext
[req_dn]
CN = mail.contoso.com
[req_ext]
subjectAltName = DNS:mail.contoso.com, DNS:autodiscover.contoso.com
EOC
} >good_req.cnf
sed 's/DNS:autodiscover.contoso.com/DNS:bad_name.contoso.com/' good_req.cnf >bad_req.cnf
make_test_ca ca.key ca.pem
for kt in rsa ec ed25519; do
    rm -f $kt.csr $kt.crt
    if $OPENSSL req -new -config good_req.cnf -key $kt.key -out $kt.csr 2>stderr.txt &&
        $OPENSSL x509 -req -in $kt.csr -CA ca.pem -CAkey ca.key -CAcreateserial -copy_extensions copy \
            -days 2 -out $kt.crt 2>>stderr.txt &&
        $OPENSSL verify -CAfile ca.pem $kt.crt >/dev/null 2>&1; then
        pass "req -new + x509 -req -CA ($kt) under prehashed = refuse"
    else
        fail "req/x509 ($kt) under prehashed = refuse"
        cat stderr.txt >&2
    fi
    rm -f bad.csr
    if $OPENSSL req -new -config bad_req.cnf -key $kt.key -out bad.csr 2>stderr.txt; then
        fail "bad request ($kt) signed"
    elif grep -qF "error[dns-syntax] DNS name 'bad_name.contoso.com'" stderr.txt && [ ! -s bad.csr ]; then
        pass "bad request ($kt) refused with error[dns-syntax]"
    else
        fail "bad request ($kt): wrong refusal"
        cat stderr.txt >&2
    fi
done

# --- TLS: server and client both sign a handshake (mutual TLS) -------------
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
mkfifo server_stdin
exec 7<>server_stdin
for kt in rsa ec ed25519; do
    for proto in tls1_2 tls1_3; do
        # The server requires and verifies a client certificate, so both ends
        # sign; it prints what the client sent. Two accepts: the readiness
        # probe takes the first.
        # Its standard input is a FIFO held open: at end of input s_server
        # would stop printing what it receives.
        port=$(free_port)
        timeout 20 $OPENSSL s_server -accept 127.0.0.1:$port -cert $kt.crt -key $kt.key -naccept 2 \
            -Verify 1 -verify_return_error -CAfile ca.pem -$proto -quiet <server_stdin >server.out 2>&1 &
        server=$!
        for _ in $(seq 100); do
            (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
            sleep 0.1
        done
        client_ok=0
        (echo "hello from $kt"; sleep 0.3) | timeout 20 $OPENSSL s_client -connect 127.0.0.1:$port -$proto \
            -CAfile ca.pem -cert $kt.crt -key $kt.key -verify_return_error -verify_hostname mail.contoso.com \
            -brief >client.out 2>&1 && client_ok=1
        wait $server 2>/dev/null || true # exits after the second connection
        if [ $client_ok = 1 ] && grep -qx "hello from $kt" server.out; then
            pass "TLS $proto, $kt certificates on both ends, prehashed = refuse"
        else
            fail "TLS $proto with $kt under prehashed = refuse"
            cat client.out server.out >&2
        fi
    done
done
exec 7>&-

finish
