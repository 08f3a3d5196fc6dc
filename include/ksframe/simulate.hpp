// The synthetic load: a seeded discrete-event simulation over the negotiated pipes, on the real
// allocators of the engine (docs/simulation.md). Deterministic: the same
// spec, negotiation and seed give the same metrics, bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/negotiate.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

/// The most simulated work a run does unless told otherwise: source frames x stages (the frame
/// visits of the load), about half a minute on a 2-core machine.
inline constexpr std::uint64_t kDefaultMaxWork = 200'000'000;

struct SimulateOptions {
  std::optional<std::uint64_t> seed;          ///< overrides load.seed
  std::optional<ks::ULONG> frames;            ///< overrides load.frames
  std::optional<std::string> allocator_mode;  ///< "irp" or "direct", overrides load.allocator_mode
  bool find_starvation_fix = true;            ///< re-run to find the frames that remove stalls
  /// A starved pipe's frames_needed is the count that removes the stalls for each of this many
  /// seeds (the run's seed and the next ones), so one lucky seed does not decide it.
  unsigned seeds = 5;
  /// Refuse a load whose source frames x stages exceed this (`--max-work`), before it runs.
  std::uint64_t max_work = kDefaultMaxWork;
  /// Called now and then with (frames produced, frames to produce), for a progress bar.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

/// Requests pending with no event left that could free a frame: nothing can move again.
struct Deadlock {
  std::uint64_t stuck_at_us = 0;  ///< when the oldest waiting request began to wait
  struct Holder {
    std::string filter;
    std::uint64_t frames = 0;
    std::string how;  ///< "held (hold_frames N)", "queued", "input of a copy waiting for pipe-2"
  };
  std::vector<Holder> holders;  ///< who has the pipe's frames
  struct Wait {
    std::string requester;  ///< "camera.capture (source)", "encoder (copy into pipe-2)"
    std::uint64_t since_us = 0;
  };
  std::vector<Wait> waiting;
  /// The pipe it waits on when its frames are inputs of copies waiting for another pipe's frames:
  /// more frames here only postpone the deadlock, so no frame count is searched for.
  std::string blocked_by;
};

/// The load's verdict on one pipe; its words are "ok", "starved", "dropping", "overloaded",
/// "deadlocked", "leaking", "failing". When several apply, stop.cpp gives the first of leaking,
/// failing, deadlocked, overloaded, dropping, starved.
enum class PipeVerdict { Ok, Starved, Dropping, Overloaded, Deadlocked, Leaking, Failing };
std::string_view to_string(PipeVerdict verdict);
std::optional<PipeVerdict> parse_pipe_verdict(std::string_view word);
/// Failing, deadlocked and leaking fail a run (exit 1); dropping warns, as starved does.
bool fails(PipeVerdict verdict);
/// Every verdict but ok asks a reader to act.
bool is_problem(PipeVerdict verdict);

/// The allocator the load ran a pipe's frames on: the default allocator (kernel), the pin's
/// vendor allocator (KSALLOCATOR_DISPATCH), a user-mode consumer's allocator, or none (the pipe
/// was not built). Words: "default", "vendor", "user", "none".
enum class PipeAllocator { Default, Vendor, User, None };
std::string_view to_string(PipeAllocator allocator);
std::optional<PipeAllocator> parse_pipe_allocator(std::string_view word);

struct PipeMetrics {
  std::string id;
  PipeAllocator allocator = PipeAllocator::None;
  std::uint64_t allocations = 0, frees = 0, peak_outstanding = 0, pending_high_water = 0;
  std::uint64_t stall_time_us = 0;  ///< time stages spent waiting for this pipe's frames
  std::uint64_t failures = 0;       ///< allocations that failed (fault injection, pool dry)
  std::uint64_t immediate_failures = 0, freeframe_events = 0;
  std::uint64_t bytes_committed_peak = 0;
  double payload_utilisation = 0;              ///< mean payload bytes / frame size
  std::uint64_t copies = 0, bytes_copied = 0;  ///< copies into this pipe
  std::uint64_t payload_errors = 0;  ///< payload bytes found changed downstream (must be 0)
  std::uint64_t alignment_violations = 0;
  /// Source frames lost because no frame was free and the source drops (`when_starved: drop`).
  std::uint64_t dropped = 0;
  PipeVerdict verdict = PipeVerdict::Ok;
  /// starved: the smallest frame count without stalls; dropping: without drops; deadlocked: the
  /// smallest that unblocks it
  std::optional<ks::ULONG> frames_needed;
  /// starved: the count each seed needs (frames_needed is the largest); empty otherwise.
  std::vector<ks::ULONG> frames_needed_by_seed;
  std::string reason;  ///< what a reader acts on ("" for ok)
  /// The STOP transition: frames out when it began, and frames the allocator still had out
  /// after every stage gave its frames back and every waiting request was cancelled.
  std::uint64_t outstanding_at_stop = 0, leaked = 0;
  std::optional<Deadlock> deadlock;
  /// The busiest stage of the pipe: arrival rate x mean service time (at or above 1: overloaded).
  double utilisation = 0;
  std::string bottleneck;  ///< its filter, "" without stages
  /// Frames outstanding over simulated time, in buckets of `timeline_bucket_us` microseconds
  /// from time 0 (at most 128): the highest count, and the time-weighted mean (2 decimals).
  std::uint64_t timeline_bucket_us = 0;
  std::vector<std::uint32_t> timeline;
  std::vector<double> timeline_mean;
};

/// One source pin's run: its own rate, and what it achieved.
struct SourceMetrics {
  std::string pin;           ///< "camera.capture"
  std::string pipe;          ///< the pipe it allocates from
  std::string when_starved;  ///< "wait" or "drop"
  double target_rate_hz = 0;
  /// Frames of this source delivered after the first, over the time between its first and last
  /// delivery (0 with fewer than two).
  double achieved_rate_hz = 0;
  std::uint64_t produced = 0;   ///< frames it got a buffer for
  std::uint64_t dropped = 0;    ///< frames lost because no frame was free (when_starved: drop)
  std::uint64_t delivered = 0;  ///< frames every consumer finished with
  friend bool operator==(const SourceMetrics&, const SourceMetrics&) = default;
};

struct Simulation {
  bool ran = false;
  std::string error;  ///< why it could not run (negotiation failed, ...)
  std::uint64_t seed = 0;
  std::string allocator_mode;
  std::uint64_t source_frames = 0;
  std::vector<PipeMetrics> pipes;
  std::vector<SourceMetrics> sources;  ///< in the order of the pipes they begin
  /// End to end, every source together: the sums of the sources' target and achieved rates.
  double target_rate_hz = 0, achieved_rate_hz = 0;
  std::uint64_t delivered = 0, dropped = 0;
  std::uint64_t latency_p50_us = 0, latency_p95_us = 0, latency_p99_us = 0, latency_max_us = 0;
  std::uint64_t frame_hops = 0;   ///< frames passed from one stage to the next
  std::uint64_t duration_us = 0;  ///< simulated time
};

/// Runs the load of `spec` over `negotiation`. Never throws.
Simulation simulate(const Spec& spec, const Negotiation& negotiation,
                    const SimulateOptions& options);

}  // namespace ksframe
