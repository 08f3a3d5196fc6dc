// YAML 1.2 core-schema typing of a scalar, shared by the loader and the JSON conversion used for
// schema validation, so both see the same type for the same text. Quoted scalars are strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ksframe/yaml_tree.hpp"

namespace ksframe::scalar {

enum class Type { Null, Bool, Integer, Float, String };

Type classify(const Node& node);

/// Integer value of a core-schema integer scalar (decimal, or 0x hex). `negative` is set for a
/// leading '-'; `overflow` when the magnitude does not fit in 64 bits.
struct Integer {
  std::uint64_t magnitude = 0;
  bool negative = false;
  bool overflow = false;
};
std::optional<Integer> parse_integer(std::string_view text);
std::optional<double> parse_float(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);

}  // namespace ksframe::scalar
