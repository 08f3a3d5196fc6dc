#!/usr/bin/env bash
# Builds the Windows zip from the cross build with CPack, unpacks it, and runs the unpacked
# ksframe.exe through wine: --version, and the schema it prints is the one shipped beside it.
# Usage: zip_test.sh BUILD_DIR EMULATOR
set -euo pipefail
build=$1
emulator=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build/CPackConfig.cmake" -G ZIP -B "$work/out" > "$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log"; echo "FAIL: cpack"; exit 1; }
zip=$(ls "$work"/out/ksframe-*-win64.zip)
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$work/root"
root=$(ls -d "$work"/root/ksframe-*-win64)
for f in bin/ksframe.exe schemas/ksframe-spec.schema.json schemas/ksframe-report.schema.json doc/README.md doc/docs/spec.md \
         doc/LICENSE doc/THIRD-PARTY-NOTICES.md \
         doc/examples/capture-preview.yaml; do
  [[ -f "$root/$f" ]] || { echo "FAIL: the zip has no $f"; exit 1; }
done
version=$(WINEDEBUG=-all "$emulator" "$root/bin/ksframe.exe" --version)
[[ $version == "ksframe "* ]] || { echo "FAIL: ksframe.exe --version printed '$version'"; exit 1; }
WINEDEBUG=-all "$emulator" "$root/bin/ksframe.exe" schema spec > "$work/spec.json"
cmp "$work/spec.json" "$root/schemas/ksframe-spec.schema.json" || { echo "FAIL: shipped schema differs"; exit 1; }
# A spec from the zip's own examples lints (exit 0) on Windows.
(cd "$root/doc/examples" && WINEDEBUG=-all "$emulator" "$root/bin/ksframe.exe" lint -q capture-preview.yaml > /dev/null) ||
  { echo "FAIL: the shipped example does not lint clean"; exit 1; }
echo "zip: $(basename "$zip") unpacks and its ksframe.exe runs ($version)"
