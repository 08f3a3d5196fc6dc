// KSF3xxx graph rules: connections (ref 4.1, 5.3 V-DATAFLOW, 6.4.0).
#include <algorithm>
#include <map>
#include <set>

#include "ksframe/lint.hpp"
#include "lint/context.hpp"

namespace ksframe {
namespace {

using ks::Communication;
using lint_detail::Reporter;

const char* comm_name(Communication c) {
  switch (c) {
    case Communication::None:
      return "none";
    case Communication::Sink:
      return "sink";
    case Communication::Source:
      return "source";
    case Communication::Both:
      return "both";
    case Communication::Bridge:
      return "bridge";
  }
  return "?";
}

void check_connection(Reporter& r, const ConnectionSpec& c) {
  const Spec& spec = r.spec;
  const PinSpec& from = spec.pin(c.from_ref);
  const PinSpec& to = spec.pin(c.to_ref);
  const std::string label = c.from.value + " -> " + c.to.value;
  if (from.dataflow.value != ks::Dataflow::Out || to.dataflow.value != ks::Dataflow::In) {
    const bool reversed =
        from.dataflow.value == ks::Dataflow::In && to.dataflow.value == ks::Dataflow::Out;
    auto& d = r.report(
        "KSF3001",
        "connection " + label + " joins " +
            (from.dataflow.value == ks::Dataflow::Out ? "an output" : "an input") + " pin to " +
            (to.dataflow.value == ks::Dataflow::Out ? "an output" : "an input") + " pin",
        c.pos, "",
        reversed ? "swap 'from' and 'to': connections go from the output pin to the input pin"
                 : "connections go from an output pin to an input pin");
    d.related.push_back({spec.at(from.dataflow.pos), c.from.value + " is declared here"});
    d.related.push_back({spec.at(to.dataflow.pos), c.to.value + " is declared here"});
  }
  const Communication a = from.communication.value, b = to.communication.value;
  if (a == Communication::None || a == Communication::Bridge || b == Communication::None ||
      b == Communication::Bridge) {
    const bool first = a == Communication::None || a == Communication::Bridge;
    const PinSpec& bad = first ? from : to;
    auto& d =
        r.report("KSF3003",
                 "connection " + label + " uses " + (first ? c.from.value : c.to.value) + ", a " +
                     comm_name(bad.communication.value) + " pin, which cannot be connected",
                 c.pos);
    d.related.push_back({spec.at(bad.communication.present ? bad.communication.pos : bad.pos),
                         "communication declared here"});
  } else if (a == b && a != Communication::Both) {
    auto& d = r.report("KSF3002", "connection " + label + " joins two " + comm_name(a) + " pins",
                       c.pos, "", "an IRP sink pin connects to an IRP source pin");
    d.related.push_back({spec.at(from.communication.pos), c.from.value});
    d.related.push_back({spec.at(to.communication.pos), c.to.value});
  }
}

// KS creates no instance of a pin factory with InstancesPossible 0: a connection that uses it
// cannot be made. (The C reader relies on this rule for drivers that declare such pins.)
void check_instances_zero(Reporter& r, const ConnectionSpec& c) {
  for (const bool from : {true, false}) {
    const PinSpec& p = r.spec.pin(from ? c.from_ref : c.to_ref);
    if (p.instances_possible.value != 0) continue;
    const std::string& name = from ? c.from.value : c.to.value;
    auto& d = r.report(
        "KSF3008",
        "connection " + c.from.value + " -> " + c.to.value + " uses " + name +
            ", whose InstancesPossible is 0: KS creates no instance of it",
        c.pos, "", "give the pin instances: {possible: N} with N > 0, or remove the connection");
    d.related.push_back({r.spec.at(p.instances_possible.pos), "instances.possible"});
  }
}

}  // namespace

void lint_graph(const Spec& spec, Diagnostics& out) {
  Reporter r{spec, out, -1, -1, "connections"};
  std::map<std::pair<int, int>, const ConnectionSpec*> into;
  std::map<std::pair<int, int>, std::vector<const ConnectionSpec*>> out_of;
  for (const auto& c : spec.connections) {
    if (!c.from_ref.resolved() || !c.to_ref.resolved()) continue;
    check_connection(r, c);
    check_instances_zero(r, c);
    auto key = std::make_pair(c.to_ref.filter, c.to_ref.pin);
    if (auto it = into.find(key); it != into.end()) {
      auto& d = r.report("KSF3004", "input pin " + c.to.value + " has a second incoming connection",
                         c.pos, "", "a KS input pin instance is connected to one output pin");
      d.related.push_back({spec.at(it->second->pos), "the first connection"});
    } else {
      into.emplace(key, &c);
    }
    out_of[{c.from_ref.filter, c.from_ref.pin}].push_back(&c);
  }
  for (const auto& [key, conns] : out_of) {
    if (conns.size() < 2) continue;
    const PinSpec& pin = spec.filters[key.first].pins[key.second];
    const std::string name = conns[0]->from.value;
    if (!(pin.flags.value & ks::pinflag::SPLITTER)) {
      auto& d =
          r.report("KSF3005",
                   "output pin " + name + " has " + std::to_string(conns.size()) +
                       " outgoing connections but is not a splitter",
                   conns[1]->pos, "", "set KSPIN_FLAG_SPLITTER on the pin, or use one connection");
      d.related.push_back({spec.at(conns[0]->pos), "the first connection"});
    } else if (pin.instances_possible.value != ks::kUnbounded &&
               conns.size() > pin.instances_possible.value) {
      auto& d = r.report("KSF3005",
                         "splitter pin " + name + " allows " +
                             std::to_string(pin.instances_possible.value) + " instances but has " +
                             std::to_string(conns.size()) + " connections",
                         conns[pin.instances_possible.value]->pos);
      d.related.push_back({spec.at(pin.instances_possible.pos), "instances.possible"});
    }
  }
  // A spec that states no connection describes filters alone (their outputs stream into
  // implied consumers): which pins a graph needs is not yet known.
  if (std::none_of(spec.connections.begin(), spec.connections.end(),
                   [](const ConnectionSpec& c) { return !c.implied; }))
    return;
  // A filter no connection touches is not part of the graph; one that is must be able to leave
  // KSSTATE_STOP, which needs InstancesNecessary instances of each of its pins.
  std::set<int> in_graph;
  for (const auto& [key, c] : into) in_graph.insert(key.first);
  for (const auto& [key, conns] : out_of) in_graph.insert(key.first);
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
    if (!in_graph.count(static_cast<int>(fi))) continue;
    for (std::size_t pi = 0; pi < spec.filters[fi].pins.size(); ++pi) {
      const PinSpec& p = spec.filters[fi].pins[pi];
      if (p.instances_necessary.value == 0) continue;
      const auto key = std::make_pair(static_cast<int>(fi), static_cast<int>(pi));
      if (into.count(key) || out_of.count(key)) continue;
      Reporter pr{spec, out, static_cast<int>(fi), static_cast<int>(pi),
                  spec.filters[fi].name.value + "." + p.name.value};
      pr.report("KSF3006",
                "pin " + pr.subject + " needs " + std::to_string(p.instances_necessary.value) +
                    " instance(s) to run but no connection uses it: filter " +
                    spec.filters[fi].name.value + " cannot leave KSSTATE_STOP",
                p.instances_necessary.pos, "instances");
    }
  }
}

}  // namespace ksframe
