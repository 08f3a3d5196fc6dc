// The command line as data (command_docs) and what is rendered from it: completions and man
// pages. The shell-level behaviour is tested by tests/shell/*.sh in real shells.
#include "cli/command_docs.hpp"

#include <algorithm>

#include "cli/cli.hpp"
#include "helpers.hpp"

using namespace ksframe::cli;

namespace {
const CommandDoc& command(const ProgramDoc& p, const std::string& name) {
  auto it = std::find_if(p.commands.begin(), p.commands.end(),
                         [&](const CommandDoc& c) { return c.name == name; });
  REQUIRE(it != p.commands.end());
  return *it;
}
const OptionDoc& option(const CommandDoc& c, const std::string& name) {
  auto it = std::find_if(c.options.begin(), c.options.end(), [&](const OptionDoc& o) {
    return o.positional == name ||
           std::find(o.long_names.begin(), o.long_names.end(), name) != o.long_names.end();
  });
  REQUIRE_MESSAGE(it != c.options.end(), name);
  return *it;
}
}  // namespace

TEST_SUITE("command_docs") {
  TEST_CASE("the program description follows the command table, hidden commands left out") {
    const ProgramDoc p = describe_program();
    std::vector<std::string> visible;
    for (const auto& c : commands())
      if (!c.hidden) visible.emplace_back(c.name);
    std::vector<std::string> described;
    for (const auto& c : p.commands) described.push_back(c.name);
    CHECK(described == visible);
    CHECK(std::find(described.begin(), described.end(), "manpage") == described.end());
    CHECK(p.version == KSFRAME_VERSION);
  }

  TEST_CASE("options: names, value kinds, choices, defaults, repetition") {
    const ProgramDoc p = describe_program();
    const CommandDoc& lint = command(p, "lint");
    const OptionDoc& format = option(lint, "--format");
    CHECK(format.short_names == std::vector<std::string>{"-f"});
    CHECK(format.kind == ValueKind::choice);
    CHECK(format.choices == std::vector<std::string>{"text", "json", "sarif", "github"});
    CHECK(format.default_value == "text");
    CHECK(format.value_name == "FORMAT");
    CHECK_FALSE(format.repeatable);
    CHECK(option(lint, "--disable").kind == ValueKind::rule);
    CHECK(option(lint, "--disable").repeatable);
    CHECK(option(lint, "--werror").kind == ValueKind::none);
    CHECK(option(lint, "--werror").value_name.empty());
    CHECK(option(lint, "--output").kind == ValueKind::file);
    CHECK(option(lint, "files").kind == ValueKind::spec);
    CHECK(option(lint, "files").required);
    CHECK(lint.options.back().positional == "files");  // positionals come last
    CHECK(option(command(p, "diff"), "--fail-on").kind == ValueKind::gate);
    CHECK(option(command(p, "rules"), "id").kind == ValueKind::rule);
    CHECK(option(command(p, "import"), "file").kind == ValueKind::file);
    CHECK(option(command(p, "completion"), "shell").choices ==
          std::vector<std::string>{"bash", "zsh", "fish"});
    CHECK(p.rule_ids.front() == "KSF0001");
    CHECK(std::find(p.gates.begin(), p.gates.end(), "memory-increase") != p.gates.end());
  }

  TEST_CASE("man pages: roff escaping and one page per command") {
    const ProgramDoc p = describe_program();
    const std::string lint = render_manpage(p, "lint");
    CHECK(lint.find(".TH KSFRAME\\-LINT 1 \"\" \"ksframe " KSFRAME_VERSION
                    "\" \"ksframe manual\"\n") != std::string::npos);
    CHECK(
        lint.find("\n.SH NAME\nksframe\\-lint \\- Check spec files against the rule catalogue\n") !=
        std::string::npos);
    CHECK(lint.find("\\fB\\-f\\fR, \\fB\\-\\-format\\fR \\fIFORMAT\\fR\n") != std::string::npos);
    CHECK(lint.find("SYNOPSIS\n\\fBksframe lint\\fR [\\fIOPTIONS\\fR] \\fIfiles\\fR...\n") !=
          std::string::npos);
    CHECK(render_manpage(p, "nope").empty());
    const std::string top = render_manpage(p, "");
    for (const auto& c : p.commands)
      CHECK(top.find(".BR ksframe\\-" + c.name + " (1)") != std::string::npos);
  }

  TEST_CASE("man pages: EXAMPLES, and files where the package installs them") {
    const ProgramDoc p = describe_program();
    const std::string lint = render_manpage(p, "lint");
    CHECK(lint.find(".SH EXAMPLES\n.TP\n.B ksframe lint specs/*.yaml\nLint specs") !=
          std::string::npos);
    CHECK(lint.find("(/usr/share/ksframe/schemas/ksframe\\-lint.schema.json)") !=
          std::string::npos);
    CHECK(lint.find("(/usr/share/doc/ksframe/docs/c\\-sources.md)") != std::string::npos);
    CHECK(lint.find("(docs/") == std::string::npos);
    CHECK(lint.find("(schemas/") == std::string::npos);
    for (const auto& c : p.commands)
      CHECK_MESSAGE(render_manpage(p, c.name).find(".SH EXAMPLES\n") != std::string::npos, c.name);
  }

  TEST_CASE("completion scripts name every command, unknown shells give nothing") {
    const ProgramDoc p = describe_program();
    for (const std::string shell : {"bash", "zsh", "fish"}) {
      const std::string script = render_completion(p, shell);
      for (const auto& c : p.commands)
        CHECK_MESSAGE(script.find(c.name) != std::string::npos, (shell + " " + c.name));
    }
    CHECK(render_completion(p, "csh").empty());
    CHECK(render_completion(p, "fish").find(
              "complete -c ksframe -n '__fish_seen_subcommand_from lint' -s f -l format -x -a "
              "'text json sarif github'") != std::string::npos);
  }
}
