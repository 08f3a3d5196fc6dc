// The default allocator's contract (reference 7.2, 7.4, 7.5) on real memory.
#include "ksframe/engine.hpp"

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "helpers.hpp"

using namespace ksframe;
using engine::AllocatorMode;
using engine::DefaultAllocator;

namespace {
std::unique_ptr<DefaultAllocator> make(ks::ULONG frames, ks::ULONG size, ks::ULONG mask = 0,
                                       DefaultAllocator::Options o = {}) {
  std::unique_ptr<DefaultAllocator> a;
  REQUIRE(DefaultAllocator::create({0x2, 0, frames, size, mask, 0}, o, &a) == ks::status::SUCCESS);
  return a;
}
}  // namespace

TEST_SUITE("engine") {
  TEST_CASE("creation refuses what KsCreateDefaultAllocatorEx refuses (ref 5.2)") {
    std::unique_ptr<DefaultAllocator> a;
    CHECK(DefaultAllocator::create({0x2, 0, 4, 0, 0, 0}, {}, &a) == ks::status::INVALID_PARAMETER);
    CHECK(DefaultAllocator::create({0x12, 0, 4, 64, 0, 0}, {}, &a) ==
          ks::status::INVALID_PARAMETER);
    CHECK(DefaultAllocator::create({0x2, 0, 4, 64, 0x1FFF, 0}, {}, &a) ==
          ks::status::INVALID_PARAMETER);
    CHECK(DefaultAllocator::create({0x2, 0, 4, 64, 5, 0}, {}, &a) == ks::status::INVALID_PARAMETER);
    CHECK_FALSE(a);
    CHECK(DefaultAllocator::create({0xF, 1, 4, 64, 0xFFF, 0}, {}, &a) == ks::status::SUCCESS);
    CHECK(a);
  }

  TEST_CASE("every frame is aligned to the mask, for every mask from 0 to 0xFFF") {
    for (ks::ULONG mask = 0; mask <= 0xFFF; mask = mask * 2 + 1) {
      for (bool guards : {false, true}) {
        DefaultAllocator::Options o;
        o.guard_bytes = guards;
        auto a = make(0, 1000 + mask, mask, o);
        std::vector<void*> frames;
        for (int i = 0; i < 6; ++i) {
          auto r = a->allocate();
          REQUIRE(r.status == ks::status::SUCCESS);
          CHECK((reinterpret_cast<std::uintptr_t>(r.frame) & mask) == 0);
          std::memset(r.frame, 0xA5, 1000 + mask);  // real memory, writable end to end
          frames.push_back(r.frame);
        }
        for (void* f : frames) CHECK(a->free(f).status == ks::status::SUCCESS);
        CHECK(a->counters().alignment_violations == 0);
        CHECK(a->counters().guard_overruns == 0);
        if (mask == 0xFFF) break;
      }
    }
  }

  TEST_CASE("IRP mode: the frame cap, then requests pend and are served first in, first out") {
    auto a = make(2, 4096);
    auto f1 = a->allocate(), f2 = a->allocate();
    REQUIRE(f1.status == ks::status::SUCCESS);
    REQUIRE(f2.status == ks::status::SUCCESS);
    auto w1 = a->allocate(), w2 = a->allocate();
    CHECK(w1.status == ks::status::PENDING);
    CHECK(w2.status == ks::status::PENDING);
    CHECK(w1.request != w2.request);
    CHECK(a->status().AllocatedFrames == 2);
    auto done1 = a->free(f2.frame);  // the oldest waiter gets this very frame
    REQUIRE(done1.completed_request);
    CHECK(*done1.completed_request == w1.request);
    CHECK(done1.completed_frame == f2.frame);
    auto done2 = a->free(f1.frame);
    CHECK(*done2.completed_request == w2.request);
    CHECK(a->status().AllocatedFrames == 2);
    auto c = a->counters();
    CHECK(c.allocations == 4);
    CHECK(c.frees == 2);
    CHECK(c.pended == 2);
    CHECK(c.pending_high_water == 2);
    CHECK(c.pool_allocations == 2);  // the waiters never touched the pool
    CHECK(c.peak_outstanding == 2);
  }

  TEST_CASE("a cancelled request is not served") {
    auto a = make(1, 64);
    auto f = a->allocate();
    auto w = a->allocate();
    CHECK(a->cancel(w.request));
    CHECK_FALSE(a->cancel(w.request));
    auto r = a->free(f.frame);
    CHECK_FALSE(r.completed_request);
    CHECK(a->status().AllocatedFrames == 0);
  }

  TEST_CASE("direct mode: AllocateFrame fails at once at the cap, FreeFrame signals FREEFRAME") {
    DefaultAllocator::Options o;
    o.mode = AllocatorMode::Direct;
    auto a = make(1, 256, 0, o);
    auto f = a->allocate();
    REQUIRE(f.status == ks::status::SUCCESS);
    auto fail = a->allocate();
    CHECK(fail.status == ks::status::INSUFFICIENT_RESOURCES);
    CHECK(fail.frame == nullptr);
    CHECK(a->free(f.frame).status == ks::status::SUCCESS);
    auto c = a->counters();
    CHECK(c.immediate_failures == 1);
    CHECK(c.freeframe_events == 1);
    CHECK(c.pended == 0);
    CHECK(a->allocate().status == ks::status::SUCCESS);
  }

  TEST_CASE("lookaside: LIFO reuse up to the depth, then blocks go back to the pool") {
    DefaultAllocator::Options o;
    o.lookaside_depth = 2;
    auto a = make(0, 128, 7, o);  // Frames 0: no cap
    std::vector<void*> frames;
    for (int i = 0; i < 4; ++i) frames.push_back(a->allocate().frame);
    for (void* f : frames) a->free(f);
    auto c = a->counters();
    CHECK(c.pool_allocations == 4);
    CHECK(c.pool_releases == 2);  // only two fit the lookaside list
    CHECK(c.bytes_committed_peak == 4 * 128);
    CHECK(a->allocate().frame == frames[1]);  // the last frame kept is the first reused
    CHECK(a->allocate().frame == frames[0]);
    CHECK(a->counters().free_list_hits == 2);
  }

  TEST_CASE("double frees and foreign frames are refused and counted, never corrupting memory") {
    auto a = make(2, 64);
    auto f = a->allocate();
    CHECK(a->free(f.frame).status == ks::status::SUCCESS);
    CHECK(a->free(f.frame).status == ks::status::INVALID_PARAMETER);
    int local = 0;
    CHECK(a->free(&local).status == ks::status::INVALID_PARAMETER);
    CHECK(a->free(nullptr).status == ks::status::INVALID_PARAMETER);
    auto c = a->counters();
    CHECK(c.double_frees == 1);
    CHECK(c.foreign_frames == 2);
    CHECK(c.frees == 1);
    CHECK(a->status().AllocatedFrames == 0);
  }

  TEST_CASE("guard bytes catch a write past the end of a frame") {
    auto a = make(1, 100);
    auto f = a->allocate();
    static_cast<unsigned char*>(f.frame)[100] = 0;  // one byte past the frame: inside the guard
    CHECK(a->free(f.frame).status == ks::status::SUCCESS);
    CHECK(a->counters().guard_overruns == 1);
    auto again = a->allocate();  // the block is re-armed and reusable
    CHECK(a->free(again.frame).status == ks::status::SUCCESS);
    CHECK(a->counters().guard_overruns == 1);
  }

  TEST_CASE("KSSTREAMALLOCATOR_STATUS: the creation framing and the frames outstanding") {
    auto a = make(3, 614400, 3);
    auto f = a->allocate();
    auto s = a->status();
    CHECK(s.Framing == ks::KSALLOCATOR_FRAMING{0x2, 0, 3, 614400, 3, 0});
    CHECK(s.AllocatedFrames == 1);
    a->free(f.frame);
    CHECK(a->status().AllocatedFrames == 0);
  }

  TEST_CASE("several threads: no frame is handed out twice and the counts balance") {
    DefaultAllocator::Options o;
    o.mode = AllocatorMode::Direct;
    auto a = make(8, 4096, 63, o);
    constexpr int kThreads = 4, kRounds = 20000;
    std::atomic<int> clashes{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kRounds; ++i) {
          auto r = a->allocate();
          if (r.status != ks::status::SUCCESS) continue;  // direct mode: try again
          auto* words = static_cast<int*>(r.frame);
          words[0] = t;
          words[1] = i;
          std::this_thread::yield();
          if (words[0] != t || words[1] != i) ++clashes;  // another thread had the same frame
          a->free(r.frame);
        }
      });
    for (auto& th : threads) th.join();
    const auto c = a->counters();
    CHECK(clashes == 0);
    CHECK(c.allocations == c.frees);
    CHECK(c.allocations + c.immediate_failures == std::uint64_t{kThreads} * kRounds);
    CHECK(c.peak_outstanding <= 8);
    CHECK(c.double_frees == 0);
    CHECK(c.alignment_violations == 0);
    CHECK(a->status().AllocatedFrames == 0);
  }
}
