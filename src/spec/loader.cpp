// YAML tree -> typed Spec. The loader's own checks (unknown keys with did-you-mean, types,
// ranges, names, references) run on every spec, after the schema check in load_spec().
#include <map>
#include <set>

#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/reader.hpp"
#include "spec/scalar.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

// [A-Za-z_][A-Za-z0-9_-]*
bool is_identifier(const std::string& s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (s.empty() || !alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '-') return false;
  return true;
}

// A bound on the work one spec can ask of `ksframe run` (about a minute at 10 million frame-hops
// per second through a few stages).
constexpr ks::ULONG kMaxLoadFrames = 10'000'000;

class Loader : public Reader {
 public:
  Loader(const std::string& file, Diagnostics& diags) : Reader(file, diags), file_(file) {}

  Spec load(const Node& root) {
    Spec spec;
    spec.file = file_;
    spec.version.pos = root.pos;
    if (root.is_null()) {
      error("KSF0013", "the spec is empty", root.pos, "",
            "a spec starts with 'ksframe: 1' and lists its filters; see docs/spec.md");
      return spec;
    }
    if (!expect_map(root, "", {"ksframe", "name", "options", "filters", "connections", "load",
                               "lint"}))
      return spec;
    if (require(root, "ksframe", "")) {
      spec.version = ulong(root.find("ksframe"), "ksframe", 0);
      if (spec.version.present && spec.version.value != 1)
        error("KSF0014", "unsupported format version " + std::to_string(spec.version.value) +
                             "; this ksframe reads version 1", spec.version.pos, "ksframe");
    }
    spec.name = string(root.find("name"), "name");
    read_lint(root.find("lint"), "lint", spec.lint);
    if (const Node* n = root.find("options")) read_options(*n, spec.options);
    else default_options(spec.options);
    if (require(root, "filters", "") && expect_seq(*root.find("filters"), "filters")) {
      const Node& filters = *root.find("filters");
      if (filters.items.empty())
        error("KSF0013", "'filters' is empty: a spec describes at least one filter",
              filters.pos, "filters");
      for (std::size_t i = 0; i < filters.items.size(); ++i)
        read_filter(filters.items[i], "filters[" + std::to_string(i) + "]", spec);
      check_filter_names(spec);
    }
    if (const Node* n = root.find("connections"); n && expect_seq(*n, "connections")) {
      index_pins(spec);
      for (std::size_t i = 0; i < n->items.size(); ++i)
        read_connection(n->items[i], "connections[" + std::to_string(i) + "]", spec);
    }
    if (const Node* n = root.find("load")) read_load(*n, spec);
    else default_load(spec.load);
    return spec;
  }

 private:
  void read_lint(const Node* node, const std::string& path, LintConfig& out) {
    if (!node || !expect_map(*node, path, {"disable"})) return;
    const Node* disable = node->find("disable");
    if (!disable || !expect_seq(*disable, path + ".disable")) return;
    for (std::size_t i = 0; i < disable->items.size(); ++i) {
      auto id = string(&disable->items[i], path + ".disable[" + std::to_string(i) + "]");
      if (id.present) out.disable.push_back(id);
    }
  }

  void default_options(OptionsSpec& o) {
    o.default_frames.value = 1;
    o.allocator_place.value = "last";
  }

  void read_options(const Node& node, OptionsSpec& o) {
    default_options(o);
    if (!expect_map(node, "options", {"strategy", "default_frames", "allocator_place",
                                      "honor_input_physical_range"}))
      return;
    o.strategy = flags(node.find("strategy"), "options.strategy", ks::allocator_strategy_names(), 0);
    o.default_frames = ulong(node.find("default_frames"), "options.default_frames", 1);
    o.allocator_place = choice(node.find("allocator_place"), "options.allocator_place",
                               {"last", "first"}, "last");
    o.honor_input_physical_range =
        boolean(node.find("honor_input_physical_range"), "options.honor_input_physical_range",
                false);
  }

  std::string name_of(const Node& map, const std::string& path, Located<std::string>& out,
                      const std::string& fallback_path) {
    if (!require(map, "name", path)) return fallback_path;
    out = string(map.find("name"), path + ".name");
    if (!out.present) return fallback_path;
    if (!is_identifier(out.value)) {
      error("KSF0020", "name " + text::quote(out.value) +
                           " is not an identifier (letters, digits, '_' and '-', not starting "
                           "with a digit or '-')", out.pos, path + ".name");
      return fallback_path;
    }
    return out.value;
  }

  void read_filter(const Node& node, const std::string& index_path, Spec& spec) {
    FilterSpec f;
    f.pos = node.pos;
    if (!expect_map(node, index_path, {"name", "flags", "pins", "routes", "lint"})) {
      spec.filters.push_back(std::move(f));
      return;
    }
    const std::string path = name_of(node, index_path, f.name, index_path);
    f.flags = flags(node.find("flags"), path + ".flags", ks::filter_flags(), 0);
    read_lint(node.find("lint"), path + ".lint", f.lint);
    if (require(node, "pins", path) && expect_seq(*node.find("pins"), path + ".pins")) {
      const Node& pins = *node.find("pins");
      if (pins.items.empty())
        error("KSF0013", "filter '" + path + "' has no pins", pins.pos, path + ".pins");
      for (std::size_t i = 0; i < pins.items.size(); ++i)
        read_pin(pins.items[i], path, "pins[" + std::to_string(i) + "]", i, f);
      check_pin_names(f, path);
    }
    if (const Node* routes = node.find("routes"); routes && expect_seq(*routes, path + ".routes"))
      for (std::size_t i = 0; i < routes->items.size(); ++i)
        read_route(routes->items[i], path + ".routes[" + std::to_string(i) + "]", f);
    spec.filters.push_back(std::move(f));
  }

  void read_pin(const Node& node, const std::string& filter_path, const std::string& index_path,
                std::size_t index, FilterSpec& f) {
    PinSpec p;
    p.pos = node.pos;
    p.id.value = static_cast<ks::ULONG>(index);
    p.communication.value = ks::Communication::Both;
    p.instances_possible.value = 1;
    const std::string fallback = filter_path + "." + index_path;
    if (!expect_map(node, fallback, {"name", "id", "dataflow", "communication", "flags",
                                     "instances", "user_mode", "allocator", "framing",
                                     "framing_ex", "simple_framing_ex", "lint"})) {
      f.pins.push_back(std::move(p));
      return;
    }
    std::string name = name_of(node, fallback, p.name, "");
    const std::string path = name.empty() ? fallback : filter_path + "." + name;
    p.id = ulong(node.find("id"), path + ".id", static_cast<ks::ULONG>(index));
    if (require(node, "dataflow", path)) {
      auto df = enumerated(node.find("dataflow"), path + ".dataflow", ks::dataflow(),
                           {{"in", 1}, {"out", 2}}, 1, false, "dataflow");
      p.dataflow = {static_cast<ks::Dataflow>(df.value), df.pos, df.present};
    }
    auto comm = enumerated(node.find("communication"), path + ".communication",
                           ks::communication(),
                           {{"none", 0}, {"sink", 1}, {"source", 2}, {"both", 3}, {"bridge", 4}},
                           3, false, "communication");
    p.communication = {static_cast<ks::Communication>(comm.value), comm.pos, comm.present};
    p.flags = flags(node.find("flags"), path + ".flags", ks::pin_flags(), 0);
    if (const Node* inst = node.find("instances");
        inst && expect_map(*inst, path + ".instances", {"possible", "necessary"})) {
      const Node* possible = inst->find("possible");
      if (possible && possible->is_scalar() && !possible->quoted &&
          possible->scalar == "KSINSTANCE_INDETERMINATE")
        p.instances_possible = {ks::kUnbounded, possible->pos, true};
      else
        p.instances_possible = ulong(possible, path + ".instances.possible", 1, true);
      p.instances_necessary = ulong(inst->find("necessary"), path + ".instances.necessary", 0);
    }
    p.user_mode = boolean(node.find("user_mode"), path + ".user_mode", false);
    if (const Node* a = node.find("allocator")) p.allocator = read_allocator(*a, path + ".allocator");
    if (const Node* l = node.find("framing")) p.framing = read_legacy(*l, path + ".framing");
    const Node* ex = node.find("framing_ex");
    const Node* simple = node.find("simple_framing_ex");
    if (ex && simple) {
      Diagnostic d = make_diagnostic(
          "KSF0019", "a pin has either 'framing_ex' or 'simple_framing_ex', not both",
          at(node.entries[0].first.pos));
      for (const auto& [k, v] : node.entries)
        if (k.scalar == "simple_framing_ex") d.location = at(k.pos);
      for (const auto& [k, v] : node.entries)
        if (k.scalar == "framing_ex") d.related.push_back({at(k.pos), "framing_ex is here"});
      d.subject = path + ".simple_framing_ex";
      d.hint = "simple_framing_ex is shorthand for a one-item framing_ex; keep one of them";
      report(std::move(d));
    }
    // With both present, both are still checked (so every mistake is reported); framing_ex wins.
    if (simple) p.framing_ex = read_simple(*simple, path + ".simple_framing_ex");
    if (ex) p.framing_ex = read_framing_ex(*ex, path + ".framing_ex");
    read_lint(node.find("lint"), path + ".lint", p.lint);
    f.pins.push_back(std::move(p));
  }

  AllocatorModelSpec read_allocator(const Node& node, const std::string& path) {
    AllocatorModelSpec a;
    a.pos = node.pos;
    if (node.is_null()) return a;  // "allocator:" alone: a vendor allocator with defaults
    if (!expect_map(node, path, {"pool_frames", "fail_initialize", "allocation_failure_rate"}))
      return a;
    a.pool_frames = ulong(node.find("pool_frames"), path + ".pool_frames", 0);
    a.fail_initialize = boolean(node.find("fail_initialize"), path + ".fail_initialize", false);
    a.allocation_failure_rate = number(node.find("allocation_failure_rate"),
                                       path + ".allocation_failure_rate", 0.0, 0.0, 1.0);
    return a;
  }

  LegacyFramingSpec read_legacy(const Node& node, const std::string& path) {
    LegacyFramingSpec l;
    l.pos = node.pos;
    if (!expect_map(node, path, {"requirements_flags", "options_flags", "pool_type", "frames",
                                 "frame_size", "file_alignment", "reserved"}))
      return l;
    const Node* req = node.find("requirements_flags");
    const Node* opt = node.find("options_flags");
    if (req && opt)
      error("KSF0019", "a legacy framing has either 'requirements_flags' (query) or "
                       "'options_flags' (allocator create), not both", opt->pos,
            path + ".options_flags",
            "RequirementsFlags and OptionsFlags are the same ULONG (a union) in ks.h");
    if (opt) {
      l.flags_kind = LegacyFramingSpec::FlagsKind::Options;
      l.flags = flags(opt, path + ".options_flags", ks::options_flags(), 0);
    } else {
      l.flags = flags(req, path + ".requirements_flags", ks::requirements_flags(), 0);
    }
    l.pool_type = enumerated(node.find("pool_type"), path + ".pool_type", ks::pool_types(), {}, 0,
                             true, "pool type");
    l.frames = ulong(node.find("frames"), path + ".frames", 0);
    l.frame_size = ulong(node.find("frame_size"), path + ".frame_size", 0);
    l.file_alignment = enumerated(node.find("file_alignment"), path + ".file_alignment",
                                  ks::file_alignments(), {}, 0, true, "alignment");
    l.reserved = ulong(node.find("reserved"), path + ".reserved", 0);
    return l;
  }

  RangeSpec read_range(const Node* node, const std::string& path, bool weighted,
                       FramingItemSpec* item) {
    RangeSpec r;
    r.min.value = 0;
    r.max.value = ks::kUnbounded;
    r.stepping.value = 1;
    if (!node) return r;
    r.pos = node->pos;
    r.min.pos = r.max.pos = r.stepping.pos = node->pos;
    bool ok = weighted ? expect_map(*node, path, {"min", "max", "stepping", "in_place_weight",
                                                  "not_in_place_weight"})
                       : expect_map(*node, path, {"min", "max", "stepping"});
    if (!ok) return r;
    r.present = true;
    r.min = ulong(node->find("min"), path + ".min", 0);
    r.max = ulong(node->find("max"), path + ".max", ks::kUnbounded, true);
    r.stepping = ulong(node->find("stepping"), path + ".stepping", 1);
    for (LU32* v : {&r.min, &r.max, &r.stepping})
      if (!v->present) v->pos = node->pos;
    if (weighted && item) {
      item->in_place_weight = ulong(node->find("in_place_weight"), path + ".in_place_weight", 0);
      item->not_in_place_weight =
          ulong(node->find("not_in_place_weight"), path + ".not_in_place_weight", 0);
    }
    return r;
  }

  FramingItemSpec read_item(const Node& node, const std::string& path) {
    FramingItemSpec it;
    it.pos = node.pos;
    it.physical_range = read_range(nullptr, "", false, nullptr);
    it.framing_range = it.physical_range;
    if (!expect_map(node, path, {"memory_type", "bus_type", "memory_flags", "bus_flags", "flags",
                                 "frames", "file_alignment", "memory_type_weight",
                                 "physical_range", "framing_range"}))
      return it;
    it.memory_type = guid(node.find("memory_type"), path + ".memory_type", ks::GuidKind::Memory);
    it.bus_type = guid(node.find("bus_type"), path + ".bus_type", ks::GuidKind::Bus);
    it.memory_flags = flags(node.find("memory_flags"), path + ".memory_flags",
                            ks::framing_item_flags(), 0);
    it.bus_flags = flags(node.find("bus_flags"), path + ".bus_flags", ks::framing_item_flags(), 0);
    it.flags = flags(node.find("flags"), path + ".flags", ks::framing_item_flags(), 0);
    it.frames = ulong(node.find("frames"), path + ".frames", 0);
    it.file_alignment = enumerated(node.find("file_alignment"), path + ".file_alignment",
                                   ks::file_alignments(), {}, 0, true, "alignment");
    it.memory_type_weight = ulong(node.find("memory_type_weight"), path + ".memory_type_weight", 0);
    it.physical_range = read_range(node.find("physical_range"), path + ".physical_range", false,
                                   nullptr);
    it.framing_range = read_range(node.find("framing_range"), path + ".framing_range", true, &it);
    default_positions(it);
    return it;
  }

  // A defaulted value points at its enclosing item, so explanations can still name a place.
  static void default_positions(FramingItemSpec& it) {
    for (LU32* v : {&it.memory_flags, &it.bus_flags, &it.flags, &it.frames, &it.file_alignment,
                    &it.memory_type_weight, &it.in_place_weight, &it.not_in_place_weight})
      if (!v->present) v->pos = it.pos;
    if (!it.memory_type.present) it.memory_type.pos = it.pos;
    if (!it.bus_type.present) it.bus_type.pos = it.pos;
    for (RangeSpec* r : {&it.physical_range, &it.framing_range})
      if (!r->present) {
        r->pos = it.pos;
        r->min.pos = r->max.pos = r->stepping.pos = it.pos;
      }
  }

  FramingExSpec read_framing_ex(const Node& node, const std::string& path) {
    FramingExSpec ex;
    ex.pos = ex.items_pos = ex.compression_pos = node.pos;
    ex.ratio_numerator.value = ex.ratio_denominator.value = 1;
    if (!expect_map(node, path, {"count_items", "pin_flags", "output_compression", "pin_weight",
                                 "items"}))
      return ex;
    ex.count_items = ulong(node.find("count_items"), path + ".count_items", 0);
    ex.pin_flags = ulong(node.find("pin_flags"), path + ".pin_flags", 0);
    ex.pin_weight = ulong(node.find("pin_weight"), path + ".pin_weight", 0);
    if (const Node* c = node.find("output_compression");
        c && expect_map(*c, path + ".output_compression",
                        {"numerator", "denominator", "constant_margin"})) {
      ex.compression_pos = c->pos;
      const Node* num = c->find("numerator");
      if (num && num->is_scalar() && !num->quoted && num->scalar == "unknown")
        ex.ratio_numerator = {ks::kCompressionUnknown, num->pos, true};
      else
        ex.ratio_numerator = ulong(num, path + ".output_compression.numerator", 1);
      ex.ratio_denominator = ulong(c->find("denominator"), path + ".output_compression.denominator", 1);
      ex.ratio_constant_margin =
          ulong(c->find("constant_margin"), path + ".output_compression.constant_margin", 0);
    }
    for (LU32* v : {&ex.count_items, &ex.pin_flags, &ex.pin_weight, &ex.ratio_numerator,
                    &ex.ratio_denominator, &ex.ratio_constant_margin})
      if (!v->present) v->pos = (v == &ex.ratio_numerator || v == &ex.ratio_denominator ||
                                 v == &ex.ratio_constant_margin) ? ex.compression_pos : node.pos;
    if (require(node, "items", path) && expect_seq(*node.find("items"), path + ".items")) {
      const Node& items = *node.find("items");
      ex.items_pos = items.pos;
      for (std::size_t i = 0; i < items.items.size(); ++i)
        ex.items.push_back(read_item(items.items[i], path + ".items[" + std::to_string(i) + "]"));
      if (ex.count_items.present && ex.count_items.value != items.items.size())
        error("KSF0015", "count_items is " + std::to_string(ex.count_items.value) + " but " +
                             std::to_string(items.items.size()) + " item" +
                             (items.items.size() == 1 ? " is" : "s are") + " listed",
              ex.count_items.pos, path + ".count_items",
              "remove count_items (it defaults to the number of items) or list that many items");
    }
    if (!ex.count_items.present) ex.count_items.value = static_cast<ks::ULONG>(ex.items.size());
    return ex;
  }

  FramingExSpec read_simple(const Node& node, const std::string& path) {
    FramingExSpec ex;
    ex.form = FramingExSpec::Form::Simple;
    ex.pos = ex.items_pos = ex.compression_pos = node.pos;
    ex.ratio_numerator = {1, node.pos, false};
    ex.ratio_denominator = {1, node.pos, false};
    ex.count_items = {1, node.pos, false};
    if (!expect_map(node, path, {"memory_type", "flags", "frames", "file_alignment", "min", "max"}))
      return ex;
    for (auto key : {"memory_type", "flags", "frames", "file_alignment", "min", "max"})
      require(node, key, path);
    // DECLARE_SIMPLE_FRAMING_EX: one item; physical range "don't care"; sizes in the optimal
    // range with stepping 1 (ref 3.10).
    FramingItemSpec it;
    it.pos = node.pos;
    it.memory_type = guid(node.find("memory_type"), path + ".memory_type", ks::GuidKind::Memory);
    it.flags = flags(node.find("flags"), path + ".flags", ks::framing_item_flags(), 0);
    it.frames = ulong(node.find("frames"), path + ".frames", 0);
    it.file_alignment = enumerated(node.find("file_alignment"), path + ".file_alignment",
                                   ks::file_alignments(), {}, 0, true, "alignment");
    it.physical_range.min.value = 0;
    it.physical_range.max.value = ks::kUnbounded;
    it.physical_range.stepping.value = 1;
    it.framing_range.min = ulong(node.find("min"), path + ".min", 0);
    it.framing_range.max = ulong(node.find("max"), path + ".max", ks::kUnbounded, true);
    it.framing_range.stepping = {1, node.pos, false};
    it.framing_range.present = true;
    it.framing_range.pos = node.pos;
    default_positions(it);
    ex.items.push_back(std::move(it));
    return ex;
  }

  void read_route(const Node& node, const std::string& path, FilterSpec& f) {
    RouteSpec r;
    r.pos = node.pos;
    if (!expect_map(node, path, {"from", "to", "in_place"})) return;
    require(node, "from", path);
    require(node, "to", path);
    r.from = string(node.find("from"), path + ".from");
    r.to = string(node.find("to"), path + ".to");
    r.in_place = boolean(node.find("in_place"), path + ".in_place", false);
    if (r.from.present) r.from_pin = resolve_route_end(f, r.from, path + ".from", ks::Dataflow::In);
    if (r.to.present) r.to_pin = resolve_route_end(f, r.to, path + ".to", ks::Dataflow::Out);
    f.routes.push_back(std::move(r));
  }

  int resolve_route_end(const FilterSpec& f, const Located<std::string>& name,
                        const std::string& path, ks::Dataflow wanted) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < f.pins.size(); ++i) {
      names.push_back(f.pins[i].name.value);
      if (f.pins[i].name.value != name.value) continue;
      if (f.pins[i].dataflow.value != wanted) {
        const bool in = wanted == ks::Dataflow::In;
        Diagnostic d = make_diagnostic(
            "KSF0018",
            std::string("a route goes from an input pin to an output pin, but '") + name.value +
                "' is an " + (in ? "output" : "input") + " pin",
            at(name.pos),
            in ? "routes read {from: <input pin>, to: <output pin>}" : "routes read {from: <input pin>, to: <output pin>}");
        d.related.push_back({at(f.pins[i].dataflow.pos), "'" + name.value + "' is declared here"});
        d.subject = path;
        report(std::move(d));
        return -1;
      }
      return static_cast<int>(i);
    }
    error("KSF0017", "route names pin " + text::quote(name.value) + ", which filter '" +
                         f.name.value + "' does not have", name.pos, path,
          list_hint(name.value, names, "pins of this filter"));
    return -1;
  }

  static std::string list_hint(const std::string& word, const std::vector<std::string>& names,
                               const std::string& what) {
    if (auto s = text::did_you_mean(word, names)) return "did you mean '" + *s + "'?";
    std::string hint = what + ": ";
    for (std::size_t i = 0; i < names.size() && i < 10; ++i) hint += (i ? ", " : "") + names[i];
    if (names.size() > 10) hint += ", ...";
    if (names.empty()) hint += "(none)";
    return hint;
  }

  void read_connection(const Node& node, const std::string& path, Spec& spec) {
    ConnectionSpec c;
    c.pos = node.pos;
    if (!expect_map(node, path, {"from", "to"})) return;
    require(node, "from", path);
    require(node, "to", path);
    c.from = string(node.find("from"), path + ".from");
    c.to = string(node.find("to"), path + ".to");
    if (c.from.present) c.from_ref = resolve_pin(spec, c.from, path + ".from");
    if (c.to.present) c.to_ref = resolve_pin(spec, c.to, path + ".to");
    spec.connections.push_back(std::move(c));
  }

  // One map from "filter.pin" to the pin, built once: looking each connection end up by a scan
  // made a 100,000-pin graph take minutes to load.
  void index_pins(const Spec& spec) {
    for (std::size_t fi = 0; fi < spec.filters.size(); ++fi)
      for (std::size_t pi = 0; pi < spec.filters[fi].pins.size(); ++pi)
        pin_index_.emplace(spec.filters[fi].name.value + "." + spec.filters[fi].pins[pi].name.value,
                           PinRef{static_cast<int>(fi), static_cast<int>(pi)});
  }

  PinRef resolve_pin(const Spec& spec, const Located<std::string>& ref, const std::string& path) {
    const auto dot = ref.value.find('.');
    if (dot == std::string::npos || ref.value.find('.', dot + 1) != std::string::npos) {
      error("KSF0009", "a connection end must be written filter.pin, not " +
                           text::quote(ref.value), ref.pos, path);
      return {};
    }
    if (auto it = pin_index_.find(ref.value); it != pin_index_.end()) return it->second;
    std::vector<std::string> all;  // only to suggest a name, when the lookup failed
    for (const auto& f : spec.filters)
      for (const auto& p : f.pins) all.push_back(f.name.value + "." + p.name.value);
    error("KSF0017", "connection names " + text::quote(ref.value) + ", which does not exist",
          ref.pos, path, list_hint(ref.value, all, "pins"));
    return {};
  }

  void check_filter_names(const Spec& spec) {
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

  void check_pin_names(const FilterSpec& f, const std::string& path) {
    std::map<std::string, const PinSpec*> names;
    std::map<ks::ULONG, const PinSpec*> ids;
    for (const auto& p : f.pins) {
      if (p.name.present) {
        auto [it, inserted] = names.emplace(p.name.value, &p);
        if (!inserted) {
          Diagnostic d = make_diagnostic("KSF0016", "duplicate pin name " +
                                                        text::quote(p.name.value) + " in filter '" +
                                                        path + "'", at(p.name.pos));
          d.related.push_back({at(it->second->name.pos), "first used here"});
          d.subject = path + "." + p.name.value;
          report(std::move(d));
          continue;
        }
      }
      auto [it, inserted] = ids.emplace(p.id.value, &p);
      if (!inserted) {
        Diagnostic d = make_diagnostic(
            "KSF0016", "pin id " + std::to_string(p.id.value) + " is used twice in filter '" + path + "'",
            at(p.id.present ? p.id.pos : p.pos), "ids default to the pin's position in the list");
        d.related.push_back({at(it->second->id.present ? it->second->id.pos : it->second->pos),
                             "first used here"});
        d.subject = path + "." + p.name.value + ".id";
        report(std::move(d));
      }
    }
  }

  void default_load(LoadSpec& l) {
    l.seed.value = 1;
    l.frames.value = 10000;
    l.allocator_mode.value = "irp";
    l.source_rate_hz.value = 30.0;
  }

  DistributionSpec read_distribution(const Node* node, const std::string& path) {
    DistributionSpec d;
    if (!node) return d;
    d.pos = node->pos;
    d.present = true;
    if (node->is_scalar() && !node->quoted) {  // a bare number is a fixed value
      d.kind = {DistributionSpec::Kind::Fixed, node->pos, true};
      d.value = number(node, path, 0, 0, 1e12);
      if (!d.value.present) d.present = false;
      return d;
    }
    if (!expect_map(*node, path, {"distribution", "value", "bytes", "min", "max", "mean"})) {
      d.present = false;
      return d;
    }
    require(*node, "distribution", path);
    auto kind = choice(node->find("distribution"), path + ".distribution",
                       {"fixed", "uniform", "exponential"}, "fixed");
    d.kind.pos = kind.pos;
    d.kind.present = kind.present;
    d.kind.value = kind.value == "uniform"       ? DistributionSpec::Kind::Uniform
                   : kind.value == "exponential" ? DistributionSpec::Kind::Exponential
                                                 : DistributionSpec::Kind::Fixed;
    const Node* value = node->find("value");
    const Node* bytes = node->find("bytes");
    if (value && bytes)
      error("KSF0019", "'value' and 'bytes' are the same field; give one", bytes->pos,
            path + ".bytes");
    d.value = number(value ? value : bytes, path + (value ? ".value" : ".bytes"), 0, 0, 1e12);
    d.min = number(node->find("min"), path + ".min", 0, 0, 1e12);
    d.max = number(node->find("max"), path + ".max", 0, 0, 1e12);
    d.mean = number(node->find("mean"), path + ".mean", 0, 0, 1e12);
    using K = DistributionSpec::Kind;
    auto need = [&](const char* key, bool have) {
      if (!have && kind.present)
        error("KSF0013", "a " + kind.value + " distribution needs '" + key + "'", node->pos, path);
    };
    if (d.kind.value == K::Fixed) need("value", d.value.present);
    if (d.kind.value == K::Uniform) {
      need("min", d.min.present);
      need("max", d.max.present);
      if (d.min.present && d.max.present && d.min.value > d.max.value)
        error("KSF0010", "uniform distribution has min " + node->find("min")->scalar +
                             " above max " + node->find("max")->scalar, d.min.pos, path + ".min");
    }
    if (d.kind.value == K::Exponential) need("mean", d.mean.present);
    return d;
  }

  void read_load(const Node& node, Spec& spec) {
    LoadSpec& l = spec.load;
    default_load(l);
    l.pos = node.pos;
    l.present = true;
    if (!expect_map(node, "load", {"seed", "frames", "allocator_mode", "source", "sources", "stages", "faults"}))
      return;
    if (const Node* seed = node.find("seed")) {
      auto v = seed->is_scalar() && !seed->quoted ? scalar::parse_integer(seed->scalar)
                                                  : std::nullopt;
      if (!v) {
        error("KSF0009", "'seed' must be an integer from 0 to 18446744073709551615, not " +
                             seed->describe(), seed->pos, "load.seed");
      } else if (v->negative || v->overflow) {
        error("KSF0010", "'seed' must be from 0 to 18446744073709551615: " + seed->scalar,
              seed->pos, "load.seed");
      } else {
        l.seed = {v->magnitude, seed->pos, true};
      }
    }
    l.frames = ulong(node.find("frames"), "load.frames", 10000);
    if (l.frames.present && l.frames.value > kMaxLoadFrames)
      error("KSF0010", "'frames' is " + std::to_string(l.frames.value) + "; a load runs at most " +
                           std::to_string(kMaxLoadFrames) + " source frames", l.frames.pos, "load.frames",
            "a few thousand frames show a pipe's steady state");
    l.allocator_mode = choice(node.find("allocator_mode"), "load.allocator_mode", {"irp", "direct"}, "irp");
    if (const Node* src = node.find("source"); src && expect_source_map(*src, "load.source")) {
      l.source_rate_hz = number(src->find("rate_hz"), "load.source.rate_hz", 30.0, 1e-6, 1e6);
      l.payload = read_distribution(src->find("payload"), "load.source.payload");
      l.jitter_us = read_distribution(src->find("jitter_us"), "load.source.jitter_us");
      l.burst_frames = burst(src->find("burst_frames"), "load.source.burst_frames");
      l.when_starved = choice(src->find("when_starved"), "load.source.when_starved", {"wait", "drop"}, "wait");
    }
    if (const Node* sources = node.find("sources")) read_sources(*sources, spec);
    if (const Node* faults = node.find("faults");
        faults && expect_map(*faults, "load.faults", {"allocation_failure_rate", "lose_frames"})) {
      l.allocation_failure_rate = number(faults->find("allocation_failure_rate"),
                                         "load.faults.allocation_failure_rate", 0.0, 0.0, 1.0);
      l.lose_frames = ulong(faults->find("lose_frames"), "load.faults.lose_frames", 0);
    }
    const Node* stages = node.find("stages");
    if (!stages) return;
    if (!stages->is_map()) {
      expect_map(*stages, "load.stages", {});
      return;
    }
    std::vector<std::string> filters;
    std::map<std::string, int> filter_index;
    for (std::size_t i = 0; i < spec.filters.size(); ++i) {
      filters.push_back(spec.filters[i].name.value);
      filter_index.emplace(spec.filters[i].name.value, static_cast<int>(i));
    }
    for (const auto& [key, value] : stages->entries) {
      StageSpec s;
      s.pos = value.pos;
      s.filter = {key.scalar, key.pos, true};
      const std::string path = "load.stages." + key.scalar;
      if (auto it = filter_index.find(key.scalar); it != filter_index.end()) s.filter_index = it->second;
      if (s.filter_index < 0)
        error("KSF0017", "load stage names filter " + text::quote(key.scalar) +
                             ", which does not exist", key.pos, path,
              list_hint(key.scalar, filters, "filters"));
      if (expect_map(value, path, {"service_us", "hold_frames"})) {
        s.service_us = read_distribution(value.find("service_us"), path + ".service_us");
        s.hold_frames = ulong(value.find("hold_frames"), path + ".hold_frames", 0);
      }
      l.stages.push_back(std::move(s));
    }
  }

  // load.source and each load.sources entry take the same keys.
  bool expect_source_map(const Node& node, const std::string& path) {
    return expect_map(node, path, {"rate_hz", "payload", "jitter_us", "burst_frames", "when_starved"});
  }

  LU32 burst(const Node* node, const std::string& path) {
    LU32 v = ulong(node, path, 1);
    if (v.present && v.value == 0) {
      error("KSF0010", "'burst_frames' must be at least 1 (1: one frame per period, no burst)", v.pos, path);
      v.present = false;
      v.value = 1;
    }
    return v;
  }

  // load.sources.<filter>.<pin>: the same keys as load.source, for one source pin. The names are
  // checked as the other name references are: a located error with a did-you-mean.
  void read_sources(const Node& node, Spec& spec) {
    if (!node.is_map()) {
      expect_map(node, "load.sources", {});
      return;
    }
    std::vector<std::string> filters;
    for (const auto& f : spec.filters) filters.push_back(f.name.value);
    for (const auto& [fkey, pins] : node.entries) {
      const std::string fpath = "load.sources." + fkey.scalar;
      int filter = -1;
      for (std::size_t i = 0; i < spec.filters.size(); ++i)
        if (spec.filters[i].name.value == fkey.scalar) filter = static_cast<int>(i);
      if (filter < 0) {
        error("KSF0017", "load source names filter " + text::quote(fkey.scalar) + ", which does not exist", fkey.pos,
              fpath, list_hint(fkey.scalar, filters, "filters"));
        continue;
      }
      if (!pins.is_map()) {
        expect_map(pins, fpath, {});
        continue;
      }
      const FilterSpec& f = spec.filters[filter];
      std::vector<std::string> outputs;  // the names a source can have
      for (const auto& p : f.pins)
        if (p.dataflow.value == ks::Dataflow::Out) outputs.push_back(p.name.value);
      for (const auto& [pkey, value] : pins.entries) {
        const std::string path = fpath + "." + pkey.scalar;
        SourceSpec s;
        s.pos = value.pos;
        s.filter = {fkey.scalar, fkey.pos, true};
        s.pin = {pkey.scalar, pkey.pos, true};
        for (std::size_t i = 0; i < f.pins.size(); ++i)
          if (f.pins[i].name.value == pkey.scalar) s.ref = {filter, static_cast<int>(i)};
        if (!s.ref.resolved()) {
          error("KSF0017", "load source names pin " + text::quote(pkey.scalar) + ", which filter '" + fkey.scalar +
                               "' does not have", pkey.pos, path, list_hint(pkey.scalar, outputs, "output pins of this filter"));
          continue;
        }
        if (spec.pin(s.ref).dataflow.value != ks::Dataflow::Out) {
          error("KSF0017", "load source names " + text::quote(fkey.scalar + "." + pkey.scalar) +
                               ", an input pin; a source produces frames on an output pin", pkey.pos, path,
                list_hint(pkey.scalar, outputs, "output pins of this filter"));
          continue;
        }
        if (!expect_source_map(value, path)) continue;
        if (const Node* r = value.find("rate_hz")) s.rate_hz = number(r, path + ".rate_hz", 30.0, 1e-6, 1e6);
        s.payload = read_distribution(value.find("payload"), path + ".payload");
        s.jitter_us = read_distribution(value.find("jitter_us"), path + ".jitter_us");
        s.burst_frames = burst(value.find("burst_frames"), path + ".burst_frames");
        s.when_starved = choice(value.find("when_starved"), path + ".when_starved", {"wait", "drop"}, "wait");
        spec.load.sources.push_back(std::move(s));
      }
    }
  }

  std::string file_;
  std::map<std::string, PinRef> pin_index_;
};

}  // namespace

LoadResult load_spec_tree(const Node& root, const std::string& file) {
  LoadResult result;
  Loader loader(file, result.diagnostics);
  result.spec = loader.load(root);
  return result;
}

}  // namespace ksframe
