// The synthetic load: scenarios whose metrics were computed by hand, determinism, modes, faults.
#include "ksframe/simulate.hpp"

#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "ksframe/render.hpp"

using namespace ksframe;

namespace {

struct Run {
  Spec spec;
  Negotiation n;
  Simulation sim;
};

Run run(const std::string& yaml, SimulateOptions o = {}, std::vector<std::string> overrides = {}) {
  LoadOptions load;
  load.overrides = std::move(overrides);
  auto r = load_spec(SourceFile{"s.yaml", yaml}, load);
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  Run out{*r.spec, {}, {}};
  out.n = negotiate(out.spec, negotiate_options(out.spec));
  out.sim = simulate(out.spec, out.n, o);
  return out;
}

// A 30 Hz source into a renderer that needs 50 ms per frame (20 Hz): slower than the source.
std::string slow_renderer(int frames) {
  return "ksframe: 1\nfilters:\n"
         "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: " +
         std::to_string(frames) +
         ", framing_range: {min: 4096, max: 4096}}]}}]}\n"
         "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
         "connections: [{from: cam.out, to: screen.in}]\n"
         "load: {seed: 3, frames: 6, source: {rate_hz: 30}, stages: {screen: {service_us: "
         "50000}}}\n";
}

}  // namespace

TEST_SUITE("simulate") {
  TEST_CASE("30 Hz into a 20 Hz renderer with 2 frames: the source stalls, overloaded (by hand)") {
    // Ticks at k x 33333333 ns; the renderer finishes a frame every 50 ms. With two frames the
    // source waits for frame 3 (1 ns), frame 4 (16666668 ns) and frame 5 (33333335 ns).
    auto r = run(slow_renderer(2));
    REQUIRE(r.sim.ran);
    const auto& p = r.sim.pipes.at(0);
    CHECK(p.allocations == 6);
    CHECK(p.frees == 6);
    CHECK(p.peak_outstanding == 2);
    CHECK(p.pending_high_water == 1);
    CHECK(p.stall_time_us == 50000);
    CHECK(p.failures == 0);
    CHECK(p.payload_errors == 0);
    // 30 Hz x 50 ms: busy 1.5 of the time. No frame count keeps up, so none is claimed.
    CHECK(p.verdict == PipeVerdict::Overloaded);
    CHECK(p.utilisation == doctest::Approx(1.5));
    CHECK(p.bottleneck == "screen");
    CHECK_FALSE(p.frames_needed);
    CHECK(p.reason ==
          "screen is busy 1.50 of the time (30.000 Hz x 50000 us mean service): it needs a mean "
          "service time below 33333 us; no frame count removes the stalls");
    CHECK(r.sim.delivered == 6);
    CHECK(r.sim.dropped == 0);
    CHECK(r.sim.duration_us == 300000);
    CHECK(r.sim.achieved_rate_hz ==
          doctest::Approx(20.0));          // 5 frames in the 250 ms after the first
    CHECK(r.sim.latency_p50_us == 83333);  // latencies 50000, 66666, 83333, 100000 x 3
    CHECK(r.sim.latency_p95_us == 100000);
    CHECK(r.sim.latency_max_us == 100000);
    CHECK(r.sim.frame_hops == 6);
  }

  TEST_CASE(
      "the same load with 8 frames: no stall, latency grows instead, still overloaded (by hand)") {
    auto r = run(slow_renderer(8));
    const auto& p = r.sim.pipes.at(0);
    CHECK(p.stall_time_us == 0);
    CHECK(p.pending_high_water == 0);
    CHECK(p.peak_outstanding == 3);
    CHECK(p.verdict == PipeVerdict::Overloaded);  // the six frames fit, a longer run would not
    CHECK_FALSE(p.frames_needed);
    CHECK(r.sim.latency_p50_us == 83333);  // 50000, 66666, 83333, 100000, 116666, 133333
    CHECK(r.sim.latency_max_us == 133333);
    CHECK(r.sim.achieved_rate_hz == doctest::Approx(20.0));
  }

  TEST_CASE("direct mode: the same timing, with immediate failures and FREEFRAME retries") {
    SimulateOptions direct;
    direct.allocator_mode = "direct";
    auto r = run(slow_renderer(2), direct);
    const auto& p = r.sim.pipes.at(0);
    CHECK(r.sim.allocator_mode == "direct");
    CHECK(p.stall_time_us == 50000);
    CHECK(p.immediate_failures == 3);
    CHECK(p.freeframe_events == 6);
    CHECK(r.sim.latency_p50_us == 83333);
  }

  TEST_CASE("the same spec and seed give byte-identical reports, another seed another one") {
    const std::string text = test::read_file(test::source_dir() + "/examples/capture-preview.yaml");
    auto a = run(text), b = run(text);
    const auto opts = negotiate_options(a.spec);
    const std::string ja = render_report_json(a.spec, a.n, opts, a.n.diagnostics, &a.sim);
    const std::string jb = render_report_json(b.spec, b.n, opts, b.n.diagnostics, &b.sim);
    CHECK(ja == jb);
    SimulateOptions other;
    other.seed = 99;
    auto c = run(text, other);
    CHECK(render_report_json(c.spec, c.n, opts, c.n.diagnostics, &c.sim) != ja);
  }

  TEST_CASE("copies into a second pipe are counted and the bytes arrive intact") {
    auto r = run(test::read_file(test::source_dir() + "/examples/encoder-two-pipes.yaml"));
    REQUIRE(r.sim.pipes.size() == 2);
    CHECK(r.sim.pipes[1].copies == 3000);
    CHECK(r.sim.pipes[1].bytes_copied == 3000ull * 159616);  // 3110400 / 20 + 4096 per frame
    CHECK(r.sim.pipes[0].payload_errors == 0);
    CHECK(r.sim.pipes[1].payload_errors == 0);
    CHECK(r.sim.delivered == 3000);
  }

  TEST_CASE("fault injection drops frames and marks the pipe failing") {
    auto r = run(slow_renderer(8), {},
                 {"load.faults={allocation_failure_rate: 0.5}", "load.frames=200"});
    const auto& p = r.sim.pipes.at(0);
    CHECK(p.failures > 50);
    CHECK(p.failures < 150);
    CHECK(r.sim.dropped == p.failures);
    CHECK(r.sim.delivered + r.sim.dropped == 200);
    CHECK(p.verdict == PipeVerdict::Failing);
  }

  TEST_CASE("a vendor allocator serves its pipe, a failing InitializeAllocator stops the run") {
    auto r = run(test::read_file(test::source_dir() + "/examples/device-memory.yaml"), {},
                 {"load={frames: 100}"});
    REQUIRE(r.sim.ran);
    CHECK(r.sim.pipes[0].allocator == PipeAllocator::Vendor);
    CHECK(r.sim.pipes[0].allocations == 100);
    CHECK(r.sim.pipes[0].frees == 100);
    auto refused = run(test::read_file(test::source_dir() + "/examples/device-memory.yaml"), {},
                       {"capture_card.video_out.allocator.fail_initialize=true"});
    CHECK_FALSE(refused.sim.ran);
    CHECK(refused.sim.error == "pipe-1: the vendor allocator's InitializeAllocator failed");
  }

  TEST_CASE("a pipe that could commit more than 2 GiB is refused, not allocated") {
    auto r = run(slow_renderer(8), {},
                 {"cam.out.framing_ex.items[0].framing_range={min: 400000000, max: 400000000}"});
    CHECK_FALSE(r.sim.ran);
    CHECK(r.sim.error ==
          "pipe-1 could commit 3200000000 bytes (8 frames of 400000000 bytes); the "
          "simulation uses at most 2147483648 per pipe");
  }

  TEST_CASE("a spec that does not negotiate is not simulated") {
    auto r = run(test::read_file(test::source_dir() +
                                 "/tests/data/negotiation/example-d-memory-conflict.yaml"));
    CHECK_FALSE(r.sim.ran);
    CHECK(r.sim.error == "negotiation failed; nothing to simulate");
  }

  TEST_CASE(
      "payloads of 1 to 40 bytes are never a payload error (issue 14 item 6: 9-15 overlapped)") {
    // payload-9-bytes.yaml: 4096-byte frames, 9-byte payloads. Stamp slots are 8-byte aligned
    // within the payload, so a 9-byte payload has slot 0 (8 bytes) and slot 1 (1 byte).
    for (int bytes = 1; bytes <= 40; ++bytes) {
      auto r = run(test::read_file(test::source_dir() + "/tests/data/load/payload-9-bytes.yaml"),
                   {}, {"load.source.payload=" + std::to_string(bytes)});
      REQUIRE(r.sim.ran);
      INFO("payload " << bytes);
      CHECK(r.sim.pipes.at(0).payload_errors == 0);
      CHECK(r.sim.pipes.at(0).verdict == PipeVerdict::Ok);
      CHECK(r.sim.pipes.at(0).payload_utilisation == doctest::Approx(bytes / 4096.0));
    }
  }

  TEST_CASE("a payload larger than the frame is refused, not clipped") {
    auto r = run(test::read_file(test::source_dir() + "/tests/data/load/payload-9-bytes.yaml"), {},
                 {"load.source.payload={distribution: uniform, min: 100, max: 5000}"});
    CHECK_FALSE(r.sim.ran);
    CHECK(r.sim.error ==
          "load.source.payload max 5000 bytes is larger than the 4096-byte frames of pipe-1 "
          "(at s.yaml:7:39); a frame cannot carry it");
  }

  TEST_CASE(
      "simulated work is bounded: source frames x stages, refused before the run (issue 14 item "
      "4)") {
    // encoder-two-pipes: encoder and writer are the stages, so 3000 frames are 6000 visits.
    SimulateOptions o;
    o.max_work = 5999;
    auto refused = run(test::read_file(test::source_dir() + "/examples/encoder-two-pipes.yaml"), o);
    CHECK_FALSE(refused.sim.ran);
    CHECK(refused.sim.error ==
          "the load is 3000 source frames x 2 stages = 6000 frame visits, above the limit of "
          "5999; lower load.frames (or --frames), or raise the limit with --max-work");
    o.max_work = 6000;
    CHECK(run(test::read_file(test::source_dir() + "/examples/encoder-two-pipes.yaml"), o).sim.ran);
  }
}
