// A spec's tree in the form its JSON Schema (spec_schema_text()) is written against, for the
// code that validates specs with it: tests/unit/schema_test.cpp, which holds the schema and the
// loader to agreement, and bench/bench_spec_load.cpp, which measures what that pass costs.
#pragma once

#include <nlohmann/json.hpp>

#include "ksframe/yaml_tree.hpp"

namespace ksframe {

/// The tree as an editor's YAML language server sees it: YAML 1.2 core-schema typing of each
/// scalar (scalar::classify, as the loader types it). An integer beyond int64_t becomes
/// +-1e300 (out of every range the schema allows); NaN becomes its text (it has no JSON form).
nlohmann::json spec_tree_json(const Node& node);

}  // namespace ksframe
