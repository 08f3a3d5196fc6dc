// ksframe explore's parallel runner: a 16-combination sweep (renderer frames x source rate) of
// examples/capture-preview.yaml with 2000-frame loads, on 1 worker and on one per core, side by
// side. The ratio is the speed-up the sweep gets from the cores (at best the core count);
// also the cost of re-reading the spec for each combination against the run itself.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <thread>

#include "bench_main.hpp"
#include "ksframe/explore.hpp"
#include "ksframe/report.hpp"
#include "ksframe/spec.hpp"

namespace {

const ksframe::SourceFile& spec_file() {
  static const ksframe::SourceFile file{"capture-preview.yaml",
                                        example_text("capture-preview.yaml")};
  return file;
}

const std::vector<ksframe::Vary>& sweep() {
  static const std::vector<ksframe::Vary> v{
      {"renderer.in.framing_ex.items[0].frames", {"2", "4", "6", "8"}},
      {"load.source.rate_hz", {"15", "24", "30", "60"}}};
  return v;
}

void BM_Explore(benchmark::State& state) {
  ksframe::ExploreOptions o;
  o.jobs = static_cast<unsigned>(state.range(0));
  o.simulate.frames = 2000;
  for (auto _ : state) {
    auto r = ksframe::explore(spec_file(), sweep(), o);
    if (r.rows.size() != 16) state.SkipWithError("the sweep did not run");
    benchmark::DoNotOptimize(r);
  }
  state.counters["runs_per_s"] = benchmark::Counter(16.0 * static_cast<double>(state.iterations()),
                                                    benchmark::Counter::kIsRate);
}

// The parse-and-load part of one combination alone (what each row pays to re-read the spec).
void BM_LoadOnly(benchmark::State& state) {
  ksframe::LoadOptions load;
  load.overrides = {"renderer.in.framing_ex.items[0].frames=4", "load.source.rate_hz=30"};
  for (auto _ : state) {
    auto r = ksframe::load_spec(spec_file(), load);
    if (!r.spec) state.SkipWithError("the spec did not load");
    benchmark::DoNotOptimize(r);
  }
}

const unsigned kCores = std::max(1u, std::thread::hardware_concurrency());
BENCHMARK(BM_Explore)
    ->Arg(1)
    ->Arg(kCores)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();
BENCHMARK(BM_LoadOnly)->Unit(benchmark::kMicrosecond)->Repetitions(3)->ReportAggregatesOnly(true);

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median") time_[r.run_name.str()] = r.GetAdjustedRealTime();
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double one = time_["BM_Explore/1/repeats:3/real_time"];
    const double all = time_["BM_Explore/" + std::to_string(kCores) + "/repeats:3/real_time"];
    const double load_us = time_["BM_LoadOnly/repeats:3"];
    if (one > 0 && all > 0)
      std::printf(
          "\nmedian 16-run sweep: %.1f ms on 1 worker, %.1f ms on %u; speed-up %.2fx (at best "
          "%ux)\n",
          one, all, kCores, one / all, kCores);
    if (one > 0 && load_us > 0)
      std::printf("re-reading the spec per combination: %.0f us, %.1f%% of a run (%.1f ms)\n",
                  load_us, 100.0 * load_us / 1000.0 / (one / 16), one / 16);
  }

 private:
  std::map<std::string, double> time_;
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
