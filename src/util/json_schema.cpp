#include "util/json_schema.hpp"

#include <mutex>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema_parser.hpp>
#include <vector>

namespace ksframe {

std::unique_ptr<valijson::Schema> compile_draft7_schema(std::string_view schema_text) {
  auto schema = std::make_unique<valijson::Schema>();
  const nlohmann::json doc = nlohmann::json::parse(schema_text);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  parser.populateSchema(adapter, *schema);
  return schema;
}

namespace {

struct ValidatorPool {
  std::mutex mutex;
  std::vector<std::unique_ptr<valijson::Validator>>
      idle;  // at most one per thread that validated at once
};

ValidatorPool& validator_pool() {
  static ValidatorPool pool;
  return pool;
}

}  // namespace

PooledValidator::PooledValidator() {
  ValidatorPool& pool = validator_pool();
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    if (!pool.idle.empty()) {
      validator_ = std::move(pool.idle.back());
      pool.idle.pop_back();
      return;
    }
  }
  validator_ = std::make_unique<valijson::Validator>();
}

PooledValidator::~PooledValidator() {
  ValidatorPool& pool = validator_pool();
  std::lock_guard<std::mutex> lock(pool.mutex);
  pool.idle.push_back(std::move(validator_));
}

}  // namespace ksframe
