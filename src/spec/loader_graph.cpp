// The loader (loader.hpp) on the graph: a filter's routes, the spec's connections (their ends
// resolved to pins), and the implied consumers that stand in for the connections of unconnected
// output pins.
#include <map>
#include <set>

#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/loader.hpp"
#include "util/text.hpp"

namespace ksframe::detail {

void Loader::read_route(const Node& node, const std::string& path, FilterSpec& f) {
  RouteSpec r;
  r.pos = node.pos;
  if (!expect_map(node, path, {"from", "to", "in_place"})) return;
  require(node, "from", path);
  require(node, "to", path);
  r.from = string(node.find("from"), path + ".from");
  r.to = string(node.find("to"), path + ".to");
  r.in_place = boolean(node.find("in_place"), path + ".in_place", false);
  if (r.from.present) r.from_pin = resolve_route_end(f, r.from, path + ".from", ks::Dataflow::In);
  if (r.to.present) r.to_pin = resolve_route_end(f, r.to, path + ".to", ks::Dataflow::Out);
  f.routes.push_back(std::move(r));
}

int Loader::resolve_route_end(const FilterSpec& f, const Located<std::string>& name,
                              const std::string& path, ks::Dataflow wanted) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < f.pins.size(); ++i) {
    names.push_back(f.pins[i].name.value);
    if (f.pins[i].name.value != name.value) continue;
    if (f.pins[i].dataflow.value != wanted) {
      const bool in = wanted == ks::Dataflow::In;
      Diagnostic d =
          make_diagnostic("KSF0018",
                          std::string("a route goes from an input pin to an output pin, but '") +
                              name.value + "' is an " + (in ? "output" : "input") + " pin",
                          at(name.pos),
                          in ? "routes read {from: <input pin>, to: <output pin>}"
                             : "routes read {from: <input pin>, to: <output pin>}");
      d.related.push_back({at(f.pins[i].dataflow.pos), "'" + name.value + "' is declared here"});
      d.subject = path;
      report(std::move(d));
      return -1;
    }
    return static_cast<int>(i);
  }
  error("KSF0017",
        "route names pin " + text::quote(name.value) + ", which filter '" + f.name.value +
            "' does not have",
        name.pos, path, list_hint(name.value, names, "pins of this filter"));
  return -1;
}

std::string Loader::list_hint(const std::string& word, const std::vector<std::string>& names,
                              const std::string& what) {
  if (auto s = text::did_you_mean(word, names)) return "did you mean '" + *s + "'?";
  std::string hint = what + ": ";
  for (std::size_t i = 0; i < names.size() && i < 10; ++i) hint += (i ? ", " : "") + names[i];
  if (names.size() > 10) hint += ", ...";
  if (names.empty()) hint += "(none)";
  return hint;
}

void Loader::read_connection(const Node& node, const std::string& path, Spec& spec) {
  ConnectionSpec c;
  c.pos = node.pos;
  if (!expect_map(node, path, {"from", "to", "format"})) return;
  require(node, "from", path);
  require(node, "to", path);
  c.from = string(node.find("from"), path + ".from");
  c.to = string(node.find("to"), path + ".to");
  if (c.from.present) c.from_ref = resolve_pin(spec, c.from, path + ".from");
  if (c.to.present) c.to_ref = resolve_pin(spec, c.to, path + ".to");
  const Node* format = node.find("format");
  FormatChoice choice;
  if (format) choice = read_format_choice(*format, path + ".format", c);
  if (c.from_ref.resolved() && c.to_ref.resolved() && choice.ok)
    resolve_format(spec, c, choice, path);
  if (c.format.resolved()) {
    const DataRangeSpec& range = spec.format_range(c);
    apply_edit(spec.filters[c.from_ref.filter].pins[c.from_ref.pin], c.format.from_range, range,
               c.format, spec.pin_name(c.from_ref));
    apply_edit(spec.filters[c.to_ref.filter].pins[c.to_ref.pin], c.format.to_range, range, c.format,
               spec.pin_name(c.to_ref));
  }
  spec.connections.push_back(std::move(c));
}

// One map from "filter.pin" to the pin, built once: looking each connection end up by a scan
// made a 100,000-pin graph take minutes to load.
void Loader::index_pins(const Spec& spec) {
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi)
    for (std::size_t pi = 0; pi < spec.filters[fi].pins.size(); ++pi)
      pin_index_.emplace(spec.filters[fi].name.value + "." + spec.filters[fi].pins[pi].name.value,
                         PinRef{static_cast<int>(fi), static_cast<int>(pi)});
}

PinRef Loader::resolve_pin(const Spec& spec, const Located<std::string>& ref,
                           const std::string& path) {
  const auto dot = ref.value.find('.');
  if (dot == std::string::npos || ref.value.find('.', dot + 1) != std::string::npos) {
    error("KSF0009", "a connection end must be written filter.pin, not " + text::quote(ref.value),
          ref.pos, path);
    return {};
  }
  if (auto it = pin_index_.find(ref.value); it != pin_index_.end()) return it->second;
  std::vector<std::string> all;  // only to suggest a name, when the lookup failed
  for (const auto& f : spec.filters)
    for (const auto& p : f.pins) all.push_back(f.name.value + "." + p.name.value);
  error("KSF0017", "connection names " + text::quote(ref.value) + ", which does not exist", ref.pos,
        path, list_hint(ref.value, all, "pins"));
  return {};
}

// Frames leave an output pin through a standard-transport connection only.
bool Loader::streams_out(const PinSpec& p) {
  return p.dataflow.value == ks::Dataflow::Out && uses_standard_transport(p);
}

// Why user mode cannot connect to a pin ("" when it can): KsProxy opens sink pins only (it
// creates the pin with no PinToHandle, so a pin that can only be an IRP source needs a kernel
// sink), and the DENY_USERMODE_ACCESS flags refuse it outright.
std::string Loader::user_mode_refused(const FilterSpec& f, const PinSpec& p) {
  if (p.communication.value == ks::Communication::Source)
    return "it is an IRP source (communication source); user mode opens sink pins only";
  if (p.flags.value & ks::pinflag::DENY_USERMODE_ACCESS)
    return "it has KSPIN_FLAG_DENY_USERMODE_ACCESS";
  if (f.flags.value & ks::filterflag::DENY_USERMODE_ACCESS)
    return "its filter has KSFILTER_FLAG_DENY_USERMODE_ACCESS";
  return "";
}

// An output pin that no connection uses streams into an implied consumer (ImpliedConsumerSpec):
// by default on the driver's filters the spec does not connect, on request on any unconnected
// output pin. Each becomes a one-pin filter `implied:<filter>:<pin>` (':' cannot appear in a
// spec's names, so it cannot collide), a connection on the pin's first (or chosen) range, and,
// when its service or hold is given, a load stage: negotiation, the format's framing edit and
// the load then treat it as any consumer.
void Loader::add_implied_consumers(Spec& spec) {
  std::set<int> connected_filters;
  std::map<std::pair<int, int>, const ConnectionSpec*> connected_pins;
  for (const auto& c : spec.connections)
    for (const PinRef& r : {c.from_ref, c.to_ref})
      if (r.resolved()) {
        connected_filters.insert(r.filter);
        connected_pins.emplace(std::make_pair(r.filter, r.pin), &c);
      }
  struct Wanted {
    PinRef ref;
    ImpliedConsumerSpec consumer;
    Position at;
  };
  std::vector<Wanted> wanted;
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
    const FilterSpec& f = spec.filters[fi];
    for (std::size_t pi = 0; pi < f.pins.size(); ++pi) {
      const PinSpec& p = f.pins[pi];
      const PinRef ref{static_cast<int>(fi), static_cast<int>(pi)};
      const std::string path = f.name.value + "." + p.name.value + ".implied_consumer";
      if (p.implied_consumer && p.implied_consumer->none) continue;
      if (p.implied_consumer) {  // asked for: it must be able to stand in for a connection
        const Position where = p.implied_consumer->pos;
        std::string why;
        if (p.dataflow.value != ks::Dataflow::Out)
          why = "it is an input pin; a consumer takes frames from an output pin";
        else if (p.user_mode.value)
          why = "it is a user-mode pin (a consumer's own pin)";
        else if (!streams_out(p))
          why =
              "it does not stream through the standard transport (communication none or bridge, "
              "or KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT)";
        else if (p.implied_consumer->mode.value == ImpliedConsumerSpec::Mode::User)
          why = user_mode_refused(f, p);
        if (!why.empty()) {
          error("KSF0019", "pin " + spec.pin_name(ref) + " cannot have an implied consumer: " + why,
                where, path, "remove implied_consumer from this pin");
          continue;
        }
        if (auto it = connected_pins.find({ref.filter, ref.pin}); it != connected_pins.end()) {
          Diagnostic d = make_diagnostic(
              "KSF0019",
              "pin " + spec.pin_name(ref) +
                  " is connected; an implied consumer stands in for a missing connection",
              at(where));
          d.related.push_back({at(it->second->pos), "the connection"});
          d.subject = path;
          d.hint = "remove implied_consumer, or the connection";
          report(std::move(d));
          continue;
        }
        wanted.push_back({ref, *p.implied_consumer, where});
        continue;
      }
      // The default: a driver's filter described alone (no connection touches it) streams
      // each output pin into a user-mode sink, the way KsProxy uses capture pins.
      if (connected_filters.count(ref.filter) || !streams_out(p) || p.user_mode.value ||
          p.instances_possible.value == 0 || !user_mode_refused(f, p).empty())
        continue;
      ImpliedConsumerSpec c;
      c.mode.value = ImpliedConsumerSpec::Mode::User;
      c.pos = p.pos;
      wanted.push_back({ref, c, p.pos});
    }
  }
  for (const Wanted& w : wanted) {
    const std::string source = spec.pin_name(w.ref);
    const std::string name =
        "implied:" + spec.filters[w.ref.filter].name.value + ":" + spec.pin(w.ref).name.value;
    FilterSpec f;
    f.name = {name, w.at, true};
    f.pos = w.at;
    f.implied_for = w.ref;
    PinSpec in;
    in.name = {"in", w.at, true};
    in.pos = w.at;
    in.dataflow = {ks::Dataflow::In, w.at, true};
    in.communication = {ks::Communication::Both, w.at, false};
    in.instances_possible = {1, w.at, false};
    in.user_mode = {w.consumer.mode.value == ImpliedConsumerSpec::Mode::User, w.consumer.mode.pos,
                    false};
    f.pins.push_back(std::move(in));
    const int index = static_cast<int>(spec.filters.size());
    spec.filters.push_back(std::move(f));

    ConnectionSpec c;
    c.pos = w.at;
    c.implied = true;
    c.from = {source, w.at, true};
    c.to = {name + ".in", w.at, true};
    c.from_ref = w.ref;
    c.to_ref = {index, 0};
    c.format_index = w.consumer.format_index;
    const std::string path = source + ".implied_consumer";
    resolve_format(spec, c, FormatChoice{}, path);
    if (c.format.resolved())
      apply_edit(spec.filters[w.ref.filter].pins[w.ref.pin], c.format.from_range,
                 spec.format_range(c), c.format, source);
    spec.connections.push_back(std::move(c));

    if (w.consumer.service_us.present || w.consumer.hold_frames.present) {
      StageSpec s;
      s.pos = w.at;
      s.filter = {name, w.at, true};
      s.filter_index = index;
      s.service_us = w.consumer.service_us;
      s.hold_frames = w.consumer.hold_frames;
      spec.load.stages.push_back(std::move(s));
    }
  }
}

}  // namespace ksframe::detail
