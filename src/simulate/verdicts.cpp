// The verdict searches over whole runs: the frame count that removes a starved pipe's stalls or
// unblocks a deadlocked one, found by re-running the load with more frames.
#include <algorithm>
#include <functional>

#include "ksframe/simulate.hpp"
#include "load_internal.hpp"
#include "util/words.hpp"

namespace ksframe {
namespace {

constexpr ks::ULONG kMaxSearchFrames = 1024;

// The smallest frame count above `from` for which `fails` is false (doubling, then bisection),
// or nothing when even kMaxSearchFrames fails. `fails` must be monotone in the frame count,
// which more frames in a pool are: they only let requests that waited proceed earlier.
std::optional<ks::ULONG> smallest_passing(ks::ULONG from,
                                          const std::function<bool(ks::ULONG)>& fails) {
  ks::ULONG lo = std::max<ks::ULONG>(1, from), hi = lo * 2;
  while (hi <= kMaxSearchFrames && fails(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi > kMaxSearchFrames) return std::nullopt;
  while (lo + 1 < hi) {
    const ks::ULONG mid = lo + (hi - lo) / 2;
    (fails(mid) ? lo : hi) = mid;
  }
  return hi;
}

// The frames that remove the stalls for each of `seeds` seeds from `first` (wrapping at 2^64),
// the largest of them; nothing when a seed needs more than kMaxSearchFrames. A seed that does
// not stall with the negotiated count needs that count.
std::optional<ks::ULONG> frames_for_every_seed(
    std::uint64_t first, unsigned seeds, ks::ULONG negotiated, const SimulateOptions& base,
    const std::function<bool(const SimulateOptions&, ks::ULONG)>& fails,
    std::vector<ks::ULONG>& by_seed) {
  ks::ULONG most = 0;
  for (unsigned k = 0; k < std::max(1u, seeds); ++k) {
    SimulateOptions o = base;
    o.seed = first + k;
    ks::ULONG needed = std::max<ks::ULONG>(1, negotiated);
    if (k > 0 && !fails(o, needed)) {  // the run's own seed stalled already
      by_seed.push_back(needed);
      most = std::max(most, needed);
      continue;
    }
    const auto found = smallest_passing(negotiated, [&](ks::ULONG f) { return fails(o, f); });
    if (!found) return std::nullopt;
    by_seed.push_back(*found);
    most = std::max(most, *found);
  }
  return most;
}

}  // namespace

namespace {
constexpr std::string_view kPipeVerdictWords[] = {"ok",         "starved", "dropping", "overloaded",
                                                  "deadlocked", "leaking", "failing"};
constexpr std::string_view kPipeAllocatorWords[] = {"default", "vendor", "user", "none"};
}  // namespace

std::string_view to_string(PipeVerdict verdict) { return words::of(kPipeVerdictWords, verdict); }
std::optional<PipeVerdict> parse_pipe_verdict(std::string_view word) {
  return words::parse<PipeVerdict>(kPipeVerdictWords, word);
}
// `dropping` warns, as `starved` does: the pipe works, but loses frames a larger pool would keep.
bool fails(PipeVerdict v) {
  return v == PipeVerdict::Failing || v == PipeVerdict::Deadlocked || v == PipeVerdict::Leaking;
}
bool is_problem(PipeVerdict v) { return v != PipeVerdict::Ok; }
std::string_view to_string(PipeAllocator allocator) {
  return words::of(kPipeAllocatorWords, allocator);
}
std::optional<PipeAllocator> parse_pipe_allocator(std::string_view word) {
  return words::parse<PipeAllocator>(kPipeAllocatorWords, word);
}

Simulation simulate(const Spec& spec, const Negotiation& negotiation,
                    const SimulateOptions& options) {
  Simulation result;
  if (!negotiation.ran ||
      !negotiation.ok) {  // the settings are still reported, so the report stays well-formed
    result = load::settings(spec, options);
    result.error = negotiation.ran
                       ? "negotiation failed; nothing to simulate"
                       : "the spec has errors, so it was not negotiated; nothing to simulate";
    return result;
  }
  const std::map<int, ks::ULONG> none;
  result = load::run_load(spec, negotiation, options, none, true);
  if (!result.ran || !options.find_starvation_fix) return result;
  SimulateOptions quiet = options;
  quiet.progress = nullptr;
  for (std::size_t i = 0; i < result.pipes.size(); ++i) {
    PipeMetrics& m = result.pipes[i];
    const bool deadlocked = m.verdict == PipeVerdict::Deadlocked;
    const bool dropping = m.verdict == PipeVerdict::Dropping;
    if ((m.verdict != PipeVerdict::Starved && !dropping && !deadlocked) ||
        m.allocator == PipeAllocator::Vendor)
      continue;
    if (deadlocked && !m.deadlock->blocked_by.empty()) {
      m.reason += "; it moves again when " + m.deadlock->blocked_by + " does";
      continue;
    }
    // A deadlock is fixed by the frames that let it move at all; a stall by those that remove
    // it; drops by those that leave a frame free at every tick (a dropping source never stalls).
    auto fails = [&](const SimulateOptions& run_options, ks::ULONG frames) {
      const std::map<int, ks::ULONG> more{{static_cast<int>(i), frames}};
      const Simulation s = load::run_load(spec, negotiation, run_options, more, false);
      if (!s.ran) return true;
      if (deadlocked) return s.pipes[i].deadlock.has_value();
      return s.pipes[i].stall_time_us > 0 || s.pipes[i].dropped > 0;
    };
    if (deadlocked) {  // a deadlock does not depend on the random draws' luck
      m.frames_needed = smallest_passing(negotiation.pipes[i].frames,
                                         [&](ks::ULONG f) { return fails(quiet, f); });
    } else {
      m.frames_needed =
          frames_for_every_seed(result.seed, options.seeds, negotiation.pipes[i].frames, quiet,
                                fails, m.frames_needed_by_seed);
    }
    if (m.frames_needed) continue;
    m.reason +=
        std::string(m.reason.empty() ? "" : "; ") +
        (deadlocked ? "no frame count up to 1024 in this pipe unblocks it"
         : dropping ? "drops remain with 1024 frames: the consumers are slower than the source"
                    : "stalls remain with 1024 frames: the consumers are slower than the source");
  }
  return result;
}

}  // namespace ksframe
