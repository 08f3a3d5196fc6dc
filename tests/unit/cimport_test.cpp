// Reading drivers' C sources: the fixtures of tests/data/c/ extracted value by value against
// values computed by hand from the sources, and lint of C located on the C lines. The suites
// named "C source" need libclang; the Windows builds have none and skip them by name
// (CMakePresets.json), and run only the availability case.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#ifdef KSFRAME_HAVE_LIBCLANG
#include <unistd.h>
#endif

#include "helpers.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/lint.hpp"

using namespace ksframe;
using cimport::Framing;

TEST_SUITE("reading C") {
  TEST_CASE("reading C: availability matches the build") {
#ifdef KSFRAME_HAVE_LIBCLANG
    CHECK(cimport::available());
#else
    CHECK_FALSE(cimport::available());
    const auto x = cimport::extract({"driver.c"}, {});
    CHECK(x.unreadable);
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].message == "this build of ksframe cannot read C sources (it was built without libclang)");
#endif
    CHECK(cimport::is_c_source("a.c"));
    CHECK(cimport::is_c_source("dir/a.hpp"));
    CHECK_FALSE(cimport::is_c_source("a.yaml"));
    CHECK_FALSE(cimport::is_c_source(".c"));
  }
}

#ifdef KSFRAME_HAVE_LIBCLANG

namespace {

namespace fs = std::filesystem;

const char* const kCamera = "tests/data/c/camera.c";
const char* const kEncoder = "tests/data/c/encoder.cpp";

cimport::Options fixture_options(std::vector<std::string> defines = {}) {
  cimport::Options o;
  o.include_dirs = {"tests/data/c"};
  o.defines = std::move(defines);
  return o;
}

const Framing& framing(const cimport::Extraction& x, const std::string& symbol) {
  for (const auto& f : x.framings)
    if (f.symbol == symbol) return f;
  FAIL("no framing " << symbol);
  throw std::logic_error("unreachable");
}

const cimport::Filter& filter(const cimport::Extraction& x, const std::string& symbol) {
  for (const auto& f : x.filters)
    if (f.symbol == symbol) return f;
  FAIL("no filter " << symbol);
  throw std::logic_error("unreachable");
}

std::string at(const Location& l) { return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column); }

// A scratch directory for sources the tests write (hostile input, compilation databases).
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("ksframe-cimport-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

}  // namespace

TEST_SUITE("C source") {
  TEST_CASE("C source: camera.c framing, value by value") {
    const auto x = cimport::extract({kCamera}, fixture_options());
    CHECK_FALSE(x.unreadable);
    REQUIRE(x.framings.size() == 2);

    // DECLARE_SIMPLE_FRAMING_EX with header macros: 4 frames (CAM_LOW_LATENCY undefined),
    // min 2 * PAGE_SIZE = 8192, max 320 * 240 * 2 + sizeof(CAM_HEADER) (4 + 4 + 8) = 153616.
    const Framing& capture = framing(x, "CaptureFraming");
    CHECK(capture.kind == Framing::Kind::SimpleEx);
    CHECK(at(capture.location) == "tests/data/c/camera.c:10:5");
    CHECK(capture.ex == ks::simple_framing_ex(ks::memtype::KERNEL_NONPAGED, 0x80000002u, 4, 7, 8192, 153616));
    CHECK(at(capture.where.at("items[0].frames")) == "tests/data/c/camera.c:13:5");
    CHECK(at(capture.where.at("items[0].framing_range.max")) == "tests/data/c/camera.c:16:5");
    CHECK(at(capture.where.at("count_items")) == "tests/data/c/camera.c:9:1");  // the macro's own 1: its use

    // The explicit initializer, PAGE_SIZE arithmetic and (ULONG)-1.
    const Framing& crossbar = framing(x, "CrossbarFraming");
    CHECK(crossbar.kind == Framing::Kind::Ex);
    CHECK(crossbar.ex.CountItems == 1);
    CHECK(crossbar.ex.PinFlags == 0);
    CHECK(crossbar.ex.OutputCompression == ks::KS_COMPRESSION{1, 1, 0});
    REQUIRE(crossbar.ex.FramingItem.size() == 1);
    const auto& item = crossbar.ex.FramingItem[0];
    CHECK(item.MemoryType == ks::memtype::KERNEL_PAGED);
    CHECK(item.BusType == ks::Guid{});
    CHECK(item.Flags == 2);
    CHECK(item.Frames == 3);
    CHECK(item.FileAlignment == 3);
    CHECK(item.PhysicalRange == ks::KS_FRAMING_RANGE{0, 0xFFFFFFFFu, 1});
    CHECK(item.FramingRange.Range == ks::KS_FRAMING_RANGE{16384, 4096, 1});
    CHECK(at(crossbar.where.at("items[0].framing_range.min")) == "tests/data/c/camera.c:34:17");
  }

  TEST_CASE("C source: camera.c filter, pins and topology") {
    const auto x = cimport::extract({kCamera}, fixture_options());
    REQUIRE(x.filters.size() == 1);
    const auto& f = filter(x, "CameraFilter");
    CHECK(f.flags.value == 0x2);  // KSFILTER_FLAG_CRITICAL_PROCESSING
    CHECK(f.pin_table == "CameraPins");
    REQUIRE(f.pins.size() == 3);

    const auto& capture = f.pins[0];  // positional
    CHECK(capture.dataflow.value == 2);
    CHECK(capture.communication.value == 3);
    CHECK(capture.flags.value == 0x10010);  // PROCESS_IN_RUN_STATE_ONLY | DO_NOT_INITIATE_PROCESSING
    CHECK(capture.instances_possible.value == 1);
    CHECK(capture.instances_necessary.value == 0);
    CHECK(capture.framing == "CaptureFraming");
    CHECK(capture.category == "PIN_CATEGORY_CAPTURE");
    CHECK(capture.name == "PINNAME_VIDEO_CAPTURE");
    CHECK(capture.dispatch == "CapturePinDispatch");
    CHECK(capture.create == "CapturePinCreate");
    CHECK(capture.set_data_format == "CaptureSetFormat");
    CHECK_FALSE(capture.allocator_dispatch);
    CHECK(at(capture.location) == "tests/data/c/camera.c:64:5");
    CHECK(at(capture.flags.at) == "tests/data/c/camera.c:77:9");

    const auto& preview = f.pins[1];  // designated, sharing the capture pin's framing object
    CHECK(preview.dataflow.value == 2);
    CHECK(preview.communication.value == 3);
    CHECK(preview.flags.value == 0x10000);
    CHECK(preview.instances_possible.value == 1);
    CHECK(preview.instances_necessary.value == 0);
    CHECK(preview.instances_necessary.at.line == 0);  // not written: zero, and no location
    CHECK(preview.framing == "CaptureFraming");
    CHECK(preview.category == "PIN_CATEGORY_PREVIEW");
    CHECK(preview.name.empty());
    CHECK(at(preview.dataflow.at) == "tests/data/c/camera.c:87:25");

    const auto& input = f.pins[2];
    CHECK(input.dataflow.value == 1);
    CHECK(input.flags.value == 0);
    CHECK(input.instances_possible.value == 1);
    CHECK(input.instances_necessary.value == 1);
    CHECK(input.framing == "CrossbarFraming");
    CHECK(input.dispatch.empty());

    // Pin 2 -> node 0 -> pins 0 and 1.
    REQUIRE(f.routes.size() == 2);
    CHECK(f.routes[0].from == 2);
    CHECK(f.routes[0].to == 0);
    CHECK(f.routes[1].from == 2);
    CHECK(f.routes[1].to == 1);
    CHECK(at(f.routes[0].at) == "tests/data/c/camera.c:108:7");
  }

  TEST_CASE("C source: KsEdit in DispatchCreate is a located note, not a guess") {
    const auto x = cimport::extract({kCamera}, fixture_options());
    REQUIRE(x.diagnostics.size() == 1);
    const auto& d = x.diagnostics[0];
    CHECK(d.rule == "KSF0031");
    CHECK(d.severity == Severity::Note);
    CHECK(at(d.location) == "tests/data/c/camera.c:132:14");
    CHECK(d.message ==
          "CapturePinCreate edits the pin's framing at run time (KsEdit, then FramingItem[0].Frames = 8, "
          "FramingItem[0].FramingRange.Range.MinFrameSize, FramingItem[0].FramingRange.Range.MaxFrameSize); it is "
          "CameraFilter pin 0 Create, CameraFilter pin 1 Create: ksframe reads only the declared framing and does "
          "not guess what the code computes");
    REQUIRE(d.related.size() == 3);
    CHECK(at(d.related[0].location) == "tests/data/c/camera.c:138:9");
    CHECK(at(d.related[2].location) == "tests/data/c/camera.c:140:9");
    // The framing stays as declared.
    CHECK(framing(x, "CaptureFraming").ex.FramingItem[0].Frames == 4);
  }

  TEST_CASE("C source: -D selects the #ifdef alternatives") {
    const auto x = cimport::extract({kCamera}, fixture_options({"CAM_LOW_LATENCY", "CAM_OWN_ALLOCATOR=1"}));
    CHECK(framing(x, "CaptureFraming").ex.FramingItem[0].Frames == 2);
    CHECK(filter(x, "CameraFilter").pins[0].allocator_dispatch);
    const auto hd = cimport::extract({kEncoder}, fixture_options({"ENCODER_HD"}));
    CHECK(framing(hd, "EncoderInputFraming").ex.FramingItem[0].FramingRange.Range ==
          ks::KS_FRAMING_RANGE{4147200, 4147200, 1});  // 1920 * 1080 * 2
  }

  TEST_CASE("C source: encoder.cpp (C++): multi-item struct, legacy framing, broken code elsewhere") {
    const auto x = cimport::extract({kEncoder}, fixture_options());
    CHECK_FALSE(x.unreadable);
    REQUIRE(x.framings.size() == 3);

    const Framing& out = framing(x, "EncoderOutputFraming");
    CHECK(out.kind == Framing::Kind::Ex);
    CHECK(out.ex.CountItems == 2);
    REQUIRE(out.ex.FramingItem.size() == 2);
    CHECK(out.ex.FramingItem[0].MemoryType == ks::memtype::KERNEL_NONPAGED);
    CHECK(out.ex.FramingItem[0].Flags == 0x48);  // MUST_ALLOCATE | CAN_ALLOCATE
    CHECK(out.ex.FramingItem[0].Frames == 16);
    CHECK(out.ex.FramingItem[0].FileAlignment == 0xF);
    CHECK(out.ex.FramingItem[0].FramingRange.Range == ks::KS_FRAMING_RANGE{1316, 5264, 1316});  // 188 x 7
    CHECK(out.ex.FramingItem[1].MemoryType == ks::memtype::KERNEL_PAGED);
    CHECK(out.ex.FramingItem[1].Flags == 2);
    CHECK(out.ex.FramingItem[1].Frames == 8);
    CHECK(out.ex.FramingItem[1].FileAlignment == 0);
    CHECK(out.ex.FramingItem[1].FramingRange.Range == ks::KS_FRAMING_RANGE{1316, 1316, 1});

    const Framing& in = framing(x, "EncoderInputFraming");
    CHECK(in.kind == Framing::Kind::SimpleEx);
    CHECK(in.ex == ks::simple_framing_ex(ks::memtype::KERNEL_NONPAGED, 2, 3, 3, 153600, 153600));

    const Framing& legacy = framing(x, "EncoderLegacyFraming");
    CHECK(legacy.kind == Framing::Kind::Legacy);
    CHECK(legacy.legacy == ks::KSALLOCATOR_FRAMING{2, 0, 6, 1316, 3, 0});
    CHECK(at(legacy.where.at("frame_size")) == "tests/data/c/encoder.cpp:52:5");

    // A pin table no filter lists: linted in a filter named after it.
    REQUIRE(x.filters.size() == 1);
    const auto& pins = filter(x, "EncoderPins").pins;
    REQUIRE(pins.size() == 2);
    CHECK(pins[0].dataflow.value == 1);
    CHECK(pins[0].flags.value == 1);
    CHECK(pins[0].instances_necessary.value == 1);
    CHECK(pins[0].framing == "EncoderInputFraming");
    CHECK(pins[1].dataflow.value == 2);
    CHECK(pins[1].instances_possible.value == 0xFFFFFFFFu);  // KSINSTANCE_INDETERMINATE
    CHECK(pins[1].framing == "EncoderOutputFraming");      // through reinterpret_cast

    // The legacy handler is a note; the function that does not compile says nothing.
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].rule == "KSF0031");
    CHECK(at(x.diagnostics[0].location) == "tests/data/c/encoder.cpp:69:1");
    CHECK(x.diagnostics[0].message ==
          "GetAllocatorFraming answers legacy framing from code (RequirementsFlags = 2, PoolType = 0, Frames = 6, "
          "FrameSize = 1316, FileAlignment = 3): ksframe reads only the declared framing and does not guess what "
          "the code computes");
  }

  TEST_CASE("C source: lint findings are on the C lines") {
    LintOptions lint;
    const auto camera = cimport::lint_c_file(kCamera, fixture_options(), lint);
    CHECK(test::summary(camera.diagnostics) ==
          "34:17: KSF1003: framing_ex.items[0].framing_range has min 16384 above max 4096\n"
          "132:14: KSF0031: CapturePinCreate edits the pin's framing at run time (KsEdit, then FramingItem[0].Frames "
          "= 8, FramingItem[0].FramingRange.Range.MinFrameSize, FramingItem[0].FramingRange.Range.MaxFrameSize); it "
          "is CameraFilter pin 0 Create, CameraFilter pin 1 Create: ksframe reads only the declared framing and does "
          "not guess what the code computes\n");
    for (const auto& d : camera.diagnostics) CHECK(d.location.file == "tests/data/c/camera.c");
    CHECK(lint_exit_code({camera}) == 1);

    const auto encoder = cimport::lint_c_file(kEncoder, fixture_options(), lint);
    REQUIRE(test::with_rule(encoder.diagnostics, "KSF1017").size() == 1);
    CHECK(at(test::with_rule(encoder.diagnostics, "KSF1017")[0].location) == "tests/data/c/encoder.cpp:27:10");
    CHECK(lint_exit_code({encoder}) == 0);
  }

  TEST_CASE("C source: the imported spec lints like its hand-written twin") {
    // tests/data/c/camera.twin.yaml is the spec a driver developer would write for camera.c.
    const auto x = cimport::extract({kCamera}, fixture_options());
    const auto imported = test::lint(cimport::to_spec(x).yaml);
    DiskFileReader disk;
    const auto twin = lint_file(disk, "tests/data/c/camera.twin.yaml", {}).diagnostics;
    auto rules = [](const Diagnostics& ds) {
      std::string s;
      for (const auto& d : ds) s += d.rule + ": " + d.message + "\n";
      return s;
    };
    CHECK(rules(imported) == rules(twin));
    CHECK(rules(imported) == "KSF1003: framing_ex.items[0].framing_range has min 16384 above max 4096\n");
  }

  TEST_CASE("C source: a compilation database gives -I and -D") {
    Scratch scratch;
    const std::string source = fs::absolute(kCamera).string();
    const std::string include = fs::absolute("tests/data/c").string();
    scratch.write("compile_commands.json",
                  "[{\"directory\": \"" + scratch.dir.string() + "\", \"file\": \"" + source +
                      "\", \"command\": \"cl.exe /nologo /I" + include + " /DCAM_LOW_LATENCY /c " + source + "\"}]");
    cimport::Options o;
    o.compile_commands = (scratch.dir / "compile_commands.json").string();
    const auto x = cimport::extract({kCamera}, o);
    CHECK_FALSE(x.unreadable);
    CHECK(framing(x, "CaptureFraming").ex.FramingItem[0].Frames == 2);

    // A source the database does not list takes the flags of the nearest one it lists
    // (clang's own interpolation, as clangd does): encoder.cpp finds camera.h through them.
    const auto nearest = cimport::extract({kEncoder}, o);
    CHECK_FALSE(nearest.unreadable);
    CHECK(nearest.framings.size() == 3);

    cimport::Options wrong;
    wrong.compile_commands = scratch.write("commands.txt", "[]");
    const auto refused = cimport::extract({kCamera}, wrong);
    CHECK(refused.unreadable);
    REQUIRE(refused.diagnostics.size() == 1);
    CHECK(refused.diagnostics[0].rule == "KSF0030");
  }

  TEST_CASE("C source: unreadable, missing headers and hostile sources") {
    const auto missing = cimport::extract({"tests/data/c/no-such-driver.c"}, {});
    CHECK(missing.unreadable);
    CHECK(missing.diagnostics.at(0).rule == "KSF0030");

    Scratch scratch;
    const auto header = scratch.write("header.c", "#include <ks.h>\n#include \"vendor.h\"\n"
                                                  "DECLARE_SIMPLE_FRAMING_EX(F, STATICGUIDOF(GUID_NULL), 0, 1, 0, 1, 2);\n");
    const auto h = cimport::extract({header}, {});
    CHECK_FALSE(h.unreadable);
    REQUIRE(h.diagnostics.size() == 1);
    CHECK(h.diagnostics[0].severity == Severity::Warning);
    CHECK(h.diagnostics[0].location.line == 2);
    CHECK(h.framings.size() == 1);  // keeps going past the missing header

    // Deep nesting, a designator past the walker's bound, a self-referencing table, garbage:
    // no crash, no hang.
    std::string deep = "#include <ks.h>\nconst KSALLOCATOR_FRAMING_EX D = " + std::string(300, '{') + "1" +
                       std::string(300, '}') + ";\n";
    const auto d = cimport::extract({scratch.write("deep.c", deep)}, {});
    CHECK_FALSE(d.unreadable);
    const auto hostile = cimport::extract(
        {scratch.write("hostile.c",
                       "#include <ks.h>\n"
                       "const KSPIN_DESCRIPTOR_EX T[] = { [5000] = { 0 } };\n"
                       "extern const KSFILTER_DESCRIPTOR F;\n"
                       "const KSPIN_DESCRIPTOR_EX P[] = { { 0, 0, {0}, 0, 1, 0, (const KSALLOCATOR_FRAMING_EX*)&P } };\n"
                       "const KSFILTER_DESCRIPTOR F = { 0, 0, 0, 0, 0, 1, sizeof(P[0]), P, 0, 0, 0, 0, 0, 0, 0, 0 };\n"
                       "@@@ }}} ((( \"\n")},
        {});
    CHECK_FALSE(hostile.unreadable);
    // A declaration ksframe would read that does not compile is a warning there; the rest is
    // still read.
    const auto typo = cimport::extract(
        {scratch.write("typo.c", "#include <ks.h>\n"
                                 "DECLARE_SIMPLE_FRAMING_EX(F, STATICGUIDOF(GUID_NULL), KSALLOCATOR_FLAG_TYPO, 2, 0, 1, 2);\n"
                                 "void f(void) { g(; }\n")},
        {});
    REQUIRE(typo.diagnostics.size() == 1);
    CHECK(typo.diagnostics[0].severity == Severity::Warning);
    CHECK(typo.diagnostics[0].location.line == 2);
    CHECK(typo.diagnostics[0].location.column == 55);
    CHECK(typo.diagnostics[0].message ==
          "F does not compile (use of undeclared identifier 'KSALLOCATOR_FLAG_TYPO'); it is not read");
    const auto typo2 = cimport::extract(
        {scratch.write("typo2.c", "#include <ks.h>\nconst KSALLOCATOR_FRAMING L = { 1, NonPagedPool, 2, TYPO, 0, 0 };\n")},
        {});
    REQUIRE(typo2.diagnostics.size() == 1);
    CHECK(test::summary(typo2.diagnostics) ==
          "2:53: KSF0030: L does not compile (use of undeclared identifier 'TYPO'); it is not read\n");

    const auto binary = cimport::extract({scratch.write("binary.c", std::string("\0\xff\xfe\x01", 4))}, {});
    CHECK(binary.framings.empty());

    cimport::Options small;
    small.max_file_bytes = 16;
    const auto big = cimport::extract({kCamera}, small);
    CHECK(big.unreadable);
  }

  TEST_CASE("C source: the fuzz corpus replays") {
    // tests/data/fuzz-corpus/cimport: every input fuzz_cimport ever crashed or hung on.
    std::size_t replayed = 0;
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/tests/data/fuzz-corpus/cimport")) {
      const auto x = cimport::extract({e.path().string()}, {});
      (void)cimport::to_spec(x);
      (void)cimport::to_json(x);
      ++replayed;
    }
    CHECK(replayed >= 2);
    // The header name of this one is not UTF-8 (a byte 0xd0): the message shows it escaped, and the
    // JSON (which once threw on it) is written.
    const auto x = cimport::extract({"tests/data/fuzz-corpus/cimport/missing-header-name-not-utf8.cpp"}, {});
    REQUIRE_FALSE(x.diagnostics.empty());
    CHECK(x.diagnostics[0].message == "'ntdd\\xd0.h' file not found (declarations from it are unknown)");
    CHECK(cimport::to_json(x).find("ntdd\\\\xd0.h") != std::string::npos);
  }

  TEST_CASE("C source: JSON and YAML outputs") {
    const auto x = cimport::extract({kEncoder}, fixture_options());
    const std::string json = cimport::to_json(x);
    CHECK(json.starts_with("{\n  \"ksframe_import\": 1,"));
    const auto spec = cimport::to_spec(x);
    CHECK(spec.line_origin.size() == static_cast<std::size_t>(std::count(spec.yaml.begin(), spec.yaml.end(), '\n')));
    const auto loaded = test::load(spec.yaml);
    CHECK_FALSE(has_errors(loaded.diagnostics));
    // Deterministic: the same input gives the same bytes.
    CHECK(cimport::to_json(cimport::extract({kEncoder}, fixture_options())) == json);
  }
}

#endif
