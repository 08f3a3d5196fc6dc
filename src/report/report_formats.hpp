// The formats of a report's graph: each connection's format, each pin's data ranges and its
// framing edit. Built from the spec once (report_format & co.), written to and read from the
// report JSON here, so make_report and a report read back from its JSON agree by construction,
// and put into words once for the text, Markdown and HTML renderings.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ksframe/report.hpp"
#include "ksframe/spec.hpp"

namespace ksframe::report_formats {

/// The connection's format, or nothing when neither pin lists data ranges.
std::optional<ReportFormat> format_of(const Spec& spec, const ConnectionSpec& c);
std::vector<ReportDataRange> data_ranges_of(const Spec& spec, const PinSpec& p);
std::optional<ReportFramingEdit> framing_edit_of(const Spec& spec, const PinSpec& p);

nlohmann::ordered_json format_json(const std::optional<ReportFormat>& f);
nlohmann::ordered_json data_ranges_json(const std::vector<ReportDataRange>& ranges);
nlohmann::ordered_json framing_edit_json(const std::optional<ReportFramingEdit>& e);

/// Readers of the JSON above (already checked against the report schema). A key that is absent
/// (a report saved before formats were reported) reads as no format, no ranges, no edit.
std::optional<ReportFormat> format_from_json(const nlohmann::json& connection);
std::vector<ReportDataRange> data_ranges_from_json(const nlohmann::json& pin);
std::optional<ReportFramingEdit> framing_edit_from_json(const nlohmann::json& pin);

/// "range 0 x any (the first common format)": which range of each pin, and why.
std::string format_choice_text(const ReportFormat& f);
/// "video YUY2 320x240 16-bit, image 153600 bytes, 29.970 frames/s"; for audio the format's
/// channels, bits, rate, block align and byte rate.
std::string format_text(const ReportFormat& f);
/// "2 x 8192 bytes, stepping 1" per framing item, joined by "; ".
std::string sizes_text(const std::vector<ReportFramingSizes>& sizes);
/// "2 x 8192 bytes, stepping 1 -> 2 x 153600 bytes, stepping 0 (frame size ...); negotiation
/// used the edited framing", or for an edit no format applied, why the declared framing stayed.
std::string edit_text(const ReportFramingEdit& e);

}  // namespace ksframe::report_formats
