#!/usr/bin/env bash
# Drives the completion scripts that `ksframe completion` prints: bash through its real
# completion function (COMP_WORDS/COMP_CWORD, as readline sets them), fish through
# `complete -C`, zsh by a syntax check (its completion system needs a terminal).
# Usage: completion_test.sh KSFRAME
set -u
ksframe=$1
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ksframe" completion bash > "$work/ksframe.bash" || { echo "completion bash failed"; exit 1; }
# shellcheck source=/dev/null
source "$work/ksframe.bash"

# complete WORD... : the candidates for the last word, sorted, one line. A candidate holding a
# line break (choices split at spaces only, so one candidate was "irp<newline>direct") shows as
# <BROKEN:...> so it cannot pass for two.
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _ksframe
  local c
  for c in "${COMPREPLY[@]}"; do
    if [[ $c == *$'\n'* ]]; then printf '<BROKEN:%s>\n' "${c//$'\n'/|}"; else printf '%s\n' "$c"; fi
  done | sort | tr '\n' ' ' | sed 's/ $//'
}

expect() {  # expect "WANTED" WORD...
  local wanted=$1; shift
  local got; got=$(complete_words "$@")
  if [[ "$got" != "$wanted" ]]; then
    echo "FAIL: '$*' completed to '$got', wanted '$wanted'"
    failures=$((failures + 1))
  fi
}

expect "lint" ksframe li
expect "completion" ksframe comp
expect "--version" ksframe --vers
expect "--format" ksframe lint --fo
expect "sarif" ksframe lint --format s
expect "github json sarif text" ksframe lint -f ""
# --format=json: bash splits at '=' (COMP_WORDBREAKS), so the words are '--format' '=' 'j'.
expect "json" ksframe lint --format = j
expect "KSF1001 KSF1002 KSF1003 KSF1004 KSF1005 KSF1006 KSF1007 KSF1008 KSF1009" ksframe lint -d KSF100
expect "KSF4001 KSF4002 KSF4003 KSF4004 KSF4005 KSF4006 KSF4007 KSF4008 KSF4009" ksframe rules KSF400
expect "new-errors,memory-increase" ksframe diff a.yaml b.yaml --fail-on new-errors,mem
expect "bash fish zsh" ksframe completion ""
expect "diff explore import lint report spec" ksframe schema ""
expect "markdown" ksframe diff --format m
expect "direct irp" ksframe run --allocator-mode ""

# A real interactive bash on a pseudo-terminal: TAB pressed twice lists the values, and what
# completion inserts is what the line then holds (a candidate with a line break would run the
# command instead).
mkdir -p "$work/bin" && ln -s "$(cd "$(dirname "$ksframe")" && pwd)/$(basename "$ksframe")" "$work/bin/ksframe"
pty() { PATH="$work/bin:$PATH" timeout 30 python3 "$(dirname "$0")/bash_pty.py" "$work/ksframe.bash" "$1"; }
got=$(pty "ksframe run --allocator-mode ")
[[ $got == "LINE:ksframe run --allocator-mode "$'\n'"LIST:direct irp" ]] || { echo "FAIL: bash TAB TAB on --allocator-mode gave '$got'"; failures=$((failures + 1)); }
got=$(pty "ksframe run --allocator-mode d")
[[ $got == "LINE:ksframe run --allocator-mode direct " ]] || { echo "FAIL: bash TAB on --allocator-mode d gave '$got'"; failures=$((failures + 1)); }
got=$(pty "ksframe lint --format sa")
[[ $got == "LINE:ksframe lint --format sarif " ]] || { echo "FAIL: bash TAB on --format sa gave '$got'"; failures=$((failures + 1)); }

# Positionals: spec files (.yaml, .yml, .json) and directories, not other files.
mkdir -p "$work/tree/specs"
touch "$work/tree/a.yaml" "$work/tree/b.yml" "$work/tree/c.json" "$work/tree/notes.txt"
(
  cd "$work/tree" || exit 1
  got=$(complete_words ksframe lint "")
  [[ "$got" == "a.yaml b.yml c.json specs" ]] || { echo "FAIL: lint positional gave '$got'"; exit 1; }
  # After -o FILE the next word is still the first positional; -o itself takes any file.
  got=$(complete_words ksframe run -o out.json "")
  [[ "$got" == "a.yaml b.yml c.json specs" ]] || { echo "FAIL: run after -o gave '$got'"; exit 1; }
  got=$(complete_words ksframe run -o "n")
  [[ "$got" == "notes.txt" ]] || { echo "FAIL: -o gave '$got'"; exit 1; }
  # import's file is any file (a binary buffer).
  got=$(complete_words ksframe import "n")
  [[ "$got" == "notes.txt" ]] || { echo "FAIL: import file gave '$got'"; exit 1; }
) || failures=$((failures + 1))

# fish runs its completion engine without a terminal.
if command -v fish >/dev/null; then
  "$ksframe" completion fish > "$work/ksframe.fish"
  got=$(fish --no-config -c "source $work/ksframe.fish; complete -C 'ksframe lint --format '" | cut -f1 | sort | tr '\n' ' ')
  [[ "$got" == "github json sarif text " ]] || { echo "FAIL: fish --format gave '$got'"; failures=$((failures + 1)); }
  got=$(fish --no-config -c "source $work/ksframe.fish; complete -C 'ksframe expl'" | cut -f1)
  [[ "$got" == "explore" ]] || { echo "FAIL: fish command gave '$got'"; failures=$((failures + 1)); }
else
  echo "FAIL: fish is not installed (make test-deps installs it)"; failures=$((failures + 1))
fi
if command -v zsh >/dev/null; then
  "$ksframe" completion zsh > "$work/_ksframe"
  zsh -n "$work/_ksframe" || { echo "FAIL: zsh script does not parse"; failures=$((failures + 1)); }
else
  echo "FAIL: zsh is not installed (make test-deps installs it)"; failures=$((failures + 1))
fi

if ((failures)); then echo "$failures completion check(s) failed"; exit 1; fi
echo "completion: all checks passed"
