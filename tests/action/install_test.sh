#!/usr/bin/env bash
# The action's install step (action/install.sh) against releases served on 127.0.0.1 (no other
# network): a download verified and installed, the cached copy used (and verified again), a
# checksum that does not match, a binary of another version, the Windows zip, and versions
# that are not release tags.
# Usage: install_test.sh KSFRAME SOURCE_DIR
set -uo pipefail
ksframe=$1
src=$2
work=$(mktemp -d)
server_pid=
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
sums() { (cd "$1" && sha256sum -- *.tar.gz *.zip 2> /dev/null > SHA256SUMS); }

version=$("$ksframe" --version | cut -d' ' -f2)
tag=v$version
# The releases: TAG/ASSET as GitHub serves them.
release() {  # release TAG BINARY: the Linux tarball and the Windows zip of BINARY under TAG
  local dir=$work/releases/$1 stage=$work/stage/ksframe-$1-linux-x86_64
  mkdir -p "$dir" "$stage/bin" && cp "$2" "$stage/bin/ksframe"
  tar -C "$work/stage" -czf "$dir/ksframe-$1-linux-x86_64.tar.gz" "ksframe-$1-linux-x86_64"
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.write(sys.argv[2], "ksframe-win64/bin/ksframe.exe")' \
    "$dir/ksframe-$1-windows-x64.zip" "$2"
  sums "$dir"
}
# The release ships a stripped binary (CPack strips); a debug build is 100+ MB to pack three times.
binary=$work/ksframe
strip -o "$binary" "$ksframe" 2> /dev/null || cp "$ksframe" "$binary"
release "$tag" "$binary"
release v9.9.9 "$binary"
echo "0000000000000000000000000000000000000000000000000000000000000000  ksframe-v9.9.9-linux-x86_64.tar.gz" > "$work/releases/v9.9.9/SHA256SUMS"
release v9.9.8 "$binary"  # a binary that says it is $version

python3 - "$work/releases" "$work/port" "$work/requests" << 'PY' &
import functools, sys, threading
from http.server import HTTPServer, SimpleHTTPRequestHandler
root, port_file, log = sys.argv[1:4]
class Handler(SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(log, "a") as f:
            f.write(self.path + "\n")
server = HTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
open(port_file, "w").write(str(server.server_address[1]))
threading.Timer(300, server.shutdown).start()
server.serve_forever()
PY
server_pid=$!
for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
[[ -s $work/port ]] || { echo "FAIL: the release server did not start"; exit 1; }
touch "$work/requests"

install() {  # install VERSION [OS]: runs the step; its output in $work/log, GITHUB_PATH in $work/path
  : > "$work/path"
  env INPUT_VERSION="$1" RUNNER_OS="${2:-Linux}" RUNNER_ARCH=X64 CACHE_DIR="$work/cache/$1-${2:-Linux}" \
    RELEASE_URL="http://127.0.0.1:$(cat "$work/port")" GITHUB_PATH="$work/path" \
    bash "$src/action/install.sh" > "$work/log" 2>&1
}
requests() { wc -l < "$work/requests" | tr -d ' '; }

install "$tag"; code=$?
[[ $code == 0 ]] || fail "install $tag: exit $code: $(cat "$work/log")"
[[ $(head -n 1 "$work/log") == "ksframe: downloaded ksframe-$tag-linux-x86_64.tar.gz (checksum verified)" ]] || fail "log: $(cat "$work/log")"
[[ $(cat "$work/path") == "$work/cache/$tag-Linux/unpacked/ksframe-$tag-linux-x86_64/bin" ]] || fail "GITHUB_PATH: $(cat "$work/path")"
[[ $("$(cat "$work/path")/ksframe" --version) == "ksframe $version" ]] || fail "the installed ksframe does not run"
[[ $(cat "$work/requests") == "/$tag/SHA256SUMS"$'\n'"/$tag/ksframe-$tag-linux-x86_64.tar.gz" ]] || fail "requests: $(cat "$work/requests")"

# The cache: no request, and the copy is verified again.
install "$tag"; code=$?
[[ $code == 0 && $(requests) == 2 ]] || fail "cached install: exit $code, $(requests) requests: $(cat "$work/log")"
[[ $(head -n 1 "$work/log") == "ksframe: ksframe-$tag-linux-x86_64.tar.gz from the cache (checksum verified)" ]] || fail "cached log: $(cat "$work/log")"
echo tampered >> "$work/cache/$tag-Linux/ksframe-$tag-linux-x86_64.tar.gz"
install "$tag"; code=$?
[[ $code == 0 && $(requests) == 4 ]] || fail "a tampered cache is downloaded again: exit $code, $(requests) requests"

# A checksum that does not match installs nothing.
install v9.9.9; code=$?
[[ $code == 2 && ! -s $work/path ]] || fail "bad checksum: exit $code, path '$(cat "$work/path")'"
[[ $(cat "$work/log") == "::error::ksframe: ksframe-v9.9.9-linux-x86_64.tar.gz does not match its checksum in SHA256SUMS of v9.9.9: not installed" ]] || fail "bad checksum said: $(cat "$work/log")"
[[ ! -e $work/cache/v9.9.9-Linux/ksframe-v9.9.9-linux-x86_64.tar.gz ]] || fail "the archive that failed its checksum was kept"

install v9.9.8; code=$?
[[ $code == 2 && $(tail -n 1 "$work/log") == "::error::ksframe: ksframe-v9.9.8-linux-x86_64.tar.gz of v9.9.8 runs as 'ksframe $version', not ksframe 9.9.8" ]] ||
  fail "another version: exit $code: $(cat "$work/log")"

# Windows: the zip.
install "$tag" Windows; code=$?
[[ $code == 0 && $(cat "$work/path") == "$work/cache/$tag-Windows/unpacked/ksframe-win64/bin" ]] || fail "windows: exit $code: $(cat "$work/log") $(cat "$work/path")"

install main; code=$?
[[ $code == 2 && $(cat "$work/log") == "::error::ksframe: 'main' is not a release tag (v1.2.0): set the action's version input, or build-from-source: true" ]] || fail "version main: $code $(cat "$work/log")"
install "$tag" macOS; code=$?
[[ $code == 2 && $(cat "$work/log") == "::error::ksframe: no release binary for macOS/X64 (Linux and Windows x64 have one); use build-from-source: true" ]] || fail "macOS: $code $(cat "$work/log")"
install v1.0.404; code=$?
[[ $code == 2 && $(tail -n 1 "$work/log") == "::error::ksframe: could not download SHA256SUMS of v1.0.404 from http://127.0.0.1:$(cat "$work/port")" ]] || fail "missing release: $code $(cat "$work/log")"

if ((failures)); then echo "$failures install check(s) failed"; exit 1; fi
echo "install: download verified, cache used and re-verified, bad checksum and wrong version refused, zip, non-tags refused"
