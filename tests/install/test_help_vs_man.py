#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`rolecert --help`, `rolecert CMD --help` and `--version` against rolecert(1).

usage: test_help_vs_man.py ROLECERT_BINARY BUILT_ROFF_rolecert.1 PROJECT_VERSION

- `rolecert --version` prints exactly "rolecert VERSION"; the man page's
  .TH names the same version.
- Every command listed by `rolecert --help` has a "rolecert CMD" subsection
  under COMMANDS, and `rolecert CMD --help` exits 0 with its usage.
- Every option token of `rolecert CMD --help` (usage lines and the terms of
  its options block) appears in that subsection; every option term of the
  subsection (and every option of its synopsis line) appears in the help.
- A subsection for a command that `rolecert --help` does not list is
  skipped only while that command does not exist either (`rolecert CMD
  --help` fails); once it lands, the check tightens by itself.
"""
import re
import subprocess
import sys

OPTION_TOKEN = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


def help_commands(main_help):
    """The names in the 'commands:' block of `rolecert --help`."""
    names, inside = [], False
    for line in main_help.splitlines():
        if line == "commands:":
            inside = True
            continue
        if inside:
            if not line.strip():
                break
            match = re.match(r"^  ([a-z][a-z-]*) ", line)
            if not match:
                raise AssertionError(f"unexpected line in the commands block: {line!r}")
            names.append(match.group(1))
    return names


def help_option_tokens(command_help):
    """Option tokens of a command's --help: its usage lines and its option terms."""
    tokens = set()
    in_usage = in_options = False
    for line in command_help.splitlines():
        if line.startswith("usage:") or (in_usage and line.startswith(" ")):
            in_usage = True
            tokens.update(OPTION_TOKEN.findall(line.split(":", 1)[1] if line.startswith("usage:") else line))
            continue
        in_usage = False
        if line == "options:":
            in_options = True
            continue
        if in_options and not line.strip():
            in_options = False
        if in_options and re.match(r"^  +-", line):
            term = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            tokens.update(OPTION_TOKEN.findall(term))
    return tokens


def roff_to_text(line):
    """scdoc's roff to plain text: fonts, zero-width and escaped characters."""
    line = re.sub(r"\\f[BIRP]", "", line)
    line = line.replace("\\&", "").replace("\\(aq", "'").replace("\\*(Aq", "'")
    line = line.replace("\\-", "-").replace("\\e", "\\").replace("\\\\", "\\")
    return line


def parse_man(roff):
    """{section: {subsection or '': [lines]}}, plus the .TH line and term lines."""
    sections, terms = {}, {}
    section = subsection = None
    lines = roff.splitlines()
    th_line = next((line for line in lines if line.startswith(".TH ")), "")
    for index, line in enumerate(lines):
        if line.startswith(".SH "):
            section, subsection = roff_to_text(line[4:]).strip().strip('"'), ""
            sections.setdefault(section, {}).setdefault(subsection, [])
            continue
        if line.startswith(".SS "):
            subsection = roff_to_text(line[4:]).strip().strip('"')
            sections[section].setdefault(subsection, [])
            continue
        if section is None or line.startswith(".") or line.startswith("'"):
            continue
        text = roff_to_text(line)
        sections[section][subsection].append(text)
        # A definition term is the text line right before ".RS".
        if index + 1 < len(lines) and lines[index + 1].startswith(".RS"):
            terms.setdefault((section, subsection), []).append(text)
    return th_line, sections, terms


def token_in(token, text):
    return re.search(r"(?<![\w-])" + re.escape(token) + r"(?![\w-])", text) is not None


def main():
    binary, roff_path, version = sys.argv[1:4]
    failures = []
    checks = 0

    def check(condition, message):
        nonlocal checks
        checks += 1
        if not condition:
            failures.append(message)

    with open(roff_path, encoding="utf-8") as f:
        th_line, sections, terms = parse_man(f.read())

    result = run([binary, "--version"])
    check(result.returncode == 0 and result.stdout == f"rolecert {version}\n" and result.stderr == "",
          f"--version: exit {result.returncode}, stdout {result.stdout!r}, want 'rolecert {version}\\n'")
    check(f'"rolecert {version}"' in th_line, f"rolecert(1) .TH does not name version {version}: {th_line!r}")

    main_help = run([binary, "--help"])
    check(main_help.returncode == 0 and main_help.stderr == "", f"--help: exit {main_help.returncode}")
    commands = help_commands(main_help.stdout)
    check(len(commands) >= 1 and commands[0] == "conf", f"--help lists no commands: {commands}")

    global_text = "\n".join(sections.get("GLOBAL OPTIONS", {}).get("", []))
    for token in sorted(OPTION_TOKEN.findall(main_help.stdout)):
        check(token_in(token, global_text), f"`rolecert --help` prints {token}, GLOBAL OPTIONS lacks it")

    man_commands = {}
    for subsection in sections.get("COMMANDS", {}):
        match = re.fullmatch(r"rolecert ([a-z][a-z-]*)", subsection)
        if match:
            man_commands[match.group(1)] = subsection
    check(bool(man_commands), "rolecert(1) has no 'rolecert CMD' subsection under COMMANDS")
    synopsis = "\n".join(sections.get("SYNOPSIS", {}).get("", []))

    skipped = []
    for command in sorted(set(man_commands) - set(commands)):
        probe = run([binary, command, "--help"])
        if probe.returncode == 0:
            check(False, f"'{command}' exists (its --help exits 0) but `rolecert --help` does not list it")
        else:
            skipped.append(command)

    for command in commands:
        check(command in man_commands, f"command '{command}' of `rolecert --help` has no subsection in rolecert(1)")
        if command not in man_commands:
            continue
        result = run([binary, command, "--help"])
        check(result.returncode == 0 and result.stderr == "",
              f"rolecert {command} --help: exit {result.returncode}, stderr {result.stderr!r}")
        check(result.stdout.startswith(f"usage: rolecert {command} "),
              f"rolecert {command} --help does not start with its usage line")
        check(token_in(f"rolecert {command}", synopsis), f"SYNOPSIS has no 'rolecert {command}' line")
        help_tokens = help_option_tokens(result.stdout)
        check("--help" in help_tokens, f"rolecert {command} --help does not list --help")
        subsection = man_commands[command]
        man_text = "\n".join(sections["COMMANDS"][subsection])
        for token in sorted(help_tokens):
            check(token_in(token, man_text),
                  f"rolecert {command} --help prints {token}, rolecert(1) '{subsection}' does not")
        man_tokens = set()
        for term in terms.get(("COMMANDS", subsection), []):
            man_tokens.update(OPTION_TOKEN.findall(term))
        # The subsection's own synopsis line (its first text line).
        first_line = next((line for line in sections["COMMANDS"][subsection] if line.strip()), "")
        man_tokens.update(OPTION_TOKEN.findall(first_line))
        check(len(man_tokens) >= 2, f"rolecert(1) '{subsection}' documents no options")
        for token in sorted(man_tokens - help_tokens):
            check(False, f"rolecert(1) '{subsection}' documents {token}, rolecert {command} --help does not")

    for message in failures:
        print(f"FAIL: {message}")
    print(f"commands checked: {', '.join(commands)}; skipped (not in the build yet): "
          f"{', '.join(skipped) or 'none'}")
    print(f"help-vs-man: {checks - len(failures)} of {checks} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
