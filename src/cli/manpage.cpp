// Man pages (man(7) roff) rendered from the ProgramDoc: ksframe(1) and one page per command,
// ksframe-COMMAND(1), with the same text as --help.
#include <cstdio>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

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

/// The help text names files as they are in the source tree (docs/ci.md, examples/,
/// schemas/x.json); a man page is read where the package installed them.
std::string installed_paths(std::string text) {
  static const std::pair<std::string_view, std::string_view> kPlaces[] = {
      {"docs/", "/usr/share/doc/ksframe/docs/"},
      {"examples/", "/usr/share/doc/ksframe/examples/"},
      {"schemas/", "/usr/share/ksframe/schemas/"}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const bool word_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '(';
    bool replaced = false;
    for (const auto& [from, to] : kPlaces)
      if (word_start && std::string_view(text).substr(i).starts_with(from)) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    if (!replaced) out += text[i++];
  }
  return out;
}

/// EXAMPLES of each page: (command line, what it does), on the installed examples.
using Examples = std::vector<std::pair<std::string_view, std::string_view>>;
const Examples& examples_of(const std::string& page) {
  static const std::map<std::string, Examples, std::less<>> kExamples = {
      {"",
       {{"ksframe run /usr/share/doc/ksframe/examples/capture-preview.yaml",
         "Lint, negotiate and simulate a spec; print the whole report."},
        {"ksframe lint specs/*.yaml --format sarif -o ksframe.sarif",
         "Lint every spec of a project for code scanning."}}},
      {"run",
       {{"ksframe run /usr/share/doc/ksframe/examples/capture-preview.yaml --format json -o "
         "report.json",
         "The whole job, saved as a JSON report that report and diff read back."}}},
      {"lint",
       {{"ksframe lint specs/*.yaml", "Lint specs; exit code 1 when one has an error."},
        {"ksframe lint --werror -d KSF2004 driver/camera.c -I driver/inc",
         "Lint a driver's C source, warnings as errors, one rule disabled."}}},
      {"negotiate",
       {{"ksframe negotiate /usr/share/doc/ksframe/examples/encoder-two-pipes.yaml",
         "The pipes, allocators and framing KS would choose."}}},
      {"simulate",
       {{"ksframe simulate /usr/share/doc/ksframe/examples/capture-preview.yaml --frames 200",
         "Negotiate and run a shorter load than the spec's."}}},
      {"report",
       {{"ksframe report spec.yaml --format html -o report.html",
         "A review report to open in a browser."}}},
      {"diff",
       {{"ksframe diff base.yaml spec.yaml --fail-on new-errors,memory-increase",
         "What a change does to the outcome; exit code 1 when a gate fails."}}},
      {"explore",
       {{"ksframe explore /usr/share/doc/ksframe/examples/capture-preview.yaml --vary "
         "load.source.rate_hz=30,60",
         "The outcome at two frame rates."}}},
      {"export",
       {{"ksframe export spec.yaml -o framing.c", "C initializers of every pin's framing."}}},
      {"import",
       {{"ksframe import --from-c driver/camera.c -I driver/inc -o camera.yaml",
         "A spec from a driver's source."}}},
      {"inputs",
       {{"ksframe inputs -z specs/graph.yaml | xargs -0 git diff --quiet base --",
         "Whether a change touches any file the spec reads (exit code 1 when it does)."}}},
      {"rules", {{"ksframe rules KSF1003", "One rule's documentation."}}},
      {"schema", {{"ksframe schema spec > ksframe-spec.schema.json", "The spec format's schema."}}},
      {"completion",
       {{"ksframe completion bash > ~/.local/share/bash-completion/completions/ksframe",
         "Completion for bash (the package installs it already)."}}},
  };
  static const Examples kNone;
  const auto it = kExamples.find(page);
  return it == kExamples.end() ? kNone : it->second;
}

void examples_section(std::ostream& os, const std::string& page) {
  const Examples& examples = examples_of(page);
  if (examples.empty()) return;
  os << ".SH EXAMPLES\n";
  for (const auto& [line, what] : examples)
    os << ".TP\n.B " << roff(std::string(line)) << "\n" << roff(std::string(what)) << "\n";
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
  std::string body = sentence(installed_paths(o.description));
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
  os << ".SH NOTES\n" << roff(p.footer) << "\n";
  examples_section(os, "");
  os << ".SH FILES\n.TP\n.I /usr/share/ksframe/schemas/\nThe JSON Schemas of the spec format and "
        "of every JSON output, the same that \\fBksframe schema\\fR prints.\n"
     << ".TP\n.I /usr/share/doc/ksframe/\nThe README, the guides and the example specs.\n"
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
  if (!c.footer.empty()) os << ".PP\n" << roff(installed_paths(c.footer)) << "\n";
  options_section(os, "ARGUMENTS", c.options, true);
  options_section(os, "OPTIONS", c.options, false);
  examples_section(os, c.name);
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
