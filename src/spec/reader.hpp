// Typed reads from the YAML tree with located, helpful errors. Each read returns a Located value
// (its default when absent or wrong) and records diagnostics; it never throws.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/ks.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/expr.hpp"

namespace ksframe {

/// The longest integer expression, name and spec name the format takes (the schema's
/// maxLength of "expression", "name" and the top-level "name").
inline constexpr std::size_t kMaxExpressionBytes = 256;
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxSpecNameBytes = 256;

class Reader {
 public:
  /// `included`: the files of Position::file 1.. (Spec::included), for values read from them.
  Reader(std::string file, Diagnostics& diags, std::vector<std::string> included = {})
      : file_(std::move(file)), included_(std::move(included)), diags_(diags) {}

  void error(RuleId rule, std::string message, Position pos, const std::string& subject,
             std::string hint = {});
  void report(Diagnostic d) { diags_.push_back(std::move(d)); }
  Location at(Position pos) const { return locate(file_, included_, pos); }

  /// Reports keys of `map` not in `allowed` (with a did-you-mean). False if `map` is not a map.
  bool expect_map(const Node& node, const std::string& path,
                  std::initializer_list<std::string_view> allowed);
  bool expect_seq(const Node& node, const std::string& path);
  /// Reports a missing required key at the mapping; true when present.
  bool require(const Node& map, std::string_view key, const std::string& path);

  /// A ULONG written as an integer.
  LU32 ulong(const Node* node, const std::string& path, ks::ULONG fallback,
             bool allow_unbounded = false);
  /// A size (docs/spec.md, Values): a ULONG written as an integer or as an expression string
  /// (`2 * PAGE_SIZE`, see spec/expr.hpp) whose text is kept in the result's `expr`.
  LU32 size(const Node* node, const std::string& path, ks::ULONG fallback,
            bool allow_unbounded = false);
  /// The value of an expression scalar, or nullopt after a located error (at the offending
  /// token's column when the scalar is on one line). Call when expr::looks_like_expression().
  /// `names`: more names it may use (a framing_edit formula's format fields).
  std::optional<std::int64_t> expression(const Node& node, const std::string& path,
                                         std::span<const expr::Constant> names = {});
  /// True when a string scalar is an integer expression rather than a wrongly typed value (a
  /// quoted plain number stays a string, with the "remove the quotes" hint).
  static bool is_expression(const Node& node);
  LU32 flags(const Node* node, const std::string& path, ks::Table table, ks::ULONG fallback);
  /// An enumeration written as a name from `table`, or an integer (`integers_allowed`; also an
  /// expression with `expressions_allowed`), or one of the extra short `aliases` (name -> value).
  LU32 enumerated(const Node* node, const std::string& path, ks::Table table,
                  std::initializer_list<ks::NamedValue> aliases, ks::ULONG fallback,
                  bool integers_allowed, const char* what, bool expressions_allowed = false);
  Located<ks::Guid> guid(const Node* node, const std::string& path, ks::GuidKind kind);
  /// KSF0011 for a GUID written as a name that is none of `names`: the closest one, or `hint`.
  void unknown_guid_name(const Node& node, const std::string& path, const std::string& what,
                         const std::vector<std::string>& names, const std::string& hint);
  Located<bool> boolean(const Node* node, const std::string& path, bool fallback);
  Located<std::string> string(const Node* node, const std::string& path);
  Located<double> number(const Node* node, const std::string& path, double fallback, double min,
                         double max);
  Located<std::string> choice(const Node* node, const std::string& path,
                              std::initializer_list<std::string_view> choices,
                              std::string_view fallback);

 private:
  void wrong_type(const Node& node, const std::string& path, const std::string& expected);
  LU32 read_ulong(const Node* node, const std::string& path, ks::ULONG fallback,
                  bool allow_unbounded, bool expressions);
  std::string file_;
  std::vector<std::string> included_;
  Diagnostics& diags_;
};

}  // namespace ksframe
