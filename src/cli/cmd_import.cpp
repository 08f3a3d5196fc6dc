// ksframe import FILE --as legacy|ex.
#include "cli/cli.hpp"
#include "ksframe/export.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cli {

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
                 "binary (raw bytes) or hex (digit pairs, 0x optional, '#' comments; or WinDbg db/dd output)")
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
      auto hex = parse_hex_dump(input->content, name, diagnostics);
      if (!hex) {
        io.err << render_lint_text({FileLintResult{name, std::nullopt, diagnostics, false}}, false);
        return 1;
      }
      bytes = std::move(hex->bytes);
      where = std::move(hex->where);
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
    // `name` is the shown name: a line break in the file's name is \x0a and cannot end the comment.
    std::string text = "# Imported by ksframe from " + name + " (" + std::to_string(bytes.size()) + " bytes, " +
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
