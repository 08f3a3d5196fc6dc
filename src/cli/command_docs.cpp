// describe_program(): the command line as plain data, read off the same CLI11 apps that parse
// it. What an option's value is (a spec, a rule id, one of a set) is read from its validator
// and, where CLI11 cannot know it, from its name (the few names below).
#include "cli/command_docs.hpp"

#include <algorithm>

#include "cli/cli.hpp"
#include "ksframe/diff.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cli {
namespace {

/// The choices of an `IsMember` validator, from CLI11's "TEXT:{a,b,c}" type name.
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> out;
  const auto open = type_name.find(":{");
  const auto close = type_name.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string item;
  for (char c : type_name.substr(open + 2, close - open - 2)) {
    if (c == ',') {
      out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  out.push_back(item);
  return out;
}

bool named(const CLI::Option& opt, std::initializer_list<std::string_view> names) {
  const std::string& single = opt.get_single_name();
  return std::find(names.begin(), names.end(), single) != names.end();
}

ValueKind kind_of(const CLI::Option& opt, const OptionDoc& doc) {
  if (opt.get_items_expected_max() == 0) return ValueKind::none;  // a flag
  if (!doc.choices.empty()) return ValueKind::choice;
  if (named(opt, {"spec", "files", "input", "base", "head"})) return ValueKind::spec;
  if (named(opt, {"file", "output", "compile-commands"})) return ValueKind::file;
  if (named(opt, {"disable", "id"})) return ValueKind::rule;
  if (named(opt, {"fail-on"})) return ValueKind::gate;
  return ValueKind::text;
}

std::string value_name_of(const OptionDoc& doc, const std::string& type_name) {
  switch (doc.kind) {
    case ValueKind::none:
      return "";
    case ValueKind::spec:
      return "SPEC";
    case ValueKind::file:
      return "FILE";
    case ValueKind::rule:
      return "RULE";
    case ValueKind::gate:
      return "GATES";
    case ValueKind::choice: {
      std::string upper;
      const std::string& base = doc.long_names.empty() ? doc.positional : doc.long_names.front();
      for (char c : base)
        upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return upper.substr(upper.find_first_not_of('_'));
    }
    case ValueKind::text:
      break;
  }
  const std::string base = type_name.substr(0, type_name.find(':'));
  return base == "UINT" || base == "INT" ? "N" : base == "TEXT" ? "VALUE" : base;
}

OptionDoc describe_option(const CLI::Option& opt) {
  OptionDoc doc;
  for (const auto& s : opt.get_snames()) doc.short_names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) doc.long_names.push_back("--" + l);
  if (opt.get_positional() && !opt.nonpositional()) doc.positional = opt.get_single_name();
  doc.description = opt.get_description();
  const std::string type_name = opt.get_type_name();
  doc.choices = choices_of(type_name);
  doc.default_value = opt.get_default_str();
  doc.kind = kind_of(opt, doc);
  doc.value_name = value_name_of(doc, type_name);
  doc.repeatable = opt.get_expected_max() > 1 && doc.kind != ValueKind::none;
  doc.required = opt.get_required();
  return doc;
}

std::vector<OptionDoc> describe_options(const CLI::App& app) {
  std::vector<OptionDoc> named_options, positionals;
  for (const CLI::Option* opt : app.get_options()) {
    OptionDoc doc = describe_option(*opt);
    (doc.positional.empty() ? named_options : positionals).push_back(std::move(doc));
  }
  named_options.insert(named_options.end(), positionals.begin(), positionals.end());
  return named_options;
}

}  // namespace

ProgramDoc describe_program() {
  CLI::App app;
  configure_app(app);
  ProgramDoc program;
  program.description = app.get_description();
  program.footer = app.get_footer();
  program.version = KSFRAME_VERSION;
  program.options = describe_options(app);
  for (const auto& c : commands()) {
    if (c.hidden) continue;
    const CLI::App* sub = app.get_subcommand(std::string(c.name));
    program.commands.push_back(
        {std::string(c.name), std::string(c.help), sub->get_footer(), describe_options(*sub)});
  }
  for (const auto& r : rule_catalogue()) program.rule_ids.emplace_back(r.id);
  program.gates = gate_names();
  return program;
}

}  // namespace ksframe::cli
