// ksframe lint FILE...: load and lint many specs in one process.
#include <iostream>

#include "cli/c_input.hpp"
#include "cli/cli.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_lint(CLI::App& app) {
  struct Options {
    std::vector<std::string> files;
    std::string format = "text";
    std::string color = "auto";
    std::vector<std::string> disable;
    bool werror = false;
    std::string output;
    bool quiet = false;
    bool no_notes = false;
    unsigned jobs = 0;
    CSourceFlags c;
  };
  auto o = std::make_shared<Options>();
  app.add_option("files", o->files,
                 "Spec files to lint ('-' reads standard input), or a driver's C/C++ sources (.c, "
                 ".cpp, .h, .hpp)")
      ->required();
  o->c.add_to(app, "For C sources", "each source's");
  app.add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
  app.add_option("--color", o->color,
                 "Colour text output: auto (on a terminal, unless NO_COLOR "
                 "is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("-d,--disable", o->disable,
                 "Disable a rule by id or name (repeatable, or comma-separated)")
      ->delimiter(',');
  app.add_flag("--werror", o->werror, "Treat warnings as errors");
  app.add_option("-o,--output", o->output,
                 "Write the output to FILE (atomically) instead of "
                 "standard output");
  app.add_option("-j,--jobs", o->jobs, "Lint this many files at once (0: one per core)")
      ->capture_default_str();
  app.add_flag("--no-notes", o->no_notes, "Leave notes (severity note) out of the output");
  app.add_flag("-q,--quiet", o->quiet, "Do not print the summary line on standard error");
  app.footer(
      "Exit codes: 0 no errors (warnings allowed unless --werror), 1 a spec has errors, "
      "2 a file could not be read or the command line is wrong.\n"
      "Formats: text (file:line:col: severity: message [rule]), json "
      "(schemas/ksframe-lint.schema.json), sarif (SARIF 2.1.0), github (workflow "
      "annotations).\n"
      "C sources are read with libclang and linted pin by pin (C states no connections); each "
      "finding is on the C line of its value (docs/c-sources.md).");
  return [o](Io& io) {
    const cimport::Options c_options = o->c.options();
    DiskFileReader reader;
    LintOptions options{o->disable, o->werror};
    // Specs are linted together (on --jobs threads); each C source through its own extraction.
    // Results keep the order of the command line.
    std::vector<std::string> specs;
    for (const auto& f : o->files)
      if (!cimport::is_c_source(f)) specs.push_back(f);
    std::vector<FileLintResult> spec_results = lint_files(reader, specs, options, o->jobs);
    // The C sources of one run are one driver: extracted together, so a table one source
    // declares `extern` is read from the source that defines it.
    std::vector<std::string> sources;
    for (const auto& f : o->files)
      if (cimport::is_c_source(f)) sources.push_back(f);
    std::vector<FileLintResult> c_results;
    if (!sources.empty()) c_results = cimport::lint_c_files(sources, c_options, options);
    std::vector<FileLintResult> results;
    std::size_t next_spec = 0, next_source = 0;
    for (const auto& f : o->files)
      results.push_back(cimport::is_c_source(f) ? std::move(c_results[next_source++])
                                                : std::move(spec_results[next_spec++]));
    if (o->no_notes)
      for (auto& r : results)
        std::erase_if(r.diagnostics,
                      [](const Diagnostic& d) { return d.severity == Severity::Note; });
    std::string text;
    if (o->format == "json")
      text = render_lint_json(results);
    else if (o->format == "sarif")
      text = render_lint_sarif(results);
    else if (o->format == "github")
      text = render_lint_github(results);
    else {
      const bool color =
          o->output.empty() &&
          (o->color == "always" || (o->color == "auto" && io.out_is_terminal && !io.no_color));
      text = render_lint_text(results, color);
    }
    if (!write_output(io, o->output, text)) return 2;
    if (!o->quiet) io.err << lint_summary(results) << "\n";
    return lint_exit_code(results);
  };
}

}  // namespace ksframe::cli
