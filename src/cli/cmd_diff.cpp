// ksframe diff BASE HEAD: what a change to a spec does to the outcome, for code review and CI.
#include <algorithm>

#include "cli/c_input.hpp"
#include "cli/cli.hpp"
#include "cli/workload_flags.hpp"
#include "ksframe/diff.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe::cli {
namespace {

struct DiffOptions {
  std::string base, head;
  std::string format = "text";
  std::vector<std::string> fail_on;
  WorkloadFlags workload;
  std::string output;
  CSourceFlags c;  ///< for a side that is a driver's C source
};

}  // namespace

std::function<int(Io&)> setup_diff(CLI::App& app) {
  auto o = std::make_shared<DiffOptions>();
  app.add_option("base", o->base,
                 "The spec, saved JSON report or driver C/C++ source before the change")
      ->required();
  app.add_option("head", o->head,
                 "The spec, saved JSON report or driver C/C++ source after the change")
      ->required();
  o->c.add_to(app, "For a C source", "its");
  app.add_option("-f,--format", o->format, "text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  std::string gate_list;
  for (const auto& g : gate_names()) gate_list += (gate_list.empty() ? "" : ", ") + g;
  app.add_option("--fail-on", o->fail_on,
                 "Exit 1 when the change trips one of these gates (comma-separated or repeated): " +
                     gate_list)
      ->delimiter(',');
  o->workload.add_to(app);
  app.add_option("-o,--output", o->output, "Write the diff to FILE (atomically)");
  app.footer(
      "Specs are run as by 'ksframe run' with the same load flags on both sides; a spec with "
      "load errors is compared as its errors. Pipes are matched by their begin pin, diagnostics "
      "by rule, subject and message. A .c/.cpp/.h/.hpp side is read as the driver's source "
      "(docs/c-sources.md), so the spec and the driver can be compared. See docs/ci.md. Exit "
      "codes: 0 no gate tripped (a diff alone "
      "never fails), 1 a --fail-on gate tripped, 2 usage error, unreadable input, or a JSON file "
      "that is not a ksframe report.");
  return [o, gate_list](Io& io) {
    for (const auto& g : o->fail_on)
      if (std::find(gate_names().begin(), gate_names().end(), g) == gate_names().end()) {
        io.err << "ksframe: unknown --fail-on gate " << text::quote(g)
               << text::suggestion_suffix(g, gate_names()) << "\nGates: " << gate_list << "\n";
        return 2;
      }
    std::vector<std::string> gates;  // each once, in the order given
    for (const auto& g : o->fail_on)
      if (std::find(gates.begin(), gates.end(), g) == gates.end()) gates.push_back(g);
    int code = 0;
    const SimulateOptions so = o->workload.options();
    // Each side in its own tree: a base checked out beside the head (the Action's worktree of
    // the base commit) confines its includes to that checkout, not to the head's.
    auto side = [&](const std::string& file) {
      const confine::ScopedTree tree(confine::tree_for_input(file));
      return cimport::is_c_source(file) ? load_c_review_input(io, file, o->c.options(), so, &code)
                                        : load_review_input(io, file, {}, so, &code);
    };
    auto base = side(o->base);
    if (!base) return 2;  // a side that cannot be compared is a failure to do what was asked
    auto head = side(o->head);
    if (!head) return 2;
    const ReportDiff diff = diff_reports(*base, *head, gates);
    const std::string text = o->format == "json"       ? render_diff_json(diff)
                             : o->format == "markdown" ? render_diff_markdown(diff)
                                                       : render_diff_text(diff);
    if (!write_output(io, o->output, text)) return 2;
    return diff.tripped() ? 1 : 0;
  };
}

}  // namespace ksframe::cli
