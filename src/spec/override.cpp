// --set PATH=VALUE: edits the YAML tree before it is loaded, so an override goes through the
// same checks as the file. Paths name filters and pins by name:
// `camera.capture.framing_ex.items[0].frames`; top-level keys work too: `options.default_frames`.
// The literal tree path works as well: inside a list a segment is an item's position or name
// (`filters.camera.pins.capture.framing_ex.items.0.frames`).
#include <set>

#include "ksframe/spec.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

struct Segment {
  std::string key;
  std::optional<std::size_t> index;  ///< key[index]
};

std::optional<std::vector<Segment>> split_path(const std::string& path, std::string& error) {
  std::vector<Segment> out;
  std::size_t i = 0;
  while (i < path.size()) {
    Segment s;
    while (i < path.size() && path[i] != '.' && path[i] != '[') s.key += path[i++];
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) {
        error = "missing ']' in " + text::quote(path);
        return std::nullopt;
      }
      const std::string digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
          digits.size() > 6) {
        error =
            "index " + text::quote(digits) + " in " + text::quote(path) + " is not a list index";
        return std::nullopt;
      }
      s.index = std::stoul(digits);
      i = close + 1;
    }
    if (s.key.empty()) {
      error = "empty name in path " + text::quote(path);
      return std::nullopt;
    }
    out.push_back(s);
    if (i < path.size()) {
      if (path[i] != '.') {
        error = "expected '.' after ']' in " + text::quote(path);
        return std::nullopt;
      }
      ++i;
    }
  }
  if (out.empty()) error = "empty path";
  return out.empty() ? std::nullopt : std::optional(out);
}

Node* named_item(Node& list, const std::string& name) {
  if (!list.is_seq()) return nullptr;
  for (auto& item : list.items)
    if (item.is_map())
      if (const Node* n = item.find("name"); n && n->is_scalar() && n->scalar == name) return &item;
  return nullptr;
}

std::vector<std::string> names_in(const Node* list) {
  std::vector<std::string> out;
  if (!list || !list->is_seq()) return out;
  for (const auto& item : list->items)
    if (item.is_map())
      if (const Node* n = item.find("name"); n && n->is_scalar()) out.push_back(n->scalar);
  return out;
}

std::string listing(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > 12) s += ", ...";
  return s.empty() ? "(none)" : s;
}

// A value from the command line has no place in the file; it is shown where the key it
// replaces (or the mapping it is added to) was written.
void relocate(Node& n, Position pos) {
  n.pos = pos;
  for (auto& item : n.items) relocate(item, pos);
  for (auto& [k, v] : n.entries) {
    k.pos = pos;
    relocate(v, pos);
  }
}

Node make_map(Position pos) {
  Node n;
  n.kind = Node::Kind::Map;
  n.pos = pos;
  return n;
}

}  // namespace

namespace {

// The edit itself; `created` gets the first mapping entry it adds (the parent and its entry
// count before), so a failure after that can take the additions back.
std::string apply(Node& root, const std::string& assignment,
                  std::optional<std::pair<Node*, std::size_t>>& created) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos)
    return "expected PATH=VALUE; " + text::quote(assignment) + " has no '='";
  const std::string path = assignment.substr(0, eq), value_text = assignment.substr(eq + 1);
  std::string error;
  auto segments = split_path(path, error);
  if (!segments) return error;
  // The value is YAML: a scalar, a flow list or a flow mapping.
  ParsedYaml value = parse_yaml(SourceFile{"--set", "v: " + value_text});
  if (!value.root || has_errors(value.diagnostics) || !value.root->is_map()) {
    // The parser's reason when it has one: a value over the length limit is valid YAML.
    const std::string why =
        value.diagnostics.empty() ? "" : " (" + value.diagnostics.front().message + ")";
    return "the value is not valid YAML" + why + ": " + text::quote(value_text);
  }
  Node new_value = value.root->entries.at(0).second;
  if (!root.is_map()) return "the spec is not a mapping";

  static const std::set<std::string> top = {"ksframe",     "name", "options", "filters",
                                            "connections", "load", "lint"};
  Node* at = &root;
  std::size_t next = 0;
  const auto& segs = *segments;
  if (!top.count(segs[0].key)) {
    // filter.pin...
    Node* filters = root.find("filters");
    Node* filter = filters ? named_item(*filters, segs[0].key) : nullptr;
    if (!filter)
      return "no filter named " + text::quote(segs[0].key) +
             text::suggestion_suffix(segs[0].key, names_in(filters)) +
             "; filters: " + listing(names_in(filters)) +
             " (or a top-level key: options, load, ...)";
    at = filter;
    next = 1;
    if (segs.size() > 1 &&
        !(segs[1].key == "name" || segs[1].key == "flags" || segs[1].key == "pins" ||
          segs[1].key == "routes" || segs[1].key == "lint")) {
      Node* pins = filter->find("pins");
      Node* pin = pins ? named_item(*pins, segs[1].key) : nullptr;
      if (!pin)
        return "filter " + text::quote(segs[0].key) + " has no pin named " +
               text::quote(segs[1].key) + text::suggestion_suffix(segs[1].key, names_in(pins)) +
               "; pins: " + listing(names_in(pins));
      at = pin;
      next = 2;
    }
  }
  if (next == segs.size())
    return text::quote(path) + " names a whole filter or pin; name one of its keys";
  for (std::size_t i = next; i < segs.size(); ++i) {
    const Segment& s = segs[i];
    const bool last = i + 1 == segs.size();
    Node* child = nullptr;
    if (at->is_seq()) {
      // Inside a list a segment picks an item: by its position ("items.0", as the tree is
      // printed) or by its name ("filters.camera"), so a path copied from anywhere works.
      const bool digits =
          s.key.size() <= 6 && s.key.find_first_not_of("0123456789") == std::string::npos;
      if (digits && std::stoul(s.key) < at->items.size())
        child = &at->items[std::stoul(s.key)];
      else if (!digits)
        child = named_item(*at, s.key);
      if (!child) {
        const std::string list = i > 0 ? segs[i - 1].key : "the spec";
        return list + " is a list of " + std::to_string(at->items.size()) + " item(s); " +
               text::quote(s.key) +
               (digits ? " is not one of its positions"
                       : " names none of them" + text::suggestion_suffix(s.key, names_in(at)) +
                             (names_in(at).empty() ? "" : "; names: " + listing(names_in(at))));
      }
      if (s.index) return s.key + " is an item of a list, not a list to index";
      if (last) {
        const Position keep = child->pos;
        *child = new_value;
        relocate(*child, keep);
        return {};
      }
      at = child;
      continue;
    }
    if (!at->is_map()) return s.key + " is inside " + at->describe() + ", not a mapping";
    child = at->find(s.key);
    if (!child) {
      if (s.index) return "there is no list " + text::quote(s.key) + " to index";
      Node key;
      key.kind = Node::Kind::Scalar;
      key.scalar = s.key;
      key.pos = at->pos;
      relocate(new_value, at->pos);
      if (!created) created.emplace(at, at->entries.size());
      at->entries.push_back({key, last ? new_value : make_map(at->pos)});
      child = &at->entries.back().second;
      if (last) return {};
    }
    if (s.index) {
      if (!child->is_seq()) return s.key + " is not a list";
      if (*s.index >= child->items.size())
        return s.key + " has " + std::to_string(child->items.size()) + " item(s); index " +
               std::to_string(*s.index) + " does not exist";
      child = &child->items[*s.index];
    }
    if (last) {
      const Position keep = child->pos;
      *child = new_value;
      relocate(*child, keep);
      return {};
    }
    at = child;
  }
  return {};
}

}  // namespace

std::string apply_override(Node& root, const std::string& assignment) {
  std::optional<std::pair<Node*, std::size_t>> created;
  std::string error = apply(root, assignment, created);
  if (!error.empty() && created) {
    auto& entries = created->first->entries;
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(created->second), entries.end());
  }
  return error;
}

std::string OverrideError::message(std::string_view option) const {
  // Whole when short, else its first 60 bytes (cut at a character boundary) and "...", so a
  // 40,000-character --set does not fill the log.
  std::string shown = assignment;
  if (shown.size() > 120) {
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "...";
  }
  return std::string(option) + " " + shown + ": " + reason;
}

}  // namespace ksframe
