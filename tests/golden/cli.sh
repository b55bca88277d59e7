#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# rolecert's command line: help, version, dispatch and usage errors.
set -u
rolecert=$1
version=$2
failures=0
expect() { # description expected-exit expected-stdout-pattern expected-stderr-pattern cmd...
    local what=$1 want_rc=$2 out_pat=$3 err_pat=$4
    shift 4
    local out err rc
    out=$("$@" 2>/tmp/rolecert-cli-err.$$); rc=$?
    err=$(cat /tmp/rolecert-cli-err.$$); rm -f /tmp/rolecert-cli-err.$$
    if [ "$rc" != "$want_rc" ] || ! grep -q -e "$out_pat" <<<"$out" || ! grep -q -e "$err_pat" <<<"$err"; then
        echo "FAIL: $what (exit $rc)"; echo "stdout: $out"; echo "stderr: $err"
        failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}
expect "--version" 0 "^rolecert $version\$" "^\$" "$rolecert" --version
expect "--help lists conf" 0 "^  conf " "^\$" "$rolecert" --help
expect "no command" 2 "^\$" "^usage: rolecert COMMAND" "$rolecert"
expect "unknown command" 2 "^\$" "^rolecert: unknown command 'frobnicate'" "$rolecert" frobnicate
for option in "-o FILE, --output FILE" "--prefix NAME" "--explain" "-h, --help"; do
    expect "conf --help lists $option" 0 "^  $option" "^\$" "$rolecert" conf --help
done
expect "conf without profile" 2 "^\$" "no profile given" "$rolecert" conf
expect "conf unknown option" 2 "^\$" "unknown option '--frob'" "$rolecert" conf x.ini --frob
expect "conf -o twice" 2 "^\$" "-o given twice" "$rolecert" conf x.ini -o a -o b
expect "conf two profiles" 2 "^\$" "unexpected argument 'y.ini'" "$rolecert" conf x.ini y.ini
expect "conf prefix too long" 2 "^\$" "invalid --prefix" "$rolecert" conf x.ini --prefix "$(printf 'a%.0s' {1..33})"
expect "conf missing file" 2 "^\$" "^/nonexistent/x.ini: error: cannot open the profile: No such file or directory" "$rolecert" conf /nonexistent/x.ini
expect "conf output path with newline" 2 "^\$" "control character" "$rolecert" conf x.ini -o "$(printf 'a\nb')"
expect "conf unwritable output" 2 "^\$" "cannot create a temporary file for /nonexistent/dir/out.cnf" \
    "$rolecert" conf "$(dirname "$0")/edge_connector.ini" -o /nonexistent/dir/out.cnf
if [ -w /dev/full ]; then
    expect "conf stdout full" 2 "^\$" "cannot write to standard output" \
        bash -c "'$rolecert' conf '$(dirname "$0")/edge_connector.ini' > /dev/full"
fi
[ "$failures" = 0 ]
