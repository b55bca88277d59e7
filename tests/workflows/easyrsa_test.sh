#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# easy-rsa (Debian package easy-rsa: 3.1 on Debian 12, 3.2 on 13) with rolecert enabled as
# docs/provider.md says: a fresh PKI, one `.include` line at the top of
# pki/openssl-easyrsa.cnf. build-server-full with a policy-breaking
# --subject-alt-name is refused with rolecert's error and leaves no key,
# request or certificate; a good one is issued; a bad request imported from
# elsewhere is refused by sign-req (openssl ca) with the database unchanged.
#   easyrsa_test.sh MODULE_DIR [PROVIDER_LINE...]
# PROVIDER_LINEs go into the provider's section (e.g. "prehashed = refuse":
# easy-rsa signs only through openssl req and ca, so nothing changes).
set -euo pipefail

MODULE=$(readlink -f "$1")/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=workflow_lib.sh
. "$SCRIPT_DIR/workflow_lib.sh"
EASYRSA_BIN=${EASYRSA_BIN:-/usr/share/easy-rsa/easyrsa}
[ -x "$EASYRSA_BIN" ] || { echo "easy-rsa not installed ($EASYRSA_BIN): apt-get install easy-rsa" >&2; exit 1; }
WORK=$(mktemp -d)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES EASYRSA EASYRSA_VARS_FILE EASYRSA_REQ_CN
export EASYRSA_PKI=$WORK/pki EASYRSA_BATCH=1 EASYRSA_ALGO=ec EASYRSA_CURVE=prime256v1

easyrsa() { "$EASYRSA_BIN" "$@"; }

easyrsa init-pki >init.log 2>&1 || { cat init.log >&2; exit 1; }
# 3.1 (Debian 12) writes pki/openssl-easyrsa.cnf at init-pki and sign-req
# copies a request's SAN; 3.2 (Debian 13) uses a built-in config unless one
# is written out and named, and copies the SAN only with --copy-ext.
easyrsa_version=$(easyrsa version 2>/dev/null | awk '$1 == "Version:" {print $2}')
sign_req_options=()
case $easyrsa_version in
3.0.* | 3.1.*) ;;
3.*)
    easyrsa write ssl-cnf pki/openssl-easyrsa.cnf >write.log 2>&1 || { cat write.log >&2; exit 1; }
    sign_req_options=(--copy-ext)
    ;;
*) echo "unknown easy-rsa version '$easyrsa_version'" >&2; exit 1 ;;
esac
export EASYRSA_SSL_CONF=$EASYRSA_PKI/openssl-easyrsa.cnf

# Enable rolecert: the activation block in its own file, included first
# (openssl_conf must be in the default section, before [ ca ]).
guard_block "permitted_domains = contoso.com, fabrikam.com" "${@:2}" >rolecert-easyrsa.cnf
sed -i "1i .include $WORK/rolecert-easyrsa.cnf" pki/openssl-easyrsa.cnf

# The CA's own certificate is a CA certificate: not checked.
if easyrsa --req-cn="Contoso Test CA" build-ca nopass >ca.log 2>&1 && [ -s pki/ca.crt ]; then
    pass "build-ca with rolecert enabled"
else
    fail "build-ca"
    cat ca.log >&2
fi

# expect_build_refused WHAT RULE NAME CN SAN
expect_build_refused() {
    local what=$1 rule=$2 name=$3 cn=$4 san=$5
    local index_before
    index_before=$(sha256sum pki/index.txt pki/serial)
    if easyrsa --subject-alt-name="$san" build-server-full "$cn" nopass >build.log 2>&1; then
        fail "$what: issued, expected a refusal"
    elif ! grep -q ":rolecert:name_policy_finding:certificate name policy violation:" build.log ||
        ! grep -qF "error[$rule] DNS name '$name'" build.log; then
        fail "$what: refusal does not name rule $rule and '$name'"
        cat build.log >&2
    elif [ -e "pki/issued/$cn.crt" ] || [ -e "pki/private/$cn.key" ] || [ -e "pki/reqs/$cn.req" ]; then
        fail "$what: files left behind: $(ls pki/issued pki/private pki/reqs)"
    elif [ "$index_before" != "$(sha256sum pki/index.txt pki/serial)" ] || [ -s pki/index.txt ]; then
        fail "$what: CA database changed"
    else
        pass "$what refused: $(grep -o "error\[$rule\][^:]*" build.log | head -1)"
    fi
}

expect_build_refused "build-server-full [dns-syntax]" dns-syntax bad_name.contoso.com \
    mail.contoso.com "DNS:mail.contoso.com,DNS:bad_name.contoso.com"
expect_build_refused "build-server-full [dns-wildcard]" dns-wildcard "*.com" \
    mail.contoso.com "DNS:mail.contoso.com,DNS:*.com"
expect_build_refused "build-server-full [domain-not-permitted]" domain-not-permitted mail.woodgrovebank.com \
    mail.contoso.com "DNS:mail.contoso.com,DNS:mail.woodgrovebank.com"

# A good one is issued, with exactly the names asked for.
if easyrsa --subject-alt-name="DNS:mail.contoso.com,DNS:autodiscover.contoso.com" \
    build-server-full mail.contoso.com nopass >good.log 2>&1 &&
    [ -s pki/issued/mail.contoso.com.crt ] &&
    $OPENSSL verify -CAfile pki/ca.crt pki/issued/mail.contoso.com.crt >/dev/null 2>&1 &&
    [ "$($OPENSSL x509 -in pki/issued/mail.contoso.com.crt -noout -ext subjectAltName | tail -1 | tr -d ' ')" = \
        "DNS:mail.contoso.com,DNS:autodiscover.contoso.com" ] &&
    [ "$(grep -c '^V' pki/index.txt)" = 1 ]; then
    pass "build-server-full with good names issued and verifies"
else
    fail "build-server-full with good names"
    cat good.log >&2
fi

# The documented commands with no names of their own (name-policy.md,
# "Which rules apply to which certificate"): build-server-full makes its
# request without a SAN (a warning in a request) and adds DNS:<name> when it
# signs; a client certificate (clientAuth, CN=client1) needs no DNS name.
# easy-rsa 3.2 no longer adds it by itself: without --auto-san its server
# certificate carries no DNS name, which a TLS server certificate must.
auto_san=()
case $easyrsa_version in
3.0.* | 3.1.*) ;;
*)
    if easyrsa build-server-full plain.contoso.com nopass >nosan.log 2>&1; then
        fail "easy-rsa $easyrsa_version build-server-full without a SAN: issued a server certificate with no DNS name"
    elif grep -qF "error[san-missing]" nosan.log; then
        pass "easy-rsa $easyrsa_version build-server-full without --auto-san: refused with san-missing"
    else
        fail "easy-rsa $easyrsa_version build-server-full without a SAN: refused without san-missing"
        cat nosan.log >&2
    fi
    auto_san=(--auto-san)
    ;;
esac
if easyrsa "${auto_san[@]}" build-server-full www.contoso.com nopass >plain.log 2>&1 &&
    $OPENSSL verify -CAfile pki/ca.crt pki/issued/www.contoso.com.crt >/dev/null 2>&1 &&
    [ "$($OPENSSL x509 -in pki/issued/www.contoso.com.crt -noout -ext subjectAltName | tail -1 | tr -d ' ')" = \
        "DNS:www.contoso.com" ]; then
    pass "build-server-full www.contoso.com nopass (no --subject-alt-name) issued, SAN added by the CA"
else
    fail "build-server-full www.contoso.com nopass"
    cat plain.log >&2
fi
if easyrsa build-client-full client1 nopass >client.log 2>&1 &&
    $OPENSSL verify -CAfile pki/ca.crt -purpose sslclient pki/issued/client1.crt >/dev/null 2>&1; then
    pass "build-client-full client1 nopass issued and verifies as a TLS client"
else
    fail "build-client-full client1 nopass"
    cat client.log >&2
fi

# A request made elsewhere (without rolecert) and imported: sign-req runs
# openssl ca, which the provider stops at the certificate.
newkey outside.key ec
$OPENSSL req -config /dev/null -new -key outside.key -subj "/CN=smtp.contoso.com" \
    -addext "subjectAltName=DNS:smtp.contoso.com,DNS:smtp_relay.contoso.com" -out outside.csr
easyrsa import-req outside.csr smtp >import.log 2>&1 || { cat import.log >&2; fail "import-req"; }
# (sign-req writes a fresh random serial before it signs: only the database
# itself must stay as it was.)
index_before=$(sha256sum pki/index.txt)
if easyrsa "${sign_req_options[@]}" sign-req server smtp >sign.log 2>&1; then
    fail "sign-req of a bad imported request: issued"
elif ! grep -qF "error[dns-syntax] DNS name 'smtp_relay.contoso.com'" sign.log ||
    ! grep -qF "(certificate)" sign.log; then
    fail "sign-req: refusal does not name the rule and the name"
    cat sign.log >&2
elif [ -e pki/issued/smtp.crt ] || [ "$index_before" != "$(sha256sum pki/index.txt)" ]; then
    fail "sign-req: certificate or database change left behind"
else
    pass "sign-req of a bad imported request refused at the CA, database unchanged"
fi

# Revocation lists are not certificates: they pass through.
if easyrsa gen-crl >crl.log 2>&1 && $OPENSSL crl -in pki/crl.pem -CAfile pki/ca.crt -noout 2>/dev/null; then
    pass "gen-crl with rolecert enabled"
else
    fail "gen-crl"
    cat crl.log >&2
fi

finish
