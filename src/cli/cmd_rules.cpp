// ksframe rules [ID]: the catalogue, or one rule's documentation.
#include "cli/cli.hpp"
#include "ksframe/render.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_rules(CLI::App& app) {
  struct Options {
    std::string id;
    std::string format = "text";
  };
  auto o = std::make_shared<Options>();
  app.add_option("id", o->id, "A rule id (KSF1003) or name (range-order) to document");
  app.add_option("-f,--format", o->format, "Output format (markdown is docs/rules.md)")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->capture_default_str();
  return [o](Io& io) {
    if (o->id.empty()) {
      if (o->format == "markdown")
        io.out << render_rules_markdown();
      else if (o->format == "json")
        io.out << render_rules_json();
      else
        io.out << render_rules_text();
      return 0;
    }
    const Rule* rule = find_rule(o->id);
    if (!rule) {
      std::vector<std::string> names;
      for (const auto& r : rule_catalogue()) {
        names.emplace_back(r.id);
        names.emplace_back(r.name);
      }
      io.err << "ksframe: unknown rule " << text::quote(o->id)
             << text::suggestion_suffix(o->id, names) << "\n";
      return 2;
    }
    io.out << render_rule_text(*rule);
    return 0;
  };
}

}  // namespace ksframe::cli
