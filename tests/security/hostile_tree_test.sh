#!/usr/bin/env bash
# The hostile pull-request trees of docs/security.md, built in a scratch folder
# (hostile_tree.sh), each run through ksframe: every case must give its exact refusal, exit
# code and no byte of the secret, within a bound (`timeout`: a stream that hangs fails here).
# Usage: hostile_tree_test.sh KSFRAME SOURCE_DIR
set -u
ksframe=$(realpath "$1")
source_dir=$(realpath "$2")
# shellcheck source=tests/security/hostile_tree.sh
source "$source_dir/tests/security/hostile_tree.sh"
d=$(mktemp -d)
d=$(cd "$d" && pwd -P)
trap 'rm -rf "$d"' EXIT
lay_out_hostile_tree "$d"
export CANARY_TOKEN=$CANARY
cd "$d/repo" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect NAME CODE EXPECTED_OUTPUT -- ARGS...: ksframe ARGS (stdout and stderr together) must
# end with CODE within 30 s, print exactly EXPECTED_OUTPUT, and never the secret.
expect() {
  local name=$1 code=$2 want=$3
  shift 4
  local got rc
  got=$(timeout 30 "$ksframe" "$@" < /dev/null 2>&1)
  rc=$?
  [[ $rc == "$code" ]] || fail "$name: exit code $rc, expected $code"
  [[ $got == "$want" ]] || fail "$name: output
$got
expected
$want"
  [[ $got != *"$CANARY"* && $got != *ghs_CANARY* ]] || fail "$name: the secret is in the output"
}

leaves="the path leaves the tree (ksframe --root names it): a path written in a file must stay inside the tree or a folder given with -I or --wdk"
planted="it is in the tree (ksframe --root names it) but a symbolic link leads out of it"
summary="1 file: 1 error, 0 warnings, 0 notes"

# 1. A spec that is a symlink out of the tree: refused before it is read, in every format.
expect leak 2 "specs/leak.yaml: error: cannot read specs/leak.yaml: $planted [KSF0002]
$summary" -- lint specs/leak.yaml
for format in sarif github json; do
  expect "leak as $format" 2 "$(timeout 30 "$ksframe" lint --format "$format" specs/leak.yaml 2>&1)" -- lint --format "$format" specs/leak.yaml
done
expect "leak in a Markdown report" 2 "ksframe: cannot read specs/leak.yaml: $planted" -- report specs/leak.yaml
expect "leak in an HTML report" 2 "ksframe: cannot read specs/leak.yaml: $planted" -- report --format html specs/leak.yaml
# --root / gives the old behaviour back: the link is followed (and the secret is read).
out=$(timeout 30 "$ksframe" lint --root / specs/leak.yaml 2>&1)
[[ $out == *"$CANARY"* ]] || fail "--root / should read through the link: $out"

# 2. Includes stay in the tree: through a symlink, by absolute path, and C options too.
expect include-link 2 "specs/include-link.yaml:3:11: error: cannot include specs/secret-link.yaml: $leaves [KSF0032]
$summary" -- lint specs/include-link.yaml
expect include-absolute 2 "specs/include-absolute.yaml:3:11: error: cannot include $d/outside/secret.txt: $leaves [KSF0032]
$summary" -- lint specs/include-absolute.yaml
expect include-dirs 2 "specs/include-dirs.yaml:3:11: error: cannot include ../outside: $leaves [KSF0032]
$summary" -- lint specs/include-dirs.yaml

# 3. A C source's #include reaches the tree and the command line's -I folders only.
expect include-outside.c 2 "driver/include-outside.c:3:10: error: #include of $d/outside/secret.txt is refused: $leaves [KSF0030]
    hint: ksframe --root names the tree; -I adds a folder
$summary" -- lint driver/include-outside.c
expect include-link.c 2 "driver/include-link.c:2:10: error: #include of secret.h is refused: $leaves [KSF0030]
    hint: ksframe --root names the tree; -I adds a folder
$summary" -- lint driver/include-link.c
# A folder named with -I on the command line is the user's own: the header is read.
out=$(timeout 30 "$ksframe" lint -I "$d/outside" driver/include-outside.c 2>&1)
rc=$?
[[ $rc == 0 && $out != *refused* ]] || fail "-I does not widen the tree: exit $rc, $out"

# 4. /proc/self/environ as a C source, and what a compile_commands.json forces on clang.
expect include-environ 2 "specs/include-environ.yaml:3:18: error: cannot include driver/env.c: $leaves [KSF0032]
$summary" -- lint specs/include-environ.yaml
expect env.c 2 "driver/env.c: error: cannot read driver/env.c: it is under /proc: ksframe reads only regular files (not a process's or a device's own data) [KSF0030]
$summary" -- lint driver/env.c
expect forced-include 2 "compile_commands.json: error: the compilation database compile_commands.json hands clang $d/outside/secret.txt: $leaves [KSF0030]
    hint: the source is not read; see docs/c-sources.md (Limits)
specs/include-forced.yaml:3:18: error: cannot include driver/ok.c: its framing could not be read (see the errors above) [KSF0032]
1 file: 2 errors, 0 warnings, 0 notes" -- lint specs/include-forced.yaml
expect response-file 2 "compile_commands.json: error: the compilation database compile_commands.json hands clang $d/outside/secret.txt: $leaves [KSF0030]
    hint: the source is not read; see docs/c-sources.md (Limits)
specs/include-response.yaml:3:18: error: cannot include driver/rsp.c: its framing could not be read (see the errors above) [KSF0032]
1 file: 2 errors, 0 warnings, 0 notes" -- lint specs/include-response.yaml
expect "forced include, command line" 2 "compile_commands.json: error: the compilation database compile_commands.json hands clang $d/outside/secret.txt: $leaves [KSF0030]
    hint: the source is not read; see docs/c-sources.md (Limits)
$summary" -- lint --compile-commands compile_commands.json driver/ok.c

# 5. Streams: refused at once, as spec or include.
fifo="it is a FIFO: ksframe reads only regular files (a stream could block it forever)"
expect fifo 2 "specs/fifo.yaml: error: cannot read specs/fifo.yaml: $fifo [KSF0002]
$summary" -- lint specs/fifo.yaml
expect stdin 2 "specs/stdin.yaml: error: cannot read specs/stdin.yaml: it is under /dev: ksframe reads only regular files (not a process's or a device's own data) [KSF0002]
$summary" -- lint specs/stdin.yaml
expect stdout 2 "specs/stdout.yaml: error: cannot read specs/stdout.yaml: it is under /proc: ksframe reads only regular files (not a process's or a device's own data) [KSF0002]
$summary" -- lint specs/stdout.yaml
expect include-fifo 2 "specs/include-fifo.yaml:3:11: error: cannot include specs/fifo.yaml: $fifo [KSF0032]
$summary" -- lint specs/include-fifo.yaml
expect include-stdout 2 "specs/include-stdout.yaml:3:11: error: cannot include specs/stdout.yaml: $leaves [KSF0032]
$summary" -- lint specs/include-stdout.yaml

# A FIFO a source #includes inside the tree is the stream the kernel rule cannot tell from a
# file: clang's time limit ends that parse.
expect include-fifo.c 2 "driver/include-fifo.c: error: parsing driver/include-fifo.c took longer than 2 s; giving up [KSF0030]
    hint: the source is not read; see docs/c-sources.md (Limits)
$summary" -- lint --clang-time-limit 2 driver/include-fifo.c

# 6. An output path the tree planted as a symlink out of it is refused; the target is intact.
expect planted-output 2 "ksframe: cannot write out/report.md: $planted" -- report --format markdown -o out/report.md camera.ksframe.yaml
[[ $(cat "$d/outside/tool") == $'#!/bin/sh\necho original' ]] || fail "the outside executable changed"
[[ $(stat -c %a "$d/outside/tool") == 755 ]] || fail "the outside executable's mode changed"
# Outside the tree an -o path is the user's own: a symlink there is followed, atomically.
ln -s target.md "$d/outside/link.md"
"$ksframe" export -o "$d/outside/link.md" -- "$source_dir/examples/capture-preview.yaml" || fail "export -o outside"
[[ -L $d/outside/link.md && -s $d/outside/target.md ]] || fail "-o outside the tree did not follow its symlink"
# A 250-byte output name: the temporary file's name does not grow past the file system's limit.
long=$(printf 'r%.0s' $(seq 250))
"$ksframe" export -o "$d/outside/$long" -- "$source_dir/examples/capture-preview.yaml" || fail "250-byte output name"
[[ -s $d/outside/$long ]] || fail "250-byte output name not written"
# Standard output that cannot be written is an error, not exit code 0.
timeout 30 "$ksframe" run "$source_dir/examples/capture-preview.yaml" > /dev/full 2> "$d/err"
rc=$?
[[ $rc == 2 && $(cat "$d/err") == "ksframe: cannot write standard output" ]] || fail "run > /dev/full: exit $rc, $(cat "$d/err")"

# 7. A file named like an option, through the pre-commit hook's own script (the entry of
# .pre-commit-hooks.yaml, which puts `--` before the names it is given): a file to lint.
git add -- -ocamera.ksframe.yaml camera.ksframe.yaml
before=$(cat camera.ksframe.yaml)
KSFRAME=$ksframe timeout 30 bash "$source_dir/action/pre-commit.sh" -ocamera.ksframe.yaml camera.ksframe.yaml > "$d/hook" 2>&1
[[ $(cat camera.ksframe.yaml) == "$before" ]] || fail "the hook emptied camera.ksframe.yaml"
grep -q '^-ocamera.ksframe.yaml:3:10: error' "$d/hook" || fail "the hook did not lint -ocamera.ksframe.yaml: $(cat "$d/hook")"

# 8. Options that take numbers take numbers.
for bad in "--seed -5" "--seed 18446744073709551616" "--max-work -1"; do
  read -ra args <<< "$bad"
  expect "$bad" 2 "ksframe: ${args[0]}: must be a whole number from 0 to 18446744073709551615
Run 'ksframe --help' for usage." -- run "${args[@]}" "$source_dir/examples/capture-preview.yaml"
done

# A C source over its limit is a C source too large, in every command, not a spec too large.
head -c 9000000 /dev/zero | tr '\0' ' ' > "$d/outside/big.c"
for cmd in lint report; do
  expect "$cmd of a large C source" 2 "$d/outside/big.c: error: cannot read $d/outside/big.c: file is larger than the limit of 8388608 bytes [KSF0030]$([[ $cmd == lint ]] && printf '\n%s' "$summary")" -- "$cmd" "$d/outside/big.c"
done

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "every hostile tree case gives its expected result"
