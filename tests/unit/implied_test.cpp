// Implied consumers: an output pin the spec connects to nothing streams into a stand-in consumer
// (docs/spec.md, "Implied consumers"), so a spec of one driver's filter negotiates and runs as the
// driver is used. Expected values are worked out from the avshws shape: 2 frames declared of
// 8192 bytes, edited to the YUY2 320x240 image (320 x 2 bytes x 240 = 153600) or the RGB24 one
// (320 x 3 x 240 = 230400) when the format is set.
#include "helpers.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;

namespace {

// The avshws capture pin alone; `extra` goes on the pin (indented as its keys), `tail` after it.
std::string camera(const std::string& extra = "", const std::string& tail = "") {
  return "ksframe: 1\n"
         "filters:\n"
         "  - name: avshws\n"
         "    pins:\n"
         "      - name: capture\n"
         "        dataflow: out\n"
         "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
         "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, "
         "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], frames: 2, file_alignment: "
         "FILE_BYTE_ALIGNMENT, min: 8192, max: 8192}\n"
         "        framing_edit: {frame_size: sample_size, stepping: 0}\n"
         "        data_ranges:\n"
         "          - {kind: video, subtype: YUY2, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n"
         "          - {kind: video, subtype: RGB24, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n" +
         extra + tail;
}

Spec loaded(const std::string& yaml) {
  auto r = test::load(yaml);
  REQUIRE_MESSAGE(r.spec, test::summary(r.diagnostics));
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  return *r.spec;
}

std::string errors(const std::string& yaml) { return test::summary(test::load(yaml).diagnostics); }

}  // namespace

TEST_SUITE("implied consumers") {
  TEST_CASE("a driver's filter alone streams into a user-mode sink on its first format") {
    const Spec spec = loaded(camera());
    REQUIRE(spec.filters.size() == 2);
    const FilterSpec& implied = spec.filters[1];
    CHECK(implied.name.value == "implied:avshws:capture");
    CHECK(implied.implied());
    CHECK(implied.implied_for == PinRef{0, 0});
    REQUIRE(implied.pins.size() == 1);
    CHECK(implied.pins[0].name.value == "in");
    CHECK(implied.pins[0].user_mode.value);
    CHECK(implied.pins[0].dataflow.value == ks::Dataflow::In);
    // Located at the pin it stands in for.
    CHECK(implied.pos.line == 5);
    REQUIRE(spec.connections.size() == 1);
    const ConnectionSpec& c = spec.connections[0];
    CHECK(c.implied);
    CHECK(c.from.value == "avshws.capture");
    CHECK(c.to.value == "implied:avshws:capture.in");
    CHECK(c.format.from_range == 0);
    CHECK(c.format.to_range == -1);
    // The format is set, so the KsEdit of the create dispatch applies: 153600-byte frames.
    const PinSpec& pin = spec.filters[0].pins[0];
    REQUIRE(pin.edited_framing_ex);
    CHECK(pin.edited_framing_ex->items[0].framing_range.max.value == 153600u);
    // The load streams the format: one YUY2 image every AvgTimePerFrame.
    REQUIRE(spec.load.format_defaults.size() == 1);
    CHECK(spec.load.format_defaults[0].payload.value.value == 153600.0);
    CHECK(spec.load.format_defaults[0].rate_hz == doctest::Approx(1e7 / 333667));
  }

  TEST_CASE(
      "the user-mode boundary: the sink supplies buffers, ALLOCATOR_PROPERTIES carries the "
      "framing") {
    auto r = test::ran(camera());
    REQUIRE(r.job.negotiation.ok);
    REQUIRE(r.job.negotiation.pipes.size() == 1);
    const auto& pipe = r.job.negotiation.pipes[0];
    CHECK(pipe.user_mode);
    CHECK(pipe.allocator == -1);
    CHECK(pipe.frames == 2u);
    CHECK(pipe.frame_size == 153600u);
    REQUIRE(pipe.allocator_properties);
    CHECK(*pipe.allocator_properties == AllocatorProperties{2, 153600, 1, 0});
    CHECK(r.pipe(0).verdict == PipeVerdict::Ok);
    CHECK(r.job.diagnostics.empty());
    const Report report = make_report(r.spec, r.job);
    CHECK(report.verdict() == Verdict::Pass);
    REQUIRE(report.graph.filters.size() == 2);
    CHECK(report.graph.filters[0].implied_consumer_of.empty());
    CHECK(report.graph.filters[1].implied_consumer_of == "avshws.capture");
  }

  TEST_CASE("the report JSON marks the implied filter and reads back the same") {
    auto r = test::ran(camera());
    const std::string json = render_report_json(r.spec, r.job.negotiation, r.job.options,
                                                r.job.diagnostics, &r.job.simulation);
    CHECK(json.find("\"implied_consumer_of\": \"avshws.capture\"") != std::string::npos);
    std::string error;
    const auto back = report_from_json_text(json, "r.json", &error);
    REQUIRE_MESSAGE(back, error);
    CHECK(*back == make_report(r.spec, r.job));
  }

  TEST_CASE(
      "format picks the range, in kernel mode the consumer's pin allocates with the driver's "
      "framing") {
    auto rgb = test::ran(camera("        implied_consumer: {format: 1}\n"));
    CHECK(rgb.job.negotiation.pipes.at(0).frame_size == 230400u);
    CHECK(rgb.job.negotiation.pipes.at(0).user_mode);

    auto kernel = test::ran(camera("        implied_consumer: {mode: kernel}\n"));
    const auto& pipe = kernel.job.negotiation.pipes.at(0);
    CHECK_FALSE(pipe.user_mode);
    REQUIRE(pipe.allocator >= 0);
    // Neither pin prefers to allocate, so allocator_place 'last' gives it to the end pin.
    CHECK(pipe.members[pipe.allocator].name == "implied:avshws:capture.in");
    CHECK(pipe.frame_size == 153600u);
    CHECK_FALSE(pipe.allocator_properties);
    CHECK(kernel.spec.filters[1].pins[0].user_mode.value == false);
  }

  TEST_CASE("service and hold become the consumer's load stage: holding both frames deadlocks") {
    // Two frames, and a consumer that keeps two after its service: the third frame never comes.
    auto r = test::ran(camera("        implied_consumer: {service_us: 1000, hold_frames: 2}\n",
                              "load: {frames: 10}\n"));
    REQUIRE(r.spec.load.stages.size() == 1);
    CHECK(r.spec.load.stages[0].filter.value == "implied:avshws:capture");
    CHECK(r.spec.load.stages[0].filter_index == 1);
    CHECK(r.spec.load.stages[0].hold_frames.value == 2u);
    CHECK(r.pipe(0).verdict == PipeVerdict::Deadlocked);
    CHECK(make_report(r.spec, r.job).verdict() == Verdict::Fail);
    // A consumer that keeps one is fine.
    auto one = test::ran(camera("        implied_consumer: {service_us: 1000, hold_frames: 1}\n",
                                "load: {frames: 10}\n"));
    CHECK(one.pipe(0).verdict == PipeVerdict::Ok);
  }

  TEST_CASE("none turns it off, a connected filter keeps its unconnected pins unconnected") {
    const Spec off = loaded(camera("        implied_consumer: none\n"));
    CHECK(off.filters.size() == 1);
    CHECK(off.connections.empty());

    // The camera feeds an application on its capture pin; its still pin is not connected and
    // gets no consumer (a graph does not instantiate a pin nobody connects)...
    const std::string graph =
        "ksframe: 1\n"
        "filters:\n"
        "  - name: cam\n"
        "    pins:\n"
        "      - {name: capture, dataflow: out}\n"
        "      - {name: still, dataflow: out}\n"
        "  - name: app\n"
        "    pins: [{name: in, dataflow: in, user_mode: true}]\n"
        "connections: [{from: cam.capture, to: app.in}]\n";
    const Spec g = loaded(graph);
    CHECK(g.filters.size() == 2);
    CHECK(g.connections.size() == 1);
    // ...unless it asks for one.
    std::string asked = graph;
    asked.replace(asked.find("{name: still, dataflow: out}"), 28,
                  "{name: still, dataflow: out, implied_consumer: {mode: user}}");
    const Spec a = loaded(asked);
    REQUIRE(a.filters.size() == 3);
    CHECK(a.filters[2].name.value == "implied:cam:still");
    CHECK(a.connections.size() == 2);
  }

  TEST_CASE("pins that do not stream through the standard transport get none by default") {
    const Spec spec = loaded(
        "ksframe: 1\n"
        "filters:\n"
        "  - name: tuner\n"
        "    pins:\n"
        "      - {name: antenna, dataflow: in, communication: bridge}\n"
        "      - {name: bridge_out, dataflow: out, communication: bridge}\n"
        "      - {name: none_out, dataflow: out, communication: none}\n"
        "      - {name: private, dataflow: out, flags: "
        "[KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT]}\n"
        "      - {name: never, dataflow: out, instances: {possible: 0}}\n"
        "      - {name: ts, dataflow: out}\n");
    REQUIRE(spec.filters.size() == 2);
    CHECK(spec.filters[1].name.value == "implied:tuner:ts");
  }

  TEST_CASE("asking for one where it cannot stand in is a located error") {
    CHECK(errors(camera("        implied_consumer: {mode: user}\n",
                        "  - name: app\n    pins: [{name: in, dataflow: in, user_mode: true}]\n"
                        "connections: [{from: avshws.capture, to: app.in}]\n")) ==
          "12:27: KSF0019: pin avshws.capture is connected; an implied consumer stands in for a "
          "missing connection\n");
    CHECK(errors("ksframe: 1\nfilters:\n  - name: f\n    pins:\n"
                 "      - {name: in, dataflow: in, implied_consumer: {mode: user}}\n") ==
          "5:52: KSF0019: pin f.in cannot have an implied consumer: it is an input pin; a consumer "
          "takes frames from "
          "an output pin\n");
    CHECK(
        errors(
            "ksframe: 1\nfilters:\n  - name: f\n    pins:\n"
            "      - {name: out, dataflow: out, communication: bridge, implied_consumer: {}}\n") ==
        "5:77: KSF0019: pin f.out cannot have an implied consumer: it does not stream through the "
        "standard "
        "transport (communication none or bridge, or KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT)\n");
    CHECK(errors("ksframe: 1\nfilters:\n  - name: f\n    pins:\n"
                 "      - {name: out, dataflow: out, user_mode: true, implied_consumer: {}}\n") ==
          "5:71: KSF0019: pin f.out cannot have an implied consumer: it is a user-mode pin (a "
          "consumer's own pin)\n");
  }

  TEST_CASE("wrong values are located") {
    CHECK(errors(camera("        implied_consumer: sometimes\n")) ==
          "12:27: KSF0009: 'implied_consumer' must be none or a mapping {mode, service_us, "
          "hold_frames, format}, "
          "not the value 'sometimes'\n");
    CHECK(errors(camera("        implied_consumer: {mode: dma}\n")).find("12:34: KSF0011:") == 0);
    CHECK(errors(camera("        implied_consumer: {format: 2}\n")) ==
          "12:36: KSF0017: format 2 names a data range avshws.capture does not have (it has 2)\n");
    CHECK(errors(camera("        implied_consumer: {hold: 1}\n"))
              .find("12:28: KSF0008: unknown key 'hold' in 'avshws.capture.implied_consumer'") ==
          0);
    // A load stage cannot name it: its service is set on the pin.
    CHECK(errors(camera("", "load: {stages: {\"implied:avshws:capture\": {service_us: 5}}}\n"))
              .find("12:17: KSF0017: load stage names filter 'implied:avshws:capture', which does "
                    "not exist") != std::string::npos);
  }

  TEST_CASE(
      "lint judges the connections the spec states: a necessary input pin alone is not KSF3006") {
    const std::string transform =
        "ksframe: 1\n"
        "filters:\n"
        "  - name: encoder\n"
        "    pins:\n"
        "      - {name: in, dataflow: in, instances: {possible: 1, necessary: 1}}\n"
        "      - {name: out, dataflow: out, framing_ex: {items: [{frames: 4, framing_range: {min: "
        "4096, max: 4096}}]}}\n";
    CHECK(test::with_rule(test::lint(transform), "KSF3006").empty());
    CHECK(loaded(transform).connections.size() == 1);
  }
}

TEST_SUITE("implied consumers") {
  TEST_CASE(
      "an audio pin alone runs at its byte rate over the negotiated frame (no audio_ms edit)") {
    // WaveCyclic-shaped legacy framing: 4096-byte frames. The only format: 48 kHz 16-bit stereo,
    // so 192000 bytes/s fill a frame every 4096 / 192000 s: 46.875 frames a second.
    const std::string pin =
        "ksframe: 1\n"
        "filters:\n"
        "  - name: wave\n"
        "    pins:\n"
        "      - name: capture\n"
        "        dataflow: out\n"
        "        framing: {requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: "
        "8, frame_size: 4096}\n"
        "        data_ranges:\n"
        "          - {kind: audio, max_channels: 2, bits: 16, rate: 48000}\n"
        "load: {frames: 100}\n";
    auto r = test::ran(pin);
    CHECK(r.job.negotiation.pipes.at(0).frame_size == 4096u);
    REQUIRE(r.job.simulation.sources.size() == 1);
    CHECK(r.source(0).target_rate_hz == 46.875);
    CHECK(r.pipe(0).verdict == PipeVerdict::Ok);
    // A rate the spec gives wins over the format's.
    auto given = test::ran(pin, {"load.source.rate_hz=100"});
    CHECK(given.source(0).target_rate_hz == 100.0);
  }
}
