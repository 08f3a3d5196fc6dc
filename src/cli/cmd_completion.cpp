// ksframe completion SHELL and the build's ksframe manpage [COMMAND]: both print what
// command_docs renders from the command table.
#include "cli/cli.hpp"
#include "cli/command_docs.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_completion(CLI::App& app) {
  auto shell = std::make_shared<std::string>();
  app.add_option("shell", *shell, "The shell to complete for")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  app.footer(
      "bash: add 'source <(ksframe completion bash)' to ~/.bashrc. zsh: write the script to a "
      "directory on $fpath as _ksframe. fish: write it to ~/.config/fish/completions/ksframe.fish. "
      "Installed packages put all three where the shells look.");
  return [shell](Io& io) {
    io.out << render_completion(describe_program(), *shell);
    return 0;
  };
}

std::function<int(Io&)> setup_manpage(CLI::App& app) {
  struct Options {
    std::string command, directory;
  };
  auto o = std::make_shared<Options>();
  app.add_option("command", o->command, "The command whose page to print (none: ksframe(1))");
  app.add_option("--directory", o->directory,
                 "Write every page (ksframe.1, ksframe-COMMAND.1) into DIR");
  return [o](Io& io) {
    const ProgramDoc program = describe_program();
    if (!o->directory.empty()) {
      std::vector<std::pair<std::string, std::string>> pages{
          {"ksframe.1", render_manpage(program, "")}};
      for (const auto& c : program.commands)
        pages.emplace_back("ksframe-" + c.name + ".1", render_manpage(program, c.name));
      for (const auto& [name, text] : pages)
        if (!write_output(io, o->directory + "/" + name, text)) return 2;
      return 0;
    }
    const std::string page = render_manpage(program, o->command);
    if (page.empty()) {
      std::vector<std::string> names;
      for (const auto& c : program.commands) names.push_back(c.name);
      io.err << "ksframe: no man page for " << text::quote(o->command)
             << text::suggestion_suffix(o->command, names) << "\n";
      return 2;
    }
    io.out << page;
    return 0;
  };
}

}  // namespace ksframe::cli
