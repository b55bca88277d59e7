#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Shows that fuzz_tbs's structure-aware mutator finds the BER forms the
# walker once passed, starting from a corpus without them: the walker
# (der/tbs.c) and seed corpus of BASE, with this tree's fuzz target, mutator
# and tbs.h, built with clang/libFuzzer in a scratch directory and run for
# SECONDS with ROLECERT_FUZZ_SURVEY (each pass-through is saved, the run goes
# on). Prints when each form first turned up and exits 1 if one is missing.
#
#   tests/fuzz/rediscover.sh [BASE [SECONDS [SEED]]]    (default e97890e 60 1)
#
# STOCK_MUTATOR=1: the control, without ber_mutator.c (libFuzzer's own
# byte-level mutations only, BASE's tests/fuzz/CMakeLists.txt).
set -euo pipefail

base=${1:-e97890e}
seconds=${2:-60}
seed=${3:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

git -C "$root" archive "$base" | tar -x -C "$scratch"
cp "$root/include/rolecert/tbs.h" "$scratch/include/rolecert/"
cp "$here/fuzz_tbs.c" "$scratch/tests/fuzz/"
if [[ -z ${STOCK_MUTATOR:-} ]]; then
  cp "$here/ber_mutator.c" "$here/CMakeLists.txt" "$scratch/tests/fuzz/"
fi
CC=clang cmake -S "$scratch" -B "$scratch/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DROLECERT_SANITIZE=ON -DROLECERT_FUZZ=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
cmake --build "$scratch/build" -j "${ROLECERT_FUZZ_JOBS:-2}" --target fuzz_tbs >/dev/null

mkdir -p "$scratch/corpus" "$scratch/found"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  ROLECERT_FUZZ_SURVEY="$scratch/found" "$scratch/build/tests/fuzz/fuzz_tbs" \
  "$scratch/corpus" "$scratch/tests/fuzz/corpus/tbs" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -max_len=100000 -seed="$seed" -print_final_stats=1 >"$scratch/log" 2>&1
echo "$base's walker, ${STOCK_MUTATOR:+stock mutator, }$seconds s, seed $seed: $(sed -n 's/^stat::number_of_executed_units: *//p' \
  "$scratch/log") executions, $(find "$scratch/found" -type f | wc -l) pass-throughs"

# Files are <execution>-<milliseconds>-<what OpenSSL decoded>.
missing=0
for form in a:9+-octet-length b:high-tag-SEQUENCE c:v1-indefinite-algorithm; do
  first=
  while read -r name; do
    if [[ $name == *-TBSCertificate ]] &&
      python3 "$here/ber-forms.py" "$scratch/found/$name" | grep -q " $form"; then
      first=$name
      break
    fi
  done < <(find "$scratch/found" -type f -printf '%f\n' | sort -t- -k1,1n)
  if [[ -n $first ]]; then
    IFS=- read -r execs ms _ <<<"$first"
    printf '%-26s first after %6s executions, %6.1f s\n' "$form" "$execs" "$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')"
  else
    printf '%-26s not found\n' "$form"
    missing=1
  fi
done
echo "other pass-throughs, by what OpenSSL decoded:"
find "$scratch/found" -type f -printf '%f\n' | sed 's/^[0-9]*-[0-9]*-//' | sort | uniq -c
exit $missing
