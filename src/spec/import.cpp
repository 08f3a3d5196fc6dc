// ksframe import: a binary framing structure, as the framing property returns it, turned into
// the spec format. The kernel's size checks come first (ks::decode_framing*), as located
// diagnostics; nothing is written for a buffer that fails them.
#include <optional>
#include <sstream>
#include <utility>

#include "ksframe/export.hpp"
#include "ksframe/ks.hpp"
#include "ksframe/rules.hpp"

namespace ksframe {
namespace {

std::string range_yaml(const ks::KS_FRAMING_RANGE& r) {
  return "{min: " + std::to_string(r.MinFrameSize) +
         ", max: " + ks::maximum_spec_text(r.MaxFrameSize) +
         ", stepping: " + std::to_string(r.Stepping) + "}";
}

std::string alignment_yaml(ks::ULONG flags, ks::ULONG value) {
  if (flags & ks::flag::BUFFER_2D_REQUIRED)
    return std::to_string(value) + "  # FramePitch " +
           std::to_string(static_cast<std::int32_t>(value));
  const auto name = ks::name_of(ks::file_alignments(), value);
  return name ? std::string(*name) : ks::hex32(value);
}

std::string ex_yaml(const ks::KSALLOCATOR_FRAMING_EX& ex, const std::string& indent) {
  std::ostringstream out;
  const auto& c = ex.OutputCompression;
  out << indent << "framing_ex:\n"
      << indent << "  count_items: " << ex.CountItems << "\n"
      << indent << "  pin_flags: " << ex.PinFlags << "\n"
      << indent << "  output_compression: {numerator: "
      << (c.RatioNumerator == ks::kCompressionUnknown ? "unknown"
                                                      : std::to_string(c.RatioNumerator))
      << ", denominator: " << c.RatioDenominator << ", constant_margin: " << c.RatioConstantMargin
      << "}\n"
      << indent << "  pin_weight: " << ex.PinWeight << "\n"
      << indent << (ex.FramingItem.empty() ? "  items: []\n" : "  items:\n");
  for (const auto& it : ex.FramingItem) {
    out << indent
        << "    - memory_type: " << ks::guid_name_or_text(it.MemoryType, ks::GuidKind::Memory)
        << "\n"
        << indent << "      bus_type: " << ks::guid_name_or_text(it.BusType, ks::GuidKind::Bus)
        << "\n"
        << indent << "      memory_flags: " << ks::hex32(it.MemoryFlags) << "\n"
        << indent << "      bus_flags: " << ks::hex32(it.BusFlags) << "\n"
        << indent << "      flags: " << ks::flags_spec_text(ks::framing_item_flags(), it.Flags)
        << "\n"
        << indent << "      frames: " << it.Frames << "\n"
        << indent << "      file_alignment: " << alignment_yaml(it.Flags, it.FileAlignment) << "\n"
        << indent << "      memory_type_weight: " << it.MemoryTypeWeight << "\n"
        << indent << "      physical_range: " << range_yaml(it.PhysicalRange) << "\n"
        << indent << "      framing_range: {min: " << it.FramingRange.Range.MinFrameSize
        << ", max: " << ks::maximum_spec_text(it.FramingRange.Range.MaxFrameSize)
        << ", stepping: " << it.FramingRange.Range.Stepping
        << ", in_place_weight: " << it.FramingRange.InPlaceWeight
        << ", not_in_place_weight: " << it.FramingRange.NotInPlaceWeight << "}\n";
  }
  return out.str();
}

std::string legacy_yaml(const ks::KSALLOCATOR_FRAMING& f, const std::string& indent) {
  const auto pool = ks::name_of(ks::pool_types(), f.PoolType);
  const auto alignment = ks::name_of(ks::file_alignments(), f.FileAlignment);
  std::ostringstream out;
  out << indent << "framing:\n"
      << indent
      << "  requirements_flags: " << ks::flags_spec_text(ks::requirements_flags(), f.OptionsFlags)
      << "\n"
      << indent << "  pool_type: " << (pool ? std::string(*pool) : std::to_string(f.PoolType))
      << "\n"
      << indent << "  frames: " << f.Frames << "\n"
      << indent << "  frame_size: " << f.FrameSize << "\n"
      << indent
      << "  file_alignment: " << (alignment ? std::string(*alignment) : ks::hex32(f.FileAlignment))
      << "\n"
      << indent << "  reserved: " << f.Reserved << "\n";
  return out.str();
}

// A buffer of exactly 24 + 88 x N bytes (N >= 1) that passes the EX size checks.
std::optional<ks::ULONG> ex_items(std::span<const std::uint8_t> bytes) {
  const auto ex = ks::decode_framing_ex(bytes);
  if (!ex || ex.value->CountItems == 0 ||
      ks::sizeof_framing_ex(ex.value->CountItems) != bytes.size())
    return std::nullopt;
  return ex.value->CountItems;
}

std::string ex_hint(std::span<const std::uint8_t> bytes) {
  return ex_items(bytes) ? "import it with --as ex"
                         : "check that the file is the framing property's answer";
}

// Why `bytes` cannot be a KSALLOCATOR_FRAMING, and the byte offset to point at; nullopt when
// they can. Trailing bytes alone are only a warning (a capture may hold more than the answer),
// unless the whole buffer is exactly an EX structure.
std::optional<std::pair<std::string, std::uint64_t>> not_legacy(std::span<const std::uint8_t> bytes,
                                                                const ks::KSALLOCATOR_FRAMING& f) {
  if (const auto items = ex_items(bytes); items && bytes.size() != ks::kSizeofFraming)
    return std::pair("the buffer has " + std::to_string(bytes.size()) +
                         " bytes, a KSALLOCATOR_FRAMING has 24; it is "
                         "exactly a KSALLOCATOR_FRAMING_EX with " +
                         std::to_string(*items) + " framing item" + (*items == 1 ? "" : "s") +
                         " (24 + 88 x " + std::to_string(*items) + ")",
                     std::uint64_t{0});
  if (!ks::name_of(ks::pool_types(), f.PoolType))
    return std::pair("bytes 4-7 hold PoolType " + std::to_string(f.PoolType) +
                         ", which is no POOL_TYPE: this is not a KSALLOCATOR_FRAMING",
                     std::uint64_t{4});
  if (f.Reserved != 0)
    return std::pair("bytes 20-23 hold Reserved " + std::to_string(f.Reserved) +
                         ", which is 0 in a KSALLOCATOR_FRAMING: this is not one",
                     std::uint64_t{20});
  return std::nullopt;
}

}  // namespace

ImportResult import_framing(std::span<const std::uint8_t> bytes, ImportAs as,
                            const std::string& file, const std::string& indent) {
  ImportResult r;
  // Binary input has no lines: line 1, and the column is the byte offset + 1.
  auto at = [&](std::uint64_t offset) {
    return Location{file, 1, static_cast<std::uint32_t>(offset + 1)};
  };
  auto error = [&](const ks::DecodeError& e, std::uint64_t offset) {
    const auto status = ks::name_of(ks::ntstatus_values(), e.status);
    r.diagnostics.push_back(make_diagnostic(
        "KSF0021",
        e.message + " (the kernel answers " +
            (status ? std::string(*status) : ks::hex32(e.status)) + ")",
        at(offset),
        "capture the whole property buffer: a device's framing answer is " +
            std::string(as == ImportAs::Legacy ? "24 bytes" : "24 + 88 x CountItems bytes")));
  };
  std::uint64_t needed = 0;
  if (as == ImportAs::Legacy) {
    const auto decoded = ks::decode_framing(bytes);
    if (!decoded) {
      error(*decoded.error, bytes.size());
      return r;
    }
    if (auto why = not_legacy(bytes, *decoded.value)) {
      r.diagnostics.push_back(
          make_diagnostic("KSF0024", why->first, at(why->second), ex_hint(bytes)));
      return r;
    }
    needed = ks::kSizeofFraming;
    r.yaml = legacy_yaml(*decoded.value, indent);
  } else {
    const auto decoded = ks::decode_framing_ex(bytes);
    if (!decoded) {
      // A short header is found at its end; a CountItems that does not fit, at CountItems.
      error(*decoded.error, bytes.size() < ks::kSizeofFramingExHeader ? bytes.size() : 0);
      return r;
    }
    needed = ks::sizeof_framing_ex(decoded.value->CountItems);
    r.yaml = ex_yaml(*decoded.value, indent);
  }
  if (bytes.size() > needed) {
    r.diagnostics.push_back(make_diagnostic(
        "KSF0022",
        std::to_string(bytes.size() - needed) + " bytes follow the " + std::to_string(needed) +
            "-byte structure and were ignored",
        at(needed), "check --as: a KSALLOCATOR_FRAMING_EX read as legacy leaves its items behind"));
  }
  return r;
}

}  // namespace ksframe
