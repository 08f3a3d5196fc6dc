// The synthetic load's speed in frame-hops per second (a frame passed from one stage to the
// next) through a 4-stage pipe: source -> three in-place filters -> renderer, payloads stamped
// and checked at every stage. Target: at least 5 million per second with 64-byte frames, and
// 18 MiB frames at most 2x slower (the check touches a fixed number of words per frame).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>

#include "bench_main.hpp"
#include "ksframe/simulate.hpp"

namespace {

constexpr unsigned kPhotoFrame = 18874368;  // 18 MiB, the frames of examples/photo-user-mode.yaml

std::string pipeline(unsigned frame_size, unsigned frames) {
  std::string y = "ksframe: 1\nfilters:\n";
  y += "  - {name: src, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 8, "
       "framing_range: {min: " +
       std::to_string(frame_size) + ", max: " + std::to_string(frame_size) + "}}]}}]}\n";
  for (int i = 0; i < 3; ++i)
    y += "  - {name: f" + std::to_string(i) +
         ", pins: [{name: in, dataflow: in}, {name: out, dataflow: out}], "
         "routes: [{from: in, to: out, in_place: true}]}\n";
  y += "  - {name: sink, pins: [{name: in, dataflow: in}]}\n";
  y += "connections: [{from: src.out, to: f0.in}, {from: f0.out, to: f1.in}, {from: f1.out, to: "
       "f2.in}, "
       "{from: f2.out, to: sink.in}]\n";
  y += "load: {frames: " + std::to_string(frames) +
       ", source: {rate_hz: 1000}, stages: {f0: {service_us: 100}, f1: {service_us: {distribution: "
       "uniform, min: 50, max: 150}}, "
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
    // Fewer frames for huge frames, so a run of the old whole-payload check stays in seconds;
    // frame-hops per second is what is compared.
    const unsigned frames = frame_size > (1u << 20) ? 2000 : 200000;
    auto r = ksframe::load_spec(ksframe::SourceFile{"load.yaml", pipeline(frame_size, frames)});
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
  state.counters["hops_per_s"] =
      benchmark::Counter(static_cast<double>(hops), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_Load)
    ->Arg(64)
    ->Arg(614400)
    ->Arg(kPhotoFrame)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median") rate_[r.run_name.args] = r.counters.at("hops_per_s").value;
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    // Before: every payload byte written at production and copied, measured at commit e9d2342
    // on the 2-core CI machine (medians of 3).
    const std::map<std::string, double> before{
        {"64", 15.51e6}, {"614400", 0.597e6}, {"18874368", 6.38e3}};
    std::printf(
        "\nmedian frame-hops per second, 4-stage pipe (target >= 5 million with 64-byte "
        "frames):\n");
    std::printf("  %-16s %14s %10s %16s\n", "frame bytes", "now", "64 B / this",
                "before (whole payload)");
    for (const char* size : {"64", "614400", "18874368"}) {
      const double now = rate_[size];
      std::printf("  %-16s %14.0f %9.2fx %16.0f\n", size, now, now > 0 ? rate_["64"] / now : 0.0,
                  before.at(size));
    }
    if (rate_["18874368"] > 0)
      std::printf(
          "ratio 64-byte / 18 MiB frames: %.2fx (at most 2x: the integrity check costs the same "
          "per frame)\n",
          rate_["64"] / rate_["18874368"]);
  }

 private:
  std::map<std::string, double> rate_;
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
