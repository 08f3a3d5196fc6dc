#!/usr/bin/env bash
# Puts ksframe on the job's PATH (action.yml's "Install ksframe" step): the release binary of
# INPUT_VERSION for this runner (Linux x86_64 or Windows x64), downloaded from RELEASE_URL with
# its SHA256SUMS, verified, and kept in CACHE_DIR (actions/cache keeps that folder between runs,
# and a kept copy is verified again); or, with INPUT_BUILD_FROM_SOURCE=true, built from the
# action's own source.
#
# Environment: INPUT_VERSION (a tag: v1.2.0), INPUT_BUILD_FROM_SOURCE, RELEASE_URL (TAG/ASSET is
# appended), CACHE_DIR, RUNNER_OS (Linux, Windows), RUNNER_ARCH (X64), GITHUB_PATH, GITHUB_ACTION_PATH.
# Exit code: 0 installed, 2 it could not be (said as a workflow error).
set -uo pipefail

fail() { echo "::error::ksframe: $*"; exit 2; }
# Windows runners have Python as `python` only.
command -v python3 > /dev/null || python3() { python "$@"; }

if [[ ${INPUT_BUILD_FROM_SOURCE:-false} == true ]]; then
  [[ ${RUNNER_OS:-Linux} == Linux ]] || fail "build-from-source is for Linux runners; use a release (version:) elsewhere"
  src=${GITHUB_ACTION_PATH:?}
  cmake -S "$src" --preset release > /dev/null && cmake --build "$src/build/release" --target ksframe ||
    fail "the build from source failed (see above); CMakeLists.txt names the packages it needs"
  echo "$src/build/release" >> "${GITHUB_PATH:?}"
  exit 0
fi

version=${INPUT_VERSION:-}
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] ||
  fail "'$version' is not a release tag (v1.2.0): set the action's version input, or build-from-source: true"
case ${RUNNER_OS:-Linux}/${RUNNER_ARCH:-X64} in
  Linux/X64) asset=ksframe-$version-linux-x86_64.tar.gz exe=ksframe ;;
  Windows/X64) asset=ksframe-$version-windows-x64.zip exe=ksframe.exe ;;
  *) fail "no release binary for ${RUNNER_OS:-}/${RUNNER_ARCH:-} (Linux and Windows x64 have one); use build-from-source: true" ;;
esac
cache=${CACHE_DIR:?}
mkdir -p "$cache"

# verified: the archive in the cache matches its line of SHA256SUMS.
verified() {
  local want got
  want=$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1 }' "$cache/SHA256SUMS" 2> /dev/null)
  got=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$cache/$asset" 2> /dev/null)
  [[ -n $want && $want == "$got" ]]
}

if [[ -f $cache/$asset ]] && verified; then
  echo "ksframe: $asset from the cache (checksum verified)"
else
  rm -rf "${cache:?}"/*
  for file in SHA256SUMS "$asset"; do
    curl --fail --silent --show-error --location --retry 3 -o "$cache/$file" "${RELEASE_URL:?}/$version/$file" ||
      fail "could not download $file of $version from $RELEASE_URL"
  done
  if ! verified; then
    rm -f "$cache/$asset"
    fail "$asset does not match its checksum in SHA256SUMS of $version: not installed"
  fi
  echo "ksframe: downloaded $asset (checksum verified)"
fi

rm -rf "$cache/unpacked"
python3 - "$cache/$asset" "$cache/unpacked" << 'PY' || fail "could not unpack $asset"
import sys, tarfile, zipfile
archive, dest = sys.argv[1], sys.argv[2]
if archive.endswith(".zip"):
    zipfile.ZipFile(archive).extractall(dest)  # zipfile keeps every member inside dest
else:
    with tarfile.open(archive) as t:
        if hasattr(tarfile, "data_filter"):
            t.extractall(dest, filter="data")  # refuses links and paths that leave dest
        else:  # a Python without extraction filters: regular files and folders inside dest only
            for m in t.getmembers():
                if not (m.isfile() or m.isdir()) or m.name.startswith("/") or ".." in m.name.split("/"):
                    sys.exit(f"{archive}: {m.name} is not a plain file inside the archive")
            t.extractall(dest)
PY
binary=$(find "$cache/unpacked" -type f -name "$exe" | sort | head -n 1)
[[ -n $binary ]] || fail "$asset holds no $exe"
chmod +x "$binary"
got=$("$binary" --version 2>&1)
[[ $got == "ksframe ${version#v}" ]] || fail "$asset of $version runs as '$got', not ksframe ${version#v}"
dirname "$binary" >> "${GITHUB_PATH:?}"
echo "ksframe: $got installed"
