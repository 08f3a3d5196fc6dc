// The spec JSON Schema and the loader agree: every example passes both, every bad spec fails
// both; and the schema's name lists are the C++ tables.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "helpers.hpp"
#include "ksframe/yaml_tree.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(test::source_dir() + "/" + dir))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Verdicts {
  bool parsed = false;
  bool schema_ok = false;
  bool loader_ok = false;
};

Verdicts judge(const std::string& path) {
  Verdicts v;
  auto parsed = parse_yaml(SourceFile{path, test::read_file(path)});
  if (!parsed.root || has_errors(parsed.diagnostics)) return v;
  v.parsed = true;
  v.schema_ok = validate_spec_schema(*parsed.root, path).empty();
  LoadOptions typed;  // the loader alone, with the includes it resolves
  typed.validate_schema = false;
  v.loader_ok = !has_errors(load_spec(SourceFile{path, test::read_file(path)}, typed).diagnostics);
  return v;
}

std::set<std::string> enum_of(const nlohmann::json& schema, const std::string& def) {
  std::set<std::string> out;
  for (const auto& v : schema["definitions"][def]["enum"]) out.insert(v.get<std::string>());
  return out;
}

std::set<std::string> names_of(ks::Table t) {
  std::set<std::string> out;
  for (const auto& row : t) out.emplace(row.name);
  return out;
}

}  // namespace

TEST_SUITE("schema") {
  TEST_CASE("every example passes the schema and the loader") {
    auto files = yaml_files("examples");
    auto broken = yaml_files("examples/broken");  // lint errors, but well-formed specs
    files.insert(files.end(), broken.begin(), broken.end());
    REQUIRE(files.size() >= 13);
    for (const auto& f : files) {
      auto v = judge(f);
      CHECK_MESSAGE(v.parsed, f);
      CHECK_MESSAGE(v.schema_ok, f);
      CHECK_MESSAGE(v.loader_ok, f);
    }
  }

  TEST_CASE("every hostile spec that parses as YAML fails both the schema and the loader") {
    // Errors JSON Schema cannot express: the direction of a route, unique names across array
    // elements, count_items equal to the length of a sibling array. Only the loader sees them.
    // Nor can it evaluate an integer expression: it admits the text, the loader computes it;
    // nor read the files an include names.
    const std::set<std::string> semantic = {"bad-routes.yaml", "count-items.yaml",
                                            "duplicate-names.yaml", "bad-expressions.yaml",
                                            "bad-includes.yaml"};
    int judged = 0;
    for (const auto& f : yaml_files("tests/data/hostile")) {
      auto v = judge(f);
      if (!v.parsed) continue;  // refused before either runs (syntax, encoding, aliases, ...)
      ++judged;
      CHECK_MESSAGE(!v.loader_ok, f);
      if (semantic.count(fs::path(f).filename().string()))
        CHECK_MESSAGE(v.schema_ok, f);
      else
        CHECK_MESSAGE(!v.schema_ok, f);
    }
    CHECK(judged >= 12);
  }

  TEST_CASE("schema errors are located at the offending node") {
    auto parsed = parse_yaml(SourceFile{"s.yaml",
                                        "ksframe: 1\nfilters:\n  - name: f\n    pins:\n"
                                        "      - {name: p, dataflow: out, bogus: 1}\n"});
    auto ds = validate_spec_schema(*parsed.root, "s.yaml");
    CHECK(test::summary(ds) == "5:34: KSF0008: 'filters[0].pins[0]' unknown key 'bogus'\n");
  }

  TEST_CASE("threads that validated can exit, and each gets the serial answer") {
    // Validators are pooled between threads. A thread_local one crashed `lint --jobs` on Windows
    // when its thread exited (mingw-w64 runs such destructors after freeing the thread's
    // storage), so this starts and ends many short-lived threads, each validating every example.
    std::vector<Node> trees;
    std::vector<std::string> names, serial;
    for (const auto& path : yaml_files("examples")) {
      auto parsed = parse_yaml(SourceFile{path, test::read_file(path)});
      REQUIRE(parsed.root);
      serial.push_back(test::summary(validate_spec_schema(*parsed.root, path)));
      trees.push_back(std::move(*parsed.root));
      names.push_back(path);
    }
    REQUIRE(trees.size() >= 5);
    constexpr int kRounds = 16, kThreads = 4;
    std::vector<std::vector<std::string>> seen(kRounds * kThreads);
    for (int round = 0; round < kRounds; ++round) {
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, slot = round * kThreads + t] {
          for (std::size_t i = 0; i < trees.size(); ++i)
            seen[slot].push_back(test::summary(validate_spec_schema(trees[i], names[i])));
        });
      for (auto& th : threads) th.join();
    }
    for (const auto& s : seen) CHECK(s == serial);
  }

  TEST_CASE("the schema alone reports what it checks, as KSF0012 where no specific rule fits") {
    auto parsed = parse_yaml(SourceFile{"s.yaml",
                                        "ksframe: 2\nfilters:\n  - name: f\n    pins:\n"
                                        "      - {name: p, dataflow: out, id: -4}\n"});
    auto ds = validate_spec_schema(*parsed.root, "s.yaml");
    CHECK(test::summary(ds) ==
          "1:10: KSF0012: 'ksframe' does not match the schema: Failed to match expected value set "
          "by 'const' constraint.\n"
          "5:38: KSF0012: 'filters[0].pins[0].id' does not match the schema: Expected number "
          "greater than or equal to 0.000000\n");
  }

  TEST_CASE("a schema error the loader explains better is reported once, by the loader") {
    // The schema forbids names with dots through its pattern; the loader explains it better,
    // so the merged result holds the loader's message only.
    auto r =
        test::load("ksframe: 1\nfilters:\n  - name: 'a.b'\n    pins: [{name: p, dataflow: out}]\n");
    CHECK(test::summary(r.diagnostics) ==
          "3:11: KSF0020: name 'a.b' is not an identifier (letters, digits, '_' and '-', not "
          "starting with a digit or '-')\n");
  }

  TEST_CASE("the schema's name lists are the C++ tables") {
    auto schema = nlohmann::json::parse(spec_schema_text());
    CHECK(enum_of(schema, "framing_item_flag") == names_of(ks::framing_item_flags()));
    CHECK(enum_of(schema, "requirements_flag") == names_of(ks::requirements_flags()));
    CHECK(enum_of(schema, "options_flag") == names_of(ks::options_flags()));
    CHECK(enum_of(schema, "pin_flag") == names_of(ks::pin_flags()));
    CHECK(enum_of(schema, "filter_flag") == names_of(ks::filter_flags()));
    std::set<std::string> memory, bus{"GUID_NULL"};
    for (const auto& g : ks::named_guids()) {
      if (g.kind == ks::GuidKind::Memory) memory.emplace(g.name);
      if (g.kind == ks::GuidKind::Bus) bus.emplace(g.name);
    }
    std::set<std::string> schema_memory, schema_bus;
    for (const auto& v : schema["definitions"]["memory_type"]["anyOf"][0]["enum"])
      schema_memory.insert(v.get<std::string>());
    for (const auto& v : schema["definitions"]["bus_type"]["anyOf"][0]["enum"])
      schema_bus.insert(v.get<std::string>());
    CHECK(schema_memory == memory);
    CHECK(schema_bus == bus);
    std::set<std::string> alignments, pools;
    for (const auto& v : schema["definitions"]["file_alignment"]["anyOf"][1]["enum"])
      alignments.insert(v.get<std::string>());
    for (const auto& v : schema["definitions"]["pool_type"]["oneOf"][1]["enum"])
      pools.insert(v.get<std::string>());
    CHECK(alignments == names_of(ks::file_alignments()));
    CHECK(pools == names_of(ks::pool_types()));
  }
}
