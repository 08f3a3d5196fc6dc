// Per-pin sources (load.sources.<filter>.<pin>) and drop-or-wait (when_starved), on cases small
// enough to work out on paper; the long-run overload and the in-place deadlock of the load
// verdicts.
#include <algorithm>

#include "helpers.hpp"
#include "ksframe/diff.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;

namespace {

using test::Ran;
using test::ran;

std::string file(const std::string& path) {
  return test::read_file(test::source_dir() + "/" + path);
}

std::string loaded(const std::string& yaml, std::vector<std::string> overrides) {
  LoadOptions load;
  load.overrides = std::move(overrides);
  return test::summary(load_spec(SourceFile{"s.yaml", yaml}, load).diagnostics);
}

}  // namespace

TEST_SUITE("sources") {
  TEST_CASE("each source pin runs at its own rate, reported per source (by hand)") {
    // Renderers that take no time deliver each frame when it is made: video every 33333333 ns,
    // audio every 10000000 ns, 100 frames each.
    auto r = ran(file("tests/data/load/two-rates.yaml"));
    const auto& sim = r.job.simulation;
    REQUIRE(sim.sources.size() == 2);
    CHECK(r.source(0).pin == "capture.video");
    CHECK(r.source(0).pipe == "pipe-1");
    CHECK(r.source(0).target_rate_hz == 30.0);
    CHECK(r.source(0).achieved_rate_hz == doctest::Approx(30.0).epsilon(1e-6));
    CHECK(r.source(0).produced == 100);
    CHECK(r.source(0).delivered == 100);
    CHECK(r.source(0).when_starved == "wait");
    CHECK(r.source(1).pin == "capture.audio");
    CHECK(r.source(1).target_rate_hz == 100.0);
    CHECK(r.source(1).achieved_rate_hz == doctest::Approx(100.0).epsilon(1e-9));
    CHECK(r.source(1).delivered == 100);
    // End to end every source together: the sum of the rates on both sides.
    CHECK(sim.target_rate_hz == 130.0);
    CHECK(sim.delivered == 200);
    // Each pipe's utilisation uses its own source's rate: 100 Hz x 5 ms = 0.5, 30 Hz x 5 ms = 0.15.
    auto busy = ran(file("tests/data/load/two-rates.yaml"),
                    {"load.stages={screen: {service_us: 5000}, speaker: {service_us: 5000}}"});
    CHECK(busy.pipe(0).utilisation == doctest::Approx(0.15));
    CHECK(busy.pipe(1).utilisation == doctest::Approx(0.5));
  }

  TEST_CASE("two pins at the default rate: each achieves 30 Hz, not 60 Hz of 30 Hz") {
    auto r = ran(file("tests/data/load/two-rates.yaml"), {"load.sources={}"});
    REQUIRE(r.job.simulation.sources.size() == 2);
    CHECK(r.source(0).achieved_rate_hz == doctest::Approx(30.0).epsilon(1e-6));
    CHECK(r.source(1).achieved_rate_hz == doctest::Approx(30.0).epsilon(1e-6));
    CHECK(r.job.simulation.target_rate_hz == 60.0);
    const std::string text = render_simulation_text(r.job.simulation);
    CHECK(text.find("  source capture.video into pipe-1: 30.000 Hz achieved of 30.000 Hz, 100 "
                    "produced, 0 dropped "
                    "(wait when starved)\n") != std::string::npos);
    CHECK(text.find("  source capture.audio into pipe-2: 30.000 Hz achieved of 30.000 Hz, 100 "
                    "produced, 0 dropped "
                    "(wait when starved)\n") != std::string::npos);
  }

  TEST_CASE("per-source keys fall back to load.source key by key") {
    auto r = ran(file("tests/data/load/two-rates.yaml"), {"load.source.rate_hz=50"});
    CHECK(r.source(0).target_rate_hz == 50.0);   // video sets no rate
    CHECK(r.source(1).target_rate_hz == 100.0);  // audio sets its own
    const EffectiveSource audio = r.spec.source({0, 1});
    CHECK(audio.payload_path == "load.sources.capture.audio.payload");
    CHECK(audio.burst_frames == 1);
    CHECK_FALSE(audio.drop);
    CHECK(audio.when_starved_from == "default");
  }

  TEST_CASE("unknown names: located errors with a did-you-mean, an input pin is refused") {
    const std::string yaml = file("tests/data/load/two-rates.yaml");
    CHECK(loaded(yaml, {"load.sources.captur={video: {rate_hz: 5}}"}) ==
          "27:5: KSF0017: load source names filter 'captur', which does not exist\n");
    LoadOptions o;
    o.overrides = {"load.sources.capture.vidoe={rate_hz: 5}"};
    auto r = load_spec(SourceFile{"s.yaml", yaml}, o);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message ==
          "load source names pin 'vidoe', which filter 'capture' does not have");
    CHECK(r.diagnostics[0].hint == "did you mean 'video'?");
    o.overrides = {"load.sources.screen.in={rate_hz: 5}"};
    r = load_spec(SourceFile{"s.yaml", yaml}, o);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message ==
          "load source names 'screen.in', an input pin; a source produces frames on an output pin");
    CHECK(r.diagnostics[0].hint == "output pins of this filter: (none)");
    o.overrides = {"load.sources.capture.video.burst_frames=0"};
    r = load_spec(SourceFile{"s.yaml", yaml}, o);
    CHECK(test::summary(r.diagnostics).find("KSF0010") != std::string::npos);
  }

  TEST_CASE("the names' positions in the file") {
    const std::string yaml =
        "ksframe: 1\n"
        "filters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out}]}\n"
        "load:\n"
        "  sources:\n"
        "    cam:\n"
        "      ot: {rate_hz: 60}\n"
        "    camera:\n"
        "      out: {rate_hz: 60}\n"
        "    cam2: 5\n";
    auto r = load_spec(SourceFile{"s.yaml", yaml});
    CHECK(test::summary(r.diagnostics) ==
          "7:7: KSF0017: load source names pin 'ot', which filter 'cam' does not have\n"
          "8:5: KSF0017: load source names filter 'camera', which does not exist\n"
          "10:5: KSF0017: load source names filter 'cam2', which does not exist\n"
          "10:11: KSF0009: 'cam2' must be a mapping, not the value '5'\n");
    CHECK(r.diagnostics[0].hint == "did you mean 'out'?");
    CHECK(r.diagnostics[1].hint == "filters: cam");
    CHECK(r.diagnostics[2].hint == "did you mean 'cam'?");
  }

  TEST_CASE(
      "a per-pin payload larger than its frames: KSF4008 at that payload, and the run refuses it") {
    const std::string yaml = file("tests/data/load/two-rates.yaml");
    LoadOptions o;
    o.overrides = {"load.sources.capture.audio.payload={bytes: 230400}"};
    auto r = load_spec(SourceFile{"s.yaml", yaml}, o);
    REQUIRE(r.spec);
    const auto found = test::with_rule(lint_spec(*r.spec, {}), "KSF4008");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "load.sources.capture.audio.payload of 230400 bytes is larger than the 1920-byte frames "
          "of pipe-2 (capture.audio)");
    const Simulation s = simulate(*r.spec, negotiate(*r.spec, negotiate_options(*r.spec)), {});
    CHECK_FALSE(s.ran);
    CHECK(
        s.error.starts_with("load.sources.capture.audio.payload 230400 bytes is larger than the "
                            "1920-byte frames of pipe-2"));
  }
}

TEST_SUITE("dropping") {
  TEST_CASE(
      "bursts of 2 into a 1-frame pipe: every second frame dropped, 2 frames stop the drops (by "
      "hand)") {
    // Frames 0/1 due at 0 ns, 2/3 at 66666666 ns, 4/5 at 133333332 ns: each burst's first frame
    // takes the only frame, the second is dropped; the screen frees it 10 ms later.
    auto r = ran(file("tests/data/load/burst-drops.yaml"));
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Dropping);
    CHECK(p.dropped == 3);
    CHECK(p.allocations == 3);
    CHECK(p.stall_time_us == 0);  // a dropping source never waits
    CHECK(p.utilisation == doctest::Approx(0.3));
    REQUIRE(p.frames_needed);
    CHECK(*p.frames_needed == 2);
    CHECK(p.frames_needed_by_seed == std::vector<ks::ULONG>{2, 2, 2, 2, 2});
    CHECK(p.reason ==
          "3 source frames dropped: cam.out drops when no frame is free (its pin has "
          "KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING)");
    const auto& s = r.source(0);
    CHECK(s.when_starved == "drop");
    CHECK(s.produced == 3);
    CHECK(s.dropped == 3);
    CHECK(s.delivered == 3);
    // Delivered at 10 ms, 76.67 ms and 143.33 ms: 2 frames in 133.33 ms.
    CHECK(s.achieved_rate_hz == doctest::Approx(15.0).epsilon(1e-6));
    CHECK(r.job.simulation.dropped == 3);
    const Report report = make_report(r.spec, r.job);
    CHECK(exit_code(report) == 0);  // a warning, as starved is
    CHECK(report.verdict() == Verdict::Warn);
    CHECK(report.verdict_line() ==
          "WARN: 0 errors, 0 warnings, 0 notes; 1 pipe, pipe-1 dropping (needs 2 frames)");
    const std::string text = render_simulation_text(r.job.simulation);
    CHECK(text.find(
              ": dropping (2 frames stop the drops) (5 seeds need 2) (3 source frames dropped:") !=
          std::string::npos);
    const std::string md = render_report_markdown(report), html = render_report_html(report);
    CHECK(md.find("| `cam.out` | `pipe-1` | 15.000 Hz | 30.000 Hz | 3 | 3 | drop |") !=
          std::string::npos);
    CHECK(md.find("**dropping**: needs 2 frames") != std::string::npos);
    CHECK(html.find("<tr><td><code>cam.out</code></td><td>pipe-1</td><td class=\"n\">15.000 "
                    "Hz</td><td class=\"n\">30.000 Hz"
                    "</td><td class=\"n\">3</td><td class=\"n\">3</td><td>drop</td></tr>") !=
          std::string::npos);
    CHECK(html.find(", 3 dropped") != std::string::npos);
    // The chart: the pipe's own panel, its negotiated frames labelled, its verdict in the heading.
    CHECK(html.find("<g class=\"panel\" data-pipe=\"pipe-1\">") != std::string::npos);
    CHECK(html.find(">1 negotiated</text>") != std::string::npos);
    CHECK(html.find("1 negotiated frames; load verdict dropping</text>") != std::string::npos);
  }

  TEST_CASE("the same load told to wait: starved, each second frame waits 10 ms (by hand)") {
    auto r =
        ran(file("tests/data/load/burst-drops.yaml"), {"load.sources.cam.out.when_starved=wait"});
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Starved);
    CHECK(p.dropped == 0);
    CHECK(p.allocations == 6);
    CHECK(p.stall_time_us == 30000);
    REQUIRE(p.frames_needed);
    CHECK(*p.frames_needed == 2);
    CHECK(r.source(0).when_starved == "wait");
    // load.source.when_starved overrides the pin's flag too, and a pin entry overrides that.
    CHECK(ran(file("tests/data/load/burst-drops.yaml"), {"load.source.when_starved=wait"})
              .pipe(0)
              .verdict == PipeVerdict::Starved);
    CHECK(ran(file("tests/data/load/burst-drops.yaml"),
              {"load.source.when_starved=wait", "load.sources.cam.out.when_starved=drop"})
              .pipe(0)
              .verdict == PipeVerdict::Dropping);
  }

  TEST_CASE("direct mode drops the same frames") {
    SimulateOptions o;
    o.allocator_mode = "direct";
    auto r = ran(file("tests/data/load/burst-drops.yaml"), {}, o);
    CHECK(r.pipe(0).verdict == PipeVerdict::Dropping);
    CHECK(r.pipe(0).dropped == 3);
    CHECK(r.pipe(0).immediate_failures == 3);
  }

  TEST_CASE("a pipe that becomes dropping trips new-starvation, the diff shows the verdict") {
    auto base =
        ran(file("tests/data/load/burst-drops.yaml"), {"load.sources.cam.out.burst_frames=1"});
    CHECK(base.pipe(0).verdict == PipeVerdict::Ok);
    auto head = ran(file("tests/data/load/burst-drops.yaml"));
    const auto d = diff_reports(make_report(base.spec, base.job), make_report(head.spec, head.job),
                                {"new-starvation"});
    REQUIRE(d.gates.size() == 1);
    CHECK(d.gates[0].tripped);
    CHECK(d.gates[0].reason == "pipe-1 dropping");
    // dropping and overloaded are one class: starved -> dropping trips, dropping -> starved does
    // not.
    auto starved =
        ran(file("tests/data/load/burst-drops.yaml"), {"load.sources.cam.out.when_starved=wait"});
    CHECK(diff_reports(make_report(starved.spec, starved.job), make_report(head.spec, head.job),
                       {"new-starvation"})
              .gates.at(0)
              .tripped);
    CHECK_FALSE(diff_reports(make_report(head.spec, head.job),
                             make_report(starved.spec, starved.job), {"new-starvation"})
                    .gates.at(0)
                    .tripped);
  }

  TEST_CASE("a saved report round-trips the sources and the dropped count") {
    auto r = ran(file("tests/data/load/burst-drops.yaml"));
    const std::string json = render_report_json(r.spec, r.job.negotiation, r.job.options,
                                                r.job.diagnostics, &r.job.simulation);
    std::string error;
    const auto back = report_from_json_text(json, "saved.json", &error);
    REQUIRE_MESSAGE(back, error);
    REQUIRE(back->simulation);
    REQUIRE(back->simulation->sources.size() == 1);
    CHECK(back->simulation->sources[0].dropped == 3);
    CHECK(back->simulation->sources[0].achieved_rate_hz == 15.0);
    CHECK(back->pipes.at(0).run->dropped == 3);
    CHECK(back->pipes.at(0).run->verdict == PipeVerdict::Dropping);
  }
}

TEST_SUITE("verdicts") {
  TEST_CASE("overloaded whatever the run length: 600 and 10000 frames agree (issue 16)") {
    // The renderer at 45 ms mean per frame at 30 Hz: utilisation 1.35 for any run length.
    for (unsigned frames : {600u, 10000u}) {
      SimulateOptions o;
      o.frames = frames;
      auto r = ran(file("examples/capture-preview.yaml"),
                   {"load.stages.renderer.service_us.mean=45000"}, o);
      CAPTURE(frames);
      CHECK(r.pipe(0).verdict == PipeVerdict::Overloaded);
      CHECK(r.pipe(0).utilisation == doctest::Approx(1.35));
      CHECK_FALSE(r.pipe(0).frames_needed);
      CHECK(
          r.pipe(0).reason ==
          "renderer is busy 1.35 of the time (30.000 Hz x 45000 us mean service): it needs a mean "
          "service time below 33333 us; no frame count removes the stalls");
    }
  }

  TEST_CASE("an in-place stage holding the pipe's last frame deadlocks (by hand)") {
    // fx keeps references to the last 2 frames of a 2-frame pipe: the frame due at 66666666 ns
    // waits forever; with 3 frames fx lets the oldest go as the third passes.
    auto r = ran(file("tests/data/load/inplace-holds-every-frame.yaml"));
    const auto& p = r.pipe(0);
    CHECK(p.verdict == PipeVerdict::Deadlocked);
    REQUIRE(p.deadlock);
    CHECK(p.deadlock->stuck_at_us == 66666);
    REQUIRE(p.deadlock->holders.size() == 1);
    CHECK(p.deadlock->holders[0].filter == "fx");
    CHECK(p.deadlock->holders[0].frames == 2);
    CHECK(p.deadlock->holders[0].how == "held (hold_frames 2)");
    CHECK(p.reason ==
          "stuck at 66666 us: cam.out (source) waits for a frame; fx has 2: held (hold_frames 2)");
    REQUIRE(p.frames_needed);
    CHECK(*p.frames_needed == 3);
    CHECK(r.job.simulation.delivered == 2);  // the screen finished both frames
    CHECK(p.outstanding_at_stop == 2);
    CHECK(p.frees == p.allocations);  // STOP takes fx's references back
    CHECK(p.leaked == 0);
    CHECK(exit_code(make_report(r.spec, r.job)) == 1);
    auto three = ran(file("tests/data/load/inplace-holds-every-frame.yaml"),
                     {"cam.out.framing_ex.items[0].frames=3"});
    CHECK(three.pipe(0).verdict == PipeVerdict::Ok);
    CHECK(three.pipe(0).frees == 100);
  }
}
