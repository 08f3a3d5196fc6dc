// `ksframe import --input-format hex`: bytes from text. Two shapes, told apart line by line:
//  - plain hex: digit pairs, optional 0x prefixes, separated by spaces, commas or line breaks,
//    '#' comments (a C array body, a debugger dump without addresses);
//  - WinDbg output as it prints it: an address column (8 or 16 digits, a '`' allowed after the
//    eighth), two spaces, then units of one width: db bytes (with '-' between the 8th and 9th),
//    dw words, dd/dc DWORDs, dq QWORDs (little-endian, as the debugger shows values), then
//    optionally two spaces and db's or dc's ASCII column, which is not read. Prompt lines
//    ("0: kd> db ...") are skipped.
// Every byte keeps where its digits were written, so size errors point into the text.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/export.hpp"
#include "ksframe/rules.hpp"

namespace ksframe {
namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int hex_value(char c) {
  return std::isdigit(static_cast<unsigned char>(c))
             ? c - '0'
             : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

struct Unit {
  std::size_t column;  ///< 0-based, of the first digit
  std::string digits;  ///< without a '`'
  std::vector<std::size_t> digit_columns;
};

// "0: kd> db ..." or "0:000> dd ...": the debugger's prompt and the command.
bool is_prompt(std::string_view line) {
  const auto gt = line.find('>');
  if (gt == std::string_view::npos || gt == 0) return false;
  for (char c : line.substr(0, gt))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ':' && c != ' ') return false;
  return true;
}

// The address column: 8 or 16 hex digits (8`8 in a 64-bit dump), then two spaces. Returns
// where the data starts.
std::optional<std::size_t> address_column(std::string_view line) {
  std::size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos) return std::nullopt;
  std::size_t digits = 0;
  const std::size_t start = i;
  for (; i < line.size() && (is_hex(line[i]) || (line[i] == '`' && i - start == 8)); ++i)
    digits += line[i] != '`';
  if ((digits != 8 && digits != 16) || line.substr(i, 2) != "  ") return std::nullopt;
  return i + 2;
}

// The units after the address, up to two spaces (the ASCII column) or the end. nullopt when
// the line is not a WinDbg dump line; `bad` is set to the first token that is not a unit.
std::optional<std::vector<Unit>> dump_units(std::string_view line, std::size_t i,
                                            std::size_t* bad) {
  std::vector<Unit> units;
  while (i < line.size() && line[i] == ' ') ++i;  // db pads a row that starts mid-line
  while (i < line.size()) {
    Unit u{i, {}, {}};
    while (i < line.size() && line[i] != ' ' &&
           !(line[i] == '-' && units.size() == 7 && u.digits.size() == 2)) {
      if (line[i] != '`') {
        u.digits += line[i];
        u.digit_columns.push_back(i);
      }
      ++i;
    }
    for (char c : u.digits)
      if (!is_hex(c)) {
        *bad = u.column;
        return std::nullopt;
      }
    if (u.digits.empty()) return std::nullopt;
    units.push_back(std::move(u));
    if (i < line.size() && line[i] == '-')
      ++i;  // db's separator between bytes 8 and 9
    else if (line.substr(i, 2) == "  ")
      break;  // the ASCII column follows
    else if (i < line.size())
      ++i;
  }
  const std::size_t width = units.empty() ? 0 : units[0].digits.size();
  if (width != 2 && width != 4 && width != 8 && width != 16) return std::nullopt;
  for (const auto& u : units)
    if (u.digits.size() != width) return std::nullopt;
  return units;
}

class HexReader {
 public:
  HexReader(const std::string& name, HexBytes& out, Diagnostics& diagnostics)
      : name_(name), out_(out), diagnostics_(diagnostics) {}

  bool line(std::string_view text, std::uint32_t number) {
    number_ = number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (is_prompt(text)) return true;
    if (auto data = address_column(text)) {
      std::size_t bad = std::string_view::npos;
      if (auto units = dump_units(text, *data, &bad)) {
        for (const auto& u : *units) add_little_endian(u);
        return true;
      }
      if (bad != std::string_view::npos)
        return fail(
            text, bad,
            text.substr(bad, 2) == "??" ? " is memory WinDbg could not read" : " is not hex bytes");
    }
    return plain(text);
  }

 private:
  // A unit of 2k digits is a little-endian value: its last two digits are the first byte.
  void add_little_endian(const Unit& u) {
    for (std::size_t k = u.digits.size(); k >= 2; k -= 2) {
      out_.bytes.push_back(
          static_cast<std::uint8_t>(hex_value(u.digits[k - 2]) * 16 + hex_value(u.digits[k - 1])));
      out_.where.push_back(at(u.digit_columns[k - 2]));
    }
  }

  bool plain(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '#') return true;  // a comment runs to the end of the line
      if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
        ++i;
        continue;
      }
      std::size_t j = i;
      if (text.substr(j, 2) == "0x" || text.substr(j, 2) == "0X") j += 2;
      const std::size_t digits_start = j;
      while (j < text.size() && is_hex(text[j])) ++j;
      const bool ends_well =
          j == text.size() || std::string_view(" \t\r,").find(text[j]) != std::string_view::npos;
      const std::size_t digits = j - digits_start;
      if (digits == 0 || digits % 2 != 0 || !ends_well)
        return fail(text, i,
                    std::string(" is not hex bytes") +
                        (digits % 2 && ends_well ? " (an odd number of digits)" : ""));
      for (std::size_t k = digits_start; k < j; k += 2) {
        out_.bytes.push_back(
            static_cast<std::uint8_t>(hex_value(text[k]) * 16 + hex_value(text[k + 1])));
        out_.where.push_back(at(i + (k - i)));
      }
      i = j;
    }
    return true;
  }

  // The token at `column` (up to 24 characters of it) and what is wrong with it.
  bool fail(std::string_view text, std::size_t column, const std::string& what) {
    std::size_t end = column;
    while (end < text.size() &&
           std::string_view(" \t\r,").find(text[end]) == std::string_view::npos)
      ++end;
    const std::string token(text.substr(column, std::min<std::size_t>(end - column, 24)));
    diagnostics_.push_back(make_diagnostic("KSF0023", "'" + token + "'" + what, at(column)));
    return false;
  }

  Location at(std::size_t column) const {
    return {name_, number_, static_cast<std::uint32_t>(column + 1)};
  }

  const std::string& name_;
  HexBytes& out_;
  Diagnostics& diagnostics_;
  std::uint32_t number_ = 0;
};

}  // namespace

std::optional<HexBytes> parse_hex_dump(std::string_view text, const std::string& name,
                                       Diagnostics& diagnostics) {
  HexBytes out;
  HexReader reader(name, out, diagnostics);
  std::uint32_t number = 1;
  for (std::size_t start = 0; start <= text.size(); ++number) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (!reader.line(text.substr(start, end - start), number)) return std::nullopt;
    start = end + 1;
  }
  return out;
}

}  // namespace ksframe
