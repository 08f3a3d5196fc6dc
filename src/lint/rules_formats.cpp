// Rules that need to know what a pin streams: its framing against its data ranges (KSF2009 -
// KSF2014) and the nonpaged budget of a hard framing requirement (KSF1023). The bugs they catch
// are the ones public drivers ship: frames smaller than the image they carry, audio frames sized
// in bits, frames that cut audio blocks in half.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "ksframe/format.hpp"
#include "ksframe/lint.hpp"
#include "lint/context.hpp"

namespace ksframe {
namespace {

using lint_detail::Reporter;
using Kind = DataRangeSpec::Kind;

/// An audio frame should last between these (seconds) at the format's byte rate: 1 ms is the
/// USB audio service interval, the shortest frame a real stream uses; beyond 100 ms a frame
/// adds more latency than any capture or render path accepts (audio engines run 10 ms periods).
constexpr double kAudioFrameMin = 0.001, kAudioFrameMax = 0.100;

/// One framing alternative of a pin, as far as sizes go: a legacy framing or one EX item.
struct Declared {
  std::uint64_t max_size = 0;  ///< the largest frame the pin accepts (0: no limit stated)
  Position max_pos;
  std::uint64_t min_size = 0;
  std::uint64_t frames = 0;
  Position frames_pos;
  bool hard = true;  ///< no PREFERENCES_ONLY
  bool nonpaged = false;
  std::string what;  ///< "framing_ex.items[0]", "framing"
};

// The framing negotiation uses: framing_ex (or simple_framing_ex) when given, else the legacy one.
std::vector<Declared> declared_framing(const PinSpec& p) {
  std::vector<Declared> out;
  if (p.framing_ex) {
    const bool simple = p.framing_ex->form == FramingExSpec::Form::Simple;
    for (std::size_t i = 0; i < p.framing_ex->items.size(); ++i) {
      const FramingItemSpec& it = p.framing_ex->items[i];
      Declared d;
      const ks::ULONG max = it.framing_range.max.value;
      d.max_size = max == ks::kUnbounded ? 0 : max;
      d.max_pos = it.framing_range.max.pos;
      d.min_size = it.framing_range.min.value;
      d.frames = it.frames.value;
      d.frames_pos = it.frames.pos;
      d.hard = (it.flags.value & ks::flag::PREFERENCES_ONLY) == 0;
      d.nonpaged = it.memory_type.value == ks::memtype::KERNEL_NONPAGED;
      d.what = simple ? "simple_framing_ex" : "framing_ex.items[" + std::to_string(i) + "]";
      out.push_back(d);
    }
  } else if (p.framing) {
    const LegacyFramingSpec& l = *p.framing;
    Declared d;
    d.max_size = d.min_size = l.frame_size.value;
    d.max_pos = l.frame_size.present ? l.frame_size.pos : l.pos;
    d.frames = l.frames.value;
    d.frames_pos = l.frames.present ? l.frames.pos : l.pos;
    d.hard = (l.flags.value & ks::flag::PREFERENCES_ONLY) == 0;
    // Ref 8.1: SYSTEM_MEMORY with an even pool type is KERNEL_NONPAGED.
    d.nonpaged = l.flags_kind == LegacyFramingSpec::FlagsKind::Requirements &&
                 (l.flags.value & ks::flag::SYSTEM_MEMORY) && (l.pool_type.value % 2 == 0);
    d.what = "framing";
    out.push_back(d);
  }
  return out;
}

std::string ms(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", seconds * 1000.0);
  return buf;
}

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

// The smallest unit any range of the pin streams: one row of an uncompressed image, one audio
// block of the narrowest format. 0 when no range fixes one. A frame below it cannot carry
// anything (KSF2013); one between it and the sample is truncated (KSF2009). A plain range's
// fixed-size sample has no smaller unit: a frame below it truncates every sample (KSF2009).
const DataRangeSpec* smallest_unit(const PinSpec& p, std::uint64_t& unit) {
  const DataRangeSpec* best = nullptr;
  unit = 0;
  for (const auto& r : p.data_ranges) {
    const std::uint64_t u = r.kind.value == Kind::Audio   ? r.block_align_min
                            : r.kind.value == Kind::Video ? r.derived_stride
                                                          : 0;
    if (u == 0) continue;
    if (!best || u < unit) {
      best = &r;
      unit = u;
    }
  }
  return best;
}

const char* unit_name(const DataRangeSpec& r) {
  return r.kind.value == Kind::Audio ? "one block" : "one row";
}

// A formula's frames, judged by the rules that judge declared sizes, for each range at its
// widest format (audio: most channels, bits and rate): a sample that does not fit (KSF2009), an
// audio duration outside the window, with the bits-for-bytes hint (KSF2011), a frame that ends
// inside an audio block (KSF2012).
void judge_formula(Reporter& r, const PinSpec& p) {
  const FramingEditSpec& e = *p.framing_edit;
  const std::string what = "framing_edit.frame_size";
  for (const auto& range : p.data_ranges) {
    const bool audio = range.kind.value == Kind::Audio;
    const auto v = e.formula_value(range, range.max_channels.value, range.bits_max.value,
                                   range.rate_max.value, nullptr);
    if (!v || *v <= 0) continue;  // the loader reports it for the connection's format
    const auto size = static_cast<std::uint64_t>(*v);
    const std::string frames = "framing_edit's " + e.formula + " gives frames of " +
                               std::to_string(size) + " bytes for " + range.describe();
    std::string message;
    std::optional<RuleId> rule;
    if (!audio && range.sample_bytes() > size) {
      rule = RuleId("KSF2009");
      message = frames + ", but one sample is " + std::to_string(range.sample_bytes()) +
                " bytes: every frame of that format is truncated";
    } else if (audio && range.byte_rate_max > 0) {
      const double seconds = static_cast<double>(size) / static_cast<double>(range.byte_rate_max);
      const double eighth = seconds / 8.0;
      if (seconds > kAudioFrameMax) {
        rule = RuleId("KSF2011");
        message = frames + " at its widest format: " + ms(seconds) + " of audio at " +
                  std::to_string(range.byte_rate_max) + " bytes/s, above " + ms(kAudioFrameMax);
        if (eighth >= kAudioFrameMin && eighth <= kAudioFrameMax)
          message += "; that is 8x " + ms(eighth) + ": bits where bytes were meant?";
      } else if (seconds < kAudioFrameMin) {
        rule = RuleId("KSF2011");
        message = frames + " at its widest format: " + ms(seconds) + " of audio, below " +
                  ms(kAudioFrameMin);
      } else if (range.block_align_max && size % range.block_align_max != 0) {
        rule = RuleId("KSF2012");
        message = frames + " at its widest format: not a multiple of the block align " +
                  std::to_string(range.block_align_max) + ": a frame ends inside a sample";
      }
    }
    if (!rule) continue;
    auto& d = r.report(*rule, message, e.size.pos, what,
                       audio ? "an audio frame size is byte rate x duration: channels x bytes per "
                               "sample x rate x seconds (bits / 8)"
                             : "size the frames from the format (its sample size)");
    d.related.push_back({r.spec.at(range.pos), range.describe()});
  }
}

// With a framing edit the declared sizes are placeholders the driver replaces: what can still be
// wrong is the edit itself (an audio duration outside the window, a formula's result) and the
// memory it pins.
void lint_edit(Reporter& r, const PinSpec& p) {
  const FramingEditSpec& e = *p.framing_edit;
  if (!e.size.present) return;
  if (e.size.value == FramingEditSpec::Size::Formula) judge_formula(r, p);
  if (e.size.value == FramingEditSpec::Size::AudioMs) {
    const double seconds = e.audio_ms.value / 1000.0;
    if (seconds > kAudioFrameMax)
      r.report("KSF2011",
               "framing_edit sizes frames to hold " + ms(seconds) + " of audio, above " +
                   ms(kAudioFrameMax),
               e.audio_ms.pos, "framing_edit.frame_size.audio_ms",
               "audio frames of 10 ms are what audio engines use");
  }
  std::uint64_t largest = 0;
  const DataRangeSpec* widest = nullptr;
  for (const auto& range : p.data_ranges) {
    const std::uint64_t size =
        e.size_for(range, range.max_channels.value, range.bits_max.value, range.rate_max.value);
    if (size > largest) {
      largest = size;
      widest = &range;
    }
  }
  if (!widest) return;
  const std::uint64_t budget = r.spec.lint.nonpaged_budget.value;
  for (const Declared& d : declared_framing(p)) {
    const std::uint64_t frames = e.frames.present ? e.frames.value : d.frames;
    std::uint64_t total = 0;
    if (__builtin_mul_overflow(frames, largest, &total)) total = UINT64_MAX;  // above any budget
    if (!d.hard || !d.nonpaged || frames == 0 || total <= budget) continue;
    r.report("KSF1023",
             "framing_edit makes " + d.what + " require " + std::to_string(frames) +
                 " nonpaged frames of " + std::to_string(largest) + " bytes (" +
                 widest->describe() + ") as a hard requirement: " + std::to_string(total) +
                 " bytes (" + mib(total) + "), above the nonpaged budget of " +
                 std::to_string(budget) + " bytes (" + mib(budget) + ")",
             e.size.pos, "framing_edit",
             "set KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY so the graph can give fewer frames, or "
             "need fewer; `lint: {nonpaged_budget: N}` sets the budget");
  }
}

void lint_sizes(Reporter& r, const PinSpec& p) {
  if (p.framing_edit) {
    lint_edit(r, p);
    return;
  }
  std::uint64_t unit = 0;
  const DataRangeSpec* smallest = smallest_unit(p, unit);
  for (const Declared& d : declared_framing(p)) {
    if (d.max_size == 0) continue;
    if (smallest && d.max_size < unit) {
      auto& diag =
          r.report("KSF2013",
                   d.what + " allows frames of at most " + std::to_string(d.max_size) + " byte" +
                       (d.max_size == 1 ? "" : "s") +
                       ", less than the smallest unit of any format the pin streams (" +
                       std::to_string(unit) + " bytes: " + unit_name(*smallest) + " of " +
                       smallest->describe() + ")",
                   d.max_pos, d.what,
                   "if the pin moves no data through its frames (a video port pin), say so in a "
                   "comment and disable the rule; otherwise size the frames from the format");
      diag.related.push_back({r.spec.at(smallest->pos), smallest->describe()});
      continue;  // a degenerate framing is one finding, not one per format
    }
    const bool sized = std::any_of(p.data_ranges.begin(), p.data_ranges.end(),
                                   [](const DataRangeSpec& x) { return x.sample_bytes() > 0; });
    if (!smallest && !sized && d.max_size == 1 && !p.data_ranges.empty()) {
      // No range says how large a sample is, so KSF2013 cannot judge the frame: a 1-byte frame
      // is still no size any stream has; it is what a driver writes before KsEdit replaces it.
      r.report("KSF2015",
               d.what +
                   " allows frames of at most 1 byte, and no data range of the pin states a "
                   "sample size: a placeholder, unless the driver sizes frames when the format "
                   "is set",
               d.max_pos, d.what,
               "describe the run-time edit with framing_edit (frame_size: sample_size or a "
               "formula), or give a range its sample_size / size_image");
      continue;
    }
    const DataRangeSpec* largest = nullptr;
    for (const auto& range : p.data_ranges)
      if (range.sample_bytes() > d.max_size &&
          (!largest || range.sample_bytes() > largest->sample_bytes()))
        largest = &range;
    if (largest) {
      auto& diag =
          r.report("KSF2009",
                   d.what + " allows frames of at most " + std::to_string(d.max_size) +
                       " bytes, but one sample of " + largest->describe() + " is " +
                       std::to_string(largest->sample_bytes()) +
                       " bytes: every frame of that format is truncated",
                   d.max_pos, d.what,
                   "size the frames from the format (frame size = biSizeImage / SampleSize), as "
                   "drivers do with KsEdit when the format is set");
      diag.related.push_back({r.spec.at(largest->pos), largest->describe()});
    }
    for (const auto& range : p.data_ranges) {
      if (range.kind.value != Kind::Audio || range.byte_rate_max == 0) continue;
      // Judged over the whole range: too long even at its highest byte rate, or too short even
      // at its lowest, is wrong for every format the range allows.
      const double shortest =
          static_cast<double>(d.max_size) / static_cast<double>(range.byte_rate_max);
      const double longest =
          static_cast<double>(d.max_size) / static_cast<double>(range.byte_rate_min);
      std::string message;
      if (shortest > kAudioFrameMax) {
        message = d.what + ": frames of " + std::to_string(d.max_size) + " bytes hold " +
                  ms(shortest) + " of " + range.describe() + " at its highest byte rate (" +
                  std::to_string(range.byte_rate_max) + " bytes/s), above " + ms(kAudioFrameMax);
        const double eighth = shortest / 8.0;
        if (d.max_size % 8 == 0 && eighth >= kAudioFrameMin && eighth <= kAudioFrameMax)
          message += "; that is 8x the " + std::to_string(d.max_size / 8) + " bytes of " +
                     ms(eighth) + ": bits where bytes were meant?";
      } else if (longest < kAudioFrameMin) {
        message = d.what + ": frames of " + std::to_string(d.max_size) + " bytes hold " +
                  ms(longest) + " of " + range.describe() + " at its lowest byte rate (" +
                  std::to_string(range.byte_rate_min) + " bytes/s), below " + ms(kAudioFrameMin);
      }
      if (!message.empty()) {
        auto& diag = r.report("KSF2011", message, d.max_pos, d.what,
                              "an audio frame size is byte rate x duration: channels x bytes per "
                              "sample x rate x seconds");
        diag.related.push_back({r.spec.at(range.pos), range.describe()});
        break;
      }
    }
    for (const auto& range : p.data_ranges) {
      if (range.kind.value != Kind::Audio || range.block_align_max == 0) continue;
      if (d.max_size % range.block_align_max == 0) continue;
      auto& diag = r.report(
          "KSF2012",
          d.what + ": frames of " + std::to_string(d.max_size) +
              " bytes are not a multiple of the block align " +
              std::to_string(range.block_align_max) + " of " + range.describe() + " (" +
              std::to_string(range.max_channels.value) + " channels x " +
              std::to_string((range.bits_max.value + 7) / 8) +
              " bytes): a frame ends inside a sample",
          d.max_pos, d.what,
          "round the frame size to a multiple of " + std::to_string(range.block_align_max));
      diag.related.push_back({r.spec.at(range.pos), range.describe()});
      break;
    }
  }
}

void lint_budget(Reporter& r, const PinSpec& p) {
  if (p.framing_edit && p.framing_edit->size.present)
    return;  // lint_edit judges the edited framing
  const std::uint64_t budget = r.spec.lint.nonpaged_budget.value;
  for (const Declared& d : declared_framing(p)) {
    if (!d.hard || !d.nonpaged || d.frames == 0) continue;
    const std::uint64_t size = d.max_size ? d.max_size : d.min_size;
    const std::uint64_t total = d.frames * size;  // two ULONGs: at most 2^64 - 2^33 + 1
    if (total <= budget) continue;
    r.report("KSF1023",
             d.what + " requires " + std::to_string(d.frames) + " nonpaged frames of " +
                 std::to_string(size) + " bytes as a hard requirement: " + std::to_string(total) +
                 " bytes (" + mib(total) + "), above the nonpaged budget of " +
                 std::to_string(budget) + " bytes (" + mib(budget) + ")",
             d.frames_pos, d.what,
             "set KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY so the graph can give fewer frames, or "
             "need fewer; `lint: {nonpaged_budget: N}` sets the budget");
  }
}

ks::Media range_media(const DataRangeSpec& range) {
  if (range.kind.value == Kind::Video) return ks::Media::Video;
  if (range.kind.value == Kind::Audio) return ks::Media::Audio;
  if (const auto* row = ks::find_format_guid(range.major.value, ks::FormatGuidKind::Major))
    return row->media;
  return ks::Media::Any;
}

void lint_category(Reporter& r, const PinSpec& p) {
  if (p.data_ranges.empty()) return;
  for (const auto* g : {&p.category, &p.pin_name}) {
    if (!g->present) continue;
    const auto* row = ks::find_format_guid(g->value, ks::FormatGuidKind::Category);
    const ks::Media media = ks::category_media(g->value);
    if (!row || (media != ks::Media::Video && media != ks::Media::Audio)) continue;
    const ks::Media opposite = media == ks::Media::Video ? ks::Media::Audio : ks::Media::Video;
    bool agrees = false, contradicts = false;
    for (const auto& range : p.data_ranges) {
      const ks::Media m = range_media(range);
      agrees = agrees || m == media || m == ks::Media::Any;
      contradicts = contradicts || m == opposite;
    }
    if (!contradicts || agrees) continue;
    r.report("KSF2014",
             std::string(g == &p.category ? "category " : "name_guid ") + std::string(row->name) +
                 " is a " + std::string(ks::to_string(media)) +
                 " pin, but every data range of "
                 "the pin is " +
                 std::string(ks::to_string(opposite)),
             g->pos, g == &p.category ? "category" : "name_guid",
             "a pin's category tells applications what it streams: give the one that matches its "
             "ranges");
  }
}

// A stated biSizeImage that disagrees with the header's own numbers: a driver that allocates
// from one and validates against the other truncates or rejects frames.
void lint_image_sizes(Reporter& r, const PinSpec& p) {
  for (std::size_t i = 0; i < p.data_ranges.size(); ++i) {
    const DataRangeSpec& range = p.data_ranges[i];
    if (range.kind.value != Kind::Video || !range.size_image.present ||
        range.derived_image_size == 0 || range.size_image.value == range.derived_image_size)
      continue;
    const std::int64_t h = range.height.value;
    r.report("KSF2010",
             "size_image " + std::to_string(range.size_image.value) + " disagrees with " +
                 std::to_string(range.width.value) + " x " + std::to_string(h < 0 ? -h : h) +
                 " x " + std::to_string(range.bit_count.value) + " bits (" +
                 std::to_string(range.derived_stride) +
                 "-byte rows): " + std::to_string(range.derived_image_size) + " bytes",
             range.size_image.pos, "data_ranges[" + std::to_string(i) + "].size_image",
             "biSizeImage of an uncompressed image is its DWORD-aligned row size x |height|; "
             "omit size_image to use the computed value");
  }
}

}  // namespace

Diagnostics connection_format_errors(const Spec& spec) {
  Diagnostics out;
  for (std::size_t i = 0; i < spec.connections.size(); ++i) {
    const ConnectionSpec& c = spec.connections[i];
    if (!c.format_failed) continue;
    const PinSpec& from = spec.pin(c.from_ref);
    const PinSpec& to = spec.pin(c.to_ref);
    const bool picked = c.format_index.present;
    std::string message = picked
                              ? c.from.value + " format " + std::to_string(c.format_index.value) +
                                    " (" + from.data_ranges[c.format_index.value].describe() +
                                    ") is not accepted by " + c.to.value
                          : from.data_ranges.empty() || to.data_ranges.empty()
                              ? c.from.value + " -> " + c.to.value +
                                    ": the audio values of format: are outside the range"
                              : c.from.value + " and " + c.to.value + " have no format in common";
    Diagnostic d =
        make_diagnostic("KSF3007", message, spec.at(picked ? c.format_index.pos : c.pos),
                        "KS connects two pins only on a format both accept: same major type, "
                        "subtype and specifier (or GUID_NULL), overlapping sizes and rates");
    d.subject = "connections[" + std::to_string(i) + "]";
    // Some ranges of each side, so the reader sees why without opening the pins.
    for (std::size_t r = 0; r < from.data_ranges.size() && r < 4; ++r)
      d.related.push_back(
          {spec.at(from.data_ranges[r].pos), c.from.value + ": " + from.data_ranges[r].describe()});
    for (std::size_t r = 0; r < to.data_ranges.size() && r < 4; ++r)
      d.related.push_back(
          {spec.at(to.data_ranges[r].pos), c.to.value + ": " + to.data_ranges[r].describe()});
    out.push_back(std::move(d));
  }
  return out;
}

void lint_formats(const Spec& spec, Diagnostics& out) {
  for (auto& d : connection_format_errors(spec)) out.push_back(std::move(d));
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi)
    for (std::size_t pi = 0; pi < spec.filters[fi].pins.size(); ++pi) {
      const PinSpec& p = spec.filters[fi].pins[pi];
      Reporter r{spec, out, static_cast<int>(fi), static_cast<int>(pi),
                 spec.filters[fi].name.value + "." + p.name.value};
      lint_budget(r, p);
      if (p.user_mode.value) continue;  // the application's buffers, not a driver's framing
      lint_image_sizes(r, p);
      lint_sizes(r, p);
      lint_category(r, p);
    }
}

}  // namespace ksframe
