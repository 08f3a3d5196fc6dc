// KSF2xxx pin-descriptor rules (ref 4.3, 4.4, 5.1 D10, 5.3).
#include "ksframe/lint.hpp"
#include "lint/context.hpp"

namespace ksframe {
namespace {

using lint_detail::Reporter;
namespace pf = ks::pinflag;

struct Exclusion {
  ks::ULONG a, b;
};
// Documented mutual exclusions (ref 4.4).
constexpr Exclusion kExclusions[] = {
    {pf::CRITICAL_PROCESSING, pf::HYPERCRITICAL_PROCESSING},
    {pf::DO_NOT_INITIATE_PROCESSING, pf::INITIATE_PROCESSING_ON_EVERY_ARRIVAL},
    {pf::FRAMES_NOT_REQUIRED_FOR_PROCESSING, pf::SOME_FRAMES_REQUIRED_FOR_PROCESSING},
    {pf::PROCESS_IN_RUN_STATE_ONLY, pf::PROCESS_IF_ANY_IN_RUN_STATE},
};

std::string pin_flag_name(ks::ULONG bit) {
  return std::string(ks::name_of(ks::pin_flags(), bit).value_or("?"));
}

bool filter_has_copy_route(const Spec& spec, int fi, int pin) {
  const FilterSpec& f = spec.filters[fi];
  for (const auto& route : f.routes)
    if ((route.from_pin == pin || route.to_pin == pin) && !route_in_place(spec, fi, route))
      return true;
  return false;
}

bool is_in_place_output(const Spec& spec, int fi, int pin) {
  for (const auto& route : spec.filters[fi].routes)
    if (route.to_pin == pin && route_in_place(spec, fi, route)) return true;
  return false;
}

void lint_pin(Reporter& r, int fi, int pi) {
  const PinSpec& p = r.spec.filters[fi].pins[pi];
  const ks::ULONG flags = p.flags.value;
  for (const auto& [a, b] : kExclusions)
    if ((flags & a) && (flags & b))
      r.report("KSF2001", pin_flag_name(a) + " and " + pin_flag_name(b) + " exclude each other",
               p.flags.pos, "flags", "keep one of the two");
  if ((flags & pf::SPLITTER) && p.instances_possible.value <= 1)
    r.report("KSF2002",
             "splitter pin allows " + std::to_string(p.instances_possible.value) + " instance" +
                 (p.instances_possible.value == 1 ? "" : "s"),
             p.instances_possible.present ? p.instances_possible.pos : p.flags.pos, "instances",
             "a splitter copies frames to each additional instance: allow more than one");
  if (p.instances_possible.value != ks::kUnbounded &&
      p.instances_necessary.value > p.instances_possible.value) {
    auto& d = r.report("KSF2003",
                       "instances.necessary (" + std::to_string(p.instances_necessary.value) +
                           ") is greater than instances.possible (" +
                           std::to_string(p.instances_possible.value) + ")",
                       p.instances_necessary.pos, "instances");
    d.related.push_back({r.spec.at(p.instances_possible.present ? p.instances_possible.pos : p.pos),
                         "instances.possible"});
  }
  const ks::ULONG unknown = flags & ~ks::known_bits(ks::pin_flags());
  if (unknown)
    r.report("KSF2004",
             "pin flags " + ks::hex32(flags) + " contain unknown bits " + ks::hex32(unknown),
             p.flags.pos, "flags");
  if ((flags & pf::PROCESS_IF_ANY_IN_RUN_STATE) && p.dataflow.value == ks::Dataflow::Out &&
      is_in_place_output(r.spec, fi, pi))
    r.report("KSF2005",
             "KSPIN_FLAG_PROCESS_IF_ANY_IN_RUN_STATE on an output pin of an in-place "
             "route",
             p.flags.pos, "flags");
  if (p.user_mode.value && (flags & pf::DENY_USERMODE_ACCESS))
    r.report("KSF2007", "a user-mode pin sets KSPIN_FLAG_DENY_USERMODE_ACCESS", p.flags.pos,
             "flags");

  const auto ex = r.spec.effective_framing_ex({fi, pi});
  if (!ex) return;
  if (filter_has_copy_route(r.spec, fi, pi) && p.framing_ex) {
    for (std::size_t i = 0; i < p.framing_ex->items.size(); ++i) {
      const auto& frames = p.framing_ex->items[i].frames;
      if (frames.value >= 1 && frames.value < 3)
        r.report("KSF2006",
                 "this transform (codec) pin allows " + std::to_string(frames.value) + " frame" +
                     (frames.value == 1 ? "" : "s") + "; Microsoft recommends at least 3",
                 frames.pos, "items[" + std::to_string(i) + "].frames");
    }
  } else if (filter_has_copy_route(r.spec, fi, pi) && p.framing) {
    const auto& frames = p.framing->frames;
    if (frames.value >= 1 && frames.value < 3)
      r.report("KSF2006",
               "this transform (codec) pin allows " + std::to_string(frames.value) + " frame" +
                   (frames.value == 1 ? "" : "s") + "; Microsoft recommends at least 3",
               frames.pos, "framing.frames");
  }
  // KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING makes every pin of the filter process at
  // DISPATCH_LEVEL, exactly as the pin flag does for one pin.
  const auto& filter = r.spec.filters[fi];
  const bool filter_dispatch = filter.flags.value & ks::filterflag::DISPATCH_LEVEL_PROCESSING;
  if ((flags & (pf::DISPATCH_LEVEL_PROCESSING | pf::GENERATE_MAPPINGS)) || filter_dispatch) {
    bool any_usable = ex->FramingItem.empty();
    for (const auto& item : ex->FramingItem) {
      const bool pageable =
          item.MemoryType == ks::memtype::KERNEL_PAGED || item.MemoryType == ks::memtype::USER;
      any_usable = any_usable || !pageable || (item.Flags & ks::flag::PREFERENCES_ONLY);
    }
    const bool by_pin = flags & (pf::DISPATCH_LEVEL_PROCESSING | pf::GENERATE_MAPPINGS);
    const std::string cause = !by_pin ? "the filter's KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING"
                              : flags & pf::DISPATCH_LEVEL_PROCESSING
                                  ? "KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING"
                                  : "KSPIN_FLAG_GENERATE_MAPPINGS";
    if (!any_usable)
      r.report("KSF2008",
               cause + " needs nonpaged memory, but every framing item asks for pageable memory",
               by_pin ? p.flags.pos : filter.flags.pos, "flags",
               "offer KSMEMORY_TYPE_KERNEL_NONPAGED, or mark the item PREFERENCES_ONLY");
  }
}

}  // namespace

void lint_pins(const Spec& spec, Diagnostics& out) {
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
    const FilterSpec& filter = spec.filters[fi];
    for (std::size_t pi = 0; pi < filter.pins.size(); ++pi) {
      Reporter r{spec, out, static_cast<int>(fi), static_cast<int>(pi),
                 filter.name.value + "." + filter.pins[pi].name.value};
      lint_pin(r, static_cast<int>(fi), static_cast<int>(pi));
    }
  }
}

}  // namespace ksframe
