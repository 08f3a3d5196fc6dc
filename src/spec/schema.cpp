// The spec format's JSON Schema, embedded at build time. The typed loader (loader.hpp) defines
// the format and reports every error; the schema describes the same format for editors (YAML
// language servers complete and check with it), and tests/unit/schema_test.cpp holds the two
// to agreement on every spec the tests have. It is not part of loading a spec.
#include <string_view>

#include "ksframe/spec.hpp"

namespace ksframe {
namespace embedded {
std::string_view schema_spec();
}  // namespace embedded

std::string_view spec_schema_text() { return embedded::schema_spec(); }

}  // namespace ksframe
