#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Before and after a change to der/ that must not change a single result
# (a faster walk, say): builds walker_diff.c with the worktree's walker and
# REVISION's (from git, its symbols renamed old_*) into one libFuzzer
# binary, replays the tbs and cert_reader seed corpora through it, then
# fuzzes for SECONDS (default 60) with ber_mutator.c from a scratch copy
# of them. Needs clang; REVISION must have the same include/rolecert/tbs.h.
#
#   tests/fuzz/walker-diff.sh REVISION [SECONDS] [WORK_DIR]
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 REVISION [SECONDS] [WORK_DIR]" >&2
  exit 2
fi
revision=$1
seconds=${2:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${3:-$(mktemp -d)}
mkdir -p "$work/old" "$work/obj" "$work/corpus"

if ! git -C "$root" diff --quiet "$revision" -- include/rolecert/tbs.h; then
  echo "$0: $revision has another tbs.h: its tbs_names cannot be compared" >&2
  exit 2
fi
git -C "$root" archive "$revision" der include/rolecert/der.h | tar -x -C "$work/old"

sanitizers=fuzzer-no-link,address,undefined
flags=(-std=c11 -O1 -g "-fsanitize=$sanitizers" -fno-sanitize-recover=undefined)
renames=()
for symbol in tbs_parse tbs_sniff tbs_to_policy_names tbs_kind_name tbs_string_type_of_tag \
  der_header_read der_element_size; do
  renames+=("-D$symbol=old_$symbol")
done
# The old der.h first; policy.h and tbs.h (the same) from the worktree.
for f in tbs der; do
  clang "${flags[@]}" "${renames[@]}" -I"$work/old/include" -I"$root/include" \
    -c "$work/old/der/$f.c" -o "$work/obj/old_$f.o"
  clang "${flags[@]}" -I"$root/include" -c "$root/der/$f.c" -o "$work/obj/new_$f.o"
done
for f in "$root"/policy/*.c; do
  clang "${flags[@]}" -I"$root/include" -I"$root/policy" -c "$f" \
    -o "$work/obj/policy_$(basename "$f" .c).o"
done
clang "${flags[@]}" -I"$root/include" -c "$here/walker_diff.c" -o "$work/obj/walker_diff.o"
clang "${flags[@]}" -c "$here/ber_mutator.c" -o "$work/obj/ber_mutator.o"
clang -fsanitize=fuzzer,address,undefined "$work"/obj/*.o -lcrypto -lidn2 -lpsl \
  -o "$work/walker_diff"

cp "$here"/corpus/tbs/* "$here"/corpus/cert_reader/* "$work/corpus/"
# A difference aborts with both answers, its input saved as $work/crash-*.
"$work/walker_diff" -artifact_prefix="$work/" -runs=0 "$work/corpus"
"$work/walker_diff" -artifact_prefix="$work/" -max_total_time="$seconds" -max_len=4096 \
  -print_final_stats=1 "$work/corpus"
echo "walker-diff: no difference from $revision; work in $work"
