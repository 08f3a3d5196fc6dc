// A driver's C source as an input of the review commands (diff): extracted, made into a spec,
// run, and its findings located on the C lines (docs/c-sources.md).
#pragma once

#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "ksframe/cimport.hpp"

namespace ksframe::cli {

/// -I, -D, --compile-commands, --clang-memory-limit and --clang-time-limit, declared once for every
/// command that reads C sources (lint, import --from-c, diff). `scope` starts each description
/// ("For C sources", "With --from-c"), `whose` names the source in the compile_commands one ("each
/// source's", "its").
struct CSourceFlags {
  cimport::Options c;
  std::uint64_t clang_memory_mib = cimport::Options{}.memory_limit_bytes >> 20;
  void add_to(CLI::App& app, const std::string& scope, const std::string& whose);
  /// The extraction's options, the memory limit in bytes.
  cimport::Options options() const;
};

/// The report of a C source, run as a spec. A source that cannot be read (or a build without
/// libclang) is printed and gives nothing, with `*exit_code` 2.
std::optional<Report> load_c_review_input(Io& io, const std::string& file,
                                          const cimport::Options& options,
                                          const SimulateOptions& simulate, int* exit_code);

}  // namespace ksframe::cli
