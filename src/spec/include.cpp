// `include:`: a spec takes the filters of other specs and of a driver's C sources, and adds what
// C cannot state (the connections, the load). The included filters are merged into the YAML tree
// before the typed load, so every later pass (`--set`, the loader, lint, negotiation,
// the reports) treats them as the spec's own, while each node keeps its file (Position::file)
// and a finding about a value read from C points at the driver's line.
#include "spec/include.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "ksframe/cimport.hpp"
#include "ksframe/rules.hpp"
#include "spec/reader.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

// Far above what a spec needs (one entry per driver source or shared spec), low enough that
// a hostile spec cannot make ksframe parse a thousand translation units.
constexpr std::size_t kMaxIncludes = 64;

struct Entry {
  Located<std::string> path;
  std::vector<std::string> include_dirs, defines;
  std::string compile_commands;
  bool c_options = false;  ///< include_dirs, defines or compile_commands written
  Position pos;
};

// `path` as this process opens it: relative to the spec's folder, lexically normalised so the
// locations read `driver/avshws.c`, not `specs/../driver/avshws.c`.
// Paths are UTF-8 text here; std::filesystem takes and gives them as char8_t so that Windows,
// whose narrow strings are in the ANSI code page, reads the same file.
std::filesystem::path utf8_path(const std::string& s) {
  return std::filesystem::path(std::u8string(s.begin(), s.end()));
}

std::string utf8_text(const std::filesystem::path& p) {
  const std::u8string u = p.lexically_normal().generic_u8string();
  return std::string(u.begin(), u.end());
}

std::string resolve_path(const std::string& spec_name, const std::string& path) {
  const std::filesystem::path p = utf8_path(path);
  if (p.is_absolute() || spec_name == "<stdin>") return utf8_text(p);
  std::string out = utf8_text(utf8_path(spec_name).parent_path() / p);
  return out.empty() ? "." : out;
}

bool is_yaml(const std::string& path) {
  for (const char* ext : {".yaml", ".yml"})
    if (path.size() > std::string_view(ext).size() && path.ends_with(ext)) return true;
  return false;
}

void renumber(Node& n, std::uint32_t file) {
  n.pos.file = file;
  for (auto& item : n.items) renumber(item, file);
  for (auto& [k, v] : n.entries) {
    k.pos.file = file;
    renumber(v, file);
  }
}

std::uint32_t intern(std::vector<std::string>& included, const std::string& name) {
  for (std::size_t i = 0; i < included.size(); ++i)
    if (included[i] == name) return static_cast<std::uint32_t>(i + 1);
  included.push_back(name);
  return static_cast<std::uint32_t>(included.size());
}

// A node of the generated spec takes the C location its line came from, as lint of a C file
// moves its findings.
void relocate(Node& n, const cimport::GeneratedSpec& g, const std::string& c_file,
              std::vector<std::string>& included) {
  auto move = [&](Position& pos) {
    const Location origin = cimport::origin_of(g, pos.line, c_file);
    pos = {origin.line, origin.column, intern(included, origin.file)};
  };
  move(n.pos);
  for (auto& item : n.items) relocate(item, g, c_file, included);
  for (auto& [k, v] : n.entries) {
    move(k.pos);
    relocate(v, g, c_file, included);
  }
}

// What one C source gives: its spec, generated from the extraction, and the extraction's
// findings. Kept for the process: `explore` loads the spec once per row, and clang's parse is
// the cost (a few hundred milliseconds a file), so sources unchanged since (same size and
// modification time) are read once.
struct CInclude {
  cimport::GeneratedSpec generated;
  Diagnostics diagnostics;
  bool unreadable = false;
  bool empty = false;  ///< the source declares no filter of its own
};

// The C sources an include list names with the same flags are one driver: extracted together,
// so a table one of them declares `extern` comes from the one that defines it. One CInclude per
// source, in the order given.
std::vector<CInclude> extract_c(const Entry& e, const std::vector<std::string>& paths) {
  // The command line's --clang-time-limit and --clang-memory-limit hold here too: a spec cannot
  // give its sources more than the command gives a source it names.
  const confine::CLimits limits = confine::c_limits();
  cimport::Options options;
  options.timeout_seconds = limits.timeout_seconds;
  options.memory_limit_bytes = limits.memory_limit_bytes;
  options.include_dirs = e.include_dirs;
  options.defines = e.defines;
  options.compile_commands = e.compile_commands;
  std::string key;
  for (const auto* list : {&e.include_dirs, &e.defines})
    for (const auto& s : *list) key += '\n' + s;
  key += '\n' + e.compile_commands;
  std::error_code ec;
  for (const auto& path : paths) {
    key += '\n' + path;
    const auto size = std::filesystem::file_size(utf8_path(path), ec);
    if (ec) break;
    const auto time = std::filesystem::last_write_time(utf8_path(path), ec);
    if (ec) break;
    key += '\n' + std::to_string(size) + '@' + std::to_string(time.time_since_epoch().count());
  }

  static std::mutex mutex;
  static std::map<std::string, std::vector<CInclude>> cache;
  if (!ec) {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const cimport::Extraction x = cimport::extract(paths, options);
  std::vector<CInclude> out;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const cimport::Extraction part = cimport::part_of(x, text::display_name(paths[i]), i == 0);
    CInclude c;
    c.diagnostics = part.diagnostics;
    // A driver's sources are read in one parse: when it failed (out of time or memory, refused,
    // crashed), none of them was read, whichever source the error names.
    c.unreadable = x.unreadable;
    c.empty = part.filters.empty() && part.framings.empty();
    if (!c.unreadable && !c.empty) c.generated = cimport::to_spec(part, false);
    out.push_back(std::move(c));
  }
  if (!ec) {
    std::lock_guard<std::mutex> lock(mutex);
    if (cache.size() >= 32) cache.clear();  // a bound, not a policy: one spec has few sources
    cache.emplace(key, out);
  }
  return out;
}

// The flags of a C entry, as one text: entries with the same flags are one driver.
std::string c_flags_key(const Entry& e) {
  std::string key = e.compile_commands;
  for (const auto* list : {&e.include_dirs, &e.defines})
    for (const auto& s : *list) key += '\n' + s;
  return key;
}

class Includer {
 public:
  Includer(const std::string& spec_name, const LoadOptions& options, Diagnostics& diags,
           std::vector<std::string>& included, std::size_t spec_bytes)
      : spec_name_(spec_name),
        options_(options),
        bytes_left_(spec_bytes < options.max_file_bytes ? options.max_file_bytes - spec_bytes : 0),
        diags_(diags),
        included_(included),
        reader_(spec_name, diags) {}

  bool refused() const { return refused_; }

  bool run(Node& root) {
    if (!root.is_map()) return true;  // the loader says what the spec should be
    Node* list = root.find("include");
    if (!list) return true;
    std::vector<Entry> entries;
    // Every entry is tried, so one run lists every problem of the list.
    bool ok = read_entries(*list, entries);
    std::vector<Node> filters;
    std::set<std::string> seen, seen_resolved;
    extract_drivers(entries);
    for (const auto& e : entries) {
      const std::string path = resolve_path(spec_name_, e.path.value);
      if (spec_name_ != "<stdin>" && path == utf8_text(utf8_path(spec_name_))) {
        error(e.pos, "a spec cannot include itself");
        ok = false;
        continue;
      }
      // Twice by two names (a symlink) is twice: each copy would cost its memory again.
      if (!seen.insert(path).second || !seen_resolved.insert(resolved_name(path)).second) {
        error(e.pos, "includes " + text::quote(path) + " twice", "remove one of the two");
        ok = false;
        continue;
      }
      ok = (is_yaml(path) ? include_spec(e, path, filters) : include_c(e, path, filters)) && ok;
    }
    if (!ok) return false;
    Node* own = root.find("filters");
    if (!own) {
      // A spec may state no filters of its own: all of them come from its sources. The new
      // entry is made whole before it is added: adding it moves the entries `list` points into.
      MapEntry entry;
      entry.first.kind = Node::Kind::Scalar;
      entry.first.scalar = "filters";
      entry.first.pos = list->pos;
      entry.second.kind = Node::Kind::Sequence;
      entry.second.pos = list->pos;
      root.entries.push_back(std::move(entry));
      own = &root.entries.back().second;
    }
    if (!own->is_seq()) return true;  // the loader reports the wrong type
    own->items.insert(own->items.begin(), std::make_move_iterator(filters.begin()),
                      std::make_move_iterator(filters.end()));
    return true;
  }

 private:
  // A path written in the spec, and the paths an entry gives clang (its include_dirs and
  // compile_commands), must stay in the tree and name regular files: refused before anything
  // is read (util/confine.hpp), exit code 2.
  bool refuse_outside(const Entry& e, const std::string& path) {
    std::vector<std::pair<std::string, bool>> paths{{path, true}};
    if (!e.compile_commands.empty()) paths.emplace_back(e.compile_commands, true);
    for (const auto& dir : e.include_dirs) paths.emplace_back(dir, false);
    for (const auto& [p, is_file] : paths) {
      std::string why = confine::check_written(p);
      if (why.empty() && is_file) why = confine::check_regular_file(p);
      if (why.empty()) continue;
      error(p == path ? e.path.pos : e.pos, "cannot include " + text::display_name(p) + ": " + why);
      refused_ = true;
      return false;
    }
    return true;
  }

  static std::string resolved_name(const std::string& path) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(utf8_path(path), ec);
    return ec ? path : utf8_text(canonical);
  }

  // Positions in an included file carry its number, which the Reader (made for the spec's own
  // entries) does not know.
  Location at(Position pos) const { return locate(spec_name_, included_, pos); }

  void error(Position pos, std::string message, std::string hint = {}) {
    diags_.push_back(make_diagnostic("KSF0032", std::move(message), at(pos), std::move(hint)));
  }

  std::vector<std::string> strings(const Node* n, const std::string& path, bool& ok) {
    std::vector<std::string> out;
    if (!n) return out;
    if (!reader_.expect_seq(*n, path)) {
      ok = false;
      return out;
    }
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      auto s = reader_.string(&n->items[i], path + "[" + std::to_string(i) + "]");
      if (s.value.empty()) ok = false;
      out.push_back(s.value);
    }
    return out;
  }

  bool read_entries(const Node& list, std::vector<Entry>& entries) {
    const std::size_t before = diags_.size();
    if (!reader_.expect_seq(list, "include")) return false;
    if (list.items.size() > kMaxIncludes) {
      diags_.push_back(make_diagnostic("KSF0003",
                                       "more than " + std::to_string(kMaxIncludes) +
                                           " includes: ksframe reads at most that many",
                                       reader_.at(list.items[kMaxIncludes].pos),
                                       "include fewer, larger files"));
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const Node& item = list.items[i];
      const std::string path = "include[" + std::to_string(i) + "]";
      Entry e;
      e.pos = item.pos;
      if (item.is_map()) {
        if (!reader_.expect_map(item, path,
                                {"path", "include_dirs", "defines", "compile_commands"}) ||
            !reader_.require(item, "path", path)) {
          ok = false;
          continue;
        }
        e.path = reader_.string(item.find("path"), path + ".path");
        e.include_dirs = strings(item.find("include_dirs"), path + ".include_dirs", ok);
        for (auto& dir : e.include_dirs) dir = resolve_path(spec_name_, dir);
        e.defines = strings(item.find("defines"), path + ".defines", ok);
        if (const Node* cc = item.find("compile_commands")) {
          e.compile_commands = reader_.string(cc, path + ".compile_commands").value;
          if (!e.compile_commands.empty())
            e.compile_commands = resolve_path(spec_name_, e.compile_commands);
        }
        e.c_options =
            item.find("include_dirs") || item.find("defines") || item.find("compile_commands");
      } else {
        e.path = reader_.string(&item, path);
      }
      if (e.path.value.empty()) {
        if (diags_.size() == before && e.path.present)
          error(e.path.pos, "an include names no file");
        ok = false;
        continue;
      }
      // Before anything else is said about the file: a path out of the tree is refused as such,
      // whatever its name.
      if (!refuse_outside(e, resolve_path(spec_name_, e.path.value))) {
        ok = false;
        continue;
      }
      if (!is_yaml(e.path.value) && !cimport::is_c_source(e.path.value)) {
        error(e.path.pos,
              "cannot include " + text::quote(e.path.value) +
                  ": ksframe includes specs (.yaml, .yml) and C/C++ sources (.c, .cpp, .cc, "
                  ".cxx, .h, .hpp, .hh, .hxx)");
        ok = false;
        continue;
      }
      if (is_yaml(e.path.value) && e.c_options) {
        error(item.pos, "include_dirs, defines and compile_commands apply to C sources, not to " +
                            text::quote(e.path.value));
        ok = false;
        continue;
      }
      entries.push_back(std::move(e));
    }
    return ok && diags_.size() == before;
  }

  // Another spec: its filters, located in it. Its other keys describe a graph of its own, which
  // this spec does not take; saying so beats dropping them in silence.
  bool include_spec(const Entry& e, const std::string& path, std::vector<Node>& filters) {
    DiskFileReader disk;
    FileReader& reader = options_.reader ? *options_.reader : disk;
    // The spec and every spec it includes share one size limit, so the memory they take is
    // that of one spec at the limit, however many includes there are.
    ReadResult read = reader.read(path, bytes_left_);
    if (read.too_large) {
      diags_.push_back(
          make_diagnostic("KSF0003",
                          "cannot include " + text::display_name(path) +
                              ": the spec and the specs it includes are larger than the limit of " +
                              std::to_string(options_.max_file_bytes) + " bytes together",
                          at(e.path.pos), "include fewer or smaller specs"));
      refused_ = true;
      return false;
    }
    if (!read.file) {
      error(e.path.pos, "cannot include " + text::display_name(path) + ": " + read.error);
      return false;
    }
    bytes_left_ -= read.file->content.size();
    read.file->name = text::display_name(path);
    ParsedYaml parsed = parse_yaml(*read.file, options_.parse);
    const bool parse_errors = has_errors(parsed.diagnostics);
    for (auto& d : parsed.diagnostics) diags_.push_back(std::move(d));
    if (!parsed.root || parse_errors) return false;
    Node& root = *parsed.root;
    renumber(root, intern(included_, read.file->name));
    if (!root.is_map()) {
      error(root.pos,
            read.file->name + " is not a spec: an included spec is a mapping with " + "'filters'");
      return false;
    }
    bool ok = true;
    for (const auto& [key, value] : root.entries) {
      if (key.scalar == "ksframe" || key.scalar == "name" || key.scalar == "filters") continue;
      if (key.scalar == "include")
        error(key.pos, "an included spec cannot include: includes do not nest",
              "list the files it includes in " + text::display_name(spec_name_));
      else
        error(key.pos,
              "an included spec gives only its filters; '" + key.scalar +
                  "' belongs in the spec that includes it",
              "move it to " + text::display_name(spec_name_));
      ok = false;
    }
    if (const Node* v = root.find("ksframe");
        v && !(v->is_scalar() && !v->quoted && v->scalar == "1")) {
      diags_.push_back(make_diagnostic(
          "KSF0014", "an included spec must be format version 1, as this one", at(v->pos)));
      ok = false;
    }
    Node* list = root.find("filters");
    if (!list) {
      error(root.pos, read.file->name + " has no filters to include");
      return false;
    }
    if (!list->is_seq()) {
      diags_.push_back(make_diagnostic(
          "KSF0009", "'filters' must be a sequence, not " + list->describe(), at(list->pos)));
      return false;
    }
    for (auto& f : list->items) filters.push_back(std::move(f));
    return ok;
  }

  // A driver's C source: the filters of its extraction, each value at its C line. The
  // extraction's own findings (a header not found, framing set by code) come along.
  bool include_c(const Entry& e, const std::string& path, std::vector<Node>& filters) {
    if (!cimport::available()) {
      error(e.path.pos, std::string("cannot include ") + text::display_name(path) + ": " +
                            cimport::unavailable_message());
      return false;
    }
    const auto found = extracted_.find(path);
    if (found == extracted_.end()) return false;  // named twice: reported by run()
    const CInclude& c = found->second;
    // A source that only holds tables the others use (formats.c) is part of the driver.
    if (c.empty && !c.unreadable && driver_size_[path] > 1) {
      for (const auto& d : c.diagnostics) diags_.push_back(d);
      return !has_errors(c.diagnostics);
    }
    const bool failed = c.unreadable || has_errors(c.diagnostics);
    for (const auto& d : c.diagnostics) diags_.push_back(d);
    if (failed) {
      // A source clang could not read at all (refused, out of time or memory, crashed) is the
      // tool unable to do what was asked, exit code 2, as for a source on the command line.
      refused_ = refused_ || c.unreadable;
      error(e.path.pos, "cannot include " + text::display_name(path) +
                            ": its framing could not be read (see the errors above)");
      return false;
    }
    const std::string display = text::display_name(path);
    ParsedYaml parsed = parse_yaml({display + ".ksframe.yaml", c.generated.yaml}, options_.parse);
    if (!parsed.root || has_errors(parsed.diagnostics)) {
      // The generated spec is ksframe's own text: a failure here is a ksframe defect.
      for (auto& d : parsed.diagnostics) diags_.push_back(std::move(d));
      return false;
    }
    Node* list = parsed.root->find("filters");
    if (!list || list->items.empty()) {
      error(e.path.pos, display + " declares no pins (no KSFILTER_DESCRIPTOR with a pin table, " +
                            "no framing): there is nothing to include");
      return false;
    }
    for (auto& f : list->items) {
      relocate(f, c.generated, display, included_);
      filters.push_back(std::move(f));
    }
    return true;
  }

  // Every C source of the list, grouped by flags, extracted once per group before the entries
  // are taken in order.
  void extract_drivers(const std::vector<Entry>& entries) {
    std::map<std::string, std::vector<const Entry*>> groups;
    std::vector<std::string> order;
    for (const auto& e : entries) {
      if (is_yaml(e.path.value)) continue;
      const std::string key = c_flags_key(e);
      if (!groups.count(key)) order.push_back(key);
      auto& group = groups[key];
      const std::string path = resolve_path(spec_name_, e.path.value);
      bool twice = false;
      for (const Entry* g : group) twice = twice || resolve_path(spec_name_, g->path.value) == path;
      if (!twice) group.push_back(&e);
    }
    for (const auto& key : order) {
      std::vector<std::string> paths;
      for (const Entry* g : groups[key]) paths.push_back(resolve_path(spec_name_, g->path.value));
      if (!cimport::available()) return;
      std::vector<CInclude> parts = extract_c(*groups[key].front(), paths);
      for (std::size_t i = 0; i < paths.size(); ++i) {
        driver_size_[paths[i]] = paths.size();
        extracted_.emplace(paths[i], std::move(parts[i]));
      }
    }
  }

  std::map<std::string, CInclude> extracted_;
  std::map<std::string, std::size_t> driver_size_;
  const std::string& spec_name_;
  const LoadOptions& options_;
  std::size_t bytes_left_;
  bool refused_ = false;
  Diagnostics& diags_;
  std::vector<std::string>& included_;
  Reader reader_;
};

}  // namespace

bool resolve_includes(Node& root, const std::string& spec_name, const LoadOptions& options,
                      Diagnostics& diagnostics, std::vector<std::string>& included,
                      std::size_t spec_bytes, bool* refused) {
  Includer includer(spec_name, options, diagnostics, included, spec_bytes);
  const bool ok = includer.run(root);
  if (refused) *refused = includer.refused();
  return ok;
}

}  // namespace ksframe
