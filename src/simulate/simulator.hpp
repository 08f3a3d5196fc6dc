// The simulator's state (src/simulate only): simulate.cpp moves frames through it, stop.cpp ends a
// run (deadlock detection, the STOP transition, the per-pipe metrics).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <vector>

#include "ksframe/dispatch.hpp"
#include "ksframe/engine.hpp"
#include "load_internal.hpp"

namespace ksframe::load {

// Frames are real memory; a hostile or mistaken spec must not take the machine's.
constexpr std::uint64_t kMaxCommitBytes = std::uint64_t{2} << 30;

struct Frame {
  std::uint64_t lineage;  // source frame it descends from
  int pipe;
  void* memory;
  std::uint32_t payload;
  std::uint64_t stamp;
  int refs;  // paths still holding it
  bool vendor;
};

struct Stage {
  int filter = -1;
  const StageSpec* spec = nullptr;
  int next = -1;          // the next stage of its path (each stage belongs to one path)
  int next_pipe = -1;     // a copying filter: the pipe its output starts
  std::deque<int> queue;  // frames waiting for service
  int in_service = -1;
  std::deque<int> held;
};

struct Waiter {
  enum Kind { Source, Copy } kind;
  int source = -1;      // Source: which source
  int from_frame = -1;  // Copy: the input frame
  int from_stage = -1;
  Ns since = 0;
};

struct PipeRuntime {
  const Pipe* pipe = nullptr;
  std::unique_ptr<engine::DefaultAllocator> allocator;
  std::unique_ptr<engine::VendorAllocatorHost> vendor;
  engine::ReferenceVendorAllocatorConfig vendor_config;
  std::uint32_t frame_size = 0;
  std::vector<std::vector<int>> paths;      // stage ids
  std::vector<int> copy_pipes;              // splitter copies fed when this pipe's frame is made
  std::deque<Waiter> waiting;               // direct mode, vendor and injected waits
  std::map<std::uint64_t, Waiter> pending;  // IRP request id -> waiter
  std::uint64_t endpoints = 0;
  double arrival_hz = 0;  // frames per second into the pipe (its source's rate)
  Ns stall_ns = 0;        // summed in nanoseconds, converted once: per-wait rounding would drift
  PipeMetrics m;
  double payload_sum = 0;
  std::uint32_t outstanding = 0;  // frames of this pipe allocated and not yet freed
  Timeline timeline;
};

struct Source {
  int pipe;
  Ns period;
  std::uint64_t produced = 0;  // ticks handled: frames made, failed or dropped
  EffectiveSource settings;
  PinRef pin;
  std::uint64_t made = 0, dropped = 0, delivered = 0;
  Ns first_delivery = -1, last_delivery = 0;
};

struct Event {
  Ns t;
  std::uint64_t seq;
  int kind;  // 0 source tick, 1 stage done
  int a, b;
  bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

class Simulator {
 public:
  /// `touch_payload` false: the re-runs of the starvation search measure stalls only and do
  /// not write or check payload bytes nor record the timeline (the first run does both).
  Simulator(const Spec& spec, const Negotiation& n, const SimulateOptions& o,
            const std::map<int, ks::ULONG>& frame_overrides, bool touch_payload = true)
      : spec_(spec), n_(n), o_(o), overrides_(frame_overrides), touch_(touch_payload) {}

  Simulation run();

 private:
  bool build(Simulation& out);
  std::uint64_t count_endpoints(int pipe, int depth);
  void schedule(Ns t, int kind, int a, int b) { events_.push({t, seq_++, kind, a, b}); }
  void request(int pipe, Waiter w);         // a new request: may fail by fault injection
  void attempt(int pipe, const Waiter& w);  // try the allocator (again)
  /// A vendor allocator's Allocate for `w`: false when no frame was free (the caller waits or
  /// drops).
  bool vendor_attempt(int pipe, const Waiter& w);
  void obtained(int pipe, const Waiter& w, void* memory, bool vendor);
  void deliver(int stage, int frame);
  void start(int stage);
  void stage_done(int stage);
  void finished_with(
      int frame);  // a consumer is done with it: released, or lost by fault injection
  void release(int frame);
  void note_allocation(int pipe);  // counts for allocators that do not count themselves
  void freed(int pipe);
  void lineage_lost(std::uint64_t lineage);  // its frame was dropped: counted once
  void endpoint_done(std::uint64_t lineage);
  bool check(const Frame& f);
  int new_frame(int pipe, void* memory, std::uint32_t payload, std::uint64_t lineage, bool vendor);
  std::uint32_t payload_for(const Source& s);
  void next_tick(int source);            // schedules its next frame, if any is left
  void drop(int pipe, const Waiter& w);  // when_starved: drop, and no frame was free
  void feed_rates();                     // each pipe's arrival rate, from the sources that reach it
  void measure_utilisation(int pipe);
  bool payload_fits(Simulation& out);
  bool work_bounded(Simulation& out);
  // stop.cpp: the end of a run.
  void find_deadlocks();
  void describe_deadlock(int pipe, std::vector<Waiter> waiters);
  std::string requester(const Waiter& w) const;
  void stop();  // the STOP transition
  Simulation results(Simulation out);
  void pipe_results(PipeRuntime& p);
  bool service_fixed(
      const PipeRuntime& p) const;  // every stage of the pipe has a fixed service time

  const Spec& spec_;
  const Negotiation& n_;
  const SimulateOptions& o_;
  const std::map<int, ks::ULONG>& overrides_;
  bool touch_ = true;
  Random random_;
  std::vector<PipeRuntime> pipes_;
  std::vector<Stage> stages_;
  std::vector<Source> sources_;
  std::vector<Frame> frames_;
  std::vector<int> free_frame_slots_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::uint64_t seq_ = 0;
  Ns now_ = 0;
  bool direct_ = false;
  double failure_rate_ = 0;
  std::uint64_t to_produce_ = 0;
  // End to end.
  std::vector<std::uint32_t> remaining_;  // per lineage: endpoints still to reach
  std::vector<Ns> born_;
  std::vector<int> source_of_;  // per lineage: the source that made it
  std::vector<std::uint64_t> latencies_us_;
  std::uint64_t delivered_ = 0, dropped_ = 0, hops_ = 0;
  std::uint64_t lost_ = 0;  // frames lost by load.faults.lose_frames
};

}  // namespace ksframe::load
