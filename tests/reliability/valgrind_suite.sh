#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test suite under valgrind memcheck, within the CI budget:
#   - every C test program of the build (unit, parts, walker, hostile DER,
#     allocation failures, fuzz seed replays) run directly under valgrind;
#   - every golden case and the CLI test with `rolecert` replaced by a
#     wrapper that runs it under valgrind;
#   - the provider inside stock `openssl req`, `x509 -req` and `ca`
#     (tests/provider/cli_test.sh cases refuse, good, ca, and pqc where
#     OpenSSL has ML-DSA) and in front of a SoftHSM token (hsm_test.sh,
#     where pkcs11-provider is installed), with `openssl` replaced by a
#     wrapper that runs it under valgrind. A test's exit 77 is a skip.
# Any memcheck error or definite/possible leak in our code fails.
#
#   valgrind_suite.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
logs="$build/valgrind-logs"
wrappers="$build/valgrind-bin"
rm -rf "$logs" "$wrappers"
mkdir -p "$logs" "$wrappers"

# Exit code 99, not 1: 1 is also rolecert's and openssl's "refused".
vg=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible
  --errors-for-leak-kinds=definite,possible --track-origins=yes
  --suppressions="$src/tests/reliability/valgrind.supp")

for tool in rolecert openssl; do
  case $tool in
  rolecert) real="$build/confgen/rolecert" ;;
  openssl) real=$(command -v openssl) ;;
  esac
  {
    echo '#!/bin/sh'
    printf 'exec'
    printf ' %q' "${vg[@]}" "--log-file=$logs/$tool.%p.log" "$real"
    echo ' "$@"'
  } >"$wrappers/$tool"
  chmod 755 "$wrappers/$tool"
done

failures=0
ran=0
skipped=0
run() {
  local name=$1 rc=0
  shift
  ran=$((ran + 1))
  "$@" >"$logs/$name.out" 2>&1 || rc=$?
  if ((rc == 77)); then # the test's own "not on this machine" (ctest's SKIP_RETURN_CODE)
    echo "skipped: $name: $(tail -1 "$logs/$name.out")"
    skipped=$((skipped + 1))
  elif ((rc != 0)); then
    echo "FAIL: $name (see $logs/$name.out)" >&2
    tail -30 "$logs/$name.out" >&2
    failures=$((failures + 1))
  fi
}

# 1. C test programs, directly.
modules="$build/modules"
for t in subject dns match config names rule_coverage; do
  run "unit.$t" "${vg[@]}" "$build/tests/unit/test_$t"
done
run confgen.parts "${vg[@]}" "$build/tests/golden/test_confgen_parts"
run provider.tbs_walker "${vg[@]}" "$build/tests/provider/provider_tbs_test"
# Every hash algorithm rolecert offers (prehashed = check), its own SHA-2 included.
run provider.digests env OPENSSL_CONF="$build/tests/provider/prehashed_check.cnf" \
  "${vg[@]}" "$build/tests/provider/provider_digests_test"
run reliability.hostile_der "${vg[@]}" "$build/tests/reliability/hostile_der" "$modules"
run reliability.provider_lifecycle "${vg[@]}" "$build/tests/reliability/provider_lifecycle" "$modules"
run reliability.alloc_fail_conf "${vg[@]}" "$build/tests/reliability/alloc_fail_conf" \
  "$src/examples/edge.ini" --explain --enforce --module /usr/lib/rolecert-test/rolecert.so
# Every 97th allocation only (the whole run is ~18,600 allocations).
run reliability.alloc_fail_provider "${vg[@]}" "$build/tests/reliability/alloc_fail_provider" \
  "$modules" 97
for corpus in "$src"/tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  [[ -x "$build/tests/fuzz/fuzz_$target" ]] || continue
  run "fuzz.replay.$target" "${vg[@]}" "$build/tests/fuzz/fuzz_$target" "$corpus"
done

# 2. rolecert under valgrind: the golden cases and the CLI test.
for ini in "$src"/tests/golden/*.ini; do
  name=$(basename "$ini" .ini)
  run "golden.$name" bash "$src/tests/golden/run_golden.sh" "$wrappers/rolecert" "$src/tests/golden" "$name"
done
run confgen.cli bash "$src/tests/golden/cli.sh" "$wrappers/rolecert" "$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
run reliability.hostile_check "${vg[@]}" "$build/tests/reliability/hostile_check" \
  "$wrappers/rolecert" "$modules"

# 3. The provider inside stock openssl, under valgrind: req, x509 -req and
# ca; ML-DSA and SLH-DSA keys and a CA key in SoftHSM where the OpenSSL
# line has them (3.5; each skips itself elsewhere).
for case in refuse good ca pqc; do
  run "provider.cli.$case" env OPENSSL="$wrappers/openssl" ROLECERT_PYTHON=/usr/bin/python3 \
    PQC_TYPES="ML-DSA-44 SLH-DSA-SHA2-128f" bash "$src/tests/provider/cli_test.sh" "$modules" "$case"
done
run provider.hsm env OPENSSL="$wrappers/openssl" bash "$src/tests/provider/hsm_test.sh" "$modules"

# Errors the exit codes might not show (a wrapped process whose own exit
# code was expected to be non-zero): read every log.
bad_logs=0
for log in "$logs"/*.log; do
  [[ -e "$log" ]] || continue
  if [[ -s "$log" ]]; then
    echo "FAIL: valgrind reported in $log:" >&2
    head -40 "$log" >&2
    bad_logs=$((bad_logs + 1))
  fi
done
wrapped=$(find "$logs" -name '*.log' | wc -l)
echo "valgrind: $ran tests ($skipped skipped), $wrapped wrapped rolecert/openssl processes, $failures failed tests, $bad_logs processes with memcheck reports"
((failures == 0 && bad_logs == 0))
