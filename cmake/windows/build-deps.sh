#!/usr/bin/env bash
# Builds ksframe's dependencies for 64-bit Windows from Debian's own source packages and
# installs them into PREFIX (default build/windows-deps/prefix), for the mingw-w64 cross build
# (make windows). Nothing comes from anywhere but the configured Debian archive:
#   - yaml-cpp, nlohmann-json3, cli11 and doctest: `apt-get source`, built with the mingw
#     toolchain (cmake/windows/toolchain-mingw64.cmake) and installed.
# valijson (header-only, the same for every architecture) is not built here: every build, this
# one included, takes the headers `make deps` unpacked into build/deps.
# Enables deb-src for the configured archive when no deb-src line exists (needs root).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/windows-deps}
prefix=$work/prefix
toolchain=$here/toolchain-mingw64.cmake
[[ -f $prefix/.complete ]] && exit 0

has_deb_src() {
  grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2> /dev/null
}
if ! has_deb_src; then
  echo "ksframe: enabling deb-src for the configured Debian archive (apt-get source needs it)"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/ksframe-deb-src.sources
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/ksframe-deb-src.list
  fi
  apt-get update -qq
fi

mkdir -p "$work/src" "$prefix"
cd "$work/src"
if [[ ! -d yaml-cpp ]]; then
  rm -rf ./*
  apt-get source -qq yaml-cpp nlohmann-json3 cli11 doctest-dev 2>&1 | grep -v 'unsandboxed\|^dpkg-source: info' || true
  for p in yaml-cpp nlohmann-json3 cli11 doctest; do
    dir=$(ls -d "$p"-*/ | head -1)
    mv "$dir" "$p"
  done
fi

build() {  # build NAME CMAKE_ARGS...: configure, build and install one source package
  local name=$1; shift
  echo "ksframe: building $name for Windows"
  cmake -S "$name" -B "$work/build-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DKSFRAME_WINDOWS_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" "$@" > /dev/null
  cmake --build "$work/build-$name" > /dev/null
  cmake --install "$work/build-$name" > /dev/null
}
build yaml-cpp -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF -DYAML_BUILD_SHARED_LIBS=OFF
build nlohmann-json3 -DJSON_BuildTests=OFF -DJSON_Install=ON
build cli11 -DCLI11_BUILD_TESTS=OFF -DCLI11_BUILD_EXAMPLES=OFF -DCLI11_BUILD_DOCS=OFF
build doctest -DDOCTEST_WITH_TESTS=OFF -DDOCTEST_WITH_MAIN_IN_STATIC_LIB=OFF

touch "$prefix/.complete"
