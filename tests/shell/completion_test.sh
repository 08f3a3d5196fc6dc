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

# complete WORD... : the candidates for the last word, sorted, one line.
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _ksframe
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
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
