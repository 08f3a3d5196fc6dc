// Diagnostics are values: every pass appends to a list and never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksframe {

enum class Severity { Note, Warning, Error };
/// "note", "warning", "error": the words of every output format.
std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view word);

/// A place in a spec file. Line and column are 1-based; column counts Unicode code points.
/// 0 means "unknown" (for example a file that could not be read at all).
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const Location&, const Location&) = default;
};

struct RelatedLocation {
  Location location;
  std::string message;
};

struct Diagnostic {
  std::string rule;  ///< stable rule id, e.g. "KSF1003"
  Severity severity = Severity::Error;
  std::string message;
  Location location;
  std::vector<RelatedLocation> related;
  std::string hint;     ///< what to do about it; may be empty
  std::string subject;  ///< stable path of the value, e.g. "camera.capture.framing_ex.items[0]"
  int filter = -1;      ///< scope for `lint: {disable: ...}` (index into Spec::filters)
  int pin = -1;         ///< scope (index into FilterSpec::pins)
  /// About the machine, not the input (a header not found, an include directory that does not
  /// exist): never moves a verdict or a `diff --fail-on` gate.
  bool environment = false;
};
using Diagnostics = std::vector<Diagnostic>;

bool has_errors(const Diagnostics& diagnostics);
std::size_t count(const Diagnostics& diagnostics, Severity severity);
/// Stable order: file, line, column, rule, message. Every renderer prints in this order. A
/// finding printed exactly as the one before it (a C framing shared by two pins) is dropped.
void sort_diagnostics(Diagnostics& diagnostics);

}  // namespace ksframe
