// The subcommand table and the top-level parse. Errors from CLI11 become exit code 2 with a
// message; nothing escapes as an exception.
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/cli.hpp"
#include "platform/platform.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"run", "The main job: lint, negotiate, simulate the load, write the whole report",
       setup_run},
      {"lint", "Check spec files against the rule catalogue", setup_lint},
      {"negotiate", "Choose pipes, allocators and framing as the KS graph manager does",
       setup_negotiate},
      {"simulate", "Negotiate and drive the reference allocators through the spec's load",
       setup_simulate},
      {"report", "Review report of a spec or saved report: Markdown for a pull request, or HTML",
       setup_report},
      {"diff", "What changed between two specs or saved reports; can gate CI with --fail-on",
       setup_diff},
      {"explore",
       "Sweep spec values (--vary PATH=VALUES) and tabulate the outcome of each combination",
       setup_explore},
      {"export", "C initializers of every pin's framing, to paste into a driver", setup_export},
      {"import",
       "Turn a binary KSALLOCATOR_FRAMING(_EX) as a device returns it, or a driver's C source "
       "(--from-c), into spec YAML",
       setup_import},
      {"inputs",
       "List the files a spec or driver source reads: its includes and their C #include closure",
       setup_inputs},
      {"rules", "List the lint rules, or show one rule's documentation", setup_rules},
      {"schema", "Print a JSON Schema: the spec format or one of the JSON outputs", setup_schema},
      {"completion", "Print a shell completion script for bash, zsh or fish", setup_completion},
      // Not listed in --help: the build runs it to write the man pages from this table.
      {"manpage", "Print the man page of ksframe or of one command (roff)", setup_manpage, true},
  };
  return table;
}

namespace {

constexpr std::string_view kDescription =
    "ksframe: Kernel Streaming allocator framing linter and negotiator";
constexpr std::string_view kFooter =
    "Run 'ksframe COMMAND --help' for a command's options. Exit codes: 0 no errors, "
    "1 the spec has errors, 2 the tool could not do what was asked.";

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands())
    if (!c.hidden) names.emplace_back(c.name);
  return names;
}

// A repeatable option (a vector) takes exactly one value each time it is given: CLI11's
// default lets it take every following word, so `run --set X spec.yaml -o out.json` read
// spec.yaml as a second --set and then said "spec is required".
void one_value_per_occurrence(CLI::App& app) {
  for (CLI::Option* option : app.get_options())
    if (option->nonpositional() && option->get_items_expected_max() > 1)
      option->allow_extra_args(false);
}

// The commands that read files a pull request may control, and so take --root.
bool reads_inputs(std::string_view name) {
  for (std::string_view c :
       {"run", "lint", "negotiate", "simulate", "report", "diff", "explore", "export", "import"})
    if (c == name) return true;
  return false;
}

std::vector<std::string> results_of(const CLI::App& sub, const std::string& name) {
  const CLI::Option* o = sub.get_option_no_throw(name);
  return o ? o->results() : std::vector<std::string>{};
}

// The tree of the command line just parsed (util/confine.hpp): --root, or the git work tree of
// its first input; the folders its -I and --wdk name; its clang limits, which a spec's
// `include:` of a C source gets too. The total parse time of the command is five times the
// limit of one source (300 s by default): 64 includes cannot mean an hour.
std::optional<confine::Tree> tree_of_command(const CLI::App& sub, std::string& error) {
  if (!sub.get_option_no_throw("--root")) return std::nullopt;
  const auto roots = results_of(sub, "--root");
  std::string first_input;
  for (const CLI::Option* o : sub.get_options())
    if (o->get_positional() && !o->results().empty() && first_input.empty())
      first_input = o->results().front();
  std::vector<std::string> dirs = results_of(sub, "-I");
  for (auto& d : results_of(sub, "--wdk")) dirs.push_back(d);
  auto tree = confine::make_tree(roots.empty() ? "" : roots.back(), first_input, dirs, error);
  if (!tree) return tree;
  if (const auto t = results_of(sub, "--clang-time-limit"); !t.empty())
    tree->c.timeout_seconds = static_cast<unsigned>(std::stoul(t.back()));
  if (const auto m = results_of(sub, "--clang-memory-limit"); !m.empty())
    tree->c.memory_limit_bytes = std::stoull(m.back()) << 20;
  tree->c.total_seconds = 5 * tree->c.timeout_seconds;
  return tree;
}

}  // namespace

std::vector<std::function<int(Io&)>> configure_app(CLI::App& app) {
  app.description(std::string(kDescription));
  app.name("ksframe");
  app.set_version_flag("--version", std::string("ksframe ") + KSFRAME_VERSION);
  app.require_subcommand(1);
  // CLI11 reads "/x" as an option on Windows; here options start with '-' everywhere, so an
  // absolute POSIX path (or one written with forward slashes) stays a file name.
  app.allow_windows_style_options(false);
  app.footer(std::string(kFooter));
  std::vector<std::function<int(Io&)>> actions;
  for (const auto& c : commands()) {
    CLI::App* sub = app.add_subcommand(std::string(c.name), std::string(c.help));
    if (c.hidden) sub->group("");
    actions.push_back(c.setup(*sub));
    if (reads_inputs(c.name))
      sub->add_option("--root",
                      "The tree (default: the git work tree of the first input, else "
                      "the current folder): paths written in files (include:, "
                      "#include, compile_commands.json) must stay in it; / allows any")
          ->type_name("DIR");
    one_value_per_occurrence(*sub);
  }
  return actions;
}

int run(const std::vector<std::string>& args, Io& io) {
  CLI::App app;
  const auto actions = configure_app(app);
  // An unknown command gets a did-you-mean before CLI11 sees it (ninja's SpellcheckString).
  if (args.size() > 1 && !args[1].empty() && args[1][0] != '-') {
    bool known = false;
    for (const auto& c : commands()) known = known || c.name == args[1];
    if (!known) {
      io.err << "ksframe: unknown command " << text::quote(args[1])
             << text::suggestion_suffix(args[1], command_names())
             << "\nRun 'ksframe --help' for the list of commands.\n";
      return 2;
    }
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 wants argv reversed
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    // Help of the subcommand that asked for it.
    for (auto* sub : app.get_subcommands())
      if (sub->parsed()) {
        io.out << sub->help();
        return 0;
      }
    io.out << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    io.out << "ksframe " << KSFRAME_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      io.out << app.help();
      return 0;
    }
    io.err << "ksframe: " << e.what() << "\nRun 'ksframe --help' for usage.\n";
    return 2;
  }
  const auto& table = commands();
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!app.got_subcommand(std::string(table[i].name))) continue;
    try {
      std::string error;
      auto tree = tree_of_command(*app.get_subcommand(std::string(table[i].name)), error);
      if (!error.empty()) {
        io.err << "ksframe: " << text::display_name(error) << "\n";
        return 2;
      }
      const confine::ScopedTree scoped(std::move(tree));
      return actions[i](io);
    } catch (const std::exception& e) {
      io.err << "ksframe: internal error: " << e.what() << "\n";
      return 2;
    }
  }
  io.out << app.help();
  return 2;
}

int run(int argc, char** argv) {
  const std::vector<std::string> args = platform::arguments(argc, argv);
  const char* no_color = std::getenv("NO_COLOR");
  Io io{.out = std::cout,
        .err = std::cerr,
        .out_is_terminal = platform::is_terminal(1),
        .err_is_terminal = platform::is_terminal(2),
        .no_color = no_color && *no_color};
  const int code = run(args, io);
  // A report that did not reach its reader is not a success: `ksframe run > /dev/full`, a
  // closed pipe or a full disk end with an error, not exit code 0.
  std::cout.flush();
  if (!std::cout) {
    if (code != 2) std::cerr << "ksframe: cannot write standard output\n";  // else said already
    return 2;
  }
  return code;
}

}  // namespace ksframe::cli
