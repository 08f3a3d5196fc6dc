// ksframe diff: pipes matched by begin pin, formats and framing edits, diagnostics as
// multisets, and the gates of --fail-on.
#include "ksframe/diff.hpp"

#include "graph_specs.hpp"
#include "helpers.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;
using test::avshws;
using test::chain;

namespace {

Report report_of(const std::string& yaml, const std::string& file = "s.yaml") {
  auto r = load_spec(SourceFile{file, yaml});
  if (!r.spec || has_errors(r.diagnostics)) return make_report_of_load_errors(file, r.diagnostics);
  SimulateOptions o;
  o.frames = 6;  // six frames at 30 Hz into a renderer that keeps 2: 2 frames deadlock, 3 flow
  return make_report(*r.spec, run_job(*r.spec, r.diagnostics, o));
}

// The named field's change; an empty FieldChange (field "") when it did not change.
FieldChange field(const PipeChange& p, const std::string& name) {
  for (const auto& f : p.fields)
    if (f.field == name) return f;
  return {};
}

}  // namespace

TEST_SUITE("diff") {
  TEST_CASE("the gates are one table: --fail-on's names, docs/ci.md's table, the evaluation") {
    CHECK(gate_names() == std::vector<std::string>{"new-errors", "new-warnings", "memory-increase",
                                                   "new-starvation", "negotiation-failure"});
    REQUIRE(gate_catalogue().size() == gate_names().size());
    for (std::size_t i = 0; i < gate_names().size(); ++i)
      CHECK(gate_catalogue()[i].name == gate_names()[i]);
    CHECK(render_gates_markdown().starts_with(
        "| Gate | Trips when |\n|---|---|\n"
        "| `new-errors` | the head has an error diagnostic the base does not (matched by rule, "
        "subject and message, not by line) |\n"
        "| `new-warnings` | the same for warnings |\n"));
    CHECK_MESSAGE(
        test::read_file(test::source_dir() + "/docs/ci.md").find(render_gates_markdown()) !=
            std::string::npos,
        "docs/ci.md's gate table is render_gates_markdown(): copy it from there");
    // Every gate of the table is evaluated, in the order asked, once per name asked.
    const auto d = diff_reports(
        report_of(chain(2, false)), report_of(chain(2, false)),
        {"negotiation-failure", "new-errors", "new-warnings", "memory-increase", "new-starvation"});
    std::vector<std::string> evaluated;
    for (const auto& g : d.gates)
      evaluated.push_back(g.name + (g.tripped ? " tripped: " : " passed: ") + g.reason);
    CHECK(evaluated ==
          std::vector<std::string>{
              "negotiation-failure passed: 0 new negotiation failures",
              "new-errors passed: 0 new errors", "new-warnings passed: 0 new warnings",
              "memory-increase passed: bytes committed 8,192 -> 8,192",
              "new-starvation passed: no pipe newly starved, dropping, overloaded, deadlocked, "
              "leaking or failing"});
  }

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
    // The summary says why: a spec with errors is not negotiated at all ("not_run"), which is
    // not a negotiation that failed.
    const auto summary = [&](const std::string& name) {
      for (const auto& f : broken.summary)
        if (f.field == name) return f.base + " -> " + f.head;
      return std::string();
    };
    CHECK(summary("negotiation") == "ok -> not_run");
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
