// ksframe run SPEC (the main job): load, lint, negotiate, simulate, and write the whole report.
// `simulate` (cmd_simulate.cpp) is this job without the lint pass.
#include <cstdio>

#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "cli/workload_flags.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"

namespace ksframe::cli {

namespace {

struct RunOptions {
  std::string file;
  std::string format = "json";
  std::vector<std::string> set;
  WorkloadFlags workload;
  std::string output;
  bool no_progress = false;
};

}  // namespace

std::function<int(Io&)> setup_run_job(CLI::App& app, bool with_lint) {
  auto o = std::make_shared<RunOptions>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option("-f,--format", o->format,
                 "Output format: json (the report), text, markdown or html")
      ->check(CLI::IsMember({"json", "text", "markdown", "html"}))
      ->capture_default_str();
  app.add_option("--set", o->set, "Override a spec value: PATH=VALUE (repeatable)");
  o->workload.add_to(app);
  app.add_option("-o,--output", o->output, "Write the report to FILE (atomically)");
  app.add_flag("--no-progress", o->no_progress, "No progress bar (it is shown only on a terminal)");
  app.footer(
      "Exit codes: 0 the spec is clean and every pipe ran without failures, 1 the spec has "
      "errors, cannot be negotiated or a pipe failed, 2 usage error or unreadable file. The "
      "same spec and seed give the same report, byte for byte.");
  return [o, with_lint](Io& io) {
    int code = 0;
    auto loaded = load_one_spec(io, o->file, o->set, &code);
    if (!loaded) return code;
    const Spec& spec = *loaded->spec;
    SimulateOptions so = o->workload.options();
    ProgressBar bar(io, !o->no_progress);
    if (bar.enabled())
      so.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
    const Job job = run_job(spec, loaded->diagnostics, so, with_lint);
    const Report report = make_report(spec, job);
    std::string text;
    if (o->format == "text") {
      text = render_negotiation_text(job.negotiation, false) + render_report_formats_text(report) +
             render_simulation_text(job.simulation);
      Diagnostics shown;  // notes are in the JSON; the text shows what needs action
      for (const auto& d : job.diagnostics)
        if (d.severity != Severity::Note) shown.push_back(d);
      text += render_diagnostics_text(shown, false);
    } else if (o->format == "markdown") {
      text = render_report_markdown(report);
    } else if (o->format == "html") {
      text = render_report_html(report);
    } else {
      text = to_json(report);
    }
    if (!write_output(io, o->output, text)) return 2;
    return exit_code(report);
  };
}

std::function<int(Io&)> setup_run(CLI::App& app) { return setup_run_job(app, true); }

}  // namespace ksframe::cli
