#include "ksframe/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace ksframe {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "error";
}

bool has_errors(const Diagnostics& diagnostics) { return count(diagnostics, Severity::Error) > 0; }

std::size_t count(const Diagnostics& diagnostics, Severity severity) {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [severity](const Diagnostic& d) { return d.severity == severity; }));
}

void sort_diagnostics(Diagnostics& diagnostics) {
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.location.file, a.location.line, a.location.column, a.rule, a.message) <
               std::tie(b.location.file, b.location.line, b.location.column, b.rule, b.message);
      });
}

}  // namespace ksframe
