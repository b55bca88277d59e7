#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# completion/rolecert offers exactly the commands of `rolecert --help` and
# the options of each `rolecert CMD --help`, and completes files and values:
#   test_completion.sh ROLECERT_BINARY COMPLETION_FILE
set -uo pipefail

binary=$1
completion=$(readlink -f "$2")
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
ln -s "$(readlink -f "$binary")" "$bin_dir/rolecert"
export PATH=$bin_dir:$PATH
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }
expect_eq() { # WHAT WANT GOT
  if [[ "$2" == "$3" ]]; then pass; else fail "$1: want [$2], got [$3]"; fi
}

# Completes the command line "$1" (completion point at its end) in a fresh
# bash with bash-completion loaded, as an interactive shell would; prints the
# candidates sorted, space-separated.
complete_line() {
  local line=$1 dir=${2:-.}
  (cd "$dir" && bash --norc -c '
    source /usr/share/bash-completion/bash_completion 2>/dev/null
    source "$1"
    COMP_LINE=$2
    COMP_POINT=${#COMP_LINE}
    read -ra COMP_WORDS <<<"$COMP_LINE"
    [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _rolecert rolecert "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    if ((${#COMPREPLY[@]})); then printf "%s\n" "${COMPREPLY[@]}"; fi' bash "$completion" "$line") | sort | tr '\n' ' '
}

commands=$(rolecert --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort | tr '\n' ' ')
read -ra command_list <<<"$commands"
expect_eq "commands" "$(printf '%s\n' "${command_list[@]}" help | sort | tr '\n' ' ')" "$(complete_line 'rolecert ')"
expect_eq "rolecert --" "--help --version " "$(complete_line 'rolecert --')"
expect_eq "rolecert co" "conf " "$(complete_line 'rolecert co')"

for command in "${command_list[@]}"; do
  want=$(rolecert "$command" --help | grep -oE '(^|[][ ,])--[a-z][a-z0-9-]*' | sed 's/^[][ ,]*//' | sort -u | tr '\n' ' ')
  expect_eq "rolecert $command --" "$want" "$(complete_line "rolecert $command --")"
done
expect_eq "conf options exactly" "--enforce --explain --help --module --output --prefix " \
  "$(complete_line 'rolecert conf --')"

files=$(mktemp -d)
mkdir "$files/sub"
touch "$files/edge.ini" "$files/notes.txt" "$files/host.pem" "$files/host.key"
expect_eq "conf PROFILE" "edge.ini sub " "$(complete_line 'rolecert conf ' "$files")"
expect_eq "conf -o FILE" "edge.ini host.key host.pem notes.txt sub " "$(complete_line 'rolecert conf edge.ini -o ' "$files")"
expect_eq "check FILE" "host.pem sub " "$(complete_line 'rolecert check ' "$files")"
expect_eq "match DOMAIN after CERT" "" "$(complete_line 'rolecert match host.pem ' "$files")"
expect_eq "--prefix value" "" "$(complete_line 'rolecert conf edge.ini --prefix ' "$files")"
expect_eq "--services" "smtp " "$(complete_line 'rolecert import x --services sm' "$files")"
expect_eq "--services list" "smtp,imap " "$(complete_line 'rolecert import x --services smtp,i' "$files")"
expect_eq "--key" "host.key host.pem sub " "$(complete_line 'rolecert import x --key ' "$files")"
rm -rf "$files"

echo "completion: $passed checks passed, $failed failed"
((failed == 0))
