// A driver's C source as an input of the review commands (diff): extracted, made into a spec,
// run, and its findings located on the C lines (docs/c-sources.md).
#pragma once

#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "ksframe/cimport.hpp"

namespace ksframe::cli {

/// The report of a C source, run as a spec. A source that cannot be read (or a build without
/// libclang) is printed and gives nothing, with `*exit_code` 2.
std::optional<Report> load_c_review_input(Io& io, const std::string& file, const cimport::Options& options,
                                          const SimulateOptions& simulate, int* exit_code);

}  // namespace ksframe::cli
