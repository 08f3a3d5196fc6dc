// The spec model's own computations: Spec -> ks.h structures, the effective source of a pin,
// data-range sizes and descriptions. Loading a file is spec/load_spec.cpp.
#include <algorithm>
#include <array>
#include <optional>

#include "ksframe/format.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/expr.hpp"
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

namespace {

// The fields of a format a framing_edit formula reads, as a driver has them when the format is
// set: WAVEFORMATEX's for audio, the VIDEOINFOHEADER's for video, the KSDATAFORMAT's SampleSize.
std::array<expr::Constant, 10> format_fields(const DataRangeSpec& range, std::uint64_t channels,
                                             std::uint64_t bits, std::uint64_t rate) {
  const bool audio = range.kind.value == DataRangeSpec::Kind::Audio;
  const bool video = range.kind.value == DataRangeSpec::Kind::Video;
  auto v = [](std::uint64_t x) { return static_cast<std::int64_t>(x); };  // each < 2^48
  const std::int64_t h = range.height.value;
  return {{{"rate", audio ? v(rate) : 0},
           {"bits", audio ? v(bits) : 0},
           {"channels", audio ? v(channels) : 0},
           {"block_align", audio ? v(ks::block_align(channels, bits)) : 0},
           {"byte_rate", audio ? v(ks::byte_rate(channels, bits, rate)) : 0},
           {"width", video ? v(range.width.value) : 0},
           {"height", video ? (h < 0 ? -h : h) : 0},
           {"bit_count", video ? v(range.bit_count.value) : 0},
           {"sample_size", audio ? v(ks::block_align(channels, bits)) : v(range.sample_bytes())},
           {"avg_time_per_frame", video ? v(range.avg_time_per_frame.value) : 0}}};
}

}  // namespace

std::vector<std::string_view> FramingEditSpec::formula_fields() {
  std::vector<std::string_view> names;
  for (const auto& c : format_fields(DataRangeSpec{}, 0, 0, 0)) names.push_back(c.name);
  return names;
}

std::optional<std::int64_t> FramingEditSpec::formula_value(const DataRangeSpec& range,
                                                           std::uint64_t channels,
                                                           std::uint64_t bits, std::uint64_t rate,
                                                           std::string* why) const {
  const auto fields = format_fields(range, channels, bits, rate);
  const expr::Result r = expr::evaluate(formula, fields);
  if (!r.value) {
    if (why) *why = r.error;
    return std::nullopt;
  }
  return r.value;
}

std::uint64_t FramingEditSpec::size_for(const DataRangeSpec& range, std::uint64_t channels,
                                        std::uint64_t bits, std::uint64_t rate) const {
  if (size.value == Size::SampleSize) return range.sample_bytes();
  if (size.value == Size::Formula) {
    const auto v = formula_value(range, channels, bits, rate, nullptr);
    return v && *v > 0 ? static_cast<std::uint64_t>(*v) : 0;
  }
  if (range.kind.value != DataRangeSpec::Kind::Audio) return 0;
  // Whole blocks: a driver rounds the bytes of N ms up to the block align, or the frame would
  // end inside a sample. rate < 2^32 and ms < 2^32: the product fits 64 bits.
  const std::uint64_t blocks = (rate * audio_ms.value + 999) / 1000;
  return blocks * ks::block_align(channels, bits);
}

const DataRangeSpec& Spec::format_range(const ConnectionSpec& c) const {
  const FormatSpec& f = c.format;
  if (f.from_range >= 0 && !f.on_input) return pin(c.from_ref).data_ranges[f.from_range];
  return pin(c.to_ref).data_ranges[f.to_range];
}

std::uint64_t FormatSpec::block_align() const { return ks::block_align(channels, bits); }
std::uint64_t FormatSpec::byte_rate() const { return ks::byte_rate(channels, bits, rate); }

}  // namespace ksframe
