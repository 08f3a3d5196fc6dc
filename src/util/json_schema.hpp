// The JSON Schemas ksframe validates against (the spec's, the report's) are embedded in the
// binary; this compiles one for valijson.
#pragma once

#include <valijson/schema.hpp>

#include <memory>
#include <string_view>

namespace ksframe {

/// Parses a draft-07 schema. Callers keep the result for the process's lifetime: parsing a
/// schema costs more than validating a document against it.
std::unique_ptr<valijson::Schema> compile_draft7_schema(std::string_view schema_text);

}  // namespace ksframe
