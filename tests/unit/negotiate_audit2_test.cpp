// The second audit's cases (tests/data/negotiation2/, each file's first line says what it
// shows): instance counts, the user-mode edge, intersection, and the leftovers of the first
// audit, with the values Windows gives as docs/algorithm.md derives them.
#include "helpers.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/pipeline.hpp"
#include "ksframe/report.hpp"
#include "report/report_formats.hpp"

using namespace ksframe;
using report_formats::format_of;

namespace {

struct Run {
  Spec spec;
  Negotiation n;
};

std::string case_text(const std::string& name) {
  return test::read_file(test::source_dir() + "/tests/data/negotiation2/" + name);
}

Run negotiate_case(const std::string& name) {
  auto r = load_spec(SourceFile{"n.yaml", case_text(name)}, LoadOptions{});
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  Run run{*r.spec, {}};
  run.n = negotiate(run.spec, negotiate_options(run.spec));
  return run;
}

std::string pins_of(const Pipe& p) {
  std::string s;
  for (const auto& m : p.members) s += (s.empty() ? "" : " ") + m.name;
  return s;
}

// "pin: pipe-N" or "pin: why not", one per pin, in pin order.
std::string placement(const Negotiation& n) {
  std::string s;
  for (const auto& a : n.pins) s += a.pin + ": " + (a.pipe.empty() ? a.reason : a.pipe) + "\n";
  return s;
}

std::string rules_of(const Diagnostics& ds) {
  std::string s;
  for (const auto& d : ds) s += (s.empty() ? "" : " ") + d.rule;
  return s;
}

}  // namespace

TEST_SUITE("negotiate audit 2") {
  TEST_CASE("m1: a soft stepping on an open optimal range gives the stepped size") {
    auto r = negotiate_case("m1-soft-stepping-open.yaml");
    CHECK(r.n.ok);
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.frame_size == 1536);  // the largest multiple of 512 in P = [1000, 2000]
    CHECK((p.flags & ks::flag::ATTENTION_STEPPING) != 0);
  }

  TEST_CASE("m2: an IRP-source-only pin gets no implied user-mode consumer") {
    auto r = negotiate_case("m2-implied-source-comm.yaml");
    CHECK(r.spec.filters.size() == 1);
    CHECK(r.spec.connections.empty());
    CHECK(r.n.ok);
    CHECK(r.n.pipes.empty());
    CHECK(placement(r.n) == "drv.out: not connected\n");
    // Asked for explicitly in user mode, it is refused; a kernel consumer is fine.
    const std::string text = case_text("m2-implied-source-comm.yaml");
    const std::string user =
        text.substr(0, text.size() - 4) + ", implied_consumer: {mode: user}}]}\n";
    auto refused = test::load(user);
    CHECK(test::summary(refused.diagnostics) ==
          "4:219: KSF0019: pin drv.out cannot have an implied consumer: it is an IRP source "
          "(communication source); user mode opens sink pins only\n");
    const std::string kernel =
        text.substr(0, text.size() - 4) + ", implied_consumer: {mode: kernel}}]}\n";
    auto accepted = test::load(kernel);
    CHECK_FALSE(has_errors(accepted.diagnostics));
    REQUIRE(accepted.spec);
    CHECK(accepted.spec->connections.size() == 1);
  }

  TEST_CASE("m3: DENY_USERMODE_ACCESS (pin or filter) means no implied user-mode consumer") {
    auto r = negotiate_case("m3-implied-deny.yaml");
    CHECK(r.spec.connections.empty());
    CHECK(r.n.ok);
    CHECK(rules_of(r.n.diagnostics) == "");
    CHECK(test::errors_and_warnings(test::lint(case_text("m3-implied-deny.yaml"))) == "");
    auto filter = test::load(
        "ksframe: 1\nfilters:\n  - {name: drv, flags: [KSFILTER_FLAG_DENY_USERMODE_ACCESS], "
        "pins: [{name: out, dataflow: out}]}\n");
    REQUIRE(filter.spec);
    CHECK(filter.spec->connections.empty());
  }

  TEST_CASE("m4: bridge, none, possible-0 and unconnected pins are in no pipe") {
    auto r = negotiate_case("m4-nonstreaming-pipes.yaml");
    CHECK(r.n.ok);
    CHECK(r.n.pipes.empty());
    CHECK(rules_of(r.n.diagnostics) == "");  // no KSF4007
    CHECK(placement(r.n) ==
          "drv.br: communication bridge: the pin connects outside Kernel Streaming and belongs "
          "to no pipe\n"
          "drv.no: communication none: the pin is no connection point and belongs to no pipe\n"
          "drv.zero: InstancesPossible is 0: KS creates no instance of the pin\n");
    // The unconnected output of a connected filter, and an in-place route into it.
    auto c = test::load(
        "ksframe: 1\nfilters:\n"
        "  - {name: a, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 2}]}}, "
        "{name: spare, dataflow: out}]}\n"
        "  - {name: t, pins: [{name: in, dataflow: in}, {name: out, dataflow: out}], routes: "
        "[{from: in, to: out, in_place: true}]}\n"
        "connections: [{from: a.out, to: t.in}]\n");
    REQUIRE(c.spec);
    const Negotiation n = negotiate(*c.spec, negotiate_options(*c.spec));
    REQUIRE(n.pipes.size() == 1);
    CHECK(pins_of(n.pipes[0]) == "a.out t.in");
    CHECK(placement(n) ==
          "a.out: pipe-1\na.spare: not connected\nt.in: pipe-1\nt.out: not connected\n");
    CHECK(rules_of(n.diagnostics) == "");
  }

  TEST_CASE("m5: a wildcard output range takes the input range's concrete format") {
    auto r = negotiate_case("m5-wildcard-output-format.yaml");
    REQUIRE(r.spec.connections.size() == 1);
    const ConnectionSpec& c = r.spec.connections[0];
    CHECK(c.format.on_input);
    CHECK(c.format.from_range == 0);
    CHECK(c.format.to_range == 0);
    auto f = format_of(r.spec, c);
    REQUIRE(f);
    CHECK(f->subtype == "MEDIASUBTYPE_NV12");
    CHECK(f->sample_bytes == 3110400);
    REQUIRE(f->video);
    CHECK(f->video->image_size == 3110400);
    CHECK(f->video->frame_rate_hz == doctest::Approx(29.97).epsilon(0.0001));
    REQUIRE(r.spec.load.format_defaults.size() == 1);
    CHECK(r.spec.load.format_defaults[0].rate_hz == doctest::Approx(1e7 / 333667.0));
    CHECK(r.spec.load.format_defaults[0].payload.value.value == 3110400);
  }

  TEST_CASE("intersection into user mode follows the input pin's order") {
    const std::string spec =
        "ksframe: 1\nfilters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out, data_ranges: ["
        "{kind: video, subtype: YUY2, width: 320, height: 240}, "
        "{kind: video, subtype: NV12, width: 320, height: 240}]}]}\n"
        "  - {name: app, pins: [{name: in, dataflow: in, USER, data_ranges: ["
        "{kind: video, subtype: NV12, width: 320, height: 240}, "
        "{kind: video, subtype: YUY2, width: 320, height: 240}]}]}\n"
        "connections: [{from: cam.out, to: app.in}]\n";
    auto pick = [&](const std::string& user) {
      std::string s = spec;
      s.replace(s.find("USER"), 4, user);
      auto r = test::load(s);
      REQUIRE(r.spec);
      return format_of(*r.spec, r.spec->connections[0])->subtype;
    };
    CHECK(pick("user_mode: true") == "MEDIASUBTYPE_NV12");   // the application's first choice
    CHECK(pick("user_mode: false") == "MEDIASUBTYPE_YUY2");  // kernel to kernel: the output's
  }

  TEST_CASE("an audio format's sample size is its block align") {
    auto r = test::load(
        "ksframe: 1\nfilters:\n"
        "  - {name: mic, pins: [{name: out, dataflow: out, data_ranges: [{kind: audio, "
        "max_channels: 2, bits: 24, rate: 48000}]}]}\n"
        "  - {name: app, pins: [{name: in, dataflow: in, user_mode: true}]}\n"
        "connections: [{from: mic.out, to: app.in}]\n");
    REQUIRE(r.spec);
    auto f = format_of(*r.spec, r.spec->connections[0]);
    REQUIRE(f);
    CHECK(f->sample_bytes == 6);
    REQUIRE(f->audio);
    CHECK(f->audio->block_align == 6);
  }

  TEST_CASE("m6: the connection past InstancesPossible fails, located at it") {
    auto r = negotiate_case("m6-splitter-instance-limit.yaml");
    CHECK_FALSE(r.n.ok);
    REQUIRE(r.n.failures.size() == 1);
    const auto& f = r.n.failures[0];
    CHECK(f.connection == "cam.cap -> c.in");
    CHECK(f.reason == "fan_out");
    CHECK(f.message ==
          "cam.cap allows 2 instance(s) (InstancesPossible) and already has 2 connection(s)");
    REQUIRE(r.n.pipes.size() == 1);
    CHECK(pins_of(r.n.pipes[0]) == "cam.cap a.in b.in");
    REQUIRE(f.constraints.size() == 1);  // located at the third connection
    CHECK(f.constraints[0].location.line == 8);
    CHECK(f.constraints[0].location.column == 69);
    CHECK(test::errors_and_warnings(test::lint(case_text("m6-splitter-instance-limit.yaml"))) ==
          "8:69: KSF3005: splitter pin cam.cap allows 2 instances but has 3 connections\n");
  }

  TEST_CASE("m7: a connected pin with InstancesPossible 0 is an error, in no pipe") {
    auto r = negotiate_case("m7-instances-zero.yaml");
    CHECK_FALSE(r.n.ok);
    CHECK(r.n.pipes.empty());
    REQUIRE(r.n.failures.size() == 1);
    CHECK(r.n.failures[0].reason == "no_instances");
    CHECK(r.n.failures[0].message ==
          "cam.cap has InstancesPossible 0: KS creates no instance of it");
    CHECK(placement(r.n) ==
          "cam.cap: InstancesPossible is 0: KS creates no instance of the pin\na.in: not "
          "connected\n");
    CHECK(test::errors_and_warnings(test::lint(case_text("m7-instances-zero.yaml"))) ==
          "6:15: KSF3008: connection cam.cap -> a.in uses cam.cap, whose InstancesPossible is 0: "
          "KS creates no instance of it\n");
  }

  TEST_CASE("m8: a necessary pin left unconnected keeps the filter in STOP: no healthy run") {
    const std::string text = case_text("m8-necessary-unconnected.yaml");
    CHECK(test::errors_and_warnings(test::lint(text)) ==
          "4:117: KSF3006: pin cam.still needs 1 instance(s) to run but no connection uses it: "
          "filter cam cannot leave KSSTATE_STOP\n");
    auto loaded = load_spec(SourceFile{"n.yaml", text}, LoadOptions{});
    REQUIRE(loaded.spec);
    const Job job = run_job(*loaded.spec, loaded.diagnostics, SimulateOptions{});
    CHECK(has_errors(job.diagnostics));
    CHECK_FALSE(job.negotiation.ran);
    CHECK_FALSE(job.simulation.ran);
    // A filter no connection touches is not in the graph, so its necessary pins are not judged.
    CHECK(test::with_rule(test::lint("ksframe: 1\nfilters:\n"
                                     "  - {name: a, pins: [{name: out, dataflow: out}]}\n"
                                     "  - {name: b, pins: [{name: in, dataflow: in}]}\n"
                                     "  - {name: idle, pins: [{name: in, dataflow: in, "
                                     "instances: {possible: 1, necessary: 1}}]}\n"
                                     "connections: [{from: a.out, to: b.in}]\n"),
                          "KSF3006")
              .empty());
  }

  TEST_CASE("m9: a kernel allocator never serves a pipe that crosses into user mode") {
    auto r = negotiate_case("m9-kernel-allocator-user-pipe.yaml");
    CHECK(r.n.ok);
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "cam.out app.in");
    CHECK(p.allocator == -1);
    CHECK(p.place == AllocatorPlace::None);
    CHECK(p.user_mode);
    CHECK_FALSE(p.vendor);
    CHECK(p.memory_type == ks::memtype::USER);
    REQUIRE(p.allocator_properties);
    CHECK(*p.allocator_properties == AllocatorProperties{3, 4096, 1, 0});
    // MUST_ALLOCATE does not make a kernel pin the allocator of a user-mode pipe either.
    auto must = test::load(
        "ksframe: 1\nfilters:\n"
        "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{frames: 3, "
        "flags: [KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE], framing_range: {min: 4096, max: "
        "4096}}]}}]}\n"
        "  - {name: app, pins: [{name: in, dataflow: in, user_mode: true}]}\n"
        "connections: [{from: cam.out, to: app.in}]\n");
    REQUIRE(must.spec);
    const Negotiation n = negotiate(*must.spec, negotiate_options(*must.spec));
    REQUIRE(n.pipes.size() == 1);
    CHECK(n.pipes[0].allocator == -1);
    CHECK(n.pipes[0].user_mode);
  }

  TEST_CASE("m10: a don't-care pipe feeding a copying filter leaves the next pipe DontCare") {
    auto r = negotiate_case("m10-dontcare-link.yaml");
    CHECK(r.n.ok);
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(r.n.pipes[0].range_state == 0);
    CHECK(r.n.pipes[1].range_state == 0);  // PipeState_DontCare, not RangeFixed at 0
    CHECK(r.n.pipes[1].frame_size == 0);
  }

  TEST_CASE("ALLOCATOR_PROPERTIES the user-mode allocator cannot commit are KSF4009") {
    auto props = [](const std::string& framing) {
      auto r = test::load(
          "ksframe: 1\nfilters:\n  - {name: cam, pins: [{name: out, dataflow: "
          "out, " +
          framing +
          "}]}\n  - {name: app, pins: [{name: in, dataflow: in, user_mode: "
          "true}]}\nconnections: [{from: cam.out, to: app.in}]\n");
      REQUIRE(r.spec);
      return test::summary(
          test::with_rule(negotiate(*r.spec, negotiate_options(*r.spec)).diagnostics, "KSF4009"));
    };
    CHECK(props("framing_ex: {items: [{frames: 2, file_alignment: 0x1FFFF, framing_range: "
                "{min: 4096, max: 4096}}]}") ==
          "3:24: KSF4009: pipe-1: KsProxy cannot commit ALLOCATOR_PROPERTIES {2, 4096, 131072, "
          "0}: cbAlign 131072 is not a power of two up to the 64 KiB allocation granularity, "
          "so SetProperties fails with VFW_E_BADALIGN\n");
    CHECK(props("framing_ex: {items: [{frames: 2, framing_range: {min: 0, max: 0}}]}") ==
          "3:24: KSF4009: pipe-1: KsProxy cannot commit ALLOCATOR_PROPERTIES {2, 0, 1, 0}: "
          "cbBuffer is 0, so Commit fails with VFW_E_SIZENOTSET\n");
    // The clean counterparts: a page-aligned frame; a don't-care size (the proxy uses the type).
    CHECK(props("framing_ex: {items: [{frames: 2, file_alignment: 0xFFF, framing_range: "
                "{min: 4096, max: 4096}}]}") == "");
    CHECK(props("framing_ex: {items: [{frames: 2}]}") == "");
  }

  TEST_CASE("a relaxed pin's INPLACE_MODIFIER still counts in the pipe's flags") {
    auto r = test::load(
        "ksframe: 1\nfilters:\n"
        "  - {name: a, pins: [{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
        "KSMEMORY_TYPE_KERNEL_PAGED, frames: 2}]}}]}\n"
        "  - {name: m, pins: [{name: in, dataflow: in, framing_ex: {items: [{memory_type: "
        "KSMEMORY_TYPE_KERNEL_NONPAGED, flags: [KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY, "
        "KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER]}]}}, {name: out, dataflow: out}], routes: "
        "[{from: in, to: out}]}\n"
        "  - {name: s, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: a.out, to: m.in}, {from: m.out, to: s.in}]\n");
    REQUIRE(r.spec);
    const Negotiation n = negotiate(*r.spec, negotiate_options(*r.spec));
    REQUIRE(n.pipes.size() == 1);
    const Pipe& p = n.pipes[0];
    CHECK(pins_of(p) == "a.out m.in m.out s.in");
    CHECK(p.members[1].relaxed);  // m.in prefers nonpaged memory; the source offers paged only
    CHECK((p.flags & ks::flag::INPLACE_MODIFIER) != 0);
    CHECK((p.flags & ks::flag::NO_FRAME_INTEGRITY) != 0);
  }

  TEST_CASE("item-level CAN_ALLOCATE failure reads as a sentence") {
    auto r = test::load(
        "ksframe: 1\nfilters:\n"
        "  - {name: a, pins: [{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
        "6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33, frames: 2}]}}]}\n"
        "  - {name: b, pins: [{name: in, dataflow: in}]}\n"
        "connections: [{from: a.out, to: b.in}]\n");
    REQUIRE(r.spec);
    const Negotiation n = negotiate(*r.spec, negotiate_options(*r.spec));
    REQUIRE(n.failures.size() == 1);
    CHECK(n.failures[0].message ==
          "no memory type suits every pin: 6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33 cannot be used: "
          "no pin's picked item can allocate it (KSALLOCATOR_FLAG_CAN_ALLOCATE or "
          "KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE on an item naming it)");
  }
}
