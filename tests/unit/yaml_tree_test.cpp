// The located YAML tree: positions, duplicate keys, anchors, aliases, limits, encodings.
#include "ksframe/yaml_tree.hpp"

#include "helpers.hpp"

using namespace ksframe;

namespace {
ParsedYaml parse(const std::string& text, ParseLimits limits = {}) {
  return parse_yaml(SourceFile{"y.yaml", text}, limits);
}
}  // namespace

TEST_SUITE("yaml_tree") {
  TEST_CASE("positions are 1-based and columns count code points") {
    auto p = parse("ééé: [1, x]\nb:\n  c: \"4\"\n");
    REQUIRE(p.root);
    REQUIRE(p.diagnostics.empty());
    const Node* seq = p.root->find("ééé");
    REQUIRE(seq);
    CHECK(seq->pos.line == 1);
    CHECK(seq->pos.column == 6);
    CHECK(seq->items[1].scalar == "x");
    CHECK(seq->items[1].pos.column == 10);
    const Node* c = p.root->find("b")->find("c");
    CHECK(c->pos.line == 3);
    CHECK(c->pos.column == 6);
    CHECK(c->quoted);
    CHECK_FALSE(seq->items[0].quoted);
  }

  TEST_CASE("an empty value points at its key") {
    auto p = parse("a:\nb: 1\n");
    const Node* a = p.root->find("a");
    CHECK(a->is_null());
    CHECK(a->pos.line == 1);
    CHECK(a->pos.column == 1);
  }

  TEST_CASE("duplicate keys are errors with the first key as related location") {
    auto p = parse("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n");
    REQUIRE(p.diagnostics.size() == 2);
    CHECK(test::summary(p.diagnostics) ==
          "4:3: KSF0007: duplicate key 'x'\n5:1: KSF0007: duplicate key 'a'\n");
    CHECK(p.diagnostics[0].related[0].location.line == 3);
    CHECK(p.diagnostics[0].related[0].message == "first defined here");
  }

  TEST_CASE("anchors, aliases, tags and complex keys are refused") {
    auto p = parse("a: &x 1\nb: *x\nc: !!int 3\n? [k]\n: v\n");
    CHECK(test::summary(p.diagnostics) ==
          "1:4: KSF0006: anchors (&name) are not allowed in a spec\n"
          "2:4: KSF0006: aliases (*name) are not allowed in a spec\n"
          "3:4: KSF0006: YAML tags are not allowed in a spec (found 'tag:yaml.org,2002:int')\n"
          "4:3: KSF0006: mapping keys must be plain scalars, not a list\n");
  }

  TEST_CASE("a billion-laughs file is refused quickly with a short list") {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      text += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 9; ++i) text += std::string(i ? ", " : "") + "*" + char(c - 1);
      text += "]\n";
    }
    auto p = parse(text);
    REQUIRE(p.diagnostics.size() == 6);
    CHECK(p.diagnostics.back().message == "86 more anchors, aliases or tags are not listed");
  }

  TEST_CASE("nesting deeper than the limit stops the parse") {
    auto p = parse("a: " + std::string(100, '[') + std::string(100, ']'));
    CHECK_FALSE(p.root);
    REQUIRE(p.diagnostics.size() == 1);
    CHECK(p.diagnostics[0].rule == "KSF0005");
    CHECK(p.diagnostics[0].message == "nesting is deeper than 64 levels");
    // The root mapping is level 1, so the 64th '[' (column 4 + 63) would be level 65.
    CHECK(p.diagnostics[0].location.column == 67);
    ParseLimits shallow;
    shallow.max_depth = 3;
    CHECK(parse("a: [[[1]]]", shallow).diagnostics.at(0).rule == "KSF0005");
    CHECK(parse("a: [[1]]", shallow).diagnostics.empty());
  }

  TEST_CASE("the node limit stops the parse") {
    ParseLimits few;
    few.max_nodes = 10;
    auto p = parse("a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", few);
    CHECK_FALSE(p.root);
    REQUIRE(p.diagnostics.size() == 1);
    CHECK(p.diagnostics[0].message == "the file has more than 10 YAML nodes");
  }

  TEST_CASE("invalid UTF-8, control characters and UTF-16 are refused with a position") {
    auto bad = parse("a: 1\nname: caf\xe9\n");
    CHECK(test::summary(bad.diagnostics) ==
          "2:10: KSF0004: invalid UTF-8: byte 0xe9 does not start or continue a valid UTF-8 "
          "sequence\n");
    CHECK(test::summary(parse("a: b\x01").diagnostics) ==
          "1:5: KSF0004: control character U+0001 is not allowed in a spec\n");
    CHECK(test::summary(parse(std::string("a: \0", 4)).diagnostics) ==
          "1:4: KSF0004: control character U+0000 is not allowed in a spec\n");
    CHECK(test::summary(parse("\xff\xfe"
                              "a")
                            .diagnostics) ==
          "1:1: KSF0004: the file is UTF-16 (it starts with a UTF-16 byte-order mark)\n");
    CHECK(parse("\xef\xbb\xbf"
                "a: 1\n")
              .diagnostics.empty());  // a UTF-8 BOM is fine
    CHECK(parse("a: \"tab\there\"\r\n").diagnostics.empty());
  }

  TEST_CASE("syntax errors are located") {
    auto p = parse("a: [1,\n");
    CHECK(test::summary(p.diagnostics) ==
          "2:1: KSF0001: YAML syntax error: end of sequence flow not found\n");
  }

  TEST_CASE("a second document is refused") {
    auto p = parse("a: 1\n---\nb: 2\n");
    CHECK(test::summary(p.diagnostics) ==
          "3:1: KSF0006: a spec file holds one YAML document; found a second one\n");
  }

  TEST_CASE("an empty file gives a null root and no diagnostics") {
    auto p = parse("# nothing\n");
    REQUIRE(p.root);
    CHECK(p.root->is_null());
    CHECK(p.diagnostics.empty());
  }
}

#include "spec/scalar.hpp"

TEST_SUITE("yaml_tree") {
  TEST_CASE("core-schema typing of plain scalars") {
    using ksframe::scalar::Type;
    auto type = [](const char* text, bool quoted = false) {
      ksframe::Node n;
      n.kind = ksframe::Node::Kind::Scalar;
      n.scalar = text;
      n.quoted = quoted;
      return ksframe::scalar::classify(n);
    };
    CHECK(type("12") == Type::Integer);
    CHECK(type("-3") == Type::Integer);
    CHECK(type("0x1F") == Type::Integer);
    CHECK(type("0o17") == Type::String);  // octal is not part of the spec format
    CHECK(type("12", true) == Type::String);
    CHECK(type("1.5") == Type::Float);
    CHECK(type(".5") == Type::Float);
    CHECK(type("5.") == Type::Float);
    CHECK(type("1e3") == Type::Float);
    CHECK(type("-2.5E-3") == Type::Float);
    CHECK(type(".inf") == Type::Float);
    CHECK(type(".") == Type::String);
    CHECK(type("1e") == Type::String);
    CHECK(type("1.2.3") == Type::String);
    CHECK(type("true") == Type::Bool);
    CHECK(type("yes") == Type::String);
    CHECK(type("~") == Type::Null);
    CHECK(type("Null") == Type::Null);
  }
}
