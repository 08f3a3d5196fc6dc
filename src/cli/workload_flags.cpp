// The workload options: declared on each command's app, read back as SimulateOptions.
#include "cli/workload_flags.hpp"

namespace ksframe::cli {

void WorkloadFlags::add_to(CLI::App& app) {
  app.add_option("--seed", seed, "Random seed of the load (overrides load.seed)");
  app.add_option("--frames", frames, "Source frames to produce (overrides load.frames)");
  app.add_option("--allocator-mode", allocator_mode, "irp (requests pend) or direct (fail at once)")
      ->check(CLI::IsMember({"irp", "direct"}));
  app.add_option("--seeds", seeds, "Seeds a starved pipe's frames_needed must hold for (default 5)")
      ->check(CLI::Range(1, 64));
  app.add_option("--max-work", max_work,
                 "Refuse a load of more than this many source frames x stages (default " +
                     std::to_string(kDefaultMaxWork) + ")");
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
