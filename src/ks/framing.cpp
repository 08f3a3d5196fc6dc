// Legacy <-> EX conversions (ref 3.10, 8.1, 8.2).
#include "ksframe/ks.hpp"

namespace ksframe::ks {

KSALLOCATOR_FRAMING_EX simple_framing_ex(const Guid& memory_type, ULONG flags, ULONG frames,
                                         ULONG alignment, ULONG min_frame_size,
                                         ULONG max_frame_size) {
  KSALLOCATOR_FRAMING_EX ex;
  ex.CountItems = 1;
  KS_FRAMING_ITEM item;
  item.MemoryType = memory_type;
  item.Flags = flags;
  item.Frames = frames;
  item.FileAlignment = alignment;
  item.PhysicalRange = {0, kUnbounded, 1};  // the macro leaves physical limits "don't care"
  item.FramingRange.Range = {min_frame_size, max_frame_size, 1};  // sizes go to the optimal range
  ex.FramingItem.push_back(item);
  return ex;
}

KSALLOCATOR_FRAMING_EX legacy_to_ex(const KSALLOCATOR_FRAMING& legacy) {
  KSALLOCATOR_FRAMING_EX ex;
  ex.CountItems = 1;
  KS_FRAMING_ITEM item;
  if (legacy.OptionsFlags & flag::SYSTEM_MEMORY)
    item.MemoryType = (legacy.PoolType & 1) ? memtype::KERNEL_PAGED : memtype::KERNEL_NONPAGED;
  else
    item.MemoryType = memtype::DEVICE_UNKNOWN;  // "old KS clients did not specify" (ref 8.1)
  // Bit 0x10 is dropped: in EX Flags it would mean PARTIAL_READ_SUPPORT (ref 8.1 [PROP]).
  item.Flags = legacy.OptionsFlags & 0x8000000Fu;
  item.Frames = legacy.Frames;
  item.FileAlignment = legacy.FileAlignment;
  item.PhysicalRange = {0, kUnbounded, 1};
  item.FramingRange.Range = legacy.FrameSize != 0
                                ? KS_FRAMING_RANGE{legacy.FrameSize, legacy.FrameSize, 1}
                                : KS_FRAMING_RANGE{0, kUnbounded, 1};
  ex.FramingItem.push_back(item);
  return ex;
}

namespace {
ULONG pool_type_for(const Guid& memory_type) {
  return memory_type == memtype::KERNEL_PAGED ? 1u : 0u;  // PagedPool iff KERNEL_PAGED
}
}  // namespace

KSALLOCATOR_FRAMING legacy_query_from_ex(const KSALLOCATOR_FRAMING_EX& ex, std::size_t index) {
  KSALLOCATOR_FRAMING legacy;
  if (index >= ex.FramingItem.size()) return legacy;
  const KS_FRAMING_ITEM& item = ex.FramingItem[index];
  legacy.OptionsFlags = item.Flags & 0x8000000Fu;
  legacy.PoolType = pool_type_for(item.MemoryType);
  legacy.Frames = item.Frames;
  if (item.FramingRange.Range.MaxFrameSize != kUnbounded)
    legacy.FrameSize = item.FramingRange.Range.MaxFrameSize;
  else if (item.PhysicalRange.MaxFrameSize != kUnbounded)
    legacy.FrameSize = item.PhysicalRange.MaxFrameSize;
  legacy.FileAlignment = item.FileAlignment;
  return legacy;
}

std::optional<KSALLOCATOR_FRAMING> pipe_to_legacy(const Guid& memory_type, ULONG frames,
                                                  ULONG frame_size, ULONG alignment_mask,
                                                  bool compatible_copy_allocator) {
  const LogicalMemoryType logical = logical_memory_type(memory_type);
  if (logical == LogicalMemoryType::User) return std::nullopt;
  KSALLOCATOR_FRAMING legacy;
  const bool host_memory =
      logical == LogicalMemoryType::KernelPaged || logical == LogicalMemoryType::KernelNonPaged ||
      logical == LogicalMemoryType::AnyHost || logical == LogicalMemoryType::DontCare;
  legacy.OptionsFlags = host_memory ? flag::OPTIONF_SYSTEM_MEMORY : 0u;
  if (compatible_copy_allocator) legacy.OptionsFlags |= flag::OPTIONF_COMPATIBLE;
  legacy.PoolType = pool_type_for(memory_type);
  legacy.Frames = frames;
  legacy.FrameSize = frame_size;
  legacy.FileAlignment = alignment_mask;
  return legacy;
}

}  // namespace ksframe::ks
