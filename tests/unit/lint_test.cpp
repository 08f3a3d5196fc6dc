// Lint rules: each rule's exact message and location on a minimal spec, suppressions at every
// level, --werror, and coverage: every lint rule fires in examples/broken.
#include <filesystem>
#include <set>

#include "helpers.hpp"
#include "ksframe/render.hpp"
#include "ksframe/rules.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {
std::string item(const std::string& fields) {
  return test::one_pin("        framing_ex:\n          items:\n            - " + fields + "\n");
}
std::string without_notes(const Diagnostics& ds) {
  Diagnostics kept;
  for (const auto& d : ds)
    if (d.severity != Severity::Note) kept.push_back(d);
  return test::summary(kept);
}
}  // namespace

TEST_SUITE("lint") {
  TEST_CASE("framing rules: exact message and location") {
    struct Case {
      std::string spec;
      const char* expected;
    };
    const Case cases[] = {
        {item("{physical_range: {min: 9, max: 8}}"),
         "9:38: KSF1003: framing_ex.items[0].physical_range has min 9 above max 8\n"},
        {item("{framing_range: {min: 10, max: 20, stepping: 11}}"),
         "9:60: KSF1004: framing_ex.items[0].framing_range stepping 11 is larger than max - min "
         "(10)\n"},
        {item("{physical_range: {max: 100}, framing_range: {min: 50, max: 200}}"),
         "9:59: KSF1005: optimal range [50, 200] reaches outside the physical range [0, 100]\n"},
        {item("{physical_range: {max: 100}, framing_range: {min: 150, max: 200}}"),
         "9:59: KSF1006: optimal range [150, 200] and physical range [0, 100] have no size in "
         "common\n"},
        {item("{file_alignment: 5}"),
         "9:32: KSF1007: file_alignment 0x00000005 is not a mask of the form 2^k - 1\n"},
        {item("{file_alignment: 0x1FFF}"),
         "9:32: KSF1008: file_alignment 0x00001fff asks for 8192-byte alignment, above PAGE_SIZE "
         "(4096)\n"},
        {item("{flags: 0x10008000, file_alignment: 6}"),  // 2D_BUFFER_REQUIRED: FramePitch,
                                                          // unchecked
         "9:23: KSF1015: flags 0x10008000 contain unknown bits 0x10000000\n"},
        {item("{flags: [KSALLOCATOR_FLAG_ATTENTION_STEPPING]}"),
         "9:23: KSF1016: a pin declares pipe flag(s) KSALLOCATOR_FLAG_ATTENTION_STEPPING, which "
         "the graph manager computes\n"},
        {item("{memory_type: KSMEMORY_TYPE_SYSTEM, flags: [KSALLOCATOR_FLAG_DEVICE_SPECIFIC]}"),
         "9:58: KSF1017: KSALLOCATOR_FLAG_DEVICE_SPECIFIC with the standard memory type "
         "KSMEMORY_TYPE_SYSTEM\n"},
        {item("{memory_type: 00000000-0000-0000-0000-000000000001}"),
         "9:29: KSF1018: memory type 00000000-0000-0000-0000-000000000001 is not a KSMEMORY_TYPE_* "
         "value and DEVICE_SPECIFIC is not set\n"
         // The pin's implied user-mode consumer cannot take memory that is not host memory.
         "9:29: KSF4001: pipe-1 cannot be negotiated: no memory type suits every pin: f.p cannot "
         "use KSMEMORY_TYPE_USER "
         "(it needs device-specific memory, which user-mode buffers cannot be) "
         "[no_common_memory_type]\n"},
        {item("{memory_type: KSMEMORY_TYPE_DEVICE_UNKNOWN, flags: "
              "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY]}"),
         "9:66: KSF1019: the item requires system memory (REQUIREMENTF_SYSTEM_MEMORY) but its "
         "memory type is device memory\n"},
        {item("{memory_flags: 0x9}"),
         // MUST_ALLOCATE does not make the pin the allocator of the pipe into its user-mode
         // implied consumer (the proxy's buffers serve it), so no default allocator, no KSF4007.
         "9:30: KSF1022: memory_flags 0x00000009 holds bits other than "
         "KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE\n"},
        {test::one_pin("        framing: {reserved: 2}\n"),
         "7:29: KSF1014: reserved is 2; it must be 0\n"},
        {test::one_pin("        framing: {pool_type: 3}\n"),
         "7:30: KSF1020: pool_type 3 is not a valid POOL_TYPE\n"},
        {test::one_pin("        framing: {pool_type: PagedPoolCacheAligned}\n"),
         "7:30: KSF1021: pool_type PagedPoolCacheAligned is treated as PagedPool\n"},
        {test::one_pin("        framing: {options_flags: 0x4, frame_size: 64}\n"),
         "7:34: KSF1015: options_flags 0x00000004 contain unknown bits 0x00000004\n"},
    };
    for (const auto& c : cases)
      CHECK_MESSAGE(without_notes(test::lint(c.spec)) == c.expected, c.spec);
  }

  TEST_CASE("compression rules") {
    auto ds = test::lint(test::one_pin(
        "        framing_ex:\n          output_compression: {numerator: unknown, denominator: 0}\n"
        "          items: [{flags: [KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO]}]\n"));
    CHECK(without_notes(ds) ==
          "8:43: KSF1011: output compression is unknown (numerator 0xFFFFFFFF)\n"
          "8:65: KSF1009: output_compression denominator is 0\n"
          "9:27: KSF1012: INSIST_ON_FRAMESIZE_RATIO is set but the compression ratio is unknown\n");
    ds = test::lint(
        test::one_pin("        framing_ex: {output_compression: {numerator: 0}, items: [{}]}\n"));
    CHECK(without_notes(ds) == "7:54: KSF1010: output_compression numerator is 0\n");
  }

  TEST_CASE("reserved EX fields are warnings (D4, D7, D9)") {
    auto ds = test::lint(
        test::one_pin("        framing_ex: {pin_flags: 1, pin_weight: 2, items: [{bus_flags: 4, "
                      "framing_range: {not_in_place_weight: 5}}]}\n"));
    CHECK(without_notes(ds) ==
          "7:33: KSF1013: pin_flags is 0x00000001; PinFlags is reserved and must be 0\n"
          "7:48: KSF1013: pin_weight is 2; Microsoft documents PinWeight as reserved (0)\n"
          "7:71: KSF1013: bus_flags is 0x00000004; Microsoft documents BusFlags as not used\n"
          "7:111: KSF1013: not_in_place_weight is 5; Microsoft documents these weights as "
          "unsupported (0)\n");
  }

  TEST_CASE("empty items (D5) and the 64-item bound") {
    CHECK(without_notes(test::lint(test::one_pin("        framing_ex: {items: []}\n"))) ==
          "7:29: KSF1001: framing_ex has no items\n");
    std::string many = "        framing_ex:\n          items:\n";
    for (int i = 0; i < 65; ++i) many += "            - {frames: 1}\n";
    auto ds = test::with_rule(test::lint(test::one_pin(many)), "KSF1002");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "framing_ex has 65 items; the limit is 64");
  }

  TEST_CASE(
      "the ReactOS KsValidateAllocatorFramingEx verdict is a note, only where Windows objects "
      "too") {
    // No PARTIAL_READ_SUPPORT, no expansion: ReactOS refuses it, Windows does not: no note.
    CHECK(test::with_rule(test::lint(item("{frames: 1}")), "KSF5001").empty());
    CHECK(test::with_rule(
              test::lint(test::one_pin(
                  "        framing_ex: {output_compression: {numerator: 3, denominator: 1},"
                  " items: [{flags: [KSALLOCATOR_FLAG_PARTIAL_READ_SUPPORT]}]}\n")),
              "KSF5001")
              .empty());
    // A zero denominator: both would refuse it.
    auto zero =
        test::with_rule(test::lint(test::one_pin("        framing_ex: {output_compression: "
                                                 "{numerator: 1, denominator: 0}, items: [{}]}\n")),
                        "KSF5001");
    REQUIRE(zero.size() == 1);
    CHECK(zero[0].severity == Severity::Note);
    CHECK(zero[0].message ==
          "ReactOS KsValidateAllocatorFramingEx: STATUS_INVALID_DEVICE_REQUEST (RatioDenominator "
          "is 0)");
    auto create = test::with_rule(
        test::lint(test::one_pin(
            "        framing: {options_flags: [KSALLOCATOR_OPTIONF_SYSTEM_MEMORY]}\n")),
        "KSF5002");
    CHECK(create.at(0).message ==
          "ReactOS KsValidateAllocatorCreateRequest would fail this allocator create with "
          "STATUS_INVALID_PARAMETER: FrameSize is 0");
  }

  TEST_CASE("pin rules") {
    const std::string base = "ksframe: 1\nfilters:\n  - name: f\n    pins:\n";
    CHECK(without_notes(test::lint(
              base +
              "      - {name: p, dataflow: out, flags: [KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING, "
              "KSPIN_FLAG_INITIATE_PROCESSING_ON_EVERY_ARRIVAL]}\n")) ==
          "5:41: KSF2001: KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING and "
          "KSPIN_FLAG_INITIATE_PROCESSING_ON_EVERY_ARRIVAL exclude each other\n");
    CHECK(without_notes(test::lint(
              base + "      - {name: p, dataflow: out, flags: [KSPIN_FLAG_SPLITTER]}\n")) ==
          "5:41: KSF2002: splitter pin allows 1 instance\n");
    CHECK(without_notes(test::lint(base + "      - {name: p, dataflow: out, instances: {possible: "
                                          "unbounded, necessary: 9}}\n")) == "");
    CHECK(
        without_notes(test::lint(
            base + "      - {name: p, dataflow: out, instances: {possible: 2, necessary: 3}}\n")) ==
        "5:70: KSF2003: instances.necessary (3) is greater than instances.possible (2)\n");
    CHECK(
        without_notes(test::lint(base + "      - {name: p, dataflow: out, flags: 0x2000000}\n")) ==
        "5:41: KSF2004: pin flags 0x02000000 contain unknown bits 0x02000000\n");
    CHECK(without_notes(test::lint(base + "      - {name: p, dataflow: in, user_mode: true, flags: "
                                          "[KSPIN_FLAG_DENY_USERMODE_ACCESS]}\n")) ==
          "5:57: KSF2007: a user-mode pin sets KSPIN_FLAG_DENY_USERMODE_ACCESS\n");
    CHECK(without_notes(test::lint(
              base + "      - {name: p, dataflow: out, flags: [KSPIN_FLAG_GENERATE_MAPPINGS], "
                     "framing_ex: {items: [{memory_type: KSMEMORY_TYPE_USER}]}}\n")) ==
          "5:41: KSF2008: KSPIN_FLAG_GENERATE_MAPPINGS needs nonpaged memory, but every framing "
          "item asks for pageable memory\n");
    // PREFERENCES_ONLY makes the paged item acceptable.
    CHECK(without_notes(test::lint(
              base + "      - {name: p, dataflow: out, flags: [KSPIN_FLAG_GENERATE_MAPPINGS], "
                     "framing_ex: {items: [{memory_type: KSMEMORY_TYPE_USER, flags: "
                     "[KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY]}]}}\n")) == "");
  }

  TEST_CASE("codec pins: fewer than three frames on a non-in-place route (KSF2006)") {
    const std::string spec =
        "ksframe: 1\nfilters:\n  - name: enc\n    pins:\n"
        "      - {name: i, dataflow: in, framing: {frames: 2}}\n"
        "      - {name: o, dataflow: out, framing_ex: {items: [{frames: 3}]}}\n"
        "    routes: [{from: i, to: o}]\n";
    CHECK(without_notes(test::lint(spec)) ==
          "5:51: KSF2006: this transform (codec) pin allows 2 frames; Microsoft recommends at "
          "least 3\n");
  }

  TEST_CASE("graph rules with related locations") {
    auto ds = test::lint(test::read_file(test::source_dir() + "/examples/broken/graph.yaml"));
    auto dataflow = test::with_rule(ds, "KSF3001");
    REQUIRE(dataflow.size() == 1);
    CHECK(dataflow[0].message == "connection a.out -> b.out joins an output pin to an output pin");
    CHECK(dataflow[0].location.line == 25);
    REQUIRE(dataflow[0].related.size() == 2);
    CHECK(dataflow[0].related[1].location.line == 18);
    CHECK(test::with_rule(ds, "KSF3004").at(0).related.at(0).message == "the first connection");
    CHECK(test::with_rule(ds, "KSF3005").size() == 2);
    CHECK(test::with_rule(ds, "KSF3006").at(0).message ==
          "pin a.spare needs 1 instance(s) to run but no connection uses it: filter a cannot "
          "leave KSSTATE_STOP");
    CHECK(test::with_rule(ds, "KSF3006").at(0).severity == Severity::Error);
  }

  TEST_CASE("a connected pin that allows no instance is an error") {
    auto ds = test::lint(test::read_file(test::source_dir() + "/examples/broken/instances.yaml"));
    auto found = test::with_rule(ds, "KSF3008");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "connection cam.capture -> app.in uses cam.capture, whose InstancesPossible is 0: KS "
          "creates no instance of it");
    CHECK(found[0].location.line == 16);
    REQUIRE(found[0].related.size() == 1);
    CHECK(found[0].related[0].location.line == 10);
  }

  TEST_CASE("a splitter may fan out up to its instance count") {
    const std::string spec =
        "ksframe: 1\nfilters:\n  - name: s\n    pins:\n"
        "      - {name: o, dataflow: out, flags: [KSPIN_FLAG_SPLITTER], instances: {possible: 2}}\n"
        "  - name: r\n    pins:\n      - {name: a, dataflow: in}\n      - {name: b, dataflow: in}\n"
        "      - {name: c, dataflow: in}\n"
        "connections:\n  - {from: s.o, to: r.a}\n  - {from: s.o, to: r.b}\n";
    const LintOptions no_frames_warning{{"KSF4007"}, false};
    CHECK(without_notes(test::lint(spec, no_frames_warning)) == "");
    CHECK(without_notes(test::lint(spec + "  - {from: s.o, to: r.c}\n", no_frames_warning)) ==
          "14:5: KSF3005: splitter pin s.o allows 2 instances but has 3 connections\n");
  }

  TEST_CASE(
      "KSF4008: a source payload larger than its pipe's frames, in every distribution's terms") {
    // One 4096-byte pipe from a source; payloads compared by their largest planned value.
    const std::string graph =
        "ksframe: 1\nfilters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 2, "
        "framing_range: {min: 4096, max: 4096}}]}}]}\n"
        "  - {name: scr, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: cam.out, to: scr.in}]\n";
    const auto payload = [&](const std::string& p) {
      return test::summary(
          test::with_rule(test::lint(graph + "load: {source: {payload: " + p + "}}\n"), "KSF4008"));
    };
    CHECK(payload("{distribution: fixed, bytes: 4096}") == "");  // exactly a frame: fits
    CHECK(payload("{distribution: fixed, bytes: 4097}") ==
          "6:26: KSF4008: load.source.payload of 4097 bytes is larger than the 4096-byte frames of "
          "pipe-1 (cam.out)\n");
    CHECK(payload("{distribution: uniform, min: 100, max: 5000}") ==
          "6:26: KSF4008: load.source.payload of 5000 bytes is larger than the 4096-byte frames of "
          "pipe-1 (cam.out)\n");
    CHECK(payload("{distribution: exponential, mean: 4000}") == "");  // the tail is clipped
    CHECK(payload("{distribution: exponential, mean: 4100}") ==
          "6:26: KSF4008: load.source.payload of 4100 bytes is larger than the 4096-byte frames of "
          "pipe-1 (cam.out)\n");
  }

  TEST_CASE("suppressions: command line, file, filter and pin level") {
    const std::string spec =
        "ksframe: 1\nfilters:\n  - name: f\n    lint: {disable: [KSF1007]}\n    pins:\n"
        "      - name: a\n        dataflow: out\n        lint: {disable: [range-stepping]}\n"
        "        framing_ex: {items: [{file_alignment: 5, framing_range: {min: 1, max: 2, "
        "stepping: 9}}]}\n"
        "      - name: b\n        dataflow: out\n"
        "        framing_ex: {items: [{file_alignment: 5, framing_range: {min: 1, max: 2, "
        "stepping: 9}}]}\n"
        "  - name: g\n    pins:\n      - name: c\n        dataflow: out\n"
        "        framing_ex: {items: [{file_alignment: 5}]}\n";
    auto ds = test::lint(spec, {{"KSF5001"}, false});
    CHECK(test::summary(ds) ==
          "12:92: KSF1004: framing_ex.items[0].framing_range stepping 9 is larger than max - min "
          "(1)\n"
          "17:47: KSF1007: file_alignment 0x00000005 is not a mask of the form 2^k - 1\n");
    // Without KSF1007's error the graph negotiates, and the alignment 5 + 1 reaches the implied
    // consumers' ALLOCATOR_PROPERTIES as a cbAlign DirectShow refuses (KSF4009).
    auto file_level =
        test::lint("lint: {disable: [KSF1007, KSF1004, KSF4009]}\n" + spec, {{"KSF5001"}, false});
    CHECK(file_level.empty());
  }

  TEST_CASE("unknown and input rules in suppressions are reported") {
    auto ds = test::lint(test::one_pin("        lint: {disable: [KSF1O07, KSF0001]}\n"),
                         {{"range-steping"}, false});
    CHECK(test::summary(ds) ==
          "0:0: KSF9001: unknown rule 'range-steping' in --disable\n"
          "7:26: KSF9001: unknown rule 'KSF1O07' in lint.disable\n"
          "7:35: KSF9002: rule KSF0001 (yaml-syntax) cannot be disabled\n");
    CHECK(ds[0].hint == "did you mean 'range-stepping'?");
    CHECK(ds[1].hint == "did you mean 'KSF1007'?");
  }

  TEST_CASE("--werror turns warnings into errors") {
    auto ds = test::lint(
        test::one_pin("        framing_ex: {output_compression: {numerator: 1, denominator: 0},"
                      " items: [{file_alignment: 0x1FFF}]}\n"),
        {{}, true});
    REQUIRE(test::with_rule(ds, "KSF1008").size() == 1);
    CHECK(test::with_rule(ds, "KSF1008")[0].severity == Severity::Error);
    CHECK(test::with_rule(ds, "KSF5001")[0].severity == Severity::Note);  // notes stay notes
  }

  TEST_CASE("lint does not run on a spec with input errors (pass boundary)") {
    auto ds = test::lint(item("{file_alignment: 5, frames: -1}"));
    CHECK(test::summary(ds) == "9:43: KSF0010: 'frames' is negative: -1\n");
  }

  TEST_CASE("every lint rule fires in examples/broken, and clean examples have no warnings") {
    std::set<std::string> fired;
    DiskFileReader disk;
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/examples/broken"))
      for (const auto& d : lint_file(disk, e.path().string(), {}).diagnostics) fired.insert(d.rule);
    for (const auto& r : rule_catalogue()) {
      if (r.id[3] == '0') continue;  // input rules: covered by tests/data/hostile
      CHECK_MESSAGE(fired.count(std::string(r.id)), r.id);
    }
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/examples")) {
      if (e.path().extension() != ".yaml") continue;
      auto result = lint_file(disk, e.path().string(), {});
      CHECK_MESSAGE(count(result.diagnostics, Severity::Error) == 0, e.path());
      CHECK_MESSAGE(count(result.diagnostics, Severity::Warning) == 0, e.path());
    }
  }

  TEST_CASE("every input rule fires in tests/data/hostile or the unit tests above") {
    std::set<std::string> fired;
    DiskFileReader disk;
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/tests/data/hostile"))
      for (const auto& d : lint_file(disk, e.path().string(), {}).diagnostics) fired.insert(d.rule);
    // KSF0002 (unreadable) and KSF0003 (too large) need no file on disk: loader_test covers them.
    for (const auto& r : rule_catalogue()) {
      if (r.id[3] != '0' || r.id == "KSF0002" || r.id == "KSF0003") continue;
      // The binary-input rules of `ksframe import` are fired by the "import" suite of
      // export_test.cpp.
      if (r.id == "KSF0021" || r.id == "KSF0022" || r.id == "KSF0023" || r.id == "KSF0024")
        continue;
      // The C-source rules are fired by cimport_test.cpp.
      if (r.id == "KSF0030" || r.id == "KSF0031") continue;
      CHECK_MESSAGE(fired.count(std::string(r.id)), r.id);
    }
  }

  TEST_CASE("the catalogue: unique ids and names, one scheme, documentation present") {
    std::set<std::string> ids, names;
    for (const auto& r : rule_catalogue()) {
      CHECK(ids.insert(std::string(r.id)).second);
      CHECK(names.insert(std::string(r.name)).second);
      CHECK(r.id.size() == 7);
      CHECK(r.id.substr(0, 3) == "KSF");
      CHECK_FALSE(r.title.empty());
      CHECK(r.doc.size() > 40);
      CHECK(r.suppressible == (r.id[3] != '0'));
    }
    CHECK(find_rule("range-order") == find_rule("KSF1003"));
  }

  TEST_CASE("docs/rules.md is generated from the catalogue") {
    CHECK_MESSAGE(test::read_file(test::source_dir() + "/docs/rules.md") == render_rules_markdown(),
                  "run `make docs` to regenerate docs/rules.md");
  }
}

TEST_SUITE("lint") {
  TEST_CASE("lint_files on several threads gives the serial results, in the order asked") {
    DiskFileReader disk;
    std::vector<std::string> paths;
    for (const char* dir : {"/examples/broken", "/tests/data/hostile", "/examples"})
      for (const auto& e : fs::directory_iterator(test::source_dir() + dir))
        if (e.path().extension() == ".yaml") paths.push_back(e.path().string());
    auto serial = lint_files(disk, paths, {}, 1);
    auto parallel = lint_files(disk, paths, {}, 4);
    REQUIRE(serial.size() == paths.size());
    REQUIRE(parallel.size() == paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      CHECK(parallel[i].file == paths[i]);
      CHECK(test::summary(parallel[i].diagnostics) == test::summary(serial[i].diagnostics));
    }
  }
}
