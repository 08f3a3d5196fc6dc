#include "spec/expr.hpp"

#include <array>
#include <cstdio>
#include <vector>

#include "util/text.hpp"

namespace ksframe::expr {
namespace {

constexpr std::array<Constant, 11> kConstants{{
    {"PAGE_SIZE", 4096},
    {"FILE_BYTE_ALIGNMENT", 0x0},
    {"FILE_WORD_ALIGNMENT", 0x1},
    {"FILE_LONG_ALIGNMENT", 0x3},
    {"FILE_QUAD_ALIGNMENT", 0x7},
    {"FILE_OCTA_ALIGNMENT", 0xf},
    {"FILE_32_BYTE_ALIGNMENT", 0x1f},
    {"FILE_64_BYTE_ALIGNMENT", 0x3f},
    {"FILE_128_BYTE_ALIGNMENT", 0x7f},
    {"FILE_256_BYTE_ALIGNMENT", 0xff},
    {"FILE_512_BYTE_ALIGNMENT", 0x1ff},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Grammar (C precedence):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/' | '%') unary)*
//   unary   := ('+' | '-') unary | primary
//   primary := literal | name | '(' expr ')'
// Each unary and parenthesis level counts towards kMaxDepth; errors unwind through `failed`.
class Parser {
 public:
  Parser(std::string_view text, std::span<const Constant> names) : s_(text), names_(names) {}

  Result run() {
    skip_space();
    if (i_ == s_.size()) return fail(0, "the expression is empty");
    auto v = sum(0);
    if (!v) return r_;
    skip_space();
    if (i_ != s_.size())
      return fail(i_, s_[i_] == ')'
                          ? "')' without a matching '('"
                          : "unexpected " + describe(i_) + " after a complete expression");
    r_.value = *v;
    return r_;
  }

 private:
  using V = std::optional<std::int64_t>;

  Result fail(std::size_t at, std::string message, std::string hint = {}) {
    if (r_.error.empty()) {
      r_.error = std::move(message);
      r_.hint = std::move(hint);
      r_.offset = at;
    }
    r_.value.reset();
    return r_;
  }
  V failv(std::size_t at, std::string message, std::string hint = {}) {
    fail(at, std::move(message), std::move(hint));
    return std::nullopt;
  }

  std::string describe(std::size_t at) const {
    const unsigned char c = static_cast<unsigned char>(s_[at]);
    if (c >= 0x21 && c < 0x7F) return std::string("'") + s_[at] + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }

  V sum(int depth) {
    V left = product(depth);
    while (left) {
      skip_space();
      if (i_ >= s_.size() || (s_[i_] != '+' && s_[i_] != '-')) return left;
      const char op = s_[i_];
      const std::size_t at = i_++;
      V right = product(depth);
      if (!right) return right;
      std::int64_t out;
      if (op == '+' ? __builtin_add_overflow(*left, *right, &out)
                    : __builtin_sub_overflow(*left, *right, &out))
        return failv(at, "the value overflows 64 bits at this '" + std::string(1, op) + "'");
      left = out;
    }
    return left;
  }

  V product(int depth) {
    V left = unary(depth);
    while (left) {
      skip_space();
      if (i_ >= s_.size() || (s_[i_] != '*' && s_[i_] != '/' && s_[i_] != '%')) return left;
      const char op = s_[i_];
      const std::size_t at = i_++;
      V right = unary(depth);
      if (!right) return right;
      std::int64_t out;
      if (op == '*') {
        if (__builtin_mul_overflow(*left, *right, &out))
          return failv(at, "the value overflows 64 bits at this '*'");
      } else {
        if (*right == 0)
          return failv(at, op == '/' ? "division by zero" : "remainder of a division by zero");
        if (*left == INT64_MIN && *right == -1)
          return failv(at, "the value overflows 64 bits at this '" + std::string(1, op) + "'");
        out = op == '/' ? *left / *right : *left % *right;  // C: truncation toward zero
      }
      left = out;
    }
    return left;
  }

  V unary(int depth) {
    if (depth >= kMaxDepth) {
      skip_space();
      return failv(i_, "the expression nests deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    skip_space();
    if (i_ < s_.size() && (s_[i_] == '-' || s_[i_] == '+')) {
      const char op = s_[i_];
      const std::size_t at = i_++;
      V v = unary(depth + 1);
      if (!v || op == '+') return v;
      if (*v == INT64_MIN) return failv(at, "the value overflows 64 bits at this '-'");
      return -*v;
    }
    return primary(depth);
  }

  V primary(int depth) {
    skip_space();
    if (i_ >= s_.size())
      return failv(i_, "the expression ends where a number, a name or '(' was expected");
    const char c = s_[i_];
    if (c == '(') {
      const std::size_t open = i_++;
      V v = sum(depth + 1);
      if (!v) return v;
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ')') {
        if (i_ >= s_.size()) return failv(open, "this '(' is never closed");
        return failv(i_, "expected ')' here, not " + describe(i_));
      }
      ++i_;
      return v;
    }
    if (is_digit(c)) return literal();
    if (is_alpha(c)) return name();
    return failv(i_, "expected a number, a name or '(', not " + describe(i_));
  }

  V literal() {
    const std::size_t start = i_;
    std::uint64_t v = 0;
    bool overflow = false;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X')) {
      i_ += 2;
      const std::size_t digits = i_;
      for (; i_ < s_.size() && is_hex(s_[i_]); ++i_) {
        const unsigned d = is_digit(s_[i_]) ? s_[i_] - '0' : (s_[i_] | 0x20) - 'a' + 10;
        overflow = overflow || v > (UINT64_MAX >> 4);
        v = v << 4 | d;
      }
      if (i_ == digits) return failv(start, "'0x' needs hex digits after it");
    } else {
      for (; i_ < s_.size() && is_digit(s_[i_]); ++i_) {
        overflow = overflow || __builtin_mul_overflow(v, 10u, &v) ||
                   __builtin_add_overflow(v, static_cast<unsigned>(s_[i_] - '0'), &v);
      }
      if (i_ - start > 1 && s_[start] == '0')
        return failv(start,
                     "'" + std::string(s_.substr(start, i_ - start)) +
                         "' has a leading zero, which C reads as octal",
                     "write it without the leading zero, or in hex with 0x");
    }
    // C suffixes: u and l/ll in either order and case ("4096u", "0x1000UL", "1ull").
    const std::size_t suffix = i_;
    while (i_ < s_.size() && (s_[i_] == 'u' || s_[i_] == 'U' || s_[i_] == 'l' || s_[i_] == 'L'))
      ++i_;
    if (!valid_suffix(s_.substr(suffix, i_ - suffix)))
      return failv(suffix, "'" + std::string(s_.substr(suffix, i_ - suffix)) +
                               "' is not a C integer suffix");
    if (i_ < s_.size() && (is_alpha(s_[i_]) || is_digit(s_[i_])))
      return failv(i_, "unexpected " + describe(i_) + " in the number '" +
                           std::string(s_.substr(start, i_ + 1 - start)) + "'");
    if (overflow || v > static_cast<std::uint64_t>(INT64_MAX))
      return failv(start, "the number '" + std::string(s_.substr(start, i_ - start)) +
                              "' does not fit in 64 bits");
    return static_cast<std::int64_t>(v);
  }

  static bool valid_suffix(std::string_view x) {
    if (x.empty()) return true;
    std::string s;
    for (char c : x) s += static_cast<char>(c | 0x20);
    // u, l, ll, ul, ull, lu, llu; "lL" mixed case is not C but harmless to refuse only by shape.
    return s == "u" || s == "l" || s == "ll" || s == "ul" || s == "ull" || s == "lu" || s == "llu";
  }

  V name() {
    const std::size_t start = i_;
    while (i_ < s_.size() && (is_alpha(s_[i_]) || is_digit(s_[i_]))) ++i_;
    const std::string_view word = s_.substr(start, i_ - start);
    for (const auto& c : names_)
      if (c.name == word) return c.value;
    for (const auto& c : kConstants)
      if (c.name == word) return c.value;
    std::vector<std::string> names;
    for (const auto& c : names_) names.emplace_back(c.name);
    for (const auto& c : kConstants) names.emplace_back(c.name);
    auto suggestion = text::did_you_mean(word, names);
    return failv(start, "unknown name '" + std::string(word) + "' in the expression",
                 suggestion       ? "did you mean '" + *suggestion + "'?"
                 : names_.empty() ? "an expression may use PAGE_SIZE and the FILE_*_ALIGNMENT names"
                                  : "a formula may use the format's fields and PAGE_SIZE");
  }

  std::string_view s_;
  std::span<const Constant> names_;
  std::size_t i_ = 0;
  Result r_;
};

}  // namespace

std::span<const Constant> constants() { return kConstants; }

Result evaluate(std::string_view text) { return Parser(text, {}).run(); }

Result evaluate(std::string_view text, std::span<const Constant> names) {
  return Parser(text, names).run();
}

bool looks_like_expression(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i < text.size() && is_digit(text[i])) return true;
  for (char c : text)
    if (c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '(' || c == ')')
      return true;
  for (const auto& c : kConstants)
    if (c.name == text) return true;
  return false;
}

}  // namespace ksframe::expr
