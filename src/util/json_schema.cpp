#include "util/json_schema.hpp"

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema_parser.hpp>

namespace ksframe {

std::unique_ptr<valijson::Schema> compile_draft7_schema(std::string_view schema_text) {
  auto schema = std::make_unique<valijson::Schema>();
  const nlohmann::json doc = nlohmann::json::parse(schema_text);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  parser.populateSchema(adapter, *schema);
  return schema;
}

}  // namespace ksframe
