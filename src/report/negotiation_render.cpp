// Negotiation output: the `negotiation` part of the report (schemas/ksframe-report.schema.json) as
// JSON, and a text table for people.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/simulate.hpp"
#include "report/report_formats.hpp"
#include "report/rounding.hpp"

namespace ksframe {
namespace {

using ojson = nlohmann::ordered_json;

ojson flags_json(ks::Table table, ks::ULONG value) {
  return ojson{{"value", ks::hex32(value)}, {"names", ks::flag_names(table, value)}};
}

ojson guid_json(const ks::Guid& g, ks::GuidKind kind) {
  auto name = ks::name_of_guid(g, kind);
  return ojson{{"guid", g.to_string()},
               {"name", name ? ojson(std::string(*name)) : ojson(nullptr)}};
}

ojson location_json(const Location& l) {
  return ojson{{"file", l.file}, {"line", l.line}, {"column", l.column}};
}

ojson compression_json(const ks::KS_COMPRESSION& c) {
  return ojson{{"numerator", c.RatioNumerator},
               {"denominator", c.RatioDenominator},
               {"constant_margin", c.RatioConstantMargin}};
}

std::string enum_name(ks::Table t, ks::ULONG v) {
  auto n = ks::name_of(t, v);
  return n ? std::string(*n) : std::to_string(v);
}

ojson pipe_json(const Negotiation& n, const Pipe& p) {
  ojson pins = ojson::array(), ends = ojson::array(), members = ojson::array();
  for (const auto& m : p.members) pins.push_back(m.name);
  for (int e : p.ends) ends.push_back(p.members[e].name);
  for (const auto& m : p.members)
    members.push_back(ojson{{"pin", m.name},
                            {"item", m.item},
                            {"size",
                             {{"numerator", m.size.num},
                              {"denominator", m.size.den},
                              {"margin", m.size.as_compression().RatioConstantMargin},
                              {"unknown", m.size.unknown}}},
                            {"reached_in_place", m.reached_in_place},
                            {"relaxed", m.relaxed}});
  ojson allocator{{"pin", p.allocator >= 0 ? ojson(p.members[p.allocator].name) : ojson(nullptr)},
                  {"place", to_string(p.place)},
                  {"mode", p.user_mode ? "user" : "kernel"},
                  {"kind", p.vendor ? "vendor" : "default"}};
  ojson legacy = nullptr;
  if (p.legacy)
    legacy = ojson{{"options_flags", flags_json(ks::options_flags(), p.legacy->OptionsFlags)},
                   {"pool_type", p.legacy->PoolType},
                   {"frames", p.legacy->Frames},
                   {"frame_size", p.legacy->FrameSize},
                   {"file_alignment", p.legacy->FileAlignment}};
  ojson properties = nullptr;
  if (p.allocator_properties)
    properties = ojson{{"cBuffers", p.allocator_properties->cBuffers},
                       {"cbBuffer", p.allocator_properties->cbBuffer},
                       {"cbAlign", p.allocator_properties->cbAlign},
                       {"cbPrefix", p.allocator_properties->cbPrefix}};
  ojson explanation = ojson::array();
  for (const auto& e : p.explanation) {
    ojson where = ojson::array();
    for (const auto& l : e.locations) where.push_back(location_json(l));
    explanation.push_back(
        ojson{{"value", e.value},
              {"decided_by", e.decided_by},
              {"rule", e.rule},
              {"section", explanation_section(e.rule, e.value)},
              {"because", e.because},
              {"location", e.locations.empty() ? ojson(nullptr) : location_json(e.locations[0])},
              {"locations", where}});
  }
  ojson next = ojson::array();
  for (int i : p.next_segments) next.push_back(n.pipes[i].id);
  ojson out{
      {"id", p.id},
      {"pins", pins},
      {"begin", p.members.front().name},
      {"ends", ends},
      {"status", p.failed ? "failed" : "ok"},
      {"allocator", allocator},
      {"memory_type", guid_json(p.memory_type, ks::GuidKind::Memory)},
      {"bus_type", guid_json(p.bus_type, ks::GuidKind::Bus)},
      {"logical_memory_type",
       enum_name(ks::logical_memory_types(),
                 static_cast<ks::ULONG>(ks::logical_memory_type(p.memory_type)))},
      {"frames", p.frames},
      {"frame_size", p.frame_size},
      {"alignment", {{"mask", p.align_mask}, {"bytes", std::uint64_t{p.align_mask} + 1}}},
      {"frame_pitch", p.frame_pitch ? ojson(*p.frame_pitch) : ojson(nullptr)},
      {"physical_range",
       {{"min", p.physical_range.MinFrameSize},
        {"max", p.physical_range.MaxFrameSize},
        {"stepping", p.physical_range.Stepping}}},
      {"state", enum_name(ks::pipe_states(), p.state)},
      {"range_state", enum_name(ks::pipe_states(), p.range_state)},
      {"inside_factors", flags_json(ks::pipe_factors(), p.inside_factors)},
      {"input_factors", flags_json(ks::pipe_factors(), p.input_factors)},
      {"output_factors", flags_json(ks::pipe_factors(), p.output_factors)},
      {"flags", flags_json(ks::framing_item_flags(), p.flags)},
      {"dimensions",
       {{"allocator_pin", compression_json(p.dim_allocator)},
        {"max_expansion_pin", compression_json(p.dim_max_expansion)},
        {"end_pin", compression_json(p.dim_end)}}},
      {"weight", p.weight},
      {"compatible_copy", p.compatible},
      {"legacy_framing", legacy},
      {"prev_segment", p.prev_segment >= 0 ? ojson(n.pipes[p.prev_segment].id) : ojson(nullptr)},
      {"next_segments", next},
      {"members", members},
      {"explanation", explanation}};
  // Only pipes with a user-mode pin have ALLOCATOR_PROPERTIES; kernel pipes keep their shape.
  if (!properties.is_null()) out["allocator_properties"] = properties;
  return out;
}

}  // namespace

// The topology as written, so a saved report can draw the graph without its spec, with the
// format of each connection and each pin's data ranges and framing edit.
ojson graph_json(const Spec& spec) {
  ojson filters = ojson::array(), connections = ojson::array();
  for (const auto& f : spec.filters) {
    ojson pins = ojson::array(), routes = ojson::array();
    for (const auto& p : f.pins)
      pins.push_back(
          ojson{{"name", p.name.value},
                {"dataflow", p.dataflow.value == ks::Dataflow::In ? "in" : "out"},
                {"location", location_json(spec.at(p.pos))},
                {"data_ranges",
                 report_formats::data_ranges_json(report_formats::data_ranges_of(spec, p))},
                {"framing_edit",
                 report_formats::framing_edit_json(report_formats::framing_edit_of(spec, p))}});
    for (const auto& r : f.routes)
      routes.push_back(ojson{{"from", r.from.value}, {"to", r.to.value}});
    ojson filter{{"name", f.name.value},
                 {"pins", pins},
                 {"routes", routes},
                 {"location", location_json(spec.at(f.pos))}};
    // The loader added it: the consumer the spec implies for this output pin (ImpliedConsumerSpec).
    if (f.implied()) filter["implied_consumer_of"] = spec.pin_name(f.implied_for);
    filters.push_back(std::move(filter));
  }
  for (const auto& c : spec.connections)
    connections.push_back(
        ojson{{"from", c.from.value},
              {"to", c.to.value},
              {"format", report_formats::format_json(report_formats::format_of(spec, c))}});
  return ojson{{"filters", filters}, {"connections", connections}};
}

static ojson deadlock_json(const PipeMetrics& m) {
  if (!m.deadlock) return nullptr;
  ojson holders = ojson::array(), waiting = ojson::array();
  for (const auto& h : m.deadlock->holders)
    holders.push_back(ojson{{"filter", h.filter}, {"frames", h.frames}, {"how", h.how}});
  for (const auto& w : m.deadlock->waiting)
    waiting.push_back(ojson{{"requester", w.requester}, {"since_us", w.since_us}});
  return ojson{{"stuck_at_us", m.deadlock->stuck_at_us},
               {"holders", holders},
               {"waiting", waiting},
               {"blocked_by",
                m.deadlock->blocked_by.empty() ? ojson(nullptr) : ojson(m.deadlock->blocked_by)}};
}

ojson simulation_json(const Simulation& sim) {
  ojson pipes = ojson::array();
  for (const auto& m : sim.pipes)
    pipes.push_back(
        ojson{{"id", m.id},
              {"allocator", m.allocator},
              {"allocations", m.allocations},
              {"frees", m.frees},
              {"peak_outstanding", m.peak_outstanding},
              {"pending_high_water", m.pending_high_water},
              {"stall_time_us", m.stall_time_us},
              {"failures", m.failures},
              {"immediate_failures", m.immediate_failures},
              {"freeframe_events", m.freeframe_events},
              {"bytes_committed_peak", m.bytes_committed_peak},
              {"payload_utilisation", report_rounding::payload_utilisation(m.payload_utilisation)},
              {"copies", m.copies},
              {"bytes_copied", m.bytes_copied},
              {"payload_errors", m.payload_errors},
              {"alignment_violations", m.alignment_violations},
              {"outstanding_at_stop", m.outstanding_at_stop},
              {"leaked", m.leaked},
              {"dropped", m.dropped},
              {"verdict",
               {{"status", m.verdict},
                {"frames_needed", m.frames_needed ? ojson(*m.frames_needed) : ojson(nullptr)},
                {"reason", m.reason},
                {"frames_needed_by_seed", m.frames_needed_by_seed},
                {"utilisation",
                 {{"stage", m.bottleneck.empty() ? ojson(nullptr) : ojson(m.bottleneck)},
                  {"value", report_rounding::utilisation(m.utilisation)}}},
                {"deadlock", deadlock_json(m)}}},
              {"timeline",
               {{"bucket_us", m.timeline_bucket_us},
                {"outstanding_mean", m.timeline_mean},
                {"outstanding_max", m.timeline}}}});
  ojson sources = ojson::array();
  for (const auto& s : sim.sources)
    sources.push_back(ojson{{"pin", s.pin},
                            {"pipe", s.pipe},
                            {"when_starved", s.when_starved},
                            {"target_rate_hz", report_rounding::rate_hz(s.target_rate_hz)},
                            {"achieved_rate_hz", report_rounding::rate_hz(s.achieved_rate_hz)},
                            {"produced", s.produced},
                            {"dropped", s.dropped},
                            {"delivered", s.delivered}});
  return ojson{{"status", sim.ran ? "ran" : "not_run"},
               {"error", sim.error},
               {"seed", sim.seed},
               {"allocator_mode", sim.allocator_mode},
               {"source_frames", sim.source_frames},
               {"pipes", pipes},
               {"sources", sources},
               {"end_to_end",
                {{"target_rate_hz", report_rounding::rate_hz(sim.target_rate_hz)},
                 {"achieved_rate_hz", report_rounding::rate_hz(sim.achieved_rate_hz)},
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

std::string render_negotiation_json(const Spec& spec, const Negotiation& n,
                                    const NegotiateOptions& o, const Diagnostics& diagnostics) {
  return render_report_json(spec, n, o, diagnostics, nullptr);
}

std::string render_report_json(const Spec& spec, const Negotiation& n, const NegotiateOptions& o,
                               const Diagnostics& diagnostics, const Simulation* simulation) {
  ojson pipes = ojson::array(), failures = ojson::array(), pins = ojson::array(),
        diags = ojson::array();
  for (const auto& p : n.pipes) pipes.push_back(pipe_json(n, p));
  for (const auto& f : n.failures) {
    ojson constraints = ojson::array();
    for (const auto& c : f.constraints)
      constraints.push_back(
          ojson{{"pin", c.pin}, {"what", c.what}, {"location", location_json(c.location)}});
    failures.push_back(ojson{{"connection", f.connection},
                             {"reason", f.reason},
                             {"message", f.message},
                             {"constraints", constraints}});
  }
  for (const auto& a : n.pins)
    pins.push_back(ojson{{"pin", a.pin},
                         {"pipe", a.pipe.empty() ? ojson(nullptr) : ojson(a.pipe)},
                         {"reason", a.reason}});
  for (const auto& d : diagnostics) {
    ojson related = ojson::array();
    for (const auto& r : d.related)
      related.push_back(ojson{{"location", location_json(r.location)}, {"message", r.message}});
    diags.push_back(ojson{{"rule", d.rule},
                          {"severity", to_string(d.severity)},
                          {"message", d.message},
                          {"location", location_json(d.location)},
                          {"related", related},
                          {"hint", d.hint},
                          {"subject", d.subject}});
  }
  ojson doc{{"ksframe_report", 1},
            {"tool", {{"name", "ksframe"}, {"version", KSFRAME_VERSION}}},
            {"spec",
             {{"file", spec.file},
              {"name", spec.name.present ? ojson(spec.name.value) : ojson(nullptr)}}},
            {"diagnostics", diags},
            {"negotiation",
             {{"status", !n.ran ? "not_run"
                         : n.ok ? "ok"
                                : "failed"},
              {"options",
               {{"strategy", flags_json(ks::allocator_strategy(), o.strategy)},
                {"default_frames", o.default_frames},
                {"allocator_place", o.allocator_place_first ? "first" : "last"},
                {"honor_input_physical_range", o.honor_input_physical_range}}},
              {"pipes", pipes},
              {"failures", failures},
              {"pins", pins},
              {"property_requests",
               {{"requests", n.property_traffic.requests}, {"bytes", n.property_traffic.bytes}}}}}};
  if (simulation) doc["simulation"] = simulation_json(*simulation);
  doc["graph"] = graph_json(spec);
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";  // no throw on bad UTF-8
}

std::string render_simulation_text(const Simulation& sim) {
  std::ostringstream out;
  if (!sim.ran) {
    out << "simulation: not run: " << sim.error << "\n";
    return out.str();
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "simulation: seed %llu, %s mode, %llu source frames: %.3f Hz achieved of %.3f Hz, "
                "%llu delivered, %llu dropped; latency p50 %llu us, p99 %llu us, max %llu us\n",
                static_cast<unsigned long long>(sim.seed), sim.allocator_mode.c_str(),
                static_cast<unsigned long long>(sim.source_frames), sim.achieved_rate_hz,
                sim.target_rate_hz, static_cast<unsigned long long>(sim.delivered),
                static_cast<unsigned long long>(sim.dropped),
                static_cast<unsigned long long>(sim.latency_p50_us),
                static_cast<unsigned long long>(sim.latency_p99_us),
                static_cast<unsigned long long>(sim.latency_max_us));
  out << line;
  for (const auto& s : sim.sources) {
    // Names are the spec's and unbounded, so only the numbers go through the fixed buffer.
    std::snprintf(line, sizeof line, ": %.3f Hz achieved of %.3f Hz, %llu produced, %llu dropped (",
                  s.achieved_rate_hz, s.target_rate_hz, static_cast<unsigned long long>(s.produced),
                  static_cast<unsigned long long>(s.dropped));
    out << "  source " << s.pin << " into " << s.pipe << line << s.when_starved
        << " when starved)\n";
  }
  for (const auto& m : sim.pipes) {
    std::snprintf(
        line, sizeof line,
        "  %s (%s allocator): %llu allocations, peak %llu outstanding, %llu waiting at most, "
        "stalled %llu us, %llu failures, %llu copies, %llu bytes committed at peak, %llu out at "
        "STOP: %s",
        m.id.c_str(), m.allocator.c_str(), static_cast<unsigned long long>(m.allocations),
        static_cast<unsigned long long>(m.peak_outstanding),
        static_cast<unsigned long long>(m.pending_high_water),
        static_cast<unsigned long long>(m.stall_time_us),
        static_cast<unsigned long long>(m.failures), static_cast<unsigned long long>(m.copies),
        static_cast<unsigned long long>(m.bytes_committed_peak),
        static_cast<unsigned long long>(m.outstanding_at_stop), m.verdict.c_str());
    out << line;
    if (m.frames_needed)
      out << " (" << *m.frames_needed
          << (m.verdict == "deadlocked" ? " frames unblock it)"
              : m.verdict == "dropping" ? " frames stop the drops)"
                                        : " frames remove the stalls)");
    if (m.frames_needed_by_seed.size() > 1) {
      const auto [lo, hi] =
          std::minmax_element(m.frames_needed_by_seed.begin(), m.frames_needed_by_seed.end());
      out << " (" << m.frames_needed_by_seed.size() << " seeds need " << *lo
          << (*lo == *hi ? "" : "-" + std::to_string(*hi)) << ")";
    }
    if (!m.reason.empty()) out << " (" << m.reason << ")";
    out << "\n";
  }
  return out.str();
}

std::string render_negotiation_text(const Negotiation& n, bool explain) {
  std::ostringstream out;
  auto where = [](const Location& l) {
    return l.line ? l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) : l.file;
  };
  for (const auto& p : n.pipes) {
    out << p.id << (p.failed ? " (failed)" : "") << ": ";
    for (std::size_t i = 0; i < p.members.size(); ++i)
      out << (i ? " -> " : "") << p.members[i].name;
    out << "\n";
    auto row = [&](const char* label, const std::string& value, const char* key) {
      std::string l = label;
      l.resize(14, ' ');
      out << "  " << l << value << "\n";
      if (!explain) return;
      for (const auto& e : p.explanation) {
        if (e.value != key) continue;
        out << "      because " << e.because << " (see " << explanation_section(e.rule, e.value)
            << ")";
        if (!e.decided_by.empty()) {
          out << "; decided by";
          for (std::size_t i = 0; i < e.decided_by.size(); ++i)
            out << (i ? ", " : " ") << e.decided_by[i];
        }
        out << "\n";
        for (const auto& l2 : e.locations) out << "        at " << where(l2) << "\n";
      }
    };
    const std::string alloc =
        p.allocator >= 0 ? p.members[p.allocator].name + " (" + std::string(to_string(p.place)) +
                               ", kernel, " + (p.vendor ? "vendor" : "default") + ")"
        : p.user_mode ? std::string("none: user-mode buffers from the proxy")
                      : std::string("none: the pipe failed before an allocator was chosen");
    row("allocator", alloc, "allocator");
    row("memory",
        ks::name_of_guid(p.memory_type, ks::GuidKind::Memory)
            .value_or(p.memory_type.to_string())
            .data(),
        "memory_type");
    row("bus", std::string(ks::name_of_guid(p.bus_type, ks::GuidKind::Bus).value_or("?")),
        "bus_type");
    row("frames", std::to_string(p.frames), "frames");
    row("frame size", std::to_string(p.frame_size), "frame_size");
    const std::uint64_t align = std::uint64_t{p.align_mask} + 1;
    row("alignment",
        std::to_string(align) + (align == 1 ? " byte" : " bytes") + " (mask " +
            ks::hex32(p.align_mask) + ")",
        "alignment");
    std::string flags;
    for (const auto& f : ks::flag_names(ks::framing_item_flags(), p.flags))
      flags += (flags.empty() ? "" : " ") + f;
    row("flags", flags.empty() ? "0" : flags, "flags");
    row("state",
        enum_name(ks::pipe_states(), p.state) + " / " + enum_name(ks::pipe_states(), p.range_state),
        "state");
    if (p.frame_pitch) row("frame pitch", std::to_string(*p.frame_pitch) + " bytes", "frame_pitch");
    if (p.allocator_properties) {
      const auto& ap = *p.allocator_properties;
      row("properties",
          "ALLOCATOR_PROPERTIES {cBuffers " + std::to_string(ap.cBuffers) + ", cbBuffer " +
              std::to_string(ap.cbBuffer) + ", cbAlign " + std::to_string(ap.cbAlign) +
              ", cbPrefix " + std::to_string(ap.cbPrefix) + "}",
          "allocator_properties");
    }
    if (p.legacy)
      row("legacy",
          "{Options " + ks::hex32(p.legacy->OptionsFlags) + ", PoolType " +
              std::to_string(p.legacy->PoolType) + ", Frames " + std::to_string(p.legacy->Frames) +
              ", FrameSize " + std::to_string(p.legacy->FrameSize) + ", FileAlignment " +
              std::to_string(p.legacy->FileAlignment) + "}",
          "legacy");
    out << "\n";
  }
  for (const auto& f : n.failures) {
    out << "failed: " << f.connection << ": " << f.message << " [" << f.reason << "]\n";
    for (const auto& c : f.constraints)
      out << "    " << c.pin << ": " << c.what << " at " << where(c.location) << "\n";
  }
  for (const auto& a : n.pins)
    if (a.pipe.empty()) out << "not in a pipe: " << a.pin << " (" << a.reason << ")\n";
  return out.str();
}

}  // namespace ksframe
