#!/usr/bin/env bash
# A rule id in the code is checked against the catalogue when it compiles: a catalogue id
# compiles, a mistyped one (a letter O for a zero) is a compile error that names the check.
set -euo pipefail
cxx=$1
include=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/good.cpp" <<'CPP'
#include "ksframe/rules.hpp"
ksframe::Diagnostic f() { return ksframe::make_diagnostic("KSF1003", "m", {}); }
CPP
sed 's/KSF1003/KSF1O03/' "$dir/good.cpp" >"$dir/bad.cpp"

"$cxx" -std=c++20 -fsyntax-only -I "$include" "$dir/good.cpp"
if "$cxx" -std=c++20 -fsyntax-only -I "$include" "$dir/bad.cpp" 2>"$dir/err"; then
  echo "FAIL: a mistyped rule id compiled" >&2
  exit 1
fi
grep -q "not_in_the_catalogue" "$dir/err" || { echo "FAIL: the error does not name the check:" >&2; cat "$dir/err" >&2; exit 1; }
echo "ok: KSF1003 compiles, KSF1O03 does not"
