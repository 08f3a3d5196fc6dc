// Fuzz target: any bytes as `ksframe import` input. As text through the hex reader (plain
// pairs and WinDbg dumps), then the bytes it yields, and the raw bytes themselves, as a
// KSALLOCATOR_FRAMING and a KSALLOCATOR_FRAMING_EX. It must never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "ksframe/export.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> raw(data, size);
  for (auto as : {ksframe::ImportAs::Legacy, ksframe::ImportAs::Ex})
    (void)ksframe::import_framing(raw, as, "fuzz.bin");
  ksframe::Diagnostics diagnostics;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto hex = ksframe::parse_hex_dump(text, "fuzz.txt", diagnostics))
    for (auto as : {ksframe::ImportAs::Legacy, ksframe::ImportAs::Ex})
      (void)ksframe::import_framing(hex->bytes, as, "fuzz.txt");
  return 0;
}
