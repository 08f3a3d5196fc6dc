// util/text, each public function with cases worked by hand: the did-you-mean suggestion, the
// UTF-8 and control-character checks, file names as outputs show them, LineIndex positions
// (lines, code-point columns, checkpoint boundaries) and quote.
#include "util/text.hpp"

#include "helpers.hpp"

using namespace ksframe::text;
using ksframe::text::LineIndex;

namespace {
// The definition: count lines and code points from the start, byte by byte.
LineIndex::Position naive(std::string_view s, std::size_t offset) {
  std::uint32_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}
}  // namespace

TEST_SUITE("text") {
  TEST_CASE("LineIndex: lines and code-point columns worked by hand") {
    const std::string s = "ab\n\xc3\xa9x\n\n\xe2\x82\xac\xe2\x82\xac!";  // ab / éx / (empty) / €€!
    LineIndex idx(s);
    auto at = [&](std::size_t o) { return std::pair(idx.at(o).line, idx.at(o).column); };
    CHECK(at(0) == std::pair(1u, 1u));
    CHECK(at(2) == std::pair(1u, 3u));     // the newline ends line 1 at column 3
    CHECK(at(3) == std::pair(2u, 1u));     // é
    CHECK(at(5) == std::pair(2u, 2u));     // x after a two-byte é
    CHECK(at(7) == std::pair(3u, 1u));     // the empty line
    CHECK(at(11) == std::pair(4u, 2u));    // the second € (bytes 8-10 are the first)
    CHECK(at(14) == std::pair(4u, 3u));    // !
    CHECK(at(15) == std::pair(4u, 4u));    // the end
    CHECK(at(1000) == std::pair(4u, 4u));  // past the end: clamped
    CHECK(LineIndex("").at(0).column == 1);
  }

  TEST_CASE("LineIndex agrees with counting from the start, across checkpoint boundaries") {
    // One long line of mixed one-, two- and three-byte characters, then short lines; sizes
    // around multiples of the 64-byte checkpoint.
    for (std::size_t size : {63u, 64u, 65u, 127u, 128u, 129u, 1000u}) {
      std::string s;
      for (std::size_t i = 0; s.size() < size; ++i)
        s += i % 7 == 0 ? "\xc3\xa9" : i % 11 == 0 ? "\xe2\x82\xac" : i % 97 == 96 ? "\n" : "a";
      LineIndex idx(s);
      for (std::size_t o = 0; o <= s.size(); ++o) {
        const auto got = idx.at(o), want = naive(s, o);
        REQUIRE_MESSAGE(got.line == want.line, "size " << size << " offset " << o);
        REQUIRE_MESSAGE(got.column == want.column, "size " << size << " offset " << o);
      }
    }
  }

  TEST_CASE("quote escapes control characters and cuts long values") {
    CHECK(quote("a\x1b[2Jb") == "'a\\x1b[2Jb'");
    CHECK(quote(std::string(61, 'x')) == "'" + std::string(60, 'x') + "...'");
    CHECK(quote(std::string(60, 'x')) == "'" + std::string(60, 'x') + "'");
    CHECK(quote("") == "''");
    // 60 characters, not bytes: the cut never splits a character.
    const std::string e_acute = "\xc3\xa9";
    CHECK(quote(std::string(59, 'x') + e_acute + "z") ==
          "'" + std::string(59, 'x') + e_acute + "...'");
    CHECK(quote(std::string(60, 'x') + e_acute) == "'" + std::string(60, 'x') + "...'");
    std::string euros;
    for (int i = 0; i < 60; ++i) euros += "\xe2\x82\xac";
    CHECK(quote(euros) == "'" + euros + "'");
    CHECK(quote(euros + "!") == "'" + euros + "...'");
    CHECK(quote("\t\n\x7f") == "'\\x09\\x0a\\x7f'");
    CHECK(quote("caf\xc3\xa9 'x'") == "'caf\xc3\xa9 'x''");  // quotes inside are not escaped
  }

  TEST_CASE("did_you_mean: the closest candidate within max(1, ceil(len/3)) edits") {
    const std::vector<std::string> keys{"items", "frames", "frame_size"};
    CHECK(did_you_mean("itmes", keys) == "items");    // a transposition is one edit
    CHECK(did_you_mean("FRAMES", keys) == "frames");  // case does not count
    CHECK(did_you_mean("frame_sise", keys) == "frame_size");
    CHECK(did_you_mean("fram", keys) == "frames");     // 4 letters: 2 edits allowed
    CHECK(did_you_mean("xyz", keys) == std::nullopt);  // 3 letters: 1 edit allowed
    CHECK(did_you_mean("a", {"b"}) == "b");            // 1 edit is always allowed
    CHECK(did_you_mean("ab", {"cd"}) == std::nullopt);
    CHECK(did_you_mean("cat", {"bat", "hat"}) == "bat");  // a tie goes to the earlier one
    CHECK(did_you_mean("cat", {}) == std::nullopt);
    // A whole suffix of a ks.h name after '_' wins over a closer candidate.
    CHECK(did_you_mean("system_memory",
                       {"SYSTEM_MEMORX", "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY"}) ==
          "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY");
    CHECK(did_you_mean("MEMORY", {"SYSMEMORY"}) == std::nullopt);  // no '_' before it
  }

  TEST_CASE("suggestion_suffix: the suggestion as messages end with it, or nothing") {
    CHECK(suggestion_suffix("new-error", {"new-errors", "new-warnings"}) ==
          " (did you mean 'new-errors'?)");
    CHECK(suggestion_suffix("zzz", {"abc"}) == "");
  }

  TEST_CASE("first_invalid_utf8: overlong forms, surrogates, above U+10FFFF, cut sequences") {
    CHECK(first_invalid_utf8("") == std::nullopt);
    CHECK(first_invalid_utf8("a\xc3\xa9"
                             "b\xe2\x82\xac\xf0\x9f\x98\x80") == std::nullopt);
    CHECK(first_invalid_utf8("ab\xc0\x80") == 2);        // overlong NUL
    CHECK(first_invalid_utf8("\xe0\x80\xaf") == 0);      // overlong '/'
    CHECK(first_invalid_utf8("\xf0\x8f\xbf\xbf") == 0);  // overlong U+FFFF
    CHECK(first_invalid_utf8("x\xed\xa0\x80") == 1);     // U+D800, a surrogate
    CHECK(first_invalid_utf8("\xf4\x90\x80\x80") == 0);  // U+110000
    CHECK(first_invalid_utf8("\xf5\x80\x80\x80") == 0);  // no such lead byte
    CHECK(first_invalid_utf8("ab\xe2\x82") == 2);        // cut at the end
    CHECK(first_invalid_utf8("\xc3(") == 0);             // not a continuation byte
    CHECK(first_invalid_utf8("ok\x80") == 2);            // a lone continuation byte
  }

  TEST_CASE("first_control_character: C0 but TAB, LF and CR, and DEL, bytes, not characters") {
    CHECK(first_control_character("a\tb\r\nc") == std::nullopt);
    CHECK(first_control_character("ab\x01") == 2);
    CHECK(first_control_character("x\x1b[") == 1);
    CHECK(first_control_character("\x7f") == 0);
    CHECK(first_control_character("\xc2\x85") == std::nullopt);  // C1 NEL is for YAML to judge
  }

  TEST_CASE("first_unsafe_character: C0 but whitespace, DEL, C1 and bidirectional overrides") {
    CHECK(first_unsafe_character("a\tb\nc\r") == std::nullopt);
    CHECK(first_unsafe_character("ab\x1b[2J") == 2);
    CHECK(first_unsafe_character("\x7f") == 0);
    CHECK(first_unsafe_character("x\xc2\x9b") == 1);                            // U+009B, CSI
    CHECK(first_unsafe_character("\xc3\xa9\xe2\x80\xae") == 2);                 // U+202E after é
    CHECK(first_unsafe_character("\xe2\x81\xa6") == 0);                         // U+2066
    CHECK(first_unsafe_character("\xe2\x80\xa9\xe2\x81\xaa") == std::nullopt);  // U+2029, U+206A
    CHECK(first_unsafe_character("\xc2\xa0") == std::nullopt);                  // U+00A0 is text
  }

  TEST_CASE("code_point_name: U+ and at least four hex digits") {
    CHECK(code_point_name("a\x1b", 1) == "U+001B");
    CHECK(code_point_name("\xc2\x9b", 0) == "U+009B");
    CHECK(code_point_name("x\xe2\x80\xae", 1) == "U+202E");
    CHECK(code_point_name("\xf0\x9f\x98\x80", 0) == "U+1F600");
  }

  TEST_CASE("display_name: valid text unchanged, controls and invalid bytes as \\xNN") {
    CHECK(display_name("specs/camera.yaml") == "specs/camera.yaml");
    CHECK(display_name("cam\xc3\xa9ra \xe2\x82\xac.yaml") == "cam\xc3\xa9ra \xe2\x82\xac.yaml");
    CHECK(display_name("a\nb.yaml") == "a\\x0ab.yaml");
    CHECK(display_name("a\tb") == "a\\x09b");  // a file name has no whitespace exception
    CHECK(display_name("\x1b[31m.yaml") == "\\x1b[31m.yaml");
    CHECK(display_name("x\xc2\x9by") == "x\\xc2\\x9by");  // each byte of a C1 control
    CHECK(display_name("a\xe2\x80\xae"
                       "b") == "a\\xe2\\x80\\xaeb");  // U+202E
    CHECK(display_name("a\xff"
                       "b") == "a\\xffb");
    CHECK(display_name("a\xe2\x82") == "a\\xe2\\x82");  // a cut character, byte by byte
    CHECK(display_name("\xc3(") == "\\xc3(");           // the next byte starts again
    CHECK(display_name("") == "");
  }
}
