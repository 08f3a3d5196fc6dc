// Fuzz target: any bytes as a saved JSON report (then rendered as Markdown and HTML and diffed
// with itself when they read), and as a binary framing answer for `ksframe import`, legacy and
// EX (fuzz_import covers import on its own, with hex dumps). It must never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "ksframe/diff.hpp"
#include "ksframe/export.hpp"
#include "ksframe/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  if (auto report = ksframe::report_from_json_text(text, "fuzz.json", &error)) {
    (void)ksframe::render_report_markdown(*report);
    (void)ksframe::render_report_html(*report);
    const auto d = ksframe::diff_reports(*report, *report, ksframe::gate_names());
    (void)ksframe::render_diff_text(d);
    (void)ksframe::render_diff_json(d);
    (void)ksframe::render_diff_markdown(d);
  }
  const std::span<const std::uint8_t> bytes(data, size);
  (void)ksframe::import_framing(bytes, ksframe::ImportAs::Legacy, "fuzz.bin");
  (void)ksframe::import_framing(bytes, ksframe::ImportAs::Ex, "fuzz.bin");
  return 0;
}
