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

# shellcheck source=token_lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/token_lib.sh" "$1"
SOFTHSM=${SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
for need in "$SOFTHSM" "$MODULES/pkcs11.so"; do
    [ -f "$need" ] || { echo "skipped: $need not installed (pkcs11-provider, softhsm2)"; exit 77; }
done
command -v softhsm2-util >/dev/null || { echo "skipped: no softhsm2-util (softhsm2)"; exit 77; }
# pkcs11-provider opens SoftHSM with RTLD_DEEPBIND, which the AddressSanitizer
# runtime (preloaded into openssl for an ASan build of rolecert.so) refuses
# (google/sanitizers#611). The plain suite and valgrind run this test.
case ${LD_PRELOAD:-} in
*libasan*) echo "skipped: SoftHSM cannot be loaded under AddressSanitizer (RTLD_DEEPBIND)"; exit 77 ;;
esac

token_workdir HSM_TEST_KEEP

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

token_leaf_requests
token_checks "$EC_KEY" "$RSA_KEY" token

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
