// `ksframe diff`: what changed between two Reports (computed on the model, not on text), and the
// CI gates (--fail-on) evaluated on that change.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/report.hpp"

namespace ksframe {

struct FieldChange {
  std::string field;       ///< "frames", "allocator", "memory_type", ...
  std::string base, head;  ///< as printed; "" when the side has no value
  bool numeric = false;    ///< base and head are integers: renderers show the difference
};

struct PipeChange {
  /// Pipes are matched by their begin pin, not by id: ids are positions, and an added filter
  /// upstream renumbers every pipe after it.
  std::string key;
  std::string base_id, head_id;  ///< "" on the side that lacks the pipe
  std::string change;            ///< "added", "removed" or "changed"
  std::vector<FieldChange> fields;
};

/// A connection whose format changed, or a pin whose framing edit or edited framing changed:
/// the frame size of a pipe follows them, so a diff says why a frame size moved.
struct FormatChange {
  std::string subject;  ///< "connection" or "pin"
  std::string key;      ///< "cam.out -> screen.in" (a connection) or "cam.out" (a pin)
  std::vector<FieldChange> fields;
};

struct DiagnosticChange {
  std::string change;  ///< "new" or "fixed"
  ReportDiagnostic diagnostic;
};

/// A gate of `--fail-on`, and whether this change trips it.
struct Gate {
  std::string name;
  bool tripped = false;
  std::string reason;  ///< what tripped it
};

/// A gate of `--fail-on` as documented: its name and when it trips (Markdown, for docs/ci.md).
struct GateInfo {
  std::string_view name;
  std::string_view trips_when;
};

/// Every gate, in documentation order; diff_reports evaluates the same table.
const std::vector<GateInfo>& gate_catalogue();
/// The gates `--fail-on` accepts (the names of gate_catalogue()).
const std::vector<std::string>& gate_names();
/// The gate table of docs/ci.md ("| Gate | Trips when |" and a row per gate).
std::string render_gates_markdown();

struct ReportDiff {
  std::string base_file, head_file;
  Verdict base_verdict = Verdict::Pass, head_verdict = Verdict::Pass;
  std::vector<FieldChange> summary;  ///< verdict, negotiation status, totals, end to end
  std::vector<PipeChange> pipes;
  /// Connections present on both sides whose format differs, then pins present on both sides
  /// whose framing edit differs, in the head's order.
  std::vector<FormatChange> formats;
  std::vector<std::string> new_failures, fixed_failures;  ///< "connection: reason"
  std::vector<DiagnosticChange> diagnostics;
  std::vector<Gate> gates;  ///< the requested ones, evaluated
  bool empty() const {
    return summary.empty() && pipes.empty() && formats.empty() && new_failures.empty() &&
           fixed_failures.empty() && diagnostics.empty();
  }
  bool tripped() const;
};

/// Compares `base` with `head` and evaluates `gates` in the order given (names from
/// gate_names(); the caller has checked them: a name that is not one is skipped).
ReportDiff diff_reports(const Report& base, const Report& head,
                        const std::vector<std::string>& gates);

std::string render_diff_text(const ReportDiff& diff);
/// The ksframe-diff JSON document (schemas/ksframe-diff.schema.json).
std::string render_diff_json(const ReportDiff& diff);
std::string render_diff_markdown(const ReportDiff& diff);

}  // namespace ksframe
