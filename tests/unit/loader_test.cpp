// The spec loader: values, defaults and locations; and each input error with its exact message.
#include "helpers.hpp"

using namespace ksframe;

TEST_SUITE("spec") {
  TEST_CASE("the spec-format example loads with every value and its location") {
    auto r = test::load(test::read_file(test::source_dir() + "/examples/capture-preview.yaml"));
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.spec);
    const Spec& s = *r.spec;
    CHECK(s.name.value == "usb-camera-preview");
    CHECK(s.options.strategy.value == 0x4);
    CHECK(s.options.allocator_place.value == "last");
    REQUIRE(s.filters.size() == 2);
    const PinSpec& cap = s.filters[0].pins[0];
    CHECK(cap.name.value == "capture");
    CHECK(cap.dataflow.value == ks::Dataflow::Out);
    CHECK(cap.communication.value == ks::Communication::Both);
    CHECK(cap.flags.value == 0x10000);
    CHECK(cap.instances_possible.value == 1);
    CHECK(cap.instances_necessary.value == 1);
    REQUIRE(cap.framing_ex);
    const auto ex = cap.framing_ex->value();
    CHECK(ex.CountItems == 1);
    const auto& it = ex.FramingItem[0];
    CHECK(it.MemoryType == ks::memtype::KERNEL_NONPAGED);
    CHECK(it.Flags == 0x80000002);
    CHECK(it.Frames == 2);
    CHECK(it.PhysicalRange == ks::KS_FRAMING_RANGE{614400, 614400, 0});
    CHECK(cap.framing_ex->items[0].frames.pos.line == 33);
    CHECK(cap.framing_ex->items[0].frames.pos.column == 23);
    CHECK(cap.framing_ex->items[0].frames.present);
    CHECK(s.connections.size() == 1);
    CHECK(s.connections[0].from_ref.filter == 0);
    CHECK(s.connections[0].to_ref.filter == 1);
    CHECK(s.pin_name(s.connections[0].to_ref) == "renderer.in");
    CHECK(s.load.seed.value == 1);
    CHECK(s.load.frames.value == 10000);
    CHECK(s.load.source_rate_hz.value == 30.0);
    CHECK(s.load.payload.value.value == 614400.0);
    REQUIRE(s.load.stages.size() == 1);
    CHECK(s.load.stages[0].filter_index == 1);
    CHECK(s.load.stages[0].service_us.kind.value == DistributionSpec::Kind::Exponential);
    CHECK(s.load.stages[0].service_us.mean.value == 20000.0);
    CHECK(s.load.stages[0].hold_frames.value == 1);
  }

  TEST_CASE("defaults: pin id is the position, communication both, one possible instance") {
    auto r = test::load(
        "ksframe: 1\nfilters:\n  - name: f\n    pins:\n      - {name: a, dataflow: in}\n"
        "      - {name: b, dataflow: out}\n");
    REQUIRE(r.diagnostics.empty());
    const auto& pins = r.spec->filters[0].pins;
    CHECK(pins[1].id.value == 1);
    CHECK_FALSE(pins[1].id.present);
    CHECK(pins[1].communication.value == ks::Communication::Both);
    CHECK(pins[1].instances_possible.value == 1);
    CHECK(pins[1].instances_necessary.value == 0);
    CHECK_FALSE(pins[1].framing_ex);
    CHECK(r.spec->options.default_frames.value == 1);
    CHECK(r.spec->load.allocator_mode.value == "irp");
    CHECK_FALSE(r.spec->effective_framing_ex({0, 0}));
  }

  TEST_CASE("simple_framing_ex expands as DECLARE_SIMPLE_FRAMING_EX") {
    auto r = test::load(test::one_pin(
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_PAGED, flags: "
        "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: 3, file_alignment: FILE_LONG_ALIGNMENT, "
        "min: 100, max: unbounded}\n"));
    REQUIRE(r.diagnostics.empty());
    const auto ex = r.spec->filters[0].pins[0].framing_ex->value();
    CHECK(ex == ks::simple_framing_ex(ks::memtype::KERNEL_PAGED, 0x2, 3, 3, 100, 0xFFFFFFFF));
    CHECK(r.spec->filters[0].pins[0].framing_ex->form == FramingExSpec::Form::Simple);
  }

  TEST_CASE("legacy framing, hex integers, pool names and effective EX") {
    auto r = test::load(test::one_pin(
        "        framing: {requirements_flags: 0x80000002, pool_type: PagedPool, frames: 0x8, "
        "frame_size: 1920, file_alignment: 3}\n"));
    REQUIRE(r.diagnostics.empty());
    const auto& l = *r.spec->filters[0].pins[0].framing;
    CHECK(l.value() == ks::KSALLOCATOR_FRAMING{0x80000002, 1, 8, 1920, 3, 0});
    CHECK(l.flags_kind == LegacyFramingSpec::FlagsKind::Requirements);
    auto ex = r.spec->effective_framing_ex({0, 0});
    REQUIRE(ex);
    CHECK(ex->FramingItem[0].MemoryType == ks::memtype::KERNEL_PAGED);
  }

  TEST_CASE("GUID text with braces, any case, strategy short and long names") {
    auto r = test::load(
        "ksframe: 1\noptions: {strategy: [MinimizeFrameSize, AllocatorStrategy_MaximizeSpeed]}\n"
        "filters:\n  - name: f\n    pins:\n      - name: p\n        dataflow: out\n"
        "        framing_ex: {items: [{memory_type: '{D833F8F8-7894-11D1-B069-00A0C9062802}'}]}\n");
    REQUIRE(r.diagnostics.empty());
    CHECK(r.spec->options.strategy.value == 0xA);
    CHECK(r.spec->filters[0].pins[0].framing_ex->items[0].memory_type.value ==
          ks::memtype::KERNEL_PAGED);
  }

  TEST_CASE("input errors carry exact messages and locations") {
    struct Case {
      const char* body;
      const char* expected;
    };
    const Case cases[] = {
        {"        framing_ex: {items: [{frames: -1}]}\n",
         "7:39: KSF0010: 'frames' is negative: -1\n"},
        {"        framing_ex: {items: [{frames: 4294967296}]}\n",
         "7:39: KSF0010: 'frames' is larger than 4294967295 (0xFFFFFFFF): 4294967296\n"},
        {"        framing_ex: {items: [{frames: \"4\"}]}\n",
         "7:39: KSF0009: 'frames' must be an integer from 0 to 4294967295, not the string '4'\n"},
        {"        framing_ex: {items: [{frmes: 4}]}\n",
         "7:31: KSF0008: unknown key 'frmes' in 'f.p.framing_ex.items[0]'\n"},
        {"        framing_ex: {items: [{flags: [KSALLOCATOR_FLAG_CAN_ALOCATE]}]}\n",
         "7:39: KSF0011: unknown flag 'KSALLOCATOR_FLAG_CAN_ALOCATE' in 'flags'\n"},
        {"        framing_ex: {items: [{file_alignment: FILE_QUAD}]}\n",
         "7:47: KSF0011: unknown alignment 'FILE_QUAD'\n"},
        {"        framing_ex: {count_items: 2, items: [{frames: 1}]}\n",
         "7:35: KSF0015: count_items is 2 but 1 item is listed\n"},
        {"        framing_ex: {items: [{frames: 1}]}\n        simple_framing_ex: {frames: 1}\n",
         "8:9: KSF0019: a pin has either 'framing_ex' or 'simple_framing_ex', not both\n"
         "8:28: KSF0013: missing required key 'file_alignment' in 'f.p.simple_framing_ex'\n"
         "8:28: KSF0013: missing required key 'flags' in 'f.p.simple_framing_ex'\n"
         "8:28: KSF0013: missing required key 'max' in 'f.p.simple_framing_ex'\n"
         "8:28: KSF0013: missing required key 'memory_type' in 'f.p.simple_framing_ex'\n"
         "8:28: KSF0013: missing required key 'min' in 'f.p.simple_framing_ex'\n"},
        {"        framing: {requirements_flags: 2, options_flags: 2}\n",
         "7:57: KSF0019: a legacy framing has either 'requirements_flags' (query) or "
         "'options_flags' (allocator create), not both\n"},
        {"        instances: {possible: unbounded, necessary: lots}\n",
         "7:53: KSF0009: 'necessary' must be an integer from 0 to 4294967295, not the value "
         "'lots'\n"},
        {"        user_mode: 1\n",
         "7:20: KSF0009: 'user_mode' must be true or false, not the value '1'\n"},
    };
    for (const auto& c : cases) {
      auto r = test::load(test::one_pin(c.body));
      CHECK_MESSAGE(test::summary(r.diagnostics) == c.expected, c.body);
    }
  }

  TEST_CASE("did-you-mean hints") {
    auto r = test::load(test::one_pin("        framing_ex: {itmes: []}\n"));
    auto d = test::with_rule(r.diagnostics, "KSF0008");
    REQUIRE(d.size() == 1);
    CHECK(d[0].hint == "did you mean 'items'?");
    r = test::load(test::one_pin(
        "        framing_ex: {items: [{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGD}]}\n"));
    CHECK(test::with_rule(r.diagnostics, "KSF0011").at(0).hint ==
          "did you mean 'KSMEMORY_TYPE_KERNEL_NONPAGED'?");
    r = test::load(test::one_pin("        flags: [SPLITTER]\n"));
    CHECK(test::with_rule(r.diagnostics, "KSF0011").at(0).hint ==
          "did you mean 'KSPIN_FLAG_SPLITTER'?");
  }

  TEST_CASE("references: connections, routes, stages, duplicate names") {
    auto r =
        test::load(test::read_file(test::source_dir() + "/tests/data/hostile/bad-references.yaml"));
    CHECK(test::summary(r.diagnostics) ==
          "5:21: KSF0017: route names pin 'captur', which filter 'camera' does not have\n"
          "9:12: KSF0017: connection names 'camera.captur', which does not exist\n"
          "10:12: KSF0009: a connection end must be written filter.pin, not 'camera'\n"
          "13:5: KSF0017: load stage names filter 'rendrer', which does not exist\n");
    r = test::load(test::read_file(test::source_dir() + "/tests/data/hostile/bad-routes.yaml"));
    CHECK(test::with_rule(r.diagnostics, "KSF0018").size() == 2);
    CHECK(r.diagnostics[0].related.at(0).message == "'out' is declared here");
  }

  TEST_CASE("the file-size limit is enforced before parsing") {
    MemoryFileReader reader;
    reader.add("big.yaml", std::string(1000, '#'));
    LoadOptions small;
    small.max_file_bytes = 999;
    auto r = load_spec_file(reader, "big.yaml", small);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].rule == "KSF0003");
    CHECK(r.diagnostics[0].message == "file is larger than the limit of 999 bytes");
    CHECK(r.unreadable);  // refused before any work: exit code 2
  }

  TEST_CASE("load.frames is bounded") {
    auto r = test::load(
        "ksframe: 1\nfilters: [{name: a, pins: [{name: o, dataflow: out}]}]\nload: {frames: "
        "10000001}\n");
    CHECK(test::summary(r.diagnostics) ==
          "3:16: KSF0010: 'frames' is 10000001; a load runs at most 10000000 source frames\n");
  }

  TEST_CASE("a 17 MiB file is refused without being parsed") {
    MemoryFileReader reader;
    reader.add("huge.yaml", "a: [" + std::string(17u << 20, '1') + "]");
    auto r = load_spec_file(reader, "huge.yaml");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].rule == "KSF0003");
  }

  TEST_CASE("a missing file is unreadable (exit code 2)") {
    MemoryFileReader reader;
    auto r = load_spec_file(reader, "nope.yaml");
    CHECK(r.unreadable);
    CHECK(r.diagnostics.at(0).rule == "KSF0002");
    CHECK(r.diagnostics.at(0).message == "cannot read nope.yaml: No such file or directory");
  }

  TEST_CASE("route_in_place: override, INPLACE_MODIFIER on either pin, or not") {
    auto r = test::load(
        "ksframe: 1\nfilters:\n  - name: f\n    pins:\n"
        "      - {name: i, dataflow: in, framing_ex: {items: [{flags: "
        "[KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER]}]}}\n"
        "      - {name: o, dataflow: out}\n      - {name: o2, dataflow: out}\n"
        "      - {name: i2, dataflow: in}\n"
        "    routes:\n      - {from: i, to: o}\n      - {from: i, to: o2, in_place: false}\n"
        "      - {from: i2, to: o2}\n");
    REQUIRE(r.diagnostics.empty());
    const auto& routes = r.spec->filters[0].routes;
    CHECK(route_in_place(*r.spec, 0, routes[0]));
    CHECK_FALSE(route_in_place(*r.spec, 0, routes[1]));
    CHECK_FALSE(route_in_place(*r.spec, 0, routes[2]));
  }

  TEST_CASE("the rules the schema alone used to check, with the loader's located messages") {
    // Each of these passed the loader before it defined the format; the schema caught them.
    struct Case {
      std::string body, expected;
    };
    const std::string expr = [] {  // 52 x "4096" joined by " + ": 52 * 4 + 51 * 3 = 361 bytes
      std::string e = "4096";
      for (int i = 1; i < 52; ++i) e += " + 4096";
      return e;
    }();
    const std::vector<Case> cases = {
        {"        id: 1 + 1\n",
         "7:13: KSF0009: 'id' must be an integer from 0 to 4294967295, not the expression "
         "'1 + 1'\n"},
        {"        framing: {pool_type: 1 + 1}\n",
         "7:30: KSF0009: 'pool_type' must be an integer from 0 to 4294967295, not the expression "
         "'1 + 1'\n"},
        {"        flags: [KSPIN_FLAG_SPLITTER, KSPIN_FLAG_SPLITTER]\n",
         "7:38: KSF0012: flag 'KSPIN_FLAG_SPLITTER' is listed twice in 'flags'\n"},
        {"        simple_framing_ex: {memory_type: GUID_BUS_TYPE_USB, flags: [], frames: 1, "
         "file_alignment: 0, min: 1, max: 1}\n",
         "7:42: KSF0011: 'GUID_BUS_TYPE_USB' is a bus type, not a memory type\n"},
        {"        framing_ex: {items: [{bus_type: KSPROPSETID_Connection}]}\n",
         "7:41: KSF0011: 'KSPROPSETID_Connection' is not a bus type\n"},
        {"        framing: {frames: " + expr + "}\n",
         "7:27: KSF0010: 'frames' is an expression of 361 bytes; at most 256 are allowed\n"},
        {"        allocator:\n", ""},  // a vendor allocator with the defaults
    };
    for (const auto& c : cases) {
      auto r = test::load(test::one_pin(c.body));
      CHECK_MESSAGE(test::summary(r.diagnostics) == c.expected, c.body);
    }
    const std::string top =
        "ksframe: 1\nname: NAME\nfilters: [{name: f, pins: [{name: p, "
        "dataflow: out}]}]\n";
    auto named = [&](std::size_t n) {
      std::string t = top;
      return t.replace(t.find("NAME"), 4, std::string(n, 'n'));
    };
    CHECK(test::load(named(256)).diagnostics.empty());
    CHECK(test::summary(test::load(named(257)).diagnostics) ==
          "2:7: KSF0012: the spec's 'name' has 257 characters; at most 256 are allowed\n");
  }

  TEST_CASE("uses_standard_transport: the flags opt out only without USE_, and none or bridge") {
    PinSpec p;
    p.communication.value = ks::Communication::Both;
    CHECK(uses_standard_transport(p));
    p.flags.value = ks::pinflag::DO_NOT_USE_STANDARD_TRANSPORT;
    CHECK_FALSE(uses_standard_transport(p));
    p.flags.value |= ks::pinflag::USE_STANDARD_TRANSPORT;  // USE_ wins (ref 6.4.1)
    CHECK(uses_standard_transport(p));
    for (auto c : {ks::Communication::None, ks::Communication::Bridge}) {
      p.communication.value = c;
      CHECK_FALSE(uses_standard_transport(p));
    }
    for (auto c : {ks::Communication::Sink, ks::Communication::Source}) {
      p.communication.value = c;
      CHECK(uses_standard_transport(p));
    }
  }
}
