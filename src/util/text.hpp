// Small text helpers shared by the loader, lint and the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksframe::text {

/// The closest candidate to `word` by edit distance (case-insensitive), if it is close enough to
/// be a plausible typo: at most max(1, ceil(len/3)) edits (a transposition counts as one). Ties go to the earlier candidate.
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates);
/// " (did you mean 'x'?)" or "".
std::string suggestion_suffix(std::string_view word, const std::vector<std::string>& candidates);

/// Byte offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and code
/// points above U+10FFFF count as invalid), or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view bytes);
/// Byte offset of the first C0 control character other than TAB, LF and CR (YAML does not allow
/// them in a document), or of DEL; nullopt if there is none.
std::optional<std::size_t> first_control_character(std::string_view bytes);

/// Maps byte offsets to 1-based line and code-point column.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  struct Position {
    std::uint32_t line, column;
  };
  Position at(std::size_t offset) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

/// Quotes a string for a message: 'value', with control characters escaped and long values cut.
std::string quote(std::string_view value);

}  // namespace ksframe::text
