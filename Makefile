# ksframe: the two commands a new machine needs.
#   make run    install missing Debian packages, build, run the main job on the bundled example
#   make test   install missing Debian packages, build, run every suite (release and ASan+UBSan)
# Other targets: build, asan, bench, fuzz, docs, clean.

DEBIAN_PACKAGES := cmake ninja-build g++ make ccache \
                   libcli11-dev nlohmann-json3-dev libyaml-cpp-dev doctest-dev \
                   libvalijson-dev libbenchmark-dev python3 python3-jsonschema
# Only the tests need these: the HTML report is rendered in a real browser, and the C export
# is compiled by gcc (g++ pulls gcc in).
TEST_PACKAGES := chromium fonts-dejavu-core
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
KSFRAME := build/release/ksframe
EXAMPLE ?= examples/capture-preview.yaml

.PHONY: run test deps test-deps install-packages build asan bench fuzz docs clean

# Installs only what is missing, so a machine that has everything runs no apt-get at all.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEBIAN_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"

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

asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

# The main job on the default example: lint, negotiate, simulate the load, print the report.
run: build
	$(KSFRAME) run $(EXAMPLE)

test: build asan test-deps
	ctest --preset release -j $(JOBS)
	ctest --preset asan -j $(JOBS)

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
FUZZ_TARGETS := spec_load spec_loader report_input import

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

docs: build
	$(KSFRAME) rules --format markdown > docs/rules.md

clean:
	rm -rf build
