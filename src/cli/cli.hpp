// The command-line front end: one table of subcommands (ninja-style), each in its own file.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/report.hpp"
#include "ksframe/simulate.hpp"
#include "ksframe/spec.hpp"

namespace ksframe::cli {

/// Streams and environment a command runs against; tests pass string streams.
struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;  ///< progress bars go to stderr, only on a terminal
  bool no_color = false;         ///< NO_COLOR is set and not empty
};

/// A subcommand: `setup` declares its options on the CLI11 app and returns the action to run
/// after parsing (the action returns the exit code).
struct Command {
  std::string_view name;
  std::string_view help;
  std::function<std::function<int(Io&)>(CLI::App&)> setup;
  bool hidden = false;  ///< left out of --help, completions and the man pages' command list
};

const std::vector<Command>& commands();

/// Declares the top-level options and every command of the table on `app`; returns each
/// command's action in table order. `run`, the completions and the man pages all start here,
/// so they cannot disagree about a command or an option.
std::vector<std::function<int(Io&)>> configure_app(CLI::App& app);

/// Parses argv and runs the chosen subcommand. Never throws.
int run(int argc, char** argv);
int run(const std::vector<std::string>& args, Io& io);

// The subcommands (one file each).
std::function<int(Io&)> setup_lint(CLI::App& app);
std::function<int(Io&)> setup_rules(CLI::App& app);
std::function<int(Io&)> setup_schema(CLI::App& app);
std::function<int(Io&)> setup_negotiate(CLI::App& app);
std::function<int(Io&)> setup_run(CLI::App& app);
std::function<int(Io&)> setup_simulate(CLI::App& app);
std::function<int(Io&)> setup_report(CLI::App& app);
std::function<int(Io&)> setup_diff(CLI::App& app);
std::function<int(Io&)> setup_explore(CLI::App& app);
std::function<int(Io&)> setup_export(CLI::App& app);
std::function<int(Io&)> setup_import(CLI::App& app);
std::function<int(Io&)> setup_completion(CLI::App& app);
std::function<int(Io&)> setup_inputs(CLI::App& app);
std::function<int(Io&)> setup_manpage(CLI::App& app);

/// `run` and `simulate` are one job: `simulate` is `run` without the lint pass (cmd_run.cpp).
std::function<int(Io&)> setup_run_job(CLI::App& app, bool with_lint);

/// What report and diff take: a spec (loaded, negotiated and simulated here) or a saved JSON
/// report of `ksframe run`. A spec with load errors gives a report of those errors (verdict
/// FAIL). Unreadable files, --set that does not apply and JSON that is not a ksframe report
/// are printed and give nothing, with `*exit_code` 2.
std::optional<Report> load_review_input(Io& io, const std::string& file,
                                        const std::vector<std::string>& overrides,
                                        const SimulateOptions& simulate, int* exit_code);

/// Reads `file` ('-' is standard input) up to `max_bytes`; when it cannot, says why on standard
/// error (the command then exits 2).
std::optional<SourceFile> read_input(Io& io, const std::string& file, std::size_t max_bytes);

/// Loads a spec for a command that works on one spec, applying `--set` overrides. On a problem
/// it prints the diagnostics (or the override error) and sets `*exit_code`: 1 for a spec with
/// errors, 2 for an unreadable file or an override that does not apply.
std::optional<LoadResult> load_one_spec(Io& io, const std::string& file,
                                        const std::vector<std::string>& overrides, int* exit_code);

/// Writes `text` to the regular file (or new path) `path` atomically (temporary file in the
/// same directory, then rename), so a failure never leaves a half-written file; the temporary
/// file is removed if SIGINT, SIGTERM or SIGHUP ends the process meanwhile. Returns an error
/// message or "".
std::string write_file_atomically(const std::string& path, const std::string& text);
/// `text` to standard output when `path` is empty, else to `path`: a regular file or a new path
/// is replaced atomically (through symlinks: the target is replaced), a device, FIFO or socket
/// is written in place, a directory is refused. On failure says so on standard error and
/// returns false (the command then exits 2).
bool write_output(Io& io, const std::string& path, const std::string& text);

}  // namespace ksframe::cli
