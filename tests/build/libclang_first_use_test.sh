#!/usr/bin/env bash
# libclang is loaded at the first C source, not at start-up (src/cimport/libclang_loader.cpp):
# the program does not link it, YAML works on a machine without it, and reading C there says what
# is missing and exits 2. KSFRAME_LIBCLANG naming a library that does not exist stands in for a
# machine without libclang.
#   libclang_first_use_test.sh KSFRAME
set -u
ksframe=$1
status=0
fail() { echo "FAIL: $*"; status=1; }

if ldd "$ksframe" | grep -Eiq 'libclang|libLLVM'; then
  fail "ksframe links libclang or LLVM at start-up:"; ldd "$ksframe"
fi

export KSFRAME_LIBCLANG=/nonexistent/libclang.so
"$ksframe" run examples/capture-preview.yaml > /dev/null 2>&1
code=$?
[[ $code == 0 ]] || fail "run of a YAML spec without libclang exited $code, expected 0"

err=$("$ksframe" lint tests/data/c/camera.c 2>&1)
code=$?
expected="tests/data/c/camera.c: error: KSFRAME_LIBCLANG names a library that cannot be loaded: /nonexistent/libclang.so: cannot open shared object file: No such file or directory [KSF0030]
1 file: 1 error, 0 warnings, 0 notes"
[[ $code == 2 ]] || fail "lint of C without libclang exited $code, expected 2"
[[ $err == "$expected" ]] || fail "lint of C without libclang said:
$err
expected:
$expected"

err=$("$ksframe" import --from-c tests/data/c/camera.c 2>&1)
code=$?
[[ $code == 2 ]] || fail "import --from-c without libclang exited $code, expected 2"
[[ $err == "ksframe: KSFRAME_LIBCLANG names a library that cannot be loaded: /nonexistent/libclang.so: cannot open shared object file: No such file or directory" ]] ||
  fail "import --from-c without libclang said: $err"

unset KSFRAME_LIBCLANG
"$ksframe" lint tests/data/c/camera.c > /dev/null 2>&1
code=$?
[[ $code == 1 ]] || fail "lint of C with the machine's libclang exited $code, expected 1 (its findings)"
[[ $status == 0 ]] && echo "libclang: not linked; YAML runs without it; C says what is missing"
exit $status
