#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `DESTDIR=... cmake --install BUILD --prefix /usr` installs exactly the
# expected files, and what it installed works from there:
#   test_install_tree.sh BUILD_DIR SOURCE_DIR MODULES_DIR VERSION
# MODULES_DIR is libcrypto's modules directory (absolute).
set -euo pipefail

build_dir=$1 source_dir=$2 modules_dir=$3 version=$4
multiarch_modules=${modules_dir#/}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/stage
passed=0 failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }
expect_eq() { # WHAT WANT GOT
  if [[ "$2" == "$3" ]]; then pass; else fail "$1: want [$2], got [$3]"; fi
}

DESTDIR=$stage cmake --install "$build_dir" --prefix /usr >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; exit 1; }

# The exact file list.
{
  echo "usr/bin/rolecert"
  echo "$multiarch_modules/rolecert.so"
  echo "usr/share/man/man1/rolecert.1.gz"
  echo "usr/share/man/man5/rolecert-profile.5.gz"
  echo "usr/share/man/man7/rolecert-provider.7.gz"
  echo "usr/share/bash-completion/completions/rolecert"
  (cd "$source_dir/examples" && find . -type f | sed 's|^\./|usr/share/rolecert/examples/|')
  (cd "$source_dir/docs" && find . -maxdepth 1 -type f | sed 's|^\./|usr/share/doc/rolecert/|')
  echo "usr/share/doc/rolecert/README.md"
  echo "usr/share/doc/rolecert/copyright"
} | sort >"$work/want.txt"
(cd "$stage" && find . -type f -o -type l) | sed 's|^\./||' | sort >"$work/got.txt"
if diff -u "$work/want.txt" "$work/got.txt" >"$work/files.diff"; then
  pass
else
  fail "installed files differ from the expected list:"
  cat "$work/files.diff"
fi

# Modes: the program 0755; the module (a shared object, as Debian wants) and
# everything else 0644.
expect_eq "mode of bin/rolecert" 755 "$(stat -c %a "$stage/usr/bin/rolecert")"
expect_eq "mode of rolecert.so" 644 "$(stat -c %a "$stage/$multiarch_modules/rolecert.so")"
expect_eq "mode of rolecert.1.gz" 644 "$(stat -c %a "$stage/usr/share/man/man1/rolecert.1.gz")"

# Man pages: gzip, no embedded name or time, and each renders with its NAME.
for page in man1/rolecert.1 man5/rolecert-profile.5 man7/rolecert-provider.7; do
  gz=$stage/usr/share/man/$page.gz
  name=$(basename "$page" | sed 's/\.[0-9]$//')
  if gzip -t "$gz" 2>/dev/null; then pass; else fail "$page.gz is not gzip"; fi
  # gzip -n: the header's MTIME field (bytes 4-7) is zero.
  expect_eq "$page.gz gzip time stamp" "00000000" "$(od -An -tx1 -j4 -N4 "$gz" | tr -d ' \n')"
  rendered=$(MANWIDTH=80 man -l "$gz" 2>"$work/man.err")
  expect_eq "man -l $page.gz warnings" "" "$(cat "$work/man.err")"
  if grep -q "^       $name - " <<<"$rendered"; then pass; else fail "$page: no NAME line for $name"; fi
done

# The installed binary runs and knows where the module is installed.
expect_eq "installed --version" "rolecert $version" "$("$stage/usr/bin/rolecert" --version)"
if "$stage/usr/bin/rolecert" conf --help | grep -qF "(default: $modules_dir/rolecert.so)"; then
  pass
else
  fail "conf --help does not name $modules_dir/rolecert.so as the default module"
fi

# The installed examples and module work together: a config from the
# installed edge.ini, enforced by the installed module (found by name in
# OPENSSL_MODULES, standing for the modules directory).
export OPENSSL_MODULES=$stage/$multiarch_modules
providers=$(openssl list -providers -provider rolecert -provider default)
if grep -A3 '^  rolecert$' <<<"$providers" | grep -q 'status: active'; then
  pass
else
  fail "openssl list -providers does not show rolecert active:"$'\n'"$providers"
fi
cd "$work"
"$stage/usr/bin/rolecert" conf "$stage/usr/share/rolecert/examples/edge.ini" --enforce \
  --module "$stage/$multiarch_modules/rolecert.so" -o edge.cnf >conf.out
expect_eq "printed command" \
  "openssl req -new -config edge.cnf -newkey rsa:2048 -noenc -keyout edge.key -out edge.req" \
  "$(cat conf.out)"
openssl req -new -config edge.cnf -newkey rsa:2048 -noenc -keyout edge.key -out edge.req 2>req.err
expect_eq "SAN of the request" \
  "DNS:mail1.contoso.com, DNS:contoso.com, DNS:fabrikam.com, DNS:mail.contoso.com" \
  "$(openssl req -in edge.req -noout -text | grep -A1 'Subject Alternative Name' | tail -1 | sed 's/^ *//')"
sed 's/^DNS\.1 = .*/DNS.1 = "bad_name.contoso.com"/' edge.cnf >bad.cnf
status=0
openssl req -new -config bad.cnf -key edge.key -out bad.req 2>bad.err || status=$?
expect_eq "exit of a refused openssl req" 1 "$status"
if grep -q "error\[dns-syntax\] DNS name 'bad_name.contoso.com'" bad.err; then
  pass
else
  fail "refusal does not name dns-syntax: $(cat bad.err)"
fi

echo "install-tree: $passed checks passed, $failed failed"
((failed == 0))
