// Ref 6.4.0 - 6.4.1: normalise pins to EX framing, decide eligibility, and index the graph.
#include <algorithm>
#include <numeric>

#include "ksframe/dispatch.hpp"
#include "negotiate/internal.hpp"

namespace ksframe::negotiation {
namespace {

std::uint64_t gcd64(std::uint64_t a, std::uint64_t b) { return std::gcd(a, b); }

void reduce(std::uint64_t& n, std::uint64_t& d) {
  if (d == 0) d = 1;
  const std::uint64_t g = gcd64(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
}

// a * b / c with 128-bit intermediates; saturates instead of wrapping.
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
  const u128 p = static_cast<u128>(a) * b;
  return p > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(p);
}

ks::KSALLOCATOR_FRAMING_EX wildcard_framing() {
  ks::KSALLOCATOR_FRAMING_EX ex;
  ex.CountItems = 1;
  ex.FramingItem.emplace_back();  // GUID_NULL, flags 0, frames 0, ranges {0, max, 1}
  return ex;
}

// What the framing properties return for this pin, through the PFNKSALLOCATOR path.
std::optional<ks::KSALLOCATOR_FRAMING_EX> query_framing(const PinSpec& s,
                                                        PropertyTraffic& traffic) {
  engine::HeapPropertyBufferAllocator allocator;
  auto account = [&](const engine::PropertyResult& r) {
    ++traffic.requests;
    if (r.status == ks::status::SUCCESS) traffic.bytes += r.buffer.size();
  };
  if (s.active_framing_ex()) {
    const ks::KSALLOCATOR_FRAMING_EX declared = s.active_framing_ex()->value();
    const auto probe = engine::get_allocator_framing_ex(&declared, 0, allocator);
    account(probe);
    const auto got = engine::get_allocator_framing_ex(
        &declared, static_cast<std::uint32_t>(probe.information), allocator);
    account(got);
    auto decoded = ks::decode_framing_ex(got.buffer, std::max<ks::ULONG>(64, declared.CountItems));
    if (decoded) return std::move(*decoded.value);
    return std::nullopt;
  }
  if (s.active_framing()) {
    const ks::KSALLOCATOR_FRAMING declared = s.active_framing()->value();
    const auto got = engine::get_allocator_framing(&declared, ks::kSizeofFraming, allocator);
    account(got);
    auto decoded = ks::decode_framing(got.buffer);
    if (decoded) return ks::legacy_to_ex(*decoded.value);
  }
  return std::nullopt;  // AllocatorFraming NULL: the property is not supported (STATUS_NOT_FOUND)
}

}  // namespace

SizeMap cross_filter(const SizeMap& in, const ks::KS_COMPRESSION& c) {
  SizeMap out = in;
  if (c.RatioNumerator == ks::kCompressionUnknown || c.RatioDenominator == 0 ||
      c.RatioNumerator == 0) {
    out = SizeMap{};
    out.unknown = true;
    return out;
  }
  // a' = a x N / D ; b' = b x N / D + M (fractions kept reduced, saturating on hostile values)
  out.num = mul_sat(in.num, c.RatioNumerator);
  out.den = mul_sat(in.den, c.RatioDenominator);
  reduce(out.num, out.den);
  out.margin_num = mul_sat(in.margin_num, c.RatioNumerator);
  out.margin_den = mul_sat(in.margin_den, c.RatioDenominator);
  out.margin_num = out.margin_num + mul_sat(c.RatioConstantMargin, out.margin_den);
  reduce(out.margin_num, out.margin_den);
  return out;
}

std::string guid_name(const ks::Guid& g, ks::GuidKind kind) {
  auto n = ks::name_of_guid(g, kind);
  return n ? std::string(*n) : g.to_string();
}

Location Graph::location(int pin, int item, Field field) const {
  const PinModel& p = pins[pin];
  const PinSpec& s = spec->pin(p.ref);
  if (s.active_framing_ex() && item >= 0 &&
      item < static_cast<int>(s.active_framing_ex()->items.size())) {
    const FramingItemSpec& it = s.active_framing_ex()->items[item];
    Position pos = it.pos;
    switch (field) {
      case Field::MemoryType:
        pos = it.memory_type.pos;
        break;
      case Field::BusType:
        pos = it.bus_type.pos;
        break;
      case Field::Flags:
        pos = it.flags.pos;
        break;
      case Field::MemoryFlags:
        pos = it.memory_flags.pos;
        break;
      case Field::Frames:
        pos = it.frames.pos;
        break;
      case Field::Alignment:
        pos = it.file_alignment.pos;
        break;
      case Field::Physical:
        pos = it.physical_range.pos;
        break;
      case Field::Optimal:
        pos = it.framing_range.pos;
        break;
      case Field::Weight:
        pos = it.memory_type_weight.pos;
        break;
    }
    return spec->at(pos);
  }
  if (s.active_framing()) {
    const LegacyFramingSpec& l = *s.active_framing();
    Position pos = l.pos;
    switch (field) {
      case Field::MemoryType:
        pos = l.flags.present ? l.flags.pos : l.pool_type.pos;
        break;
      case Field::Flags:
        pos = l.flags.pos;
        break;
      case Field::Frames:
        pos = l.frames.pos;
        break;
      case Field::Alignment:
        pos = l.file_alignment.pos;
        break;
      case Field::Optimal:
        pos = l.frame_size.pos;
        break;
      default:
        break;
    }
    if (pos.line == 0) pos = l.pos;
    return spec->at(pos);
  }
  return spec->at(s.pos);
}

Graph build_graph(const Spec& spec) {
  Graph g;
  g.spec = &spec;
  // Pin order (ref 6.4.0): filters in YAML order, pins by pin id.
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
    std::vector<int> order(spec.filters[fi].pins.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return spec.filters[fi].pins[a].id.value < spec.filters[fi].pins[b].id.value;
    });
    for (int pi : order) {
      const PinSpec& s = spec.filters[fi].pins[pi];
      PinModel p;
      p.ref = {static_cast<int>(fi), pi};
      p.name = spec.pin_name(p.ref);
      p.order = static_cast<int>(g.pins.size());
      p.dataflow = s.dataflow.value;
      p.flags = s.flags.value;
      p.filter_flags = spec.filters[fi].flags.value;
      p.user_mode = s.user_mode.value;
      p.has_allocator = s.allocator.has_value();
      // Ref 6.4.1: standard transport unless DO_NOT_USE_STANDARD_TRANSPORT without USE_.
      p.eligible = (p.flags & ks::pinflag::USE_STANDARD_TRANSPORT) ||
                   !(p.flags & ks::pinflag::DO_NOT_USE_STANDARD_TRANSPORT);
      // The graph manager learns a pin's framing from KSPROPERTY_CONNECTION_ALLOCATORFRAMING_EX
      // (or the legacy property): a size probe, then a get into a buffer from the property
      // allocator, then the ks.h bytes decoded (reference 5.2, 7.3).
      if (auto ex = query_framing(s, g.property_traffic))
        p.ex = std::move(*ex);
      else
        p.ex = wildcard_framing();
      if (p.ex.FramingItem.empty()) p.ex = wildcard_framing();
      g.index[{static_cast<int>(fi), pi}] = static_cast<int>(g.pins.size());
      g.pins.push_back(std::move(p));
    }
  }
  // Routes, in filter order then route order.
  for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
    for (const auto& r : spec.filters[fi].routes) {
      if (r.from_pin < 0 || r.to_pin < 0) continue;
      Route route;
      route.from = g.index[{static_cast<int>(fi), r.from_pin}];
      route.to = g.index[{static_cast<int>(fi), r.to_pin}];
      route.in_place = route_in_place(spec, static_cast<int>(fi), r);
      for (int pin : {route.from, route.to})
        for (const auto& item : g.pins[pin].ex.FramingItem)
          route.modifying = route.modifying || (item.Flags & ks::flag::INPLACE_MODIFIER);
      g.pins[route.from].routes.push_back(static_cast<int>(g.routes.size()));
      g.pins[route.to].routes_in.push_back(static_cast<int>(g.routes.size()));
      g.routes.push_back(route);
    }
  }
  // Links: only connections KS could make (lint reports the others as errors).
  for (std::size_t ci = 0; ci < spec.connections.size(); ++ci) {
    const ConnectionSpec& c = spec.connections[ci];
    if (!c.from_ref.resolved() || !c.to_ref.resolved()) continue;
    const int from = g.index[{c.from_ref.filter, c.from_ref.pin}];
    const int to = g.index[{c.to_ref.filter, c.to_ref.pin}];
    const std::string label = c.from.value + " -> " + c.to.value;
    auto reject = [&](const char* reason, const std::string& message) {
      g.rejected.push_back(
          {label, reason, message, {{g.pins[from].name, "connection", spec.at(c.pos)}}});
    };
    const auto& fs = spec.pin(c.from_ref);
    const auto& ts = spec.pin(c.to_ref);
    auto bad_comm = [](ks::Communication x) {
      return x == ks::Communication::None || x == ks::Communication::Bridge;
    };
    if (fs.dataflow.value != ks::Dataflow::Out || ts.dataflow.value != ks::Dataflow::In) {
      reject("invalid_connection", "the connection does not go from an output pin to an input pin");
      continue;
    }
    if (bad_comm(fs.communication.value) || bad_comm(ts.communication.value) ||
        (fs.communication.value == ts.communication.value &&
         fs.communication.value != ks::Communication::Both)) {
      reject("invalid_connection", "the pins' communication types cannot be connected");
      continue;
    }
    if (g.pins[to].in_link >= 0) {
      reject("fan_in", "the input pin already has a connection");
      continue;
    }
    if (!g.pins[from].eligible || !g.pins[to].eligible) {
      reject("ineligible_pin",
             "a pin with KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT belongs to no pipe");
      continue;
    }
    // KS creates no instance of a pin factory with InstancesPossible 0, and no more than
    // InstancesPossible of any other: the connection past the limit cannot be made.
    if (fs.instances_possible.value == 0 || ts.instances_possible.value == 0) {
      const bool first = fs.instances_possible.value == 0;
      reject("no_instances", (first ? c.from.value : c.to.value) +
                                 " has InstancesPossible 0: KS creates no instance of it");
      continue;
    }
    Link link{from, to, static_cast<int>(ci), static_cast<int>(g.pins[from].out_links.size())};
    if (link.instance > 0 && !(g.pins[from].flags & ks::pinflag::SPLITTER)) {
      reject("fan_out", "the output pin is not a splitter and already has a connection");
      continue;
    }
    if (static_cast<std::uint64_t>(link.instance) >= fs.instances_possible.value) {
      const std::string n = std::to_string(fs.instances_possible.value);
      reject("fan_out", c.from.value + " allows " + n +
                            " instance(s) (InstancesPossible) and already has " + n +
                            " connection(s)");
      continue;
    }
    g.pins[from].out_links.push_back(static_cast<int>(g.links.size()));
    g.pins[to].in_link = static_cast<int>(g.links.size());
    g.links.push_back(link);
  }
  return g;
}

}  // namespace ksframe::negotiation

namespace ksframe {

ks::KS_COMPRESSION SizeMap::as_compression() const {
  auto clamp = [](std::uint64_t v) {
    return static_cast<ks::ULONG>(std::min<std::uint64_t>(v, 0xFFFFFFFFu));
  };
  const std::uint64_t margin = margin_den ? (margin_num + margin_den - 1) / margin_den : 0;
  if (unknown) return {ks::kCompressionUnknown, 1, 0};
  return {clamp(num), clamp(den), clamp(margin)};
}

}  // namespace ksframe
