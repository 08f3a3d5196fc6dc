// A plain description of the command line, read off the CLI11 apps that `configure_app`
// declares. The shell completions and the man pages are rendered from it, so neither can drift
// from what `--help` prints and what the parser accepts.
#pragma once

#include <string>
#include <vector>

namespace ksframe::cli {

/// What a value of an option or positional argument is, for completion.
enum class ValueKind {
  none,    ///< a flag: takes no value
  choice,  ///< one of `OptionDoc::choices`
  spec,    ///< a spec or saved report file (.yaml, .yml, .json)
  file,    ///< any file
  rule,    ///< a lint rule id
  gate,    ///< a diff gate name (comma-separated list)
  text,    ///< free text or a number: nothing to complete
};

struct OptionDoc {
  std::vector<std::string> short_names;  ///< with the dash: "-f"
  std::vector<std::string> long_names;   ///< with the dashes: "--format"
  std::string positional;                ///< the argument's name when it is positional
  std::string description;
  std::string value_name;  ///< "FORMAT", "FILE", "N"...; empty for a flag
  std::vector<std::string> choices;
  std::string default_value;
  ValueKind kind = ValueKind::none;
  bool repeatable = false;
  bool required = false;
};

struct CommandDoc {
  std::string name;
  std::string help;
  std::string footer;
  std::vector<OptionDoc> options;  ///< in declaration order; positionals last
};

struct ProgramDoc {
  std::string description;
  std::string footer;
  std::string version;
  std::vector<OptionDoc> options;     ///< --help, --version
  std::vector<CommandDoc> commands;   ///< table order, hidden commands left out
  std::vector<std::string> rule_ids;  ///< what ValueKind::rule completes to
  std::vector<std::string> gates;     ///< what ValueKind::gate completes to
};

ProgramDoc describe_program();

/// The lines of a shell completion script for `shell` (bash, zsh or fish).
std::string render_completion(const ProgramDoc& program, const std::string& shell);

/// The man page, in roff: of the program when `command` is empty, else of that command.
/// Returns "" for an unknown command.
std::string render_manpage(const ProgramDoc& program, const std::string& command);

}  // namespace ksframe::cli
