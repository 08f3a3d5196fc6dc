// What GitHub would link in a pull-request comment, broken in the text a spec controls
// (src/report/review_common.cpp): issue references, GH- ids and commit ids, as mentions and URLs
// are; and a '|' in a code span outside a table, which shows without a backslash.
#include <doctest/doctest.h>

#include "report/review_common.hpp"

using ksframe::review::code;
using ksframe::review::code_text;
using ksframe::review::md;

namespace {
const std::string kZw = "\u200b";  // zero-width space
}

TEST_SUITE("review") {
  TEST_CASE("Markdown breaks issue references, GH ids and commit ids, not pin instances") {
    CHECK(md("#1") == "#" + kZw + "1");
    CHECK(md("see #12 and (#3)") == "see #" + kZw + "12 and (#" + kZw + "3)");
    CHECK(md("owner/repo#3") == "owner/repo#" + kZw + "3");
    CHECK(md("GH-2 gh-7") == "GH-" + kZw + "2 gh-" + kZw + "7");
    // A pin's second instance is no reference: GitHub leaves it alone, and so does ksframe.
    CHECK(md("camera.capture#2") == "camera.capture#2");
    // A 40-digit commit id: no run of 7 hexadecimal digits is left whole.
    CHECK(md("0123456789abcdef0123456789abcdef01234567") ==
          "012345" + kZw + "6789ab" + kZw + "cdef01" + kZw + "234567" + kZw + "89abcd" + kZw +
              "ef0123" + kZw + "4567");
    CHECK(md("fix deadbeef1") == "fix deadbe" + kZw + "ef1");
    // Numbers are numbers; a hex run inside a word is no commit id.
    CHECK(md("16777216 bytes") == "16777216 bytes");
    CHECK(md("KSMEMORY_TYPE_abcdef012") == "KSMEMORY_TYPE_abcdef012");
    CHECK(md("abcdef") == "abcdef");
  }

  TEST_CASE("a code span shows '|' as it is outside a table, escaped inside one") {
    CHECK(code("a|b") == "`a\\|b`");
    CHECK(code_text("a|b") == "`a|b`");
    CHECK(code_text("x`y|z") == "``x`y|z``");
    CHECK(code_text("line\nbreak") == "`line break`");
  }
}
