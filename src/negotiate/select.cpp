// Ref 6.4.3: item selection (memory type and bus) for a candidate pipe.
#include "negotiate/select.hpp"

#include <algorithm>

namespace ksframe::negotiation {
namespace {

namespace f = ks::flag;
namespace pf = ks::pinflag;

bool device_specific(const ks::Guid& m) { return !m.is_null() && !ks::is_standard_memory_type(m); }
bool device_memory(const ks::Guid& m) {
  return m == ks::memtype::DEVICE_UNKNOWN || device_specific(m);
}

// The user-mode boundary (docs/algorithm.md, "The user-mode boundary"): a kernel pin connected to a
// user-mode pin takes the buffers KsProxy supplies. They are probed and locked host memory, so they
// satisfy SYSTEM_MEMORY and DISPATCH_LEVEL processing whatever the item's memory type, bus or
// PREFERENCES_ONLY say; only a pin that denies user-mode access, or an item that needs
// device-specific memory (which never comes from user mode), refuses them.
Acceptance user_boundary(const PinModel& p, const ks::KS_FRAMING_ITEM& item) {
  if (p.flags & pf::DENY_USERMODE_ACCESS)
    return {false, "denies user-mode access (KSPIN_FLAG_DENY_USERMODE_ACCESS)"};
  if (p.filter_flags & ks::filterflag::DENY_USERMODE_ACCESS)
    return {false,
            "is on a filter that denies user-mode access (KSFILTER_FLAG_DENY_USERMODE_ACCESS)"};
  if (device_specific(item.MemoryType))
    return {false, "needs device-specific memory, which user-mode buffers cannot be"};
  return {true, ""};
}

}  // namespace

// Whether `item` of pin `p` can serve memory type `m`, with the hard constraints of 6.4.3.2.
Acceptance accepts(const Graph& g, const Member& member, int item_index, const ks::Guid& m,
                   bool connected_to_user) {
  const PinModel& p = g.pin(member.pin);
  const auto& item = p.ex.FramingItem[item_index];
  if (m == ks::memtype::USER && !p.user_mode && connected_to_user) return user_boundary(p, item);
  if (member.relaxed) {
    // 6.4.10: a relaxed pin keeps only its ranges; its PREFERENCES_ONLY items serve any type.
    if (item.Flags & f::PREFERENCES_ONLY) return {true, ""};
    return {false, "relaxed pins use their PREFERENCES_ONLY items only"};
  }
  if (!(item.MemoryType == m || item.MemoryType.is_null()))
    return {false, "offers " + guid_name(item.MemoryType, ks::GuidKind::Memory)};
  if (item.Flags & f::PREFERENCES_ONLY) return {true, ""};
  if ((item.Flags & f::SYSTEM_MEMORY) && device_memory(m))
    return {false, "requires system memory (KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY)"};
  const bool filter_dispatch = p.filter_flags & ks::filterflag::DISPATCH_LEVEL_PROCESSING;
  if (((p.flags & (pf::DISPATCH_LEVEL_PROCESSING | pf::GENERATE_MAPPINGS)) || filter_dispatch) &&
      (m == ks::memtype::KERNEL_PAGED || m == ks::memtype::USER))
    return {false,
            std::string(p.flags & pf::DISPATCH_LEVEL_PROCESSING
                            ? "has KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING"
                        : p.flags & pf::GENERATE_MAPPINGS
                            ? "has KSPIN_FLAG_GENERATE_MAPPINGS"
                            : "is on a filter with KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING") +
                ", which needs nonpaged memory"};
  if (p.user_mode && m != ks::memtype::USER)
    return {false, "is a user-mode pin (USER memory only)"};
  if (!p.user_mode && m == ks::memtype::USER && !connected_to_user)
    return {false, "is a kernel pin not connected to a user-mode pin"};
  return {true, ""};
}

namespace {

// 6.4.3.3: exact match before wildcard, then higher MemoryTypeWeight, then lower index.
std::vector<int> accepting_items(const Graph& g, const Member& member, const ks::Guid& m,
                                 bool to_user, std::string* why) {
  const PinModel& p = g.pin(member.pin);
  std::vector<int> items;
  for (int i = 0; i < static_cast<int>(p.ex.FramingItem.size()); ++i) {
    auto a = accepts(g, member, i, m, to_user);
    if (a.ok)
      items.push_back(i);
    else if (why && why->empty())
      *why = a.reason;
  }
  std::stable_sort(items.begin(), items.end(), [&](int a, int b) {
    const auto& ia = p.ex.FramingItem[a];
    const auto& ib = p.ex.FramingItem[b];
    const bool ea = ia.MemoryType == m, eb = ib.MemoryType == m;
    if (ea != eb) return ea;
    return ia.MemoryTypeWeight > ib.MemoryTypeWeight;
  });
  return items;
}

}  // namespace

bool connected_to_user(const Graph& g, int pin) {
  const PinModel& p = g.pin(pin);
  if (p.in_link >= 0 && g.pin(g.links[p.in_link].from).user_mode) return true;
  for (int l : p.out_links)
    if (g.pin(g.links[l].to).user_mode) return true;
  return false;
}

Selection select_memory(const Graph& g, const std::vector<Member>& members) {
  Selection out;
  // 6.4.3.1: candidates in order of first appearance, in pin order (6.4.0: every tie-break
  // uses pin order, so a sink listed first in the spec names its type first).
  std::vector<std::pair<int, int>> by_order;  // (pin order, member)
  bool any_user = false;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const PinModel& p = g.pin(members[i].pin);
    any_user = any_user || p.user_mode;
    by_order.push_back({p.order, static_cast<int>(i)});
  }
  std::sort(by_order.begin(), by_order.end());
  std::vector<ks::Guid> candidates;
  for (const auto& [order, i] : by_order)
    for (const auto& item : g.pin(members[i].pin).ex.FramingItem)
      if (!item.MemoryType.is_null() &&
          std::find(candidates.begin(), candidates.end(), item.MemoryType) == candidates.end())
        candidates.push_back(item.MemoryType);
  out.named_type = !candidates.empty();
  // The user-mode side supplies buffers even when no pin names USER (algorithm.md 2.1).
  if (any_user &&
      std::find(candidates.begin(), candidates.end(), ks::memtype::USER) == candidates.end())
    candidates.push_back(ks::memtype::USER);
  if (candidates.empty())  // 6.4.3.6: everything wildcard
    candidates.push_back(ks::memtype::KERNEL_NONPAGED);

  std::vector<bool> to_user(members.size());
  for (std::size_t i = 0; i < members.size(); ++i)
    to_user[i] = connected_to_user(g, members[i].pin);

  bool found = false;
  for (const ks::Guid& m : candidates) {
    Candidate c;
    c.memory_type = m;
    std::vector<std::vector<int>> accepting(members.size());
    for (std::size_t i = 0; i < members.size() && c.ok; ++i) {
      std::string why;
      accepting[i] = accepting_items(g, members[i], m, to_user[i], &why);
      if (accepting[i].empty()) {
        c.ok = false;
        c.reason = "no_common_memory_type";
        c.blocker = static_cast<int>(i);
        c.why = why;
      }
    }
    if (c.ok) {
      // 6.4.3.4: the bus. Picked items first; on disagreement, the first specific bus every pin
      // can take (through a matching or a GUID_NULL item), else GUID_NULL everywhere.
      std::vector<int> picks(members.size());
      for (std::size_t i = 0; i < members.size(); ++i) picks[i] = accepting[i][0];
      std::optional<ks::Guid> bus;
      bool agree = true;
      // 6.4.10.2: a relaxed pin's bus no longer counts.
      auto bus_of = [&](std::size_t i, int item) {
        return members[i].relaxed ? ks::Guid{} : g.pin(members[i].pin).ex.FramingItem[item].BusType;
      };
      for (std::size_t i = 0; i < members.size(); ++i) {
        const ks::Guid b = bus_of(i, picks[i]);
        if (b.is_null()) continue;
        if (bus && !(*bus == b)) agree = false;
        if (!bus) bus = b;
      }
      if (!agree) {
        std::vector<ks::Guid> options;
        for (std::size_t i = 0; i < members.size(); ++i)
          for (int it : accepting[i]) {
            const ks::Guid b = bus_of(i, it);
            if (!b.is_null() && std::find(options.begin(), options.end(), b) == options.end())
              options.push_back(b);
          }
        options.push_back(ks::Guid{});
        agree = false;
        for (const auto& candidate_bus : options) {
          bool all = true;
          std::vector<int> repicked(members.size());
          for (std::size_t i = 0; i < members.size() && all; ++i) {
            repicked[i] = -1;
            for (int it : accepting[i]) {
              const ks::Guid b = bus_of(i, it);
              if (b == candidate_bus || b.is_null()) {
                repicked[i] = it;
                break;
              }
            }
            all = repicked[i] >= 0;
          }
          if (all) {
            picks = repicked;
            bus = candidate_bus.is_null() ? std::optional<ks::Guid>{} : candidate_bus;
            agree = true;
            break;
          }
        }
        if (!agree) {
          c.ok = false;
          c.reason = "no_common_bus";
          c.why = "the pins' framing items name different buses";
        }
      }
      c.bus = bus.value_or(ks::Guid{});
      c.picks = picks;
    }
    if (c.ok && device_specific(m)) {
      // 6.4.3.2: device-specific memory needs a pin that can allocate it.
      bool can = false;
      for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& it = g.pin(members[i].pin).ex.FramingItem[c.picks[i]];
        can = can || (it.MemoryType == m &&
                      ((it.Flags | it.MemoryFlags) & (f::CAN_ALLOCATE | f::MUST_ALLOCATE)));
      }
      if (!can) {
        c.ok = false;
        c.reason = "no_common_memory_type";
        c.why =
            "no pin's picked item can allocate it (KSALLOCATOR_FLAG_CAN_ALLOCATE or "
            "KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE on an item naming it)";
      }
    }
    if (c.ok) {
      // 6.4.9.1 as a feasibility condition: at most one MUST_ALLOCATE pin.
      // A relaxed pin's MUST_ALLOCATE is one of the flags 6.4.10.2 drops.
      std::vector<int> must;
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].relaxed) continue;
        const auto& it = g.pin(members[i].pin).ex.FramingItem[c.picks[i]];
        if ((it.Flags | it.MemoryFlags) & f::MUST_ALLOCATE) must.push_back(static_cast<int>(i));
      }
      if (must.size() > 1) {
        c.ok = false;
        c.reason = "two_must_allocate";
        c.must_allocate = must;
      }
    }
    if (c.ok) {
      // 6.4.3.5: score = sum of MemoryTypeWeight x max(1, PinWeight).
      for (std::size_t i = 0; i < members.size(); ++i) {
        const PinModel& p = g.pin(members[i].pin);
        c.score += std::uint64_t{p.ex.FramingItem[c.picks[i]].MemoryTypeWeight} *
                   std::max<std::uint64_t>(1, p.ex.PinWeight);
      }
      if (!found || c.score > out.best.score) {
        out.best = c;
        found = true;
      }
    }
    out.tried.push_back(std::move(c));
  }
  out.ok = found;
  return out;
}

}  // namespace ksframe::negotiation
