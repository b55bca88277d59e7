#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reliability stages of CI (run after scripts/test.sh):
#   1. the whole test suite built with ASan+UBSan (-fno-sanitize-recover=all);
#   2. the provider's thread tests under ThreadSanitizer, 10 threads, and
#      fuzz_tbs_memory's seeds (two threads);
#   3. a representative part of the suite under valgrind memcheck
#      (tests/reliability/valgrind_suite.sh);
#   4. libFuzzer: every seed corpus replayed, then each target for
#      ROLECERT_FUZZ_SECONDS (default 60) seconds.
# Build trees go to ROLECERT_RELIABILITY_DIR (default build-reliability/).
#   bash scripts/ci-reliability.sh [STAGE...]   (asan tsan valgrind fuzz)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$repo_root/scripts/lib.sh"
cd "$repo_root"

base=${ROLECERT_RELIABILITY_DIR:-$repo_root/build-reliability}
fuzz_seconds=${ROLECERT_FUZZ_SECONDS:-60}
jobs=2
stages=("$@")
((${#stages[@]} > 0)) || stages=(asan tsan valgrind fuzz)

rolecert_install_deps

declare -A took=()
timed() {
  local stage=$1
  shift
  local start
  start=$(date +%s)
  rolecert_log "reliability: $stage"
  "$@"
  took[$stage]=$(($(date +%s) - start))
  rolecert_log "reliability: $stage done in ${took[$stage]} s"
}

stage_asan() {
  cmake -S . -B "$base/asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLECERT_SANITIZE=ON
  cmake --build "$base/asan" -j "$jobs"
  # Leaks fail the C tests; the provider's CLI tests preload the runtimes
  # into the (uninstrumented) openssl binary themselves. The packaging
  # tests (install.*) check the shipped binaries' dependencies, which a
  # sanitizer build changes by design: they run in scripts/test.sh.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$base/asan" --output-on-failure -j "$jobs" -E '^install\.'

}

stage_tsan() {
  cmake -S . -B "$base/tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLECERT_TSAN=ON
  cmake --build "$base/tsan" -j "$jobs" --target rolecert_provider provider_thread_sign \
    provider_thread_prehashed fuzz_tbs_memory
  # TSan's options are built into the programs (tests/reliability/tsan_options.c).
  "$base/tsan/tests/provider/provider_thread_sign" "$base/tsan/modules" 10
  # prehashed = check: hashing and pre-hashed signing interleaved, and the
  # remembered-TBS table's seeds in two threads.
  OPENSSL_CONF="$base/tsan/tests/provider/prehashed_check.cnf" \
    "$base/tsan/tests/provider/provider_thread_prehashed" 10
  "$base/tsan/tests/fuzz/fuzz_tbs_memory" tests/fuzz/corpus/tbs_memory
}

stage_valgrind() {
  cmake -S . -B "$base/plain" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$base/plain" -j "$jobs"
  bash tests/reliability/valgrind_suite.sh "$base/plain" "$repo_root"
}

stage_fuzz() {
  CC=clang cmake -S . -B "$base/fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLECERT_SANITIZE=ON \
    -DROLECERT_FUZZ=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link
  local targets=()
  for corpus in tests/fuzz/corpus/*/; do
    targets+=("fuzz_$(basename "$corpus")")
  done
  cmake --build "$base/fuzz" -j "$jobs" --target "${targets[@]}"
  ctest --test-dir "$base/fuzz" --output-on-failure -L fuzz
  ROLECERT_FUZZ_JOBS=$jobs bash tests/fuzz/run-long.sh "$base/fuzz" "$fuzz_seconds"
}

total_start=$(date +%s)
for stage in "${stages[@]}"; do
  case $stage in
  asan | tsan | valgrind | fuzz) timed "$stage" "stage_$stage" ;;
  *)
    echo "unknown stage '$stage' (asan tsan valgrind fuzz)" >&2
    exit 2
    ;;
  esac
done
for stage in "${stages[@]}"; do
  echo "ci-reliability: $stage ${took[$stage]} s"
done
echo "ci-reliability: wall time $(($(date +%s) - total_start)) s"
