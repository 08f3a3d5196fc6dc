// Replays the fuzz corpus (seeds and every crasher ever found) through the lint pipeline: each
// input must produce diagnostics or none, and never crash (the sanitizer build checks memory).
#include <filesystem>

#include "helpers.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/simulate.hpp"

TEST_SUITE("fuzz") {
  TEST_CASE("every corpus input goes through load, lint and every renderer") {
    ksframe::DiskFileReader disk;
    int inputs = 0;
    for (const auto& e : std::filesystem::directory_iterator(test::source_dir() + "/tests/data/fuzz-corpus")) {
      std::vector<ksframe::FileLintResult> results{ksframe::lint_file(disk, e.path().string(), {})};
      CHECK_FALSE(render_lint_sarif(results).empty());
      CHECK_FALSE(render_lint_json(results).empty());
      if (results[0].spec) {  // as the fuzz target does: negotiate and a short load
        auto n = ksframe::negotiate(*results[0].spec, ksframe::negotiate_options(*results[0].spec));
        ksframe::SimulateOptions so;
        so.frames = 20;
        so.find_starvation_fix = false;
        (void)ksframe::simulate(*results[0].spec, n, so);
      }
      ++inputs;
    }
    CHECK(inputs >= 20);
  }
}
