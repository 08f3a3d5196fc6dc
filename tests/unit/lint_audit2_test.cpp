// The rules of the second audit (the defect classes real driver declarations hold): a stepping
// on a one-size range, a range open from 1 byte, a 1-byte placeholder frame, a framing_edit
// formula judged by the size rules, the uncompressed YUV FOURCCs, and a pin name GUID shared by
// audio and video pins. Each with its clean counterpart.
#include "helpers.hpp"
#include "ksframe/format.hpp"
#include "ksframe/lint.hpp"

using namespace ksframe;

namespace {

std::string with(const Diagnostics& ds, const std::string& rule) {
  return test::summary(test::with_rule(ds, rule));
}

std::string all_but_notes(const Diagnostics& ds) {
  Diagnostics kept;
  for (const auto& d : ds)
    if (d.severity != Severity::Note) kept.push_back(d);
  return test::summary(kept);
}

std::string item(const std::string& ranges) {
  return test::one_pin("        framing_ex: {items: [{frames: 2, " + ranges + "}]}\n");
}

}  // namespace

TEST_SUITE("lint audit 2") {
  TEST_CASE("KSF1024: a stepping on a one-size range is a note") {
    const auto ds = test::lint(item("physical_range: {min: 4096, max: 4096, stepping: 4096}"));
    CHECK(with(ds, "KSF1024") ==
          "7:91: KSF1024: framing_ex.items[0].physical_range is the single size 4096 with "
          "stepping 4096: a stepping larger than max - min (0) is documented as unpredictable\n");
    CHECK(test::with_rule(ds, "KSF1024").at(0).severity == Severity::Note);
    CHECK(with(test::lint(item("physical_range: {min: 4096, max: 4096, stepping: 1}")),
               "KSF1024") == "");
    CHECK(with(test::lint(item("physical_range: {min: 4096, max: 8192, stepping: 4096}")),
               "KSF1024") == "");
  }

  TEST_CASE("KSF1025: a range from 1 byte to 4 GiB is a note") {
    const auto ds = test::lint(item("framing_range: {min: 1, max: unbounded}"));
    CHECK(with(ds, "KSF1025") ==
          "7:63: KSF1025: framing_ex.items[0].framing_range accepts any frame from 1 byte to 4 "
          "GiB: it states no size the pin needs\n");
    CHECK(with(test::lint(item("framing_range: {min: 0, max: unbounded}")), "KSF1025") == "");
    CHECK(with(test::lint(item("framing_range: {min: 1, max: 65536}")), "KSF1025") == "");
  }

  TEST_CASE("KSF2015: a 1-byte frame where no range states a sample size") {
    const std::string legacy =
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "8, frame_size: ";
    const std::string ts =
        "        data_ranges:\n          - {kind: plain, major: KSDATAFORMAT_TYPE_STREAM, "
        "subtype: MPEG2_TRANSPORT}\n";
    const auto ds = test::lint(test::one_pin(legacy + "1}\n" + ts));
    CHECK(with(ds, "KSF2015") ==
          "7:104: KSF2015: framing allows frames of at most 1 byte, and no data range of the pin "
          "states a sample size: a placeholder, unless the driver sizes frames when the format is "
          "set\n");
    CHECK(test::with_rule(ds, "KSF2013").empty());
    // Clean: a real size, or a range that states the sample (then KSF2009 judges it).
    CHECK(with(test::lint(test::one_pin(legacy + "188}\n" + ts)), "KSF2015") == "");
    CHECK(with(test::lint(test::one_pin(legacy + "1}\n")), "KSF2015") == "");  // no ranges
  }

  TEST_CASE("KSF2009 judges a plain fixed-size range against the frames") {
    const std::string spec = test::one_pin(
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "8, frame_size: 188}\n"
        "        data_ranges:\n          - {kind: plain, major: KSDATAFORMAT_TYPE_STREAM, "
        "subtype: MPEG2_TRANSPORT, sample_size: 1316, fixed_size: true}\n");
    CHECK(all_but_notes(test::lint(spec)) ==
          "7:104: KSF2009: framing allows frames of at most 188 bytes, but one sample of "
          "STREAM/MPEG2_TRANSPORT 1316-byte samples is 1316 bytes: every frame of that format is "
          "truncated\n");
  }

  TEST_CASE("a framing_edit formula is judged by the size rules") {
    DiskFileReader disk;
    const auto r = lint_file(disk, test::source_dir() + "/examples/broken/formats-edit.yaml", {});
    CHECK(with(r.diagnostics, "KSF2011") ==
          "19:36: KSF2011: framing_edit's (rate * bits * channels + 29) / 30 gives frames of "
          "51200 bytes for audio PCM 1-2 ch 16 bit 48000 Hz at its widest format: 266.7 ms of "
          "audio at 192000 bytes/s, above 100.0 ms; that is 8x 33.3 ms: bits where bytes were "
          "meant?\n");
    // What avssamp means: a 30th of a second of whole blocks (6400 bytes at 48 kHz stereo).
    const std::string good = test::one_pin(
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "4, frame_size: 8192}\n"
        "        framing_edit: {frame_size: (rate * block_align + 29) / 30}\n"
        "        data_ranges:\n          - {kind: audio, max_channels: 2, bits: 16, rate: "
        "48000}\n");
    CHECK(all_but_notes(test::lint(good)) == "");
    // A video formula below the image size truncates every frame.
    const std::string video = test::one_pin(
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "2, frame_size: 8192}\n"
        "        framing_edit: {frame_size: width * height}\n"
        "        data_ranges:\n          - {kind: video, subtype: YUY2, width: 320, height: "
        "240}\n");
    CHECK(with(test::lint(video), "KSF2009") ==
          "8:36: KSF2009: framing_edit's width * height gives frames of 76800 bytes for video "
          "YUY2 320x240 16-bit, but one sample is 153600 bytes: every frame of that format is "
          "truncated\n");
  }

  TEST_CASE("a framing_edit formula: unknown names and values with no frame size") {
    const std::string base = test::one_pin(
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "4, frame_size: 8192}\n"
        "        framing_edit: {frame_size: FORMULA}\n"
        "        data_ranges:\n          - {kind: video, subtype: YUY2, width: 320, height: "
        "240}\n");
    auto with_formula = [&](const std::string& f) {
      std::string s = base;
      s.replace(s.find("FORMULA"), 7, f);
      return s;
    };
    auto typo = test::load(with_formula("widht * height * 2"));
    CHECK(test::summary(typo.diagnostics) ==
          "8:36: KSF0010: 'frame_size' is 'widht * height * 2': unknown name 'widht' in the "
          "expression\n");
    CHECK(typo.diagnostics.at(0).hint == "did you mean 'width'?");
    // `rate` of a video format is 0: the formula divides by zero for the connection's format.
    const std::string connected = with_formula("PAGE_SIZE / rate") +
                                  "  - {name: app, pins: [{name: in, dataflow: in, user_mode: "
                                  "true}]}\nconnections: [{from: f.p, to: app.in}]\n";
    CHECK(test::summary(test::load(connected).diagnostics) ==
          "8:36: KSF0010: framing_edit's frame_size 'PAGE_SIZE / rate' gives no value "
          "(division by zero) for video YUY2 320x240 16-bit\n");
    auto fine = test::load(with_formula("width * height * 2") +
                           "  - {name: app, pins: [{name: in, dataflow: in, user_mode: "
                           "true}]}\nconnections: [{from: f.p, to: app.in}]\n");
    REQUIRE(fine.spec);
    CHECK_FALSE(has_errors(fine.diagnostics));
    REQUIRE(fine.spec->filters[0].pins[0].edited_framing);
    CHECK(fine.spec->filters[0].pins[0].edited_framing->frame_size.value == 153600);
  }

  TEST_CASE("the uncompressed YUV FOURCCs Microsoft documents have their bit depths") {
    const std::pair<const char*, unsigned> depths[] = {
        {"AYUV", 32}, {"YVYU", 16}, {"IYUV", 12}, {"NV11", 12}, {"Y411", 12}, {"Y41P", 12},
        {"Y211", 8},  {"YVU9", 9},  {"Y800", 8},  {"Y444", 24}, {"P010", 24}, {"P016", 24},
        {"P210", 32}, {"P216", 32}, {"Y210", 32}, {"Y216", 32}, {"Y410", 32}, {"Y416", 64}};
    for (const auto& [name, bits] : depths) {
      auto g = ks::format_guid_by_name(name, ks::FormatGuidKind::Subtype);
      REQUIRE_MESSAGE(g, name);
      const auto* row = ks::find_format_guid(*g, ks::FormatGuidKind::Subtype);
      REQUIRE(row);
      CHECK_MESSAGE(row->bit_count == bits, name);
      CHECK_MESSAGE(row->compression == ks::fourcc(name), name);
      CHECK(ks::is_uncompressed(ks::fourcc(name)));
    }
    // A wrong biSizeImage is now checked for them (Y41P 640x480: 960-byte rows).
    const std::string y41p = test::one_pin(
        "        data_ranges:\n          - {kind: video, subtype: Y41P, width: 640, height: "
        "480, size_image: 614400}\n");
    CHECK(with(test::lint(y41p), "KSF2010") ==
          "8:79: KSF2010: size_image 614400 disagrees with 640 x 480 x 12 bits (960-byte rows): "
          "460800 bytes\n");
  }

  TEST_CASE("KSF2014 is silent for PINNAME_CAPTURE, the GUID audio and video capture pins share") {
    const std::string audio =
        "        data_ranges:\n          - {kind: audio, max_channels: 2, bits: 16, rate: "
        "48000}\n";
    for (const char* name : {"PINNAME_CAPTURE", "PINNAME_VIDEO_CAPTURE", "PIN_CATEGORY_CAPTURE"})
      CHECK_MESSAGE(
          with(test::lint(test::one_pin("        category: " + std::string(name) + "\n" + audio)),
               "KSF2014") == "",
          name);
    CHECK(ks::category_media(*ks::format_guid_by_name(
              "PINNAME_VIDEO_CAPTURE", ks::FormatGuidKind::Category)) == ks::Media::Any);
    CHECK(ks::category_media(*ks::format_guid_by_name(
              "PINNAME_VIDEO_PREVIEW", ks::FormatGuidKind::Category)) == ks::Media::Video);
  }
}
