#include "util/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace ksframe::text {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "itmes" is
// one edit from "items"), with an early exit above `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t best = d[i][0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      best = std::min(best, d[i][j]);
    }
    if (best > limit) return limit + 1;
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, (word.size() + 2) / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    // A word that is a whole suffix of a long ks.h name ("SYSTEM_MEMORY" for
    // KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY) is a strong hint: prefer it.
    if (word.size() >= 4 && candidate.size() > word.size()) {
      std::string tail = candidate.substr(candidate.size() - word.size());
      if (edit_distance(tail, word, 0) == 0 && candidate[candidate.size() - word.size() - 1] == '_')
        return candidate;
    }
    const std::size_t d = edit_distance(word, candidate, limit);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string suggestion_suffix(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = did_you_mean(word, candidates);
  return best ? " (did you mean '" + *best + "'?)" : std::string();
}

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::nullopt;
}

std::optional<std::size_t> first_control_character(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
  }
  return std::nullopt;
}

namespace {

std::uint32_t decode_at(std::string_view s, std::size_t i, std::size_t* length) {
  const auto b = [&](std::size_t k) {
    return static_cast<unsigned char>(i + k < s.size() ? s[i + k] : 0);
  };
  const unsigned char c = b(0);
  if (c < 0x80) return *length = 1, c;
  if ((c & 0xE0) == 0xC0) return *length = 2, ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  if ((c & 0xF0) == 0xE0)
    return *length = 3, ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
  return *length = 4,
         ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
}

// Every control character and bidirectional override: what a file name must not show raw.
bool control(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// In a spec value TAB, LF and CR are whitespace: renderers fold line breaks into spaces.
bool unsafe(std::uint32_t cp) { return control(cp) && cp != '\t' && cp != '\n' && cp != '\r'; }

}  // namespace

std::optional<std::size_t> first_unsafe_character(std::string_view s) {
  for (std::size_t i = 0, len = 1; i < s.size(); i += len)
    if (unsafe(decode_at(s, i, &len))) return i;
  return std::nullopt;
}

std::string display_name(std::string_view path) {
  std::string out;
  for (std::size_t i = 0, len = 1; i < path.size(); i += len) {
    const std::uint32_t cp = decode_at(path, i, &len);
    const std::string_view one = path.substr(i, len);
    const bool valid = one.size() == len && !first_invalid_utf8(one);
    if (valid && !control(cp)) {
      out += one;
      continue;
    }
    if (!valid) len = 1;  // the next byte may start a valid character
    for (std::size_t k = 0; k < len; ++k) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(path[i + k]));
      out += buf;
    }
  }
  return out;
}

std::string code_point_name(std::string_view s, std::size_t offset) {
  std::size_t len = 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(decode_at(s, offset, &len)));
  return buf;
}

namespace {
bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }
}  // namespace

LineIndex::LineIndex(std::string_view text)
    : text_(text.substr(0, std::min<std::size_t>(text.size(), UINT32_MAX))) {
  line_starts_.push_back(0);
  block_code_points_.reserve(text_.size() / kBlock + 1);
  std::uint32_t code_points = 0;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (i % kBlock == 0) block_code_points_.push_back(code_points);
    if (text_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    code_points += starts_code_point(text_[i]);
  }
}

std::uint64_t LineIndex::code_points_before(std::size_t offset) const {
  if (block_code_points_.empty()) return 0;  // an empty text
  // The end of a text whose size is a multiple of kBlock has no checkpoint of its own.
  const std::size_t block = std::min(offset / kBlock, block_code_points_.size() - 1);
  std::uint64_t n = block_code_points_[block];
  for (std::size_t i = block * kBlock; i < offset; ++i) n += starts_code_point(text_[i]);
  return n;
}

LineIndex::Position LineIndex::at(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
  const std::size_t start = line_starts_[line - 1];
  const std::uint64_t column = code_points_before(offset) - code_points_before(start) + 1;
  return {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(column)};
}

std::string quote(std::string_view value) {
  std::string out = "'";
  std::size_t shown = 0;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    // Counted in characters, not bytes: a cut inside a UTF-8 sequence would put invalid UTF-8
    // into the message, which JSON and SARIF outputs then cannot carry as it was.
    if ((u & 0xC0) != 0x80 && ++shown > 60) {
      out += "...";
      break;
    }
    if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace ksframe::text
