// The Markdown report, for a pull-request comment. It must read well in two places: rendered by
// GitHub (tables, a Mermaid flowchart, collapsed <details>) and as the plain text of an e-mail
// notification, so names go in code spans rather than being backslash-escaped.
#include <set>
#include <sstream>

#include "ksframe/report.hpp"
#include "report/report_formats.hpp"
#include "report/review_common.hpp"

namespace ksframe {
namespace {

using review::code;
using review::code_text;
using review::location_text;
using review::md;

constexpr std::size_t kMaxMermaidPins = 200;

// Mermaid label text, inside "...": Mermaid reads #name; entities there.
std::string mermaid_label(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '#':
        out += "#35;";
        break;
      case '`':
        out += "#96;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Five columns with the load verdict second: a comment on GitHub shows about five before it
// scrolls sideways, and ten put the verdict ("starved") out of sight in the last one.
void pipe_table(std::ostringstream& out, const Report& r) {
  out << "### Pipes\n\n"
         "| Pipe | Load | Frames × size (alignment) | Committed | Allocator pin (place), memory |\n"
         "|---|---|---:|---:|---|\n";
  for (const auto& p : r.pipes) {
    std::string pins;
    for (std::size_t i = 0; i < p.pins.size(); ++i) pins += (i ? " → " : "") + code(p.pins[i]);
    std::string allocator = p.allocator_pin.empty() ? md(review::allocator_summary(p))
                                                    : code(p.allocator_pin) + " (" +
                                                          md(review::allocator_summary(p)) + ")";
    std::string load = "not simulated";
    if (p.run) {
      load = "**" + std::string(to_string(p.run->verdict)) + "**";
      if (p.run->frames_needed)
        load += ": needs " + std::to_string(*p.run->frames_needed) + " frames";
      if (!p.run->reason.empty()) load += " (" + md(p.run->reason) + ")";
      load += "; peak " + std::to_string(p.run->peak_outstanding) + " outstanding";
      if (p.run->stall_time_us) load += ", stalled " + review::duration_us(p.run->stall_time_us);
      if (p.run->failures) load += ", " + std::to_string(p.run->failures) + " failed allocations";
      if (p.run->copies) load += ", " + review::grouped(p.run->copies) + " copies";
    }
    out << "| " << md(p.id) << ": " << pins << " | " << load << " | " << p.frames << " × "
        << review::grouped(p.frame_size) << " (" << p.alignment_bytes << ") | "
        << review::bytes(p.bytes_committed()) << " | " << allocator << ", " << code(p.memory_type)
        << " |\n";
  }
  out << "\n";
}

// Each source pin at its own rate: the end-to-end rate sums them, so two sources at 30 Hz read
// 60 Hz there, and only this table says whether each kept its own pace.
void sources_table(std::ostringstream& out, const Report& r) {
  if (!r.simulated() || r.simulation->sources.empty()) return;
  out << "### Sources\n\n| Source | Pipe | Achieved | Target | Produced | Dropped | When starved "
         "|\n"
         "|---|---|---:|---:|---:|---:|---|\n";
  for (const auto& s : r.simulation->sources) {
    char rates[96];
    std::snprintf(rates, sizeof rates, "%.3f Hz | %.3f Hz", s.achieved_rate_hz, s.target_rate_hz);
    out << "| " << code(s.pin) << " | " << code(s.pipe) << " | " << rates << " | "
        << review::grouped(s.produced) << " | " << review::grouped(s.dropped) << " | "
        << md(s.when_starved) << " |\n";
  }
  out << "\n";
}

// The format each connection is made on and each pin's framing edit (declared -> edited): the
// frame size of a pipe follows them, so a reviewer sees why it is what it is.
void formats_tables(std::ostringstream& out, const Report& r) {
  bool any = false;
  for (const auto& c : r.graph.connections) {
    if (!c.format) continue;
    if (!any) out << "### Formats\n\n| Connection | Ranges | Format |\n|---|---|---|\n";
    any = true;
    out << "| " << code(c.from) << " → " << code(c.to) << " | "
        << md(report_formats::format_choice_text(*c.format)) << " | "
        << md(report_formats::format_text(*c.format)) << " |\n";
  }
  if (any) out << "\n";
  bool edits = false;
  for (const auto& f : r.graph.filters)
    for (const auto& p : f.pins) {
      if (!p.framing_edit) continue;
      if (!edits)
        out << "### Framing edits\n\n| Pin | Declared → edited | Location |\n|---|---|---|\n";
      edits = true;
      out << "| " << code(f.name + "." + p.name) << " | "
          << md(report_formats::edit_text(*p.framing_edit)) << " | "
          << code(location_text(p.framing_edit->location)) << " |\n";
    }
  if (edits) out << "\n";
}

void failures_table(std::ostringstream& out, const Report& r) {
  if (r.failures.empty()) return;
  out << "### Negotiation failures\n\n| Connection | Reason | Message |\n|---|---|---|\n";
  for (const auto& f : r.failures)
    out << "| " << code(f.connection) << " | " << code(f.reason) << " | " << md(f.message)
        << " |\n";
  out << "\n";
}

void diagnostics_table(std::ostringstream& out, const Report& r) {
  const std::size_t notes = r.count(Severity::Note);
  out << "### Diagnostics\n\n";
  if (r.diagnostics.size() == notes) out << "No errors or warnings.\n\n";
  auto table = [&](bool want_notes) {
    out << "| Severity | Rule | Location | Message |\n|---|---|---|---|\n";
    for (const auto& d : r.diagnostics) {
      if ((d.severity == Severity::Note) != want_notes) continue;
      out << "| " << to_string(d.severity) << " | " << code(d.rule) << " | "
          << code(location_text(d.location)) << " | " << md(d.message)
          << (d.hint.empty() ? "" : " — " + md(d.hint)) << " |\n";
    }
  };
  if (r.diagnostics.size() > notes) {
    table(false);
    out << "\n";
  }
  if (notes) {
    out << "<details><summary>" << notes << (notes == 1 ? " note" : " notes") << "</summary>\n\n";
    table(true);
    out << "\n</details>\n\n";
  }
}

void flowchart(std::ostringstream& out, const Report& r) {
  const auto pipe_of = review::pipe_of_pins(r);
  std::map<std::string, std::string> node_of;  // "filter.pin" -> Mermaid node id
  std::vector<std::string> allocator_nodes;
  const auto allocator_pins = review::allocator_pins(r);
  out << "### Graph\n\n```mermaid\nflowchart LR\n";
  for (std::size_t f = 0; f < r.graph.filters.size(); ++f) {
    const auto& filter = r.graph.filters[f];
    const std::string title = filter.implied_consumer_of.empty()
                                  ? filter.name
                                  : "implied consumer of " + filter.implied_consumer_of;
    out << "  subgraph f" << f << "[\"" << mermaid_label(title) << "\"]\n";
    for (std::size_t p = 0; p < filter.pins.size(); ++p) {
      const std::string key = filter.name + "." + filter.pins[p].name;
      const std::string id = "f" + std::to_string(f) + "p" + std::to_string(p);
      node_of[key] = id;
      std::string label = filter.pins[p].name + (filter.pins[p].input ? " (in)" : " (out)");
      if (auto it = pipe_of.find(key); it != pipe_of.end()) label += " · " + r.pipes[it->second].id;
      if (allocator_pins.count(key)) {
        label += " · allocator";
        allocator_nodes.push_back(id);
      }
      out << "    " << id << "([\"" << mermaid_label(label) << "\"])\n";
    }
    out << "  end\n";
  }
  std::vector<std::string> link_styles;
  std::size_t link = 0;
  for (std::size_t f = 0; f < r.graph.filters.size(); ++f)
    for (const auto& [from, to] : r.graph.filters[f].routes) {
      const auto a = node_of.find(r.graph.filters[f].name + "." + from);
      const auto b = node_of.find(r.graph.filters[f].name + "." + to);
      if (a == node_of.end() || b == node_of.end()) continue;
      out << "  " << a->second << " -.-> " << b->second << "\n";
      ++link;
    }
  const auto failed = review::failed_connections(r);
  for (const auto& [from, to, format] : r.graph.connections) {
    const auto a = node_of.find(from), b = node_of.find(to);
    if (a == node_of.end() || b == node_of.end()) continue;
    const auto pipe = pipe_of.find(to);
    if (failed.count(from + " -> " + to)) {
      out << "  " << a->second << " -.->|\"cannot be negotiated\"| " << b->second << "\n";
      link_styles.push_back("  linkStyle " + std::to_string(link) +
                            " stroke:#b91c1c,stroke-width:2px\n");
    } else if (pipe != pipe_of.end()) {
      out << "  " << a->second << " -->|\"" << mermaid_label(r.pipes[pipe->second].id) << "\"| "
          << b->second << "\n";
      link_styles.push_back("  linkStyle " + std::to_string(link) + " stroke:" +
                            std::string(review::pipe_colour(pipe->second)) + ",stroke-width:2px\n");
    } else {
      out << "  " << a->second << " --> " << b->second << "\n";
    }
    ++link;
  }
  for (const auto& s : link_styles) out << s;
  if (!allocator_nodes.empty()) {
    out << "  classDef allocator stroke-width:4px,font-weight:bold\n  class ";
    for (std::size_t i = 0; i < allocator_nodes.size(); ++i)
      out << (i ? "," : "") << allocator_nodes[i];
    out << " allocator\n";
  }
  out << "```\n\n";
}

void explanations(std::ostringstream& out, const Report& r) {
  for (const auto& p : r.pipes) {
    if (p.explanation.empty()) continue;
    out << "<details><summary>Why " << md(p.id) << " looks like this</summary>\n\n";
    for (const auto& e : p.explanation) {
      out << "- **" << md(e.value) << "**: " << md(review::explanation_sentence(e));
      if (!e.locations.empty()) out << " at " << code_text(location_text(e.locations.front()));
      out << "\n";
    }
    out << "\n</details>\n\n";
  }
}

}  // namespace

std::string render_report_markdown(const Report& r) {
  std::ostringstream out;
  out << "## ksframe: "
      << (r.spec_name.value_or("").empty() ? code_text(r.spec_file) : md(*r.spec_name)) << "\n\n";
  out << "**" << md(r.verdict_line()) << "**\n\n";
  out << "Spec " << code_text(r.spec_file);
  for (std::size_t i = 0; i < r.included.size(); ++i)
    out << (i ? ", " : " (including ") << code_text(r.included[i])
        << (i + 1 == r.included.size() ? ")" : "");
  if (r.simulated()) {
    const auto& s = *r.simulation;
    char rate[96];
    std::snprintf(rate, sizeof rate, "%.3f Hz of %.3f Hz", s.achieved_rate_hz, s.target_rate_hz);
    out << "; load: seed " << s.seed << ", " << review::grouped(s.source_frames)
        << " source frames, " << md(s.allocator_mode) << " mode, " << rate << ", "
        << review::grouped(s.dropped) << " dropped, latency p50 "
        << review::duration_us(s.latency_p50_us) << ", p99 "
        << review::duration_us(s.latency_p99_us);
  }
  out << ".\n\n";
  if (!r.pipes.empty()) pipe_table(out, r);
  sources_table(out, r);
  formats_tables(out, r);
  failures_table(out, r);
  diagnostics_table(out, r);
  std::size_t pins = 0;
  for (const auto& f : r.graph.filters) pins += f.pins.size();
  // GitHub refuses to draw large Mermaid diagrams (and a comment has 65,536 characters): a big
  // graph is left to the HTML report.
  if (pins > kMaxMermaidPins)
    out << "### Graph\n\nThe graph has " << r.graph.filters.size() << " filters and " << pins
        << " pins, more than the " << kMaxMermaidPins
        << " pins drawn here; `ksframe report --format html` draws it.\n\n";
  else if (!r.graph.filters.empty())
    flowchart(out, r);
  explanations(out, r);
  out << "<sub>ksframe " << KSFRAME_VERSION << "</sub>\n";
  return out.str();
}

}  // namespace ksframe
