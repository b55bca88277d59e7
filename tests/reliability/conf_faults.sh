#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `rolecert conf` against failing outputs: /dev/full (as -o and as standard
# output), a read-only directory, a file-size limit (a full disk as the
# process sees it), a tiny tmpfs when one can be mounted, and SIGKILL in the
# middle of a large write. Every failure must be exit 2 with a one-line
# reason, the existing output byte-for-byte intact and no temporary file
# left; a kill must leave the old file or the new one, never a mix.
#
#   conf_faults.sh ROLECERT_BINARY
set -euo pipefail

rolecert=$1
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# A profile whose config is large (about 150 KiB), so writes take a while.
big="$work/big.ini"
{
  printf '[role]\ntype = custom\nfqdn = mail.contoso.com\n\n[subject]\nname = O=Contoso Corp, CN=mail.contoso.com\n\n[names]\n'
  for i in $(seq 0 3999); do
    printf 'dns = host%04d.contoso.com\n' "$i"
  done
  printf '\n[key]\ntype = ec\ncurve = P-256\n'
} >"$big"
small="$work/small.ini"
printf '[role]\ntype = custom\nfqdn = mail.contoso.com\n\n[subject]\nname = CN=mail.contoso.com\n\n[key]\ntype = ec\ncurve = P-256\n' >"$small"

"$rolecert" conf "$big" >"$work/new.cnf" 2>/dev/null || {
  echo "FAIL: the big profile does not generate" >&2
  exit 1
}
new_size=$(stat -c %s "$work/new.cnf")
((new_size > 100000)) || fail "big config only $new_size bytes"
old_content="# the previous config, which must survive"

# expect_refused NAME DIR OUTPUT EXPECTED_STDERR_PART -- COMMAND...
expect_refused() {
  local name=$1 dir=$2 output=$3 part=$4
  shift 5
  local rc=0
  "$@" >"$work/out.txt" 2>"$work/err.txt" || rc=$?
  if ((rc != 2)); then
    fail "$name: exit $rc, expected 2 ($(head -c 300 "$work/err.txt"))"
  fi
  if ! grep -q -- "$part" "$work/err.txt"; then
    fail "$name: stderr lacks '$part': $(head -c 300 "$work/err.txt")"
  fi
  if (($(wc -l <"$work/err.txt") != 1)); then
    fail "$name: expected one line on stderr, got: $(cat "$work/err.txt")"
  fi
  if [[ -n "$output" && "$(cat "$output" 2>/dev/null)" != "$old_content" ]]; then
    fail "$name: the existing output was changed"
  fi
  if [[ -n "$dir" ]] && compgen -G "$dir/.*.XXXXXX" >/dev/null ||
    [[ -n "$dir" && -n "$(find "$dir" -maxdepth 1 -name '.*.cnf.??????' -print -quit)" ]]; then
    fail "$name: a temporary file was left in $dir"
  fi
}

# 1. /dev/full as the output: refused before anything is written, and the
#    device stays a device (rename() over it would replace it when root).
expect_refused "-o /dev/full" "" "" "not a regular file" -- "$rolecert" conf "$small" -o /dev/full
[[ -c /dev/full ]] || fail "/dev/full is no longer a character device"
expect_refused "-o /dev/null" "" "" "not a regular file" -- "$rolecert" conf "$small" -o /dev/null
[[ -c /dev/null ]] || fail "/dev/null is no longer a character device"

# 2. Standard output on /dev/full.
rc=0
"$rolecert" conf "$small" >/dev/full 2>"$work/err.txt" || rc=$?
((rc == 2)) || fail "stdout /dev/full: exit $rc, expected 2"
grep -q "cannot write to standard output" "$work/err.txt" || fail "stdout /dev/full: $(cat "$work/err.txt")"
# With -o the printed command is what meets the full stdout: exit 2 must
# still mean the existing file was not replaced.
printf '%s' "$old_content" >"$work/keep.cnf"
rc=0
"$rolecert" conf "$small" -o "$work/keep.cnf" >/dev/full 2>"$work/err.txt" || rc=$?
((rc == 2)) || fail "-o with stdout /dev/full: exit $rc, expected 2"
grep -q "cannot write to standard output" "$work/err.txt" || fail "-o with stdout /dev/full: $(cat "$work/err.txt")"
[[ "$(cat "$work/keep.cnf")" == "$old_content" ]] || fail "-o with stdout /dev/full: the existing output was replaced"
[[ -z "$(find "$work" -maxdepth 1 -name '.keep.cnf.*' -print -quit)" ]] || fail "-o with stdout /dev/full: a temporary file was left"

# 3. A read-only directory. Root ignores directory permissions, so as root
#    the run drops to nobody (with a copy of the binary it can execute).
ro="$work/ro"
mkdir "$ro"
printf '%s' "$old_content" >"$ro/out.cnf"
chmod 644 "$ro/out.cnf"
chmod 555 "$ro"
run_as=()
binary=$rolecert
if ((EUID == 0)); then
  cp "$rolecert" "$work/rolecert" && chmod 755 "$work/rolecert"
  binary=$work/rolecert
  chmod 644 "$small"
  run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
expect_refused "read-only directory" "$ro" "$ro/out.cnf" "cannot create a temporary file" -- \
  "${run_as[@]}" "$binary" conf "$small" -o "$ro/out.cnf"
chmod 755 "$ro"

# 4. A full disk as the process sees it: a file-size limit of 16 KiB (room
#    for the error message, not for the config) makes the write fail with
#    EFBIG (SIGXFSZ ignored, as a shell would pass it on).
full="$work/full"
mkdir "$full"
printf '%s' "$old_content" >"$full/out.cnf"
expect_refused "file-size limit" "$full" "$full/out.cnf" "cannot write" -- \
  bash -c 'trap "" XFSZ; ulimit -f 16; exec "$@"' sh "$rolecert" conf "$big" -o "$full/out.cnf"

# 5. A tiny tmpfs, when this machine lets us mount one (root with
#    CAP_SYS_ADMIN in a private mount namespace).
if ((EUID == 0)) && unshare --mount true 2>/dev/null; then
  tiny="$work/tiny"
  mkdir "$tiny"
  rc=0
  unshare --mount bash -c '
    set -e
    mount -t tmpfs -o size=64k tmpfs "$1" || exit 77
    printf "%s" "$2" >"$1/out.cnf"
    rc=0
    "$3" conf "$4" -o "$1/out.cnf" 2>"$1/err.txt" || rc=$?
    [[ $rc == 2 ]] || { echo "exit $rc, expected 2" >&2; exit 1; }
    grep -q "No space left on device" "$1/err.txt" || { cat "$1/err.txt" >&2; exit 1; }
    [[ "$(cat "$1/out.cnf")" == "$2" ]] || { echo "existing output changed" >&2; exit 1; }
    [[ $(ls -A "$1" | wc -l) == 2 ]] || { ls -A "$1" >&2; echo "temporary file left" >&2; exit 1; }
  ' sh "$tiny" "$old_content" "$rolecert" "$big" || rc=$?
  if ((rc == 77)); then
    echo "note: cannot mount a tmpfs here; the file-size limit case stands in for a full disk"
  elif ((rc != 0)); then
    fail "tiny tmpfs"
  else
    echo "tiny tmpfs (64 KiB): exit 2, existing output intact, no temporary file"
  fi
else
  echo "note: not root or no mount namespace; the file-size limit case stands in for a full disk"
fi

# 6. SIGKILL during a large write, at many points: the output is always the
#    old file or the new one, whole. (A killed process cannot remove its
#    temporary file; those are counted, not failures.)
killed="$work/killed"
mkdir "$killed"
# How long one run takes here (ASan and valgrind builds are much slower).
# The same run, unkilled, is also the "new file" to compare with (the
# header names the output path).
start_ns=$(date +%s%N)
"$rolecert" conf "$big" -o "$killed/out.cnf" >/dev/null 2>&1
run_us=$((($(date +%s%N) - start_ns) / 1000))
mv "$killed/out.cnf" "$work/new.cnf"
old_seen=0 new_seen=0 left=0
kills=0
# One run killed after delay_us microseconds; tallies what it left.
kill_after() {
  local delay_us=$1 pid temp
  kills=$((kills + 1))
  printf '%s' "$old_content" >"$killed/out.cnf"
  "$rolecert" conf "$big" -o "$killed/out.cnf" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$(cat "$killed/out.cnf")" == "$old_content" ]]; then
    old_seen=$((old_seen + 1))
  elif cmp -s "$killed/out.cnf" "$work/new.cnf"; then
    new_seen=$((new_seen + 1))
  else
    fail "kill $kills: the output is neither the old nor the new file ($(stat -c %s "$killed/out.cnf") bytes)"
  fi
  for temp in "$killed"/.out.cnf.*; do
    if [[ -e "$temp" ]]; then
      left=$((left + 1))
      rm -f "$temp"
    fi
  done
}
for i in $(seq 1 60); do
  # Even runs: anywhere in the run; odd runs: the last 15% and just after,
  # where the file is written, synced and renamed.
  if ((i % 2 == 0)); then
    kill_after $((run_us * i / 60))
  else
    kill_after $((run_us * 85 / 100 + run_us * 30 * i / 6000))
  fi
done
# On a loaded machine a run may take much longer or shorter than the one
# measured: widen the sweep until kills have landed on both sides of the
# rename, so the check above has seen both outcomes.
for widen in $(seq 1 12); do
  ((old_seen > 0 && new_seen > 0)) && break
  if ((old_seen == 0)); then
    kill_after 0
  else
    kill_after $((run_us << widen))
  fi
done
echo "SIGKILL mid-run (one run: ${run_us} us): $old_seen x old file, $new_seen x new file," \
  "$left temporary files left by kills"
((new_seen > 0 && old_seen > 0)) || fail "the kills did not land both before and after the rename"

if ((failures > 0)); then
  echo "$failures failures" >&2
  exit 1
fi
echo "conf faults: all cases passed"
