#!/usr/bin/env bash
# The man pages come from the command table: every command has one, every option that
# 'ksframe COMMAND --help' lists is in it, and groff renders each without a warning.
# Usage: manpage_test.sh KSFRAME
set -uo pipefail
ksframe=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
"$ksframe" manpage --directory "$work" || { echo "FAIL: manpage --directory"; exit 1; }
commands=$("$ksframe" --help | awk '/^Subcommands:/ {on=1; next} on && NF {print $1} on && !NF {exit}')
[[ -n $commands ]] || fail "no commands found in --help"
for page in "$work"/*.1; do
  groff -man -ww -z "$page" 2> "$work/warn" || fail "groff failed on $(basename "$page")"
  [[ -s $work/warn ]] && fail "groff warns on $(basename "$page"): $(head -1 "$work/warn")"
  # man -l renders the page as a user sees it.
  MANWIDTH=80 man -l "$page" > "$work/rendered" 2> /dev/null || fail "man -l failed on $(basename "$page")"
done
grep -q "ksframe\\\\-lint" "$work/ksframe.1" || fail "ksframe.1 does not list ksframe-lint"
for cmd in $commands; do
  page=$work/ksframe-$cmd.1
  [[ -f $page ]] || { fail "no man page for '$cmd'"; continue; }
  grep -q "ksframe\\\\-$cmd" "$work/ksframe.1" || fail "ksframe.1 does not list ksframe-$cmd"
  MANWIDTH=200 man -l "$page" 2> /dev/null > "$work/$cmd.txt"
  # Every long option of --help appears in the rendered page.
  for opt in $("$ksframe" "$cmd" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    grep -qF -- "$opt" "$work/$cmd.txt" || fail "ksframe-$cmd(1) lacks $opt"
  done
done
# Each page shows examples, and names files where the package installs them, not where they
# are in the source tree (docs/ci.md -> /usr/share/doc/ksframe/docs/ci.md).
for page in "$work"/*.1; do
  grep -q '^\.SH EXAMPLES$' "$page" || fail "$(basename "$page") has no EXAMPLES"
  repo_paths=$(grep -nE '(^|[ (])(docs|examples|schemas)/' "$page")
  [[ -z $repo_paths ]] || fail "$(basename "$page") names repository paths: $repo_paths"
done
grep -qF '(/usr/share/doc/ksframe/docs/c\-sources.md)' "$work/ksframe-diff.1" ||
  fail "ksframe-diff.1 does not point at the installed docs/c-sources.md"
# An unknown page is a usage error with a suggestion.
err=$("$ksframe" manpage lnit 2>&1 >/dev/null); code=$?
[[ $code == 2 && $err == "ksframe: no man page for 'lnit' (did you mean 'lint'?)" ]] || fail "manpage lnit: $code '$err'"
if ((failures)); then echo "$failures man page check(s) failed"; exit 1; fi
echo "man pages: $(ls "$work"/*.1 | wc -l) pages, every command and option present, groff clean"
