// Replays the fuzz corpus (seeds and every crasher ever found) through the lint pipeline: each
// input must produce diagnostics or none, and never crash (the sanitizer build checks memory).
#include <filesystem>

#include "helpers.hpp"
#include "ksframe/render.hpp"

TEST_SUITE("fuzz") {
  TEST_CASE("every corpus input goes through load, lint and every renderer") {
    ksframe::DiskFileReader disk;
    int inputs = 0;
    for (const auto& e : std::filesystem::directory_iterator(test::source_dir() + "/tests/data/fuzz-corpus")) {
      std::vector<ksframe::FileLintResult> results{ksframe::lint_file(disk, e.path().string(), {})};
      CHECK_FALSE(render_lint_sarif(results).empty());
      CHECK_FALSE(render_lint_json(results).empty());
      ++inputs;
    }
    CHECK(inputs >= 20);
  }
}
