// Lint: the rule catalogue applied to a loaded spec, with suppressions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/source.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

struct LintOptions {
  std::vector<std::string> disable;  ///< rule ids or names from --disable
  bool werror = false;               ///< warnings become errors
};

struct Negotiation;

/// The lint pass of a spec that loaded without errors: every rule, then the negotiation's
/// findings (KSF4xxx, KSF5xxx) when the rules found no errors and the spec has a graph, with the
/// suppressions of `options` and of the spec's `lint:` keys (file, filter and pin level) applied.
Diagnostics lint_spec(const Spec& spec, const LintOptions& options);
/// Its two halves, for a caller that negotiates itself (the pipeline, pipeline.hpp): the rules
/// with suppressions (and KSF9xxx for unknown suppressions), and a negotiation's findings.
Diagnostics lint_rules(const Spec& spec, const LintOptions& options);
Diagnostics lint_negotiation(const Spec& spec, const LintOptions& options,
                             const Negotiation& negotiation);

/// The rule implementations, one function per group (src/lint/rules_*.cpp). Unsuppressed.
void lint_framing(const Spec& spec, Diagnostics& out);
void lint_pins(const Spec& spec, Diagnostics& out);
void lint_graph(const Spec& spec, Diagnostics& out);
/// Framing against data ranges (KSF2009 - KSF2014) and the nonpaged budget (KSF1023).
void lint_formats(const Spec& spec, Diagnostics& out);
/// KSF3007 for every connection whose pins list data ranges with none in common. negotiate, run
/// and export refuse such a spec before negotiating; lint reports it with the other graph rules.
Diagnostics connection_format_errors(const Spec& spec);

struct FileLintResult {
  std::string file;
  std::optional<Spec> spec;  ///< present when the spec loaded without errors
  Diagnostics diagnostics;   ///< sorted
  bool unreadable = false;
};

/// load -> schema -> lint for one file. Never throws.
FileLintResult lint_file(FileReader& reader, const std::string& path, const LintOptions& options,
                         const LoadOptions& load = {});

/// lint_file over many paths on `jobs` threads (0: one per core). Results come back in the
/// order of `paths`, so the output does not depend on scheduling. `reader` must be safe to call
/// from several threads (DiskFileReader and MemoryFileReader are).
std::vector<FileLintResult> lint_files(FileReader& reader, const std::vector<std::string>& paths,
                                       const LintOptions& options, unsigned jobs = 0,
                                       const LoadOptions& load = {});

/// 0 no errors, 1 errors in a spec, 2 a file could not be read (docs/ci.md, exit codes).
int lint_exit_code(const std::vector<FileLintResult>& results);

}  // namespace ksframe
