// Fuzz target: any bytes through the whole pipeline (UTF-8 check, YAML tree, loader,
// lint, every renderer, negotiation, a short simulated load, the review reports, C export). It must
// never crash, hang or throw. Every crasher found is kept in tests/data/fuzz-corpus/, which the
// unit tests replay (tests/unit/fuzz_corpus_test.cpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ksframe/export.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ksframe::MemoryFileReader reader;
  reader.add("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<ksframe::FileLintResult> results{ksframe::lint_file(reader, "fuzz.yaml", {})};
  (void)ksframe::render_lint_text(results, true);
  (void)ksframe::render_lint_json(results);
  (void)ksframe::render_lint_sarif(results);
  (void)ksframe::render_lint_github(results);
  // A spec that loads is also negotiated and driven through a short load.
  if (results[0].spec) {
    const auto& spec = *results[0].spec;
    const auto options = ksframe::negotiate_options(spec);
    auto n = ksframe::negotiate(spec, options);
    ksframe::SimulateOptions so;
    so.frames = 20;
    so.find_starvation_fix = false;
    auto sim = ksframe::simulate(spec, n, so);
    (void)ksframe::render_report_json(spec, n, options, n.diagnostics, &sim);
    // The review renderers and the C export see every string a spec can hold.
    ksframe::Job job{options, std::move(n), std::move(sim), results[0].diagnostics};
    const auto report = ksframe::make_report(spec, job);
    (void)ksframe::render_report_markdown(report);
    (void)ksframe::render_report_html(report);
    (void)ksframe::export_c(spec);
  }
  return 0;
}
