// ksframe export SPEC --format c and ksframe import FILE --as legacy|ex.
#include <algorithm>
#include <cctype>

#include "cli/cli.hpp"
#include "ksframe/export.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_export(CLI::App& app) {
  struct Options {
    std::string file, format = "c", output;
    std::vector<std::string> set;
  };
  auto o = std::make_shared<Options>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option("-f,--format", o->format, "c: initializers for <ks.h>")
      ->check(CLI::IsMember({"c"}))
      ->capture_default_str();
  app.add_option("--set", o->set, "Override a spec value: PATH=VALUE (repeatable)");
  app.add_option("-o,--output", o->output, "Write the C to FILE (atomically)");
  app.footer("Each pin with framing gets <Filter><Pin>AllocatorFramingEx (DECLARE_SIMPLE_FRAMING_EX when "
             "the framing is exactly that macro's expansion, an explicit initializer otherwise) and, for "
             "legacy framing, <Filter><Pin>AllocatorFraming. Exit codes: 0 written, 1 the spec has "
             "errors (nothing is written), 2 usage error or unreadable file.");
  return [o](Io& io) {
    int code = 0;
    auto loaded = load_one_spec(io, o->file, o->set, &code);
    if (!loaded) return code;
    const std::string text = export_c(*loaded->spec);
    if (!write_output(io, o->output, text)) return 2;
    return 0;
  };
}

namespace {

// Hex text to bytes: digit pairs, optional 0x prefixes, separated by spaces, commas or line
// breaks; '#' starts a comment. Each byte keeps where it was written, so size errors point into the text.
bool parse_hex(const std::string& text, const std::string& name, std::vector<std::uint8_t>& bytes,
               std::vector<Location>& where, Diagnostics& diagnostics) {
  std::uint32_t line = 1, column = 1;
  std::size_t i = 0;
  auto hexval = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10); };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    if (c == '#') {  // a comment runs to the end of the line
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
      ++column;
      ++i;
      continue;
    }
    const std::uint32_t token_column = column;
    std::size_t j = i;
    if (text.compare(j, 2, "0x") == 0 || text.compare(j, 2, "0X") == 0) j += 2;
    const std::size_t digits_start = j;
    while (j < text.size() && std::isxdigit(static_cast<unsigned char>(text[j]))) ++j;
    const bool ends_well = j == text.size() || std::string_view(" \t\r\n,").find(text[j]) != std::string_view::npos;
    const std::size_t digits = j - digits_start;
    if (digits == 0 || digits % 2 != 0 || !ends_well) {
      std::size_t end = i;
      while (end < text.size() && std::string_view(" \t\r\n,").find(text[end]) == std::string_view::npos) ++end;
      diagnostics.push_back(make_diagnostic("KSF0023",
                                            "'" + text.substr(i, std::min<std::size_t>(end - i, 24)) +
                                                "' is not hex bytes" +
                                                (digits % 2 && ends_well ? " (an odd number of digits)" : ""),
                                            {name, line, token_column}));
      return false;
    }
    for (std::size_t k = digits_start; k < j; k += 2) {
      bytes.push_back(static_cast<std::uint8_t>(hexval(text[k]) * 16 + hexval(text[k + 1])));
      where.push_back({name, line, static_cast<std::uint32_t>(token_column + (k - i))});
    }
    column += static_cast<std::uint32_t>(j - i);
    i = j;
  }
  return true;
}

}  // namespace

std::function<int(Io&)> setup_import(CLI::App& app) {
  struct Options {
    std::string file, as, input_format = "binary", output, dataflow = "out";
    bool spec = false;
  };
  auto o = std::make_shared<Options>();
  app.add_option("file", o->file, "The framing property's answer ('-' reads standard input)")->required();
  app.add_option("--as", o->as, "legacy: KSALLOCATOR_FRAMING (24 bytes); ex: KSALLOCATOR_FRAMING_EX")
      ->required()
      ->check(CLI::IsMember({"legacy", "ex"}));
  app.add_option("--input-format", o->input_format,
                 "binary (raw bytes) or hex (digit pairs, 0x optional, '#' comments)")
      ->check(CLI::IsMember({"binary", "hex"}))
      ->capture_default_str();
  app.add_flag("--spec", o->spec, "Write a whole one-pin spec (filter 'device', pin 'pin') that lints as it is");
  app.add_option("--dataflow", o->dataflow, "The pin's dataflow with --spec")
      ->check(CLI::IsMember({"in", "out"}))
      ->capture_default_str();
  app.add_option("-o,--output", o->output, "Write the YAML to FILE (atomically)");
  app.footer("The kernel's size checks apply: a buffer shorter than the structure, or whose CountItems "
             "does not fit, is an error located in the input (binary: line 1, column = byte offset + 1). "
             "Exit codes: 0 imported, 1 the buffer fails the size checks, 2 usage error or unreadable file.");
  return [o](Io& io) {
    const auto input = read_input(io, o->file, 1u << 20);  // a framing answer is 24 + 88 x 64 bytes at most
    if (!input) return 2;
    const std::string& name = input->name;
    std::vector<std::uint8_t> bytes;
    std::vector<Location> where;
    Diagnostics diagnostics;
    if (o->input_format == "hex") {
      if (!parse_hex(input->content, name, bytes, where, diagnostics)) {
        io.err << render_lint_text({FileLintResult{name, std::nullopt, diagnostics, false}}, false);
        return 1;
      }
    } else {
      bytes.assign(input->content.begin(), input->content.end());
    }
    ImportResult r = import_framing(bytes, o->as == "legacy" ? ImportAs::Legacy : ImportAs::Ex, name,
                                    o->spec ? "        " : "");  // --spec: under the pin
    if (o->input_format == "hex")  // byte offsets -> where those bytes were written
      for (auto& d : r.diagnostics) {
        const std::size_t offset = d.location.column - 1;
        if (offset < where.size()) d.location = where[offset];
        else if (!where.empty()) d.location = where.back();
        else d.location = {name, 1, 1};
      }
    if (!r.diagnostics.empty())
      io.err << render_lint_text({FileLintResult{name, std::nullopt, r.diagnostics, false}}, false);
    if (has_errors(r.diagnostics)) return 1;
    std::string one_line = name;  // a line break in the file's name would end the YAML comment
    std::replace_if(one_line.begin(), one_line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    std::string text = "# Imported by ksframe from " + one_line + " (" + std::to_string(bytes.size()) + " bytes, " +
                       (o->as == "legacy" ? "KSALLOCATOR_FRAMING" : "KSALLOCATOR_FRAMING_EX") + ").\n";
    if (o->spec)
      text += "ksframe: 1\nname: imported\nfilters:\n  - name: device\n    pins:\n      - name: pin\n"
              "        dataflow: " + o->dataflow + "\n";
    text += r.yaml;
    if (!write_output(io, o->output, text)) return 2;
    return 0;
  };
}

}  // namespace ksframe::cli
