// Ref 6.4.4 - 6.4.5: frame-size ranges, target and stepping for a candidate pipe.
#pragma once

#include "negotiate/internal.hpp"

namespace ksframe::negotiation {

struct SizeResult {
  bool ok = true;
  std::string reason;  ///< empty_physical_range, stepping_conflict, frame_size_overflow
  std::string message;
  int lo_member = -1, hi_member = -1;  ///< members whose ranges decided (or emptied) P and O
  std::uint64_t begin_size = 0;
  ks::ULONG frame_size = 0;
  int max_expansion = 0;  ///< member index: largest ratio (Dimensions.MaxExpansionPin)
  int largest = 0;        ///< member index whose size is the buffer's (a margin can make it)
  std::uint64_t p_lo = 0, p_hi = 0;  ///< P in begin units (p_hi = UINT64_MAX: no limit)
  bool dont_care = false;
  bool fixed = false;          ///< O was one size, or stepping left one
  bool stepping_seen = false;  ///< a Stepping > 1 (ATTENTION_STEPPING)
  bool stepping_decided = false;
  bool physical_constrained = false, optimal_constrained = false;
  bool unknown_compression = false;
  bool window_used = false;      ///< O came from the OPTIMAL_WEIGHT_TOTALS window
  std::string target_rule;       ///< how the size was picked, for the explanation
  bool linked_conflict = false;  ///< a hard linked size left P empty
};

SizeResult solve_sizes(const Graph& g, const std::vector<Member>& members,
                       const std::vector<int>& picks, const NegotiateOptions& o,
                       const std::optional<LinkedSize>& linked);

/// ceil(a x + b) for a member's size map; saturates at UINT64_MAX.
std::uint64_t size_at(const SizeMap& m, std::uint64_t x);

}  // namespace ksframe::negotiation
