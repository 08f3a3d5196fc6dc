// The load's verdicts on cases small enough to work out on paper: deadlocked (a renderer that
// keeps every frame, a splitter branch, a copying filter behind a blocked pipe), leaking, the STOP
// transition, overloaded and near saturation, and a starved pipe's frames_needed.
#include <algorithm>

#include "helpers.hpp"
#include "ksframe/diff.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;

namespace {

using test::Ran;
using test::ran;

std::string file(const std::string& path) {
  return test::read_file(test::source_dir() + "/" + path);
}

// cam (2 frames) -> fx -> fx2 (both in place) -> screen at 30 Hz; every stage `service_us` fixed.
std::string three_stages(int service_us) {
  const std::string s = std::to_string(service_us);
  return "ksframe: 1\nfilters:\n"
         "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 2, "
         "framing_range: {min: 4096, max: 4096}}]}}]}\n"
         "  - name: fx\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out}]\n"
         "    routes: [{from: in, to: out, in_place: true}]\n"
         "  - name: fx2\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out}]\n"
         "    routes: [{from: in, to: out, in_place: true}]\n"
         "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
         "connections: [{from: cam.out, to: fx.in}, {from: fx.out, to: fx2.in}, {from: fx2.out, "
         "to: screen.in}]\n"
         "load: {seed: 3, frames: 6, source: {rate_hz: 30}, stages: {fx: {service_us: " +
         s + "}, fx2: {service_us: " + s + "}, screen: {service_us: " + s + "}}}\n";
}

}  // namespace

TEST_SUITE("verdicts") {
  TEST_CASE(
      "a renderer that holds all 4 frames deadlocks at the 5th tick (issue 14 item 5, by hand)") {
    // Ticks every 33333333 ns; the renderer keeps the last 4 frames, and 4 is all there are. The
    // 5th request (tick 4, 133333332 ns) waits for a free that no event will ever make.
    auto r = ran(file("tests/data/load/renderer-holds-every-frame.yaml"));
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Deadlocked);
    REQUIRE(p.deadlock);
    CHECK(p.deadlock->stuck_at_us == 133333);
    REQUIRE(p.deadlock->holders.size() == 1);
    CHECK(p.deadlock->holders[0].filter == "renderer");
    CHECK(p.deadlock->holders[0].frames == 4);
    CHECK(p.deadlock->holders[0].how == "held (hold_frames 4)");
    REQUIRE(p.deadlock->waiting.size() == 1);
    CHECK(p.deadlock->waiting[0].requester == "camera.capture (source)");
    CHECK(p.deadlock->waiting[0].since_us == 133333);
    CHECK(p.deadlock->blocked_by.empty());
    REQUIRE(p.frames_needed);
    CHECK(*p.frames_needed == 5);  // the renderer lets the oldest go when a 5th arrives
    CHECK(p.reason ==
          "stuck at 133333 us: camera.capture (source) waits for a frame; renderer has 4: held "
          "(hold_frames 4)");
    CHECK(r.job.simulation.delivered == 4);
    // The STOP transition returns the 4 held frames: nothing outstanding, nothing leaked.
    CHECK(p.outstanding_at_stop == 4);
    CHECK(p.allocations == 4);
    CHECK(p.frees == 4);
    CHECK(p.leaked == 0);
    CHECK(exit_code(make_report(r.spec, r.job)) == 1);
    CHECK(make_report(r.spec, r.job).verdict() == Verdict::Fail);
  }

  TEST_CASE("holding 3 of 4 frames is not a deadlock, the diff to holding 4 trips new-starvation") {
    auto three = ran(file("tests/data/load/renderer-holds-every-frame.yaml"),
                     {"load.stages.renderer.hold_frames=3"});
    CHECK(three.pipe(0).verdict != PipeVerdict::Deadlocked);
    CHECK(three.job.simulation.delivered == 10000);
    auto four = ran(file("tests/data/load/renderer-holds-every-frame.yaml"));
    const auto d = diff_reports(make_report(three.spec, three.job),
                                make_report(four.spec, four.job), {"new-starvation"});
    CHECK(d.head_verdict == Verdict::Fail);
    REQUIRE(d.gates.size() == 1);
    CHECK(d.gates[0].tripped);
    CHECK(d.gates[0].reason == "pipe-1 deadlocked");
  }

  TEST_CASE("a splitter branch that never releases deadlocks its pipe") {
    // preview keeps 3 frames of the 3-frame pipe-1: the 4th tick (99999999 ns) waits forever.
    auto r = ran(file("examples/splitter-preview-record.yaml"),
                 {"load.stages.preview.hold_frames=3", "load.frames=300"});
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Deadlocked);
    REQUIRE(p.deadlock);
    CHECK(p.deadlock->stuck_at_us == 99999);
    CHECK(p.reason ==
          "stuck at 99999 us: camera.capture (source) waits for a frame; preview has 3: held "
          "(hold_frames 3)");
    REQUIRE(p.frames_needed);
    CHECK(*p.frames_needed == 4);
  }

  TEST_CASE(
      "a copying filter waiting on a blocked downstream pipe: both deadlocked, the cause named") {
    // writer keeps all 8 frames of pipe-2, so the encoder's copies wait, each holding its
    // pipe-1 input, until pipe-1's 3 frames are all such inputs.
    auto r = ran(file("examples/encoder-two-pipes.yaml"),
                 {"load.stages.writer.hold_frames=8", "load.frames=300"});
    const auto& down = r.pipe(1);
    CHECK(down.verdict == PipeVerdict::Deadlocked);
    REQUIRE(down.frames_needed);
    CHECK(*down.frames_needed == 9);
    CHECK(down.deadlock->holders.at(0).how == "held (hold_frames 8)");
    const auto& up = r.pipe(0);
    CHECK(up.verdict == PipeVerdict::Deadlocked);
    REQUIRE(up.deadlock);
    CHECK(up.deadlock->blocked_by == "pipe-2");
    REQUIRE(up.deadlock->holders.size() == 1);
    CHECK(up.deadlock->holders[0].filter == "encoder");
    CHECK(up.deadlock->holders[0].frames == 3);
    CHECK(up.deadlock->holders[0].how == "input of a copy waiting for pipe-2");
    CHECK_FALSE(up.frames_needed);  // more pipe-1 frames only postpone it
    CHECK(up.reason.ends_with("; it moves again when pipe-2 does"));
    CHECK(up.frees == up.allocations);
    CHECK(down.frees == down.allocations);
  }

  TEST_CASE(
      "teardown: every pipe ends with allocations == frees, the renderer's held frames are "
      "counted") {
    auto r = ran(file("examples/capture-preview.yaml"), {"load.frames=200"});
    for (const auto& p : r.job.simulation.pipes) {
      CHECK(p.allocations == 200);
      CHECK(p.frees == p.allocations);
      CHECK(p.leaked == 0);
    }
    CHECK(r.pipe(0).outstanding_at_stop == 1);  // the renderer shows the last frame (hold_frames 1)
  }

  TEST_CASE("an allocator made to lose a frame is leaking, and fails the run") {
    auto r = ran(file("examples/capture-preview.yaml"),
                 {"load.frames=200", "load.faults.lose_frames=1"});
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Leaking);
    CHECK(p.leaked == 1);
    CHECK(p.allocations == 200);
    CHECK(p.frees == 199);
    CHECK(p.reason ==
          "1 frame still out after the STOP transition returned every frame the stages held");
    CHECK(exit_code(make_report(r.spec, r.job)) == 1);
    auto vendor =
        ran(file("examples/device-memory.yaml"), {"load={frames: 100, faults: {lose_frames: 2}}"});
    CHECK(vendor.pipe(0).verdict == PipeVerdict::Leaking);
    CHECK(vendor.pipe(0).leaked == 2);
  }

  TEST_CASE(
      "three 25 ms stages at 30 Hz with 2 frames: starved, 3 frames remove the stalls (by hand)") {
    // Each frame is out 75 ms (2.25 periods). Frames C..F wait for A..D: 8333334, 8333334,
    // 16666668 and 16666668 ns, 50000004 ns in all. Utilisation 30 x 0.025 = 0.75 per stage.
    auto r = ran(three_stages(25000));
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Starved);
    CHECK(p.stall_time_us == 50000);
    CHECK(p.utilisation == doctest::Approx(0.75));
    REQUIRE(p.frames_needed);
    CHECK(*p.frames_needed == 3);
    CHECK(p.reason.empty());
  }

  TEST_CASE(
      "utilisation: above 1 overloaded, exactly 1 with fixed service near saturation (by hand)") {
    auto over = ran(three_stages(40000));  // 30 Hz x 40 ms = 1.2
    CHECK(over.pipe(0).verdict == PipeVerdict::Overloaded);
    CHECK_FALSE(over.pipe(0).frames_needed);
    CHECK(over.pipe(0).reason ==
          "fx is busy 1.20 of the time (30.000 Hz x 40000 us mean service): it needs a mean "
          "service time below 33333 us; no frame count removes the stalls");
    // 100 Hz x 10 ms fixed: the renderer keeps pace exactly, so it is not overloaded, but any
    // jitter would make it so.
    auto paced = ran(file("examples/ac97-audio.yaml"), {"load.frames=200"});
    CHECK(paced.pipe(0).utilisation == doctest::Approx(1.0));
    CHECK(paced.pipe(0).verdict == PipeVerdict::Ok);
    CHECK(paced.pipe(0).reason ==
          "near saturation: ac97 is busy 1.00 of the time, so the frame count is sensitive to the "
          "load");
    CHECK(make_report(paced.spec, paced.job).verdict() == Verdict::Warn);
    // The same mean with exponential service: overloaded.
    auto jitter = ran(file("examples/ac97-audio.yaml"),
                      {"load.frames=200",
                       "load.stages.ac97.service_us={distribution: exponential, mean: 10000}"});
    CHECK(jitter.pipe(0).verdict == PipeVerdict::Overloaded);
  }

  TEST_CASE(
      "frames_needed over 5 seeds: the same for a 2000- and a 6000-frame run, and run to run") {
    // Uniform 5-50 ms at 30 Hz (utilisation 0.825): bounded service, so past the steady state a
    // longer run meets no longer queue. The count is each seed's largest; the spread is kept.
    const std::vector<std::string> set{
        "load.stages.renderer.service_us={distribution: uniform, min: 5000, max: 50000}"};
    auto at = [&](unsigned frames) {
      SimulateOptions o;
      o.frames = frames;
      return ran(file("examples/capture-preview.yaml"), set, o).pipe(0);
    };
    const PipeMetrics shorter = at(2000), longer = at(6000), again = at(6000);
    CHECK(shorter.verdict == PipeVerdict::Starved);
    REQUIRE(shorter.frames_needed);
    REQUIRE(longer.frames_needed);
    CHECK(*shorter.frames_needed == *longer.frames_needed);
    CHECK(*shorter.frames_needed > 4);  // the 4 negotiated frames stall
    REQUIRE(longer.frames_needed_by_seed.size() == 5);
    CHECK(*std::max_element(longer.frames_needed_by_seed.begin(),
                            longer.frames_needed_by_seed.end()) == *longer.frames_needed);
    CHECK(again.frames_needed_by_seed == longer.frames_needed_by_seed);
    SimulateOptions one;
    one.frames = 2000;
    one.seeds = 1;
    CHECK(
        ran(file("examples/capture-preview.yaml"), set, one).pipe(0).frames_needed_by_seed.size() ==
        1);
  }

  TEST_CASE("the deadlock in every report: Markdown and HTML (marked on the chart)") {
    auto r = ran(file("tests/data/load/renderer-holds-every-frame.yaml"));
    const Report report = make_report(r.spec, r.job);
    const std::string md = render_report_markdown(report), html = render_report_html(report);
    CHECK(md.find("**FAIL: 0 errors, 0 warnings, 0 notes; 1 pipe, pipe-1 deadlocked (needs 5 "
                  "frames)**") != std::string::npos);
    CHECK(
        md.find("**deadlocked**: needs 5 frames (stuck at 133333 us: camera.capture (source) waits "
                "for a frame; "
                "renderer has 4: held (hold_frames 4))") != std::string::npos);
    CHECK(html.find("<title>pipe-1 deadlocked at 133.333 ms</title>") != std::string::npos);
    CHECK(html.find("4 negotiated frames; load verdict deadlocked</text>") != std::string::npos);
  }
}
