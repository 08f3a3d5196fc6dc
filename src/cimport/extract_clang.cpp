// The libclang front end: each source is parsed as its own translation unit with the stand-in
// headers, and every file-scope variable whose type has the field layout of a framing, a pin
// descriptor table or a filter descriptor is read from its initializer. Values come from
// clang's constant evaluation (clang_Cursor_Evaluate) of each scalar initializer, walked field
// by field through the initializer lists (brace elision and designators as C defines them);
// pointers are followed to the variable or function they name. Types are recognised by their
// field names, not their spelling, so a driver's own same-layout structs (a multi-item
// KSALLOCATOR_FRAMING_EX) are read too. Function bodies are only searched for code that edits
// framing (KsEdit, legacy framing handlers), reported as notes.
// This file is that traversal: the translation unit (its arguments, the compilation database,
// the watchdog), libclang's cursors and types, and the walk of an initializer; extract_ks.cpp
// reads the KS structures from what it yields (extract_clang.hpp holds what the two share).
#include "cimport/extract_clang.hpp"

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "cimport/extract_internal.hpp"
#include "cimport/includes.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/source.hpp"
#include "util/text.hpp"

namespace ksframe::cimport::detail {
namespace {

namespace fs = std::filesystem;

// The stand-ins live in a directory no real file system has, searched before the driver's
// own include directories, so `#include <ks.h>` always means ksframe's ks.h.
constexpr const char* kStandInDir = "/ksframe-stand-in-headers";
// Bounds on what a hostile initializer can make the walker do (kMaxDepth: extract_clang.hpp).
constexpr std::size_t kMaxLeaves = 200000;
// The elements of one array the walker reads (a pin table of 300 pins is real; 65536 is not).
constexpr long long kMaxElements = 65536;

bool is_record(CXType t) { return clang_getCanonicalType(t).kind == CXType_Record; }
bool is_union(CXType t) {
  return clang_getCursorKind(clang_getTypeDeclaration(clang_getCanonicalType(t))) ==
         CXCursor_UnionDecl;
}

}  // namespace

// Every string clang gives back (names, file names, messages) can hold any byte the source
// holds: it is made safe for every output format here, once (invalid UTF-8 and control
// characters written \xNN, as file names are everywhere in ksframe).
std::string str(CXString s) {
  const char* c = clang_getCString(s);
  std::string out = c ? text::display_name(c) : "";
  clang_disposeString(s);
  return out;
}

std::string spelling(CXCursor c) { return str(clang_getCursorSpelling(c)); }

std::vector<CXCursor> children(CXCursor c) {
  std::vector<CXCursor> out;
  clang_visitChildren(
      c,
      [](CXCursor child, CXCursor, CXClientData data) {
        static_cast<std::vector<CXCursor>*>(data)->push_back(child);
        return CXChildVisit_Continue;
      },
      &out);
  return out;
}

std::vector<Field> fields_of(CXType t) {
  std::vector<Field> out;
  clang_Type_visitFields(
      clang_getCanonicalType(t),
      [](CXCursor c, CXClientData data) {
        auto* v = static_cast<std::vector<Field>*>(data);
        std::string name =
            clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(clang_getCursorType(c)))
                ? std::string()
                : spelling(c);
        v->push_back({name, clang_getCursorType(c)});
        return CXVisit_Continue;
      },
      &out);
  return out;
}

std::string signature(CXType t) {
  std::string s;
  for (const auto& f : fields_of(t)) s += (f.name.empty() ? "?" : f.name) + ",";
  return s;
}

bool is_array(CXType t) {
  const auto k = clang_getCanonicalType(t).kind;
  return k == CXType_ConstantArray || k == CXType_IncompleteArray;
}

Location file_location(CXSourceLocation loc, const std::string& main_name,
                       const std::string& main_path) {
  CXFile file;
  unsigned line = 0, column = 0, offset = 0;
  // The file location: where a macro argument was written, or where the macro was used, so a
  // value points at the driver's own line and never into a header's #define or a stand-in.
  clang_getFileLocation(loc, &file, &line, &column, &offset);
  std::string name = file ? str(clang_getFileName(file)) : std::string();
  if (name == text::display_name(main_path)) name = main_name;
  return {name, line, column};
}

// The initializer of a variable, flattened to "Field.Sub[2].Leaf" -> value.
Flat Walker::read(CXCursor var) {
  Flat out;
  CXCursor init = clang_getNullCursor();
  for (CXCursor c : children(var))
    if (clang_isExpression(clang_getCursorKind(c))) init = c;
  if (clang_Cursor_isNull(init)) return out;
  leaves_ = 0;
  truncated_ = false;
  std::vector<CXCursor> one{init};
  Stream s{one, 0};
  init_object(clang_getCursorType(var), "", s, out, 0);
  return out;
}

std::string Walker::join(const std::string& path, const std::string& name) {
  if (name.empty()) return path;  // anonymous members are flattened into their parent
  return path.empty() ? name : path + "." + name;
}

bool Walker::designated(CXCursor c, CXTranslationUnit tu) const {
  // libclang shows a designated initializer as an unexposed expression with the designators
  // and the value as children; only those need their first token looked at.
  if (clang_getCursorKind(c) != CXCursor_UnexposedExpr) return false;
  const auto parts = children(c);
  if (parts.size() < 2) return false;
  // A designator through an anonymous struct or union (`.SampleSize` of KSDATARANGE's union)
  // has no source range: its first designator is the anonymous member, a MemberRef.
  if (clang_getCursorKind(parts.front()) == CXCursor_MemberRef) return true;
  CXToken* tokens = nullptr;
  unsigned n = 0;
  CXSourceRange r = clang_getCursorExtent(c);
  clang_tokenize(tu, clang_getRange(clang_getRangeStart(r), clang_getRangeStart(r)), &tokens, &n);
  bool yes = false;
  if (n > 0) {
    const std::string first = str(clang_getTokenSpelling(tu, tokens[0]));
    yes = (first == "." || first == "[") && children(c).size() >= 2;
  }
  clang_disposeTokens(tu, tokens, n);
  return yes;
}

void Walker::leaf(CXCursor c, CXType t, const std::string& path, Flat& out) {
  if (++leaves_ > kMaxLeaves) {
    truncated_ = true;
    return;
  }
  Leaf l;
  l.at = where(c);
  const auto kind = clang_getCanonicalType(t).kind;
  if (kind == CXType_Pointer) {
    l.is_pointer = true;
    // `&Name`, `Name` (an array or function), `(TYPE*)&Name`, `&Table[0]`: the first name
    // the expression refers to. NULL refers to nothing.
    std::function<bool(CXCursor, int)> find = [&](CXCursor e, int depth) {
      if (depth > kMaxDepth) return false;
      if (clang_getCursorKind(e) == CXCursor_ArraySubscriptExpr) {
        const auto parts = children(e);
        if (parts.size() == 2) {
          CXEvalResult r = clang_Cursor_Evaluate(parts[1]);
          if (r && clang_EvalResult_getKind(r) == CXEval_Int)
            l.element = clang_EvalResult_getAsLongLong(r);
          if (r) clang_EvalResult_dispose(r);
          return find(parts[0], depth + 1);
        }
      }
      if (clang_getCursorKind(e) == CXCursor_DeclRefExpr) {
        const CXCursor ref = clang_getCursorReferenced(e);
        const auto k = clang_getCursorKind(ref);
        if (k == CXCursor_VarDecl || k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod) {
          l.target = ref;
          return true;
        }
      }
      for (CXCursor child : children(e))
        if (find(child, depth + 1)) return true;
      return false;
    };
    find(c, 0);
  } else {
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (r) {
      if (clang_EvalResult_getKind(r) == CXEval_Int) {
        l.is_int = true;
        l.value = clang_EvalResult_isUnsignedInt(r)
                      ? clang_EvalResult_getAsUnsigned(r)
                      : static_cast<std::uint64_t>(clang_EvalResult_getAsLongLong(r));
      }
      clang_EvalResult_dispose(r);
    }
  }
  out[path] = l;
}

// Initializes an object of type `t` from the stream: one braced list, one expression of the
// object's own type, or (brace elision) as many scalars as the object's members take.
void Walker::init_object(CXType t, const std::string& path, Stream& s, Flat& out, int depth) {
  if (s.done() || depth > kMaxDepth || leaves_ > kMaxLeaves) return;
  CXCursor c = s.items[s.next];
  const bool aggregate = is_record(t) || is_array(t);
  if (!aggregate) {
    ++s.next;
    leaf(c, t, path, out);
    return;
  }
  if (clang_getCursorKind(c) == CXCursor_InitListExpr) {
    ++s.next;
    Leaf start;  // where the braced list of this object opens: "path#"
    start.at = where(c);
    out[path + "#"] = start;
    const auto items = children(c);
    Stream inner{items, 0};
    fill(t, path, inner, out, depth + 1, clang_Cursor_getTranslationUnit(c));
    return;
  }
  if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(c)), clang_getCanonicalType(t))) {
    ++s.next;  // a copy of another object: not read (the spec keeps its defaults)
    return;
  }
  fill(t, path, s, out, depth + 1, nullptr);  // brace elision: the members come from this stream
}

// The members (or elements) of `t` in order from the stream; `tu` is set for a braced list,
// where designators may appear.
void Walker::fill(CXType t, const std::string& path, Stream& s, Flat& out, int depth,
                  CXTranslationUnit tu) {
  if (depth > kMaxDepth) return;
  if (is_array(t)) {
    const CXType element = clang_getArrayElementType(clang_getCanonicalType(t));
    const long long size = clang_getArraySize(clang_getCanonicalType(t));
    long long index = 0;
    while (!s.done() && leaves_ <= kMaxLeaves) {
      CXCursor c = s.items[s.next];
      if (tu && designated(c, tu)) {
        const auto parts = children(c);
        CXEvalResult r = clang_Cursor_Evaluate(parts.front());
        if (r && clang_EvalResult_getKind(r) == CXEval_Int)
          index = clang_EvalResult_getAsLongLong(r);
        if (r) clang_EvalResult_dispose(r);
        ++s.next;
        std::vector<CXCursor> value{parts.back()};
        Stream v{value, 0};
        truncated_ = truncated_ || index >= kMaxElements;
        if (index >= 0 && index < kMaxElements)
          init_object(element, path + "[" + std::to_string(index) + "]", v, out, depth);
        ++index;
        continue;
      }
      if (!tu && size >= 0 && index >= size) return;  // elided braces end with the array
      if (index >= kMaxElements) {
        truncated_ = true;
        return;
      }
      init_object(element, path + "[" + std::to_string(index) + "]", s, out, depth);
      ++index;
    }
    return;
  }
  const auto members = fields_of(t);
  const std::size_t count = is_union(t) ? std::min<std::size_t>(members.size(), 1) : members.size();
  std::size_t i = 0;
  while (!s.done() && leaves_ <= kMaxLeaves) {
    CXCursor c = s.items[s.next];
    if (tu && designated(c, tu)) {
      ++s.next;
      const auto parts = children(c);
      // Field designators are MemberRef children before the value; `.A.B = v` names a member
      // of a member, `.FramePitch = v` one inside an anonymous union.
      std::string sub = path;
      CXType at_type = t;
      std::size_t top = members.size();
      for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
        if (clang_getCursorKind(parts[k]) != CXCursor_MemberRef) break;
        const CXCursor field = clang_getCursorReferenced(parts[k]);
        const std::string name = spelling(field);
        if (k == 0)
          for (std::size_t m = 0; m < members.size(); ++m)
            if (members[m].name == name) top = m;
        sub = join(sub, name);
        at_type = clang_getCursorType(field);
      }
      std::vector<CXCursor> value{parts.back()};
      Stream v{value, 0};
      init_object(at_type, sub, v, out, depth);
      i = top == members.size() ? i : top + 1;
      continue;
    }
    if (i >= count) return;
    init_object(members[i].type, join(path, members[i].name), s, out, depth);
    ++i;
  }
}

// What an "undeclared identifier 'X'" really misses: X is often the driver's own table, declared
// through a macro clang does not know (`VENDOR_TABLE(X) {...}`); that macro is then the
// declaration to name. "" when the error is of another kind.
std::string unresolved_declaration(Context& cx, const std::string& message) {
  const std::string lead = "use of undeclared identifier '";
  if (!message.starts_with(lead) || message.back() != '\'') return "";
  const std::string name = message.substr(lead.size(), message.size() - lead.size() - 1);
  CXToken* tokens = nullptr;
  unsigned n = 0;
  clang_tokenize(cx.tu, clang_getCursorExtent(clang_getTranslationUnitCursor(cx.tu)), &tokens, &n);
  std::string found;
  for (unsigned i = 2; i < n; ++i) {
    if (str(clang_getTokenSpelling(cx.tu, tokens[i])) != name) continue;
    // The first place the source writes the name: `MACRO ( name`.
    if (str(clang_getTokenSpelling(cx.tu, tokens[i - 1])) == "(" &&
        clang_getTokenKind(tokens[i - 2]) == CXToken_Identifier)
      found = str(clang_getTokenSpelling(cx.tu, tokens[i - 2])) + " (the macro that declares " +
              name + ")";
    break;
  }
  clang_disposeTokens(cx.tu, tokens, n);
  return found;
}

// An error inside a declaration ksframe reads makes its values doubtful (clang leaves what it
// could not compile out): one warning per declaration, at the first such error.
// With `to_end` the span runs past the cursor's own extent to `until` (or the end of the file):
// clang drops the initializer of a declaration that does not compile, and its extent with it.
bool check_errors(Context& cx, CXCursor var, const std::string& subject,
                  const std::string& consequence, const CXCursor* until, bool to_end) {
  const CXSourceRange extent = clang_getCursorExtent(var);
  CXFile file;
  unsigned begin = 0, end = 0;
  clang_getFileLocation(clang_getRangeStart(extent), &file, nullptr, nullptr, &begin);
  clang_getFileLocation(clang_getRangeEnd(extent), nullptr, nullptr, nullptr, &end);
  if (to_end) end = ~0u;
  if (until) {
    CXFile next_file;
    unsigned next = 0;
    clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(*until)), &next_file, nullptr,
                          nullptr, &next);
    end = next_file && clang_File_isEqual(next_file, file) && next > begin ? next : ~0u;
  }
  const std::string name = file ? str(clang_getFileName(file)) : std::string();
  for (const auto& e : cx.errors) {
    if (e.file != name || e.offset < begin || e.offset > end) continue;
    cx.doubtful = true;
    if (!cx.warned.insert(name + "@" + std::to_string(e.offset)).second)
      return true;  // one warning per error
    const std::string missing = unresolved_declaration(cx, e.message);
    auto d = make_diagnostic(
        "KSF0030",
        subject + " does not compile (" + e.message + "); " + consequence +
            (missing.empty() ? "" : "; clang could not resolve " + missing),
        e.at, "fix the declaration, or pass the -I/-D (or --wdk) the driver's build uses");
    d.severity = Severity::Warning;
    cx.out->diagnostics.push_back(std::move(d));
    return true;
  }
  return false;
}
void check_errors(Context& cx, CXCursor var) {
  check_errors(cx, var, "the initializer of " + spelling(var),
               "the values read from it may be incomplete");
}

std::string key(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

bool in_stand_in(CXCursor c) {
  CXFile file;
  clang_getExpansionLocation(clang_getCursorLocation(c), &file, nullptr, nullptr, nullptr);
  return !file || str(clang_getFileName(file)).starts_with(kStandInDir);
}

namespace {

// The flags from a compilation database that change what the source means: include paths,
// macros, forced includes and the language standard. Relative paths are made absolute
// against the entry's directory.
std::vector<std::string> database_flags(const std::string& database, const std::string& file,
                                        std::string& error) {
  std::vector<std::string> flags;
  const fs::path db_path(database);
  std::error_code ec;
  const fs::path dir = fs::is_directory(db_path, ec) ? db_path : db_path.parent_path();
  if (!fs::is_directory(db_path, ec) && db_path.filename() != "compile_commands.json") {
    error = "a compilation database is a file named compile_commands.json (or its directory)";
    return flags;
  }
  CXCompilationDatabase_Error db_error;
  CXCompilationDatabase db =
      clang_CompilationDatabase_fromDirectory(dir.empty() ? "." : dir.c_str(), &db_error);
  if (db_error != CXCompilationDatabase_NoError || !db) {
    error = "cannot read the compilation database " + text::display_name(database);
    return flags;
  }
  const std::string absolute = fs::absolute(file, ec).lexically_normal().string();
  CXCompileCommands commands = clang_CompilationDatabase_getCompileCommands(db, absolute.c_str());
  if (commands && clang_CompileCommands_getSize(commands) > 0) {
    CXCompileCommand cmd = clang_CompileCommands_getCommand(commands, 0);
    const fs::path workdir = str(clang_CompileCommand_getDirectory(cmd));
    const unsigned n = clang_CompileCommand_getNumArgs(cmd);
    std::vector<std::string> args;
    for (unsigned i = 0; i < n; ++i) args.push_back(str(clang_CompileCommand_getArg(cmd, i)));
    auto path_flag = [&](const std::string& flag, const std::string& value) {
      fs::path p(value);
      if (p.is_relative()) p = workdir / p;
      flags.push_back(flag);
      flags.push_back(p.lexically_normal().string());
    };
    for (std::size_t i = 1; i < args.size(); ++i) {
      const std::string& a = args[i];
      const bool has_next = i + 1 < args.size();
      if ((a == "-I" || a == "/I" || a == "-isystem") && has_next)
        path_flag(a == "-isystem" ? "-isystem" : "-I", args[++i]);
      else if (a.starts_with("-I") || a.starts_with("/I"))
        path_flag("-I", a.substr(2));
      else if ((a == "-D" || a == "/D" || a == "-U" || a == "/U") && has_next)
        flags.push_back("-" + a.substr(1, 1) + args[++i]);
      else if (a.starts_with("-D") || a.starts_with("/D") || a.starts_with("-U") ||
               a.starts_with("/U"))
        flags.push_back("-" + a.substr(1));
      else if (a == "-include" && has_next)
        path_flag("-include", args[++i]);
      else if (a.starts_with("-std="))
        flags.push_back(a);
    }
  } else {
    error = text::display_name(file) + " is not in the compilation database " +
            text::display_name(database);
  }
  if (commands) clang_CompileCommands_dispose(commands);
  clang_CompilationDatabase_dispose(db);
  return flags;
}

bool is_cpp(const std::string& path) {
  for (const char* ext : {".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx"}) {
    const std::string e = ext;
    if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0)
      return true;
  }
  return false;
}

// Ends the process when a parse runs longer than the limit: clang's work cannot be cancelled
// from outside, and a hostile source (macro bombs) could otherwise run for hours.
class Watchdog {
 public:
  Watchdog(unsigned seconds, std::string file) : file_(std::move(file)) {
    if (seconds == 0) return;
    thread_ = std::thread([this, seconds] {
      std::unique_lock lock(mutex_);
      if (!cv_.wait_for(lock, std::chrono::seconds(seconds), [this] { return done_; })) {
        if (child_result_fd >= 0) {
          // In the child of an isolated parse: tell the parent which file, and end the child.
          const std::string record = "T" + file_;
          (void)!::write(child_result_fd, record.data(), record.size());
          std::_Exit(kChildTimedOut);
        }
        std::fprintf(stderr, "ksframe: %s: parsing took longer than %u s; giving up\n",
                     file_.c_str(), seconds);
        std::fflush(stderr);
        std::_Exit(2);
      }
    });
  }
  ~Watchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::string file_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// The clang arguments of one source: the target, the WDK when given, the stand-ins, the
// compilation database's flags, then -I and -D.
bool compiler_arguments(const std::string& file, const Options& options,
                        std::vector<std::string>& args, std::string& error) {
  args = {"-target",
          "x86_64-pc-windows-msvc",
          "-fms-extensions",
          "-fms-compatibility",
          "-fms-compatibility-version=19.20",
          "-nostdinc",
          "-ferror-limit=0",
          "-fbracket-depth=256",
          "-fconstexpr-depth=64",
          "-fconstexpr-steps=1000000",
          "-ftemplate-depth=64",
          "-Wno-everything"};
  // A real WDK comes before the stand-ins: a team that has it gets its declarations.
  for (const auto& dir : wdk_include_dirs(options.wdk)) args.insert(args.end(), {"-I", dir});
  args.insert(args.end(), {"-I", kStandInDir, "-D_KERNEL_MODE", "-D_AMD64_", "-D_WIN64"});
  if (is_cpp(file)) {
    args.insert(args.end(), {"-x", "c++", "-std=c++17"});
  } else {
    args.insert(args.end(), {"-x", "c", "-std=c11"});
  }
  if (!options.compile_commands.empty()) {
    auto db = database_flags(options.compile_commands, file, error);
    if (!error.empty()) return false;
    args.insert(args.end(), db.begin(), db.end());
  }
  for (const auto& d : options.include_dirs) args.insert(args.end(), {"-I", d});
  for (const auto& d : options.defines) args.push_back("-D" + d);
  return true;
}

struct ParseInput {
  std::vector<std::string> paths;  ///< owns the names the unsaved files point to
  std::vector<std::string> texts;
};

// Parses `file` (its bytes already read) with the stand-ins and the include fixes found so far.
CXTranslationUnit parse(CXIndex index, const std::string& file, const std::string& content,
                        const std::vector<std::string>& args, const ParseInput& extra,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        CXErrorCode& code) {
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::vector<std::string> names;
  names.reserve(headers.size());
  std::vector<CXUnsavedFile> unsaved;
  for (const auto& [name, text] : headers) {
    names.push_back(std::string(kStandInDir) + "/" + name);
    unsaved.push_back(
        {names.back().c_str(), text.c_str(), static_cast<unsigned long>(text.size())});
  }
  for (std::size_t i = 0; i < extra.paths.size(); ++i)
    unsaved.push_back({extra.paths[i].c_str(), extra.texts[i].c_str(),
                       static_cast<unsigned long>(extra.texts[i].size())});
  // The bytes read (within the size limit) are what clang parses, not the file again.
  unsaved.push_back({file.c_str(), content.c_str(), static_cast<unsigned long>(content.size())});
  CXTranslationUnit tu = nullptr;
  code = clang_parseTranslationUnit2(
      index, file.c_str(), argv.data(), static_cast<int>(argv.size()), unsaved.data(),
      static_cast<unsigned>(unsaved.size()),
      CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing, &tu);
  return tu;
}

// The headers clang did not find in `tu`: (name, where it is included, the including file).
struct MissingHeader {
  std::string name;
  Location at;
  std::string includer;
};
std::vector<MissingHeader> missing_headers(CXTranslationUnit tu, const std::string& shown,
                                           const std::string& main_path) {
  std::vector<MissingHeader> out;
  const unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    const std::string text = str(clang_getDiagnosticSpelling(d));
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
        text.find("file not found") != std::string::npos) {
      CXFile f;
      clang_getFileLocation(clang_getDiagnosticLocation(d), &f, nullptr, nullptr, nullptr);
      out.push_back({missing_header_name(text),
                     file_location(clang_getDiagnosticLocation(d), shown, main_path),
                     f ? str(clang_getFileName(f)) : main_path});
    }
    clang_disposeDiagnostic(d);
  }
  return out;
}

// Parses, and while clang misses a header that Windows would find, parses again with it (a
// header found this way may include more; the rounds are bounded).
CXTranslationUnit parse_resolving_includes(
    CXIndex index, const std::string& file, const std::string& content,
    const std::vector<std::string>& args, const Options& options,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& shown,
    std::vector<IncludeFix>& fixes, CXErrorCode& code) {
  ParseInput extra;
  std::set<std::string> tried;
  for (int round = 0; round < 16; ++round) {
    CXTranslationUnit tu = parse(index, file, content, args, extra, headers, code);
    if (code != CXError_Success || !tu) return tu;
    bool again = false;
    for (const auto& m : missing_headers(tu, shown, file)) {
      if (m.name.empty() || !tried.insert(m.includer + "|" + m.name).second) continue;
      auto fix = resolve_include(m.name, m.includer, options.include_dirs);
      if (!fix) continue;
      DiskFileReader reader;
      ReadResult read = reader.read(fix->actual_path, options.max_file_bytes);
      if (!read.file) continue;
      fix->at = m.at;
      extra.paths.push_back(fix->spelled_path);
      extra.texts.push_back(read.file->content);
      fixes.push_back(*fix);
      again = true;
    }
    if (!again) return tu;
    clang_disposeTranslationUnit(tu);
  }
  return parse(index, file, content, args, extra, headers, code);
}

// clang's errors, kept for check_errors (a missing header is reported by extract_here, once
// per run).
std::vector<ClangError> compile_errors(CXTranslationUnit tu, const std::string& shown,
                                       const std::string& main_path) {
  std::vector<ClangError> errors;
  const unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    const std::string text = str(clang_getDiagnosticSpelling(d));
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
        text.find("file not found") == std::string::npos) {
      CXFile error_file;
      unsigned offset = 0;
      clang_getFileLocation(clang_getDiagnosticLocation(d), &error_file, nullptr, nullptr, &offset);
      if (error_file && errors.size() < 10000)
        errors.push_back({str(clang_getFileName(error_file)), offset,
                          file_location(clang_getDiagnosticLocation(d), shown, main_path), text});
    }
    clang_disposeDiagnostic(d);
  }
  return errors;
}

// What one source's parse leaves for extract_here to report once per run.
struct SourceFindings {
  std::vector<MissingHeader> missing;
  std::vector<IncludeFix> fixes;
  bool needed = false;  ///< a declaration ksframe reads did not compile: a missing header matters
};

void read_translation_unit(Context& cx, Extraction& out) {
  visit_declarations(cx, clang_getTranslationUnitCursor(cx.tu), 0);
  std::set<std::string> listed;
  for (CXCursor f : cx.filters) {
    read_filter(cx, f);
    listed.insert(out.filters.back().pin_table);
  }
  // A pin table no filter descriptor lists is still linted, in a filter named after it.
  for (const auto& name : cx.pin_table_order) {
    if (listed.count(name)) continue;
    listed.insert(name);
    Filter filter;
    filter.symbol = name;
    filter.source = cx.main_name;
    filter.location =
        file_location(clang_getCursorLocation(cx.pin_tables[name]), cx.main_name, cx.main_path);
    filter.pin_table = name;
    filter.pins = read_pin_table(cx, cx.pin_tables[name]);
    if (filter.pins.empty()) continue;  // not read: the table's warning says why
    filter.port_class = is_port_class_table(clang_getCursorType(cx.pin_tables[name]));
    out.filters.push_back(std::move(filter));
  }
  for (CXCursor t : cx.range_tables) out.range_tables.push_back(read_file_range_table(cx, t));
  for (CXCursor f : cx.functions) report_code_framing(cx, f);
  // A declaring macro whose expansion does not compile declares nothing clang shows.
  for (CXCursor m : cx.declaring_macros) {
    const Location at = cx.walker.where(m);
    if (!cx.read_at.count(key(at)))
      check_errors(cx, m, spelling(m) + " at line " + std::to_string(at.line), "it is not read");
  }
}

void extract_one(CXIndex index, const std::string& file, const Options& options,
                 const std::vector<std::pair<std::string, std::string>>& headers, Extraction& out,
                 SourceFindings& findings) {
  const std::string shown = text::display_name(file);
  auto fail = [&](const std::string& message) {
    out.diagnostics.push_back(make_diagnostic("KSF0030", message, {shown, 0, 0}));
    out.unreadable = true;
  };
  DiskFileReader reader;
  ReadResult read = reader.read(file, options.max_file_bytes);
  if (!read.file) {
    fail("cannot read " + shown + ": " + read.error);
    return;
  }
  std::vector<std::string> args;
  std::string error;
  if (!compiler_arguments(file, options, args, error)) {
    fail(error);
    return;
  }
  CXTranslationUnit tu = nullptr;
  CXErrorCode code;
  const auto parse_start = std::chrono::steady_clock::now();
  {
    Watchdog watchdog(options.timeout_seconds, shown);
    tu = parse_resolving_includes(index, file, read.file->content, args, options, headers, shown,
                                  findings.fixes, code);
  }
  const auto parse_end = std::chrono::steady_clock::now();
  out.parse_seconds += std::chrono::duration<double>(parse_end - parse_start).count();
  if (code != CXError_Success || !tu) {
    fail("clang could not parse " + shown + (code == CXError_Crashed ? " (clang crashed)" : ""));
    return;
  }
  findings.missing = missing_headers(tu, shown, file);
  {
    Watchdog watchdog(options.timeout_seconds, shown);
    Context cx{.tu = tu,
               .main_name = shown,
               .main_path = file,
               .walker = Walker(shown, file),
               .out = &out,
               .errors = compile_errors(tu, shown, file)};
    read_translation_unit(cx, out);
    findings.needed = cx.doubtful;
  }
  out.extract_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - parse_end).count();
  clang_disposeTranslationUnit(tu);
}

// A finding about the machine, not the driver (environment): it never moves a verdict or gate.
Diagnostic environment_finding(const std::string& message, const Location& at,
                               const std::string& hint, Severity severity) {
  Diagnostic d = make_diagnostic("KSF0030", message, at, hint);
  d.severity = severity;
  d.environment = true;
  return d;
}

// What the sources of one run found about the machine, each once: an -I folder that does not
// exist, a header resolved as Windows would, a header missing (a warning where a declaration
// ksframe reads did not compile, a note otherwise).
void report_environment(const std::vector<std::string>& files, const Options& options,
                        const std::vector<SourceFindings>& findings, Extraction& out) {
  const Location command_line{files.empty() ? "" : text::display_name(files.front()), 0, 0};
  std::error_code ec;
  for (const auto& dir : options.include_dirs)
    if (!fs::is_directory(dir, ec))
      out.diagnostics.push_back(environment_finding(
          "the include directory " + text::display_name(dir) + " (-I) does not exist", command_line,
          "check the path the driver's build passes", Severity::Warning));
  if (!options.wdk.empty() && wdk_include_dirs(options.wdk).empty())
    out.diagnostics.push_back(environment_finding(
        "--wdk " + text::display_name(options.wdk) +
            " has no km, shared or um folder (nor a version folder holding them): the stand-in "
            "headers are used",
        command_line,
        "pass the WDK's Include folder, e.g. 'C:/Program Files (x86)/Windows Kits/10/Include'",
        Severity::Warning));
  std::set<std::string> said;
  for (const auto& f : findings)
    for (const auto& fix : f.fixes)
      if (said.insert("fix|" + fix.spelled).second)
        out.diagnostics.push_back(
            environment_finding("'" + fix.spelled + "' is " + text::display_name(fix.actual_path) +
                                    " (read as Windows does: the names differ in case or use '\\')",
                                fix.at, "", Severity::Note));
  for (const auto& f : findings)
    for (const auto& m : f.missing) {
      if (!said.insert("missing|" + m.name).second) continue;
      out.diagnostics.push_back(environment_finding(
          "'" + m.name + "' file not found (declarations from it are unknown" +
              (f.needed ? ")" : "; none of the declarations ksframe reads needed it)"),
          m.at, "pass its directory with -I, --compile-commands, or --wdk DIR for WDK headers",
          f.needed ? Severity::Warning : Severity::Note));
    }
}

}  // namespace
}  // namespace ksframe::cimport::detail

namespace ksframe::cimport {

int child_result_fd = -1;

// The extraction in this process.
Extraction extract_here(const std::vector<std::string>& files, const Options& options) {
  Extraction out;
  out.files = files;
  const auto headers = stand_in_headers();
  CXIndex index = clang_createIndex(/*excludeDeclarationsFromPCH=*/0, /*displayDiagnostics=*/0);
  std::vector<detail::SourceFindings> findings(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& file = files[i];
    try {
      detail::extract_one(index, file, options, headers, out, findings[i]);
    } catch (const std::exception& e) {
      out.diagnostics.push_back(
          make_diagnostic("KSF0030", "cannot read " + text::display_name(file) + ": " + e.what(),
                          {text::display_name(file), 0, 0}));
      out.unreadable = true;
    }
  }
  clang_disposeIndex(index);
  detail::report_environment(files, options, findings, out);
  join_sources(out);
  sort_diagnostics(out.diagnostics);
  return out;
}

std::set<std::string> declared_names(const std::string& source) {
  const auto headers = stand_in_headers();
  std::vector<std::string> names;
  names.reserve(headers.size());
  std::vector<CXUnsavedFile> unsaved;
  for (const auto& [name, text] : headers) {
    names.push_back(std::string(detail::kStandInDir) + "/" + name);
    unsaved.push_back(
        {names.back().c_str(), text.c_str(), static_cast<unsigned long>(text.size())});
  }
  const std::string main = "/ksframe-declared-names.c";
  unsaved.push_back({main.c_str(), source.c_str(), static_cast<unsigned long>(source.size())});
  const char* args[] = {"-target",
                        "x86_64-pc-windows-msvc",
                        "-fms-extensions",
                        "-nostdinc",
                        "-I",
                        detail::kStandInDir,
                        "-x",
                        "c"};
  CXIndex index = clang_createIndex(0, 0);
  CXTranslationUnit tu = nullptr;
  std::set<std::string> out;
  if (clang_parseTranslationUnit2(
          index, main.c_str(), args, 8, unsaved.data(), static_cast<unsigned>(unsaved.size()),
          CXTranslationUnit_DetailedPreprocessingRecord, &tu) == CXError_Success) {
    clang_visitChildren(
        clang_getTranslationUnitCursor(tu),
        [](CXCursor c, CXCursor, CXClientData data) {
          static_cast<std::set<std::string>*>(data)->insert(detail::spelling(c));
          // Enumerators are the children of their enumeration.
          return clang_getCursorKind(c) == CXCursor_EnumDecl ? CXChildVisit_Recurse
                                                             : CXChildVisit_Continue;
        },
        &out);
    clang_disposeTranslationUnit(tu);
  }
  clang_disposeIndex(index);
  return out;
}

Extraction extract(const std::vector<std::string>& files, const Options& options) {
#ifdef KSFRAME_CIMPORT_ISOLATE
  if (options.isolate) return extract_isolated(files, options);
#endif
  return extract_here(files, options);
}

}  // namespace ksframe::cimport
