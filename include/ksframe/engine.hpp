// The reference allocator engine: the default allocator of KsCreateDefaultAllocatorEx on real
// memory (reference 7.2, 7.4, 7.5). Invariants: every frame handed out is aligned to the
// negotiated mask; a frame is outstanding at most once; at most Frames frames are outstanding
// (0: no cap); a pending request is completed in FIFO order by the next free; bad frees are
// counted and refused, never corrupt memory. All members are safe to call from several threads.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ksframe/ks.hpp"

namespace ksframe::engine {

/// IRP interface (KSMETHOD_STREAMALLOCATOR_ALLOC pends at the cap) or the DISPATCH_LEVEL
/// function table (KSPROPERTY_STREAMALLOCATOR_FUNCTIONTABLE: AllocateFrame fails at once).
enum class AllocatorMode { Irp, Direct };

/// KSSTREAMALLOCATOR_STATUS (32 bytes in ks.h).
struct KSSTREAMALLOCATOR_STATUS {
  ks::KSALLOCATOR_FRAMING Framing;
  ks::ULONG AllocatedFrames = 0;  ///< frames outstanding now
  ks::ULONG Reserved = 0;
};

struct AllocatorCounters {
  std::uint64_t allocations = 0;  ///< frames handed out (directly or to a waiter)
  std::uint64_t frees = 0;
  std::uint64_t pool_allocations = 0;  ///< lookaside misses: new blocks from the pool
  std::uint64_t free_list_hits = 0;
  std::uint64_t pool_releases = 0;  ///< blocks given back because the free list was full
  std::uint64_t pended = 0;         ///< IRP requests that had to wait
  std::uint64_t pending_high_water = 0;
  std::uint64_t immediate_failures = 0;  ///< direct mode: AllocateFrame found no frame
  std::uint64_t freeframe_events = 0;    ///< KSEVENT_STREAMALLOCATOR_FREEFRAME signalled
  std::uint64_t alignment_violations = 0;
  std::uint64_t double_frees = 0;
  std::uint64_t foreign_frames = 0;
  std::uint64_t guard_overruns = 0;
  std::uint64_t peak_outstanding = 0;
  std::uint64_t bytes_committed_peak = 0;  ///< pool blocks alive x frame size, at the peak
};

class DefaultAllocator {
 public:
  struct Options {
    AllocatorMode mode = AllocatorMode::Irp;
    /// Lookaside depth: freed frames kept for reuse. 0: Frames, or 4 when Frames is 0 (a
    /// stand-in for the system-managed depth, reference 7.5).
    ks::ULONG lookaside_depth = 0;
    /// Guard bytes around every frame, checked on free (the checked-build behaviour).
    bool guard_bytes = true;
  };

  /// KsCreateDefaultAllocatorEx: refuses what ReactOS refuses (reference 5.2) with
  /// STATUS_INVALID_PARAMETER: FrameSize 0, OptionsFlags bits outside 0xF, FileAlignment above
  /// PAGE_SIZE - 1, and (our rule) an alignment that is not a mask.
  static ks::NTSTATUS create(const ks::KSALLOCATOR_FRAMING& framing, const Options& options,
                             std::unique_ptr<DefaultAllocator>* out);
  ~DefaultAllocator();
  DefaultAllocator(const DefaultAllocator&) = delete;
  DefaultAllocator& operator=(const DefaultAllocator&) = delete;

  struct AllocateResult {
    ks::NTSTATUS status = ks::status::SUCCESS;  ///< SUCCESS, PENDING or INSUFFICIENT_RESOURCES
    void* frame = nullptr;
    std::uint64_t request = 0;  ///< with PENDING: the id the completing free() reports
  };
  /// KSMETHOD_STREAMALLOCATOR_ALLOC. In direct mode this is AllocateFrame.
  AllocateResult allocate();

  struct FreeResult {
    ks::NTSTATUS status = ks::status::SUCCESS;  ///< INVALID_PARAMETER for a double or foreign free
    std::optional<std::uint64_t> completed_request;  ///< the waiter that received the frame
    void* completed_frame = nullptr;
  };
  /// KSMETHOD_STREAMALLOCATOR_FREE (FreeFrame in direct mode): hands the frame straight to the
  /// oldest pending request, else keeps it on the lookaside list, else releases it to the pool.
  FreeResult free(void* frame);

  /// Cancels a pending request (IRP cancellation). False if it is not pending.
  bool cancel(std::uint64_t request);

  KSSTREAMALLOCATOR_STATUS status() const;  ///< KSPROPERTY_STREAMALLOCATOR_STATUS
  AllocatorCounters counters() const;
  const ks::KSALLOCATOR_FRAMING& framing() const { return framing_; }
  std::size_t frame_size() const { return framing_.FrameSize; }
  std::size_t alignment() const { return std::size_t{framing_.FileAlignment} + 1; }

 private:
  DefaultAllocator(const ks::KSALLOCATOR_FRAMING& framing, const Options& options);
  struct Block {
    void* memory;  ///< what the pool returned
    bool outstanding;
  };
  std::pair<void*, Block*> new_block();  // locked
  void release_block(void* frame);       // locked
  bool guard_intact(void* frame) const;
  void arm_guards(void* frame) const;
  void note_outstanding();  // locked

  ks::KSALLOCATOR_FRAMING framing_;
  Options options_;
  std::size_t block_size_ = 0, frame_offset_ = 0, block_alignment_ = 0;
  ks::ULONG depth_ = 0;

  mutable std::mutex mutex_;
  /// LIFO, like a lookaside list. Each entry carries its block (unordered_map nodes do not
  /// move), so allocation needs no lookup; only free() looks the frame up, to refuse strangers.
  std::vector<std::pair<void*, Block*>> free_list_;
  std::unordered_map<void*, Block> blocks_;  ///< every live block, by frame address
  std::deque<std::uint64_t> pending_;        ///< FIFO of waiting requests
  std::uint64_t next_request_ = 1;
  std::size_t outstanding_ = 0;
  AllocatorCounters counters_;
};

}  // namespace ksframe::engine
