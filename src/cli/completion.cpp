// Shell completion scripts rendered from the ProgramDoc: commands, options, the values of
// options that have a fixed set (formats, gates, rule ids) and spec files for positionals.
#include <sstream>

#include "cli/command_docs.hpp"

namespace ksframe::cli {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& sep = " ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::vector<std::string> names_of(const OptionDoc& o) {
  std::vector<std::string> names = o.short_names;
  names.insert(names.end(), o.long_names.begin(), o.long_names.end());
  return names;
}

std::string_view kind_word(ValueKind kind) {
  switch (kind) {
    case ValueKind::choice:
      return "choice";
    case ValueKind::spec:
      return "spec";
    case ValueKind::file:
      return "file";
    case ValueKind::rule:
      return "rule";
    case ValueKind::gate:
      return "gate";
    case ValueKind::none:
    case ValueKind::text:
      break;
  }
  return "none";
}

/// A word safe inside bash or zsh double quotes / fish single quotes: the values completed are
/// identifiers from our own tables, but descriptions are prose.
std::string single_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// ---- bash -----------------------------------------------------------------------------------

void bash_command(std::ostream& os, const CommandDoc& cmd) {
  std::vector<std::string> option_words, value_options, positional_kinds, positional_choices;
  os << "    " << cmd.name << ")\n      case $prev in\n";
  for (const auto& o : cmd.options) {
    if (!o.positional.empty()) {
      positional_kinds.emplace_back(kind_word(o.kind));
      positional_choices.push_back(join(o.choices));
      continue;
    }
    const auto names = names_of(o);
    option_words.insert(option_words.end(), names.begin(), names.end());
    if (o.kind == ValueKind::none) continue;
    value_options.insert(value_options.end(), names.begin(), names.end());
    os << "        " << join(names, "|") << ") _ksframe_value " << kind_word(o.kind) << " \"$cur\" "
       << single_quoted(join(o.choices)) << "; return 0;;\n";
  }
  os << "      esac\n"
     << "      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "
     << single_quoted(join(option_words)) << " -- \"$cur\")); return 0; fi\n"
     << "      _ksframe_positional " << single_quoted(join(value_options)) << " "
     << single_quoted(join(positional_kinds)) << " " << single_quoted(join(positional_choices, "|"))
     << "\n"
     << "      return 0;;\n";
}

std::string render_bash(const ProgramDoc& p) {
  std::ostringstream os;
  std::vector<std::string> top;
  for (const auto& c : p.commands) top.push_back(c.name);
  for (const auto& o : p.options) {
    const auto names = names_of(o);
    top.insert(top.end(), names.begin(), names.end());
  }
  os << "# bash completion for ksframe " << p.version
     << " (written by 'ksframe completion bash'; regenerate rather than edit)\n"
     << "_ksframe_rules=" << single_quoted(join(p.rule_ids)) << "\n"
     << "_ksframe_gates=" << single_quoted(join(p.gates)) << "\n"
     << R"(# _ksframe_value KIND WORD CHOICES: the candidates for one value.
# Word lists split at spaces (compgen -W splits with IFS) and compgen's output at newlines, so
# choices take IFS=$' \n'; file names take IFS=$'\n' alone (a name may hold spaces).
_ksframe_value() {
  local cur=$2 IFS=$'\n'
  case $1 in
    choice) IFS=$' \n' COMPREPLY=($(compgen -W "$3" -- "$cur"));;
    rule) IFS=$' \n' COMPREPLY=($(compgen -W "$_ksframe_rules" -- "$cur"));;
    gate) local head=""; [[ $cur == *,* ]] && head="${cur%,*},"
          IFS=$' \n' COMPREPLY=($(compgen -P "$head" -W "$_ksframe_gates" -- "${cur##*,}"));;
    spec) compopt -o filenames 2>/dev/null
          COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.yaml' -- "$cur")
                     $(compgen -f -X '!*.yml' -- "$cur") $(compgen -f -X '!*.json' -- "$cur"));;
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"));;
    *) COMPREPLY=();;
  esac
}
# _ksframe_positional VALUE_OPTIONS KINDS CHOICES: completes the next positional argument,
# counting the words before it that are neither options nor option values.
_ksframe_positional() {
  local -a kinds choices; local i n=0 word skip=0
  read -ra kinds <<< "$2"; IFS='|' read -ra choices <<< "$3"
  for ((i = 2; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $word == -* ]]; then [[ " $1 " == *" $word "* ]] && skip=1; continue; fi
    ((n++))
  done
  ((${#kinds[@]})) || return 0
  ((n >= ${#kinds[@]})) && n=$((${#kinds[@]} - 1))  # the last one repeats (files...)
  _ksframe_value "${kinds[n]}" "$cur" "${choices[n]-}"
}
_ksframe() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  # --format=json arrives as three words when '=' breaks words: '--format' '=' 'json'.
  if [[ $cur == = ]]; then cur=""; elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then prev=${COMP_WORDS[COMP_CWORD-2]}; fi
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
)"
     << "    COMPREPLY=($(compgen -W " << single_quoted(join(top)) << " -- \"$cur\"))\n"
     << "    return 0\n  fi\n  case ${COMP_WORDS[1]} in\n";
  for (const auto& c : p.commands) bash_command(os, c);
  os << "  esac\n}\ncomplete -F _ksframe ksframe\n";
  return os.str();
}

// ---- zsh ------------------------------------------------------------------------------------

/// Text inside an _arguments [description]: brackets, colons and backslashes are special.
std::string zsh_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string zsh_action(const ProgramDoc& p, const OptionDoc& o) {
  switch (o.kind) {
    case ValueKind::choice:
      return "(" + join(o.choices) + ")";
    case ValueKind::rule:
      return "(" + join(p.rule_ids) + ")";
    case ValueKind::gate:
      return "_sequence compadd - " + join(p.gates);
    case ValueKind::spec:
      return "_files -g '*.(yaml|yml|json)'";
    case ValueKind::file:
      return "_files";
    case ValueKind::none:
    case ValueKind::text:
      break;
  }
  return " ";
}

std::string zsh_spec(const ProgramDoc& p, const OptionDoc& o) {
  const std::string value = o.kind == ValueKind::none
                                ? ""
                                : ":" + zsh_escape(o.value_name.empty() ? "value" : o.value_name) +
                                      ":" + zsh_action(p, o);
  if (!o.positional.empty())
    return single_quoted(std::string(o.repeatable ? "*" : "") + ":" + zsh_escape(o.positional) +
                         ":" + zsh_action(p, o));
  const auto names = names_of(o);
  const std::string desc = "[" + zsh_escape(o.description) + "]" + value;
  if (names.size() == 1) return single_quoted((o.repeatable ? "*" : "") + names[0] + desc);
  // -f and --format exclude each other unless the option repeats.
  const std::string group = o.repeatable ? "*" : "(" + join(names) + ")";
  return single_quoted(group) + "{" + join(names, ",") + "}" + single_quoted(desc);
}

std::string render_zsh(const ProgramDoc& p) {
  std::ostringstream os;
  os << "#compdef ksframe\n# zsh completion for ksframe " << p.version
     << " (written by 'ksframe completion zsh'; regenerate rather than edit)\n"
     << "_ksframe() {\n  local -a commands\n  commands=(\n";
  for (const auto& c : p.commands) os << "    " << single_quoted(c.name + ":" + c.help) << "\n";
  os << "  )\n  if (( CURRENT == 2 )); then\n    _describe -t commands 'ksframe command' commands\n"
     << "    return\n  fi\n  local cmd=${words[2]}\n  shift words\n  (( CURRENT-- ))\n  case $cmd "
        "in\n";
  for (const auto& c : p.commands) {
    os << "    " << c.name << ")\n      _arguments -s";
    for (const auto& o : c.options) os << " \\\n        " << zsh_spec(p, o);
    os << " ;;\n";
  }
  os << "  esac\n}\n_ksframe \"$@\"\n";
  return os.str();
}

// ---- fish -----------------------------------------------------------------------------------

std::string fish_values(const ProgramDoc& p, const OptionDoc& o) {
  switch (o.kind) {
    case ValueKind::choice:
      return " -x -a " + single_quoted(join(o.choices));
    case ValueKind::rule:
      return " -x -a " + single_quoted(join(p.rule_ids));
    case ValueKind::gate:
      return " -x -a " + single_quoted(join(p.gates));
    case ValueKind::spec:
      return " -r -F -a '(__fish_complete_suffix .yaml .yml .json)'";
    case ValueKind::file:
      return " -r -F";
    case ValueKind::text:
      return " -x";
    case ValueKind::none:
      break;
  }
  return "";
}

std::string render_fish(const ProgramDoc& p) {
  std::ostringstream os;
  os << "# fish completion for ksframe " << p.version
     << " (written by 'ksframe completion fish'; regenerate rather than edit)\n"
     << "complete -c ksframe -f\n";
  for (const auto& c : p.commands)
    os << "complete -c ksframe -n __fish_use_subcommand -a " << c.name << " -d "
       << single_quoted(c.help) << "\n";
  for (const auto& c : p.commands) {
    const std::string when = " -n " + single_quoted("__fish_seen_subcommand_from " + c.name);
    for (const auto& o : c.options) {
      os << "complete -c ksframe" << when;
      if (!o.positional.empty()) {
        os << fish_values(p, o) << "\n";
        continue;
      }
      for (const auto& s : o.short_names) os << " -s " << s.substr(1);
      for (const auto& l : o.long_names) os << " -l " << l.substr(2);
      os << fish_values(p, o) << " -d " << single_quoted(o.description) << "\n";
    }
  }
  return os.str();
}

}  // namespace

std::string render_completion(const ProgramDoc& program, const std::string& shell) {
  if (shell == "bash") return render_bash(program);
  if (shell == "zsh") return render_zsh(program);
  if (shell == "fish") return render_fish(program);
  return "";
}

}  // namespace ksframe::cli
