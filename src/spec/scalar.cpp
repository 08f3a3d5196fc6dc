#include "spec/scalar.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace ksframe::scalar {
namespace {

bool is_null_text(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_integer_text(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') return all_of(s.substr(2), is_hex);
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return all_of(s, is_digit);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and the .inf / .nan forms, matched by
// hand: this runs for every scalar of every spec, where std::regex would dominate the profile.
bool is_float_text(std::string_view s) {
  for (std::string_view special : {".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
                                   "+.Inf", "+.INF", ".nan", ".NaN", ".NAN"})
    if (s == special) return true;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const std::size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const bool int_digits = i > int_start;
  bool frac_digits = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac_digits = i > frac_start;
  }
  if (!int_digits && !frac_digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const std::size_t exp_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exp_start) return false;
  }
  return i == s.size();
}

}  // namespace

Type classify(const Node& node) {
  if (node.kind == Node::Kind::Null) return Type::Null;
  if (node.kind != Node::Kind::Scalar || node.quoted) return Type::String;
  const std::string_view s = node.scalar;
  if (is_null_text(s)) return Type::Null;
  if (parse_bool(s)) return Type::Bool;
  if (is_integer_text(s)) return Type::Integer;
  if (is_float_text(s)) return Type::Float;
  return Type::String;
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

std::optional<Integer> parse_integer(std::string_view s) {
  if (!is_integer_text(s)) return std::nullopt;
  Integer out;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') {
    s.remove_prefix(2);
    base = 16;
  } else if (s[0] == '-' || s[0] == '+') {
    out.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out.magnitude, base);
  if (ec == std::errc::result_out_of_range)
    out.overflow = true;
  else if (ec != std::errc() || ptr != s.data() + s.size())
    return std::nullopt;
  if (out.negative && out.magnitude == 0) out.negative = false;  // "-0" is zero
  return out;
}

std::optional<double> parse_float(std::string_view s) {
  if (!is_float_text(s) && !is_integer_text(s)) return std::nullopt;
  if (auto i = parse_integer(s); i && !i->overflow) {
    const double m = static_cast<double>(i->magnitude);
    return i->negative ? -m : m;
  }
  std::string text(s);
  if (text.find("inf") != std::string::npos || text.find("Inf") != std::string::npos ||
      text.find("INF") != std::string::npos)
    return text[0] == '-' ? -HUGE_VAL : HUGE_VAL;
  if (text.find('n') != std::string::npos || text.find('N') != std::string::npos) return NAN;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);  // C locale: the process never sets one
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

}  // namespace ksframe::scalar
