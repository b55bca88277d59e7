#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# One golden case: runs `rolecert conf NAME.ini` twice (with -o and to
# standard output) in a scratch directory and compares byte for byte:
#   NAME.cnf     the expected config (exit 0 only)
#   NAME.stderr  the expected diagnostics (empty when absent)
#   NAME.exit    the expected exit code (0 when absent)
#   NAME.args    extra arguments, one per line (optional)
# For a non-zero exit it also checks that no output file was created, that
# an existing one is left untouched, and that no temporary file remains.
set -u
rolecert=$1
cases=$2
name=$3

fail() { echo "golden $name: $*" >&2; exit 1; }

[ -f "$cases/$name.ini" ] || fail "no $name.ini"
expected_exit=0
[ -f "$cases/$name.exit" ] && expected_exit=$(cat "$cases/$name.exit")
extra=()
if [ -f "$cases/$name.args" ]; then
    mapfile -t extra < "$cases/$name.args"
fi

work=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$work"' EXIT
cp "$cases/$name.ini" "$work/" || fail "copy"
touch "$work/expected.stderr"
[ -f "$cases/$name.stderr" ] && cp "$cases/$name.stderr" "$work/expected.stderr"
cd "$work" || fail "cd"

same() { # expected actual what
    if ! cmp -s "$1" "$2"; then
        echo "golden $name: $3 differs (expected vs actual):" >&2
        diff -u "$1" "$2" >&2
        exit 1
    fi
}

only_profile_left() {
    local left
    left=$(ls -A | grep -v -x -e "$name.ini" -e expected.stderr -e run.out -e run.err \
        -e keep.cnf -e keep.orig)
    [ -z "$left" ] || fail "files left behind: $left"
}

# 1. with -o
"$rolecert" conf "$name.ini" -o "$name.cnf" "${extra[@]}" > run.out 2> run.err
rc=$?
[ "$rc" = "$expected_exit" ] || { cat run.err >&2; fail "exit $rc with -o, expected $expected_exit"; }
same expected.stderr run.err "stderr with -o"
if [ "$expected_exit" = 0 ]; then
    same "$cases/$name.cnf" "$name.cnf" "written config"
    # The command printed on stdout is the one in the file's header.
    sed -n '2s/^# //p' "$cases/$name.cnf" > command.expected
    same command.expected run.out "stdout with -o (the openssl command)"
    rm -f command.expected "$name.cnf"
else
    [ ! -e "$name.cnf" ] || fail "exit $rc but $name.cnf exists"
    [ ! -s run.out ] || fail "exit $rc but stdout is not empty"
    only_profile_left
    # An existing output file is left as it was.
    printf 'previous contents\n' > keep.cnf
    cp keep.cnf keep.orig
    "$rolecert" conf "$name.ini" -o keep.cnf "${extra[@]}" > run.out 2> run.err
    rc=$?
    [ "$rc" = "$expected_exit" ] || fail "exit $rc over an existing file"
    same keep.orig keep.cnf "existing output file"
    only_profile_left
    rm -f keep.cnf keep.orig
fi

# 2. to standard output: same bytes; the command follows the diagnostics.
"$rolecert" conf "$name.ini" "${extra[@]}" > run.out 2> run.err
rc=$?
[ "$rc" = "$expected_exit" ] || fail "exit $rc to stdout, expected $expected_exit"
if [ "$expected_exit" = 0 ]; then
    same "$cases/$name.cnf" run.out "config on stdout"
    sed -n '2s/^# //p' "$cases/$name.cnf" >> expected.stderr
else
    [ ! -s run.out ] || fail "exit $rc but stdout is not empty"
fi
same expected.stderr run.err "stderr without -o"
rm -f run.out run.err
only_profile_left
exit 0
