// The Report model and its review renderers: saved reports read back to the same model, exact
// verdict lines, escaping of hostile spec strings in Markdown and HTML, and the simulation's
// frames-outstanding timeline computed by hand.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;

namespace {

struct Built {
  Spec spec;
  Job job;
  Report report;
};

Built build(const std::string& yaml, SimulateOptions o = {}) {
  auto r = load_spec(SourceFile{"r.yaml", yaml});
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  Built b{*r.spec, {}, {}};
  b.job = run_job(b.spec, r.diagnostics, o);
  b.report = make_report(b.spec, b.job);
  return b;
}

// A 125 Hz source (8 ms period) into a renderer that holds each frame for exactly 4 ms.
std::string half_busy(int frames, const std::string& name = "half-busy") {
  return "ksframe: 1\nname: " + name +
         "\nfilters:\n"
         "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 4, "
         "framing_range: {min: 4096, max: 4096}}]}}]}\n"
         "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
         "connections: [{from: cam.out, to: screen.in}]\n"
         "load: {seed: 1, frames: " +
         std::to_string(frames) +
         ", source: {rate_hz: 125}, stages: {screen: {service_us: {distribution: fixed, value: "
         "4000}}}}\n";
}

std::string saved(const Built& b) {
  return render_report_json(b.spec, b.job.negotiation, b.job.options, b.job.diagnostics,
                            &b.job.simulation);
}

// A camera pin with avshws's placeholder framing (2 x 8192, stepping 1) that its create dispatch
// edits to the format's image size, 3 frames, stepping 0; two formats, the connection picks one.
std::string edited_camera(const std::string& format) {
  return "ksframe: 1\nname: formats\nfilters:\n"
         "  - name: cam\n    pins:\n"
         "      - name: out\n        dataflow: out\n"
         "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
         "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], "
         "frames: 2, file_alignment: FILE_BYTE_ALIGNMENT, min: 8192, max: 8192}\n"
         "        framing_edit: {frame_size: sample_size, stepping: 0, frames: 3}\n"
         "        data_ranges:\n"
         "          - {kind: video, subtype: YUY2, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n"
         "          - {kind: video, subtype: RGB24, width: 321, height: -240, avg_time_per_frame: "
         "400000}\n"
         "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
         "connections: [{from: cam.out, to: screen.in" +
         format +
         "}]\n"
         "load: {seed: 1, frames: 20}\n";
}

// A legacy-framed audio pin (8 x 4096) edited to 10 ms of the connection's format.
const std::string kEditedAudio =
    "ksframe: 1\nname: audio\nfilters:\n"
    "  - name: mic\n    pins:\n"
    "      - name: out\n        dataflow: out\n"
    "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], pool_type: "
    "NonPagedPool, frames: 8, "
    "frame_size: 4096, file_alignment: FILE_LONG_ALIGNMENT, reserved: 0}\n"
    "        framing_edit: {frame_size: {audio_ms: 10}}\n"
    "        data_ranges: [{kind: audio, max_channels: 2, bits: 16, rate: {min: 8000, max: "
    "48000}}]\n"
    "  - {name: rec, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
    "connections: [{from: mic.out, to: rec.in, format: {range: 0, channels: 1, rate: 44100}}]\n"
    "load: {seed: 1, frames: 20}\n";
}  // namespace

TEST_SUITE("review") {
  TEST_CASE("make_report is the report its JSON reads back as, for every example and test spec") {
    // The one contract between a fresh run and a saved report: renderers, diff and the exit code
    // read the Report, and the JSON is written from it (to_json) and read back to it
    // (report_from_json_text): the pair must lose or add nothing, for `run`'s report and for
    // `negotiate`'s (no simulation), and writing what was read gives the same bytes.
    std::size_t compared = 0;
    for (const char* dir : {"/examples", "/examples/broken", "/tests/data/diff", "/tests/data/load",
                            "/tests/data/negotiation", "/tests/data/reliability"})
      for (const auto& e : std::filesystem::directory_iterator(test::source_dir() + dir)) {
        if (e.path().extension() != ".yaml") continue;
        const std::string path = e.path().string();
        auto loaded = load_spec(SourceFile{path, test::read_file(path)});
        if (!loaded.spec) continue;  // does not load: no run to compare
        SimulateOptions o;
        o.frames = 300;  // short runs: the comparison is of shapes and values, not of the load
        Built b{*loaded.spec, run_job(*loaded.spec, loaded.diagnostics, o), {}};
        b.report = make_report(b.spec, b.job);
        const Report negotiated =
            make_negotiation_report(b.spec, b.job.options, b.job.negotiation, b.job.diagnostics);
        CHECK_FALSE(negotiated.simulation);
        for (const Report* r : std::initializer_list<const Report*>{&b.report, &negotiated}) {
          const std::string text = to_json(*r);
          std::string error;
          auto read = report_from_json_text(text, path, &error);
          REQUIRE_MESSAGE(read, error);
          CHECK_MESSAGE(*read == *r, path);
          CHECK_MESSAGE(to_json(*read) == text, path);
        }
        CHECK(saved(b) == to_json(b.report));  // render_report_json is make_report + to_json
        ++compared;
      }
    CHECK(compared >= 40);
  }

  TEST_CASE("every golden report is written back byte for byte from the Report it reads as") {
    // The CLI goldens of `run` and `negotiate --format json`: to_json(read(golden)) is the golden,
    // so the Report holds every byte of the contract, and that Report reads back as itself.
    std::size_t compared = 0;
    for (const auto& e :
         std::filesystem::directory_iterator(test::source_dir() + "/tests/cli/cases")) {
      if (e.path().extension() != ".out") continue;
      const std::string path = e.path().string();
      const std::string text = test::read_file(path);
      const auto doc = nlohmann::json::parse(text, nullptr, false);
      if (!doc.is_object() || !doc.contains("ksframe_report")) continue;  // not a report
      std::string error;
      auto read = report_from_json_text(text, path, &error);
      REQUIRE_MESSAGE(read, error);
      const std::string written = to_json(*read);
      CHECK_MESSAGE(written == text, path);
      auto back = report_from_json_text(written, path, &error);
      REQUIRE_MESSAGE(back, error);
      CHECK_MESSAGE(*back == *read, path);
      ++compared;
    }
    CHECK(compared == 7);  // negotiate-example-a..d, negotiate-json-user-boundary, run-default-
                           // example, run-negotiation-failure
  }

  TEST_CASE("the report's enums: each word parses to its value and back, other words do not") {
    for (auto v : {Verdict::Pass, Verdict::Warn, Verdict::Fail})
      CHECK(parse_verdict(to_string(v)) == v);
    for (auto v : {PipeStatus::Ok, PipeStatus::Failed}) CHECK(parse_pipe_status(to_string(v)) == v);
    for (auto v : {Severity::Note, Severity::Warning, Severity::Error})
      CHECK(parse_severity(to_string(v)) == v);
    const std::vector<std::pair<PipeVerdict, std::string>> verdicts = {
        {PipeVerdict::Ok, "ok"},
        {PipeVerdict::Starved, "starved"},
        {PipeVerdict::Dropping, "dropping"},
        {PipeVerdict::Overloaded, "overloaded"},
        {PipeVerdict::Deadlocked, "deadlocked"},
        {PipeVerdict::Leaking, "leaking"},
        {PipeVerdict::Failing, "failing"}};
    for (const auto& [v, word] : verdicts) {
      CHECK(to_string(v) == word);
      CHECK(parse_pipe_verdict(word) == v);
      CHECK(fails(v) == (word == "failing" || word == "deadlocked" || word == "leaking"));
      CHECK(is_problem(v) == (word != "ok"));
    }
    for (auto v : {NegotiationStatus::Ok, NegotiationStatus::Failed, NegotiationStatus::NotRun})
      CHECK(parse_negotiation_status(to_string(v)) == v);
    CHECK(to_string(NegotiationStatus::NotRun) == "not_run");
    for (auto v :
         {PipeAllocator::Default, PipeAllocator::Vendor, PipeAllocator::User, PipeAllocator::None})
      CHECK(parse_pipe_allocator(to_string(v)) == v);
    CHECK(to_string(PipeAllocator::User) == "user");
    CHECK_FALSE(parse_pipe_allocator("kernel"));
    CHECK(to_string(Verdict::Warn) == "warn");
    CHECK(to_string(PipeStatus::Failed) == "failed");
    CHECK_FALSE(parse_pipe_verdict("not_run"));  // explore's word for no load, not a verdict
    CHECK_FALSE(parse_pipe_verdict("OK"));
    CHECK_FALSE(parse_verdict(""));
    CHECK_FALSE(parse_severity("info"));
    CHECK_FALSE(parse_pipe_status("not_run"));
    CHECK_FALSE(parse_negotiation_status("ran"));
  }

  TEST_CASE(
      "timeline: one frame out for 4 ms of every 8 gives mean 0.5 and max 1 per bucket (by hand)") {
    // 100 frames: allocations at 8k ms, frees at 8k + 4 ms, the run ends at 796 ms. 796 buckets
    // of 1 ms are too many (limit 128): merged twice, buckets are 4 ms, then 8 ms wide.
    auto b = build(half_busy(100));
    const auto& p = b.job.simulation.pipes.at(0);
    CHECK(b.job.simulation.duration_us == 796000);
    CHECK(p.timeline_bucket_us == 8000);
    REQUIRE(p.timeline.size() == 100);
    REQUIRE(p.timeline_mean.size() == 100);
    for (std::size_t i = 0; i + 1 < 100; ++i) {
      CHECK(p.timeline[i] == 1);
      CHECK(p.timeline_mean[i] == 0.5);
    }
    CHECK(p.timeline_mean[99] == 1.0);  // the last bucket ends at 796 ms: busy all of its 4 ms
    CHECK(p.timeline[99] == 1);
  }

  TEST_CASE("timeline: a long run stays within 128 buckets") {
    auto b = build(half_busy(50000));
    const auto& p = b.job.simulation.pipes.at(0);
    CHECK(p.timeline.size() <= 128);
    CHECK(p.timeline.size() > 64);
    CHECK(p.timeline_bucket_us * p.timeline.size() >= b.job.simulation.duration_us);
    for (double m : p.timeline_mean) CHECK(m == doctest::Approx(0.5).epsilon(0.01));
  }

  TEST_CASE("a saved JSON report reads back to the report of the run") {
    auto b = build(half_busy(100));
    std::string error;
    auto back = report_from_json_text(saved(b), "saved.json", &error);
    REQUIRE_MESSAGE(back, error);
    CHECK(render_report_markdown(*back) == render_report_markdown(b.report));
    CHECK(render_report_html(*back) == render_report_html(b.report));
    REQUIRE(back->pipes.size() == 1);
    const auto& p = back->pipes[0];
    CHECK(p.id == "pipe-1");
    CHECK(p.pins == std::vector<std::string>{"cam.out", "screen.in"});
    CHECK(p.allocator_pin == "screen.in");
    CHECK(p.frames == 4);
    CHECK(p.frame_size == 4096);
    CHECK(p.bytes_committed() == 16384);
    REQUIRE(p.run);
    CHECK(p.run->verdict == PipeVerdict::Ok);
    CHECK(back->graph.filters.size() == 2);
    CHECK(back->graph.connections ==
          std::vector<ReportGraph::Connection>{{"cam.out", "screen.in", std::nullopt}});
  }

  TEST_CASE("verdict lines") {
    CHECK(build(half_busy(100)).report.verdict_line() ==
          "PASS: 0 errors, 0 warnings, 0 notes; 1 pipe, no stalls or failures in the load");
    // 30 Hz through three 25 ms stages with 2 frames: starved (see verdicts_test).
    auto starved = build(
        "ksframe: 1\nfilters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 2, "
        "framing_range: {min: 4096, max: 4096}}]}}]}\n"
        "  - name: fx\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out}]\n"
        "    routes: [{from: in, to: out, in_place: true}]\n"
        "  - name: fx2\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out}]\n"
        "    routes: [{from: in, to: out, in_place: true}]\n"
        "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
        "connections: [{from: cam.out, to: fx.in}, {from: fx.out, to: fx2.in}, {from: fx2.out, to: "
        "screen.in}]\n"
        "load: {seed: 3, frames: 6, source: {rate_hz: 30}, stages: {fx: {service_us: 25000}, fx2: "
        "{service_us: 25000}, screen: {service_us: 25000}}}\n");
    CHECK(starved.report.verdict() == Verdict::Warn);
    CHECK(starved.report.verdict_line() ==
          "WARN: 0 errors, 0 warnings, 0 notes; 1 pipe, pipe-1 starved (needs 3 frames)");
    // A renderer that keeps both frames: deadlocked, which fails.
    auto deadlocked = build(
        "ksframe: 1\nfilters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 2, "
        "framing_range: {min: 4096, max: 4096}}]}}]}\n"
        "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER]}]}\n"
        "connections: [{from: cam.out, to: screen.in}]\n"
        "load: {seed: 3, frames: 6, source: {rate_hz: 30}, stages: {screen: {service_us: 1000, "
        "hold_frames: 2}}}\n");
    CHECK(deadlocked.report.verdict() == Verdict::Fail);
    CHECK(exit_code(deadlocked.report) == 1);
    CHECK(deadlocked.report.verdict_line() ==
          "FAIL: 0 errors, 0 warnings, 0 notes; 1 pipe, pipe-1 deadlocked (needs 3 frames)");
    // A graph with nothing to stream (the pin's implied consumer is turned off, so the
    // unconnected pin is in no pipe) is "nothing to simulate", not a failure (issue 24).
    auto no_source = build(
        "ksframe: 1\nfilters:\n"
        "  - {name: device, pins: [{name: pin, dataflow: out, implied_consumer: none, framing_ex: "
        "{items: [{frames: 2}]}}]}\n");
    CHECK(exit_code(no_source.report) == 0);
    CHECK(no_source.report.verdict() == Verdict::Pass);
    CHECK(no_source.report.verdict_line() ==
          "PASS: 0 errors, 0 warnings, 0 notes; 0 pipes, nothing to simulate (no pin streams "
          "through an allocator)");
    Diagnostics load_errors{{"KSF0010",
                             Severity::Error,
                             "'frames' is negative: -1",
                             {"x.yaml", 3, 9},
                             {},
                             "",
                             "",
                             -1,
                             -1}};
    const Report broken = make_report_of_load_errors("x.yaml", load_errors);
    // Not "negotiation failed (0 failures)": a spec that did not load was never negotiated.
    CHECK(broken.verdict_line() ==
          "FAIL: 1 error, 0 warnings, 0 notes; not negotiated (the spec has errors)");
    CHECK(render_report_markdown(broken).find(
              "| error | `KSF0010` | `x.yaml:3:9` | 'frames' is negative: -1 |") !=
          std::string::npos);
  }

  TEST_CASE("Markdown: the parts a pull-request comment needs") {
    const std::string md = render_report_markdown(build(half_busy(100)).report);
    CHECK(
        md.starts_with("## ksframe: half-busy\n\n**PASS: 0 errors, 0 warnings, 0 notes; 1 pipe, no "
                       "stalls or failures in the load**\n"));
    // Five columns, the load verdict second: what GitHub shows without scrolling.
    CHECK(md.find("| Pipe | Load | Frames × size (alignment) | Committed | Allocator pin (place), "
                  "memory |\n|---|---|---:|---:|---|\n") != std::string::npos);
    CHECK(
        md.find("| pipe-1: `cam.out` → `screen.in` | **ok**; peak 1 outstanding | 4 × 4,096 (1) | "
                "16.00 KiB | `screen.in` (LastPin, kernel, default), "
                "`KSMEMORY_TYPE_KERNEL_NONPAGED` |") != std::string::npos);
    CHECK(md.find("```mermaid\nflowchart LR\n") != std::string::npos);
    CHECK(md.find("  f0p0 -->|\"pipe-1\"| f1p0\n") != std::string::npos);
    CHECK(md.find("  class f1p0 allocator\n") != std::string::npos);
    CHECK(md.find("<details><summary>Why pipe-1 looks like this</summary>") != std::string::npos);
  }

  TEST_CASE("Markdown and HTML escape every string from the spec") {
    const std::string name = "\"<script>alert(1)</script> | *x* `y` &amp;\"";
    auto b = build(half_busy(10, name));
    const std::string md = render_report_markdown(b.report);
    CHECK(md.find("<script") == std::string::npos);
    CHECK(md.starts_with(
        "## ksframe: &lt;script>alert(1)&lt;/script> \\| \\*x\\* \\`y\\` &amp;amp;\n"));
    const std::string html = render_report_html(b.report);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(
        html.find(
            "<title>ksframe: &lt;script&gt;alert(1)&lt;/script&gt; | *x* `y` &amp;amp;</title>") !=
        std::string::npos);
  }

  TEST_CASE("HTML: self-contained, no scripts, the graph and the chart as SVG") {
    const std::string html = render_report_html(build(half_busy(100)).report);
    CHECK(html.starts_with("<!DOCTYPE html>\n"));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);   // no external images or scripts
    CHECK(html.find("href=") == std::string::npos);  // no external style sheets
    CHECK(html.find("<svg id=\"graph\"") != std::string::npos);
    CHECK(html.find("<svg id=\"chart\"") != std::string::npos);
    CHECK(html.find("<g class=\"pin allocator-pin\">") != std::string::npos);
    CHECK(html.find("<polyline class=\"series\" data-pipe=\"pipe-1\"") != std::string::npos);
    CHECK(html.find("simulated time (s)") != std::string::npos);
    CHECK(html.find("frames outstanding</text>") != std::string::npos);
  }

  TEST_CASE("report JSON: a connection's video format and the pin's edited framing, by hand") {
    // format: 1 is RGB24 321 x -240: 963-byte rows round up to 964 (DWORD), x 240 = 231360;
    // AvgTimePerFrame 400000 (100 ns) = 25 frames/s.
    auto b = build(edited_camera(", format: 1"));
    const auto doc = nlohmann::json::parse(saved(b));
    const auto& f = doc.at("graph").at("connections").at(0).at("format");
    CHECK(f == nlohmann::json::parse(R"({"from_range": 1, "to_range": null, "explicit": true,
        "description": "video RGB24 321x-240 24-bit", "kind": "video", "major": "KSDATAFORMAT_TYPE_VIDEO",
        "subtype": "MEDIASUBTYPE_RGB24", "specifier": "KSDATAFORMAT_SPECIFIER_VIDEOINFO", "sample_bytes": 231360,
        "video": {"width": 321, "height": -240, "bit_count": 24, "image_size": 231360, "avg_time_per_frame": 400000,
                  "frame_rate_hz": 25.0},
        "audio": null})"));
    const auto& pin = doc.at("graph").at("filters").at(0).at("pins").at(0);
    CHECK(pin.at("data_ranges").size() == 2);
    CHECK(pin.at("data_ranges").at(0) ==
          nlohmann::json::parse(R"({"kind": "video", "description": "video YUY2 320x240 16-bit",
        "sample_bytes": 153600, "location": {"file": "r.yaml", "line": 11, "column": 13}})"));
    CHECK(pin.at("data_ranges").at(1).at("sample_bytes") == 231360);
    CHECK(pin.at("framing_edit") ==
          nlohmann::json::parse(R"({"sets": {"frame_size": "sample_size", "audio_ms": null,
        "stepping": 0, "frames": 3}, "location": {"file": "r.yaml", "line": 9, "column": 23}, "framing_used": "edited",
        "note": "frame size 231360 (biSizeImage of video RGB24 321x-240 24-bit), 3 frames, stepping 0",
        "declared": [{"frames": 2, "min": 8192, "max": 8192, "stepping": 1}],
        "edited": [{"frames": 3, "min": 231360, "max": 231360, "stepping": 0}]})"));
    // The input pin lists no ranges and has no edit.
    const auto& in = doc.at("graph").at("filters").at(1).at("pins").at(0);
    CHECK(in.at("data_ranges").empty());
    CHECK(in.at("framing_edit").is_null());
    // Negotiation used the edited framing.
    CHECK(b.report.pipes.at(0).frame_size == 231360);
    // The model says the same, built from the run.
    const auto& c = b.report.graph.connections.at(0);
    REQUIRE(c.format);
    CHECK(c.format->from_range == 1);
    CHECK_FALSE(c.format->to_range);
    REQUIRE(c.format->video);
    CHECK(c.format->video->frame_rate_hz == 25.0);
    REQUIRE(b.report.graph.filters.at(0).pins.at(0).framing_edit);
    CHECK(b.report.graph.filters.at(0).pins.at(0).framing_edit->edited ==
          std::vector<ReportFramingSizes>{{3, 231360, 231360, 0}});
  }

  TEST_CASE("report JSON: the first common format when format: is absent (YUY2 320x240 = 153600)") {
    auto b = build(edited_camera(""));
    const auto doc = nlohmann::json::parse(saved(b));
    const auto& f = doc.at("graph").at("connections").at(0).at("format");
    CHECK(f.at("from_range") == 0);
    CHECK(f.at("explicit") == false);
    CHECK(f.at("sample_bytes") == 153600);              // 640-byte rows x 240
    CHECK(f.at("video").at("frame_rate_hz") == 29.97);  // 1e7 / 333667 = 29.97003, 3 decimals
    CHECK(b.report.pipes.at(0).frame_size == 153600);
    CHECK(render_report_formats_text(b.report) ==
          "formats:\n"
          "  cam.out -> screen.in: range 0 x any (the first common format): video YUY2 320x240 "
          "16-bit, image 153600 "
          "bytes, 29.970 frames/s\n"
          "framing edits:\n"
          "  cam.out: 2 x 8192 bytes, stepping 1 -> 3 x 153600 bytes, stepping 0 (frame size "
          "153600 (biSizeImage of "
          "video YUY2 320x240 16-bit), 3 frames, stepping 0); negotiation used the edited "
          "framing\n\n");
  }

  TEST_CASE("report JSON: an audio format and a legacy framing edited to 10 ms, by hand") {
    // 1 channel x 16 bits = block align 2; x 44100 Hz = 88200 bytes/s; 10 ms = ceil(441) blocks
    // = 882 bytes. Legacy framing has no stepping: null on both sides.
    auto b = build(kEditedAudio);
    const auto doc = nlohmann::json::parse(saved(b));
    const auto& f = doc.at("graph").at("connections").at(0).at("format");
    CHECK(f.at("to_range").is_null());
    CHECK(f.at("explicit") == true);
    CHECK(f.at("kind") == "audio");
    CHECK(f.at("subtype") == "KSDATAFORMAT_SUBTYPE_PCM");
    CHECK(f.at("sample_bytes") == 2);  // an audio sample is one block: 1 channel x 2 bytes
    CHECK(f.at("video").is_null());
    CHECK(
        f.at("audio") ==
        nlohmann::json::parse(
            R"({"channels": 1, "bits": 16, "rate": 44100, "block_align": 2, "byte_rate": 88200})"));
    const auto& e = doc.at("graph").at("filters").at(0).at("pins").at(0).at("framing_edit");
    CHECK(e.at("sets") ==
          nlohmann::json::parse(
              R"({"frame_size": "audio_ms", "audio_ms": 10, "stepping": null, "frames": null})"));
    CHECK(e.at("declared") ==
          nlohmann::json::parse(R"([{"frames": 8, "min": 4096, "max": 4096, "stepping": null}])"));
    CHECK(e.at("edited") ==
          nlohmann::json::parse(R"([{"frames": 8, "min": 882, "max": 882, "stepping": null}])"));
    CHECK(b.report.pipes.at(0).frame_size == 882);
    std::string error;
    auto back = report_from_json_text(saved(b), "saved.json", &error);
    REQUIRE_MESSAGE(back, error);
    CHECK(*back == b.report);
  }

  TEST_CASE("a framing edit without a connection format: declared framing, said so") {
    // The pin lists no data ranges, so its connection has no format for the edit to apply and
    // negotiation used the declared framing. (A filter alone would not do: it streams into an
    // implied user-mode sink, a connection with the pin's first range as its format.)
    std::string y = edited_camera("");
    const auto ranges = y.find("        data_ranges:");
    y.erase(ranges, y.find("  - {name: screen") - ranges);
    auto loaded = load_spec(SourceFile{"r.yaml", y});
    REQUIRE(loaded.spec);
    const Report r = make_report(*loaded.spec, run_job(*loaded.spec, loaded.diagnostics, {}));
    const auto& e = r.graph.filters.at(0).pins.at(0).framing_edit;
    REQUIRE(e);
    CHECK(e->framing_used == "declared");
    CHECK(e->note.empty());
    CHECK(e->edited.empty());
    CHECK(render_report_formats_text(r) ==
          "framing edits:\n  cam.out: framing_edit not applied (no connection format); negotiation "
          "used the declared "
          "framing, 2 x 8192 bytes, stepping 1\n\n");
  }

  TEST_CASE("Markdown and HTML show formats and framing edits, with hostile names escaped") {
    auto b = build(edited_camera(", format: 1"));
    const std::string md = render_report_markdown(b.report);
    CHECK(md.find("### Formats\n\n| Connection | Ranges | Format |\n|---|---|---|\n"
                  "| `cam.out` → `screen.in` | range 1 x any (format: picks it) | video RGB24 "
                  "321x-240 24-bit, image "
                  "231360 bytes, 25.000 frames/s |\n") != std::string::npos);
    CHECK(md.find("| `cam.out` | 2 x 8192 bytes, stepping 1 -> 3 x 231360 bytes, stepping 0 (frame "
                  "size 231360 "
                  "(biSizeImage of video RGB24 321x-240 24-bit), 3 frames, stepping 0); "
                  "negotiation used the edited "
                  "framing | `r.yaml:9:23` |\n") != std::string::npos);
    const std::string html = render_report_html(b.report);
    CHECK(html.find("<h2>Formats</h2>") != std::string::npos);
    CHECK(html.find("<tr><td><code>cam.out</code></td><td>2 x 8192 bytes, stepping 1 -&gt; 3 x "
                    "231360 bytes") != std::string::npos);

    // Filter names are identifiers in a spec, but a saved report is untrusted input: its strings
    // reach the tables as they are.
    auto doc = nlohmann::json::parse(saved(b));
    doc["graph"]["connections"][0]["format"]["description"] = "<script>x</script> | *y* `z`";
    doc["graph"]["filters"][0]["pins"][0]["framing_edit"]["note"] = "<b>n</b>|";
    std::string error;
    auto hostile = report_from_json_text(doc.dump(), "h.json", &error);
    REQUIRE_MESSAGE(hostile, error);
    const std::string hmd = render_report_markdown(*hostile);
    CHECK(hmd.find("<script") == std::string::npos);
    CHECK(hmd.find("<b>") == std::string::npos);
    CHECK(hmd.find("(format: picks it) | &lt;script>x&lt;/script> \\| \\*y\\* \\`z\\`, image "
                   "231360 bytes") != std::string::npos);
    CHECK(hmd.find("(&lt;b>n&lt;/b>\\|); negotiation used the edited framing") !=
          std::string::npos);
    const std::string hhtml = render_report_html(*hostile);
    CHECK(hhtml.find("<script") == std::string::npos);
    CHECK(hhtml.find("<b>n") == std::string::npos);
    CHECK(hhtml.find("<td>&lt;script&gt;x&lt;/script&gt; | *y* `z`, image 231360 bytes") !=
          std::string::npos);
  }

  TEST_CASE(
      "saved reports: without the format keys (saved before them) they read, a wrong value is "
      "refused") {
    auto b = build(edited_camera(""));
    auto doc = nlohmann::json::parse(saved(b));
    doc["graph"]["connections"][0].erase("format");
    for (auto& f : doc["graph"]["filters"])
      for (auto& p : f["pins"]) {
        p.erase("data_ranges");
        p.erase("framing_edit");
      }
    std::string error;
    auto old = report_from_json_text(doc.dump(), "old.json", &error);
    REQUIRE_MESSAGE(old, error);
    CHECK_FALSE(old->graph.connections.at(0).format);
    CHECK(old->graph.filters.at(0).pins.at(0).data_ranges.empty());
    CHECK_FALSE(old->graph.filters.at(0).pins.at(0).framing_edit);
    CHECK(render_report_formats_text(*old).empty());
    CHECK(render_report_markdown(*old).find("### Formats") == std::string::npos);

    auto wrong = nlohmann::json::parse(saved(b));
    wrong["graph"]["filters"][0]["pins"][0]["framing_edit"]["framing_used"] = "both";
    CHECK_FALSE(report_from_json_text(wrong.dump(), "w.json", &error));
    CHECK(error ==
          "w.json: does not match the ksframe report schema at "
          "'graph.filters[0].pins[0].framing_edit.framing_used': Failed to match against any enum "
          "values.");
    wrong = nlohmann::json::parse(saved(b));
    wrong["graph"]["connections"][0]["format"]["sample_bytes"] = -1;
    CHECK_FALSE(report_from_json_text(wrong.dump(), "s.json", &error));
    CHECK(error ==
          "s.json: does not match the ksframe report schema at "
          "'graph.connections[0].format.sample_bytes': "
          "Expected number greater than or equal to 0.000000");
  }

  TEST_CASE("saved reports are untrusted: located, exact errors") {
    std::string error;
    CHECK_FALSE(report_from_json_text("{\"ksframe_report\": 1,\n  \"spec\": [}", "a.json", &error));
    CHECK(error.starts_with("a.json:2:12: not JSON: syntax error"));
    CHECK_FALSE(report_from_json_text("{\"ksframe_report\": 1}", "b.json", &error));
    CHECK(error.starts_with("b.json: does not match the ksframe report schema at the top level: "));
    CHECK_FALSE(
        report_from_json_text(std::string(65, '[') + std::string(65, ']'), "c.json", &error));
    CHECK(error == "c.json: JSON nested deeper than 64 levels is not a ksframe report");
    CHECK_FALSE(report_from_json_text("{\"ksframe_report\": \"\xc3\x28\"}", "d.json", &error));
    CHECK(error == "d.json:1:21: invalid UTF-8");
    CHECK_FALSE(report_from_json_text("[1, 2]", "e.json", &error));
    CHECK(error == "e.json: not a ksframe report (no \"ksframe_report\" key)");
    auto b = build(half_busy(10));
    auto doc = nlohmann::json::parse(saved(b));
    doc["simulation"]["pipes"][0]["timeline"]["outstanding_mean"].push_back(1.0);
    CHECK_FALSE(report_from_json_text(doc.dump(), "f.json", &error));
    CHECK(error ==
          "f.json: unexpected report content: the timeline's mean and max differ in length");
  }

  TEST_CASE(
      "every file of tests/data/reports reads or is refused, without throwing (fuzz regressions)") {
    namespace fs = std::filesystem;
    int refused = 0, read = 0;
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/tests/data/reports")) {
      const std::string text = test::read_file(e.path().string());
      std::string error;
      std::optional<Report> r;
      CHECK_NOTHROW(r = report_from_json_text(text, e.path().filename().string(), &error));
      if (r) {
        ++read;
        CHECK_NOTHROW(render_report_html(*r));
      } else {
        ++refused;
        CHECK_FALSE(error.empty());
      }
    }
    CHECK(read >= 1);
    CHECK(refused >= 5);
    std::string error;
    CHECK_FALSE(report_from_json_text(
        test::read_file(test::source_dir() + "/tests/data/reports/fuzz-number-overflow.json"),
        "n.json", &error));
    CHECK(error == "n.json: not JSON: number overflow parsing '777777e539'");
  }

  TEST_CASE("Markdown leaves a graph of more than 200 pins to the HTML report") {
    std::string y = "ksframe: 1\nfilters:\n  - {name: src, pins: [{name: out, dataflow: out}]}\n";
    for (int i = 0; i < 110; ++i)
      y += "  - {name: f" + std::to_string(i) +
           ", pins: [{name: in, dataflow: in}, {name: out, dataflow: out}], "
           "routes: [{from: in, to: out, in_place: true}]}\n";
    y += "connections:\n  - {from: src.out, to: f0.in}\n";
    for (int i = 0; i + 1 < 110; ++i)
      y += "  - {from: f" + std::to_string(i) + ".out, to: f" + std::to_string(i + 1) + ".in}\n";
    y += "load: {frames: 10}\n";
    const std::string md = render_report_markdown(build(y).report);
    CHECK(md.find("```mermaid") == std::string::npos);
    CHECK(md.find("The graph has 111 filters and 221 pins, more than the 200 pins drawn here; "
                  "`ksframe report --format html` draws it.") != std::string::npos);
  }

  TEST_CASE("a connection negotiation cannot serve is marked in both graphs") {
    auto r = load_spec(SourceFile{
        "n.yaml", test::read_file(test::source_dir() + "/examples/broken/negotiation.yaml")});
    REQUIRE(r.spec);
    const Report report = make_report(*r.spec, run_job(*r.spec, r.diagnostics, {}));
    CHECK(report.verdict() == Verdict::Fail);
    const std::string md = render_report_markdown(report);
    CHECK(md.find("  f0p0 -.->|\"cannot be negotiated\"| f1p0\n") != std::string::npos);
    CHECK(md.find("linkStyle 1 stroke:#b91c1c,stroke-width:2px") != std::string::npos);
    const std::string html = render_report_html(report);
    CHECK(html.find("<title>paged_source.out → dpc_sink.in (cannot be negotiated)</title>") !=
          std::string::npos);
  }
}
