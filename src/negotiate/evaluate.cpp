// Evaluates one candidate pipe: 6.4.3 - 6.4.9 and 6.4.11 - 6.4.12 of the reference. Pure: the
// same members give the same outcome, so formation can bisect over prefixes of a walk.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>
#include <span>

#include "negotiate/internal.hpp"
#include "negotiate/select.hpp"
#include "negotiate/sizes.hpp"

namespace ksframe::negotiation {
namespace {

namespace f = ks::flag;
namespace pf = ks::pinflag;

std::string u32(std::uint64_t v) {
  return v == UINT64_MAX || v == ks::kUnbounded ? "unbounded" : std::to_string(v);
}

Constraint constraint(const Graph& g, const Member& m, int item, Field field, std::string what) {
  return {g.pin(m.pin).name, std::move(what), g.location(m.pin, item, field)};
}

std::string member_name(const Graph& g, const Member& m) {
  return g.pin(m.pin).name + (m.instance > 0 ? "#" + std::to_string(m.instance + 1) : "");
}

void explain(Pipe& p, std::string value, std::vector<std::string> by, std::string rule,
             std::string because, std::vector<Location> where) {
  p.explanation.push_back(
      {std::move(value), std::move(by), std::move(rule), std::move(because), std::move(where)});
}

// One evaluation: the candidate's members and options, what the steps found so far, and the
// outcome they fill. Each step is one section of docs/algorithm.md ("2. What each pipe gets",
// 6.4.3 - 6.4.12 of the rules the explanations cite), in the order the graph manager takes them;
// a step that finds the pipe infeasible fills the outcome's reason, message and constraints and
// returns false, and evaluation stops there.
struct Evaluation {
  Evaluation(const Graph& graph, const std::vector<Member>& candidate,
             const NegotiateOptions& options, bool copy_allocator,
             const std::optional<LinkedSize>& handed_over, bool explained)
      : g(graph),
        members(candidate),
        o(options),
        compatible(copy_allocator),
        linked(handed_over),
        detail(explained) {}

  const Graph& g;
  const std::vector<Member>& members;
  const NegotiateOptions& o;
  const bool compatible;
  const std::optional<LinkedSize>& linked;
  /// false: the values and any failure only, no explanation (the split search asks whether a
  /// walk is feasible; building the why of every step is most of an evaluation's cost).
  const bool detail;
  Outcome out;
  Pipe& pipe = out.pipe;
  // Found by the steps, for the later ones.
  Selection sel;                    ///< pick_memory
  const Candidate* best = nullptr;  ///< pick_memory: the memory type's candidate
  std::span<const int> picks;       ///< pick_memory: each member's framing item
  SizeResult sz;                    ///< solve_sizes
  ks::ULONG frames = 0;             ///< count_frames: the most any pin asks for (0: none does)
  bool any_flags = false;           ///< combine_flags: an unrelaxed picked item has flags
  bool any_user = false;            ///< a member is a user-mode pin
  int chosen = -1;                  ///< place_allocator: the allocator member (-1: user mode)

  Outcome run() {
    list_members();
    if (!check_integrity() || !pick_memory() || !solve()) return std::move(out);
    count_frames();
    align();
    if (!combine_flags()) return std::move(out);
    place_allocator();
    dimensions();
    state_and_factors();
    legacy_and_properties();
    return std::move(out);
  }

  // The pipe's members in walk order, and its ends.
  void list_members() {
    pipe.compatible = compatible;
    for (const auto& m : members) any_user = any_user || g.pin(m.pin).user_mode;
    pipe.compatible = compatible;
    for (const auto& m : members) {
      PipeMember pm;
      pm.pin = g.pin(m.pin).ref;
      pm.instance = m.instance;
      pm.name = member_name(g, m);
      pm.size = m.size;
      pm.reached_in_place = m.via_route >= 0;
      pm.relaxed = m.relaxed;
      pm.parent = m.parent;
      pipe.members.push_back(pm);
    }
    // Ends: members nothing else in the pipe was reached from (parents precede children).
    std::vector<bool> has_child(members.size(), false);
    for (const auto& m : members)
      if (m.parent >= 0) has_child[m.parent] = true;
    for (int i = 1; i < static_cast<int>(members.size()); ++i)
      if (!has_child[i]) pipe.ends.push_back(i);
    if (pipe.ends.empty()) pipe.ends.push_back(0);
  }

  bool check_integrity() {
    // Integrity (6.4.8): a FRAME_INTEGRITY pin upstream of an in-place modification. One pass:
    // integrity_at[i] is the nearest member at or above i that requires integrity.
    std::vector<int> integrity_at(members.size(), -1);
    for (std::size_t i = 0; i < members.size(); ++i) {
      bool requires_integrity = false;
      for (const auto& it : g.pin(members[i].pin).ex.FramingItem)
        requires_integrity = requires_integrity || (it.Flags & f::FRAME_INTEGRITY);
      const int parent = members[i].parent;
      integrity_at[i] = requires_integrity ? static_cast<int>(i)
                        : parent >= 0      ? integrity_at[parent]
                                           : -1;
      const int r = members[i].via_route;
      if (r < 0 || !g.routes[r].modifying || parent < 0) continue;
      // Above the route's input pin (the modifier itself may ask for integrity of its input).
      const int grand = members[parent].parent;
      const int up = grand >= 0 ? integrity_at[grand] : -1;
      if (up < 0) continue;
      out.ok = false;
      out.reason = "integrity_conflict";
      out.message = g.pin(members[up].pin).name + " requires frame integrity but " +
                    g.pin(members[i].pin).name + " modifies frames in place downstream of it";
      out.constraints = {
          constraint(g, members[up], 0, Field::Flags, "KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY"),
          constraint(g, members[i], 0, Field::Flags, "KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER")};
      return false;
    }

    return true;
  }

  bool pick_memory() {
    // 6.4.3: memory type and bus.
    sel = select_memory(g, members);
    if (!sel.ok) {
      const Candidate& c = sel.tried.front();
      out.ok = false;
      out.reason = c.reason;
      for (const auto& t : sel.tried)
        if (t.reason == "no_common_bus" || t.reason == "two_must_allocate") {
          out.reason = t.reason;
          break;
        }
      const Candidate* shown = &c;
      for (const auto& t : sel.tried)
        if (t.reason == out.reason) {
          shown = &t;
          break;
        }
      // With a user-mode pin only USER can work: why it does not is the useful message.
      for (const auto& t : sel.tried)
        if (any_user && out.reason == "no_common_memory_type" && t.memory_type == ks::memtype::USER)
          shown = &t;
      if (out.reason == "two_must_allocate") {
        out.message = "two pins insist on allocating (KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE)";
        for (int i : shown->must_allocate)
          out.constraints.push_back(
              constraint(g, members[i], 0, Field::Flags, "KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE"));
        return false;
      }
      // The pin that offered the type, and the pin that cannot take it.
      int offer = -1;
      for (std::size_t i = 0; i < members.size() && offer < 0; ++i) {
        bool has = false;
        for (const auto& it : g.pin(members[i].pin).ex.FramingItem)
          has = has || it.MemoryType == shown->memory_type;
        if (has) offer = static_cast<int>(i);
      }
      // USER that no pin names: the user-mode pin offers it (it supplies the buffers).
      for (std::size_t i = 0; i < members.size() && offer < 0; ++i)
        if (shown->memory_type == ks::memtype::USER && g.pin(members[i].pin).user_mode)
          offer = static_cast<int>(i);
      if (offer < 0) offer = 0;
      const std::string type = guid_name(shown->memory_type, ks::GuidKind::Memory);
      out.message =
          out.reason == "no_common_bus" ? "the pins' framing items name different buses for " + type
          : shown->blocker < 0 && !shown->why.empty()
              // every pin takes the type, but nothing can allocate it: no pin to blame
              ? "no memory type suits every pin: " + type + " cannot be used: " + shown->why
              : "no memory type suits every pin: " +
                    (shown->blocker >= 0 ? member_name(g, members[shown->blocker])
                                         : std::string("a pin")) +
                    " cannot use " + type + (shown->why.empty() ? "" : " (it " + shown->why + ")");
      out.constraints.push_back(
          constraint(g, members[offer], 0, Field::MemoryType, "memory_type " + type));
      if (shown->blocker >= 0 && shown->blocker != offer) {
        const PinModel& bp = g.pin(members[shown->blocker].pin);
        const bool pin_flag = shown->why.find("KSPIN_FLAG") != std::string::npos;
        const bool filter_flag = shown->why.find("KSFILTER_FLAG") != std::string::npos;
        out.constraints.push_back(
            {bp.name, shown->why.empty() ? "memory types" : shown->why,
             pin_flag      ? g.spec->at(g.spec->pin(bp.ref).flags.pos)
             : filter_flag ? g.spec->at(g.spec->filters[bp.ref.filter].flags.pos)
                           : g.location(members[shown->blocker].pin, 0, Field::MemoryType)});
      }
      return false;
    }
    best = &sel.best;
    picks = best->picks;
    for (std::size_t i = 0; i < members.size(); ++i) pipe.members[i].item = picks[i];
    pipe.memory_type = best->memory_type;
    pipe.bus_type = best->bus;
    pipe.weight = static_cast<ks::ULONG>(std::min<std::uint64_t>(best->score, 0xFFFFFFFF));
    if (detail) {
      std::vector<std::string> by;
      std::vector<Location> where;
      for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& it = g.pin(members[i].pin).ex.FramingItem[picks[i]];
        if (it.MemoryType.is_null()) continue;
        by.push_back(pipe.members[i].name);
        where.push_back(g.location(members[i].pin, picks[i], Field::MemoryType));
      }
      std::string because =
          sel.named_type
              ? "the candidate every pin accepts with the highest weight score (" +
                    std::to_string(best->score) + ")"
              : "no pin named a memory type; a " +
                    std::string(best->memory_type == ks::memtype::USER ? "pipe with a user-mode pin"
                                                                       : "kernel pipe") +
                    " resolves to it";
      if (any_user && best->memory_type == ks::memtype::USER) {
        // The user-mode boundary decides, not the kernel pins' items: name the user-mode pins.
        by.clear();
        where.clear();
        for (std::size_t i = 0; i < members.size(); ++i)
          if (g.pin(members[i].pin).user_mode) {
            by.push_back(pipe.members[i].name);
            where.push_back(g.spec->at(g.spec->pin(g.pin(members[i].pin).ref).pos));
          }
        because =
            "a pin of the pipe is in user mode: the user-mode side supplies the buffers, and a "
            "kernel pin "
            "connected to it takes them whatever memory type its items name (the user-mode "
            "boundary)";
      }
      if (sel.tried.size() > 1) {
        std::string rejected;
        for (const auto& t : sel.tried)
          if (!t.ok)
            rejected +=
                (rejected.empty() ? "" : ", ") + guid_name(t.memory_type, ks::GuidKind::Memory);
        if (!rejected.empty()) because += "; not every pin accepts " + rejected;
      }
      explain(pipe, "memory_type", by, "6.4.3", because, where);
      std::vector<std::string> bus_by;
      std::vector<Location> bus_where;
      for (std::size_t i = 0; i < members.size(); ++i)
        if (!g.pin(members[i].pin).ex.FramingItem[picks[i]].BusType.is_null()) {
          bus_by.push_back(pipe.members[i].name);
          bus_where.push_back(g.location(members[i].pin, picks[i], Field::BusType));
        }
      explain(pipe, "bus_type", bus_by, "6.4.3.4",
              bus_by.empty() ? "no picked item names a bus" : "the bus the picked items share",
              bus_where);
    }

    return true;
  }

  bool solve() {
    // 6.4.4 - 6.4.5: sizes.
    sz = solve_sizes(g, members, best->picks, o, linked);
    if (!sz.ok) {
      out.ok = false;
      out.reason = sz.reason;
      out.message = sz.message;
      const auto& lo =
          g.pin(members[sz.lo_member].pin).ex.FramingItem[picks[sz.lo_member]].PhysicalRange;
      const auto& hi =
          g.pin(members[sz.hi_member].pin).ex.FramingItem[picks[sz.hi_member]].PhysicalRange;
      out.constraints = {
          constraint(g, members[sz.lo_member], picks[sz.lo_member], Field::Physical,
                     "physical_range [" + u32(lo.MinFrameSize) + ", " + u32(lo.MaxFrameSize) +
                         "] step " + std::to_string(lo.Stepping)),
          constraint(g, members[sz.hi_member], picks[sz.hi_member], Field::Physical,
                     "physical_range [" + u32(hi.MinFrameSize) + ", " + u32(hi.MaxFrameSize) +
                         "] step " + std::to_string(hi.Stepping))};
      return false;
    }
    pipe.frame_size = sz.dont_care ? 0 : sz.frame_size;
    pipe.begin_size = sz.begin_size;
    if (detail) {
      std::vector<std::string> by;
      std::vector<Location> where;
      for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& it = g.pin(members[i].pin).ex.FramingItem[picks[i]];
        const bool phys =
            (it.PhysicalRange.MinFrameSize != 0 ||
             it.PhysicalRange.MaxFrameSize != ks::kUnbounded || it.PhysicalRange.Stepping > 1) &&
            (g.pin(members[i].pin).dataflow == ks::Dataflow::Out || o.honor_input_physical_range);
        const bool opt = it.FramingRange.Range.MinFrameSize != 0 ||
                         it.FramingRange.Range.MaxFrameSize != ks::kUnbounded;
        if (phys) where.push_back(g.location(members[i].pin, picks[i], Field::Physical));
        if (opt) where.push_back(g.location(members[i].pin, picks[i], Field::Optimal));
        if (phys || opt) by.push_back(pipe.members[i].name);
      }
      std::string because =
          sz.dont_care
              ? sz.target_rule
              : "begin-pin size " + std::to_string(sz.begin_size) + " is " + sz.target_rule +
                    (sz.window_used ? " (the weighted window of the optimal ranges)" : "") +
                    (linked ? "; " + linked->from + " hands over " + std::to_string(linked->size) +
                                  (linked->hard ? " bytes, kept exactly (INSIST_ON_FRAMESIZE_RATIO)"
                                                : " bytes, preferred")
                            : std::string()) +
                    (sz.largest == sz.max_expansion
                         ? "; the buffer is the size at the max-expansion pin " +
                               pipe.members[sz.largest].name
                         : "; the buffer is the largest size in the pipe, at " +
                               pipe.members[sz.largest].name +
                               " (its margin makes it larger than at the max-expansion pin " +
                               pipe.members[sz.max_expansion].name + ")");
      explain(pipe, "frame_size", by, "6.4.5", because, where);
    }

    return true;
  }

  void count_frames() {
    // 6.4.6: frames.
    std::vector<std::string> frames_by;
    std::vector<Location> frames_where;
    for (std::size_t i = 0; i < members.size(); ++i)
      frames = std::max(frames, g.pin(members[i].pin).ex.FramingItem[picks[i]].Frames);
    for (std::size_t i = 0; i < members.size() && detail; ++i)
      if (frames != 0 && g.pin(members[i].pin).ex.FramingItem[picks[i]].Frames == frames) {
        frames_by.push_back(pipe.members[i].name);
        frames_where.push_back(g.location(members[i].pin, picks[i], Field::Frames));
      }
    pipe.frames = frames ? frames : o.default_frames;
    if (detail)
      explain(pipe, "frames", frames_by, "6.4.6",
              frames ? "the most frames any pin asks to have outstanding (a shared pool serves the "
                       "most demanding pin)"
                     : "every pin says 0 (no requirement): default_frames applies",
              frames_where);
  }

  void align() {
    // 6.4.7: alignment (and FramePitch for 2D buffers).
    std::vector<std::string> align_by;
    std::vector<Location> align_where;
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& it = g.pin(members[i].pin).ex.FramingItem[picks[i]];
      if (it.Flags & f::BUFFER_2D_REQUIRED) {
        // |FramePitch| in 64 bits: -INT_MIN overflows a LONG (lint KSF1007 reports it); the
        // magnitude is then held at the largest LONG.
        const std::int64_t magnitude = std::abs(std::int64_t{it.FramePitch()});
        const auto pitch = static_cast<std::int32_t>(std::min<std::int64_t>(magnitude, INT32_MAX));
        pipe.frame_pitch = std::max(pipe.frame_pitch.value_or(0), pitch);
        continue;
      }
      if (it.FileAlignment) {
        pipe.align_mask |= it.FileAlignment;
        if (!detail) continue;
        align_by.push_back(pipe.members[i].name);
        align_where.push_back(g.location(members[i].pin, picks[i], Field::Alignment));
      }
    }
    if (detail)
      explain(pipe, "alignment", align_by, "6.4.7",
              align_by.empty() ? "no pin asks for alignment beyond one byte"
                               : "the OR of the picked masks (the strictest alignment)",
              align_where);
  }

  bool combine_flags() {
    // 6.4.8: flags.
    bool modifying = false, independent = false;
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& it = g.pin(members[i].pin).ex.FramingItem[picks[i]];
      // 6.4.10.2: a relaxed pin's flags no longer count.
      // 6.4.10.2 drops a relaxed pin's requirement flags, but INPLACE_MODIFIER is no
      // requirement: it says the filter writes into the frames, which relaxing does not change.
      // It keeps counting everywhere: the in-place route, NO_FRAME_INTEGRITY and the flags.
      const ks::ULONG bits = members[i].relaxed ? (it.Flags & f::INPLACE_MODIFIER) : it.Flags;
      pipe.flags |= bits & (0xFFu | f::ENABLE_CACHED_MDL | f::BUFFER_2D_REQUIRED);
      any_flags = any_flags || bits != 0;
      independent = independent || (bits & f::INDEPENDENT_RANGES);
      if (members[i].via_route >= 0 && g.routes[members[i].via_route].modifying) modifying = true;
      if ((it.Flags & f::INSIST_ON_FRAMESIZE_RATIO) && sz.unknown_compression) {
        out.ok = false;
        out.reason = "unknown_compression_insist";
        out.message = pipe.members[i].name +
                      " insists on its frame-size ratio but the pipe's compression is unknown";
        out.constraints = {constraint(g, members[i], picks[i], Field::Flags,
                                      "KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO")};
        return false;
      }
    }
    if (modifying) pipe.flags |= f::NO_FRAME_INTEGRITY;
    if (detail) {
      std::vector<std::string> by;
      std::vector<Location> where;
      for (std::size_t i = 0; i < members.size(); ++i)
        if ((g.pin(members[i].pin).ex.FramingItem[picks[i]].Flags &
             (members[i].relaxed ? f::INPLACE_MODIFIER
                                 : 0xFFu | f::ENABLE_CACHED_MDL | f::BUFFER_2D_REQUIRED))) {
          by.push_back(pipe.members[i].name);
          where.push_back(g.location(members[i].pin, picks[i], Field::Flags));
        }
      explain(pipe, "flags", by, "6.4.8",
              "the OR of the picked items' pin bits (0x1-0x80, 0x4000, 0x8000)" +
                  std::string(
                      modifying
                          ? "; NO_FRAME_INTEGRITY: a route inside the pipe modifies frames in place"
                          : "") +
                  "; MULTIPLE_OUTPUT, CYCLE, ATTENTION_STEPPING and INDEPENDENT_RANGES are "
                  "computed for the pipe",
              where);
    }
    std::set<int> splitter_instances;
    for (const auto& m : members)
      if (m.via_link >= 0 && (g.pin(g.links[m.via_link].from).flags & pf::SPLITTER))
        splitter_instances.insert(m.via_link);
    {
      std::map<int, int> per_pin;
      for (int l : splitter_instances) ++per_pin[g.links[l].from];
      for (const auto& [pin, n] : per_pin)
        if (n > 1) pipe.flags |= f::MULTIPLE_OUTPUT;
    }
    if (sz.stepping_seen) pipe.flags |= f::ATTENTION_STEPPING;
    if (independent) pipe.flags |= f::INDEPENDENT_RANGES;

    return true;
  }

  void place_allocator() {
    // 6.4.9: allocator placement.
    std::string place_rule, place_because;
    // A kernel-mode allocator is only chosen when the connection is in kernel mode: a pipe that
    // crosses into user mode runs on the proxy's buffers, whatever MUST_ALLOCATE or a pin's own
    // KSALLOCATOR_DISPATCH say (KsProxy hands the kernel pins user-mode memory).
    const bool kernel_only = !any_user;
    for (std::size_t i = 0; i < members.size() && chosen < 0 && kernel_only; ++i) {
      const auto& it = g.pin(members[i].pin).ex.FramingItem[picks[i]];
      if (!members[i].relaxed && ((it.Flags | it.MemoryFlags) & f::MUST_ALLOCATE)) {
        chosen = static_cast<int>(i);
        place_rule = "6.4.9.1";
        place_because = "its picked item carries KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE";
      }
    }
    const bool dev_specific =
        !best->memory_type.is_null() && !ks::is_standard_memory_type(best->memory_type);
    for (std::size_t i = 0; i < members.size() && chosen < 0 && dev_specific && kernel_only; ++i) {
      const auto& it = g.pin(members[i].pin).ex.FramingItem[picks[i]];
      if (it.MemoryType == best->memory_type && (it.Flags & f::CAN_ALLOCATE)) {
        chosen = static_cast<int>(i);
        place_rule = "6.4.9.2";
        place_because =
            "the first pin that can allocate the device-specific memory "
            "(KSALLOCATOR_FLAG_CAN_ALLOCATE)";
      }
    }
    for (int i = static_cast<int>(members.size()) - 1; i >= 0 && chosen < 0 && kernel_only; --i) {
      const PinModel& p = g.pin(members[i].pin);
      const auto& it = p.ex.FramingItem[picks[i]];
      // A wildcard item serves any memory type, so its pin's allocator can serve the pipe's.
      if (p.has_allocator && (it.MemoryType == best->memory_type || it.MemoryType.is_null())) {
        chosen = i;
        place_rule = "6.4.9.3";
        place_because =
            "the downstream-most pin with its own KSALLOCATOR_DISPATCH whose item serves the "
            "memory type";
      }
    }
    if (chosen < 0 && any_user) {
      pipe.user_mode = true;
      place_rule = "6.4.9.4";
      place_because =
          "a pin of the pipe is in user mode: the proxy supplies user-mode buffers (a kernel-mode "
          "allocator is only chosen when the connection is in kernel mode)";
    }
    if (chosen < 0 && !any_user) {
      if (o.allocator_place_first) {
        chosen = 0;
        place_because = "no rule decides; allocator_place is 'first': the begin pin";
      } else {
        chosen = pipe.ends.front();
        for (int e : pipe.ends)
          if (g.pin(members[e].pin).order > g.pin(members[chosen].pin).order) chosen = e;
        place_because =
            chosen == 0
                ? "no rule decides; the pipe's only pin is both its begin and its end (nothing "
                  "downstream is connected)"
                : "no rule decides; allocator_place is 'last': the end pin (the sink allocator)";
      }
      place_rule = "6.4.9.5";
    }
    pipe.allocator = chosen;
    if (chosen >= 0) {
      const bool is_end_pin =
          std::find(pipe.ends.begin(), pipe.ends.end(), chosen) != pipe.ends.end();
      pipe.place = chosen == 0  ? AllocatorPlace::FirstPin
                   : is_end_pin ? AllocatorPlace::LastPin
                                : AllocatorPlace::MiddlePin;
      pipe.vendor = g.pin(members[chosen].pin).has_allocator;
      if (detail)
        explain(pipe, "allocator", {pipe.members[chosen].name}, place_rule, place_because,
                {g.spec->at(g.spec->pin(g.pin(members[chosen].pin).ref).pos)});
    } else {
      pipe.place = AllocatorPlace::None;
      if (detail) explain(pipe, "allocator", {}, place_rule, place_because, {});
    }
  }

  void dimensions() {
    // 6.4.4: dimensions relative to the begin pin.
    const int end_member = pipe.ends.front();
    pipe.dim_allocator = members[chosen >= 0 ? chosen : 0].size.as_compression();
    pipe.dim_max_expansion = members[sz.max_expansion].size.as_compression();
    pipe.dim_end = members[end_member].size.as_compression();
    const SizeMap& alloc_map = members[chosen >= 0 ? chosen : 0].size;
    auto at_alloc = [&](std::uint64_t x) -> ks::ULONG {
      if (x == UINT64_MAX) return ks::kUnbounded;
      return static_cast<ks::ULONG>(std::min<std::uint64_t>(size_at(alloc_map, x), 0xFFFFFFFF));
    };
    pipe.physical_range = {at_alloc(sz.p_lo), at_alloc(sz.p_hi), 1};
  }

  void state_and_factors() {
    // 6.4.11: state, range state and factors.
    using PF = ks::ULONG;
    pipe.range_state = sz.dont_care ? 0u : sz.fixed ? 2u : 1u;
    pipe.state = sz.unknown_compression ? 3u : 4u;
    PF inside = 0;
    if (sel.named_type) inside |= 0x004;
    if (any_flags) inside |= 0x008;
    if (sz.physical_constrained) inside |= 0x010;
    if (sz.optimal_constrained) inside |= 0x020;
    for (const auto& m : members)
      if (!m.size.unknown && (m.size.num != m.size.den || m.size.margin_num != 0)) inside |= 0x040;
    if (sz.unknown_compression) inside |= 0x080;
    if (frames) inside |= 0x100;
    if (pipe.align_mask) inside |= 0x200;
    pipe.inside_factors = inside;
    const PinModel& begin = g.pin(members[0].pin);
    if (begin.user_mode) pipe.input_factors |= 0x001;
    pipe.input_factors |= is_source_filter(g.spec->filters[begin.ref.filter]) ? 0x400 : 0x800;
    for (int e : pipe.ends) {
      const PinModel& ep = g.pin(members[e].pin);
      if (ep.user_mode) pipe.output_factors |= 0x002;
      const bool renderer = (ep.flags & pf::RENDERER) == pf::RENDERER || ep.routes.empty();
      pipe.output_factors |= renderer ? 0x400 : 0x800;
    }

    if (detail)
      explain(pipe, "state", {}, "6.4.11",
              std::string(sz.unknown_compression ? "a compression ratio in the pipe is unknown"
                                                 : "negotiation completed") +
                  "; the range state is " +
                  (sz.dont_care ? "DontCare: nothing constrains the frame size"
                   : sz.fixed   ? "RangeFixed: the optimal range (or the stepping) leaves one size"
                                : "RangeNotFixed: several sizes were possible"),
              {});
  }

  void legacy_and_properties() {
    // 6.4.12: the legacy framing handed to the allocator (ref 8.2).
    pipe.legacy = ks::pipe_to_legacy(pipe.memory_type, pipe.frames, pipe.frame_size,
                                     pipe.align_mask, compatible);
    if (pipe.user_mode) pipe.legacy.reset();
    if (any_user) {
      // The kernel pins' framing reaches a user-mode allocator only as ALLOCATOR_PROPERTIES.
      pipe.allocator_properties =
          AllocatorProperties{pipe.frames, pipe.frame_size, std::uint64_t{pipe.align_mask} + 1, 0};
      if (detail)
        explain(
            pipe, "allocator_properties", {}, "6.4.3",
            "what KsProxy hands the user-mode allocator: cBuffers = frames, cbBuffer = frame size, "
            "cbAlign = FileAlignment + 1, cbPrefix 0",
            {});
    }
    if (detail)
      explain(pipe, "legacy", {}, "6.4.12",
              pipe.legacy
                  ? "KSALLOCATOR_FRAMING for InitializeAllocator: Frames, FrameSize "
                    "and FileAlignment as negotiated, PoolType PagedPool only for KERNEL_PAGED, "
                    "SYSTEM_MEMORY for host memory" +
                        std::string(
                            compatible ? ", COMPATIBLE: a copy allocator made by an integrity split"
                                       : "")
                  : "USER memory has no legacy form: the proxy allocates in user mode",
              {});
  }
};

}  // namespace

Outcome evaluate(const Graph& g, const std::vector<Member>& members, const NegotiateOptions& o,
                 bool compatible, const std::optional<LinkedSize>& linked) {
  return Evaluation(g, members, o, compatible, linked, true).run();
}

Outcome check(const Graph& g, const std::vector<Member>& members, const NegotiateOptions& o,
              bool compatible) {
  Outcome out = Evaluation(g, members, o, compatible, std::nullopt, false).run();
  out.explained = false;
  return out;
}

}  // namespace ksframe::negotiation
