#include "ksframe/diagnostics.hpp"

#include <algorithm>
#include <tuple>

#include "util/words.hpp"

namespace ksframe {

namespace {
constexpr std::string_view kSeverityWords[] = {"note", "warning", "error"};
}

std::string_view to_string(Severity severity) { return words::of(kSeverityWords, severity); }
std::optional<Severity> parse_severity(std::string_view word) {
  return words::parse<Severity>(kSeverityWords, word);
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
  // Two findings a reader cannot tell apart are one: a C framing object shared by two pins is
  // one place in the source, and a rule that fires for each pin says the same thing there twice.
  auto printed_alike = [](const Diagnostic& a, const Diagnostic& b) {
    auto same_related = [](const RelatedLocation& x, const RelatedLocation& y) {
      return x.location == y.location && x.message == y.message;
    };
    return a.rule == b.rule && a.severity == b.severity && a.location == b.location &&
           a.message == b.message && a.hint == b.hint &&
           std::equal(a.related.begin(), a.related.end(), b.related.begin(), b.related.end(),
                      same_related);
  };
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end(), printed_alike),
                    diagnostics.end());
}

}  // namespace ksframe
