// Man pages (man(7) roff) rendered from the ProgramDoc: ksframe(1) and one page per command,
// ksframe-COMMAND(1), with the same text as --help.
#include <cstdio>
#include <sstream>

#include "cli/command_docs.hpp"

namespace ksframe::cli {
namespace {

/// Decodes one UTF-8 sequence at `s[i]` (the help text is ours, but escape it correctly
/// anyway); an invalid byte comes back as U+FFFD.
char32_t next_code_point(const std::string& s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  const int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return b < 0x80 ? b : 0xFFFD;
  }
  char32_t cp = b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += extra + 1;
  return cp;
}

/// Text safe in roff: backslashes, minus signs (so options copy and paste as ASCII '-'),
/// control words at the start of a line, and non-ASCII as \[uXXXX].
std::string roff(const std::string& s) {
  std::ostringstream os;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(next_code_point(s, i)));
      os << buf;
      continue;
    }
    if (c == '\\')
      os << "\\e";
    else if (c == '-')
      os << "\\-";
    else if ((c == '.' || c == '\'') && (i == 0 || s[i - 1] == '\n'))
      os << "\\&" << c;
    else
      os << c;
    ++i;
  }
  return os.str();
}

std::string option_heading(const OptionDoc& o) {
  if (!o.positional.empty())
    return "\\fI" + roff(o.positional) + "\\fR" + (o.repeatable ? "..." : "");
  std::string out;
  for (const auto* names : {&o.short_names, &o.long_names})
    for (const auto& n : *names) out += (out.empty() ? "" : ", ") + ("\\fB" + roff(n) + "\\fR");
  if (!o.value_name.empty()) out += " \\fI" + roff(o.value_name) + "\\fR";
  return out;
}

/// Ends `text` with a full stop so that another sentence can follow.
std::string sentence(std::string text) {
  if (!text.empty() && text.back() != '.' && text.back() != ')') text += '.';
  if (!text.empty() && text.back() == ')') text += '.';
  return text;
}

bool mentions(const std::string& text, const std::string& word) {
  return text.find(word) != std::string::npos;
}

std::string option_body(const OptionDoc& o) {
  std::string body = sentence(o.description);
  bool all_named = !o.choices.empty();
  for (const auto& c : o.choices) all_named = all_named && mentions(o.description, c);
  if (!o.choices.empty() && !all_named) {
    body += " One of: ";
    for (std::size_t i = 0; i < o.choices.size(); ++i) body += (i ? ", " : "") + o.choices[i];
    body += ".";
  }
  if (!o.default_value.empty()) body += " Default: " + o.default_value + ".";
  if (o.repeatable && o.positional.empty() && !mentions(o.description, "repeat"))
    body += " May be given more than once.";
  return roff(body);
}

void options_section(std::ostream& os, const std::string& title,
                     const std::vector<OptionDoc>& options, bool positional) {
  bool any = false;
  for (const auto& o : options) {
    if (o.positional.empty() == positional) continue;
    if (!any) os << ".SH " << title << "\n";
    any = true;
    os << ".TP\n" << option_heading(o) << "\n" << option_body(o) << "\n";
  }
}

void header(std::ostream& os, const ProgramDoc& p, const std::string& page,
            const std::string& summary) {
  std::string upper;
  for (char c : page) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  os << ".\\\" Written by 'ksframe manpage'; regenerate rather than edit.\n"
     << ".TH " << roff(upper) << " 1 \"\" \"ksframe " << p.version << "\" \"ksframe manual\"\n"
     << ".SH NAME\n"
     << roff(page) << " \\- " << roff(summary) << "\n";
}

std::string program_page(const ProgramDoc& p) {
  std::ostringstream os;
  const std::string summary = p.description.substr(p.description.find(": ") + 2);
  header(os, p, "ksframe", summary);
  os << ".SH SYNOPSIS\n.B ksframe\n.I COMMAND\n.RI [ OPTIONS ]\n.br\n.B ksframe\n"
     << ".RB [ \\-\\-help | \\-\\-version ]\n"
     << ".SH DESCRIPTION\n"
     << roff(
            "ksframe reads a driver's Kernel Streaming (AVStream) pin descriptors and allocator "
            "framing (KSALLOCATOR_FRAMING, KSALLOCATOR_FRAMING_EX) from a YAML spec, lints them "
            "against Microsoft's documented rules and the kernel's own checks, negotiates "
            "allocators as the KS graph manager does, drives reference allocators through a "
            "seeded synthetic load, and reports as text, JSON, SARIF, GitHub annotations, "
            "Markdown or HTML. Every finding names the file, line and column of the value it is "
            "about.")
     << "\n"
     << ".SH COMMANDS\n";
  for (const auto& c : p.commands)
    os << ".TP\n.BR ksframe\\-" << roff(c.name) << " (1)\n" << roff(c.help) << ".\n";
  options_section(os, "OPTIONS", p.options, false);
  os << ".SH NOTES\n"
     << roff(p.footer) << "\n"
     << ".SH FILES\n.TP\n.I /usr/share/ksframe/schemas/\nThe JSON Schemas of the spec format and "
        "of every "
        "JSON output, the same that \\fBksframe schema\\fR prints.\n"
     << ".SH SEE ALSO\n";
  for (std::size_t i = 0; i < p.commands.size(); ++i)
    os << ".BR ksframe\\-" << roff(p.commands[i].name) << " (1)"
       << (i + 1 < p.commands.size() ? "," : "") << "\n";
  return os.str();
}

std::string command_page(const ProgramDoc& p, const CommandDoc& c) {
  std::ostringstream os;
  header(os, p, "ksframe-" + c.name, c.help);
  os << ".SH SYNOPSIS\n\\fBksframe " << roff(c.name) << "\\fR [\\fIOPTIONS\\fR]";
  for (const auto& o : c.options) {
    if (o.positional.empty()) continue;
    const std::string arg = "\\fI" + roff(o.positional) + "\\fR" + (o.repeatable ? "..." : "");
    os << (o.required ? " " + arg : " [" + arg + "]");
  }
  os << "\n.SH DESCRIPTION\n" << roff(c.help) << ".\n";
  if (!c.footer.empty()) os << ".PP\n" << roff(c.footer) << "\n";
  options_section(os, "ARGUMENTS", c.options, true);
  options_section(os, "OPTIONS", c.options, false);
  os << ".SH SEE ALSO\n.BR ksframe (1)\n";
  return os.str();
}

}  // namespace

std::string render_manpage(const ProgramDoc& program, const std::string& command) {
  if (command.empty()) return program_page(program);
  for (const auto& c : program.commands)
    if (c.name == command) return command_page(program, c);
  return "";
}

}  // namespace ksframe::cli
