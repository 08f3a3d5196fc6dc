// ksframe run SPEC (the main job) and ksframe simulate SPEC: load, lint, negotiate, simulate,
// and write the whole report.
#include <cstdio>

#include "cli/cli.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/simulate.hpp"

namespace ksframe::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string format = "json";
  std::vector<std::string> set;
  std::optional<std::uint64_t> seed;
  std::optional<unsigned> frames;
  std::string allocator_mode;
  std::string output;
  bool no_progress = false;
};

std::function<int(Io&)> setup_job(CLI::App& app, bool with_lint) {
  auto o = std::make_shared<RunOptions>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  app.add_option("--set", o->set, "Override a spec value: PATH=VALUE (repeatable)");
  app.add_option("--seed", o->seed, "Random seed of the load (overrides load.seed)");
  app.add_option("--frames", o->frames, "Source frames to produce (overrides load.frames)");
  app.add_option("--allocator-mode", o->allocator_mode, "irp (requests pend) or direct (fail at once)")
      ->check(CLI::IsMember({"irp", "direct"}));
  app.add_option("-o,--output", o->output, "Write the report to FILE (atomically)");
  app.add_flag("--no-progress", o->no_progress, "No progress bar (it is shown only on a terminal)");
  app.footer("Exit codes: 0 the spec is clean and every pipe ran without failures, 1 the spec has "
             "errors, cannot be negotiated or a pipe failed, 2 usage error or unreadable file. The "
             "same spec and seed give the same report, byte for byte.");
  return [o, with_lint](Io& io) {
    int code = 0;
    auto loaded = load_one_spec(io, o->file, o->set, &code);
    if (!loaded) return code;
    Diagnostics diagnostics = loaded->diagnostics;
    const Spec& spec = *loaded->spec;
    const NegotiateOptions options = negotiate_options(spec);
    Negotiation n = negotiate(spec, options);
    if (with_lint)  // the rules, with this negotiation's findings rather than a second one
      for (auto& d : lint_spec(spec, {}, &n)) diagnostics.push_back(std::move(d));
    else
      for (const auto& d : n.diagnostics) diagnostics.push_back(d);
    sort_diagnostics(diagnostics);
    SimulateOptions so;
    so.seed = o->seed;
    if (o->frames) so.frames = *o->frames;
    if (!o->allocator_mode.empty()) so.allocator_mode = o->allocator_mode;
    const bool bar = io.err_is_terminal && !o->no_progress;
    if (bar)
      so.progress = [&io](std::uint64_t done, std::uint64_t total) {
        const int width = 40, filled = total ? static_cast<int>(width * done / total) : width;
        io.err << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] "
               << done << "/" << total << std::flush;
      };
    Simulation sim = simulate(spec, n, so);
    if (bar) io.err << "\r" << std::string(60, ' ') << "\r" << std::flush;
    std::string text;
    if (o->format == "text") {
      text = render_negotiation_text(n, false) + render_simulation_text(sim);
      FileLintResult shown{spec.file, std::nullopt, {}, false};
      for (const auto& d : diagnostics)  // notes are in the JSON; the text shows what needs action
        if (d.severity != Severity::Note) shown.diagnostics.push_back(d);
      text += render_lint_text({shown}, false);
    } else {
      text = render_report_json(spec, n, options, diagnostics, &sim);
    }
    if (o->output.empty()) io.out << text;
    else if (std::string err = write_file_atomically(o->output, text); !err.empty()) {
      io.err << "ksframe: cannot write " << o->output << ": " << err << "\n";
      return 2;
    }
    bool failing = !sim.ran;
    for (const auto& p : sim.pipes) failing = failing || p.verdict == "failing" || p.payload_errors;
    return has_errors(diagnostics) || !n.ok || failing ? 1 : 0;
  };
}

}  // namespace

std::function<int(Io&)> setup_run(CLI::App& app) { return setup_job(app, true); }
std::function<int(Io&)> setup_simulate(CLI::App& app) { return setup_job(app, false); }

}  // namespace ksframe::cli
