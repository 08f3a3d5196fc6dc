// The split-point search: the fast search (bisection when feasibility can only shrink as pins
// join, the per-join check otherwise) must give the same negotiation as evaluating the pipe
// after every join, for every spec. Compared on 10,000 seeded random graphs built to hit the
// cases where feasibility is not monotone (device memory that a later pin can allocate, user-mode
// ends, several memory types, several items per pin, compression).
#include <cstdint>
#include <random>

#include "helpers.hpp"
#include "ksframe/negotiate.hpp"
#include "negotiate/internal.hpp"

using namespace ksframe;

namespace {

// Our own draws from the raw engine, so the graphs are the same with every standard library.
struct Draw {
  std::mt19937_64 engine;
  unsigned below(unsigned n) { return static_cast<unsigned>(engine() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
};

const char* kDevice = "6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33";

std::string item(Draw& d) {
  std::string flags, fields;
  switch (d.below(6)) {
    case 0:
      break;  // wildcard memory
    case 1:
      fields += "memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, ";
      break;
    case 2:
      fields += "memory_type: KSMEMORY_TYPE_KERNEL_PAGED, ";
      break;
    case 3:
      fields += "memory_type: KSMEMORY_TYPE_USER, ";
      break;
    default:
      fields += std::string("memory_type: \"") + kDevice + "\", ";
      flags += "KSALLOCATOR_FLAG_DEVICE_SPECIFIC, ";
      if (d.chance(40)) flags += "KSALLOCATOR_FLAG_CAN_ALLOCATE, ";
  }
  if (d.chance(20)) flags += "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, ";
  if (d.chance(20)) flags += "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY, ";
  if (d.chance(10)) flags += "KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE, ";
  if (d.chance(5)) flags += "KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY, ";
  if (d.chance(20))
    fields += d.chance(50) ? "bus_type: GUID_BUS_TYPE_PCI, " : "bus_type: GUID_BUS_TYPE_USB, ";
  switch (d.below(5)) {
    case 0:
      fields += "physical_range: {min: 1000, max: 4000}, ";
      break;
    case 1:
      fields += "physical_range: {min: 3000, max: 9000}, ";
      break;
    case 2:
      fields += "physical_range: {min: 0, max: unbounded, stepping: 4096}, ";
      break;
    default:
      break;
  }
  if (d.chance(40)) fields += "framing_range: {min: 2000, max: 6000}, ";
  if (d.chance(50)) fields += "frames: " + std::to_string(1 + d.below(6)) + ", ";
  if (!flags.empty()) fields += "flags: [" + flags.substr(0, flags.size() - 2) + "], ";
  return "{" + (fields.empty() ? std::string() : fields.substr(0, fields.size() - 2)) + "}";
}

std::string pin(Draw& d, const std::string& name, bool out, bool user) {
  std::string y = "{name: " + name + ", dataflow: " + (out ? "out" : "in");
  if (user) y += ", user_mode: true";
  if (!user && d.chance(10)) y += ", flags: [KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING]";
  if (d.chance(85)) {
    y += ", framing_ex: {";
    if (out && d.chance(15)) y += "output_compression: {numerator: 2, denominator: 1}, ";
    y += "items: [" + item(d);
    if (d.chance(30)) y += ", " + item(d);
    y += "]}";
  }
  return y + "}";
}

// A chain source -> filters -> sink; each filter copies or works in place.
std::string graph(Draw& d) {
  const int filters = 1 + static_cast<int>(d.below(4));
  std::string y = "ksframe: 1\nfilters:\n";
  y += "  - {name: s, pins: [" + pin(d, "out", true, false) + "]}\n";
  for (int i = 0; i < filters; ++i)
    y += "  - {name: f" + std::to_string(i) + ", pins: [" + pin(d, "in", false, false) + ", " +
         pin(d, "out", true, false) +
         "], routes: [{from: in, to: out, in_place: " + (d.chance(70) ? "true" : "false") + "}]}\n";
  y += "  - {name: k, pins: [" + pin(d, "in", false, d.chance(25)) + "]}\n";
  y += "connections:\n";
  std::string prev = "s.out";
  for (int i = 0; i < filters; ++i) {
    y += "  - {from: " + prev + ", to: f" + std::to_string(i) + ".in}\n";
    prev = "f" + std::to_string(i) + ".out";
  }
  return y + "  - {from: " + prev + ", to: k.in}\n";
}

// Everything negotiation decides, as one comparable text.
std::string outcome(const Negotiation& n) {
  std::string s = n.ok ? "ok\n" : "failed\n";
  for (const auto& p : n.pipes) {
    s += p.id + (p.failed ? " failed" : "") + ":";
    for (const auto& m : p.members)
      s += " " + m.name + (m.relaxed ? "(relaxed)" : "") + "/" + std::to_string(m.item);
    s += " | " + p.memory_type.to_string() + " " + p.bus_type.to_string() + " frames " +
         std::to_string(p.frames) + " size " + std::to_string(p.frame_size) + " flags " +
         ks::hex32(p.flags) + " allocator " + std::to_string(p.allocator) + " state " +
         std::to_string(p.state) + "\n";
  }
  for (const auto& f : n.failures)
    s += "failure " + f.connection + " " + f.reason + ": " + f.message + "\n";
  for (const auto& dg : n.diagnostics) s += dg.rule + " " + dg.message + "\n";
  return s;
}

// The release suite compares 10,000 graphs (a few seconds); under AddressSanitizer a Debug build
// is about a hundred times slower, so the sanitizer run checks memory safety on a tenth.
#ifdef __SANITIZE_ADDRESS__
constexpr int kGraphs = 1000;
#else
constexpr int kGraphs = 10000;
#endif

}  // namespace

TEST_SUITE("negotiate") {
  TEST_CASE("split-point search: bisection and the per-join check agree on seeded random graphs") {
    Draw d{std::mt19937_64{20261129}};
    int compared = 0, monotone = 0, not_monotone = 0, infeasible_walks = 0, relaxed = 0, splits = 0;
    for (int i = 0; i < kGraphs; ++i) {
      const std::string yaml = graph(d);
      auto r = load_spec(SourceFile{"g.yaml", yaml}, LoadOptions{});
      REQUIRE_MESSAGE(r.spec, yaml);
      REQUIRE_MESSAGE(!has_errors(r.diagnostics), std::string(yaml + test::summary(r.diagnostics)));
      NegotiateOptions fast = negotiate_options(*r.spec), literal = fast;
      literal.split_search_per_join = true;
      const Negotiation a = negotiate(*r.spec, fast), b = negotiate(*r.spec, literal);
      REQUIRE_MESSAGE(outcome(a) == outcome(b), yaml);
      ++compared;
      // Count what the graphs exercised, so the comparison cannot pass on easy graphs only.
      const negotiation::Graph g = negotiation::build_graph(*r.spec);
      std::vector<negotiation::Member> chain;
      for (const auto& p : a.pipes) {
        chain.clear();
        for (const auto& m : p.members) {
          negotiation::Member mm;
          mm.pin = g.index.at({m.pin.filter, m.pin.pin});
          mm.size = m.size;
          chain.push_back(mm);
        }
        (negotiation::feasibility_monotone(g, chain) ? monotone : not_monotone)++;
      }
      infeasible_walks += !a.failures.empty();
      for (const auto& dg : a.diagnostics) {
        relaxed += dg.rule == "KSF4002";
        splits += dg.rule == "KSF4003";
      }
    }
    CHECK(compared == kGraphs);
    INFO("monotone pipes " << monotone << ", others " << not_monotone << ", graphs with failures "
                           << infeasible_walks << ", relaxations " << relaxed << ", splits "
                           << splits);
    CHECK(monotone > kGraphs / 10);
    CHECK(not_monotone > kGraphs / 10);
    CHECK(infeasible_walks > kGraphs / 10);
    CHECK(relaxed > kGraphs / 100);
    CHECK(splits > kGraphs / 100);
  }

  TEST_CASE("split-point search: feasibility that grows as pins join is not bisected (b7)") {
    // a.out alone cannot have its device memory (nobody can allocate it); b.out can. Prefixes:
    // {a.out} no, {a.out b.in} no, {.. b.out} yes, {.. c.in} no: the join that breaks a feasible
    // pipe is c.in's (member 3), not a.out's, which bisection alone would blame.
    auto r = load_spec(
        SourceFile{"b7.yaml",
                   test::read_file(test::source_dir() + "/tests/data/negotiation/b7-bisect.yaml")},
        LoadOptions{});
    REQUIRE(r.spec);
    const negotiation::Graph g = negotiation::build_graph(*r.spec);
    std::vector<negotiation::Member> walk;
    for (const char* name : {"a.out", "b.in", "b.out", "c.in"})
      for (int p = 0; p < static_cast<int>(g.pins.size()); ++p)
        if (g.pin(p).name == name) {
          negotiation::Member m;
          m.pin = p;
          m.parent = static_cast<int>(walk.size()) - 1;
          walk.push_back(m);
        }
    REQUIRE(walk.size() == 4);
    CHECK_FALSE(negotiation::feasibility_monotone(g, walk));
    negotiation::Outcome whole, why;
    const NegotiateOptions o = negotiate_options(*r.spec);
    CHECK(negotiation::find_split(g, walk, o, false, &whole, &why) == 3);
    CHECK(why.reason == "no_common_memory_type");
    CHECK(negotiation::find_split_per_join(g, walk, o, false, &whole, &why) == 3);
  }
}
