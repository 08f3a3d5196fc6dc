// Explanations cite docs/algorithm.md by its headings, not by step numbers of a document users
// do not have: every section named must be a heading of that file.
#include <set>

#include "helpers.hpp"
#include "ksframe/negotiate.hpp"

using namespace ksframe;

TEST_SUITE("explanations") {
  TEST_CASE("each step cites its docs/algorithm.md section by heading") {
    CHECK(explanation_section("6.4.3", "memory_type") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 1");
    CHECK(explanation_section("6.4.3.4", "bus_type") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 1");
    CHECK(explanation_section("6.4.5", "frame_size") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 2");
    CHECK(explanation_section("6.4.6", "frames") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 3");
    CHECK(explanation_section("6.4.7", "alignment") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 4");
    CHECK(explanation_section("6.4.8", "flags") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 5");
    CHECK(explanation_section("6.4.8", "frame_size") ==
          "docs/algorithm.md \"4. Linked neighbours\"");
    CHECK(explanation_section("6.4.9.1", "allocator") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 6");
    CHECK(explanation_section("6.4.9.4", "allocator") ==
          "docs/algorithm.md \"2a. The user-mode boundary\"");
    CHECK(explanation_section("6.4.3", "allocator_properties") ==
          "docs/algorithm.md \"2a. The user-mode boundary\"");
    CHECK(explanation_section("6.4.11", "state") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 7");
    CHECK(explanation_section("6.4.12", "legacy") ==
          "docs/algorithm.md \"2. What each pipe gets\", step 7");
    CHECK(explanation_section("9.9", "x") ==
          "docs/algorithm.md \"8. Rule numbers in explanations\"");
  }

  TEST_CASE("every cited heading exists in docs/algorithm.md") {
    const std::string doc = test::read_file(test::source_dir() + "/docs/algorithm.md");
    for (const char* heading :
         {"## 2. What each pipe gets\n", "## 2a. The user-mode boundary\n",
          "## 4. Linked neighbours\n", "## 8. Rule numbers in explanations\n"}) {
      CAPTURE(heading);
      CHECK(doc.find(heading) != std::string::npos);
    }
  }
}
