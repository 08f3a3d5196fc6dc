// The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external assets)
// that a reviewer opens from a CI artifact. Every string from the spec or the report goes
// through esc(); nothing is inserted raw.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "ksframe/report.hpp"
#include "report/report_formats.hpp"
#include "report/review_common.hpp"

namespace ksframe {
namespace {

using review::location_text;

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// SVG coordinates with one decimal: deterministic text for the same layout.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;margin:0 auto;max-width:1180px;padding:0 20px 40px}
h1{font-size:22px;margin:24px 0 6px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600}
.verdict.pass{background:#dff3e4;color:#14532d}.verdict.warn{background:#fdf0d5;color:#7c4a03}.verdict.fail{background:#fbe0e0;color:#7f1d1d}
.meta{color:#555}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #d8d8d8;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.pipes td:first-child{white-space:nowrap}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f3f3;padding:0 3px;border-radius:3px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.sev-error{color:#b91c1c;font-weight:600}.sev-warning{color:#a16207;font-weight:600}.sev-note{color:#475569}
svg{display:block;max-width:100%;height:auto;margin:8px 0}
svg text{font:12px system-ui,sans-serif}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
footer{margin-top:30px;color:#777;font-size:12px}
)";

// ---- the graph ---------------------------------------------------------------------------

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
  std::map<std::string, std::pair<double, double>> pin_at;  // pin name -> anchor on the edge
};

// Columns by the longest chain of connections that leads to a filter (Kahn's order, linear in
// filters + connections, so a 100k-pin graph lays out at once). Filters on a cycle never reach
// in-degree 0: they go one column after their deepest placed predecessor.
std::vector<int> filter_levels(const ReportGraph& g, const std::map<std::string, int>& index) {
  auto filter_of = [&](const std::string& pin) -> int {
    const auto it = index.find(pin.substr(0, pin.find('.')));
    return it == index.end() ? -1 : it->second;
  };
  const std::size_t n = g.filters.size();
  std::vector<std::vector<int>> next(n), prev(n);
  std::vector<int> indegree(n, 0), level(n, 0);
  for (const auto& [from, to, format] : g.connections) {
    const int a = filter_of(from), b = filter_of(to);
    if (a < 0 || b < 0 || a == b) continue;
    next[a].push_back(b);
    prev[b].push_back(a);
    ++indegree[b];
  }
  std::vector<int> queue;
  std::vector<bool> placed(n, false);
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] == 0) queue.push_back(static_cast<int>(i));
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const int a = queue[q];
    placed[a] = true;
    for (int b : next[a]) {
      level[b] = std::max(level[b], level[a] + 1);
      if (--indegree[b] == 0) queue.push_back(b);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (placed[i]) continue;
    for (int a : prev[i])
      if (placed[a]) level[i] = std::max(level[i], level[a] + 1);
  }
  return level;
}

void graph_svg(std::ostringstream& out, const Report& r) {
  const auto& g = r.graph;
  std::map<std::string, int> index;  // filter name -> position
  for (std::size_t i = 0; i < g.filters.size(); ++i)
    index.emplace(g.filters[i].name, static_cast<int>(i));
  const auto levels = filter_levels(g, index);
  const auto pipe_of = review::pipe_of_pins(r);
  const auto allocator_pins = review::allocator_pins(r);

  constexpr double kW = 190, kGapX = 110, kGapY = 28, kHeader = 30, kRow = 24, kMargin = 20;
  std::vector<Box> boxes(g.filters.size());
  std::map<int, double> column_y;
  double width = 0, height = 0;
  for (std::size_t f = 0; f < g.filters.size(); ++f) {
    const auto& filter = g.filters[f];
    std::size_t ins = 0, outs = 0;
    for (const auto& p : filter.pins) (p.input ? ins : outs)++;
    Box& b = boxes[f];
    b.w = kW;
    b.h = kHeader + static_cast<double>(std::max<std::size_t>(1, std::max(ins, outs))) * kRow + 8;
    b.x = kMargin + levels[f] * (kW + kGapX);
    double& y = column_y[levels[f]];
    if (y == 0) y = kMargin;
    b.y = y;
    y += b.h + kGapY;
    std::size_t in_row = 0, out_row = 0;
    for (const auto& p : filter.pins) {
      const std::size_t row = p.input ? in_row++ : out_row++;
      b.pin_at[p.name] = {p.input ? b.x : b.x + b.w,
                          b.y + kHeader + static_cast<double>(row) * kRow + kRow / 2};
    }
    width = std::max(width, b.x + b.w + kMargin);
    height = std::max(height, b.y + b.h + kMargin);
  }
  const double legend_y = height + 4;
  height = legend_y + 24;
  width = std::max(width, 520.0);

  out << "<svg id=\"graph\" class=\"graph\" role=\"img\" aria-label=\"filter graph\" "
         "xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << num(width) << "\" height=\"" << num(height) << "\" viewBox=\"0 0 " << num(width) << " "
      << num(height) << "\">\n";
  out << "<title>Filters, pins and pipes</title>\n";
  auto anchor = [&](const std::string& pin) -> const std::pair<double, double>* {
    const auto dot = pin.find('.');
    if (dot == std::string::npos) return nullptr;
    const auto f = index.find(pin.substr(0, dot));
    if (f == index.end()) return nullptr;
    const auto it = boxes[f->second].pin_at.find(pin.substr(dot + 1));
    return it == boxes[f->second].pin_at.end() ? nullptr : &it->second;
  };
  // Boxes first, so the connections are drawn on top of them.
  for (std::size_t f = 0; f < g.filters.size(); ++f) {
    const Box& b = boxes[f];
    const auto& filter = g.filters[f];
    // An implied consumer (the loader's stand-in for what takes an unconnected pin's frames) is
    // drawn dashed, with a tooltip, so it is not mistaken for a filter the spec describes.
    const bool implied = !filter.implied_consumer_of.empty();
    out << "<g class=\"filter" << (implied ? " implied" : "") << "\"><rect x=\"" << num(b.x)
        << "\" y=\"" << num(b.y) << "\" width=\"" << num(b.w) << "\" height=\"" << num(b.h)
        << "\" rx=\"6\" fill=\"#fafafa\" stroke=\"#888\""
        << (implied ? " stroke-dasharray=\"5 4\"><title>implied consumer of " +
                          esc(filter.implied_consumer_of) +
                          " (the spec connects it to nothing)</title></rect>\n"
                    : std::string("/>\n"));
    out << "<text x=\"" << num(b.x + b.w / 2) << "\" y=\"" << num(b.y + 19)
        << "\" text-anchor=\"middle\" font-weight=\"600\">" << esc(filter.name) << "</text>\n";
    for (const auto& [from, to] : filter.routes) {
      const auto a = b.pin_at.find(from), c = b.pin_at.find(to);
      if (a == b.pin_at.end() || c == b.pin_at.end()) continue;
      out << "<path class=\"route\" d=\"M" << num(a->second.first + 8) << " "
          << num(a->second.second) << " L" << num(c->second.first - 8) << " "
          << num(c->second.second)
          << "\" stroke=\"#999\" stroke-dasharray=\"4 3\" fill=\"none\"/>\n";
    }
    out << "</g>\n";
  }
  const auto failed = review::failed_connections(r);
  for (const auto& [from, to, format] : g.connections) {
    const auto* a = anchor(from);
    const auto* b = anchor(to);
    if (!a || !b) continue;
    const auto pipe = pipe_of.find(to);
    const bool failing = failed.count(from + " -> " + to) > 0;
    const std::string colour = failing ? "#b91c1c\" stroke-dasharray=\"7 4"
                               : pipe == pipe_of.end()
                                   ? "#9ca3af"
                                   : std::string(review::pipe_colour(pipe->second));
    const double dx = std::max(40.0, std::abs(b->first - a->first) / 2);
    out << "<path class=\"connection\" d=\"M" << num(a->first) << " " << num(a->second) << " C"
        << num(a->first + dx) << " " << num(a->second) << " " << num(b->first - dx) << " "
        << num(b->second) << " " << num(b->first) << " " << num(b->second) << "\" stroke=\""
        << colour << "\" stroke-width=\"2.5\" fill=\"none\">"
        << "<title>" << esc(from) << " → " << esc(to)
        << (failing                 ? std::string(" (cannot be negotiated)")
            : pipe == pipe_of.end() ? std::string(" (in no pipe)")
                                    : " (" + esc(r.pipes[pipe->second].id) + ")")
        << "</title></path>\n";
  }
  for (std::size_t f = 0; f < g.filters.size(); ++f) {
    const Box& b = boxes[f];
    for (const auto& p : g.filters[f].pins) {
      const auto [x, y] = b.pin_at.at(p.name);
      const std::string key = g.filters[f].name + "." + p.name;
      const auto pipe = pipe_of.find(key);
      const std::string colour =
          pipe == pipe_of.end() ? "#d1d5db" : std::string(review::pipe_colour(pipe->second));
      const bool allocator = allocator_pins.count(key) > 0;
      out << "<g class=\"pin" << (allocator ? " allocator-pin" : "") << "\">";
      if (allocator)  // a diamond: the pin that provides the pipe's allocator
        out << "<path d=\"M" << num(x) << " " << num(y - 10) << " L" << num(x + 10) << " " << num(y)
            << " L" << num(x) << " " << num(y + 10) << " L" << num(x - 10) << " " << num(y)
            << " Z\" fill=\"" << colour << "\" stroke=\"#111\" stroke-width=\"2\"/>";
      else
        out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"6\" fill=\"" << colour
            << "\" stroke=\"#333\"/>";
      out << "<text x=\"" << num(p.input ? x + 14 : x - 14) << "\" y=\"" << num(y + 4)
          << "\" text-anchor=\"" << (p.input ? "start" : "end") << "\">" << esc(p.name)
          << "</text>";
      out << "<title>" << esc(key) << (p.input ? " (in)" : " (out)")
          << (pipe == pipe_of.end() ? std::string(", in no pipe")
                                    : ", " + esc(r.pipes[pipe->second].id))
          << (allocator ? ", allocator pin" : "") << "</title></g>\n";
    }
  }
  // Legend: one swatch per pipe, and the allocator mark.
  double lx = kMargin;
  out << "<g class=\"legend\">";
  for (std::size_t i = 0; i < r.pipes.size(); ++i) {
    out << "<rect x=\"" << num(lx) << "\" y=\"" << num(legend_y + 4)
        << "\" width=\"14\" height=\"10\" fill=\"" << review::pipe_colour(i) << "\"/><text x=\""
        << num(lx + 19) << "\" y=\"" << num(legend_y + 13) << "\">" << esc(r.pipes[i].id)
        << "</text>";
    lx += 30 + 7.5 * static_cast<double>(r.pipes[i].id.size());
  }
  out << "<path d=\"M" << num(lx + 7) << " " << num(legend_y + 2) << " L" << num(lx + 14) << " "
      << num(legend_y + 9) << " L" << num(lx + 7) << " " << num(legend_y + 16) << " L" << num(lx)
      << " " << num(legend_y + 9)
      << " Z\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"2\"/><text x=\"" << num(lx + 20)
      << "\" y=\"" << num(legend_y + 13) << "\">allocator pin</text></g>\n";
  out << "</svg>\n";
}

// ---- the chart of frames outstanding -------------------------------------------------------

// Tick step of 1, 2 or 5 times a power of ten giving at most `count` ticks up to `max`.
double tick_step(double max, int count) {
  if (max <= 0) return 1;
  const double raw = max / count, power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

// Small multiples: one panel per pipe, each on its own y scale (a starved 2-frame pipe would be
// flattened under a 25-frame one on a shared axis), all on one time axis so panels line up.
// Each panel marks the pipe's negotiated frame count (dashed, labelled), its verdict in the
// heading, and where a deadlocked pipe stuck.
void chart_svg(std::ostringstream& out, const Report& r) {
  std::uint64_t end_us = 0;
  for (const auto& p : r.pipes)
    if (p.run) end_us = std::max(end_us, p.run->timeline_bucket_us * p.run->timeline.size());
  if (end_us == 0) {
    out << "<p>The simulation recorded no frames.</p>\n";
    return;
  }
  const double W = 760, left = 56, right = 16, panel_h = 150, head = 22, ph = panel_h - head - 12,
               axis_h = 60;
  const double pw = W - left - right;
  const double seconds = static_cast<double>(end_us) / 1e6;
  auto X = [&](double s) { return left + pw * s / seconds; };
  const double full_h = 8 + panel_h * static_cast<double>(r.pipes.size()) + axis_h;
  out << "<svg id=\"chart\" class=\"chart\" role=\"img\" aria-label=\"frames outstanding over "
         "time\" "
         "xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << num(W) << "\" height=\"" << num(full_h) << "\" viewBox=\"0 0 " << num(W) << " "
      << num(full_h) << "\">\n";
  out << "<title>Frames outstanding over simulated time, one panel per allocator, each on its own "
         "scale</title>\n";
  const double xs = tick_step(seconds, 8);
  for (std::size_t i = 0; i < r.pipes.size(); ++i) {
    const auto& p = r.pipes[i];
    const auto colour = review::pipe_colour(i);
    const double top = 8 + panel_h * static_cast<double>(i) + head, bottom = top + ph;
    out << "<g class=\"panel\" data-pipe=\"" << esc(p.id) << "\">";
    out << "<text class=\"panel-title\" x=\"" << num(left) << "\" y=\"" << num(top - 8)
        << "\"><tspan fill=\"" << colour << "\" font-weight=\"bold\">" << esc(p.id) << "</tspan> ("
        << esc(p.allocator_pin.empty() ? "no allocator" : p.allocator_pin) << ", "
        << esc(p.run ? to_string(p.run->allocator) : "not run") << " allocator): " << p.frames
        << " negotiated frames"
        << (p.run ? "; load verdict " + esc(to_string(p.run->verdict)) : std::string())
        << "</text>\n";
    std::uint64_t y_max = std::max<std::uint64_t>(1, p.frames);
    if (p.run)
      for (auto v : p.run->timeline) y_max = std::max<std::uint64_t>(y_max, v);
    const double y_top = static_cast<double>(y_max) + 1;
    auto Y = [&](double v) { return bottom - ph * v / y_top; };
    out << "<g class=\"axes\" stroke=\"#444\"><line class=\"x-axis\" x1=\"" << num(left)
        << "\" y1=\"" << num(bottom) << "\" x2=\"" << num(left + pw) << "\" y2=\"" << num(bottom)
        << "\"/><line class=\"y-axis\" x1=\"" << num(left) << "\" y1=\"" << num(top) << "\" x2=\""
        << num(left) << "\" y2=\"" << num(bottom) << "\"/></g>\n";
    out << "<g class=\"ticks\" fill=\"#333\">";
    const double ys = std::max(1.0, tick_step(y_top, 4));
    for (double v = 0; v <= y_top + 1e-9; v += ys)
      out << "<line x1=\"" << num(left) << "\" y1=\"" << num(Y(v)) << "\" x2=\"" << num(left + pw)
          << "\" y2=\"" << num(Y(v)) << "\" stroke=\"#eee\"/><text x=\"" << num(left - 8)
          << "\" y=\"" << num(Y(v) + 4) << "\" text-anchor=\"end\">"
          << static_cast<std::uint64_t>(v) << "</text>";
    for (double s = 0; s <= seconds + 1e-9; s += xs)
      out << "<line x1=\"" << num(X(s)) << "\" y1=\"" << num(bottom) << "\" x2=\"" << num(X(s))
          << "\" y2=\"" << num(bottom + 4) << "\" stroke=\"#444\"/>";
    out << "</g>\n";
    if (!p.run || p.run->timeline.empty()) {
      out << "<text x=\"" << num(left + pw / 2) << "\" y=\"" << num(top + ph / 2)
          << "\" text-anchor=\"middle\">" << (p.run ? "no frames" : "not simulated")
          << "</text></g>\n";
      continue;
    }
    const double step = static_cast<double>(p.run->timeline_bucket_us) / 1e6;
    auto steps = [&](auto value) {
      std::string points;
      for (std::size_t b = 0; b < p.run->timeline.size(); ++b) {
        const double v = value(b), t = static_cast<double>(b) * step;
        points += num(X(t)) + "," + num(Y(v)) + " " + num(X(t + step)) + "," + num(Y(v)) + " ";
      }
      return points;
    };
    out << "<polyline class=\"series-max\" data-pipe=\"" << esc(p.id)
        << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"1\" opacity=\"0.35\" points=\""
        << steps([&](std::size_t b) { return static_cast<double>(p.run->timeline[b]); })
        << "\"><title>" << esc(p.id) << ": highest frames outstanding in each "
        << esc(review::duration_us(p.run->timeline_bucket_us)) << "</title></polyline>\n";
    out << "<polyline class=\"series\" data-pipe=\"" << esc(p.id) << "\" fill=\"none\" stroke=\""
        << colour << "\" stroke-width=\"2\" points=\"" << steps([&](std::size_t b) {
             return b < p.run->timeline_mean.size() ? p.run->timeline_mean[b] : 0.0;
           })
        << "\"><title>" << esc(p.id) << ": mean frames outstanding over each "
        << esc(review::duration_us(p.run->timeline_bucket_us)) << "</title></polyline>\n";
    const double limit = Y(static_cast<double>(p.frames));
    out << "<line class=\"frames-limit\" x1=\"" << num(left) << "\" y1=\"" << num(limit)
        << "\" x2=\"" << num(left + pw) << "\" y2=\"" << num(limit) << "\" stroke=\"" << colour
        << "\" stroke-dasharray=\"6 4\" opacity=\"0.7\"/>"
        << "<text class=\"frames-label\" x=\"" << num(left + pw) << "\" y=\"" << num(limit + 14)
        << "\" text-anchor=\"end\" fill=\"" << colour << "\">" << p.frames
        << " negotiated</text>\n";
    if (p.run->deadlock)  // where a deadlocked pipe stopped moving
      out << "<line class=\"deadlock\" data-pipe=\"" << esc(p.id) << "\" x1=\""
          << num(X(static_cast<double>(p.run->deadlock->stuck_at_us) / 1e6)) << "\" y1=\""
          << num(top) << "\" x2=\""
          << num(X(static_cast<double>(p.run->deadlock->stuck_at_us) / 1e6)) << "\" y2=\""
          << num(bottom) << "\" stroke=\"" << colour << "\" stroke-width=\"2\"><title>" << esc(p.id)
          << " deadlocked at " << esc(review::duration_us(p.run->deadlock->stuck_at_us))
          << "</title></line>\n";
    out << "</g>\n";
  }
  // The shared time axis under the last panel.
  const double axis_y = 8 + panel_h * static_cast<double>(r.pipes.size()) - 12;
  out << "<g class=\"ticks\" fill=\"#333\">";
  for (double s = 0; s <= seconds + 1e-9; s += xs) {
    char label[32];
    std::snprintf(label, sizeof label, xs < 0.001 ? "%.4g" : xs < 1 ? "%.3g" : "%.0f", s);
    out << "<text x=\"" << num(X(s)) << "\" y=\"" << num(axis_y + 18)
        << "\" text-anchor=\"middle\">" << label << "</text>";
  }
  out << "</g>\n<text x=\"" << num(left + pw / 2) << "\" y=\"" << num(axis_y + 36)
      << "\" text-anchor=\"middle\">simulated time (s)</text>\n";
  out << "<text class=\"key\" x=\"" << num(left) << "\" y=\"" << num(axis_y + 56)
      << "\" font-size=\"12\">"
         "Each pipe on its own scale. Line: mean frames outstanding; faint: highest; dashed: "
         "negotiated frames.</text>\n";
  out << "<text transform=\"translate(14 "
      << num(8 + panel_h * static_cast<double>(r.pipes.size()) / 2)
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">frames "
         "outstanding</text>\n</svg>\n";
}

// ---- tables -------------------------------------------------------------------------------

void pipes_table(std::ostringstream& out, const Report& r) {
  out << "<table class=\"pipes\"><thead><tr><th>Pipe</th><th>Pins</th><th>Allocator pin "
         "(place)</th>"
         "<th>Memory type</th><th>Bus</th><th>Frames</th><th>Frame "
         "size</th><th>Alignment</th><th>Committed</th>"
         "<th>Load</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < r.pipes.size(); ++i) {
    const auto& p = r.pipes[i];
    out << "<tr><td><span class=\"swatch\" style=\"background:" << review::pipe_colour(i)
        << "\"></span>" << esc(p.id) << "</td><td>";
    for (std::size_t m = 0; m < p.pins.size(); ++m)
      out << (m ? " → " : "") << "<code>" << esc(p.pins[m]) << "</code>";
    out << "</td><td>"
        << (p.allocator_pin.empty() ? esc(review::allocator_summary(p))
                                    : "<code>" + esc(p.allocator_pin) + "</code> (" +
                                          esc(review::allocator_summary(p)) + ")")
        << "</td><td><code>" << esc(p.memory_type) << "</code></td><td><code>" << esc(p.bus_type)
        << "</code></td><td class=\"n\">" << p.frames << "</td><td class=\"n\">"
        << review::grouped(p.frame_size) << "</td><td class=\"n\">" << p.alignment_bytes
        << "</td><td class=\"n\">" << esc(review::bytes(p.bytes_committed())) << "</td><td>";
    if (!p.run) {
      out << "not simulated";
    } else {
      out << "<b>" << esc(to_string(p.run->verdict)) << "</b>";
      if (p.run->frames_needed) out << ": needs " << *p.run->frames_needed << " frames";
      if (!p.run->reason.empty()) out << " (" << esc(p.run->reason) << ")";
      out << "<br>peak " << p.run->peak_outstanding << " outstanding, "
          << review::grouped(p.run->allocations) << " allocations";
      if (p.run->stall_time_us)
        out << ", stalled " << esc(review::duration_us(p.run->stall_time_us));
      if (p.run->failures) out << ", " << p.run->failures << " failed";
      if (p.run->dropped) out << ", " << review::grouped(p.run->dropped) << " dropped";
      if (p.run->copies) out << ", " << review::grouped(p.run->copies) << " copies";
    }
    out << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

// Each source pin at its own rate (the end-to-end rate above sums them).
void sources_table(std::ostringstream& out, const Report& r) {
  if (!r.simulated() || r.simulation->sources.empty()) return;
  out << "<h2>Sources</h2>\n<table "
         "class=\"sources\"><thead><tr><th>Source</th><th>Pipe</th><th>Achieved</th>"
         "<th>Target</th><th>Produced</th><th>Dropped</th><th>When "
         "starved</th></tr></thead><tbody>\n";
  for (const auto& s : r.simulation->sources) {
    char rates[128];
    std::snprintf(rates, sizeof rates, "%.3f Hz</td><td class=\"n\">%.3f Hz", s.achieved_rate_hz,
                  s.target_rate_hz);
    out << "<tr><td><code>" << esc(s.pin) << "</code></td><td>" << esc(s.pipe)
        << "</td><td class=\"n\">" << rates << "</td><td class=\"n\">"
        << review::grouped(s.produced) << "</td><td class=\"n\">" << review::grouped(s.dropped)
        << "</td><td>" << esc(s.when_starved) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

// The format each connection is made on and each pin's framing edit (declared -> edited).
void formats_tables(std::ostringstream& out, const Report& r) {
  bool any = false;
  for (const auto& c : r.graph.connections) {
    if (!c.format) continue;
    if (!any)
      out << "<h2>Formats</h2>\n<table "
             "class=\"formats\"><thead><tr><th>Connection</th><th>Ranges</th>"
             "<th>Format</th></tr></thead><tbody>\n";
    any = true;
    out << "<tr><td><code>" << esc(c.from) << "</code> → <code>" << esc(c.to) << "</code></td><td>"
        << esc(report_formats::format_choice_text(*c.format)) << "</td><td>"
        << esc(report_formats::format_text(*c.format)) << "</td></tr>\n";
  }
  if (any) out << "</tbody></table>\n";
  bool edits = false;
  for (const auto& f : r.graph.filters)
    for (const auto& p : f.pins) {
      if (!p.framing_edit) continue;
      if (!edits)
        out << "<h2>Framing edits</h2>\n<table "
               "class=\"framing-edits\"><thead><tr><th>Pin</th><th>Declared → edited</th>"
               "<th>Location</th></tr></thead><tbody>\n";
      edits = true;
      out << "<tr><td><code>" << esc(f.name + "." + p.name) << "</code></td><td>"
          << esc(report_formats::edit_text(*p.framing_edit)) << "</td><td><code>"
          << esc(location_text(p.framing_edit->location)) << "</code></td></tr>\n";
    }
  if (edits) out << "</tbody></table>\n";
}

void diagnostics_table(std::ostringstream& out, const Report& r) {
  if (r.diagnostics.empty()) {
    out << "<p>No diagnostics.</p>\n";
    return;
  }
  out << "<table "
         "class=\"diagnostics\"><thead><tr><th>Severity</th><th>Rule</th><th>Location</"
         "th><th>Message</th>"
         "</tr></thead><tbody>\n";
  for (const auto& d : r.diagnostics) {
    out << "<tr><td class=\"sev-" << to_string(d.severity) << "\">" << to_string(d.severity)
        << "</td><td><code>" << esc(d.rule) << "</code></td><td><code>"
        << esc(location_text(d.location)) << "</code></td><td>" << esc(d.message);
    if (!d.hint.empty()) out << "<br><i>" << esc(d.hint) << "</i>";
    out << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

}  // namespace

std::string render_report_html(const Report& r) {
  std::ostringstream out;
  const std::string title =
      "ksframe: " + (r.spec_name.value_or("").empty() ? r.spec_file : *r.spec_name);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
         "'unsafe-inline'\">\n"
         "<title>"
      << esc(title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<h1>" << esc(title) << "</h1>\n";
  out << "<p><span class=\"verdict " << esc(to_string(r.verdict())) << "\" id=\"verdict\">"
      << esc(r.verdict_line()) << "</span></p>\n";
  out << "<p class=\"meta\">Spec <code>" << esc(r.spec_file) << "</code>";
  for (std::size_t i = 0; i < r.included.size(); ++i)
    out << (i ? ", " : " (including ") << "<code>" << esc(r.included[i]) << "</code>"
        << (i + 1 == r.included.size() ? ")" : "");
  if (r.simulated()) {
    const auto& s = *r.simulation;
    char rate[96];
    std::snprintf(rate, sizeof rate, "%.3f Hz achieved of %.3f Hz", s.achieved_rate_hz,
                  s.target_rate_hz);
    out << " · load: seed " << s.seed << ", " << review::grouped(s.source_frames)
        << " source frames, " << esc(s.allocator_mode) << " mode, " << rate << ", "
        << review::grouped(s.dropped) << " dropped, latency p50 "
        << esc(review::duration_us(s.latency_p50_us)) << ", p95 "
        << esc(review::duration_us(s.latency_p95_us)) << ", p99 "
        << esc(review::duration_us(s.latency_p99_us)) << ", max "
        << esc(review::duration_us(s.latency_max_us));
  } else if (!r.simulation_error.empty()) {
    out << " · not simulated: " << esc(r.simulation_error);
  }
  out << "</p>\n";
  if (!r.graph.filters.empty()) {
    out << "<h2>Graph</h2>\n";
    graph_svg(out, r);
  }
  out << "<h2>Pipes</h2>\n";
  if (r.pipes.empty())
    out << "<p>No pipes were formed.</p>\n";
  else
    pipes_table(out, r);
  sources_table(out, r);
  formats_tables(out, r);
  if (!r.failures.empty()) {
    out << "<h2>Negotiation failures</h2>\n<table "
           "class=\"failures\"><thead><tr><th>Connection</th><th>Reason</th>"
           "<th>Message</th></tr></thead><tbody>\n";
    for (const auto& f : r.failures)
      out << "<tr><td><code>" << esc(f.connection) << "</code></td><td><code>" << esc(f.reason)
          << "</code></td><td>" << esc(f.message) << "</td></tr>\n";
    out << "</tbody></table>\n";
  }
  out << "<h2>Diagnostics</h2>\n";
  diagnostics_table(out, r);
  if (r.simulated()) {
    out << "<h2>Frames outstanding over time</h2>\n";
    chart_svg(out, r);
  }
  bool any_explanation = false;
  for (const auto& p : r.pipes) any_explanation = any_explanation || !p.explanation.empty();
  if (any_explanation) {
    out << "<h2>Why each value</h2>\n";
    for (const auto& p : r.pipes) {
      out << "<details><summary>" << esc(p.id) << "</summary>\n<ul>\n";
      for (const auto& e : p.explanation) {
        out << "<li><b>" << esc(e.value) << "</b>: " << esc(review::explanation_sentence(e));
        if (!e.locations.empty())
          out << " at <code>" << esc(location_text(e.locations.front())) << "</code>";
        out << "</li>\n";
      }
      out << "</ul>\n</details>\n";
    }
  }
  out << "<footer>ksframe " << KSFRAME_VERSION << "</footer>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace ksframe
