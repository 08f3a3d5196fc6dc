// A located YAML tree, built from yaml-cpp's event stream rather than YAML::Node so that
// duplicate keys, anchors, aliases, tags, depth and size are checked while parsing and every
// node keeps its 1-based line and code-point column. Invariants: map keys are scalars and
// unique; no node is shared (no aliases); depth <= ParseLimits::max_depth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/source.hpp"

namespace ksframe {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  /// Which file the line is in: 0 is the spec itself, k the k-th file it includes
  /// (Spec::included), so a value read from an included driver source keeps its C location.
  std::uint32_t file = 0;
};

struct MapEntry;

struct Node {
  enum class Kind { Null, Scalar, Sequence, Map };
  Kind kind = Kind::Null;
  std::string scalar;   ///< Scalar: the text
  bool quoted = false;  ///< Scalar: written in quotes (so "4" is a string, never an integer)
  Position pos;
  std::vector<Node> items;        ///< Sequence
  std::vector<MapEntry> entries;  ///< Map, in file order

  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Sequence; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_null() const { return kind == Kind::Null; }
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  /// "mapping", "list", "string", "integer", "boolean", "null" ... for messages.
  std::string describe() const;
};

/// A key and its value. (Not std::pair: a pair of an incomplete type is not allowed inside
/// Node itself.)
struct MapEntry {
  Node first;   ///< the key, always a scalar
  Node second;  ///< the value
};

/// Checked before or while parsing, so a hostile file is refused before it costs memory or
/// stack: nesting (also counted over the raw brackets before yaml-cpp, which buffers a whole
/// run of '[' before it reports any), node count, and the length of every key and scalar (no
/// value of the format is near 1 KiB; the schema's patterns then only ever see short text).
struct ParseLimits {
  unsigned max_depth = 64;
  std::size_t max_nodes = 2'000'000;
  std::size_t max_scalar_bytes = 1024;
};

struct ParsedYaml {
  std::optional<Node> root;  ///< absent when the file could not be parsed at all
  Diagnostics diagnostics;
};

/// Checks UTF-8, then parses one YAML document. Never throws.
ParsedYaml parse_yaml(const SourceFile& file, const ParseLimits& limits = {});

}  // namespace ksframe
