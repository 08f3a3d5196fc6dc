// Lint time against file size, for the same valid spec written two ways: as one line of
// minified JSON (YAML accepts it) and pretty-printed with one-space indents, from 1 MiB to the
// 16 MiB limit (bench/chain_spec.hpp). Column lookup used to count code points from the start of
// the line for every node, so the one-line form was quadratic (780 KB took more than 20 s). Prints
// the median time per MiB at each size and the ratio of the largest to the smallest: about 1 means
// linear.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>

#include "bench_main.hpp"
#include "chain_spec.hpp"
#include "ksframe/lint.hpp"

namespace {

void lint_of_size(benchmark::State& state, bool one_line) {
  // 48 framing items per output pin: 16 MiB stays under the 4,000-pin limit, so lint does all its
  // work.
  const std::string text =
      ksframe_gen::spec_of_size(static_cast<std::size_t>(state.range(0)) << 20, one_line, 48);
  ksframe::MemoryFileReader reader;
  reader.add("big.json.yaml", text);
  std::size_t errors = 0;
  for (auto _ : state) {
    const auto r = ksframe::lint_file(reader, "big.json.yaml", {});
    errors = r.spec ? 0 : r.diagnostics.size();
    benchmark::DoNotOptimize(r);
  }
  if (errors) state.SkipWithError("the generated spec did not load");
  state.counters["MiB"] = static_cast<double>(text.size()) / (1 << 20);
}

void BM_LintOneLine(benchmark::State& state) { lint_of_size(state, true); }
void BM_LintPretty(benchmark::State& state) { lint_of_size(state, false); }

BENCHMARK(BM_LintOneLine)
    ->Arg(1)
    ->Arg(4)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_LintPretty)
    ->Arg(1)
    ->Arg(4)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

class LinearityReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median") {
        const auto mib = r.counters.find("MiB");
        if (mib != r.counters.end() && mib->second.value > 0)
          per_mib_[r.run_name.function_name][r.run_name.args] = {
              r.GetAdjustedRealTime(), r.GetAdjustedRealTime() / mib->second.value};
      }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& [name, sizes] : per_mib_) {
      std::printf("\n%s: median ms per MiB", name.c_str());
      for (const auto& [arg, v] : sizes)
        std::printf("  %s MiB: %.0f ms (%.1f ms/MiB)", arg.c_str(), v.first, v.second);
      const auto largest = sizes.find("16"), smallest = sizes.find("1");
      if (largest != sizes.end() && smallest != sizes.end())
        std::printf("\n  ratio of ms/MiB, 16 MiB / 1 MiB = %.2f (1 = linear)",
                    largest->second.second / smallest->second.second);
    }
    std::printf("\n");
  }

 private:
  std::map<std::string, std::map<std::string, std::pair<double, double>>> per_mib_;
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<LinearityReporter>(argc, argv); }
