// ksframe explore: the sweep, its parsing and its three renderers.
#include "ksframe/explore.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "ksframe/report.hpp"
#include "ksframe/spec.hpp"
#include "util/text.hpp"
#include "util/words.hpp"

namespace ksframe {
namespace {

constexpr std::string_view kRowStatusWords[] = {"ok", "errors", "negotiation_failed"};

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<Vary> parse_vary(const std::string& argument, std::uint64_t max_values,
                               std::string* error) {
  const auto eq = argument.find('=');
  if (eq == std::string::npos || eq == 0) {
    *error = "--vary " + text::quote(argument) +
             " is not PATH=VALUES (e.g. camera.capture.framing_ex.items[0].frames=2..6)";
    return std::nullopt;
  }
  Vary v{argument.substr(0, eq), {}};
  const std::string values = argument.substr(eq + 1);
  if (values.empty()) {
    *error = "--vary " + text::quote(v.path) + " has no values";
    return std::nullopt;
  }
  if (const auto dots = values.find("..");
      dots != std::string::npos && values.find(',') == std::string::npos) {
    const auto colon = values.find(':', dots);
    const auto lo = parse_u64(values.substr(0, dots));
    const auto hi = parse_u64(
        values.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2));
    const auto step = colon == std::string::npos ? std::optional<std::uint64_t>(1)
                                                 : parse_u64(values.substr(colon + 1));
    if (!lo || !hi || !step) {
      *error = "--vary " + text::quote(v.path) + ": " + text::quote(values) +
               " is not a range of unsigned integers a..b or a..b:step";
      return std::nullopt;
    }
    if (*lo > *hi) {
      *error = "--vary " + text::quote(v.path) + ": the range " + text::quote(values) +
               " is empty (" + std::to_string(*lo) + " > " + std::to_string(*hi) + ")";
      return std::nullopt;
    }
    if (*step == 0) {
      *error = "--vary " + text::quote(v.path) + ": the step of " + text::quote(values) + " is 0";
      return std::nullopt;
    }
    // The count is span + 1, which is 2^64 for 0..18446744073709551615 and wrapped to 0 (an
    // empty sweep, exit 0): compared as the span, written out without computing it in 64 bits.
    const std::uint64_t span = (*hi - *lo) / *step;
    if (span >= max_values) {
      const std::string shown =
          span == UINT64_MAX ? "18446744073709551616" : std::to_string(span + 1);
      *error = "--vary " + text::quote(v.path) + ": " + text::quote(values) + " has " + shown +
               " values, more than the " + std::to_string(max_values) + " --max-runs allows";
      return std::nullopt;
    }
    const std::uint64_t count = span + 1;
    for (std::uint64_t i = 0; i < count; ++i) v.values.push_back(std::to_string(*lo + i * *step));
    return v;
  }
  std::size_t start = 0;
  while (true) {
    const auto comma = values.find(',', start);
    std::string item =
        values.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) {
      *error = "--vary " + text::quote(v.path) + ": empty value in " + text::quote(values);
      return std::nullopt;
    }
    v.values.push_back(std::move(item));
    if (v.values.size() > max_values) {
      *error = "--vary " + text::quote(v.path) + " has more than the " +
               std::to_string(max_values) + " values --max-runs allows";
      return std::nullopt;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return v;
}

std::string_view to_string(RowStatus status) { return words::of(kRowStatusWords, status); }

std::uint64_t combination_count(const std::vector<Vary>& vary) {
  std::uint64_t n = 1;
  for (const auto& v : vary) {
    if (v.values.empty()) return 0;
    if (n > std::numeric_limits<std::uint64_t>::max() / v.values.size())
      return std::numeric_limits<std::uint64_t>::max();
    n *= v.values.size();
  }
  return n;
}

namespace {

// The values of combination `index`: the first --vary is the outermost loop.
std::vector<std::string> combination(const std::vector<Vary>& vary, std::uint64_t index) {
  std::vector<std::string> values(vary.size());
  for (std::size_t i = vary.size(); i-- > 0;) {
    values[i] = vary[i].values[index % vary[i].values.size()];
    index /= vary[i].values.size();
  }
  return values;
}

// One combination's spec: the file with --set applied, then each --vary's value.
LoadResult load_combination(const SourceFile& file, const std::vector<Vary>& vary,
                            const ExploreOptions& o, const std::vector<std::string>& values,
                            std::string* override_error) {
  LoadOptions load;
  load.overrides = o.overrides;
  for (std::size_t i = 0; i < vary.size(); ++i)
    load.overrides.push_back(vary[i].path + "=" + values[i]);
  LoadResult loaded = load_spec(file, load);
  if (const auto& e = loaded.override_error) {
    // Name the option the user wrote: the --set ones come first, then one per --vary (shown by
    // its path: the path is what fails, for every value).
    if (e->index < o.overrides.size()) {
      *override_error = e->message("--set");
    } else {
      OverrideError shown = *e;
      shown.assignment = vary[e->index - o.overrides.size()].path;
      *override_error = shown.message("--vary");
    }
  }
  return loaded;
}

// A --vary path whose last key the spec format does not know (a typo: `items[0].frame`) would
// make every row an error: it is refused before anything runs. Found as an unknown-key
// finding (KSF0008) that the spec with only the --set overrides does not have.
std::string path_not_applying(const SourceFile& file, const std::vector<Vary>& vary,
                              const ExploreOptions& o, const LoadResult& first) {
  LoadOptions base_options;
  base_options.overrides = o.overrides;
  const LoadResult base = load_spec(file, base_options);
  auto known = [&](const Diagnostic& d) {
    for (const auto& b : base.diagnostics)
      if (b.rule == d.rule && b.message == d.message) return true;
    return false;
  };
  for (const auto& d : first.diagnostics) {
    if (d.rule != "KSF0008" || known(d)) continue;
    for (const auto& v : vary) {
      const std::string key = v.path.substr(v.path.find_last_of('.') + 1);
      if (d.message.find(text::quote(key)) == std::string::npos) continue;
      return "--vary " + v.path + ": " + d.message + (d.hint.empty() ? "" : "; " + d.hint);
    }
  }
  return "";
}

ExploreRow run_one(const SourceFile& file, const std::vector<Vary>& vary, const ExploreOptions& o,
                   std::uint64_t index, std::string* override_error) {
  ExploreRow row;
  row.values = combination(vary, index);
  LoadResult loaded = load_combination(file, vary, o, row.values, override_error);
  if (!override_error->empty()) return row;
  auto count_of = [&](const Diagnostics& ds) {
    for (const auto& d : ds) {
      row.errors += d.severity == Severity::Error;
      row.warnings += d.severity == Severity::Warning;
      if (d.severity == Severity::Error && row.first_error.empty())
        row.first_error = d.location.file + ":" + std::to_string(d.location.line) + ":" +
                          std::to_string(d.location.column) + ": " + d.message + " [" + d.rule +
                          "]";
    }
  };
  if (!loaded.spec || has_errors(loaded.diagnostics)) {
    count_of(loaded.diagnostics);
    row.status = RowStatus::Errors;
    row.verdict = Verdict::Fail;
    return row;
  }
  SimulateOptions so = o.simulate;
  so.progress = nullptr;
  const Job job = run_job(*loaded.spec, loaded.diagnostics, so);
  count_of(job.diagnostics);
  row.status = !job.negotiation.ok ? RowStatus::NegotiationFailed
               : row.errors        ? RowStatus::Errors
                                   : RowStatus::Ok;
  for (const auto& p : job.negotiation.pipes) {
    ExplorePipe ep;
    ep.id = p.id;
    ep.allocator_pin = p.allocator >= 0 ? p.members[p.allocator].name : "";
    ep.place = to_string(p.place);
    ep.frames = p.frames;
    ep.frame_size = p.frame_size;
    ep.bytes_committed = std::uint64_t{p.frames} * p.frame_size;
    for (const auto& m : job.simulation.pipes)
      if (m.id == p.id) {
        ep.stall_time_us = m.stall_time_us;
        ep.peak_outstanding = m.peak_outstanding;
        ep.verdict = m.verdict;
        if (m.frames_needed) ep.frames_needed = *m.frames_needed;
      }
    row.pipes.push_back(std::move(ep));
  }
  row.latency_p99_us = job.simulation.latency_p99_us;
  row.dropped = job.simulation.dropped;
  row.verdict = make_report(*loaded.spec, job).verdict();
  return row;
}

}  // namespace

ExploreResult explore(const SourceFile& file, const std::vector<Vary>& vary,
                      const ExploreOptions& o) {
  ExploreResult result;
  result.vary = vary;
  const std::uint64_t total = combination_count(vary);
  if (total == 0) return result;
  result.rows.resize(total);
  // Paths are the same in every combination: one that does not apply is found by loading the
  // first combination, before any worker starts (a load is ~2% of a run).
  const LoadResult first = load_combination(file, vary, o, combination(vary, 0), &result.error);
  if (result.error.empty()) result.error = path_not_applying(file, vary, o, first);
  if (!result.error.empty()) {
    result.rows.clear();
    return result;
  }
  std::atomic<std::uint64_t> next{0}, done{0};
  std::mutex mutex;
  std::condition_variable progressed;
  std::string worker_error;
  auto work = [&] {
    for (std::uint64_t i = next++; i < total; i = next++) {
      std::string err;
      ExploreRow row = run_one(file, vary, o, i, &err);
      std::lock_guard lock(mutex);
      if (!err.empty() && worker_error.empty()) worker_error = err;
      result.rows[i] = std::move(row);  // its own slot: the order is the combination order
      ++done;
      progressed.notify_one();
    }
  };
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::uint64_t>(jobs, total));
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) workers.emplace_back(work);
  if (o.progress) {
    std::unique_lock lock(mutex);
    while (done < total) {
      o.progress(done, total);
      progressed.wait(lock);
    }
    o.progress(total, total);
  }
  for (auto& t : workers) t.join();
  if (!worker_error.empty()) {
    result.error = worker_error;
    result.rows.clear();
  }
  return result;
}

namespace {

// Per-pipe values of a row, one per pipe joined by '/', so a two-pipe spec reads "4/6".
template <typename F>
std::string per_pipe(const ExploreRow& row, F value) {
  std::string s;
  for (std::size_t i = 0; i < row.pipes.size(); ++i) s += (i ? "/" : "") + value(row.pipes[i]);
  return s.empty() ? "-" : s;
}

std::vector<std::string> header(const ExploreResult& r) {
  std::vector<std::string> h;
  for (const auto& v : r.vary) h.push_back(v.path);
  for (const char* c : {"status", "allocator", "frames", "frame_size", "bytes_committed",
                        "stall_us", "latency_p99_us", "verdict"})
    h.push_back(c);
  return h;
}

std::vector<std::string> cells(const ExploreRow& row) {
  std::vector<std::string> c = row.values;
  c.push_back(std::string(to_string(row.status)));
  c.push_back(per_pipe(row, [](const ExplorePipe& p) {
    return p.allocator_pin.empty() ? std::string("none") : p.allocator_pin;
  }));
  c.push_back(per_pipe(row, [](const ExplorePipe& p) { return std::to_string(p.frames); }));
  c.push_back(per_pipe(row, [](const ExplorePipe& p) { return std::to_string(p.frame_size); }));
  std::uint64_t committed = 0, stall = 0;
  for (const auto& p : row.pipes) {
    committed += p.bytes_committed;
    stall += p.stall_time_us;
  }
  c.push_back(row.pipes.empty() ? "-" : std::to_string(committed));
  c.push_back(row.pipes.empty() ? "-" : std::to_string(stall));
  c.push_back(row.pipes.empty() ? "-" : std::to_string(row.latency_p99_us));
  std::string verdict(to_string(row.verdict));
  for (const auto& p : row.pipes)
    if (p.verdict && is_problem(*p.verdict))
      verdict += ", " + p.id + " " + std::string(to_string(*p.verdict)) +
                 (p.frames_needed ? " (needs " + std::to_string(*p.frames_needed) + ")" : "");
  c.push_back(verdict);
  return c;
}

}  // namespace

std::string render_explore_table(const ExploreResult& r) {
  std::vector<std::vector<std::string>> table{header(r)};
  for (const auto& row : r.rows) table.push_back(cells(row));
  std::vector<std::size_t> width(table[0].size(), 0);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  std::ostringstream out;
  for (const auto& line : table) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i)
      text +=
          line[i] + (i + 1 < line.size() ? std::string(width[i] - line[i].size() + 2, ' ') : "");
    out << text << "\n";
  }
  for (const auto& row : r.rows)
    if (!row.first_error.empty()) {
      std::string combo;
      for (std::size_t i = 0; i < row.values.size(); ++i)
        combo += (i ? " " : "") + r.vary[i].path + "=" + row.values[i];
      out << combo << ": " << row.first_error << "\n";
    }
  return out.str();
}

std::string render_explore_csv(const ExploreResult& r) {
  auto field = [](const std::string& s) {  // RFC 4180: quote when needed, double the quotes
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cs) {
    for (std::size_t i = 0; i < cs.size(); ++i) out << (i ? "," : "") << field(cs[i]);
    out << "\r\n";
  };
  auto h = header(r);
  h.push_back("first_error");
  line(h);
  for (const auto& row : r.rows) {
    auto c = cells(row);
    c.push_back(row.first_error);
    line(c);
  }
  return out.str();
}

std::string render_explore_json(const ExploreResult& r) {
  using ojson = nlohmann::ordered_json;
  ojson vary = ojson::array(), rows = ojson::array();
  for (const auto& v : r.vary) vary.push_back(ojson{{"path", v.path}, {"values", v.values}});
  for (const auto& row : r.rows) {
    ojson values = ojson::object(), pipes = ojson::array();
    for (std::size_t i = 0; i < row.values.size(); ++i) values[r.vary[i].path] = row.values[i];
    for (const auto& p : row.pipes)
      pipes.push_back(
          ojson{{"id", p.id},
                {"allocator",
                 {{"pin", p.allocator_pin.empty() ? ojson(nullptr) : ojson(p.allocator_pin)},
                  {"place", p.place}}},
                {"frames", p.frames},
                {"frame_size", p.frame_size},
                {"bytes_committed", p.bytes_committed},
                {"stall_time_us", p.stall_time_us},
                {"peak_outstanding", p.peak_outstanding},
                {"verdict", p.verdict ? to_string(*p.verdict) : "not_run"},
                {"frames_needed", p.frames_needed ? ojson(*p.frames_needed) : ojson(nullptr)}});
    rows.push_back(ojson{{"values", values},
                         {"status", to_string(row.status)},
                         {"errors", row.errors},
                         {"warnings", row.warnings},
                         {"first_error", row.first_error},
                         {"pipes", pipes},
                         {"latency_p99_us", row.latency_p99_us},
                         {"dropped", row.dropped},
                         {"verdict", to_string(row.verdict)}});
  }
  const ojson doc{{"ksframe_explore", 1}, {"vary", vary}, {"rows", rows}};
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";  // no throw on bad UTF-8
}

}  // namespace ksframe
