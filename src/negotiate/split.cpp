// The split-point search of pipe formation (docs/algorithm.md, "When it does not fit"): which
// join of a walk has to give way. The literal reading evaluates the pipe after every join; the
// fast one evaluates the whole walk and bisects, which is only the same when feasibility can
// only shrink as pins join. feasibility_monotone() says when that holds; otherwise the fast
// search falls back to the literal one.
#include <algorithm>

#include "negotiate/internal.hpp"
#include "negotiate/select.hpp"

namespace ksframe::negotiation {
namespace {

std::vector<Member> prefix(const std::vector<Member>& members, int n) {
  return std::vector<Member>(members.begin(), members.begin() + n);
}

}  // namespace

// A prefix that fails can become feasible again when a later pin joins only through:
// - a device-specific memory type, which needs some pin that can allocate it (b7);
// - a user-mode pin or the user-mode boundary, which adds USER as a candidate;
// - a second named memory type, which adds a candidate earlier pins may accept;
// - a pin with several items when some item names a bus: the pick (and so the pin's ranges)
//   then depends on the other pins' buses; without buses a pin's pick for a memory type
//   depends on nothing else;
// - a compression ratio, where a later optimal range can lower the target below an overflow
//   and the bounded stepping scan is not exact.
// Without any of these every constraint only tightens, so bisection is exact.
bool feasibility_monotone(const Graph& g, const std::vector<Member>& members) {
  const ks::Guid* named = nullptr;
  bool several_items = false, bus_named = false;
  for (const auto& m : members) {
    const PinModel& p = g.pin(m.pin);
    if (p.user_mode || connected_to_user(g, m.pin)) return false;
    several_items = several_items || p.ex.FramingItem.size() != 1;
    for (const auto& it : p.ex.FramingItem) bus_named = bus_named || !it.BusType.is_null();
    if (several_items && bus_named) return false;
    if (m.size.unknown || m.size.num != m.size.den || m.size.margin_num != 0) return false;
    for (const auto& it : p.ex.FramingItem) {
      const ks::Guid& t = it.MemoryType;
      if (t.is_null()) continue;
      if (!ks::is_standard_memory_type(t)) return false;
      if (named && !(*named == t)) return false;
      named = &t;
    }
  }
  return true;
}

int find_split_per_join(const Graph& g, const std::vector<Member>& members,
                        const NegotiateOptions& o, bool compatible, Outcome* whole, Outcome* why,
                        bool explain) {
  const int n = static_cast<int>(members.size());
  bool before = check(g, prefix(members, 1), o, compatible).ok;
  for (int k = 1; k < n; ++k) {
    Outcome now = check(g, prefix(members, k + 1), o, compatible);
    if (before && !now.ok) {
      // This join turned a feasible pipe infeasible: it gives way. A join into a pipe that
      // was not feasible yet (device memory still waiting for a pin that can allocate it)
      // is not to blame.
      *why = std::move(now);
      return k;
    }
    before = now.ok;
  }
  *whole = explain ? evaluate(g, members, o, compatible) : check(g, members, o, compatible);
  if (whole->ok) return -1;
  *why = check(g, prefix(members, 1), o, compatible);
  return 0;
}

int find_split(const Graph& g, const std::vector<Member>& members, const NegotiateOptions& o,
               bool compatible, Outcome* whole, Outcome* why, bool explain) {
  // The per-join check is quadratic: on a walk longer than this (only a generated or hostile
  // spec has one) bisection answers instead, as docs/algorithm.md says.
  constexpr std::size_t kPerJoinLimit = 256;
  if (members.size() <= kPerJoinLimit && !feasibility_monotone(g, members))
    return find_split_per_join(g, members, o, compatible, whole, why, explain);
  *whole = explain ? evaluate(g, members, o, compatible) : check(g, members, o, compatible);
  if (whole->ok) return -1;
  // Monotone: the prefixes are feasible up to some length and infeasible from there on, so
  // the first infeasible prefix ends at the join that gives way.
  int lo = 1, hi = static_cast<int>(members.size());
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (check(g, prefix(members, mid), o, compatible).ok)
      lo = mid + 1;
    else
      hi = mid;
  }
  *why = check(g, prefix(members, lo), o, compatible);
  return lo - 1;
}

}  // namespace ksframe::negotiation
