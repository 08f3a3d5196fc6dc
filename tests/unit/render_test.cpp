// Renderers: exact text lines, GitHub escaping, and JSON / SARIF outputs validated with valijson
// against schemas/ksframe-lint.schema.json and the official SARIF 2.1.0 schema.
#include "ksframe/render.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "helpers.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

std::vector<FileLintResult> lint_all() {
  DiskFileReader disk;
  std::vector<FileLintResult> out;
  std::vector<std::string> paths;
  for (const char* dir : {"/examples", "/examples/broken", "/tests/data/hostile"})
    for (const auto& e : fs::directory_iterator(test::source_dir() + dir))
      if (e.path().extension() == ".yaml") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) out.push_back(lint_file(disk, p, {}));
  out.push_back(lint_file(disk, test::source_dir() + "/no-such-file.yaml", {}));
  return out;
}

std::vector<std::string> validate(const std::string& schema_path, const std::string& document,
                                  valijson::SchemaParser::Version version) {
  auto schema_json = nlohmann::json::parse(test::read_file(schema_path));
  valijson::Schema schema;
  valijson::SchemaParser parser(version);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  auto doc = nlohmann::json::parse(document);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
  validator.validate(schema, doc_adapter, &results);
  std::vector<std::string> errors;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    std::string path;
    for (const auto& c : e.context) path += c;
    errors.push_back(path + ": " + e.description);
  }
  return errors;
}

Diagnostic make_diagnostic(std::string rule, Severity severity, std::string message,
                           Location location) {
  Diagnostic d;
  d.rule = std::move(rule);
  d.severity = severity;
  d.message = std::move(message);
  d.location = std::move(location);
  return d;
}

}  // namespace

TEST_SUITE("render") {
  TEST_CASE("text: file:line:col: severity: message [rule], related notes and hints") {
    MemoryFileReader reader;
    reader.add("d.yaml", "a: 1\na: 2\n");
    std::vector<FileLintResult> r{lint_file(reader, "d.yaml", {})};
    CHECK(render_lint_text(r, false) ==
          "d.yaml:2:1: error: duplicate key 'a' [KSF0007]\n"
          "d.yaml:1:1: note: first defined here\n"
          "    hint: remove one of the two\n");
    CHECK(render_lint_text(r, true).find("\x1b[1;31merror:\x1b[0m") != std::string::npos);
    CHECK(lint_summary(r) == "1 file: 1 error, 0 warnings, 0 notes");
  }

  TEST_CASE("text of diagnostics that are no linted file's: the same lines, each file its own") {
    Diagnostic warning = make_diagnostic(
        "KSF1004", Severity::Warning, "stepping 8 is larger than max - min (4)", {"a.yaml", 3, 7});
    warning.hint = "set stepping to 0";
    Diagnostic error =
        make_diagnostic("KSF0007", Severity::Error, "duplicate key 'a'", {"b.bin", 0, 0});
    error.related.push_back({Location{"b.bin", 1, 1}, "first defined here"});
    const Diagnostics ds{warning, error};
    // A location without a line is the file alone (an unreadable file, a whole binary).
    CHECK(render_diagnostics_text(ds, false) ==
          "a.yaml:3:7: warning: stepping 8 is larger than max - min (4) [KSF1004]\n"
          "    hint: set stepping to 0\n"
          "b.bin: error: duplicate key 'a' [KSF0007]\n"
          "b.bin:1:1: note: first defined here\n");
    CHECK(render_diagnostics_text(ds, true) ==
          "\x1b[1ma.yaml:3:7:\x1b[0m \x1b[1;35mwarning:\x1b[0m stepping 8 is larger than max - min "
          "(4) [KSF1004]\n"
          "    hint: set stepping to 0\n"
          "\x1b[1mb.bin:\x1b[0m \x1b[1;31merror:\x1b[0m duplicate key 'a' [KSF0007]\n"
          "b.bin:1:1: note: first defined here\n");
    CHECK(render_diagnostics_text({}, false).empty());
    // render_lint_text is these lines file after file, whatever the results' other fields say.
    const std::vector<FileLintResult> files{{"x.yaml", std::nullopt, {warning}, false},
                                            {"", std::nullopt, {error}, true}};
    CHECK(render_lint_text(files, false) == render_diagnostics_text(ds, false));
  }

  TEST_CASE("JSON output validates against schemas/ksframe-lint.schema.json") {
    auto results = lint_all();
    const std::string json = render_lint_json(results);
    auto errors = validate(test::source_dir() + "/schemas/ksframe-lint.schema.json", json,
                           valijson::SchemaParser::kDraft7);
    CHECK_MESSAGE(errors.empty(), (errors.empty() ? "" : errors[0]));
    auto doc = nlohmann::json::parse(json);
    CHECK(doc["ksframe_lint"] == 1);
    CHECK(doc["diagnostics"].size() > 100);
    CHECK(doc["files"].back()["status"] == "unreadable");
  }

  TEST_CASE("SARIF output validates against the official SARIF 2.1.0 schema") {
    auto results = lint_all();
    const std::string sarif = render_lint_sarif(results);
    auto errors = validate(test::source_dir() + "/tests/data/sarif-schema-2.1.0.json", sarif,
                           valijson::SchemaParser::kDraft4);
    CHECK_MESSAGE(errors.empty(), (errors.empty() ? "" : errors[0]));
    auto doc = nlohmann::json::parse(sarif);
    const auto& run = doc["runs"][0];
    CHECK(run["tool"]["driver"]["rules"].size() == rule_catalogue().size());
    CHECK(run["columnKind"] == "unicodeCodePoints");
    CHECK(run["invocations"][0]["executionSuccessful"] == false);  // one file was unreadable
    for (const auto& res : run["results"]) {
      const std::string id = res["ruleId"];
      CHECK(run["tool"]["driver"]["rules"][res["ruleIndex"].get<std::size_t>()]["id"] == id);
      if (res["locations"][0]["physicalLocation"].contains("region"))
        CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() >= 1);
    }
  }

  TEST_CASE("SARIF: URIs are percent-encoded and fingerprints survive moved lines") {
    MemoryFileReader reader;
    const std::string body = test::one_pin("        framing_ex: {items: [{file_alignment: 5}]}\n");
    reader.add("my spec.yaml", body);
    reader.add("moved.yaml", "# a comment that moves every line down\n" + body);
    std::vector<FileLintResult> a{lint_file(reader, "my spec.yaml", {})};
    auto doc = nlohmann::json::parse(render_lint_sarif(a));
    CHECK(doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
             ["uri"] == "my%20spec.yaml");
    auto d1 = test::with_rule(lint_file(reader, "my spec.yaml", {}).diagnostics, "KSF1007").at(0);
    auto d2 = test::with_rule(lint_file(reader, "moved.yaml", {}).diagnostics, "KSF1007").at(0);
    d2.location.file = d1.location.file;
    CHECK(d1.location.line != d2.location.line);
    CHECK(fingerprint(d1) == fingerprint(d2));
    d2.message += "!";
    CHECK(fingerprint(d1) != fingerprint(d2));
  }

  TEST_CASE("GitHub annotations escape data and properties") {
    FileLintResult r;
    Diagnostic d;
    d.rule = "KSF1007";
    d.severity = Severity::Warning;
    d.message = "100% wrong\nsecond line";
    d.location = {"dir,x/a:b.yaml", 3, 4};
    d.hint = "fix it";
    r.diagnostics.push_back(d);
    CHECK(render_lint_github({r}) ==
          "::warning file=dir%2Cx/a%3Ab.yaml,line=3,col=4,title=KSF1007 alignment-not-mask::"
          "100%25 wrong%0Asecond line%0Ahint: fix it\n");
    r.diagnostics[0].severity = Severity::Note;
    r.diagnostics[0].location.line = 0;
    CHECK(render_lint_github({r}).rfind("::notice file=dir%2Cx/a%3Ab.yaml,title=", 0) == 0);
  }

  TEST_CASE("output is deterministic") {
    auto a = render_lint_sarif(lint_all());
    auto b = render_lint_sarif(lint_all());
    CHECK(a == b);
  }
}

#include "ksframe/negotiate.hpp"

TEST_SUITE("render") {
  TEST_CASE("negotiate JSON validates against schemas/ksframe-report.schema.json") {
    DiskFileReader disk;
    int checked = 0;
    for (const char* dir : {"/examples", "/examples/broken", "/tests/data/negotiation"})
      for (const auto& entry : fs::directory_iterator(test::source_dir() + dir)) {
        if (entry.path().extension() != ".yaml") continue;
        auto loaded = load_spec_file(disk, entry.path().string());
        if (!loaded.spec || has_errors(loaded.diagnostics)) continue;
        const auto options = negotiate_options(*loaded.spec);
        auto n = negotiate(*loaded.spec, options);
        const std::string json = render_negotiation_json(*loaded.spec, n, options, n.diagnostics);
        auto errors = validate(test::source_dir() + "/schemas/ksframe-report.schema.json", json,
                               valijson::SchemaParser::kDraft7);
        const std::string what =
            entry.path().string() + ": " + (errors.empty() ? std::string() : errors[0]);
        CHECK_MESSAGE(errors.empty(), what);
        ++checked;
      }
    CHECK(checked >= 15);
  }
}

#include "ksframe/simulate.hpp"

TEST_SUITE("render") {
  TEST_CASE("run reports (negotiation and simulation) validate against the report schema") {
    DiskFileReader disk;
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(test::source_dir() + "/examples")) {
      if (entry.path().extension() != ".yaml") continue;
      auto loaded = load_spec_file(disk, entry.path().string());
      REQUIRE(loaded.spec);
      const auto options = negotiate_options(*loaded.spec);
      auto n = negotiate(*loaded.spec, options);
      SimulateOptions so;
      so.frames = 200;
      auto sim = simulate(*loaded.spec, n, so);
      CHECK(sim.ran);
      const std::string json = render_report_json(*loaded.spec, n, options, n.diagnostics, &sim);
      auto errors = validate(test::source_dir() + "/schemas/ksframe-report.schema.json", json,
                             valijson::SchemaParser::kDraft7);
      const std::string what =
          entry.path().string() + ": " + (errors.empty() ? std::string() : errors[0]);
      CHECK_MESSAGE(errors.empty(), what);
      ++checked;
    }
    CHECK(checked >= 14);  // every example, so a missing directory cannot pass
  }
}
