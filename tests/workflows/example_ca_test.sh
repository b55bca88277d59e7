#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs examples/ca/small-ca.sh end to end with the build tree's rolecert and
# rolecert.so, then checks what it left: the chain, the one issued
# certificate, the refusal, the bundle. Also: the script stops with exit 2
# when the module is missing, and exit 1 when the provider does not refuse.
#   example_ca_test.sh ROLECERT_BINARY MODULE_DIR SOURCE_DIR
set -euo pipefail

ROLECERT_BIN=$(readlink -f "$1")
MODULE=$(readlink -f "$2")/rolecert.so
SCRIPT=$(readlink -f "$3")/examples/ca/small-ca.sh
TEST_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=workflow_lib.sh
. "$TEST_DIR/workflow_lib.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
unset OPENSSL_CONF OPENSSL_MODULES

CA=$WORK/ca
status=0
ROLECERT=$ROLECERT_BIN ROLECERT_MODULE=$MODULE bash "$SCRIPT" "$CA" >"$WORK/out.txt" 2>&1 || status=$?
if [ $status -eq 0 ]; then
    pass "small-ca.sh ran to the end"
else
    fail "small-ca.sh exit $status"
    cat "$WORK/out.txt" >&2
fi
cd "$CA"

# The chain, and exactly one certificate issued by the issuing CA.
$OPENSSL verify -CAfile root/ca.crt issuing/ca.crt >/dev/null 2>&1 &&
    $OPENSSL verify -CAfile root/ca.crt -untrusted issuing/ca.crt server/mail1.crt >/dev/null 2>&1 &&
    pass "root -> issuing -> mail1 verifies" || fail "chain does not verify"
[ "$(cut -f1,6 issuing/index.txt)" = "$(printf 'V\t/C=US/O=Contoso/CN=mail1.contoso.com')" ] &&
    pass "issuing CA database: only mail1" || fail "issuing/index.txt: $(cat issuing/index.txt)"
[ "$($OPENSSL x509 -in server/mail1.crt -noout -ext subjectAltName | tail -1 | tr -d ' ')" = \
    "DNS:mail1.contoso.com,DNS:contoso.com,DNS:fabrikam.com,DNS:mail.contoso.com" ] &&
    pass "mail1's SAN is the profile's plan" || fail "mail1 SAN"
[ "$($OPENSSL x509 -in server/mail1.crt -noout -ext basicConstraints,extendedKeyUsage | tr -d ' \n')" = \
    "X509v3BasicConstraints:criticalCA:FALSEX509v3ExtendedKeyUsage:TLSWebServerAuthentication,TLSWebClientAuthentication" ] &&
    pass "mail1 is a server certificate" || fail "mail1 extensions"

# The refusal: rule, name, hint; no certificate for the bad request.
refusal="rolecert:name_policy_finding:certificate name policy violation:provider/check.c:"
refusal_detail="error[domain-not-permitted] DNS name 'www.woodgrovebank.com' is outside permitted_domains; hint: use a name under a permitted domain: contoso.com, fabrikam.com (certificate)"
grep -qF "$refusal" "$WORK/out.txt" && grep -qF "$refusal_detail" "$WORK/out.txt" &&
    pass "bad request refused with error[domain-not-permitted]" ||
    fail "refusal line missing from the walk-through's output"
[ ! -e other/web.crt ] && [ -s other/web.req ] && pass "no certificate for the bad request" ||
    fail "other/web.crt exists"

# The bundle: leaf first, then the issuing CA, then the root; no key in it.
# (3.0 prints "C = US", 3.2 and later "C=US".)
bundle_subjects=$($OPENSSL crl2pkcs7 -nocrl -certfile server/mail1-bundle.pem |
    $OPENSSL pkcs7 -print_certs -noout | sed -n 's/^subject=//p' | sed 's/ = /=/g' | tr '\n' '|')
[ "$bundle_subjects" = "C=US, O=Contoso, CN=mail1.contoso.com|C=US, O=Contoso, CN=Contoso Issuing CA 1|C=US, O=Contoso, CN=Contoso Root CA|" ] &&
    pass "bundle: leaf, issuing CA, root" || fail "bundle holds: $bundle_subjects"
grep -q PRIVATE server/mail1-bundle.pem && fail "bundle holds a key" || pass "bundle holds no key"
grep -qxF "smtpd_tls_chain_files = $CA/server/mail1.key, $CA/server/mail1-bundle.pem" "$WORK/out.txt" &&
    pass "import printed the Postfix setting" || fail "no Postfix setting in the output"
"$ROLECERT_BIN" check server/mail1.crt --profile server/mail1.ini >/dev/null 2>&1 &&
    pass "rolecert check --profile passes mail1" || fail "rolecert check on mail1"

# Exit 2 without a module; exit 1 when the bad request is signed (here:
# ORG_DOMAINS permits its domain); exit 2 for a WORKDIR that is not empty.
cd "$WORK"
status=0
ROLECERT=$ROLECERT_BIN ROLECERT_MODULE=$WORK/nowhere/rolecert.so bash "$SCRIPT" "$WORK/none" >none.txt 2>&1 || status=$?
[ $status -eq 2 ] && grep -qF "no rolecert provider at $WORK/nowhere/rolecert.so" none.txt &&
    [ ! -e "$WORK/none" ] && pass "missing module: exit 2, nothing made" || fail "missing module: exit $status"
status=0
ORG_DOMAINS="contoso.com, fabrikam.com, woodgrovebank.com" ROLECERT=$ROLECERT_BIN ROLECERT_MODULE=$MODULE \
    bash "$SCRIPT" "$WORK/lax" >lax.txt 2>&1 || status=$?
[ $status -eq 1 ] && grep -qF "the bad request was signed" lax.txt &&
    pass "a CA that does not refuse: the walk-through fails (exit 1)" || fail "lax CA: exit $status"
status=0
ROLECERT=$ROLECERT_BIN ROLECERT_MODULE=$MODULE bash "$SCRIPT" "$CA" >again.txt 2>&1 || status=$?
[ $status -eq 2 ] && grep -qF "is not empty" again.txt && pass "a non-empty WORKDIR: exit 2" ||
    fail "non-empty WORKDIR: exit $status"

finish
