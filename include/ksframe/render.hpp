// Renderers of lint results and of the rule catalogue. Output is deterministic: the same
// results give the same bytes.
#pragma once

#include <string>
#include <vector>

#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/rules.hpp"

namespace ksframe {

/// `file:line:col: severity: message [rule]`, then indented hint and related lines.
std::string render_lint_text(const std::vector<FileLintResult>& results, bool color);
/// The same lines for diagnostics that are not a linted file's (an import, a C source, a
/// negotiation): each names its own file in its location.
std::string render_diagnostics_text(const Diagnostics& diagnostics, bool color);
/// The ksframe-lint JSON document (schemas/ksframe-lint.schema.json).
std::string render_lint_json(const std::vector<FileLintResult>& results);
/// SARIF 2.1.0, one run, every catalogue rule in tool.driver.rules.
std::string render_lint_sarif(const std::vector<FileLintResult>& results);
/// GitHub Actions workflow commands (::error file=...,line=...,col=...::message).
std::string render_lint_github(const std::vector<FileLintResult>& results);
/// "3 files: 1 error, 2 warnings, 0 notes".
std::string lint_summary(const std::vector<FileLintResult>& results);

std::string render_rules_text();
std::string render_rule_text(const Rule& rule);
std::string render_rules_markdown();
std::string render_rules_json();

/// The negotiation report: `{ksframe_report, tool, spec, diagnostics, negotiation}`
/// (schemas/ksframe-report.schema.json): to_json(make_negotiation_report(...)) (report.hpp).
std::string render_negotiation_json(const Spec& spec, const Negotiation& n,
                                    const NegotiateOptions& o, const Diagnostics& diagnostics);
struct Simulation;
/// The whole report: negotiation and, when given, the simulation; the Report of them, written
/// with to_json (report.hpp).
std::string render_report_json(const Spec& spec, const Negotiation& n, const NegotiateOptions& o,
                               const Diagnostics& diagnostics, const Simulation* simulation);
std::string render_simulation_text(const Simulation& sim);
/// One block per pipe; `explain` adds, under each value, why and where it was decided.
std::string render_negotiation_text(const Negotiation& n, bool explain);
/// `--explain`: each pin's data ranges with the numbers the loader derived, each connection's
/// format, and whether negotiation used the declared or the edited framing. "" without ranges.
std::string render_formats_text(const Spec& spec);

/// Stable fingerprint of a diagnostic: it does not change when lines move.
std::string fingerprint(const Diagnostic& d);

}  // namespace ksframe
