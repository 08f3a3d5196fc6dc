#!/usr/bin/env bash
# A CI job on a hostile pull request, as docs/security.md promises it: the tree of
# hostile_tree.sh, a secret (the canary) in the environment and in a file outside the tree.
# `lint`, `lint --format github`, `report --format markdown` over every spec and C source, and
# the GitHub Action's own script, each within its bound. Then: the canary is in no output and no
# file the job wrote, and nothing outside the tree changed.
# Usage: canary_ci_test.sh KSFRAME SOURCE_DIR
set -u
ksframe=$(realpath "$1")
source_dir=$(realpath "$2")
# shellcheck source=tests/security/hostile_tree.sh
source "$source_dir/tests/security/hostile_tree.sh"
d=$(mktemp -d)
d=$(cd "$d" && pwd -P)
trap 'rm -rf "$d"' EXIT
lay_out_hostile_tree "$d"
export CANARY_TOKEN=$CANARY GITHUB_TOKEN=$CANARY
cd "$d/repo" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
snapshot() { (cd "$d/outside" && find . -printf '%p %m %s %T@\n' | sort && sha256sum ./* | sort); }
before=$(snapshot)

# run BOUND NAME COMMAND...: the command must end within BOUND seconds; its output is kept.
n=0
run() {
  local bound=$1 name=$2
  shift 2
  n=$((n + 1))
  local start end
  start=$(date +%s.%N)
  timeout "$((bound + 5))" "$@" > "$d/out.$n" 2>&1 < /dev/null
  local rc=$?
  end=$(date +%s.%N)
  [[ $rc != 124 && $rc != 137 ]] || fail "$name did not end within its bound"
  awk -v s="$start" -v e="$end" -v b="$bound" 'BEGIN { exit !(e - s <= b) }' ||
    fail "$name took $(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }') s, over $bound s"
  grep -q "$CANARY" "$d/out.$n" && fail "$name printed the canary"
  cp "$d/out.$n" "$d/$name.log"
}

# Every file of the tree a CI job would hand ksframe, streams and links included.
inputs=(specs/*.yaml driver/*.c camera.ksframe.yaml)
# Each refusal is immediate and a C source parses in well under a second, but driver/fifo.h, a
# FIFO a source includes, holds clang until its time limit (5 s here): the bound of a command
# is twice that limit for each such source, plus a margin, far from an hour.
limit=(--clang-time-limit 5)
run 30 lint "$ksframe" lint "${limit[@]}" -- "${inputs[@]}"
run 30 lint-github "$ksframe" lint --format github "${limit[@]}" -- "${inputs[@]}"
for f in "${inputs[@]}"; do
  run 20 "report-$(basename "$f")" "$ksframe" report --format markdown "${limit[@]}" -o "$d/report.md" -- "$f"
  [[ -f $d/report.md ]] && grep -q "$CANARY" "$d/report.md" && fail "the report of $f holds the canary"
  rm -f "$d/report.md"
done
# The Action's script, as action.yml runs it (no pull-request comment: no API here).
run 300 action env KSFRAME="$ksframe" OUT_DIR=ksframe-out INPUT_SPECS="specs/*.yaml" \
  INPUT_COMMENT=false bash "$source_dir/action/ksframe-action.sh"
[[ -s ksframe-out/ksframe.sarif && -s ksframe-out/comment.md ]] || fail "the action wrote no SARIF or comment"
if grep -rq "$CANARY" ksframe-out; then fail "a file the action wrote holds the canary"; fi
grep -q "lint could not run (exit 2)" ksframe-out/comment.md ||
  fail "the action's comment does not say the tree was refused"

[[ $(snapshot) == "$before" ]] || fail "a file outside the tree changed:
$(diff <(echo "$before") <(snapshot))"
if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "$n commands over the hostile tree: no canary in any output, nothing outside the tree changed"
