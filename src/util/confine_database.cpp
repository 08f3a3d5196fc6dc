// check_compile_commands (util/confine.hpp): a compile_commands.json is a file of the tree, so
// the paths its entries hand clang are paths written in a file. They are checked here, by
// ksframe, before libclang reads the database: libclang itself expands @response files while
// it loads it, and gives no hook to refuse one.
#include <nlohmann/json.hpp>

#include "ksframe/source.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe::confine {
namespace fs = std::filesystem;

namespace {

// A database is far smaller than this; the bound keeps a hostile one from costing memory.
constexpr std::size_t kMaxDatabaseBytes = 64u << 20;

// `command` split as a POSIX shell would for the simple quoting compilation databases use.
std::vector<std::string> split_command(const std::string& command) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < command.size())
        word += command[++i];
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

// The paths one command line hands clang to read.
std::vector<std::string> read_paths(const std::vector<std::string>& args) {
  static const char* const kWithPath[] = {"-I",         "/I",       "-isystem", "-iquote",
                                          "-idirafter", "-include", "-imacros"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '@') {
      out.push_back(a.substr(1));
      continue;
    }
    for (const char* flag : kWithPath) {
      const std::string f = flag;
      if (a == f && i + 1 < args.size()) {
        out.push_back(args[++i]);
        break;
      }
      if (a.size() > f.size() && a.starts_with(f)) {
        out.push_back(a.substr(f.size()));
        break;
      }
    }
  }
  return out;
}

std::string string_of(const nlohmann::json& entry, const char* key) {
  const auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string check_entry(const nlohmann::json& entry, const fs::path& source) {
  std::error_code ec;
  const fs::path dir = string_of(entry, "directory");
  const fs::path file = string_of(entry, "file");
  if (fs::absolute(dir / file, ec).lexically_normal() != source) return {};
  std::vector<std::string> args;
  if (const auto it = entry.find("arguments"); it != entry.end() && it->is_array()) {
    for (const auto& a : *it)
      if (a.is_string()) args.push_back(a.get<std::string>());
  } else {
    args = split_command(string_of(entry, "command"));
  }
  for (const auto& p : read_paths(args)) {
    const fs::path full = fs::path(p).is_absolute() ? fs::path(p) : dir / p;
    if (std::string why = check_written(full.string()); !why.empty())
      return text::display_name(p) + ": " + why;
  }
  return {};
}

}  // namespace

std::string check_compile_commands(const std::string& database, const std::string& source) {
  const auto tree = current();
  if (!tree || tree->everything()) return {};
  std::error_code ec;
  const fs::path db = fs::is_directory(database, ec) ? fs::path(database) / "compile_commands.json"
                                                     : fs::path(database);
  DiskFileReader disk;
  const ReadResult read = disk.read(db.string(), kMaxDatabaseBytes);
  if (!read.file) return {};  // clang says it cannot read the database
  const nlohmann::json doc = nlohmann::json::parse(read.file->content, nullptr, false);
  if (!doc.is_array()) return {};
  const fs::path absolute = fs::absolute(source, ec).lexically_normal();
  for (const auto& entry : doc)
    if (entry.is_object())
      if (std::string why = check_entry(entry, absolute); !why.empty()) return why;
  return {};
}

}  // namespace ksframe::confine
