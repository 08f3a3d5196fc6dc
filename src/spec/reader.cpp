#include "spec/reader.hpp"

#include <cmath>

#include "ksframe/rules.hpp"
#include "spec/expr.hpp"
#include "spec/scalar.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

std::string last_segment(const std::string& path) {
  auto dot = path.find_last_of('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::vector<std::string> names_of(ks::Table table) {
  std::vector<std::string> out;
  for (const auto& row : table) out.emplace_back(row.name);
  return out;
}

}  // namespace

void Reader::error(RuleId rule, std::string message, Position pos, const std::string& subject,
                   std::string hint) {
  Diagnostic d = make_diagnostic(rule, std::move(message), at(pos), std::move(hint));
  d.subject = subject;
  diags_.push_back(std::move(d));
}

void Reader::wrong_type(const Node& node, const std::string& path, const std::string& expected) {
  std::string hint;
  if (node.is_scalar() && node.quoted && scalar::parse_integer(node.scalar))
    hint = "remove the quotes: a quoted number is a string in YAML";
  const std::string what = path.empty() ? "the spec" : "'" + last_segment(path) + "'";
  error("KSF0009", what + " must be " + expected + ", not " + node.describe(), node.pos, path,
        hint);
}

bool Reader::expect_map(const Node& node, const std::string& path,
                        std::initializer_list<std::string_view> allowed) {
  if (!node.is_map()) {
    wrong_type(node, path, "a mapping");
    return false;
  }
  std::vector<std::string> candidates(allowed.begin(), allowed.end());
  for (const auto& [key, value] : node.entries) {
    bool known = false;
    for (auto a : allowed) known = known || key.scalar == a;
    if (known) continue;
    std::string where = path.empty() ? "at the top level" : "in '" + path + "'";
    auto suggestion = text::did_you_mean(key.scalar, candidates);
    std::string hint = suggestion ? "did you mean '" + *suggestion + "'?" : std::string();
    if (!suggestion) {
      hint = "known keys here: ";
      for (std::size_t i = 0; i < candidates.size(); ++i) hint += (i ? ", " : "") + candidates[i];
    }
    error("KSF0008", "unknown key " + text::quote(key.scalar) + " " + where, key.pos,
          path.empty() ? key.scalar : path + "." + key.scalar, hint);
  }
  return true;
}

bool Reader::expect_seq(const Node& node, const std::string& path) {
  if (node.is_seq()) return true;
  wrong_type(node, path, "a list");
  return false;
}

bool Reader::require(const Node& map, std::string_view key, const std::string& path) {
  if (map.find(key)) return true;
  error("KSF0013",
        "missing required key '" + std::string(key) + "'" +
            (path.empty() ? "" : " in '" + path + "'"),
        map.pos, path);
  return false;
}

bool Reader::is_expression(const Node& node) {
  return node.is_scalar() && scalar::classify(node) == scalar::Type::String &&
         !(node.quoted && scalar::parse_integer(node.scalar)) &&
         expr::looks_like_expression(node.scalar);
}

std::optional<std::int64_t> Reader::expression(const Node& node, const std::string& path,
                                               std::span<const expr::Constant> names) {
  // A driver's size expression is a line of C; the bound keeps diagnostics that quote the text
  // short (and is the schema's maxLength).
  if (node.scalar.size() > kMaxExpressionBytes) {
    error("KSF0010",
          "'" + last_segment(path) + "' is an expression of " + std::to_string(node.scalar.size()) +
              " bytes; at most " + std::to_string(kMaxExpressionBytes) + " are allowed",
          node.pos, path, "compute the value, or name it with a shorter expression");
    return std::nullopt;
  }
  const expr::Result r = expr::evaluate(node.scalar, names);
  if (r.value) return r.value;
  // The token's column: the scalar's, past an opening quote, plus the code points before it.
  // A scalar folded over several lines has lost its line breaks, so it is located at its start.
  Position at = node.pos;
  if (node.scalar.find('\n') == std::string::npos) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < r.offset && i < node.scalar.size(); ++i)
      if ((static_cast<unsigned char>(node.scalar[i]) & 0xC0) != 0x80) ++points;
    at.column += static_cast<decltype(at.column)>(points + (node.quoted ? 1 : 0));
  }
  error("KSF0010", "'" + last_segment(path) + "' is " + text::quote(node.scalar) + ": " + r.error,
        at, path, r.hint);
  return std::nullopt;
}

LU32 Reader::ulong(const Node* node, const std::string& path, ks::ULONG fallback,
                   bool allow_unbounded) {
  return read_ulong(node, path, fallback, allow_unbounded, false);
}

LU32 Reader::size(const Node* node, const std::string& path, ks::ULONG fallback,
                  bool allow_unbounded) {
  return read_ulong(node, path, fallback, allow_unbounded, true);
}

LU32 Reader::read_ulong(const Node* node, const std::string& path, ks::ULONG fallback,
                        bool allow_unbounded, bool expressions) {
  LU32 out{fallback, {}, false};
  if (!node) return out;
  out.pos = node->pos;
  const std::string expected =
      std::string("an integer from 0 to 4294967295") + (allow_unbounded ? " or 'unbounded'" : "");
  if (allow_unbounded && node->is_scalar() && !node->quoted && node->scalar == "unbounded") {
    out.value = ks::kUnbounded;
    out.present = true;
    return out;
  }
  // A name close to a constant (`PAGE_SIZ`) is a mistyped expression: say so with a did-you-mean.
  auto near_constant = [&] {
    if (!node->is_scalar() || scalar::classify(*node) != scalar::Type::String) return false;
    std::vector<std::string> names;
    for (const auto& c : expr::constants()) names.emplace_back(c.name);
    return text::did_you_mean(node->scalar, names).has_value();
  };
  if (!expressions && is_expression(*node)) {
    // Sizes are arithmetic in a driver's source; counts, ids and weights are not (the format
    // says which fields are sizes, and the schema editors use agrees).
    error("KSF0009",
          "'" + last_segment(path) + "' must be " + expected + ", not the expression " +
              text::quote(node->scalar),
          node->pos, path,
          "integer expressions are allowed in sizes only (docs/spec.md, Integer expressions)");
    return out;
  }
  if (expressions && (is_expression(*node) || near_constant())) {
    const auto v = expression(*node, path);
    if (!v) return out;
    if (*v < 0 || *v > 0xFFFFFFFFll) {
      error("KSF0010",
            "'" + last_segment(path) + "' " +
                (*v < 0 ? "is negative" : "is larger than 4294967295 (0xFFFFFFFF)") + ": " +
                node->scalar + " = " + std::to_string(*v),
            node->pos, path,
            "ULONG fields hold 0 to 4294967295" +
                std::string(allow_unbounded ? "; write 'unbounded' for 0xFFFFFFFF" : ""));
      return out;
    }
    out.value = static_cast<ks::ULONG>(*v);
    out.present = true;
    out.expr = node->scalar;
    return out;
  }
  if (scalar::classify(*node) != scalar::Type::Integer) {
    wrong_type(*node, path, expected);
    return out;
  }
  auto v = scalar::parse_integer(node->scalar);
  if (!v || v->negative || v->overflow || v->magnitude > 0xFFFFFFFFull) {
    std::string why = v && v->negative ? "is negative" : "is larger than 4294967295 (0xFFFFFFFF)";
    error("KSF0010", "'" + last_segment(path) + "' " + why + ": " + node->scalar, node->pos, path,
          "ULONG fields hold 0 to 4294967295" +
              std::string(allow_unbounded ? "; write 'unbounded' for 0xFFFFFFFF" : ""));
    return out;
  }
  out.value = static_cast<ks::ULONG>(v->magnitude);
  out.present = true;
  return out;
}

LU32 Reader::flags(const Node* node, const std::string& path, ks::Table table, ks::ULONG fallback) {
  LU32 out{fallback, {}, false};
  if (!node) return out;
  out.pos = node->pos;
  if (node->is_scalar() && scalar::classify(*node) == scalar::Type::Integer)
    return ulong(node, path, fallback);
  if (node->is_scalar() && !node->quoted) {
    // A single bare name: accept it as a one-element list would be read, but say so.
    if (ks::lookup(table, node->scalar)) {
      error("KSF0009", "'" + last_segment(path) + "' must be a list of flag names or an integer",
            node->pos, path, "write [" + node->scalar + "]");
      return out;
    }
  }
  if (!node->is_seq()) {
    wrong_type(*node, path, "a list of flag names or an integer");
    return out;
  }
  const auto candidates = names_of(table);
  ks::ULONG bits = 0;
  bool ok = true;
  for (std::size_t i = 0; i < node->items.size(); ++i) {
    const Node& item = node->items[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.is_scalar()) {
      wrong_type(item, item_path, "a flag name");
      ok = false;
      continue;
    }
    if (auto v = ks::lookup(table, item.scalar)) {
      bool twice = false;
      for (std::size_t j = 0; j < i; ++j) twice = twice || node->items[j].scalar == item.scalar;
      if (twice) {  // harmless to the bits, but a list that says one thing twice is a slip
        ok = false;
        error(
            "KSF0012",
            "flag " + text::quote(item.scalar) + " is listed twice in '" + last_segment(path) + "'",
            item.pos, item_path, "list each flag once");
        continue;
      }
      bits |= *v;
      continue;
    }
    ok = false;
    error("KSF0011",
          "unknown flag " + text::quote(item.scalar) + " in '" + last_segment(path) + "'", item.pos,
          item_path,
          text::did_you_mean(item.scalar, candidates)
              ? "did you mean '" + *text::did_you_mean(item.scalar, candidates) + "'?"
              : "flags that have no name can be given as an integer, e.g. 0x00000010");
  }
  if (ok) {
    out.value = bits;
    out.present = true;
  }
  return out;
}

LU32 Reader::enumerated(const Node* node, const std::string& path, ks::Table table,
                        std::initializer_list<ks::NamedValue> aliases, ks::ULONG fallback,
                        bool integers_allowed, const char* what, bool expressions_allowed) {
  LU32 out{fallback, {}, false};
  if (!node) return out;
  out.pos = node->pos;
  if (integers_allowed && node->is_scalar() && scalar::classify(*node) == scalar::Type::Integer)
    return ulong(node, path, fallback);
  // `FILE_LONG_ALIGNMENT` is the table's name; `2 * FILE_LONG_ALIGNMENT + 1` an expression.
  if (integers_allowed && is_expression(*node) && !ks::lookup(table, node->scalar)) {
    if (expressions_allowed) return size(node, path, fallback);
    return ulong(node, path, fallback);  // says that an expression is not allowed here
  }
  if (!node->is_scalar() || scalar::classify(*node) != scalar::Type::String ||
      (integers_allowed && node->quoted && scalar::parse_integer(node->scalar))) {
    wrong_type(*node, path,
               std::string("a ") + what + " name" + (integers_allowed ? " or an integer" : ""));
    return out;
  }
  for (const auto& a : aliases)
    if (a.name == node->scalar) {
      out.value = a.value;
      out.present = true;
      return out;
    }
  if (auto v = ks::lookup(table, node->scalar)) {
    out.value = *v;
    out.present = true;
    return out;
  }
  std::vector<std::string> candidates;
  for (const auto& a : aliases) candidates.emplace_back(a.name);
  for (const auto& row : table) candidates.emplace_back(row.name);
  auto suggestion = text::did_you_mean(node->scalar, candidates);
  std::string hint;
  if (suggestion) {
    hint = "did you mean '" + *suggestion + "'?";
  } else {
    hint = "one of: ";
    for (std::size_t i = 0; i < candidates.size() && i < 12; ++i)
      hint += (i ? ", " : "") + candidates[i];
    if (candidates.size() > 12) hint += ", ...";
  }
  error("KSF0011", "unknown " + std::string(what) + " " + text::quote(node->scalar), node->pos,
        path, hint);
  return out;
}

Located<ks::Guid> Reader::guid(const Node* node, const std::string& path, ks::GuidKind kind) {
  Located<ks::Guid> out;
  if (!node) return out;
  out.pos = node->pos;
  if (!node->is_scalar() || scalar::classify(*node) != scalar::Type::String) {
    wrong_type(*node, path, "a GUID name or GUID text");
    return out;
  }
  const char* what = kind == ks::GuidKind::Bus ? "bus type" : "memory type";
  for (const auto& row : ks::named_guids()) {
    if (row.name != node->scalar) continue;
    if (row.kind == kind || row.name == "GUID_NULL") {
      out.value = *ks::Guid::parse(row.text);
      out.present = true;
      return out;
    }
    // A GUID of another kind (a bus type as memory type, a property set) is a mistake; its
    // text, when that is what is meant, is still accepted.
    error("KSF0011",
          text::quote(node->scalar) +
              (row.kind == ks::GuidKind::Bus      ? " is a bus type, not a "
               : row.kind == ks::GuidKind::Memory ? " is a memory type, not a "
                                                  : " is not a ") +
              what,
          node->pos, path,
          kind == ks::GuidKind::Bus ? "write a GUID_BUS_TYPE_* name, GUID_NULL or GUID text"
                                    : "write a KSMEMORY_TYPE_* name, GUID_NULL or GUID text");
    return out;
  }
  if (auto g = ks::Guid::parse(node->scalar)) {
    out.value = *g;
    out.present = true;
    return out;
  }
  std::vector<std::string> candidates;
  for (const auto& g : ks::named_guids())
    if (g.kind == kind || g.name == "GUID_NULL") candidates.emplace_back(g.name);
  unknown_guid_name(*node, path, what, candidates,
                    "write a name such as KSMEMORY_TYPE_KERNEL_NONPAGED or GUID text "
                    "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  return out;
}

void Reader::unknown_guid_name(const Node& node, const std::string& path, const std::string& what,
                               const std::vector<std::string>& names, const std::string& hint) {
  auto suggestion = text::did_you_mean(node.scalar, names);
  error("KSF0011",
        "unknown " + what + " " + text::quote(node.scalar) + ": not a known name and not GUID text",
        node.pos, path, suggestion ? "did you mean '" + *suggestion + "'?" : hint);
}

Located<bool> Reader::boolean(const Node* node, const std::string& path, bool fallback) {
  Located<bool> out{fallback, {}, false};
  if (!node) return out;
  out.pos = node->pos;
  if (scalar::classify(*node) != scalar::Type::Bool) {
    wrong_type(*node, path, "true or false");
    return out;
  }
  out.value = *scalar::parse_bool(node->scalar);
  out.present = true;
  return out;
}

Located<std::string> Reader::string(const Node* node, const std::string& path) {
  Located<std::string> out;
  if (!node) return out;
  out.pos = node->pos;
  if (!node->is_scalar() || scalar::classify(*node) != scalar::Type::String) {
    wrong_type(*node, path, "a string");
    return out;
  }
  out.value = node->scalar;
  out.present = true;
  return out;
}

Located<double> Reader::number(const Node* node, const std::string& path, double fallback,
                               double min, double max) {
  Located<double> out{fallback, {}, false};
  if (!node) return out;
  out.pos = node->pos;
  auto type = scalar::classify(*node);
  if (type != scalar::Type::Integer && type != scalar::Type::Float) {
    wrong_type(*node, path, "a number");
    return out;
  }
  auto v = scalar::parse_float(node->scalar);
  if (!v || !std::isfinite(*v) || *v < min || *v > max) {
    char range[96];
    std::snprintf(range, sizeof range, "from %g to %g", min, max);
    error("KSF0010",
          "'" + last_segment(path) + "' must be a finite number " + range + ": " + node->scalar,
          node->pos, path);
    return out;
  }
  out.value = *v;
  out.present = true;
  return out;
}

Located<std::string> Reader::choice(const Node* node, const std::string& path,
                                    std::initializer_list<std::string_view> choices,
                                    std::string_view fallback) {
  Located<std::string> out{std::string(fallback), {}, false};
  if (!node) return out;
  out.pos = node->pos;
  std::vector<std::string> candidates(choices.begin(), choices.end());
  std::string list;
  for (std::size_t i = 0; i < candidates.size(); ++i) list += (i ? ", " : "") + candidates[i];
  if (!node->is_scalar() || scalar::classify(*node) != scalar::Type::String) {
    wrong_type(*node, path, "one of " + list);
    return out;
  }
  for (auto c : choices)
    if (c == node->scalar) {
      out.value = node->scalar;
      out.present = true;
      return out;
    }
  auto s = text::did_you_mean(node->scalar, candidates);
  error(
      "KSF0011",
      "'" + last_segment(path) + "' must be one of " + list + ", not " + text::quote(node->scalar),
      node->pos, path, s ? "did you mean '" + *s + "'?" : "");
  return out;
}

}  // namespace ksframe
