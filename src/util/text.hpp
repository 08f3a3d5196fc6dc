// Small text helpers shared by the loader, lint and the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksframe::text {

/// The closest candidate to `word` by edit distance (case-insensitive), if it is close enough to
/// be a plausible typo: at most max(1, ceil(len/3)) edits (a transposition counts as one). Ties go
/// to the earlier candidate.
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

/// Byte offset of the first character that must not reach a terminal or a rendered report
/// through a value: a C0 control other than TAB, LF and CR, DEL, a C1 control (U+0080 to
/// U+009F, CSI among them) or a bidirectional override (U+202A-U+202E, U+2066-U+2069, which
/// make text read differently from what it is). `s` is valid UTF-8.
std::optional<std::size_t> first_unsafe_character(std::string_view s);
/// "U+001B" for the UTF-8 character at byte `offset` of `s`.
std::string code_point_name(std::string_view s, std::size_t offset);

/// A file name as outputs show it: unchanged when it is valid UTF-8 without control characters
/// (any C0 control, DEL, C1 controls, bidirectional overrides); otherwise each byte that is not
/// part of a valid character, and each byte of a control character, is written \xNN. Every output
/// format can then hold it, and a name cannot write escape sequences to a terminal or a CI log.
std::string display_name(std::string_view path);

/// Maps byte offsets to 1-based line and code-point column. A lookup is a binary search over
/// the line starts and over checkpoints of the code-point count every kBlock bytes, then a scan
/// of at most kBlock bytes, so a file that is one long line (minified JSON) costs what a
/// pretty-printed one does. The index takes about 4 bytes per line plus 4 per kBlock bytes;
/// texts are cut at 4 GiB (every input limit is far below that).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  struct Position {
    std::uint32_t line, column;
  };
  Position at(std::size_t offset) const;

 private:
  static constexpr std::size_t kBlock = 64;
  std::uint64_t code_points_before(std::size_t offset) const;

  std::string_view text_;
  std::vector<std::uint32_t> line_starts_;
  std::vector<std::uint32_t> block_code_points_;  ///< code points before byte i * kBlock
};

/// Quotes a string for a message: 'value', with control characters escaped and values longer
/// than 60 characters cut after the 60th (never inside a UTF-8 sequence).
std::string quote(std::string_view value);

}  // namespace ksframe::text
