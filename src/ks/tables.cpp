// Name <-> value tables for every ks.h / ksproxy.h / wdm.h constant the tool uses.
// Values are ks.h's; tests/unit/ks_tables_test.cpp pins each one.
#include <cstdio>
#include <iterator>
#include <vector>

#include "ksframe/ks.hpp"

namespace ksframe::ks {
namespace {

constexpr NamedValue kOptionsFlags[] = {
    {"KSALLOCATOR_OPTIONF_COMPATIBLE", 0x1},
    {"KSALLOCATOR_OPTIONF_SYSTEM_MEMORY", 0x2},
};

constexpr NamedValue kRequirementsFlags[] = {
    {"KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER", 0x1},
    {"KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY", 0x2},
    {"KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY", 0x4},
    {"KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE", 0x8},
    {"KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY_CUSTOM_ALLOCATION", 0x10},
    {"KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY", 0x80000000},
};

// Ref 3.6: in KS_FRAMING_ITEM.Flags bit 0x10 is PARTIAL_READ_SUPPORT, not the legacy
// SYSTEM_MEMORY_CUSTOM_ALLOCATION, so this table does not list the latter.
constexpr NamedValue kFramingItemFlags[] = {
    {"KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER", 0x1},
    {"KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY", 0x2},
    {"KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY", 0x4},
    {"KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE", 0x8},
    {"KSALLOCATOR_FLAG_PARTIAL_READ_SUPPORT", 0x10},
    {"KSALLOCATOR_FLAG_DEVICE_SPECIFIC", 0x20},
    {"KSALLOCATOR_FLAG_CAN_ALLOCATE", 0x40},
    {"KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO", 0x80},
    {"KSALLOCATOR_FLAG_NO_FRAME_INTEGRITY", 0x100},
    {"KSALLOCATOR_FLAG_MULTIPLE_OUTPUT", 0x200},
    {"KSALLOCATOR_FLAG_CYCLE", 0x400},
    {"KSALLOCATOR_FLAG_ALLOCATOR_EXISTS", 0x800},
    {"KSALLOCATOR_FLAG_INDEPENDENT_RANGES", 0x1000},
    {"KSALLOCATOR_FLAG_ATTENTION_STEPPING", 0x2000},
    {"KSALLOCATOR_FLAG_ENABLE_CACHED_MDL", 0x4000},
    {"KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED", 0x8000},
    {"KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY", 0x80000000},
};

constexpr NamedValue kPinFlags[] = {
    {"KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING", 0x1},
    {"KSPIN_FLAG_CRITICAL_PROCESSING", 0x2},
    {"KSPIN_FLAG_HYPERCRITICAL_PROCESSING", 0x4},
    {"KSPIN_FLAG_ASYNCHRONOUS_PROCESSING", 0x8},
    {"KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING", 0x10},
    {"KSPIN_FLAG_INITIATE_PROCESSING_ON_EVERY_ARRIVAL", 0x20},
    {"KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING", 0x40},
    {"KSPIN_FLAG_ENFORCE_FIFO", 0x80},
    {"KSPIN_FLAG_GENERATE_MAPPINGS", 0x100},
    {"KSPIN_FLAG_DISTINCT_TRAILING_EDGE", 0x200},
    {"KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY", 0x10000},
    {"KSPIN_FLAG_SPLITTER", 0x20000},
    {"KSPIN_FLAG_USE_STANDARD_TRANSPORT", 0x40000},
    {"KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT", 0x80000},
    {"KSPIN_FLAG_FIXED_FORMAT", 0x100000},
    {"KSPIN_FLAG_GENERATE_EOS_EVENTS", 0x200000},
    {"KSPIN_FLAG_IMPLEMENT_CLOCK", 0x400000},
    {"KSPIN_FLAG_SOME_FRAMES_REQUIRED_FOR_PROCESSING", 0x800000},
    {"KSPIN_FLAG_PROCESS_IF_ANY_IN_RUN_STATE", 0x1000000},
    {"KSPIN_FLAG_DENY_USERMODE_ACCESS", 0x80000000},
    // Composite: PROCESS_IN_RUN_STATE_ONLY | GENERATE_EOS_EVENTS. Accepted as input only.
    {"KSPIN_FLAG_RENDERER", 0x210000},
};

constexpr NamedValue kFilterFlags[] = {
    {"KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING", 0x1},
    {"KSFILTER_FLAG_CRITICAL_PROCESSING", 0x2},
    {"KSFILTER_FLAG_HYPERCRITICAL_PROCESSING", 0x4},
    {"KSFILTER_FLAG_RECEIVE_ZERO_LENGTH_SAMPLES", 0x8},
    {"KSFILTER_FLAG_DENY_USERMODE_ACCESS", 0x80000000},
};

constexpr NamedValue kAllocatorStrategy[] = {
    {"AllocatorStrategy_MinimizeNumberOfFrames", 0x1},
    {"AllocatorStrategy_MinimizeFrameSize", 0x2},
    {"AllocatorStrategy_MinimizeNumberOfAllocators", 0x4},
    {"AllocatorStrategy_MaximizeSpeed", 0x8},
    {"AllocatorStrategy_DontCare", 0x0},
};

constexpr NamedValue kPipeFactors[] = {
    {"PipeFactor_UserModeUpstream", 0x001},
    {"PipeFactor_UserModeDownstream", 0x002},
    {"PipeFactor_MemoryTypes", 0x004},
    {"PipeFactor_Flags", 0x008},
    {"PipeFactor_PhysicalRanges", 0x010},
    {"PipeFactor_OptimalRanges", 0x020},
    {"PipeFactor_FixedCompression", 0x040},
    {"PipeFactor_UnknownCompression", 0x080},
    {"PipeFactor_Buffers", 0x100},
    {"PipeFactor_Align", 0x200},
    {"PipeFactor_PhysicalEnd", 0x400},
    {"PipeFactor_LogicalEnd", 0x800},
    {"PipeFactor_None", 0x000},
};

constexpr NamedValue kDataflow[] = {
    {"KSPIN_DATAFLOW_IN", 1},
    {"KSPIN_DATAFLOW_OUT", 2},
};

constexpr NamedValue kCommunication[] = {
    {"KSPIN_COMMUNICATION_NONE", 0},   {"KSPIN_COMMUNICATION_SINK", 1},
    {"KSPIN_COMMUNICATION_SOURCE", 2}, {"KSPIN_COMMUNICATION_BOTH", 3},
    {"KSPIN_COMMUNICATION_BRIDGE", 4},
};

constexpr NamedValue kPoolTypes[] = {
    {"NonPagedPool", 0},
    {"PagedPool", 1},
    {"NonPagedPoolMustSucceed", 2},
    {"DontUseThisType", 3},
    {"NonPagedPoolCacheAligned", 4},
    {"PagedPoolCacheAligned", 5},
    {"NonPagedPoolCacheAlignedMustS", 6},
    {"MaxPoolType", 7},
    {"NonPagedPoolSession", 32},
    {"PagedPoolSession", 33},
    {"NonPagedPoolMustSucceedSession", 34},
    {"DontUseThisTypeSession", 35},
    {"NonPagedPoolCacheAlignedSession", 36},
    {"PagedPoolCacheAlignedSession", 37},
    {"NonPagedPoolCacheAlignedMustSSession", 38},
    {"NonPagedPoolNx", 512},
    {"NonPagedPoolNxCacheAligned", 516},
    {"NonPagedPoolSessionNx", 544},
    // Aliases (ref 1.3).
    {"NonPagedPoolExecute", 0},
    {"NonPagedPoolBase", 0},
    {"NonPagedPoolBaseMustSucceed", 2},
    {"NonPagedPoolBaseCacheAligned", 4},
    {"NonPagedPoolBaseCacheAlignedMustS", 6},
};

constexpr NamedValue kFileAlignments[] = {
    {"FILE_BYTE_ALIGNMENT", 0x0},      {"FILE_WORD_ALIGNMENT", 0x1},
    {"FILE_LONG_ALIGNMENT", 0x3},      {"FILE_QUAD_ALIGNMENT", 0x7},
    {"FILE_OCTA_ALIGNMENT", 0xF},      {"FILE_32_BYTE_ALIGNMENT", 0x1F},
    {"FILE_64_BYTE_ALIGNMENT", 0x3F},  {"FILE_128_BYTE_ALIGNMENT", 0x7F},
    {"FILE_256_BYTE_ALIGNMENT", 0xFF}, {"FILE_512_BYTE_ALIGNMENT", 0x1FF},
};

constexpr NamedValue kPipeStates[] = {
    {"PipeState_DontCare", 0},   {"PipeState_RangeNotFixed", 1},
    {"PipeState_RangeFixed", 2}, {"PipeState_CompressionUnknown", 3},
    {"PipeState_Finalized", 4},
};

constexpr NamedValue kPipeAllocatorPlaces[] = {
    {"Pipe_Allocator_None", 0},
    {"Pipe_Allocator_FirstPin", 1},
    {"Pipe_Allocator_LastPin", 2},
    {"Pipe_Allocator_MiddlePin", 3},
};

constexpr NamedValue kLogicalMemoryTypes[] = {
    {"KS_MemoryTypeDontCare", 0},       {"KS_MemoryTypeKernelPaged", 1},
    {"KS_MemoryTypeKernelNonPaged", 2}, {"KS_MemoryTypeDeviceHostMapped", 3},
    {"KS_MemoryTypeDeviceSpecific", 4}, {"KS_MemoryTypeUser", 5},
    {"KS_MemoryTypeAnyHost", 6},
};

constexpr NamedValue kAllocatorModes[] = {
    {"KsAllocatorMode_User", 0},
    {"KsAllocatorMode_Kernel", 1},
};

constexpr NamedValue kNtStatus[] = {
    {"STATUS_SUCCESS", 0x00000000},
    {"STATUS_PENDING", 0x00000103},
    {"STATUS_BUFFER_OVERFLOW", 0x80000005},
    {"STATUS_UNSUCCESSFUL", 0xC0000001},
    {"STATUS_NOT_IMPLEMENTED", 0xC0000002},
    {"STATUS_INVALID_PARAMETER", 0xC000000D},
    {"STATUS_INVALID_DEVICE_REQUEST", 0xC0000010},
    {"STATUS_NO_MEMORY", 0xC0000017},
    {"STATUS_BUFFER_TOO_SMALL", 0xC0000023},
    {"STATUS_INSUFFICIENT_RESOURCES", 0xC000009A},
    {"STATUS_NOT_SUPPORTED", 0xC00000BB},
    {"STATUS_NOT_FOUND", 0xC0000225},
};

bool single_bit(ULONG v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

Table options_flags() { return kOptionsFlags; }
Table requirements_flags() { return kRequirementsFlags; }
Table framing_item_flags() { return kFramingItemFlags; }
Table pin_flags() { return kPinFlags; }
Table filter_flags() { return kFilterFlags; }
Table allocator_strategy() { return kAllocatorStrategy; }
Table allocator_strategy_names() {
  // The full names, then the same without the prefix: "MinimizeFrameSize" is accepted too.
  static const std::vector<NamedValue> table = [] {
    std::vector<NamedValue> t(std::begin(kAllocatorStrategy), std::end(kAllocatorStrategy));
    for (const auto& row : kAllocatorStrategy)
      t.push_back({row.name.substr(std::string_view("AllocatorStrategy_").size()), row.value});
    return t;
  }();
  return table;
}
Table pipe_factors() { return kPipeFactors; }
Table dataflow() { return kDataflow; }
Table communication() { return kCommunication; }
Table pool_types() { return kPoolTypes; }
Table file_alignments() { return kFileAlignments; }
Table pipe_states() { return kPipeStates; }
Table pipe_allocator_places() { return kPipeAllocatorPlaces; }
Table logical_memory_types() { return kLogicalMemoryTypes; }
Table allocator_modes() { return kAllocatorModes; }
Table ntstatus_values() { return kNtStatus; }

std::optional<ULONG> lookup(Table table, std::string_view name) {
  for (const auto& row : table)
    if (row.name == name) return row.value;
  return std::nullopt;
}

std::optional<std::string_view> name_of(Table table, ULONG value) {
  for (const auto& row : table)
    if (row.value == value) return row.name;
  return std::nullopt;
}

std::string flags_spec_text(Table table, ULONG value) {
  const auto names = flag_names(table, value);
  for (const auto& n : names)
    if (n.starts_with("0x")) return hex32(value);
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

std::string maximum_spec_text(ULONG value) {
  return value == kUnbounded ? "unbounded" : std::to_string(value);
}

std::vector<std::string> flag_names(Table table, ULONG value) {
  std::vector<std::string> names;
  for (int bit = 0; bit < 32; ++bit) {
    const ULONG mask = 1u << bit;
    if ((value & mask) == 0) continue;
    bool found = false;
    for (const auto& row : table) {
      if (row.value == mask) {
        names.emplace_back(row.name);
        found = true;
        break;
      }
    }
    if (!found) names.push_back(hex32(mask));
  }
  return names;
}

ULONG known_bits(Table table) {
  ULONG bits = 0;
  for (const auto& row : table)
    if (single_bit(row.value)) bits |= row.value;
  return bits;
}

std::string hex32(ULONG value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", value);
  return buf;
}

}  // namespace ksframe::ks
