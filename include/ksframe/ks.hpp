// The ks.h model: constants, GUIDs, framing structures, legacy <-> EX conversion and the exact
// ks.h byte layout. Pure: no I/O, no YAML, no JSON. Every value here is pinned by a test against
// Windows headers and documentation (docs/algorithm.md names the pages).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ksframe::ks {

using ULONG = std::uint32_t;
using NTSTATUS = std::uint32_t;

/// (ULONG)-1: "no limit" in ranges, KSINSTANCE_INDETERMINATE in instance counts (ref 1.1).
inline constexpr ULONG kUnbounded = 0xFFFFFFFFu;
inline constexpr ULONG kPageSize = 0x1000;

/// One row of a name <-> value table, spelled exactly as in ks.h / ksproxy.h / wdm.h.
struct NamedValue {
  std::string_view name;
  ULONG value;
};
using Table = std::span<const NamedValue>;

// Flag tables (bit sets). Ref 2.2, 2.3, 3.6, 4.4, 6.2.
Table options_flags();       ///< KSALLOCATOR_OPTIONF_* (legacy, create)
Table requirements_flags();  ///< KSALLOCATOR_REQUIREMENTF_* (legacy, query)
Table framing_item_flags();  ///< KS_FRAMING_ITEM.Flags: REQUIREMENTF_* and KSALLOCATOR_FLAG_*
Table pin_flags();           ///< KSPIN_FLAG_* (KSPIN_FLAG_RENDERER is a composite, see below)
Table filter_flags();        ///< KSFILTER_FLAG_*
Table allocator_strategy();  ///< AllocatorStrategy_*
/// AllocatorStrategy_* and the same names without the prefix, as the spec and --strategy take them.
Table allocator_strategy_names();
Table pipe_factors();  ///< PipeFactor_*
// Enumerations (one value each). Ref 1.2, 1.3, 1.4, 4.1, 6.2.
Table dataflow();               ///< KSPIN_DATAFLOW_*
Table communication();          ///< KSPIN_COMMUNICATION_*
Table pool_types();             ///< POOL_TYPE (aliases listed after the primary name)
Table file_alignments();        ///< FILE_*_ALIGNMENT masks
Table pipe_states();            ///< PipeState_*
Table pipe_allocator_places();  ///< Pipe_Allocator_*
Table logical_memory_types();   ///< KS_MemoryType*
Table allocator_modes();        ///< KsAllocatorMode_*
Table ntstatus_values();        ///< NTSTATUS values that appear in allocator paths

/// Looks a name up (exact spelling). Returns nullopt when the table has no such name.
std::optional<ULONG> lookup(Table table, std::string_view name);
/// First name with this value (the primary spelling), or nullopt.
std::optional<std::string_view> name_of(Table table, ULONG value);
/// Names of the single bits set in `value`, sorted by bit; bits the table does not know are
/// returned as "0x%08x" strings so nothing is silently lost. Composite table entries (more than
/// one bit, e.g. KSPIN_FLAG_RENDERER) are never used to describe a value.
std::vector<std::string> flag_names(Table table, ULONG value);
/// Flags as a spec writes them: "[NAME, NAME]", or the hex value when a bit has no name (the
/// integer keeps every bit, where a list would need a "0x..." entry a spec does not take).
std::string flags_spec_text(Table table, ULONG value);
/// A maximum as a spec writes it: "unbounded" for 0xFFFFFFFF, else the number.
std::string maximum_spec_text(ULONG value);
/// OR of every single-bit entry of the table.
ULONG known_bits(Table table);
/// "0x%08x".
std::string hex32(ULONG value);

// Selected constants as named C++ values, for code that tests bits (ref 10).
namespace flag {
inline constexpr ULONG OPTIONF_COMPATIBLE = 0x1, OPTIONF_SYSTEM_MEMORY = 0x2, OPTIONF_VALID = 0x3;
inline constexpr ULONG INPLACE_MODIFIER = 0x1, SYSTEM_MEMORY = 0x2, FRAME_INTEGRITY = 0x4,
                       MUST_ALLOCATE = 0x8, SYSTEM_MEMORY_CUSTOM_ALLOCATION = 0x10,
                       PREFERENCES_ONLY = 0x80000000;
inline constexpr ULONG PARTIAL_READ_SUPPORT = 0x10, DEVICE_SPECIFIC = 0x20, CAN_ALLOCATE = 0x40,
                       INSIST_ON_FRAMESIZE_RATIO = 0x80, NO_FRAME_INTEGRITY = 0x100,
                       MULTIPLE_OUTPUT = 0x200, CYCLE = 0x400, ALLOCATOR_EXISTS = 0x800,
                       INDEPENDENT_RANGES = 0x1000, ATTENTION_STEPPING = 0x2000,
                       ENABLE_CACHED_MDL = 0x4000, BUFFER_2D_REQUIRED = 0x8000;
/// Bits the tool knows in KS_FRAMING_ITEM.Flags (ref 3.6 [PROP]).
inline constexpr ULONG EX_KNOWN_MASK = 0x8000FFFF;
/// Bits the graph manager computes for a pipe; a pin should not declare them (ref 5.3).
inline constexpr ULONG PIPE_COMPUTED_MASK = 0x100 | 0x200 | 0x400 | 0x800 | 0x2000;
/// Legacy RequirementsFlags bits known in query form (ref 5.3 V-FLAGS-UNKNOWN).
inline constexpr ULONG REQUIREMENTS_KNOWN_MASK = 0x8000001F;
}  // namespace flag

namespace pinflag {
inline constexpr ULONG DISPATCH_LEVEL_PROCESSING = 0x1, CRITICAL_PROCESSING = 0x2,
                       HYPERCRITICAL_PROCESSING = 0x4, ASYNCHRONOUS_PROCESSING = 0x8,
                       DO_NOT_INITIATE_PROCESSING = 0x10,
                       INITIATE_PROCESSING_ON_EVERY_ARRIVAL = 0x20,
                       FRAMES_NOT_REQUIRED_FOR_PROCESSING = 0x40, ENFORCE_FIFO = 0x80,
                       GENERATE_MAPPINGS = 0x100, DISTINCT_TRAILING_EDGE = 0x200,
                       PROCESS_IN_RUN_STATE_ONLY = 0x10000, SPLITTER = 0x20000,
                       USE_STANDARD_TRANSPORT = 0x40000, DO_NOT_USE_STANDARD_TRANSPORT = 0x80000,
                       FIXED_FORMAT = 0x100000, GENERATE_EOS_EVENTS = 0x200000, RENDERER = 0x210000,
                       IMPLEMENT_CLOCK = 0x400000, SOME_FRAMES_REQUIRED_FOR_PROCESSING = 0x800000,
                       PROCESS_IF_ANY_IN_RUN_STATE = 0x1000000, DENY_USERMODE_ACCESS = 0x80000000;
}  // namespace pinflag

namespace filterflag {
inline constexpr ULONG DISPATCH_LEVEL_PROCESSING = 0x1, CRITICAL_PROCESSING = 0x2,
                       HYPERCRITICAL_PROCESSING = 0x4, RECEIVE_ZERO_LENGTH_SAMPLES = 0x8,
                       DENY_USERMODE_ACCESS = 0x80000000;
}  // namespace filterflag

enum class Dataflow : ULONG { In = 1, Out = 2 };
enum class Communication : ULONG { None = 0, Sink = 1, Source = 2, Both = 3, Bridge = 4 };

namespace status {
inline constexpr NTSTATUS SUCCESS = 0x00000000, PENDING = 0x00000103, BUFFER_OVERFLOW = 0x80000005,
                          UNSUCCESSFUL = 0xC0000001, NOT_IMPLEMENTED = 0xC0000002,
                          INVALID_PARAMETER = 0xC000000D, INVALID_DEVICE_REQUEST = 0xC0000010,
                          NO_MEMORY = 0xC0000017, BUFFER_TOO_SMALL = 0xC0000023,
                          INSUFFICIENT_RESOURCES = 0xC000009A, NOT_SUPPORTED = 0xC00000BB,
                          NOT_FOUND = 0xC0000225;
}  // namespace status

// ---------------------------------------------------------------------------------------------
// GUIDs (ref 1.1, 3.7 - 3.9)

/// A GUID as ks.h lays it out: Data1 ULONG, Data2/Data3 USHORT, Data4[8].
struct Guid {
  std::uint32_t data1 = 0;
  std::uint16_t data2 = 0, data3 = 0;
  std::array<std::uint8_t, 8> data4{};
  friend bool operator==(const Guid&, const Guid&) = default;
  bool is_null() const { return *this == Guid{}; }
  /// Lowercase "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
  std::string to_string() const;
  /// Accepts the 36-character form with or without braces, any case.
  static std::optional<Guid> parse(std::string_view text);
};

enum class GuidKind { Memory, Bus, Other };
struct NamedGuid {
  std::string_view name;
  std::string_view text;
  GuidKind kind;
};
/// Every GUID the tool knows by name. Aliases (KSMEMORY_TYPE_WILDCARD, ...) come after the
/// primary name, so name_of_guid() returns the primary spelling.
std::span<const NamedGuid> named_guids();
std::optional<Guid> guid_by_name(std::string_view name);
/// Primary name for a GUID of the given kind (GUID_NULL is named per kind: KSMEMORY_TYPE_DONT_CARE
/// is not used; the reference spells the wildcard GUID_NULL everywhere).
std::optional<std::string_view> name_of_guid(const Guid& guid, GuidKind kind);
/// The name of `guid`, or its GUID text when it has none: how specs and reports write a GUID.
std::string guid_name_or_text(const Guid& guid, GuidKind kind);

namespace memtype {
extern const Guid WILDCARD, SYSTEM, USER, KERNEL_PAGED, KERNEL_NONPAGED, DEVICE_UNKNOWN;
}  // namespace memtype
/// One of the six memory types of ref 3.7 (wildcard included).
bool is_standard_memory_type(const Guid& guid);

enum class LogicalMemoryType : ULONG {
  DontCare = 0,
  KernelPaged = 1,
  KernelNonPaged = 2,
  DeviceHostMapped = 3,
  DeviceSpecific = 4,
  User = 5,
  AnyHost = 6
};
/// Ref 6.4.3: GUID -> KS_LogicalMemoryType.
LogicalMemoryType logical_memory_type(const Guid& memory_type);

// ---------------------------------------------------------------------------------------------
// Structures, with ks.h field names so a driver developer recognises them (ref 2.1, 3.1 - 3.5).

struct KSALLOCATOR_FRAMING {
  ULONG OptionsFlags = 0;  ///< union with RequirementsFlags
  ULONG PoolType = 0;
  ULONG Frames = 0;
  ULONG FrameSize = 0;
  ULONG FileAlignment = 0;  ///< union with LONG FramePitch
  ULONG Reserved = 0;
  friend bool operator==(const KSALLOCATOR_FRAMING&, const KSALLOCATOR_FRAMING&) = default;
};

struct KS_FRAMING_RANGE {
  ULONG MinFrameSize = 0;
  ULONG MaxFrameSize = kUnbounded;
  ULONG Stepping = 1;
  friend bool operator==(const KS_FRAMING_RANGE&, const KS_FRAMING_RANGE&) = default;
};

struct KS_FRAMING_RANGE_WEIGHTED {
  KS_FRAMING_RANGE Range;
  ULONG InPlaceWeight = 0;
  ULONG NotInPlaceWeight = 0;
  friend bool operator==(const KS_FRAMING_RANGE_WEIGHTED&,
                         const KS_FRAMING_RANGE_WEIGHTED&) = default;
};

struct KS_COMPRESSION {
  ULONG RatioNumerator = 1;
  ULONG RatioDenominator = 1;
  ULONG RatioConstantMargin = 0;
  friend bool operator==(const KS_COMPRESSION&, const KS_COMPRESSION&) = default;
};
/// RatioNumerator value that means "compression unknown" (ref 3.3 [PROP]).
inline constexpr ULONG kCompressionUnknown = 0xFFFFFFFFu;

struct KS_FRAMING_ITEM {
  Guid MemoryType;
  Guid BusType;
  ULONG MemoryFlags = 0;
  ULONG BusFlags = 0;
  ULONG Flags = 0;
  ULONG Frames = 0;
  ULONG FileAlignment = 0;  ///< union with LONG FramePitch (meaningful with 2D_BUFFER_REQUIRED)
  ULONG MemoryTypeWeight = 0;
  KS_FRAMING_RANGE PhysicalRange;
  KS_FRAMING_RANGE_WEIGHTED FramingRange;
  std::int32_t FramePitch() const { return static_cast<std::int32_t>(FileAlignment); }
  friend bool operator==(const KS_FRAMING_ITEM&, const KS_FRAMING_ITEM&) = default;
};

/// KSALLOCATOR_FRAMING_EX with its variable-length item array. CountItems is kept as a field of
/// its own (it is what a device reports); it need not equal FramingItem.size() in decoded input.
struct KSALLOCATOR_FRAMING_EX {
  ULONG CountItems = 0;
  ULONG PinFlags = 0;
  KS_COMPRESSION OutputCompression;
  ULONG PinWeight = 0;
  std::vector<KS_FRAMING_ITEM> FramingItem;
  friend bool operator==(const KSALLOCATOR_FRAMING_EX&, const KSALLOCATOR_FRAMING_EX&) = default;
};

// Byte sizes (ref 1.1, 10).
inline constexpr std::size_t kSizeofFraming = 24, kSizeofFramingRange = 12,
                             kSizeofFramingRangeWeighted = 20, kSizeofCompression = 12,
                             kSizeofFramingItem = 88, kSizeofFramingExHeader = 24,
                             kSizeofStreamAllocatorStatus = 32;
/// 24 + 88 x count, in 64 bits so a hostile count cannot wrap.
constexpr std::uint64_t sizeof_framing_ex(std::uint64_t count_items) {
  return kSizeofFramingExHeader + kSizeofFramingItem * count_items;
}

// ---------------------------------------------------------------------------------------------
// Conversions (ref 3.10, 8.1, 8.2)

/// DECLARE_SIMPLE_FRAMING_EX(name, MemoryType, Flags, Frames, Alignment, Min, Max).
KSALLOCATOR_FRAMING_EX simple_framing_ex(const Guid& memory_type, ULONG flags, ULONG frames,
                                         ULONG alignment, ULONG min_frame_size,
                                         ULONG max_frame_size);
/// Legacy query framing -> one-item EX (ref 8.1).
KSALLOCATOR_FRAMING_EX legacy_to_ex(const KSALLOCATOR_FRAMING& legacy);
/// The legacy query property answered from an EX-only pin (ref 8.2, last paragraph).
KSALLOCATOR_FRAMING legacy_query_from_ex(const KSALLOCATOR_FRAMING_EX& ex, std::size_t item = 0);
/// What an allocator's InitializeAllocator / KsCreateAllocator receives for a negotiated pipe
/// (ref 8.2). nullopt for USER memory, which has no legacy form.
std::optional<KSALLOCATOR_FRAMING> pipe_to_legacy(const Guid& memory_type, ULONG frames,
                                                  ULONG frame_size, ULONG alignment_mask,
                                                  bool compatible_copy_allocator);

// ---------------------------------------------------------------------------------------------
// Binary layout (little endian, exactly as ks.h lays the structures out)

std::array<std::uint8_t, kSizeofFraming> encode(const KSALLOCATOR_FRAMING& framing);
/// Encodes CountItems as stored and every element of FramingItem.
std::vector<std::uint8_t> encode(const KSALLOCATOR_FRAMING_EX& framing);

struct DecodeError {
  NTSTATUS status;       ///< STATUS_BUFFER_TOO_SMALL or STATUS_INVALID_PARAMETER
  std::uint64_t needed;  ///< bytes the structure needs
  std::string message;
};
template <class T>
struct Decoded {
  std::optional<T> value;
  std::optional<DecodeError> error;
  explicit operator bool() const { return value.has_value(); }
};
Decoded<KSALLOCATOR_FRAMING> decode_framing(std::span<const std::uint8_t> bytes);
/// Refuses a buffer shorter than 24 + 88 x CountItems (the kernel's size check), and a
/// CountItems above `max_items` (a bound on what a hostile buffer can make us allocate).
Decoded<KSALLOCATOR_FRAMING_EX> decode_framing_ex(std::span<const std::uint8_t> bytes,
                                                  ULONG max_items = 64);

}  // namespace ksframe::ks
