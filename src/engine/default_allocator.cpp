// The default allocator on real memory (reference 7.4, 7.5).
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "ksframe/engine.hpp"
#include "platform/platform.hpp"

namespace ksframe::engine {
namespace {

constexpr unsigned char kGuardByte = 0xFD;  // the value debug heaps use for "no man's land"
constexpr std::size_t kTrailingGuard = 16;

std::size_t round_up(std::size_t v, std::size_t to) { return (v + to - 1) / to * to; }

}  // namespace

ks::NTSTATUS DefaultAllocator::create(const ks::KSALLOCATOR_FRAMING& framing,
                                      const Options& options,
                                      std::unique_ptr<DefaultAllocator>* out) {
  const ks::ULONG mask = framing.FileAlignment;
  if (framing.FrameSize == 0 || (framing.OptionsFlags & ~0xFu) || mask > ks::kPageSize - 1 ||
      (mask & (mask + 1)) != 0)
    return ks::status::INVALID_PARAMETER;
  out->reset(new DefaultAllocator(framing, options));
  return ks::status::SUCCESS;
}

DefaultAllocator::DefaultAllocator(const ks::KSALLOCATOR_FRAMING& framing, const Options& options)
    : framing_(framing), options_(options) {
  // Pool blocks are at least 16-byte aligned (MEMORY_ALLOCATION_ALIGNMENT on 64-bit); a stricter
  // mask aligns the block itself, and the leading guard is one alignment unit so the frame
  // stays aligned.
  block_alignment_ = std::max<std::size_t>(alignment(), 16);
  frame_offset_ = options.guard_bytes ? block_alignment_ : 0;
  block_size_ =
      round_up(frame_offset_ + framing.FrameSize + (options.guard_bytes ? kTrailingGuard : 0),
               block_alignment_);
  depth_ = options.lookaside_depth ? options.lookaside_depth : framing.Frames ? framing.Frames : 4;
  free_list_.reserve(depth_);
  blocks_.reserve(framing.Frames ? framing.Frames * 2 : 64);
}

DefaultAllocator::~DefaultAllocator() {
  for (auto& [frame, block] : blocks_) platform::aligned_free(block.memory);
}

void DefaultAllocator::arm_guards(void* frame) const {
  if (!options_.guard_bytes) return;
  auto* f = static_cast<unsigned char*>(frame);
  std::memset(f - frame_offset_, kGuardByte, frame_offset_);
  std::memset(f + framing_.FrameSize, kGuardByte, kTrailingGuard);
}

bool DefaultAllocator::guard_intact(void* frame) const {
  if (!options_.guard_bytes) return true;
  const auto* f = static_cast<const unsigned char*>(frame);
  for (std::size_t i = 1; i <= frame_offset_; ++i)
    if (f[-static_cast<std::ptrdiff_t>(i)] != kGuardByte) return false;
  for (std::size_t i = 0; i < kTrailingGuard; ++i)
    if (f[framing_.FrameSize + i] != kGuardByte) return false;
  return true;
}

std::pair<void*, DefaultAllocator::Block*> DefaultAllocator::new_block() {
  void* memory = platform::aligned_allocate(block_alignment_, block_size_);
  if (!memory) return {nullptr, nullptr};
  void* frame = static_cast<unsigned char*>(memory) + frame_offset_;
  Block* block = &blocks_.emplace(frame, Block{memory, false}).first->second;
  ++counters_.pool_allocations;
  counters_.bytes_committed_peak = std::max<std::uint64_t>(
      counters_.bytes_committed_peak, blocks_.size() * std::uint64_t{framing_.FrameSize});
  return {frame, block};
}

void DefaultAllocator::release_block(void* frame) {
  auto it = blocks_.find(frame);
  platform::aligned_free(it->second.memory);
  blocks_.erase(it);
  ++counters_.pool_releases;
}

void DefaultAllocator::note_outstanding() {
  ++outstanding_;
  ++counters_.allocations;
  counters_.peak_outstanding = std::max<std::uint64_t>(counters_.peak_outstanding, outstanding_);
}

DefaultAllocator::AllocateResult DefaultAllocator::allocate() {
  std::lock_guard lock(mutex_);
  if (framing_.Frames != 0 && outstanding_ >= framing_.Frames) {
    if (options_.mode == AllocatorMode::Direct) {
      ++counters_.immediate_failures;
      return {ks::status::INSUFFICIENT_RESOURCES, nullptr, 0};
    }
    const std::uint64_t id = next_request_++;
    pending_.push_back(id);
    ++counters_.pended;
    counters_.pending_high_water =
        std::max<std::uint64_t>(counters_.pending_high_water, pending_.size());
    return {ks::status::PENDING, nullptr, id};
  }
  std::pair<void*, Block*> entry;
  if (!free_list_.empty()) {
    entry = free_list_.back();  // LIFO: the most recently freed frame is the warmest
    free_list_.pop_back();
    ++counters_.free_list_hits;
  } else {
    entry = new_block();
    if (!entry.first) return {ks::status::INSUFFICIENT_RESOURCES, nullptr, 0};
  }
  void* frame = entry.first;
  if (reinterpret_cast<std::uintptr_t>(frame) & framing_.FileAlignment)
    ++counters_.alignment_violations;
  entry.second->outstanding = true;
  arm_guards(frame);
  note_outstanding();
  return {ks::status::SUCCESS, frame, 0};
}

DefaultAllocator::FreeResult DefaultAllocator::free(void* frame) {
  std::lock_guard lock(mutex_);
  auto it = blocks_.find(frame);
  if (it == blocks_.end()) {
    ++counters_.foreign_frames;
    return {ks::status::INVALID_PARAMETER, std::nullopt, nullptr};
  }
  if (!it->second.outstanding) {
    ++counters_.double_frees;
    return {ks::status::INVALID_PARAMETER, std::nullopt, nullptr};
  }
  if (!guard_intact(frame)) ++counters_.guard_overruns;
  ++counters_.frees;
  --outstanding_;
  if (options_.mode == AllocatorMode::Direct) ++counters_.freeframe_events;
  if (!pending_.empty()) {
    // The oldest waiter gets this very frame, without a trip through the free list.
    const std::uint64_t id = pending_.front();
    pending_.pop_front();
    arm_guards(frame);
    note_outstanding();
    return {ks::status::SUCCESS, id, frame};
  }
  it->second.outstanding = false;
  if (free_list_.size() < depth_)
    free_list_.push_back({frame, &it->second});
  else
    release_block(frame);
  return {};
}

bool DefaultAllocator::cancel(std::uint64_t request) {
  std::lock_guard lock(mutex_);
  auto it = std::find(pending_.begin(), pending_.end(), request);
  if (it == pending_.end()) return false;
  pending_.erase(it);
  return true;
}

KSSTREAMALLOCATOR_STATUS DefaultAllocator::status() const {
  std::lock_guard lock(mutex_);
  return {framing_, static_cast<ks::ULONG>(outstanding_), 0};
}

AllocatorCounters DefaultAllocator::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace ksframe::engine
