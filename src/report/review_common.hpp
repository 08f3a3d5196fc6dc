// Helpers shared by the review renderers (Markdown, HTML, diff): number formats, the pipe of
// each pin, and the colour of each pipe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "ksframe/report.hpp"

namespace ksframe::review {

/// 614400 -> "614,400": sizes are read by people in reviews.
std::string grouped(std::uint64_t value);
/// 1382400 -> "1.32 MiB", 512 -> "512 B".
std::string bytes(std::uint64_t value);
/// Microseconds for people: "0 us", "1.250 ms", "2.500 s".
std::string duration_us(std::uint64_t us);

/// "camera.capture#2" -> "camera.capture": the negotiation names a splitter's extra instances.
std::string_view pin_of_member(std::string_view member);
/// Pin name ("filter.pin") -> index of the first pipe that holds it.
std::map<std::string, std::size_t> pipe_of_pins(const Report& report);
/// The pins ("filter.pin") that provide a pipe's allocator.
std::set<std::string> allocator_pins(const Report& report);
/// The connections ("a.out -> b.in") negotiation could not serve: drawn red and dashed.
std::set<std::string> failed_connections(const Report& report);
/// A colour per pipe (cycling through a palette readable on white, colour-blind friendly).
std::string_view pipe_colour(std::size_t pipe_index);

/// The allocator cell of a pipe table without its pin: "LastPin, kernel, default" for a kernel
/// allocator; for user-mode buffers what KsProxy hands the user-mode allocator; plain text.
std::string allocator_summary(const ReportPipe& pipe);

/// Pass -> "PASS", Warn -> "WARN", Fail -> "FAIL": the verdict as the reports print it.
std::string verdict_label(Verdict verdict);

/// The explanation of one decided value, as a sentence: "because ...; decided by a, b (rule x)".
std::string explanation_sentence(const ReportExplanation& e);

/// "file:line:column", as every report prints a location.
std::string location_text(const Location& l);

/// Text from the spec in Markdown prose or a table cell (see review_common.cpp for the rules).
std::string md(std::string_view s);
/// Text from the spec as a Markdown code span, safe in a table cell.
std::string code(std::string_view s);
/// The same outside a table (a heading, a sentence, a list item): '|' as it is, since there a
/// backslash before it would show.
std::string code_text(std::string_view s);

}  // namespace ksframe::review
