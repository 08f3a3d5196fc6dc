// Integer expressions in spec scalars: the evaluator's arithmetic and errors (values and
// offsets worked out by hand), then the loader's located diagnostics and kept text.
#include "spec/expr.hpp"

#include "helpers.hpp"

using namespace ksframe;

namespace {

std::int64_t value_of(std::string_view text) {
  const auto r = expr::evaluate(text);
  REQUIRE_MESSAGE(r.value, text, ": ", r.error);
  return *r.value;
}

// "offset: message" of a failed evaluation.
std::string error_of(std::string_view text) {
  const auto r = expr::evaluate(text);
  REQUIRE_MESSAGE(!r.value, text, " evaluated to ", r.value.value_or(0));
  return std::to_string(r.offset) + ": " + r.error;
}

}  // namespace

TEST_SUITE("expr") {
  TEST_CASE("arithmetic as C computes it, in 64 bits") {
    CHECK(value_of("2 * PAGE_SIZE") == 8192);
    CHECK(value_of("2048*188") == 385024);
    CHECK(value_of("(320 * 240 * 2)") == 153600);
    CHECK(value_of("1 + 2 * 3") == 7);
    CHECK(value_of("(1 + 2) * 3") == 9);
    CHECK(value_of("10 - 4 - 3") == 3);  // left to right
    CHECK(value_of("7 / -2") == -3);     // truncation toward zero
    CHECK(value_of("-7 % 3") == -1);
    CHECK(value_of("- - - - 1") == 1);
    CHECK(value_of("+5") == 5);
    CHECK(value_of("0x1000UL + 1u") == 4097);
    CHECK(value_of("4096ull") == 4096);
    CHECK(value_of("0X1f") == 31);
    CHECK(value_of("0") == 0);
    CHECK(value_of("FILE_64_BYTE_ALIGNMENT") == 63);
    CHECK(value_of("\t(320*240*2) + 4 + 4 + 8 ") == 153616);
    CHECK(value_of("9223372036854775807") == INT64_MAX);
    CHECK(value_of("4294967296 * 2147483647") == 9223372032559808512);  // 2^63 - 2^32
  }

  TEST_CASE("errors name the offending token's offset") {
    CHECK(error_of("") == "0: the expression is empty");
    CHECK(error_of("10 / (5 - 5)") == "3: division by zero");
    CHECK(error_of("10 % 0") == "3: remainder of a division by zero");
    CHECK(error_of("9223372036854775807 + 1") == "20: the value overflows 64 bits at this '+'");
    CHECK(error_of("3037000500 * 3037000500") == "11: the value overflows 64 bits at this '*'");
    CHECK(error_of("99999999999999999999") ==
          "0: the number '99999999999999999999' does not fit in 64 bits");
    CHECK(error_of("010") == "0: '010' has a leading zero, which C reads as octal");
    CHECK(error_of("0x") == "0: '0x' needs hex digits after it");
    CHECK(error_of("4096uu") == "4: 'uu' is not a C integer suffix");
    CHECK(error_of("12ab") == "2: unexpected 'a' in the number '12a'");
    CHECK(error_of("(1 + 2") == "0: this '(' is never closed");
    CHECK(error_of("1 + 2)") == "5: ')' without a matching '('");
    CHECK(error_of("1 +") == "3: the expression ends where a number, a name or '(' was expected");
    CHECK(error_of("4096 PAGE_SIZE") == "5: unexpected 'P' after a complete expression");
    CHECK(error_of("2 ^ 3") == "2: unexpected '^' after a complete expression");
    CHECK(error_of("2 * $") == "4: expected a number, a name or '(', not '$'");
    const auto r = expr::evaluate("2 * PAGE_SIZ");
    CHECK(r.error == "unknown name 'PAGE_SIZ' in the expression");
    CHECK(r.offset == 4);
    CHECK(r.hint == "did you mean 'PAGE_SIZE'?");
    CHECK(expr::evaluate("sizeof(int)").hint ==
          "an expression may use PAGE_SIZE and the FILE_*_ALIGNMENT names");
  }

  TEST_CASE("hostile nesting is an error, not a stack overflow") {
    const std::string parens = std::string(100000, '(') + "1" + std::string(100000, ')');
    CHECK(error_of(parens) == "64: the expression nests deeper than 64 levels");
    CHECK(error_of(std::string(100000, '-') + "1") ==
          "64: the expression nests deeper than 64 levels");
    // 63 levels of parentheses inside the top level are fine.
    CHECK(value_of(std::string(63, '(') + "7" + std::string(63, ')')) == 7);
  }

  TEST_CASE("what counts as an expression rather than a name") {
    CHECK(expr::looks_like_expression("2 * PAGE_SIZE"));
    CHECK(expr::looks_like_expression("PAGE_SIZE"));
    CHECK(expr::looks_like_expression("4096u"));
    CHECK_FALSE(expr::looks_like_expression("KSMEMORY_TYPE_USER"));
    CHECK_FALSE(expr::looks_like_expression("unbounded"));
  }
}

TEST_SUITE("spec") {
  TEST_CASE("framing sizes written as expressions load with their value and their text") {
    auto r = test::load(test::one_pin(
        "        framing_ex:\n"
        "          items:\n"
        "            - frames: 2 + 1\n"
        "              file_alignment: FILE_LONG_ALIGNMENT * 2 + 1\n"
        "              physical_range: {min: 2 * PAGE_SIZE, max: \"(320 * 240 * 2)\"}\n"
        "              framing_range:\n"
        "                min: 2048*188\n"
        "                max: 0x100000 - 1\n"
        "                stepping: 188\n"
        "        framing: {frames: PAGE_SIZE / 1024, frame_size: 2048*188}\n"));
    REQUIRE_MESSAGE(r.diagnostics.empty(), test::summary(r.diagnostics));
    const PinSpec& p = r.spec->filters[0].pins[0];
    const FramingItemSpec& it = p.framing_ex->items[0];
    CHECK(it.frames.value == 3);
    CHECK(it.frames.expr == "2 + 1");
    CHECK(it.file_alignment.value == 7);
    CHECK(it.file_alignment.expr == "FILE_LONG_ALIGNMENT * 2 + 1");
    CHECK(it.physical_range.min.value == 8192);
    CHECK(it.physical_range.min.expr == "2 * PAGE_SIZE");
    CHECK(it.physical_range.max.value == 153600);
    CHECK(it.physical_range.max.expr == "(320 * 240 * 2)");
    CHECK(it.framing_range.min.value == 385024);
    CHECK(it.framing_range.max.value == 1048575);
    CHECK(it.framing_range.stepping.value == 188);
    CHECK(it.framing_range.stepping.expr.empty());  // a plain number keeps no text
    CHECK(p.framing->frames.value == 4);
    CHECK(p.framing->frame_size.value == 385024);
    CHECK(p.framing->frame_size.expr == "2048*188");
  }

  TEST_CASE("data-range numbers take expressions, a negative height stays a LONG") {
    auto r =
        test::load(test::one_pin("        data_ranges:\n"
                                 "          - {kind: video, subtype: YUY2, width: 2 * 160, height: "
                                 "-(2 * 120), avg_time_per_frame: 10000000 / 30}\n"
                                 "          - {kind: audio, max_channels: 1 + 1, bits: {min: 2 * "
                                 "8, max: 3 * 8}, rate: 48 * 1000}\n"
                                 "          - {kind: plain, major: KSDATAFORMAT_TYPE_STREAM, "
                                 "subtype: KSDATAFORMAT_TYPE_MPEG2_TRANSPORT, "
                                 "sample_size: 188 * 312}\n"));
    REQUIRE_MESSAGE(r.diagnostics.empty(), test::summary(r.diagnostics));
    const auto& ranges = r.spec->filters[0].pins[0].data_ranges;
    CHECK(ranges[0].width.value == 320);
    CHECK(ranges[0].height.value == -240);
    CHECK(ranges[0].height.expr == "-(2 * 120)");
    CHECK(ranges[0].avg_time_per_frame.value == 333333);
    CHECK(ranges[0].derived_image_size == 153600);
    CHECK(ranges[1].max_channels.value == 2);
    CHECK(ranges[1].bits_min.value == 16);
    CHECK(ranges[1].bits_max.value == 24);
    CHECK(ranges[1].rate_min.value == 48000);
    CHECK(ranges[1].rate_max.expr == "48 * 1000");
    CHECK(ranges[2].sample_size.value == 58656);
  }

  TEST_CASE("a bad expression is a located error at its token, with the exit code of a bad value") {
    auto r = test::load(
        test::one_pin("        framing_ex:\n"
                      "          items:\n"
                      "            - frames: 2 * PAGE_SIZ\n"
                      "              physical_range: {min: \"10 / (5 - 5)\", max: 65536 * 65536}\n"
                      "              framing_range: {min: 1 - 2}\n"
                      "        data_ranges:\n"
                      "          - {kind: video, subtype: YUY2, width: 320, height: 0 * 1}\n"));
    CHECK(
        test::summary(r.diagnostics) ==
        "9:27: KSF0010: 'frames' is '2 * PAGE_SIZ': unknown name 'PAGE_SIZ' in the expression\n"
        "10:41: KSF0010: 'min' is '10 / (5 - 5)': division by zero\n"
        "10:58: KSF0010: 'max' is larger than 4294967295 (0xFFFFFFFF): 65536 * 65536 = 4294967296\n"
        "11:36: KSF0010: 'min' is negative: 1 - 2 = -1\n"
        "13:62: KSF0010: 'height' must be a nonzero LONG (-2147483648 to 2147483647): 0 * 1 = 0\n");
    REQUIRE(!r.diagnostics.empty());
    CHECK(r.diagnostics[0].hint == "did you mean 'PAGE_SIZE'?");
    // A name alone that is close to a constant is a mistyped expression too.
    auto near = test::load(test::one_pin("        framing: {frame_size: PAGE_SIZ}\n"));
    CHECK(test::summary(near.diagnostics) ==
          "7:31: KSF0010: 'frame_size' is 'PAGE_SIZ': unknown name 'PAGE_SIZ' in the expression\n");
    // A quoted plain number is still a string, with the old hint.
    auto quoted = test::load(test::one_pin("        framing: {frames: \"4\"}\n"));
    REQUIRE(quoted.diagnostics.size() == 1);
    CHECK(quoted.diagnostics[0].rule == "KSF0009");
    CHECK(quoted.diagnostics[0].hint == "remove the quotes: a quoted number is a string in YAML");
  }

  TEST_CASE("--set takes an expression like the file does") {
    LoadOptions o;
    o.overrides = {"f.p.framing_ex.items[0].frames=3 * 2"};
    auto r = test::load(test::one_pin("        framing_ex: {items: [{frames: 2}]}\n"), o);
    REQUIRE_MESSAGE(r.diagnostics.empty(), test::summary(r.diagnostics));
    CHECK(r.spec->filters[0].pins[0].framing_ex->items[0].frames.value == 6);
    CHECK(r.spec->filters[0].pins[0].framing_ex->items[0].frames.expr == "3 * 2");
  }
}
