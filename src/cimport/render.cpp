// What an extraction becomes: a spec in YAML (one value per line, each commented with where C
// writes it, so a lint finding on a YAML line maps back to a C line), the JSON extraction of
// `import --from-c --format json`, and lint of a C file through that spec.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ksframe/cimport.hpp"
#include "ksframe/format.hpp"
#include "ksframe/ks.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "util/text.hpp"

namespace ksframe::embedded {
std::string_view schema_import();
}

namespace ksframe::cimport {
namespace {

std::string alignment_text(ks::ULONG value) {
  const auto name = ks::name_of(ks::file_alignments(), value);
  return name ? std::string(*name) : std::to_string(value);
}
std::string where_text(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

// Lines of YAML, each with the C location of what it writes.
class Writer {
 public:
  explicit Writer(bool comments) : comments_(comments) {}
  void line(const std::string& text, const Location& origin = {}) {
    out_ += text;
    if (comments_ && origin.line) out_ += "  # " + where_text(origin);
    out_ += "\n";
    origin_.push_back(origin);
  }
  void comment(const std::string& text) { line("# " + text); }
  GeneratedSpec done() { return {std::move(out_), std::move(origin_)}; }

 private:
  bool comments_;
  std::string out_;
  std::vector<Location> origin_;
};

Location at(const Framing& f, const std::string& k) {
  auto it = f.where.find(k);
  return it == f.where.end() ? f.location : it->second;
}

// True when the framing is exactly what DECLARE_SIMPLE_FRAMING_EX builds from its item 0.
bool simple_form(const Framing& f) {
  if (f.kind != Framing::Kind::SimpleEx || f.ex.FramingItem.size() != 1) return false;
  const auto& it = f.ex.FramingItem[0];
  return ks::simple_framing_ex(it.MemoryType, it.Flags, it.Frames, it.FileAlignment,
                               it.FramingRange.Range.MinFrameSize,
                               it.FramingRange.Range.MaxFrameSize) == f.ex;
}

void write_framing(Writer& w, const Framing& f, const std::string& in) {
  if (f.kind == Framing::Kind::Legacy) {
    const auto& l = f.legacy;
    const auto pool = ks::name_of(ks::pool_types(), l.PoolType);
    w.line(in + "framing:", f.location);
    w.line(in + "  requirements_flags: " +
               ks::flags_spec_text(ks::requirements_flags(), l.OptionsFlags),
           at(f, "requirements_flags"));
    w.line(in + "  pool_type: " + (pool ? std::string(*pool) : std::to_string(l.PoolType)),
           at(f, "pool_type"));
    w.line(in + "  frames: " + std::to_string(l.Frames), at(f, "frames"));
    w.line(in + "  frame_size: " + std::to_string(l.FrameSize), at(f, "frame_size"));
    w.line(in + "  file_alignment: " + alignment_text(l.FileAlignment), at(f, "file_alignment"));
    w.line(in + "  reserved: " + std::to_string(l.Reserved), at(f, "reserved"));
    return;
  }
  if (simple_form(f)) {
    const auto& it = f.ex.FramingItem[0];
    w.line(in + "simple_framing_ex:", f.location);
    w.line(in + "  memory_type: " + ks::guid_name_or_text(it.MemoryType, ks::GuidKind::Memory),
           at(f, "items[0].memory_type"));
    w.line(in + "  flags: " + ks::flags_spec_text(ks::framing_item_flags(), it.Flags),
           at(f, "items[0].flags"));
    w.line(in + "  frames: " + std::to_string(it.Frames), at(f, "items[0].frames"));
    w.line(in + "  file_alignment: " + alignment_text(it.FileAlignment),
           at(f, "items[0].file_alignment"));
    w.line(in + "  min: " + std::to_string(it.FramingRange.Range.MinFrameSize),
           at(f, "items[0].framing_range.min"));
    w.line(in + "  max: " + ks::maximum_spec_text(it.FramingRange.Range.MaxFrameSize),
           at(f, "items[0].framing_range.max"));
    return;
  }
  const auto& ex = f.ex;
  const auto& c = ex.OutputCompression;
  w.line(in + "framing_ex:", f.location);
  w.line(in + "  count_items: " + std::to_string(ex.CountItems), at(f, "count_items"));
  w.line(in + "  pin_flags: " + std::to_string(ex.PinFlags), at(f, "pin_flags"));
  w.line(in + "  output_compression:", at(f, "output_compression.numerator"));
  w.line(in + "    numerator: " +
             (c.RatioNumerator == ks::kCompressionUnknown ? std::string("unknown")
                                                          : std::to_string(c.RatioNumerator)),
         at(f, "output_compression.numerator"));
  w.line(in + "    denominator: " + std::to_string(c.RatioDenominator),
         at(f, "output_compression.denominator"));
  w.line(in + "    constant_margin: " + std::to_string(c.RatioConstantMargin),
         at(f, "output_compression.constant_margin"));
  w.line(in + "  pin_weight: " + std::to_string(ex.PinWeight), at(f, "pin_weight"));
  w.line(in + (ex.FramingItem.empty() ? "  items: []" : "  items:"), f.location);
  for (std::size_t i = 0; i < ex.FramingItem.size(); ++i) {
    const auto& it = ex.FramingItem[i];
    const std::string k = "items[" + std::to_string(i) + "].";
    const std::string p = in + "      ";
    w.line(in + "    - memory_type: " + ks::guid_name_or_text(it.MemoryType, ks::GuidKind::Memory),
           at(f, k + "memory_type"));
    w.line(p + "bus_type: " + ks::guid_name_or_text(it.BusType, ks::GuidKind::Bus),
           at(f, k + "bus_type"));
    w.line(p + "memory_flags: " + ks::hex32(it.MemoryFlags), at(f, k + "memory_flags"));
    w.line(p + "bus_flags: " + ks::hex32(it.BusFlags), at(f, k + "bus_flags"));
    w.line(p + "flags: " + ks::flags_spec_text(ks::framing_item_flags(), it.Flags),
           at(f, k + "flags"));
    w.line(p + "frames: " + std::to_string(it.Frames), at(f, k + "frames"));
    // With 2D_BUFFER_REQUIRED the union holds FramePitch: the number, not an alignment name.
    w.line(p + "file_alignment: " +
               ((it.Flags & ks::flag::BUFFER_2D_REQUIRED) ? std::to_string(it.FileAlignment)
                                                          : alignment_text(it.FileAlignment)),
           at(f, k + "file_alignment"));
    w.line(p + "memory_type_weight: " + std::to_string(it.MemoryTypeWeight),
           at(f, k + "memory_type_weight"));
    w.line(p + "physical_range:", at(f, k + "physical_range.min"));
    w.line(p + "  min: " + std::to_string(it.PhysicalRange.MinFrameSize),
           at(f, k + "physical_range.min"));
    w.line(p + "  max: " + ks::maximum_spec_text(it.PhysicalRange.MaxFrameSize),
           at(f, k + "physical_range.max"));
    w.line(p + "  stepping: " + std::to_string(it.PhysicalRange.Stepping),
           at(f, k + "physical_range.stepping"));
    w.line(p + "framing_range:", at(f, k + "framing_range.min"));
    w.line(p + "  min: " + std::to_string(it.FramingRange.Range.MinFrameSize),
           at(f, k + "framing_range.min"));
    w.line(p + "  max: " + ks::maximum_spec_text(it.FramingRange.Range.MaxFrameSize),
           at(f, k + "framing_range.max"));
    w.line(p + "  stepping: " + std::to_string(it.FramingRange.Range.Stepping),
           at(f, k + "framing_range.stepping"));
    w.line(p + "  in_place_weight: " + std::to_string(it.FramingRange.InPlaceWeight),
           at(f, k + "framing_range.in_place_weight"));
    w.line(p + "  not_in_place_weight: " + std::to_string(it.FramingRange.NotInPlaceWeight),
           at(f, k + "framing_range.not_in_place_weight"));
  }
}

// A pin's Category or Name: the name ksframe's format table gives its value (GUID text when the
// table has none); a symbol declared without a value is left out, with a comment.
void write_guid(Writer& w, const std::string& key, const std::string& symbol, const CGuid& g) {
  if (symbol.empty()) return;
  if (!g.known) {
    w.line("        # " + key.substr(8, key.size() - 10) + ": " + symbol +
               " (ksframe does not know its value)",
           g.at);
    return;
  }
  w.line(key + ks::format_guid_name(g.value, ks::FormatGuidKind::Category), g.at);
}

void write_range(Writer& w, const DataRange& r) {
  const std::string p = "            ";
  auto here = [&](const Location& l) { return l.line ? l : r.declared; };
  auto guid = [&](const char* key, const CGuid& g, ks::FormatGuidKind kind) {
    w.line(p + key + ": " + ks::format_guid_name(g.value, kind), here(g.at));
  };
  auto number = [&](const char* key, auto value, const Location& at) {
    w.line(p + key + ": " + std::to_string(value), here(at));
  };
  w.line("          # " + r.symbol + " (" + r.type + ")");
  w.line("          - kind: " + to_string(r.kind), r.location);
  guid("major", r.major, ks::FormatGuidKind::Major);
  guid("subtype", r.subtype, ks::FormatGuidKind::Subtype);
  guid("specifier", r.specifier, ks::FormatGuidKind::Specifier);
  switch (r.kind) {
    case DataRange::Kind::Video:
      number("width", r.width.value, r.width.at);
      number("height", r.height.value, r.height.at);
      number("bit_count", r.bit_count.value, r.bit_count.at);
      w.line(p + "compression: " + ks::compression_name(r.compression.value),
             here(r.compression.at));
      // biSizeImage may be 0 for an uncompressed image: the size then follows from the header.
      if (r.size_image.value) number("size_image", r.size_image.value, r.size_image.at);
      number("avg_time_per_frame", r.avg_time_per_frame.value, r.avg_time_per_frame.at);
      break;
    case DataRange::Kind::Audio:
      number("max_channels", r.max_channels.value, r.max_channels.at);
      w.line(p + "bits:", here(r.bits_min.at));
      number("  min", r.bits_min.value, r.bits_min.at);
      number("  max", r.bits_max.value, r.bits_max.at);
      w.line(p + "rate:", here(r.rate_min.at));
      number("  min", r.rate_min.value, r.rate_min.at);
      number("  max", r.rate_max.value, r.rate_max.at);
      break;
    case DataRange::Kind::Plain:
      number("sample_size", r.sample_size.value, r.sample_size.at);
      // KSDATARANGE.SampleSize is the size of every sample, or 0 for a variable size.
      w.line(p + "fixed_size: " + std::string(r.sample_size.value ? "true" : "false"),
             here(r.sample_size.at));
      break;
  }
}

const Framing* find_framing(const Extraction& x, const std::string& symbol) {
  for (const auto& f : x.framings)
    if (f.symbol == symbol && f.kind != Framing::Kind::Legacy) return &f;
  return nullptr;
}

std::string pin_name(const Pin& p) { return "pin" + std::to_string(p.index); }

std::string spec_name(const Extraction& x) {
  if (x.files.empty()) return "imported";
  std::string stem = x.files.front();
  if (auto slash = stem.find_last_of("/\\"); slash != std::string::npos)
    stem = stem.substr(slash + 1);
  if (auto dot = stem.find('.'); dot != std::string::npos) stem = stem.substr(0, dot);
  std::string out;
  for (char ch : stem)
    out += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-') ? ch : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) || out[0] == '-')
    out = "c_" + out;
  return out;
}

}  // namespace

GeneratedSpec to_spec(const Extraction& x, bool with_comments) {
  Writer w(with_comments);
  std::string files;
  for (std::size_t i = 0; i < x.files.size(); ++i)
    files += (i ? ", " : "") + text::display_name(x.files[i]);
  w.comment("Imported by ksframe from " + files +
            ". Each value's comment says where the C source writes it.");
  w.comment(
      "C states no connections: add them (and a load) to negotiate and simulate; see "
      "docs/c-sources.md.");
  w.line("ksframe: 1");
  w.line("name: " + spec_name(x));
  std::set<std::string> used;
  std::vector<const Framing*> unattached;
  for (const auto& filter : x.filters)
    for (const auto& pin : filter.pins) used.insert(pin.framing);
  for (const auto& f : x.framings)
    if (!used.count(f.symbol)) unattached.push_back(&f);
  std::set<std::string> filter_names;
  const bool any_pins = [&] {
    for (const auto& f : x.filters)
      if (!f.pins.empty()) return true;
    return false;
  }();
  if (!any_pins && unattached.empty()) {
    w.line("filters: []");
    return w.done();
  }
  w.line("filters:");
  for (const auto& filter : x.filters) {
    if (filter.pins.empty() || !filter_names.insert(filter.symbol).second) continue;
    w.line("  - name: " + filter.symbol, filter.location);
    if (filter.flags.at.line)
      w.line("    flags: " + ks::flags_spec_text(ks::filter_flags(), filter.flags.value),
             filter.flags.at);
    w.line("    pins:", filter.location);
    for (const auto& pin : filter.pins) {
      w.line("      - name: " + pin_name(pin), pin.location);
      w.line("        id: " + std::to_string(pin.index), pin.location);
      const auto dataflow = pin.dataflow.value == 1   ? "in"
                            : pin.dataflow.value == 2 ? "out"
                                                      : nullptr;
      if (dataflow)
        w.line(std::string("        dataflow: ") + dataflow, pin.dataflow.at);
      else
        w.line("        dataflow: " + std::to_string(pin.dataflow.value),
               pin.dataflow.at);  // the loader says why
      const auto comm = ks::name_of(ks::communication(), pin.communication.value);
      w.line("        communication: " +
                 (comm ? std::string(*comm) : std::to_string(pin.communication.value)),
             pin.communication.at);
      w.line("        flags: " + ks::flags_spec_text(ks::pin_flags(), pin.flags.value),
             pin.flags.at);
      w.line("        instances:", pin.instances_possible.at);
      w.line("          possible: " + (pin.instances_possible.value == ks::kUnbounded
                                           ? std::string("KSINSTANCE_INDETERMINATE")
                                           : std::to_string(pin.instances_possible.value)),
             pin.instances_possible.at);
      w.line("          necessary: " + std::to_string(pin.instances_necessary.value),
             pin.instances_necessary.at);
      write_guid(w, "        category: ", pin.category, pin.category_guid);
      write_guid(w, "        name_guid: ", pin.name, pin.name_guid);
      if (pin.allocator_dispatch) w.line("        allocator: {}", pin.location);
      if (!pin.framing.empty()) {
        if (const Framing* f = find_framing(x, pin.framing)) write_framing(w, *f, "        ");
      }
      if (!pin.size_edited_by.empty()) {
        // The pin's declared sizes are placeholders the code replaces: see the KSF0031 note.
        std::string rules;
        for (const char* r : kEditedPinRules) rules += (rules.empty() ? "" : ", ") + std::string(r);
        w.line("        # " + pin.size_edited_by +
               " sets the frame size at run time (KSF0031): its declared sizes are "
               "not compared with the formats.");
        w.line(
            "        # If it sets them from the format, replace this with framing_edit: "
            "{frame_size: sample_size, "
            "stepping: 0}");
        w.line("        lint: {disable: [" + rules + "]}", pin.framing_at);
      }
      if (!pin.ranges.empty()) {
        w.line("        data_ranges:", pin.data_ranges_at);
        for (const auto& r : pin.ranges) write_range(w, r);
      }
    }
    if (!filter.routes.empty()) {
      w.line("    routes:", filter.routes.front().at);
      for (const auto& r : filter.routes) {
        w.line("      - from: pin" + std::to_string(r.from), r.at);
        w.line("        to: pin" + std::to_string(r.to), r.at);
      }
    }
  }
  if (!unattached.empty()) {
    // A framing no pin table points to is still linted, on an output pin of its own: the
    // framing rules do not depend on the pin, and the dataflow is not in the C.
    w.comment(
        "Framing no pin descriptor points to, each on a pin of its own (dataflow unknown: out).");
    std::string name = "unattached_framing";
    while (filter_names.count(name)) name += "_";
    w.line("  - name: " + name);
    w.line("    pins:");
    std::set<std::string> pins;
    for (const Framing* f : unattached) {
      std::string pin = f->symbol;
      while (!pins.insert(pin).second) pin += "_";
      w.line("      - name: " + pin, f->location);
      w.line("        dataflow: out", f->location);
      write_framing(w, *f, "        ");
    }
  }
  return w.done();
}

namespace {

nlohmann::ordered_json location_json(const Location& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}};
}

nlohmann::ordered_json framing_json(const Framing& f) {
  using J = nlohmann::ordered_json;
  J j;
  j["symbol"] = f.symbol;
  j["kind"] = to_string(f.kind);
  j["location"] = location_json(f.location);
  if (f.kind == Framing::Kind::Legacy) {
    const auto& l = f.legacy;
    const auto pool = ks::name_of(ks::pool_types(), l.PoolType);
    j["framing"] = {{"requirements_flags", l.OptionsFlags},
                    {"pool_type", pool ? J(std::string(*pool)) : J(l.PoolType)},
                    {"frames", l.Frames},
                    {"frame_size", l.FrameSize},
                    {"file_alignment", l.FileAlignment},
                    {"reserved", l.Reserved}};
  } else {
    const auto& ex = f.ex;
    J items = J::array();
    for (const auto& it : ex.FramingItem)
      items.push_back({{"memory_type", ks::guid_name_or_text(it.MemoryType, ks::GuidKind::Memory)},
                       {"bus_type", ks::guid_name_or_text(it.BusType, ks::GuidKind::Bus)},
                       {"memory_flags", it.MemoryFlags},
                       {"bus_flags", it.BusFlags},
                       {"flags", it.Flags},
                       {"frames", it.Frames},
                       {"file_alignment", it.FileAlignment},
                       {"memory_type_weight", it.MemoryTypeWeight},
                       {"physical_range",
                        {{"min", it.PhysicalRange.MinFrameSize},
                         {"max", it.PhysicalRange.MaxFrameSize},
                         {"stepping", it.PhysicalRange.Stepping}}},
                       {"framing_range",
                        {{"min", it.FramingRange.Range.MinFrameSize},
                         {"max", it.FramingRange.Range.MaxFrameSize},
                         {"stepping", it.FramingRange.Range.Stepping},
                         {"in_place_weight", it.FramingRange.InPlaceWeight},
                         {"not_in_place_weight", it.FramingRange.NotInPlaceWeight}}}});
    j["framing_ex"] = {{"count_items", ex.CountItems},
                       {"pin_flags", ex.PinFlags},
                       {"output_compression",
                        {{"numerator", ex.OutputCompression.RatioNumerator},
                         {"denominator", ex.OutputCompression.RatioDenominator},
                         {"constant_margin", ex.OutputCompression.RatioConstantMargin}}},
                       {"pin_weight", ex.PinWeight},
                       {"items", items}};
  }
  return j;
}

nlohmann::ordered_json value_json(const CValue& v) {
  return {{"value", v.value}, {"location", location_json(v.at)}};
}

nlohmann::ordered_json number_json(const CNumber& v) {
  return {{"value", v.value}, {"location", location_json(v.at)}};
}

nlohmann::ordered_json guid_json(const CGuid& g, ks::FormatGuidKind kind) {
  if (!g.known) return nullptr;
  return {{"value", ks::format_guid_name(g.value, kind)},
          {"guid", g.value.to_string()},
          {"location", location_json(g.at)}};
}

nlohmann::ordered_json range_json(const DataRange& r) {
  using J = nlohmann::ordered_json;
  J j = {{"symbol", r.symbol},
         {"type", r.type},
         {"kind", to_string(r.kind)},
         {"location", location_json(r.location)},
         {"declared", location_json(r.declared)},
         {"format_size", value_json(r.format_size)},
         {"flags", value_json(r.flags)},
         {"sample_size", value_json(r.sample_size)},
         {"major", guid_json(r.major, ks::FormatGuidKind::Major)},
         {"subtype", guid_json(r.subtype, ks::FormatGuidKind::Subtype)},
         {"specifier", guid_json(r.specifier, ks::FormatGuidKind::Specifier)}};
  if (r.kind == DataRange::Kind::Video) {
    j["width"] = number_json(r.width);
    j["height"] = number_json(r.height);
    j["bit_count"] = value_json(r.bit_count);
    j["compression"] = value_json(r.compression);
    j["size_image"] = value_json(r.size_image);
    j["avg_time_per_frame"] = number_json(r.avg_time_per_frame);
  } else if (r.kind == DataRange::Kind::Audio) {
    j["max_channels"] = value_json(r.max_channels);
    j["bits_min"] = value_json(r.bits_min);
    j["bits_max"] = value_json(r.bits_max);
    j["rate_min"] = value_json(r.rate_min);
    j["rate_max"] = value_json(r.rate_max);
  }
  return j;
}

nlohmann::ordered_json optional_text(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

}  // namespace

std::string to_json(const Extraction& x) {
  using J = nlohmann::ordered_json;
  J root;
  root["ksframe_import"] = 1;
  root["files"] = J::array();
  for (const auto& f : x.files) root["files"].push_back(text::display_name(f));
  root["framings"] = J::array();
  for (const auto& f : x.framings) root["framings"].push_back(framing_json(f));
  root["filters"] = J::array();
  for (const auto& filter : x.filters) {
    J pins = J::array();
    for (const auto& p : filter.pins) {
      J ranges = J::array();
      for (const auto& r : p.ranges) ranges.push_back(range_json(r));
      pins.push_back({{"id", p.index},
                      {"table", p.table},
                      {"location", location_json(p.location)},
                      {"dataflow", value_json(p.dataflow)},
                      {"communication", value_json(p.communication)},
                      {"flags", value_json(p.flags)},
                      {"instances_possible", value_json(p.instances_possible)},
                      {"instances_necessary", value_json(p.instances_necessary)},
                      {"dispatch", optional_text(p.dispatch)},
                      {"allocator_dispatch", p.allocator_dispatch},
                      {"create", optional_text(p.create)},
                      {"set_data_format", optional_text(p.set_data_format)},
                      {"framing", optional_text(p.framing)},
                      {"category", optional_text(p.category)},
                      {"name", optional_text(p.name)},
                      {"category_guid", guid_json(p.category_guid, ks::FormatGuidKind::Category)},
                      {"name_guid", guid_json(p.name_guid, ks::FormatGuidKind::Category)},
                      {"data_ranges", optional_text(p.data_ranges)},
                      {"ranges", ranges},
                      {"size_edited_by", optional_text(p.size_edited_by)}});
    }
    J routes = J::array();
    for (const auto& r : filter.routes)
      routes.push_back({{"from", r.from}, {"to", r.to}, {"location", location_json(r.at)}});
    root["filters"].push_back({{"symbol", filter.symbol},
                               {"location", location_json(filter.location)},
                               {"flags", value_json(filter.flags)},
                               {"pin_table", optional_text(filter.pin_table)},
                               {"pins", pins},
                               {"routes", routes}});
  }
  root["diagnostics"] = J::array();
  for (const auto& d : x.diagnostics) {
    J related = J::array();
    for (const auto& r : d.related)
      related.push_back({{"location", location_json(r.location)}, {"message", r.message}});
    root["diagnostics"].push_back({{"rule", d.rule},
                                   {"severity", std::string(to_string(d.severity))},
                                   {"message", d.message},
                                   {"location", location_json(d.location)},
                                   {"related", related},
                                   {"hint", d.hint}});
  }
  // Strings are already valid UTF-8 (the extractor escapes what is not); `replace` keeps a
  // mistake there from ever becoming an exception.
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string_view import_schema_text() { return embedded::schema_import(); }

Location origin_of(const GeneratedSpec& spec, std::size_t line, const std::string& c_file) {
  line = std::min(line, spec.line_origin.size());
  while (line > 0 && spec.line_origin[line - 1].line == 0) --line;
  return line > 0 ? spec.line_origin[line - 1] : Location{c_file, 1, 1};
}

void locate_in_c(const GeneratedSpec& spec, const std::string& yaml_name, const std::string& c_file,
                 Diagnostics& diagnostics) {
  auto remap = [&](Location& l) {
    if (l.file == yaml_name) l = origin_of(spec, l.line, c_file);
  };
  for (auto& d : diagnostics) {
    remap(d.location);
    for (auto& r : d.related) remap(r.location);
  }
}

Extraction part_of(const Extraction& x, const std::string& shown, bool first) {
  Extraction part;
  part.unreadable = x.unreadable;
  for (const auto& f : x.files)
    if (text::display_name(f) == shown) part.files.push_back(f);
  std::set<std::string> used;
  for (const auto& filter : x.filters)
    if (filter.source == shown) {
      part.filters.push_back(filter);
      for (const auto& pin : filter.pins) used.insert(pin.framing);
    }
  for (const auto& framing : x.framings)
    if (framing.source == shown || used.count(framing.symbol)) part.framings.push_back(framing);
  std::set<std::string> sources;
  for (const auto& f : x.files) sources.insert(text::display_name(f));
  for (const auto& d : x.diagnostics)
    if (d.location.file == shown || (first && !sources.count(d.location.file)))
      part.diagnostics.push_back(d);
  return part;
}

namespace {

// One source's part of the run: its spec linted, every finding moved to its C line.
FileLintResult lint_part(const Extraction& part, const std::string& shown,
                         const LintOptions& lint) {
  FileLintResult result;
  result.file = shown;
  result.diagnostics = part.diagnostics;
  bool pins = false;
  for (const auto& f : part.filters) pins = pins || !f.pins.empty();
  if (!pins && part.framings.empty()) {
    // Most sources of a driver hold no descriptor: nothing to lint is not a finding. (When
    // the run's parse failed, nothing was read, which the failing source says.)
    bool found = false;  // a table that could not be read is already a finding
    for (const auto& d : result.diagnostics)
      found = found || (!d.environment && d.severity != Severity::Note);
    if (!found && !part.unreadable)
      result.diagnostics.push_back([&] {
        Diagnostic d = make_diagnostic(
            "KSF0030", shown + " declares no framing, pin or filter descriptor: nothing to lint",
            {shown, 0, 0}, "");
        d.severity = Severity::Note;
        return d;
      }());
    sort_diagnostics(result.diagnostics);
    return result;
  }
  const GeneratedSpec generated = to_spec(part, false);
  const std::string yaml_name = shown + ".ksframe.yaml";
  LoadResult loaded = load_spec(SourceFile{yaml_name, generated.yaml});
  Diagnostics found = loaded.diagnostics;
  if (loaded.spec && !has_errors(loaded.diagnostics)) {
    Diagnostics linted = lint_spec(*loaded.spec, lint);
    found.insert(found.end(), linted.begin(), linted.end());
  }
  locate_in_c(generated, yaml_name, shown, found);
  result.diagnostics.insert(result.diagnostics.end(), found.begin(), found.end());
  sort_diagnostics(result.diagnostics);
  return result;
}

}  // namespace

std::vector<FileLintResult> lint_c_files(const std::vector<std::string>& paths,
                                         const Options& options, const LintOptions& lint) {
  std::vector<FileLintResult> results;
  if (!available()) {
    for (const auto& path : paths) {
      FileLintResult result;
      result.file = text::display_name(path);
      result.diagnostics.push_back(
          make_diagnostic("KSF0030", unavailable_message(), {result.file, 0, 0}));
      result.unreadable = true;
      results.push_back(std::move(result));
    }
    return results;
  }
  const Extraction x = extract(paths, options);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string shown = text::display_name(paths[i]);
    const Extraction part = part_of(x, shown, i == 0);
    // A source that could not be read is that source's failure; the others are still linted.
    if (x.unreadable && has_errors(part.diagnostics)) {
      FileLintResult result;
      result.file = shown;
      result.diagnostics = part.diagnostics;
      result.unreadable = true;
      results.push_back(std::move(result));
      continue;
    }
    results.push_back(lint_part(part, shown, lint));
  }
  return results;
}

FileLintResult lint_c_file(const std::string& path, const Options& options,
                           const LintOptions& lint) {
  return lint_c_files({path}, options, lint).front();
}

}  // namespace ksframe::cimport
