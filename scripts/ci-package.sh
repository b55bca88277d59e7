#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CI for the Debian package, run as root on a Debian 12 machine from the
# repository root:
#   bash scripts/ci-package.sh
# Builds a /usr build (no tests) in a temporary directory, makes the .deb with
# `cpack -G DEB`, installs it with `dpkg -i`, runs the Quick start and the
# README's 5-minute tour against the installed files only (/usr/bin/rolecert,
# /usr/share/rolecert/examples, the provider found by name), then purges the
# package again so the machine stays as it was. ROLECERT_PKG_BUILD_DIR keeps
# the build (and the .deb) in a directory of your choice.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$repo_root/scripts/lib.sh"

if ((EUID != 0)); then
  rolecert_log "ci-package: must run as root (dpkg -i)"
  exit 1
fi
if dpkg-query -W -f='${db:Status-Status}' rolecert 2>/dev/null | grep -qx installed; then
  if [[ ${CI:-} == true ]]; then
    rolecert_log "ci-package: removing a rolecert package left installed by an earlier run"
    dpkg --purge rolecert
  else
    rolecert_log "ci-package: the rolecert package is installed; remove it first (dpkg --purge rolecert)"
    exit 1
  fi
fi
if [[ -e /usr/bin/rolecert ]]; then
  rolecert_log "ci-package: /usr/bin/rolecert exists outside the package; refusing to overwrite it"
  exit 1
fi

rolecert_install_deps

work=$(mktemp -d)
build_dir=${ROLECERT_PKG_BUILD_DIR:-$work/build}
installed=false
cleanup() {
  local status=$?
  if $installed; then
    rolecert_log "ci-package: dpkg --purge rolecert"
    dpkg --purge rolecert >/dev/null || status=1
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

checks=0
expect_eq() { # WHAT WANT GOT
  if [[ "$2" != "$3" ]]; then
    printf 'ci-package: FAIL: %s\n  want: %s\n  got:  %s\n' "$1" "$2" "$3" >&2
    exit 1
  fi
  checks=$((checks + 1))
}
expect_grep() { # WHAT PATTERN FILE
  if ! grep -qE -- "$2" "$3"; then
    printf 'ci-package: FAIL: %s: no /%s/ in %s:\n' "$1" "$2" "$3" >&2
    cat "$3" >&2
    exit 1
  fi
  checks=$((checks + 1))
}

rolecert_log "ci-package: building a /usr build in $build_dir"
cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_INSTALL_PREFIX=/usr -DROLECERT_BUILD_TESTS=OFF >"$work/configure.log"
cmake --build "$build_dir" -j 2 >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
version=$("$build_dir/confgen/rolecert" --version | sed 's/^rolecert //')
arch=$(dpkg --print-architecture)
(cd "$build_dir" && cpack -G DEB >"$work/cpack.log") || { cat "$work/cpack.log" >&2; exit 1; }
deb=$build_dir/rolecert_${version}_${arch}.deb
[[ -f $deb ]] || { rolecert_log "ci-package: $deb was not built"; exit 1; }
rolecert_log "ci-package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb -f "$deb" Package Version Architecture Depends
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print "  " $1, $3, $6}'

rolecert_log "ci-package: dpkg -i $(basename "$deb")"
installed=true
dpkg -i "$deb"
expect_eq "package status" "install ok installed" "$(dpkg-query -W -f='${Status}' rolecert)"
expect_eq "rolecert on PATH" /usr/bin/rolecert "$(command -v rolecert)"
expect_eq "rolecert --version" "rolecert $version" "$(rolecert --version)"
modules_dir=$(pkg-config --variable=modulesdir libcrypto)
expect_eq "module installed" "$modules_dir/rolecert.so" "$(dpkg -L rolecert | grep '/rolecert\.so$')"
expect_eq "man rolecert" /usr/share/man/man1/rolecert.1.gz "$(man -w rolecert)"
expect_eq "man 5 rolecert-profile" /usr/share/man/man5/rolecert-profile.5.gz "$(man -w 5 rolecert-profile)"
expect_eq "man 7 rolecert-provider" /usr/share/man/man7/rolecert-provider.7.gz "$(man -w 7 rolecert-provider)"
MANWIDTH=80 man rolecert 2>"$work/man.err" >"$work/man.txt"
expect_eq "man rolecert warnings" "" "$(cat "$work/man.err")"
expect_grep "man rolecert" '^       rolecert - Exchange-grade certificate naming for stock OpenSSL$' "$work/man.txt"
expect_eq "bash completion" "complete -F _rolecert rolecert" \
  "$(bash -c 'source /usr/share/bash-completion/completions/rolecert && complete -p rolecert')"

# OpenSSL finds the provider by name: no OPENSSL_MODULES, no path.
unset OPENSSL_MODULES OPENSSL_CONF
openssl list -providers -provider rolecert -provider default >"$work/providers.txt"
expect_grep "openssl list -providers" '^  rolecert$' "$work/providers.txt"
expect_grep "rolecert provider active" 'status: active' "$work/providers.txt"

# The Quick start, against the installed files.
cd "$work"
examples=/usr/share/rolecert/examples
rolecert conf "$examples/edge.ini" -o edge.cnf >conf.out
expect_eq "printed command" \
  "openssl req -new -config edge.cnf -newkey rsa:2048 -noenc -keyout edge.key -out edge.req" "$(cat conf.out)"
bash conf.out 2>req.log
openssl req -in edge.req -noout -verify 2>/dev/null
expect_eq "subject" "subject=CN=mail1.contoso.com,O=Contoso Corp,C=US" \
  "$(openssl req -in edge.req -noout -subject -nameopt RFC2253,-esc_msb)"
san_of() { openssl "$1" -in "$2" -noout -text | grep -A1 'Subject Alternative Name' | tail -1 | sed 's/^ *//'; }
edge_san="DNS:mail1.contoso.com, DNS:contoso.com, DNS:fabrikam.com, DNS:mail.contoso.com"
expect_eq "SAN of the request" "$edge_san" "$(san_of req edge.req)"

# The tour: an enforced config loads the installed module by default.
rolecert conf "$examples/edge.ini" --enforce -o enforced.cnf >/dev/null
expect_grep "enforced config module" "^module = \"?$modules_dir/rolecert\\.so\"?$" enforced.cnf
openssl req -new -config enforced.cnf -key edge.key -out enforced.req
sed 's/^DNS\.1 = .*/DNS.1 = "bad_name.contoso.com"/' enforced.cnf >hand-edited.cnf
status=0
openssl req -new -config hand-edited.cnf -key edge.key -out bad.req 2>refused.log || status=$?
expect_eq "exit of a refused request" 1 "$status"
expect_grep "refusal names the rule" "rolecert:.*certificate name policy violation:.*error\[dns-syntax\] DNS name 'bad_name\.contoso\.com'" refused.log

# A CA signs with the provider: the good request passes, a bad one is refused.
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout ca.key -out ca.crt \
  -days 3650 -subj "/O=Contoso Corp/CN=Contoso Issuing CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
cat >ca-rolecert.cnf <<'CNF'
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect
alg_section = algorithm_sect

[provider_sect]
default = default_sect
rolecert = rolecert_sect

[default_sect]
activate = 1

[algorithm_sect]
default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no

[rolecert_sect]
activate = 1
CNF
OPENSSL_CONF=ca-rolecert.cnf openssl x509 -req -in edge.req -CA ca.crt -CAkey ca.key \
  -copy_extensions copy -days 365 -out edge.crt 2>sign.log
expect_eq "SAN of the issued certificate" "$edge_san" "$(san_of x509 edge.crt)"
openssl req -new -key edge.key -subj "/CN=bad_name.contoso.com" \
  -addext "subjectAltName=DNS:bad_name.contoso.com" -out outsider.req
status=0
OPENSSL_CONF=ca-rolecert.cnf openssl x509 -req -in outsider.req -CA ca.crt -CAkey ca.key \
  -copy_extensions copy -days 365 -out outsider.crt 2>ca-refused.log || status=$?
expect_eq "exit of a refused CA signature" 1 "$status"
expect_grep "CA refusal names the rule" "error\[dns-syntax\] DNS name 'bad_name\.contoso\.com'" ca-refused.log

# Import back: what the CA sent, for the key, checked against the profile.
rolecert import edge.crt --key edge.key -o edge-bundle.pem --profile "$examples/edge.ini" \
  >import.out 2>import.err
expect_eq "certificates in the bundle" 1 "$(grep -c 'BEGIN CERTIFICATE' edge-bundle.pem)"
expect_eq "bundle is the issued certificate" "$(openssl x509 -in edge.crt -noout -fingerprint -sha1)" \
  "$(openssl x509 -in edge-bundle.pem -noout -fingerprint -sha1)"
rolecert check edge.crt --profile "$examples/edge.ini" >check.out
expect_grep "check passes" "^edge\.crt: certificate 'CN=mail1\.contoso\.com,O=Contoso Corp,C=US': pass" check.out

# Removal leaves nothing behind.
dpkg -L rolecert | while read -r path; do [[ -f $path ]] && printf '%s\n' "$path"; done >files.txt
dpkg --purge rolecert >/dev/null
installed=false
while read -r path; do
  if [[ -e $path ]]; then
    printf 'ci-package: FAIL: %s is still there after dpkg --purge\n' "$path" >&2
    exit 1
  fi
done <files.txt
expect_eq "package gone" "" "$(dpkg-query -W -f='${db:Status-Status}' rolecert 2>/dev/null || true)"
expect_eq "files installed and removed" 1 "$(( $(wc -l <files.txt) >= 15 ))"

rolecert_log "ci-package: OK: $(basename "$deb") installed, Quick start and tour against the installed files, removed ($checks checks)"
