// Fuzz target: any bytes through the whole lint pipeline (UTF-8 check, YAML tree, schema,
// loader, lint, every renderer). It must never crash, hang or throw. Every crasher found is kept
// in tests/data/fuzz-corpus/, which the unit tests replay (tests/unit/fuzz_corpus_test.cpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ksframe::MemoryFileReader reader;
  reader.add("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<ksframe::FileLintResult> results{ksframe::lint_file(reader, "fuzz.yaml", {})};
  (void)ksframe::render_lint_text(results, true);
  (void)ksframe::render_lint_json(results);
  (void)ksframe::render_lint_sarif(results);
  (void)ksframe::render_lint_github(results);
  return 0;
}
