#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the libFuzzer targets of a -DROLECERT_FUZZ=ON build for as long as
# asked, one after the other (or ROLECERT_FUZZ_JOBS at a time):
#
#   tests/fuzz/run-long.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
#
# Each target starts from its seed corpus (tests/fuzz/corpus/TARGET, never
# written to); what it finds goes to BUILD_DIR/fuzz-work/TARGET. A crash,
# leak or broken invariant is saved as BUILD_DIR/fuzz-work/TARGET/crash-*,
# printed with the command that replays it, and makes the script exit 1:
# copy it to tests/fuzz/corpus/TARGET/regress-NAME once fixed.
# Prints one summary line per target: executions, coverage, features.
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jobs=${ROLECERT_FUZZ_JOBS:-1}
if (($# > 0)); then
  targets=("$@")
else
  targets=()
  for corpus in "$here"/corpus/*/; do
    name=$(basename "$corpus")
    [[ -x "$build_dir/tests/fuzz/fuzz_$name" ]] && targets+=("$name")
  done
fi
if ((${#targets[@]} == 0)); then
  echo "$0: no fuzz targets built in $build_dir (configure with -DROLECERT_FUZZ=ON)" >&2
  exit 2
fi

# Leaks are findings too; the targets free everything they allocate.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local name=$1
  local binary="$build_dir/tests/fuzz/fuzz_$name"
  local work="$build_dir/fuzz-work/$name"
  mkdir -p "$work/corpus"
  rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
  local rc=0
  # -rss_limit_mb: a 70,000-byte CN or a 64 MiB PEM must not need more.
  "$binary" "$work/corpus" "$here/corpus/$name" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=100000 \
    -print_final_stats=1 -artifact_prefix="$work/" >"$work/log" 2>&1 || rc=$?
  local stats
  stats=$(grep -E '^#[0-9]+.*(DONE|INITED|NEW|REDUCE|pulse)' "$work/log" | tail -1 || true)
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  local cov ft
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$stats")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$stats")
  if ((rc != 0)) || compgen -G "$work/crash-*" >/dev/null || compgen -G "$work/leak-*" >/dev/null ||
    compgen -G "$work/timeout-*" >/dev/null || compgen -G "$work/oom-*" >/dev/null; then
    echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} executions; log: $work/log" >&2
    grep -E 'ERROR|invariant broken|SUMMARY|Test unit written' "$work/log" | head -20 >&2 || true
    for artifact in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
      [[ -e "$artifact" ]] && echo "  replay: $binary $artifact" >&2
    done
    return 1
  fi
  printf 'fuzz %-12s %4ss  executions %-10s coverage %-6s features %s\n' \
    "$name" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}"
}

failed=0
running=0
declare -A pids=()
for name in "${targets[@]}"; do
  run_one "$name" &
  pids[$name]=$!
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
exit $failed
