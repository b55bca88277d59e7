#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `rolecert clone` and `rolecert import` against failing outputs, as
# conf_faults.sh does for conf: -o /dev/full, standard output on /dev/full,
# a read-only directory (as nobody when root), a file-size limit (a full
# disk as the process sees it), and SIGKILL in the middle of an import with
# a long chain. Every failure must be exit 2 with an error line naming the
# cause, the existing output byte-for-byte intact and no temporary file
# left; a kill must leave the old file or the new one, never a mix.
#
#   clone_import_faults.sh ROLECERT_BINARY
set -euo pipefail

rolecert=$1
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
failures=0
cases=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# ---- inputs, made with stock openssl ------------------------------------
# A root, a chain of 120 intermediates and a leaf whose SAN holds 100 names:
# the import bundle is ~90 KiB (a write that takes a while), the cloned
# profile ~3 KiB (over a 1 KiB file-size limit).
pki="$work/pki"
mkdir "$pki"
intermediates=120
keygen() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca_ext="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid"
printf '%s\n' "$ca_ext" >"$pki/ca.ext"
keygen "$pki/ca0.key"
openssl req -x509 -new -key "$pki/ca0.key" -subj "/O=Contoso Test/CN=Contoso Test Root" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$pki/ca0.pem" 2>/dev/null
for i in $(seq 1 "$intermediates"); do
  keygen "$pki/ca$i.key"
  openssl req -new -key "$pki/ca$i.key" -subj "/O=Contoso Test/CN=Contoso Test CA $i" \
    -out "$pki/ca$i.csr" 2>/dev/null
  openssl x509 -req -in "$pki/ca$i.csr" -CA "$pki/ca$((i - 1)).pem" -CAkey "$pki/ca$((i - 1)).key" \
    -set_serial "$i" -days 3650 -extfile "$pki/ca.ext" -out "$pki/ca$i.pem" 2>/dev/null
done
san="DNS:mail.contoso.com"
for i in $(seq 1 99); do
  san="$san,DNS:host$i.contoso.com"
done
printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  "$san" >"$pki/leaf.ext"
keygen "$pki/leaf.key"
openssl req -new -key "$pki/leaf.key" -subj "/O=Contoso Corp/CN=mail.contoso.com" \
  -out "$pki/leaf.csr" 2>/dev/null
openssl x509 -req -in "$pki/leaf.csr" -CA "$pki/ca$intermediates.pem" \
  -CAkey "$pki/ca$intermediates.key" -set_serial 1000 -days 365 -extfile "$pki/leaf.ext" \
  -out "$pki/leaf.pem" 2>/dev/null
# What the CA sends back: the leaf and every CA certificate, root last.
answer="$work/answer.pem"
{
  cat "$pki/leaf.pem"
  for i in $(seq "$intermediates" -1 0); do cat "$pki/ca$i.pem"; done
} >"$answer"
key="$pki/leaf.key"
cert="$pki/leaf.pem"
chmod 644 "$key" "$answer" "$cert" # readable by nobody (below)
chmod 755 "$pki"

# The new outputs without faults: the references.
"$rolecert" clone "$cert" -o "$work/new.ini" 2>/dev/null || {
  echo "FAIL: clone does not work without faults" >&2
  exit 1
}
"$rolecert" import "$answer" --key "$key" -o "$work/new-bundle.pem" 2>/dev/null || {
  echo "FAIL: import does not work without faults" >&2
  exit 1
}
clone_size=$(stat -c %s "$work/new.ini")
bundle_size=$(stat -c %s "$work/new-bundle.pem")
((clone_size > 2048)) || fail "the cloned profile is only $clone_size bytes"
((bundle_size > 65536)) || fail "the bundle is only $bundle_size bytes"
(($(grep -c 'BEGIN CERTIFICATE' "$work/new-bundle.pem") == intermediates + 2)) ||
  fail "the bundle does not hold the leaf and all $((intermediates + 1)) CA certificates"

old_content="# the previous file, which must survive"

# expect_refused NAME DIR OUTPUT EXPECTED_ERROR_LINE_PART -- COMMAND...
# stderr goes through a pipe, which a file-size limit does not cover.
expect_refused() {
  local name=$1 dir=$2 output=$3 part=$4
  shift 5
  cases=$((cases + 1))
  local rc
  set +e
  "$@" 2>&1 >"$work/out.txt" | cat >"$work/err.txt"
  rc=${PIPESTATUS[0]}
  set -e
  if ((rc != 2)); then
    fail "$name: exit $rc, expected 2 ($(head -c 300 "$work/err.txt"))"
  fi
  if ! grep -q "^rolecert [a-z]*: error: .*$part" "$work/err.txt"; then
    fail "$name: no 'rolecert ...: error: ...$part' line: $(head -c 300 "$work/err.txt")"
  fi
  if [[ -n "$output" && "$(cat "$output" 2>/dev/null)" != "$old_content" ]]; then
    fail "$name: the existing output was changed"
  fi
  if [[ -n "$dir" && -n "$(find "$dir" -maxdepth 1 -name '.*.??????' -print -quit)" ]]; then
    fail "$name: a temporary file was left in $dir: $(ls -A "$dir")"
  fi
}

# 1. A device as -o: refused before anything is written; it stays a device.
for device in /dev/full /dev/null; do
  expect_refused "clone -o $device" "" "" "not a regular file" -- \
    "$rolecert" clone "$cert" -o "$device"
  expect_refused "import -o $device" "" "" "not a regular file" -- \
    "$rolecert" import "$answer" --key "$key" -o "$device"
  [[ -c $device ]] || fail "$device is no longer a character device"
done

# 2. Standard output on /dev/full (clone writes the profile there without -o).
cases=$((cases + 1))
rc=0
"$rolecert" clone "$cert" >/dev/full 2>"$work/err.txt" || rc=$?
((rc == 2)) || fail "clone >/dev/full: exit $rc, expected 2"
grep -q "^rolecert clone: error: cannot write to standard output" "$work/err.txt" ||
  fail "clone >/dev/full: $(cat "$work/err.txt")"
# import --services prints the server settings on stdout: when they cannot be
# written, exit 2 must still mean the existing bundle was not replaced.
cases=$((cases + 1))
printf '%s' "$old_content" >"$work/keep.pem"
rc=0
"$rolecert" import "$answer" --key "$key" -o "$work/keep.pem" --services smtp \
  >/dev/full 2>"$work/err.txt" || rc=$?
((rc == 2)) || fail "import --services >/dev/full: exit $rc, expected 2"
grep -q "^rolecert import: error: cannot write to standard output" "$work/err.txt" ||
  fail "import --services >/dev/full: $(cat "$work/err.txt")"
[[ "$(cat "$work/keep.pem")" == "$old_content" ]] ||
  fail "import --services >/dev/full: the existing bundle was replaced"
[[ -z "$(find "$work" -maxdepth 1 -name '.keep.pem.*' -print -quit)" ]] ||
  fail "import --services >/dev/full: a temporary file was left"

# 3. A read-only directory. Root ignores directory permissions, so as root
#    the runs drop to nobody (with a copy of the binary it can execute).
ro="$work/ro"
mkdir "$ro"
printf '%s' "$old_content" >"$ro/out.ini"
printf '%s' "$old_content" >"$ro/bundle.pem"
chmod 644 "$ro/out.ini" "$ro/bundle.pem"
chmod 555 "$ro"
run_as=()
binary=$rolecert
if ((EUID == 0)); then
  cp "$rolecert" "$work/rolecert" && chmod 755 "$work/rolecert"
  binary=$work/rolecert
  run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
expect_refused "clone, read-only directory" "$ro" "$ro/out.ini" "cannot create a temporary file" -- \
  "${run_as[@]}" "$binary" clone "$cert" -o "$ro/out.ini"
expect_refused "import, read-only directory" "$ro" "$ro/bundle.pem" \
  "cannot create a temporary file" -- \
  "${run_as[@]}" "$binary" import "$answer" --key "$key" -o "$ro/bundle.pem"
chmod 755 "$ro"

# 4. A full disk as the process sees it: a 1 KiB file-size limit makes the
#    write fail with EFBIG (SIGXFSZ ignored, as a shell would pass it on).
full="$work/full"
mkdir "$full"
limited=(bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' sh)
printf '%s' "$old_content" >"$full/out.ini"
expect_refused "clone, file-size limit" "$full" "$full/out.ini" "cannot write" -- \
  "${limited[@]}" "$rolecert" clone "$cert" -o "$full/out.ini"
printf '%s' "$old_content" >"$full/bundle.pem"
expect_refused "import, file-size limit" "$full" "$full/bundle.pem" "cannot write" -- \
  "${limited[@]}" "$rolecert" import "$answer" --key "$key" -o "$full/bundle.pem"

# 5. SIGKILL during an import, at many points: the bundle is always the old
#    file or the new one, whole. (A killed process cannot remove its
#    temporary file; those are counted, not failures.)
killed="$work/killed"
mkdir "$killed"
start_ns=$(date +%s%N)
"$rolecert" import "$answer" --key "$key" -o "$killed/bundle.pem" >/dev/null 2>&1
run_us=$((($(date +%s%N) - start_ns) / 1000))
cmp -s "$killed/bundle.pem" "$work/new-bundle.pem" || fail "two imports wrote different bundles"
old_seen=0 new_seen=0 left=0
for i in $(seq 1 60); do
  cases=$((cases + 1))
  printf '%s' "$old_content" >"$killed/bundle.pem"
  # Even runs: anywhere in the run; odd runs: the last 15% and just after,
  # where the bundle is written, synced and renamed.
  if ((i % 2 == 0)); then
    delay_us=$((run_us * i / 60))
  else
    delay_us=$((run_us * 85 / 100 + run_us * 30 * i / 6000))
  fi
  "$rolecert" import "$answer" --key "$key" -o "$killed/bundle.pem" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$(cat "$killed/bundle.pem")" == "$old_content" ]]; then
    old_seen=$((old_seen + 1))
  elif cmp -s "$killed/bundle.pem" "$work/new-bundle.pem"; then
    new_seen=$((new_seen + 1))
  else
    fail "kill $i: the bundle is neither the old nor the new file ($(stat -c %s "$killed/bundle.pem") bytes)"
  fi
  for temp in "$killed"/.bundle.pem.*; do
    [[ -e "$temp" ]] && left=$((left + 1)) && rm -f "$temp"
  done
done
echo "import, SIGKILL mid-run (one run: ${run_us} us): $old_seen x old file, $new_seen x new file," \
  "$left temporary files left by kills"
((new_seen > 0 && old_seen > 0)) || fail "the kills did not land both before and after the rename"

if ((failures > 0)); then
  echo "$failures failures in $cases cases" >&2
  exit 1
fi
echo "clone and import faults: all $cases cases passed"
