// The typed loader defines the spec format; the JSON Schema (schemas/ksframe-spec.schema.json,
// what editors validate with) is its oracle here. On every spec this tree has, and on mutants
// of the examples: whatever the schema refuses, the loader refuses at the same node (or inside
// it), and a spec the loader takes the schema takes too. The loader may refuse more, only what
// JSON Schema cannot say (kLoaderOnly below). And the schema's name lists are the C++ tables.
#include "spec/schema.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <valijson/adapters/nlohmann_json_adapter.hpp>

#include "helpers.hpp"
#include "ksframe/yaml_tree.hpp"
#include "util/json_schema.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

const valijson::Schema& compiled_schema() {
  static const std::unique_ptr<valijson::Schema> schema = compile_draft7_schema(spec_schema_text());
  return *schema;
}

// The node a valijson context (["<root>", "[filters]", "[0]", ...]) names, and its path text.
const Node* node_at(const Node& root, const std::vector<std::string>& context, std::string& path) {
  const Node* n = &root;
  for (std::size_t i = 1; i < context.size(); ++i) {
    std::string seg = context[i];
    if (seg.size() >= 2 && seg.front() == '[' && seg.back() == ']')
      seg = seg.substr(1, seg.size() - 2);
    if (n->is_seq()) {
      const std::size_t idx = std::stoul(seg);
      if (idx >= n->items.size()) return n;
      path += "[" + seg + "]";
      n = &n->items[idx];
    } else if (const Node* child = n->is_map() ? n->find(seg) : nullptr) {
      path += (path.empty() ? "" : ".") + seg;
      n = child;
    } else {
      return n;
    }
  }
  return n;
}

struct Violation {
  const Node* node;
  std::string path, what;
};

std::vector<Violation> schema_violations(const Node& root) {
  PooledValidator validator;
  valijson::ValidationResults results;
  const nlohmann::json doc = spec_tree_json(root);
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  validator->validate(compiled_schema(), adapter, &results);
  std::vector<Violation> out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (error.description.rfind("Failed to validate", 0) == 0) continue;  // a wrapper's summary
    Violation v;
    v.node = node_at(root, error.context, v.path);
    v.what = error.description;
    out.push_back(std::move(v));
  }
  return out;
}

void positions_in(const Node& n, std::set<std::pair<std::uint32_t, std::uint32_t>>& out) {
  out.emplace(n.pos.line, n.pos.column);
  for (const auto& item : n.items) positions_in(item, out);
  for (const auto& [k, v] : n.entries) {
    out.emplace(k.pos.line, k.pos.column);
    positions_in(v, out);
  }
}

// The documented exceptions: errors JSON Schema cannot express, which the loader alone reports
// on a spec the schema takes. Only these rules may appear there, each for these reasons only:
const std::set<std::string> kLoaderOnly = {
    // The value of an integer expression (the schema admits its text); min above max (ranges,
    // bits, rate, a uniform distribution); sizes that follow from several fields (a video
    // image larger than biSizeImage holds, an audio format's block align or byte rate, a
    // framing_edit's frame size).
    "KSF0010",
    // Facts of another object: a video subtype with no known biCompression and no
    // 'compression', a framing_edit sizing frames from a range that states no sample size.
    "KSF0013",
    "KSF0015",  // count_items against the number of items
    "KSF0016",  // names and pin ids unique across list elements
    "KSF0017",  // names that must exist elsewhere: connections, routes, load stages and sources
    "KSF0018",  // a route's direction, from the pins' dataflow
    // An implied consumer on a pin that cannot have one (an input, user-mode, non-standard
    // transport or connected pin).
    "KSF0019",
};

struct Judgement {
  bool parsed = false;
  std::vector<Violation> schema;
  Diagnostics loader;                    ///< the loader's input errors (KSF00xx)
  std::vector<std::string> uncovered;    ///< schema errors at a node the loader said nothing of
  std::vector<std::string> unexplained;  ///< loader errors on a schema-valid spec, not allowed
};

Judgement judge_tree(const Node& root, const std::string& name) {
  Judgement j;
  j.parsed = true;
  j.schema = schema_violations(root);
  for (auto& d : load_spec_tree(root, name).diagnostics)
    if (d.severity == Severity::Error && d.rule.rfind("KSF00", 0) == 0)
      j.loader.push_back(std::move(d));
  std::set<std::pair<std::uint32_t, std::uint32_t>> reported;
  for (const auto& d : j.loader) reported.emplace(d.location.line, d.location.column);
  for (const auto& v : j.schema) {
    std::set<std::pair<std::uint32_t, std::uint32_t>> inside;
    positions_in(*v.node, inside);
    bool covered = false;
    for (const auto& p : inside) covered = covered || reported.count(p) > 0;
    if (!covered)
      j.uncovered.push_back(std::to_string(v.node->pos.line) + ":" +
                            std::to_string(v.node->pos.column) + " '" + v.path + "' " + v.what);
  }
  if (j.schema.empty())
    for (const auto& d : j.loader)
      if (!kLoaderOnly.count(d.rule)) j.unexplained.push_back(test::summary({d}));
  return j;
}

Judgement judge(const std::string& path) {
  auto parsed = parse_yaml(SourceFile{path, test::read_file(path)});
  if (!parsed.root || has_errors(parsed.diagnostics)) return {};  // refused before either runs
  return judge_tree(*parsed.root, path);
}

std::vector<std::string> files_under(const std::string& dir, bool recursive, bool yaml_only) {
  std::vector<std::string> out;
  auto take = [&](const fs::directory_entry& e) {
    if (e.is_regular_file() && (!yaml_only || e.path().extension() == ".yaml"))
      out.push_back(e.path().string());
  };
  const std::string root = test::source_dir() + "/" + dir;
  if (recursive)
    for (const auto& e : fs::recursive_directory_iterator(root)) take(e);
  else
    for (const auto& e : fs::directory_iterator(root)) take(e);
  std::sort(out.begin(), out.end());
  return out;
}

std::string report(const std::string& file, const Judgement& j) {
  std::string s = file + "\n  loader:\n" + test::summary(j.loader) + "  not covered:\n";
  for (const auto& u : j.uncovered) s += "    " + u + "\n";
  for (const auto& u : j.unexplained) s += "    loader only: " + u;
  return s;
}

// Mutants of a tree, one change at a time: every scalar (and null) replaced by each hostile
// value, a null, an empty list and an empty mapping; every mapping given an unknown key, or
// stripped of one of its keys; every list emptied, or given a copy of its first item.
void for_each_mutant(Node& n, const std::function<void()>& check) {
  static const std::vector<std::pair<std::string, bool>> kValues = {{"-1", false},
                                                                    {"4294967296", false},
                                                                    {"x_y", false},
                                                                    {"", true},
                                                                    {"1.5", false},
                                                                    {"true", false},
                                                                    {"4", true},
                                                                    {"0", false},
                                                                    {"1e400", false},
                                                                    {"unbounded", false},
                                                                    {"2 * 2", false},
                                                                    {"GUID_BUS_TYPE_USB", false},
                                                                    {"none", false},
                                                                    {"KSMEMORY_TYPE_USER", false},
                                                                    {"KSPIN_FLAG_SPLITTER", false},
                                                                    {"{0}", false}};
  if (n.is_scalar() || n.is_null()) {
    const Node saved = n;
    for (const auto& [text, quoted] : kValues) {
      n = saved;
      n.kind = Node::Kind::Scalar;
      n.scalar = text;
      n.quoted = quoted;
      check();
    }
    for (auto kind : {Node::Kind::Null, Node::Kind::Sequence, Node::Kind::Map}) {
      n = saved;
      n.kind = kind;
      n.scalar.clear();
      check();
    }
    n = saved;
    return;
  }
  if (n.is_map()) {
    const auto saved = n.entries;
    Node key;
    key.kind = Node::Kind::Scalar;
    key.scalar = "bogus_key";
    key.pos = {n.pos.line, n.pos.column + 1000};  // a place of its own, inside the mapping
    Node value = key;
    value.scalar = "1";
    n.entries.push_back({key, value});
    check();
    n.entries = saved;
    for (std::size_t i = 0; i < saved.size(); ++i) {
      n.entries.erase(n.entries.begin() + static_cast<std::ptrdiff_t>(i));
      check();
      n.entries = saved;
    }
    for (auto& [k, v] : n.entries) for_each_mutant(v, check);
    return;
  }
  const auto saved = n.items;
  n.items.clear();
  check();
  n.items = saved;
  if (!saved.empty()) {
    n.items.push_back(saved.front());
    check();
    n.items = saved;
  }
  for (auto& item : n.items) for_each_mutant(item, check);
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
    auto files = files_under("examples", true, true);  // with broken/: lint errors, well formed
    REQUIRE(files.size() >= 29);
    for (const auto& f : files) {
      auto j = judge(f);
      CHECK_MESSAGE(j.parsed, f);
      CHECK_MESSAGE(j.schema.empty(), report(f, j));
      CHECK_MESSAGE(j.loader.empty(), report(f, j));
    }
  }

  TEST_CASE("the schema and the loader agree on every spec of the tests") {
    // Hostile and reliability specs, the fuzz corpus, and every spec a golden case reads.
    std::vector<std::string> files = files_under("tests/data", true, true);
    for (const auto& f : files_under("tests/data/fuzz-corpus/spec", false, false))
      files.push_back(f);  // whatever their name
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    int judged = 0, refused = 0;
    for (const auto& f : files) {
      auto j = judge(f);
      if (!j.parsed) continue;
      ++judged;
      refused += !j.loader.empty();
      CHECK_MESSAGE(j.uncovered.empty(), report(f, j));
      CHECK_MESSAGE(j.unexplained.empty(), report(f, j));
    }
    CHECK(judged >= 40);
    CHECK(refused >= 15);
  }

  TEST_CASE("the schema and the loader agree on mutants of the examples") {
    int mutants = 0, disagreements = 0;
    std::string shown;  // the first few, enough to see what is wrong
    for (const auto& f : files_under("examples", false, true)) {
      auto parsed = parse_yaml(SourceFile{f, test::read_file(f)});
      REQUIRE(parsed.root);
      Node root = *parsed.root;
      for_each_mutant(root, [&] {
        ++mutants;
        auto j = judge_tree(root, f);
        if (j.uncovered.empty() && j.unexplained.empty()) return;
        if (++disagreements <= 400) shown += report(f, j);
      });
    }
    CHECK_MESSAGE(disagreements == 0, shown);
    CHECK(mutants >= 13000);  // 13,112 when written
  }

  TEST_CASE("threads that validated can exit, and each gets the serial answer") {
    // Validators are pooled between threads. A thread_local one crashed `lint --jobs` on Windows
    // when its thread exited (mingw-w64 runs such destructors after freeing the thread's
    // storage), so this starts and ends many short-lived threads, each validating every example.
    std::vector<Node> trees;
    std::vector<std::size_t> serial;
    for (const auto& path : files_under("examples/broken", false, true)) {
      auto parsed = parse_yaml(SourceFile{path, test::read_file(path)});
      REQUIRE(parsed.root);
      Node& root = *parsed.root;
      root.entries.push_back(root.entries.front());  // a duplicate: one error per tree at least
      root.entries.back().first.scalar = "bogus";
      serial.push_back(schema_violations(root).size());
      trees.push_back(std::move(root));
    }
    REQUIRE(trees.size() >= 5);
    constexpr int kRounds = 16, kThreads = 4;
    std::vector<std::vector<std::size_t>> seen(kRounds * kThreads);
    for (int round = 0; round < kRounds; ++round) {
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, slot = round * kThreads + t] {
          for (const auto& tree : trees) seen[slot].push_back(schema_violations(tree).size());
        });
      for (auto& th : threads) th.join();
    }
    for (const auto& s : seen) CHECK(s == serial);
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
