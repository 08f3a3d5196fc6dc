// `include:`: the filters of other specs and of a driver's C sources join a spec, each value
// located in the file it came from. The YAML cases read from memory; the "C source include"
// cases parse the fixtures of tests/data/include with libclang (the Windows build has none and
// skips them by name).
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/pipeline.hpp"
#include "ksframe/report.hpp"
#include "ksframe/spec.hpp"

using namespace ksframe;

namespace {

const char* const kDemux =
    "ksframe: 1\n"
    "name: demux\n"
    "filters:\n"
    "  - name: demux\n"
    "    pins:\n"
    "      - {name: in, dataflow: in, user_mode: true}\n";

const char* const kSource =
    "ksframe: 1\n"
    "filters:\n"
    "  - name: cam\n"
    "    pins:\n"
    "      - name: out\n"
    "        dataflow: out\n"
    "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: [], frames: "
    "4,\n"
    "                            file_alignment: 0, min: 4096, max: 4096}\n";

// specs/main.yaml with `body` after the version line, and the files of `more` beside it.
LoadResult load_main(const std::string& body,
                     std::vector<std::pair<std::string, std::string>> more = {},
                     std::vector<std::string> overrides = {}) {
  MemoryFileReader reader;
  reader.add("specs/shared/demux.yaml", kDemux);
  reader.add("specs/cam.yaml", kSource);
  for (auto& [path, text] : more) reader.add(path, text);
  reader.add("specs/main.yaml", "ksframe: 1\n" + body);
  LoadOptions options;
  options.overrides = std::move(overrides);
  return load_spec_file(reader, "specs/main.yaml", options);
}

std::string where(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

std::string located(const Diagnostics& ds) {
  std::string s;
  for (const auto& d : ds)
    s += d.location.file + ":" + std::to_string(d.location.line) + ":" +
         std::to_string(d.location.column) + ": " + d.rule + ": " + d.message + "\n";
  return s;
}

}  // namespace

TEST_CASE("include: the filters of other specs join, first, each located in its file") {
  const auto r = load_main(
      "include: [cam.yaml, shared/demux.yaml]\n"
      "filters:\n"
      "  - name: app\n"
      "    pins: [{name: in, dataflow: in, user_mode: true}]\n"
      "connections:\n"
      "  - {from: cam.out, to: demux.in}\n");
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), located(r.diagnostics));
  const Spec& spec = *r.spec;
  REQUIRE(spec.filters.size() == 3);
  CHECK(spec.filters[0].name.value == "cam");
  CHECK(spec.filters[1].name.value == "demux");
  CHECK(spec.filters[2].name.value == "app");
  CHECK(spec.included == std::vector<std::string>{"specs/cam.yaml", "specs/shared/demux.yaml"});
  CHECK(where(spec.at(spec.filters[0].name.pos)) == "specs/cam.yaml:3:11");
  CHECK(where(spec.at(spec.filters[0].pins[0].framing_ex->items[0].frames.pos)) ==
        "specs/cam.yaml:7:92");
  CHECK(where(spec.at(spec.filters[1].pins[0].name.pos)) == "specs/shared/demux.yaml:6:16");
  CHECK(where(spec.at(spec.filters[2].name.pos)) == "specs/main.yaml:4:11");
  CHECK(spec.at(spec.connections[0].pos).file == "specs/main.yaml");
  // The negotiation of the joined graph is the one of the same graph written in one file.
  const Negotiation n = negotiate(spec, {});
  REQUIRE(n.pipes.size() == 1);
  CHECK(n.pipes[0].frames == 4);
  CHECK(n.pipes[0].frame_size == 4096);
}

TEST_CASE("include: the report lists the included files, in JSON and in the review") {
  const auto r = load_main(
      "include: [cam.yaml, shared/demux.yaml]\n"
      "connections:\n"
      "  - {from: cam.out, to: demux.in}\n");
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), located(r.diagnostics));
  SimulateOptions o;
  o.frames = 10;
  const Report report = make_report(*r.spec, run_job(*r.spec, r.diagnostics, o));
  CHECK(report.included == std::vector<std::string>{"specs/cam.yaml", "specs/shared/demux.yaml"});
  const std::string json = to_json(report);
  CHECK(json.find("\"spec\": {\n    \"file\": \"specs/main.yaml\",\n    \"name\": null,\n    "
                  "\"included\": [\n      \"specs/cam.yaml\",\n      "
                  "\"specs/shared/demux.yaml\"\n    ]\n  }") != std::string::npos);
  std::string read_error;
  const auto back = report_from_json_text(json, "saved.json", &read_error);
  REQUIRE_MESSAGE(back, read_error);
  CHECK(*back == report);
  CHECK(render_report_markdown(report).find(
            "Spec `specs/main.yaml` (including `specs/cam.yaml`, `specs/shared/demux.yaml`)") !=
        std::string::npos);
  CHECK(render_report_html(report).find(
            "Spec <code>specs/main.yaml</code> (including <code>specs/cam.yaml</code>, "
            "<code>specs/shared/demux.yaml</code>)") != std::string::npos);
  // A spec that includes nothing writes no "included" key: its report is as before.
  const auto plain = load_spec(SourceFile{"p.yaml", kSource});
  REQUIRE(plain.spec);
  CHECK(to_json(make_report(*plain.spec, run_job(*plain.spec, plain.diagnostics, o)))
            .find("\"included\"") == std::string::npos);
}

TEST_CASE("include: a finding about an included value is located in the included file") {
  // A framing range upside down: a lint finding on the included pin.
  const auto bad =
      std::string(kSource).replace(std::string(kSource).find("min: 4096"), 9, "min: 8192");
  MemoryFileReader reader;
  reader.add("specs/cam.yaml", bad);
  reader.add("specs/main.yaml", "ksframe: 1\ninclude: [cam.yaml]\n");
  const auto linted = lint_file(reader, "specs/main.yaml", {});
  const auto frames = test::with_rule(linted.diagnostics, "KSF1003");
  REQUIRE_MESSAGE(!frames.empty(), located(linted.diagnostics));
  CHECK(where(frames[0].location) == "specs/cam.yaml:8:53");
  // A loader error in an included file: an unknown key, located there with the spec's path.
  const auto unknown = load_main("include: [bad.yaml]\n",
                                 {{"specs/bad.yaml",
                                   "filters:\n  - name: x\n    pinz: []\n    pins: [{name: p, "
                                   "dataflow: in}]\n"}});
  CHECK(located(unknown.diagnostics) ==
        "specs/bad.yaml:3:5: KSF0008: unknown key 'pinz' in 'filters[0]'\n");
}

TEST_CASE("include: a name used in two files is one error with both places") {
  const auto r = load_main(
      "include: [cam.yaml]\nfilters:\n  - name: cam\n"
      "    pins: [{name: in, dataflow: in}]\n");
  const auto dup = test::with_rule(r.diagnostics, "KSF0016");
  REQUIRE(dup.size() == 1);
  CHECK(where(dup[0].location) == "specs/main.yaml:4:11");
  REQUIRE(dup[0].related.size() == 1);
  CHECK(where(dup[0].related[0].location) == "specs/cam.yaml:3:11");
}

TEST_CASE("include: --set reaches an included filter, and cannot change the includes") {
  const auto r = load_main(
      "include: [cam.yaml, shared/demux.yaml]\n"
      "connections: [{from: cam.out, to: demux.in}]\n",
      {}, {"cam.out.simple_framing_ex.frames=8"});
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), located(r.diagnostics));
  CHECK(r.spec->filters[0].pins[0].framing_ex->items[0].frames.value == 8);
  const auto refused = load_main("include: [cam.yaml]\n", {}, {"include=[shared/demux.yaml]"});
  REQUIRE(refused.override_error);
  CHECK(refused.override_error->index == 0);
  CHECK(refused.override_error->message() ==
        "--set include=[shared/demux.yaml]: 'include' is read before --set and --vary apply; "
        "edit the spec's include");
}

TEST_CASE("include: every entry that cannot be included is a located error") {
  auto one = [](const std::string& body,
                std::vector<std::pair<std::string, std::string>> more = {}) {
    const auto r = load_main(body, std::move(more));
    CHECK_FALSE(r.spec);
    return located(r.diagnostics);
  };
  CHECK(one("include: [missing.yaml]\n") ==
        "specs/main.yaml:2:11: KSF0032: cannot include specs/missing.yaml: No such file or "
        "directory\n");
  CHECK(one("include: [cam.yaml, ./cam.yaml]\n") ==
        "specs/main.yaml:2:21: KSF0032: includes 'specs/cam.yaml' twice\n");
  CHECK(one("include: [notes.txt]\n") ==
        "specs/main.yaml:2:11: KSF0032: cannot include 'notes.txt': ksframe includes specs "
        "(.yaml, .yml) and C/C++ sources (.c, .cpp, .cc, .cxx, .h, .hpp, .hh, .hxx)\n");
  CHECK(one("include: [{path: cam.yaml, defines: [X]}]\n") ==
        "specs/main.yaml:2:11: KSF0032: include_dirs, defines and compile_commands apply to C "
        "sources, not to 'cam.yaml'\n");
  CHECK(one("include: cam.yaml\n") ==
        "specs/main.yaml:2:10: KSF0009: 'include' must be a list, not the value 'cam.yaml'\n");
  CHECK(one("include: [{path: cam.yaml, dirs: [a]}]\n") ==
        "specs/main.yaml:2:28: KSF0008: unknown key 'dirs' in 'include[0]'\n");
  CHECK(one("include: [{defines: [X]}]\n") ==
        "specs/main.yaml:2:11: KSF0013: missing required key 'path' in 'include[0]'\n");
  CHECK(one("include: [main.yaml, cam.yaml]\n") ==
        "specs/main.yaml:2:11: KSF0032: a spec cannot include itself\n");
  CHECK(one("include: ['']\n") == "specs/main.yaml:2:11: KSF0032: an include names no file\n");
  // An included spec gives filters only, and does not include.
  CHECK(one("include: [graph.yaml]\n",
            {{"specs/graph.yaml",
              "ksframe: 1\ninclude: [cam.yaml]\nfilters: []\nconnections: []\n"}}) ==
        "specs/graph.yaml:2:1: KSF0032: an included spec cannot include: includes do not nest\n"
        "specs/graph.yaml:4:1: KSF0032: an included spec gives only its filters; 'connections' "
        "belongs in the spec that includes it\n");
  CHECK(one("include: [v2.yaml]\n", {{"specs/v2.yaml", "ksframe: 2\nfilters: []\n"}}) ==
        "specs/v2.yaml:1:10: KSF0014: an included spec must be format version 1, as this one\n");
  CHECK(one("include: [empty.yaml]\n", {{"specs/empty.yaml", "name: x\n"}}) ==
        "specs/empty.yaml:1:1: KSF0032: specs/empty.yaml has no filters to include\n");
  // A YAML error in the included file is located there.
  CHECK(one("include: [broken.yaml]\n", {{"specs/broken.yaml", "filters: [\n"}})
            .starts_with("specs/broken.yaml:"));
  // At most 64 entries.
  std::string many = "include:\n";
  for (int i = 0; i < 65; ++i) many += "  - f" + std::to_string(i) + ".yaml\n";
  CHECK(one(many) ==
        "specs/main.yaml:67:5: KSF0003: more than 64 includes: ksframe reads at most that many\n");
}

TEST_CASE("include: a spec whose filters all come from its includes needs no filters key") {
  const auto r = load_main("include: [cam.yaml]\n");
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), located(r.diagnostics));
  // cam, and the implied consumer of its unconnected output pin.
  REQUIRE(r.spec->filters.size() == 2);
  CHECK(r.spec->filters[0].name.value == "cam");
  CHECK(r.spec->filters[1].implied_for.filter == 0);
  // The schema, which an editor applies to the file as written, agrees: schema_test's oracle
  // judges tests/data/include/tuner-graph.yaml, which has no filters key.
}

TEST_CASE("include: a C source in a build without libclang is a located error") {
  // The Windows build: the spec's own problem, at its entry, not a crash or a silent skip.
  if (cimport::available()) return;
  const auto r = load_main("include: [../driver/tuner.c]\n");
  CHECK_FALSE(r.spec);
  CHECK(located(r.diagnostics) ==
        "specs/main.yaml:2:11: KSF0032: cannot include driver/tuner.c: this build of ksframe "
        "cannot read C sources (it was built without libclang)\n");
}

TEST_CASE("C source include: the driver's filters, its findings on its C lines") {
  if (!cimport::available()) return;
  DiskFileReader disk;
  const auto linted = lint_file(disk, "tests/data/include/camera-graph.yaml", {});
  CHECK(located(linted.diagnostics) ==
        "tests/data/c/camera.c:13:5: KSF2006: this transform (codec) pin allows 2 frames; "
        "Microsoft recommends at least 3\n"
        "tests/data/c/camera.c:34:17: KSF1003: framing_ex.items[0].framing_range has min 16384 "
        "above max 4096\n"
        "tests/data/c/camera.c:34:32: KSF2009: framing_ex.items[0] allows frames of at most 4096 "
        "bytes, but one sample of video YUY2 320x240 16-bit is 153600 bytes: every frame of that "
        "format is truncated\n"
        "tests/data/c/camera.c:189:9: KSF3006: pin CameraFilter.pin2 needs 1 instance(s) to run "
        "but no connection uses it: filter CameraFilter cannot leave KSSTATE_STOP\n"
        "tests/data/c/camera.c:220:14: KSF0031: CapturePinCreate edits the pin's framing at run "
        "time (KsEdit, then FramingItem[0].Frames = 8, "
        "FramingItem[0].FramingRange.Range.MinFrameSize, "
        "FramingItem[0].FramingRange.Range.MaxFrameSize); it is CameraFilter pin 0 Create, "
        "CameraFilter pin 1 Create: ksframe reads only the declared framing and does not guess "
        "what the code computes; it sets the frame size, so lint does not compare the declared "
        "frame sizes of CameraFilter.pin0, CameraFilter.pin1 with their data ranges (KSF2009, "
        "KSF2011, KSF2012, KSF2013, KSF4008 are skipped)\n");
}

TEST_CASE("C source include: negotiates as the spec written by hand, and --set reaches C values") {
  if (!cimport::available()) return;
  DiskFileReader disk;
  const auto r = load_spec_file(disk, "tests/data/include/tuner-graph.yaml");
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), located(r.diagnostics));
  const Spec& spec = *r.spec;
  std::string files;
  for (const auto& f : spec.included) files += f + "\n";
  CHECK(files == "tests/data/include/driver/tuner.c\ntests/data/include/shared/demux.yaml\n");
  const PinSpec& ts = spec.filters[0].pins[0];
  // TS_FRAMES (a macro of tuner.h) is located where tuner.c uses it, as clang reports the value;
  // 188 * 256 from the header's macros.
  CHECK(where(spec.at(ts.framing_ex->items[0].frames.pos)) ==
        "tests/data/include/driver/tuner.c:12:5");
  CHECK(ts.framing_ex->items[0].frames.value == 8);
  CHECK(ts.framing_ex->items[0].framing_range.max.value == 48128);
  REQUIRE(ts.data_ranges.size() == 1);
  CHECK(ts.data_ranges[0].sample_size.value == 188);
  // The same graph written in one file negotiates the same.
  const std::string by_hand =
      "ksframe: 1\n"
      "filters:\n"
      "  - name: TunerFilter\n"
      "    pins:\n"
      "      - name: pin0\n"
      "        dataflow: out\n"
      "        flags: [KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING]\n"
      "        instances: {possible: 1, necessary: 0}\n"
      "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED,\n"
      "          flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, "
      "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY],\n"
      "          frames: 8, file_alignment: FILE_BYTE_ALIGNMENT, min: 48128, max: 48128}\n"
      "        data_ranges: [{kind: plain, major: KSDATAFORMAT_TYPE_STREAM, subtype: "
      "KSDATAFORMAT_TYPE_MPEG2_TRANSPORT, specifier: KSDATAFORMAT_SPECIFIER_BDA_TRANSPORT, "
      "sample_size: 188}]\n" +
      std::string(kDemux).substr(std::string(kDemux).find("  - name: demux")) +
      "connections: [{from: TunerFilter.pin0, to: demux.in}]\n";
  const auto hand = test::load(by_hand);
  REQUIRE_MESSAGE(!has_errors(hand.diagnostics), located(hand.diagnostics));
  const Negotiation a = negotiate(spec, {}), b = negotiate(*hand.spec, {});
  REQUIRE(a.pipes.size() == 1);
  REQUIRE(b.pipes.size() == 1);
  CHECK(a.pipes[0].frames == 8);
  CHECK(a.pipes[0].frame_size == 48128);
  CHECK(a.pipes[0].frames == b.pipes[0].frames);
  CHECK(a.pipes[0].frame_size == b.pipes[0].frame_size);
  CHECK(a.pipes[0].memory_type == b.pipes[0].memory_type);
  // What if the driver asked for 16 frames: --set on the value read from C.
  LoadOptions what_if;
  what_if.overrides = {"TunerFilter.pin0.simple_framing_ex.frames=16"};
  const auto r16 = load_spec_file(disk, "tests/data/include/tuner-graph.yaml", what_if);
  REQUIRE_FALSE(has_errors(r16.diagnostics));
  CHECK(negotiate(*r16.spec, {}).pipes[0].frames == 16);
}

TEST_CASE("C source include: defines select the driver's alternative, a source without pins") {
  if (!cimport::available()) return;
  DiskFileReader disk;
  MemoryFileReader reader;
  const std::string tuner = test::read_file("tests/data/include/tuner-graph.yaml");
  REQUIRE(tuner.find("include_dirs: [driver]") != std::string::npos);
  // The same spec beside the fixtures, with TUNER_DEEP_QUEUE defined: 32 frames.
  std::string deep = tuner;
  deep.replace(deep.find("include_dirs: [driver]"), 22,
               "include_dirs: [driver]\n    defines: [TUNER_DEEP_QUEUE]");
  reader.add("tests/data/include/deep.yaml", deep);
  reader.add("tests/data/include/shared/demux.yaml", kDemux);
  const auto r = load_spec_file(reader, "tests/data/include/deep.yaml");
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), located(r.diagnostics));
  CHECK(r.spec->filters[0].pins[0].framing_ex->items[0].frames.value == 32);
  // A header that declares nothing: nothing to include.
  reader.add("tests/data/include/nothing.yaml", "ksframe: 1\ninclude: [driver/tuner.h]\n");
  const auto none = load_spec_file(reader, "tests/data/include/nothing.yaml");
  CHECK(located(none.diagnostics) ==
        "tests/data/include/nothing.yaml:2:11: KSF0032: tests/data/include/driver/tuner.h "
        "declares no pins (no KSFILTER_DESCRIPTOR with a pin table, no framing): there is "
        "nothing to include\n");
  // A source that cannot be read: the extraction's error, then the include's.
  reader.add("tests/data/include/gone.yaml", "ksframe: 1\ninclude: [driver/gone.c]\n");
  const auto gone = load_spec_file(reader, "tests/data/include/gone.yaml");
  const auto failed = test::with_rule(gone.diagnostics, "KSF0032");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].message ==
        "cannot include tests/data/include/driver/gone.c: its framing could not be read (see "
        "the errors above)");
  CHECK(test::with_rule(gone.diagnostics, "KSF0030").size() == 1);
}
