// ksframe export --format c: C initializers of every pin's framing, with ks.h names.
#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>

#include "ksframe/export.hpp"
#include "ksframe/ks.hpp"

namespace ksframe {
namespace {

std::string hex(ks::ULONG v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

// Flags as `NAME | NAME`, with any bit the table does not name as one hex literal, so the
// expression always has exactly the spec's value.
std::string flags_expr(ks::Table table, ks::ULONG value) {
  if (value == 0) return "0";
  std::string out;
  ks::ULONG unnamed = 0;
  for (const auto& name : ks::flag_names(table, value)) {
    if (name.starts_with("0x")) unnamed |= static_cast<ks::ULONG>(std::stoul(name, nullptr, 16));
    else out += (out.empty() ? "" : " | ") + name;
  }
  if (unnamed) out += (out.empty() ? "" : " | ") + hex(unnamed);
  return out;
}

// ks.h has STATIC_ forms of the KSMEMORY_TYPE_* GUIDs and of GUID_NULL / KS_TYPE_DONT_CARE;
// wdmguid.h's bus GUIDs have none, so those are written out with their name in a comment.
std::string guid_static(const ks::Guid& g, ks::GuidKind kind) {
  const auto name = ks::name_of_guid(g, kind);
  if (name && (name->starts_with("KSMEMORY_TYPE_") || *name == "GUID_NULL")) return "STATIC_" + std::string(*name);
  char buf[128];
  std::snprintf(buf, sizeof buf, "0x%08XL, 0x%04X, 0x%04X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X",
                g.data1, g.data2, g.data3, g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4], g.data4[5],
                g.data4[6], g.data4[7]);
  return std::string(buf) + (name ? " /* " + std::string(*name) + " */" : "");
}

// Text from the spec (its name, its file's path) inside a C comment: "*/" would end the comment
// and let the rest be compiled, "/*" draws a -Wcomment warning, a line break would spill.
std::string comment_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else if ((c == '*' && i + 1 < s.size() && s[i + 1] == '/') || (c == '/' && i + 1 < s.size() && s[i + 1] == '*'))
      out += std::string(1, c) + ' ';
    else out += c;
  }
  return out;
}

std::string ulong_or_unbounded(ks::ULONG v) { return v == ks::kUnbounded ? "(ULONG)-1" : std::to_string(v); }

std::string alignment_expr(const ks::KS_FRAMING_ITEM& item) {
  if (item.Flags & ks::flag::BUFFER_2D_REQUIRED)  // FramePitch shares the field (a LONG)
    return "(ULONG)" + std::string(item.FramePitch() < 0 ? "(" + std::to_string(item.FramePitch()) + ")" : std::to_string(item.FramePitch())) +
           " /* FramePitch */";
  const auto name = ks::name_of(ks::file_alignments(), item.FileAlignment);
  return name ? std::string(*name) : hex(item.FileAlignment);
}

std::string range(const ks::KS_FRAMING_RANGE& r) {
  return "{" + std::to_string(r.MinFrameSize) + ", " + ulong_or_unbounded(r.MaxFrameSize) + ", " +
         std::to_string(r.Stepping) + "}";
}

void item_initializer(std::ostringstream& out, const ks::KS_FRAMING_ITEM& it, const char* indent) {
  out << indent << "{\n"
      << indent << "    {" << guid_static(it.MemoryType, ks::GuidKind::Memory) << "},  /* MemoryType */\n"
      << indent << "    {" << guid_static(it.BusType, ks::GuidKind::Bus) << "},  /* BusType */\n"
      << indent << "    " << hex(it.MemoryFlags) << ",  /* MemoryFlags */\n"
      << indent << "    " << hex(it.BusFlags) << ",  /* BusFlags */\n"
      << indent << "    " << flags_expr(ks::framing_item_flags(), it.Flags) << ",  /* Flags */\n"
      << indent << "    " << it.Frames << ",  /* Frames */\n"
      << indent << "    " << alignment_expr(it) << ",  /* FileAlignment */\n"
      << indent << "    " << it.MemoryTypeWeight << ",  /* MemoryTypeWeight */\n"
      << indent << "    " << range(it.PhysicalRange) << ",  /* PhysicalRange */\n"
      << indent << "    {" << range(it.FramingRange.Range) << ", " << it.FramingRange.InPlaceWeight << ", "
      << it.FramingRange.NotInPlaceWeight << "}  /* FramingRange */\n"
      << indent << "}";
}

// The exact expansion of DECLARE_SIMPLE_FRAMING_EX, if these values are one.
bool fits_simple_macro(const ks::KSALLOCATOR_FRAMING_EX& ex) {
  if (ex.CountItems != 1 || ex.FramingItem.size() != 1) return false;
  const auto& it = ex.FramingItem[0];
  return ex == ks::simple_framing_ex(it.MemoryType, it.Flags, it.Frames, it.FileAlignment,
                                     it.FramingRange.Range.MinFrameSize, it.FramingRange.Range.MaxFrameSize);
}

void export_ex(std::ostringstream& out, const std::string& name, const ks::KSALLOCATOR_FRAMING_EX& ex) {
  if (fits_simple_macro(ex)) {
    const auto& it = ex.FramingItem[0];
    out << "DECLARE_SIMPLE_FRAMING_EX(\n    " << name << ",\n    "
        << guid_static(it.MemoryType, ks::GuidKind::Memory) << ",\n    "
        << flags_expr(ks::framing_item_flags(), it.Flags) << ",\n    " << it.Frames << ",\n    " << alignment_expr(it)
        << ",\n    " << it.FramingRange.Range.MinFrameSize << ",\n    "
        << ulong_or_unbounded(it.FramingRange.Range.MaxFrameSize) << ");\n";
    return;
  }
  const std::size_t n = ex.FramingItem.size();
  if (n > 1) {
    // ks.h declares FramingItem[1]; a pin with more items declares a structure of the same
    // layout and points KSPIN_DESCRIPTOR_EX.AllocatorFraming at it with a cast.
    out << "/* Pass as (const KSALLOCATOR_FRAMING_EX *)&" << name << ". */\n"
        << "const struct {\n    ULONG CountItems;\n    ULONG PinFlags;\n    KS_COMPRESSION OutputCompression;\n"
        << "    ULONG PinWeight;\n    KS_FRAMING_ITEM FramingItem[" << n << "];\n} " << name << " = {\n";
  } else {
    out << "const KSALLOCATOR_FRAMING_EX " << name << " = {\n";
  }
  const auto& c = ex.OutputCompression;
  out << "    " << ex.CountItems << ",  /* CountItems */\n"
      << "    " << hex(ex.PinFlags) << ",  /* PinFlags */\n"
      << "    {" << (c.RatioNumerator == ks::kCompressionUnknown ? "(ULONG)-1" : std::to_string(c.RatioNumerator)) << ", "
      << c.RatioDenominator << ", " << c.RatioConstantMargin << "},  /* OutputCompression */\n"
      << "    " << ex.PinWeight << ",  /* PinWeight */\n"
      << "    {\n";
  for (std::size_t i = 0; i < n; ++i) {
    item_initializer(out, ex.FramingItem[i], "        ");
    out << (i + 1 < n ? ",\n" : "\n");
  }
  out << "    }\n};\n";
}

void export_legacy(std::ostringstream& out, const std::string& name, const LegacyFramingSpec& spec) {
  const ks::KSALLOCATOR_FRAMING f = spec.value();
  const bool options = spec.flags_kind == LegacyFramingSpec::FlagsKind::Options;
  const auto pool = ks::name_of(ks::pool_types(), f.PoolType);
  const auto alignment = ks::name_of(ks::file_alignments(), f.FileAlignment);
  out << "const KSALLOCATOR_FRAMING " << name << " = {\n"
      << "    " << flags_expr(options ? ks::options_flags() : ks::requirements_flags(), f.OptionsFlags)
      << (options ? ",  /* OptionsFlags */\n" : ",  /* RequirementsFlags */\n")
      << "    " << (pool ? std::string(*pool) : std::to_string(f.PoolType)) << ",  /* PoolType */\n"
      << "    " << f.Frames << ",  /* Frames */\n"
      << "    " << f.FrameSize << ",  /* FrameSize */\n"
      << "    " << (alignment ? std::string(*alignment) : hex(f.FileAlignment)) << ",  /* FileAlignment */\n"
      << "    " << f.Reserved << "  /* Reserved */\n};\n";
}

}  // namespace

std::string c_identifier_stem(std::string_view filter, std::string_view pin) {
  std::string out;
  for (std::string_view part : {filter, pin}) {
    bool upper = true;
    for (char c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "Pin" + out;
  return out;
}

std::string export_c(const Spec& spec) {
  std::ostringstream out;
  out << "/* Allocator framing of " << comment_text(spec.name.present ? spec.name.value : spec.file)
      << ", exported by ksframe " << KSFRAME_VERSION << " from " << comment_text(spec.file) << ".\n"
      << " * Needs <ks.h>. Point each pin's KSPIN_DESCRIPTOR_EX.AllocatorFraming at its _EX initializer. */\n";
  // Stems are letters and digits only, so "<stem>_<n>" can never equal another pin's stem:
  // a plain "<stem><n>" made a.b_c, a.b_c_2 and a_b.c all ABC2.
  std::map<std::string, int> used;
  bool any = false;
  for (const auto& f : spec.filters)
    for (const auto& p : f.pins) {
      if (!p.framing && !p.framing_ex) continue;
      std::string stem = c_identifier_stem(f.name.value, p.name.value);
      if (const int n = used[stem]++; n > 0) stem += "_" + std::to_string(n + 1);
      out << "\n/* " << f.name.value << "." << p.name.value << " (" << comment_text(spec.file) << ":" << p.pos.line << ":"
          << p.pos.column << ") */\n";
      if (p.framing_ex) export_ex(out, stem + "AllocatorFramingEx", p.framing_ex->value());
      if (p.framing) export_legacy(out, stem + "AllocatorFraming", *p.framing);
      any = true;
    }
  if (!any) out << "\n/* No pin of this spec declares framing. */\n";
  return out.str();
}

}  // namespace ksframe
