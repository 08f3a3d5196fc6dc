// A closed set of words (an enum of the report JSON, explore's row statuses) and its C++ enum:
// the words are listed in the order of the enumerators, so to_string indexes them and parsing
// searches them, and a word outside the set parses to nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ksframe::words {

template <class Enum, std::size_t N>
constexpr std::string_view of(const std::string_view (&words)[N], Enum value) {
  return words[static_cast<std::size_t>(value)];
}

template <class Enum, std::size_t N>
constexpr std::optional<Enum> parse(const std::string_view (&words)[N], std::string_view word) {
  for (std::size_t i = 0; i < N; ++i)
    if (words[i] == word) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace ksframe::words
