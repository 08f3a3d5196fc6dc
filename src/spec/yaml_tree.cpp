#include "ksframe/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>

#include "ksframe/rules.hpp"
#include "util/text.hpp"

namespace ksframe {

const Node* Node::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.scalar == key) return &v;
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& [k, v] : entries)
    if (k.scalar == key) return &v;
  return nullptr;
}

std::string Node::describe() const {
  switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Sequence:
      return "a list";
    case Kind::Map:
      return "a mapping";
    case Kind::Scalar:
      break;
  }
  if (quoted) return "the string " + text::quote(scalar);
  return "the value " + text::quote(scalar);
}

namespace {

// Thrown from inside the event handler to stop yaml-cpp early; caught in parse_yaml().
struct StopParsing {};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const SourceFile& file, const text::LineIndex& lines, const ParseLimits& limits,
              Diagnostics& diags)
      : file_(file), lines_(lines), limits_(limits), diags_(diags) {}

  std::optional<Node> take_root() { return std::move(root_); }
  /// Anchors, aliases and tags past the first few are counted, not listed (a "billion laughs"
  /// file has thousands); returns how many were left out and where the first of them was.
  std::pair<std::size_t, Position> unlisted() const { return {unlisted_, first_unlisted_}; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    Node n;
    n.kind = Node::Kind::Null;
    n.pos = position(mark);
    add(std::move(n));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    report("KSF0006", "aliases (*name) are not allowed in a spec", mark,
           "write the value out where it is used");
    Node n;
    n.pos = position(mark);
    add(std::move(n));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    check_scalar(mark, value);
    Node n;
    n.kind = Node::Kind::Scalar;
    n.scalar = value;
    n.quoted = tag == "!";  // yaml-cpp gives quoted scalars the non-specific tag "!"
    n.pos = position(mark);
    add(std::move(n));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, Node::Kind::Sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, Node::Kind::Map);
  }
  void OnMapEnd() override {
    check_duplicates(stack_.back().node);
    close();
  }

 private:
  struct Frame {
    Node node;
    std::optional<Node> pending_key;  // Map: the key whose value comes next
  };

  Position position(const YAML::Mark& mark) const {
    if (mark.pos < 0) return {};
    auto p = lines_.at(static_cast<std::size_t>(mark.pos));
    return {p.line, p.column};
  }

  void report(RuleId rule, std::string message, const YAML::Mark& mark, std::string hint = {}) {
    auto p = position(mark);
    if (rule == "KSF0006" && ++unsupported_ > kListedUnsupported) {
      if (unlisted_++ == 0) first_unlisted_ = p;
      return;
    }
    diags_.push_back(
        make_diagnostic(rule, std::move(message), {file_.name, p.line, p.column}, std::move(hint)));
  }

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor)
      report("KSF0006", "anchors (&name) are not allowed in a spec", mark,
             "write the value out where it is used");
  }

  void check_tag(const YAML::Mark& mark, const std::string& tag) {
    if (!tag.empty() && tag != "?" && tag != "!")
      report("KSF0006", "YAML tags are not allowed in a spec (found " + text::quote(tag) + ")",
             mark);
  }

  // Too long: refused and parsing stops. A control character written as an escape ("\e",
  // "\x07", "\0") never reaches a terminal, a Markdown comment or a C file through a name.
  void check_scalar(const YAML::Mark& mark, const std::string& value) {
    if (value.size() > limits_.max_scalar_bytes) {
      report("KSF0003",
             "a value of " + std::to_string(value.size()) + " bytes is longer than the limit of " +
                 std::to_string(limits_.max_scalar_bytes) + " bytes",
             mark);
      throw StopParsing{};
    }
    if (auto bad = text::first_unsafe_character(value))
      report("KSF0004",
             "control character " + text::code_point_name(value, *bad) +
                 " is not allowed in a spec value",
             mark, "remove it (names are shown in terminals, Markdown and C comments)");
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            Node::Kind kind) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (stack_.size() >= limits_.max_depth) {
      report("KSF0005", "nesting is deeper than " + std::to_string(limits_.max_depth) + " levels",
             mark);
      throw StopParsing{};
    }
    count_node(mark);
    Frame f;
    f.node.kind = kind;
    f.node.pos = position(mark);
    stack_.push_back(std::move(f));
  }

  void close() {
    Node done = std::move(stack_.back().node);
    stack_.pop_back();
    place(std::move(done));
  }

  void count_node(const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes) {
      report("KSF0003",
             "the file has more than " + std::to_string(limits_.max_nodes) + " YAML nodes", mark);
      throw StopParsing{};
    }
  }

  void add(Node n) {
    // Scalars and nulls are counted here; collections are counted when they open.
    if (++nodes_ > limits_.max_nodes) {
      diags_.push_back(make_diagnostic(
          "KSF0003", "the file has more than " + std::to_string(limits_.max_nodes) + " YAML nodes",
          {file_.name, n.pos.line, n.pos.column}));
      throw StopParsing{};
    }
    place(std::move(n));
  }

  void place(Node n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == Node::Kind::Sequence) {
      top.node.items.push_back(std::move(n));
      return;
    }
    if (!top.pending_key) {
      if (n.kind != Node::Kind::Scalar) {
        // Complex keys ({a: 1}: x, [1]: x) and null keys have no place in the format.
        diags_.push_back(make_diagnostic("KSF0006",
                                         "mapping keys must be plain scalars, not " + n.describe(),
                                         {file_.name, n.pos.line, n.pos.column}));
        n.kind = Node::Kind::Scalar;
        n.scalar = "<invalid key>";
        n.items.clear();
        n.entries.clear();
      }
      top.pending_key = std::move(n);
      return;
    }
    if (n.kind == Node::Kind::Null && n.pos.line != top.pending_key->pos.line) {
      // yaml-cpp marks an empty value ("frames:") at the start of the next line; point at the
      // key instead, which is where the reader looks.
      n.pos = top.pending_key->pos;
    }
    top.node.entries.push_back({std::move(*top.pending_key), std::move(n)});
    top.pending_key.reset();
  }

  // Sorting indices keeps this O(n log n) even for a hostile mapping with a million keys.
  void check_duplicates(const Node& map) {
    const auto& e = map.entries;
    std::vector<std::size_t> order(e.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return e[a].first.scalar < e[b].first.scalar;
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
      const Node& first = e[order[i - 1]].first;
      const Node& again = e[order[i]].first;
      if (first.scalar != again.scalar || first.scalar == "<invalid key>") continue;
      Diagnostic d =
          make_diagnostic("KSF0007", "duplicate key " + text::quote(again.scalar),
                          {file_.name, again.pos.line, again.pos.column}, "remove one of the two");
      d.related.push_back({{file_.name, first.pos.line, first.pos.column}, "first defined here"});
      diags_.push_back(std::move(d));
    }
  }

  const SourceFile& file_;
  const text::LineIndex& lines_;
  const ParseLimits& limits_;
  Diagnostics& diags_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::size_t nodes_ = 0;
  static constexpr std::size_t kListedUnsupported = 5;
  std::size_t unsupported_ = 0, unlisted_ = 0;
  Position first_unlisted_;
};

// Specs are UTF-8 text without C0 controls (YAML forbids them); checked before yaml-cpp sees the
// bytes, which let a NUL through and reports UTF-16 as a syntax error somewhere in the middle.
std::optional<Diagnostic> encoding_problem(const SourceFile& file, const text::LineIndex& lines) {
  const std::string_view bytes = file.content;
  if (bytes.substr(0, 2) == "\xff\xfe" || bytes.substr(0, 2) == "\xfe\xff")
    return make_diagnostic("KSF0004",
                           "the file is UTF-16 (it starts with a UTF-16 byte-order mark)",
                           {file.name, 1, 1}, "save the file as UTF-8");
  char shown[16];
  if (auto bad = text::first_invalid_utf8(bytes)) {
    const auto p = lines.at(*bad);
    std::snprintf(shown, sizeof shown, "0x%02x", static_cast<unsigned char>(bytes[*bad]));
    return make_diagnostic("KSF0004",
                           std::string("invalid UTF-8: byte ") + shown +
                               " does not start or continue a valid UTF-8 sequence",
                           {file.name, p.line, p.column}, "save the file as UTF-8");
  }
  if (auto bad = text::first_control_character(bytes)) {
    const auto p = lines.at(*bad);
    std::snprintf(shown, sizeof shown, "U+%04X", static_cast<unsigned char>(bytes[*bad]));
    return make_diagnostic("KSF0004",
                           std::string("control character ") + shown + " is not allowed in a spec",
                           {file.name, p.line, p.column}, "is this a binary file?");
  }
  return std::nullopt;
}

// yaml-cpp's scanner queues every token of a run of '[' or '{' before the parser sees the
// first, so 8 MB of '[' cost gigabytes before the depth limit fired. The raw brackets outside
// quotes and comments are counted first; a real spec never comes near the limit. A document
// that does not start with a bracket has a block collection at level 1, as the parser counts.
std::optional<Diagnostic> flow_too_deep(const SourceFile& file, const text::LineIndex& lines,
                                        unsigned max_depth) {
  const std::string_view s = file.content;
  const auto first = s.find_first_not_of(" \t\r\n");
  unsigned depth = first != std::string_view::npos && s[first] != '[' && s[first] != '{' ? 1 : 0;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool token_start =
        i == 0 || std::string_view(" \t\r\n[{,:").find(s[i - 1]) != std::string_view::npos;
    if (quote) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if ((c == '"' || c == '\'') && token_start) {
      quote = c;
    } else if (c == '#' && token_start) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        const auto p = lines.at(i);
        return make_diagnostic("KSF0005",
                               "nesting is deeper than " + std::to_string(max_depth) + " levels",
                               {file.name, p.line, p.column});
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

ParsedYaml parse_yaml(const SourceFile& file, const ParseLimits& limits) {
  ParsedYaml out;
  text::LineIndex lines(file.content);
  if (auto problem = encoding_problem(file, lines)) {
    out.diagnostics.push_back(std::move(*problem));
    return out;
  }
  if (auto problem = flow_too_deep(file, lines, limits.max_depth)) {
    out.diagnostics.push_back(std::move(*problem));
    return out;
  }
  std::istringstream in(file.content);
  TreeBuilder builder(file, lines, limits, out.diagnostics);
  try {
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(builder)) {
      out.root = builder.take_root();
      // A second document: reported at its first node, if the parser gets that far.
      TreeBuilder rest(file, lines, limits, out.diagnostics);
      if (parser.HandleNextDocument(rest)) {
        auto second = rest.take_root();
        Position p = second ? second->pos : Position{};
        out.diagnostics.push_back(make_diagnostic(
            "KSF0006", "a spec file holds one YAML document; found a second one",
            {file.name, p.line, p.column}, "split the documents into separate files"));
      }
    }
    if (auto [count, pos] = builder.unlisted(); count > 0)
      out.diagnostics.push_back(make_diagnostic(
          "KSF0006", std::to_string(count) + " more anchors, aliases or tags are not listed",
          {file.name, pos.line, pos.column}));
  } catch (const StopParsing&) {
    out.root.reset();
  } catch (const YAML::Exception& e) {
    Position p;
    if (e.mark.pos >= 0) {
      auto lp = lines.at(static_cast<std::size_t>(e.mark.pos));
      p = {lp.line, lp.column};
    }
    out.diagnostics.push_back(
        make_diagnostic("KSF0001", "YAML syntax error: " + e.msg, {file.name, p.line, p.column}));
    out.root.reset();
  } catch (const std::exception& e) {
    out.diagnostics.push_back(make_diagnostic(
        "KSF0001", std::string("the YAML parser failed: ") + e.what(), {file.name, 1, 1}));
    out.root.reset();
  }
  if (!out.root && out.diagnostics.empty()) {
    // An empty file or a file of comments only.
    Node empty;
    empty.pos = {1, 1};
    out.root = empty;
  }
  return out;
}

}  // namespace ksframe
