// The synthetic load: a seeded discrete-event simulation over the negotiated pipes, on the real
// allocators of the engine (reference 7.5, DESIGN.md "Synthetic load"). Deterministic: the same
// spec, negotiation and seed give the same metrics, bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ksframe/negotiate.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

struct SimulateOptions {
  std::optional<std::uint64_t> seed;         ///< overrides load.seed
  std::optional<ks::ULONG> frames;           ///< overrides load.frames
  std::optional<std::string> allocator_mode; ///< "irp" or "direct", overrides load.allocator_mode
  bool find_starvation_fix = true;           ///< re-run to find the frames that remove stalls
  /// Called now and then with (frames produced, frames to produce), for a progress bar.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct PipeMetrics {
  std::string id;
  std::string allocator;              ///< "default", "vendor", "user" or "none"
  std::uint64_t allocations = 0, frees = 0, peak_outstanding = 0, pending_high_water = 0;
  std::uint64_t stall_time_us = 0;    ///< time stages spent waiting for this pipe's frames
  std::uint64_t failures = 0;         ///< allocations that failed (fault injection, pool dry)
  std::uint64_t immediate_failures = 0, freeframe_events = 0;
  std::uint64_t bytes_committed_peak = 0;
  double payload_utilisation = 0;     ///< mean payload bytes / frame size
  std::uint64_t copies = 0, bytes_copied = 0;  ///< copies into this pipe
  std::uint64_t payload_errors = 0;   ///< payload bytes found changed downstream (must be 0)
  std::uint64_t alignment_violations = 0;
  std::string verdict;                ///< "ok", "starved", "failing", "not_run"
  std::optional<ks::ULONG> frames_needed;  ///< starved: the smallest frame count without stalls
  std::string reason;                 ///< not_run: why
  /// Frames outstanding over simulated time, in buckets of `timeline_bucket_us` microseconds
  /// from time 0 (at most 128): the highest count, and the time-weighted mean (2 decimals).
  std::uint64_t timeline_bucket_us = 0;
  std::vector<std::uint32_t> timeline;
  std::vector<double> timeline_mean;
};

struct Simulation {
  bool ran = false;
  std::string error;                 ///< why it could not run (negotiation failed, ...)
  std::uint64_t seed = 0;
  std::string allocator_mode;
  std::uint64_t source_frames = 0;
  std::vector<PipeMetrics> pipes;
  double target_rate_hz = 0, achieved_rate_hz = 0;
  std::uint64_t delivered = 0, dropped = 0;
  std::uint64_t latency_p50_us = 0, latency_p95_us = 0, latency_p99_us = 0, latency_max_us = 0;
  std::uint64_t frame_hops = 0;      ///< frames passed from one stage to the next
  std::uint64_t duration_us = 0;     ///< simulated time
};

/// Runs the load of `spec` over `negotiation`. Never throws.
Simulation simulate(const Spec& spec, const Negotiation& negotiation, const SimulateOptions& options);

}  // namespace ksframe
