// `ksframe export --format c` and `ksframe import`: the spec's framing as C a driver can paste,
// and a binary framing structure (as a device returns it) back into spec YAML.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

/// C initializers for every pin's framing: DECLARE_SIMPLE_FRAMING_EX where the framing is
/// exactly what that macro builds, an explicit KSALLOCATOR_FRAMING_EX initializer otherwise
/// (a struct of the same layout with FramingItem[N] when there is more than one item), and
/// KSALLOCATOR_FRAMING for legacy framing. Flags, GUIDs, alignments and pool types by name.
std::string export_c(const Spec& spec);

/// "camera" + "capture" -> "CameraCapture": the stem of the exported variable names.
std::string c_identifier_stem(std::string_view filter, std::string_view pin);

/// Bytes read from a hex dump, each with where its digits were written.
struct HexBytes {
  std::vector<std::uint8_t> bytes;
  std::vector<Location> where;
};

/// `ksframe import --input-format hex`: plain hex (digit pairs, 0x optional, separated by
/// spaces, commas or line breaks, '#' comments) or WinDbg db/dw/dd/dc/dq output as the
/// debugger prints it (address column, '-' between bytes 8 and 9, little-endian units, ASCII
/// column, prompt lines), told apart line by line. On the first problem, a located KSF0023
/// diagnostic and nullopt.
std::optional<HexBytes> parse_hex_dump(std::string_view text, const std::string& name,
                                       Diagnostics& diagnostics);

enum class ImportAs { Legacy, Ex };

struct ImportResult {
  std::string yaml;         ///< the pin's framing in the spec format ("" on errors)
  Diagnostics diagnostics;  ///< size checks, located at byte offsets of `file` (line 1)
};

/// Decodes a binary KSALLOCATOR_FRAMING (24 bytes) or KSALLOCATOR_FRAMING_EX (24 + 88 x
/// CountItems) with the kernel's size checks, and writes it as the `framing:` or `framing_ex:`
/// block of a pin. Trailing bytes after the structure are a warning (the property answered
/// more than it described). `file` names the input in diagnostics; every YAML line starts with
/// `indent` (eight spaces put the block under a pin of a spec).
ImportResult import_framing(std::span<const std::uint8_t> bytes, ImportAs as,
                            const std::string& file, const std::string& indent = {});

}  // namespace ksframe
