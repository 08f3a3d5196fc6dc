// Ref 6.4.3: memory type and bus selection.
#pragma once

#include "negotiate/internal.hpp"

namespace ksframe::negotiation {

struct Acceptance {
  bool ok = false;
  std::string reason;
};

Acceptance accepts(const Graph& g, const Member& member, int item_index, const ks::Guid& m,
                   bool connected_to_user);
bool connected_to_user(const Graph& g, int pin);

struct Candidate {
  ks::Guid memory_type, bus;
  bool ok = true;
  std::string reason;  ///< no_common_memory_type, no_common_bus, two_must_allocate
  std::string why;
  int blocker = -1;  ///< member that accepts no item
  std::vector<int> must_allocate;
  std::vector<int> picks;  ///< per member: picked item
  std::uint64_t score = 0;
};

struct Selection {
  bool ok = false;
  bool named_type = false;  ///< some pin named a non-wildcard memory type
  Candidate best;
  std::vector<Candidate> tried;
};

Selection select_memory(const Graph& g, const std::vector<Member>& members);

}  // namespace ksframe::negotiation
