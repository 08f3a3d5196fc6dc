// The synthetic load (docs/simulation.md) as a discrete-event simulation.
//
// Each pipe is a set of paths (begin pin -> end pin) of filter stages; a stage is a single FIFO
// server with a service-time distribution. Sources produce at their rate from the allocator of
// their pipe; in-place stages work on the same frame; a path that ends at a copying filter takes
// a frame from the next pipe, copies the payload and frees its input; renderers free frames.
// Payloads live in real frame memory: stamped at production and at each copy, checked at every
// stage (a fixed number of words per frame, see for_each_stamp_slot). Time is integer
// nanoseconds and ties break on a sequence number, so the run is deterministic; distributions are
// computed here from mt19937_64 because the standard library's are implementation-defined.
#include "ksframe/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <random>

#include "simulator.hpp"

namespace ksframe::load {

// The run's settings: the spec's load section with the command line's overrides.
Simulation settings(const Spec& spec, const SimulateOptions& o) {
  Simulation out;
  out.seed = o.seed.value_or(spec.load.seed.value);
  out.allocator_mode = o.allocator_mode.value_or(spec.load.allocator_mode.value);
  out.source_frames = o.frames.value_or(spec.load.frames.value);
  out.target_rate_hz = spec.load.source_rate_hz.value;
  return out;
}

std::uint32_t Simulator::payload_for(const Source& s) {
  const std::uint32_t size = pipes_[s.pipe].frame_size;
  const double bytes = random_.sample(*s.settings.payload, size);
  return static_cast<std::uint32_t>(std::clamp<double>(std::round(bytes), 1, size));
}

std::uint64_t Simulator::count_endpoints(int pipe, int depth) {
  if (depth > 64) return 0;  // a loop between pipes: negotiation reported it
  PipeRuntime& p = pipes_[pipe];
  std::uint64_t total = 0;
  for (const auto& path : p.paths) {
    const int next = stages_[path.back()].next_pipe;
    total += next >= 0 ? count_endpoints(next, depth + 1) : 1;
  }
  for (int c : p.copy_pipes) total += count_endpoints(c, depth + 1);
  return total;
}

bool Simulator::build(Simulation& out) {
  std::map<int, const StageSpec*> stage_specs;
  for (const auto& s : spec_.load.stages) stage_specs[s.filter_index] = &s;
  std::map<std::pair<int, int>, int> pipe_of_begin;  // (filter, pin) of a begin at instance 0
  pipes_.resize(n_.pipes.size());
  for (std::size_t i = 0; i < n_.pipes.size(); ++i) {
    const Pipe& p = n_.pipes[i];
    PipeRuntime& rt = pipes_[i];
    rt.pipe = &p;
    rt.m.id = p.id;
    if (p.failed || (p.flags & ks::flag::CYCLE)) {
      out.error = p.id + " did not negotiate";
      return false;
    }
    if (p.members[0].instance == 0)
      pipe_of_begin[{p.members[0].pin.filter, p.members[0].pin.pin}] = static_cast<int>(i);
  }
  for (std::size_t i = 0; i < n_.pipes.size(); ++i) {
    const Pipe& p = n_.pipes[i];
    PipeRuntime& rt = pipes_[i];
    const DistributionSpec& planned = *spec_.source(p.members[0].pin).payload;
    const std::uint32_t payload_hint =
        planned.present ? static_cast<std::uint32_t>(std::max(1.0, planned.value.value)) : 4096;
    rt.frame_size = p.frame_size ? p.frame_size : std::max<std::uint32_t>(payload_hint, 64);
    ks::ULONG frames = p.frames;
    if (auto it = overrides_.find(static_cast<int>(i)); it != overrides_.end()) frames = it->second;
    ks::KSALLOCATOR_FRAMING framing =
        p.legacy.value_or(ks::KSALLOCATOR_FRAMING{0x2, 0, frames, rt.frame_size, p.align_mask, 0});
    framing.Frames = frames;
    framing.FrameSize = rt.frame_size;
    framing.OptionsFlags &= 0xF;
    if (framing.FileAlignment > 0xFFF) framing.FileAlignment = 0xFFF;
    // Real memory: refuse a pipe that could commit more than the simulation allows.
    const std::uint64_t could_commit =
        std::uint64_t{rt.frame_size} * (frames ? frames : std::max<std::uint64_t>(1, to_produce_));
    if (could_commit > kMaxCommitBytes) {
      out.error = p.id + " could commit " + std::to_string(could_commit) + " bytes (" +
                  std::to_string(frames) + " frames of " + std::to_string(rt.frame_size) +
                  " bytes); the simulation uses at most " + std::to_string(kMaxCommitBytes) +
                  " per pipe";
      return false;
    }
    const PinSpec* alloc_pin = p.allocator >= 0 ? &spec_.pin(p.members[p.allocator].pin) : nullptr;
    if (p.vendor && alloc_pin && alloc_pin->allocator) {
      rt.m.allocator = PipeAllocator::Vendor;
      rt.vendor_config = {alloc_pin->allocator->pool_frames.value,
                          alloc_pin->allocator->fail_initialize.value,
                          alloc_pin->allocator->allocation_failure_rate.value, random_.g()};
      rt.vendor = std::make_unique<engine::VendorAllocatorHost>(engine::reference_vendor_dispatch(),
                                                                &rt.vendor_config);
      if (rt.vendor->initialize(framing) != ks::status::SUCCESS) {
        rt.m.verdict = PipeVerdict::Failing;
        rt.m.reason = "InitializeAllocator failed";
        out.error = p.id + ": the vendor allocator's InitializeAllocator failed";
        return false;
      }
    } else {
      rt.m.allocator = p.user_mode ? PipeAllocator::User : PipeAllocator::Default;
      engine::DefaultAllocator::Options ao;
      ao.mode = direct_ ? engine::AllocatorMode::Direct : engine::AllocatorMode::Irp;
      ao.guard_bytes =
          false;  // the simulation checks payloads itself; guards are tested in the engine
      if (engine::DefaultAllocator::create(framing, ao, &rt.allocator) != ks::status::SUCCESS) {
        out.error = p.id + ": the default allocator refuses the negotiated framing";
        return false;
      }
    }
    // Paths: from each end member up to the begin, the filters of the input members.
    for (int e : p.ends) {
      std::vector<int> chain;
      for (int m = e; m >= 0; m = p.members[m].parent)
        if (spec_.pin(p.members[m].pin).dataflow.value == ks::Dataflow::In) chain.push_back(m);
      std::reverse(chain.begin(), chain.end());
      std::vector<int> path;
      for (int m : chain) {
        Stage s;
        s.filter = p.members[m].pin.filter;
        if (auto it = stage_specs.find(s.filter); it != stage_specs.end()) s.spec = it->second;
        path.push_back(static_cast<int>(stages_.size()));
        stages_.push_back(std::move(s));
      }
      if (path.empty()) continue;  // a pipe of one output pin: nobody consumes it
      for (std::size_t k = 0; k + 1 < path.size(); ++k) stages_[path[k]].next = path[k + 1];
      // The last stage copies into the pipe its filter's non-in-place route starts.
      const FilterSpec& f = spec_.filters[stages_[path.back()].filter];
      for (const auto& r : f.routes)
        if (r.from_pin == p.members[chain.back()].pin.pin)
          if (auto it = pipe_of_begin.find({stages_[path.back()].filter, r.to_pin});
              it != pipe_of_begin.end() && it->second != static_cast<int>(i))
            stages_[path.back()].next_pipe = it->second;
      rt.paths.push_back(std::move(path));
    }
  }
  // Splitter copies, and sources (pipes whose begin filter has no input pin).
  for (std::size_t i = 0; i < n_.pipes.size(); ++i) {
    const PipeMember& begin = n_.pipes[i].members[0];
    if (begin.instance > 0) {
      if (auto it = pipe_of_begin.find({begin.pin.filter, begin.pin.pin});
          it != pipe_of_begin.end())
        pipes_[it->second].copy_pipes.push_back(static_cast<int>(i));
      continue;
    }
    if (is_source_filter(spec_.filters[begin.pin.filter]) && !pipes_[i].paths.empty()) {
      Source s;
      s.pipe = static_cast<int>(i);
      s.pin = begin.pin;
      s.settings = spec_.source(begin.pin);
      // Audio without an audio_ms edit: a frame is due when the device has filled it, so the
      // rate is the format's byte rate over the negotiated frame size (payload: full frames).
      if (s.settings.audio_byte_rate && pipes_[i].frame_size) {
        const double rate = static_cast<double>(s.settings.audio_byte_rate) / pipes_[i].frame_size;
        if (rate > 0 && rate <= 1e6) s.settings.rate_hz = rate;
      }
      s.period = static_cast<Ns>(std::llround(1e9 / s.settings.rate_hz));
      sources_.push_back(std::move(s));
    }
  }
  feed_rates();
  for (std::size_t i = 0; i < pipes_.size(); ++i) measure_utilisation(static_cast<int>(i));
  for (auto& p : pipes_) p.endpoints = 0;
  for (std::size_t i = 0; i < pipes_.size(); ++i)
    pipes_[i].endpoints = count_endpoints(static_cast<int>(i), 0);
  if (sources_.empty()) {
    out.error =
        "no pipe begins at a source filter (a filter without input pins) that feeds a consumer";
    return false;
  }
  return payload_fits(out) && work_bounded(out);
}

// A hostile or mistaken spec (2000 filters, 10 million frames) would run for an hour: the work
// is bounded before anything runs, and the message says how to raise the bound.
bool Simulator::work_bounded(Simulation& out) {
  const std::uint64_t stages = stages_.size();
  const std::uint64_t work =
      stages && to_produce_ > UINT64_MAX / stages ? UINT64_MAX : to_produce_ * stages;
  if (work <= o_.max_work) return true;
  out.error = "the load is " + std::to_string(to_produce_) + " source frames x " +
              std::to_string(stages) + (stages == 1 ? " stage = " : " stages = ") +
              std::to_string(work) + " frame visits, above the limit of " +
              std::to_string(o_.max_work) +
              "; lower load.frames (or --frames), or raise the limit with --max-work";
  return false;
}

// A payload larger than its frame cannot be represented: the source would have to clip it, and
// the run would measure frames the driver never produces. Refused before anything runs.
bool Simulator::payload_fits(Simulation& out) {
  for (const auto& s : sources_) {
    const DistributionSpec& d = *s.settings.payload;
    if (!d.present) continue;
    const double largest = largest_planned(d);
    const PipeRuntime& p = pipes_[s.pipe];
    if (largest <= p.frame_size) continue;
    char text[64];
    std::snprintf(text, sizeof text, "%.0f", largest);
    const char* which = d.kind.value == DistributionSpec::Kind::Uniform       ? "max "
                        : d.kind.value == DistributionSpec::Kind::Exponential ? "mean "
                                                                              : "";
    out.error = s.settings.payload_path + " " + which + text + " bytes is larger than the " +
                std::to_string(p.frame_size) + "-byte frames of " + p.m.id + " (at " +
                spec_.at(d.pos).file + ":" + std::to_string(d.pos.line) + ":" +
                std::to_string(d.pos.column) + "); a frame cannot carry it";
    return false;
  }
  return true;
}

int Simulator::new_frame(int pipe, void* memory, std::uint32_t payload, std::uint64_t lineage,
                         bool vendor) {
  Frame f{lineage,
          pipe,
          memory,
          payload,
          (lineage * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(pipe),
          0,
          vendor};
  int id;
  if (!free_frame_slots_.empty()) {
    id = free_frame_slots_.back();
    free_frame_slots_.pop_back();
    frames_[id] = f;
  } else {
    id = static_cast<int>(frames_.size());
    frames_.push_back(f);
  }
  PipeRuntime& p = pipes_[pipe];
  ++p.outstanding;
  if (touch_) p.timeline.record(now_, p.outstanding);  // the re-runs only count stalls
  return id;
}

// The stamp is written to, and checked at, a fixed number of 8-byte slots of the payload: the
// first, the last (partial when the payload is not a multiple of 8) and up to 14 evenly spread
// between them. Slots are aligned to 8 bytes within the payload, so they never overlap (a 9-15
// byte payload has a full first slot and a partial second one). A fixed number of slots keeps
// the check's cost independent of the frame size, and the slots of a pool's few frames stay in
// cache; writing or copying every byte made an 18 MiB frame cost 2000 times a 64-byte one.
namespace {

template <typename F>
void for_each_stamp_slot(std::uint32_t payload, F&& f) {
  constexpr std::uint32_t kSpans = 15;  // 16 slot positions, 0 and last included
  const std::uint32_t last = (payload - 1) / 8;
  std::uint64_t previous = UINT64_MAX;
  for (std::uint32_t j = 0; j <= kSpans; ++j) {
    const std::uint64_t slot = std::uint64_t{last} * j / kSpans;
    if (slot == previous) continue;
    previous = slot;
    const std::size_t offset = static_cast<std::size_t>(slot) * 8;
    f(offset, std::min<std::size_t>(8, payload - offset));
  }
}

void stamp(const Frame& f) {
  auto* bytes = static_cast<unsigned char*>(f.memory);
  for_each_stamp_slot(f.payload, [&](std::size_t offset, std::size_t n) {
    if (n == 8)
      std::memcpy(bytes + offset, &f.stamp, 8);  // a constant size: one store
    else
      std::memcpy(bytes + offset, &f.stamp, n);
  });
}

}  // namespace

bool Simulator::check(const Frame& f) {
  if (!touch_) return true;
  const auto* bytes = static_cast<const unsigned char*>(f.memory);
  bool intact = true;
  for_each_stamp_slot(f.payload, [&](std::size_t offset, std::size_t n) {
    std::uint64_t word = 0;
    if (n == 8)
      std::memcpy(&word, bytes + offset, 8);  // a constant size: one load
    else
      std::memcpy(&word, bytes + offset, n);
    std::uint64_t expected = 0;
    std::memcpy(&expected, &f.stamp, n);
    intact = intact && word == expected;
  });
  return intact;
}

void Simulator::request(int pipe, Waiter w) {
  PipeRuntime& p = pipes_[pipe];
  w.since = now_;
  if (failure_rate_ > 0 && random_.unit() < failure_rate_) {  // fault injection
    ++p.m.failures;
    obtained(pipe, w, nullptr, false);
    return;
  }
  if (w.kind == Waiter::Source && sources_[w.source].settings.drop) {
    // A dropping source never waits: without a free frame the frame is lost and the next one is
    // due on time. IRP mode asks the allocator's status first, so no request pends and is
    // cancelled (which would count as a wait).
    if (p.allocator && !direct_ &&
        p.allocator->status().AllocatedFrames >= p.allocator->framing().Frames)
      return drop(pipe, w);
    if (p.vendor) {
      if (!vendor_attempt(pipe, w)) drop(pipe, w);
      return;
    }
    auto r = p.allocator->allocate();
    if (r.status == ks::status::SUCCESS) return obtained(pipe, w, r.frame, false);
    if (r.status == ks::status::PENDING) p.allocator->cancel(r.request);
    return drop(pipe, w);
  }
  attempt(pipe, w);
}

void Simulator::drop(int pipe, const Waiter& w) {
  ++pipes_[pipe].m.dropped;
  ++sources_[w.source].dropped;
  ++dropped_;
  next_tick(w.source);
}

// The source's next frame is due one period after the last (the tick counts from time 0, so a
// source that waited catches up), bursts come burst_frames at a time every burst_frames periods,
// and jitter delays each due time. Never before now: a source that waited is late.
void Simulator::next_tick(int source) {
  Source& s = sources_[source];
  if (++s.produced < to_produce_) {
    const std::uint64_t burst = std::max<ks::ULONG>(1, s.settings.burst_frames);
    // Saturated far beyond any run (a 1e-6 Hz source's period is 1e15 ns): k x period must not
    // overflow, and a jitter (at most about 4e16 ns) still fits on top.
    constexpr Ns kFar = INT64_MAX / 2;
    const std::uint64_t k = s.produced / burst * burst;
    const Ns base =
        k > static_cast<std::uint64_t>(kFar / s.period) ? kFar : static_cast<Ns>(k) * s.period;
    const Ns due =
        base + static_cast<Ns>(std::llround(
                   std::max(0.0, random_.sample(*s.settings.jitter_us, 0.0)) * kNsPerUs));
    schedule(std::max(due, now_), 0, source, 0);
  }
  if (o_.progress && (s.produced & 0x3FF) == 0) o_.progress(s.produced, to_produce_);
}

// Each pipe's arrival rate: the rates of the sources whose frames reach it, through copies and
// splitter branches (a muxer's output pipe sees the sum of its inputs).
void Simulator::feed_rates() {
  for (const auto& s : sources_) {
    std::vector<std::pair<int, int>> todo{{s.pipe, 0}};
    while (!todo.empty()) {
      const auto [pipe, depth] = todo.back();
      todo.pop_back();
      if (depth > 64) continue;  // a loop between pipes: negotiation reported it
      PipeRuntime& p = pipes_[pipe];
      p.arrival_hz += s.settings.rate_hz;
      for (const auto& path : p.paths)
        if (const int next = stages_[path.back()].next_pipe; next >= 0)
          todo.push_back({next, depth + 1});
      for (int c : p.copy_pipes) todo.push_back({c, depth + 1});
    }
  }
}

bool Simulator::vendor_attempt(int pipe, const Waiter& w) {
  PipeRuntime& p = pipes_[pipe];
  if (void* mem = p.vendor->allocate()) {
    obtained(pipe, w, mem, true);
    return true;
  }
  const ks::ULONG cap = p.vendor_config.pool_frames ? p.vendor_config.pool_frames : p.pipe->frames;
  if (p.vendor->outstanding() < cap) {  // frames were free: the allocator itself failed
    ++p.m.failures;
    obtained(pipe, w, nullptr, true);
    return true;
  }
  return false;
}

void Simulator::attempt(int pipe, const Waiter& w) {
  PipeRuntime& p = pipes_[pipe];
  if (p.vendor) {
    if (vendor_attempt(pipe, w)) return;
    p.waiting.push_back(w);
    p.m.pending_high_water = std::max<std::uint64_t>(p.m.pending_high_water, p.waiting.size());
    return;
  }
  auto r = p.allocator->allocate();
  if (r.status == ks::status::SUCCESS) return obtained(pipe, w, r.frame, false);
  if (r.status == ks::status::PENDING) {
    p.pending.emplace(r.request, w);
    return;
  }
  p.waiting.push_back(w);  // direct mode: retry on the FREEFRAME event
  p.m.pending_high_water = std::max<std::uint64_t>(p.m.pending_high_water, p.waiting.size());
}

void Simulator::obtained(int pipe, const Waiter& w, void* memory, bool vendor) {
  PipeRuntime& p = pipes_[pipe];
  p.stall_ns += now_ - w.since;
  if (w.kind == Waiter::Source) {
    Source& s = sources_[w.source];
    const std::uint64_t lineage = born_.size();
    born_.push_back(now_);
    source_of_.push_back(w.source);
    remaining_.push_back(static_cast<std::uint32_t>(p.endpoints));
    if (!memory) {
      ++dropped_;
      remaining_[lineage] = 0;
    } else {
      ++s.made;
      const int f = new_frame(pipe, memory, payload_for(s), lineage, vendor);
      Frame& fr = frames_[f];
      if (touch_) {
        stamp(fr);  // the capture: the source fills the frame
      }
      note_allocation(pipe);
      p.payload_sum += fr.payload;
      // All references first: a request below may grow frames_ and invalidate `fr`.
      fr.refs = static_cast<int>(p.paths.size() + p.copy_pipes.size());
      for (int c : p.copy_pipes) request(c, {Waiter::Copy, -1, f, -1, 0});
      for (const auto& path : p.paths) deliver(path.front(), f);
    }
    next_tick(w.source);
    return;
  }
  // A copy into this pipe: from a copying filter's input, or a splitter's copy branch.
  Frame src = frames_[w.from_frame];
  if (!memory) {
    lineage_lost(src.lineage);
  } else {
    const Pipe& pp = *p.pipe;
    const auto c = spec_.effective_framing_ex(pp.members[0].pin);
    std::uint64_t mapped = src.payload;
    if (c && w.from_stage >= 0 && c->OutputCompression.RatioNumerator != ks::kCompressionUnknown &&
        c->OutputCompression.RatioDenominator != 0)
      mapped = (std::uint64_t{src.payload} * c->OutputCompression.RatioNumerator +
                c->OutputCompression.RatioDenominator - 1) /
                   c->OutputCompression.RatioDenominator +
               c->OutputCompression.RatioConstantMargin;
    const std::uint32_t payload =
        static_cast<std::uint32_t>(std::clamp<std::uint64_t>(mapped, 1, p.frame_size));
    const int f = new_frame(pipe, memory, payload, src.lineage, vendor);
    Frame& fr = frames_[f];
    if (touch_) {
      // The copy: its input was checked when the stage finished; the output is the filter's
      // own frame, stamped for this pipe. Only the byte count of the copy is kept.
      stamp(fr);
    }
    note_allocation(pipe);
    ++p.m.copies;
    p.m.bytes_copied += std::min(payload, src.payload);
    p.payload_sum += payload;
    fr.refs = static_cast<int>(p.paths.size() + p.copy_pipes.size());
    for (int cp : p.copy_pipes) request(cp, {Waiter::Copy, -1, f, -1, 0});
    for (const auto& path : p.paths) deliver(path.front(), f);
    if (frames_[f].refs == 0) {  // nobody consumes this pipe
      frames_[f].refs = 1;
      release(f);
    }
  }
  release(w.from_frame);
}

void Simulator::note_allocation(int pipe) {
  PipeRuntime& p = pipes_[pipe];
  if (!p.vendor) return;  // the default allocator keeps its own counters
  ++p.m.allocations;
  p.m.peak_outstanding = std::max<std::uint64_t>(p.m.peak_outstanding, p.vendor->outstanding());
  p.m.bytes_committed_peak =
      std::uint64_t{p.frame_size} *
      (p.vendor_config.pool_frames ? p.vendor_config.pool_frames : p.pipe->frames);
}

void Simulator::deliver(int stage, int frame) {
  stages_[stage].queue.push_back(frame);
  if (stages_[stage].in_service < 0) start(stage);
}

void Simulator::start(int stage) {
  Stage& s = stages_[stage];
  if (s.in_service >= 0 || s.queue.empty()) return;  // one frame in service at a time
  s.in_service = s.queue.front();
  s.queue.pop_front();
  const double us = s.spec ? random_.sample(s.spec->service_us, 0.0) : 0.0;
  schedule(now_ + static_cast<Ns>(std::llround(std::max(0.0, us) * kNsPerUs)), 1, stage,
           s.in_service);
}

void Simulator::stage_done(int stage) {
  Stage& s = stages_[stage];
  const int f = s.in_service;
  s.in_service = -1;
  ++hops_;
  if (!check(frames_[f])) ++pipes_[frames_[f].pipe].m.payload_errors;
  if (s.next >= 0) {
    // An in-place stage with hold_frames keeps a reference to the last frames it passed on (a
    // temporal filter working against previous frames): the frame goes on downstream, and its
    // allocator gets it back only when this stage lets it go too.
    const ks::ULONG hold = s.spec ? s.spec->hold_frames.value : 0;
    if (hold > 0) {
      ++frames_[f].refs;
      s.held.push_back(f);
    }
    deliver(s.next, f);
    while (s.held.size() > hold) {
      const int old = s.held.front();
      s.held.pop_front();
      release(old);
    }
  } else if (s.next_pipe >= 0) {
    request(s.next_pipe, {Waiter::Copy, -1, f, stage, 0});
  } else {
    endpoint_done(frames_[f].lineage);
    const ks::ULONG hold = s.spec ? s.spec->hold_frames.value : 0;
    s.held.push_back(f);
    while (s.held.size() > hold) {
      const int old = s.held.front();
      s.held.pop_front();
      finished_with(old);
    }
  }
  // Releasing a frame above may already have fed this stage again (a waiting source got a
  // frame); start() serves the next queued frame only if nothing is in service.
  start(stage);
}

void Simulator::finished_with(int frame) {
  Frame& f = frames_[frame];
  if (f.refs == 1 && lost_ < spec_.load.lose_frames.value) {
    ++lost_;  // the driver forgets the frame: never freed, so its allocator keeps it out
    f.refs = 0;
    free_frame_slots_.push_back(frame);
    return;
  }
  release(frame);
}

void Simulator::endpoint_done(std::uint64_t lineage) {
  if (remaining_[lineage] == 0 || --remaining_[lineage] != 0) return;
  ++delivered_;
  latencies_us_.push_back(static_cast<std::uint64_t>((now_ - born_[lineage]) / kNsPerUs));
  Source& s = sources_[source_of_[lineage]];
  ++s.delivered;
  if (s.first_delivery < 0) s.first_delivery = now_;
  s.last_delivery = now_;
}

void Simulator::lineage_lost(std::uint64_t lineage) {
  if (remaining_[lineage] != 0) {
    remaining_[lineage] = 0;
    ++dropped_;
  }
}

void Simulator::release(int frame) {
  Frame& f = frames_[frame];
  if (--f.refs > 0) return;
  const int pipe = f.pipe;
  PipeRuntime& p = pipes_[pipe];
  void* memory = f.memory;
  free_frame_slots_.push_back(frame);
  --p.outstanding;
  if (touch_) p.timeline.record(now_, p.outstanding);
  if (p.vendor) {
    p.vendor->free(memory);
    ++p.m.frees;
    freed(pipe);
    return;
  }
  auto r = p.allocator->free(memory);
  if (r.completed_request) {  // IRP mode: the oldest waiter gets this frame
    auto it = p.pending.find(*r.completed_request);
    Waiter w = it->second;
    p.pending.erase(it);
    obtained(pipe, w, r.completed_frame, false);
    return;
  }
  freed(pipe);
}

// A frame came back: a waiter of direct mode (FREEFRAME) or of a vendor pool tries again.
void Simulator::freed(int pipe) {
  PipeRuntime& p = pipes_[pipe];
  if (p.waiting.empty()) return;
  Waiter w = p.waiting.front();
  p.waiting.pop_front();
  attempt(pipe, w);  // keeps the time it started waiting, so the whole stall is counted
}

Simulation Simulator::run() {
  Simulation out = settings(spec_, o_);
  direct_ = out.allocator_mode == "direct";
  failure_rate_ = spec_.load.allocation_failure_rate.value;
  to_produce_ = out.source_frames;
  random_.g.seed(out.seed);
  if (!build(out)) return out;
  for (std::size_t s = 0; s < sources_.size(); ++s)
    if (to_produce_ > 0) schedule(0, 0, static_cast<int>(s), 0);
  while (!events_.empty()) {
    const Event e = events_.top();
    events_.pop();
    now_ = e.t;
    if (e.kind == 0)
      request(sources_[e.a].pipe, {Waiter::Source, e.a, -1, -1, 0});
    else
      stage_done(e.a);
  }
  find_deadlocks();  // before the STOP transition, which frees what the deadlock holds
  stop();
  return results(out);
}

Simulation run_load(const Spec& spec, const Negotiation& negotiation,
                    const SimulateOptions& options, const std::map<int, ks::ULONG>& frame_overrides,
                    bool touch_payload) {
  return Simulator(spec, negotiation, options, frame_overrides, touch_payload).run();
}

}  // namespace ksframe::load
