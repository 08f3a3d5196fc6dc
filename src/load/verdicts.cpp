// The verdict searches over whole runs: the frame count that removes a starved pipe's stalls or
// unblocks a deadlocked one, found by re-running the load with more frames.
#include <algorithm>
#include <functional>

#include "ksframe/simulate.hpp"
#include "load_internal.hpp"

namespace ksframe {
namespace {

constexpr ks::ULONG kMaxSearchFrames = 1024;

// The smallest frame count above `from` for which `fails` is false (doubling, then bisection),
// or nothing when even kMaxSearchFrames fails. `fails` must be monotone in the frame count,
// which more frames in a pool are: they only let requests that waited proceed earlier.
std::optional<ks::ULONG> smallest_passing(ks::ULONG from, const std::function<bool(ks::ULONG)>& fails) {
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

}  // namespace

bool verdict_fails(std::string_view v) { return v == "failing" || v == "deadlocked" || v == "leaking"; }
bool verdict_is_problem(std::string_view v) { return v != "ok" && v != "not_run"; }

Simulation simulate(const Spec& spec, const Negotiation& negotiation, const SimulateOptions& options) {
  Simulation result;
  if (!negotiation.ok) {  // the settings are still reported, so the report stays well-formed
    result = load::settings(spec, options);
    result.error = "negotiation failed; nothing to simulate";
    return result;
  }
  const std::map<int, ks::ULONG> none;
  result = load::run_load(spec, negotiation, options, none, true);
  if (!result.ran || !options.find_starvation_fix) return result;
  SimulateOptions quiet = options;
  quiet.progress = nullptr;
  for (std::size_t i = 0; i < result.pipes.size(); ++i) {
    PipeMetrics& m = result.pipes[i];
    const bool deadlocked = m.verdict == "deadlocked";
    if ((m.verdict != "starved" && !deadlocked) || m.allocator == "vendor") continue;
    if (deadlocked && !m.deadlock->blocked_by.empty()) {
      m.reason += "; it moves again when " + m.deadlock->blocked_by + " does";
      continue;
    }
    // A deadlock is fixed by the frames that let it move at all; a stall by those that remove it.
    auto fails = [&](ks::ULONG frames) {
      const std::map<int, ks::ULONG> more{{static_cast<int>(i), frames}};
      const Simulation s = load::run_load(spec, negotiation, quiet, more, false);
      if (!s.ran) return true;
      return deadlocked ? s.pipes[i].deadlock.has_value() : s.pipes[i].stall_time_us > 0;
    };
    m.frames_needed = smallest_passing(negotiation.pipes[i].frames, fails);
    if (m.frames_needed) continue;
    m.reason += std::string(m.reason.empty() ? "" : "; ") +
                (deadlocked ? "no frame count up to 1024 in this pipe unblocks it"
                            : "stalls remain with 1024 frames: the consumers are slower than the source");
  }
  return result;
}

}  // namespace ksframe
