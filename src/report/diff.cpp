// ksframe diff: compares two Reports. Pipes are matched by begin pin and diagnostics by rule,
// subject and message (not by file or line: the two sides are often two checkouts of one spec,
// and an edit above a finding moves it without changing it).
#include "ksframe/diff.hpp"

#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "report/report_formats.hpp"
#include "report/review_common.hpp"

namespace ksframe {

bool ReportDiff::tripped() const {
  for (const auto& g : gates)
    if (g.tripped) return true;
  return false;
}

namespace {

using review::location_text;

// Each pipe's frames x frame size fits 64 bits (both are ULONGs), their sum does not: two
// pipes of 4294967295 frames of 4294967295 bytes wrapped to less than the base and passed
// the memory-increase gate. 128 bits hold the sum of any number of pipes exactly.
__extension__ typedef unsigned __int128
    Bytes;  // __extension__: GCC and Clang have it, ISO C++ does not
constexpr Bytes kMax64 = std::numeric_limits<std::uint64_t>::max();

Bytes total_committed(const Report& r) {
  Bytes sum = 0;
  for (const auto& p : r.pipes) sum += p.bytes_committed();
  return sum;
}

std::string decimal(Bytes v) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  return s;
}

std::string grouped(Bytes v) {
  if (v <= kMax64) return review::grouped(static_cast<std::uint64_t>(v));
  const std::string digits = decimal(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string diagnostic_key(const ReportDiagnostic& d) {
  return d.rule + "\x1f" + (d.subject.empty() ? std::to_string(d.location.line) : d.subject) +
         "\x1f" + d.message;
}

std::string pins_text(const ReportPipe& p) {
  std::string s;
  for (std::size_t i = 0; i < p.pins.size(); ++i) s += (i ? ", " : "") + p.pins[i];
  return s;
}

std::string allocator_text(const ReportPipe& p) {
  return (p.allocator_pin.empty() ? std::string("none") : p.allocator_pin) + " (" +
         p.allocator_place + ", " + p.allocator_mode + ", " + p.allocator_kind + ")";
}

// A field of two pipes; `a` or `b` is null on the side that lacks the pipe, whose values then
// show as "" (and every field of the other side is listed).
void compare(std::vector<FieldChange>& out, std::string field, const ReportPipe* a,
             const ReportPipe* b, std::string (*text)(const ReportPipe&)) {
  const std::string x = a ? text(*a) : "", y = b ? text(*b) : "";
  if (x != y) out.push_back({std::move(field), x, y, false});
}

void compare(std::vector<FieldChange>& out, std::string field, const ReportPipe* a,
             const ReportPipe* b, std::uint64_t (*value)(const ReportPipe&)) {
  if (a && b && value(*a) == value(*b)) return;
  out.push_back({std::move(field), a ? std::to_string(value(*a)) : "",
                 b ? std::to_string(value(*b)) : "", true});
}

void compare(std::vector<FieldChange>& out, std::string field, const std::string& a,
             const std::string& b) {
  if (a != b) out.push_back({std::move(field), a, b, false});
}

void compare(std::vector<FieldChange>& out, std::string field, std::uint64_t a, std::uint64_t b) {
  if (a != b) out.push_back({std::move(field), std::to_string(a), std::to_string(b), true});
}

// A total above 2^64 - 1 is written out in full as text (JSON integers stop at 64 bits).
void compare(std::vector<FieldChange>& out, std::string field, Bytes a, Bytes b) {
  if (a != b) out.push_back({std::move(field), decimal(a), decimal(b), a <= kMax64 && b <= kMax64});
}

std::vector<FieldChange> pipe_fields(const ReportPipe* a, const ReportPipe* b) {
  std::vector<FieldChange> f;
  compare(f, "pins", a, b, pins_text);
  compare(f, "status", a, b, [](const ReportPipe& p) { return std::string(to_string(p.status)); });
  compare(f, "allocator", a, b, allocator_text);
  compare(f, "memory_type", a, b, [](const ReportPipe& p) { return p.memory_type; });
  compare(f, "bus_type", a, b, [](const ReportPipe& p) { return p.bus_type; });
  compare(f, "frames", a, b, [](const ReportPipe& p) { return p.frames; });
  compare(f, "frame_size", a, b, [](const ReportPipe& p) { return p.frame_size; });
  compare(f, "alignment", a, b, [](const ReportPipe& p) { return p.alignment_bytes; });
  compare(f, "bytes_committed", a, b, [](const ReportPipe& p) { return p.bytes_committed(); });
  const bool run_a = a && a->run, run_b = b && b->run;
  if (run_a || run_b) {
    const ReportPipe* ra = run_a ? a : nullptr;
    const ReportPipe* rb = run_b ? b : nullptr;
    compare(f, "verdict", ra, rb,
            [](const ReportPipe& p) { return std::string(to_string(p.run->verdict)); });
    compare(f, "stall_time_us", ra, rb, [](const ReportPipe& p) { return p.run->stall_time_us; });
    compare(f, "peak_outstanding", ra, rb,
            [](const ReportPipe& p) { return p.run->peak_outstanding; });
    compare(f, "failed_allocations", ra, rb, [](const ReportPipe& p) { return p.run->failures; });
    compare(f, "copies", ra, rb, [](const ReportPipe& p) { return p.run->copies; });
  }
  return f;
}

// The fields of a connection's format that a reviewer compares: which ranges, what format, and
// the sample it fixes. A side without a format shows "" ("—" when printed).
std::vector<FieldChange> format_fields(const std::optional<ReportFormat>& a,
                                       const std::optional<ReportFormat>& b) {
  std::vector<FieldChange> f;
  compare(f, "format_ranges", a ? report_formats::format_choice_text(*a) : "",
          b ? report_formats::format_choice_text(*b) : "");
  compare(f, "format", a ? report_formats::format_text(*a) : "",
          b ? report_formats::format_text(*b) : "");
  if (a && b) compare(f, "sample_bytes", a->sample_bytes, b->sample_bytes);
  return f;
}

// What a framing edit sets: "frame_size sample_size, stepping 0, frames 3".
std::string edit_sets(const ReportFramingEdit& e) {
  std::string s = "frame_size " +
                  (e.audio_ms ? "{audio_ms: " + std::to_string(*e.audio_ms) + "}" : e.frame_size);
  if (e.stepping) s += ", stepping " + std::to_string(*e.stepping);
  if (e.frames) s += ", frames " + std::to_string(*e.frames);
  return s;
}

std::vector<FieldChange> edit_fields(const std::optional<ReportFramingEdit>& a,
                                     const std::optional<ReportFramingEdit>& b) {
  std::vector<FieldChange> f;
  compare(f, "framing_edit", a ? edit_sets(*a) : "", b ? edit_sets(*b) : "");
  compare(f, "framing_used", a ? a->framing_used : "declared", b ? b->framing_used : "declared");
  auto edited = [](const std::optional<ReportFramingEdit>& e) {
    return e && !e->edited.empty() ? report_formats::sizes_text(e->edited) : "";
  };
  compare(f, "edited_framing", edited(a), edited(b));
  return f;
}

// How bad a pipe's load verdict is: the new-starvation gate trips when a pipe gets worse, so a
// starved pipe that becomes deadlocked trips it as a new problem would.
int severity(const ReportPipe* p) {
  if (!p || !p->run) return 0;
  const PipeVerdict v = p->run->verdict;
  if (fails(v)) return 3;
  if (v == PipeVerdict::Overloaded || v == PipeVerdict::Dropping) return 2;
  return is_problem(v) ? 1 : 0;
}

// What a gate looks at: the two reports and their diff, whose changes are complete by then.
struct GateInput {
  const Report& base;
  const Report& head;
  const ReportDiff& diff;
};

struct GateOutcome {
  bool tripped;
  std::string reason;
};

GateOutcome new_diagnostics(const GateInput& in, Severity severity) {
  std::size_t n = 0;
  for (const auto& c : in.diff.diagnostics)
    // A finding about the machine (a header not found) is not a change of the driver.
    n += c.change == "new" && c.diagnostic.severity == severity && !c.diagnostic.environment;
  return {n > 0,
          std::to_string(n) + " new " + std::string(to_string(severity)) + (n == 1 ? "" : "s")};
}

GateOutcome memory_increase(const GateInput& in) {
  const auto a = total_committed(in.base), b = total_committed(in.head);
  return {b > a, "bytes committed " + grouped(a) + " -> " + grouped(b)};
}

GateOutcome new_starvation(const GateInput& in) {
  std::map<std::string, const ReportPipe*> base_pipes;
  for (const auto& p : in.base.pipes) base_pipes.emplace(p.begin, &p);
  std::string which;
  for (const auto& p : in.head.pipes) {
    const auto it = base_pipes.find(p.begin);
    if (severity(&p) > severity(it == base_pipes.end() ? nullptr : it->second))
      which += (which.empty() ? "" : ", ") + p.id + " " + std::string(to_string(p.run->verdict));
  }
  if (which.empty())
    return {false, "no pipe newly starved, dropping, overloaded, deadlocked, leaking or failing"};
  return {true, which};
}

GateOutcome negotiation_failure(const GateInput& in) {
  const auto& failures = in.diff.new_failures;
  const bool base_ok = in.base.negotiation == NegotiationStatus::Ok,
             head_ok = in.head.negotiation == NegotiationStatus::Ok;
  return {base_ok ? !head_ok || !failures.empty() : !failures.empty(),
          head_ok ? std::to_string(failures.size()) + " new negotiation failures"
                  : "the head does not negotiate"};
}

// The gates, once: the names --fail-on accepts (and its --help lists), the table of docs/ci.md
// (a test keeps the two equal) and the evaluation all read this, so a gate cannot be accepted
// or documented without being evaluated.
struct GateRow {
  GateInfo info;
  GateOutcome (*evaluate)(const GateInput&);
};

const GateRow kGates[] = {
    {{"new-errors",
      "the head has an error diagnostic the base does not (matched by rule, subject and message, "
      "not by line)"},
     [](const GateInput& in) { return new_diagnostics(in, Severity::Error); }},
    {{"new-warnings", "the same for warnings"},
     [](const GateInput& in) { return new_diagnostics(in, Severity::Warning); }},
    {{"memory-increase", "the bytes committed (frames × frame size, summed over pipes) grow"},
     memory_increase},
    {{"new-starvation",
      "a pipe's load verdict got worse in the head: `ok` (or a new pipe) became `starved`, "
      "`dropping`, `overloaded`, `deadlocked`, `leaking` or `failing`, or a `starved` pipe became "
      "`dropping` or `overloaded`, or any of these became `deadlocked`, `leaking` or `failing` "
      "(`dropping` and `overloaded` are one class: a change between them does not trip it)"},
     new_starvation},
    {{"negotiation-failure",
      "the head does not negotiate where the base did, or has a negotiation failure the base did "
      "not"},
     negotiation_failure},
};

}  // namespace

const std::vector<GateInfo>& gate_catalogue() {
  static const std::vector<GateInfo> rows = [] {
    std::vector<GateInfo> out;
    for (const auto& row : kGates) out.push_back(row.info);
    return out;
  }();
  return rows;
}

const std::vector<std::string>& gate_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& row : kGates) out.emplace_back(row.info.name);
    return out;
  }();
  return names;
}

std::string render_gates_markdown() {
  std::string out = "| Gate | Trips when |\n|---|---|\n";
  for (const auto& row : kGates)
    out += "| `" + std::string(row.info.name) + "` | " + std::string(row.info.trips_when) + " |\n";
  return out;
}

ReportDiff diff_reports(const Report& base, const Report& head,
                        const std::vector<std::string>& gates) {
  ReportDiff d;
  d.base_file = base.spec_file;
  d.head_file = head.spec_file;
  d.base_verdict = base.verdict();
  d.head_verdict = head.verdict();
  compare(d.summary, "verdict", std::string(to_string(d.base_verdict)),
          std::string(to_string(d.head_verdict)));
  compare(d.summary, "negotiation", std::string(to_string(base.negotiation)),
          std::string(to_string(head.negotiation)));
  compare(d.summary, "pipes", base.pipes.size(), head.pipes.size());
  compare(d.summary, "bytes_committed", total_committed(base), total_committed(head));
  if (base.simulated() && head.simulated()) {
    compare(d.summary, "latency_p99_us", base.simulation->latency_p99_us,
            head.simulation->latency_p99_us);
    compare(d.summary, "dropped", base.simulation->dropped, head.simulation->dropped);
  }

  std::map<std::string, const ReportPipe*> base_pipes, head_pipes;
  for (const auto& p : base.pipes) base_pipes.emplace(p.begin, &p);
  for (const auto& p : head.pipes) head_pipes.emplace(p.begin, &p);
  // In the head's order, then what the head lost in the base's order.
  for (const auto& p : head.pipes) {
    const auto it = base_pipes.find(p.begin);
    if (it == base_pipes.end()) {
      d.pipes.push_back({p.begin, "", p.id, "added", pipe_fields(nullptr, &p)});
      continue;
    }
    auto fields = pipe_fields(it->second, &p);
    if (!fields.empty())
      d.pipes.push_back({p.begin, it->second->id, p.id, "changed", std::move(fields)});
  }
  for (const auto& p : base.pipes)
    if (!head_pipes.count(p.begin)) d.pipes.push_back({p.begin, p.id, "", "removed", {}});

  // Formats and framing edits, matched by connection ends and by pin name: a connection or pin
  // on one side only is a topology change, which the pipes above already show.
  std::map<std::string, const ReportGraph::Connection*> base_connections;
  for (const auto& c : base.graph.connections) base_connections.emplace(c.from + " -> " + c.to, &c);
  for (const auto& c : head.graph.connections) {
    const std::string key = c.from + " -> " + c.to;
    const auto it = base_connections.find(key);
    if (it == base_connections.end()) continue;
    if (auto fields = format_fields(it->second->format, c.format); !fields.empty())
      d.formats.push_back({"connection", key, std::move(fields)});
  }
  std::map<std::string, const ReportGraph::Pin*> base_pins;
  for (const auto& f : base.graph.filters)
    for (const auto& p : f.pins) base_pins.emplace(f.name + "." + p.name, &p);
  for (const auto& f : head.graph.filters)
    for (const auto& p : f.pins) {
      const std::string key = f.name + "." + p.name;
      const auto it = base_pins.find(key);
      if (it == base_pins.end()) continue;
      if (auto fields = edit_fields(it->second->framing_edit, p.framing_edit); !fields.empty())
        d.formats.push_back({"pin", key, std::move(fields)});
    }

  auto failure_keys = [](const Report& r) {
    std::multiset<std::string> keys;
    for (const auto& f : r.failures) keys.insert(f.connection + ": " + f.reason);
    return keys;
  };
  const auto base_failures = failure_keys(base), head_failures = failure_keys(head);
  for (const auto& k : head_failures)
    if (head_failures.count(k) > base_failures.count(k) &&
        (d.new_failures.empty() || d.new_failures.back() != k))
      d.new_failures.push_back(k);
  for (const auto& k : base_failures)
    if (base_failures.count(k) > head_failures.count(k) &&
        (d.fixed_failures.empty() || d.fixed_failures.back() != k))
      d.fixed_failures.push_back(k);

  // Diagnostics as multisets: two identical findings and one fixed leaves one.
  std::map<std::string, int> base_count;
  for (const auto& x : base.diagnostics) ++base_count[diagnostic_key(x)];
  std::map<std::string, int> head_count;
  for (const auto& x : head.diagnostics) ++head_count[diagnostic_key(x)];
  std::map<std::string, int> seen;
  for (const auto& x : head.diagnostics)
    if (++seen[diagnostic_key(x)] > base_count[diagnostic_key(x)])
      d.diagnostics.push_back({"new", x});
  seen.clear();
  for (const auto& x : base.diagnostics)
    if (++seen[diagnostic_key(x)] > head_count[diagnostic_key(x)])
      d.diagnostics.push_back({"fixed", x});

  for (const auto& name : gates)
    for (const auto& row : kGates)
      if (row.info.name == name) {
        GateOutcome outcome = row.evaluate({base, head, d});
        d.gates.push_back({name, outcome.tripped, std::move(outcome.reason)});
      }
  return d;
}

namespace {

// "+2", "-1,228,800", or "" for a value that is not a number.
std::string delta(const FieldChange& f) {
  if (!f.numeric || f.base.empty() || f.head.empty()) return "";
  const std::uint64_t a = std::stoull(f.base), b = std::stoull(f.head);
  return (b >= a ? "+" : "-") + review::grouped(b >= a ? b - a : a - b);
}

std::string signed_delta(const FieldChange& f) {
  const std::string d = delta(f);
  return d.empty() ? "" : " (" + d + ")";
}

std::string shown(const FieldChange& f, const std::string& v) {
  if (v.empty()) return "—";
  return f.numeric ? review::grouped(std::stoull(v)) : v;
}

std::string pipe_title(const PipeChange& p) {
  if (p.change == "added") return p.head_id + " (added, begins at " + p.key + ")";
  if (p.change == "removed") return p.base_id + " (removed, began at " + p.key + ")";
  return (p.base_id == p.head_id ? p.head_id : p.base_id + " -> " + p.head_id) + " (begins at " +
         p.key + ")";
}

}  // namespace

std::string render_diff_text(const ReportDiff& d) {
  std::ostringstream out;
  out << "base " << d.base_file << " (" << to_string(d.base_verdict) << ") -> head " << d.head_file
      << " (" << to_string(d.head_verdict) << ")\n";
  if (d.empty()) out << "no changes in the outcome or the diagnostics\n";
  auto field_line = [&](const FieldChange& f) {
    if (f.base.empty())
      out << "  " << f.field << ": " << shown(f, f.head) << "\n";
    else
      out << "  " << f.field << ": " << shown(f, f.base) << " -> " << shown(f, f.head)
          << signed_delta(f) << "\n";
  };
  for (const auto& f : d.summary) field_line(f);
  for (const auto& p : d.pipes) {
    out << pipe_title(p) << "\n";
    for (const auto& f : p.fields) field_line(f);
  }
  for (const auto& c : d.formats) {
    out << c.subject << " " << c.key << "\n";
    for (const auto& f : c.fields) field_line(f);
  }
  for (const auto& f : d.new_failures) out << "new negotiation failure: " << f << "\n";
  for (const auto& f : d.fixed_failures) out << "fixed negotiation failure: " << f << "\n";
  for (const auto& c : d.diagnostics)
    out << c.change << ": " << location_text(c.diagnostic.location) << ": "
        << to_string(c.diagnostic.severity) << ": " << c.diagnostic.message << " ["
        << c.diagnostic.rule << "]\n";
  for (const auto& g : d.gates)
    out << "gate " << g.name << ": " << (g.tripped ? "FAILED" : "passed") << " (" << g.reason
        << ")\n";
  return out.str();
}

std::string render_diff_json(const ReportDiff& d) {
  using ojson = nlohmann::ordered_json;
  auto value = [](const std::string& s, bool numeric) -> ojson {
    if (s.empty()) return nullptr;
    return numeric ? ojson(std::stoull(s)) : ojson(s);
  };
  auto fields = [&](const std::vector<FieldChange>& fs) {
    ojson a = ojson::array();
    for (const auto& f : fs)
      a.push_back(ojson{{"field", f.field},
                        {"base", value(f.base, f.numeric)},
                        {"head", value(f.head, f.numeric)}});
    return a;
  };
  ojson pipes = ojson::array(), formats = ojson::array(), diags = ojson::array(),
        gates = ojson::array();
  for (const auto& c : d.formats)
    formats.push_back(ojson{{"subject", c.subject}, {"key", c.key}, {"fields", fields(c.fields)}});
  for (const auto& p : d.pipes)
    pipes.push_back(ojson{{"key", p.key},
                          {"base_id", p.base_id.empty() ? ojson(nullptr) : ojson(p.base_id)},
                          {"head_id", p.head_id.empty() ? ojson(nullptr) : ojson(p.head_id)},
                          {"change", p.change},
                          {"fields", fields(p.fields)}});
  for (const auto& c : d.diagnostics)
    diags.push_back(ojson{{"change", c.change},
                          {"rule", c.diagnostic.rule},
                          {"severity", to_string(c.diagnostic.severity)},
                          {"message", c.diagnostic.message},
                          {"location",
                           {{"file", c.diagnostic.location.file},
                            {"line", c.diagnostic.location.line},
                            {"column", c.diagnostic.location.column}}},
                          {"subject", c.diagnostic.subject}});
  for (const auto& g : d.gates)
    gates.push_back(ojson{{"gate", g.name}, {"tripped", g.tripped}, {"reason", g.reason}});
  const ojson doc{{"ksframe_diff", 1},
                  {"tool", {{"name", "ksframe"}, {"version", KSFRAME_VERSION}}},
                  {"base", {{"file", d.base_file}, {"verdict", to_string(d.base_verdict)}}},
                  {"head", {{"file", d.head_file}, {"verdict", to_string(d.head_verdict)}}},
                  {"summary", fields(d.summary)},
                  {"pipes", pipes},
                  {"formats", formats},
                  {"failures", {{"new", d.new_failures}, {"fixed", d.fixed_failures}}},
                  {"diagnostics", diags},
                  {"gates", gates}};
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";  // no throw on bad UTF-8
}

std::string render_diff_markdown(const ReportDiff& d) {
  std::ostringstream out;
  out << "## ksframe diff: " << review::verdict_label(d.base_verdict) << " → "
      << review::verdict_label(d.head_verdict) << "\n\n";
  out << "Base " << review::code_text(d.base_file) << ", head " << review::code_text(d.head_file)
      << ".\n\n";
  if (!d.gates.empty()) {
    out << "| Gate | Result | Why |\n|---|---|---|\n";
    for (const auto& g : d.gates)
      out << "| `" << g.name << "` | " << (g.tripped ? "**failed**" : "passed") << " | "
          << review::md(g.reason) << " |\n";
    out << "\n";
  }
  if (d.empty()) {
    out << "No changes in the outcome or the diagnostics.\n";
    return out.str();
  }
  if (!d.summary.empty() || !d.pipes.empty() || !d.formats.empty()) {
    out << "| What | Base | Head | Change |\n|---|---|---|---:|\n";
    for (const auto& f : d.summary)
      out << "| " << f.field << " | " << review::md(shown(f, f.base)) << " | "
          << review::md(shown(f, f.head)) << " | " << delta(f) << " |\n";
    for (const auto& p : d.pipes) {
      if (p.change == "removed") {
        out << "| **" << review::md(pipe_title(p)) << "** | | | removed |\n";
        continue;
      }
      for (const auto& f : p.fields)
        out << "| " << review::md(p.head_id) << " " << f.field << " | "
            << review::md(shown(f, f.base)) << " | " << review::md(shown(f, f.head)) << " | "
            << (p.change == "added" ? "added" : delta(f)) << " |\n";
    }
    for (const auto& c : d.formats)
      for (const auto& f : c.fields)
        out << "| " << review::code(c.key) << " " << f.field << " | "
            << review::md(shown(f, f.base)) << " | " << review::md(shown(f, f.head)) << " | "
            << delta(f) << " |\n";
    out << "\n";
  }
  for (const auto& f : d.new_failures)
    out << "- New negotiation failure: " << review::code_text(f) << "\n";
  for (const auto& f : d.fixed_failures)
    out << "- Fixed negotiation failure: " << review::code_text(f) << "\n";
  if (!d.new_failures.empty() || !d.fixed_failures.empty()) out << "\n";
  if (!d.diagnostics.empty()) {
    out << "| | Severity | Rule | Location | Message |\n|---|---|---|---|---|\n";
    for (const auto& c : d.diagnostics)
      out << "| " << c.change << " | " << to_string(c.diagnostic.severity) << " | `"
          << c.diagnostic.rule << "` | " << review::code(location_text(c.diagnostic.location))
          << " | " << review::md(c.diagnostic.message) << " |\n";
    out << "\n";
  }
  return out.str();
}

}  // namespace ksframe
