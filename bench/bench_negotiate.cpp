// Negotiation cost on generated graphs at 1k, 10k and 100k pins: time per pin for each size
// (it should stay about flat: linear cost), and, side by side, the literal approach of
// evaluating the pipe again at every join, which this implementation replaces by one evaluation
// plus bisection on conflict where feasibility can only shrink (docs/algorithm.md, section 3).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "bench_main.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/spec.hpp"
#include "negotiate/internal.hpp"

namespace {

enum Shape { kInPlaceChain = 0, kMixedChain = 1, kFanOut = 2 };
const char* kShapeNames[] = {"inplace_chain", "mixed_chain", "fan_out"};

const char* kItem =
    "framing_ex: {items: [{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, frames: 2, "
    "framing_range: {min: 1000, max: 2000}}]}";

// A chain: source -> filters (in -> out) -> sink; every 4th filter copies in mixed chains.
std::string chain(int pins, bool mixed) {
  const int filters = (pins - 2) / 2;
  std::string y = "ksframe: 1\nfilters:\n";
  y += "  - {name: src, pins: [{name: out, dataflow: out, " + std::string(kItem) + "}]}\n";
  for (int i = 0; i < filters; ++i) {
    const bool copy = mixed && i % 4 == 3;
    y += "  - {name: f" + std::to_string(i) + ", pins: [{name: in, dataflow: in, " + kItem +
         "}, {name: out, dataflow: out, " + kItem +
         "}], routes: [{from: in, to: out, in_place: " + (copy ? "false" : "true") + "}]}\n";
  }
  y += "  - {name: sink, pins: [{name: in, dataflow: in, " + std::string(kItem) + "}]}\n";
  y += "connections:\n";
  std::string prev = "src.out";
  for (int i = 0; i < filters; ++i) {
    y += "  - {from: " + prev + ", to: f" + std::to_string(i) + ".in}\n";
    prev = "f" + std::to_string(i) + ".out";
  }
  y += "  - {from: " + prev + ", to: sink.in}\n";
  return y;
}

// One splitter output read by (pins - 1) renderers: one pipe, MULTIPLE_OUTPUT.
std::string fan_out(int pins) {
  std::string y = "ksframe: 1\nfilters:\n";
  y += "  - {name: cam, pins: [{name: out, dataflow: out, flags: [KSPIN_FLAG_SPLITTER], "
       "instances: {possible: unbounded}, " +
       std::string(kItem) + "}]}\n";
  for (int i = 1; i < pins; ++i)
    y +=
        "  - {name: r" + std::to_string(i) + ", pins: [{name: in, dataflow: in, " + kItem + "}]}\n";
  y += "connections:\n";
  for (int i = 1; i < pins; ++i) y += "  - {from: cam.out, to: r" + std::to_string(i) + ".in}\n";
  return y;
}

const ksframe::Spec& spec_for(int shape, int pins) {
  static std::map<std::pair<int, int>, std::unique_ptr<ksframe::Spec>> cache;
  auto& slot = cache[{shape, pins}];
  if (!slot) {
    const std::string text = shape == kFanOut ? fan_out(pins) : chain(pins, shape == kMixedChain);
    // Generated, trusted input: the limits that guard against hostile specs do not apply.
    ksframe::LoadOptions load;
    load.max_file_bytes = std::size_t{1} << 30;
    load.parse.max_nodes = 50'000'000;
    load.graph = {std::size_t{1} << 20, std::size_t{1} << 20};
    auto r = ksframe::load_spec(ksframe::SourceFile{"gen.yaml", text}, load);
    if (!r.spec || ksframe::has_errors(r.diagnostics)) {
      std::fprintf(stderr, "generated spec does not load: %s\n",
                   r.diagnostics.empty() ? "?" : r.diagnostics[0].message.c_str());
      std::abort();
    }
    slot = std::make_unique<ksframe::Spec>(std::move(*r.spec));
  }
  return *slot;
}

void BM_Negotiate(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0)), pins = static_cast<int>(state.range(1));
  const ksframe::Spec& spec = spec_for(shape, pins);
  const auto options = ksframe::negotiate_options(spec);
  std::size_t pipes = 0;
  for (auto _ : state) {
    auto n = ksframe::negotiate(spec, options);
    pipes = n.pipes.size();
    benchmark::DoNotOptimize(n);
  }
  state.counters["pins"] = pins;
  state.counters["pipes"] = static_cast<double>(pipes);
  state.SetLabel(kShapeNames[shape]);
}

// The literal reading: evaluate the pipe again after every join.
void BM_EvaluateEveryJoin(benchmark::State& state) {
  using namespace ksframe::negotiation;
  const int pins = static_cast<int>(state.range(1));
  const ksframe::Spec& spec = spec_for(kInPlaceChain, pins);
  const Graph g = build_graph(spec);
  // The in-place chain is one pipe in pin order: build its member list directly.
  std::vector<Member> members;
  ksframe::SizeMap identity;
  for (int p = 0; p < static_cast<int>(g.pins.size()); ++p) {
    Member m;
    m.pin = p;
    m.size = identity;
    m.parent = p - 1;
    members.push_back(m);
  }
  const auto options = ksframe::negotiate_options(spec);
  for (auto _ : state) {
    std::vector<Member> prefix;
    for (const auto& m : members) {
      prefix.push_back(m);
      benchmark::DoNotOptimize(evaluate(g, prefix, options, false).ok);
    }
  }
  state.counters["pins"] = pins;
  state.SetLabel("inplace_chain, every join");
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int shape : {kInPlaceChain, kMixedChain, kFanOut})
    for (int pins : {1000, 10000, 100000}) b->Args({shape, pins});
}

BENCHMARK(BM_Negotiate)
    ->Apply(sizes)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_EvaluateEveryJoin)
    ->Args({kInPlaceChain, 1000})
    ->Args({kInPlaceChain, 4000})
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median")
        medians_[r.run_name.function_name + "/" + r.run_name.args] = r.GetAdjustedRealTime();
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf(
        "\nmedian time per pin (ms total / pins -> ns per pin); growth = ns/pin at 100k over 1k\n");
    for (int shape : {0, 1, 2}) {
      double first = 0;
      std::printf("%-14s", kShapeNames[shape]);
      for (int pins : {1000, 10000, 100000}) {
        const double ms =
            medians_["BM_Negotiate/" + std::to_string(shape) + "/" + std::to_string(pins)];
        const double ns_per_pin = ms * 1e6 / pins;
        if (pins == 1000) first = ns_per_pin;
        std::printf("  %6dk: %8.1f ms %7.0f ns/pin", pins / 1000, ms, ns_per_pin);
        if (pins == 100000 && first > 0) std::printf("  growth %.2fx", ns_per_pin / first);
      }
      std::printf("\n");
    }
    for (int pins : {1000, 4000}) {
      const double naive = medians_["BM_EvaluateEveryJoin/0/" + std::to_string(pins)];
      const double ours = pins == 1000 ? medians_["BM_Negotiate/0/1000"] : 0;
      std::printf("every-join evaluation, %dk-pin in-place chain: %.1f ms", pins / 1000, naive);
      if (ours > 0) std::printf(" (%.0fx ksframe's negotiate of the same graph)", naive / ours);
      std::printf("\n");
    }
  }

 private:
  std::map<std::string, double> medians_;
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
