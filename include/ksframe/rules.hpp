// The rule catalogue: one table, stable ids. An id never changes meaning once released.
//
// Naming scheme: "KSF" + four digits; the first digit names the pass that reports the rule.
//   KSF0xxx  input: YAML and loader checks (cannot be disabled)
//   KSF1xxx  framing: KSALLOCATOR_FRAMING / KSALLOCATOR_FRAMING_EX values
//   KSF2xxx  pin descriptors: KSPIN_FLAG_*, instances, per-pin consistency
//   KSF3xxx  graph: connections and routes
//   KSF4xxx  negotiation outcomes
//   KSF5xxx  verdicts of kernel checks (ReactOS ks.sys), reported as notes
//   KSF9xxx  configuration of ksframe itself (suppressions)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ksframe/diagnostics.hpp"

namespace ksframe {

/// Where a rule comes from, so a reader knows how much weight it carries.
enum class RuleOrigin {
  Input,       ///< the spec format itself
  Documented,  ///< a rule stated in Microsoft's documentation
  Kernel,      ///< what the ReactOS ks.sys re-implementation checks
  Proposed,    ///< our own decision (reference [PROP]), documented in docs/rules.md
};
std::string_view to_string(RuleOrigin origin);

struct Rule {
  std::string_view id;    ///< "KSF1003"
  std::string_view name;  ///< "range-order": stable, used as the SARIF rule name
  Severity severity;      ///< default severity
  RuleOrigin origin;
  std::string_view reference;  ///< the section the rule comes from, e.g. "5.3 V-RANGE-ORDER"
  std::string_view title;      ///< one line
  std::string_view doc;        ///< a paragraph
  std::string_view example;    ///< a YAML fragment that triggers it
  bool suppressible = true;    ///< input rules cannot be disabled
};

}  // namespace ksframe

#include "ksframe/rule_table.hpp"

namespace ksframe {

/// A rule id the code reports. Built from a string literal, it is checked against the catalogue
/// at compile time: `make_diagnostic("KSF1O03", ...)` (a letter O) does not compile.
class RuleId {
 public:
  consteval RuleId(const char* id) : id_(id) {
    bool known = false;
    for (const auto& r : detail::kRuleTable) known = known || r.id == id_;
    if (!known) not_in_the_catalogue();
  }
  constexpr std::string_view id() const { return id_; }
  friend constexpr bool operator==(RuleId a, RuleId b) { return a.id_ == b.id_; }

 private:
  // Not constexpr: reaching it during constant evaluation makes the literal a compile error.
  static void not_in_the_catalogue() {}
  std::string_view id_;
};

std::span<const Rule> rule_catalogue();
/// By id ("KSF1003") or by name ("range-order").
const Rule* find_rule(std::string_view id_or_name);
/// The rule; aborts on an unknown id (a programming error caught by tests).
const Rule& rule(std::string_view id);

/// A diagnostic of `rule_id` with the rule's default severity.
Diagnostic make_diagnostic(RuleId rule_id, std::string message, Location location,
                           std::string hint = {});

}  // namespace ksframe
