// Negotiation cases from an audit of the algorithm against Windows' behaviour on stock drivers
// (tests/data/negotiation/), with the values derived by hand from docs/algorithm.md.
#include "helpers.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"

using namespace ksframe;

namespace {

struct Run {
  Spec spec;
  Negotiation n;
};

Run negotiate_text(const std::string& yaml) {
  auto r = load_spec(SourceFile{"n.yaml", yaml}, LoadOptions{});
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  Run run{*r.spec, {}};
  run.n = negotiate(run.spec, negotiate_options(run.spec));
  return run;
}

Run negotiate_case(const std::string& name) {
  return negotiate_text(test::read_file(test::source_dir() + "/tests/data/negotiation/" + name));
}

std::string pins_of(const Pipe& p) {
  std::string s;
  for (const auto& m : p.members) s += (s.empty() ? "" : " ") + m.name;
  return s;
}

std::string rules_of(const Diagnostics& ds) {
  std::string s;
  for (const auto& d : ds) s += (s.empty() ? "" : " ") + d.rule;
  return s;
}

const ks::Guid kDevice = *ks::Guid::parse("6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33");

}  // namespace

TEST_SUITE("negotiate") {
  TEST_CASE(
      "user-mode boundary: avshws (KERNEL_NONPAGED, SYSTEM_MEMORY | PREFERENCES_ONLY) into a "
      "user-mode app") {
    auto r = negotiate_case("stock-avshws-to-user.yaml");
    CHECK(r.n.ok);
    CHECK(r.n.failures.empty());
    CHECK(rules_of(r.n.diagnostics) == "");  // no KSF4001, no KSF4002
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "avshws.capture app.in");
    CHECK_FALSE(p.failed);
    CHECK(p.user_mode);
    CHECK(p.allocator == -1);
    CHECK(p.place == AllocatorPlace::None);
    CHECK(p.memory_type == ks::memtype::USER);
    CHECK(p.frames == 2);         // DECLARE_SIMPLE_FRAMING_EX frames
    CHECK(p.frame_size == 8192);  // min = max = 8192
    CHECK(p.align_mask == 0);     // FILE_BYTE_ALIGNMENT
    CHECK_FALSE(p.legacy);
    REQUIRE(p.allocator_properties);
    CHECK(*p.allocator_properties == AllocatorProperties{2, 8192, 1, 0});
    CHECK_FALSE(p.members[0].relaxed);
  }

  TEST_CASE("user-mode boundary: a BDA TS pin with hard SYSTEM_MEMORY into the demultiplexer") {
    auto r = negotiate_case("stock-netup-to-user.yaml");
    CHECK(r.n.ok);
    CHECK(rules_of(r.n.diagnostics) == "");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "tuner.ts demux.in");
    CHECK(p.memory_type == ks::memtype::USER);
    CHECK(p.frames == 64);
    CHECK(p.frame_size == 385024);  // 2048 x 188
    REQUIRE(p.allocator_properties);
    CHECK(*p.allocator_properties == AllocatorProperties{64, 385024, 1, 0});
    // The antenna input does not stream: the tuner is a source (PhysicalEnd on the input side).
    CHECK(p.input_factors == 0x400);
    CHECK(is_source_filter(r.spec.filters[0]));
  }

  TEST_CASE("user-mode boundary: what still fails it, and what cbAlign is") {
    const std::string head =
        "ksframe: 1\nfilters:\n"
        "  - name: cam\n    flags: FILTER_FLAGS\n    pins:\n"
        "      - {name: out, dataflow: out, flags: PIN_FLAGS, framing_ex: {items: [ITEM]}}\n"
        "  - {name: app, pins: [{name: in, dataflow: in, user_mode: true}]}\n"
        "connections: [{from: cam.out, to: app.in}]\n";
    auto spec = [&](std::string filter_flags, std::string pin_flags, std::string item) {
      std::string y = head;
      y.replace(y.find("FILTER_FLAGS"), 12, filter_flags);
      y.replace(y.find("PIN_FLAGS"), 9, pin_flags);
      y.replace(y.find("ITEM"), 4, item);
      return y;
    };
    SUBCASE("DENY_USERMODE_ACCESS on the pin") {
      auto r = negotiate_text(spec("[]", "[KSPIN_FLAG_DENY_USERMODE_ACCESS]",
                                   "{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED}"));
      REQUIRE(r.n.failures.size() == 1);
      CHECK(r.n.failures[0].connection == "cam.out -> app.in");
      CHECK(r.n.failures[0].reason == "no_common_memory_type");
      CHECK(r.n.failures[0].message ==
            "no memory type suits every pin: cam.out cannot use KSMEMORY_TYPE_USER (it denies "
            "user-mode "
            "access (KSPIN_FLAG_DENY_USERMODE_ACCESS))");
      REQUIRE(r.n.failures[0].constraints.size() == 2);
      CHECK(r.n.failures[0].constraints[1].location.line == 6);  // the pin's flags
    }
    SUBCASE("DENY_USERMODE_ACCESS on the filter") {
      auto r = negotiate_text(spec("[KSFILTER_FLAG_DENY_USERMODE_ACCESS]", "[]", "{}"));
      REQUIRE(r.n.failures.size() == 1);
      CHECK(r.n.failures[0].message ==
            "no memory type suits every pin: cam.out cannot use KSMEMORY_TYPE_USER (it is on a "
            "filter that "
            "denies user-mode access (KSFILTER_FLAG_DENY_USERMODE_ACCESS))");
      CHECK(r.n.failures[0].constraints[1].location.line == 4);  // the filter's flags
    }
    SUBCASE("only device-specific memory, even when the pin can allocate it") {
      auto r = negotiate_text(
          spec("[]", "[]",
               "{memory_type: \"6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33\", "
               "flags: [KSALLOCATOR_FLAG_DEVICE_SPECIFIC, KSALLOCATOR_FLAG_CAN_ALLOCATE]}"));
      REQUIRE(r.n.failures.size() == 1);
      CHECK(r.n.failures[0].message ==
            "no memory type suits every pin: cam.out cannot use KSMEMORY_TYPE_USER (it needs "
            "device-specific "
            "memory, which user-mode buffers cannot be)");
    }
    SUBCASE(
        "KERNEL_PAGED, DISPATCH_LEVEL processing and a 16-byte alignment: locked user buffers "
        "serve") {
      auto r = negotiate_text(
          spec("[KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING]", "[]",
               "{memory_type: KSMEMORY_TYPE_KERNEL_PAGED, frames: 3, file_alignment: 15, "
               "physical_range: {min: 1024, max: 1024}}"));
      CHECK(r.n.ok);
      REQUIRE(r.n.pipes.size() == 1);
      REQUIRE(r.n.pipes[0].allocator_properties);
      CHECK(*r.n.pipes[0].allocator_properties == AllocatorProperties{3, 1024, 16, 0});
    }
  }

  TEST_CASE("KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING excludes pageable memory like the pin flag") {
    // The old public avssamp: KERNEL_PAGED framing on a filter that processes at DISPATCH_LEVEL.
    const std::string yaml =
        "ksframe: 1\nfilters:\n"
        "  - name: avssamp\n    flags: [KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING]\n    pins:\n"
        "      - {name: out, dataflow: out, framing_ex: {items: [{memory_type: "
        "KSMEMORY_TYPE_KERNEL_PAGED}]}}\n"
        "  - {name: r, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: avssamp.out, to: r.in}]\n";
    auto r = negotiate_text(yaml);
    REQUIRE(r.n.failures.size() == 1);
    CHECK(r.n.failures[0].connection == "pipe-1");
    CHECK(r.n.failures[0].reason == "no_common_memory_type");
    CHECK(r.n.failures[0].message ==
          "no memory type suits every pin: avssamp.out cannot use KSMEMORY_TYPE_KERNEL_PAGED (it "
          "is on a filter "
          "with KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING, which needs nonpaged memory)");
    const auto ds = test::with_rule(test::lint(yaml), "KSF2008");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message ==
          "the filter's KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING needs nonpaged memory, but every "
          "framing item "
          "asks for pageable memory");
    CHECK(ds[0].location.line == 4);  // the filter's flags
  }

  TEST_CASE("b1: relaxation drops the relaxed pin's bus") {
    auto r = negotiate_case("b1-relax-bus.yaml");
    CHECK(r.n.failures.empty());
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK_FALSE(p.failed);
    CHECK(p.memory_type == ks::memtype::KERNEL_NONPAGED);
    CHECK(p.bus_type == *ks::guid_by_name("GUID_BUS_TYPE_PCI"));
    CHECK(p.members[0].relaxed);
    REQUIRE(p.allocator >= 0);
    CHECK(p.members[p.allocator].name == "b.in");
    CHECK(rules_of(r.n.diagnostics) == "KSF4002 KSF4007");
  }

  TEST_CASE("b2: relaxation drops the relaxed pin's MUST_ALLOCATE") {
    auto r = negotiate_case("b2-relax-must.yaml");
    CHECK(r.n.failures.empty());
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    REQUIRE(p.allocator >= 0);
    CHECK(p.members[p.allocator].name == "b.in");
    CHECK(p.place == AllocatorPlace::LastPin);
    CHECK(p.explanation[std::size_t(6)].value == "allocator");
    CHECK(p.explanation[6].rule == "6.4.9.1");
  }

  TEST_CASE("b3: a stepping on an otherwise open physical range is kept") {
    // P = [0, unbounded] step 4096, O = {5000}: no multiple of 4096 in O; in P the nearest to
    // 5000 is 4096 (904 away; 8192 is 3192 away).
    auto r = negotiate_case("b3-open-stepping.yaml");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.frame_size == 4096);
    CHECK((p.flags & ks::flag::ATTENTION_STEPPING));
    CHECK((p.inside_factors & 0x010));  // PhysicalRanges: the stepping constrains
  }

  TEST_CASE("b4: INDEPENDENT_RANGES on the boundary filter's input switches the link off") {
    auto r = negotiate_case("b4-boundary-independent.yaml");
    REQUIRE(r.n.pipes.size() == 2);
    const Pipe& p2 = r.n.pipes[1];
    CHECK(pins_of(p2) == "e.out s.in");
    CHECK((p2.flags & ks::flag::INDEPENDENT_RANGES));
    CHECK(p2.frame_size == 8000);  // max of e.out's optimal range, not pipe-1's 5000
  }

  TEST_CASE("b5: a size after an unknown compression is not handed to the next pipe") {
    auto r = negotiate_case("b5-unknown-then-insist.yaml");
    CHECK(r.n.failures.empty());
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(r.n.pipes[0].state == 3);  // PipeState_CompressionUnknown
    const Pipe& p2 = r.n.pipes[1];
    CHECK_FALSE(p2.failed);
    CHECK(p2.frame_size == 500);  // its own physical range [0, 500], largest
    bool noted = false;
    for (const auto& e : p2.explanation)
      noted = noted || e.because ==
                           "not sized from pipe-1: the size it hands over at e.in follows an "
                           "unknown compression";
    CHECK(noted);
  }

  TEST_CASE("b6: a hard ratio conflict fails the downstream pipe") {
    // pipe-1 delivers 1000; e.out 1:2 hands over 500, INSIST, but its physical range is [0, 400].
    auto r = negotiate_case("b6-ratio-status.yaml");
    REQUIRE(r.n.failures.size() == 1);
    CHECK(r.n.failures[0].connection == "pipe-1 -> pipe-2");
    CHECK(r.n.failures[0].reason == "ratio_conflict");
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(r.n.pipes[1].failed);
    CHECK(r.n.pipes[1].state != 4);  // not Finalized
    CHECK_FALSE(r.n.ok);
  }

  TEST_CASE("b7: the link that breaks a feasible pipe fails, not the begin pin") {
    auto r = negotiate_case("b7-bisect.yaml");
    REQUIRE(r.n.failures.size() == 1);
    CHECK(r.n.failures[0].connection == "b.out -> c.in");
    CHECK(r.n.failures[0].reason == "no_common_memory_type");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "a.out b.in b.out");
    CHECK_FALSE(p.failed);
    CHECK(p.memory_type == kDevice);
    REQUIRE(p.allocator >= 0);
    CHECK(p.members[p.allocator].name == "b.out");  // the first pin that CAN_ALLOCATE
    CHECK(p.explanation[6].rule == "6.4.9.2");
  }

  TEST_CASE("b8: a loop through two copying filters names the loop") {
    auto r = negotiate_case("b8-cycle-msg.yaml");
    bool found = false;
    for (const auto& f : r.n.failures)
      if (f.reason == "cycle") {
        found = true;
        CHECK(f.connection == "pipe-1");
        CHECK(f.message == "pipe-1 loops back to a.out: Kernel Streaming graphs must be acyclic");
      }
    CHECK(found);
  }

  TEST_CASE("a failed kernel pipe is not called user-mode buffers in text") {
    auto r = negotiate_case("b6-ratio-status.yaml");
    const std::string text = render_negotiation_text(r.n, false);
    CHECK(text.find("pipe-2 (failed): e.out -> s.in\n  allocator     none: the pipe failed before "
                    "an allocator was chosen\n") != std::string::npos);
    CHECK(text.find("user-mode buffers") == std::string::npos);
  }

  TEST_CASE("the frame-size explanation names the pin whose margin makes the buffer") {
    // 1000 bytes through 1:2 + 10000: 500 + 10000 = 10500 at the compressor's output, larger
    // than the source's 1000 although its ratio is smaller.
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: s, pins: [{name: out, dataflow: out, framing_ex: {items: [{physical_range: "
        "{min: 1000, max: 1000}}]}}]}\n"
        "  - name: c\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out, framing_ex: "
        "{output_compression: "
        "{numerator: 1, denominator: 2, constant_margin: 10000}, items: [{}]}}]\n"
        "    routes: [{from: in, to: out, in_place: true}]\n"
        "  - {name: k, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: s.out, to: c.in}, {from: c.out, to: k.in}]\n");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.frame_size == 10500);
    CHECK(p.dim_max_expansion == ks::KS_COMPRESSION{1, 1, 0});  // the source: ratio 1 > 1/2
    CHECK(p.explanation[2].because ==
          "begin-pin size 1000 is the largest size of the optimal range; the buffer is the largest "
          "size in the "
          "pipe, at c.out (its margin makes it larger than at the max-expansion pin s.out)");
  }

  TEST_CASE("text shows the frame pitch of a 2D buffer") {
    // 2560 bytes a line: with 2D_BUFFER_REQUIRED the FileAlignment field is FramePitch.
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: s, pins: [{name: out, dataflow: out, framing_ex: {items: [{flags: "
        "[KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED], "
        "file_alignment: 2560}]}}]}\n"
        "  - {name: k, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: s.out, to: k.in}]\n");
    const std::string text = render_negotiation_text(r.n, false);
    CHECK(text.find("\n  frame pitch   2560 bytes\n") != std::string::npos);
  }

  TEST_CASE(
      "a splitter branch into a copying filter whose input says INPLACE_MODIFIER still shares the "
      "pipe") {
    // The copying filter reads the shared frame and writes its own pipe's: it modifies nothing
    // the other branch sees, so both instances stay in pipe-1 (MULTIPLE_OUTPUT).
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out, flags: [KSPIN_FLAG_SPLITTER], "
        "instances: {possible: 2}}]}\n"
        "  - {name: view, pins: [{name: in, dataflow: in}]}\n"
        "  - name: enc\n    pins: [{name: in, dataflow: in, framing_ex: {items: [{flags: "
        "[KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER]}]}},"
        " {name: out, dataflow: out}]\n"
        "    routes: [{from: in, to: out, in_place: false}]\n"
        "  - {name: file, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: cam.out, to: view.in}, {from: cam.out, to: enc.in}, {from: enc.out, "
        "to: file.in}]\n");
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(pins_of(r.n.pipes[0]) == "cam.out view.in enc.in");
    CHECK((r.n.pipes[0].flags & ks::flag::MULTIPLE_OUTPUT));
    CHECK(pins_of(r.n.pipes[1]) == "enc.out file.in");
  }

  TEST_CASE("a pin with its own allocator and a wildcard item is chosen by rule 6.4.9.3") {
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: s, pins: [{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
        "KSMEMORY_TYPE_KERNEL_NONPAGED}]}}]}\n"
        "  - {name: k, pins: [{name: in, dataflow: in, allocator: {pool_frames: 4}, framing_ex: "
        "{items: [{}]}}]}\n"
        "connections: [{from: s.out, to: k.in}]\n");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.vendor);
    CHECK(p.explanation[6].rule == "6.4.9.3");
  }

  TEST_CASE("score ties go to the memory type named first in pin order, not walk order") {
    // The sink is listed first: KERNEL_PAGED appears first in pin order, KERNEL_NONPAGED in walk
    // order. Both are accepted with score 0 by every pin (the source has a wildcard item too).
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: k, pins: [{name: in, dataflow: in, framing_ex: {items: [{memory_type: "
        "KSMEMORY_TYPE_KERNEL_PAGED}, {}]}}]}\n"
        "  - {name: s, pins: [{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
        "KSMEMORY_TYPE_KERNEL_NONPAGED}, {}]}}]}\n"
        "connections: [{from: s.out, to: k.in}]\n");
    REQUIRE(r.n.pipes.size() == 1);
    CHECK(r.n.pipes[0].memory_type == ks::memtype::KERNEL_PAGED);
  }

  TEST_CASE("ambiguity: one composed size map, rounded once per pin (1033, not 1034)") {
    // 1001 through 1:2 + 16 then 2:1: composed a = 1, b = 32 -> 1033; per-stage rounding
    // would give ceil(1001 / 2) + 16 = 517, x 2 = 1034.
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: s, pins: [{name: out, dataflow: out, framing_ex: {items: [{physical_range: "
        "{min: 1001, max: 1001}}]}}]}\n"
        "  - name: a\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out, framing_ex: "
        "{output_compression: "
        "{numerator: 1, denominator: 2, constant_margin: 16}, items: [{}]}}]\n"
        "    routes: [{from: in, to: out, in_place: true}]\n"
        "  - name: b\n    pins: [{name: in, dataflow: in}, {name: out, dataflow: out, framing_ex: "
        "{output_compression: "
        "{numerator: 2, denominator: 1}, items: [{}]}}]\n"
        "    routes: [{from: in, to: out, in_place: true}]\n"
        "  - {name: k, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: s.out, to: a.in}, {from: a.out, to: b.in}, {from: b.out, to: "
        "k.in}]\n");
    REQUIRE(r.n.pipes.size() == 1);
    CHECK(r.n.pipes[0].frame_size == 1033);
  }

  TEST_CASE("ambiguity: open optimal ranges do not count in the weighted window") {
    // {3000, 3000} and {5000, 5000} do not intersect: the window is (3000 + 5000) / 2 = 4000.
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: s, pins: [{name: out, dataflow: out, framing_ex: {items: [{framing_range: "
        "{min: 3000, max: 3000}}]}}]}\n"
        "  - name: t\n    pins: [{name: in, dataflow: in, framing_ex: {items: [{framing_range: "
        "{min: 5000, max: 5000}}]}},"
        " {name: out, dataflow: out, framing_ex: {items: [{}]}}]\n"
        "    routes: [{from: in, to: out, in_place: true}]\n"
        "  - {name: k, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: s.out, to: t.in}, {from: t.out, to: k.in}]\n");
    REQUIRE(r.n.pipes.size() == 1);
    CHECK(r.n.pipes[0].frame_size == 4000);
  }

  TEST_CASE("ambiguity: CAN_ALLOCATE counts on the item picked for the device memory") {
    // d.out can allocate the device memory only through its second (system) item: the device
    // item it picks cannot, so nobody can allocate the device memory; KERNEL_NONPAGED wins.
    auto r = negotiate_text(
        "ksframe: 1\nfilters:\n"
        "  - {name: d, pins: [{name: out, dataflow: out, framing_ex: {items: ["
        "{memory_type: \"6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33\", memory_type_weight: 10, flags: "
        "[KSALLOCATOR_FLAG_DEVICE_SPECIFIC]}, "
        "{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
        "[KSALLOCATOR_FLAG_CAN_ALLOCATE]}]}}]}\n"
        "  - {name: k, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: d.out, to: k.in}]\n");
    REQUIRE(r.n.pipes.size() == 1);
    CHECK_FALSE(r.n.pipes[0].failed);
    CHECK(r.n.pipes[0].memory_type == ks::memtype::KERNEL_NONPAGED);
  }

  TEST_CASE(
      "ambiguity: a complete pipe with an unknown ratio is CompressionUnknown, not Finalized") {
    auto r = negotiate_case("b5-unknown-then-insist.yaml");
    REQUIRE(r.n.pipes.size() == 2);
    CHECK_FALSE(r.n.pipes[0].failed);
    CHECK(r.n.pipes[0].state == 3);
    CHECK(r.n.pipes[1].state == 4);
  }
}
