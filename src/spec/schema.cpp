// Validation of a spec tree against schemas/ksframe-spec.schema.json with valijson. The tree is
// converted to JSON with YAML 1.2 core-schema typing (what an editor's YAML language server
// does), and each schema error is located at the node its path names.
#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/validator.hpp>

#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/scalar.hpp"
#include "util/json_schema.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace embedded {
std::string_view schema_spec();
}  // namespace embedded

std::string_view spec_schema_text() { return embedded::schema_spec(); }

namespace {

nlohmann::json to_json(const Node& node) {
  switch (node.kind) {
    case Node::Kind::Null:
      return nullptr;
    case Node::Kind::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node.items) arr.push_back(to_json(item));
      return arr;
    }
    case Node::Kind::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& [k, v] : node.entries) obj[k.scalar] = to_json(v);
      return obj;
    }
    case Node::Kind::Scalar:
      break;
  }
  switch (scalar::classify(node)) {
    case scalar::Type::Null:
      return nullptr;
    case scalar::Type::Bool:
      return *scalar::parse_bool(node.scalar);
    case scalar::Type::Integer: {
      auto v = scalar::parse_integer(node.scalar);
      if (!v || v->overflow) return 1e300;  // out of every range the schema allows
      // valijson reads every integer as int64_t, so 2^63 and above would turn negative and fail
      // "minimum: 0". INT64_MAX passes and fails the same ranges: only load.seed reaches it.
      if (!v->negative) return std::min<std::uint64_t>(v->magnitude, INT64_MAX);
      if (v->magnitude > 9223372036854775807ull) return -1e300;
      return -static_cast<std::int64_t>(v->magnitude);
    }
    case scalar::Type::Float: {
      auto v = scalar::parse_float(node.scalar);
      if (!v || *v != *v) return node.scalar;  // NaN has no JSON form; a string fails "number"
      if (*v > 1e300) return 1e300;
      if (*v < -1e300) return -1e300;
      return *v;
    }
    case scalar::Type::String:
      return node.scalar;
  }
  return node.scalar;
}

// The parsed schema is built once per process: parsing it costs more than validating a spec.
const valijson::Schema& compiled_schema() {
  static const std::unique_ptr<valijson::Schema> schema = compile_draft7_schema(spec_schema_text());
  return *schema;
}

const Node* node_at(const Node& root, const std::vector<std::string>& context,
                    std::string* path_text) {
  const Node* n = &root;
  for (std::size_t i = 1; i < context.size() && n; ++i) {  // context[0] is "<root>"
    std::string seg = context[i];
    if (seg.size() >= 2 && seg.front() == '[' && seg.back() == ']')
      seg = seg.substr(1, seg.size() - 2);
    if (n->is_seq()) {
      std::size_t idx = 0;
      try {
        idx = std::stoul(seg);
      } catch (...) {
        return n;
      }
      if (idx >= n->items.size()) return n;
      *path_text += "[" + seg + "]";
      n = &n->items[idx];
    } else if (n->is_map()) {
      const Node* child = n->find(seg);
      if (!child) return n;
      *path_text += (path_text->empty() ? "" : ".") + seg;
      n = child;
    } else {
      return n;
    }
  }
  return n;
}

const Position* key_position(const Node& map, const std::string& key) {
  for (const auto& [k, v] : map.entries)
    if (k.scalar == key) return &k.pos;
  return nullptr;
}

bool is_wrapper(const std::string& d) { return d.rfind("Failed to validate", 0) == 0; }

// The quoted name in one of valijson's messages, e.g. "Missing required property 'x'.": a
// prefix and a suffix compared, no regular expression over text a spec controls.
std::optional<std::string> quoted_in(const std::string& d, std::string_view prefix) {
  if (!d.starts_with(prefix) || !d.ends_with("'.") || d.size() < prefix.size() + 2)
    return std::nullopt;
  return d.substr(prefix.size(), d.size() - prefix.size() - 2);
}

}  // namespace

Diagnostics validate_spec_schema(const Node& root, const std::string& file,
                                 const std::vector<std::string>& included) {
  Diagnostics out;
  nlohmann::json doc;
  try {
    doc = to_json(root);
  } catch (const std::exception& e) {
    out.push_back(make_diagnostic("KSF0012",
                                  std::string("could not convert the spec for schema "
                                              "validation: ") +
                                      e.what(),
                                  locate(file, included, root.pos)));
    return out;
  }
  PooledValidator validator;  // keeps its compiled patterns between specs
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  validator->validate(compiled_schema(), adapter, &results);

  static constexpr std::string_view extra_property =
      "Object contains a property that could not be validated using 'properties' or "
      "'additionalProperties' "
      "constraints: '";
  static constexpr std::string_view missing = "Missing required property '";
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> seen;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (is_wrapper(error.description)) continue;
    std::string path;
    const Node* node = node_at(root, error.context, &path);
    if (!node) continue;
    Position pos = node->pos;
    RuleId rule = "KSF0012";
    std::string message = "does not match the schema: " + error.description;
    if (auto key = quoted_in(error.description, extra_property)) {
      rule = "KSF0008";
      message = "unknown key " + text::quote(*key);
      if (const Position* kp = key_position(*node, *key)) pos = *kp;
    } else if (auto required = quoted_in(error.description, missing)) {
      rule = "KSF0013";
      message = "missing required key '" + *required + "'";
    }
    // One diagnostic per place: a oneOf reports each alternative's failure at the same node.
    if (!seen.emplace(pos.file, pos.line, pos.column).second) continue;
    Diagnostic d = make_diagnostic(rule, (path.empty() ? "spec" : "'" + path + "'") + " " + message,
                                   locate(file, included, pos));
    if (rule == "KSF0012")
      d.message = (path.empty() ? std::string("the spec") : "'" + path + "'") + " " + message;
    d.subject = path;
    out.push_back(std::move(d));
  }
  sort_diagnostics(out);  // valijson's order is its traversal order; ours is the file's
  return out;
}

}  // namespace ksframe
