// The synthetic load's speed in frame-hops per second (a frame passed from one stage to the
// next) through a 4-stage pipe: source -> three in-place filters -> renderer, payloads stamped
// and checked at every stage. Target: at least 5 million per second with 64-byte frames, and
// 18 MiB frames at most 2x slower (the check touches a fixed number of words per frame).
//
// What the engine's integrity check touches (src/simulate/simulate.cpp, for_each_stamp_slot):
// each frame of this pipe carries a full payload (the source's default) and gets its 8-byte
// stamp stored at production into at most 16 slots of 8 bytes (the first, the last and up to 14
// spread evenly between them; a 64-byte payload has 8, so there the whole payload); each of the
// 4 hops (f0, f1, f2 and sink finishing the frame) loads and compares the same slots. Per frame
// that is at most 128 bytes written and 4 x 128 read, whatever the frame size; the engine's
// rate also includes everything else the simulation does per hop (events, queues, allocator).
//
// The alternative, measured beside it: a whole-payload check on real buffers of the frame
// size, every payload byte written at production (the stamp in every 8-byte word) and every
// byte read and compared at each of the 4 hops, frames taken in turn from a pool of 8 as the
// pipe's allocator has 8. It does only the payload work, with no simulation around it, and
// checks each frame 4 times back to back while it is still in cache (the engine interleaves
// frames), so its rate is the most an engine doing that check could reach. (The engine before
// the fixed slots, commit e9d2342, wrote every byte at production but compared only the first
// and last 8 at each hop; the alternative is the full check that approximated.)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

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

constexpr int kHops = 4;        // f0, f1, f2, sink: the stages that finish a frame in this pipe
constexpr int kPoolFrames = 8;  // the source pin's framing: frames: 8

void stamp_whole(unsigned char* bytes, std::size_t size, std::uint64_t stamp) {
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) std::memcpy(bytes + i, &stamp, 8);
  std::memcpy(bytes + i, &stamp, size - i);
}

bool check_whole(const unsigned char* bytes, std::size_t size, std::uint64_t stamp) {
  std::uint64_t differ = 0;  // no early exit: an intact frame, the only case, reads every byte
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    differ |= word ^ stamp;
  }
  std::uint64_t word = 0, expected = 0;
  std::memcpy(&word, bytes + i, size - i);
  std::memcpy(&expected, &stamp, size - i);
  return (differ | (word ^ expected)) == 0;
}

void BM_WholePayload(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  // Written once before timing, so the pages are the process's before the first frame.
  std::vector<std::vector<unsigned char>> pool(kPoolFrames, std::vector<unsigned char>(size, 0));
  std::uint64_t lineage = 0, hops = 0, errors = 0;
  for (auto _ : state) {
    unsigned char* frame = pool[lineage % kPoolFrames].data();
    const std::uint64_t stamp = lineage * 0x9E3779B97F4A7C15ull;  // the engine's, pipe 0
    stamp_whole(frame, size, stamp);
    benchmark::ClobberMemory();  // the stores happen, as into frame memory a driver reads
    for (int hop = 0; hop < kHops; ++hop) {
      errors += check_whole(frame, size, stamp) ? 0 : 1;
      benchmark::ClobberMemory();  // each hop reads the frame again
    }
    hops += kHops;
    ++lineage;
  }
  if (errors) state.SkipWithError("a payload changed");
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
BENCHMARK(BM_WholePayload)
    ->Arg(64)
    ->Arg(614400)
    ->Arg(kPhotoFrame)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median")
        rate_[r.run_name.function_name][r.run_name.args] = r.counters.at("hops_per_s").value;
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto& engine = rate_["BM_Load"];
    auto& whole = rate_["BM_WholePayload"];
    std::printf(
        "\nmedian frame-hops per second of CPU time, 4-stage pipe (target >= 5 million with "
        "64-byte frames):\n");
    std::printf("  %-12s %14s %12s %18s %16s\n", "frame bytes", "engine", "64 B / this",
                "whole-payload check", "engine / check");
    for (const char* size : {"64", "614400", "18874368"}) {
      const double now = engine[size], alt = whole[size];
      std::printf("  %-12s %14.0f %11.2fx %18.0f %15.2fx\n", size, now,
                  now > 0 ? engine["64"] / now : 0.0, alt, alt > 0 ? now / alt : 0.0);
    }
    if (engine["18874368"] > 0)
      std::printf(
          "ratio 64-byte / 18 MiB frames: %.2fx (at most 2x: the integrity check costs the same "
          "per frame)\n",
          engine["64"] / engine["18874368"]);
    std::printf(
        "(the whole-payload check alone, with no simulation around it: the most a whole-payload "
        "engine could reach)\n");
  }

 private:
  std::map<std::string, std::map<std::string, double>> rate_;  // function -> frame bytes -> rate
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
