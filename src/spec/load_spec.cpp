// Loading a spec: read -> YAML tree -> includes -> --set -> size limits -> typed load.
#include <algorithm>
#include <optional>

#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/include.hpp"
#include "util/text.hpp"

namespace ksframe {

namespace {

// Negotiation, the simulated load and the reports cost memory per pin and per connection: a
// chain of 10,000 pins peaks at 470 MB and writes a 66 MB JSON report (past the 64 MiB a saved
// report may have), and a 60,000-filter one took 3.5 GB. 4,000 pins keep the report under
// 64 MiB with the longest names (GraphLimits' defaults). Counted on the YAML tree, before the
// loader.
std::optional<Diagnostic> graph_too_large(const Node& root, const std::string& file,
                                          const std::vector<std::string>& included,
                                          const GraphLimits& limits) {
  const std::size_t kMaxPins = limits.max_pins, kMaxConnections = limits.max_connections;
  auto refuse = [&](const Node& at, std::string what) {
    return make_diagnostic("KSF0003", std::move(what), locate(file, included, at.pos),
                           "split the graph into several specs");
  };
  std::size_t pins = 0;
  if (const Node* filters = root.is_map() ? root.find("filters") : nullptr;
      filters && filters->is_seq())
    for (const auto& f : filters->items)
      if (const Node* list = f.is_map() ? f.find("pins") : nullptr; list && list->is_seq())
        for (const auto& pin : list->items)
          if (++pins > kMaxPins)
            return refuse(pin, "more than " + std::to_string(kMaxPins) +
                                   " pins: ksframe negotiates, simulates and "
                                   "reports at most that many");
  if (const Node* conns = root.is_map() ? root.find("connections") : nullptr;
      conns && conns->is_seq() && conns->items.size() > kMaxConnections)
    return refuse(conns->items[kMaxConnections],
                  "more than " + std::to_string(kMaxConnections) +
                      " connections: ksframe negotiates, simulates and reports at most that many");
  return std::nullopt;
}

// The implied consumers the loader adds (ImpliedConsumerSpec) count as well: 4,000 unconnected
// output pins are a graph of 8,000 pins and 4,000 connections, whose report would pass the
// 64 MiB a saved report may have. Refused at the pin whose consumer is one too many.
std::optional<Diagnostic> implied_too_large(const Spec& spec, const GraphLimits& limits) {
  std::size_t pins = 0;
  std::size_t connections =
      static_cast<std::size_t>(std::count_if(spec.connections.begin(), spec.connections.end(),
                                             [](const ConnectionSpec& c) { return !c.implied; }));
  for (const auto& f : spec.filters) {
    pins += f.pins.size();
    if (f.implied()) ++connections;  // each implied filter comes with its connection
    if (f.implied() && (pins > limits.max_pins || connections > limits.max_connections))
      return make_diagnostic(
          "KSF0003",
          "with the implied consumer of " + spec.pin_name(f.implied_for) +
              ", the graph has more than " +
              std::to_string(pins > limits.max_pins ? limits.max_pins : limits.max_connections) +
              (pins > limits.max_pins ? " pins" : " connections") +
              ": ksframe negotiates, simulates and reports at most that many",
          spec.at(f.pos),
          "set implied_consumer: none on the output pins no graph uses, or split the spec");
  }
  return std::nullopt;
}

}  // namespace

LoadResult load_spec(const SourceFile& file, const LoadOptions& options) {
  LoadResult result;
  if (file.content.size() > options.max_file_bytes) {
    result.diagnostics.push_back(make_diagnostic(
        "KSF0003",
        "file is larger than the limit of " + std::to_string(options.max_file_bytes) + " bytes",
        {file.name, 1, 1}));
    return result;
  }
  ParsedYaml parsed = parse_yaml(file, options.parse);
  result.diagnostics = std::move(parsed.diagnostics);
  // Pass boundary: a tree with YAML-level errors (duplicates, aliases) is not interpreted.
  if (!parsed.root || has_errors(result.diagnostics)) return result;
  // Includes first, so that --set reaches the filters they bring (a what-if on a driver's
  // framing read from its C source).
  std::vector<std::string> included;
  bool refused = false;
  if (!resolve_includes(*parsed.root, file.name, options, result.diagnostics, included,
                        file.content.size(), &refused)) {
    result.unreadable = refused;
    sort_diagnostics(result.diagnostics);
    return result;
  }
  for (std::size_t i = 0; i < options.overrides.size(); ++i) {
    const std::string& assignment = options.overrides[i];
    std::string reason =
        assignment.starts_with("include=") || assignment.starts_with("include[") ||
                assignment.starts_with("include.")
            ? "'include' is read before --set and --vary apply; edit the spec's include"
            : apply_override(*parsed.root, assignment);
    if (!reason.empty()) {
      result.override_error = OverrideError{i, assignment, std::move(reason)};
      return result;
    }
  }
  if (auto too_large = graph_too_large(*parsed.root, file.name, included, options.graph)) {
    result.diagnostics.push_back(std::move(*too_large));
    return result;
  }
  LoadResult typed = load_spec_tree(*parsed.root, file.name, included);
  for (auto& d : typed.diagnostics) result.diagnostics.push_back(std::move(d));
  result.spec = std::move(typed.spec);
  if (result.spec)
    if (auto too_large = implied_too_large(*result.spec, options.graph))
      result.diagnostics.push_back(std::move(*too_large));
  sort_diagnostics(result.diagnostics);
  return result;
}

LoadResult load_spec_file(FileReader& reader, const std::string& path, const LoadOptions& options) {
  ReadResult read = reader.read(path, options.max_file_bytes);
  const std::string name = path == "-" ? "<stdin>" : text::display_name(path);
  if (read.too_large) {
    LoadResult result;
    result.unreadable = true;  // a refusal before any work, like a missing file: exit code 2
    result.diagnostics.push_back(
        make_diagnostic("KSF0003", read.error, {name, 1, 1}, "is this really a ksframe spec?"));
    return result;
  }
  if (!read.file) {
    LoadResult result;
    result.unreadable = true;
    result.diagnostics.push_back(
        make_diagnostic("KSF0002", "cannot read " + name + ": " + read.error, {name, 0, 0}));
    return result;
  }
  // The files the spec includes are read as the spec was (a MemoryFileReader in the tests).
  LoadOptions with_reader = options;
  if (!with_reader.reader) with_reader.reader = &reader;
  return load_spec(*read.file, with_reader);
}

}  // namespace ksframe
