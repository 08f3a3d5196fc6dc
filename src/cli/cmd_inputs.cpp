// ksframe inputs: every file a spec or a driver source reads, so CI can tell which specs a
// change touches (a driver header edited under an `include:`d source changes the spec's outcome
// although the spec itself is untouched). The C `#include` closure is found by reading the
// directives as text, not by clang: a header inside `#if 0` is listed too, which only makes CI
// evaluate a spec more often; a `#include MACRO` is not followed (docs/ci.md says so).
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "cli/cli.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/render.hpp"
#include "util/text.hpp"

namespace ksframe::cli {
namespace {

namespace fs = std::filesystem;

// Paths are UTF-8 text; std::filesystem takes them as char8_t so Windows reads the same file.
fs::path u8(const std::string& s) { return fs::path(std::u8string(s.begin(), s.end())); }
std::string text_of(const fs::path& p) {
  const std::u8string u = p.lexically_normal().generic_u8string();
  std::string out(u.begin(), u.end());
  return out.empty() ? "." : out;
}
// `path` as written in `from` (a spec or a source): relative to the folder `from` is in.
std::string beside(const std::string& from, const std::string& path) {
  const fs::path p = u8(path);
  return p.is_absolute() ? text_of(p) : text_of(u8(from).parent_path() / p);
}
bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(u8(path), ec);
}
std::string read_text(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(u8(path), std::ios::binary);
  std::string text(max_bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(max_bytes));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::string absolute(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::absolute(u8(path), ec);
  return ec ? path : text_of(p);
}

// The -I folders compile_commands.json gives `source` (arguments or command; relative folders
// are relative to the entry's directory, a relative directory to the database's folder).
std::vector<std::string> database_dirs(const std::string& db_path, const std::string& source) {
  std::vector<std::string> dirs;
  const nlohmann::json db = nlohmann::json::parse(read_text(db_path, 64u << 20), nullptr, false);
  if (!db.is_array()) return dirs;
  for (const auto& entry : db) {
    if (!entry.is_object() || !entry.value("file", nlohmann::json()).is_string()) continue;
    std::string dir = ".";
    if (auto it = entry.find("directory"); it != entry.end() && it->is_string())
      dir = it->get<std::string>();
    dir = beside(db_path, dir);
    if (absolute(text_of(u8(dir) / u8(entry["file"].get<std::string>()))) != absolute(source))
      continue;
    std::vector<std::string> args;
    if (entry.contains("arguments") && entry["arguments"].is_array()) {
      for (const auto& a : entry["arguments"])
        if (a.is_string()) args.push_back(a.get<std::string>());
    } else if (entry.contains("command") && entry["command"].is_string()) {
      std::istringstream words(entry["command"].get<std::string>());
      for (std::string w; words >> w;) args.push_back(w);
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
      std::string d;
      if ((args[i] == "-I" || args[i] == "-isystem") && i + 1 < args.size())
        d = args[++i];
      else if (args[i].starts_with("-I"))
        d = args[i].substr(2);
      if (!d.empty()) dirs.push_back(u8(d).is_absolute() ? d : text_of(u8(dir) / u8(d)));
    }
  }
  return dirs;
}

class Closure {
 public:
  explicit Closure(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // A spec: itself, each `include:` entry, and the closure of each included C source.
  // Returns false (and says why in `error`) when the spec is not YAML ksframe can read.
  bool add_spec(Io& io, const std::string& spec) {
    add(spec);
    const std::optional<SourceFile> file = read_input(io, spec, max_bytes_);
    if (!file) return false;
    ParsedYaml parsed = parse_yaml(*file);
    if (!parsed.root || has_errors(parsed.diagnostics)) {
      io.err << render_diagnostics_text(parsed.diagnostics, false);
      return false;
    }
    const Node* include = parsed.root->is_map() ? parsed.root->find("include") : nullptr;
    if (!include) return true;
    if (!include->is_seq()) return add_entry(spec, *include), true;
    for (const Node& entry : include->items) add_entry(spec, entry);
    return true;
  }

  // A C source: itself and every header its `#include`s reach in its folder and `dirs`.
  void add_c(const std::string& source, const std::vector<std::string>& dirs) {
    if (!add(source) || !is_file(source)) return;
    static const std::regex directive(R"(^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\r\n]+)[>"])");
    const std::string text = read_text(source, max_bytes_);
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (!std::regex_search(line, m, directive)) continue;
      std::vector<std::string> candidates;
      if (m[1] == "\"") candidates.push_back(beside(source, m[2]));
      for (const auto& d : dirs) candidates.push_back(text_of(u8(d) / u8(m[2])));
      for (const auto& c : candidates)
        if (is_file(c)) {
          add_c(c, dirs);
          break;
        }
    }
  }

  const std::vector<std::string>& files() const { return files_; }

 private:
  bool add(const std::string& path) {
    if (!seen_.insert(path).second || files_.size() >= kMaxFiles) return false;
    files_.push_back(path);
    return true;
  }

  void add_entry(const std::string& spec, const Node& entry) {
    const Node* path = entry.is_map() ? entry.find("path") : &entry;
    if (!path || !path->is_scalar()) return;
    const std::string file = beside(spec, path->scalar);
    if (!cimport::is_c_source(file)) {
      add(file);
      return;
    }
    std::vector<std::string> dirs = extra_dirs;
    if (const Node* list = entry.is_map() ? entry.find("include_dirs") : nullptr; list)
      for (const Node& d : list->items)
        if (d.is_scalar()) dirs.push_back(beside(spec, d.scalar));
    if (const Node* db = entry.is_map() ? entry.find("compile_commands") : nullptr;
        db && db->is_scalar()) {
      std::string db_path = beside(spec, db->scalar);
      if (!db_path.ends_with(".json")) db_path = text_of(u8(db_path) / "compile_commands.json");
      add(db_path);
      for (auto& d : database_dirs(db_path, file)) dirs.push_back(std::move(d));
    }
    add_c(file, dirs);
  }

 public:
  std::vector<std::string> extra_dirs;  ///< -I of the command line, for every source

 private:
  static constexpr std::size_t kMaxFiles = 100'000;  // a closure larger than that is hostile
  std::size_t max_bytes_;
  std::set<std::string> seen_;
  std::vector<std::string> files_;
};

}  // namespace

std::function<int(Io&)> setup_inputs(CLI::App& app) {
  struct Options {
    std::vector<std::string> files, include_dirs;
    std::string compile_commands;
    bool null = false;
  };
  auto o = std::make_shared<Options>();
  app.add_option("files", o->files, "Specs and driver sources")->required();
  app.add_option("-I", o->include_dirs, "For C sources: an include directory (repeatable)");
  app.add_option("--compile-commands", o->compile_commands,
                 "For C sources given here: take their -I from this compile_commands.json");
  app.add_flag("-z,--null", o->null,
               "End each name with a NUL byte and write it as it is (for xargs -0 and scripts)");
  app.footer(
      "Prints each file once, in the order it is reached: the spec, the files its include: "
      "names, and the headers each C source's #include directives reach in its folder and its "
      "include folders (headers not found there, as the WDK's, are not listed). Exit codes: "
      "0 listed, 2 a spec could not be read or is not YAML (the files reached are listed).");
  return [o](Io& io) {
    Closure closure(8u << 20);
    closure.extra_dirs = o->include_dirs;
    int code = 0;
    for (const auto& f : o->files) {
      if (!cimport::is_c_source(f)) {
        if (!closure.add_spec(io, text_of(u8(f)))) code = 2;
        continue;
      }
      std::vector<std::string> dirs = o->include_dirs;
      if (!o->compile_commands.empty())
        for (auto& d : database_dirs(o->compile_commands, f)) dirs.push_back(std::move(d));
      closure.add_c(text_of(u8(f)), dirs);
    }
    for (const auto& f : closure.files())
      io.out << (o->null ? f : text::display_name(f)) << (o->null ? '\0' : '\n');
    return code;
  };
}

}  // namespace ksframe::cli
