// Fuzz target: any bytes through the loader and the lint rules only (UTF-8 check, YAML tree,
// loader, rules), without negotiation, simulation or rendering. The whole-pipeline
// target (fuzz_spec_loader) spends most of its time in the simulated load; this one reaches
// the parser's corners hundreds of times faster. It must never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ksframe/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ksframe::MemoryFileReader reader;
  reader.add("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  (void)ksframe::lint_file(reader, "fuzz.yaml", {});
  return 0;
}
