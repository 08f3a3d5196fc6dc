// What every benchmark program shares: its main() (Google Benchmark with the program's own
// reporter, which prints the program's medians and ratios after the usual table) and reading
// an example spec of the source tree.
#pragma once

#include <benchmark/benchmark.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

/// The text of examples/NAME in the source tree.
inline std::string example_text(const std::string& name) {
  std::ifstream in(std::string(KSFRAME_SOURCE_DIR) + "/examples/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Google Benchmark's table, keeping each benchmark's median real time by function name, for the
/// ratios and comparisons a program prints in its Finalize().
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median")
        medians_[r.run_name.function_name] = r.GetAdjustedRealTime();
  }

 protected:
  std::map<std::string, double> medians_;
};

template <class Reporter>
int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
