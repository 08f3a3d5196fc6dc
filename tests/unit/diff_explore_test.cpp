// ksframe diff (pipes matched by begin pin, diagnostics as multisets, gates) and ksframe
// explore (value parsing, combination order, the same rows whatever the number of jobs).
#include "helpers.hpp"
#include "ksframe/diff.hpp"
#include "ksframe/explore.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;

namespace {

Report report_of(const std::string& yaml, const std::string& file = "s.yaml") {
  auto r = load_spec(SourceFile{file, yaml});
  if (!r.spec || has_errors(r.diagnostics)) return make_report_of_load_errors(file, r.diagnostics);
  SimulateOptions o;
  o.frames = 6;  // six frames at 30 Hz into a renderer that keeps 2: 2 frames deadlock, 3 flow
  return make_report(*r.spec, run_job(*r.spec, r.diagnostics, o));
}

// cam -> [optional in-place overlay] -> screen; the renderer asks for `frames`.
std::string chain(int frames, bool overlay,
                  const std::string& memory = "KSMEMORY_TYPE_KERNEL_NONPAGED") {
  std::string s =
      "ksframe: 1\nfilters:\n"
      "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{memory_type: " +
      memory +
      ", flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: 2, framing_range: {min: 4096, "
      "max: 4096}}]}}]}\n"
      "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER], "
      "framing_ex: {items: [{frames: " +
      std::to_string(frames) + "}]}}]}\n";
  if (overlay)
    s += "  - name: overlay\n    pins:\n"
         "      - {name: in, dataflow: in}\n      - {name: out, dataflow: out}\n"
         "    routes: [{from: in, to: out, in_place: true}]\n"
         "connections: [{from: cam.out, to: overlay.in}, {from: overlay.out, to: screen.in}]\n";
  else
    s += "connections: [{from: cam.out, to: screen.in}]\n";
  return s +
         "load: {seed: 1, source: {rate_hz: 30}, stages: {screen: {service_us: 20000, hold_frames: "
         "2}}}\n";
}

// avshws's capture pin into a user-mode application: the declared 2 x 8192 framing is edited to
// the image size of the connection's format (YUY2 320x240 = 153600, RGB24 320x240 = 230400).
std::string avshws(const std::string& format,
                   const std::string& edit = "{frame_size: sample_size, stepping: 0}") {
  return "ksframe: 1\nfilters:\n"
         "  - name: avshws\n    pins:\n"
         "      - name: capture\n        dataflow: out\n"
         "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
         "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, "
         "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], frames: 2, file_alignment: "
         "FILE_BYTE_ALIGNMENT, min: 8192, max: 8192}\n"
         "        framing_edit: " +
         edit +
         "\n"
         "        data_ranges:\n"
         "          - {kind: video, subtype: YUY2, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n"
         "          - {kind: video, subtype: RGB24, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n"
         "  - {name: app, pins: [{name: in, dataflow: in, user_mode: true}]}\n"
         "connections: [{from: avshws.capture, to: app.in" +
         format +
         "}]\n"
         "load: {seed: 1, stages: {app: {service_us: 5000, hold_frames: 0}}}\n";
}

// The named field's change; an empty FieldChange (field "") when it did not change.
FieldChange field(const PipeChange& p, const std::string& name) {
  for (const auto& f : p.fields)
    if (f.field == name) return f;
  return {};
}

}  // namespace

TEST_SUITE("diff") {
  TEST_CASE("a pin asking for more frames: frames and memory up, stalls gone, gates") {
    const auto d =
        diff_reports(report_of(chain(2, false)), report_of(chain(8, false)), gate_names());
    INFO(render_diff_text(d));
    REQUIRE(d.pipes.size() == 1);
    CHECK(d.pipes[0].key == "cam.out");
    CHECK(d.pipes[0].change == "changed");
    CHECK(field(d.pipes[0], "frames").base == "2");
    CHECK(field(d.pipes[0], "frames").head == "8");
    CHECK(field(d.pipes[0], "bytes_committed").head == "32768");
    CHECK(field(d.pipes[0], "verdict").base == "deadlocked");
    CHECK(field(d.pipes[0], "verdict").head == "ok");
    REQUIRE(d.gates.size() == 5);
    CHECK_FALSE(d.gates[0].tripped);  // new-errors
    CHECK(d.gates[2].name == "memory-increase");
    CHECK(d.gates[2].tripped);
    CHECK(d.gates[2].reason == "bytes committed 8,192 -> 32,768");
    CHECK_FALSE(d.gates[3].tripped);  // new-starvation: it went away
    CHECK(d.tripped());
    // The other way round the deadlock is new, and trips the starvation gate.
    const auto back =
        diff_reports(report_of(chain(8, false)), report_of(chain(2, false)), {"new-starvation"});
    CHECK(back.gates[0].tripped);
    CHECK(back.gates[0].reason == "pipe-1 deadlocked");
    CHECK(back.head_verdict == Verdict::Fail);
  }

  TEST_CASE("an in-place filter joins the pipe: matched by begin pin, pins change") {
    const auto d = diff_reports(report_of(chain(2, false)), report_of(chain(2, true)), {});
    REQUIRE(d.pipes.size() == 1);
    CHECK(field(d.pipes[0], "pins").base == "cam.out, screen.in");
    CHECK(field(d.pipes[0], "pins").head == "cam.out, overlay.in, overlay.out, screen.in");
    CHECK(field(d.pipes[0], "frames").field.empty());
  }

  TEST_CASE("a memory type change") {
    const auto d = diff_reports(report_of(chain(2, false)),
                                report_of(chain(2, false, "KSMEMORY_TYPE_KERNEL_PAGED")), {});
    REQUIRE(d.pipes.size() == 1);
    CHECK(field(d.pipes[0], "memory_type").base == "KSMEMORY_TYPE_KERNEL_NONPAGED");
    CHECK(field(d.pipes[0], "memory_type").head == "KSMEMORY_TYPE_KERNEL_PAGED");
  }

  TEST_CASE("diagnostics: new and fixed by rule, subject and message, not by line") {
    // A stepping larger than max - min: a warning (KSF1004) that does not change the outcome.
    std::string base = chain(2, false);
    base.replace(base.find("max: 4096}"), 10, "max: 4100, stepping: 8}");
    // Three comment lines move every finding down; nothing changed.
    const auto moved = diff_reports(report_of(base), report_of("#\n#\n#\n" + base),
                                    {"new-errors", "new-warnings"});
    CHECK(moved.empty());
    CHECK_FALSE(moved.tripped());
    // A spec that stops loading: its errors are new, its pipes removed.
    const auto broken = diff_reports(report_of(base), report_of(base + "bogus: 1\n"),
                                     {"new-errors", "negotiation-failure"});
    std::vector<std::string> changes;
    for (const auto& c : broken.diagnostics) changes.push_back(c.change + " " + c.diagnostic.rule);
    CHECK(changes == std::vector<std::string>{"new KSF0008", "fixed KSF1004"});
    CHECK(broken.pipes.back().change == "removed");
    CHECK(broken.gates[0].tripped);
    CHECK(broken.gates[0].reason == "1 new error");
    CHECK(broken.gates[1].tripped);
    CHECK(broken.gates[1].reason == "the head does not negotiate");
  }

  TEST_CASE(
      "a connection's format and the edited framing it gives: range, description, sample, frame "
      "size") {
    const auto d =
        diff_reports(report_of(avshws("")), report_of(avshws(", format: 1")), {"memory-increase"});
    INFO(render_diff_text(d));
    REQUIRE(d.pipes.size() == 1);
    CHECK(field(d.pipes[0], "frame_size").base == "153600");
    CHECK(field(d.pipes[0], "frame_size").head == "230400");
    REQUIRE(d.formats.size() == 2);
    CHECK(d.formats[0].subject == "connection");
    CHECK(d.formats[0].key == "avshws.capture -> app.in");
    REQUIRE(d.formats[0].fields.size() == 3);
    CHECK(d.formats[0].fields[0].field == "format_ranges");
    CHECK(d.formats[0].fields[0].base == "range 0 x any (the first common format)");
    CHECK(d.formats[0].fields[0].head == "range 1 x any (format: picks it)");
    CHECK(d.formats[0].fields[1].field == "format");
    CHECK(d.formats[0].fields[1].base ==
          "video YUY2 320x240 16-bit, image 153600 bytes, 29.970 frames/s");
    CHECK(d.formats[0].fields[1].head ==
          "video RGB24 320x240 24-bit, image 230400 bytes, 29.970 frames/s");
    CHECK(d.formats[0].fields[2].field == "sample_bytes");
    CHECK(d.formats[0].fields[2].numeric);
    CHECK(d.formats[1].subject == "pin");
    CHECK(d.formats[1].key == "avshws.capture");
    REQUIRE(d.formats[1].fields.size() == 1);  // the same edit, a different size
    CHECK(d.formats[1].fields[0].field == "edited_framing");
    CHECK(d.formats[1].fields[0].base == "2 x 153600 bytes, stepping 0");
    CHECK(d.formats[1].fields[0].head == "2 x 230400 bytes, stepping 0");
    const std::string text = render_diff_text(d);
    CHECK(text.find(
              "connection avshws.capture -> app.in\n"
              "  format_ranges: range 0 x any (the first common format) -> range 1 x any (format: "
              "picks it)\n"
              "  format: video YUY2 320x240 16-bit, image 153600 bytes, 29.970 frames/s -> video "
              "RGB24 320x240 "
              "24-bit, image 230400 bytes, 29.970 frames/s\n"
              "  sample_bytes: 153,600 -> 230,400 (+76,800)\n"
              "pin avshws.capture\n"
              "  edited_framing: 2 x 153600 bytes, stepping 0 -> 2 x 230400 bytes, stepping 0\n") !=
          std::string::npos);
    CHECK(render_diff_markdown(d).find(
              "| `avshws.capture -> app.in` sample_bytes | 153,600 | 230,400 | +76,800 |\n") !=
          std::string::npos);
    CHECK(render_diff_json(d).find("\"formats\": [\n    {\n      \"subject\": \"connection\",") !=
          std::string::npos);
    // 2 x 153600 -> 2 x 230400 bytes committed.
    CHECK(d.gates.at(0).reason == "bytes committed 307,200 -> 460,800");
  }

  TEST_CASE("a framing edit that changes what it sets, or goes away") {
    const auto d = diff_reports(
        report_of(avshws("")),
        report_of(avshws("", "{frame_size: sample_size, stepping: 0, frames: 4}")), {});
    REQUIRE(d.formats.size() == 1);
    CHECK(d.formats[0].key == "avshws.capture");
    REQUIRE(d.formats[0].fields.size() == 2);
    CHECK(d.formats[0].fields[0].field == "framing_edit");
    CHECK(d.formats[0].fields[0].base == "frame_size sample_size, stepping 0");
    CHECK(d.formats[0].fields[0].head == "frame_size sample_size, stepping 0, frames 4");
    CHECK(d.formats[0].fields[1].base == "2 x 153600 bytes, stepping 0");
    CHECK(d.formats[0].fields[1].head == "4 x 153600 bytes, stepping 0");
    // Without the edit the placeholder 8192-byte framing truncates the image: lint says so
    // (KSF2009), and the diff shows the edit gone.
    std::string no_edit = avshws("");
    no_edit.erase(no_edit.find("        framing_edit:"),
                  no_edit.find("        data_ranges:") - no_edit.find("        framing_edit:"));
    const auto gone = diff_reports(report_of(avshws("")), report_of(no_edit), {});
    REQUIRE(gone.formats.size() == 1);
    std::vector<std::string> fields;
    for (const auto& f : gone.formats[0].fields)
      fields.push_back(f.field + ": " + f.base + " -> " + f.head);
    CHECK(fields == std::vector<std::string>{"framing_edit: frame_size sample_size, stepping 0 -> ",
                                             "framing_used: edited -> declared",
                                             "edited_framing: 2 x 153600 bytes, stepping 0 -> "});
  }

  TEST_CASE("identical inputs: an empty diff, the same in every format") {
    const auto d =
        diff_reports(report_of(chain(3, true)), report_of(chain(3, true)), {"memory-increase"});
    CHECK(d.empty());
    CHECK(render_diff_text(d) ==
          "base s.yaml (pass) -> head s.yaml (pass)\nno changes in the outcome or the diagnostics\n"
          "gate memory-increase: passed (bytes committed 12,288 -> 12,288)\n");
    CHECK(render_diff_markdown(d).find("No changes in the outcome or the diagnostics.") !=
          std::string::npos);
  }
}

TEST_SUITE("explore") {
  TEST_CASE("--vary values: ranges, steps, lists, and exact errors") {
    std::string error;
    auto v = parse_vary("a.b=2..8:3", 100, &error);
    REQUIRE(v);
    CHECK(v->path == "a.b");
    CHECK(v->values == std::vector<std::string>{"2", "5", "8"});
    CHECK(parse_vary("a=1..3", 100, &error)->values == std::vector<std::string>{"1", "2", "3"});
    CHECK(parse_vary("a=KSMEMORY_TYPE_USER,GUID_NULL", 100, &error)->values ==
          std::vector<std::string>{"KSMEMORY_TYPE_USER", "GUID_NULL"});
    CHECK(parse_vary("a=7", 100, &error)->values == std::vector<std::string>{"7"});
    CHECK(
        parse_vary("a=0..18446744073709551615:18446744073709551615", 100, &error)->values.size() ==
        2);
    CHECK_FALSE(parse_vary("nonsense", 100, &error));
    CHECK(error ==
          "--vary 'nonsense' is not PATH=VALUES (e.g. "
          "camera.capture.framing_ex.items[0].frames=2..6)");
    CHECK_FALSE(parse_vary("a=", 100, &error));
    CHECK(error == "--vary 'a' has no values");
    CHECK_FALSE(parse_vary("a=5..1", 100, &error));
    CHECK(error == "--vary 'a': the range '5..1' is empty (5 > 1)");
    CHECK_FALSE(parse_vary("a=1..5:0", 100, &error));
    CHECK(error == "--vary 'a': the step of '1..5:0' is 0");
    CHECK_FALSE(parse_vary("a=-1..5", 100, &error));
    CHECK(error == "--vary 'a': '-1..5' is not a range of unsigned integers a..b or a..b:step");
    CHECK_FALSE(parse_vary("a=0..4294967295", 1000, &error));
    CHECK(
        error ==
        "--vary 'a': '0..4294967295' has 4294967296 values, more than the 1000 --max-runs allows");
    CHECK_FALSE(parse_vary("a=1,,2", 100, &error));
    CHECK(error == "--vary 'a': empty value in '1,,2'");
  }

  TEST_CASE("combination count saturates instead of wrapping") {
    std::vector<Vary> big(5, Vary{"a", std::vector<std::string>(1 << 16, "1")});
    CHECK(combination_count(big) == UINT64_MAX);
    CHECK(combination_count({Vary{"a", {"1", "2"}}, Vary{"b", {"x", "y", "z"}}}) == 6);
  }

  TEST_CASE("rows in combination order, the same with 1 job and with 4") {
    const SourceFile file{"e.yaml", chain(2, false)};
    const std::vector<Vary> vary{{"screen.in.framing_ex.items[0].frames", {"1", "3", "5"}},
                                 {"load.source.rate_hz", {"10", "30"}}};
    ExploreOptions one;
    one.jobs = 1;
    one.simulate.frames = 60;
    ExploreOptions four = one;
    four.jobs = 4;
    const auto a = explore(file, vary, one), b = explore(file, vary, four);
    REQUIRE(a.error.empty());
    REQUIRE(a.rows.size() == 6);
    CHECK(a.rows[0].values == std::vector<std::string>{"1", "10"});
    CHECK(a.rows[1].values == std::vector<std::string>{"1", "30"});
    CHECK(a.rows[5].values == std::vector<std::string>{"5", "30"});
    CHECK(a.rows[0].pipes.at(0).frames == 2);  // the camera's 2 frames win over the renderer's 1
    CHECK(a.rows[4].pipes.at(0).frames == 5);
    CHECK(render_explore_json(a) == render_explore_json(b));
    CHECK(render_explore_csv(a) == render_explore_csv(b));
  }

  TEST_CASE("--vary connections[0].format: the negotiated frame size follows the format") {
    // avshws's edit sizes frames to the format's image: YUY2 320x240 (640-byte rows) = 153600,
    // RGB24 320x240 (960-byte rows) = 230400; 2 frames each.
    const SourceFile file{"e.yaml", avshws("")};
    ExploreOptions o;
    o.simulate.frames = 30;
    const auto r = explore(file, {{"connections[0].format", {"0", "1"}}}, o);
    REQUIRE(r.error.empty());
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].status == "ok");
    CHECK(r.rows[1].status == "ok");
    CHECK(r.rows[0].pipes.at(0).frame_size == 153600);
    CHECK(r.rows[1].pipes.at(0).frame_size == 230400);
    CHECK(r.rows[0].pipes.at(0).frames == 2);
    CHECK(r.rows[1].pipes.at(0).frames == 2);
    // A range the output pin does not have is a row with its error, not a stopped sweep.
    const auto bad = explore(file, {{"connections[0].format", {"1", "2"}}}, o);
    REQUIRE(bad.rows.size() == 2);
    CHECK(bad.rows[0].status == "ok");
    CHECK(bad.rows[1].status == "errors");
    CHECK(bad.rows[1].first_error ==
          "e.yaml:13:15: format 2 names a data range avshws.capture does not have (it has 2) "
          "[KSF0017]");
  }

  TEST_CASE(
      "a value the spec refuses is a row with its error; a path that does not exist is an error") {
    const SourceFile file{"e.yaml", chain(2, false)};
    ExploreOptions o;
    o.simulate.frames = 30;
    const auto r = explore(file, {{"screen.in.framing_ex.items[0].frames", {"2", "-1"}}}, o);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].status == "ok");
    CHECK(r.rows[1].status == "errors");
    CHECK(r.rows[1].first_error == "e.yaml:4:112: 'frames' is negative: -1 [KSF0010]");
    CHECK(render_explore_csv(r).find("\r\n-1,errors,-,-,-,-,-,-,fail,e.yaml:4:112: 'frames' is "
                                     "negative: -1 [KSF0010]\r\n") != std::string::npos);
    const auto bad = explore(file, {{"sreen.in.frames", {"1"}}}, o);
    CHECK(bad.rows.empty());
    CHECK(bad.error.starts_with(
        "--vary sreen.in.frames: no filter named 'sreen' (did you mean 'screen'?)"));
  }
}
