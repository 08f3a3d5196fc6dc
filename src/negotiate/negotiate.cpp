// Ref 6.4.2 and 6.4.10: pipe formation, split points, relaxation and failures; then linked
// neighbours (6.4.8) and the per-pin assignments. See docs/algorithm.md for the walk-through.
#include <algorithm>
#include <deque>
#include <functional>
#include <iterator>
#include <set>

#include "ksframe/rules.hpp"
#include "negotiate/internal.hpp"
#include "negotiate/sizes.hpp"

namespace ksframe::negotiation {
namespace {

namespace pf = ks::pinflag;

struct Start {
  int pin = -1;
  int instance = 0;
  int via_link = -1;  ///< a splitter copy branch: the only link this pipe follows from its begin
  int prev = -1;      ///< pipe feeding it through a non-in-place route or a split
  bool compatible = false;
  std::string reason;  ///< why this pin starts a pipe (for the split note)
};

struct Walk {
  std::vector<Member> members;
  std::vector<Start> next;  ///< pipes this one feeds (non-in-place routes, copy branches)
  bool cycle = false;
  std::string cycle_pin;
};

// Does anything that shares the buffers reached from `pin` modify frames? Modifying is a
// property of what is reached in place: a modifying in-place route, or a pin that ends the
// walk (a sink) with INPLACE_MODIFIER. A copying filter's input reads the shared buffer and
// writes into its own pipe's, so its INPLACE_MODIFIER does not make the branch modifying.
bool branch_modifies(const Graph& g, int pin) {
  std::vector<int> stack{pin};
  std::set<int> seen;
  while (!stack.empty()) {
    const int p = stack.back();
    stack.pop_back();
    if (!seen.insert(p).second) continue;
    const PinModel& pm = g.pin(p);
    if (pm.dataflow == ks::Dataflow::In && pm.routes.empty())
      for (const auto& it : pm.ex.FramingItem)
        if (it.Flags & ks::flag::INPLACE_MODIFIER) return true;
    for (int r : pm.routes)
      if (g.routes[r].in_place) {
        if (g.routes[r].modifying) return true;
        stack.push_back(g.routes[r].to);
      }
    for (int l : pm.out_links) stack.push_back(g.links[l].to);
  }
  return false;
}

class Former {
 public:
  Former(const Graph& g, const NegotiateOptions& o, Negotiation& out) : g_(g), o_(o), out_(out) {}

  void run() {
    for (const auto& r : g_.rejected) out_.failures.push_back(r);
    pipe_of_.assign(g_.pins.size(), -1);
    std::deque<Start> queue;
    // Only pins with a connection exist as pin instances: an unconnected output pin (of a
    // connected filter or not) is in no pipe, so it gets no allocator and no frame default.
    for (int p = 0; p < static_cast<int>(g_.pins.size()); ++p)
      if (g_.pin(p).dataflow == ks::Dataflow::Out && g_.pin(p).eligible &&
          !g_.pin(p).out_links.empty() && !in_place_fed(p))
        queue.push_back({p, 0, -1, -1, false, ""});
    while (true) {
      while (!queue.empty()) {
        Start s = queue.front();
        queue.pop_front();
        if (s.instance == 0 && pipe_of_[s.pin] >= 0) continue;
        for (auto& n : form(s)) queue.push_back(n);
      }
      // Pins that only a cycle reaches were never started: start at the first one, so the walk
      // meets the cycle and reports it.
      int orphan = -1;
      for (int p = 0; p < static_cast<int>(g_.pins.size()) && orphan < 0; ++p)
        if (pipe_of_[p] < 0 && g_.pin(p).eligible && g_.pin(p).dataflow == ks::Dataflow::Out &&
            !g_.pin(p).out_links.empty())
          orphan = p;
      if (orphan < 0) break;
      queue.push_back({orphan, 0, -1, -1, false, "cycle"});
    }
  }

 private:
  bool in_place_fed(int out_pin) const {
    for (int i : g_.pin(out_pin).routes_in) {
      const Route& r = g_.routes[i];
      if (r.in_place && g_.pin(r.from).eligible && g_.pin(r.from).in_link >= 0) return true;
    }
    return false;
  }

  Walk walk(const Start& s, const std::set<int>& blocked_routes, const std::set<int>& blocked_links,
            const std::set<int>& relaxed) {
    Walk w;
    std::set<int> in_walk;
    Member begin;
    begin.pin = s.pin;
    begin.instance = s.instance;
    begin.relaxed = relaxed.count(s.pin) > 0;
    w.members.push_back(begin);
    in_walk.insert(s.pin);
    auto add = [&](Member m) {
      if (in_walk.count(m.pin) || pipe_of_[m.pin] >= 0) {
        w.cycle = true;
        w.cycle_pin = g_.pin(m.pin).name;
        return;
      }
      m.relaxed = relaxed.count(m.pin) > 0;
      in_walk.insert(m.pin);
      w.members.push_back(m);
    };
    for (std::size_t i = 0; i < w.members.size(); ++i) {
      const Member m = w.members[i];
      const PinModel& p = g_.pin(m.pin);
      if (p.dataflow == ks::Dataflow::Out) {
        std::vector<int> links;
        if (i == 0 && s.via_link >= 0)
          links = {s.via_link};
        else
          links = p.out_links;
        // 6.4.2.3: splitter instances beyond the first share the pipe only when neither their
        // branch nor the first instance's modifies frames; otherwise AVStream copies them.
        const bool splitter = (p.flags & pf::SPLITTER) && p.out_links.size() > 1 && s.via_link < 0;
        const bool first_modifies = splitter && branch_modifies(g_, g_.links[p.out_links[0]].to);
        for (int l : links) {
          if (blocked_links.count(l)) continue;
          if (splitter && g_.links[l].instance > 0 &&
              (first_modifies || branch_modifies(g_, g_.links[l].to))) {
            w.next.push_back({m.pin, g_.links[l].instance, l, -1, false, "splitter copy branch"});
            continue;
          }
          Member n;
          n.pin = g_.links[l].to;
          n.size = m.size;
          n.via_link = l;
          n.parent = static_cast<int>(i);
          add(n);
        }
      } else {
        for (int r : p.routes) {
          const Route& route = g_.routes[r];
          // An output pin nothing is connected to has no instance: the route leads nowhere.
          if (!g_.pin(route.to).eligible || g_.pin(route.to).out_links.empty()) continue;
          if (blocked_routes.count(r))
            continue;  // a split point: form() queues it, with its reason
          if (!route.in_place) {
            w.next.push_back({route.to, 0, -1, -2, false, "non-in-place route"});
            continue;
          }
          Member n;
          n.pin = route.to;
          n.size = cross_filter(m.size, g_.pin(route.to).ex.OutputCompression);
          n.via_route = r;
          n.parent = static_cast<int>(i);
          add(n);
        }
      }
    }
    return w;
  }

  // A pipe whose begin pin is reached through a route can have a previous pipe, and link_pass
  // then evaluates it again with the size handed over: its split search needs no explanation.
  int split_search(const std::vector<Member>& members, bool compatible, Outcome* whole,
                   Outcome* why) {
    const bool explain = g_.pin(members[0].pin).routes_in.empty();
    return o_.split_search_per_join
               ? find_split_per_join(g_, members, o_, compatible, whole, why, explain)
               : find_split(g_, members, o_, compatible, whole, why, explain);
  }

  std::string link_label(int l) const {
    return g_.spec->connections[g_.links[l].connection].from.value + " -> " +
           g_.spec->connections[g_.links[l].connection].to.value;
  }

  std::vector<Start> form(Start s) {
    std::set<int> blocked_routes, blocked_links, relaxed;
    std::vector<Start> extra;
    Walk w;
    Outcome outcome;
    while (true) {
      w = walk(s, blocked_routes, blocked_links, relaxed);
      Outcome why;
      const int k = split_search(w.members, s.compatible, &outcome, &why);
      if (k < 0) break;
      const Member& m = w.members[k];
      if (m.via_route >= 0) {
        // 6.4.2.4: an infeasible in-place join becomes a split point.
        blocked_routes.insert(m.via_route);
        const bool integrity = why.reason == "integrity_conflict";
        extra.push_back({m.pin, 0, -1, -2, integrity, why.reason});
        note_split(m, why);
        continue;
      }
      if (m.via_link >= 0) {
        // 6.4.10.2: relax the PREFERENCES_ONLY pins of the prefix, once per link.
        std::set<int> candidates;
        for (int i = 0; i <= k; ++i)
          for (const auto& it : g_.pin(w.members[i].pin).ex.FramingItem)
            if ((it.Flags & ks::flag::PREFERENCES_ONLY) && !relaxed.count(w.members[i].pin))
              candidates.insert(w.members[i].pin);
        if (!candidates.empty() && !tried_relax_.count(m.via_link)) {
          tried_relax_.insert(m.via_link);
          std::set<int> trial = relaxed;
          trial.insert(candidates.begin(), candidates.end());
          Walk tw = walk(s, blocked_routes, blocked_links, trial);
          Outcome tw_whole, tk;
          const int k2 = split_search(tw.members, s.compatible, &tw_whole, &tk);
          if (k2 < 0 || k2 > k) {
            relaxed = trial;
            for (int pin : candidates) note_relaxed(pin, link_label(m.via_link));
            continue;
          }
        }
        // 6.4.10.3: the connection fails; what is downstream of it negotiates on its own.
        blocked_links.insert(m.via_link);
        NegotiationFailure f{link_label(m.via_link), why.reason, why.message, why.constraints};
        out_.failures.push_back(f);
        report_failure(f);
        for (int r : g_.pin(m.pin).routes)
          if (g_.routes[r].in_place && !g_.pin(g_.routes[r].to).out_links.empty())
            extra.push_back({g_.routes[r].to, 0, -1, -1, false, "upstream failed"});
        unplaced_[m.pin] = "its connection cannot be negotiated (" + why.reason + ")";
        continue;
      }
      // The begin pin alone is infeasible: the pipe fails as a whole.
      break;
    }
    const int id = static_cast<int>(out_.pipes.size());
    Pipe pipe = std::move(outcome.pipe);
    pipe.id = "pipe-" + std::to_string(id + 1);
    if (!outcome.ok) {
      pipe.failed = true;
      NegotiationFailure f{pipe.id, outcome.reason, outcome.message, outcome.constraints};
      out_.failures.push_back(f);
      report_failure(f);
    }
    if (w.cycle) {
      pipe.flags |= ks::flag::CYCLE;
      report_cycle(pipe, w.cycle_pin);
    }
    if (s.prev >= 0) pipe.prev_segment = s.prev;
    for (const auto& m : w.members)
      if (m.instance == 0) pipe_of_[m.pin] = id;
    out_.pipes.push_back(std::move(pipe));
    members_.push_back(w.members);
    compatible_.push_back(s.compatible);
    explained_.push_back(outcome.explained);
    std::vector<Start> next;
    for (auto n : w.next) {
      if (n.prev == -2) n.prev = id;  // fed through this pipe (non-in-place route or split)
      next.push_back(n);
    }
    for (auto n : extra) {
      if (n.prev == -2) n.prev = id;
      next.push_back(n);
    }
    return next;
  }

 public:
  // Ref 6.4.8, linked neighbours: a pipe that starts at the output of a non-in-place filter
  // takes the size the previous pipe hands over (through the filter's OutputCompression) as a
  // preference, or exactly with INSIST_ON_FRAMESIZE_RATIO. Pipes are visited in topological
  // order so the previous pipe's size is final; a loop between pipes is a cycle.
  void link_pass() {
    const int n = static_cast<int>(out_.pipes.size());
    std::vector<int> prev(n, -1), via(n, -1);
    for (int b = 0; b < n; ++b) {
      const Member& begin = members_[b][0];
      if (begin.instance > 0) continue;  // a splitter copy: AVStream copies, no framing link
      for (int r : g_.pin(begin.pin).routes_in) {
        const Route& route = g_.routes[r];
        if (pipe_of_[route.from] < 0 || pipe_of_[route.from] == b) continue;
        prev[b] = pipe_of_[route.from];
        via[b] = route.from;
        break;
      }
      if (prev[b] >= 0) out_.pipes[b].prev_segment = prev[b];
    }
    std::vector<int> state(n, 0), order;
    std::function<void(int)> visit = [&](int v) {
      if (state[v] == 2) return;
      if (state[v] == 1) {
        out_.pipes[v].flags |= ks::flag::CYCLE;
        report_cycle(out_.pipes[v], out_.pipes[v].members[0].name);
        return;
      }
      state[v] = 1;
      if (prev[v] >= 0) visit(prev[v]);
      state[v] = 2;
      order.push_back(v);
    };
    for (int v = 0; v < n; ++v) visit(v);
    // Returns whether the pipe was evaluated again with the size handed over.
    auto link_one = [&](int b) -> bool {
      const int a = prev[b];
      Pipe& pb = out_.pipes[b];
      if (a < 0 || pb.failed || out_.pipes[a].failed || (pb.flags & ks::flag::CYCLE)) return false;
      if (out_.pipes[a].range_state == 0) {
        // A don't-care size (nothing constrains it; 0 stands for "any") hands nothing over: the
        // next pipe keeps its own state rather than being fixed at 0 (ref 6.4.5).
        pb.explanation.push_back(
            {"frame_size",
             {},
             "6.4.8",
             "not sized from " + out_.pipes[a].id + ": its frame size is don't care",
             {}});
        return false;
      }
      const PinModel& begin = g_.pin(members_[b][0].pin);
      const int item = std::max(0, pb.members[0].item);
      const auto& begin_item = begin.ex.FramingItem[item];
      bool independent = false;
      for (const auto& m : pb.members) {
        const auto& it = g_.pin(m.pin.filter >= 0 ? g_.index.at({m.pin.filter, m.pin.pin}) : 0)
                             .ex.FramingItem[std::max(0, m.item)];
        independent = independent || (it.Flags & ks::flag::INDEPENDENT_RANGES);
      }
      // 6.4.8: a pin of the boundary filter (the copying filter between the pipes) can ask for
      // it too; the input pin belongs to the previous pipe, so its picked item there counts.
      const Pipe& pa = out_.pipes[a];
      const SizeMap* handed_map = nullptr;
      for (std::size_t i = 0; i < members_[a].size(); ++i) {
        const Member& m = members_[a][i];
        if (g_.pin(m.pin).ref.filter != begin.ref.filter) continue;
        if (m.pin == via[b]) handed_map = &m.size;
        const auto& it = g_.pin(m.pin).ex.FramingItem[std::max(0, pa.members[i].item)];
        if (it.Flags & ks::flag::INDEPENDENT_RANGES) {
          independent = true;
          pb.flags |= ks::flag::INDEPENDENT_RANGES;
        }
      }
      if (independent) return false;
      const auto& c = begin.ex.OutputCompression;
      if (c.RatioNumerator == ks::kCompressionUnknown || c.RatioDenominator == 0) return false;
      if (!handed_map) return false;
      if (handed_map->unknown) {
        // The size at the boundary follows an unknown compression in the previous pipe: nothing
        // relates it to this pipe's sizes, so there is no link to size from (not even a hard one).
        pb.explanation.push_back({"frame_size",
                                  {},
                                  "6.4.8",
                                  "not sized from " + pa.id + ": the size it hands over at " +
                                      g_.pin(via[b]).name + " follows an unknown compression",
                                  {}});
        return false;
      }
      const std::uint64_t handed = size_at(*handed_map, pa.begin_size);
      SizeMap through;
      through = cross_filter(through, c);
      const std::uint64_t s = size_at(through, handed);
      LinkedSize linked{(begin_item.Flags & ks::flag::INSIST_ON_FRAMESIZE_RATIO) != 0, s, pa.id};
      Outcome linked_outcome = evaluate(g_, members_[b], o_, compatible_[b], linked);
      if (linked_outcome.ok) {
        Pipe replaced = std::move(linked_outcome.pipe);
        replaced.id = pb.id;
        replaced.prev_segment = pb.prev_segment;
        replaced.flags |= pb.flags & ks::flag::CYCLE;
        pb = std::move(replaced);
      } else if (linked.hard) {
        // 6.4.10.3: the pipe fails and keeps the values it reached (not a Finalized pipe).
        Pipe failed = std::move(linked_outcome.pipe);
        failed.id = pb.id;
        failed.prev_segment = pb.prev_segment;
        failed.flags |= pb.flags & ks::flag::CYCLE;
        failed.failed = true;
        pb = std::move(failed);
        NegotiationFailure f{
            pa.id + " -> " + pb.id,
            "ratio_conflict",
            linked_outcome.message,
            {{g_.pin(via[b]).name, "hands over " + std::to_string(handed) + " bytes",
              g_.location(via[b], 0, Field::Optimal)},
             {begin.name,
              "KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO: exactly " + std::to_string(s) + " bytes",
              g_.location(members_[b][0].pin, item, Field::Flags)}}};
        out_.failures.push_back(f);
        report_failure(f);
      }
      return linked_outcome.ok || linked.hard;
    };
    for (int b : order)
      if (!link_one(b) && !explained_[b]) explain_pipe(b);
  }

 private:
  // The split search decides feasibility without explanations (check()); a pipe that link_pass
  // does not evaluate again gets them here. Both evaluations give the same values, so only the
  // explanation is taken, ahead of what link_pass added.
  void explain_pipe(int b) {
    Outcome full = evaluate(g_, members_[b], o_, compatible_[b]);
    auto& e = out_.pipes[b].explanation;
    e.insert(e.begin(), std::make_move_iterator(full.pipe.explanation.begin()),
             std::make_move_iterator(full.pipe.explanation.end()));
    explained_[b] = true;
  }

  void note_split(const Member& m, const Outcome& why) {
    Diagnostic d =
        make_diagnostic("KSF4003",
                        "the in-place route into " + g_.pin(m.pin).name +
                            " becomes a pipe boundary: " + why.message + " (" + why.reason + ")",
                        g_.spec->at(g_.spec->pin(g_.pin(m.pin).ref).pos));
    for (const auto& c : why.constraints) d.related.push_back({c.location, c.pin + ": " + c.what});
    d.subject = g_.pin(m.pin).name;
    out_.diagnostics.push_back(std::move(d));
  }

  void note_relaxed(int pin, const std::string& link) {
    Diagnostic d = make_diagnostic(
        "KSF4002",
        g_.pin(pin).name + ": PREFERENCES_ONLY requirements are dropped to connect " + link,
        g_.spec->at(g_.spec->pin(g_.pin(pin).ref).pos),
        "the pin said its memory type, bus and flags are preferences; they could not all be met");
    d.subject = g_.pin(pin).name;
    out_.diagnostics.push_back(std::move(d));
  }

  void report_failure(const NegotiationFailure& f) {
    Location where =
        f.constraints.empty() ? Location{g_.spec->file, 1, 1} : f.constraints.back().location;
    Diagnostic d = make_diagnostic(
        "KSF4001", f.connection + " cannot be negotiated: " + f.message + " [" + f.reason + "]",
        where);
    for (const auto& c : f.constraints) d.related.push_back({c.location, c.pin + ": " + c.what});
    d.subject = f.connection;
    out_.diagnostics.push_back(std::move(d));
  }

  void report_cycle(const Pipe& pipe, const std::string& pin) {
    const auto& begin = g_.spec->pin(pipe.members[0].pin);
    Diagnostic d = make_diagnostic(
        "KSF4004", pipe.id + " loops back to " + pin + ": Kernel Streaming graphs must be acyclic",
        g_.spec->at(begin.pos));
    d.subject = pipe.id;
    out_.failures.push_back({pipe.id, "cycle", d.message, {}});  // before d is moved from
    out_.diagnostics.push_back(std::move(d));
  }

 public:
  std::map<int, std::string> unplaced_;
  std::vector<int> pipe_of_;
  std::vector<std::vector<Member>> members_;
  std::vector<bool> compatible_;
  std::vector<bool> explained_;  ///< false: evaluated by check() only so far

 private:
  const Graph& g_;
  const NegotiateOptions& o_;
  Negotiation& out_;
  std::set<int> tried_relax_;
};

}  // namespace
}  // namespace ksframe::negotiation

namespace ksframe {

std::string_view to_string(AllocatorPlace place) {
  switch (place) {
    case AllocatorPlace::None:
      return "None";
    case AllocatorPlace::FirstPin:
      return "FirstPin";
    case AllocatorPlace::LastPin:
      return "LastPin";
    case AllocatorPlace::MiddlePin:
      return "MiddlePin";
  }
  return "None";
}

bool streams_in(const PinSpec& pin) {
  return pin.dataflow.value == ks::Dataflow::In && uses_standard_transport(pin);
}

std::string explanation_section(std::string_view rule, std::string_view value) {
  static constexpr std::string_view kDoc = "docs/algorithm.md ";
  auto step = [](int n) {
    return std::string(kDoc) + "\"2. What each pipe gets\", step " + std::to_string(n);
  };
  const std::string boundary = std::string(kDoc) + "\"2a. The user-mode boundary\"";
  if (value == "allocator_properties" || rule == "6.4.9.4") return boundary;
  if (rule == "6.4.3" || rule == "6.4.3.4") return step(1);
  if (rule == "6.4.4" || rule == "6.4.5") return step(2);
  if (rule == "6.4.6") return step(3);
  if (rule == "6.4.7") return step(4);
  if (rule == "6.4.8")
    return value == "frame_size" ? std::string(kDoc) + "\"4. Linked neighbours\"" : step(5);
  if (rule.substr(0, 6) == "6.4.9.") return step(6);
  if (rule == "6.4.11" || rule == "6.4.12") return step(7);
  return std::string(kDoc) + "\"8. Rule numbers in explanations\"";
}

bool is_source_filter(const FilterSpec& filter) {
  return std::none_of(filter.pins.begin(), filter.pins.end(),
                      [](const PinSpec& p) { return streams_in(p); });
}

namespace {

// Why a pin is in no pipe, when negotiation did not fail it: pins that cannot stream through the
// standard transport, pins KS creates no instance of, and pins nothing is connected to.
std::string no_pipe_reason(const Spec& spec, const negotiation::Graph& g, int p) {
  const PinSpec& s = spec.pin(g.pin(p).ref);
  if (!g.pin(p).eligible)
    return "KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT: the pin belongs to no pipe";
  if (s.communication.value == ks::Communication::Bridge)
    return "communication bridge: the pin connects outside Kernel Streaming and belongs to no "
           "pipe";
  if (s.communication.value == ks::Communication::None)
    return "communication none: the pin is no connection point and belongs to no pipe";
  if (s.instances_possible.value == 0)
    return "InstancesPossible is 0: KS creates no instance of the pin";
  return "not connected";
}

// DirectShow's memory allocator (CMemAllocator, which KsProxy's user-mode side uses) refuses a
// cbAlign that is not a power of two dividing the allocation granularity (64 KiB): SetProperties
// fails with VFW_E_BADALIGN. With cbBuffer or cBuffers 0, Commit fails with VFW_E_SIZENOTSET.
// A don't-care pipe's size 0 is not a size: the proxy sizes its buffers from the media type.
constexpr std::uint64_t kAllocationGranularity = 65536;

void check_committable(const Spec& spec, const Pipe& pipe, Diagnostics& out) {
  const AllocatorProperties& a = *pipe.allocator_properties;
  std::string why;
  if (a.cbAlign == 0 || (a.cbAlign & (a.cbAlign - 1)) != 0 || a.cbAlign > kAllocationGranularity)
    why = "cbAlign " + std::to_string(a.cbAlign) +
          " is not a power of two up to the 64 KiB allocation granularity, so SetProperties "
          "fails with VFW_E_BADALIGN";
  else if ((a.cbBuffer == 0 && pipe.range_state != 0) || a.cBuffers == 0)
    why = std::string(a.cbBuffer == 0 ? "cbBuffer" : "cBuffers") +
          " is 0, so Commit fails with VFW_E_SIZENOTSET";
  if (why.empty()) return;
  Diagnostic d = make_diagnostic(
      "KSF4009",
      pipe.id + ": KsProxy cannot commit ALLOCATOR_PROPERTIES {" + std::to_string(a.cBuffers) +
          ", " + std::to_string(a.cbBuffer) + ", " + std::to_string(a.cbAlign) + ", " +
          std::to_string(a.cbPrefix) + "}: " + why,
      spec.at(spec.pin(pipe.members[0].pin).pos),
      "state the frame size and frame count the user-mode side needs, and a FileAlignment "
      "mask below 0x10000");
  d.subject = pipe.id;
  out.push_back(std::move(d));
}

}  // namespace

NegotiateOptions negotiate_options(const Spec& spec) {
  NegotiateOptions o;
  o.strategy = spec.options.strategy.value;
  o.default_frames = spec.options.default_frames.value;
  o.allocator_place_first = spec.options.allocator_place.value == "first";
  o.honor_input_physical_range = spec.options.honor_input_physical_range.value;
  return o;
}

Negotiation negotiate(const Spec& spec, const NegotiateOptions& options) {
  using namespace negotiation;
  Negotiation out;
  out.ran = true;
  const Graph g = build_graph(spec);
  out.property_traffic = g.property_traffic;
  Former former(g, options, out);
  former.run();
  former.link_pass();
  // Segment links and cycles between pipes.
  for (int i = 0; i < static_cast<int>(out.pipes.size()); ++i)
    if (out.pipes[i].prev_segment >= 0)
      out.pipes[out.pipes[i].prev_segment].next_segments.push_back(i);
  for (auto& p : out.pipes)
    if (p.prev_segment < 0) p.flags |= ks::flag::INDEPENDENT_RANGES;
  // Per pin: which pipe, or why none.
  for (int p = 0; p < static_cast<int>(g.pins.size()); ++p) {
    PinAssignment a{g.pin(p).name, "", ""};
    if (former.pipe_of_[p] >= 0)
      a.pipe = out.pipes[former.pipe_of_[p]].id;
    else
      a.reason = former.unplaced_.count(p) ? former.unplaced_[p] : no_pipe_reason(spec, g, p);
    out.pins.push_back(a);
  }
  // Default-allocator checks (ref 5.1 D11, 5.3 V-ALIGN-PAGE) and the frame default (V-FRAMES).
  for (const auto& pipe : out.pipes) {
    if (pipe.failed || pipe.allocator < 0) continue;
    const PinSpec& alloc = spec.pin(pipe.members[pipe.allocator].pin);
    const Location at = spec.at(alloc.pos);
    if (!pipe.vendor && pipe.align_mask > 0xFFF)
      out.diagnostics.push_back(
          make_diagnostic("KSF4005",
                          pipe.id + ": the default allocator refuses alignment mask " +
                              ks::hex32(pipe.align_mask) + " (above PAGE_SIZE - 1)",
                          at));
    const auto logical = ks::logical_memory_type(pipe.memory_type);
    if (!pipe.vendor && (logical == ks::LogicalMemoryType::DeviceHostMapped ||
                         logical == ks::LogicalMemoryType::DeviceSpecific))
      out.diagnostics.push_back(make_diagnostic(
          "KSF4006",
          pipe.id + ": the default allocator serves " +
              guid_name(pipe.memory_type, ks::GuidKind::Memory) +
              ", but it allocates system memory only",
          at, "give a pin of the pipe a KSALLOCATOR_DISPATCH (allocator:) for device memory"));
    if (!(pipe.inside_factors & 0x100))
      out.diagnostics.push_back(
          make_diagnostic("KSF4007",
                          pipe.id + ": no pin states a frame count; default_frames (" +
                              std::to_string(pipe.frames) + ") applies",
                          at));
  }
  for (const auto& pipe : out.pipes)
    if (!pipe.failed && pipe.allocator_properties) check_committable(spec, pipe, out.diagnostics);
  for (auto& d : out.diagnostics)
    if (d.severity == Severity::Error) out.ok = false;
  out.ok = out.ok && out.failures.empty();
  sort_diagnostics(out.diagnostics);
  return out;
}

}  // namespace ksframe
