// spec/override: --set PATH=VALUE on the located YAML tree. What a path names (filter and pin by
// name, a top-level key, the literal tree path with list items by position or name), what it
// creates, where the new value is located, and the exact message of each way it can be wrong.
#include "helpers.hpp"
#include "ksframe/spec.hpp"

using namespace ksframe;

namespace {

const std::string kSpec =
    "ksframe: 1\n"
    "filters:\n"
    "  - name: camera\n"
    "    pins:\n"
    "      - name: capture\n"
    "        dataflow: out\n"
    "        framing_ex:\n"
    "          items:\n"
    "            - {frames: 2, framing_range: {min: 4096, max: 4096}}\n"
    "  - name: renderer\n"
    "    pins:\n"
    "      - {name: in, dataflow: in}\n"
    "connections: [{from: camera.capture, to: renderer.in}]\n";

Node tree(const std::string& yaml = kSpec) {
  auto parsed = parse_yaml(SourceFile{"o.yaml", yaml});
  REQUIRE(parsed.root);
  return *parsed.root;
}

// The node as flow YAML, so a test compares a whole subtree in one string.
std::string flow(const Node& n) {
  std::string s;
  switch (n.kind) {
    case Node::Kind::Null:
      return "~";
    case Node::Kind::Scalar:
      return n.scalar;
    case Node::Kind::Sequence:
      for (const auto& item : n.items) s += (s.empty() ? "" : ", ") + flow(item);
      return "[" + s + "]";
    case Node::Kind::Map:
      for (const auto& [k, v] : n.entries) s += (s.empty() ? "" : ", ") + k.scalar + ": " + flow(v);
      return "{" + s + "}";
  }
  return s;
}

std::string at(const Node& n) {
  return std::to_string(n.pos.line) + ":" + std::to_string(n.pos.column);
}

// Each assignment is refused with exactly its message and leaves the tree as it was.
void check_refused(const std::vector<std::pair<std::string, std::string>>& cases,
                   const std::string& yaml = kSpec) {
  for (const auto& [assignment, message] : cases) {
    INFO("--set " << assignment);
    Node root = tree(yaml);
    CHECK(apply_override(root, assignment) == message);
    CHECK(flow(root) == flow(tree(yaml)));
  }
}

const Node& capture(const Node& root) {
  return root.find("filters")->items[0].find("pins")->items[0];
}

}  // namespace

TEST_SUITE("override") {
  TEST_CASE("filter.pin paths, top-level paths and the literal tree path name the same values") {
    Node root = tree();
    CHECK(apply_override(root, "camera.capture.framing_ex.items[0].frames=8") == "");
    CHECK(flow(*capture(root).find("framing_ex")) ==
          "{items: [{frames: 8, framing_range: {min: 4096, max: 4096}}]}");
    CHECK(apply_override(root, "filters.camera.pins.0.framing_ex.items.0.frames=7") == "");
    CHECK(capture(root).find("framing_ex")->find("items")->items[0].find("frames")->scalar == "7");
    CHECK(apply_override(root, "filters[1].pins.in.dataflow=out") == "");
    CHECK(flow(root.find("filters")->items[1]) ==
          "{name: renderer, pins: [{name: in, dataflow: out}]}");
    CHECK(apply_override(root, "connections[0].to=camera.capture") == "");
    CHECK(flow(*root.find("connections")) == "[{from: camera.capture, to: camera.capture}]");
    // The value is YAML: a flow list or mapping replaces the whole value.
    CHECK(apply_override(root, "camera.capture.framing_ex.items[0].framing_range={min: 1}") == "");
    CHECK(flow(capture(root).find("framing_ex")->find("items")->items[0]) ==
          "{frames: 7, framing_range: {min: 1}}");
    CHECK(apply_override(root, "camera.flags=[A, B]") == "");
    CHECK(flow(*root.find("filters")->items[0].find("flags")) == "[A, B]");
    // A filter key that is a pin's name would be ambiguous: name, flags, pins, routes and lint
    // are the filter's own keys.
    CHECK(apply_override(root, "camera.name=cam") == "");
    CHECK(root.find("filters")->items[0].find("name")->scalar == "cam");
  }

  TEST_CASE("a replaced value is located where the value it replaces was written") {
    Node root = tree();
    REQUIRE(apply_override(root, "camera.capture.framing_ex.items[0].framing_range={min: 1}") ==
            "");
    const Node& range =
        *capture(root).find("framing_ex")->find("items")->items[0].find("framing_range");
    CHECK(at(range) == "9:42");
    CHECK(at(*range.find("min")) == "9:42");
    CHECK(at(range.entries[0].first) == "9:42");
    // A list item replaced by position keeps the item's place.
    REQUIRE(apply_override(root, "filters.1={name: sink}") == "");
    CHECK(at(root.find("filters")->items[1]) == "10:5");
  }

  TEST_CASE("missing mapping keys are created, at the mapping they are added to") {
    Node root = tree();
    CHECK(apply_override(root, "options.default_frames=3") == "");
    CHECK(flow(*root.find("options")) == "{default_frames: 3}");
    CHECK(apply_override(root, "load.source.rate_hz=30") == "");
    CHECK(flow(*root.find("load")) == "{source: {rate_hz: 30}}");
    CHECK(at(*root.find("load")->find("source")->find("rate_hz")) == "1:1");
    CHECK(apply_override(root, "load.source.jitter_us=5") == "");
    CHECK(flow(*root.find("load")) == "{source: {rate_hz: 30, jitter_us: 5}}");
    CHECK(apply_override(root, "renderer.in.allocator={pool_frames: 2}") == "");
    const Node& in = root.find("filters")->items[1].find("pins")->items[0];
    CHECK(flow(in) == "{name: in, dataflow: in, allocator: {pool_frames: 2}}");
    CHECK(at(*in.find("allocator")) == "12:9");  // the pin's mapping
    CHECK(at(*in.find("allocator")->find("pool_frames")) == "12:9");
    // Only mapping keys: a list item or a list to index is not made up.
    CHECK(apply_override(root, "renderer.in.data_ranges[0].kind=video") ==
          "there is no list 'data_ranges' to index");
    CHECK(apply_override(root, "filters.2.name=x") ==
          "filters is a list of 2 item(s); '2' is not one of its positions");
  }

  TEST_CASE("an index out of range, or on what is not a list") {
    check_refused({
        {"camera.capture.framing_ex.items[1].frames=1",
         "items has 1 item(s); index 1 does not exist"},
        {"camera.capture.framing_ex.items[999999].frames=1",
         "items has 1 item(s); index 999999 does not exist"},
        {"connections[1].from=x", "connections has 1 item(s); index 1 does not exist"},
        {"filters.9.name=x", "filters is a list of 2 item(s); '9' is not one of its positions"},
        {"camera.capture.dataflow[0]=in", "dataflow is not a list"},
        {"filters.camera[0].name=x", "camera is an item of a list, not a list to index"},
        {"camera.capture.dataflow.x=1", "x is inside the value 'out', not a mapping"},
        // The keys it created on the way are taken back (check_refused compares the tree).
        {"load.pacing.stages[0]=1", "there is no list 'stages' to index"},
        {"camera.capture.new.deeper.list[2]=1", "there is no list 'list' to index"},
    });
  }

  TEST_CASE("a path that is not a path: exact messages") {
    check_refused({
        {"camera.capture.frames", "expected PATH=VALUE; 'camera.capture.frames' has no '='"},
        {"=1", "empty path"},
        {"camera..frames=1", "empty name in path 'camera..frames'"},
        {"[0].x=1", "empty name in path '[0].x'"},
        {"connections[0=1", "missing ']' in 'connections[0'"},
        {"connections[x]=1", "index 'x' in 'connections[x]' is not a list index"},
        {"connections[]=1", "index '' in 'connections[]' is not a list index"},
        {"connections[1234567]=1", "index '1234567' in 'connections[1234567]' is not a list index"},
        {"connections[0]x=1", "expected '.' after ']' in 'connections[0]x'"},
        {"camera=1", "'camera' names a whole filter or pin; name one of its keys"},
        {"camera.capture=1", "'camera.capture' names a whole filter or pin; name one of its keys"},
    });
  }

  TEST_CASE("names that do not exist: what does, and the closest one") {
    check_refused({
        {"camera.captur.frames=1",
         "filter 'camera' has no pin named 'captur' (did you mean 'capture'?); pins: capture"},
        {"camra.capture.frames=1",
         "no filter named 'camra' (did you mean 'camera'?); filters: camera, renderer (or a "
         "top-level key: options, load, ...)"},
        {"filters.camra.pins=[]",
         "filters is a list of 2 item(s); 'camra' names none of them (did you mean 'camera'?); "
         "names: camera, renderer"},
        {"connections.first.to=x",
         "connections is a list of 1 item(s); 'first' names none of them"},
    });
    // More than twelve names are cut.
    std::string many = "ksframe: 1\nfilters:\n";
    for (int i = 0; i < 13; ++i) many += "  - {name: f" + std::to_string(i) + "}\n";
    check_refused({{"g.p.frames=1",
                    "no filter named 'g'; filters: f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, "
                    "f11, ... (or a top-level key: options, load, ...)"}},
                  many);
    check_refused({{"camera.capture.frames=1",
                    "no filter named 'camera'; filters: (none) (or a top-level key: options, "
                    "load, ...)"}},
                  "ksframe: 1\n");
    check_refused({{"options.x=1", "the spec is not a mapping"}}, "[1, 2]\n");
  }

  TEST_CASE("OverrideError: the option, the assignment (cut when long) and the reason") {
    const OverrideError e{2, "load.frames=x", "'frames' is not a number"};
    CHECK(e.message() == "--set load.frames=x: 'frames' is not a number");
    CHECK(e.message("--vary") == "--vary load.frames=x: 'frames' is not a number");
    // 120 bytes are shown whole; longer is cut at 60 bytes, not inside a character.
    const std::string fits(120, 'a');
    CHECK(OverrideError{0, fits, "r"}.message() == "--set " + fits + ": r");
    CHECK(
        OverrideError{0, std::string(59, 'a') + "\xc3\xa9" + std::string(60, 'b'), "r"}.message() ==
        "--set " + std::string(59, 'a') + "...: r");
  }

  TEST_CASE("a value that is not valid YAML: the parser's reason, the value quoted") {
    Node root = tree();
    CHECK(apply_override(root, "camera.capture.frames=[1,") ==
          "the value is not valid YAML (YAML syntax error: end of "
          "sequence flow not found): '[1,'");
    CHECK(apply_override(root, "options.x={a: 1") ==
          "the value is not valid YAML (YAML syntax error: end of map flow not "
          "found): '{a: 1'");
    CHECK(apply_override(root, "options.x={a: 1, a: 2}") ==
          "the value is not valid YAML (duplicate key 'a'): '{a: 1, a: 2}'");
    CHECK(apply_override(root, "options.x=\x1b[2J") ==
          "the value is not valid YAML (control character U+001B is not "
          "allowed in a spec): '\\x1b[2J'");
    // A value over the parser's length limit is valid YAML, refused all the same.
    const auto long_value = apply_override(root, "options.x=" + std::string(2000, 'y'));
    CHECK(long_value ==
          "the value is not valid YAML (a value of 2000 bytes is "
          "longer than the limit of 1024 bytes): '" +
              std::string(60, 'y') + "...'");
    // An empty value is YAML's null, which the schema then judges.
    CHECK(apply_override(root, "options.x=") == "");
    CHECK(root.find("options")->find("x")->is_null());
    CHECK(flow(root) != flow(tree()));
  }
}
