// What a rule needs to report: the spec, the output list, and the scope of the pin or filter the
// finding belongs to (for `lint: {disable: ...}` at filter and pin level).
#pragma once

#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"

namespace ksframe::lint_detail {

struct Reporter {
  const Spec& spec;
  Diagnostics& out;
  int filter = -1;
  int pin = -1;
  std::string subject;  ///< "filter.pin.framing_ex.items[0]" prefix for this scope

  Diagnostic& report(RuleId rule, std::string message, Position pos, const std::string& what = {},
                     std::string hint = {}) {
    Diagnostic d = make_diagnostic(rule, std::move(message), spec.at(pos), std::move(hint));
    d.filter = filter;
    d.pin = pin;
    d.subject = what.empty() ? subject : subject + "." + what;
    out.push_back(std::move(d));
    return out.back();
  }
};

}  // namespace ksframe::lint_detail
