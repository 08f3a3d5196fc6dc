// Negotiation scenarios, one or more per step of reference 6.4, with values computed by hand.
#include "ksframe/negotiate.hpp"

#include <set>

#include "helpers.hpp"

using namespace ksframe;

namespace {

struct Run {
  Spec spec;
  Negotiation n;
};

Run negotiate_text(const std::string& yaml, std::optional<NegotiateOptions> options = std::nullopt,
                   std::vector<std::string> overrides = {}) {
  LoadOptions load;
  load.overrides = std::move(overrides);
  auto r = load_spec(SourceFile{"n.yaml", yaml}, load);
  REQUIRE_MESSAGE(!r.override_error, r.override_error->message());
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  Run run{*r.spec, {}};
  run.n = negotiate(run.spec, options.value_or(negotiate_options(run.spec)));
  return run;
}

Run negotiate_file(const std::string& path) {
  return negotiate_text(test::read_file(test::source_dir() + "/" + path));
}

std::string pins_of(const Pipe& p) {
  std::string s;
  for (const auto& m : p.members) s += (s.empty() ? "" : " ") + m.name;
  return s;
}

std::string head = "ksframe: 1\nfilters:\n";

// A filter with one pin.
std::string pin_filter(const std::string& filter, const std::string& pin_yaml) {
  return "  - name: " + filter + "\n    pins:\n      - " + pin_yaml + "\n";
}

}  // namespace

TEST_SUITE("negotiate") {
  TEST_CASE("example A: avshws capture into a kernel renderer (6.5 A)") {
    auto r = negotiate_file("examples/capture-preview.yaml");
    REQUIRE(r.n.ok);
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "camera.capture renderer.in");
    CHECK(p.memory_type == ks::memtype::KERNEL_NONPAGED);
    CHECK(p.bus_type.is_null());
    CHECK(p.frame_size == 614400);
    CHECK(p.range_state == 2);  // RangeFixed
    CHECK(p.state == 4);        // Finalized
    CHECK(p.frames == 4);
    CHECK(p.align_mask == 3);
    CHECK(p.members[p.allocator].name == "renderer.in");
    CHECK(p.place == AllocatorPlace::LastPin);
    CHECK_FALSE(p.vendor);
    REQUIRE(p.legacy);
    CHECK(*p.legacy == ks::KSALLOCATOR_FRAMING{0x2, 0, 4, 614400, 3, 0});
    CHECK(p.inside_factors == (0x004 | 0x008 | 0x010 | 0x020 | 0x100 | 0x200));
    CHECK(p.input_factors == 0x400);   // PhysicalEnd: the camera has no input
    CHECK(p.output_factors == 0x400);  // PhysicalEnd: a renderer
  }

  TEST_CASE("example B: an in-place 2:1 expander in the middle (6.5 B)") {
    auto r = negotiate_file("examples/inplace-expander.yaml");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "source.out expander.in expander.out sink.in");
    CHECK(p.begin_size == 1000);
    CHECK(p.frame_size == 2000);
    CHECK(p.dim_max_expansion == ks::KS_COMPRESSION{2, 1, 0});
    CHECK(p.dim_end == ks::KS_COMPRESSION{2, 1, 0});
    CHECK((p.flags & ks::flag::NO_FRAME_INTEGRITY));
    CHECK((p.inside_factors & 0x040));  // FixedCompression
    CHECK(p.frames == 4);
    CHECK(p.align_mask == 7);
  }

  TEST_CASE("example C: FRAME_INTEGRITY against an in-place modifier splits (6.5 C, 6.4.8)") {
    auto r = negotiate_file("tests/data/negotiation/example-c-integrity.yaml");
    REQUIRE(r.n.ok);
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(pins_of(r.n.pipes[0]) == "source.out filter.in");
    CHECK(pins_of(r.n.pipes[1]) == "filter.out sink.in");
    CHECK(r.n.pipes[1].compatible);
    CHECK(r.n.pipes[1].legacy->OptionsFlags == 0x3);
    CHECK(r.n.pipes[0].legacy->OptionsFlags == 0x2);
    CHECK(r.n.pipes[1].prev_segment == 0);
    CHECK(r.n.pipes[1].frame_size == 4096);  // the size pipe-1 hands over (linked, soft)
    REQUIRE(test::with_rule(r.n.diagnostics, "KSF4003").size() == 1);
  }

  TEST_CASE("example D: no common memory type on a link fails (6.5 D, 6.4.10)") {
    auto r = negotiate_file("tests/data/negotiation/example-d-memory-conflict.yaml");
    CHECK_FALSE(r.n.ok);
    REQUIRE(r.n.failures.size() == 1);
    const auto& f = r.n.failures[0];
    CHECK(f.connection == "a.out -> b.in");
    CHECK(f.reason == "no_common_memory_type");
    REQUIRE(f.constraints.size() == 2);
    CHECK(f.constraints[0].pin == "a.out");
    CHECK(f.constraints[0].location.line == 11);
    CHECK(f.constraints[1].pin == "b.in");
    CHECK(f.constraints[1].location.line == 16);
    CHECK(r.n.pins[1].pipe.empty());
    CHECK(test::with_rule(r.n.diagnostics, "KSF4001").size() == 1);
  }

  TEST_CASE("6.4.1: DO_NOT_USE_STANDARD_TRANSPORT pins are in no pipe, USE_ overrides") {
    const std::string spec =
        head +
        pin_filter(
            "a", "{name: out, dataflow: out, flags: [KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT]}") +
        pin_filter("b", "{name: in, dataflow: in}") + "connections: [{from: a.out, to: b.in}]\n";
    auto r = negotiate_text(spec);
    CHECK(r.n.pipes.empty());
    CHECK(r.n.failures.at(0).reason == "ineligible_pin");
    CHECK(r.n.pins[0].reason ==
          "KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT: the pin belongs to no pipe");
    auto both = negotiate_text(
        head +
        pin_filter("a",
                   "{name: out, dataflow: out, flags: [KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT, "
                   "KSPIN_FLAG_USE_STANDARD_TRANSPORT]}") +
        pin_filter("b", "{name: in, dataflow: in}") + "connections: [{from: a.out, to: b.in}]\n");
    REQUIRE(both.n.pipes.size() == 1);
    CHECK(pins_of(both.n.pipes[0]) == "a.out b.in");
  }

  TEST_CASE("6.4.2: a non-in-place route starts a second pipe linked to the first") {
    auto r = negotiate_file("examples/encoder-two-pipes.yaml");
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(pins_of(r.n.pipes[0]) == "camera.capture encoder.raw_in");
    CHECK(pins_of(r.n.pipes[1]) == "encoder.h264_out writer.in");
    CHECK(r.n.pipes[1].prev_segment == 0);
    CHECK(r.n.pipes[0].next_segments == std::vector<int>{1});
    CHECK((r.n.pipes[0].flags & ks::flag::INDEPENDENT_RANGES));
    CHECK_FALSE((r.n.pipes[1].flags & ks::flag::INDEPENDENT_RANGES));
    // 3110400 / 20 + 4096 = 159616 handed over; physical stepping 4096 moves it to 159744.
    CHECK(r.n.pipes[1].frame_size == 159744);
    CHECK((r.n.pipes[1].flags & ks::flag::ATTENTION_STEPPING));
    CHECK(r.n.pipes[1].memory_type == ks::memtype::KERNEL_PAGED);
    CHECK(r.n.pipes[1].legacy->PoolType == 1);
  }

  TEST_CASE("6.4.2.3: splitter branches that only read share the pipe, modifying ones are copied") {
    auto r = negotiate_file("examples/splitter-preview-record.yaml");
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(pins_of(r.n.pipes[0]) == "camera.capture preview.in");
    CHECK(pins_of(r.n.pipes[1]) == "camera.capture#2 overlay.in overlay.out recorder.in");
    const std::string readers =
        head +
        pin_filter("cam",
                   "{name: out, dataflow: out, flags: [KSPIN_FLAG_SPLITTER], instances: {possible: "
                   "2}, framing_ex: {items: [{frames: 2}]}}") +
        pin_filter("r1", "{name: in, dataflow: in, framing_ex: {items: [{frames: 3}]}}") +
        pin_filter("r2", "{name: in, dataflow: in, framing_ex: {items: [{frames: 5}]}}") +
        "connections: [{from: cam.out, to: r1.in}, {from: cam.out, to: r2.in}]\n";
    auto shared = negotiate_text(readers);
    REQUIRE(shared.n.pipes.size() == 1);
    CHECK(pins_of(shared.n.pipes[0]) == "cam.out r1.in r2.in");
    CHECK((shared.n.pipes[0].flags & ks::flag::MULTIPLE_OUTPUT));
    CHECK(shared.n.pipes[0].frames == 5);
    CHECK(shared.n.pipes[0].ends.size() == 2);
    CHECK(shared.n.pipes[0].members[shared.n.pipes[0].allocator].name ==
          "r2.in");  // last in pin order
  }

  TEST_CASE("6.4.2.6: a ring of in-place filters is a cycle") {
    auto r = negotiate_file("examples/broken/cycle.yaml");
    REQUIRE_FALSE(r.n.pipes.empty());
    CHECK((r.n.pipes[0].flags & ks::flag::CYCLE));
    CHECK(test::with_rule(r.n.diagnostics, "KSF4004").size() == 1);
    CHECK_FALSE(r.n.ok);
  }

  TEST_CASE("6.4.3: weights choose the memory type, the bus follows the picked items") {
    auto r = negotiate_file("examples/device-memory.yaml");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.memory_type.to_string() == "6f3a9d12-4c1b-4e7a-9b0e-2d5f8c7a1e33");
    CHECK(p.weight == 15);  // 10 (capture card) + 5 (scaler)
    CHECK(*ks::name_of_guid(p.bus_type, ks::GuidKind::Bus) == "GUID_BUS_TYPE_PCI");
    CHECK(p.members[p.allocator].name == "capture_card.video_out");  // MUST_ALLOCATE (6.4.9.1)
    CHECK(p.vendor);
    CHECK(p.place == AllocatorPlace::FirstPin);
    CHECK(p.legacy->OptionsFlags == 0);  // device memory: no SYSTEM_MEMORY
    CHECK(p.align_mask == 0xFF);
    CHECK(p.frames == 6);
    // Without the weights the nonpaged item, first in appearance order, would not win either:
    // the device type appears first. Give nonpaged more weight and it wins.
    auto heavier = negotiate_text(
        test::read_file(test::source_dir() + "/examples/device-memory.yaml"), std::nullopt,
        {"capture_card.video_out.framing_ex.items[1].memory_type_weight=100"});
    CHECK(heavier.n.pipes[0].memory_type == ks::memtype::KERNEL_NONPAGED);
    CHECK(heavier.n.pipes[0].weight == 100);
  }

  TEST_CASE("6.4.3.4: pins whose items name different buses fall back to a common one") {
    const std::string spec =
        head +
        pin_filter("a",
                   "{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
                   "KSMEMORY_TYPE_KERNEL_NONPAGED, bus_type: GUID_BUS_TYPE_USB}, {memory_type: "
                   "KSMEMORY_TYPE_KERNEL_NONPAGED, bus_type: GUID_BUS_TYPE_PCI}]}}") +
        pin_filter("b",
                   "{name: in, dataflow: in, framing_ex: {items: [{memory_type: "
                   "KSMEMORY_TYPE_KERNEL_NONPAGED, bus_type: GUID_BUS_TYPE_PCI}]}}") +
        "connections: [{from: a.out, to: b.in}]\n";
    auto r = negotiate_text(spec);
    REQUIRE(r.n.ok);
    CHECK(*ks::name_of_guid(r.n.pipes[0].bus_type, ks::GuidKind::Bus) == "GUID_BUS_TYPE_PCI");
    CHECK(r.n.pipes[0].members[0].item == 1);
    const std::string clash =
        head +
        pin_filter("a",
                   "{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
                   "KSMEMORY_TYPE_KERNEL_NONPAGED, bus_type: GUID_BUS_TYPE_USB}]}}") +
        pin_filter("b",
                   "{name: in, dataflow: in, framing_ex: {items: [{memory_type: "
                   "KSMEMORY_TYPE_KERNEL_NONPAGED, bus_type: GUID_BUS_TYPE_PCI}]}}") +
        "connections: [{from: a.out, to: b.in}]\n";
    auto bad = negotiate_text(clash);
    REQUIRE(bad.n.failures.size() == 1);
    CHECK(bad.n.failures[0].reason == "no_common_bus");
  }

  TEST_CASE("6.4.3.6: an all-wildcard pipe resolves to KERNEL_NONPAGED, or USER with a user pin") {
    auto kernel = negotiate_text(head + pin_filter("a", "{name: out, dataflow: out}") +
                                 pin_filter("b", "{name: in, dataflow: in}") +
                                 "connections: [{from: a.out, to: b.in}]\n");
    CHECK(kernel.n.pipes[0].memory_type == ks::memtype::KERNEL_NONPAGED);
    CHECK_FALSE((kernel.n.pipes[0].inside_factors & 0x004));  // nobody named a type
    CHECK(kernel.n.pipes[0].range_state == 0);                // DontCare
    CHECK(kernel.n.pipes[0].frame_size == 0);
    CHECK(kernel.n.pipes[0].frames == 1);  // default_frames
    CHECK(test::with_rule(kernel.n.diagnostics, "KSF4007").size() == 1);
    auto user = negotiate_file("examples/photo-user-mode.yaml");
    const Pipe& p = user.n.pipes[0];
    CHECK(p.memory_type == ks::memtype::USER);
    CHECK(p.user_mode);
    CHECK(p.allocator == -1);
    CHECK(p.place == AllocatorPlace::None);
    CHECK_FALSE(p.legacy);
    CHECK(p.frame_size == 18874368);
    CHECK((p.output_factors & 0x002) != 0);  // UserModeDownstream
  }

  TEST_CASE("6.4.4: a 2:1 expander and a 1:4 compressor in one pipe") {
    const std::string spec = head +
                             pin_filter("src",
                                        "{name: out, dataflow: out, framing_ex: {items: [{frames: "
                                        "2, physical_range: {min: 4000, max: 4000}}]}}") +
                             "  - name: expand\n    pins:\n"
                             "      - {name: in, dataflow: in}\n"
                             "      - {name: out, dataflow: out, framing_ex: {output_compression: "
                             "{numerator: 2, denominator: 1}, items: [{}]}}\n"
                             "    routes: [{from: in, to: out, in_place: true}]\n"
                             "  - name: squeeze\n    pins:\n"
                             "      - {name: in, dataflow: in}\n"
                             "      - {name: out, dataflow: out, framing_ex: {output_compression: "
                             "{numerator: 1, denominator: 4, constant_margin: 16}, items: [{}]}}\n"
                             "    routes: [{from: in, to: out, in_place: true}]\n" +
                             pin_filter("sink", "{name: in, dataflow: in}") +
                             "connections: [{from: src.out, to: expand.in}, {from: expand.out, to: "
                             "squeeze.in}, {from: squeeze.out, to: sink.in}]\n";
    auto r = negotiate_text(spec);
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(pins_of(p) == "src.out expand.in expand.out squeeze.in squeeze.out sink.in");
    CHECK(p.begin_size == 4000);
    CHECK(p.frame_size == 8000);  // at expand.out: 2 x 4000
    CHECK(p.dim_max_expansion == ks::KS_COMPRESSION{2, 1, 0});
    CHECK(p.dim_end == ks::KS_COMPRESSION{1, 2, 16});  // 2/1 x 1/4 = 1/2, margin 16
    CHECK(p.members[4].size.num == 1);
    CHECK(p.members[4].size.den == 2);
  }

  TEST_CASE("6.4.4: unknown compression leaves later sizes unconstrained") {
    const std::string spec =
        head +
        pin_filter("src",
                   "{name: out, dataflow: out, framing_ex: {items: [{frames: 2, framing_range: "
                   "{min: 1000, max: 1000}}]}}") +
        "  - name: codec\n    pins:\n"
        "      - {name: in, dataflow: in}\n"
        "      - {name: out, dataflow: out, framing_ex: {output_compression: {numerator: unknown, "
        "denominator: 1}, items: [{framing_range: {min: 7, max: 7}}]}}\n"
        "    routes: [{from: in, to: out, in_place: true}]\n" +
        pin_filter("sink", "{name: in, dataflow: in}") +
        "connections: [{from: src.out, to: codec.in}, {from: codec.out, to: sink.in}]\n";
    auto r = negotiate_text(spec);
    REQUIRE(r.n.pipes.size() == 1);
    CHECK(r.n.pipes[0].state == 3);  // PipeState_CompressionUnknown
    CHECK((r.n.pipes[0].inside_factors & 0x080));
    CHECK(r.n.pipes[0].frame_size == 1000);  // the 7-byte range after the unknown ratio is ignored
  }

  TEST_CASE("6.4.5: stepping that only a congruence solution satisfies") {
    // Sizes 0 mod 6 (src) and 4 mod 10 (sink, honoured input range): lcm 30, x = 24 mod 30.
    // The largest such size <= 100 is 84.
    const std::string spec = "ksframe: 1\noptions: {honor_input_physical_range: true}\nfilters:\n" +
                             pin_filter("src",
                                        "{name: out, dataflow: out, framing_ex: {items: [{frames: "
                                        "1, physical_range: {min: 0, max: 100, stepping: 6}}]}}") +
                             pin_filter("sink",
                                        "{name: in, dataflow: in, framing_ex: {items: "
                                        "[{physical_range: {min: 4, max: 200, stepping: 10}}]}}") +
                             "connections: [{from: src.out, to: sink.in}]\n";
    auto r = negotiate_text(spec);
    REQUIRE(r.n.ok);
    CHECK(r.n.pipes[0].frame_size == 84);
    CHECK((r.n.pipes[0].flags & ks::flag::ATTENTION_STEPPING));
    // Steppings with no common size: 0 mod 4 and 1 mod 2.
    auto bad =
        negotiate_text("ksframe: 1\noptions: {honor_input_physical_range: true}\nfilters:\n" +
                       pin_filter("src",
                                  "{name: out, dataflow: out, framing_ex: {items: "
                                  "[{physical_range: {min: 0, max: 100, stepping: 4}}]}}") +
                       pin_filter("sink",
                                  "{name: in, dataflow: in, framing_ex: {items: [{physical_range: "
                                  "{min: 1, max: 99, stepping: 2}}]}}") +
                       "connections: [{from: src.out, to: sink.in}]\n");
    REQUIRE(bad.n.failures.size() == 1);
    CHECK(bad.n.failures[0].reason == "stepping_conflict");
  }

  TEST_CASE("6.4.5: input physical ranges are ignored unless honoured, empty P fails") {
    const std::string spec = head +
                             pin_filter("src",
                                        "{name: out, dataflow: out, framing_ex: {items: "
                                        "[{physical_range: {min: 8192, max: 8192}}]}}") +
                             pin_filter("sink",
                                        "{name: in, dataflow: in, framing_ex: {items: "
                                        "[{physical_range: {min: 0, max: 4096}}]}}") +
                             "connections: [{from: src.out, to: sink.in}]\n";
    auto ignored = negotiate_text(spec);
    REQUIRE(ignored.n.ok);
    CHECK(ignored.n.pipes[0].frame_size == 8192);
    NegotiateOptions honour;
    honour.honor_input_physical_range = true;
    auto failed = negotiate_text(spec, honour);
    REQUIRE(failed.n.failures.size() == 1);
    CHECK(failed.n.failures[0].reason == "empty_physical_range");
    CHECK(failed.n.failures[0].constraints[0].pin == "src.out");
    CHECK(failed.n.failures[0].constraints[1].pin == "sink.in");
  }

  TEST_CASE("6.4.5: MinimizeFrameSize and the weighted window") {
    const std::string spec = head +
                             pin_filter("src",
                                        "{name: out, dataflow: out, framing_ex: {items: "
                                        "[{framing_range: {min: 1000, max: 3000}}]}}") +
                             pin_filter("sink",
                                        "{name: in, dataflow: in, framing_ex: {items: "
                                        "[{framing_range: {min: 2000, max: 5000}}]}}") +
                             "connections: [{from: src.out, to: sink.in}]\n";
    CHECK(negotiate_text(spec).n.pipes[0].frame_size == 3000);
    NegotiateOptions small;
    small.strategy = 0x2;
    CHECK(negotiate_text(spec, small).n.pipes[0].frame_size == 2000);
    // Disjoint optimal ranges: the weighted window [ceil((1000*1 + 5000*3)/4), ...] = [4000, 4500].
    const std::string disjoint =
        head +
        pin_filter("src",
                   "{name: out, dataflow: out, framing_ex: {items: [{framing_range: {min: 1000, "
                   "max: 2000}}]}}") +
        pin_filter("sink",
                   "{name: in, dataflow: in, framing_ex: {items: [{framing_range: {min: 5000, max: "
                   "5333, not_in_place_weight: 3}}]}}") +
        "connections: [{from: src.out, to: sink.in}]\n";
    auto w = negotiate_text(disjoint);
    CHECK(w.n.pipes[0].frame_size == 4499);  // floor((2000 + 3 x 5333) / 4) = 4499
  }

  TEST_CASE("6.4.6 - 6.4.7: frames, alignment, FramePitch with 2D buffers") {
    const std::string spec =
        head +
        pin_filter("src",
                   "{name: out, dataflow: out, framing_ex: {items: [{frames: 3, file_alignment: "
                   "FILE_QUAD_ALIGNMENT}]}}") +
        pin_filter("sink",
                   "{name: in, dataflow: in, framing_ex: {items: [{frames: 5, flags: "
                   "[KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED], file_alignment: 0xFFFFF000}]}}") +
        "connections: [{from: src.out, to: sink.in}]\n";
    auto r = negotiate_text(spec);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.frames == 5);
    CHECK(p.align_mask == 7);
    REQUIRE(p.frame_pitch);
    CHECK(*p.frame_pitch == 4096);  // |(LONG)0xFFFFF000|
    CHECK((p.flags & ks::flag::BUFFER_2D_REQUIRED));
    NegotiateOptions three;
    three.default_frames = 3;
    auto zero = negotiate_text(head + pin_filter("a", "{name: out, dataflow: out}") +
                                   pin_filter("b", "{name: in, dataflow: in}") +
                                   "connections: [{from: a.out, to: b.in}]\n",
                               three);
    CHECK(zero.n.pipes[0].frames == 3);
  }

  TEST_CASE("6.4.8: INSIST_ON_FRAMESIZE_RATIO makes the handed-over size hard") {
    std::string spec =
        head +
        pin_filter("src",
                   "{name: out, dataflow: out, framing_ex: {items: [{physical_range: {min: 1000, "
                   "max: 1000}}]}}") +
        "  - name: enc\n    pins:\n"
        "      - {name: in, dataflow: in}\n"
        "      - {name: out, dataflow: out, framing_ex: {output_compression: {numerator: 1, "
        "denominator: 2}, items: [{flags: [KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO], "
        "physical_range: {min: 0, max: 400}}]}}\n"
        "    routes: [{from: in, to: out, in_place: false}]\n" +
        pin_filter("sink", "{name: in, dataflow: in}") +
        "connections: [{from: src.out, to: enc.in}, {from: enc.out, to: sink.in}]\n";
    auto r = negotiate_text(spec);
    REQUIRE(r.n.failures.size() == 1);
    CHECK(r.n.failures[0].reason == "ratio_conflict");
    CHECK(r.n.failures[0].connection == "pipe-1 -> pipe-2");
    CHECK(r.n.failures[0].constraints[1].what ==
          "KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO: exactly 500 bytes");
    auto fits =
        negotiate_text(spec, std::nullopt, {"enc.out.framing_ex.items[0].physical_range.max=600"});
    REQUIRE(fits.n.ok);
    CHECK(fits.n.pipes[1].frame_size == 500);
  }

  TEST_CASE("6.4.9: two MUST_ALLOCATE pins on a link fail, in a pipe they split") {
    const std::string link =
        head +
        pin_filter("a",
                   "{name: out, dataflow: out, framing_ex: {items: [{flags: "
                   "[KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE]}]}}") +
        pin_filter("b",
                   "{name: in, dataflow: in, framing_ex: {items: [{memory_flags: "
                   "[KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE]}]}}") +
        "connections: [{from: a.out, to: b.in}]\n";
    auto r = negotiate_text(link);
    REQUIRE(r.n.failures.size() == 1);
    CHECK(r.n.failures[0].reason == "two_must_allocate");
    CHECK(r.n.failures[0].constraints.size() == 2);
    const std::string routed = head +
                               pin_filter("a",
                                          "{name: out, dataflow: out, framing_ex: {items: [{flags: "
                                          "[KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE]}]}}") +
                               "  - name: t\n    pins:\n"
                               "      - {name: in, dataflow: in}\n"
                               "      - {name: out, dataflow: out, framing_ex: {items: [{flags: "
                               "[KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE]}]}}\n"
                               "    routes: [{from: in, to: out, in_place: true}]\n" +
                               pin_filter("c", "{name: in, dataflow: in}") +
                               "connections: [{from: a.out, to: t.in}, {from: t.out, to: c.in}]\n";
    auto split = negotiate_text(routed);
    REQUIRE(split.n.ok);
    REQUIRE(split.n.pipes.size() == 2);
    CHECK(pins_of(split.n.pipes[0]) == "a.out t.in");
    CHECK(split.n.pipes[0].members[split.n.pipes[0].allocator].name == "a.out");
    CHECK(pins_of(split.n.pipes[1]) == "t.out c.in");
    CHECK(split.n.pipes[1].place == AllocatorPlace::FirstPin);
  }

  TEST_CASE("6.4.9: vendor allocators, and allocator_place first") {
    const std::string spec = head +
                             pin_filter("a",
                                        "{name: out, dataflow: out, framing_ex: {items: "
                                        "[{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED}]}}") +
                             "  - name: m\n    pins:\n"
                             "      - {name: in, dataflow: in, allocator: {pool_frames: 4}, "
                             "framing_ex: {items: [{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, "
                             "flags: [KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER]}]}}\n"
                             "      - {name: out, dataflow: out}\n"
                             "    routes: [{from: in, to: out}]\n" +
                             pin_filter("z", "{name: in, dataflow: in}") +
                             "connections: [{from: a.out, to: m.in}, {from: m.out, to: z.in}]\n";
    auto r = negotiate_text(spec);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.members[p.allocator].name == "m.in");
    CHECK(p.place == AllocatorPlace::MiddlePin);
    CHECK(p.vendor);
    NegotiateOptions first;
    first.allocator_place_first = true;
    auto plain = negotiate_text(head + pin_filter("a", "{name: out, dataflow: out}") +
                                    pin_filter("b", "{name: in, dataflow: in}") +
                                    "connections: [{from: a.out, to: b.in}]\n",
                                first);
    CHECK(plain.n.pipes[0].place == AllocatorPlace::FirstPin);
  }

  TEST_CASE("6.4.10: a link that works only with PREFERENCES_ONLY relaxed") {
    const std::string spec =
        head +
        pin_filter("a",
                   "{name: out, dataflow: out, framing_ex: {items: [{memory_type: "
                   "KSMEMORY_TYPE_KERNEL_PAGED, flags: "
                   "[KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], frames: 2}]}}") +
        pin_filter("b",
                   "{name: in, dataflow: in, flags: [KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING], "
                   "framing_ex: {items: [{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED}]}}") +
        "connections: [{from: a.out, to: b.in}]\n";
    auto r = negotiate_text(spec);
    REQUIRE(r.n.ok);
    CHECK(r.n.pipes[0].memory_type == ks::memtype::KERNEL_NONPAGED);
    CHECK(r.n.pipes[0].members[0].relaxed);
    auto relaxed = test::with_rule(r.n.diagnostics, "KSF4002");
    REQUIRE(relaxed.size() == 1);
    CHECK(relaxed[0].message ==
          "a.out: PREFERENCES_ONLY requirements are dropped to connect a.out -> b.in");
  }

  TEST_CASE("hostile numbers: saturating ratios and a frame size that overflows a ULONG") {
    const std::string spec =
        head +
        pin_filter("src",
                   "{name: out, dataflow: out, framing_ex: {items: [{physical_range: {min: "
                   "4000000000, max: 4000000000}}]}}") +
        "  - name: x\n    pins:\n"
        "      - {name: in, dataflow: in}\n"
        "      - {name: out, dataflow: out, framing_ex: {output_compression: {numerator: "
        "0xFFFFFFFE, denominator: 1, constant_margin: 0xFFFFFFFF}, items: [{}]}}\n"
        "    routes: [{from: in, to: out, in_place: true}]\n" +
        pin_filter("sink", "{name: in, dataflow: in}") +
        "connections: [{from: src.out, to: x.in}, {from: x.out, to: sink.in}]\n";
    auto r = negotiate_text(spec);
    // 4e9 x 0xFFFFFFFE does not fit a ULONG: the in-place join into x.out becomes a split point.
    REQUIRE(r.n.pipes.size() == 2);
    CHECK(pins_of(r.n.pipes[0]) == "src.out x.in");
    CHECK(r.n.pipes[0].frame_size == 4000000000u);
    CHECK(pins_of(r.n.pipes[1]) == "x.out sink.in");
    auto split = test::with_rule(r.n.diagnostics, "KSF4003");
    REQUIRE(split.size() == 1);
    CHECK(split[0].message.find("(frame_size_overflow)") != std::string::npos);
  }

  TEST_CASE("--set overrides change the outcome") {
    const std::string text = test::read_file(test::source_dir() + "/examples/capture-preview.yaml");
    auto more = negotiate_text(text, std::nullopt, {"camera.capture.framing_ex.items[0].frames=8"});
    CHECK(more.n.pipes[0].frames == 8);
    auto bigger =
        negotiate_text(text, std::nullopt,
                       {"options.strategy=[MinimizeFrameSize]",
                        "renderer.in.framing_ex.items[0].file_alignment=FILE_64_BYTE_ALIGNMENT"});
    CHECK(bigger.n.pipes[0].align_mask == 0x3F);
    auto created = negotiate_text(text, std::nullopt, {"renderer.in.allocator={pool_frames: 2}"});
    CHECK(created.n.pipes[0].vendor);
    // What a wrong path says is override_test.cpp's.
  }

  TEST_CASE("negotiation is deterministic") {
    auto a = negotiate_file("examples/splitter-preview-record.yaml");
    auto b = negotiate_file("examples/splitter-preview-record.yaml");
    REQUIRE(a.n.pipes.size() == b.n.pipes.size());
    for (std::size_t i = 0; i < a.n.pipes.size(); ++i) {
      CHECK(pins_of(a.n.pipes[i]) == pins_of(b.n.pipes[i]));
      CHECK(a.n.pipes[i].frame_size == b.n.pipes[i].frame_size);
    }
  }
}

TEST_SUITE("negotiate") {
  TEST_CASE("6.4.0: a legacy framing is normalised to EX (AC97, reference 8.1)") {
    auto r = negotiate_file("examples/ac97-audio.yaml");
    REQUIRE(r.n.pipes.size() == 1);
    const Pipe& p = r.n.pipes[0];
    CHECK(p.memory_type == ks::memtype::KERNEL_NONPAGED);
    CHECK(p.frames == 8);
    CHECK(p.frame_size == 1920);
    CHECK(p.align_mask == 3);
    CHECK(*p.legacy == ks::KSALLOCATOR_FRAMING{0x2, 0, 8, 1920, 3, 0});
  }

  TEST_CASE("--explain covers every value, with the deciding pins and locations") {
    auto r = negotiate_file("examples/capture-preview.yaml");
    std::set<std::string> values;
    for (const auto& e : r.n.pipes[0].explanation) values.insert(e.value);
    CHECK(values == std::set<std::string>{"allocator", "alignment", "bus_type", "flags",
                                          "frame_size", "frames", "legacy", "memory_type",
                                          "state"});
    for (const auto& e : r.n.pipes[0].explanation) {
      if (e.value != "frames") continue;
      CHECK(e.decided_by == std::vector<std::string>{"renderer.in"});
      CHECK(e.rule == "6.4.6");
      REQUIRE(e.locations.size() == 1);
      CHECK(e.locations[0].line == 48);  // frames: 4
    }
  }

  TEST_CASE("every example negotiates without failures") {
    for (const char* name : {"ac97-audio", "capture-preview", "device-memory", "encoder-two-pipes",
                             "inplace-expander", "photo-user-mode", "splitter-preview-record"}) {
      auto r = negotiate_file(std::string("examples/") + name + ".yaml");
      CHECK_MESSAGE(r.n.ok, name);
      CHECK_MESSAGE(r.n.failures.empty(), name);
      for (const auto& p : r.n.pipes) CHECK_MESSAGE(p.state == 4, name);  // Finalized
    }
  }
}

TEST_SUITE("negotiate") {
  TEST_CASE("negotiation reads framing through property requests (probe, then get)") {
    auto r = negotiate_file("examples/capture-preview.yaml");
    // Two EX pins: a probe and a get each; each get moves 24 + 88 bytes.
    CHECK(r.n.property_traffic.requests == 4);
    CHECK(r.n.property_traffic.bytes == 224);
    auto legacy = negotiate_file("examples/ac97-audio.yaml");
    CHECK(legacy.n.property_traffic.requests == 2);  // two legacy pins: one 24-byte get each
    CHECK(legacy.n.property_traffic.bytes == 48);
  }
}
