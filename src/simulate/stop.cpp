// The end of a run: deadlock detection, the STOP transition, and the per-pipe metrics and
// verdicts of the run.
//
// A deadlock is found where it is certain: the event queue is empty (no stage is serving and no
// source tick is due), so no event can ever free a frame, and a request still waits. Everything
// that would free a frame is an event, which is why this test is exact rather than a timeout.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "simulator.hpp"

namespace ksframe::load {

// Above this utilisation a queue's length, and so the frames it needs, grows steeply with the
// load (an M/M/1 queue holds u / (1 - u) frames on average: 9 at 0.9, 19 at 0.95).
constexpr double kNearSaturation = 0.9;

// Every pipe carries one frame per source frame that reaches it (feed_rates), so each stage
// sees that arrival rate; utilisation is rate x mean service time.
void Simulator::measure_utilisation(int pipe) {
  PipeRuntime& p = pipes_[pipe];
  for (const auto& path : p.paths)
    for (int id : path) {
      const Stage& s = stages_[id];
      const double u = p.arrival_hz *
                       distribution_mean(s.spec ? s.spec->service_us : DistributionSpec{}, 0.0) /
                       1e6;
      if (u > p.m.utilisation) {
        p.m.utilisation = u;
        p.m.bottleneck = spec_.filters[s.filter].name.value;
      }
    }
}

// The utilisation finding, for the reason: overloaded (at or above 1), or near saturation.
static std::string utilisation_reason(const PipeMetrics& m, double arrival_hz) {
  char text[320];
  const double period_us = 1e6 / arrival_hz;
  if (m.verdict == PipeVerdict::Overloaded)
    std::snprintf(
        text, sizeof text,
        "%s is busy %.2f of the time (%.3f Hz x %.0f us mean service): it needs a mean service "
        "time below %.0f us; no frame count removes the stalls",
        m.bottleneck.c_str(), m.utilisation, arrival_hz, m.utilisation * period_us, period_us);
  else
    std::snprintf(
        text, sizeof text,
        "near saturation: %s is busy %.2f of the time, so the frame count is sensitive to the load",
        m.bottleneck.c_str(), m.utilisation);
  return text;
}

std::string Simulator::requester(const Waiter& w) const {
  if (w.kind == Waiter::Source) {
    const PinRef pin = n_.pipes[sources_[w.source].pipe].members[0].pin;
    return spec_.pin_name(pin) + " (source)";
  }
  const int into = frames_[w.from_frame].pipe;
  const std::string& by = w.from_stage >= 0
                              ? spec_.filters[stages_[w.from_stage].filter].name.value
                              : spec_.filters[n_.pipes[into].members[0].pin.filter].name.value;
  return by + " (copy out of " + pipes_[into].m.id + ")";
}

void Simulator::find_deadlocks() {
  for (std::size_t i = 0; i < pipes_.size(); ++i) {
    PipeRuntime& p = pipes_[i];
    std::vector<Waiter> waiters(p.waiting.begin(), p.waiting.end());
    for (const auto& [request, w] : p.pending) waiters.push_back(w);
    if (!waiters.empty()) describe_deadlock(static_cast<int>(i), std::move(waiters));
  }
}

void Simulator::describe_deadlock(int pipe, std::vector<Waiter> waiters) {
  PipeRuntime& p = pipes_[pipe];
  std::stable_sort(waiters.begin(), waiters.end(),
                   [](const Waiter& a, const Waiter& b) { return a.since < b.since; });
  Deadlock d;
  d.stuck_at_us = static_cast<std::uint64_t>(waiters.front().since / kNsPerUs);
  for (const auto& w : waiters)
    d.waiting.push_back({requester(w), static_cast<std::uint64_t>(w.since / kNsPerUs)});
  // Who has this pipe's frames: stages (held, queued or in service), and copying filters that
  // wait for a frame of another pipe with this pipe's frame as their input.
  auto add = [&](const std::string& filter, const std::string& how) {
    for (auto& h : d.holders)
      if (h.filter == filter && h.how == how) return void(++h.frames);
    d.holders.push_back({filter, 1, how});
  };
  for (const auto& s : stages_) {
    const std::string& name = spec_.filters[s.filter].name.value;
    const std::string hold =
        "held (hold_frames " + std::to_string(s.spec ? s.spec->hold_frames.value : 0) + ")";
    for (int f : s.held)
      if (frames_[f].pipe == pipe) add(name, hold);
    for (int f : s.queue)
      if (frames_[f].pipe == pipe) add(name, "queued");
  }
  for (const auto& other : pipes_) {
    auto note = [&](const Waiter& w) {
      if (w.kind != Waiter::Copy || frames_[w.from_frame].pipe != pipe) return;
      const std::string who = requester(w);
      add(who.substr(0, who.find(" (")), "input of a copy waiting for " + other.m.id);
      d.blocked_by = other.m.id;
    };
    for (const auto& w : other.waiting) note(w);
    for (const auto& [r, w] : other.pending) note(w);
  }
  std::string holders;
  for (const auto& h : d.holders)
    holders += (holders.empty() ? "" : ", ") + h.filter + " has " + std::to_string(h.frames) +
               ": " + h.how;
  p.m.reason = "stuck at " + std::to_string(d.stuck_at_us) + " us: " + d.waiting.front().requester +
               " waits for a frame" + (holders.empty() ? "" : "; " + holders);
  p.m.deadlock = std::move(d);
}

// The graph's STOP transition: waiting requests are cancelled and every stage gives its frames
// back, so a correct allocator ends with nothing outstanding.
void Simulator::stop() {
  for (auto& p : pipes_) p.m.outstanding_at_stop = p.outstanding;
  std::vector<int> inputs;  // frames held by cancelled copy requests
  for (auto& p : pipes_) {
    for (const auto& [request, w] : p.pending) {
      p.allocator->cancel(request);
      if (w.kind == Waiter::Copy) inputs.push_back(w.from_frame);
    }
    for (const auto& w : p.waiting)
      if (w.kind == Waiter::Copy) inputs.push_back(w.from_frame);
    p.pending.clear();
    p.waiting.clear();
  }
  for (int f : inputs) release(f);
  for (auto& s : stages_) {
    std::deque<int> frames;
    frames.swap(s.held);
    for (int f : s.queue) frames.push_back(f);
    s.queue.clear();
    if (s.in_service >= 0) frames.push_back(s.in_service);
    s.in_service = -1;
    for (int f : frames) release(f);
  }
  for (auto& p : pipes_) {
    p.m.leaked = p.allocator ? p.allocator->status().AllocatedFrames : p.vendor->outstanding();
    if (p.vendor) p.vendor->close();  // DeleteAllocator runs now, or never if frames leaked
  }
}

bool Simulator::service_fixed(const PipeRuntime& p) const {
  for (const auto& path : p.paths)
    for (int id : path) {
      const StageSpec* s = stages_[id].spec;
      if (s && s->service_us.present && s->service_us.kind.value != DistributionSpec::Kind::Fixed)
        return false;
    }
  return true;
}

void Simulator::pipe_results(PipeRuntime& p) {
  if (p.allocator) {
    const auto c = p.allocator->counters();
    p.m.allocations = c.allocations;
    p.m.frees = c.frees;
    p.m.peak_outstanding = c.peak_outstanding;
    p.m.pending_high_water = std::max(p.m.pending_high_water, c.pending_high_water);
    p.m.immediate_failures = c.immediate_failures;
    p.m.freeframe_events = c.freeframe_events;
    p.m.bytes_committed_peak = c.bytes_committed_peak;
    p.m.alignment_violations = c.alignment_violations;
  }
  p.m.stall_time_us = static_cast<std::uint64_t>(p.stall_ns / kNsPerUs);
  const std::uint64_t made = p.m.allocations ? p.m.allocations : 1;
  p.m.payload_utilisation = p.payload_sum / static_cast<double>(made) / p.frame_size;
  // At exactly 1 a fixed service time keeps pace with a periodic source (a clock-paced
  // renderer); with any variation the queue grows without bound, as above 1.
  const bool overloaded = p.m.utilisation > 1.0 || (p.m.utilisation == 1.0 && !service_fixed(p));
  p.m.verdict = p.m.leaked          ? PipeVerdict::Leaking
                : p.m.failures      ? PipeVerdict::Failing
                : p.m.deadlock      ? PipeVerdict::Deadlocked
                : overloaded        ? PipeVerdict::Overloaded
                : p.m.dropped       ? PipeVerdict::Dropping
                : p.m.stall_time_us ? PipeVerdict::Starved
                                    : PipeVerdict::Ok;
  if (p.m.verdict == PipeVerdict::Overloaded ||
      (p.m.utilisation > kNearSaturation && p.m.verdict != PipeVerdict::Deadlocked))
    p.m.reason = utilisation_reason(p.m, p.arrival_hz);
  if (p.m.verdict == PipeVerdict::Dropping) {
    std::string who;
    for (const auto& s : sources_)
      if (s.pipe == static_cast<int>(&p - pipes_.data()))
        who = spec_.pin_name(s.pin) + " drops when no frame is free (" +
              (s.settings.when_starved_from == "KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING"
                   ? "its pin has KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING"
                   : s.settings.when_starved_from + ": drop") +
              ")";
    p.m.reason = std::to_string(p.m.dropped) + " source frame" + (p.m.dropped == 1 ? "" : "s") +
                 " dropped: " + who + (p.m.reason.empty() ? "" : "; " + p.m.reason);
  }
  if (p.m.leaked)
    p.m.reason = std::to_string(p.m.leaked) + " frame" + (p.m.leaked == 1 ? "" : "s") +
                 " still out after the STOP transition returned every frame the stages held";
  p.timeline.finish(now_, p.m.timeline_mean, p.m.timeline);  // the series runs to the end
  p.m.timeline_bucket_us = static_cast<std::uint64_t>(p.timeline.width() / kNsPerUs);
}

Simulation Simulator::results(Simulation out) {
  out.ran = true;
  out.duration_us = static_cast<std::uint64_t>(now_ / kNsPerUs);
  out.delivered = delivered_;
  out.dropped = dropped_;
  out.frame_hops = hops_;
  std::sort(latencies_us_.begin(), latencies_us_.end());
  auto rank = [&](double q) -> std::uint64_t {
    if (latencies_us_.empty()) return 0;
    const std::size_t i =
        static_cast<std::size_t>(std::ceil(q * static_cast<double>(latencies_us_.size()))) - 1;
    return latencies_us_[std::min(i, latencies_us_.size() - 1)];
  };
  out.latency_p50_us = rank(0.50);
  out.latency_p95_us = rank(0.95);
  out.latency_p99_us = rank(0.99);
  out.latency_max_us = latencies_us_.empty() ? 0 : latencies_us_.back();
  for (auto& p : pipes_) {
    pipe_results(p);
    out.pipes.push_back(p.m);
  }
  // End to end is every source together, on both sides: the sum of the rates. (One delivery
  // count over the whole run would mix a 100 Hz source that finished early with a 30 Hz one
  // still running, and read neither.) With one source it is that source's rate.
  out.target_rate_hz = 0;
  out.achieved_rate_hz = 0;
  for (const auto& s : sources_) {
    SourceMetrics m;
    m.pin = spec_.pin_name(s.pin);
    m.pipe = pipes_[s.pipe].m.id;
    m.when_starved = s.settings.drop ? "drop" : "wait";
    m.target_rate_hz = s.settings.rate_hz;
    m.produced = s.made;
    m.dropped = s.dropped;
    m.delivered = s.delivered;
    if (s.delivered >= 2 && s.last_delivery > s.first_delivery)
      m.achieved_rate_hz = static_cast<double>(s.delivered - 1) * 1e9 /
                           static_cast<double>(s.last_delivery - s.first_delivery);
    out.target_rate_hz += m.target_rate_hz;
    out.achieved_rate_hz += m.achieved_rate_hz;
    out.sources.push_back(std::move(m));
  }
  return out;
}

}  // namespace ksframe::load
