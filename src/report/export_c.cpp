// ksframe export --format c: C initializers of the framing and data ranges of every pin the
// driver declares, with ks.h / ksmedia.h names and the spec's own expressions.
#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>

#include "ksframe/export.hpp"
#include "ksframe/format.hpp"
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
    if (name.starts_with("0x"))
      unnamed |= static_cast<ks::ULONG>(std::stoul(name, nullptr, 16));
    else
      out += (out.empty() ? "" : " | ") + name;
  }
  if (unnamed) out += (out.empty() ? "" : " | ") + hex(unnamed);
  return out;
}

// ks.h has STATIC_ forms of the KSMEMORY_TYPE_* GUIDs and of GUID_NULL / KS_TYPE_DONT_CARE;
// wdmguid.h's bus GUIDs have none, so those are written out with their name in a comment.
std::string guid_static(const ks::Guid& g, ks::GuidKind kind) {
  const auto name = ks::name_of_guid(g, kind);
  if (name && (name->starts_with("KSMEMORY_TYPE_") || *name == "GUID_NULL"))
    return "STATIC_" + std::string(*name);
  char buf[128];
  std::snprintf(
      buf, sizeof buf,
      "0x%08XL, 0x%04X, 0x%04X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X",
      g.data1, g.data2, g.data3, g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4],
      g.data4[5], g.data4[6], g.data4[7]);
  return std::string(buf) + (name ? " /* " + std::string(*name) + " */" : "");
}

// Text from the spec (its name, its file's path) inside a C comment: "*/" would end the comment
// and let the rest be compiled, "/*" draws a -Wcomment warning, a line break would spill.
std::string comment_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\n' || c == '\r' || c == '\t')
      out += ' ';
    else if ((c == '*' && i + 1 < s.size() && s[i + 1] == '/') ||
             (c == '/' && i + 1 < s.size() && s[i + 1] == '*'))
      out += std::string(1, c) + ' ';
    else
      out += c;
  }
  return out;
}

std::string ulong_or_unbounded(ks::ULONG v) {
  return v == ks::kUnbounded ? "(ULONG)-1" : std::to_string(v);
}

std::string alignment_expr(const ks::KS_FRAMING_ITEM& item) {
  if (item.Flags & ks::flag::BUFFER_2D_REQUIRED)  // FramePitch shares the field (a LONG)
    return "(ULONG)" +
           std::string(item.FramePitch() < 0 ? "(" + std::to_string(item.FramePitch()) + ")"
                                             : std::to_string(item.FramePitch())) +
           " /* FramePitch */";
  const auto name = ks::name_of(ks::file_alignments(), item.FileAlignment);
  return name ? std::string(*name) : hex(item.FileAlignment);
}

// The spec's expression where it wrote one (`2 * PAGE_SIZE`), else `plain`. C evaluates the
// expression in int, so one whose value is above INT_MAX is written as its number instead.
std::string text_of(const LU32& v, const std::string& plain) {
  return !v.expr.empty() && v.value <= 0x7FFFFFFFu ? v.expr : plain;
}
std::string number(const LU32& v) { return text_of(v, std::to_string(v.value)); }

std::string range(const RangeSpec& r) {
  return "{" + number(r.min) + ", " + text_of(r.max, ulong_or_unbounded(r.max.value)) + ", " +
         number(r.stepping) + "}";
}

std::string alignment_text(const FramingItemSpec& spec, const ks::KS_FRAMING_ITEM& it) {
  if (it.Flags & ks::flag::BUFFER_2D_REQUIRED) return alignment_expr(it);
  return text_of(spec.file_alignment, alignment_expr(it));
}

void item_initializer(std::ostringstream& out, const FramingItemSpec& spec, const char* indent) {
  const ks::KS_FRAMING_ITEM it = spec.value();
  out << indent << "{\n"
      << indent << "    {" << guid_static(it.MemoryType, ks::GuidKind::Memory)
      << "},  /* MemoryType */\n"
      << indent << "    {" << guid_static(it.BusType, ks::GuidKind::Bus) << "},  /* BusType */\n"
      << indent << "    " << hex(it.MemoryFlags) << ",  /* MemoryFlags */\n"
      << indent << "    " << hex(it.BusFlags) << ",  /* BusFlags */\n"
      << indent << "    " << flags_expr(ks::framing_item_flags(), it.Flags) << ",  /* Flags */\n"
      << indent << "    " << number(spec.frames) << ",  /* Frames */\n"
      << indent << "    " << alignment_text(spec, it) << ",  /* FileAlignment */\n"
      << indent << "    " << number(spec.memory_type_weight) << ",  /* MemoryTypeWeight */\n"
      << indent << "    " << range(spec.physical_range) << ",  /* PhysicalRange */\n"
      << indent << "    {" << range(spec.framing_range) << ", " << number(spec.in_place_weight)
      << ", " << number(spec.not_in_place_weight) << "}  /* FramingRange */\n"
      << indent << "}";
}

// The exact expansion of DECLARE_SIMPLE_FRAMING_EX, if these values are one.
bool fits_simple_macro(const ks::KSALLOCATOR_FRAMING_EX& ex) {
  if (ex.CountItems != 1 || ex.FramingItem.size() != 1) return false;
  const auto& it = ex.FramingItem[0];
  return ex == ks::simple_framing_ex(it.MemoryType, it.Flags, it.Frames, it.FileAlignment,
                                     it.FramingRange.Range.MinFrameSize,
                                     it.FramingRange.Range.MaxFrameSize);
}

void export_ex(std::ostringstream& out, const std::string& name, const FramingExSpec& spec) {
  const ks::KSALLOCATOR_FRAMING_EX ex = spec.value();
  if (fits_simple_macro(ex) && spec.items.size() == 1) {
    const auto& it = ex.FramingItem[0];
    const FramingItemSpec& is = spec.items[0];
    out << "DECLARE_SIMPLE_FRAMING_EX(\n    " << name << ",\n    "
        << guid_static(it.MemoryType, ks::GuidKind::Memory) << ",\n    "
        << flags_expr(ks::framing_item_flags(), it.Flags) << ",\n    " << number(is.frames)
        << ",\n    " << alignment_text(is, it) << ",\n    " << number(is.framing_range.min)
        << ",\n    "
        << text_of(is.framing_range.max, ulong_or_unbounded(it.FramingRange.Range.MaxFrameSize))
        << ");\n";
    return;
  }
  const std::size_t n = ex.FramingItem.size();
  if (n > 1) {
    // ks.h declares FramingItem[1]; a pin with more items declares a structure of the same
    // layout and points KSPIN_DESCRIPTOR_EX.AllocatorFraming at it with a cast.
    out << "/* Pass as (const KSALLOCATOR_FRAMING_EX *)&" << name << ". */\n"
        << "const struct {\n    ULONG CountItems;\n    ULONG PinFlags;\n    KS_COMPRESSION "
           "OutputCompression;\n"
        << "    ULONG PinWeight;\n    KS_FRAMING_ITEM FramingItem[" << n << "];\n} " << name
        << " = {\n";
  } else {
    out << "const KSALLOCATOR_FRAMING_EX " << name << " = {\n";
  }
  const auto& c = ex.OutputCompression;
  out << "    " << ex.CountItems << ",  /* CountItems */\n"
      << "    " << hex(ex.PinFlags) << ",  /* PinFlags */\n"
      << "    {"
      << (c.RatioNumerator == ks::kCompressionUnknown ? "(ULONG)-1"
                                                      : std::to_string(c.RatioNumerator))
      << ", " << c.RatioDenominator << ", " << c.RatioConstantMargin
      << "},  /* OutputCompression */\n"
      << "    " << ex.PinWeight << ",  /* PinWeight */\n"
      << "    {\n";
  for (std::size_t i = 0; i < n; ++i) {
    item_initializer(out, spec.items[i], "        ");
    out << (i + 1 < n ? ",\n" : "\n");
  }
  out << "    }\n};\n";
}

void export_legacy(std::ostringstream& out, const std::string& name,
                   const LegacyFramingSpec& spec) {
  const ks::KSALLOCATOR_FRAMING f = spec.value();
  const bool options = spec.flags_kind == LegacyFramingSpec::FlagsKind::Options;
  const auto pool = ks::name_of(ks::pool_types(), f.PoolType);
  const auto alignment = ks::name_of(ks::file_alignments(), f.FileAlignment);
  out << "const KSALLOCATOR_FRAMING " << name << " = {\n"
      << "    "
      << flags_expr(options ? ks::options_flags() : ks::requirements_flags(), f.OptionsFlags)
      << (options ? ",  /* OptionsFlags */\n" : ",  /* RequirementsFlags */\n") << "    "
      << (pool ? std::string(*pool) : std::to_string(f.PoolType)) << ",  /* PoolType */\n"
      << "    " << number(spec.frames) << ",  /* Frames */\n"
      << "    " << number(spec.frame_size) << ",  /* FrameSize */\n"
      << "    "
      << text_of(spec.file_alignment, alignment ? std::string(*alignment) : hex(f.FileAlignment))
      << ",  /* FileAlignment */\n"
      << "    " << f.Reserved << "  /* Reserved */\n};\n";
}

// Format GUIDs with a STATIC_ form in ks.h, ksmedia.h or bdamedia.h; any other is written out,
// its name in a comment (avshws writes MEDIASUBTYPE_YUY2 that way).
std::string format_guid_static(const ks::Guid& g, ks::FormatGuidKind kind) {
  const std::string name = ks::format_guid_name(g, kind);
  for (const char* known :
       {"GUID_NULL", "KSDATAFORMAT_TYPE_VIDEO", "KSDATAFORMAT_TYPE_AUDIO",
        "KSDATAFORMAT_TYPE_STREAM", "KSDATAFORMAT_SUBTYPE_PCM", "KSDATAFORMAT_SUBTYPE_IEEE_FLOAT",
        "KSDATAFORMAT_SUBTYPE_NONE", "KSDATAFORMAT_TYPE_MPEG2_TRANSPORT",
        "KSDATAFORMAT_SUBTYPE_BDA_MPEG2_TRANSPORT", "KSDATAFORMAT_SPECIFIER_VIDEOINFO",
        "KSDATAFORMAT_SPECIFIER_WAVEFORMATEX", "KSDATAFORMAT_SPECIFIER_NONE",
        "KSDATAFORMAT_SPECIFIER_BDA_TRANSPORT"})
    if (name == known) return "STATIC_" + name;
  char buf[128];
  std::snprintf(
      buf, sizeof buf,
      "0x%08XL, 0x%04X, 0x%04X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X, 0x%02X",
      g.data1, g.data2, g.data3, g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4],
      g.data4[5], g.data4[6], g.data4[7]);
  const bool named = ks::find_format_guid(g, kind) != nullptr;
  return std::string(buf) + (named ? " /* " + name + " */" : "");
}

std::string ulong_text(std::uint64_t v) { return std::to_string(v); }

// The KSDATARANGE header every range starts with.
void datarange_header(std::ostringstream& out, const DataRangeSpec& r, const char* type,
                      const std::string& sample_size, const char* indent) {
  out << indent << "sizeof(" << type << "),  /* FormatSize */\n"
      << indent << "0,  /* Flags */\n"
      << indent << sample_size << ",  /* SampleSize */\n"
      << indent << "0,  /* Reserved */\n"
      << indent << "{" << format_guid_static(r.major.value, ks::FormatGuidKind::Major)
      << "},  /* MajorFormat */\n"
      << indent << "{" << format_guid_static(r.subtype.value, ks::FormatGuidKind::Subtype)
      << "},  /* SubFormat */\n"
      << indent << "{" << format_guid_static(r.specifier.value, ks::FormatGuidKind::Specifier)
      << "}  /* Specifier */\n";
}

std::string compression_text(ks::ULONG c) {
  if (c == ks::kBiRgb) return "BI_RGB";
  if (c == ks::kBiBitfields) return "BI_BITFIELDS";
  const std::string name = ks::compression_name(c);
  if (name.size() == 4) {
    bool plain =
        true;  // a FOURCC of letters and digits reads best as MAKEFOURCC-free hex with its code
    for (char ch : name) plain = plain && std::isalnum(static_cast<unsigned char>(ch));
    if (plain) return hex(c) + " /* '" + name + "' */";
  }
  return hex(c);
}

// KS_DATARANGE_VIDEO: the KSDATARANGE, the stream flags, KS_VIDEO_STREAM_CONFIG_CAPS for this one
// size and interval, and the KS_VIDEOINFOHEADER with its BITMAPINFOHEADER.
void export_video(std::ostringstream& out, const std::string& name, const DataRangeSpec& r) {
  const std::uint64_t sample = r.sample_bytes();
  const std::string size_image = r.size_image.present ? number(r.size_image) : ulong_text(sample);
  const std::int64_t height = r.height.value;
  const std::uint64_t abs_height = static_cast<std::uint64_t>(height < 0 ? -height : height);
  const std::uint64_t interval = r.avg_time_per_frame.value;
  // Bits per second of this one format, when it fits the LONGs of the caps.
  std::uint64_t bps = 0;
  if (sample && interval) {
    const long double v =
        static_cast<long double>(sample) * 8 * 1e7L / static_cast<long double>(interval);
    if (v <= 2147483647.0L) bps = static_cast<std::uint64_t>(v);
  }
  const std::string w = number(r.width);
  const std::string h = std::to_string(abs_height);
  const std::string interval_text = !r.avg_time_per_frame.expr.empty() && interval <= 0x7FFFFFFFu
                                        ? r.avg_time_per_frame.expr
                                        : std::to_string(interval);
  out << "const KS_DATARANGE_VIDEO " << name << " = {\n    {\n";
  datarange_header(out, r, "KS_DATARANGE_VIDEO", size_image, "        ");
  out << "    },\n"
      << "    " << (sample ? "TRUE" : "FALSE") << ",  /* bFixedSizeSamples */\n"
      << "    FALSE,  /* bTemporalCompression */\n"
      << "    0,  /* StreamDescriptionFlags */\n"
      << "    0,  /* MemoryAllocationFlags */\n"
      << "    {  /* ConfigCaps: this one size and interval */\n"
      << "        {" << format_guid_static(r.specifier.value, ks::FormatGuidKind::Specifier)
      << "},  /* guid */\n"
      << "        0,  /* VideoStandard: KS_AnalogVideo_None */\n"
      << "        {" << w << ", " << h << "},  /* InputSize */\n"
      << "        {" << w << ", " << h << "},  /* MinCroppingSize */\n"
      << "        {" << w << ", " << h << "},  /* MaxCroppingSize */\n"
      << "        1, 1,  /* CropGranularityX, Y */\n"
      << "        1, 1,  /* CropAlignX, Y */\n"
      << "        {" << w << ", " << h << "},  /* MinOutputSize */\n"
      << "        {" << w << ", " << h << "},  /* MaxOutputSize */\n"
      << "        1, 1,  /* OutputGranularityX, Y */\n"
      << "        0, 0, 0, 0,  /* StretchTapsX, Y, ShrinkTapsX, Y */\n"
      << "        " << interval_text << ",  /* MinFrameInterval */\n"
      << "        " << interval_text << ",  /* MaxFrameInterval */\n"
      << "        " << bps << ",  /* MinBitsPerSecond */\n"
      << "        " << bps << "  /* MaxBitsPerSecond */\n"
      << "    },\n"
      << "    {  /* VideoInfoHeader */\n"
      << "        {0, 0, 0, 0},  /* rcSource */\n"
      << "        {0, 0, 0, 0},  /* rcTarget */\n"
      << "        " << (bps ? std::to_string(bps) : "0") << ",  /* dwBitRate */\n"
      << "        0,  /* dwBitErrorRate */\n"
      << "        " << interval_text << ",  /* AvgTimePerFrame */\n"
      << "        {\n"
      << "            sizeof(KS_BITMAPINFOHEADER),  /* biSize */\n"
      << "            " << w << ",  /* biWidth */\n"
      << "            " << (r.height.expr.empty() ? std::to_string(height) : r.height.expr)
      << ",  /* biHeight */\n"
      << "            1,  /* biPlanes */\n"
      << "            " << number(r.bit_count) << ",  /* biBitCount */\n"
      << "            " << compression_text(r.compression.value) << ",  /* biCompression */\n"
      << "            " << size_image << ",  /* biSizeImage */\n"
      << "            0, 0, 0, 0  /* biXPelsPerMeter, biYPelsPerMeter, biClrUsed, biClrImportant "
         "*/\n"
      << "        }\n"
      << "    }\n"
      << "};\n";
}

void export_audio(std::ostringstream& out, const std::string& name, const DataRangeSpec& r) {
  out << "const KSDATARANGE_AUDIO " << name << " = {\n    {\n";
  datarange_header(out, r, "KSDATARANGE_AUDIO", "0", "        ");
  out << "    },\n"
      << "    " << number(r.max_channels) << ",  /* MaximumChannels */\n"
      << "    " << number(r.bits_min) << ",  /* MinimumBitsPerSample */\n"
      << "    " << number(r.bits_max) << ",  /* MaximumBitsPerSample */\n"
      << "    " << number(r.rate_min) << ",  /* MinimumSampleFrequency */\n"
      << "    " << number(r.rate_max) << "  /* MaximumSampleFrequency */\n"
      << "};\n";
}

void export_plain(std::ostringstream& out, const std::string& name, const DataRangeSpec& r) {
  // ks.h has no flag for a fixed sample size (KSDATARANGE_ATTRIBUTES says an attribute list
  // follows): a fixed size is the SampleSize itself.
  out << "const KSDATARANGE " << name << " = {\n";
  datarange_header(out, r, "KSDATARANGE", number(r.sample_size), "    ");
  out << "};" << (r.fixed_size.value ? "  /* fixed_size: every sample is SampleSize bytes */" : "")
      << "\n";
}

// Each range of the pin, then the table KSPIN_DESCRIPTOR.DataRanges points at. The table holds
// the KSDATARANGE each range starts with (the same address as the whole range).
void export_ranges(std::ostringstream& out, const std::string& stem, const PinSpec& p) {
  std::vector<std::string> entries;
  for (std::size_t i = 0; i < p.data_ranges.size(); ++i) {
    const DataRangeSpec& r = p.data_ranges[i];
    const std::string name = stem + "DataRange" + std::to_string(i);
    switch (r.kind.value) {
      case DataRangeSpec::Kind::Video:
        export_video(out, name, r);
        entries.push_back("(PKSDATARANGE)&" + name + ".DataRange");
        break;
      case DataRangeSpec::Kind::Audio:
        export_audio(out, name, r);
        entries.push_back("(PKSDATARANGE)&" + name + ".DataRange");
        break;
      case DataRangeSpec::Kind::Plain:
        export_plain(out, name, r);
        entries.push_back("(PKSDATARANGE)&" + name);
        break;
    }
  }
  out << "const PKSDATARANGE " << stem << "DataRanges[] = {\n";
  for (std::size_t i = 0; i < entries.size(); ++i)
    out << "    " << entries[i] << (i + 1 < entries.size() ? ",\n" : "\n");
  out << "};\n";
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
  // The pins a driver declares: a user_mode pin stands for KsProxy or an application, which no
  // driver's KSPIN_DESCRIPTOR_EX holds.
  std::string skipped;
  bool any_ranges = false, any_ex = false;
  for (const auto& f : spec.filters)
    for (const auto& p : f.pins) {
      if (p.user_mode.value) {
        if (p.framing || p.framing_ex || !p.data_ranges.empty())
          skipped += (skipped.empty() ? "" : ", ") + f.name.value + "." + p.name.value;
        continue;
      }
      any_ranges = any_ranges || !p.data_ranges.empty();
      any_ex = any_ex || p.framing_ex.has_value();
    }
  std::ostringstream out;
  // Stems are letters and digits only, so "<stem>_<n>" can never equal another pin's stem:
  // a plain "<stem><n>" made a.b_c, a.b_c_2 and a_b.c all ABC2.
  std::map<std::string, int> used;
  bool any = false;
  for (const auto& f : spec.filters)
    for (const auto& p : f.pins) {
      if (p.user_mode.value) continue;
      if (!p.framing && !p.framing_ex && p.data_ranges.empty()) continue;
      std::string stem = c_identifier_stem(f.name.value, p.name.value);
      if (const int n = used[stem]++; n > 0) stem += "_" + std::to_string(n + 1);
      const Location at = spec.at(p.pos);
      out << "\n/* " << f.name.value << "." << p.name.value << " (" << comment_text(at.file) << ":"
          << at.line << ":" << at.column << ") */\n";
      if (p.framing_ex) export_ex(out, stem + "AllocatorFramingEx", *p.framing_ex);
      if (p.framing && !p.framing_ex)
        out << "/* KSPIN_DESCRIPTOR_EX.AllocatorFraming takes a KSALLOCATOR_FRAMING_EX, which this "
               "pin does not declare:\n"
               " * this is what its KSPROPERTY_CONNECTION_ALLOCATORFRAMING handler returns. */\n";
      if (p.framing) export_legacy(out, stem + "AllocatorFraming", *p.framing);
      if (!p.data_ranges.empty()) export_ranges(out, stem, p);
      any = true;
    }
  if (!any) out << "\n/* No pin the driver declares has framing or data ranges. */\n";
  const std::string body = out.str();
  std::ostringstream head;
  head << "/* Allocator framing" << (any_ranges ? " and data ranges" : "") << " of "
       << comment_text(spec.name.present ? spec.name.value : spec.file) << ", exported by ksframe "
       << KSFRAME_VERSION << " from " << comment_text(spec.file) << ".\n"
       << " * Needs <ks.h>" << (any_ranges ? " and <ksmedia.h>" : "")
       << (body.find("PAGE_SIZE") != std::string::npos ? "; PAGE_SIZE comes from <wdm.h>." : ".");
  if (any_ex)
    head << "\n * Point each pin's KSPIN_DESCRIPTOR_EX.AllocatorFraming at its _EX initializer.";
  if (any_ranges) head << "\n * Point KSPIN_DESCRIPTOR.DataRanges at a pin's DataRanges table.";
  if (!skipped.empty())
    head << "\n * Not exported: " << skipped << " (user_mode: KsProxy or application pins).";
  head << " */\n";
  return head.str() + body;
}

}  // namespace ksframe
