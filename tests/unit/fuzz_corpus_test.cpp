// Replays tests/data/fuzz-corpus (minimized seeds and every input a fuzz target ever crashed
// or hung on) through what the targets in fuzz/ run: spec/ through load, lint, negotiation, a
// short load and every renderer; report/ through the saved-report reader and the review
// renderers; import/ through the hex reader and both structure decoders. Nothing may crash
// or throw (the sanitizer build checks memory), and each input must end in a definite answer.
#include <filesystem>

#include "helpers.hpp"
#include "ksframe/diff.hpp"
#include "ksframe/export.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"

namespace {

std::vector<std::filesystem::path> corpus(const char* kind) {
  std::vector<std::filesystem::path> files;
  for (const auto& e :
       std::filesystem::directory_iterator(test::source_dir() + "/tests/data/fuzz-corpus/" + kind))
    files.push_back(e.path());
  return files;
}

}  // namespace

TEST_SUITE("fuzz") {
  TEST_CASE("spec corpus: load, lint, negotiate, a short load and the renderers") {
    ksframe::DiskFileReader disk;
    const auto files = corpus("spec");
    CHECK(files.size() >= 1);
    for (const auto& path : files) {
      const auto result = ksframe::lint_file(disk, path.string(), {});
      // A definite answer: a spec, or errors that say why there is none.
      CHECK_MESSAGE((result.spec.has_value() || ksframe::has_errors(result.diagnostics)), path);
      const std::vector<ksframe::FileLintResult> results{result};
      (void)render_lint_sarif(results);
      (void)render_lint_json(results);
      if (!result.spec) continue;
      const auto options = ksframe::negotiate_options(*result.spec);
      auto n = ksframe::negotiate(*result.spec, options);
      ksframe::SimulateOptions so;
      so.frames = 20;
      so.find_starvation_fix = false;
      auto sim = ksframe::simulate(*result.spec, n, so);
      ksframe::Job job{options, std::move(n), std::move(sim), result.diagnostics};
      const auto report = ksframe::make_report(*result.spec, job);
      (void)ksframe::render_report_markdown(report);
      (void)ksframe::render_report_html(report);
    }
  }

  TEST_CASE("report corpus: read or refused with a reason") {
    for (const auto& path : corpus("report")) {
      std::string error;
      const auto report =
          ksframe::report_from_json_text(test::read_file(path.string()), "r.json", &error);
      CHECK_MESSAGE((report.has_value() || error.starts_with("r.json")), path);
      if (!report) continue;
      (void)ksframe::render_report_markdown(*report);
      (void)ksframe::render_report_html(*report);
      (void)ksframe::render_diff_json(
          ksframe::diff_reports(*report, *report, ksframe::gate_names()));
    }
  }

  TEST_CASE("import corpus: the hex reader and both decoders") {
    for (const auto& path : corpus("import")) {
      const std::string text = test::read_file(path.string());
      const std::vector<std::uint8_t> raw(text.begin(), text.end());
      for (auto as : {ksframe::ImportAs::Legacy, ksframe::ImportAs::Ex}) {
        const auto r = ksframe::import_framing(raw, as, "i.bin");
        CHECK_MESSAGE((!r.yaml.empty() || ksframe::has_errors(r.diagnostics)), path);
      }
      ksframe::Diagnostics d;
      const auto hex = ksframe::parse_hex_dump(text, "i.txt", d);
      CHECK_MESSAGE((hex.has_value() || ksframe::has_errors(d)), path);
    }
  }
}
