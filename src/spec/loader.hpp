// The loader of the spec format (YAML tree -> typed Spec), private to src/spec/: one class, as the
// readers of the sections call each other (a pin reads its data ranges, a connection its format
// and the pins' framing edits), with its member functions defined in one file a section of the
// format so each file can be read alone. load_spec_tree (loader.cpp) is its only user.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ksframe/format.hpp"
#include "ksframe/spec.hpp"
#include "spec/reader.hpp"

namespace ksframe::detail {

class Loader : public Reader {
 public:
  Loader(const std::string& file, Diagnostics& diags, const std::vector<std::string>& included)
      : Reader(file, diags, included), file_(file), included_(included) {}

  Spec load(const Node& root);

 private:
  // loader.cpp: the top level (lint:, options:) and the names of filters and pins.
  void read_lint(const Node* node, const std::string& path, LintConfig& out, bool top = false);
  void default_options(OptionsSpec& o);
  void read_options(const Node& node, OptionsSpec& o);
  std::string name_of(const Node& map, const std::string& path, Located<std::string>& out,
                      const std::string& fallback_path);
  void check_filter_names(const Spec& spec);
  void check_pin_names(const FilterSpec& f, const std::string& path);

  // loader_pins.cpp: filters, pins, implied consumers, framing and its edit.
  void read_filter(const Node& node, const std::string& index_path, Spec& spec);
  void read_pin(const Node& node, const std::string& filter_path, const std::string& index_path,
                std::size_t index, FilterSpec& f);
  std::optional<ImpliedConsumerSpec> read_implied_consumer(const Node& node,
                                                           const std::string& path);
  FramingEditSpec read_edit(const Node& node, const std::string& path, const PinSpec& p);
  /// `range`: the connection's format (Spec::format_range); `range_index`: the pin's own range
  /// in it (-1: the pin lists none, and its edit has no format to follow).
  static std::string formula_inputs(const DataRangeSpec& range, const FormatSpec& f);
  void apply_edit(PinSpec& p, int range_index, const DataRangeSpec& range, const FormatSpec& f,
                  const std::string& path);
  AllocatorModelSpec read_allocator(const Node& node, const std::string& path);
  LegacyFramingSpec read_legacy(const Node& node, const std::string& path);
  RangeSpec read_range(const Node* node, const std::string& path, bool weighted,
                       FramingItemSpec* item);
  FramingItemSpec read_item(const Node& node, const std::string& path);
  static void default_positions(FramingItemSpec& it);
  FramingExSpec read_framing_ex(const Node& node, const std::string& path);
  FramingExSpec read_simple(const Node& node, const std::string& path);

  // loader_formats.cpp: data ranges, format GUIDs, and the format of a connection.
  struct FormatChoice {
    bool ok = true;
    LU32 channels, bits, rate;  ///< audio values the spec fixes (present) or leaves to intersection
  };
  Located<ks::Guid> format_guid(const Node* node, const std::string& path, ks::FormatGuidKind kind);
  static std::string last_key(const std::string& path);
  void ulong_range(const Node* node, const std::string& path, LU32& min, LU32& max);
  LU32 compression(const Node* node, const std::string& path);
  DataRangeSpec read_data_range(const Node& node, const std::string& path);
  Located<std::int64_t> signed_long(const Node* node, const std::string& path);
  FormatChoice read_format_choice(const Node& node, const std::string& path, ConnectionSpec& c);
  static bool guid_match(const ks::Guid& a, const ks::Guid& b);
  static bool intersect(const DataRangeSpec& a, const DataRangeSpec& b, const FormatChoice& fixed,
                        FormatSpec& out);
  void resolve_format(const Spec& spec, ConnectionSpec& c, const FormatChoice& choice,
                      const std::string& path);

  // loader_graph.cpp: routes, connections and the implied consumers of unconnected pins.
  void read_route(const Node& node, const std::string& path, FilterSpec& f);
  int resolve_route_end(const FilterSpec& f, const Located<std::string>& name,
                        const std::string& path, ks::Dataflow wanted);
  static std::string list_hint(const std::string& word, const std::vector<std::string>& names,
                               const std::string& what);
  void read_connection(const Node& node, const std::string& path, Spec& spec);
  void index_pins(const Spec& spec);
  PinRef resolve_pin(const Spec& spec, const Located<std::string>& ref, const std::string& path);
  static bool streams_out(const PinSpec& p);
  void add_implied_consumers(Spec& spec);
  static bool wildcard(const DataRangeSpec& r);
  static std::string user_mode_refused(const FilterSpec& f, const PinSpec& p);

  // loader_workload.cpp: the `load:` section and its defaults from the connections' formats.
  void load_from_format(Spec& spec);
  void default_load(WorkloadSpec& l);
  DistributionSpec read_distribution(const Node* node, const std::string& path);
  void read_load(const Node& node, Spec& spec);
  bool expect_source_map(const Node& node, const std::string& path);
  LU32 burst(const Node* node, const std::string& path);
  bool read_source_keys(const Node& value, const std::string& path, SourceSpec* s = nullptr);
  void read_sources(const Node& node, Spec& spec);

  std::string file_;
  std::vector<std::string> included_;
  std::map<std::string, PinRef> pin_index_;
};

}  // namespace ksframe::detail
