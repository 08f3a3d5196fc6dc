#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ksframe/render.hpp"

namespace ksframe {
namespace {

using ojson = nlohmann::ordered_json;

const char* kReset = "\x1b[0m";
const char* color_of(Severity s) {
  switch (s) {
    case Severity::Error:
      return "\x1b[1;31m";
    case Severity::Warning:
      return "\x1b[1;35m";
    case Severity::Note:
      return "\x1b[1;36m";
  }
  return "";
}

std::string where(const Location& l) {
  if (l.line == 0) return l.file;
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

ojson location_json(const Location& l) {
  return ojson{{"file", l.file}, {"line", l.line}, {"column", l.column}};
}

ojson diagnostic_json(const Diagnostic& d) {
  ojson related = ojson::array();
  for (const auto& r : d.related)
    related.push_back(ojson{{"location", location_json(r.location)}, {"message", r.message}});
  return ojson{{"rule", d.rule},       {"severity", to_string(d.severity)},
               {"message", d.message}, {"location", location_json(d.location)},
               {"related", related},   {"hint", d.hint},
               {"subject", d.subject}};
}

std::string sarif_level(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

// RFC 3986 percent-encoding of a relative path for artifactLocation.uri.
std::string to_uri(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

ojson physical(const Location& l) {
  ojson p{{"artifactLocation", {{"uri", to_uri(l.file)}}}};
  if (l.line > 0) p["region"] = {{"startLine", l.line}, {"startColumn", std::max(1u, l.column)}};
  return p;
}

// Workflow-command escaping (the rules of GitHub's toolkit/core).
std::string gh_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}
std::string gh_property(const std::string& s) {
  std::string out;
  for (char c : gh_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string fingerprint(const Diagnostic& d) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  mix(d.rule);
  mix(d.location.file);
  mix(d.subject.empty() ? std::to_string(d.location.line) : d.subject);
  mix(d.message);
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string render_diagnostics_text(const Diagnostics& diagnostics, bool color) {
  std::ostringstream out;
  for (const auto& d : diagnostics) {
    if (color)
      out << "\x1b[1m" << where(d.location) << ":" << kReset << " " << color_of(d.severity)
          << to_string(d.severity) << ":" << kReset << " " << d.message << " [" << d.rule << "]\n";
    else
      out << where(d.location) << ": " << to_string(d.severity) << ": " << d.message << " ["
          << d.rule << "]\n";
    for (const auto& rel : d.related)
      out << where(rel.location) << ": note: " << rel.message << "\n";
    if (!d.hint.empty()) out << "    hint: " << d.hint << "\n";
  }
  return out.str();
}

std::string render_lint_text(const std::vector<FileLintResult>& results, bool color) {
  std::string out;
  for (const auto& r : results) out += render_diagnostics_text(r.diagnostics, color);
  return out;
}

std::string lint_summary(const std::vector<FileLintResult>& results) {
  std::size_t e = 0, w = 0, n = 0;
  for (const auto& r : results) {
    e += count(r.diagnostics, Severity::Error);
    w += count(r.diagnostics, Severity::Warning);
    n += count(r.diagnostics, Severity::Note);
  }
  auto plural = [](std::size_t k, const char* word) {
    return std::to_string(k) + " " + word + (k == 1 ? "" : "s");
  };
  return plural(results.size(), "file") + ": " + plural(e, "error") + ", " + plural(w, "warning") +
         ", " + plural(n, "note");
}

std::string render_lint_json(const std::vector<FileLintResult>& results) {
  ojson files = ojson::array(), diags = ojson::array();
  std::size_t te = 0, tw = 0, tn = 0;
  for (const auto& r : results) {
    const std::size_t e = count(r.diagnostics, Severity::Error),
                      w = count(r.diagnostics, Severity::Warning),
                      n = count(r.diagnostics, Severity::Note);
    te += e;
    tw += w;
    tn += n;
    const char* status = r.unreadable ? "unreadable" : e ? "errors" : w ? "warnings" : "ok";
    ojson f{{"file", r.file}, {"name", nullptr}, {"status", status},
            {"errors", e},    {"warnings", w},   {"notes", n}};
    if (r.spec && r.spec->name.present) f["name"] = r.spec->name.value;
    files.push_back(f);
    for (const auto& d : r.diagnostics) diags.push_back(diagnostic_json(d));
  }
  ojson doc{
      {"ksframe_lint", 1},
      {"tool", {{"name", "ksframe"}, {"version", KSFRAME_VERSION}}},
      {"files", files},
      {"diagnostics", diags},
      {"summary", {{"files", results.size()}, {"errors", te}, {"warnings", tw}, {"notes", tn}}}};
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";  // no throw on bad UTF-8
}

std::string render_lint_sarif(const std::vector<FileLintResult>& results) {
  ojson rules = ojson::array();
  std::size_t index = 0;
  std::map<std::string, std::size_t> rule_index;
  for (const auto& r : rule_catalogue()) {
    rule_index[std::string(r.id)] = index++;
    std::string help = std::string(r.doc);
    if (!r.example.empty()) help += "\n\nExample:\n" + std::string(r.example);
    rules.push_back(ojson{
        {"id", r.id},
        {"name", r.name},
        {"shortDescription", {{"text", r.title}}},
        {"fullDescription", {{"text", r.doc}}},
        {"help",
         {{"text", help},
          {"markdown",
           std::string(r.doc) +
               (r.example.empty() ? "" : "\n\n```yaml\n" + std::string(r.example) + "\n```")}}},
        {"defaultConfiguration", {{"level", sarif_level(r.severity)}}},
        {"properties",
         {{"origin", to_string(r.origin)},
          {"reference", r.reference},
          {"tags", ojson::array({to_string(r.origin)})}}}});
  }
  ojson out_results = ojson::array();
  bool unreadable = false;
  for (const auto& fr : results) {
    unreadable = unreadable || fr.unreadable;
    for (const auto& d : fr.diagnostics) {
      std::string text = d.message;
      if (!d.hint.empty()) text += " (hint: " + d.hint + ")";
      ojson res{{"ruleId", d.rule},
                {"ruleIndex", rule_index[d.rule]},
                {"level", sarif_level(d.severity)},
                {"message", {{"text", text}}},
                {"locations", ojson::array({ojson{{"physicalLocation", physical(d.location)}}})},
                {"partialFingerprints", {{"ksframeFingerprint/v1", fingerprint(d)}}}};
      if (!d.related.empty()) {
        ojson rel = ojson::array();
        int id = 1;
        for (const auto& r : d.related)
          rel.push_back(ojson{{"id", id++},
                              {"physicalLocation", physical(r.location)},
                              {"message", {{"text", r.message}}}});
        res["relatedLocations"] = rel;
      }
      out_results.push_back(res);
    }
  }
  ojson doc{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", ojson::array({ojson{
                   {"tool",
                    {{"driver",
                      {{"name", "ksframe"},
                       {"version", KSFRAME_VERSION},
                       {"semanticVersion", KSFRAME_VERSION},
                       {"rules", rules}}}}},
                   {"invocations", ojson::array({ojson{{"executionSuccessful", !unreadable}}})},
                   {"columnKind", "unicodeCodePoints"},
                   {"results", out_results}}})}};
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";  // no throw on bad UTF-8
}

std::string render_lint_github(const std::vector<FileLintResult>& results) {
  std::ostringstream out;
  for (const auto& r : results) {
    for (const auto& d : r.diagnostics) {
      const char* cmd = d.severity == Severity::Error     ? "error"
                        : d.severity == Severity::Warning ? "warning"
                                                          : "notice";
      out << "::" << cmd << " file=" << gh_property(d.location.file);
      if (d.location.line > 0)
        out << ",line=" << d.location.line << ",col=" << std::max(1u, d.location.column);
      const Rule* rule = find_rule(d.rule);
      out << ",title=" << gh_property(d.rule + (rule ? " " + std::string(rule->name) : ""));
      std::string text = d.message;
      if (!d.hint.empty()) text += "\nhint: " + d.hint;
      out << "::" << gh_data(text) << "\n";
    }
  }
  return out.str();
}

}  // namespace ksframe
