// Reading drivers' C sources: the fixtures of tests/data/c/ extracted value by value against
// values computed by hand from the sources, and lint of C located on the C lines. The suites
// named "C source" need libclang; the Windows builds have none and skip them by name
// (CMakePresets.json), and run only the availability case.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#ifdef KSFRAME_HAVE_LIBCLANG
#include <unistd.h>
#endif

#include "cimport/extract_internal.hpp"
#include "helpers.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/format.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/rules.hpp"

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
    CHECK(x.diagnostics[0].message ==
          "this build of ksframe cannot read C sources (it was built without libclang)");
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

std::string at(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

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
    CHECK(capture.ex ==
          ks::simple_framing_ex(ks::memtype::KERNEL_NONPAGED, 0x80000002u, 4, 7, 8192, 153616));
    CHECK(at(capture.where.at("items[0].frames")) == "tests/data/c/camera.c:13:5");
    CHECK(at(capture.where.at("items[0].framing_range.max")) == "tests/data/c/camera.c:16:5");
    CHECK(at(capture.where.at("count_items")) ==
          "tests/data/c/camera.c:9:1");  // the macro's own 1: its use

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
    CHECK(capture.flags.value ==
          0x10010);  // PROCESS_IN_RUN_STATE_ONLY | DO_NOT_INITIATE_PROCESSING
    CHECK(capture.instances_possible.value == 1);
    CHECK(capture.instances_necessary.value == 0);
    CHECK(capture.framing == "CaptureFraming");
    CHECK(capture.category == "PIN_CATEGORY_CAPTURE");
    CHECK(capture.name == "PINNAME_VIDEO_CAPTURE");
    CHECK(capture.dispatch == "CapturePinDispatch");
    CHECK(capture.create == "CapturePinCreate");
    CHECK(capture.set_data_format == "CaptureSetFormat");
    CHECK_FALSE(capture.allocator_dispatch);
    CHECK(at(capture.location) == "tests/data/c/camera.c:149:5");
    CHECK(at(capture.flags.at) == "tests/data/c/camera.c:163:9");

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
    CHECK(at(preview.dataflow.at) == "tests/data/c/camera.c:175:25");

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
    CHECK(at(f.routes[0].at) == "tests/data/c/camera.c:196:7");
  }

  TEST_CASE("C source: KsEdit in DispatchCreate is a located note, not a guess") {
    const auto x = cimport::extract({kCamera}, fixture_options());
    REQUIRE(x.diagnostics.size() == 1);
    const auto& d = x.diagnostics[0];
    CHECK(d.rule == "KSF0031");
    CHECK(d.severity == Severity::Note);
    CHECK(at(d.location) == "tests/data/c/camera.c:220:14");
    CHECK(d.message ==
          "CapturePinCreate edits the pin's framing at run time (KsEdit, then "
          "FramingItem[0].Frames = 8, "
          "FramingItem[0].FramingRange.Range.MinFrameSize, "
          "FramingItem[0].FramingRange.Range.MaxFrameSize); it is "
          "CameraFilter pin 0 Create, CameraFilter pin 1 Create: ksframe reads only the declared "
          "framing and does "
          "not guess what the code computes; it sets the frame size, so lint does not compare the "
          "declared frame "
          "sizes of CameraFilter.pin0, CameraFilter.pin1 with their data ranges (KSF2009, KSF2011, "
          "KSF2012, "
          "KSF2013, KSF4008 are skipped)");
    CHECK(d.hint ==
          "if the code sets the frame size from the connection's format, write `framing_edit: "
          "{frame_size: "
          "sample_size, stepping: 0}` on the pin in the spec (docs/spec.md): lint then checks the "
          "edit, and "
          "negotiation and the load use the edited framing");
    // The pins whose Create it is are marked; the input pin (no dispatch) is not.
    const auto& pins = filter(x, "CameraFilter").pins;
    CHECK(pins[0].size_edited_by == "CapturePinCreate");
    CHECK(pins[1].size_edited_by == "CapturePinCreate");
    CHECK(pins[2].size_edited_by.empty());
    REQUIRE(d.related.size() == 3);
    CHECK(at(d.related[0].location) == "tests/data/c/camera.c:226:9");
    CHECK(at(d.related[2].location) == "tests/data/c/camera.c:228:9");
    // The framing stays as declared.
    CHECK(framing(x, "CaptureFraming").ex.FramingItem[0].Frames == 4);
  }

  TEST_CASE("C source: camera.c data ranges, value by value") {
    const auto x = cimport::extract({kCamera}, fixture_options());
    const auto& pins = filter(x, "CameraFilter").pins;
    REQUIRE(pins.size() == 3);
    const auto video =
        *ks::Guid::parse("73646976-0000-0010-8000-00aa00389b71");  // KSDATAFORMAT_TYPE_VIDEO
    const auto yuy2 = *ks::Guid::parse("32595559-0000-0010-8000-00aa00389b71");  // 'YUY2' in Data1
    const auto rgb24 =
        *ks::Guid::parse("e436eb7d-524f-11ce-9f53-0020af0ba770");  // MEDIASUBTYPE_RGB24
    const auto videoinfo =
        *ks::Guid::parse("05589f80-c356-11ce-bf01-00aa0055595a");  // SPECIFIER_VIDEOINFO

    const auto& capture = pins[0];
    CHECK(capture.data_ranges == "CaptureRanges");
    CHECK(at(capture.data_ranges_at) == "tests/data/c/camera.c:156:13");
    REQUIRE(capture.ranges.size() == 2);

    // Through a cast: (PKSDATARANGE)&CamFormatYUY2, positional.
    const auto& yuy = capture.ranges[0];
    CHECK(yuy.kind == cimport::DataRange::Kind::Video);
    CHECK(yuy.symbol == "CamFormatYUY2");
    CHECK(yuy.type == "const KS_DATARANGE_VIDEO");
    CHECK(at(yuy.location) == "tests/data/c/camera.c:115:5");
    CHECK(at(yuy.declared) == "tests/data/c/camera.c:40:26");
    CHECK(yuy.format_size.value == 296);  // sizeof(KS_DATARANGE_VIDEO) on x64
    CHECK(yuy.flags.value == 0);
    CHECK(yuy.sample_size.value == 153600);  // CAM_FRAME_BYTES = 320 * 240 * 2
    CHECK(at(yuy.sample_size.at) == "tests/data/c/camera.c:44:9");
    CHECK(yuy.major.value == video);
    CHECK(at(yuy.major.at) == "tests/data/c/camera.c:46:9");
    CHECK(yuy.subtype.value == yuy2);
    CHECK(yuy.specifier.value == videoinfo);
    CHECK(yuy.width.value == 320);
    CHECK(at(yuy.width.at) == "tests/data/c/camera.c:78:13");
    CHECK(yuy.height.value == 240);
    CHECK(yuy.bit_count.value == 16);
    CHECK(yuy.compression.value ==
          0x32595559u);  // mmioFOURCC('Y', 'U', 'Y', '2'): 'Y' in the low byte
    CHECK(at(yuy.compression.at) == "tests/data/c/camera.c:82:13");
    CHECK(yuy.size_image.value == 153600);
    CHECK(yuy.avg_time_per_frame.value == 333667);
    CHECK(at(yuy.avg_time_per_frame.at) == "tests/data/c/camera.c:75:9");

    // Through &CamFormatRGB24.DataRange, designated (also through KSDATARANGE's anonymous union).
    const auto& rgb = capture.ranges[1];
    CHECK(rgb.kind == cimport::DataRange::Kind::Video);
    CHECK(rgb.symbol == "CamFormatRGB24");
    CHECK(rgb.type == "KS_DATARANGE_VIDEO");
    CHECK(at(rgb.location) == "tests/data/c/camera.c:116:5");
    CHECK(rgb.format_size.value == 296);
    CHECK(rgb.sample_size.value == 230400);  // 320 * 240 * 3
    CHECK(at(rgb.sample_size.at) == "tests/data/c/camera.c:94:23");
    CHECK(rgb.major.value == video);
    CHECK(at(rgb.major.at) == "tests/data/c/camera.c:95:26");
    CHECK(rgb.subtype.value == rgb24);
    CHECK(rgb.specifier.value == videoinfo);
    CHECK(rgb.width.value == 320);
    CHECK(rgb.height.value == -240);  // top-down: a LONG, read signed
    CHECK(at(rgb.height.at) == "tests/data/c/camera.c:105:25");
    CHECK(rgb.bit_count.value == 24);
    CHECK(rgb.compression.value == 0);  // KS_BI_RGB
    CHECK(rgb.size_image.value == 230400);
    CHECK(rgb.avg_time_per_frame.value == 333667);

    // The preview pin lists the same table (designated); the input pin its own one-entry table.
    REQUIRE(pins[1].ranges.size() == 2);
    CHECK(pins[1].ranges[1].symbol == "CamFormatRGB24");
    REQUIRE(pins[2].ranges.size() == 1);
    CHECK(pins[2].ranges[0].symbol == "CamFormatYUY2");
    CHECK(at(pins[2].ranges[0].location) == "tests/data/c/camera.c:121:5");

    // Category and Name: the values of the GUIDs they point to (PIN_CATEGORY_* are
    // PINNAME_VIDEO_*).
    CHECK(capture.category_guid.known);
    CHECK(capture.category_guid.value.to_string() == "fb6c4281-0353-11d1-905f-0000c0cc16ba");
    CHECK(at(capture.category_guid.at) == "tests/data/c/camera.c:159:13");
    CHECK(capture.name_guid.value.to_string() == "fb6c4281-0353-11d1-905f-0000c0cc16ba");
    CHECK(pins[1].category_guid.value.to_string() == "fb6c4282-0353-11d1-905f-0000c0cc16ba");
    CHECK_FALSE(pins[1].name_guid.known);  // Name not written
    CHECK(pins[2].category == "PIN_CATEGORY_ANALOGVIDEOIN");
    CHECK(pins[2].category_guid.value.to_string() == "fb6c4283-0353-11d1-905f-0000c0cc16ba");
  }

  TEST_CASE("C source: encoder.cpp video, audio and stream ranges (C++ casts)") {
    const auto x = cimport::extract({kEncoder}, fixture_options());
    const auto& pins = filter(x, "EncoderPins").pins;
    REQUIRE(pins.size() == 3);

    // reinterpret_cast<PKSDATARANGE>(const_cast<...>(&EncoderVideoIn)); biSizeImage left 0.
    REQUIRE(pins[0].ranges.size() == 1);
    const auto& nv12 = pins[0].ranges[0];
    CHECK(nv12.kind == cimport::DataRange::Kind::Video);
    CHECK(nv12.symbol == "EncoderVideoIn");
    CHECK(at(nv12.location) == "tests/data/c/encoder.cpp:86:44");
    CHECK(nv12.subtype.value.to_string() == "3231564e-0000-0010-8000-00aa00389b71");
    CHECK(nv12.width.value == 320);
    CHECK(nv12.height.value == 240);
    CHECK(nv12.bit_count.value == 12);
    CHECK(nv12.compression.value == 0x3231564eu);  // MAKEFOURCC('N', 'V', '1', '2')
    CHECK(nv12.size_image.value == 0);
    CHECK(nv12.avg_time_per_frame.value == 667334);  // 2 * CAM_FRAME_INTERVAL

    // A plain KSDATARANGE, positional through the union (brace elision into its anonymous struct).
    REQUIRE(pins[1].ranges.size() == 1);
    const auto& ts = pins[1].ranges[0];
    CHECK(ts.kind == cimport::DataRange::Kind::Plain);
    CHECK(ts.type == "const KSDATARANGE");
    CHECK(ts.format_size.value == 64);  // sizeof(KSDATARANGE)
    CHECK(ts.sample_size.value == 188);
    CHECK(at(ts.sample_size.at) == "tests/data/c/encoder.cpp:82:29");
    CHECK(ts.major.value.to_string() ==
          "e436eb83-524f-11ce-9f53-0020af0ba770");  // KSDATAFORMAT_TYPE_STREAM
    CHECK(ts.subtype.value.to_string() ==
          "e06d8023-db46-11cf-b4d1-00805f6cbbea");  // ..._MPEG2_TRANSPORT
    CHECK(ts.specifier.value.to_string() == "0f6417d6-c318-11d0-a43f-00a0c9223196");

    // KSDATARANGE_AUDIO through a C cast.
    REQUIRE(pins[2].ranges.size() == 1);
    const auto& pcm = pins[2].ranges[0];
    CHECK(pcm.kind == cimport::DataRange::Kind::Audio);
    CHECK(pcm.format_size.value ==
          88);  // sizeof(KSDATARANGE_AUDIO): 84 rounded up to the LONGLONG alignment
    CHECK(pcm.major.value.to_string() == "73647561-0000-0010-8000-00aa00389b71");
    CHECK(pcm.subtype.value.to_string() == "00000001-0000-0010-8000-00aa00389b71");
    CHECK(pcm.specifier.value.to_string() == "05589f81-c356-11ce-bf01-00aa0055595a");
    CHECK(pcm.max_channels.value == 2);
    CHECK(at(pcm.max_channels.at) == "tests/data/c/encoder.cpp:73:5");
    CHECK(pcm.bits_min.value == 16);
    CHECK(pcm.bits_max.value == 16);
    CHECK(pcm.rate_min.value == 32000);
    CHECK(pcm.rate_max.value == 48000);
    CHECK(at(pcm.rate_max.at) == "tests/data/c/encoder.cpp:77:5");
    CHECK(pins[2].category_guid.value.to_string() ==
          "6994ad04-93ef-11d0-a3cc-00a0c9223196");  // KSCATEGORY_AUDIO

    // The spec the import writes reads them back as the loader computes them.
    const auto loaded = test::load(cimport::to_spec(x).yaml);
    REQUIRE(loaded.spec);
    CHECK_FALSE(has_errors(loaded.diagnostics));
    const auto& spec_pins = loaded.spec->filters[0].pins;
    CHECK(spec_pins[0].data_ranges.at(0).sample_bytes() ==
          115200);  // 320 * 12 bits = 480-byte rows x 240
    CHECK(spec_pins[1].data_ranges.at(0).sample_bytes() == 188);
    CHECK(spec_pins[1].data_ranges.at(0).fixed_size.value);
    CHECK(spec_pins[2].data_ranges.at(0).block_align_max == 4);     // 2 channels x 2 bytes
    CHECK(spec_pins[2].data_ranges.at(0).byte_rate_max == 192000);  // 4 x 48000
  }

  TEST_CASE("C source: the stand-in data range structures have the x64 layout") {
    // sizeof and offsetof as clang evaluates them for x86_64-pc-windows-msvc, read back as the
    // six members of legacy framings. The sizes are the WDK's on x64.
    Scratch scratch;
    const auto x = cimport::extract(
        {scratch.write("layout.c",
                       "#include <ks.h>\n#include <ksmedia.h>\n"
                       "const KSALLOCATOR_FRAMING Sizes = {{sizeof(KS_BITMAPINFOHEADER)}, "
                       "sizeof(KS_VIDEOINFOHEADER), "
                       "sizeof(KS_VIDEO_STREAM_CONFIG_CAPS), sizeof(KS_DATARANGE_VIDEO), "
                       "{sizeof(KSDATARANGE_AUDIO)}, "
                       "sizeof(KSDATARANGE)};\n"
                       "const KSALLOCATOR_FRAMING Offsets = "
                       "{{__builtin_offsetof(KS_VIDEOINFOHEADER, AvgTimePerFrame)}, "
                       "__builtin_offsetof(KS_VIDEOINFOHEADER, bmiHeader), "
                       "__builtin_offsetof(KS_DATARANGE_VIDEO, "
                       "ConfigCaps), __builtin_offsetof(KS_DATARANGE_VIDEO, VideoInfoHeader), "
                       "{__builtin_offsetof(KS_VIDEO_STREAM_CONFIG_CAPS, MinFrameInterval)}, "
                       "__builtin_offsetof(KSDATARANGE_AUDIO, MaximumChannels)};\n"
                       "const KSALLOCATOR_FRAMING Constants = {{mmioFOURCC('M', 'J', 'P', 'G')}, "
                       "KS_BI_BITFIELDS, "
                       "KSDATARANGE_ATTRIBUTES, KSDATARANGE_REQUIRED_ATTRIBUTES, "
                       "{KSDATAFORMAT_TEMPORAL_COMPRESSION}, "
                       "sizeof(REFERENCE_TIME)};\n")},
        {});
    REQUIRE(x.framings.size() == 3);
    CHECK(x.framings[0].legacy == ks::KSALLOCATOR_FRAMING{40, 88, 128, 296, 88, 64});
    CHECK(x.framings[1].legacy == ks::KSALLOCATOR_FRAMING{40, 48, 80, 208, 104, 64});
    CHECK(x.framings[2].legacy == ks::KSALLOCATOR_FRAMING{ks::fourcc("MJPG"), 3, 2, 4, 1, 8});
  }

  TEST_CASE("C source: every stand-in format GUID is the table's, through clang") {
    // The stand-in ksmedia.h is generated from ks::named_format_guids(): each name it defines is a
    // header name of the table (or another spelling of one of its values), and each value clang
    // evaluates from STATICGUIDOF(name) and from &name is the table's.
    const auto guids = cimport::stand_in_format_guids();
    REQUIRE(guids.size() >= 30);
    std::string ranges, pins;
    for (std::size_t i = 0; i < guids.size(); ++i) {
      bool in_table = false;
      for (const auto& row : ks::named_format_guids())
        in_table = in_table || row.text == guids[i].second;
      CHECK_MESSAGE(in_table, guids[i].first);
      const std::string n = std::to_string(i);
      ranges += "const KSDATARANGE R" + n + " = {sizeof(KSDATARANGE), 0, 0, 0, STATICGUIDOF(" +
                guids[i].first + ")};\nconst PKSDATARANGE T" + n + "[] = {(PKSDATARANGE)&R" + n +
                "};\n";
      pins += "{0, 0, {0, 0, 0, 0, 1, T" + n + ", KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_BOTH, &" +
              guids[i].first + "}},\n";
    }
    Scratch scratch;
    const auto x = cimport::extract(
        {scratch.write("guids.c", "#include <ks.h>\n#include <ksmedia.h>\n" + ranges +
                                      "const KSPIN_DESCRIPTOR_EX P[] = {" + pins + "};\n")},
        {});
    CHECK(x.diagnostics.empty());
    REQUIRE(x.filters.size() == 1);
    REQUIRE(x.filters[0].pins.size() == guids.size());
    for (std::size_t i = 0; i < guids.size(); ++i) {
      const auto& pin = x.filters[0].pins[i];
      REQUIRE_MESSAGE(pin.ranges.size() == 1, guids[i].first);
      CHECK_MESSAGE(pin.ranges[0].major.value.to_string() == guids[i].second, guids[i].first);
      CHECK_MESSAGE(pin.category_guid.value.to_string() == guids[i].second, guids[i].first);
    }
    // The wildcards are GUID_NULL; names the table has no value for are declared without one.
    const auto w = cimport::extract(
        {scratch.write(
            "wild.c",
            "#include <ks.h>\n#include <ksmedia.h>\n"
            "const KSDATARANGE W = {sizeof(KSDATARANGE), 0, 0, 0, "
            "STATICGUIDOF(KSDATAFORMAT_TYPE_WILDCARD), "
            "STATICGUIDOF(KSDATAFORMAT_SUBTYPE_WILDCARD)};\n"
            "const PKSDATARANGE T[] = {(PKSDATARANGE)&W};\n"
            "const KSPIN_DESCRIPTOR_EX P[] = {{0, 0, {0, 0, 0, 0, 1, T, KSPIN_DATAFLOW_OUT, "
            "KSPIN_COMMUNICATION_BOTH, &KSCATEGORY_RENDER}}};\n")},
        {});
    REQUIRE(w.filters.size() == 1);
    REQUIRE(w.filters[0].pins[0].ranges.size() == 1);
    CHECK(w.filters[0].pins[0].ranges[0].major.value == ks::Guid{});
    CHECK(w.filters[0].pins[0].category == "KSCATEGORY_RENDER");
    CHECK_FALSE(w.filters[0].pins[0].category_guid.known);
    const auto yaml = cimport::to_spec(w).yaml;
    CHECK(yaml.find("        # category: KSCATEGORY_RENDER (ksframe does not know its value)") !=
          std::string::npos);
    CHECK_FALSE(has_errors(test::load(yaml).diagnostics));
  }

  TEST_CASE("C source: avshws's placeholder framing, with and without its KsEdit") {
    // 2 frames of 8192 bytes declared for a 153600-byte YUY2 image: the pin whose DispatchCreate
    // sets the frame size is not reported (its sizes are placeholders); the same pin without the
    // edit truncates every frame (KSF2009 at the C line of the maximum).
    const std::string common =
        "#include <ks.h>\n#include <ksmedia.h>\n"
        "DECLARE_SIMPLE_FRAMING_EX(Framing, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),\n"
        "    KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY, "
        "2, 0,\n"
        "    2 * PAGE_SIZE, 2 * PAGE_SIZE);\n"
        "const KS_DATARANGE_VIDEO Yuy2 = {{sizeof(KS_DATARANGE_VIDEO), 0, 320 * 240 * 2, 0,\n"
        "    STATICGUIDOF(KSDATAFORMAT_TYPE_VIDEO), STATICGUIDOF(MEDIASUBTYPE_YUY2),\n"
        "    STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO)}, TRUE, FALSE, 0, 0, {0},\n"
        "    {{0}, {0}, 0, 0, 333667, {sizeof(KS_BITMAPINFOHEADER), 320, 240, 1, 16, FCC('YUY2'), "
        "320 * 240 * 2}}};\n"
        "const PKSDATARANGE Formats[] = {(PKSDATARANGE)&Yuy2};\n"
        "NTSTATUS Create(PKSPIN Pin, PIRP Irp);\n";
    const std::string pin_table =
        "const KSPIN_DESCRIPTOR_EX Pins[] = {{&Dispatch, NULL, {0, NULL, 0, NULL, "
        "SIZEOF_ARRAY(Formats), Formats,\n"
        "    KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_BOTH, &PINNAME_VIDEO_CAPTURE, "
        "&PINNAME_VIDEO_CAPTURE},\n"
        "    0, 1, 0, &Framing, NULL}};\n";
    const std::string create =
        "NTSTATUS Create(PKSPIN Pin, PIRP Irp) {\n"
        "    PKSALLOCATOR_FRAMING_EX Framing;\n"
        "    NTSTATUS Status = KsEdit(Pin, &Pin->Descriptor, 'TSET');\n"
        "    if (NT_SUCCESS(Status)) Status = KsEdit(Pin, "
        "&((PKSPIN_DESCRIPTOR_EX)Pin->Descriptor)->AllocatorFraming, 'TSET');\n"
        "    if (!NT_SUCCESS(Status)) return Status;\n"
        "    Framing = (PKSALLOCATOR_FRAMING_EX)Pin->Descriptor->AllocatorFraming;\n"
        "    Framing->FramingItem[0].FramingRange.Range.MinFrameSize = "
        "Pin->ConnectionFormat->SampleSize;\n"
        "    Framing->FramingItem[0].FramingRange.Range.MaxFrameSize = "
        "Pin->ConnectionFormat->SampleSize;\n"
        "    Framing->FramingItem[0].FramingRange.Range.Stepping = 0;\n"
        "    return Status;\n"
        "}\n";
    Scratch scratch;
    const auto edited = cimport::lint_c_file(
        scratch.write("edited.c",
                      common + "const KSPIN_DISPATCH Dispatch = {Create};\n" + pin_table + create),
        {}, {});
    CHECK(test::with_rule(edited.diagnostics, "KSF2009").empty());
    REQUIRE(test::with_rule(edited.diagnostics, "KSF0031").size() == 1);
    CHECK(test::with_rule(edited.diagnostics, "KSF0031")[0].location.line ==
          18);  // the first KsEdit
    CHECK(lint_exit_code({edited}) == 0);

    const auto plain = cimport::lint_c_file(
        scratch.write("plain.c",
                      common + "const KSPIN_DISPATCH Dispatch = {NULL};\n" + pin_table + create),
        {}, {});
    REQUIRE(test::with_rule(plain.diagnostics, "KSF2009").size() == 1);
    const auto d = test::with_rule(plain.diagnostics, "KSF2009")[0];
    CHECK(d.message ==
          "simple_framing_ex allows frames of at most 8192 bytes, but one sample of video YUY2 "
          "320x240 "
          "16-bit is 153600 bytes: every frame of that format is truncated");
    CHECK(at(d.location).ends_with("plain.c:5:20"));  // the MaxFrameSize argument
    REQUIRE(d.related.size() == 1);
    CHECK(at(d.related[0].location).ends_with("plain.c:10:33"));  // the entry of Formats
    CHECK(lint_exit_code({plain}) == 1);
    // The function still edits framing, but it is no pin's Create: a note, nothing skipped.
    REQUIRE(test::with_rule(plain.diagnostics, "KSF0031").size() == 1);
    CHECK(test::with_rule(plain.diagnostics, "KSF0031")[0].message.find("skipped") ==
          std::string::npos);
  }

  TEST_CASE("C source: a data range entry ksframe cannot read is a located warning") {
    Scratch scratch;
    const auto x = cimport::extract(
        {scratch.write(
            "ranges.c",
            "#include <ks.h>\n#include <ksmedia.h>\n"
            "extern const KS_DATARANGE_VIDEO Elsewhere;\n"
            "const ULONG NotARange = 1;\n"
            "const KSDATARANGE_AUDIO Audio = {{sizeof(KSDATARANGE_AUDIO)}, 2, 8, 16, 8000, "
            "48000};\n"
            "const PKSDATARANGE T[] = {(PKSDATARANGE)&Elsewhere, (PKSDATARANGE)&NotARange,\n"
            "    (PKSDATARANGE)&Audio, NULL};\n"
            "const KSPIN_DESCRIPTOR_EX P[] = {{0, 0, {0, 0, 0, 0, 4, T, KSPIN_DATAFLOW_OUT}},\n"
            "                                 {0, 0, {0, 0, 0, 0, 4, T, KSPIN_DATAFLOW_OUT}},\n"
            "                                 {0, 0, {.DataRanges = T}}};\n")},
        {});
    REQUIRE(x.filters.size() == 1);
    REQUIRE(x.filters[0].pins.size() == 3);
    // DataRangesCount left out is 0, as in C: KS sees no ranges, and neither does ksframe.
    CHECK(x.filters[0].pins[2].data_ranges == "T");
    CHECK(x.filters[0].pins[2].ranges.empty());
    REQUIRE(x.filters[0].pins[0].ranges.size() == 1);  // the audio range; the others are left out
    CHECK(x.filters[0].pins[0].ranges[0].symbol == "Audio");
    CHECK(x.filters[0].pins[0].ranges[0].bits_min.value == 8);
    // One warning per entry, though two pins list the table.
    CHECK(test::summary(x.diagnostics) ==
          "6:27: KSF0030: T[0] is not read (Elsewhere has no definition in this source): the pin's "
          "data_ranges "
          "leave it out\n"
          "6:53: KSF0030: T[1] is not read (its type const ULONG is not a data range): the pin's "
          "data_ranges leave "
          "it out\n"
          "7:27: KSF0030: T[3] is not read (it names no variable): the pin's data_ranges leave it "
          "out\n");
    for (const auto& d : x.diagnostics) CHECK(d.severity == Severity::Warning);
  }

  TEST_CASE("C source: -D selects the #ifdef alternatives") {
    const auto x =
        cimport::extract({kCamera}, fixture_options({"CAM_LOW_LATENCY", "CAM_OWN_ALLOCATOR=1"}));
    CHECK(framing(x, "CaptureFraming").ex.FramingItem[0].Frames == 2);
    CHECK(filter(x, "CameraFilter").pins[0].allocator_dispatch);
    const auto hd = cimport::extract({kEncoder}, fixture_options({"ENCODER_HD"}));
    CHECK(framing(hd, "EncoderInputFraming").ex.FramingItem[0].FramingRange.Range ==
          ks::KS_FRAMING_RANGE{4147200, 4147200, 1});  // 1920 * 1080 * 2
  }

  TEST_CASE(
      "C source: encoder.cpp (C++): multi-item struct, legacy framing, broken code elsewhere") {
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
    CHECK(out.ex.FramingItem[0].FramingRange.Range ==
          ks::KS_FRAMING_RANGE{1316, 5264, 1316});  // 188 x 7
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
    CHECK(at(legacy.where.at("frame_size")) == "tests/data/c/encoder.cpp:53:5");

    // A pin table no filter lists: linted in a filter named after it.
    REQUIRE(x.filters.size() == 1);
    const auto& pins = filter(x, "EncoderPins").pins;
    REQUIRE(pins.size() == 3);
    CHECK(pins[0].dataflow.value == 1);
    CHECK(pins[0].flags.value == 1);
    CHECK(pins[0].instances_necessary.value == 1);
    CHECK(pins[0].framing == "EncoderInputFraming");
    CHECK(pins[1].dataflow.value == 2);
    CHECK(pins[1].instances_possible.value == 0xFFFFFFFFu);  // KSINSTANCE_INDETERMINATE
    CHECK(pins[1].framing == "EncoderOutputFraming");        // through reinterpret_cast

    // The legacy handler is a note; the function that does not compile says nothing.
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].rule == "KSF0031");
    CHECK(at(x.diagnostics[0].location) == "tests/data/c/encoder.cpp:109:1");
    CHECK(x.diagnostics[0].message ==
          "GetAllocatorFraming answers legacy framing from code (RequirementsFlags = "
          "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, PoolType = "
          "0, Frames = 6, "
          "FrameSize = 1316, FileAlignment = 3): ksframe reads only the declared framing and does "
          "not guess what "
          "the code computes");
  }

  TEST_CASE("C source: lint findings are on the C lines") {
    LintOptions lint;
    const auto camera = cimport::lint_c_file(kCamera, fixture_options(), lint);
    // The input pin's 4096-byte frames cannot hold its 153600-byte YUY2 image: KSF2009 at the C
    // line of the framing's maximum, the range at its entry in CrossbarRanges. The capture and
    // preview pins' RGB24 range (230400 bytes) is larger than their declared 153616 too, but
    // CapturePinCreate sets their frame size: no KSF2009 for them.
    CHECK(test::summary(camera.diagnostics) ==
          "34:17: KSF1003: framing_ex.items[0].framing_range has min 16384 above max 4096\n"
          "34:32: KSF2009: framing_ex.items[0] allows frames of at most 4096 bytes, but one sample "
          "of video YUY2 "
          "320x240 16-bit is 153600 bytes: every frame of that format is truncated\n"
          "220:14: KSF0031: CapturePinCreate edits the pin's framing at run time (KsEdit, then "
          "FramingItem[0].Frames "
          "= 8, FramingItem[0].FramingRange.Range.MinFrameSize, "
          "FramingItem[0].FramingRange.Range.MaxFrameSize); it "
          "is CameraFilter pin 0 Create, CameraFilter pin 1 Create: ksframe reads only the "
          "declared framing and does "
          "not guess what the code computes; it sets the frame size, so lint does not compare the "
          "declared frame "
          "sizes of CameraFilter.pin0, CameraFilter.pin1 with their data ranges (KSF2009, KSF2011, "
          "KSF2012, KSF2013, KSF4008 "
          "are skipped)\n");
    REQUIRE(test::with_rule(camera.diagnostics, "KSF2009").size() == 1);
    const auto truncated = test::with_rule(camera.diagnostics, "KSF2009")[0];
    REQUIRE(truncated.related.size() == 1);
    CHECK(at(truncated.related[0].location) == "tests/data/c/camera.c:121:5");
    CHECK(truncated.related[0].message == "video YUY2 320x240 16-bit");
    for (const auto& d : camera.diagnostics) CHECK(d.location.file == "tests/data/c/camera.c");
    CHECK(lint_exit_code({camera}) == 1);

    const auto encoder = cimport::lint_c_file(kEncoder, fixture_options(), lint);
    REQUIRE(test::with_rule(encoder.diagnostics, "KSF1017").size() == 1);
    CHECK(at(test::with_rule(encoder.diagnostics, "KSF1017")[0].location) ==
          "tests/data/c/encoder.cpp:28:10");
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
    CHECK(rules(imported) ==
          "KSF1003: framing_ex.items[0].framing_range has min 16384 above max 4096\n"
          "KSF2009: framing_ex.items[0] allows frames of at most 4096 bytes, but one sample of "
          "video YUY2 320x240 "
          "16-bit is 153600 bytes: every frame of that format is truncated\n");
    // And reads the same formats and GUIDs, pin by pin (a connection of the import negotiates on
    // them).
    const auto imported_spec = test::load(cimport::to_spec(x).yaml);
    std::ifstream twin_file("tests/data/c/camera.twin.yaml");
    const std::string twin_text((std::istreambuf_iterator<char>(twin_file)),
                                std::istreambuf_iterator<char>());
    const auto twin_spec = test::load(twin_text);
    REQUIRE(imported_spec.spec);
    REQUIRE(twin_spec.spec);
    // The filter, then the implied consumers of its unconnected output pins, the same in both.
    REQUIRE(imported_spec.spec->filters.size() == twin_spec.spec->filters.size());
    REQUIRE(twin_spec.spec->filters.size() >= 2);
    CHECK_FALSE(imported_spec.spec->filters[0].implied());
    for (std::size_t f = 1; f < twin_spec.spec->filters.size(); ++f) {
      CHECK(imported_spec.spec->filters[f].implied());
      CHECK(imported_spec.spec->filters[f].name.value == twin_spec.spec->filters[f].name.value);
    }
    const auto& imported_pins = imported_spec.spec->filters[0].pins;
    const auto& twin_pins = twin_spec.spec->filters[0].pins;
    REQUIRE(imported_pins.size() == twin_pins.size());
    for (std::size_t i = 0; i < twin_pins.size(); ++i) {
      const PinSpec& a = imported_pins[i];
      const PinSpec& b = twin_pins[i];
      CHECK(a.category.value == b.category.value);
      CHECK(a.pin_name.value == b.pin_name.value);
      REQUIRE(a.data_ranges.size() == b.data_ranges.size());
      for (std::size_t r = 0; r < a.data_ranges.size(); ++r) {
        CHECK(a.data_ranges[r].describe() == b.data_ranges[r].describe());
        CHECK(a.data_ranges[r].sample_bytes() == b.data_ranges[r].sample_bytes());
        CHECK(a.data_ranges[r].avg_time_per_frame.value ==
              b.data_ranges[r].avg_time_per_frame.value);
      }
    }
  }

  TEST_CASE("C source: a compilation database gives -I and -D") {
    Scratch scratch;
    const std::string source = fs::absolute(kCamera).string();
    const std::string include = fs::absolute("tests/data/c").string();
    scratch.write("compile_commands.json", "[{\"directory\": \"" + scratch.dir.string() +
                                               "\", \"file\": \"" + source +
                                               "\", \"command\": \"cl.exe /nologo /I" + include +
                                               " /DCAM_LOW_LATENCY /c " + source + "\"}]");
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
    const auto header =
        scratch.write("header.c",
                      "#include <ks.h>\n#include \"vendor.h\"\n"
                      "DECLARE_SIMPLE_FRAMING_EX(F, STATICGUIDOF(GUID_NULL), 0, 1, 0, 1, 2);\n");
    const auto h = cimport::extract({header}, {});
    CHECK_FALSE(h.unreadable);
    REQUIRE(h.diagnostics.size() == 1);
    // The framing compiled without it: a note about the machine, not a warning.
    CHECK(h.diagnostics[0].severity == Severity::Note);
    CHECK(h.diagnostics[0].environment);
    CHECK(h.diagnostics[0].location.line == 2);
    CHECK(h.framings.size() == 1);  // keeps going past the missing header

    // Deep nesting, a designator past the walker's bound, a self-referencing table, garbage:
    // no crash, no hang.
    std::string deep =
        "#include <ks.h>\nconst KSALLOCATOR_FRAMING_EX D = " + std::string(300, '{') + "1" +
        std::string(300, '}') + ";\n";
    const auto d = cimport::extract({scratch.write("deep.c", deep)}, {});
    CHECK_FALSE(d.unreadable);
    const auto hostile =
        cimport::extract({scratch.write("hostile.c",
                                        "#include <ks.h>\n"
                                        "const KSPIN_DESCRIPTOR_EX T[] = { [5000] = { 0 } };\n"
                                        "extern const KSFILTER_DESCRIPTOR F;\n"
                                        "const KSPIN_DESCRIPTOR_EX P[] = { { 0, 0, {0}, 0, 1, 0, "
                                        "(const KSALLOCATOR_FRAMING_EX*)&P } };\n"
                                        "const KSFILTER_DESCRIPTOR F = { 0, 0, 0, 0, 0, 1, "
                                        "sizeof(P[0]), P, 0, 0, 0, 0, 0, 0, 0, 0 };\n"
                                        "@@@ }}} ((( \"\n")},
                         {});
    CHECK_FALSE(hostile.unreadable);
    // A declaration ksframe would read that does not compile is a warning there; the rest is
    // still read.
    const auto typo =
        cimport::extract({scratch.write("typo.c",
                                        "#include <ks.h>\n"
                                        "DECLARE_SIMPLE_FRAMING_EX(F, STATICGUIDOF(GUID_NULL), "
                                        "KSALLOCATOR_FLAG_TYPO, 2, 0, 1, 2);\n"
                                        "void f(void) { g(; }\n")},
                         {});
    REQUIRE(typo.diagnostics.size() == 1);
    CHECK(typo.diagnostics[0].severity == Severity::Warning);
    CHECK(typo.diagnostics[0].location.line == 2);
    CHECK(typo.diagnostics[0].location.column == 55);
    CHECK(typo.diagnostics[0].message ==
          "F does not compile (use of undeclared identifier 'KSALLOCATOR_FLAG_TYPO'); it is not "
          "read");
    const auto typo2 =
        cimport::extract({scratch.write("typo2.c",
                                        "#include <ks.h>\nconst KSALLOCATOR_FRAMING L = { 1, "
                                        "NonPagedPool, 2, TYPO, 0, 0 };\n")},
                         {});
    REQUIRE(typo2.diagnostics.size() == 1);
    CHECK(test::summary(typo2.diagnostics) ==
          "2:53: KSF0030: L does not compile (use of undeclared identifier 'TYPO'); it is not "
          "read\n");

    const auto binary =
        cimport::extract({scratch.write("binary.c", std::string("\0\xff\xfe\x01", 4))}, {});
    CHECK(binary.framings.empty());

    cimport::Options small;
    small.max_file_bytes = 16;
    const auto big = cimport::extract({kCamera}, small);
    CHECK(big.unreadable);
  }

  TEST_CASE(
      "C source: the parse runs in a child: memory, time and crashes end it with a located error") {
    Scratch scratch;
    // 2^39 copies of "1+" from 40 macros of a few bytes: clang allocates until the child's limit.
    std::string memory = "#include <ks.h>\n#define A0 1+\n";
    for (int i = 1; i < 40; ++i)
      memory += "#define A" + std::to_string(i) + " A" + std::to_string(i - 1) + " A" +
                std::to_string(i - 1) + "\n";
    memory += "const KSALLOCATOR_FRAMING F = {0, 0, A39 1};\n";
    cimport::Options small;
    small.memory_limit_bytes = 256u << 20;
    const auto oom = cimport::extract({scratch.write("memory.c", memory)}, small);
    CHECK(oom.unreadable);
    REQUIRE(oom.diagnostics.size() == 1);
    CHECK(oom.diagnostics[0].rule == "KSF0030");
    CHECK(oom.diagnostics[0].severity == Severity::Error);
    const std::string out_of_memory = "clang ran out of memory parsing " +
                                      (scratch.dir / "memory.c").string() +
                                      " (the limit is 256 MiB of address space)";
#if defined(__SANITIZE_ADDRESS__)
    // Under AddressSanitizer the child's allocator reports the failed allocation itself, and
    // that report needs memory too: now and then it hangs there (seen once in make test, with
    // "failed to allocate ... InternalMmapVector"), and the parent's time limit ends the child.
    // Either way this process is not stopped; a build without the sanitizer names the limit.
    CHECK((oom.diagnostics[0].message == out_of_memory ||
           oom.diagnostics[0].message == "parsing " + (scratch.dir / "memory.c").string() +
                                             " took longer than 60 s; giving up"));
#else
    CHECK(oom.diagnostics[0].message == out_of_memory);
#endif
    CHECK(oom.diagnostics[0].location.file == (scratch.dir / "memory.c").string());
    // The same expansion in #if is evaluated token by token: no memory, only time.
    std::string time = "#include <ks.h>\n#define A0 1+\n";
    for (int i = 1; i < 60; ++i)
      time += "#define A" + std::to_string(i) + " A" + std::to_string(i - 1) + " A" +
              std::to_string(i - 1) + "\n";
    time +=
        "#if A59 1\n#endif\nDECLARE_SIMPLE_FRAMING_EX(F, STATICGUIDOF(GUID_NULL), 0, 1, 0, 1, "
        "2);\n";
    cimport::Options quick;
    quick.timeout_seconds = 2;
    const auto slow = cimport::extract({scratch.write("time.c", time)}, quick);
    CHECK(slow.unreadable);
    REQUIRE(slow.diagnostics.size() == 1);
    CHECK(slow.diagnostics[0].message ==
          "parsing " + (scratch.dir / "time.c").string() + " took longer than 2 s; giving up");
    // Neither stopped this process: it goes on to the next checks. (No wall-clock bound here:
    // each message above names the limit that ended its child.)
    // lint of such a source: the error, exit code 2.
    const auto linted = cimport::lint_c_file((scratch.dir / "memory.c").string(), small, {});
    CHECK(linted.unreadable);
    CHECK(lint_exit_code({linted}) == 2);
    // And the child's result is the extraction made in this process, field by field.
    cimport::Options here = fixture_options();
    here.isolate = false;
    for (const char* source : {kCamera, kEncoder}) {
      const auto a = cimport::extract({source}, fixture_options());
      const auto b = cimport::extract({source}, here);
      CHECK(cimport::to_json(a) == cimport::to_json(b));
      CHECK(cimport::to_spec(a).yaml == cimport::to_spec(b).yaml);
      CHECK(test::summary(a.diagnostics) == test::summary(b.diagnostics));
    }
  }

#if defined(KSFRAME_HAVE_LIBCLANG) && defined(KSFRAME_CIMPORT_ISOLATE)
  // What clang might do to the child, done on purpose: the parent's handling of each way the
  // child can end. (No C input crashes clang reliably, so the child's work is swapped.)
  TEST_CASE("C source: a child that crashes or ends without a result is a located error") {
    const std::vector<std::string> files{"driver.c"};
    // abort: a signal sanitizers do not intercept, so this holds in the ASan build too. The
    // child inherits doctest's handler, which would report a crash of this test case: clang's
    // child has no such handler.
    const auto crashed = cimport::extract_isolated(
        files, {},
        [](const std::vector<std::string>&, const cimport::Options&) -> cimport::Extraction {
          std::signal(SIGABRT, SIG_DFL);
          std::abort();
        });
    CHECK(crashed.unreadable);
    REQUIRE(crashed.diagnostics.size() == 1);
    CHECK(crashed.diagnostics[0].rule == "KSF0030");
    CHECK(crashed.diagnostics[0].message ==
          std::string("clang crashed parsing driver.c (signal 6, ") + ::strsignal(SIGABRT) + ")");
    CHECK(crashed.diagnostics[0].location == Location{"driver.c", 0, 0});
    CHECK(crashed.diagnostics[0].hint == "the source is not read; see docs/c-sources.md (Limits)");
    const auto exited = cimport::extract_isolated(
        files, {},
        [](const std::vector<std::string>&, const cimport::Options&) -> cimport::Extraction {
          std::_Exit(9);
        });
    CHECK(exited.unreadable);
    REQUIRE(exited.diagnostics.size() == 1);
    CHECK(exited.diagnostics[0].message ==
          "the parse of driver.c ended without a result (exit status 9)");
    const auto out_of_memory = cimport::extract_isolated(
        files, {},
        [](const std::vector<std::string>&, const cimport::Options&) -> cimport::Extraction {
          throw std::bad_alloc();
        });
    REQUIRE(out_of_memory.diagnostics.size() == 1);
    CHECK(out_of_memory.diagnostics[0].message ==
          "clang ran out of memory parsing driver.c (the limit is 4096 MiB of address space)");
    // A child that does its work sends back exactly what it made.
    const auto fine = cimport::extract_isolated(
        files, {}, [](const std::vector<std::string>&, const cimport::Options&) {
          cimport::Extraction x;
          x.diagnostics.push_back(make_diagnostic("KSF0031", "sets Frames", {"driver.c", 7, 3}));
          return x;
        });
    CHECK_FALSE(fine.unreadable);
    REQUIRE(fine.diagnostics.size() == 1);
    CHECK(fine.diagnostics[0].message == "sets Frames");
    CHECK(fine.diagnostics[0].location == Location{"driver.c", 7, 3});
    CHECK(fine.files == files);
  }
#endif

  TEST_CASE("C source: the fuzz corpus replays") {
    // tests/data/fuzz-corpus/cimport: every input fuzz_cimport ever crashed or hung on.
    std::size_t replayed = 0;
    for (const auto& e :
         fs::directory_iterator(test::source_dir() + "/tests/data/fuzz-corpus/cimport")) {
      const auto x = cimport::extract({e.path().string()}, {});
      (void)cimport::to_spec(x);
      (void)cimport::to_json(x);
      ++replayed;
    }
    CHECK(replayed >= 2);
    // The header name of this one is not UTF-8 (a byte 0xd0): the message shows it escaped, and the
    // JSON (which once threw on it) is written.
    const auto x =
        cimport::extract({"tests/data/fuzz-corpus/cimport/missing-header-name-not-utf8.cpp"}, {});
    REQUIRE_FALSE(x.diagnostics.empty());
    CHECK(x.diagnostics[0].message ==
          "'ntdd\\xd0.h' file not found (declarations from it are unknown)");
    CHECK(cimport::to_json(x).find("ntdd\\\\xd0.h") != std::string::npos);
  }

  TEST_CASE("C source: JSON and YAML outputs") {
    const auto x = cimport::extract({kEncoder}, fixture_options());
    const std::string json = cimport::to_json(x);
    CHECK(json.starts_with("{\n  \"ksframe_import\": 1,"));
    const auto spec = cimport::to_spec(x);
    CHECK(spec.line_origin.size() ==
          static_cast<std::size_t>(std::count(spec.yaml.begin(), spec.yaml.end(), '\n')));
    const auto loaded = test::load(spec.yaml);
    CHECK_FALSE(has_errors(loaded.diagnostics));
    // Deterministic: the same input gives the same bytes.
    CHECK(cimport::to_json(cimport::extract({kEncoder}, fixture_options())) == json);
  }
}

#endif
