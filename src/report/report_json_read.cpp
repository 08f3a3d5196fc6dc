// A saved report, untrusted input, read back to the Report to_json wrote it from
// (report_json.cpp): checked first (size, UTF-8, nesting depth, string length, control
// characters, the schema), then read by from_document.
#include <climits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/validator.hpp>

#include "ksframe/ks.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"
#include "report/report_formats.hpp"
#include "util/json_schema.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace embedded {
std::string_view schema_report();
}  // namespace embedded

namespace {

using json = nlohmann::json;

const valijson::Schema& report_schema() {
  static const std::unique_ptr<valijson::Schema> schema =
      compile_draft7_schema(embedded::schema_report());
  return *schema;
}

// The deepest nesting of [ and { outside strings: checked before parsing so a hostile file
// cannot make the schema validator (which recurses) run out of stack.
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// The first JSON string (or key) whose text between the quotes is longer than `limit` bytes,
// found before parsing: the schema's `pattern` checks run std::regex, which recurses once per
// character, so a pipe id of 100,000 digits overflowed the stack. Returns its offset.
std::optional<std::size_t> overlong_string(std::string_view text, std::size_t limit) {
  std::size_t start = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      if (c == '"') in_string = true, start = i;
    } else if (escaped) {
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '"') {
      in_string = false;
    }
    if (in_string && i - start > limit) return start;
  }
  return std::nullopt;
}

// valijson reads every integer as int64_t, so a seed of 2^63 or more (docs/spec.md allows up
// to 2^64 - 1) turned negative and failed "minimum: 0". Such values are validated as INT64_MAX,
// which passes and fails the same ranges, and put back afterwards.
bool validate_with_unsigned(valijson::Validator& validator, json& doc,
                            valijson::adapters::NlohmannJsonAdapter& adapter,
                            valijson::ValidationResults& results) {
  std::vector<std::pair<json*, std::uint64_t>> big;
  auto collect = [&](auto& self, json& j) -> void {
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > INT64_MAX)
      big.emplace_back(&j, j.get<std::uint64_t>());
    if (j.is_structured())
      for (auto& child : j) self(self, child);
  };
  collect(collect, doc);  // depth is at most 64: checked before parsing
  for (auto& [j, v] : big) *j = std::int64_t{INT64_MAX};
  const bool valid = validator.validate(report_schema(), adapter, &results);
  for (auto& [j, v] : big) *j = v;
  return valid;
}

// A saved report is input too: a JSON escape ("\u001b") puts any character in a string, and the
// review renderers show names and messages as they are. The path of the first string or key
// holding a control character (text::first_unsafe_character), and the character.
std::optional<std::pair<std::string, std::string>> control_character(const json& j) {
  auto check = [](const std::string& s) -> std::optional<std::string> {
    if (auto at = text::first_unsafe_character(s)) return text::code_point_name(s, *at);
    return std::nullopt;
  };
  if (j.is_string()) {
    if (auto c = check(j.get_ref<const std::string&>())) return std::pair(std::string(), *c);
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (auto c = check(key)) return std::pair(key, *c);
      if (auto inner = control_character(value))
        return std::pair(
            key + (inner->first.empty() || inner->first[0] == '[' ? "" : ".") + inner->first,
            inner->second);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto inner = control_character(j[i]))
        return std::pair("[" + std::to_string(i) + "]" +
                             (inner->first.empty() || inner->first[0] == '[' ? "" : ".") +
                             inner->first,
                         inner->second);
  }
  return std::nullopt;
}

// A key that reports saved by earlier versions lack: read with `read` when present.
template <class Read>
void if_present(const json& j, const char* key, Read read) {
  if (j.contains(key) && !j.at(key).is_null()) read(j.at(key));
}

std::string string_or_empty(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }

ks::KS_COMPRESSION compression_of(const json& c) {
  return {c.at("numerator").get<ks::ULONG>(), c.at("denominator").get<ks::ULONG>(),
          c.at("constant_margin").get<ks::ULONG>()};
}

std::uint32_t flags_of(const json& f) {
  return static_cast<std::uint32_t>(std::stoul(f.at("value").get<std::string>(), nullptr, 16));
}

std::string name_or_guid(const json& g) {
  return g.at("name").is_string() ? g.at("name").get<std::string>()
                                  : g.at("guid").get<std::string>();
}

Location location_of(const json& l) {
  return {l.at("file").get<std::string>(), l.at("line").get<std::uint32_t>(),
          l.at("column").get<std::uint32_t>()};
}

std::string pin_key(const json& pin) { return pin.get<std::string>(); }

// A word of one of the report's enums; the schema allows only the set's words, so one outside it
// means the schema and the enum disagree: an error, not a crash.
template <class Parse>
auto word(const json& j, Parse parse) {
  const auto value = parse(j.get<std::string>());
  if (!value) throw std::invalid_argument("unknown word " + j.dump());
  return *value;
}

ReportDiagnostic diagnostic_of(const json& d) {
  ReportDiagnostic rd;
  rd.rule = d.at("rule").get<std::string>();
  rd.severity = word(d.at("severity"), parse_severity);
  rd.message = d.at("message").get<std::string>();
  rd.hint = d.value("hint", "");
  rd.subject = d.value("subject", "");
  rd.location = location_of(d.at("location"));
  Diagnostic as_diagnostic;
  as_diagnostic.rule = rd.rule;
  as_diagnostic.message = rd.message;
  as_diagnostic.location = rd.location;
  as_diagnostic.subject = rd.subject;
  rd.fingerprint = fingerprint(as_diagnostic);  // the same as the lint outputs give it
  if_present(d, "related", [&](const json& related) {
    for (const auto& x : related)
      rd.related.push_back({location_of(x.at("location")), x.at("message").get<std::string>()});
  });
  return rd;
}

ReportPipe pipe_of(const json& p) {
  ReportPipe rp;
  rp.id = p.at("id").get<std::string>();
  rp.status = word(p.at("status"), parse_pipe_status);
  for (const auto& pin : p.at("pins")) rp.pins.push_back(pin_key(pin));
  rp.begin = p.at("begin").get<std::string>();
  for (const auto& e : p.at("ends")) rp.ends.push_back(pin_key(e));
  const json& a = p.at("allocator");
  rp.allocator_pin = a.at("pin").is_string() ? a.at("pin").get<std::string>() : "";
  rp.allocator_place = a.at("place").get<std::string>();
  rp.allocator_mode = a.at("mode").get<std::string>();
  rp.allocator_kind = a.at("kind").get<std::string>();
  rp.memory_type = name_or_guid(p.at("memory_type"));
  rp.bus_type = name_or_guid(p.at("bus_type"));
  rp.memory_type_guid = p.at("memory_type").at("guid").get<std::string>();
  rp.bus_type_guid = p.at("bus_type").at("guid").get<std::string>();
  rp.logical_memory_type = p.value("logical_memory_type", "");
  if_present(p, "frame_pitch", [&](const json& v) { rp.frame_pitch = v.get<std::int64_t>(); });
  if_present(p, "physical_range", [&](const json& v) {
    rp.physical_range = {v.at("min").get<ks::ULONG>(), v.at("max").get<ks::ULONG>(),
                         v.at("stepping").get<ks::ULONG>()};
  });
  rp.state = p.value("state", "");
  rp.range_state = p.value("range_state", "");
  if_present(p, "inside_factors", [&](const json& v) { rp.inside_factors = flags_of(v); });
  if_present(p, "input_factors", [&](const json& v) { rp.input_factors = flags_of(v); });
  if_present(p, "output_factors", [&](const json& v) { rp.output_factors = flags_of(v); });
  if_present(p, "flags", [&](const json& v) { rp.flags = flags_of(v); });
  if_present(p, "dimensions", [&](const json& v) {
    rp.dim_allocator = compression_of(v.at("allocator_pin"));
    rp.dim_max_expansion = compression_of(v.at("max_expansion_pin"));
    rp.dim_end = compression_of(v.at("end_pin"));
  });
  rp.weight = p.value("weight", std::uint32_t{0});
  rp.compatible_copy = p.value("compatible_copy", false);
  if_present(p, "legacy_framing", [&](const json& v) {
    ks::KSALLOCATOR_FRAMING l;
    l.OptionsFlags = flags_of(v.at("options_flags"));
    l.PoolType = v.at("pool_type").get<ks::ULONG>();
    l.Frames = v.at("frames").get<ks::ULONG>();
    l.FrameSize = v.at("frame_size").get<ks::ULONG>();
    l.FileAlignment = v.at("file_alignment").get<ks::ULONG>();
    rp.legacy = l;
  });
  if_present(p, "prev_segment", [&](const json& v) { rp.prev_segment = v.get<std::string>(); });
  if_present(p, "next_segments", [&](const json& v) {
    for (const auto& id : v) rp.next_segments.push_back(id.get<std::string>());
  });
  if_present(p, "members", [&](const json& v) {
    for (const auto& m : v) {
      const json& size = m.at("size");
      rp.members.push_back({m.at("pin").get<std::string>(), m.at("item").get<std::int64_t>(),
                            size.at("numerator").get<std::uint64_t>(),
                            size.at("denominator").get<std::uint64_t>(),
                            size.at("margin").get<std::uint64_t>(), size.at("unknown").get<bool>(),
                            m.at("reached_in_place").get<bool>(), m.at("relaxed").get<bool>()});
    }
  });
  rp.frames = p.at("frames").get<std::uint64_t>();
  rp.frame_size = p.at("frame_size").get<std::uint64_t>();
  rp.alignment_bytes = p.at("alignment").at("bytes").get<std::uint64_t>();
  if (p.contains("allocator_properties")) {
    const json& ap = p.at("allocator_properties");
    rp.allocator_properties = {
        ap.at("cBuffers").get<std::uint64_t>(), ap.at("cbBuffer").get<std::uint64_t>(),
        ap.at("cbAlign").get<std::uint64_t>(), ap.at("cbPrefix").get<std::uint64_t>()};
  }
  for (const auto& e : p.at("explanation")) {
    ReportExplanation x;
    x.value = e.at("value").get<std::string>();
    x.rule = e.at("rule").get<std::string>();
    x.because = e.at("because").get<std::string>();
    for (const auto& by : e.at("decided_by")) x.decided_by.push_back(by.get<std::string>());
    x.section = e.value("section", "");
    if (e.contains("locations"))
      for (const auto& l : e.at("locations")) x.locations.push_back(location_of(l));
    else if (e.at("location").is_object())  // saved before explanations had every location
      x.locations.push_back(location_of(e.at("location")));
    rp.explanation.push_back(std::move(x));
  }
  return rp;
}

ReportFailure failure_of(const json& f) {
  ReportFailure rf{f.at("connection").get<std::string>(),
                   f.at("reason").get<std::string>(),
                   f.at("message").get<std::string>(),
                   {}};
  if_present(f, "constraints", [&](const json& cs) {
    for (const auto& c : cs)
      rf.constraints.push_back({c.at("pin").get<std::string>(), c.at("what").get<std::string>(),
                                location_of(c.at("location"))});
  });
  return rf;
}

// One pipe's run (`simulation.pipes[]`), to be put on its pipe by id.
ReportPipeRun pipe_run_of(const json& m) {
  ReportPipeRun run;
  run.allocator = word(m.at("allocator"), parse_pipe_allocator);
  run.allocations = m.at("allocations").get<std::uint64_t>();
  run.peak_outstanding = m.at("peak_outstanding").get<std::uint64_t>();
  run.stall_time_us = m.at("stall_time_us").get<std::uint64_t>();
  run.failures = m.at("failures").get<std::uint64_t>();
  run.bytes_committed_peak = m.at("bytes_committed_peak").get<std::uint64_t>();
  run.copies = m.at("copies").get<std::uint64_t>();
  run.bytes_copied = m.at("bytes_copied").get<std::uint64_t>();
  run.payload_errors = m.at("payload_errors").get<std::uint64_t>();
  const json& v = m.at("verdict");
  run.verdict = word(v.at("status"), parse_pipe_verdict);
  run.reason = v.at("reason").get<std::string>();
  if (v.at("frames_needed").is_number())
    run.frames_needed = v.at("frames_needed").get<std::uint64_t>();
  // Reports saved before the STOP transition and these verdicts were modelled lack these
  // keys; they still read, as reports whose pipes had no deadlock, leak or utilisation.
  if (v.contains("utilisation")) {
    run.utilisation = v.at("utilisation").at("value").get<double>();
    run.bottleneck = string_or_empty(v.at("utilisation").at("stage"));
  }
  if_present(v, "deadlock", [&](const json& d) {
    ReportPipeRun::Deadlock dl;
    dl.stuck_at_us = d.at("stuck_at_us").get<std::uint64_t>();
    for (const auto& h : d.at("holders"))
      dl.holders.push_back({h.at("filter").get<std::string>(), h.at("frames").get<std::uint64_t>(),
                            h.at("how").get<std::string>()});
    for (const auto& w : d.at("waiting"))
      dl.waiting.push_back(
          {w.at("requester").get<std::string>(), w.at("since_us").get<std::uint64_t>()});
    dl.blocked_by = string_or_empty(d.at("blocked_by"));
    run.deadlock = std::move(dl);
  });
  if_present(v, "frames_needed_by_seed", [&](const json& seeds) {
    for (const auto& x : seeds) run.frames_needed_by_seed.push_back(x.get<std::uint64_t>());
  });
  run.frees = m.value("frees", std::uint64_t{0});
  run.pending_high_water = m.value("pending_high_water", std::uint64_t{0});
  run.immediate_failures = m.value("immediate_failures", std::uint64_t{0});
  run.freeframe_events = m.value("freeframe_events", std::uint64_t{0});
  run.alignment_violations = m.value("alignment_violations", std::uint64_t{0});
  run.payload_utilisation = m.value("payload_utilisation", 0.0);
  if (m.contains("outstanding_at_stop"))
    run.outstanding_at_stop = m.at("outstanding_at_stop").get<std::uint64_t>();
  if (m.contains("leaked")) run.leaked = m.at("leaked").get<std::uint64_t>();
  if (m.contains("dropped")) run.dropped = m.at("dropped").get<std::uint64_t>();
  run.timeline_bucket_us = m.at("timeline").at("bucket_us").get<std::uint64_t>();
  for (const auto& x : m.at("timeline").at("outstanding_max"))
    run.timeline.push_back(x.get<std::uint32_t>());
  for (const auto& x : m.at("timeline").at("outstanding_mean"))
    run.timeline_mean.push_back(x.get<double>());
  if (run.timeline_mean.size() != run.timeline.size())
    throw std::invalid_argument("the timeline's mean and max differ in length");
  return run;
}

ReportSimulation simulation_of(const json& s) {
  ReportSimulation sim;
  sim.ran = s.at("status") == "ran";
  sim.seed = s.at("seed").get<std::uint64_t>();
  sim.source_frames = s.at("source_frames").get<std::uint64_t>();
  sim.allocator_mode = s.at("allocator_mode").get<std::string>();
  const json& e = s.at("end_to_end");
  sim.target_rate_hz = e.at("target_rate_hz").get<double>();
  sim.achieved_rate_hz = e.at("achieved_rate_hz").get<double>();
  sim.delivered = e.at("delivered").get<std::uint64_t>();
  sim.dropped = e.at("dropped").get<std::uint64_t>();
  sim.duration_us = e.at("duration_us").get<std::uint64_t>();
  sim.frame_hops = e.value("frame_hops", std::uint64_t{0});
  const json& l = e.at("latency_us");
  sim.latency_p50_us = l.at("p50").get<std::uint64_t>();
  sim.latency_p95_us = l.at("p95").get<std::uint64_t>();
  sim.latency_p99_us = l.at("p99").get<std::uint64_t>();
  sim.latency_max_us = l.at("max").get<std::uint64_t>();
  if (s.contains("sources"))  // absent in reports saved before per-pin sources
    for (const auto& src : s.at("sources")) {
      SourceMetrics m;
      m.pin = src.at("pin").get<std::string>();
      m.pipe = src.at("pipe").get<std::string>();
      m.when_starved = src.at("when_starved").get<std::string>();
      m.target_rate_hz = src.at("target_rate_hz").get<double>();
      m.achieved_rate_hz = src.at("achieved_rate_hz").get<double>();
      m.produced = src.at("produced").get<std::uint64_t>();
      m.dropped = src.at("dropped").get<std::uint64_t>();
      m.delivered = src.at("delivered").get<std::uint64_t>();
      sim.sources.push_back(std::move(m));
    }
  return sim;
}

ReportGraph graph_of(const json& g) {
  ReportGraph graph;
  for (const auto& f : g.at("filters")) {
    ReportGraph::Filter gf;
    gf.name = f.at("name").get<std::string>();
    for (const auto& p : f.at("pins"))
      gf.pins.push_back({p.at("name").get<std::string>(), p.at("dataflow") == "in",
                         report_formats::data_ranges_from_json(p),
                         report_formats::framing_edit_from_json(p), location_of(p.at("location"))});
    for (const auto& rt : f.at("routes"))
      gf.routes.emplace_back(rt.at("from").get<std::string>(), rt.at("to").get<std::string>());
    gf.implied_consumer_of = f.value("implied_consumer_of", "");
    gf.location = location_of(f.at("location"));
    graph.filters.push_back(std::move(gf));
  }
  for (const auto& c : g.at("connections"))
    graph.connections.push_back({c.at("from").get<std::string>(), c.at("to").get<std::string>(),
                                 report_formats::format_from_json(c)});
  return graph;
}

// The Report of a document the schema accepted. Each part has its reader above, in the order
// to_json writes them.
Report from_document(const json& doc) {
  Report r;
  r.spec_file = doc.at("spec").at("file").get<std::string>();
  const json& name = doc.at("spec").at("name");
  if (name.is_string()) r.spec_name = name.get<std::string>();
  if_present(doc.at("spec"), "included", [&](const json& files) {
    for (const auto& f : files) r.included.push_back(f.get<std::string>());
  });
  for (const auto& d : doc.at("diagnostics")) r.diagnostics.push_back(diagnostic_of(d));
  const json& n = doc.at("negotiation");
  r.negotiation = word(n.at("status"), parse_negotiation_status);
  if_present(n, "options", [&](const json& o) {
    r.options.strategy = flags_of(o.at("strategy"));
    r.options.default_frames = o.at("default_frames").get<std::uint64_t>();
    r.options.allocator_place_first = o.at("allocator_place") == "first";
    r.options.honor_input_physical_range = o.at("honor_input_physical_range").get<bool>();
  });
  if_present(n, "pins", [&](const json& pins) {
    for (const auto& a : pins)
      r.pin_assignments.push_back({a.at("pin").get<std::string>(), string_or_empty(a.at("pipe")),
                                   a.at("reason").get<std::string>()});
  });
  if_present(n, "property_requests", [&](const json& pr) {
    r.property_requests = pr.at("requests").get<std::uint64_t>();
    r.property_bytes = pr.at("bytes").get<std::uint64_t>();
  });
  for (const auto& p : n.at("pipes")) r.pipes.push_back(pipe_of(p));
  for (const auto& f : n.at("failures")) r.failures.push_back(failure_of(f));
  if (doc.contains("simulation")) {
    const json& s = doc.at("simulation");
    r.simulation_error = s.value("error", "");
    r.simulation = simulation_of(s);
    for (const auto& m : s.at("pipes")) {
      const std::string id = m.at("id").get<std::string>();
      const ReportPipeRun run = pipe_run_of(m);
      for (auto& p : r.pipes)
        if (p.id == id) p.run = run;
    }
  }
  r.graph = graph_of(doc.at("graph"));
  return r;
}

}  // namespace

std::optional<Report> report_from_json_text(const std::string& text, const std::string& name,
                                            std::string* error) {
  // No string ksframe writes comes near 4 KiB: names are at most 128 bytes, paths 4095.
  constexpr std::size_t kMaxBytes = 64u << 20, kMaxDepth = 64, kMaxStringBytes = 4096;
  if (text.size() > kMaxBytes) {
    *error = name + ": the report is larger than 64 MiB";
    return std::nullopt;
  }
  if (auto bad = text::first_invalid_utf8(text)) {
    const auto at = text::LineIndex(text).at(*bad);
    *error =
        name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": invalid UTF-8";
    return std::nullopt;
  }
  if (nesting_depth(text) > kMaxDepth) {
    *error = name + ": JSON nested deeper than 64 levels is not a ksframe report";
    return std::nullopt;
  }
  if (auto at_byte = overlong_string(text, kMaxStringBytes)) {
    const auto at = text::LineIndex(text).at(*at_byte);
    *error = name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
             ": a JSON string longer than the limit of " + std::to_string(kMaxStringBytes) +
             " bytes is not a ksframe report";
    return std::nullopt;
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const auto at = text::LineIndex(text).at(e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    if (auto colon = what.find("syntax error"); colon != std::string::npos)
      what = what.substr(colon);
    // The parser quotes the bytes it last read: a file that is not a report (any file the
    // command line names) shows its name and what is wrong, never its content.
    if (auto last = what.find("; last read:"); last != std::string::npos) what.erase(last);
    *error = name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
             ": not JSON: " + what;
    return std::nullopt;
  } catch (const json::exception& e) {  // e.g. a number too large for any JSON number type
    std::string what = e.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos)
      what = what.substr(bracket + 2);
    *error = name + ": not JSON: " + what;
    return std::nullopt;
  }
  if (!doc.is_object() || !doc.contains("ksframe_report")) {
    *error = name + ": not a ksframe report (no \"ksframe_report\" key)";
    return std::nullopt;
  }
  if (auto control = control_character(doc)) {  // depth is at most 64: checked before parsing
    *error = name + ": control character " + control->second + " in a string at " +
             text::quote(control->first) + ": not a report ksframe wrote";
    return std::nullopt;
  }
  PooledValidator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  const bool valid = validate_with_unsigned(*validator, doc, adapter, results);
  if (!valid) {
    // The deepest error says the most: the outer ones only repeat that something inside failed.
    valijson::ValidationResults::Error e, deepest;
    while (results.popError(e))
      if (e.context.size() > deepest.context.size()) deepest = e;
    std::string path;
    for (std::size_t i = 1; i < deepest.context.size();
         ++i) {  // "[negotiation]" "[0]" -> negotiation[0]
      std::string seg = deepest.context[i];
      if (seg.size() >= 2 && seg.front() == '[' && seg.back() == ']')
        seg = seg.substr(1, seg.size() - 2);
      const bool index = !seg.empty() && seg.find_first_not_of("0123456789") == std::string::npos;
      path += index ? "[" + seg + "]" : (path.empty() ? "" : ".") + seg;
    }
    *error = name + ": does not match the ksframe report schema at " +
             (path.empty() ? "the top level" : text::quote(path)) + ": " + deepest.description;
    return std::nullopt;
  }
  try {
    return from_document(doc);
  } catch (const std::exception& e) {  // the schema should have caught it; say so, do not crash
    *error = name + ": unexpected report content: " + e.what();
    return std::nullopt;
  }
}

}  // namespace ksframe
