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
# One rule for every command: an option that takes a path (or a name) and is
# given an empty one is a usage error that names the option as written.
expect "conf -o empty" 2 "^\$" "rolecert conf: -o needs a file name" "$rolecert" conf x.ini -o ""
expect "conf --output= empty" 2 "^\$" "rolecert conf: --output needs a file name" "$rolecert" conf x.ini --output=
expect "conf --module empty" 2 "^\$" "rolecert conf: --module needs a file name" "$rolecert" conf x.ini --enforce --module ""
expect "conf --module relative" 2 "^\$" "rolecert conf: invalid --module 'rolecert.so': it must be absolute" "$rolecert" conf x.ini --enforce --module rolecert.so
expect "check --profile empty" 2 "^\$" "rolecert check: --profile needs a file name" "$rolecert" check x.pem --profile ""
expect "check --profile= empty" 2 "^\$" "rolecert check: --profile needs a file name" "$rolecert" check x.pem --profile=
expect "match --thumbprint empty" 2 "^\$" "rolecert match: invalid --thumbprint ''" "$rolecert" match x.pem contoso.com --thumbprint ""
expect "list --domain empty" 2 "^\$" "rolecert list: --domain needs a domain name" "$rolecert" list x.pem --domain ""
expect "list --thumbprint empty" 2 "^\$" "rolecert list: invalid --thumbprint ''" "$rolecert" list x.pem --thumbprint=
expect "clone -o empty" 2 "^\$" "rolecert clone: -o needs a file name" "$rolecert" clone x.pem -o ""
expect "clone --thumbprint bad" 2 "^\$" "rolecert clone: invalid --thumbprint 'abc'" "$rolecert" clone x.pem --thumbprint abc
expect "import --key empty" 2 "^\$" "rolecert import: --key needs a file name" "$rolecert" import x.pem --key "" -o b.pem
expect "import -o empty" 2 "^\$" "rolecert import: -o needs a file name" "$rolecert" import x.pem --key k.pem -o ""
expect "import --profile empty" 2 "^\$" "rolecert import: --profile needs a file name" "$rolecert" import x.pem --key k.pem -o b.pem --profile ""
expect "import --services empty" 2 "^\$" "rolecert import: --services needs a list of services" "$rolecert" import x.pem --key k.pem -o b.pem --services ""
expect "import --key= empty" 2 "^\$" "rolecert import: --key needs a file name" "$rolecert" import x.pem --key= -o b.pem
for command in conf check match list clone import; do
    expect "$command unknown option" 2 "^\$" "rolecert $command: unknown option '--frob'" "$rolecert" $command x --frob
    expect "$command option without its value" 2 "^\$" "needs a value" "$rolecert" $command x "$(
        case $command in conf) echo -o ;; check) echo --profile ;; match|list|clone) echo --thumbprint ;; import) echo --key ;; esac)"
done
if [ -w /dev/full ]; then
    expect "conf stdout full" 2 "^\$" "cannot write to standard output" \
        bash -c "'$rolecert' conf '$(dirname "$0")/edge_connector.ini' > /dev/full"
fi
[ "$failures" = 0 ]
