// YAML tree -> typed Spec. The loader defines the spec format: its checks (unknown keys with
// did-you-mean, types, ranges, names, references) are every check a spec gets, and
// schemas/ksframe-spec.schema.json describes the same format for editors (tests/unit/
// schema_test.cpp holds the two to agreement). This file reads the top level of a spec (its
// keys, `ksframe:`, `name:`, `lint:`, `options:`) and checks the names of filters and pins; the
// sections are read in loader_pins.cpp, loader_formats.cpp, loader_graph.cpp and
// loader_workload.cpp (the class is declared in loader.hpp).
#include "spec/loader.hpp"

#include <map>

#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/reader.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace detail {
namespace {

// [A-Za-z_][A-Za-z0-9_-]*
bool is_identifier(const std::string& s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (s.empty() || !alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '-') return false;
  return true;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

Spec Loader::load(const Node& root) {
  Spec spec;
  spec.file = file_;
  spec.included = included_;
  spec.version.pos = root.pos;
  if (root.is_null()) {
    error("KSF0013", "the spec is empty", root.pos, "",
          "a spec starts with 'ksframe: 1' and lists its filters; see docs/spec.md");
    return spec;
  }
  if (!expect_map(
          root, "",
          {"ksframe", "name", "include", "options", "filters", "connections", "load", "lint"}))
    return spec;
  if (require(root, "ksframe", "")) {
    spec.version = ulong(root.find("ksframe"), "ksframe", 0);
    if (spec.version.present && spec.version.value != 1)
      error("KSF0014",
            "unsupported format version " + std::to_string(spec.version.value) +
                "; this ksframe reads version 1",
            spec.version.pos, "ksframe");
  }
  spec.name = string(root.find("name"), "name");
  if (spec.name.present && code_points(spec.name.value) > kMaxSpecNameBytes)
    error("KSF0012",
          "the spec's 'name' has " + std::to_string(code_points(spec.name.value)) +
              " characters; at most " + std::to_string(kMaxSpecNameBytes) + " are allowed",
          spec.name.pos, "name", "reports show the name in headings: keep it short");
  read_lint(root.find("lint"), "lint", spec.lint, true);
  if (const Node* n = root.find("options"))
    read_options(*n, spec.options);
  else
    default_options(spec.options);
  // With `include:`, the filters may all come from the included files: load_spec puts them
  // under `filters` before this runs, so only a tree read without its includes lacks the key.
  const bool includes_only = root.find("include") && !root.find("filters");
  if (!includes_only && require(root, "filters", "") &&
      expect_seq(*root.find("filters"), "filters")) {
    const Node& filters = *root.find("filters");
    if (filters.items.empty())
      error("KSF0013", "'filters' is empty: a spec describes at least one filter", filters.pos,
            "filters");
    for (std::size_t i = 0; i < filters.items.size(); ++i)
      read_filter(filters.items[i], "filters[" + std::to_string(i) + "]", spec);
    check_filter_names(spec);
  }
  if (const Node* n = root.find("connections"); n && expect_seq(*n, "connections")) {
    index_pins(spec);
    for (std::size_t i = 0; i < n->items.size(); ++i)
      read_connection(n->items[i], "connections[" + std::to_string(i) + "]", spec);
  }
  if (const Node* n = root.find("load"))
    read_load(*n, spec);
  else
    default_load(spec.load);
  // After the load: a load stage cannot name an implied consumer (its pin's implied_consumer
  // key sets its service), so the lookup of stage names must not see them.
  add_implied_consumers(spec);
  load_from_format(spec);
  return spec;
}

void Loader::read_lint(const Node* node, const std::string& path, LintConfig& out, bool top) {
  if (!node) return;
  if (!(top ? expect_map(*node, path, {"disable", "nonpaged_budget"})
            : expect_map(*node, path, {"disable"})))
    return;
  if (const Node* budget = node->find("nonpaged_budget")) {
    // Bytes; a ULONG is enough (4 GiB of nonpaged frames is far beyond any sane budget).
    auto b = ulong(budget, path + ".nonpaged_budget", 0);
    if (b.present) out.nonpaged_budget = {b.value, b.pos, true};
  }
  const Node* disable = node->find("disable");
  if (!disable || !expect_seq(*disable, path + ".disable")) return;
  for (std::size_t i = 0; i < disable->items.size(); ++i) {
    auto id = string(&disable->items[i], path + ".disable[" + std::to_string(i) + "]");
    if (id.present) out.disable.push_back(id);
  }
}

void Loader::default_options(OptionsSpec& o) {
  o.default_frames.value = 1;
  o.allocator_place.value = "last";
}

void Loader::read_options(const Node& node, OptionsSpec& o) {
  default_options(o);
  if (!expect_map(node, "options",
                  {"strategy", "default_frames", "allocator_place", "honor_input_physical_range"}))
    return;
  o.strategy = flags(node.find("strategy"), "options.strategy", ks::allocator_strategy_names(), 0);
  o.default_frames = ulong(node.find("default_frames"), "options.default_frames", 1);
  o.allocator_place =
      choice(node.find("allocator_place"), "options.allocator_place", {"last", "first"}, "last");
  o.honor_input_physical_range =
      boolean(node.find("honor_input_physical_range"), "options.honor_input_physical_range", false);
}

std::string Loader::name_of(const Node& map, const std::string& path, Located<std::string>& out,
                            const std::string& fallback_path) {
  if (!require(map, "name", path)) return fallback_path;
  out = string(map.find("name"), path + ".name");
  if (!out.present) return fallback_path;
  if (!is_identifier(out.value)) {
    error("KSF0020",
          "name " + text::quote(out.value) +
              " is not an identifier (letters, digits, '_' and '-', not starting "
              "with a digit or '-')",
          out.pos, path + ".name");
    return fallback_path;
  }
  if (out.value.size() > kMaxNameBytes) {  // an identifier: a byte a character
    error("KSF0020",
          "name " + text::quote(out.value.substr(0, 32)) + "... has " +
              std::to_string(out.value.size()) + " characters; at most " +
              std::to_string(kMaxNameBytes) + " are allowed",
          out.pos, path + ".name");
    return fallback_path;
  }
  return out.value;
}

void Loader::check_filter_names(const Spec& spec) {
  std::map<std::string, const FilterSpec*> seen;
  for (const auto& f : spec.filters) {
    if (!f.name.present) continue;
    auto [it, inserted] = seen.emplace(f.name.value, &f);
    if (inserted) continue;
    Diagnostic d = make_diagnostic("KSF0016", "duplicate filter name " + text::quote(f.name.value),
                                   at(f.name.pos));
    d.related.push_back({at(it->second->name.pos), "first used here"});
    d.subject = f.name.value;
    report(std::move(d));
  }
}

void Loader::check_pin_names(const FilterSpec& f, const std::string& path) {
  std::map<std::string, const PinSpec*> names;
  std::map<ks::ULONG, const PinSpec*> ids;
  for (const auto& p : f.pins) {
    if (p.name.present) {
      auto [it, inserted] = names.emplace(p.name.value, &p);
      if (!inserted) {
        Diagnostic d = make_diagnostic(
            "KSF0016",
            "duplicate pin name " + text::quote(p.name.value) + " in filter '" + path + "'",
            at(p.name.pos));
        d.related.push_back({at(it->second->name.pos), "first used here"});
        d.subject = path + "." + p.name.value;
        report(std::move(d));
        continue;
      }
    }
    auto [it, inserted] = ids.emplace(p.id.value, &p);
    if (!inserted) {
      Diagnostic d = make_diagnostic(
          "KSF0016",
          "pin id " + std::to_string(p.id.value) + " is used twice in filter '" + path + "'",
          at(p.id.present ? p.id.pos : p.pos), "ids default to the pin's position in the list");
      d.related.push_back(
          {at(it->second->id.present ? it->second->id.pos : it->second->pos), "first used here"});
      d.subject = path + "." + p.name.value + ".id";
      report(std::move(d));
    }
  }
}

}  // namespace detail

LoadResult load_spec_tree(const Node& root, const std::string& file,
                          const std::vector<std::string>& included) {
  LoadResult result;
  detail::Loader loader(file, result.diagnostics, included);
  result.spec = loader.load(root);
  return result;
}

}  // namespace ksframe
