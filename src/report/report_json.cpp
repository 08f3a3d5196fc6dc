// The report JSON (schemas/ksframe-report.schema.json), written from the Report: `run` and
// `negotiate` build the Report (make_report, make_negotiation_report) and write it with to_json.
// report_json_read.cpp reads it back to the same Report; a test checks the pair on every example
// and writes every golden report back byte for byte.
#include <climits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "ksframe/ks.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"
#include "report/report_formats.hpp"
#include "util/text.hpp"

namespace ksframe {

namespace {

using ojson = nlohmann::ordered_json;

ojson flags_json(ks::Table table, ks::ULONG value) {
  return ojson{{"value", ks::hex32(value)}, {"names", ks::flag_names(table, value)}};
}

// The Report keeps a GUID's text and its name (or the text again when the tables have none).
ojson guid_json(const std::string& guid, const std::string& name_or_guid) {
  return ojson{{"guid", guid},
               {"name", name_or_guid == guid ? ojson(nullptr) : ojson(name_or_guid)}};
}

ojson location_json(const Location& l) {
  return ojson{{"file", l.file}, {"line", l.line}, {"column", l.column}};
}

ojson compression_json(const ks::KS_COMPRESSION& c) {
  return ojson{{"numerator", c.RatioNumerator},
               {"denominator", c.RatioDenominator},
               {"constant_margin", c.RatioConstantMargin}};
}

ojson null_if_empty(const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(s); }

template <class T>
ojson optional_json(const std::optional<T>& v) {
  return v ? ojson(*v) : ojson(nullptr);
}

// "included" only when the spec includes something: reports of other specs stay as they were.
ojson spec_json(const Report& r) {
  ojson spec{{"file", r.spec_file}, {"name", optional_json(r.spec_name)}};
  if (!r.included.empty()) spec["included"] = r.included;
  return spec;
}

ojson pipe_json(const ReportPipe& p) {
  ojson members = ojson::array();
  for (const auto& m : p.members)
    members.push_back(ojson{{"pin", m.pin},
                            {"item", m.item},
                            {"size",
                             {{"numerator", m.numerator},
                              {"denominator", m.denominator},
                              {"margin", m.margin},
                              {"unknown", m.unknown}}},
                            {"reached_in_place", m.reached_in_place},
                            {"relaxed", m.relaxed}});
  ojson allocator{{"pin", null_if_empty(p.allocator_pin)},
                  {"place", p.allocator_place},
                  {"mode", p.allocator_mode},
                  {"kind", p.allocator_kind}};
  ojson legacy = nullptr;
  if (p.legacy)
    legacy = ojson{{"options_flags", flags_json(ks::options_flags(), p.legacy->OptionsFlags)},
                   {"pool_type", p.legacy->PoolType},
                   {"frames", p.legacy->Frames},
                   {"frame_size", p.legacy->FrameSize},
                   {"file_alignment", p.legacy->FileAlignment}};
  ojson explanation = ojson::array();
  for (const auto& e : p.explanation) {
    ojson where = ojson::array();
    for (const auto& l : e.locations) where.push_back(location_json(l));
    explanation.push_back(
        ojson{{"value", e.value},
              {"decided_by", e.decided_by},
              {"rule", e.rule},
              {"section", e.section},
              {"because", e.because},
              {"location", e.locations.empty() ? ojson(nullptr) : location_json(e.locations[0])},
              {"locations", where}});
  }
  ojson out{{"id", p.id},
            {"pins", p.pins},
            {"begin", p.begin},
            {"ends", p.ends},
            {"status", to_string(p.status)},
            {"allocator", allocator},
            {"memory_type", guid_json(p.memory_type_guid, p.memory_type)},
            {"bus_type", guid_json(p.bus_type_guid, p.bus_type)},
            {"logical_memory_type", p.logical_memory_type},
            {"frames", p.frames},
            {"frame_size", p.frame_size},
            {"alignment", {{"mask", p.alignment_bytes - 1}, {"bytes", p.alignment_bytes}}},
            {"frame_pitch", optional_json(p.frame_pitch)},
            {"physical_range",
             {{"min", p.physical_range.MinFrameSize},
              {"max", p.physical_range.MaxFrameSize},
              {"stepping", p.physical_range.Stepping}}},
            {"state", p.state},
            {"range_state", p.range_state},
            {"inside_factors", flags_json(ks::pipe_factors(), p.inside_factors)},
            {"input_factors", flags_json(ks::pipe_factors(), p.input_factors)},
            {"output_factors", flags_json(ks::pipe_factors(), p.output_factors)},
            {"flags", flags_json(ks::framing_item_flags(), p.flags)},
            {"dimensions",
             {{"allocator_pin", compression_json(p.dim_allocator)},
              {"max_expansion_pin", compression_json(p.dim_max_expansion)},
              {"end_pin", compression_json(p.dim_end)}}},
            {"weight", p.weight},
            {"compatible_copy", p.compatible_copy},
            {"legacy_framing", legacy},
            {"prev_segment", null_if_empty(p.prev_segment)},
            {"next_segments", p.next_segments},
            {"members", members},
            {"explanation", explanation}};
  // Only pipes with a user-mode pin have ALLOCATOR_PROPERTIES; kernel pipes keep their shape.
  if (const auto& ap = p.allocator_properties)
    out["allocator_properties"] = ojson{{"cBuffers", (*ap)[0]},
                                        {"cbBuffer", (*ap)[1]},
                                        {"cbAlign", (*ap)[2]},
                                        {"cbPrefix", (*ap)[3]}};
  return out;
}

// The topology as written, so a saved report can draw the graph without its spec, with the
// format of each connection and each pin's data ranges and framing edit.
ojson graph_json(const ReportGraph& g) {
  ojson filters = ojson::array(), connections = ojson::array();
  for (const auto& f : g.filters) {
    ojson pins = ojson::array(), routes = ojson::array();
    for (const auto& p : f.pins)
      pins.push_back(ojson{{"name", p.name},
                           {"dataflow", p.input ? "in" : "out"},
                           {"location", location_json(p.location)},
                           {"data_ranges", report_formats::data_ranges_json(p.data_ranges)},
                           {"framing_edit", report_formats::framing_edit_json(p.framing_edit)}});
    for (const auto& [from, to] : f.routes) routes.push_back(ojson{{"from", from}, {"to", to}});
    ojson filter{{"name", f.name},
                 {"pins", pins},
                 {"routes", routes},
                 {"location", location_json(f.location)}};
    // The loader added it: the consumer the spec implies for this output pin (ImpliedConsumerSpec).
    if (!f.implied_consumer_of.empty()) filter["implied_consumer_of"] = f.implied_consumer_of;
    filters.push_back(std::move(filter));
  }
  for (const auto& c : g.connections)
    connections.push_back(
        ojson{{"from", c.from}, {"to", c.to}, {"format", report_formats::format_json(c.format)}});
  return ojson{{"filters", filters}, {"connections", connections}};
}

ojson deadlock_json(const std::optional<ReportPipeRun::Deadlock>& d) {
  if (!d) return nullptr;
  ojson holders = ojson::array(), waiting = ojson::array();
  for (const auto& h : d->holders)
    holders.push_back(ojson{{"filter", h.filter}, {"frames", h.frames}, {"how", h.how}});
  for (const auto& w : d->waiting)
    waiting.push_back(ojson{{"requester", w.requester}, {"since_us", w.since_us}});
  return ojson{{"stuck_at_us", d->stuck_at_us},
               {"holders", holders},
               {"waiting", waiting},
               {"blocked_by", null_if_empty(d->blocked_by)}};
}

ojson simulation_json(const Report& r) {
  const ReportSimulation& sim = *r.simulation;
  ojson pipes = ojson::array();
  for (const auto& p : r.pipes) {
    if (!p.run) continue;
    const ReportPipeRun& m = *p.run;
    pipes.push_back(
        ojson{{"id", p.id},
              {"allocator", to_string(m.allocator)},
              {"allocations", m.allocations},
              {"frees", m.frees},
              {"peak_outstanding", m.peak_outstanding},
              {"pending_high_water", m.pending_high_water},
              {"stall_time_us", m.stall_time_us},
              {"failures", m.failures},
              {"immediate_failures", m.immediate_failures},
              {"freeframe_events", m.freeframe_events},
              {"bytes_committed_peak", m.bytes_committed_peak},
              {"payload_utilisation", m.payload_utilisation},
              {"copies", m.copies},
              {"bytes_copied", m.bytes_copied},
              {"payload_errors", m.payload_errors},
              {"alignment_violations", m.alignment_violations},
              {"outstanding_at_stop", m.outstanding_at_stop},
              {"leaked", m.leaked},
              {"dropped", m.dropped},
              {"verdict",
               {{"status", to_string(m.verdict)},
                {"frames_needed", optional_json(m.frames_needed)},
                {"reason", m.reason},
                {"frames_needed_by_seed", m.frames_needed_by_seed},
                {"utilisation", {{"stage", null_if_empty(m.bottleneck)}, {"value", m.utilisation}}},
                {"deadlock", deadlock_json(m.deadlock)}}},
              {"timeline",
               {{"bucket_us", m.timeline_bucket_us},
                {"outstanding_mean", m.timeline_mean},
                {"outstanding_max", m.timeline}}}});
  }
  ojson sources = ojson::array();
  for (const auto& s : sim.sources)
    sources.push_back(ojson{{"pin", s.pin},
                            {"pipe", s.pipe},
                            {"when_starved", s.when_starved},
                            {"target_rate_hz", s.target_rate_hz},
                            {"achieved_rate_hz", s.achieved_rate_hz},
                            {"produced", s.produced},
                            {"dropped", s.dropped},
                            {"delivered", s.delivered}});
  return ojson{{"status", sim.ran ? "ran" : "not_run"},
               {"error", r.simulation_error},
               {"seed", sim.seed},
               {"allocator_mode", sim.allocator_mode},
               {"source_frames", sim.source_frames},
               {"pipes", pipes},
               {"sources", sources},
               {"end_to_end",
                {{"target_rate_hz", sim.target_rate_hz},
                 {"achieved_rate_hz", sim.achieved_rate_hz},
                 {"delivered", sim.delivered},
                 {"dropped", sim.dropped},
                 {"duration_us", sim.duration_us},
                 {"frame_hops", sim.frame_hops},
                 {"latency_us",
                  {{"p50", sim.latency_p50_us},
                   {"p95", sim.latency_p95_us},
                   {"p99", sim.latency_p99_us},
                   {"max", sim.latency_max_us}}}}}};
}

}  // namespace

std::string to_json(const Report& r) {
  ojson pipes = ojson::array(), failures = ojson::array(), pins = ojson::array(),
        diags = ojson::array();
  for (const auto& p : r.pipes) pipes.push_back(pipe_json(p));
  for (const auto& f : r.failures) {
    ojson constraints = ojson::array();
    for (const auto& c : f.constraints)
      constraints.push_back(
          ojson{{"pin", c.pin}, {"what", c.what}, {"location", location_json(c.location)}});
    failures.push_back(ojson{{"connection", f.connection},
                             {"reason", f.reason},
                             {"message", f.message},
                             {"constraints", constraints}});
  }
  for (const auto& a : r.pin_assignments)
    pins.push_back(ojson{{"pin", a.pin}, {"pipe", null_if_empty(a.pipe)}, {"reason", a.reason}});
  for (const auto& d : r.diagnostics) {
    ojson related = ojson::array();
    for (const auto& x : d.related)
      related.push_back(ojson{{"location", location_json(x.location)}, {"message", x.message}});
    diags.push_back(ojson{{"rule", d.rule},
                          {"severity", to_string(d.severity)},
                          {"message", d.message},
                          {"location", location_json(d.location)},
                          {"related", related},
                          {"hint", d.hint},
                          {"subject", d.subject}});
  }
  ojson doc{
      {"ksframe_report", 1},
      {"tool", {{"name", "ksframe"}, {"version", KSFRAME_VERSION}}},
      {"spec", spec_json(r)},
      {"diagnostics", diags},
      {"negotiation",
       {{"status", to_string(r.negotiation)},
        {"options",
         {{"strategy", flags_json(ks::allocator_strategy(), r.options.strategy)},
          {"default_frames", r.options.default_frames},
          {"allocator_place", r.options.allocator_place_first ? "first" : "last"},
          {"honor_input_physical_range", r.options.honor_input_physical_range}}},
        {"pipes", pipes},
        {"failures", failures},
        {"pins", pins},
        {"property_requests", {{"requests", r.property_requests}, {"bytes", r.property_bytes}}}}}};
  if (r.simulation) doc["simulation"] = simulation_json(r);
  doc["graph"] = graph_json(r.graph);
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";  // no throw on bad UTF-8
}

std::string render_negotiation_json(const Spec& spec, const Negotiation& n,
                                    const NegotiateOptions& o, const Diagnostics& diagnostics) {
  return to_json(make_negotiation_report(spec, o, n, diagnostics));
}

std::string render_report_json(const Spec& spec, const Negotiation& n, const NegotiateOptions& o,
                               const Diagnostics& diagnostics, const Simulation* simulation) {
  Report r = make_negotiation_report(spec, o, n, diagnostics);
  if (simulation) add_simulation(r, *simulation);
  return to_json(r);
}

}  // namespace ksframe
