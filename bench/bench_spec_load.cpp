// The load of one spec (YAML text -> typed Spec with its diagnostics, what every command starts
// with): the largest example, and a generated chain of 2,000 filters (3,999 pins, 4,000 with
// the implied consumer of its last output pin, the most a spec may have). Prints the medians.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>

#include "bench_main.hpp"
#include "chain_spec.hpp"
#include "ksframe/spec.hpp"

namespace {

void load_or_abort(const std::string& name, const std::string& text) {
  auto r = ksframe::load_spec(ksframe::SourceFile{name, text});
  if (!r.spec || ksframe::has_errors(r.diagnostics)) std::abort();
  benchmark::DoNotOptimize(r);
}

void BM_LoadLargestExample(benchmark::State& state) {
  const std::string text = example_text("avssamp-to-user-app.yaml");
  for (auto _ : state) load_or_abort("avssamp-to-user-app.yaml", text);
}

void BM_Load4000Pins(benchmark::State& state) {
  const std::string text = ksframe_gen::chain_spec(2000, false);
  for (auto _ : state) load_or_abort("chain.yaml", text);
}

BENCHMARK(BM_LoadLargestExample)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Load4000Pins)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

class Reporter : public MedianReporter {
 public:
  void Finalize() override {
    ConsoleReporter::Finalize();
    // Before: load_spec also validated every tree against the JSON Schema (valijson) and merged
    // its errors, at commit 3316d87; medians of 5, wall time on the shared 2-core machine (load
    // average about 10; CPU time was half of it).
    std::printf(
        "\nmedian load of examples/avssamp-to-user-app.yaml: %.1f us (with the schema "
        "pass: 991-1034 us)\n",
        medians_["BM_LoadLargestExample"]);
    std::printf("median load of a 4,000-pin chain: %.1f ms (with the schema pass: 320-333 ms)\n",
                medians_["BM_Load4000Pins"]);
  }
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
