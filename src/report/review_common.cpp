#include "report/review_common.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace ksframe::review {

std::string grouped(std::uint64_t value) {
  std::string digits = std::to_string(value), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string bytes(std::uint64_t value) {
  static constexpr std::array<const char*, 5> units = {"B", "KiB", "MiB", "GiB", "TiB"};
  if (value < 1024) return std::to_string(value) + " B";
  double v = static_cast<double>(value);
  std::size_t u = 0;
  while (v >= 1024 && u + 1 < units.size()) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %s", v, units[u]);
  return buf;
}

std::string duration_us(std::uint64_t us) {
  char buf[32];
  if (us < 1000)
    std::snprintf(buf, sizeof buf, "%llu us", static_cast<unsigned long long>(us));
  else if (us < 1000000)
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(us) / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(us) / 1e6);
  return buf;
}

std::string_view pin_of_member(std::string_view member) {
  const auto hash = member.find('#');
  return hash == std::string_view::npos ? member : member.substr(0, hash);
}

std::map<std::string, std::size_t> pipe_of_pins(const Report& report) {
  std::map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < report.pipes.size(); ++i)
    for (const auto& m : report.pipes[i].pins) out.emplace(std::string(pin_of_member(m)), i);
  return out;
}

std::set<std::string> allocator_pins(const Report& report) {
  std::set<std::string> out;
  for (const auto& p : report.pipes)
    if (!p.allocator_pin.empty()) out.insert(std::string(pin_of_member(p.allocator_pin)));
  return out;
}

std::set<std::string> failed_connections(const Report& report) {
  std::set<std::string> out;
  for (const auto& f : report.failures) out.insert(f.connection);
  return out;
}

std::string_view pipe_colour(std::size_t pipe_index) {
  // Okabe-Ito, without its yellow (too light on white).
  static constexpr std::array<std::string_view, 7> palette = {
      "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
  return palette[pipe_index % palette.size()];
}

std::string verdict_label(Verdict verdict) {
  return verdict == Verdict::Fail ? "FAIL" : verdict == Verdict::Warn ? "WARN" : "PASS";
}

std::string explanation_sentence(const ReportExplanation& e) {
  std::string s = e.because;
  if (!e.decided_by.empty()) {
    s += "; decided by ";
    for (std::size_t i = 0; i < e.decided_by.size(); ++i) s += (i ? ", " : "") + e.decided_by[i];
  }
  if (!e.rule.empty()) s += " (see " + explanation_section(e.rule, e.value) + ")";
  return s;
}

// GitHub turns text into links and notifications after Markdown is parsed, so escapes do not
// stop it: a bare URL, "www." and an e-mail address become links, "@name" pings a person or a
// team, "#1", "GH-2" and "owner/repo#3" link (and cross-reference) issues, and a run of 7 to 40
// hexadecimal digits links a commit. A zero-width space after the '@', after the ':' of "://",
// after "www", after the '#' or "GH-" before a digit, and after every 6th digit of a hex run
// breaks each pattern and reads the same. `hex_run` is the 1-based place of s[i] in a run of
// 7 or more hexadecimal digits, at least one of them a letter, that no other letter or digit
// touches, else 0. Returns what follows
// s[i] in the output.
namespace {
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
// GitHub's word boundary for a commit id: '_' is a word character there.
bool is_id_char(char c) { return is_word(c) || c == '_'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "#1" after a space or punctuation, or "owner/repo#3": GitHub links those, not "capture#2"
// (a pin's second instance), so that one reads as written. The token before '#' is searched
// for a '/' at most 256 bytes back, longer than any owner/repo name.
bool is_issue_reference(std::string_view s, std::size_t hash) {
  if (hash == 0 || !is_word(s[hash - 1])) return true;
  for (std::size_t j = hash; j > 0 && hash - j < 256; --j) {
    const char c = s[j - 1];
    if (c == '/') return true;
    if (c == ' ' || c == '\t' || c == '\n') break;
  }
  return false;
}

std::string_view link_breaker(std::string_view s, std::size_t i, std::size_t hex_run,
                              bool run_ends) {
  static constexpr std::string_view kZeroWidthSpace = "\u200b";
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  const bool digit_next = i + 1 < s.size() && is_digit(s[i + 1]);
  if (s[i] == '@') return kZeroWidthSpace;
  if (s[i] == '#' && digit_next && is_issue_reference(s, i)) return kZeroWidthSpace;
  if (s[i] == '-' && digit_next && i >= 2 && lower(s[i - 1]) == 'h' && lower(s[i - 2]) == 'g')
    return kZeroWidthSpace;
  if (hex_run > 0 && hex_run % 6 == 0 && !run_ends) return kZeroWidthSpace;
  if (s[i] == ':' && s.substr(i + 1, 2) == "//") return kZeroWidthSpace;
  if (i >= 2 && lower(s[i]) == 'w' && lower(s[i - 1]) == 'w' && lower(s[i - 2]) == 'w' &&
      i + 1 < s.size() && s[i + 1] == '.')
    return kZeroWidthSpace;
  return {};
}
}  // namespace

// Text from the spec in Markdown prose or a table cell: no HTML, no emphasis, no links, no
// cell breaks, no autolinks or mentions (link_breaker). '>' stays as it is ("1 -> 2" reads
// well as plain text): without '<' it cannot open a tag, and callers never put this text at
// the start of a line, where it would quote. Underscores are left alone inside words (GFM
// does not emphasise those), so KSMEMORY_TYPE_KERNEL_NONPAGED stays readable in plain text.
std::string md(std::string_view s) {
  std::string out;
  std::size_t run_start = 0, run_end = 0;  // the hex run i is in: [run_start, run_end)
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    auto word = is_word;
    if (i >= run_end) {  // past the last run: does one start here? (a scan per word: linear)
      run_start = run_end = i;
      if (is_hex(c) && (i == 0 || !is_id_char(s[i - 1]))) {
        std::size_t end = i;
        while (end < s.size() && is_hex(s[end])) ++end;
        // Digits alone are a number (a size, a count), read more often than any commit id.
        const bool letter = std::any_of(s.begin() + i, s.begin() + end, [](char x) {
          return std::isalpha(static_cast<unsigned char>(x));
        });
        if (end - i >= 7 && letter && (end == s.size() || !is_id_char(s[end]))) run_end = end;
      }
    }
    const std::size_t hex_run = i < run_end ? i - run_start + 1 : 0;
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '_':
        if (i > 0 && i + 1 < s.size() && word(s[i - 1]) && word(s[i + 1]))
          out += c;
        else
          out += "\\_";
        break;
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '|':
      case '~':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
    out += link_breaker(s, i, hex_run, i + 1 == run_end);
  }
  return out;
}

// A name in a code span. A backtick inside cannot be escaped in a span, so the span's fence is
// made longer than any run of backticks in the name (CommonMark); '|' still needs its escape in
// a table cell, and a line break would end the cell.
namespace {
std::string code_span(std::string_view s, bool in_table) {
  std::string body;
  std::size_t run = 0, longest = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|' && in_table)
      body += "\\|";
    else if (c == '\n' || c == '\r')
      body += ' ';
    else
      body += c;
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}
}  // namespace

std::string code(std::string_view s) { return code_span(s, true); }
// Outside a table a '|' needs no escape, and a code span would show the backslash.
std::string code_text(std::string_view s) { return code_span(s, false); }

std::string location_text(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

std::string allocator_summary(const ReportPipe& p) {
  if (p.allocator_mode == "user") {
    std::string s = "user-mode buffers from KsProxy";
    if (p.allocator_properties) {
      const auto& a = *p.allocator_properties;
      s += ", ALLOCATOR_PROPERTIES {cBuffers " + std::to_string(a[0]) + ", cbBuffer " +
           grouped(a[1]) + ", cbAlign " + std::to_string(a[2]) + ", cbPrefix " +
           std::to_string(a[3]) + "}";
    }
    return s;
  }
  if (p.allocator_pin.empty()) return "the pipe failed before an allocator was chosen";
  return p.allocator_place + ", " + p.allocator_mode + ", " + p.allocator_kind;
}

}  // namespace ksframe::review
