// ksframe run SPEC (the main job) and ksframe simulate SPEC: load, lint, negotiate, simulate,
// and write the whole report.
#include <cstdio>

#include "cli/cli.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"

namespace ksframe::cli {

void LoadFlags::add_to(CLI::App& app) {
  app.add_option("--seed", seed, "Random seed of the load (overrides load.seed)");
  app.add_option("--frames", frames, "Source frames to produce (overrides load.frames)");
  app.add_option("--allocator-mode", allocator_mode, "irp (requests pend) or direct (fail at once)")
      ->check(CLI::IsMember({"irp", "direct"}));
  app.add_option("--seeds", seeds, "Seeds a starved pipe's frames_needed must hold for (default 5)")
      ->check(CLI::Range(1, 64));
  app.add_option("--max-work", max_work,
                 "Refuse a load of more than this many source frames x stages (default " +
                     std::to_string(kDefaultMaxWork) + ")");
}

SimulateOptions LoadFlags::options() const {
  SimulateOptions so;
  so.seed = seed;
  if (frames) so.frames = *frames;
  if (!allocator_mode.empty()) so.allocator_mode = allocator_mode;
  if (max_work) so.max_work = *max_work;
  if (seeds) so.seeds = *seeds;
  return so;
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const int width = 40,
            filled = total ? static_cast<int>(width * std::min(done, total) / total) : width;
  io_.err << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done
          << "/" << total << std::flush;
  drawn_ = true;
}

ProgressBar::~ProgressBar() {
  if (drawn_) io_.err << "\r" << std::string(70, ' ') << "\r" << std::flush;
}

namespace {

struct RunOptions {
  std::string file;
  std::string format = "json";
  std::vector<std::string> set;
  LoadFlags load;
  std::string output;
  bool no_progress = false;
};

std::function<int(Io&)> setup_job(CLI::App& app, bool with_lint) {
  auto o = std::make_shared<RunOptions>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option("-f,--format", o->format,
                 "Output format: json (the report), text, markdown or html")
      ->check(CLI::IsMember({"json", "text", "markdown", "html"}))
      ->capture_default_str();
  app.add_option("--set", o->set, "Override a spec value: PATH=VALUE (repeatable)");
  o->load.add_to(app);
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
    SimulateOptions so = o->load.options();
    ProgressBar bar(io, !o->no_progress);
    if (bar.enabled())
      so.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
    const Job job = run_job(spec, loaded->diagnostics, so, with_lint);
    const Report report = make_report(spec, job);
    std::string text;
    if (o->format == "text") {
      text = render_negotiation_text(job.negotiation, false) + render_report_formats_text(report) +
             render_simulation_text(job.simulation);
      FileLintResult shown{spec.file, std::nullopt, {}, false};
      for (const auto& d :
           job.diagnostics)  // notes are in the JSON; the text shows what needs action
        if (d.severity != Severity::Note) shown.diagnostics.push_back(d);
      text += render_lint_text({shown}, false);
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

}  // namespace

std::function<int(Io&)> setup_run(CLI::App& app) { return setup_job(app, true); }
std::function<int(Io&)> setup_simulate(CLI::App& app) { return setup_job(app, false); }

}  // namespace ksframe::cli
