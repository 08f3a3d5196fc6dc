// The synthetic load's speed in frame-hops per second (a frame passed from one stage to the
// next) through a 4-stage pipe: source -> three in-place filters -> renderer, 64-byte payloads
// written and checked at every stage. Target (issue 4): at least 5 million per second. Side by
// side: the same load with 614400-byte frames, where writing the payload dominates.
#include <benchmark/benchmark.h>

#include "bench_main.hpp"

#include <cstdio>
#include <map>

#include "ksframe/simulate.hpp"

namespace {

std::string pipeline(unsigned frame_size, unsigned frames) {
  std::string y = "ksframe: 1\nfilters:\n";
  y += "  - {name: src, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 8, framing_range: {min: " +
       std::to_string(frame_size) + ", max: " + std::to_string(frame_size) + "}}]}}]}\n";
  for (int i = 0; i < 3; ++i)
    y += "  - {name: f" + std::to_string(i) + ", pins: [{name: in, dataflow: in}, {name: out, dataflow: out}], "
         "routes: [{from: in, to: out, in_place: true}]}\n";
  y += "  - {name: sink, pins: [{name: in, dataflow: in}]}\n";
  y += "connections: [{from: src.out, to: f0.in}, {from: f0.out, to: f1.in}, {from: f1.out, to: f2.in}, "
       "{from: f2.out, to: sink.in}]\n";
  y += "load: {frames: " + std::to_string(frames) +
       ", source: {rate_hz: 1000}, stages: {f0: {service_us: 100}, f1: {service_us: {distribution: uniform, min: 50, max: 150}}, "
       "f2: {service_us: {distribution: exponential, mean: 100}}, sink: {service_us: 200}}}\n";
  return y;
}

struct Case {
  ksframe::Spec spec;
  ksframe::Negotiation n;
};

Case& case_for(unsigned frame_size) {
  static std::map<unsigned, Case> cache;
  auto it = cache.find(frame_size);
  if (it == cache.end()) {
    auto r = ksframe::load_spec(ksframe::SourceFile{"load.yaml", pipeline(frame_size, 200000)});
    if (!r.spec || ksframe::has_errors(r.diagnostics)) std::abort();
    Case c{std::move(*r.spec), {}};
    c.n = ksframe::negotiate(c.spec, ksframe::negotiate_options(c.spec));
    it = cache.emplace(frame_size, std::move(c)).first;
  }
  return it->second;
}

void BM_Load(benchmark::State& state) {
  Case& c = case_for(static_cast<unsigned>(state.range(0)));
  ksframe::SimulateOptions o;
  o.find_starvation_fix = false;
  std::uint64_t hops = 0;
  for (auto _ : state) {
    auto sim = ksframe::simulate(c.spec, c.n, o);
    if (!sim.ran) state.SkipWithError("the load did not run");
    hops += sim.frame_hops;
  }
  state.counters["hops_per_s"] = benchmark::Counter(static_cast<double>(hops), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_Load)->Arg(64)->Arg(614400)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly(true);

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median") rate_[r.run_name.args] = r.counters.at("hops_per_s").value;
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nmedian frame-hops per second, 4-stage pipe: %.2f million with 64-byte frames "
                "(target >= 5), %.2f million with 614400-byte frames\n",
                rate_["64"] / 1e6, rate_["614400"] / 1e6);
    if (rate_["614400"] > 0)
      std::printf("ratio: 64-byte / 614400-byte = %.1fx (the cost of writing real payloads)\n",
                  rate_["64"] / rate_["614400"]);
  }

 private:
  std::map<std::string, double> rate_;
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
