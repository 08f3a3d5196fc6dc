// lint_spec: run the rules, then apply suppressions from the command line and from the spec's
// `lint: {disable: [...]}` keys at file, filter and pin level.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>

#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/rules.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

std::vector<std::string> all_rule_ids() {
  std::vector<std::string> ids;
  for (const auto& r : rule_catalogue()) ids.emplace_back(r.id);
  for (const auto& r : rule_catalogue()) ids.emplace_back(r.name);
  return ids;
}

// Resolves the names in one `disable` list to rule ids, reporting the unknown and the
// unsuppressible ones.
std::set<std::string> resolve(const std::vector<Located<std::string>>& names, const Spec* spec,
                              const std::string& file, Diagnostics& out) {
  std::set<std::string> ids;
  for (const auto& name : names) {
    Location where = spec ? spec->at(name.pos) : Location{file, 0, 0};
    const Rule* r = find_rule(name.value);
    if (!r) {
      auto d = make_diagnostic("KSF9001", "unknown rule " + text::quote(name.value) +
                                              (spec ? " in lint.disable" : " in --disable"),
                               where, "");
      if (auto s = text::did_you_mean(name.value, all_rule_ids())) d.hint = "did you mean '" + *s + "'?";
      else d.hint = "`ksframe rules` lists every rule";
      out.push_back(std::move(d));
      continue;
    }
    if (!r->suppressible) {
      out.push_back(make_diagnostic("KSF9002", "rule " + std::string(r->id) + " (" +
                                                   std::string(r->name) +
                                                   ") cannot be disabled", where));
      continue;
    }
    ids.emplace(r->id);
  }
  return ids;
}

}  // namespace

namespace {

// KSF4008: the load's source payload must fit the frames of every pipe a source begins, or the
// simulation cannot represent it (it refuses to run). Said here too, so `lint` catches it.
void lint_payload(const Spec& spec, const Negotiation& negotiation, Diagnostics& found) {
  const DistributionSpec& payload = spec.load.payload;
  if (!payload.present) return;
  const double largest = largest_planned(payload);
  for (const auto& pipe : negotiation.pipes) {
    if (pipe.failed || pipe.frame_size == 0 || pipe.members.empty()) continue;
    if (!is_source_filter(spec.filters[pipe.members[0].pin.filter]) || largest <= pipe.frame_size) continue;
    char bytes[32];
    std::snprintf(bytes, sizeof bytes, "%.0f", largest);
    found.push_back(make_diagnostic("KSF4008",
                                    std::string("load.source.payload of ") + bytes + " bytes is larger than the " +
                                        std::to_string(pipe.frame_size) + "-byte frames of " + pipe.id + " (" +
                                        spec.pin_name(pipe.members[0].pin) + ")",
                                    spec.at(payload.pos),
                                    "lower the payload, or give the source pin frames that hold it"));
    return;  // one finding: every pipe a source begins carries the same payload
  }
}

}  // namespace

Diagnostics lint_spec(const Spec& spec, const LintOptions& options, const Negotiation* negotiation) {
  Diagnostics found;
  lint_framing(spec, found);
  lint_pins(spec, found);
  lint_graph(spec, found);
  lint_formats(spec, found);
  // A graph is also negotiated, so a connection that cannot work is a lint error too. Only when
  // the graph rules passed: negotiation assumes connections KS could make.
  if (!spec.connections.empty() && !has_errors(found)) {
    std::optional<Negotiation> own;
    if (!negotiation) own = negotiate(spec, negotiate_options(spec));
    const Negotiation& n = negotiation ? *negotiation : *own;
    for (const auto& d : n.diagnostics) found.push_back(d);
    lint_payload(spec, n, found);
  }

  Diagnostics config;
  std::vector<Located<std::string>> cli;
  for (const auto& name : options.disable) cli.push_back({name, {}, true});
  std::set<std::string> global = resolve(cli, nullptr, spec.file, config);
  for (const auto& id : resolve(spec.lint.disable, &spec, spec.file, config)) global.insert(id);
  std::vector<std::set<std::string>> per_filter;
  std::vector<std::vector<std::set<std::string>>> per_pin;
  for (const auto& f : spec.filters) {
    per_filter.push_back(resolve(f.lint.disable, &spec, spec.file, config));
    per_pin.emplace_back();
    for (const auto& p : f.pins) per_pin.back().push_back(resolve(p.lint.disable, &spec, spec.file, config));
  }

  Diagnostics kept;
  for (auto& d : found) {
    bool off = global.count(d.rule) > 0;
    if (d.filter >= 0) {
      off = off || per_filter[d.filter].count(d.rule) > 0;
      if (d.pin >= 0) off = off || per_pin[d.filter][d.pin].count(d.rule) > 0;
    }
    if (!off) kept.push_back(std::move(d));
  }
  for (auto& d : config) kept.push_back(std::move(d));
  return kept;
}

FileLintResult lint_file(FileReader& reader, const std::string& path, const LintOptions& options,
                         const LoadOptions& load) {
  FileLintResult result;
  result.file = path == "-" ? "<stdin>" : text::display_name(path);
  LoadResult loaded = load_spec_file(reader, path, load);
  result.unreadable = loaded.unreadable;
  result.diagnostics = std::move(loaded.diagnostics);
  // Pass boundary: rules run only on a spec that loaded cleanly, so they can trust its values.
  if (loaded.spec && !has_errors(result.diagnostics)) {
    for (auto& d : lint_spec(*loaded.spec, options)) result.diagnostics.push_back(std::move(d));
    result.spec = std::move(loaded.spec);
  }
  if (options.werror)
    for (auto& d : result.diagnostics)
      if (d.severity == Severity::Warning) d.severity = Severity::Error;
  sort_diagnostics(result.diagnostics);
  return result;
}

std::vector<FileLintResult> lint_files(FileReader& reader, const std::vector<std::string>& paths,
                                       const LintOptions& options, unsigned jobs,
                                       const LoadOptions& load) {
  std::vector<FileLintResult> results(paths.size());
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  // Standard input can be read only once and in order; a single file needs no threads.
  const bool serial = paths.size() < 2 || jobs == 1 ||
                      std::find(paths.begin(), paths.end(), "-") != paths.end();
  if (serial) {
    for (std::size_t i = 0; i < paths.size(); ++i)
      results[i] = lint_file(reader, paths[i], options, load);
    return results;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < paths.size(); i = next++)
      results[i] = lint_file(reader, paths[i], options, load);
  };
  std::vector<std::thread> threads;
  const unsigned count = static_cast<unsigned>(std::min<std::size_t>(jobs, paths.size()));
  for (unsigned t = 1; t < count; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  return results;
}

int lint_exit_code(const std::vector<FileLintResult>& results) {
  int code = 0;
  for (const auto& r : results) {
    if (r.unreadable) return 2;
    if (has_errors(r.diagnostics)) code = 1;
  }
  return code;
}

}  // namespace ksframe
