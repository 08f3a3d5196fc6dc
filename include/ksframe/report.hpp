// The Report model: what a reviewer reads, rendered as Markdown and HTML and
// compared by `ksframe diff`.
//
// A Report is built from a run (make_report) or read back from the JSON report
// (schemas/ksframe-report.schema.json), and the JSON is written from it (to_json): the Report
// holds every value of the contract. The two must be the same report, so a review rendered from
// a fresh run and one rendered from a saved JSON file agree and `diff` can put a spec on one
// side and a saved report on the other: a test checks make_report against reading its JSON back
// for every example and every broken example, and writes every golden report back byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/pipeline.hpp"
#include "ksframe/simulate.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

// The closed sets of words the report JSON uses, as enums: one to_string (the JSON's word) and
// one parse (nothing for a word outside the set) each, so the writer, the reader and every
// renderer agree on the spelling and a comparison cannot be mistyped.

/// A diagnostic's severity is the lint's Severity (diagnostics.hpp).

/// Whether negotiation served a pipe (`negotiation.pipes[].status`).
enum class PipeStatus { Ok, Failed };
std::string_view to_string(PipeStatus status);
std::optional<PipeStatus> parse_pipe_status(std::string_view word);

/// The load's verdict on one pipe (`simulation.pipes[].verdict.status`) is the simulation's
/// PipeVerdict (simulate.hpp).

/// Whether the graph was negotiated (`negotiation.status`): every connection was, one or more
/// could not be, or lint found errors so negotiation did not run.
enum class NegotiationStatus { Ok, Failed, NotRun };
std::string_view to_string(NegotiationStatus status);
std::optional<NegotiationStatus> parse_negotiation_status(std::string_view word);

struct ReportDiagnostic {
  std::string rule;
  Severity severity = Severity::Error;
  std::string message, hint, subject;
  Location location;
  std::string fingerprint;  ///< stable across line moves (see render.hpp)
  struct Related {
    Location location;
    std::string message;
    friend bool operator==(const Related&, const Related&) = default;
  };
  std::vector<Related> related;
  /// About the machine, not the input (Diagnostic::environment): moves no verdict or gate. Not
  /// kept in a saved JSON report.
  bool environment = false;
  friend bool operator==(const ReportDiagnostic&, const ReportDiagnostic&) = default;
};

struct ReportExplanation {
  std::string value, rule, because;
  std::vector<std::string> decided_by;
  std::vector<Location> locations;  ///< where it was decided; the first is the main one
  std::string section;              ///< docs/algorithm.md's section of `rule`
  friend bool operator==(const ReportExplanation&, const ReportExplanation&) = default;
};

/// The simulation's numbers for one pipe.
struct ReportPipeRun {
  PipeAllocator allocator = PipeAllocator::None;
  PipeVerdict verdict = PipeVerdict::Ok;
  std::string reason;
  std::uint64_t allocations = 0, peak_outstanding = 0, stall_time_us = 0, failures = 0;
  std::uint64_t bytes_committed_peak = 0, copies = 0, bytes_copied = 0, payload_errors = 0;
  std::optional<std::uint64_t> frames_needed;  ///< deadlocked: the count that unblocks it
  double utilisation = 0;                      ///< of the pipe's busiest stage
  /// Deadlocked: when it stuck, who holds the frames, who waits (simulate.hpp's Deadlock).
  struct Deadlock {
    std::uint64_t stuck_at_us = 0;
    struct Holder {
      std::string filter;
      std::uint64_t frames = 0;
      std::string how;
      friend bool operator==(const Holder&, const Holder&) = default;
    };
    struct Wait {
      std::string requester;
      std::uint64_t since_us = 0;
      friend bool operator==(const Wait&, const Wait&) = default;
    };
    std::vector<Holder> holders;
    std::vector<Wait> waiting;
    std::string blocked_by;  ///< "" when it waits on no other pipe
    friend bool operator==(const Deadlock&, const Deadlock&) = default;
  };
  std::optional<Deadlock> deadlock;
  std::string bottleneck;  ///< the busiest stage's filter; "" without stages
  std::uint64_t frees = 0, pending_high_water = 0, immediate_failures = 0, freeframe_events = 0;
  std::uint64_t alignment_violations = 0;
  double payload_utilisation = 0;  ///< rounded as the JSON writes it
  std::vector<std::uint64_t> frames_needed_by_seed;
  std::uint64_t outstanding_at_stop = 0, leaked = 0;
  std::uint64_t dropped = 0;  ///< source frames lost for want of a free frame (when_starved: drop)
  /// Busy more than 0.9 of the time but not overloaded: the frame count is sensitive to the load.
  bool near_saturation() const {
    return utilisation > 0.9 && (verdict == PipeVerdict::Ok || verdict == PipeVerdict::Starved);
  }
  std::uint64_t timeline_bucket_us = 0;
  std::vector<std::uint32_t> timeline;  ///< highest frames outstanding per bucket
  std::vector<double> timeline_mean;    ///< time-weighted mean per bucket
  friend bool operator==(const ReportPipeRun&, const ReportPipeRun&) = default;
};

struct ReportPipe {
  std::string id;
  PipeStatus status = PipeStatus::Ok;
  std::vector<std::string>
      pins;  ///< as the negotiation names them ("cam.out#2" for a 2nd instance)
  std::string begin;
  std::vector<std::string> ends;
  std::string allocator_pin, allocator_place, allocator_mode, allocator_kind;
  std::string memory_type, bus_type;  ///< symbolic name, or the GUID text when it has none
  std::uint64_t frames = 0, frame_size = 0, alignment_bytes = 0;
  /// ALLOCATOR_PROPERTIES {cBuffers, cbBuffer, cbAlign, cbPrefix}: only when a pin is in user mode.
  std::optional<std::array<std::uint64_t, 4>> allocator_properties;
  std::vector<ReportExplanation> explanation;
  std::optional<ReportPipeRun> run;
  // The rest of ALLOCATOR_PROPERTIES_EX and the pipe's place among the others, as negotiated;
  // the report JSON has them, the review renderers do not show them.
  std::string memory_type_guid, bus_type_guid;  ///< the GUIDs' text
  std::string logical_memory_type;              ///< "KS_MemoryTypeKernelNonPaged"
  std::optional<std::int64_t> frame_pitch;
  ks::KS_FRAMING_RANGE physical_range;
  std::string state, range_state;  ///< PipeState_* names
  std::uint32_t inside_factors = 0, input_factors = 0, output_factors = 0, flags = 0;
  ks::KS_COMPRESSION dim_allocator, dim_max_expansion, dim_end;
  std::uint32_t weight = 0;
  bool compatible_copy = false;
  std::optional<ks::KSALLOCATOR_FRAMING> legacy;  ///< Reserved is always 0
  std::string prev_segment;                       ///< pipe id; "" for none
  std::vector<std::string> next_segments;
  struct Member {
    std::string pin;
    std::int64_t item = -1;
    std::uint64_t numerator = 1, denominator = 1, margin = 0;
    bool unknown = false, reached_in_place = false, relaxed = false;
    friend bool operator==(const Member&, const Member&) = default;
  };
  std::vector<Member> members;
  /// frames x frame size: what the allocator commits when the pipe starts.
  std::uint64_t bytes_committed() const { return frames * frame_size; }
  friend bool operator==(const ReportPipe&, const ReportPipe&) = default;
};

struct ReportFailure {
  std::string connection, reason, message;
  struct Constraint {
    std::string pin, what;
    Location location;
    friend bool operator==(const Constraint&, const Constraint&) = default;
  };
  std::vector<Constraint> constraints;
  friend bool operator==(const ReportFailure&, const ReportFailure&) = default;
};

/// One entry of a pin's DataRanges, as the report lists it.
struct ReportDataRange {
  std::string kind;                ///< "video", "audio" or "plain"
  std::string description;         ///< DataRangeSpec::describe(): "video YUY2 320x240 16-bit"
  std::uint64_t sample_bytes = 0;  ///< DataRangeSpec::sample_bytes(); 0: the range fixes none
  Location location;
  friend bool operator==(const ReportDataRange&, const ReportDataRange&) = default;
};

/// The frame sizes of one framing item (or of a legacy KSALLOCATOR_FRAMING, which has no
/// stepping): FramingRange.Range and Frames.
struct ReportFramingSizes {
  std::uint64_t frames = 0, min = 0, max = 0;
  std::optional<std::uint64_t> stepping;  ///< absent for legacy framing
  friend bool operator==(const ReportFramingSizes&, const ReportFramingSizes&) = default;
};

/// A pin's framing_edit: what it sets, and the framing it gave (when a connection format
/// applied it), so a review shows declared -> edited and which one negotiation used.
struct ReportFramingEdit {
  std::string frame_size;  ///< "sample_size", "audio_ms" or the formula's text
  std::optional<std::uint64_t> audio_ms, stepping, frames;  ///< as the edit sets them
  Location location;
  std::string framing_used;  ///< "edited" (applied for a connection's format) or "declared"
  std::string note;          ///< the loader's edit note; "" when not applied
  std::vector<ReportFramingSizes> declared,
      edited;  ///< per framing item; edited empty: not applied
  friend bool operator==(const ReportFramingEdit&, const ReportFramingEdit&) = default;
};

/// The format a connection is made on (ConnectionSpec::format), with the numbers it implies.
struct ReportFormat {
  std::optional<std::int64_t> from_range, to_range;  ///< range index per pin; absent: it lists none
  bool explicit_choice = false;  ///< `format:` picked it (false: the first common range)
  std::string description, kind, major, subtype, specifier;  ///< of the range the format is on
  std::uint64_t sample_bytes = 0;  ///< the range's fixed sample; 0: not fixed (audio, compressed)
  struct Video {
    std::uint64_t width = 0, bit_count = 0, image_size = 0, avg_time_per_frame = 0;
    std::int64_t height = 0;
    std::optional<double> frame_rate_hz;  ///< 1e7 / AvgTimePerFrame, 3 decimals; absent when 0
    friend bool operator==(const Video&, const Video&) = default;
  };
  struct Audio {
    std::uint64_t channels = 0, bits = 0, rate = 0, block_align = 0, byte_rate = 0;
    friend bool operator==(const Audio&, const Audio&) = default;
  };
  std::optional<Video> video;
  std::optional<Audio> audio;
  friend bool operator==(const ReportFormat&, const ReportFormat&) = default;
};

struct ReportGraph {
  struct Pin {
    std::string name;
    bool input = false;
    std::vector<ReportDataRange> data_ranges;
    std::optional<ReportFramingEdit> framing_edit;
    Location location;
    friend bool operator==(const Pin&, const Pin&) = default;
  };
  struct Connection {
    std::string from, to;                ///< "filter.pin"
    std::optional<ReportFormat> format;  ///< absent when a pin lists no data ranges
    friend bool operator==(const Connection&, const Connection&) = default;
  };
  struct Filter {
    std::string name;
    std::vector<Pin> pins;
    std::vector<std::pair<std::string, std::string>> routes;  ///< pin names
    std::string implied_consumer_of;  ///< "filter.pin" on an implied consumer, else ""
    Location location;
    friend bool operator==(const Filter&, const Filter&) = default;
  };
  std::vector<Filter> filters;
  std::vector<Connection> connections;
  friend bool operator==(const ReportGraph&, const ReportGraph&) = default;
};

/// The simulation part of the report. Present too when the load did not run (the settings it
/// would have run with, and why it did not), so the report JSON is written from it.
struct ReportSimulation {
  bool ran = true;
  std::uint64_t frame_hops = 0;
  std::uint64_t seed = 0, source_frames = 0, delivered = 0, dropped = 0, duration_us = 0;
  std::string allocator_mode;
  double target_rate_hz = 0, achieved_rate_hz = 0;
  std::uint64_t latency_p50_us = 0, latency_p95_us = 0, latency_p99_us = 0, latency_max_us = 0;
  /// Each source pin at its own rate (empty in reports saved before per-pin sources).
  std::vector<SourceMetrics> sources;
  friend bool operator==(const ReportSimulation&, const ReportSimulation&) = default;
};

/// What a run comes to, and what `run`'s exit code says: pass and warn exit 0, fail exits 1.
enum class Verdict { Pass, Warn, Fail };
std::string_view to_string(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view word);

struct Report {
  std::string spec_file;
  std::optional<std::string> spec_name;  ///< absent: the spec has no `name:`
  /// Spec::included: the files `include:` brought in (empty: none), named as locations name them.
  std::vector<std::string> included;
  NegotiationStatus negotiation = NegotiationStatus::Failed;
  std::vector<ReportDiagnostic> diagnostics;
  std::vector<ReportPipe> pipes;
  std::vector<ReportFailure> failures;
  ReportGraph graph;
  /// Absent in a report of `negotiate` (no load); ran false when the load could not run.
  std::optional<ReportSimulation> simulation;
  std::string simulation_error;  ///< the simulation did not run: why
  /// The load ran: `simulation` has its numbers.
  bool simulated() const { return simulation && simulation->ran; }

  /// The negotiation's options (NegotiateOptions), as the JSON reports them.
  struct Options {
    std::uint32_t strategy = 0;
    std::uint64_t default_frames = 0;
    bool allocator_place_first = false, honor_input_physical_range = false;
    friend bool operator==(const Options&, const Options&) = default;
  };
  Options options;
  /// Each pin, and the pipe it is in ("" with the reason when in none).
  struct PinAssignment {
    std::string pin, pipe, reason;
    friend bool operator==(const PinAssignment&, const PinAssignment&) = default;
  };
  std::vector<PinAssignment> pin_assignments;
  std::uint64_t property_requests = 0, property_bytes = 0;  ///< Negotiation::property_traffic

  std::size_t count(Severity severity) const;
  /// Pass (nothing to act on), Warn (warnings, or a pipe with a problem verdict or near
  /// saturation) or Fail (errors, negotiation failed, the load could not be simulated, a pipe
  /// failed, deadlocked, leaked or corrupted a payload). The one verdict of a run: `run`'s exit
  /// code, `report`, `explore` and `diff` all take it from here.
  Verdict verdict() const;
  friend bool operator==(const Report&, const Report&) = default;
  /// One line: the verdict and its reasons, e.g. "FAIL: 1 error, 2 warnings; pipe-1 starved".
  std::string verdict_line() const;
};

/// Reads a report from its JSON text after checking it against the report schema. `name` is
/// used in messages. Returns nothing and sets `error` ("file:line:column: message" where the
/// JSON parser can say where) when the text is not a ksframe report.
std::optional<Report> report_from_json_text(const std::string& text, const std::string& name,
                                            std::string* error);
/// The report of a job that just ran, built from it directly.
Report make_report(const Spec& spec, const Job& job);
/// The report of `negotiate`: the negotiation of `spec` with `options`, no simulation.
Report make_negotiation_report(const Spec& spec, const NegotiateOptions& options,
                               const Negotiation& negotiation, const Diagnostics& diagnostics);
/// Adds a simulation's outcome (ran or not) to a negotiation's report, as make_report does.
void add_simulation(Report& report, const Simulation& simulation);
/// The report JSON (schemas/ksframe-report.schema.json), deterministic; report_from_json_text
/// reads it back to the same Report.
std::string to_json(const Report& report);
/// `ksframe run`'s exit code for a report: 1 when its verdict is Fail, else 0.
int exit_code(const Report& report);
/// The report of a spec that did not load: its diagnostics, no negotiation (verdict FAIL), so a
/// review or a diff can still show what is wrong with it.
Report make_report_of_load_errors(const std::string& file, const Diagnostics& diagnostics);

/// Markdown for a pull-request comment: verdict line, pipe table, diagnostics table, Mermaid
/// flowchart, explanations in <details>.
std::string render_report_markdown(const Report& report);
/// `run --format text`'s lines for the connection formats and the edited framing of a report
/// ("" when the spec has neither), plain text.
std::string render_report_formats_text(const Report& report);
/// One self-contained HTML page: inline CSS and SVG, no scripts, every spec string escaped.
std::string render_report_html(const Report& report);

}  // namespace ksframe
