// `negotiate --explain`: the formats a spec's pins stream and the numbers the loader derived from
// them, each connection's format, and which framing (declared or edited) negotiation used.
#include <cstdio>
#include <sstream>

#include "ksframe/format.hpp"
#include "ksframe/render.hpp"

namespace ksframe {
namespace {

std::string where(const Spec& spec, Position pos) {
  const Location at = spec.at(pos);
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

std::string derived(const DataRangeSpec& r) {
  using Kind = DataRangeSpec::Kind;
  std::string s;
  if (r.kind.value == Kind::Video) {
    if (r.size_image.present)
      s = "image " + std::to_string(r.size_image.value) + " bytes (size_image as stated";
    else if (r.derived_image_size)
      s = "image " + std::to_string(r.derived_image_size) + " bytes (computed";
    else
      s = "image size not fixed (compressed, no size_image";
    if (r.derived_image_size)
      s += ": " + std::to_string(r.derived_stride) + "-byte rows x " +
           std::to_string(r.height.value < 0 ? -r.height.value : r.height.value) + " = " +
           std::to_string(r.derived_image_size);
    s += "), compression " + ks::compression_name(r.compression.value);
    if (r.avg_time_per_frame.value) {
      char fps[64];
      std::snprintf(fps, sizeof fps, ", %.3f frames/s (AvgTimePerFrame %llu)",
                    1e7 / static_cast<double>(r.avg_time_per_frame.value),
                    static_cast<unsigned long long>(r.avg_time_per_frame.value));
      s += fps;
    }
  } else if (r.kind.value == Kind::Audio) {
    s = "block align " + std::to_string(r.block_align_min) + "-" +
        std::to_string(r.block_align_max) + " bytes, " + std::to_string(r.byte_rate_min) + "-" +
        std::to_string(r.byte_rate_max) + " bytes/s";
  } else {
    s = r.fixed_size.value ? "fixed " + std::to_string(r.sample_size.value) + "-byte samples"
                           : "SampleSize " + std::to_string(r.sample_size.value) + " (not fixed)";
  }
  return s;
}

}  // namespace

std::string render_formats_text(const Spec& spec) {
  std::ostringstream out;
  bool any = false;
  for (const auto& f : spec.filters)
    for (const auto& p : f.pins) {
      if (p.data_ranges.empty() && !p.category.present) continue;
      if (!any) out << "formats:\n";
      any = true;
      out << "  " << f.name.value << "." << p.name.value;
      if (p.category.present)
        out << " (category " << ks::format_guid_name(p.category.value, ks::FormatGuidKind::Category)
            << ")";
      out << "\n";
      for (std::size_t i = 0; i < p.data_ranges.size(); ++i)
        out << "    range " << i << ": " << p.data_ranges[i].describe() << ": "
            << derived(p.data_ranges[i]) << "\n        at " << where(spec, p.data_ranges[i].pos)
            << "\n";
      if (p.framing_edit && !p.edit_note.empty())
        out << "    framing: edited for the connection's format, " << p.edit_note
            << "; negotiation used the edited framing\n        at "
            << where(spec, p.framing_edit->pos) << "\n";
      else if (p.framing_edit)
        out << "    framing: framing_edit declared, no connection format to apply it to; "
               "negotiation used "
               "the declared framing\n";
      else if (!p.data_ranges.empty() && (p.framing || p.framing_ex))
        out << "    framing: as declared (no framing_edit)\n";
    }
  for (const auto& c : spec.connections) {
    if (!c.format.resolved()) continue;
    const DataRangeSpec& range = spec.format_range(c);
    auto side = [](int i) { return i >= 0 ? "range " + std::to_string(i) : std::string("any"); };
    if (!any) out << "formats:\n";
    any = true;
    out << "  " << c.from.value << " -> " << c.to.value << ": " << side(c.format.from_range)
        << " x " << side(c.format.to_range) << " ("
        << (c.format.explicit_choice ? "format: picks it" : "the first common format")
        << "): " << range.describe();
    if (c.format.channels)
      out << "; format " << c.format.channels << " ch " << c.format.bits << " bit " << c.format.rate
          << " Hz, block align " << c.format.block_align() << ", " << c.format.byte_rate()
          << " bytes/s";
    out << "\n        at " << where(spec, c.pos) << "\n";
  }
  return out.str();
}

}  // namespace ksframe
