// The workload options: declared on each command's app, read back as SimulateOptions.
#include "cli/workload_flags.hpp"

#include <charconv>

namespace ksframe::cli {
namespace {

// CLI11 converts "-5" to an unsigned 64-bit number by wrapping it and lets 2^64 through, so a
// sweep of --seed values could run another seed than the one it printed. The text must be the
// number: decimal digits that fit 64 bits, as `load.seed` and --vary require.
const CLI::Validator kUnsigned64(
    [](std::string& value) -> std::string {
      std::uint64_t n = 0;
      const char* end = value.data() + value.size();
      const auto [ptr, ec] = std::from_chars(value.data(), end, n);
      if (value.empty() || value[0] == '-' || value[0] == '+' || ec != std::errc() || ptr != end)
        return "must be a whole number from 0 to 18446744073709551615";
      return {};
    },
    "UINT64");

}  // namespace

void WorkloadFlags::add_to(CLI::App& app) {
  app.add_option("--seed", seed, "Random seed of the load (overrides load.seed)")
      ->check(kUnsigned64);
  app.add_option("--frames", frames, "Source frames to produce (overrides load.frames)");
  app.add_option("--allocator-mode", allocator_mode, "irp (requests pend) or direct (fail at once)")
      ->check(CLI::IsMember({"irp", "direct"}));
  app.add_option("--seeds", seeds, "Seeds a starved pipe's frames_needed must hold for (default 5)")
      ->check(CLI::Range(1, 64));
  app.add_option("--max-work", max_work,
                 "Refuse a load of more than this many source frames x stages (default " +
                     std::to_string(kDefaultMaxWork) + ")")
      ->check(kUnsigned64);
}

SimulateOptions WorkloadFlags::options() const {
  SimulateOptions so;
  so.seed = seed;
  if (frames) so.frames = *frames;
  if (!allocator_mode.empty()) so.allocator_mode = allocator_mode;
  if (max_work) so.max_work = *max_work;
  if (seeds) so.seeds = *seeds;
  return so;
}

}  // namespace ksframe::cli
