#!/usr/bin/env bash
# Builds the Debian package from this build tree with CPack, unpacks it into a scratch root
# with dpkg -x, runs the unpacked ksframe, checks the files land in their FHS places, and has
# lintian check the package (no errors allowed).
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$work"/out/ksframe_*.deb)
# (Read whole before matching: grep -q closing the pipe early would fail the pipeline.)
info=$(dpkg-deb --info "$deb")
[[ $info == *"Package: ksframe"* ]] || { echo "FAIL: not a ksframe package"; exit 1; }
# The description is one text: CMake's list joining once put a ';' at the start of its lines.
description=$(dpkg-deb --field "$deb" Description)
[[ $description != *";"* && $description == *$'\n'" from YAML specs, lints them"* ]] || { echo "FAIL: Description: $description"; exit 1; }
dpkg -x "$deb" "$work/root"
root=$work/root
version=$("$root/usr/bin/ksframe" --version)
[[ $version == "ksframe "* ]] || { echo "FAIL: unpacked ksframe --version printed '$version'"; exit 1; }
for f in usr/share/man/man1/ksframe.1.gz usr/share/man/man1/ksframe-lint.1.gz \
         usr/share/bash-completion/completions/ksframe usr/share/zsh/vendor-completions/_ksframe \
         usr/share/fish/vendor_completions.d/ksframe.fish \
         usr/share/ksframe/schemas/ksframe-spec.schema.json usr/share/ksframe/schemas/ksframe-report.schema.json \
         usr/share/doc/ksframe/copyright usr/share/doc/ksframe/changelog.Debian.gz usr/share/doc/ksframe/docs/spec.md \
         usr/share/doc/ksframe/THIRD-PARTY-NOTICES.md; do
  [[ -f "$root/$f" ]] || { echo "FAIL: the package has no /$f"; exit 1; }
done
# The installed schemas are the ones the binary prints.
cmp <("$root/usr/bin/ksframe" schema spec) "$root/usr/share/ksframe/schemas/ksframe-spec.schema.json" ||
  { echo "FAIL: installed spec schema differs from 'ksframe schema spec'"; exit 1; }
grep -q '^License: Apache-2.0$' "$root/usr/share/doc/ksframe/copyright" || { echo "FAIL: copyright is not Apache-2.0"; exit 1; }
# Each schema's $id is its file name, relative, so it resolves to wherever the schema was read
# from (here the unpacked root, not /usr/share).
for schema in "$root"/usr/share/ksframe/schemas/*.json; do
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["$id"])' "$schema")
  [[ $id == "$(basename "$schema")" ]] || { echo "FAIL: $schema has \$id $id"; exit 1; }
done
# The installed man page renders without warnings.
zcat "$root/usr/share/man/man1/ksframe-lint.1.gz" | groff -man -ww -z 2> "$work/groff.err"
[[ ! -s "$work/groff.err" ]] || { cat "$work/groff.err"; echo "FAIL: groff warnings"; exit 1; }
if ! command -v lintian > /dev/null; then echo "FAIL: lintian is not installed (make test-deps)"; exit 1; fi
lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1 | grep -v "root privileges" || true
lintian --fail-on error "$deb" > /dev/null 2>&1 || { echo "FAIL: lintian found errors"; exit 1; }
echo "package: $(basename "$deb") installs, runs ($version) and passes lintian"
