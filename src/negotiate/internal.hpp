// Internal model of negotiation: pins normalised to EX framing, the graph, and the evaluation of
// one candidate pipe (a list of members in walk order).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ksframe/negotiate.hpp"

namespace ksframe::negotiation {

// 128-bit intermediates make every product of two ULONG-derived 64-bit values exact.
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

enum class Field {
  MemoryType,
  BusType,
  Flags,
  MemoryFlags,
  Frames,
  Alignment,
  Physical,
  Optimal,
  Weight
};

/// A pin normalised per ref 6.4.0: its framing as EX (legacy converted, none = one wildcard
/// item), its order for tie-breaks, and where each value came from.
struct PinModel {
  PinRef ref;
  std::string name;
  int order = 0;
  ks::Dataflow dataflow = ks::Dataflow::In;
  ks::ULONG flags = 0;         ///< KSPIN_FLAG_*
  ks::ULONG filter_flags = 0;  ///< KSFILTER_FLAG_* of its filter
  bool user_mode = false;
  bool has_allocator = false;
  bool eligible = true;
  ks::KSALLOCATOR_FRAMING_EX ex;
  std::vector<int> out_links;  ///< indices into Graph::links
  int in_link = -1;
  std::vector<int> routes;     ///< input pins: indices into Graph::routes leaving this pin
  std::vector<int> routes_in;  ///< output pins: indices into Graph::routes arriving here
};

struct Link {
  int from = -1, to = -1;  ///< pin indices
  int connection = -1;     ///< index into Spec::connections
  int instance = 0;        ///< splitter instance of `from`
};

struct Route {
  int from = -1, to = -1;
  bool in_place = false;
  bool modifying = false;  ///< an INPLACE_MODIFIER item on either pin
};

struct Graph {
  const Spec* spec = nullptr;
  PropertyTraffic property_traffic;  ///< framing property requests made to build the graph
  std::vector<PinModel> pins;
  std::map<std::pair<int, int>, int> index;  ///< (filter, pin) -> pins index
  std::vector<Link> links;
  std::vector<Route> routes;
  std::vector<NegotiationFailure> rejected;  ///< connections negotiation cannot use at all

  Location location(int pin, int item, Field field) const;
  const PinModel& pin(int i) const { return pins[i]; }
};

Graph build_graph(const Spec& spec);

/// A member of a candidate pipe, before evaluation.
struct Member {
  int pin = -1;
  int instance = 0;
  SizeMap size;
  int via_route = -1;  ///< the route it joined through (-1: begin pin or through a link)
  int via_link = -1;
  int parent = -1;  ///< member index it was reached from
  bool relaxed = false;
};

/// What evaluating a candidate pipe gives: either values or the reason it is infeasible.
struct Outcome {
  bool ok = true;
  std::string reason;  ///< failure reason code
  std::string message;
  std::vector<Constraint> constraints;
  Pipe pipe;              ///< filled when ok (and as far as reached otherwise)
  bool explained = true;  ///< false: from check(), the pipe has no explanation
};

/// A size the previous pipe imposes on this one's begin pin (ref 6.4.8, linked neighbours):
/// hard with INSIST_ON_FRAMESIZE_RATIO, otherwise one more optimal range.
struct LinkedSize {
  bool hard = false;
  std::uint64_t size = 0;
  std::string from;  ///< the pipe it comes from
};

Outcome evaluate(const Graph& g, const std::vector<Member>& members, const NegotiateOptions& o,
                 bool compatible, const std::optional<LinkedSize>& linked = std::nullopt);
/// evaluate() without the explanations: the same values, ok, reason, message and constraints.
/// What the split search uses: whether a walk is feasible, and why not.
Outcome check(const Graph& g, const std::vector<Member>& members, const NegotiateOptions& o,
              bool compatible);

/// Where a walk that cannot stand as a whole must give way (docs/algorithm.md, "When it does
/// not fit"): the first member whose join turns a feasible prefix infeasible. -1: the walk
/// stands (`*whole` is its outcome); 0: no prefix is feasible before the walk fails, so the
/// pipe fails as a whole; k > 0: undo the join of member k (`*why` says what it broke).
/// The fast search bisects when feasibility can only shrink as pins join, and otherwise
/// checks every join, so both searches give the same answer for every walk.
/// `explain`: `*whole` is a full evaluation (with explanations) when the walk stands; otherwise
/// it comes from check(), for a pipe that is evaluated again later (linked neighbours).
int find_split(const Graph& g, const std::vector<Member>& members, const NegotiateOptions& o,
               bool compatible, Outcome* whole, Outcome* why, bool explain = true);
/// The literal search: evaluate the pipe after every join (for tests and benchmarks).
int find_split_per_join(const Graph& g, const std::vector<Member>& members,
                        const NegotiateOptions& o, bool compatible, Outcome* whole, Outcome* why,
                        bool explain = true);
/// Whether feasibility of this walk's prefixes can only shrink as pins join.
bool feasibility_monotone(const Graph& g, const std::vector<Member>& members);

/// Size maps (ref 6.4.4).
SizeMap cross_filter(const SizeMap& in, const ks::KS_COMPRESSION& c);

std::string guid_name(const ks::Guid& g, ks::GuidKind kind);

}  // namespace ksframe::negotiation
