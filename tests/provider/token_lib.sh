# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The checks issue 15 asks of a CA key held by another provider (a token):
# shared by hsm_test.sh (pkcs11) and tpm_test.sh (tpm2).
#   . token_lib.sh MODULE_DIR
# sets MODULE (rolecert.so) and MODULES (libcrypto's modules directory)
# and brings in workflow_lib.sh. Call the checks from the work directory,
# with OPENSSL_CONF naming the config with rolecert in front of the token.

MODULE=$(readlink -f "$1")/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
# shellcheck source=../workflows/workflow_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../workflows/workflow_lib.sh"
# shellcheck disable=SC2034 # for the scripts that source this
MODULES=$("$OPENSSL" version -m | sed -n 's/^MODULESDIR: "\(.*\)"$/\1/p')

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

# token_workdir KEEP_VARIABLE: cd into a fresh work directory, removed at
# exit unless the variable named is set (HSM_TEST_KEEP=1 keeps the token);
# the exit trap also stops the TLS server (SERVER_PID, token_tls) and the
# caller's daemon (DAEMON_PID, e.g. swtpm) if they still run.
token_workdir() {
    WORK=$(mktemp -d)
    SERVER_PID=
    DAEMON_PID=
    TOKEN_KEEP=${!1:-}
    trap token_cleanup EXIT
    cd "$WORK"
    unset OPENSSL_CONF OPENSSL_MODULES
}

token_cleanup() {
    local pid
    for pid in "$SERVER_PID" "$DAEMON_PID"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    done
    [ -n "$TOKEN_KEEP" ] || rm -rf "$WORK"
}

# has_name CERT NAME: subject exactly CN=NAME and SAN exactly DNS:NAME.
has_name() {
    [ "$("$OPENSSL" x509 -in "$1" -noout -subject -nameopt RFC2253)" = "subject=CN=$2" ] &&
        [ "$("$OPENSSL" x509 -in "$1" -noout -ext subjectAltName | sed -n 2p | tr -d ' ')" = "DNS:$2" ]
}

# token_leaf_requests: leaf.key, good.csr (mail.contoso.com) and bad.csr
# (bad_name.contoso.com, made without rolecert, which would refuse it).
token_leaf_requests() {
    "$OPENSSL" ecparam -name prime256v1 -genkey -noout -out leaf.key
    "$OPENSSL" req -new -key leaf.key -subj /CN=mail.contoso.com \
        -addext subjectAltName=DNS:mail.contoso.com -out good.csr
    OPENSSL_CONF=/dev/null "$OPENSSL" req -new -key leaf.key -subj /CN=bad_name.contoso.com \
        -addext subjectAltName=DNS:bad_name.contoso.com -out bad.csr
}

# token_self_signed KIND KEY WHAT: req -x509 makes KIND-ca.pem (CN=Contoso
# KIND CA) with the token key and refuses the same with a bad name.
token_self_signed() {
    local kind=$1 key=$2 what=$3
    if run "$kind-ca" 0 "$OPENSSL" req -x509 -new -key "$key" -subj "/CN=Contoso $kind CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign \
        -days 30 -out "$kind-ca.pem" &&
        "$OPENSSL" verify -CAfile "$kind-ca.pem" "$kind-ca.pem" >/dev/null 2>&1 &&
        [ "$("$OPENSSL" x509 -in "$kind-ca.pem" -noout -subject -nameopt RFC2253)" = \
            "subject=CN=Contoso $kind CA" ]; then
        pass "$kind: req -x509 makes the CA certificate with the $what key"
    else
        fail "$kind: no self-signed CA certificate"
    fi
    if run "$kind-ca-bad" 1 "$OPENSSL" req -x509 -new -key "$key" \
        -subj "/CN=bad_name.contoso.com" -addext subjectAltName=DNS:bad_name.contoso.com \
        -days 30 -out "$kind-bad-self.pem" && grep -q 'error\[dns-syntax\]' "$kind-ca-bad.out" &&
        [ ! -s "$kind-bad-self.pem" ]; then
        pass "$kind: req -x509 with a bad name and the $what key is refused"
    else
        fail "$kind: req -x509 with a bad name was not refused by rule"
    fi
}

# token_x509_req KIND KEY WHAT: x509 -req with CA KIND-ca.pem and its key.
token_x509_req() {
    local kind=$1 key=$2 what=$3
    if run "$kind-x509-bad" 1 "$OPENSSL" x509 -req -in bad.csr -CA "$kind-ca.pem" -CAkey "$key" \
        -copy_extensions copy -days 10 -out "$kind-bad.crt" &&
        grep -q 'rolecert:.*error\[dns-syntax\] DNS name .bad_name.contoso.com.' "$kind-x509-bad.out" &&
        [ ! -s "$kind-bad.crt" ]; then
        pass "$kind: x509 -req with the CA key in the $what refuses bad_name.contoso.com"
    else
        fail "$kind: x509 -req signed a bad name with the $what key"
    fi
    if run "$kind-x509-good" 0 "$OPENSSL" x509 -req -in good.csr -CA "$kind-ca.pem" \
        -CAkey "$key" -copy_extensions copy -days 10 -out "$kind-good.crt" &&
        "$OPENSSL" verify -CAfile "$kind-ca.pem" "$kind-good.crt" >/dev/null &&
        has_name "$kind-good.crt" mail.contoso.com; then
        pass "$kind: x509 -req with the $what key issues mail.contoso.com, and it verifies"
    else
        fail "$kind: x509 -req did not issue a good certificate"
    fi
}

# token_ca CACERT KEY WHAT: openssl ca with its private_key in the token.
token_ca() {
    local cacert=$1 key=$2 what=$3
    mkdir -p ca/new
    : >ca/index.txt
    echo 01 >ca/serial
    cat >ca.cnf <<EOC
[ca]
default_ca = token_ca
[token_ca]
dir = $PWD/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir/new
certificate = $PWD/$cacert
private_key = $key
default_md = sha256
default_days = 10
policy = anything
copy_extensions = copy
unique_subject = no
[anything]
commonName = supplied
EOC
    local before
    before=$(cat ca/index.txt ca/serial | sha256sum)
    if run ca-bad 1 "$OPENSSL" ca -batch -config ca.cnf -in bad.csr -out ca-bad.crt &&
        grep -q 'error\[dns-syntax\]' ca-bad.out &&
        [ "$(cat ca/index.txt ca/serial | sha256sum)" = "$before" ] && [ ! -s ca-bad.crt ]; then
        pass "ca with the $what key refuses bad_name.contoso.com; index.txt and serial unchanged"
    else
        fail "ca: bad request not refused, or its database changed"
    fi
    if run ca-good 0 "$OPENSSL" ca -batch -config ca.cnf -in good.csr -out ca-good.crt &&
        "$OPENSSL" verify -CAfile "$cacert" ca-good.crt >/dev/null &&
        has_name ca-good.crt mail.contoso.com &&
        [ "$(cut -f1,4,6 ca/index.txt)" = "$(printf 'V\t01\t/CN=mail.contoso.com')" ]; then
        pass "ca with the $what key issues mail.contoso.com, and it verifies"
    else
        fail "ca did not issue the good request"
    fi
}

# token_tls SERVER_KEY CACERT CA_KEY WHAT PROTOCOL [S_SERVER_OPTION...]: s_server
# with its key in the token completes a handshake at PROTOCOL (TLSv1.3 or
# TLSv1.2) with s_client (under TOKEN_CLIENT_CONF if set). Sets SERVER_PID
# while the server runs, for the caller's trap.
token_tls() {
    local srv_key=$1 cacert=$2 ca_key=$3 what=$4 protocol=$5
    shift 5
    [ -s srv.pem ] || {
        "$OPENSSL" req -new -key "$srv_key" -subj /CN=localhost -addext subjectAltName=DNS:localhost \
            -out srv.csr 2>srv-csr.out || fail "request for the server's $what key: $(cat srv-csr.out)"
        "$OPENSSL" x509 -req -in srv.csr -CA "$cacert" -CAkey "$ca_key" -copy_extensions copy \
            -days 10 -out srv.pem 2>srv-crt.out || fail "server certificate: $(cat srv-crt.out)"
    }
    local port=$((20000 + RANDOM % 20000))
    : >server.out
    timeout 60 "$OPENSSL" s_server -accept "127.0.0.1:$port" -key "$srv_key" -cert srv.pem \
        -naccept 1 -www "$@" >server.out 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 50); do
        grep -q ACCEPT server.out 2>/dev/null && break
        sleep 0.2
    done
    if printf 'GET / HTTP/1.0\r\n\r\n' | OPENSSL_CONF=${TOKEN_CLIENT_CONF:-$OPENSSL_CONF} \
        timeout 30 "$OPENSSL" s_client -connect "127.0.0.1:$port" \
        -servername localhost -CAfile "$cacert" -verify_return_error -brief >client.out 2>&1 &&
        grep -q "Protocol version: $protocol" client.out && grep -q 'Verification: OK' client.out; then
        pass "s_server with its key in the $what completes a $protocol handshake with s_client ($*)"
    else
        fail "$protocol handshake with the $what key ($*): $(cat client.out server.out)"
    fi
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# token_checks EC_KEY RSA_KEY WHAT: all of the above with CA keys EC_KEY
# and RSA_KEY (the TLS server's); ca and the server's certificate use the
# EC CA.
token_checks() {
    local kind key
    for kind in ec rsa; do
        key=$1
        [ $kind = rsa ] && key=$2
        token_self_signed "$kind" "$key" "$3"
        token_x509_req "$kind" "$key" "$3"
    done
    token_ca ec-ca.pem "$1" "$3"
    token_tls "$2" ec-ca.pem "$1" "$3" TLSv1.3 -tls1_3
    # RSA key exchange: the server decrypts the client's premaster secret
    # with the token key (an asymmetric cipher operation, not a signature).
    token_tls "$2" ec-ca.pem "$1" "$3" TLSv1.2 -tls1_2 -cipher AES128-GCM-SHA256
}
