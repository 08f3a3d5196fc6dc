// The typed spec: what the loader makes of a YAML file. Every value keeps the position it came
// from (Located<T>::pos), and `present` says whether the file wrote it or a default applies, so
// lint and negotiation can point at the exact value that decided something.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/ks.hpp"
#include "ksframe/source.hpp"
#include "ksframe/yaml_tree.hpp"

namespace ksframe {

/// The location of `pos`: in `file` (the spec), or in the included file it numbers.
inline Location locate(const std::string& file, const std::vector<std::string>& included,
                       Position pos) {
  const std::string& in =
      pos.file == 0 || pos.file > included.size() ? file : included[pos.file - 1];
  return {in, pos.line, pos.column};
}

template <class T>
struct Located {
  T value{};
  Position pos;          ///< of the value; of the enclosing object when defaulted
  bool present = false;  ///< written in the file (false: a default)
  /// The expression the file wrote for an integer (`2 * PAGE_SIZE`), as written; "" when it
  /// wrote a plain number or the value is derived. Export writes it back; `value` holds the result.
  std::string expr;

  // Constructors rather than an aggregate, so `{value, pos, present}` leaves `expr` empty
  // without a missing-initializer warning at each of those places.
  Located() = default;
  Located(T v, Position p = {}, bool written = false, std::string expression = {})
      : value(std::move(v)), pos(p), present(written), expr(std::move(expression)) {}
};
using LU32 = Located<ks::ULONG>;

struct RangeSpec {
  LU32 min, max, stepping;
  Position pos;
  bool present = false;
  ks::KS_FRAMING_RANGE value() const { return {min.value, max.value, stepping.value}; }
};

struct FramingItemSpec {
  Located<ks::Guid> memory_type, bus_type;
  LU32 memory_flags, bus_flags, flags, frames, file_alignment, memory_type_weight;
  RangeSpec physical_range;
  RangeSpec framing_range;  ///< FramingRange.Range
  LU32 in_place_weight, not_in_place_weight;
  Position pos;
  ks::KS_FRAMING_ITEM value() const;
};

struct FramingExSpec {
  enum class Form { Explicit, Simple };  ///< framing_ex or simple_framing_ex
  Form form = Form::Explicit;
  LU32 count_items, pin_flags, pin_weight;
  LU32 ratio_numerator, ratio_denominator, ratio_constant_margin;
  Position compression_pos;
  std::vector<FramingItemSpec> items;
  Position pos;
  Position items_pos;
  ks::KSALLOCATOR_FRAMING_EX value() const;
};

struct LegacyFramingSpec {
  enum class FlagsKind { Requirements, Options };  ///< query or allocator-create payload
  FlagsKind flags_kind = FlagsKind::Requirements;
  LU32 flags, pool_type, frames, frame_size, file_alignment, reserved;
  Position pos;
  ks::KSALLOCATOR_FRAMING value() const;
};

/// The vendor allocator model: the pin supplies KSALLOCATOR_DISPATCH (ref 4.5, 4.6).
struct AllocatorModelSpec {
  LU32 pool_frames;                         ///< device pool capacity (0 = unlimited)
  Located<bool> fail_initialize;            ///< InitializeAllocator returns an error
  Located<double> allocation_failure_rate;  ///< 0..1, Allocate returns NULL this often
  Position pos;
};

struct LintConfig {
  std::vector<Located<std::string>> disable;  ///< rule ids or names
  /// Top level only: the largest hard nonpaged requirement (frames x frame size) before KSF1023
  /// warns; 16 MiB unless `lint: {nonpaged_budget: N}` says otherwise.
  Located<std::uint64_t> nonpaged_budget{16u * 1024 * 1024, {}, false};
};

/// One entry of KSPIN_DESCRIPTOR.DataRanges: a KS_DATARANGE_VIDEO, a KSDATARANGE_AUDIO or a
/// plain KSDATARANGE. The loader fills the derived numbers (image size, block align, byte rate)
/// so lint, negotiation and --explain all use the same values.
struct DataRangeSpec {
  enum class Kind { Video, Audio, Plain };
  Located<Kind> kind;
  Located<ks::Guid> major, subtype, specifier;
  // KS_DATARANGE_VIDEO (its KS_VIDEOINFOHEADER's BITMAPINFOHEADER and AvgTimePerFrame)
  LU32 width;                                 ///< biWidth
  Located<std::int64_t> height;               ///< biHeight (negative: top-down rows)
  LU32 bit_count;                             ///< biBitCount
  LU32 compression;                           ///< biCompression (FOURCC or BI_RGB)
  LU32 size_image;                            ///< biSizeImage as stated (present) or derived
  Located<std::uint64_t> avg_time_per_frame;  ///< 100-ns units; 0 = not given
  // KSDATARANGE_AUDIO
  LU32 max_channels, bits_min, bits_max, rate_min, rate_max;
  // KSDATARANGE
  LU32 sample_size;          ///< SampleSize
  Located<bool> fixed_size;  ///< KSDATARANGE_ATTRIBUTES fixed sample size
  Position pos;
  // Derived by the loader.
  std::uint64_t derived_image_size = 0;  ///< width x |height| x bits / 8, DWORD rows; 0 = n/a
  std::uint64_t derived_stride = 0;      ///< bytes per DWORD-aligned row
  std::uint64_t block_align_min = 0, block_align_max = 0;  ///< audio: 1 ch x min bits .. max
  std::uint64_t byte_rate_min = 0, byte_rate_max = 0;      ///< audio: over the whole range

  /// The size one sample (frame) of this range needs, when the format fixes it: a video image
  /// (biSizeImage, stated or derived), a plain range's SampleSize; 0 when not fixed (audio).
  std::uint64_t sample_bytes() const;
  /// "video YUY2 320x240 16-bit", "audio PCM 1-2 ch 16-16 bit 44100-48000 Hz", ...
  std::string describe() const;
};

/// The format a connection is made on: one range of each pin, and for audio the channels, bits
/// and rate the intersection fixed.
struct FormatSpec {
  /// Indices into the pins' data_ranges; -1 for a pin that lists none (it takes the other's).
  int from_range = -1, to_range = -1;
  std::uint64_t channels = 0, bits = 0, rate = 0;  ///< audio only
  bool explicit_choice = false;  ///< `format:` picked it (false: the first common range)
  /// The format is the input pin's range: the output's range is a wildcard (GUID_NULL subtype
  /// or major type), and a wildcard takes the other pin's concrete format.
  bool on_input = false;
  bool resolved() const { return from_range >= 0 || to_range >= 0; }
  std::uint64_t block_align() const;
  std::uint64_t byte_rate() const;
};

/// What the driver does to its framing once a format is set (the KsEdit in DispatchCreate or
/// SetDataFormat): the frame size follows the format, and the stepping and frame count may change.
struct FramingEditSpec {
  enum class Size { SampleSize, AudioMs, Formula };
  /// `frame_size: sample_size`, `frame_size: {audio_ms: N}`, or an integer formula over the
  /// format's fields as the driver computes it (`(rate * bits * channels + 29) / 30`).
  Located<Size> size;
  LU32 audio_ms;
  std::string formula;    ///< Size::Formula: its text
  LU32 stepping, frames;  ///< present: the edit sets them
  Position pos;
  /// The frame size the edit gives for a range: its sample size, or whole blocks of `audio_ms`
  /// of the given audio format. 0 when the range fixes no size (a compressed image without
  /// size_image) or the edit does not apply to it.
  std::uint64_t size_for(const DataRangeSpec& range, std::uint64_t channels, std::uint64_t bits,
                         std::uint64_t rate) const;
  /// Size::Formula: its value for a format, or nullopt with `*why` saying why there is none
  /// (a division by zero, a negative value, an overflow: C would not give a frame size either).
  std::optional<std::int64_t> formula_value(const DataRangeSpec& range, std::uint64_t channels,
                                            std::uint64_t bits, std::uint64_t rate,
                                            std::string* why) const;
  /// The names a formula may use: the format's fields (rate, bits, channels, block_align,
  /// byte_rate, width, height, bit_count, sample_size, avg_time_per_frame; 0 where the format
  /// has none: `rate` of a video format) and PAGE_SIZE.
  static std::vector<std::string_view> formula_fields();
};

struct DistributionSpec {
  enum class Kind { Fixed, Uniform, Exponential };
  Located<Kind> kind;
  Located<double> value, min, max, mean;
  Position pos;
  bool present = false;
};

/// What streams out of an output pin that no connection uses: the spec of one driver's filter
/// says nothing about its consumer, yet the pin runs only when something takes its frames. By
/// default a user-mode sink (KsProxy and an application, the way capture pins are used) on the
/// unconnected output pins of a filter that no connection touches; `implied_consumer:` on a pin
/// asks for one (or changes it) on any unconnected output pin, `implied_consumer: none` turns it
/// off. The loader adds it to the graph as filter `implied:<filter>:<pin>` (docs/spec.md).
struct ImpliedConsumerSpec {
  enum class Mode { User, Kernel };
  Located<Mode> mode;                   ///< default user
  DistributionSpec service_us;          ///< absent: takes each frame at once
  LU32 hold_frames;                     ///< frames it keeps after service (default 0)
  Located<std::uint64_t> format_index;  ///< the pin's data range it streams (default 0)
  bool none = false;                    ///< `implied_consumer: none`
  Position pos;
};

struct PinSpec {
  Located<std::string> name;
  LU32 id;
  Located<ks::Dataflow> dataflow;
  Located<ks::Communication> communication;
  LU32 flags;
  LU32 instances_possible, instances_necessary;
  Located<bool> user_mode;
  std::optional<AllocatorModelSpec> allocator;
  std::optional<LegacyFramingSpec> framing;
  std::optional<FramingExSpec> framing_ex;
  std::optional<FramingEditSpec> framing_edit;
  /// The framing after the edit, for the format of the pin's first connection that has one; the
  /// loader sets them, negotiation and the load use them (active_framing_*), lint checks both.
  std::optional<FramingExSpec> edited_framing_ex;
  std::optional<LegacyFramingSpec> edited_framing;
  std::string edit_note;  ///< "frame size 153600 (biSizeImage of video YUY2 320x240 16-bit)"
  const std::optional<FramingExSpec>& active_framing_ex() const {
    return edited_framing_ex ? edited_framing_ex : framing_ex;
  }
  const std::optional<LegacyFramingSpec>& active_framing() const {
    return edited_framing ? edited_framing : framing;
  }
  Located<ks::Guid> category;  ///< KSPIN_DESCRIPTOR.Category (GUID_NULL: none)
  Located<ks::Guid> pin_name;  ///< KSPIN_DESCRIPTOR.Name (GUID_NULL: none)
  std::vector<DataRangeSpec> data_ranges;
  Position data_ranges_pos;
  std::optional<ImpliedConsumerSpec> implied_consumer;  ///< as written (absent: the default)
  LintConfig lint;
  Position pos;
};

struct RouteSpec {
  Located<std::string> from, to;
  Located<bool> in_place;          ///< present: the spec overrides the INPLACE_MODIFIER rule
  int from_pin = -1, to_pin = -1;  ///< indices into FilterSpec::pins, -1 if unresolved
  Position pos;
};

struct PinRef {
  int filter = -1, pin = -1;
  bool resolved() const { return filter >= 0 && pin >= 0; }
  friend bool operator==(const PinRef&, const PinRef&) = default;
};

struct FilterSpec {
  Located<std::string> name;
  LU32 flags;  ///< KSFILTER_FLAG_*
  std::vector<PinSpec> pins;
  std::vector<RouteSpec> routes;
  LintConfig lint;
  Position pos;
  /// The loader added this filter as the implied consumer of that output pin (ImpliedConsumerSpec);
  /// unresolved for the spec's own filters. Lint's graph rules and export leave it out.
  PinRef implied_for;
  bool implied() const { return implied_for.resolved(); }
};

struct ConnectionSpec {
  Located<std::string> from, to;  ///< "filter.pin"
  PinRef from_ref, to_ref;
  Located<std::uint64_t> format_index;  ///< `format: N` or `{range: N}`: the output pin's range
  FormatSpec format;                    ///< resolved by the loader (none when a pin has no ranges)
  bool format_failed = false;           ///< both pins list ranges and none is common (KSF3007)
  bool implied = false;  ///< the loader added it: an output pin into its implied consumer
  Position pos;
};

struct OptionsSpec {
  LU32 strategy;                         ///< AllocatorStrategy_* bits
  LU32 default_frames;                   ///< default 1
  Located<std::string> allocator_place;  ///< "last" (default) or "first"
  Located<bool> honor_input_physical_range;
};

/// The largest payload a load plans to produce: the fixed value, the uniform maximum, or the
/// exponential mean (its tail is clipped to the frame). Lint and the simulation both compare it
/// with the frames a pipe negotiated.
double largest_planned(const DistributionSpec& d);

struct StageSpec {
  Located<std::string> filter;
  int filter_index = -1;
  DistributionSpec service_us;
  LU32 hold_frames;
  Position pos;
};

/// A source pin's load: `load.sources.<filter>.<pin>`. Every key is optional and falls back to
/// the same key of `load.source` (docs/spec.md); `when_starved` without either comes from the
/// pin's flags (docs/simulation.md).
struct SourceSpec {
  Located<std::string> filter, pin;
  PinRef ref;
  Located<double> rate_hz;
  DistributionSpec payload;
  DistributionSpec jitter_us;         ///< delay added to each frame's due time
  LU32 burst_frames;                  ///< frames due at once, every burst_frames periods
  Located<std::string> when_starved;  ///< "wait" or "drop"
  Position pos;
};

/// What one source pin runs with, its settings merged from `load.sources` and `load.source`.
struct EffectiveSource {
  double rate_hz = 30;
  const DistributionSpec* payload = nullptr;    ///< never null
  const DistributionSpec* jitter_us = nullptr;  ///< never null; absent: no jitter
  ks::ULONG burst_frames = 1;
  bool drop = false;  ///< when_starved: drop
  /// Nonzero when no key sets the rate and the pin streams audio without an `audio_ms` edit: the
  /// simulation's rate is this byte rate over the pipe's negotiated frame size.
  std::uint64_t audio_byte_rate = 0;
  /// Where each came from, for messages: "load.sources.cam.video.payload" or "load.source.payload".
  std::string payload_path;
  /// How `drop` was decided: "load.sources.cam.video.when_starved", "load.source.when_starved" or
  /// "KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING" / "default".
  std::string when_starved_from;
};

/// What a source pin's connection format implies for the load (the loader derives it): used for
/// the keys neither `load.sources` nor `load.source` sets.
struct FormatSourceDefault {
  PinRef ref;
  double rate_hz = 0;        ///< 0: the format states no rate
  DistributionSpec payload;  ///< absent: the format states no fixed sample
  /// An audio format whose frames no `audio_ms` edit sizes: its nAvgBytesPerSec. The load then
  /// fills each negotiated frame and runs at this rate over the frame size (the frame duration
  /// the negotiation gave), since the driver completes a frame when it is full.
  std::uint64_t audio_byte_rate = 0;
};

/// The spec's `load:` section: the synthetic workload `run` simulates (src/simulate). Not to be
/// confused with loading a spec file (load_spec, LoadOptions, LoadResult).
struct WorkloadSpec {
  Located<std::uint64_t> seed;
  LU32 frames;
  Located<std::string> allocator_mode;  ///< "irp" (default) or "direct"
  Located<double> source_rate_hz;
  DistributionSpec payload;
  DistributionSpec jitter_us;         ///< load.source.jitter_us
  LU32 burst_frames;                  ///< load.source.burst_frames (default 1)
  Located<std::string> when_starved;  ///< load.source.when_starved; absent: from the pin
  std::vector<SourceSpec> sources;    ///< load.sources, per pin
  std::vector<FormatSourceDefault> format_defaults;  ///< per source pin with a connection format
  std::vector<StageSpec> stages;
  Located<double> allocation_failure_rate;
  /// Fault injection: the first N frames a consumer finishes with are never freed (a driver
  /// that loses a frame), so the allocator still has them out after the STOP transition.
  LU32 lose_frames;
  Position pos;
  bool present = false;
};

struct Spec {
  std::string file;
  /// The files `include:` brought in (YAML specs, and C sources with the headers their values
  /// are written in), in the order positions number them: Position::file k is included[k - 1].
  std::vector<std::string> included;
  LU32 version;
  Located<std::string> name;
  OptionsSpec options;
  std::vector<FilterSpec> filters;
  std::vector<ConnectionSpec> connections;
  WorkloadSpec load;
  LintConfig lint;

  Location at(Position pos) const { return locate(file, included, pos); }
  const PinSpec& pin(PinRef ref) const { return filters[ref.filter].pins[ref.pin]; }
  /// The data range a connection's resolved format is (c.format.resolved() must hold).
  const DataRangeSpec& format_range(const ConnectionSpec& c) const;
  /// "filter.pin"
  std::string pin_name(PinRef ref) const;
  /// The load of source pin `ref`: its `load.sources` entry over `load.source`.
  EffectiveSource source(PinRef ref) const;
  /// Legacy framing normalised to EX, EX as written, or nothing (ref 6.4.0).
  std::optional<ks::KSALLOCATOR_FRAMING_EX> effective_framing_ex(PinRef ref) const;
};

/// The largest graph a spec may describe: negotiation, the load and the reports cost memory per
/// pin and connection (a 10,000-pin chain peaks at 470 MB and a 66 MB report). Generated, trusted
/// input (the benchmarks) raises them.
struct GraphLimits {
  std::size_t max_pins = 4'000;
  std::size_t max_connections = 4'000;
};

struct LoadOptions {
  std::size_t max_file_bytes = kDefaultMaxFileBytes;
  GraphLimits graph;
  ParseLimits parse;
  std::vector<std::string> overrides;  ///< `--set PATH=VALUE`, applied to the tree in order
  /// Reads the YAML specs `include:` names (nullptr: the disk). C sources are read by clang.
  FileReader* reader = nullptr;
};

/// Applies `--set PATH=VALUE` to a parsed tree. PATH is `filter.pin.key...` (e.g.
/// `camera.capture.framing_ex.items[0].frames`) or a top-level path (`options.default_frames`,
/// `load.frames`); VALUE is YAML (`4`, `[A, B]`, `{min: 1}`). Missing mapping keys are created.
/// Returns what is wrong, naming what exists (no option name: the caller knows whether the
/// assignment came from --set or --vary), or "". A failed edit leaves the tree as it was.
std::string apply_override(Node& root, const std::string& assignment);

/// One of LoadOptions::overrides that could not be applied: a usage error (exit code 2).
struct OverrideError {
  std::size_t index = 0;   ///< its place in LoadOptions::overrides
  std::string assignment;  ///< PATH=VALUE as given
  std::string reason;      ///< what apply_override said
  /// "--set PATH=VALUE: reason" for `option` "--set" (a long assignment cut at 60 bytes).
  std::string message(std::string_view option = "--set") const;
  friend bool operator==(const OverrideError&, const OverrideError&) = default;
};

struct LoadResult {
  std::optional<Spec> spec;  ///< absent when the file could not be read or parsed
  Diagnostics diagnostics;
  bool unreadable = false;  ///< the tool could not read the file at all (exit code 2)
  std::optional<OverrideError> override_error;  ///< an override could not be applied
};

/// Reads, parses and loads one spec. Never throws.
LoadResult load_spec_file(FileReader& reader, const std::string& path,
                          const LoadOptions& options = {});
/// Parses and loads spec text already in memory.
LoadResult load_spec(const SourceFile& file, const LoadOptions& options = {});
/// The typed load of a parsed tree: every check of the format. `included` names the files of
/// Position::file 1.. (a tree whose includes are resolved).
LoadResult load_spec_tree(const Node& root, const std::string& file,
                          const std::vector<std::string>& included = {});

/// Ref 6.4.2: a route is in place iff the spec says so (`in_place:`), or, without an override,
/// any framing item of its input or output pin carries REQUIREMENTF_INPLACE_MODIFIER.
bool route_in_place(const Spec& spec, int filter, const RouteSpec& route);

/// Ref 6.4.1's transport test: frames reach or leave `pin` through the standard transport (a
/// pipe): its flags do not opt out (KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT without
/// KSPIN_FLAG_USE_STANDARD_TRANSPORT) and its communication is neither none nor bridge. The
/// loader asks it of an output pin (may it have an implied consumer?), negotiation of an input
/// pin (does the filter take frames in, or is it a source?).
bool uses_standard_transport(const PinSpec& pin);

/// The spec format's JSON Schema (schemas/ksframe-spec.schema.json, embedded at build time),
/// for editors: the loader defines the format, and a test keeps the two in agreement.
std::string_view spec_schema_text();

}  // namespace ksframe
