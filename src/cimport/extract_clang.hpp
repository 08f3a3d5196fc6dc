// What the two halves of the libclang extraction share: the traversal (extract_clang.cpp:
// the translation unit, libclang's cursors and types, the walk that flattens an initializer) and
// the reading of the KS structures from it (extract_ks.cpp).
#pragma once

#include <clang-c/Index.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ksframe/cimport.hpp"

namespace ksframe::cimport::detail {

// Bounds on what a hostile initializer can make the walker do: the nesting it follows (also
// the bound of extract_ks.cpp's walk through a member expression).
inline constexpr int kMaxDepth = 24;

// extract_clang.cpp: libclang's strings, cursors and types; the walk of an initializer
// (Walker); clang's errors inside a declaration (check_errors).
std::string str(CXString s);
std::string spelling(CXCursor c);
std::vector<CXCursor> children(CXCursor c);

struct Field {
  std::string name;  ///< "" for an anonymous struct or union member
  CXType type;
};

std::vector<Field> fields_of(CXType t);
std::string signature(CXType t);
bool is_array(CXType t);
Location file_location(CXSourceLocation loc, const std::string& main_name,
                       const std::string& main_path);

struct Leaf {
  bool is_int = false;
  std::uint64_t value = 0;
  bool is_pointer = false;
  CXCursor target = clang_getNullCursor();  ///< the variable or function a pointer names
  long long element = -1;  ///< `&Table[i]`: the element i of the array `target` names
  Location at;
};
using Flat = std::map<std::string, Leaf>;

// Reads a variable's initializer into a Flat; `where` locates a cursor in the driver's source.
class Walker {
 public:
  Walker(const std::string& main_name, const std::string& main_path)
      : main_name_(main_name), main_path_(main_path) {}

  Location where(CXCursor c) const {
    return file_location(clang_getRangeStart(clang_getCursorExtent(c)), main_name_, main_path_);
  }

  Flat read(CXCursor var);
  /// Whether the last read() stopped at a bound (kMaxLeaves, kMaxElements) before the end.
  bool truncated() const { return truncated_; }

 private:
  struct Stream {
    const std::vector<CXCursor>& items;
    std::size_t next;
    bool done() const { return next >= items.size(); }
  };

  static std::string join(const std::string& path, const std::string& name);
  bool designated(CXCursor c, CXTranslationUnit tu) const;
  void leaf(CXCursor c, CXType t, const std::string& path, Flat& out);
  void init_object(CXType t, const std::string& path, Stream& s, Flat& out, int depth);
  void fill(CXType t, const std::string& path, Stream& s, Flat& out, int depth,
            CXTranslationUnit tu);

  std::string main_name_, main_path_;
  std::size_t leaves_ = 0;
  bool truncated_ = false;
};

// A clang error, kept to be shown only when it lies inside a declaration ksframe reads.
struct ClangError {
  std::string file;
  unsigned offset;
  Location at;
  std::string message;
};

struct Context {
  CXTranslationUnit tu;
  std::string main_name{}, main_path{};
  Walker walker;
  std::set<std::string>
      simple_framing_at{};  ///< "file:line:column" of DECLARE_SIMPLE_FRAMING_EX uses
  Extraction* out;
  std::map<std::string, CXCursor> pin_tables{};  ///< by name, in source order of discovery
  std::vector<std::string> pin_table_order{};
  std::vector<CXCursor> filters{};
  std::vector<CXCursor> range_tables{};  ///< file-scope PKSDATARANGE tables
  std::vector<CXCursor> functions{};
  std::vector<ClangError> errors{};
  std::set<std::string> warned{};  ///< errors already reported
  std::vector<CXCursor>
      declaring_macros{};  ///< uses of DECLARE_SIMPLE_FRAMING_EX, DEFINE_KSFILTER_DESCRIPTOR
  std::set<std::string> read_at{};  ///< where each declaration read starts
  bool doubtful = false;            ///< check_errors reported a declaration that does not compile
};

bool check_errors(Context& cx, CXCursor var, const std::string& subject,
                  const std::string& consequence, const CXCursor* until = nullptr,
                  bool to_end = false);
void check_errors(Context& cx, CXCursor var);
std::string key(const Location& l);
bool in_stand_in(CXCursor c);

// extract_ks.cpp: the declarations of a translation unit, read as KS structures.
void visit_declarations(Context& cx, CXCursor parent, int depth);
std::vector<Pin> read_pin_table(Context& cx, CXCursor table);
void read_filter(Context& cx, CXCursor var);
void orient_routes(std::vector<Route>& routes, const std::vector<Pin>& pins);
RangeTable read_file_range_table(Context& cx, CXCursor table);
bool is_port_class_table(CXType t);
void report_code_framing(Context& cx, CXCursor function);

}  // namespace ksframe::cimport::detail
