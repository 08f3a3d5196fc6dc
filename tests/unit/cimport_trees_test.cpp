// Real driver trees: what the shapes of shipped drivers (tests/data/c/cases/, split/, casefold/,
// portcls/, the single pin, the vendor macro) give, value by value and message by message. The
// suites are named "C source" so the builds without libclang skip them (CMakePresets.json).
#include <doctest/doctest.h>

#ifdef KSFRAME_HAVE_LIBCLANG

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cimport/extract_internal.hpp"
#include "helpers.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/rules.hpp"

using namespace ksframe;

namespace {

namespace fs = std::filesystem;

std::string at(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

// "file:line:column: severity: message [rule]" for each finding, in order.
std::vector<std::string> lines(const Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds)
    out.push_back(at(d.location) + ": " + std::string(to_string(d.severity)) + ": " + d.message +
                  " [" + d.rule + "]");
  return out;
}

std::vector<std::string> lines_of(const std::string& file, const cimport::Options& o = {}) {
  return lines(cimport::lint_c_file(file, o, {}).diagnostics);
}

const cimport::Filter& only_filter(const cimport::Extraction& x) {
  REQUIRE(x.filters.size() == 1);
  return x.filters.front();
}

struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("ksframe-trees-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

const std::string kCases = "tests/data/c/cases/";

}  // namespace

TEST_SUITE("C source") {
  TEST_CASE("C source: a source without descriptors is a note, and lint passes") {
    for (const char* name : {"no_descriptors.c", "plain_helper.c"}) {
      const auto r = cimport::lint_c_file(kCases + name, {}, {});
      CHECK_FALSE(r.unreadable);
      CHECK(lines(r.diagnostics) ==
            std::vector<std::string>{kCases + name + ":0:0: note: " + kCases + name +
                                     " declares no framing, pin or filter descriptor: nothing "
                                     "to lint [KSF0030]"});
      CHECK(lint_exit_code({r}) == 0);
    }
  }

  TEST_CASE("C source: an intersect handler typed with PKSP_PIN keeps the pin table") {
    const auto x = cimport::extract({kCases + "pksp_pin_drops_pins.c"}, {});
    const auto& f = only_filter(x);
    CHECK(f.symbol == "Pins");
    REQUIRE(f.pins.size() == 1);
    CHECK(f.pins[0].framing == "Fr");
    CHECK(f.pins[0].dataflow.value == 2);
    // Ranges is extern and no given source defines it: said, at the pin's DataRanges.
    CHECK(lines(x.diagnostics) ==
          std::vector<std::string>{
              kCases +
              "pksp_pin_drops_pins.c:9:32: warning: the DataRanges table Ranges is only declared "
              "in the given sources: the pin's data_ranges are not read [KSF0030]"});
  }

  TEST_CASE("C source: KSNAME_Filter and the KS names drivers use are declared") {
    const auto x = cimport::extract({kCases + "ksname_filter.c"}, {});
    CHECK(x.diagnostics.empty());
    const auto& f = only_filter(x);
    CHECK(f.symbol == "Filter");
    REQUIRE(f.pins.size() == 1);
    CHECK(f.pins[0].dataflow.value == 2);
  }

  TEST_CASE("C source: automation tables are read in C and C++ alike") {
    for (const char* name : {"automation_table_dropped.c", "automation_table_bogus_pin.cpp"}) {
      CAPTURE(name);
      const auto x = cimport::extract({kCases + name}, {});
      CHECK(x.diagnostics.empty());
      const auto& f = only_filter(x);
      REQUIRE(f.pins.size() == 2);
      CHECK(f.pins[0].dataflow.value == 2);
      CHECK(f.pins[1].dataflow.value == 1);
      CHECK(f.pins[0].framing == "Fr");
      CHECK(lines_of(kCases + name).empty());
    }
  }

  TEST_CASE("C source: a table that does not compile names what clang could not resolve") {
    // C: clang drops the table; the identifier it could not find was declared by a macro.
    const auto c = cimport::extract({"tests/data/c/vendor_table.c"}, {});
    CHECK(c.filters.empty());
    CHECK(lines(c.diagnostics) ==
          std::vector<std::string>{
              "tests/data/c/vendor_table.c:8:14: warning: VendorPins does not compile (use of "
              "undeclared identifier 'PinAutomation'); it is not read; clang could not resolve "
              "VENDOR_AUTOMATION_TABLE (the macro that declares PinAutomation) [KSF0030]"});
    // C++: clang keeps a table of made-up values; no pin is invented from it either.
    const auto cpp = cimport::extract({"tests/data/c/vendor_table.cpp"}, {});
    CHECK(cpp.filters.empty());
    CHECK(lines(cpp.diagnostics) ==
          std::vector<std::string>{
              "tests/data/c/vendor_table.cpp:7:1: warning: VendorPins is not read: clang could "
              "not compile what its initializer names (line 4: unknown type name "
              "'VENDOR_AUTOMATION_TABLE') [KSF0030]"});
    CHECK(lines_of("tests/data/c/vendor_table.cpp").size() == 1);
  }

  TEST_CASE("C source: DataRanges pointing at a range, not a table, is a warning") {
    const auto x = cimport::extract({kCases + "datarange_not_table.c"}, {});
    CHECK(lines(x.diagnostics) ==
          std::vector<std::string>{
              kCases +
              "datarange_not_table.c:8:42: warning: DataRanges points at the range Range, not at "
              "a table of PKSDATARANGE: KS reads the range's first bytes as pointers to ranges; "
              "the pin's data_ranges leave it out [KSF0030]"});
  }

  TEST_CASE("C source: audio bits outside 1..64 and a rate upside down are both errors") {
    CHECK(lines_of(kCases + "bad_audio_range.c") ==
          std::vector<std::string>{
              kCases + "bad_audio_range.c:8:15: error: 'bits' is 48000..48000; an audio sample "
                       "has 1 to 64 bits (wBitsPerSample) [KSF0010]",
              kCases + "bad_audio_range.c:8:22: error: 'rate' has min 16 above max 0 [KSF0010]"});
  }

  TEST_CASE("C source: pin tables of any length are read to their last pin") {
    const auto x10 = cimport::extract({kCases + "pinsb10.c"}, {});
    REQUIRE(only_filter(x10).pins.size() == 10);
    CHECK(only_filter(x10).pins[9].instances_necessary.value == 5);
    const auto x300 = cimport::extract({kCases + "pinsb300.c"}, {});
    REQUIRE(only_filter(x300).pins.size() == 300);
    CHECK(only_filter(x300).pins[299].instances_necessary.value == 5);
    CHECK(at(only_filter(x300).pins[299].instances_necessary.at) == kCases + "pinsb300.c:303:112");
    const auto l = lines_of(kCases + "pinsb300.c");
    REQUIRE(l.size() == 1);
    CHECK(l[0] == kCases +
                      "pinsb300.c:303:112: error: instances.necessary (5) is greater than "
                      "instances.possible (1) [KSF2003]");
  }

  TEST_CASE("C source: a single KSPIN_DESCRIPTOR_EX variable is a pin with its flags") {
    const auto x = cimport::extract({"tests/data/c/single_pin.c"}, {});
    CHECK(x.diagnostics.empty());
    const auto& f = only_filter(x);
    CHECK(f.symbol == "TemplatePin");
    REQUIRE(f.pins.size() == 1);
    const auto& p = f.pins[0];
    CHECK(p.flags.value == 0x00180000u);  // DO_NOT_USE_STANDARD_TRANSPORT | FIXED_FORMAT
    CHECK(p.dataflow.value == 1);
    CHECK(p.instances_possible.value == 1);
    CHECK(p.framing == "TemplateFraming");
    CHECK(at(p.flags.at) == "tests/data/c/single_pin.c:14:5");
  }

  TEST_CASE("C source: a driver in three sources is joined across them") {
    const std::vector<std::string> files = {
        "tests/data/c/split/formats.c", "tests/data/c/split/pins.c", "tests/data/c/split/filter.c"};
    const auto x = cimport::extract(files, {});
    CHECK(x.diagnostics.empty());
    const auto& f = only_filter(x);
    CHECK(f.symbol == "StreamFilter");
    CHECK(f.source == "tests/data/c/split/filter.c");
    REQUIRE(f.pins.size() == 1);
    REQUIRE(f.pins[0].ranges.size() == 1);
    const auto& r = f.pins[0].ranges[0];
    CHECK(r.symbol == "StereoRange");
    CHECK(r.kind == cimport::DataRange::Kind::Audio);
    CHECK(r.bits_max.value == 16);
    CHECK(r.rate_max.value == 48000);
    CHECK(at(r.location) == "tests/data/c/split/formats.c:13:39");
    // lint of the three: each finding under the source that writes its value. A 64-byte frame
    // holds 0.33 ms of 48 kHz 16-bit stereo audio.
    const auto results = cimport::lint_c_files(files, {}, {});
    REQUIRE(results.size() == 3);
    CHECK(lines(results[0].diagnostics) ==
          std::vector<std::string>{"tests/data/c/split/formats.c:0:0: note: "
                                   "tests/data/c/split/formats.c declares no framing, pin or "
                                   "filter descriptor: nothing to lint [KSF0030]"});
    // The framing is pins.c's: the audio frame duration is linted under the filter's source
    // (filter.c), on the lines of pins.c and formats.c.
    CHECK(results[1].diagnostics.empty());
    REQUIRE(results[2].diagnostics.size() == 1);
    CHECK(lines(results[2].diagnostics)[0] ==
          "tests/data/c/split/pins.c:9:31: warning: simple_framing_ex: frames of 64 bytes hold "
          "0.7 ms of audio PCM 1-2 ch 16 bit 48000 Hz at its lowest byte rate (96000 bytes/s), "
          "below 1.0 ms [KSF2011]");
  }

  TEST_CASE("C source: a pin table only declared in the given sources is a warning") {
    const auto x = cimport::extract({"tests/data/c/split/filter.c"}, {});
    CHECK(lines(x.diagnostics) ==
          std::vector<std::string>{
              "tests/data/c/split/filter.c:9:37: warning: the pin table StreamPins of "
              "StreamFilter is only declared in the given sources: its pins are not read "
              "[KSF0030]"});
  }

  TEST_CASE("C source: includes resolve as on Windows, case and backslashes") {
    const auto x = cimport::extract({"tests/data/c/casefold/driver.c"}, {});
    CHECK_FALSE(x.unreadable);
    REQUIRE(x.framings.size() == 1);
    CHECK(x.framings[0].ex.FramingItem[0].Frames == 6);
    CHECK(x.framings[0].ex.FramingItem[0].FramingRange.Range.MinFrameSize == 8192);
    CHECK(x.framings[0].ex.FramingItem[0].FramingRange.Range.MaxFrameSize == 4096);
    const auto l = lines(x.diagnostics);
    REQUIRE(l.size() == 2);
    CHECK(l[0] ==
          "tests/data/c/casefold/driver.c:4:10: note: 'Framing.H' is "
          "tests/data/c/casefold/framing.h (read as Windows does: the names differ in case or "
          "use '\\') [KSF0030]");
    CHECK(l[1] ==
          "tests/data/c/casefold/driver.c:5:10: note: 'sub\\limits.h' is "
          "tests/data/c/casefold/Sub/Limits.h (read as Windows does: the names differ in case "
          "or use '\\') [KSF0030]");
    for (const auto& d : x.diagnostics) CHECK(d.environment);
  }

  TEST_CASE("C source: missing headers and folders are said once, about the machine") {
    Scratch s;
    const std::string a = s.write("a.c", "#include <vendor.h>\nint a;\n");
    const std::string b = s.write("b.c", "#include <vendor.h>\nint b;\n");
    cimport::Options o;
    o.include_dirs = {(s.dir / "no-such-dir").string()};
    const auto x = cimport::extract({a, b}, o);
    const auto l = lines(x.diagnostics);
    REQUIRE(l.size() == 2);
    CHECK(l[0] == a + ":0:0: warning: the include directory " + (s.dir / "no-such-dir").string() +
                      " (-I) does not exist [KSF0030]");
    CHECK(l[1] == a + ":1:10: note: 'vendor.h' file not found (declarations from it are unknown; "
                      "none of the declarations ksframe reads needed it) [KSF0030]");
    for (const auto& d : x.diagnostics) CHECK(d.environment);
  }

  TEST_CASE("C source: --wdk puts the kit's km folder before the stand-ins") {
    Scratch s;
    s.write("Include/10.0.1/km/ntddk.h", "#pragma once\n#define KIT_FRAMES 9\n");
    s.write("Include/10.0.1/shared/.keep", "");
    const std::string src = s.write(
        "d.c",
        "#include <ntddk.h>\n#include <ks.h>\n"
        "DECLARE_SIMPLE_FRAMING_EX(KitFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED), 0, "
        "KIT_FRAMES, 0, 4096, 4096);\n");
    cimport::Options o;
    o.wdk = (s.dir / "Include").string();
    const auto x = cimport::extract({src}, o);
    REQUIRE(x.framings.size() == 1);
    CHECK(x.framings[0].ex.FramingItem[0].Frames == 9);
    CHECK(x.diagnostics.empty());
    o.wdk = (s.dir / "nothing").string();
    const auto y = cimport::extract({src}, o);
    REQUIRE(y.diagnostics.size() >= 1);
    CHECK(y.diagnostics[0].message ==
          "--wdk " + (s.dir / "nothing").string() +
              " has no km, shared or um folder (nor a version folder holding them): the "
              "stand-in headers are used");
  }

  TEST_CASE("C source: port class descriptors and ranges reached through an array element") {
    const auto x = cimport::extract({"tests/data/c/portcls/wave.cpp"}, {});
    CHECK(x.diagnostics.empty());
    const auto& f = only_filter(x);
    CHECK(f.symbol == "WaveFilter");
    CHECK(f.port_class);
    REQUIRE(f.pins.size() == 3);
    CHECK(f.pins[0].instances_possible.value == 1);
    CHECK(f.pins[0].dataflow.value == 1);
    CHECK(f.pins[2].communication.value == 0);
    REQUIRE(f.pins[0].ranges.size() == 1);
    CHECK(f.pins[0].ranges[0].symbol == "WaveRanges[0]");
    CHECK(f.pins[0].ranges[0].bits_min.value == 4);
    CHECK(f.pins[0].ranges[0].bits_max.value == 8);
    REQUIRE(f.pins[1].ranges.size() == 1);
    CHECK(f.pins[1].ranges[0].bits_min.value == 44100);
    REQUIRE(f.routes.size() == 1);
    CHECK(f.routes[0].from == 0);
    CHECK(f.routes[0].to == 2);
  }

  TEST_CASE("C source: KSF0031 names the flags and the memory type the code writes") {
    const auto x = cimport::extract({"tests/data/c/edit_flags.c"}, {});
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].rule == "KSF0031");
    CHECK(x.diagnostics[0].message ==
          "EditCreate edits the pin's framing at run time (KsEdit, then FramingItem[0].Flags = "
          "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY, "
          "FramingItem[0].MemoryType = KSMEMORY_TYPE_KERNEL_PAGED, FramingItem[0].Frames = 6); "
          "it is EditPins pin 0 Create: ksframe reads only the declared framing and does not "
          "guess what the code computes");
  }

  TEST_CASE("C source: the stand-ins declare what drivers use") {
    // Every name of the list (the names MinGW-w64's KS headers declare that the drivers of
    // docs/c-sources.md's corpus use) is a macro or a declaration once the headers a driver
    // includes are read.
    std::ifstream in("tests/data/c/wdk_identifiers.txt");
    std::vector<std::string> wanted;
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] != '#') wanted.push_back(line);
    REQUIRE(wanted.size() > 300);
    const std::string source =
        "#include <ntddk.h>\n#include <windef.h>\n#include <mmreg.h>\n#include <ks.h>\n"
        "#include <ksmedia.h>\n#include <portcls.h>\n#include <bdatypes.h>\n"
        "#include <bdamedia.h>\n#include <bdasup.h>\n";
    const std::set<std::string> declared = cimport::declared_names(source);
    std::vector<std::string> missing;
    for (const auto& name : wanted)
      if (!declared.count(name)) missing.push_back(name);
    std::string names;
    for (const auto& m : missing) names += m + " ";
    CHECK(names == "");
  }
}

#endif
