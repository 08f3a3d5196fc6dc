// KSF1xxx framing rules and the KSF5xxx kernel verdicts (ref 5.1 - 5.3).
#include "ksframe/lint.hpp"
#include "lint/context.hpp"

namespace ksframe {
namespace {

using lint_detail::Reporter;
namespace f = ks::flag;

std::string u(ks::ULONG v) { return ks::maximum_spec_text(v); }

void check_alignment(Reporter& r, const LU32& align, bool frame_pitch, const std::string& what) {
  const ks::ULONG m = align.value;
  if (frame_pitch) {       // 2D_BUFFER_REQUIRED: the union holds a LONG FramePitch (ref 6.4.7)
    if (m == 0x80000000u)  // INT_MIN: negotiation takes |FramePitch|, which no LONG holds
      r.report("KSF1007",
               "file_alignment 0x80000000 holds FramePitch -2147483648, whose magnitude no LONG "
               "can hold",
               align.pos, what, "write the pitch in bytes (a row of 640 YUY2 pixels is 1280)");
    return;
  }
  if ((m & (m + 1)) != 0)
    r.report("KSF1007", "file_alignment " + ks::hex32(m) + " is not a mask of the form 2^k - 1",
             align.pos, what,
             "FileAlignment is the alignment minus one: use 3 for 4 bytes, "
             "7 for 8 bytes, or a FILE_*_ALIGNMENT name");
  else if (m > ks::kPageSize - 1)
    r.report("KSF1008",
             "file_alignment " + ks::hex32(m) + " asks for " +
                 std::to_string(std::uint64_t{m} + 1) + "-byte alignment, above PAGE_SIZE (4096)",
             align.pos, what,
             "the default allocator refuses alignments above FILE_512_BYTE_ALIGNMENT..0xFFF");
}

void check_range(Reporter& r, const RangeSpec& range, const std::string& what) {
  const ks::ULONG min = range.min.value, max = range.max.value, step = range.stepping.value;
  if (min > max) {
    r.report("KSF1003", what + " has min " + u(min) + " above max " + u(max), range.min.pos, what,
             "swap the two values");
    return;
  }
  if (min < max && step > max - min)
    r.report("KSF1004",
             what + " stepping " + std::to_string(step) + " is larger than max - min (" +
                 std::to_string(max - min) + ")",
             range.stepping.pos, what,
             "Microsoft documents the result as unpredictable; use a stepping that fits the range");
  // One size with a stepping > 1: max - min is 0, so the same remark applies; negotiation
  // (which takes the one size) is unaffected, so it is a note, not a warning.
  if (range.present && min == max && step > 1)
    r.report("KSF1024",
             what + " is the single size " + u(min) + " with stepping " + std::to_string(step) +
                 ": a stepping larger than max - min (0) is documented as unpredictable",
             range.stepping.pos, what, "a one-size range takes stepping 1 (or 0)");
  // {1, unbounded}: every size up to 4 GiB, so it constrains nothing, yet it is not the
  // {0, unbounded} wildcard either: typically a placeholder the driver never filled in.
  if (range.present && min == 1 && max == ks::kUnbounded)
    r.report("KSF1025",
             what + " accepts any frame from 1 byte to 4 GiB: it states no size the pin needs",
             range.min.pos, what,
             "state the sizes the pin handles, or {min: 0, max: unbounded} for a pin that has no "
             "preference");
}

void check_nesting(Reporter& r, const FramingItemSpec& it, const std::string& what) {
  const auto p = it.physical_range.value(), o = it.framing_range.value();
  if (p.MinFrameSize > p.MaxFrameSize || o.MinFrameSize > o.MaxFrameSize) return;
  if (!it.physical_range.present && !it.framing_range.present) return;
  if (o.MaxFrameSize < p.MinFrameSize || o.MinFrameSize > p.MaxFrameSize) {
    auto& d = r.report("KSF1006",
                       "optimal range [" + u(o.MinFrameSize) + ", " + u(o.MaxFrameSize) +
                           "] and physical range [" + u(p.MinFrameSize) + ", " + u(p.MaxFrameSize) +
                           "] have no size in common",
                       it.framing_range.pos, what + ".framing_range",
                       "negotiation will ignore the optimal range of this item");
    d.related.push_back({r.spec.at(it.physical_range.pos), "physical range"});
  } else if (o.MinFrameSize < p.MinFrameSize || o.MaxFrameSize > p.MaxFrameSize) {
    auto& d = r.report("KSF1005",
                       "optimal range [" + u(o.MinFrameSize) + ", " + u(o.MaxFrameSize) +
                           "] reaches outside the physical range [" + u(p.MinFrameSize) + ", " +
                           u(p.MaxFrameSize) + "]",
                       it.framing_range.pos, what + ".framing_range",
                       "negotiation clips the optimal range to the physical range");
    d.related.push_back({r.spec.at(it.physical_range.pos), "physical range"});
  }
}

void check_item_flags(Reporter& r, const FramingItemSpec& it, const std::string& what) {
  const ks::ULONG fl = it.flags.value;
  if (fl & ~f::EX_KNOWN_MASK)
    r.report(
        "KSF1015",
        "flags " + ks::hex32(fl) + " contain unknown bits " + ks::hex32(fl & ~f::EX_KNOWN_MASK),
        it.flags.pos, what + ".flags",
        "known bits are 0x8000FFFF; unknown bits are kept as they are");
  if (fl & f::PIPE_COMPUTED_MASK) {
    std::string names;
    for (const auto& n : ks::flag_names(ks::framing_item_flags(), fl & f::PIPE_COMPUTED_MASK))
      names += (names.empty() ? "" : ", ") + n;
    r.report("KSF1016",
             "a pin declares pipe flag(s) " + names + ", which the graph manager computes",
             it.flags.pos, what + ".flags", "remove them; negotiation sets them on the pipe");
  }
  const bool device_specific = fl & f::DEVICE_SPECIFIC;
  const bool standard = ks::is_standard_memory_type(it.memory_type.value);
  if ((fl & f::CAN_ALLOCATE) && !device_specific)
    r.report("KSF1017", "KSALLOCATOR_FLAG_CAN_ALLOCATE without KSALLOCATOR_FLAG_DEVICE_SPECIFIC",
             it.flags.pos, what + ".flags",
             "CAN_ALLOCATE means the filter can allocate device-specific memory, not merely "
             "address it");
  if (device_specific && standard)
    r.report("KSF1017",
             "KSALLOCATOR_FLAG_DEVICE_SPECIFIC with the standard memory type " +
                 std::string(*ks::name_of_guid(it.memory_type.value, ks::GuidKind::Memory)),
             it.flags.pos, what + ".flags", "DEVICE_SPECIFIC goes with a vendor memory GUID");
  if (!standard && !device_specific)
    r.report("KSF1018",
             "memory type " + it.memory_type.value.to_string() +
                 " is not a KSMEMORY_TYPE_* value and DEVICE_SPECIFIC is not set",
             it.memory_type.pos, what + ".memory_type",
             "set KSALLOCATOR_FLAG_DEVICE_SPECIFIC for vendor memory, or check the GUID");
  const bool device_memory = it.memory_type.value == ks::memtype::DEVICE_UNKNOWN || !standard;
  if ((fl & f::SYSTEM_MEMORY) && !(fl & f::PREFERENCES_ONLY) && device_memory)
    r.report("KSF1019",
             "the item requires system memory (REQUIREMENTF_SYSTEM_MEMORY) but its "
             "memory type is device memory",
             it.flags.pos, what + ".flags",
             "drop SYSTEM_MEMORY, or add PREFERENCES_ONLY if system memory is only preferred");
  if (it.memory_flags.value & ~f::MUST_ALLOCATE)
    r.report("KSF1022",
             "memory_flags " + ks::hex32(it.memory_flags.value) +
                 " holds bits other than KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE",
             it.memory_flags.pos, what + ".memory_flags");
  if (it.bus_flags.value != 0)
    r.report("KSF1013",
             "bus_flags is " + ks::hex32(it.bus_flags.value) +
                 "; Microsoft documents BusFlags as not used",
             it.bus_flags.pos, what + ".bus_flags");
  for (const LU32* w : {&it.in_place_weight, &it.not_in_place_weight})
    if (w->value != 0)
      r.report("KSF1013",
               std::string(w == &it.in_place_weight ? "in_place_weight" : "not_in_place_weight") +
                   " is " + std::to_string(w->value) +
                   "; Microsoft documents these weights as unsupported (0)",
               w->pos, what + ".framing_range");
}

// What ReactOS's KsValidateAllocatorFramingEx returns, reported only where Windows would object
// for the same cause (docs/rules.md, KSF5001): a buffer shorter than 24 + 88 x CountItems, or a
// RatioDenominator of 0. ReactOS also refuses every framing without PARTIAL_READ_SUPPORT or
// without an expansion ratio, which is true of every stock sample and tells the user nothing.
void reactos_validate_ex(Reporter& r, const FramingExSpec& ex) {
  const std::uint64_t size = ks::sizeof_framing_ex(ex.items.size());
  std::string why;
  if (size < 112)
    why = "the buffer is " + std::to_string(size) + " bytes, below 112";
  else if (ex.ratio_denominator.value == 0)
    why = "RatioDenominator is 0";
  // Terse on purpose: the rule's documentation explains why this is not a validity test.
  if (!why.empty())
    r.report("KSF5001",
             "ReactOS KsValidateAllocatorFramingEx: STATUS_INVALID_DEVICE_REQUEST (" + why + ")",
             ex.pos, "framing_ex");
}

void lint_framing_ex(Reporter& r, const FramingExSpec& ex, const std::string& base) {
  if (ex.items.empty()) {
    r.report("KSF1001", "framing_ex has no items", ex.items_pos, base + ".items",
             "list at least one KS_FRAMING_ITEM");
    return;
  }
  if (ex.items.size() > 64)
    r.report("KSF1002",
             "framing_ex has " + std::to_string(ex.items.size()) + " items; the limit is 64",
             ex.items_pos, base + ".items");
  if (ex.pin_flags.value != 0)
    r.report(
        "KSF1013",
        "pin_flags is " + ks::hex32(ex.pin_flags.value) + "; PinFlags is reserved and must be 0",
        ex.pin_flags.pos, base + ".pin_flags");
  if (ex.pin_weight.value != 0)
    r.report("KSF1013",
             "pin_weight is " + std::to_string(ex.pin_weight.value) +
                 "; Microsoft documents PinWeight as reserved (0)",
             ex.pin_weight.pos, base + ".pin_weight",
             "ksframe's negotiation multiplies memory-type weights by it (docs/algorithm.md)");
  const bool unknown = ex.ratio_numerator.value == ks::kCompressionUnknown;
  if (ex.ratio_denominator.value == 0)
    r.report("KSF1009", "output_compression denominator is 0", ex.ratio_denominator.pos,
             base + ".output_compression", "the neutral ratio is {numerator: 1, denominator: 1}");
  if (ex.ratio_numerator.value == 0)
    r.report("KSF1010", "output_compression numerator is 0", ex.ratio_numerator.pos,
             base + ".output_compression", "the neutral ratio is {numerator: 1, denominator: 1}");
  if (unknown)
    r.report("KSF1011", "output compression is unknown (numerator 0xFFFFFFFF)",
             ex.ratio_numerator.pos, base + ".output_compression",
             "sizes downstream of this pin cannot be related to sizes upstream");
  for (std::size_t i = 0; i < ex.items.size(); ++i) {
    const FramingItemSpec& it = ex.items[i];
    const std::string what = base + ".items[" + std::to_string(i) + "]";
    check_range(r, it.physical_range, what + ".physical_range");
    check_range(r, it.framing_range, what + ".framing_range");
    check_nesting(r, it, what);
    check_alignment(r, it.file_alignment, it.flags.value & f::BUFFER_2D_REQUIRED,
                    what + ".file_alignment");
    check_item_flags(r, it, what);
    if ((it.flags.value & f::INSIST_ON_FRAMESIZE_RATIO) && unknown) {
      auto& d = r.report("KSF1012",
                         "INSIST_ON_FRAMESIZE_RATIO is set but the compression ratio is "
                         "unknown",
                         it.flags.pos, what + ".flags");
      d.related.push_back({r.spec.at(ex.ratio_numerator.pos), "the unknown ratio"});
    }
  }
  reactos_validate_ex(r, ex);
}

void lint_legacy(Reporter& r, const LegacyFramingSpec& l, const std::string& base) {
  if (l.reserved.value != 0)
    r.report("KSF1014", "reserved is " + std::to_string(l.reserved.value) + "; it must be 0",
             l.reserved.pos, base + ".reserved");
  const ks::ULONG pool = l.pool_type.value;
  const bool named = ks::name_of(ks::pool_types(), pool).has_value();
  if (!named || pool == 3 || pool == 7 || pool == 35)
    r.report("KSF1020", "pool_type " + std::to_string(pool) + " is not a valid POOL_TYPE",
             l.pool_type.pos, base + ".pool_type", "use NonPagedPool (0) or PagedPool (1)");
  else if (pool > 1)
    r.report("KSF1021",
             "pool_type " + std::string(*ks::name_of(ks::pool_types(), pool)) + " is treated as " +
                 ((pool & 1) ? "PagedPool" : "NonPagedPool"),
             l.pool_type.pos, base + ".pool_type",
             "KS means PoolType to be NonPagedPool or PagedPool");
  const bool options = l.flags_kind == LegacyFramingSpec::FlagsKind::Options;
  const ks::ULONG known = options ? f::OPTIONF_VALID : f::REQUIREMENTS_KNOWN_MASK;
  if (l.flags.value & ~known)
    r.report("KSF1015",
             std::string(options ? "options_flags " : "requirements_flags ") +
                 ks::hex32(l.flags.value) + " contain unknown bits " +
                 ks::hex32(l.flags.value & ~known),
             l.flags.pos, base + (options ? ".options_flags" : ".requirements_flags"));
  check_alignment(r, l.file_alignment, false, base + ".file_alignment");
  if (options && (l.frame_size.value == 0 || (l.flags.value & ~0xFu)))
    r.report("KSF5002",
             std::string("ReactOS KsValidateAllocatorCreateRequest would fail this "
                         "allocator create with STATUS_INVALID_PARAMETER: ") +
                 (l.frame_size.value == 0 ? "FrameSize is 0" : "OptionsFlags has bits outside 0xF"),
             l.frame_size.value == 0 ? l.frame_size.pos : l.flags.pos, base);
}

}  // namespace

void lint_framing(const Spec& spec, Diagnostics& out) {
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
    const FilterSpec& filter = spec.filters[fi];
    for (std::size_t pi = 0; pi < filter.pins.size(); ++pi) {
      const PinSpec& pin = filter.pins[pi];
      Reporter r{spec, out, static_cast<int>(fi), static_cast<int>(pi),
                 filter.name.value + "." + pin.name.value};
      if (pin.framing) lint_legacy(r, *pin.framing, "framing");
      if (pin.framing_ex)
        lint_framing_ex(r, *pin.framing_ex,
                        pin.framing_ex->form == FramingExSpec::Form::Simple ? "simple_framing_ex"
                                                                            : "framing_ex");
    }
  }
}

}  // namespace ksframe
