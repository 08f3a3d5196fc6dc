// lint_spec: run the rules, then apply suppressions from the command line and from the spec's
// `lint: {disable: [...]}` keys at file, filter and pin level.
#include "ksframe/lint.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>

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
      auto d = make_diagnostic(
          "KSF9001",
          "unknown rule " + text::quote(name.value) + (spec ? " in lint.disable" : " in --disable"),
          where, "");
      if (auto s = text::did_you_mean(name.value, all_rule_ids()))
        d.hint = "did you mean '" + *s + "'?";
      else
        d.hint = "`ksframe rules` lists every rule";
      out.push_back(std::move(d));
      continue;
    }
    if (!r->suppressible) {
      out.push_back(make_diagnostic(
          "KSF9002",
          "rule " + std::string(r->id) + " (" + std::string(r->name) + ") cannot be disabled",
          where));
      continue;
    }
    ids.emplace(r->id);
  }
  return ids;
}

}  // namespace

namespace {

// KSF4008: each source's payload (its load.sources entry, or load.source) must fit the frames of
// the pipe it begins, or the simulation cannot represent it (it refuses to run). Said here too,
// so `lint` catches it.
void lint_payload(const Spec& spec, const Negotiation& negotiation, Diagnostics& found) {
  std::vector<const DistributionSpec*> reported;  // load.source.payload is said once, not per pipe
  for (const auto& pipe : negotiation.pipes) {
    if (pipe.failed || pipe.frame_size == 0 || pipe.members.empty()) continue;
    if (!is_source_filter(spec.filters[pipe.members[0].pin.filter])) continue;
    const EffectiveSource source = spec.source(pipe.members[0].pin);
    const DistributionSpec& payload = *source.payload;
    if (!payload.present) continue;
    const double largest = largest_planned(payload);
    if (largest <= pipe.frame_size) continue;
    if (std::find(reported.begin(), reported.end(), &payload) != reported.end()) continue;
    reported.push_back(&payload);
    char bytes[32];
    std::snprintf(bytes, sizeof bytes, "%.0f", largest);
    Diagnostic d = make_diagnostic(
        "KSF4008",
        source.payload_path + " of " + bytes + " bytes is larger than the " +
            std::to_string(pipe.frame_size) + "-byte frames of " + pipe.id + " (" +
            spec.pin_name(pipe.members[0].pin) + ")",
        spec.at(payload.pos), "lower the payload, or give the source pin frames that hold it");
    // Scoped to the source pin, so its `lint: {disable: [KSF4008]}` applies (a C source pin whose
    // code replaces its placeholder frame size is linted so).
    d.filter = pipe.members[0].pin.filter;
    d.pin = pipe.members[0].pin.pin;
    found.push_back(std::move(d));
  }
}

}  // namespace

namespace {

// Drops what `options` and the spec's `lint:` keys (file, filter and pin level) disable. Unknown
// or unsuppressible names in them are reported into `config` when it is given.
Diagnostics suppress(const Spec& spec, const LintOptions& options, Diagnostics found,
                     Diagnostics* config) {
  Diagnostics unused;
  Diagnostics& said = config ? *config : unused;
  std::vector<Located<std::string>> cli;
  for (const auto& name : options.disable) cli.push_back({name, {}, true});
  std::set<std::string> global = resolve(cli, nullptr, spec.file, said);
  for (const auto& id : resolve(spec.lint.disable, &spec, spec.file, said)) global.insert(id);
  std::vector<std::set<std::string>> per_filter;
  std::vector<std::vector<std::set<std::string>>> per_pin;
  for (const auto& f : spec.filters) {
    per_filter.push_back(resolve(f.lint.disable, &spec, spec.file, said));
    per_pin.emplace_back();
    for (const auto& p : f.pins)
      per_pin.back().push_back(resolve(p.lint.disable, &spec, spec.file, said));
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
  return kept;
}

}  // namespace

Diagnostics lint_rules(const Spec& spec, const LintOptions& options) {
  Diagnostics found;
  lint_framing(spec, found);
  lint_pins(spec, found);
  lint_graph(spec, found);
  lint_formats(spec, found);
  Diagnostics config;
  Diagnostics kept = suppress(spec, options, std::move(found), &config);
  for (auto& d : config) kept.push_back(std::move(d));
  return kept;
}

Diagnostics lint_negotiation(const Spec& spec, const LintOptions& options,
                             const Negotiation& negotiation) {
  // A spec without connections is a driver's own descriptor file: its pins are negotiated one by
  // one for the report, but a pin alone cannot fail to connect, so there is nothing to lint.
  if (spec.connections.empty()) return {};
  Diagnostics found = negotiation.diagnostics;
  lint_payload(spec, negotiation, found);
  return suppress(spec, options, std::move(found), nullptr);
}

Diagnostics lint_spec(const Spec& spec, const LintOptions& options) {
  Diagnostics out = lint_rules(spec, options);
  // Negotiation assumes connections KS could make: it runs only when the rules found no errors.
  if (has_errors(out) || spec.connections.empty()) return out;
  for (auto& d : lint_negotiation(spec, options, negotiate(spec, negotiate_options(spec))))
    out.push_back(std::move(d));
  return out;
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
  const bool serial =
      paths.size() < 2 || jobs == 1 || std::find(paths.begin(), paths.end(), "-") != paths.end();
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
