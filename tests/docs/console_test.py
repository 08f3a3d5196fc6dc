#!/usr/bin/env python3
"""Runs every command that README.md and docs/*.md show in a ```console block and compares its
output with what the block shows, so the documentation cannot drift from the behaviour.

A block is a shell session: `$ COMMAND` lines (a line ending in a backslash goes on with the
next), each followed by the output it shows, standard output and standard error as the terminal
shows them (interleaved). In the shown output:
  - a line that is `...` (indentation aside) stands for any number of lines, none included;
  - ` ... ` inside a line stands for any text (a column left out of a wide table).
Every other line must be exactly what the command prints. `echo $?` shows the exit code of the
command before it. The commands of one block run in one shell, in a scratch copy of the
repository's examples/, tests/data/ and schemas/, with ksframe first on PATH.

A block that cannot run in a test (it needs a driver's tree, a network, an installed package)
is marked on the line before its fence, with the reason:
    <!-- console: not run (it needs a driver's own source tree) -->
Usage: console_test.py KSFRAME SOURCE_DIR
"""
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile

NOT_RUN = re.compile(r"<!-- console: not run \((.+)\) -->")
MARK = "\x1eksframe-console-test-command\x1e"


def blocks(path):
    """(line of the fence, lines of the block, reason it is not run or None) for each block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            start, body = i + 1, []
            not_run = NOT_RUN.search(lines[i - 1]) if i else None
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            yield start, body, not_run.group(1) if not_run else None
        i += 1


def session(body):
    """[(command, shown output lines)] of a block."""
    steps = []
    i = 0
    while i < len(body):
        if not body[i].startswith("$ "):
            raise ValueError(f"output before any command: {body[i]!r}")
        command = body[i][2:]
        while command.endswith("\\") and i + 1 < len(body):
            i += 1
            command += "\n" + body[i]
        shown = []
        i += 1
        while i < len(body) and not body[i].startswith("$ "):
            shown.append(body[i])
            i += 1
        steps.append((command, shown))
    return steps


def run(steps, cwd, env):
    """The output of each command, running them in one bash. The mark between two commands keeps
    the exit code of the first for `echo $?`."""
    keep = "ksframe_console_status=$?; printf '%s\\n' '" + MARK + "'; (exit $ksframe_console_status)\n"
    script = "".join(keep + command + "\n" for command, _ in steps)
    result = subprocess.run(["bash", "--norc", "--noprofile"], input=script, cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", timeout=300)
    outputs = result.stdout.split(MARK + "\n")[1:]
    return [o.split("\n")[:-1] if o.endswith("\n") else o.split("\n") for o in outputs]


def line_matches(shown, actual):
    if " ... " not in shown:
        return shown == actual
    parts = [re.escape(p) for p in shown.split(" ... ")]
    return re.fullmatch(r" .*? ".join(parts), actual) is not None


def trimmed(lines):
    """Without the blank lines at the end (a terminal shows them as nothing)."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def matches(shown, actual):
    """Whether actual lines fit the shown ones (`...` lines match any run of lines)."""
    shown, actual = trimmed(shown), trimmed(actual)
    @functools.lru_cache(maxsize=None)
    def fit(i, k):  # shown[i:] against actual[k:]
        if i == len(shown):
            return k == len(actual)
        if shown[i].strip() == "...":
            return any(fit(i + 1, j) for j in range(k, len(actual) + 1))
        return k < len(actual) and line_matches(shown[i], actual[k]) and fit(i + 1, k + 1)
    return fit(0, 0)


def scratch(src):
    work = tempfile.mkdtemp(prefix="ksframe-console-")
    for d in ("examples", "tests/data", "schemas"):
        shutil.copytree(os.path.join(src, d), os.path.join(work, d), symlinks=True)
    return work


def main():
    ksframe, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    env = dict(os.environ, PATH=os.path.dirname(ksframe) + os.pathsep + os.environ["PATH"],
               NO_COLOR="1", LC_ALL="C.UTF-8", COLUMNS="80")
    docs = [os.path.join(src, "README.md")] + sorted(
        os.path.join(src, "docs", f) for f in os.listdir(os.path.join(src, "docs")) if f.endswith(".md"))
    failures = ran = skipped = 0
    for doc in docs:
        name = os.path.relpath(doc, src)
        for line, body, not_run in blocks(doc):
            if not_run:
                skipped += 1
                continue
            work = scratch(src)
            try:
                steps = session(body)
                outputs = run(steps, work, env)
            except (ValueError, subprocess.TimeoutExpired) as e:
                print(f"FAIL: {name}:{line}: {e}")
                failures += 1
                continue
            finally:
                shutil.rmtree(work, ignore_errors=True)
            for (command, shown), actual in zip(steps, outputs + [[]] * len(steps)):
                ran += 1
                if not matches(shown, actual):
                    failures += 1
                    print(f"FAIL: {name}:{line}: $ {command}\n--- the docs show\n" + "\n".join(shown) +
                          "\n--- it prints\n" + "\n".join(actual) + "\n---")
    print(f"docs: {ran} commands run, {skipped} block(s) marked not run")
    print(f"{ran - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
