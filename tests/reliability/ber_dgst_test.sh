#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The BER forms OpenSSL reads as a TBS (hostile_der.c writes them), signed
# end to end by the stock CLI: `openssl dgst -sha256 -sign` under an
# enforcing config refuses each; without rolecert each signs (the control).
#   ber_dgst_test.sh MODULE_DIR HOSTILE_DER ROLECERT_CLI PROFILE
set -euo pipefail

MODULE_DIR=$(readlink -f "$1")
HOSTILE_DER=$(readlink -f "$2")
ROLECERT=$(readlink -f "$3")
PROFILE=$(readlink -f "$4")
OPENSSL=${OPENSSL:-openssl}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES
failures=0

HOSTILE_DER_WRITE=$WORK "$HOSTILE_DER" "$MODULE_DIR" >/dev/null
"$ROLECERT" conf "$PROFILE" --enforce --module "$MODULE_DIR/rolecert.so" -o enforce.cnf >/dev/null
"$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem

count=0
for tbs in ber-*.der; do
  count=$((count + 1))
  rc=0
  OPENSSL_CONF=$WORK/enforce.cnf "$OPENSSL" dgst -sha256 -sign key.pem -out sig.bin "$tbs" \
    >out.log 2>&1 || rc=$?
  if ((rc != 0)) && grep -q "malformed to-be-signed data:.*OpenSSL's decoder reads as one" out.log; then
    echo "ok: $tbs refused"
  else
    echo "FAIL: $tbs: expected a refusal as BER OpenSSL reads (rc $rc)" >&2
    cat out.log >&2
    failures=$((failures + 1))
  fi
  if ! "$OPENSSL" dgst -sha256 -sign key.pem -out sig.bin "$tbs" 2>out.log; then
    echo "FAIL: control: stock openssl does not sign $tbs" >&2
    failures=$((failures + 1))
  fi
done
((count >= 3)) || {
  echo "FAIL: hostile_der wrote $count BER forms" >&2
  exit 1
}
((failures == 0)) || exit 1
