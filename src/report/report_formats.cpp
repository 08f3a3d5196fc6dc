#include "report/report_formats.hpp"

#include <cstdio>

#include "ksframe/format.hpp"
#include "report/rounding.hpp"

namespace ksframe::report_formats {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

std::string kind_name(DataRangeSpec::Kind k) {
  switch (k) {
    case DataRangeSpec::Kind::Video:
      return "video";
    case DataRangeSpec::Kind::Audio:
      return "audio";
    case DataRangeSpec::Kind::Plain:
      return "plain";
  }
  return "plain";
}

ojson location_json(const Location& l) {
  return ojson{{"file", l.file}, {"line", l.line}, {"column", l.column}};
}

Location location_of(const json& l) {
  return {l.at("file").get<std::string>(), l.at("line").get<std::uint32_t>(),
          l.at("column").get<std::uint32_t>()};
}

template <class T>
ojson optional_json(const std::optional<T>& v) {
  return v ? ojson(*v) : ojson(nullptr);
}

template <class T>
std::optional<T> optional_of(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<T>();
}

std::vector<ReportFramingSizes> sizes_of(const std::optional<FramingExSpec>& ex,
                                         const std::optional<LegacyFramingSpec>& legacy) {
  std::vector<ReportFramingSizes> out;
  if (ex) {
    for (const auto& it : ex->items)
      out.push_back({it.frames.value, it.framing_range.min.value, it.framing_range.max.value,
                     std::uint64_t{it.framing_range.stepping.value}});
  } else if (legacy) {
    out.push_back(
        {legacy->frames.value, legacy->frame_size.value, legacy->frame_size.value, std::nullopt});
  }
  return out;
}

ojson sizes_json(const std::vector<ReportFramingSizes>& sizes) {
  ojson a = ojson::array();
  for (const auto& s : sizes)
    a.push_back(ojson{{"frames", s.frames},
                      {"min", s.min},
                      {"max", s.max},
                      {"stepping", optional_json(s.stepping)}});
  return a;
}

std::vector<ReportFramingSizes> sizes_from_json(const json& a) {
  std::vector<ReportFramingSizes> out;
  for (const auto& s : a)
    out.push_back({s.at("frames").get<std::uint64_t>(), s.at("min").get<std::uint64_t>(),
                   s.at("max").get<std::uint64_t>(), optional_of<std::uint64_t>(s.at("stepping"))});
  return out;
}

}  // namespace

std::optional<ReportFormat> format_of(const Spec& spec, const ConnectionSpec& c) {
  const FormatSpec& fs = c.format;
  if (!fs.resolved() || !c.from_ref.resolved() || !c.to_ref.resolved()) return std::nullopt;
  const PinSpec& from = spec.pin(c.from_ref);
  const PinSpec& to = spec.pin(c.to_ref);
  // The loader resolves the indices; checked anyway, since a wrong one would read past the end.
  if (fs.from_range >= static_cast<int>(from.data_ranges.size()) ||
      fs.to_range >= static_cast<int>(to.data_ranges.size()))
    return std::nullopt;
  // The format is the output pin's range, unless it is a wildcard that takes the input's
  // concrete one; a pin without ranges takes the other's.
  const DataRangeSpec& r = spec.format_range(c);
  ReportFormat f;
  if (fs.from_range >= 0) f.from_range = fs.from_range;
  if (fs.to_range >= 0) f.to_range = fs.to_range;
  f.explicit_choice = fs.explicit_choice;
  f.description = r.describe();
  f.kind = kind_name(r.kind.value);
  f.major = ks::format_guid_name(r.major.value, ks::FormatGuidKind::Major);
  f.subtype = ks::format_guid_name(r.subtype.value, ks::FormatGuidKind::Subtype);
  f.specifier = ks::format_guid_name(r.specifier.value, ks::FormatGuidKind::Specifier);
  f.sample_bytes = r.sample_bytes();
  if (r.kind.value == DataRangeSpec::Kind::Video) {
    ReportFormat::Video v;
    v.width = r.width.value;
    v.height = r.height.value;
    v.bit_count = r.bit_count.value;
    v.image_size = r.sample_bytes();
    v.avg_time_per_frame = r.avg_time_per_frame.value;
    if (v.avg_time_per_frame)  // rounded as the JSON writes it, so the read-back report is equal
      v.frame_rate_hz = report_rounding::rate_hz(1e7 / static_cast<double>(v.avg_time_per_frame));
    f.video = v;
  } else if (r.kind.value == DataRangeSpec::Kind::Audio) {
    f.audio = ReportFormat::Audio{fs.channels, fs.bits, fs.rate, fs.block_align(), fs.byte_rate()};
    f.sample_bytes = fs.block_align();  // an audio sample is one block (nBlockAlign)
  }
  return f;
}

std::vector<ReportDataRange> data_ranges_of(const Spec& spec, const PinSpec& p) {
  std::vector<ReportDataRange> out;
  for (const auto& r : p.data_ranges)
    out.push_back({kind_name(r.kind.value), r.describe(), r.sample_bytes(), spec.at(r.pos)});
  return out;
}

std::optional<ReportFramingEdit> framing_edit_of(const Spec& spec, const PinSpec& p) {
  if (!p.framing_edit) return std::nullopt;
  const FramingEditSpec& e = *p.framing_edit;
  ReportFramingEdit r;
  r.frame_size = e.size.value == FramingEditSpec::Size::AudioMs   ? "audio_ms"
                 : e.size.value == FramingEditSpec::Size::Formula ? e.formula
                                                                  : "sample_size";
  if (e.size.value == FramingEditSpec::Size::AudioMs) r.audio_ms = e.audio_ms.value;
  if (e.stepping.present) r.stepping = e.stepping.value;
  if (e.frames.present) r.frames = e.frames.value;
  r.location = spec.at(e.pos);
  const bool applied = p.edited_framing_ex || p.edited_framing;
  r.framing_used = applied ? "edited" : "declared";
  r.note = applied ? p.edit_note : "";
  r.declared = sizes_of(p.framing_ex, p.framing);
  if (applied) r.edited = sizes_of(p.edited_framing_ex, p.edited_framing);
  return r;
}

ojson format_json(const std::optional<ReportFormat>& f) {
  if (!f) return nullptr;
  ojson video = nullptr, audio = nullptr;
  if (f->video)
    video = ojson{{"width", f->video->width},
                  {"height", f->video->height},
                  {"bit_count", f->video->bit_count},
                  {"image_size", f->video->image_size},
                  {"avg_time_per_frame", f->video->avg_time_per_frame},
                  {"frame_rate_hz", optional_json(f->video->frame_rate_hz)}};
  if (f->audio)
    audio = ojson{{"channels", f->audio->channels},
                  {"bits", f->audio->bits},
                  {"rate", f->audio->rate},
                  {"block_align", f->audio->block_align},
                  {"byte_rate", f->audio->byte_rate}};
  return ojson{{"from_range", optional_json(f->from_range)},
               {"to_range", optional_json(f->to_range)},
               {"explicit", f->explicit_choice},
               {"description", f->description},
               {"kind", f->kind},
               {"major", f->major},
               {"subtype", f->subtype},
               {"specifier", f->specifier},
               {"sample_bytes", f->sample_bytes},
               {"video", video},
               {"audio", audio}};
}

ojson data_ranges_json(const std::vector<ReportDataRange>& ranges) {
  ojson a = ojson::array();
  for (const auto& r : ranges)
    a.push_back(ojson{{"kind", r.kind},
                      {"description", r.description},
                      {"sample_bytes", r.sample_bytes},
                      {"location", location_json(r.location)}});
  return a;
}

ojson framing_edit_json(const std::optional<ReportFramingEdit>& e) {
  if (!e) return nullptr;
  return ojson{{"sets",
                {{"frame_size", e->frame_size},
                 {"audio_ms", optional_json(e->audio_ms)},
                 {"stepping", optional_json(e->stepping)},
                 {"frames", optional_json(e->frames)}}},
               {"location", location_json(e->location)},
               {"framing_used", e->framing_used},
               {"note", e->note},
               {"declared", sizes_json(e->declared)},
               {"edited", sizes_json(e->edited)}};
}

std::optional<ReportFormat> format_from_json(const json& c) {
  if (!c.contains("format") || c.at("format").is_null()) return std::nullopt;
  const json& j = c.at("format");
  ReportFormat f;
  f.from_range = optional_of<std::int64_t>(j.at("from_range"));
  f.to_range = optional_of<std::int64_t>(j.at("to_range"));
  f.explicit_choice = j.at("explicit").get<bool>();
  f.description = j.at("description").get<std::string>();
  f.kind = j.at("kind").get<std::string>();
  f.major = j.at("major").get<std::string>();
  f.subtype = j.at("subtype").get<std::string>();
  f.specifier = j.at("specifier").get<std::string>();
  f.sample_bytes = j.at("sample_bytes").get<std::uint64_t>();
  if (const json& v = j.at("video"); v.is_object()) {
    ReportFormat::Video video;
    video.width = v.at("width").get<std::uint64_t>();
    video.height = v.at("height").get<std::int64_t>();
    video.bit_count = v.at("bit_count").get<std::uint64_t>();
    video.image_size = v.at("image_size").get<std::uint64_t>();
    video.avg_time_per_frame = v.at("avg_time_per_frame").get<std::uint64_t>();
    video.frame_rate_hz = optional_of<double>(v.at("frame_rate_hz"));
    f.video = video;
  }
  if (const json& a = j.at("audio"); a.is_object())
    f.audio = ReportFormat::Audio{
        a.at("channels").get<std::uint64_t>(), a.at("bits").get<std::uint64_t>(),
        a.at("rate").get<std::uint64_t>(), a.at("block_align").get<std::uint64_t>(),
        a.at("byte_rate").get<std::uint64_t>()};
  return f;
}

std::vector<ReportDataRange> data_ranges_from_json(const json& pin) {
  std::vector<ReportDataRange> out;
  if (!pin.contains("data_ranges")) return out;
  for (const auto& r : pin.at("data_ranges"))
    out.push_back({r.at("kind").get<std::string>(), r.at("description").get<std::string>(),
                   r.at("sample_bytes").get<std::uint64_t>(), location_of(r.at("location"))});
  return out;
}

std::optional<ReportFramingEdit> framing_edit_from_json(const json& pin) {
  if (!pin.contains("framing_edit") || pin.at("framing_edit").is_null()) return std::nullopt;
  const json& j = pin.at("framing_edit");
  ReportFramingEdit e;
  const json& sets = j.at("sets");
  e.frame_size = sets.at("frame_size").get<std::string>();
  e.audio_ms = optional_of<std::uint64_t>(sets.at("audio_ms"));
  e.stepping = optional_of<std::uint64_t>(sets.at("stepping"));
  e.frames = optional_of<std::uint64_t>(sets.at("frames"));
  e.location = location_of(j.at("location"));
  e.framing_used = j.at("framing_used").get<std::string>();
  e.note = j.at("note").get<std::string>();
  e.declared = sizes_from_json(j.at("declared"));
  e.edited = sizes_from_json(j.at("edited"));
  return e;
}

std::string format_choice_text(const ReportFormat& f) {
  auto side = [](const std::optional<std::int64_t>& i) {
    return i ? "range " + std::to_string(*i) : std::string("any");
  };
  return side(f.from_range) + " x " + side(f.to_range) + " (" +
         (f.explicit_choice ? "format: picks it" : "the first common format") + ")";
}

std::string format_text(const ReportFormat& f) {
  std::string s = f.description;
  // A plain range's description already names its sample size; a video one does not.
  if (f.video && f.video->image_size)
    s += ", image " + std::to_string(f.video->image_size) + " bytes";
  if (f.video && f.video->frame_rate_hz) {
    char fps[48];
    std::snprintf(fps, sizeof fps, ", %.3f frames/s", *f.video->frame_rate_hz);
    s += fps;
  }
  if (f.audio)
    s += "; format " + std::to_string(f.audio->channels) + " ch " + std::to_string(f.audio->bits) +
         " bit " + std::to_string(f.audio->rate) + " Hz, block align " +
         std::to_string(f.audio->block_align) + ", " + std::to_string(f.audio->byte_rate) +
         " bytes/s";
  return s;
}

std::string sizes_text(const std::vector<ReportFramingSizes>& sizes) {
  std::string s;
  for (const auto& z : sizes) {
    s += (s.empty() ? "" : "; ") + std::to_string(z.frames) + " x " +
         (z.min == z.max ? std::to_string(z.min)
                         : std::to_string(z.min) + "-" + std::to_string(z.max)) +
         " bytes";
    if (z.stepping) s += ", stepping " + std::to_string(*z.stepping);
  }
  return s.empty() ? "no framing" : s;
}

std::string edit_text(const ReportFramingEdit& e) {
  if (e.framing_used == "edited")
    return sizes_text(e.declared) + " -> " + sizes_text(e.edited) + " (" + e.note +
           "); negotiation used the edited framing";
  return "framing_edit not applied (no connection format); negotiation used the declared "
         "framing, " +
         sizes_text(e.declared);
}

}  // namespace ksframe::report_formats

namespace ksframe {

std::string render_report_formats_text(const Report& r) {
  using namespace report_formats;
  std::string out;
  for (const auto& c : r.graph.connections) {
    if (!c.format) continue;
    if (out.empty()) out = "formats:\n";
    out += "  " + c.from + " -> " + c.to + ": " + format_choice_text(*c.format) + ": " +
           format_text(*c.format) + "\n";
  }
  bool edits = false;
  for (const auto& f : r.graph.filters)
    for (const auto& p : f.pins) {
      if (!p.framing_edit) continue;
      if (!edits) out += "framing edits:\n";
      edits = true;
      out += "  " + f.name + "." + p.name + ": " + edit_text(*p.framing_edit) + "\n";
    }
  return out.empty() ? out : out + "\n";
}

}  // namespace ksframe
