#!/usr/bin/env bash
# Runs one golden CLI case from the project root and compares stdout, stderr and the exit code.
#   run_case.sh KSFRAME CASE        CASE is tests/cli/cases/NAME.cmd (one line of shell words)
# Optional NAME.stdin is fed to standard input. Expected files: NAME.out, NAME.err, NAME.code.
# KSFRAME_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing (review the diff!).
# KSFRAME_EMULATOR runs the binary through a program (wine64 for the Windows cross build).
set -u
ksframe=$1
case_file=$2
base=${case_file%.cmd}
stdin=/dev/null
[ -f "$base.stdin" ] && stdin="$base.stdin"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
eval "set -- $(cat "$case_file")"
NO_COLOR= timeout 60 ${KSFRAME_EMULATOR:-} "$ksframe" "$@" <"$stdin" >"$out" 2>"$err"
code=$?
if [ "${KSFRAME_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" "$base.out"
  cp "$err" "$base.err"
  echo "$code" >"$base.code"
  exit 0
fi
status=0
if ! diff -u "$base.out" "$out"; then echo "stdout differs from $base.out"; status=1; fi
if ! diff -u "$base.err" "$err"; then echo "stderr differs from $base.err"; status=1; fi
expected_code=$(cat "$base.code")
if [ "$code" != "$expected_code" ]; then
  echo "exit code $code, expected $expected_code"
  status=1
fi
exit $status
