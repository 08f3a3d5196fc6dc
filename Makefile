# ksframe: the two commands a new machine needs.
#   make run    install missing Debian packages, build ksframe, run the main job on the bundled example
#   make test   install missing Debian packages, build, run every suite (release, ASan+UBSan, TSan,
#               and the Windows cross build under wine)
# The contributor's loop: make check (release build, the tests a change can affect, ~2 minutes).
# Other targets: build, asan, tsan, bench, fuzz, docs, package, windows, test-windows,
# package-windows, fresh-check, clean.

DEBIAN_PACKAGES := cmake ninja-build g++ make ccache \
                   libcli11-dev nlohmann-json3-dev libyaml-cpp-dev doctest-dev \
                   libbenchmark-dev python3 python3-jsonschema \
                   libclang-dev
# valijson's headers, unpacked from Debian's package when it is not installed: installing
# libvalijson-dev would bring Qt 5, Poco, MariaDB client libraries and Vulkan headers along.
VALIJSON_CONFIG := build/deps/usr/share/cmake/valijson/valijsonConfig.cmake
# Only the tests need these: the HTML report is rendered in a real browser, the C export is
# compiled by gcc (g++ pulls gcc in), the completions run in zsh and fish, and the Debian
# package is checked by lintian; pre-commit runs the hook of .pre-commit-hooks.yaml; npm installs
# the action linters (tests/action/package-lock.json) and curl downloads the action's release
# from a local server; clang-format
# checks that the C++ follows .clang-format.
TEST_PACKAGES := chromium fonts-dejavu-core zsh fish lintian pre-commit clang-format git curl
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# ccache keys on paths relative to the checkout and not on the build folder, so two clones (CI's,
# the fresh-check's root, a developer's worktrees) share one cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
KSFRAME := build/release/ksframe
EXAMPLE ?= examples/capture-preview.yaml

.PHONY: run check fresh-check ksframe test deps test-deps install-packages build asan tsan bench fuzz docs package windows test-windows package-windows format format-check clean

# Installs only what is missing, so a machine that has everything runs no apt-get at all.
# valijson's headers always come from Debian's libvalijson-dev unpacked into build/deps (one way
# on every machine; installing the package would bring Qt 5, Poco and MariaDB clients along).
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEBIAN_PACKAGES)"
	@if [ ! -f $(VALIJSON_CONFIG) ]; then \
	  echo "ksframe: unpacking valijson's headers from Debian's libvalijson-dev into build/deps"; \
	  mkdir -p build/deps && cd build/deps && rm -f libvalijson-dev_*.deb && \
	  { apt-get download -qq libvalijson-dev 2>/dev/null || { apt-get update -qq && apt-get download -qq libvalijson-dev; }; } && \
	  dpkg -x libvalijson-dev_*.deb . ; \
	fi

# npm: Debian's package, unless the machine already has an npm (a NodeSource nodejs carries its
# own, and Debian's npm cannot be installed beside it).
test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES) $$(command -v npm >/dev/null || echo npm)"

install-packages:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "ksframe: installing missing Debian packages:" $$missing; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

# Only the program: what `make run` needs.
ksframe: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target ksframe

asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

# ThreadSanitizer over the unit tests that start threads (lint_files, explore's workers, the
# engine, the C extractor's watchdog): tests/CMakeLists.txt lists them.
tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS) --target ksframe_unit_tests

# The main job on the default example: lint, negotiate, simulate the load, print the report.
run: ksframe
	$(KSFRAME) run $(EXAMPLE)

# The quick loop after an edit: the release build of the program and the unit tests, then every
# unit and end-to-end test but the environment suites (browser, shells, package, action,
# resource bounds), which make test runs.
CHECK_EXCLUDE := ^(browser|shell|package|action|resource)/
check: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target ksframe ksframe_unit_tests
	ctest --preset release -j $(JOBS) -E '$(CHECK_EXCLUDE)'

# The README's two commands in a clean clone on a minimal Debian 12 root (needs root; see
# tests/fresh/fresh_check.sh). .ci/run runs it after make test.
fresh-check:
	bash tests/fresh/fresh_check.sh

test: build asan tsan test-deps
	@$(MAKE) --no-print-directory format-check
	ctest --preset release -j $(JOBS)
	ctest --preset asan -j $(JOBS)
	ctest --preset tsan -j $(JOBS)
	@$(MAKE) --no-print-directory test-windows

bench: build
	@for b in build/release/bench/bench_*; do echo "== $$b"; $$b; done

# Each target runs FUZZ_SECONDS. libFuzzer writes new inputs into the first corpus folder only,
# so that one is build/fuzz-corpus/TARGET (outside the tracked tree); the tracked folders after
# it are read-only seeds: tests/data/fuzz-corpus/TARGET (minimized seeds and every crasher ever
# found, replayed by the unit tests) and the examples. Crashes land in build/fuzz-artifacts/.
FUZZ_SECONDS ?= 60
FUZZ_SEEDS_spec_load := examples tests/data/hostile tests/data/reliability
FUZZ_SEEDS_spec_loader := examples tests/data/hostile tests/data/reliability
FUZZ_SEEDS_report_input := tests/data/reports
FUZZ_SEEDS_import := examples/captured tests/data/import
FUZZ_SEEDS_cimport := tests/data/c
FUZZ_SEEDS_include_tree :=
FUZZ_TARGETS := spec_load spec_loader report_input import cimport include_tree

fuzz: deps
	cmake --preset clang >/dev/null
	cmake --build --preset clang -j $(JOBS)
	@mkdir -p build/fuzz-artifacts
	@set -e; $(foreach t,$(FUZZ_TARGETS), \
	  mkdir -p build/fuzz-corpus/$(t); \
	  echo "== fuzz_$(t) for $(FUZZ_SECONDS) s"; \
	  build/clang/fuzz/fuzz_$(t) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz-artifacts/$(t)- build/fuzz-corpus/$(t) tests/data/fuzz-corpus/$(t) \
	    $(FUZZ_SEEDS_$(t));)

# The release artefacts: the Debian package (build/release/ksframe_VERSION-1_ARCH.deb) from
# the release build, and the Windows zip (build/windows/ksframe-VERSION-win64.zip).
package: build package-windows
	cd build/release && cpack -G DEB

# Windows: ksframe.exe cross-built with Debian's mingw-w64, its dependencies built from Debian's
# source packages (cmake/windows/build-deps.sh), the unit and CLI suites run under wine64.
WINDOWS_PACKAGES := g++-mingw-w64-x86-64-posix wine64 dpkg-dev
windows: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(WINDOWS_PACKAGES)"
	bash cmake/windows/build-deps.sh
	cmake --preset windows >/dev/null
	cmake --build --preset windows -j $(JOBS)

test-windows: windows
	ctest --preset windows -j $(JOBS)

# build/windows/ksframe-VERSION-win64.zip: ksframe.exe, the schemas and the docs.
package-windows: windows
	cd build/windows && cpack -G ZIP

# clang-format with the committed .clang-format; make test fails on unformatted code.
CXX_SOURCES = $(shell find src include tests bench fuzz -path tests/data -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
format:
	clang-format -i $(CXX_SOURCES)

format-check:
	@clang-format --dry-run --Werror $(CXX_SOURCES) && echo "format: $(words $(CXX_SOURCES)) files follow .clang-format"

docs: build
	$(KSFRAME) rules --format markdown > docs/rules.md

clean:
	rm -rf build
