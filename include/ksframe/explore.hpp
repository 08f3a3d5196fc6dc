// `ksframe explore`: what-if sweeps. Each --vary names a spec path (as --set does) and a list
// of values; every combination of the cartesian product is loaded, linted, negotiated and
// simulated on its own, in parallel, and reported in a fixed order (first --vary outermost).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"
#include "ksframe/source.hpp"

namespace ksframe {

struct Vary {
  std::string path;
  std::vector<std::string> values;
};

/// Parses `PATH=VALUES` where VALUES is `a..b`, `a..b:step` (unsigned integers, b included) or
/// `a,b,c` (any values, as --set takes them). A range of more than `max_values` values is an
/// error, so a typo such as 1..4000000000 is refused before anything is allocated.
std::optional<Vary> parse_vary(const std::string& argument, std::uint64_t max_values,
                               std::string* error);

/// The number of combinations, saturating at UINT64_MAX.
std::uint64_t combination_count(const std::vector<Vary>& vary);

/// The default of --max-runs: a sweep larger than this must be asked for.
inline constexpr std::uint64_t kDefaultMaxRuns = 1000;

struct ExplorePipe {
  std::string id, allocator_pin, place;
  std::uint64_t frames = 0, frame_size = 0, bytes_committed = 0, stall_time_us = 0,
                peak_outstanding = 0;
  /// The load's verdict for this pipe; nothing when the load did not run ("not_run").
  std::optional<PipeVerdict> verdict;
  std::optional<std::uint64_t> frames_needed;
};

/// How far a row got: its spec has errors (so it was not negotiated), a connection could not be
/// negotiated, or it ran. The words of the table, CSV and JSON: "ok", "errors",
/// "negotiation_failed".
enum class RowStatus { Ok, Errors, NegotiationFailed };
std::string_view to_string(RowStatus status);

struct ExploreRow {
  std::vector<std::string> values;  ///< one per Vary
  RowStatus status = RowStatus::Ok;
  std::string first_error;  ///< the first error's text, when status is not ok
  std::size_t errors = 0, warnings = 0;
  std::vector<ExplorePipe> pipes;
  std::uint64_t latency_p99_us = 0, dropped = 0;
  Verdict verdict = Verdict::Pass;  ///< the report's
};

struct ExploreOptions {
  std::vector<std::string> overrides;  ///< --set, applied before each combination's values
  SimulateOptions simulate;
  unsigned jobs = 0;  ///< worker threads; 0: one per core
  /// Called from the calling thread with (rows done, rows in all); may be empty.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct ExploreResult {
  std::vector<Vary> vary;
  std::vector<ExploreRow> rows;
  std::string error;  ///< a --vary path or value that cannot be applied at all (usage error)
};

/// Runs every combination. `file` is read once; each combination re-parses it with its
/// overrides, so each goes through the same checks as the file itself.
ExploreResult explore(const SourceFile& file, const std::vector<Vary>& vary,
                      const ExploreOptions& options);

std::string render_explore_table(const ExploreResult& result);
std::string render_explore_csv(const ExploreResult& result);
std::string render_explore_json(const ExploreResult& result);

}  // namespace ksframe
