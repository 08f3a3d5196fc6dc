// Looking rules up in the catalogue (the table is include/ksframe/rule_table.hpp).
#include <cstdlib>
#include <iostream>

#include "ksframe/rules.hpp"

namespace ksframe {

std::string_view to_string(RuleOrigin origin) {
  switch (origin) {
    case RuleOrigin::Input:
      return "input";
    case RuleOrigin::Documented:
      return "documented";
    case RuleOrigin::Kernel:
      return "kernel";
    case RuleOrigin::Proposed:
      return "proposed";
  }
  return "proposed";
}

std::span<const Rule> rule_catalogue() { return detail::kRuleTable; }

const Rule* find_rule(std::string_view id_or_name) {
  for (const auto& r : detail::kRuleTable)
    if (r.id == id_or_name || r.name == id_or_name) return &r;
  return nullptr;
}

const Rule& rule(std::string_view id) {
  if (const Rule* r = find_rule(id)) return *r;
  std::cerr << "ksframe: internal error: unknown rule id " << id << "\n";
  std::abort();
}

Diagnostic make_diagnostic(RuleId rule_id, std::string message, Location location,
                           std::string hint) {
  const Rule& r = rule(rule_id.id());
  Diagnostic d;
  d.rule = std::string(r.id);
  d.severity = r.severity;
  d.message = std::move(message);
  d.location = std::move(location);
  d.hint = std::move(hint);
  return d;
}

}  // namespace ksframe
