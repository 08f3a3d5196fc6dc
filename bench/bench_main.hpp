// The main() of every benchmark program: Google Benchmark with the program's own reporter,
// which prints the program's medians and ratios after the usual table.
#pragma once

#include <benchmark/benchmark.h>

template <class Reporter>
int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
