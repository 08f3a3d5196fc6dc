// util/text: LineIndex positions (lines, code-point columns, checkpoint boundaries) and quote.
#include "util/text.hpp"

#include "helpers.hpp"

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
    CHECK(ksframe::text::quote("a\x1b[2Jb") == "'a\\x1b[2Jb'");
    CHECK(ksframe::text::quote(std::string(61, 'x')) == "'" + std::string(60, 'x') + "...'");
  }
}
