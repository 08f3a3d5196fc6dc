// ksframe import FILE --as legacy|ex, and ksframe import --from-c SOURCE... (a driver's C).
#include "cli/c_input.hpp"
#include "cli/cli.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/export.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cli {

namespace {

template <class O>
int import_c(Io& io, const O& o) {
  if (!cimport::available()) {
    io.err << "ksframe: " << cimport::unavailable_message() << "\n";
    return 2;
  }
  const cimport::Extraction x = cimport::extract(o.files, o.c.options());
  if (!x.diagnostics.empty()) io.err << render_diagnostics_text(x.diagnostics, false);
  if (x.unreadable) return 2;
  const std::string text = o.format == "json" ? cimport::to_json(x) : cimport::to_spec(x).yaml;
  if (!write_output(io, o.output, text)) return 2;
  return 0;
}

}  // namespace

std::function<int(Io&)> setup_import(CLI::App& app) {
  struct Options {
    std::vector<std::string> files;
    std::string as, input_format = "binary", output, dataflow = "out", format = "yaml";
    bool spec = false, from_c = false;
    CSourceFlags c;
  };
  auto o = std::make_shared<Options>();
  app.add_option(
         "file", o->files,
         "The framing property's answer ('-' reads standard input), or with --from-c the driver's "
         "C/C++ sources")
      ->required();
  app.add_option("--as", o->as,
                 "legacy: KSALLOCATOR_FRAMING (24 bytes); ex: KSALLOCATOR_FRAMING_EX")
      ->check(CLI::IsMember({"legacy", "ex"}));
  app.add_flag("--from-c", o->from_c,
               "Read the framing and descriptor tables from the driver's C/C++ sources (libclang)");
  o->c.add_to(app, "With --from-c", "each source's");
  app.add_option("-f,--format", o->format, "With --from-c: yaml (a spec) or json (the extraction)")
      ->check(CLI::IsMember({"yaml", "json"}))
      ->capture_default_str();
  app.add_option("--input-format", o->input_format,
                 "binary (raw bytes) or hex (digit pairs, 0x optional, '#' comments; or WinDbg "
                 "db/dd output)")
      ->check(CLI::IsMember({"binary", "hex"}))
      ->capture_default_str();
  app.add_flag("--spec", o->spec,
               "Write a whole one-pin spec (filter 'device', pin 'pin') that lints as it is");
  app.add_option("--dataflow", o->dataflow, "The pin's dataflow with --spec")
      ->check(CLI::IsMember({"in", "out"}))
      ->capture_default_str();
  app.add_option("-o,--output", o->output, "Write the YAML to FILE (atomically)");
  app.footer(
      "The kernel's size checks apply: a buffer shorter than the structure, or whose CountItems "
      "does not fit, is an error located in the input (binary: line 1, column = byte offset + 1). "
      "With --from-c, every DECLARE_SIMPLE_FRAMING_EX, KSALLOCATOR_FRAMING_EX and "
      "KSALLOCATOR_FRAMING "
      "initializer and every KSPIN_DESCRIPTOR_EX and KSFILTER_DESCRIPTOR table becomes a spec "
      "whose "
      "values are commented with their C location; framing set by code is a note on standard error "
      "(docs/c-sources.md). "
      "Exit codes: 0 imported, 1 the buffer fails the size checks, 2 usage error, unreadable file, "
      "or a source that cannot be parsed (or a build without libclang).");
  return [o](Io& io) {
    if (o->from_c) return import_c(io, *o);
    if (o->as.empty()) {
      io.err << "ksframe: import: --as is required (legacy or ex), or --from-c for C sources\nRun "
                "'ksframe --help' for usage.\n";
      return 2;
    }
    if (o->files.size() != 1) {
      io.err << "ksframe: import: one framing buffer at a time (" << o->files.size()
             << " files given)\nRun 'ksframe --help' for usage.\n";
      return 2;
    }
    const std::string& file = o->files.front();
    const auto input =
        read_input(io, file, 1u << 20);  // a framing answer is 24 + 88 x 64 bytes at most
    if (!input) return 2;
    const std::string& name = input->name;
    std::vector<std::uint8_t> bytes;
    std::vector<Location> where;
    Diagnostics diagnostics;
    if (o->input_format == "hex") {
      auto hex = parse_hex_dump(input->content, name, diagnostics);
      if (!hex) {
        io.err << render_diagnostics_text(diagnostics, false);
        return 1;
      }
      bytes = std::move(hex->bytes);
      where = std::move(hex->where);
    } else {
      bytes.assign(input->content.begin(), input->content.end());
    }
    ImportResult r =
        import_framing(bytes, o->as == "legacy" ? ImportAs::Legacy : ImportAs::Ex, name,
                       o->spec ? "        " : "");  // --spec: under the pin
    if (o->input_format == "hex")  // byte offsets -> where those bytes were written
      for (auto& d : r.diagnostics) {
        const std::size_t offset = d.location.column - 1;
        if (offset < where.size())
          d.location = where[offset];
        else if (!where.empty())
          d.location = where.back();
        else
          d.location = {name, 1, 1};
      }
    if (!r.diagnostics.empty()) io.err << render_diagnostics_text(r.diagnostics, false);
    if (has_errors(r.diagnostics)) return 1;
    // `name` is the shown name: a line break in the file's name is \x0a and cannot end the comment.
    std::string text =
        "# Imported by ksframe from " + name + " (" + std::to_string(bytes.size()) + " bytes, " +
        (o->as == "legacy" ? "KSALLOCATOR_FRAMING" : "KSALLOCATOR_FRAMING_EX") + ").\n";
    if (o->spec)
      text +=
          "ksframe: 1\nname: imported\nfilters:\n  - name: device\n    pins:\n      - name: pin\n"
          "        dataflow: " +
          o->dataflow + "\n";
    text += r.yaml;
    if (!write_output(io, o->output, text)) return 2;
    return 0;
  };
}

}  // namespace ksframe::cli
