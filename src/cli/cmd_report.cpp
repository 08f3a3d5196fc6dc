// ksframe report INPUT: the review report (Markdown for a pull request, HTML for a browser) of
// a spec, or of a JSON report saved by `ksframe run`.
#include "cli/c_input.hpp"
#include "cli/cli.hpp"
#include "cli/workload_flags.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"

namespace ksframe::cli {

namespace {

// A saved report is a JSON object with the ksframe_report key. A spec could be written as a
// YAML flow mapping and so also start with '{', which is why the key decides, not the brace.
bool looks_like_report(const std::string& content) {
  const auto first = content.find_first_not_of(" \t\r\n");
  return first != std::string::npos && content[first] == '{' &&
         content.find("\"ksframe_report\"") != std::string::npos;
}

}  // namespace

std::optional<Report> load_review_input(Io& io, const std::string& file,
                                        const std::vector<std::string>& overrides,
                                        const SimulateOptions& simulate, int* exit_code) {
  const auto input = read_input(io, file, 64u << 20);  // saved reports of large graphs are big
  if (!input) {
    *exit_code = 2;
    return std::nullopt;
  }
  if (looks_like_report(input->content)) {
    if (!overrides.empty()) {
      io.err << "ksframe: --set edits a spec; " << input->name << " is a saved report\n";
      *exit_code = 2;
      return std::nullopt;
    }
    std::string error;
    auto report = report_from_json_text(input->content, input->name, &error);
    if (!report) {
      io.err << "ksframe: " << error << "\n";
      *exit_code = 2;
    }
    return report;
  }
  LoadOptions load;
  load.overrides = overrides;
  LoadResult loaded = load_spec(*input, load);
  if (loaded.override_error) {
    io.err << "ksframe: " << loaded.override_error->message() << "\n";
    *exit_code = 2;
    return std::nullopt;
  }
  if (!loaded.spec || has_errors(loaded.diagnostics)) {  // reviewed as what is wrong with it
    sort_diagnostics(loaded.diagnostics);
    return make_report_of_load_errors(input->name, loaded.diagnostics);
  }
  const Job job = run_job(*loaded.spec, loaded.diagnostics, simulate);
  return make_report(*loaded.spec, job);
}

namespace {

struct ReportOptions {
  std::string file;
  std::string format = "markdown";
  std::vector<std::string> set;
  WorkloadFlags workload;
  std::string output;
  CSourceFlags c;  ///< for a driver's C source
};

}  // namespace

std::function<int(Io&)> setup_report(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  app.add_option("input", o->file,
                 "Spec file, a JSON report saved by 'ksframe run' or a driver C/C++ source ('-' "
                 "reads standard input)")
      ->required();
  o->c.add_to(app, "For a C source", "its");
  app.add_option("-f,--format", o->format,
                 "markdown (a pull-request comment) or html (one self-contained page)")
      ->check(CLI::IsMember({"markdown", "html"}))
      ->capture_default_str();
  app.add_option("--set", o->set, "Override a spec value: PATH=VALUE (repeatable; specs only)");
  o->workload.add_to(app);
  app.add_option("-o,--output", o->output, "Write the report to FILE (atomically)");
  app.footer(
      "A spec is linted, negotiated and simulated as by 'ksframe run' (a spec with load errors "
      "gives a FAIL report of those errors); a saved JSON report is checked against the report "
      "schema and rendered as it is. Exit codes: 0 the verdict is "
      "PASS or WARN, 1 FAIL (errors, negotiation failed, a pipe failed), 2 usage error, "
      "unreadable file or a JSON file that is not a ksframe report.");
  return [o](Io& io) {
    int code = 0;
    // A driver's C source is read as C (its own size limit, its clang limits), not as a spec
    // that is too large or is not YAML.
    auto report =
        cimport::is_c_source(o->file)
            ? load_c_review_input(io, o->file, o->c.options(), o->workload.options(), &code)
            : load_review_input(io, o->file, o->set, o->workload.options(), &code);
    if (!report) return code;
    const std::string text =
        o->format == "html" ? render_report_html(*report) : render_report_markdown(*report);
    if (!write_output(io, o->output, text)) return 2;
    return exit_code(*report);
  };
}

}  // namespace ksframe::cli
