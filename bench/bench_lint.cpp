// Lint throughput: a thousand spec files of realistic size in one process, against what the same
// bytes cost in yaml-cpp's own YAML::Load (the floor any YAML-based linter pays). Prints time
// per file and the ratios.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <map>
#include <thread>

#include "bench_main.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/spec.hpp"

namespace {

std::string example() { return example_text("splitter-preview-record.yaml"); }

constexpr int kFiles = 1000;

ksframe::MemoryFileReader& corpus() {
  static ksframe::MemoryFileReader reader = [] {
    ksframe::MemoryFileReader r;
    const std::string text = example();
    for (int i = 0; i < kFiles; ++i) r.add("spec" + std::to_string(i) + ".yaml", text);
    return r;
  }();
  return reader;
}

void BM_Lint1000Files(benchmark::State& state) {
  auto& reader = corpus();
  for (auto _ : state) {
    std::size_t diagnostics = 0;
    for (int i = 0; i < kFiles; ++i)
      diagnostics +=
          ksframe::lint_file(reader, "spec" + std::to_string(i) + ".yaml", {}).diagnostics.size();
    benchmark::DoNotOptimize(diagnostics);
  }
}

// The same thousand files through lint_files, one thread per core (what `ksframe lint` does).
void BM_Lint1000FilesParallel(benchmark::State& state) {
  auto& reader = corpus();
  std::vector<std::string> paths;
  for (int i = 0; i < kFiles; ++i) paths.push_back("spec" + std::to_string(i) + ".yaml");
  for (auto _ : state) benchmark::DoNotOptimize(ksframe::lint_files(reader, paths, {}, 0));
}

void BM_YamlCppLoad1000Files(benchmark::State& state) {
  const std::string text = example();
  for (auto _ : state)
    for (int i = 0; i < kFiles; ++i) benchmark::DoNotOptimize(YAML::Load(text));
}

BENCHMARK(BM_Lint1000Files)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Lint1000FilesParallel)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_YamlCppLoad1000Files)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// Prints the medians side by side as ratios, after Google Benchmark's own table.
class RatioReporter : public MedianReporter {
 public:
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double lint = medians_["BM_Lint1000Files"], yaml = medians_["BM_YamlCppLoad1000Files"];
    if (lint <= 0 || yaml <= 0) return;
    std::printf("\nmedian: lint of 1000 files %.1f ms (%.1f us per file; target: well under 1 s)\n",
                lint, lint * 1000.0 / kFiles);
    const double parallel = medians_["BM_Lint1000FilesParallel"];
    std::printf("median: the same on all %u cores (ksframe lint) %.1f ms\n",
                std::thread::hardware_concurrency(), parallel);
    std::printf("ratio: full lint / YAML::Load alone = %.2fx (yaml-cpp's parser is the floor)\n",
                lint / yaml);
  }
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<RatioReporter>(argc, argv); }
