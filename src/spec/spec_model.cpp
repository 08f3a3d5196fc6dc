// Spec -> ks.h structures, and the load pipeline: read -> YAML tree -> typed load.
#include <algorithm>
#include <optional>

#include "ksframe/format.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/include.hpp"
#include "util/text.hpp"

namespace ksframe {

ks::KS_FRAMING_ITEM FramingItemSpec::value() const {
  ks::KS_FRAMING_ITEM it;
  it.MemoryType = memory_type.value;
  it.BusType = bus_type.value;
  it.MemoryFlags = memory_flags.value;
  it.BusFlags = bus_flags.value;
  it.Flags = flags.value;
  it.Frames = frames.value;
  it.FileAlignment = file_alignment.value;
  it.MemoryTypeWeight = memory_type_weight.value;
  it.PhysicalRange = physical_range.value();
  it.FramingRange.Range = framing_range.value();
  it.FramingRange.InPlaceWeight = in_place_weight.value;
  it.FramingRange.NotInPlaceWeight = not_in_place_weight.value;
  return it;
}

ks::KSALLOCATOR_FRAMING_EX FramingExSpec::value() const {
  ks::KSALLOCATOR_FRAMING_EX ex;
  ex.CountItems = count_items.value;
  ex.PinFlags = pin_flags.value;
  ex.OutputCompression = {ratio_numerator.value, ratio_denominator.value,
                          ratio_constant_margin.value};
  ex.PinWeight = pin_weight.value;
  for (const auto& item : items) ex.FramingItem.push_back(item.value());
  return ex;
}

ks::KSALLOCATOR_FRAMING LegacyFramingSpec::value() const {
  return {flags.value,      pool_type.value,      frames.value,
          frame_size.value, file_alignment.value, reserved.value};
}

double largest_planned(const DistributionSpec& d) {
  switch (d.kind.value) {
    case DistributionSpec::Kind::Fixed:
      return d.value.value;
    case DistributionSpec::Kind::Uniform:
      return d.max.value;
    case DistributionSpec::Kind::Exponential:
      return d.mean.value;
  }
  return d.value.value;
}

EffectiveSource Spec::source(PinRef ref) const {
  EffectiveSource e;
  const SourceSpec* own = nullptr;
  for (const auto& s : load.sources)
    if (s.ref.filter == ref.filter && s.ref.pin == ref.pin) own = &s;
  const std::string own_path =
      own ? "load.sources." + own->filter.value + "." + own->pin.value : "";
  const FormatSourceDefault* format = nullptr;
  for (const auto& f : load.format_defaults)
    if (f.ref.filter == ref.filter && f.ref.pin == ref.pin) format = &f;
  // The pin's own keys, then load.source's as written, then what its format implies, then the
  // built-in defaults (30 Hz, full frames).
  e.rate_hz = own && own->rate_hz.present ? own->rate_hz.value
              : load.source_rate_hz.present || !format || format->rate_hz <= 0
                  ? load.source_rate_hz.value
                  : format->rate_hz;
  if (!(own && own->rate_hz.present) && !load.source_rate_hz.present && format &&
      format->rate_hz <= 0)
    e.audio_byte_rate = format->audio_byte_rate;
  const bool own_payload = own && own->payload.present;
  const bool format_payload =
      !own_payload && !load.payload.present && format && format->payload.present;
  e.payload = own_payload ? &own->payload : format_payload ? &format->payload : &load.payload;
  e.payload_path = own_payload      ? own_path + ".payload"
                   : format_payload ? "the format of " + pin_name(ref)
                                    : "load.source.payload";
  e.jitter_us = own && own->jitter_us.present ? &own->jitter_us : &load.jitter_us;
  e.burst_frames = own && own->burst_frames.present ? own->burst_frames.value
                   : load.burst_frames.present      ? load.burst_frames.value
                                                    : 1;
  if (own && own->when_starved.present) {
    e.drop = own->when_starved.value == "drop";
    e.when_starved_from = own_path + ".when_starved";
  } else if (load.when_starved.present) {
    e.drop = load.when_starved.value == "drop";
    e.when_starved_from = "load.source.when_starved";
  } else if (ref.resolved() &&
             (pin(ref).flags.value & ks::pinflag::FRAMES_NOT_REQUIRED_FOR_PROCESSING)) {
    // A pin that processes without frames (a timer-driven capture pin) loses the frame when no
    // buffer is there and goes on: the hardware does not wait.
    e.drop = true;
    e.when_starved_from = "KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING";
  } else {
    e.when_starved_from = "default";
  }
  return e;
}

std::string Spec::pin_name(PinRef ref) const {
  if (!ref.resolved()) return "?";
  return filters[ref.filter].name.value + "." + pin(ref).name.value;
}

std::optional<ks::KSALLOCATOR_FRAMING_EX> Spec::effective_framing_ex(PinRef ref) const {
  const PinSpec& p = pin(ref);
  if (p.active_framing_ex()) return p.active_framing_ex()->value();
  if (p.active_framing()) return ks::legacy_to_ex(p.active_framing()->value());
  return std::nullopt;
}

bool route_in_place(const Spec& spec, int filter, const RouteSpec& route) {
  if (route.in_place.present) return route.in_place.value;
  if (route.from_pin < 0 || route.to_pin < 0) return false;
  for (int pin : {route.from_pin, route.to_pin}) {
    auto ex = spec.effective_framing_ex({filter, pin});
    if (!ex) continue;
    for (const auto& item : ex->FramingItem)
      if (item.Flags & ks::flag::INPLACE_MODIFIER) return true;
  }
  return false;
}

bool uses_standard_transport(const PinSpec& pin) {
  const ks::ULONG f = pin.flags.value;
  const bool standard = (f & ks::pinflag::USE_STANDARD_TRANSPORT) ||
                        !(f & ks::pinflag::DO_NOT_USE_STANDARD_TRANSPORT);
  const auto c = pin.communication.value;
  return standard && c != ks::Communication::None && c != ks::Communication::Bridge;
}

namespace {

// An assignment as an error shows it: whole when short, else its first 60 bytes (cut at a
// character boundary) and "...", so a 40,000-character --set does not fill the log.
std::string shortened(const std::string& assignment) {
  if (assignment.size() <= 120) return assignment;
  std::size_t cut = 60;
  while (cut > 0 && (static_cast<unsigned char>(assignment[cut]) & 0xC0) == 0x80) --cut;
  return assignment.substr(0, cut) + "...";
}

// Negotiation, the simulated load and the reports cost memory per pin and per connection: a
// chain of 10,000 pins peaks at 470 MB and writes a 66 MB JSON report (past the 64 MiB a saved
// report may have), and a 60,000-filter one took 3.5 GB. 4,000 pins keep the report under
// 64 MiB with the longest names (GraphLimits' defaults). Counted on the YAML tree, before the
// loader.
std::optional<Diagnostic> graph_too_large(const Node& root, const std::string& file,
                                          const std::vector<std::string>& included,
                                          const GraphLimits& limits) {
  const std::size_t kMaxPins = limits.max_pins, kMaxConnections = limits.max_connections;
  auto refuse = [&](const Node& at, std::string what) {
    return make_diagnostic("KSF0003", std::move(what), locate(file, included, at.pos),
                           "split the graph into several specs");
  };
  std::size_t pins = 0;
  if (const Node* filters = root.is_map() ? root.find("filters") : nullptr;
      filters && filters->is_seq())
    for (const auto& f : filters->items)
      if (const Node* list = f.is_map() ? f.find("pins") : nullptr; list && list->is_seq())
        for (const auto& pin : list->items)
          if (++pins > kMaxPins)
            return refuse(pin, "more than " + std::to_string(kMaxPins) +
                                   " pins: ksframe negotiates, simulates and "
                                   "reports at most that many");
  if (const Node* conns = root.is_map() ? root.find("connections") : nullptr;
      conns && conns->is_seq() && conns->items.size() > kMaxConnections)
    return refuse(conns->items[kMaxConnections],
                  "more than " + std::to_string(kMaxConnections) +
                      " connections: ksframe negotiates, simulates and reports at most that many");
  return std::nullopt;
}

// The implied consumers the loader adds (ImpliedConsumerSpec) count as well: 4,000 unconnected
// output pins are a graph of 8,000 pins and 4,000 connections, whose report would pass the
// 64 MiB a saved report may have. Refused at the pin whose consumer is one too many.
std::optional<Diagnostic> implied_too_large(const Spec& spec, const GraphLimits& limits) {
  std::size_t pins = 0;
  std::size_t connections =
      static_cast<std::size_t>(std::count_if(spec.connections.begin(), spec.connections.end(),
                                             [](const ConnectionSpec& c) { return !c.implied; }));
  for (const auto& f : spec.filters) {
    pins += f.pins.size();
    if (f.implied()) ++connections;  // each implied filter comes with its connection
    if (f.implied() && (pins > limits.max_pins || connections > limits.max_connections))
      return make_diagnostic(
          "KSF0003",
          "with the implied consumer of " + spec.pin_name(f.implied_for) +
              ", the graph has more than " +
              std::to_string(pins > limits.max_pins ? limits.max_pins : limits.max_connections) +
              (pins > limits.max_pins ? " pins" : " connections") +
              ": ksframe negotiates, simulates and reports at most that many",
          spec.at(f.pos),
          "set implied_consumer: none on the output pins no graph uses, or split the spec");
  }
  return std::nullopt;
}

}  // namespace

LoadResult load_spec(const SourceFile& file, const LoadOptions& options) {
  LoadResult result;
  if (file.content.size() > options.max_file_bytes) {
    result.diagnostics.push_back(make_diagnostic(
        "KSF0003",
        "file is larger than the limit of " + std::to_string(options.max_file_bytes) + " bytes",
        {file.name, 1, 1}));
    return result;
  }
  ParsedYaml parsed = parse_yaml(file, options.parse);
  result.diagnostics = std::move(parsed.diagnostics);
  // Pass boundary: a tree with YAML-level errors (duplicates, aliases) is not interpreted.
  if (!parsed.root || has_errors(result.diagnostics)) return result;
  // Includes first, so that --set reaches the filters they bring (a what-if on a driver's
  // framing read from its C source).
  std::vector<std::string> included;
  if (!resolve_includes(*parsed.root, file.name, options, result.diagnostics, included)) {
    sort_diagnostics(result.diagnostics);
    return result;
  }
  for (const auto& assignment : options.overrides) {
    if (assignment.starts_with("include=") || assignment.starts_with("include[") ||
        assignment.starts_with("include.")) {
      result.override_error = "--set " + shortened(assignment) +
                              ": 'include' is read before --set applies; edit the spec's include";
      return result;
    }
    result.override_error = apply_override(*parsed.root, assignment);
    if (!result.override_error.empty()) {
      result.override_error = "--set " + shortened(assignment) + ": " + result.override_error;
      return result;
    }
  }
  if (auto too_large = graph_too_large(*parsed.root, file.name, included, options.graph)) {
    result.diagnostics.push_back(std::move(*too_large));
    return result;
  }
  LoadResult typed = load_spec_tree(*parsed.root, file.name, included);
  for (auto& d : typed.diagnostics) result.diagnostics.push_back(std::move(d));
  result.spec = std::move(typed.spec);
  if (result.spec)
    if (auto too_large = implied_too_large(*result.spec, options.graph))
      result.diagnostics.push_back(std::move(*too_large));
  sort_diagnostics(result.diagnostics);
  return result;
}

LoadResult load_spec_file(FileReader& reader, const std::string& path, const LoadOptions& options) {
  ReadResult read = reader.read(path, options.max_file_bytes);
  const std::string name = path == "-" ? "<stdin>" : text::display_name(path);
  if (read.too_large) {
    LoadResult result;
    result.unreadable = true;  // a refusal before any work, like a missing file: exit code 2
    result.diagnostics.push_back(
        make_diagnostic("KSF0003", read.error, {name, 1, 1}, "is this really a ksframe spec?"));
    return result;
  }
  if (!read.file) {
    LoadResult result;
    result.unreadable = true;
    result.diagnostics.push_back(
        make_diagnostic("KSF0002", "cannot read " + name + ": " + read.error, {name, 0, 0}));
    return result;
  }
  // The files the spec includes are read as the spec was (a MemoryFileReader in the tests).
  LoadOptions with_reader = options;
  if (!with_reader.reader) with_reader.reader = &reader;
  return load_spec(*read.file, with_reader);
}

}  // namespace ksframe

namespace ksframe {

std::uint64_t DataRangeSpec::sample_bytes() const {
  switch (kind.value) {
    case Kind::Video:
      return size_image.present ? size_image.value : derived_image_size;
    case Kind::Plain:
      return sample_size.value;
    case Kind::Audio:
      return 0;  // an audio frame is a duration, not a fixed size
  }
  return 0;
}

std::string DataRangeSpec::describe() const {
  auto span = [](ks::ULONG lo, ks::ULONG hi) {
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
  };
  auto short_name = [](const ks::Guid& g, ks::FormatGuidKind gk) {
    std::string name = ks::format_guid_name(g, gk);
    for (const char* prefix : {"MEDIASUBTYPE_", "KSDATAFORMAT_SUBTYPE_", "KSDATAFORMAT_TYPE_"})
      if (name.rfind(prefix, 0) == 0) return name.substr(std::string_view(prefix).size());
    return name;
  };
  switch (kind.value) {
    case Kind::Video:
      return "video " + short_name(subtype.value, ks::FormatGuidKind::Subtype) + " " +
             std::to_string(width.value) + "x" + std::to_string(height.value) +
             (bit_count.value ? " " + std::to_string(bit_count.value) + "-bit" : std::string());
    case Kind::Audio:
      return "audio " + short_name(subtype.value, ks::FormatGuidKind::Subtype) + " " +
             span(1, max_channels.value) + " ch " + span(bits_min.value, bits_max.value) + " bit " +
             span(rate_min.value, rate_max.value) + " Hz";
    case Kind::Plain:
      return short_name(major.value, ks::FormatGuidKind::Major) + "/" +
             short_name(subtype.value, ks::FormatGuidKind::Subtype) +
             (sample_size.value ? " " + std::to_string(sample_size.value) + "-byte samples"
                                : std::string());
  }
  return "";
}

std::uint64_t FramingEditSpec::size_for(const DataRangeSpec& range, std::uint64_t channels,
                                        std::uint64_t bits, std::uint64_t rate) const {
  if (size.value == Size::SampleSize) return range.sample_bytes();
  if (range.kind.value != DataRangeSpec::Kind::Audio) return 0;
  // Whole blocks: a driver rounds the bytes of N ms up to the block align, or the frame would
  // end inside a sample. rate < 2^32 and ms < 2^32: the product fits 64 bits.
  const std::uint64_t blocks = (rate * audio_ms.value + 999) / 1000;
  return blocks * ks::block_align(channels, bits);
}

std::uint64_t FormatSpec::block_align() const { return ks::block_align(channels, bits); }
std::uint64_t FormatSpec::byte_rate() const { return ks::byte_rate(channels, bits, rate); }

}  // namespace ksframe
