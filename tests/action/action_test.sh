#!/usr/bin/env bash
# Runs the GitHub Action's script (action/ksframe-action.sh) as GitHub runs it: in a clone made
# the way actions/checkout makes it (shallow, one commit), with a pull_request event file and
# GitHub's variables (GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ...), against a
# local stand-in for GitHub's REST API (fake_github.py, on 127.0.0.1); then the pre-commit
# hooks (.pre-commit-hooks.yaml) through pre-commit itself.
# Usage: action_test.sh KSFRAME SOURCE_DIR
set -uo pipefail
ksframe=$1
src=$2
work=$(mktemp -d)
server_pid=
stop_server() { [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null; server_pid=; }
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT; [[ -n ${KEEP:-} ]] && trap - EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
git_() { git -c user.name=test -c user.email=test@example.org -c init.defaultBranch=main -c protocol.file.allow=always "$@"; }

# The origin: the base commit (main) has a camera spec, an audio spec, a spec that includes a
# tuner's C source (whose header sets its frame count) and a spec whose name is hostile; the
# pull request's commit gives the camera more frames, changes the header only (8 -> 4096
# frames) and edits the hostile spec.
hostile='specs/x`<img src=x onerror=alert(1)>`[*]?|.yaml'
origin=$work/origin
mkdir -p "$origin/specs" && cd "$origin" || exit 1
git_ init -q .
cp "$src/tests/data/diff/base.yaml" specs/camera.yaml
cp "$src/examples/ac97-audio.yaml" specs/audio.yaml
cp -r "$src/tests/data/include/driver" "$src/tests/data/include/shared" specs/
cp "$src/tests/data/include/tuner-graph.yaml" specs/tuner-graph.yaml
cp "$src/examples/capture-preview.yaml" "$hostile"
git_ add -A && git_ commit -qm base
base=$(git rev-parse HEAD)
git_ checkout -qb feature
cp "$src/tests/data/diff/more-frames.yaml" specs/camera.yaml
sed -i 's/#define TS_FRAMES 8$/#define TS_FRAMES 4096/' specs/driver/tuner.h
sed -i 's/^name: .*/name: renamed-by-the-pull-request/' "$hostile"
cp "$src/examples/ac97-audio.yaml" 'specs/new[*]?.yaml'  # a glob in its name: once diffed against nothing
git_ add -A && git_ commit -qm "pull request"
head=$(git rev-parse HEAD)
git_ checkout -q main

# actions/checkout of a pull_request: the head commit alone (fetch-depth 1), origin set.
clone() {  # clone DIR
  rm -rf "$1" && git_ clone -q --depth=1 --no-local --branch feature "file://$origin" "$1"
}
printf '{"pull_request": {"number": 7, "base": {"ref": "main", "sha": "%s"}, "head": {"sha": "%s"}}}\n' \
  "$base" "$head" > "$work/event.json"

start_server() {  # start_server [SEED_FILE]
  stop_server
  rm -f "$work/port"
  python3 "$src/tests/action/fake_github.py" "$work/state.json" "$work/port" "$@" &
  server_pid=$!
  for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
  [[ -s $work/port ]] || { echo "FAIL: the fake GitHub did not start"; exit 1; }
}

run_action() {  # run_action TOKEN FAIL_ON: the action's step in the clone $work/ws
  rm -rf "$work/out" && : > "$work/summary" && : > "$work/github-output"
  (cd "$work/ws" && env -u BASE_SHA -u PR_NUMBER KSFRAME="$ksframe" INPUT_SPECS='specs/**/*.yaml' \
    INPUT_FAIL_ON="$2" INPUT_COMMENT=true OUT_DIR="$work/out" \
    GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$work/event.json" GITHUB_WORKSPACE="$work/ws" \
    GITHUB_API_URL="http://127.0.0.1:$(cat "$work/port")" GITHUB_REPOSITORY=acme/driver \
    GITHUB_TOKEN="$1" KSFRAME_COMMENT_AUTHOR='github-actions[bot]' \
    GITHUB_OUTPUT="$work/github-output" GITHUB_STEP_SUMMARY="$work/summary" \
    bash "$src/action/ksframe-action.sh" > "$work/stdout" 2> "$work/stderr")
}
state() { python3 -c "import json,sys; s=json.load(open('$work/state.json')); print(eval(sys.argv[1]))" "$1"; }
output() { sed -n "s/^$1=//p" "$work/github-output"; }

# 1. A shallow clone with a regression: the base is fetched, the gate fails.
clone "$work/ws"
[[ $(git -C "$work/ws" rev-parse --is-shallow-repository) == true ]] || fail "the clone is not shallow"
git -C "$work/ws" cat-file -e "$base^{commit}" 2> /dev/null && fail "the shallow clone already has the base"
start_server
run_action actions-token new-errors,memory-increase; code=$?
[[ $code == 1 ]] || fail "a regression on a shallow clone should fail: exit $code; $(cat "$work/stderr")"
[[ $(cat "$work/stderr") == *"the clone lacks the base commit $base: fetching it"* ]] || fail "stderr: $(cat "$work/stderr")"
body=$(state 's["comments"][0]["body"]' 2> /dev/null)
first=$(sed -n 2p <<< "$body")
[[ $first == '**ksframe: FAIL** · failed: `memory-increase` in <code>specs/camera.yaml</code> · `memory-increase` in <code>specs/tuner-graph.yaml</code>' ]] ||
  fail "first line: $first"
[[ $body == *'Base <code>main&#64;'"${base:0:12}"'</code>: 4 of 6 spec(s) read a file this pull request changes.'* ]] || fail "base line: $body"
[[ $body == *'### <code>specs/camera.yaml</code>: **failed** `memory-increase`'* ]] || fail "no camera section: $body"
[[ $body != *"specs/audio.yaml"* ]] || fail "an unchanged spec was evaluated"
[[ $body != *"/out/base-tree"* ]] || fail "the scratch base path shows in the comment"
[[ $(output exit-code) == 1 && $(output errors) == 0 && $(output comment-file) == "$work/out/comment.md" ]] ||
  fail "outputs: $(cat "$work/github-output")"
[[ $(output warnings) =~ ^[0-9]+$ ]] || fail "warnings output: $(output warnings)"
[[ $(cat "$work/out/comment.md") == "$body" ]] || fail "comment-file differs from the comment"
[[ -f $work/out/html/report-1.html ]] || fail "no HTML report"
[[ -z $(git -C "$work/ws" worktree list --porcelain | grep -c "base-tree" | grep -v '^0$') ]] || fail "the base worktree was left"

# 3. The driver header changed, the spec did not: evaluated, its frames shown.
[[ $body == *'### <code>specs/tuner-graph.yaml</code>: **failed** `memory-increase`'* ]] || fail "the header change was not evaluated: $body"
[[ $(sed -n '/### <code>specs\/tuner-graph.yaml/,/<details>/p' <<< "$body") == *"| pipe-1 frames | 8 | 4,096 | +4,088 |"* ]] ||
  fail "the tuner's diff does not show 8 -> 4096 frames"

# 4. The hostile name is escaped everywhere the action writes it.
name_html='<code>specs/x&#96;&#60;img&#32;src&#61;x&#32;onerror&#61;alert&#40;1&#41;&#62;&#96;&#91;&#42;&#93;&#63;&#124;.yaml</code>'
[[ $body == *"### $name_html: passed"* ]] || fail "the hostile spec's section: $(grep -n 'specs/x' <<< "$body")"
[[ $body == *'### <code>specs/new&#91;&#42;&#93;&#63;.yaml</code>: new in this pull request'* ]] ||
  fail "the new spec with a glob in its name: $(grep -n 'specs/new' <<< "$body")"
# ksframe's own report shows it in code spans (``...``), where Markdown shows HTML as text; no
# other line holds it raw.
raw=$(grep -F '<img' <<< "$body" | grep -vF '``specs/x`<img src=x onerror=alert(1)>`[*]?|.yaml')
[[ -z $raw ]] || fail "the hostile name reached the comment unescaped: $raw"

# The second push updates the action's own comment.
run_action actions-token new-errors; code=$?
[[ $code == 0 ]] || fail "new-errors alone should pass: exit $code; $(cat "$work/stderr")"
[[ $(state 'len(s["comments"])') == 1 ]] || fail "a second comment was posted"
[[ $(state '[r["method"] + " " + r["path"].split("?")[0] for r in s["requests"]][-3:]') == "['GET /user', 'GET /repos/acme/driver/issues/7/comments', 'PATCH /repos/acme/driver/issues/comments/1000']" ]] ||
  fail "second push requests: $(state 's["requests"]')"
[[ $(sed -n 2p <<< "$(state 's["comments"][0]["body"]')") == '**ksframe: PASS** · no gate failed' ]] || fail "updated first line"

# A base that cannot be had is a loud failure, not "every spec is new".
clone "$work/ws"
git -C "$work/ws" remote set-url origin "file://$work/nowhere"
run_action actions-token new-errors; code=$?
[[ $code == 2 ]] || fail "a missing base should exit 2: $code"
[[ $(tail -n 1 "$work/stderr") == "::error::ksframe: the base commit $base cannot be had (not in the clone, and 'git fetch origin $base' failed): no gate can run without it. Check out with fetch-depth: 0, or let the job reach the remote." ]] ||
  fail "missing base said: $(cat "$work/stderr")"

# 2. A fork's pull request: the token may not comment; a warning, the job summary, a pass.
clone "$work/ws"
start_server
run_action read-only-token new-errors; code=$?
[[ $code == 0 ]] || fail "a read-only token should not fail the check: exit $code; $(cat "$work/stderr")"
[[ $(cat "$work/stdout") == *"::warning::ksframe: the token may not comment on pull request #7 (HTTP 403"* ]] || fail "no 403 warning: $(cat "$work/stdout")"
[[ $(state 'len(s["comments"])') == 0 ]] || fail "a comment appeared"
[[ $(sed -n 2p "$work/summary") == '**ksframe: PASS** · no gate failed' ]] || fail "summary: $(head -3 "$work/summary")"
[[ $(tail -n 1 "$work/summary") == "_ksframe could not comment on the pull request (the token may not write to it): this summary is the report._" ]] ||
  fail "the summary does not say why there is no comment"

# 5. Someone else's comment with the marker is left alone; ours is posted, then updated.
printf '{"comments": [{"id": 500, "user": {"login": "mallory"}, "body": "<!-- ksframe-action -->\\nmallory wrote this"}]}\n' > "$work/seed.json"
start_server "$work/seed.json"
run_action actions-token new-errors; code=$?
run_action actions-token new-errors; code=$?
[[ $code == 0 ]] || fail "exit $code; $(cat "$work/stderr")"
[[ $(state '[(c["id"], c["user"]["login"]) for c in s["comments"]]') == "[(500, 'mallory'), (1001, 'github-actions[bot]')]" ]] ||
  fail "comments: $(state '[(c["id"], c["user"]["login"]) for c in s["comments"]]')"
[[ $(state 's["comments"][0]["body"]') == "<!-- ksframe-action -->"$'\n'"mallory wrote this" ]] || fail "mallory's comment was changed"
[[ $(state '[r["method"] for r in s["requests"] if r["method"] != "GET"]') == "['POST', 'PATCH']" ]] || fail "requests: $(state 's["requests"]')"

# A personal token: its own login (GET /user) is the author it looks for.
printf '{"comments": [{"id": 600, "user": {"login": "github-actions[bot]"}, "body": "<!-- ksframe-action -->\\nthe bot"}]}\n' > "$work/seed.json"
start_server "$work/seed.json"
run_action pat-token new-errors
[[ $(state '[c["user"]["login"] for c in s["comments"]]') == "['github-actions[bot]', 'octo-ci']" ]] || fail "personal token: $(state 's["comments"]')"

# Driver sources as the inputs, with -I: the base is read with the base's own header (a spec
# made in the output folder includes the base worktree's source), so the header's 8 -> 4096
# frames shows. (The report of a C source is `ksframe report`'s to give.)
driver=$work/driver-repo
mkdir -p "$driver/driver" && cd "$driver" && git_ init -q .
cp "$src"/tests/data/include/driver/tuner.* driver/ && git_ add -A && git_ commit -qm base
driver_base=$(git rev-parse HEAD)
sed -i 's/#define TS_FRAMES 8$/#define TS_FRAMES 4096/' driver/tuner.h && git_ commit -qam head
(env KSFRAME="$ksframe" INPUT_SPECS='driver/*.c' INPUT_INCLUDE_DIRS=driver INPUT_FAIL_ON=memory-increase \
   INPUT_COMMENT=false BASE_SHA="$driver_base" BASE_REF=main OUT_DIR="$work/out3" \
   bash "$src/action/ksframe-action.sh" > "$work/stdout" 2>&1)
body=$(cat "$work/out3/comment.md")
[[ $body == *'### <code>driver/tuner.c</code>: **failed** `memory-increase`'* && $body == *"| pipe-1 frames | 8 | 4,096 | +4,088 |"* ]] ||
  fail "a driver source with its header changed: $body"
cd "$work" || exit 1

# A pattern that matches nothing is a usage error, not a pass.
(cd "$work/ws" && env KSFRAME="$ksframe" INPUT_SPECS='nothing/*.yaml' OUT_DIR="$work/out2" bash "$src/action/ksframe-action.sh" > "$work/stdout" 2>&1)
code=$?
[[ $code == 2 && $(cat "$work/stdout") == "::error::ksframe: no file matches 'nothing/*.yaml'" ]] || fail "no match: $code $(cat "$work/stdout")"

# The pre-commit hooks: a hook repository holding this tree's hooks, and a project whose commit
# stages a broken spec, or edits only a header an included driver source reads.
if command -v pre-commit > /dev/null; then
  hooks=$work/hooks
  mkdir -p "$hooks/action" && cp "$src/.pre-commit-hooks.yaml" "$hooks/" && cp "$src/action/pre-commit.sh" "$hooks/action/"
  (cd "$hooks" && git_ init -q . && git_ add -A && git_ commit -qm hooks)
  project=$work/project
  mkdir -p "$project/specs" && cd "$project" && git_ init -q .
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks: [{id: ksframe-lint, args: [--werror, --]}, {id: ksframe-lint-c, args: [-D, TUNER_DEEP_QUEUE, --], files: ^specs/driver/.*\\.c$}]\n' \
    "$hooks" "$(git -C "$hooks" rev-parse HEAD)" > .pre-commit-config.yaml
  cp "$src/examples/capture-preview.yaml" specs/good.yaml
  cp -r "$src/tests/data/include/driver" "$src/tests/data/include/shared" specs/
  cp "$src/tests/data/include/tuner-graph.yaml" specs/
  echo "not a spec" > notes.yaml  # outside specs/: not the hook's business
  git_ add -A && git_ commit -qm project
  export PATH="$(dirname "$ksframe"):$PATH" PRE_COMMIT_HOME=$work/pre-commit-cache
  pre-commit run --all-files > "$work/pc.out" 2>&1 || fail "pre-commit on clean specs: $(cat "$work/pc.out")"
  cp "$src/examples/broken/framing-ranges.yaml" specs/bad.yaml && git_ add -A
  pre-commit run --all-files > "$work/pc.out" 2>&1 && fail "pre-commit passed a broken spec"
  grep -q "specs/bad.yaml:15:37: error: .*\[KSF1003\]" "$work/pc.out" || fail "pre-commit output: $(cat "$work/pc.out")"
  git_ rm -q --cached specs/bad.yaml && rm specs/bad.yaml
  # Only the header changes (the frame count no longer compiles): the spec that includes the
  # source is linted, and --werror makes the warning fail the commit.
  sed -i 's/#define TS_FRAMES 8$/#define TS_FRAMES (8 +)/' specs/driver/tuner.h && git_ add -A
  pre-commit run --files specs/driver/tuner.h > "$work/pc.out" 2>&1 && fail "pre-commit passed a header that breaks an included spec"
  grep -q "^specs/driver/tuner.c:12:5: error: TsFraming does not compile (expected expression); it is not read \[KSF0030\]" "$work/pc.out" ||
    fail "pre-commit on the header: $(cat "$work/pc.out")"
  # The driver-sources hook lints the C itself, with its args (-D TUNER_DEEP_QUEUE: 32 frames).
  git_ checkout -q -- specs/driver/tuner.h && git_ reset -q
  pre-commit run ksframe-lint-c --files specs/driver/tuner.c > "$work/pc.out" 2>&1 || fail "ksframe-lint-c on tuner.c: $(cat "$work/pc.out")"
  [[ $(cat "$work/pc.out") == *"ksframe lint (driver sources)"*Passed* ]] || fail "ksframe-lint-c did not run: $(cat "$work/pc.out")"
else
  fail "pre-commit is not installed (make test-deps installs it)"
fi

if ((failures)); then echo "$failures action check(s) failed"; exit 1; fi
echo "action: shallow clone with a regression fails, missing base is an error, fork token passes with the summary, header change evaluated, hostile name escaped, others' comments untouched; pre-commit: specs, includes, driver sources"
