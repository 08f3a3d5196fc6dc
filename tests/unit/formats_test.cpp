// Data ranges, connection formats and the rules that compare framing with formats: the
// loader's derived numbers against hand-computed values, the data intersection, and each rule's
// exact message and location.
#include <filesystem>

#include "helpers.hpp"
#include "ksframe/format.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"

using namespace ksframe;

namespace {
std::string ranged(const std::string& framing, const std::string& ranges,
                   const std::string& extra = "") {
  return test::one_pin(extra + framing + "        data_ranges:\n" + ranges);
}
}  // namespace

TEST_SUITE("formats") {
  TEST_CASE("format GUID table: names, aliases, wildcard, FOURCC subtypes") {
    using ks::FormatGuidKind;
    CHECK(ks::format_guid_by_name("YUY2", FormatGuidKind::Subtype)->to_string() ==
          "32595559-0000-0010-8000-00aa00389b71");
    CHECK(ks::format_guid_by_name("MEDIASUBTYPE_YUY2", FormatGuidKind::Subtype) ==
          ks::format_guid_by_name("YUY2", FormatGuidKind::Subtype));
    CHECK(ks::format_guid_name(*ks::format_guid_by_name("YUY2", FormatGuidKind::Subtype),
                               FormatGuidKind::Subtype) == "MEDIASUBTYPE_YUY2");
    CHECK(ks::format_guid_by_name("KSDATAFORMAT_SUBTYPE_WILDCARD", FormatGuidKind::Subtype)
              ->is_null());
    CHECK_FALSE(ks::format_guid_by_name("YUY2", FormatGuidKind::Major));  // kinds do not mix
    // A FOURCC subtype is the FOURCC in Data1 of the base GUID.
    for (const auto& row : ks::named_format_guids())
      if (row.compression != ks::kUnbounded && row.compression > ks::kBiBitfields)
        CHECK_MESSAGE(ks::Guid::parse(row.text)->data1 == row.compression, row.name);
    CHECK(ks::fourcc("YUY2") == 0x32595559u);
    CHECK(ks::compression_name(0x32595559u) == "YUY2");
    CHECK(ks::compression_name(0) == "BI_RGB");
    CHECK(ks::compression_name(0x01020304u) == "0x01020304");
  }

  TEST_CASE("image size: DWORD-aligned rows times |height|, in 64 bits") {
    CHECK(ks::image_stride(320, 16) == 640);
    CHECK(*ks::image_size(320, 240, 16) == 153600);
    CHECK(ks::image_stride(321, 24) == 964);  // 963 bytes rounded up to a DWORD
    CHECK(*ks::image_size(321, -240, 24) == 231360);
    CHECK(*ks::image_size(320, 240, 12) == 115200);  // NV12
    // 2^31 - 1 square at 32 bits: (2^33 - 4) x (2^31 - 1) = 2^64 - 2^34 + 4 still fits 64 bits.
    CHECK(*ks::image_size(0x7FFFFFFF, 0x7FFFFFFF, 32) == 18446744056529682436ull);
    CHECK_FALSE(ks::image_size(0xFFFFFFFF, -2147483648LL, 65535));  // would wrap: refused
    CHECK(ks::block_align(2, 16) == 4);
    CHECK(ks::block_align(2, 20) == 6);  // 20-bit samples in 3-byte containers
    CHECK(ks::byte_rate(2, 16, 44100) == 176400);
  }

  TEST_CASE("the loader derives image size, block align and byte rate") {
    auto r =
        test::load(ranged("",
                          "          - {kind: video, subtype: RGB24, width: 321, height: -240}\n"
                          "          - {kind: audio, max_channels: 2, bits: {min: 8, max: 16}, "
                          "rate: {min: 8000, max: 44100}}\n"
                          "          - {kind: plain, major: KSDATAFORMAT_TYPE_STREAM, subtype: "
                          "MPEG2_TRANSPORT, sample_size: 188, fixed_size: true}\n"));
    REQUIRE(r.spec);
    CHECK(test::summary(r.diagnostics) == "");
    const auto& ranges = r.spec->filters[0].pins[0].data_ranges;
    REQUIRE(ranges.size() == 3);
    CHECK(ranges[0].bit_count.value == 24);  // from the subtype
    CHECK(ranges[0].compression.value == ks::kBiRgb);
    CHECK(ranges[0].derived_stride == 964);
    CHECK(ranges[0].derived_image_size == 231360);
    CHECK(ranges[0].sample_bytes() == 231360);
    CHECK(ranges[0].specifier.value == ks::format::SPECIFIER_VIDEOINFO);
    CHECK(ranges[1].block_align_min == 1);  // 1 channel of 8 bits
    CHECK(ranges[1].block_align_max == 4);  // 2 channels of 16 bits
    CHECK(ranges[1].byte_rate_min == 8000);
    CHECK(ranges[1].byte_rate_max == 176400);
    CHECK(ranges[1].describe() == "audio PCM 1-2 ch 8-16 bit 8000-44100 Hz");
    CHECK(ranges[2].sample_bytes() == 188);
    CHECK(ranges[2].specifier.value == ks::format::SPECIFIER_NONE);
    CHECK(ranges[0].describe() == "video RGB24 321x-240 24-bit");
  }

  TEST_CASE("loader errors in data ranges are located, with did-you-mean") {
    struct Case {
      std::string ranges;
      const char* expected;
    };
    const Case cases[] = {
        {"          - {kind: video, subtype: YUV2, width: 320, height: 240}\n",
         "8:36: KSF0011: unknown subtype 'YUV2': not a known name and not GUID text\n"},
        {"          - {kind: vidoe, subtype: YUY2}\n",
         "8:20: KSF0011: 'kind' must be one of video, audio, plain, not 'vidoe'\n"},
        {"          - {kind: video, subtype: YUY2, width: 320, height: 0}\n",
         "8:62: KSF0010: 'height' must be a nonzero LONG (-2147483648 to 2147483647): 0\n"},
        {"          - {kind: video, subtype: RGB32, width: 2147483647, height: 2147483647}\n",
         "8:50: KSF0010: the image of 2147483647 x 2147483647 pixels at 32 bits is larger than "
         "biSizeImage can hold (4294967295 bytes)\n"},
        {"          - {kind: video, subtype: 00000000-0000-0000-0000-000000000001, width: 2, "
         "height: 2}\n",
         "8:13: KSF0013: the subtype 00000000-0000-0000-0000-000000000001 does not say its "
         "biCompression: give 'compression'\n"},
        {"          - {kind: audio, max_channels: 70000, bits: 16, rate: 48000}\n",
         "8:41: KSF0010: 'max_channels' is 70000; a format has 1 to 65535 channels (nChannels is a "
         "WORD)\n"},
        {"          - {kind: audio, max_channels: 2, bits: {min: 24, max: 16}, rate: 48000}\n",
         "8:56: KSF0010: 'bits' has min 24 above max 16\n"},
        {"          - {kind: audio, max_channels: 2, bits: 16, rate: 48000, width: 3}\n",
         "8:67: KSF0008: unknown key 'width' in 'f.p.data_ranges[0]'\n"},
        {"          - {kind: plain, subtype: PCM}\n",
         "8:13: KSF0013: missing required key 'major' in 'f.p.data_ranges[0]'\n"},
    };
    for (const auto& c : cases) {
      auto r = test::load(ranged("", c.ranges));
      CHECK_MESSAGE(test::summary(r.diagnostics) == c.expected, c.ranges);
    }
    auto r = test::load(test::one_pin("        category: PINNAME_VIDEO_CAPTUR\n"));
    REQUIRE(r.diagnostics.size() >= 1);
    CHECK(r.diagnostics[0].message ==
          "unknown pin category 'PINNAME_VIDEO_CAPTUR': not a known name and not GUID text");
    CHECK(r.diagnostics[0].hint == "did you mean 'PINNAME_VIDEO_CAPTURE'?");
  }

  TEST_CASE("connections: the first common format, a picked one, none") {
    const std::string base =
        "ksframe: 1\nfilters:\n"
        "  - name: src\n    pins:\n      - name: out\n        dataflow: out\n        data_ranges:\n"
        "          - {kind: video, subtype: NV12, width: 320, height: 240}\n"
        "          - {kind: audio, max_channels: 6, bits: {min: 16, max: 24}, rate: {min: 8000, "
        "max: 96000}}\n"
        "  - name: dst\n    pins:\n      - name: in\n        dataflow: in\n        data_ranges:\n"
        "          - {kind: plain, major: KSDATAFORMAT_TYPE_AUDIO, subtype: GUID_NULL, specifier: "
        "GUID_NULL}\n"
        "          - {kind: audio, max_channels: 2, bits: {min: 8, max: 16}, rate: {min: 8000, "
        "max: 48000}}\n";
    auto r = test::load(base + "connections: [{from: src.out, to: dst.in}]\n");
    REQUIRE(r.spec);
    CHECK(test::summary(r.diagnostics) == "");
    // NV12 is not audio; the audio range meets the wildcard plain range first.
    const FormatSpec& f = r.spec->connections[0].format;
    CHECK(f.from_range == 1);
    CHECK(f.to_range == 0);
    CHECK_FALSE(f.explicit_choice);

    r = test::load(
        base +
        "  - name: rec\n    pins:\n      - name: in\n        dataflow: in\n        data_ranges:\n"
        "          - {kind: audio, max_channels: 2, bits: {min: 8, max: 16}, rate: {min: 8000, "
        "max: 48000}}\n"
        "connections: [{from: src.out, to: rec.in, format: 1}]\n");
    REQUIRE(r.spec);
    CHECK(test::summary(r.diagnostics) == "");
    const FormatSpec& g = r.spec->connections[0].format;
    CHECK(g.from_range == 1);
    CHECK(g.explicit_choice);
    CHECK(g.channels == 2);  // the most both allow
    CHECK(g.bits == 16);
    CHECK(g.rate == 48000);
    CHECK(g.block_align() == 4);
    CHECK(g.byte_rate() == 192000);

    r = test::load(
        base +
        "  - name: rec\n    pins:\n      - name: in\n        dataflow: in\n        data_ranges:\n"
        "          - {kind: audio, max_channels: 2, bits: {min: 8, max: 16}, rate: {min: 8000, "
        "max: 48000}}\n"
        "connections: [{from: src.out, to: rec.in, format: {range: 1, channels: 1, rate: "
        "44100}}]\n");
    REQUIRE(r.spec);
    CHECK(r.spec->connections[0].format.channels == 1);
    CHECK(r.spec->connections[0].format.bits == 16);
    CHECK(r.spec->connections[0].format.rate == 44100);

    auto ds = test::lint(
        base +
        "  - name: rec\n    pins:\n      - name: in\n        dataflow: in\n        data_ranges:\n"
        "          - {kind: audio, max_channels: 2, bits: {min: 8, max: 16}, rate: {min: 8000, "
        "max: 48000}}\n"
        "connections: [{from: src.out, to: rec.in, format: 0}]\n");
    CHECK(
        test::summary(ds) ==
        "23:51: KSF3007: src.out format 0 (video NV12 320x240 12-bit) is not accepted by rec.in\n");
    r = test::load(base + "connections: [{from: src.out, to: dst.in, format: 2}]\n");
    CHECK(test::summary(r.diagnostics) ==
          "17:51: KSF0017: format 2 names a data range src.out does not have (it has 2)\n");
  }

  TEST_CASE("no common format: located at the connection, ranges related") {
    DiskFileReader disk;
    auto result =
        lint_file(disk, test::source_dir() + "/examples/broken/formats-connection.yaml", {});
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics[0];
    CHECK(d.rule == "KSF3007");
    CHECK(d.message == "camera.capture and speaker.render have no format in common");
    CHECK(d.location.line == 22);
    CHECK(d.location.column == 5);
    REQUIRE(d.related.size() == 3);
    CHECK(d.related[0].message == "camera.capture: video YUY2 320x240 16-bit");
    CHECK(d.related[2].message == "speaker.render: audio PCM 1-2 ch 8-16 bit 8000-48000 Hz");
  }

  TEST_CASE("rules: exact message and location") {
    const std::string legacy =
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "4, frame_size: ";
    struct Case {
      std::string spec;
      const char* expected;
    };
    const Case cases[] = {
        {ranged("        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: 0, "
                "frames: 2, file_alignment: 0, min: 8192, max: 8192}\n",
                "          - {kind: video, subtype: YUY2, width: 320, height: 240}\n"),
         "7:129: KSF2009: simple_framing_ex allows frames of at most 8192 bytes, but one sample of "
         "video YUY2 320x240 16-bit is 153600 bytes: every frame of that format is truncated\n"},
        {ranged(legacy + "230400}\n",
                "          - {kind: video, subtype: RGB24, width: 320, height: -240, size_image: "
                "153600}\n"),
         "9:81: KSF2010: size_image 153600 disagrees with 320 x 240 x 24 bits (960-byte rows): "
         "230400 bytes\n"},
        {ranged(legacy + "47040}\n",
                "          - {kind: audio, max_channels: 2, bits: 16, rate: 44100}\n"),
         "7:104: KSF2011: framing: frames of 47040 bytes hold 266.7 ms of audio PCM 1-2 ch 16 bit "
         "44100 Hz at its highest byte rate (176400 bytes/s), above 100.0 ms; that is 8x the 5880 "
         "bytes of 33.3 ms: bits where bytes were meant?\n"},
        {ranged(legacy + "230400}\n",
                "          - {kind: audio, max_channels: 2, bits: 16, rate: 32000}\n"),
         "7:104: KSF2011: framing: frames of 230400 bytes hold 1800.0 ms of audio PCM 1-2 ch 16 "
         "bit 32000 Hz at its highest byte rate (128000 bytes/s), above 100.0 ms\n"},
        {ranged(legacy + "40}\n",
                "          - {kind: audio, max_channels: 2, bits: 16, rate: {min: 44100, max: "
                "48000}}\n"),
         "7:104: KSF2011: framing: frames of 40 bytes hold 0.5 ms of audio PCM 1-2 ch 16 bit "
         "44100-48000 Hz at its lowest byte rate (88200 bytes/s), below 1.0 ms\n"},
        {ranged(legacy + "3306}\n",
                "          - {kind: audio, max_channels: 2, bits: 16, rate: {min: 44100, max: "
                "48000}}\n"),
         "7:104: KSF2012: framing: frames of 3306 bytes are not a multiple of the block align 4 of "
         "audio PCM 1-2 ch 16 bit 44100-48000 Hz (2 channels x 2 bytes): a frame ends inside a "
         "sample\n"},
        {ranged(legacy + "1}\n",
                "          - {kind: video, subtype: UYVY, width: 720, height: 480}\n"),
         "7:104: KSF2013: framing allows frames of at most 1 byte, less than the smallest unit of "
         "any format the pin streams (1440 bytes: one row of video UYVY 720x480 16-bit)\n"
         // A warning, so the pin into its implied consumer is negotiated, and the load's payload
         // (the format's 720x480 image) cannot fit the 1-byte frames.
         "9:13: KSF4008: the format of f.p of 691200 bytes is larger than the 1-byte frames of "
         "pipe-1 (f.p)\n"},
        {ranged(legacy + "3200}\n",
                "          - {kind: audio, max_channels: 2, bits: 16, rate: 32000}\n",
                "        category: PINNAME_VIDEO_PREVIEW\n"),
         "7:19: KSF2014: category PINNAME_VIDEO_PREVIEW is a video pin, but every data range of "
         "the pin is audio\n"},
        {test::one_pin("        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, "
                       "flags: 0, frames: 64, file_alignment: 0, min: 385024, max: 385024}\n"),
         "7:91: KSF1023: simple_framing_ex requires 64 nonpaged frames of 385024 bytes as a hard "
         "requirement: 24641536 bytes (23.5 MiB), above the nonpaged budget of 16777216 bytes "
         "(16.0 MiB)\n"},
    };
    for (const auto& c : cases)
      CHECK_MESSAGE(test::errors_and_warnings(test::lint(c.spec)) == c.expected, c.spec);
  }

  TEST_CASE("rules stay quiet where the framing fits the format") {
    const std::string legacy =
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "4, frame_size: ";
    // 10 ms of 48 kHz 16-bit stereo; a YUY2 frame exactly its image; an MJPG range states no size.
    CHECK(test::errors_and_warnings(test::lint(ranged(
              legacy + "1920}\n",
              "          - {kind: audio, max_channels: 2, bits: 16, rate: 48000}\n"))) == "");
    CHECK(test::errors_and_warnings(test::lint(
              ranged(legacy + "153600}\n",
                     "          - {kind: video, subtype: YUY2, width: 320, height: 240}\n",
                     "        category: PINNAME_VIDEO_CAPTURE\n"))) == "");
    CHECK(test::errors_and_warnings(test::lint(ranged(
              legacy + "8192}\n",
              "          - {kind: video, subtype: MJPG, width: 1280, height: 720}\n"))) == "");
    // PREFERENCES_ONLY makes the large nonpaged requirement relaxable; a budget can be raised.
    CHECK(test::errors_and_warnings(test::lint(test::one_pin(
              "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
              "[KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], frames: 64, file_alignment: 0, min: "
              "385024, max: 385024}\n"))) == "");
    CHECK(test::errors_and_warnings(test::lint(
              "lint: {nonpaged_budget: 0x2000000}\n" +
              test::one_pin(
                  "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
                  "0, frames: 64, file_alignment: 0, min: 385024, max: 385024}\n"))) == "");
    // The rule is disabled by name like any other.
    CHECK(test::errors_and_warnings(test::lint(
              ranged(legacy + "3306}\n",
                     "          - {kind: audio, max_channels: 2, bits: 16, rate: 48000}\n",
                     "        lint: {disable: [audio-frame-block-align]}\n"))) == "");
  }

  TEST_CASE("framing edits: the bug patterns with the edit declared lint clean") {
    // examples/broken/formats-video.yaml's capture pin, with avshws's KsEdit declared.
    const std::string capture =
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
        "[KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], frames: 2, file_alignment: 0, min: 8192, "
        "max: 8192}\n";
    const std::string yuy2 = "          - {kind: video, subtype: YUY2, width: 320, height: 240}\n";
    CHECK(test::errors_and_warnings(test::lint(ranged(capture, yuy2))).find("KSF2009") !=
          std::string::npos);
    CHECK(test::errors_and_warnings(test::lint(ranged(
              capture, yuy2, "        framing_edit: {frame_size: sample_size, stepping: 0}\n"))) ==
          "");
    // The bits-for-bytes audio pin, edited to 10 ms of its format.
    const std::string legacy =
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "4, frame_size: 47040}\n";
    const std::string pcm = "          - {kind: audio, max_channels: 2, bits: 16, rate: 44100}\n";
    CHECK(test::errors_and_warnings(test::lint(
              ranged(legacy, pcm, "        framing_edit: {frame_size: {audio_ms: 10}}\n"))) == "");
    CHECK(test::errors_and_warnings(test::lint(
              ranged(legacy, pcm, "        framing_edit: {frame_size: {audio_ms: 500}}\n"))) ==
          "7:47: KSF2011: framing_edit sizes frames to hold 500.0 ms of audio, above 100.0 ms\n");
    // The edited framing can still be too much nonpaged memory: 64 x 153600 = 9830400 (9.4 MiB)
    // fits 16 MiB; 128 frames (18.8 MiB) do not.
    const std::string hard =
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: 0, frames: "
        "2, file_alignment: 0, min: 8192, max: 8192}\n";
    CHECK(test::errors_and_warnings(test::lint(ranged(
              hard, yuy2, "        framing_edit: {frame_size: sample_size, frames: 64}\n"))) == "");
    CHECK(test::errors_and_warnings(test::lint(ranged(
              hard, yuy2, "        framing_edit: {frame_size: sample_size, frames: 128}\n"))) ==
          "7:36: KSF1023: framing_edit makes simple_framing_ex require 128 nonpaged frames of "
          "153600 bytes (video YUY2 320x240 16-bit) as a hard requirement: 19660800 bytes (18.8 "
          "MiB), above the nonpaged budget of 16777216 bytes (16.0 MiB)\n");
  }

  TEST_CASE("framing edits: negotiation uses the edited framing for the connection's format") {
    const std::string spec =
        "ksframe: 1\nfilters:\n"
        "  - name: cam\n    pins:\n      - name: capture\n        dataflow: out\n"
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
        "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: 2, file_alignment: 0, min: 8192, max: "
        "8192}\n"
        "        framing_edit: {frame_size: sample_size, stepping: 0, frames: 3}\n"
        "        data_ranges:\n"
        "          - {kind: video, subtype: YUY2, width: 320, height: 240}\n"
        "          - {kind: video, subtype: RGB24, width: 320, height: 240}\n"
        "  - name: app\n    pins:\n      - {name: in, dataflow: in, user_mode: true}\n"
        "connections: [{from: cam.capture, to: app.in, format: 1}]\n";
    auto r = test::load(spec);
    REQUIRE(r.spec);
    CHECK(test::summary(r.diagnostics) == "");
    const PinSpec& p = r.spec->filters[0].pins[0];
    REQUIRE(p.edited_framing_ex);
    CHECK(p.framing_ex->items[0].framing_range.max.value == 8192);  // the declared one is kept
    const auto& it = p.edited_framing_ex->items[0];
    CHECK(it.framing_range.min.value == 230400);  // RGB24 320x240: 960-byte rows x 240
    CHECK(it.framing_range.max.value == 230400);
    CHECK(it.physical_range.max.value == 230400);
    CHECK(it.framing_range.stepping.value == 0);
    CHECK(it.frames.value == 3);
    CHECK(it.framing_range.max.pos.line == 8);  // located at the edit
    CHECK(p.edit_note ==
          "frame size 230400 (biSizeImage of video RGB24 320x240 24-bit), 3 frames, stepping 0");
    Negotiation n = negotiate(*r.spec, negotiate_options(*r.spec));
    REQUIRE(n.pipes.size() == 1);
    CHECK(n.pipes[0].frame_size == 230400);
    CHECK(n.pipes[0].frames == 3);
    CHECK(render_formats_text(*r.spec) ==
          "formats:\n"
          "  cam.capture\n"
          "    range 0: video YUY2 320x240 16-bit: image 153600 bytes (computed: 640-byte rows x "
          "240 = 153600), compression YUY2\n"
          "        at t.yaml:10:13\n"
          "    range 1: video RGB24 320x240 24-bit: image 230400 bytes (computed: 960-byte rows x "
          "240 = 230400), compression BI_RGB\n"
          "        at t.yaml:11:13\n"
          "    framing: edited for the connection's format, frame size 230400 (biSizeImage of "
          "video RGB24 320x240 24-bit), 3 frames, stepping 0; negotiation used the edited framing\n"
          "        at t.yaml:8:23\n"
          "  cam.capture -> app.in: range 1 x any (format: picks it): video RGB24 320x240 24-bit\n"
          "        at t.yaml:15:15\n");
  }

  TEST_CASE("framing edits: located errors") {
    auto r =
        test::load(ranged("        framing: {frames: 2, frame_size: 8192}\n",
                          "          - {kind: video, subtype: MJPG, width: 1280, height: 720}\n",
                          "        framing_edit: {frame_size: sample_size}\n") +
                   "  - name: g\n    pins:\n      - {name: in, dataflow: in}\nconnections: [{from: "
                   "f.p, to: g.in}]\n");
    CHECK(test::summary(r.diagnostics) ==
          "7:36: KSF0013: framing_edit sizes frames from the format, but video MJPG 1280x720 "
          "states no sample size\n");
    r = test::load(test::one_pin("        framing_edit: {frame_size: 12}\n"));
    CHECK(test::summary(r.diagnostics) ==
          "7:23: KSF0013: framing_edit edits the pin's framing, but the pin declares none\n"
          "7:36: KSF0009: 'frame_size' must be sample_size, {audio_ms: N} or a formula, not the "
          "value '12'\n");
  }

  TEST_CASE("the load streams the source pin's format unless it says otherwise") {
    const std::string video =
        "ksframe: 1\nfilters:\n"
        "  - name: cam\n    pins:\n      - name: capture\n        dataflow: out\n"
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
        "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: 2, file_alignment: 0, min: 8192, max: "
        "8192}\n"
        "        framing_edit: {frame_size: sample_size}\n"
        "        data_ranges: [{kind: video, subtype: YUY2, width: 320, height: 240, "
        "avg_time_per_frame: 333667}]\n"
        "  - name: app\n    pins:\n      - {name: in, dataflow: in, user_mode: true}\n"
        "connections: [{from: cam.capture, to: app.in}]\n";
    const PinRef cam{0, 0};
    auto r = test::load(video);
    REQUIRE(r.spec);
    EffectiveSource e = r.spec->source(cam);
    CHECK(e.payload->present);
    CHECK(e.payload->value.value == 153600.0);  // one YUY2 image
    CHECK(e.payload_path == "the format of cam.capture");
    CHECK(e.rate_hz == doctest::Approx(1e7 / 333667));  // 29.970 Hz
    r = test::load(video + "load: {source: {rate_hz: 15, payload: 1000}}\n");
    REQUIRE(r.spec);
    e = r.spec->source(cam);
    CHECK(e.payload->value.value == 1000.0);  // the load's own values win
    CHECK(e.payload_path == "load.source.payload");
    CHECK(e.rate_hz == 15.0);
    // Audio: the edited frame, 10 ms of 48 kHz 16-bit stereo = 480 blocks of 4 bytes, 100 per
    // second.
    r = test::load(
        "ksframe: 1\nfilters:\n"
        "  - name: wave\n    pins:\n      - name: capture\n        dataflow: out\n"
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "8, frame_size: 4096}\n"
        "        framing_edit: {frame_size: {audio_ms: 10}}\n"
        "        data_ranges: [{kind: audio, max_channels: 2, bits: 16, rate: {min: 8000, max: "
        "48000}}]\n"
        "  - name: app\n    pins:\n      - {name: in, dataflow: in, user_mode: true}\n"
        "connections: [{from: wave.capture, to: app.in}]\n");
    REQUIRE(r.spec);
    e = r.spec->source(cam);
    CHECK(e.payload->value.value == 1920.0);
    CHECK(e.rate_hz == 100.0);
    REQUIRE(r.spec->filters[0].pins[0].edited_framing);
    CHECK(r.spec->filters[0].pins[0].edited_framing->frame_size.value == 1920);
  }

  TEST_CASE("each source pin streams its own format: video and audio pins of one filter") {
    // One capture filter with a YUY2 video pin (29.97 Hz images of 153600 bytes) and an audio pin
    // (10 ms frames of 48 kHz 16-bit stereo: 1920 bytes, 100 per second). A spec-wide default
    // would give the audio pin video-sized payloads; each pin must get its own.
    auto r = test::load(
        "ksframe: 1\nfilters:\n"
        "  - name: cap\n    pins:\n"
        "      - name: video\n        dataflow: out\n"
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
        "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: 2, file_alignment: 0, min: 8192, max: "
        "8192}\n"
        "        framing_edit: {frame_size: sample_size}\n"
        "        data_ranges: [{kind: video, subtype: YUY2, width: 320, height: 240, "
        "avg_time_per_frame: 333667}]\n"
        "      - name: audio\n        dataflow: out\n"
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "8, frame_size: 4096}\n"
        "        framing_edit: {frame_size: {audio_ms: 10}}\n"
        "        data_ranges: [{kind: audio, max_channels: 2, bits: 16, rate: {min: 8000, max: "
        "48000}}]\n"
        "  - name: app\n    pins:\n      - {name: v, dataflow: in, user_mode: true}\n      - "
        "{name: a, dataflow: in, user_mode: true}\n"
        "connections: [{from: cap.video, to: app.v}, {from: cap.audio, to: app.a}]\n");
    REQUIRE_MESSAGE(r.spec, test::summary(r.diagnostics));
    const EffectiveSource video = r.spec->source(PinRef{0, 0}),
                          audio = r.spec->source(PinRef{0, 1});
    CHECK(video.payload->value.value == 153600.0);
    CHECK(video.rate_hz == doctest::Approx(1e7 / 333667));
    CHECK(audio.payload->value.value == 1920.0);
    CHECK(audio.rate_hz == 100.0);
  }
}
