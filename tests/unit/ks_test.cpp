// The ks.h model against ks.h's values: every constant of section 10, the
// sizes and byte layouts, and the conversions of sections 3.10 and 8.
#include "ksframe/ks.hpp"

#include <doctest/doctest.h>

using namespace ksframe::ks;

namespace {
ULONG v(Table t, const char* name) {
  auto x = lookup(t, name);
  REQUIRE_MESSAGE(x.has_value(), name);
  return *x;
}
std::uint32_t u32_at(const std::vector<std::uint8_t>& b, std::size_t off) {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (std::uint32_t{b[off + 3]} << 24);
}
}  // namespace

TEST_SUITE("ks") {
  TEST_CASE("option and requirement flags have the ks.h values (ref 2.2, 2.3)") {
    CHECK(v(options_flags(), "KSALLOCATOR_OPTIONF_COMPATIBLE") == 0x1);
    CHECK(v(options_flags(), "KSALLOCATOR_OPTIONF_SYSTEM_MEMORY") == 0x2);
    CHECK(known_bits(options_flags()) == flag::OPTIONF_VALID);
    CHECK(v(requirements_flags(), "KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER") == 0x1);
    CHECK(v(requirements_flags(), "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY") == 0x2);
    CHECK(v(requirements_flags(), "KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY") == 0x4);
    CHECK(v(requirements_flags(), "KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE") == 0x8);
    CHECK(v(requirements_flags(), "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY_CUSTOM_ALLOCATION") ==
          0x10);
    CHECK(v(requirements_flags(), "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY") == 0x80000000);
    CHECK(known_bits(requirements_flags()) == flag::REQUIREMENTS_KNOWN_MASK);
  }

  TEST_CASE("KS_FRAMING_ITEM.Flags bit map is complete (ref 3.6)") {
    const std::pair<const char*, ULONG> expected[] = {
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
        {"KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED", 0x8000}};
    for (const auto& e : expected)
      CHECK_MESSAGE(v(framing_item_flags(), e.first) == e.second, e.first);
    CHECK(known_bits(framing_item_flags()) == flag::EX_KNOWN_MASK);
    // Bit 0x10 is PARTIAL_READ_SUPPORT in EX, never the legacy custom-allocation bit.
    CHECK(flag_names(framing_item_flags(), 0x10) ==
          std::vector<std::string>{"KSALLOCATOR_FLAG_PARTIAL_READ_SUPPORT"});
  }

  TEST_CASE("KSPIN_FLAG values (ref 4.4, 10)") {
    const std::pair<const char*, ULONG> expected[] = {
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
        {"KSPIN_FLAG_RENDERER", 0x210000},
        {"KSPIN_FLAG_IMPLEMENT_CLOCK", 0x400000},
        {"KSPIN_FLAG_SOME_FRAMES_REQUIRED_FOR_PROCESSING", 0x800000},
        {"KSPIN_FLAG_PROCESS_IF_ANY_IN_RUN_STATE", 0x1000000},
        {"KSPIN_FLAG_DENY_USERMODE_ACCESS", 0x80000000}};
    for (const auto& e : expected) CHECK_MESSAGE(v(pin_flags(), e.first) == e.second, e.first);
    // The composite RENDERER never describes a value: its two bits are named.
    CHECK(flag_names(pin_flags(), 0x210000) ==
          std::vector<std::string>{"KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY",
                                   "KSPIN_FLAG_GENERATE_EOS_EVENTS"});
    CHECK(v(filter_flags(), "KSFILTER_FLAG_RECEIVE_ZERO_LENGTH_SAMPLES") == 0x8);
  }

  TEST_CASE("enumerations (ref 1.3, 1.4, 4.1, 6.2)") {
    CHECK(v(dataflow(), "KSPIN_DATAFLOW_IN") == 1);
    CHECK(v(dataflow(), "KSPIN_DATAFLOW_OUT") == 2);
    CHECK(v(communication(), "KSPIN_COMMUNICATION_BRIDGE") == 4);
    CHECK(v(pool_types(), "PagedPool") == 1);
    CHECK(v(pool_types(), "NonPagedPoolNxCacheAligned") == 516);
    CHECK(v(pool_types(), "NonPagedPoolSessionNx") == 544);
    CHECK(v(pool_types(), "NonPagedPoolBaseCacheAlignedMustS") == 6);
    CHECK(*name_of(pool_types(), 0) == "NonPagedPool");  // the primary name, not an alias
    CHECK(v(file_alignments(), "FILE_512_BYTE_ALIGNMENT") == 0x1FF);
    CHECK(v(file_alignments(), "FILE_LONG_ALIGNMENT") == 3);
    CHECK(v(allocator_strategy(), "AllocatorStrategy_MinimizeNumberOfAllocators") == 0x4);
    CHECK(v(pipe_factors(), "PipeFactor_LogicalEnd") == 0x800);
    CHECK(v(pipe_factors(), "PipeFactor_UnknownCompression") == 0x80);
    CHECK(v(pipe_states(), "PipeState_Finalized") == 4);
    CHECK(v(pipe_allocator_places(), "Pipe_Allocator_MiddlePin") == 3);
    CHECK(v(logical_memory_types(), "KS_MemoryTypeAnyHost") == 6);
    CHECK(v(allocator_modes(), "KsAllocatorMode_Kernel") == 1);
    CHECK(v(ntstatus_values(), "STATUS_BUFFER_OVERFLOW") == 0x80000005);
    CHECK(v(ntstatus_values(), "STATUS_BUFFER_TOO_SMALL") == 0xC0000023);
    CHECK(v(ntstatus_values(), "STATUS_NOT_FOUND") == 0xC0000225);
    CHECK(v(ntstatus_values(), "STATUS_PENDING") == 0x103);
  }

  TEST_CASE("flag_names keeps unknown bits as hex") {
    CHECK(flag_names(requirements_flags(), 0x80000102) ==
          std::vector<std::string>{"KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY", "0x00000100",
                                   "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY"});
    CHECK(hex32(0x42) == "0x00000042");
  }

  TEST_CASE("GUIDs parse, print lowercase and have names (ref 3.7, 3.8)") {
    auto g = Guid::parse("{4A6D5FC4-7895-11D1-B069-00A0C9062802}");
    REQUIRE(g);
    CHECK(g->to_string() == "4a6d5fc4-7895-11d1-b069-00a0c9062802");
    CHECK(*g == memtype::KERNEL_NONPAGED);
    CHECK(*name_of_guid(*g, GuidKind::Memory) == "KSMEMORY_TYPE_KERNEL_NONPAGED");
    CHECK(*name_of_guid(Guid{}, GuidKind::Bus) == "GUID_NULL");
    CHECK(*guid_by_name("KS_TYPE_DONT_CARE") == Guid{});
    CHECK(*guid_by_name("KSMEMORY_TYPE_WILDCARD") == Guid{});
    CHECK(guid_by_name("GUID_BUS_TYPE_USB")->to_string() == "9d7debbc-c85d-11d1-9eb4-006008c3a19a");
    CHECK(guid_by_name("GUID_61883_CLASS")->to_string() == "7ebefbc0-3200-11d2-b4c2-00a0c9697d07");
    CHECK(guid_by_name("IID_IKsAllocatorEx")->to_string() ==
          "091bb63a-603f-11d1-b067-00a0c9062802");
    CHECK(memtype::KERNEL_PAGED.to_string() == "d833f8f8-7894-11d1-b069-00a0c9062802");
    CHECK(memtype::USER.to_string() == "8cb0fc28-7893-11d1-b069-00a0c9062802");
    CHECK(memtype::SYSTEM.to_string() == "091bb638-603f-11d1-b067-00a0c9062802");
    CHECK(memtype::DEVICE_UNKNOWN.to_string() == "091bb639-603f-11d1-b067-00a0c9062802");
    CHECK_FALSE(Guid::parse("4a6d5fc4-7895-11d1-b069-00a0c906280"));
    CHECK_FALSE(Guid::parse("4a6d5fc4+7895-11d1-b069-00a0c9062802"));
    CHECK_FALSE(Guid::parse("{4a6d5fc4-7895-11d1-b069-00a0c9062802"));
    CHECK_FALSE(Guid::parse("zz6d5fc4-7895-11d1-b069-00a0c9062802"));
  }

  TEST_CASE("logical memory type of each GUID (ref 6.4.3, 8.3)") {
    CHECK(logical_memory_type(Guid{}) == LogicalMemoryType::DontCare);
    CHECK(logical_memory_type(memtype::KERNEL_PAGED) == LogicalMemoryType::KernelPaged);
    CHECK(logical_memory_type(memtype::KERNEL_NONPAGED) == LogicalMemoryType::KernelNonPaged);
    CHECK(logical_memory_type(memtype::DEVICE_UNKNOWN) == LogicalMemoryType::DeviceHostMapped);
    CHECK(logical_memory_type(memtype::USER) == LogicalMemoryType::User);
    CHECK(logical_memory_type(memtype::SYSTEM) == LogicalMemoryType::AnyHost);
    CHECK(logical_memory_type(*Guid::parse("6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33")) ==
          LogicalMemoryType::DeviceSpecific);
  }

  TEST_CASE("structure sizes (ref 1.1, 10)") {
    CHECK(kSizeofFraming == 24);
    CHECK(kSizeofFramingRange == 12);
    CHECK(kSizeofFramingRangeWeighted == 20);
    CHECK(kSizeofCompression == 12);
    CHECK(kSizeofFramingItem == 88);
    CHECK(sizeof_framing_ex(1) == 112);
    CHECK(sizeof_framing_ex(3) == 288);
    CHECK(sizeof_framing_ex(0xFFFFFFFFull) == 24 + 88ull * 0xFFFFFFFFull);  // no wrap
    CHECK(kSizeofStreamAllocatorStatus == 32);
  }

  TEST_CASE("DECLARE_SIMPLE_FRAMING_EX expands as the macro does (ref 3.10)") {
    auto ex = simple_framing_ex(memtype::KERNEL_NONPAGED, 0x80000002, 2, 0, 8192, 8192);
    CHECK(ex.CountItems == 1);
    CHECK(ex.PinFlags == 0);
    CHECK(ex.OutputCompression == KS_COMPRESSION{1, 1, 0});
    CHECK(ex.PinWeight == 0);
    REQUIRE(ex.FramingItem.size() == 1);
    const auto& it = ex.FramingItem[0];
    CHECK(it.MemoryType == memtype::KERNEL_NONPAGED);
    CHECK(it.BusType == Guid{});
    CHECK(it.MemoryFlags == 0);
    CHECK(it.BusFlags == 0);
    CHECK(it.Flags == 0x80000002);
    CHECK(it.Frames == 2);
    CHECK(it.FileAlignment == 0);
    CHECK(it.MemoryTypeWeight == 0);
    CHECK(it.PhysicalRange == KS_FRAMING_RANGE{0, 0xFFFFFFFF, 1});
    CHECK(it.FramingRange.Range == KS_FRAMING_RANGE{8192, 8192, 1});
    CHECK(it.FramingRange.InPlaceWeight == 0);
    CHECK(it.FramingRange.NotInPlaceWeight == 0);
  }

  TEST_CASE("legacy -> EX: the AC97 example of ref 8.1") {
    KSALLOCATOR_FRAMING legacy{0x80000002, 0, 8, 1920, 3, 0};
    auto ex = legacy_to_ex(legacy);
    REQUIRE(ex.FramingItem.size() == 1);
    const auto& it = ex.FramingItem[0];
    CHECK(it.MemoryType == memtype::KERNEL_NONPAGED);
    CHECK(it.BusType == Guid{});
    CHECK(it.Flags == 0x80000002);
    CHECK(it.Frames == 8);
    CHECK(it.FileAlignment == 3);
    CHECK(it.PhysicalRange == KS_FRAMING_RANGE{0, 0xFFFFFFFF, 1});
    CHECK(it.FramingRange.Range == KS_FRAMING_RANGE{1920, 1920, 1});
  }

  TEST_CASE("legacy -> EX: paged pool, device memory, no size, bit 0x10 dropped") {
    CHECK(legacy_to_ex({0x2, 1, 0, 0, 0, 0}).FramingItem[0].MemoryType == memtype::KERNEL_PAGED);
    CHECK(legacy_to_ex({0x2, 5, 0, 0, 0, 0}).FramingItem[0].MemoryType == memtype::KERNEL_PAGED);
    CHECK(legacy_to_ex({0x0, 0, 0, 0, 0, 0}).FramingItem[0].MemoryType == memtype::DEVICE_UNKNOWN);
    CHECK(legacy_to_ex({0x0, 0, 0, 0, 0, 0}).FramingItem[0].FramingRange.Range ==
          KS_FRAMING_RANGE{0, 0xFFFFFFFF, 1});
    CHECK(legacy_to_ex({0x1A, 0, 0, 0, 0, 0}).FramingItem[0].Flags == 0xA);
  }

  TEST_CASE("legacy query answered from an EX pin (ref 8.2)") {
    auto ex = simple_framing_ex(memtype::KERNEL_PAGED, 0x80000012, 3, 7, 100, 4096);
    auto legacy = legacy_query_from_ex(ex);
    CHECK(legacy == KSALLOCATOR_FRAMING{0x80000002, 1, 3, 4096, 7, 0});
    ex.FramingItem[0].FramingRange.Range.MaxFrameSize = kUnbounded;
    ex.FramingItem[0].PhysicalRange.MaxFrameSize = 2048;
    CHECK(legacy_query_from_ex(ex).FrameSize == 2048);
    ex.FramingItem[0].PhysicalRange.MaxFrameSize = kUnbounded;
    CHECK(legacy_query_from_ex(ex).FrameSize == 0);
  }

  TEST_CASE("pipe -> legacy framing for the allocator (ref 8.2, example A of 6.5)") {
    auto a = pipe_to_legacy(memtype::KERNEL_NONPAGED, 4, 614400, 3, false);
    REQUIRE(a);
    CHECK(*a == KSALLOCATOR_FRAMING{0x2, 0, 4, 614400, 3, 0});
    CHECK(pipe_to_legacy(memtype::KERNEL_PAGED, 2, 100, 0, false)->PoolType == 1);
    CHECK(pipe_to_legacy(memtype::SYSTEM, 2, 100, 0, false)->OptionsFlags == 0x2);
    CHECK(pipe_to_legacy(memtype::DEVICE_UNKNOWN, 2, 100, 0, false)->OptionsFlags == 0);
    CHECK(pipe_to_legacy(memtype::KERNEL_NONPAGED, 2, 100, 0, true)->OptionsFlags == 0x3);
    CHECK_FALSE(pipe_to_legacy(memtype::USER, 2, 100, 0, false));
  }

  TEST_CASE("KSALLOCATOR_FRAMING byte layout") {
    auto b = encode(KSALLOCATOR_FRAMING{0x80000002, 1, 8, 1920, 3, 0});
    std::vector<std::uint8_t> bytes(b.begin(), b.end());
    CHECK(bytes.size() == 24);
    CHECK(u32_at(bytes, 0) == 0x80000002);
    CHECK(u32_at(bytes, 4) == 1);
    CHECK(u32_at(bytes, 8) == 8);
    CHECK(u32_at(bytes, 12) == 1920);
    CHECK(u32_at(bytes, 16) == 3);
    CHECK(u32_at(bytes, 20) == 0);
    CHECK(bytes[0] == 0x02);  // little endian
    auto back = decode_framing(bytes);
    REQUIRE(back);
    CHECK(*back.value == KSALLOCATOR_FRAMING{0x80000002, 1, 8, 1920, 3, 0});
    auto shorter = decode_framing(std::span(bytes).first(23));
    CHECK_FALSE(shorter);
    CHECK(shorter.error->status == status::BUFFER_TOO_SMALL);
    CHECK(shorter.error->needed == 24);
  }

  TEST_CASE("KSALLOCATOR_FRAMING_EX byte layout: field offsets of ref 3.4, 3.5") {
    auto ex = simple_framing_ex(memtype::KERNEL_NONPAGED, 0x80000002, 2, 7, 614400, 921600);
    ex.OutputCompression = {3, 1, 16};
    ex.FramingItem[0].BusType = *guid_by_name("GUID_BUS_TYPE_PCI");
    ex.FramingItem[0].MemoryFlags = 8;
    ex.FramingItem[0].MemoryTypeWeight = 9;
    ex.FramingItem[0].FramingRange.InPlaceWeight = 5;
    ex.FramingItem[0].FramingRange.NotInPlaceWeight = 6;
    auto bytes = encode(ex);
    REQUIRE(bytes.size() == 112);
    CHECK(u32_at(bytes, 0) == 1);    // CountItems
    CHECK(u32_at(bytes, 8) == 3);    // OutputCompression.RatioNumerator
    CHECK(u32_at(bytes, 16) == 16);  // RatioConstantMargin
    const std::size_t item = 24;
    CHECK(u32_at(bytes, item + 0) == 0x4a6d5fc4);   // MemoryType.Data1
    CHECK(bytes[item + 4] == 0x95);                 // Data2 = 0x7895, little endian
    CHECK(bytes[item + 8] == 0xb0);                 // Data4[0]
    CHECK(u32_at(bytes, item + 16) == 0xc8ebdfb0);  // BusType.Data1
    CHECK(u32_at(bytes, item + 32) == 8);           // MemoryFlags
    CHECK(u32_at(bytes, item + 40) == 0x80000002);  // Flags
    CHECK(u32_at(bytes, item + 44) == 2);           // Frames
    CHECK(u32_at(bytes, item + 48) == 7);           // FileAlignment
    CHECK(u32_at(bytes, item + 52) == 9);           // MemoryTypeWeight
    CHECK(u32_at(bytes, item + 60) == 0xFFFFFFFF);  // PhysicalRange.MaxFrameSize
    CHECK(u32_at(bytes, item + 68) == 614400);      // FramingRange.Range.MinFrameSize
    CHECK(u32_at(bytes, item + 72) == 921600);      // FramingRange.Range.MaxFrameSize
    CHECK(u32_at(bytes, item + 80) == 5);           // InPlaceWeight
    CHECK(u32_at(bytes, item + 84) == 6);           // NotInPlaceWeight
    auto back = decode_framing_ex(bytes);
    REQUIRE(back);
    CHECK(*back.value == ex);
  }

  TEST_CASE("decode_framing_ex refuses a buffer shorter than CountItems says") {
    auto ex = simple_framing_ex(memtype::KERNEL_NONPAGED, 0, 2, 0, 1, 1);
    ex.FramingItem.push_back(ex.FramingItem[0]);
    ex.CountItems = 2;
    auto bytes = encode(ex);
    REQUIRE(bytes.size() == 200);
    auto cut = decode_framing_ex(std::span(bytes).first(199));
    REQUIRE_FALSE(cut);
    CHECK(cut.error->status == status::BUFFER_TOO_SMALL);
    CHECK(cut.error->needed == 200);
    CHECK(cut.error->message ==
          "CountItems is 2, which needs 200 bytes (24 + 88 x 2), but the buffer has 199");
    auto header_only = decode_framing_ex(std::span(bytes).first(23));
    CHECK(header_only.error->needed == 24);
    // A hostile CountItems: the size check fires first and nothing is allocated.
    bytes[0] = bytes[1] = bytes[2] = bytes[3] = 0xFF;
    auto hostile = decode_framing_ex(bytes);
    REQUIRE_FALSE(hostile);
    CHECK(hostile.error->needed == 24 + 88ull * 0xFFFFFFFFull);
    // Enough bytes but more items than the bound.
    std::vector<std::uint8_t> many(24 + 88 * 65, 0);
    many[0] = 65;
    auto over = decode_framing_ex(many);
    REQUIRE_FALSE(over);
    CHECK(over.error->status == status::INVALID_PARAMETER);
    CHECK(decode_framing_ex(many, 65));
  }
}
