// Allocate + Free of a 614400-byte frame (640x480 YUY2) with 4 frames outstanding, the pattern
// of a capture pipe: the default allocator against the allocators a driver team would otherwise
// reach for, all in one run. Targets (issue 4): at least 2x faster than
// std::pmr::synchronized_pool_resource (also thread-safe) and within 3x of the floor, a bare
// mutex-protected LIFO list of preallocated frames.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory_resource>
#include <mutex>
#include <thread>
#include <vector>

#include "bench_main.hpp"
#include "ksframe/engine.hpp"

namespace {

constexpr std::size_t kFrame = 614400;
constexpr int kOutstanding = 4;

// The ring of outstanding frames: free the oldest, allocate a new one.
template <class Alloc, class Free>
void ring(benchmark::State& state, Alloc alloc, Free release) {
  std::array<void*, kOutstanding> frames{};
  for (auto& f : frames) f = alloc();
  std::size_t i = 0;
  for (auto _ : state) {
    release(frames[i]);
    frames[i] = alloc();
    benchmark::DoNotOptimize(frames[i]);
    i = (i + 1) % kOutstanding;
  }
  for (auto f : frames) release(f);
}

std::unique_ptr<ksframe::engine::DefaultAllocator> default_allocator(bool guards,
                                                                     ksframe::ks::ULONG frames) {
  std::unique_ptr<ksframe::engine::DefaultAllocator> a;
  ksframe::engine::DefaultAllocator::Options o;
  o.guard_bytes = guards;
  o.mode = ksframe::engine::AllocatorMode::Direct;
  ksframe::engine::DefaultAllocator::create({0x2, 0, frames, kFrame, 3, 0}, o, &a);
  return a;
}

void BM_DefaultAllocator(benchmark::State& state) {
  auto a = default_allocator(state.range(0) != 0, 8);
  ring(
      state, [&] { return a->allocate().frame; }, [&](void* f) { a->free(f); });
  state.SetLabel(state.range(0) ? "guard bytes" : "no guard bytes");
}

void BM_Malloc(benchmark::State& state) {
  ring(
      state, [] { return std::malloc(kFrame); }, [](void* f) { std::free(f); });
}

void BM_UnsynchronizedPool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  ring(
      state, [&] { return pool.allocate(kFrame, 16); },
      [&](void* f) { pool.deallocate(f, kFrame, 16); });
}

void BM_SynchronizedPool(benchmark::State& state) {
  std::pmr::synchronized_pool_resource pool;
  ring(
      state, [&] { return pool.allocate(kFrame, 16); },
      [&](void* f) { pool.deallocate(f, kFrame, 16); });
}

// The floor: preallocated frames on a LIFO list behind a mutex; nothing else.
struct LifoFloor {
  std::mutex m;
  std::vector<void*> free;
  std::vector<void*> all;
  explicit LifoFloor(int n) {
    for (int i = 0; i < n; ++i) all.push_back(std::aligned_alloc(16, kFrame));
    free = all;
  }
  ~LifoFloor() {
    for (void* p : all) std::free(p);
  }
  void* get() {
    std::lock_guard l(m);
    void* p = free.back();
    free.pop_back();
    return p;
  }
  void put(void* p) {
    std::lock_guard l(m);
    free.push_back(p);
  }
};

void BM_MutexLifoFloor(benchmark::State& state) {
  LifoFloor floor(8);
  ring(
      state, [&] { return floor.get(); }, [&](void* f) { floor.put(f); });
}

// Two threads sharing one allocator, each with its own ring of 4 frames.
std::unique_ptr<ksframe::engine::DefaultAllocator> shared_default;
void BM_DefaultAllocatorThreads(benchmark::State& state) {
  if (state.thread_index() == 0) shared_default = default_allocator(false, 16);
  ring(
      state,
      [&] {
        for (;;)
          if (void* f = shared_default->allocate().frame) return f;
      },
      [&](void* f) { shared_default->free(f); });
  if (state.thread_index() == 0) state.counters["threads"] = state.threads();
}

std::pmr::synchronized_pool_resource* shared_pool;
void BM_SynchronizedPoolThreads(benchmark::State& state) {
  if (state.thread_index() == 0) shared_pool = new std::pmr::synchronized_pool_resource;
  ring(
      state, [&] { return shared_pool->allocate(kFrame, 16); },
      [&](void* f) { shared_pool->deallocate(f, kFrame, 16); });
}

#define KSF_BENCH(f) BENCHMARK(f)->Repetitions(5)->ReportAggregatesOnly(true)
KSF_BENCH(BM_DefaultAllocator)->Arg(0)->Arg(1);
KSF_BENCH(BM_Malloc);
KSF_BENCH(BM_UnsynchronizedPool);
KSF_BENCH(BM_SynchronizedPool);
KSF_BENCH(BM_MutexLifoFloor);
KSF_BENCH(BM_DefaultAllocatorThreads)->Threads(1)->Threads(2)->UseRealTime();
KSF_BENCH(BM_SynchronizedPoolThreads)->Threads(1)->Threads(2)->UseRealTime();

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.aggregate_name == "median")
        medians_[r.benchmark_name().substr(0, r.benchmark_name().find("_median"))] =
            r.GetAdjustedRealTime();
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto m = [&](const std::string& k) {
      for (const auto& [name, v] : medians_)
        if (name.rfind(k, 0) == 0) return v;
      return 0.0;
    };
    const double ours = m("BM_DefaultAllocator/0"), guarded = m("BM_DefaultAllocator/1");
    std::printf("\nmedian ns per Allocate+Free (614400-byte frames, 4 outstanding):\n");
    std::printf(
        "  default allocator %.1f (with guard bytes %.1f), malloc %.1f, unsynchronized pool %.1f,\n"
        "  synchronized pool %.1f, mutex LIFO floor %.1f\n",
        ours, guarded, m("BM_Malloc"), m("BM_UnsynchronizedPool"), m("BM_SynchronizedPool"),
        m("BM_MutexLifoFloor"));
    std::printf("ratio: synchronized pool / default allocator = %.2fx (target >= 2)\n",
                m("BM_SynchronizedPool") / ours);
    std::printf("ratio: default allocator / mutex LIFO floor = %.2fx (target <= 3)\n",
                ours / m("BM_MutexLifoFloor"));
    std::printf("ratio: malloc / default allocator = %.2fx\n", m("BM_Malloc") / ours);
    const double t1 = m("BM_DefaultAllocatorThreads/repeats:5/real_time/threads:1"),
                 t2 = m("BM_DefaultAllocatorThreads/repeats:5/real_time/threads:2");
    if (t1 > 0 && t2 > 0)
      std::printf(
          "two threads on one default allocator: %.1f ns per operation vs %.1f on one thread\n", t2,
          t1);
  }

 private:
  std::map<std::string, double> medians_;
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
