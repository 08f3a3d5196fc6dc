// The command-line options of the simulated workload, shared by every command that runs the
// load (run, simulate, report, diff, explore) so they spell and check them alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "ksframe/simulate.hpp"

namespace ksframe::cli {

/// --seed, --frames, --allocator-mode, --seeds and --max-work: each overrides the spec's `load:`
/// (or the default) only when given.
struct WorkloadFlags {
  std::optional<std::uint64_t> seed;
  std::optional<unsigned> frames;
  std::string allocator_mode;
  std::optional<std::uint64_t> max_work;
  std::optional<unsigned> seeds;
  void add_to(CLI::App& app);
  SimulateOptions options() const;
};

}  // namespace ksframe::cli
