// ksframe explore SPEC --vary PATH=VALUES...: what-if sweeps over spec values.
#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "cli/workload_flags.hpp"
#include "ksframe/explore.hpp"
#include "ksframe/source.hpp"

namespace ksframe::cli {
namespace {

struct ExploreFlags {
  std::string file;
  std::vector<std::string> vary, set;
  std::string format = "table";
  std::uint64_t max_runs = kDefaultMaxRuns;
  unsigned jobs = 0;
  WorkloadFlags workload;
  std::string output;
  bool no_progress = false;
};

}  // namespace

std::function<int(Io&)> setup_explore(CLI::App& app) {
  auto o = std::make_shared<ExploreFlags>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option(
         "--vary", o->vary,
         "PATH=VALUES, VALUES as a..b, a..b:step or a,b,c (repeatable; all combinations run)")
      ->required();
  app.add_option("--set", o->set,
                 "Override a spec value in every combination: PATH=VALUE (repeatable)");
  app.add_option("-f,--format", o->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  app.add_option("--max-runs", o->max_runs, "Refuse sweeps with more combinations than this")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
  app.add_option("-j,--jobs", o->jobs, "Worker threads (default: one per core)");
  o->workload.add_to(app);
  app.add_option("-o,--output", o->output, "Write the table to FILE (atomically)");
  app.add_flag("--no-progress", o->no_progress, "No progress bar (it is shown only on a terminal)");
  app.footer(
      "Example: ksframe explore examples/capture-preview.yaml --vary "
      "renderer.in.framing_ex.items[0].frames=1..6 --vary load.source.rate_hz=30,60\n"
      "Each combination is linted, negotiated and simulated like 'ksframe run'; rows come in "
      "combination order (first --vary outermost) whatever the number of jobs. Use --frames to "
      "shorten each run's load. Exit codes: 0 the sweep ran (rows may still fail), 2 usage "
      "error, unreadable spec, a --vary path that does not exist, or a sweep above --max-runs.");
  return [o](Io& io) {
    std::vector<Vary> vary;
    for (const auto& arg : o->vary) {
      std::string error;
      auto v = parse_vary(arg, o->max_runs, &error);
      if (!v) {
        io.err << "ksframe: " << error << "\n";
        return 2;
      }
      vary.push_back(std::move(*v));
    }
    const std::uint64_t runs = combination_count(vary);
    if (runs > o->max_runs) {
      io.err << "ksframe: the sweep has " << runs << " combinations, more than --max-runs "
             << o->max_runs << "; narrow the --vary ranges or raise --max-runs\n";
      return 2;
    }
    const auto spec = read_input(io, o->file, kDefaultMaxFileBytes);
    if (!spec) return 2;
    ExploreOptions eo;
    eo.overrides = o->set;
    eo.simulate = o->workload.options();
    eo.jobs = o->jobs;
    ProgressBar bar(io, !o->no_progress);
    if (bar.enabled())
      eo.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
    const ExploreResult result = explore(*spec, vary, eo);
    if (!result.error.empty()) {
      io.err << "ksframe: " << result.error << "\n";
      return 2;
    }
    const std::string text = o->format == "csv"    ? render_explore_csv(result)
                             : o->format == "json" ? render_explore_json(result)
                                                   : render_explore_table(result);
    if (!write_output(io, o->output, text)) return 2;
    return 0;
  };
}

}  // namespace ksframe::cli
