// The spec format's JSON Schema, embedded at build time. The typed loader (loader.hpp) defines
// the format and reports every error; the schema describes the same format for editors (YAML
// language servers complete and check with it), and tests/unit/schema_test.cpp holds the two
// to agreement on every spec the tests have. It is not part of loading a spec; the tree's JSON
// form is here for the code that validates against it (spec/schema.hpp).
#include "spec/schema.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "ksframe/spec.hpp"
#include "spec/scalar.hpp"

namespace ksframe {
namespace embedded {
std::string_view schema_spec();
}  // namespace embedded

std::string_view spec_schema_text() { return embedded::schema_spec(); }

nlohmann::json spec_tree_json(const Node& node) {
  switch (node.kind) {
    case Node::Kind::Null:
      return nullptr;
    case Node::Kind::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node.items) arr.push_back(spec_tree_json(item));
      return arr;
    }
    case Node::Kind::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& [k, v] : node.entries) obj[k.scalar] = spec_tree_json(v);
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

}  // namespace ksframe
