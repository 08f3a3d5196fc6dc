#!/usr/bin/env bash
# Runs the GitHub Action's script (action/ksframe-action.sh) in a scratch git repository with
# a base and a head commit, against a local stand-in for GitHub's comments API, and the
# pre-commit hook (.pre-commit-hooks.yaml) through pre-commit itself.
# Usage: action_test.sh KSFRAME SOURCE_DIR
set -uo pipefail
ksframe=$1
src=$2
work=$(mktemp -d)
server_pid=
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
git_() { git -c user.name=test -c user.email=test@example.org -c init.defaultBranch=main "$@"; }

# The repository: the base commit has two specs, the head changes one (more frames: more
# memory) and adds a third.
repo=$work/repo
mkdir -p "$repo/specs"
cd "$repo" || exit 1
git_ init -q .
cp "$src/tests/data/diff/base.yaml" specs/camera.yaml
cp "$src/examples/ac97-audio.yaml" specs/audio.yaml
git_ add -A && git_ commit -qm base
base=$(git rev-parse HEAD)
cp "$src/tests/data/diff/more-frames.yaml" specs/camera.yaml
cp "$src/examples/encoder-two-pipes.yaml" specs/encoder.yaml
git_ add -A && git_ commit -qm head

python3 "$src/tests/action/fake_github.py" "$work/state.json" "$work/port" &
server_pid=$!
for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
[[ -s $work/port ]] || { echo "FAIL: the fake GitHub did not start"; exit 1; }

run_action() {  # run_action FAIL_ON: runs the action's script as the workflow would
  env KSFRAME="$ksframe" INPUT_SPECS='specs/**/*.yaml' INPUT_FAIL_ON="$1" BASE_SHA="$base" \
      OUT_DIR="$work/out" GITHUB_API_URL="http://127.0.0.1:$(cat "$work/port")" \
      GITHUB_REPOSITORY=acme/driver GITHUB_TOKEN=secret-token PR_NUMBER=7 GITHUB_OUTPUT="$work/github-output" \
      bash "$src/action/ksframe-action.sh" > "$work/stdout" 2> "$work/stderr"
}
state() { python3 -c "import json,sys; s=json.load(open('$work/state.json')); print(eval(sys.argv[1]))" "$1"; }

# First push: the memory-increase gate trips; one comment is posted.
run_action memory-increase,new-errors; code=$?
[[ $code == 1 ]] || fail "memory-increase should fail the check: exit $code; $(cat "$work/stderr")"
[[ $(state 'len(s["comments"])') == 1 ]] || fail "expected one comment, state: $(cat "$work/state.json")"
[[ $(state '[r["method"] for r in s["requests"]]') == "['GET', 'POST']" ]] || fail "first push requests: $(state 's["requests"]')"
[[ $(state 's["requests"][0]["auth"]') == "Bearer secret-token" ]] || fail "the token is not sent"
body=$(state 's["comments"][0]["body"]')
[[ $body == "<!-- ksframe-action -->"* ]] || fail "the comment does not start with its marker"
[[ $body == *"<code>specs/camera.yaml</code>"* ]] || fail "the changed spec has no report in the comment"
[[ $body == *"memory-increase"* ]] || fail "the comment does not show the diff's gates"
[[ $body == *'`specs/encoder.yaml` is new: no base to compare with.'* ]] || fail "the new spec is not called new"
[[ $body != *"specs/audio.yaml"* ]] || fail "an unchanged spec was reported"
[[ $(cat "$work/stdout") == *"commented on pull request #7"* ]] || fail "stdout: $(cat "$work/stdout")"
python3 - "$work/out/ksframe.sarif" << 'PY' || fail "the SARIF file is not SARIF 2.1.0 naming the specs"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0"
assert s["runs"][0]["tool"]["driver"]["name"] == "ksframe"
PY
grep -q "exit-code=1" "$work/github-output" || fail "GITHUB_OUTPUT lacks exit-code=1"
[[ -f $work/out/report-1.html ]] || fail "no HTML report was written"

# Second push: the same comment is updated, not a second one posted.
run_action new-errors; code=$?
[[ $code == 0 ]] || fail "new-errors alone should pass: exit $code; $(cat "$work/stderr")"
[[ $(state 'len(s["comments"])') == 1 ]] || fail "a second comment was posted"
[[ $(state '[r["method"] for r in s["requests"]][2:]') == "['GET', 'PATCH']" ]] || fail "second push requests: $(state 's["requests"]')"
[[ $(cat "$work/stdout") == *"updated the comment on pull request #7"* ]] || fail "stdout: $(cat "$work/stdout")"

# A pattern that matches nothing is a usage error, not a pass.
env KSFRAME="$ksframe" INPUT_SPECS='nothing/*.yaml' OUT_DIR="$work/out2" bash "$src/action/ksframe-action.sh" > "$work/stdout" 2>&1
code=$?
[[ $code == 2 && $(cat "$work/stdout") == "::error::ksframe: no file matches 'nothing/*.yaml'" ]] || fail "no match: $code $(cat "$work/stdout")"

# The pre-commit hook: a hook repository holding this tree's .pre-commit-hooks.yaml, and a
# project whose commit stages a broken spec and a clean one.
if command -v pre-commit > /dev/null; then
  hooks=$work/hooks
  mkdir -p "$hooks" && cp "$src/.pre-commit-hooks.yaml" "$hooks/"
  (cd "$hooks" && git_ init -q . && git_ add -A && git_ commit -qm hooks)
  project=$work/project
  mkdir -p "$project/specs" && cd "$project" && git_ init -q .
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks: [{id: ksframe-lint}]\n' "$hooks" "$(git -C "$hooks" rev-parse HEAD)" > .pre-commit-config.yaml
  cp "$src/examples/capture-preview.yaml" specs/good.yaml
  echo "not a spec" > notes.yaml  # outside specs/: not the hook's business
  git_ add -A
  export PATH="$(dirname "$ksframe"):$PATH" PRE_COMMIT_HOME=$work/pre-commit-cache
  pre-commit run --all-files > "$work/pc.out" 2>&1 || fail "pre-commit on a clean spec: $(cat "$work/pc.out")"
  cp "$src/examples/broken/framing-ranges.yaml" specs/bad.yaml && git_ add -A
  pre-commit run --all-files > "$work/pc.out" 2>&1 && fail "pre-commit passed a broken spec"
  grep -q "specs/bad.yaml:15:37: error: .*\[KSF1003\]" "$work/pc.out" || fail "pre-commit output: $(cat "$work/pc.out")"
else
  fail "pre-commit is not installed (make test-deps installs it)"
fi

if ((failures)); then echo "$failures action check(s) failed"; exit 1; fi
echo "action: lint, comment posted then updated, gates; pre-commit hook: clean passes, broken fails"
