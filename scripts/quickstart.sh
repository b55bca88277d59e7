#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Quick start on a fresh Debian 12, from the repository root:
#   bash scripts/quickstart.sh
# Installs the dependencies, builds rolecert, turns examples/edge.ini into an
# openssl.cnf and makes a key and a certificate request with stock openssl.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$repo_root/scripts/lib.sh"
cd "$repo_root"

rolecert_install_deps
rolecert_build "$repo_root"

out_dir=build/quickstart
mkdir -p "$out_dir"

rolecert_log "rolecert conf examples/edge.ini -o $out_dir/edge.cnf"
build/confgen/rolecert conf examples/edge.ini -o "$out_dir/edge.cnf"

# A re-run makes a new key and request rather than asking to overwrite.
rm -f "$out_dir/edge.key" "$out_dir/edge.req"
rolecert_log "openssl req: new RSA key and certificate request"
# This is the command rolecert just printed; key generation progress dots
# are dropped from the log.
openssl req -new -config "$out_dir/edge.cnf" -newkey rsa:2048 -noenc \
  -keyout "$out_dir/edge.key" -out "$out_dir/edge.req" 2>"$out_dir/openssl-req.log" || {
  cat "$out_dir/openssl-req.log" >&2
  exit 1
}
openssl req -in "$out_dir/edge.req" -noout -verify

rolecert_log "the request's subject and subject alternative names"
openssl req -in "$out_dir/edge.req" -noout -subject -nameopt RFC2253,-esc_msb
openssl req -in "$out_dir/edge.req" -noout -text -reqopt no_pubkey,no_sigdump \
  | grep -A1 'Subject Alternative Name'

rolecert_log "done: $out_dir/edge.req is ready for your CA; the key is $out_dir/edge.key"
