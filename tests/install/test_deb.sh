#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cpack -G DEB` on a build tree makes the package the issue asks for,
# without installing it (scripts/ci-package.sh installs it with dpkg -i):
#   test_deb.sh BUILD_DIR SOURCE_DIR MODULES_DIR VERSION
set -euo pipefail

build_dir=$1 source_dir=$2 modules_dir=$3 version=$4
# ROLECERT_T64_PACKAGES: libpsl5 and libssl3 on Debian 12, libpsl5t64 and
# libssl3t64 on Debian 13.
# shellcheck source=scripts/lib.sh
source "$source_dir/scripts/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }
expect_eq() { # WHAT WANT GOT
  if [[ "$2" == "$3" ]]; then pass; else fail "$1: want [$2], got [$3]"; fi
}

arch=$(dpkg --print-architecture)
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; exit 1; }
deb=$work/out/rolecert_${version}_${arch}.deb
[[ -f $deb ]] || { fail "no $deb:"; ls "$work/out"; exit 1; }

expect_eq "Package" rolecert "$(dpkg-deb -f "$deb" Package)"
expect_eq "Version" "$version" "$(dpkg-deb -f "$deb" Version)"
expect_eq "Architecture" "$arch" "$(dpkg-deb -f "$deb" Architecture)"
expect_eq "Section" utils "$(dpkg-deb -f "$deb" Section)"
# Depends: what the binaries link (rolecert: libc, libidn2, libinih, libpsl, libcrypto;
# rolecert.so: libc, libcrypto, libidn2, libpsl) and the openssl command.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort | tr '\n' ' ')
expect_eq "Depends (package names)" \
    "$(printf '%s\n' libc6 libidn2-0 libinih1 openssl "${ROLECERT_T64_PACKAGES[@]}" | sort | tr '\n' ' ')" \
    "$depends"
for binary in usr/bin/rolecert "${modules_dir#/}/rolecert.so"; do
  dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$binary" >"$work/binary"
  needed=$(objdump -p "$work/binary" | awk '/NEEDED/ {print $2}' | sort | tr '\n' ' ')
  case $binary in
    */rolecert.so) expect_eq "NEEDED of rolecert.so" "libc.so.6 libcrypto.so.3 libidn2.so.0 libpsl.so.5 " "$needed" ;;
    *) expect_eq "NEEDED of rolecert" "libc.so.6 libcrypto.so.3 libidn2.so.0 libinih.so.1 libpsl.so.5 " "$needed" ;;
  esac
  if file "$work/binary" | grep -q ', stripped'; then pass; else fail "$binary is not stripped"; fi
done

# Contents: exactly the files of a /usr install, with Debian's modes.
{
  echo "-rwxr-xr-x ./usr/bin/rolecert"
  echo "-rw-r--r-- .$modules_dir/rolecert.so"
  echo "-rw-r--r-- ./usr/share/man/man1/rolecert.1.gz"
  echo "-rw-r--r-- ./usr/share/man/man5/rolecert-profile.5.gz"
  echo "-rw-r--r-- ./usr/share/man/man7/rolecert-provider.7.gz"
  echo "-rw-r--r-- ./usr/share/bash-completion/completions/rolecert"
  (cd "$source_dir/examples" && find . -type f | sed 's|^\./|-rw-r--r-- ./usr/share/rolecert/examples/|')
  (cd "$source_dir/docs" && find . -maxdepth 1 -type f | sed 's|^\./|-rw-r--r-- ./usr/share/doc/rolecert/|')
  echo "-rw-r--r-- ./usr/share/doc/rolecert/README.md"
  echo "-rw-r--r-- ./usr/share/doc/rolecert/copyright"
} | sort >"$work/want.txt"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $1, $6}' | sort >"$work/got.txt"
if diff -u "$work/want.txt" "$work/got.txt"; then pass; else fail "package contents differ"; fi
owners=$(dpkg-deb -c "$deb" | awk '{print $2}' | sort -u | tr '\n' ' ')
expect_eq "owners" "root/root " "$owners"

# The man pages inside are the gzip'ed roff of this version.
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man1/rolecert.1.gz | gzip -dc >"$work/rolecert.1"
if grep -q "^\.TH \"rolecert\" \"1\" .*\"rolecert $version\"" "$work/rolecert.1"; then
  pass
else
  fail "rolecert.1 in the package has no .TH for version $version"
fi

echo "deb: $(basename "$deb"), $(stat -c %s "$deb") bytes; $passed checks passed, $failed failed"
((failed == 0))
