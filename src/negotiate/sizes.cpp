#include "negotiate/sizes.hpp"

#include <algorithm>
#include <numeric>

namespace ksframe::negotiation {
namespace {

constexpr std::uint64_t kInf = UINT64_MAX;
constexpr std::uint64_t kScanLimit = 1048576;

i128 floor_div(i128 a, i128 b) {  // b > 0
  i128 q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return q;
}
i128 ceil_div(i128 a, i128 b) { return -floor_div(-a, b); }

struct Interval {
  i128 lo = 0;
  i128 hi = static_cast<i128>(kInf);  // kInf: no upper bound
  bool empty() const { return lo > hi; }
};

// A pin range [min, max] (pin units) -> begin units, through size = a x + b.
Interval to_begin(const ks::KS_FRAMING_RANGE& r, const SizeMap& m) {
  Interval out;
  const i128 num = m.num, den = m.den, mn = m.margin_num, md = m.margin_den;
  // x >= (min - b) / a = (min*md - mn) * den / (md * num)
  out.lo = std::max<i128>(0, ceil_div((i128(r.MinFrameSize) * md - mn) * den, md * num));
  if (r.MaxFrameSize == ks::kUnbounded)
    out.hi = static_cast<i128>(kInf);
  else
    out.hi = floor_div((i128(r.MaxFrameSize) * md - mn) * den, md * num);
  return out;
}

bool constrained(const ks::KS_FRAMING_RANGE& r) {
  return !(r.MinFrameSize == 0 && r.MaxFrameSize == ks::kUnbounded);
}

bool identity(const SizeMap& m) { return m.num == m.den && m.margin_num == 0; }

struct Congruence {
  int member;
  ks::ULONG min, step;
};

i128 gcd128(i128 a, i128 b) {
  while (b != 0) {
    i128 t = a % b;
    a = b;
    b = t;
  }
  return a < 0 ? -a : a;
}

// Extended Euclid for the modular inverse.
i128 inverse(i128 a, i128 m) {
  i128 g = m, x = 0, x1 = 1, a1 = ((a % m) + m) % m;
  i128 b = a1;
  while (b != 0) {
    i128 q = g / b;
    i128 t = g - q * b;
    g = b;
    b = t;
    t = x - q * x1;
    x = x1;
    x1 = t;
  }
  return ((x % m) + m) % m;
}

// x = r (mod m) combined with x = c (mod s). Returns false when they have no common solution.
// Once m passes 2^40 only one value below 2^32 can remain, so `single` mode checks it directly.
struct Crt {
  i128 r = 0, m = 1;
  bool single = false;
  bool add(ks::ULONG c_in, ks::ULONG s) {
    const i128 c = c_in % s;
    if (single) return r % s == c;
    const i128 g = gcd128(m, s);
    if ((c - r) % g != 0) return false;
    const i128 m_g = m / g, s_g = s / g;
    const i128 t = (((c - r) / g) % s_g + s_g) % s_g * inverse(m_g % s_g, s_g) % s_g;
    r = r + m * t;
    m = m * s_g;
    r %= m;
    if (m > (i128(1) << 40)) single = true;
    return true;
  }
  // The solution inside [lo, hi] closest to `t` (ties: the larger).
  std::optional<i128> nearest(i128 lo, i128 hi, i128 t) const {
    const i128 tt = std::min(std::max(t, lo), hi);
    auto below = pick(lo, tt, true);
    auto above = pick(tt, hi, false);
    if (!below) return above;
    if (!above) return below;
    return (tt - *below < *above - tt) ? below : above;
  }
  // Largest (or smallest) solution inside [lo, hi].
  std::optional<i128> pick(i128 lo, i128 hi, bool largest) const {
    if (lo > hi) return std::nullopt;
    if (single) return (r >= lo && r <= hi) ? std::optional<i128>(r) : std::nullopt;
    if (largest) {
      i128 x = hi - (((hi - r) % m) + m) % m;
      return x >= lo ? std::optional<i128>(x) : std::nullopt;
    }
    i128 x = lo + (((r - lo) % m) + m) % m;
    return x <= hi ? std::optional<i128>(x) : std::nullopt;
  }
};

bool satisfies(const std::vector<Member>& members, const std::vector<Congruence>& cs,
               std::uint64_t x) {
  for (const auto& c : cs) {
    const std::uint64_t size = size_at(members[c.member].size, x);
    if (size < c.min || (size - c.min) % c.step != 0) return false;
  }
  return true;
}

}  // namespace

std::uint64_t size_at(const SizeMap& m, std::uint64_t x) {
  const i128 v = ceil_div(i128(x) * m.num * m.margin_den + i128(m.margin_num) * m.den,
                          i128(m.den) * m.margin_den);
  return v > i128(kInf) ? kInf : static_cast<std::uint64_t>(v);
}

SizeResult solve_sizes(const Graph& g, const std::vector<Member>& members,
                       const std::vector<int>& picks, const NegotiateOptions& o,
                       const std::optional<LinkedSize>& linked) {
  SizeResult out;
  Interval p, opt;
  std::vector<Congruence> hard, soft;
  i128 min_tot = 0, max_tot = 0, tot_den = 0;
  bool max_tot_inf = false;
  int p_lo_m = -1, p_hi_m = -1;
  bool all_identity = true;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    if (m.size.unknown) {
      // Ref 6.4.4: sizes after an unknown compression are not constrained by anything before
      // it; they do not enter the ranges of the begin pin.
      out.unknown_compression = true;
      continue;
    }
    const PinModel& pin = g.pin(m.pin);
    const auto& item = pin.ex.FramingItem[picks[i]];
    all_identity = all_identity && identity(m.size);
    const bool use_physical = pin.dataflow == ks::Dataflow::Out || o.honor_input_physical_range;
    out.physical_constrained = out.physical_constrained || constrained(item.PhysicalRange) ||
                               item.PhysicalRange.Stepping > 1;
    out.optimal_constrained = out.optimal_constrained || constrained(item.FramingRange.Range);
    // A stepping constrains the size even on an otherwise open range ({0, unbounded, 4096}).
    if (use_physical && (constrained(item.PhysicalRange) || item.PhysicalRange.Stepping > 1)) {
      Interval r = to_begin(item.PhysicalRange, m.size);
      if (p_lo_m < 0 || r.lo > p.lo) {
        p.lo = std::max(p.lo, r.lo);
        p_lo_m = static_cast<int>(i);
      }
      if (p_hi_m < 0 || r.hi < p.hi) {
        p.hi = std::min(p.hi, r.hi);
        p_hi_m = static_cast<int>(i);
      }
      if (item.PhysicalRange.Stepping > 1)
        hard.push_back(
            {static_cast<int>(i), item.PhysicalRange.MinFrameSize, item.PhysicalRange.Stepping});
    }
    const auto& orange = item.FramingRange.Range;
    // A stepping on an otherwise open optimal range still says which sizes the pin prefers
    // ({0, unbounded, 512}); it is a soft congruence, but the open range adds nothing to the
    // weighted window (docs/algorithm.md, step 2).
    if (!constrained(orange) && orange.Stepping > 1)
      soft.push_back({static_cast<int>(i), orange.MinFrameSize, orange.Stepping});
    if (constrained(orange)) {
      Interval r = to_begin(orange, m.size);
      opt.lo = std::max(opt.lo, r.lo);
      opt.hi = std::min(opt.hi, r.hi);
      if (orange.Stepping > 1)
        soft.push_back({static_cast<int>(i), orange.MinFrameSize, orange.Stepping});
      const ks::ULONG w_raw =
          m.via_route >= 0 ? item.FramingRange.InPlaceWeight : item.FramingRange.NotInPlaceWeight;
      const i128 w = w_raw == 0 ? 1 : w_raw;
      min_tot += w * r.lo;
      if (r.hi == i128(kInf))
        max_tot_inf = true;
      else
        max_tot += w * r.hi;
      tot_den += w;
    }
    if (item.PhysicalRange.Stepping > 1 || orange.Stepping > 1) out.stepping_seen = true;
  }
  if (linked) {
    // The begin pin's size relative to the previous pipe (ref 6.4.8): a one-point range.
    const i128 s = linked->size;
    if (linked->hard) {
      if (s > p.lo) p.lo = s;
      if (s < p.hi) p.hi = s;
      out.linked_conflict = p.empty();
    } else {
      opt.lo = std::max(opt.lo, s);
      opt.hi = std::min(opt.hi, s);
      min_tot += s;
      max_tot += s;
      tot_den += 1;
    }
  }
  if (p.hi > i128(kInf)) p.hi = i128(kInf);
  out.lo_member = p_lo_m < 0 ? 0 : p_lo_m;
  out.hi_member = p_hi_m < 0 ? 0 : p_hi_m;
  if (p.empty()) {
    out.ok = false;
    out.reason = out.linked_conflict ? "ratio_conflict" : "empty_physical_range";
    out.message = out.linked_conflict
                      ? "the size the previous pipe hands over (kept exactly: "
                        "INSIST_ON_FRAMESIZE_RATIO) is outside this pipe's physical range"
                      : "the physical frame-size ranges of the pipe have no size in common";
    return out;
  }
  // O = optimal ranges clipped to P; else the weighted window; else P (ref 6.4.5).
  Interval o2{std::max(opt.lo, p.lo), std::min(opt.hi, p.hi)};
  if (o2.empty() && tot_den > 0) {
    Interval w{ceil_div(min_tot, tot_den), max_tot_inf ? i128(kInf) : floor_div(max_tot, tot_den)};
    o2 = {std::max(w.lo, p.lo), std::min(w.hi, p.hi)};
    out.window_used = !o2.empty();
  }
  if (o2.empty()) o2 = p;
  const bool minimize = o.strategy & 0x2;  // AllocatorStrategy_MinimizeFrameSize
  i128 target;
  if (minimize) {
    target = o2.lo;
    out.target_rule =
        "the smallest size of the optimal range (AllocatorStrategy_MinimizeFrameSize)";
  } else if (o2.hi != i128(kInf)) {
    target = o2.hi;
    out.target_rule = "the largest size of the optimal range";
  } else {
    target = o2.lo;
    out.target_rule = "the smallest size of the optimal range (nothing bounds it from above)";
    if (target == 0) {
      out.dont_care = true;
      out.target_rule = "nothing constrains the frame size (don't care)";
    }
  }
  bool largest = !minimize && o2.hi != i128(kInf);
  if (!hard.empty() || !soft.empty()) {
    std::optional<i128> x;
    if (all_identity) {
      // Exact: combine the congruences (pairwise by gcd) and take the best solution.
      Crt h;
      bool consistent = true;
      for (const auto& c : hard) consistent = consistent && h.add(c.min, c.step);
      if (!consistent) {
        out.ok = false;
        out.reason = "stepping_conflict";
        out.message = "the physical ranges' steppings admit no common frame size";
        return out;
      }
      Crt hs = h;
      bool soft_ok = true;
      for (const auto& c : soft) soft_ok = soft_ok && hs.add(c.min, c.step);
      if (soft_ok) x = hs.pick(o2.lo, o2.hi == i128(kInf) ? i128(0xFFFFFFFF) : o2.hi, largest);
      if (!x) x = h.pick(o2.lo, o2.hi == i128(kInf) ? i128(0xFFFFFFFF) : o2.hi, largest);
      if (!x) x = h.nearest(p.lo, p.hi == i128(kInf) ? i128(0xFFFFFFFF) : p.hi, target);
    } else {
      // Scaled pipe: scan from the target towards the other end of P, bounded.
      auto scan = [&](const std::vector<Congruence>& cs, Interval in) -> std::optional<i128> {
        const i128 hi = in.hi == i128(kInf) ? i128(0xFFFFFFFF) : in.hi;
        for (std::uint64_t k = 0; k < kScanLimit; ++k) {
          const i128 v = largest ? hi - k : in.lo + k;
          if (v < in.lo || v > hi) break;
          if (satisfies(members, cs, static_cast<std::uint64_t>(v))) return v;
        }
        return std::nullopt;
      };
      std::vector<Congruence> both = hard;
      both.insert(both.end(), soft.begin(), soft.end());
      x = scan(both, o2);
      if (!x) x = scan(hard, o2);
      if (!x) {
        // Nearest to the target inside P, searching outwards in both directions.
        const i128 hi = p.hi == i128(kInf) ? i128(0xFFFFFFFF) : p.hi;
        const i128 t = std::min(std::max(target, p.lo), hi);
        for (std::uint64_t k = 0; k < kScanLimit && !x; ++k) {
          if (t + i128(k) <= hi && satisfies(members, hard, static_cast<std::uint64_t>(t + k)))
            x = t + k;
          else if (t - i128(k) >= p.lo &&
                   satisfies(members, hard, static_cast<std::uint64_t>(t - k)))
            x = t - k;
        }
      }
    }
    if (!x) {
      out.ok = false;
      out.reason = "stepping_conflict";
      out.message = "no frame size satisfies every stepping inside the physical range";
      return out;
    }
    out.stepping_decided = *x != target;
    target = *x;
    out.dont_care = false;
    if (out.stepping_decided)
      out.target_rule += ", moved to the nearest size every stepping allows";
  }
  out.fixed = (o2.lo == o2.hi) || (!hard.empty() && !soft.empty());
  out.begin_size = static_cast<std::uint64_t>(target);
  out.p_lo = static_cast<std::uint64_t>(p.lo);
  out.p_hi = static_cast<std::uint64_t>(p.hi);
  // The buffer travels through every in-place stage: its size is the largest (ref 6.4.5).
  std::uint64_t biggest = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const SizeMap& a = members[i].size;
    const SizeMap& b = members[out.max_expansion].size;
    const i128 lhs = i128(a.num) * b.den, rhs = i128(b.num) * a.den;
    const i128 mb = i128(a.margin_num) * b.margin_den, nb = i128(b.margin_num) * a.margin_den;
    if (!a.unknown && (b.unknown || lhs > rhs || (lhs == rhs && mb > nb)))
      out.max_expansion = static_cast<int>(i);
    if (a.unknown) continue;
    const std::uint64_t size = size_at(a, out.begin_size);
    if (size > biggest) out.largest = static_cast<int>(i);
    biggest = std::max(biggest, size);
  }
  if (biggest > 0xFFFFFFFFull) {
    out.ok = false;
    out.reason = "frame_size_overflow";
    out.message = "the frame size at the max-expansion pin does not fit a ULONG";
    return out;
  }
  out.frame_size = static_cast<ks::ULONG>(biggest);
  return out;
}

}  // namespace ksframe::negotiation
