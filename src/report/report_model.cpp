// The Report model: its enums, the verdict, and the Report of a run (make_report). The report
// JSON is written from it in report_json.cpp and read back to it in report_json_read.cpp.
#include <optional>
#include <utility>

#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "report/report_formats.hpp"
#include "report/review_common.hpp"
#include "report/rounding.hpp"
#include "util/words.hpp"

namespace ksframe {
namespace {

// Each enum's words in the order of its enumerators: to_string indexes them, parse searches them.
constexpr std::string_view kVerdictWords[] = {"pass", "warn", "fail"};
constexpr std::string_view kPipeStatusWords[] = {"ok", "failed"};
constexpr std::string_view kNegotiationStatusWords[] = {"ok", "failed", "not_run"};

}  // namespace

std::string_view to_string(Verdict verdict) { return words::of(kVerdictWords, verdict); }
std::optional<Verdict> parse_verdict(std::string_view word) {
  return words::parse<Verdict>(kVerdictWords, word);
}
std::string_view to_string(PipeStatus status) { return words::of(kPipeStatusWords, status); }
std::optional<PipeStatus> parse_pipe_status(std::string_view word) {
  return words::parse<PipeStatus>(kPipeStatusWords, word);
}
std::string_view to_string(NegotiationStatus status) {
  return words::of(kNegotiationStatusWords, status);
}
std::optional<NegotiationStatus> parse_negotiation_status(std::string_view word) {
  return words::parse<NegotiationStatus>(kNegotiationStatusWords, word);
}

std::size_t Report::count(Severity severity) const {
  std::size_t n = 0;
  for (const auto& d : diagnostics) n += d.severity == severity;
  return n;
}

Verdict Report::verdict() const {
  // A graph that negotiated but could not be simulated fails (a report of `negotiate` has no
  // simulation at all and is judged on the negotiation alone).
  bool failing = negotiation != NegotiationStatus::Ok || count(Severity::Error) > 0 ||
                 !simulation_error.empty(),
       problem = false;
  for (const auto& p : pipes)
    if (p.run) {
      failing = failing || fails(p.run->verdict) || p.run->payload_errors > 0;
      problem = problem || is_problem(p.run->verdict) || p.run->near_saturation();
    }
  // A finding about the machine (a header not found) does not make the graph worse.
  std::size_t warnings = 0;
  for (const auto& d : diagnostics) warnings += d.severity == Severity::Warning && !d.environment;
  return failing ? Verdict::Fail : problem || warnings > 0 ? Verdict::Warn : Verdict::Pass;
}

int exit_code(const Report& report) { return report.verdict() == Verdict::Fail ? 1 : 0; }

std::string Report::verdict_line() const {
  auto plural = [](std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  std::string line = review::verdict_label(verdict());
  line += ": " + plural(count(Severity::Error), "error") + ", " +
          plural(count(Severity::Warning), "warning") + ", " +
          plural(count(Severity::Note), "note");
  if (negotiation == NegotiationStatus::NotRun)
    return line + "; not negotiated (the spec has errors)";
  if (negotiation == NegotiationStatus::Failed) {
    line += "; negotiation failed (" + plural(failures.size(), "failure") + ")";
    return line;
  }
  line += "; " + plural(pipes.size(), "pipe");
  if (pipes.empty()) return line + ", nothing to simulate (no pin streams through an allocator)";
  if (!simulated())
    return line + ", not simulated" +
           (simulation_error.empty() ? "" : " (" + simulation_error + ")");
  std::vector<std::string> bad;
  for (const auto& p : pipes) {
    if (!p.run || (p.run->verdict == PipeVerdict::Ok && !p.run->near_saturation())) continue;
    std::string what = p.id + " " +
                       (p.run->verdict == PipeVerdict::Ok ? std::string("near saturation")
                                                          : std::string(to_string(p.run->verdict)));
    if (p.run->frames_needed)
      what += " (needs " + std::to_string(*p.run->frames_needed) + " frames)";
    bad.push_back(what);
  }
  if (bad.empty()) return line + ", no stalls or failures in the load";
  for (const auto& b : bad) line += ", " + b;
  return line;
}

namespace {

ReportDiagnostic report_diagnostic(const Diagnostic& d) {
  ReportDiagnostic rd{d.rule,     d.severity,     d.message, d.hint, d.subject,
                      d.location, fingerprint(d), {},        false};
  for (const auto& x : d.related) rd.related.push_back({x.location, x.message});
  rd.environment = d.environment;  // never saved: a saved report compares as it was
  return rd;
}

std::string enum_name(ks::Table t, ks::ULONG v) {
  auto n = ks::name_of(t, v);
  return n ? std::string(*n) : std::to_string(v);
}

ReportPipe report_pipe(const Negotiation& n, const Pipe& p) {
  ReportPipe rp;
  rp.id = p.id;
  rp.status = p.failed ? PipeStatus::Failed : PipeStatus::Ok;
  for (const auto& m : p.members) rp.pins.push_back(m.name);
  rp.begin = p.members.front().name;
  for (int e : p.ends) rp.ends.push_back(p.members[e].name);
  rp.allocator_pin = p.allocator >= 0 ? p.members[p.allocator].name : "";
  rp.allocator_place = to_string(p.place);
  rp.allocator_mode = p.user_mode ? "user" : "kernel";
  rp.allocator_kind = p.vendor ? "vendor" : "default";
  rp.memory_type = ks::guid_name_or_text(p.memory_type, ks::GuidKind::Memory);
  rp.bus_type = ks::guid_name_or_text(p.bus_type, ks::GuidKind::Bus);
  rp.frames = p.frames;
  rp.frame_size = p.frame_size;
  rp.alignment_bytes = std::uint64_t{p.align_mask} + 1;
  if (const auto& ap = p.allocator_properties)
    rp.allocator_properties = {{ap->cBuffers, ap->cbBuffer, ap->cbAlign, ap->cbPrefix}};
  for (const auto& e : p.explanation)
    rp.explanation.push_back({e.value, e.rule, e.because, e.decided_by, e.locations,
                              explanation_section(e.rule, e.value)});
  rp.memory_type_guid = p.memory_type.to_string();
  rp.bus_type_guid = p.bus_type.to_string();
  rp.logical_memory_type = enum_name(
      ks::logical_memory_types(), static_cast<ks::ULONG>(ks::logical_memory_type(p.memory_type)));
  if (p.frame_pitch) rp.frame_pitch = *p.frame_pitch;
  rp.physical_range = p.physical_range;
  rp.state = enum_name(ks::pipe_states(), p.state);
  rp.range_state = enum_name(ks::pipe_states(), p.range_state);
  rp.inside_factors = p.inside_factors;
  rp.input_factors = p.input_factors;
  rp.output_factors = p.output_factors;
  rp.flags = p.flags;
  rp.dim_allocator = p.dim_allocator;
  rp.dim_max_expansion = p.dim_max_expansion;
  rp.dim_end = p.dim_end;
  rp.weight = p.weight;
  rp.compatible_copy = p.compatible;
  if (p.legacy) {
    rp.legacy = *p.legacy;
    rp.legacy->Reserved = 0;  // the JSON does not carry it
  }
  if (p.prev_segment >= 0) rp.prev_segment = n.pipes[p.prev_segment].id;
  for (int i : p.next_segments) rp.next_segments.push_back(n.pipes[i].id);
  for (const auto& m : p.members)
    rp.members.push_back({m.name, m.item, m.size.num, m.size.den,
                          m.size.as_compression().RatioConstantMargin, m.size.unknown,
                          m.reached_in_place, m.relaxed});
  return rp;
}

ReportPipeRun report_run(const PipeMetrics& m) {
  ReportPipeRun run;
  run.allocator = m.allocator;
  // The load writes only the seven words; an unknown one would be a bug, judged failing so it
  // cannot pass unseen.
  run.verdict = m.verdict;
  run.reason = m.reason;
  run.allocations = m.allocations;
  run.peak_outstanding = m.peak_outstanding;
  run.stall_time_us = m.stall_time_us;
  run.failures = m.failures;
  run.bytes_committed_peak = m.bytes_committed_peak;
  run.copies = m.copies;
  run.bytes_copied = m.bytes_copied;
  run.payload_errors = m.payload_errors;
  if (m.frames_needed) run.frames_needed = *m.frames_needed;
  run.utilisation = report_rounding::utilisation(m.utilisation);
  if (m.deadlock) {
    ReportPipeRun::Deadlock d;
    d.stuck_at_us = m.deadlock->stuck_at_us;
    for (const auto& h : m.deadlock->holders) d.holders.push_back({h.filter, h.frames, h.how});
    for (const auto& w : m.deadlock->waiting) d.waiting.push_back({w.requester, w.since_us});
    d.blocked_by = m.deadlock->blocked_by;
    run.deadlock = std::move(d);
  }
  run.bottleneck = m.bottleneck;
  run.frees = m.frees;
  run.pending_high_water = m.pending_high_water;
  run.immediate_failures = m.immediate_failures;
  run.freeframe_events = m.freeframe_events;
  run.alignment_violations = m.alignment_violations;
  run.payload_utilisation = report_rounding::payload_utilisation(m.payload_utilisation);
  run.frames_needed_by_seed.assign(m.frames_needed_by_seed.begin(), m.frames_needed_by_seed.end());
  run.outstanding_at_stop = m.outstanding_at_stop;
  run.leaked = m.leaked;
  run.dropped = m.dropped;
  run.timeline_bucket_us = m.timeline_bucket_us;
  run.timeline = m.timeline;
  run.timeline_mean = m.timeline_mean;
  return run;
}

ReportGraph report_graph(const Spec& spec) {
  ReportGraph g;
  for (const auto& f : spec.filters) {
    ReportGraph::Filter gf;
    gf.name = f.name.value;
    for (const auto& p : f.pins)
      gf.pins.push_back({p.name.value, p.dataflow.value == ks::Dataflow::In,
                         report_formats::data_ranges_of(spec, p),
                         report_formats::framing_edit_of(spec, p), spec.at(p.pos)});
    for (const auto& r : f.routes) gf.routes.emplace_back(r.from.value, r.to.value);
    if (f.implied()) gf.implied_consumer_of = spec.pin_name(f.implied_for);
    gf.location = spec.at(f.pos);
    g.filters.push_back(std::move(gf));
  }
  for (const auto& c : spec.connections)
    g.connections.push_back({c.from.value, c.to.value, report_formats::format_of(spec, c)});
  return g;
}

}  // namespace

Report make_report_of_load_errors(const std::string& file, const Diagnostics& diagnostics) {
  Report r;
  r.spec_file = file;
  r.negotiation = NegotiationStatus::NotRun;  // not "failed": there was nothing to negotiate
  r.simulation_error = "the spec did not load";
  for (const auto& d : diagnostics) r.diagnostics.push_back(report_diagnostic(d));
  return r;
}

Report make_negotiation_report(const Spec& spec, const NegotiateOptions& options,
                               const Negotiation& n, const Diagnostics& diagnostics) {
  Report r;
  r.spec_file = spec.file;
  if (spec.name.present) r.spec_name = spec.name.value;
  r.included = spec.included;
  for (const auto& d : diagnostics) r.diagnostics.push_back(report_diagnostic(d));
  r.negotiation = !n.ran ? NegotiationStatus::NotRun
                  : n.ok ? NegotiationStatus::Ok
                         : NegotiationStatus::Failed;
  r.options = {options.strategy, options.default_frames, options.allocator_place_first,
               options.honor_input_physical_range};
  for (const auto& p : n.pipes) r.pipes.push_back(report_pipe(n, p));
  for (const auto& f : n.failures) {
    ReportFailure rf{f.connection, f.reason, f.message, {}};
    for (const auto& c : f.constraints) rf.constraints.push_back({c.pin, c.what, c.location});
    r.failures.push_back(std::move(rf));
  }
  for (const auto& a : n.pins) r.pin_assignments.push_back({a.pin, a.pipe, a.reason});
  r.property_requests = n.property_traffic.requests;
  r.property_bytes = n.property_traffic.bytes;
  r.graph = report_graph(spec);
  return r;
}

void add_simulation(Report& r, const Simulation& sim) {
  ReportSimulation rs;
  rs.ran = sim.ran;
  rs.frame_hops = sim.frame_hops;
  rs.seed = sim.seed;
  rs.source_frames = sim.source_frames;
  rs.allocator_mode = sim.allocator_mode;
  rs.target_rate_hz = report_rounding::rate_hz(sim.target_rate_hz);
  rs.achieved_rate_hz = report_rounding::rate_hz(sim.achieved_rate_hz);
  rs.delivered = sim.delivered;
  rs.dropped = sim.dropped;
  rs.duration_us = sim.duration_us;
  rs.latency_p50_us = sim.latency_p50_us;
  rs.latency_p95_us = sim.latency_p95_us;
  rs.latency_p99_us = sim.latency_p99_us;
  rs.latency_max_us = sim.latency_max_us;
  rs.sources = sim.sources;
  for (auto& s : rs.sources) {  // as the JSON writes them
    s.target_rate_hz = report_rounding::rate_hz(s.target_rate_hz);
    s.achieved_rate_hz = report_rounding::rate_hz(s.achieved_rate_hz);
  }
  r.simulation = rs;
  // A graph with no pipe streams nothing (looped streaming, KSPIN_FLAG_DO_NOT_USE_STANDARD_
  // TRANSPORT, a filter alone): nothing to simulate is not a failure of the graph.
  r.simulation_error = r.pipes.empty() ? "" : sim.error;
  for (const auto& m : sim.pipes)
    for (auto& p : r.pipes)
      if (p.id == m.id) p.run = report_run(m);
}

Report make_report(const Spec& spec, const Job& job) {
  Report r = make_negotiation_report(spec, job.options, job.negotiation, job.diagnostics);
  add_simulation(r, job.simulation);
  return r;
}

}  // namespace ksframe
