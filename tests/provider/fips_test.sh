#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# rolecert in front of OpenSSL's FIPS provider (`delegate = fips`, issue 15).
#   fips_test.sh MODULE_DIR
# The FIPS module (Debian 13's openssl-provider-fips) installed into a
# fresh fipsmodule.cnf with `openssl fipsinstall`; rolecert's section names
# it as its delegate. With software keys in files: req -x509 makes a CA
# certificate and refuses a bad name, x509 -req and ca refuse
# bad_name.contoso.com (rule named, ca's database unchanged) and issue a good
# request that verifies, s_server completes TLS 1.3 and TLS 1.2. That the
# FIPS module really signs: an RSA-1024 key is refused at signature init by
# the FIPS module's own key-length check (without the delegate, rolecert's
# key-weak rule refuses it later, at the signature). Exit 77 where this
# OpenSSL has no fips.so.
set -euo pipefail

# shellcheck source=token_lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/token_lib.sh" "$1"
FIPS=$MODULES/fips.so
[ -f "$FIPS" ] || { echo "skipped: $FIPS not installed (openssl-provider-fips)"; exit 77; }

token_workdir FIPS_TEST_KEEP

run fipsinstall 0 "$OPENSSL" fipsinstall -module "$FIPS" -out fipsmodule.cnf
grep -q '^\[fips_sect\]' fipsmodule.cnf || fail "fipsinstall wrote no [fips_sect]"
guard_block >plain.cnf
{
    guard_block "delegate = fips" "delegate_section = fips_sect"
    echo ".include $WORK/fipsmodule.cnf"
} >fips.cnf

OPENSSL_CONF=$WORK/plain.cnf token_leaf_requests
"$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-ca.key
"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa-ca.key
"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key
export OPENSSL_CONF=$WORK/fips.cnf

TOKEN_CLIENT_CONF=$WORK/plain.cnf token_checks ec-ca.key rsa-ca.key FIPS-module

if run weak-fips 1 "$OPENSSL" req -new -key rsa1024.key -subj /CN=mail.contoso.com \
    -addext subjectAltName=DNS:mail.contoso.com -out weak-fips.csr &&
    grep -q 'ossl_fips_ind_rsa_key_check:invalid key length' weak-fips.out &&
    ! grep -q 'error\[key-weak\]' weak-fips.out && [ ! -s weak-fips.csr ] &&
    OPENSSL_CONF=$WORK/plain.cnf run weak-plain 1 "$OPENSSL" req -new -key rsa1024.key \
        -subj /CN=mail.contoso.com -addext subjectAltName=DNS:mail.contoso.com \
        -out weak-plain.csr && grep -q 'error\[key-weak\]' weak-plain.out &&
    ! grep -q 'ossl_fips_ind' weak-plain.out; then
    pass "the FIPS module signs: it refuses an RSA-1024 key at init (default-delegated rolecert refuses it by rule)"
else
    fail "RSA-1024 under delegate = fips: $(cat weak-fips.out weak-plain.out 2>/dev/null)"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all FIPS checks passed"
