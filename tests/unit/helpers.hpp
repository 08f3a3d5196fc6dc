// Shared helpers for the unit tests: load text as a spec, and find diagnostics by rule.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>

#include "ksframe/lint.hpp"
#include "ksframe/pipeline.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {
/// doctest prints a ksframe enum in a failed CHECK by its word (to_string, found by ADL).
template <class Enum>
requires std::is_enum_v<Enum> && requires(Enum e) { to_string(e); }
std::ostream& operator<<(std::ostream& os, Enum e) { return os << to_string(e); }
}  // namespace ksframe

namespace test {

inline ksframe::LoadResult load(const std::string& text, const ksframe::LoadOptions& o = {}) {
  return ksframe::load_spec(ksframe::SourceFile{"t.yaml", text}, o);
}

/// The diagnostics of a whole lint run (load + lint) of `text`.
inline ksframe::Diagnostics lint(const std::string& text, ksframe::LintOptions options = {}) {
  ksframe::MemoryFileReader reader;
  reader.add("t.yaml", text);
  return ksframe::lint_file(reader, "t.yaml", options).diagnostics;
}

inline std::vector<ksframe::Diagnostic> with_rule(const ksframe::Diagnostics& ds,
                                                  const std::string& rule) {
  std::vector<ksframe::Diagnostic> out;
  for (const auto& d : ds)
    if (d.rule == rule) out.push_back(d);
  return out;
}

/// "line:col: rule: message" of every diagnostic, for exact comparisons.
inline std::string summary(const ksframe::Diagnostics& ds) {
  std::string s;
  for (const auto& d : ds)
    s += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " + d.rule +
         ": " + d.message + "\n";
  return s;
}

/// summary() of the errors and warnings alone (notes left out).
inline std::string errors_and_warnings(const ksframe::Diagnostics& ds) {
  ksframe::Diagnostics kept;
  for (const auto& d : ds)
    if (d.severity != ksframe::Severity::Note) kept.push_back(d);
  return summary(kept);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string source_dir() { return KSFRAME_SOURCE_DIR; }

/// A one-pin spec around a framing_ex items list, for rule tests.
inline std::string one_pin(const std::string& pin_body) {
  return "ksframe: 1\nfilters:\n  - name: f\n    pins:\n      - name: p\n        dataflow: out\n" +
         pin_body;
}

/// A spec ("s.yaml") loaded with `overrides`, which must load cleanly, run through the pipeline
/// with a load that must run.
struct Ran {
  ksframe::Spec spec;
  ksframe::Job job;
  const ksframe::PipeMetrics& pipe(std::size_t i) const { return job.simulation.pipes.at(i); }
  const ksframe::SourceMetrics& source(std::size_t i) const { return job.simulation.sources.at(i); }
};

inline Ran ran(const std::string& yaml, std::vector<std::string> overrides = {},
               ksframe::SimulateOptions o = {}) {
  ksframe::LoadOptions load;
  load.overrides = std::move(overrides);
  auto r = ksframe::load_spec(ksframe::SourceFile{"s.yaml", yaml}, load);
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), summary(r.diagnostics));
  Ran out{*r.spec, {}};
  out.job = ksframe::run_job(out.spec, r.diagnostics, o);
  REQUIRE(out.job.simulation.ran);
  return out;
}

}  // namespace test
