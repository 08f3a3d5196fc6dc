// libclang, loaded at the first C source instead of at start-up.
//
// Why: linking libclang makes every run load libLLVM and libclang (about 140 MB of shared
// objects, 20 ms and 55 MB of start-up) although only reading C sources needs them, and makes
// the Debian package depend on them. The C API is built for loading at run time: it is a flat set
// of extern "C" functions with a stable ABI across LLVM versions. So this file defines each
// clang_* function the extractor calls, with the header's own signature (a mismatch is a compile
// error: the header declares them extern "C"), as a call through a pointer that dlsym gives.
// The extractor's code is unchanged; the binary has no DT_NEEDED on libclang.
//
// Which library: $KSFRAME_LIBCLANG (a path or a soname) when set, else the LLVM version the
// build's headers came from, then newer and older versions as Debian and Ubuntu name them.
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "ksframe/cimport.hpp"

#ifndef KSFRAME_LIBCLANG_MAJOR
#define KSFRAME_LIBCLANG_MAJOR 14
#endif

// Every function the extractor calls: return type, name, parameters, arguments. A function the
// extractor starts to call and this list lacks is an undefined reference at link time.
#define KSFRAME_LIBCLANG_FUNCTIONS(X)                                                              \
  X(void, clang_CompilationDatabase_dispose, (CXCompilationDatabase d), (d))                       \
  X(CXCompilationDatabase, clang_CompilationDatabase_fromDirectory,                                \
    (const char* dir, CXCompilationDatabase_Error* error), (dir, error))                           \
  X(CXCompileCommands, clang_CompilationDatabase_getCompileCommands,                               \
    (CXCompilationDatabase d, const char* file), (d, file))                                        \
  X(CXString, clang_CompileCommand_getArg, (CXCompileCommand c, unsigned i), (c, i))               \
  X(CXString, clang_CompileCommand_getDirectory, (CXCompileCommand c), (c))                        \
  X(unsigned, clang_CompileCommand_getNumArgs, (CXCompileCommand c), (c))                          \
  X(void, clang_CompileCommands_dispose, (CXCompileCommands c), (c))                               \
  X(CXCompileCommand, clang_CompileCommands_getCommand, (CXCompileCommands c, unsigned i), (c, i)) \
  X(unsigned, clang_CompileCommands_getSize, (CXCompileCommands c), (c))                           \
  X(CXEvalResult, clang_Cursor_Evaluate, (CXCursor c), (c))                                        \
  X(CXTranslationUnit, clang_Cursor_getTranslationUnit, (CXCursor c), (c))                         \
  X(unsigned, clang_Cursor_isAnonymousRecordDecl, (CXCursor c), (c))                               \
  X(int, clang_Cursor_isNull, (CXCursor c), (c))                                                   \
  X(void, clang_EvalResult_dispose, (CXEvalResult e), (e))                                         \
  X(long long, clang_EvalResult_getAsLongLong, (CXEvalResult e), (e))                              \
  X(unsigned long long, clang_EvalResult_getAsUnsigned, (CXEvalResult e), (e))                     \
  X(CXEvalResultKind, clang_EvalResult_getKind, (CXEvalResult e), (e))                             \
  X(unsigned, clang_EvalResult_isUnsignedInt, (CXEvalResult e), (e))                               \
  X(int, clang_File_isEqual, (CXFile a, CXFile b), (a, b))                                         \
  X(unsigned, clang_Type_visitFields, (CXType t, CXFieldVisitor v, CXClientData d), (t, v, d))     \
  X(CXIndex, clang_createIndex, (int exclude_pch, int display_diagnostics),                        \
    (exclude_pch, display_diagnostics))                                                            \
  X(void, clang_disposeDiagnostic, (CXDiagnostic d), (d))                                          \
  X(void, clang_disposeIndex, (CXIndex i), (i))                                                    \
  X(void, clang_disposeString, (CXString s), (s))                                                  \
  X(void, clang_disposeTokens, (CXTranslationUnit tu, CXToken * tokens, unsigned n),               \
    (tu, tokens, n))                                                                               \
  X(void, clang_disposeTranslationUnit, (CXTranslationUnit tu), (tu))                              \
  X(unsigned, clang_equalTypes, (CXType a, CXType b), (a, b))                                      \
  X(CXType, clang_getArrayElementType, (CXType t), (t))                                            \
  X(long long, clang_getArraySize, (CXType t), (t))                                                \
  X(const char*, clang_getCString, (CXString s), (s))                                              \
  X(CXType, clang_getCanonicalType, (CXType t), (t))                                               \
  X(CXCursor, clang_getCursorDefinition, (CXCursor c), (c))                                        \
  X(CXSourceRange, clang_getCursorExtent, (CXCursor c), (c))                                       \
  X(enum CXCursorKind, clang_getCursorKind, (CXCursor c), (c))                                     \
  X(CXSourceLocation, clang_getCursorLocation, (CXCursor c), (c))                                  \
  X(CXCursor, clang_getCursorReferenced, (CXCursor c), (c))                                        \
  X(CXCursor, clang_getCursorSemanticParent, (CXCursor c), (c))                                    \
  X(CXString, clang_getCursorSpelling, (CXCursor c), (c))                                          \
  X(CXType, clang_getCursorType, (CXCursor c), (c))                                                \
  X(CXDiagnostic, clang_getDiagnostic, (CXTranslationUnit tu, unsigned i), (tu, i))                \
  X(CXSourceLocation, clang_getDiagnosticLocation, (CXDiagnostic d), (d))                          \
  X(enum CXDiagnosticSeverity, clang_getDiagnosticSeverity, (CXDiagnostic d), (d))                 \
  X(CXString, clang_getDiagnosticSpelling, (CXDiagnostic d), (d))                                  \
  X(void, clang_getExpansionLocation,                                                              \
    (CXSourceLocation l, CXFile * f, unsigned* line, unsigned* column, unsigned* offset),          \
    (l, f, line, column, offset))                                                                  \
  X(void, clang_getFileLocation,                                                                   \
    (CXSourceLocation l, CXFile * f, unsigned* line, unsigned* column, unsigned* offset),          \
    (l, f, line, column, offset))                                                                  \
  X(CXString, clang_getClangVersion, (void), ())                                                   \
  X(CXString, clang_getFileName, (CXFile f), (f))                                                  \
  X(CXType, clang_getPointeeType, (CXType t), (t))                                                 \
  X(unsigned, clang_isInvalidDeclaration, (CXCursor c), (c))                                       \
  X(CXCursor, clang_getNullCursor, (void), ())                                                     \
  X(unsigned, clang_getNumDiagnostics, (CXTranslationUnit tu), (tu))                               \
  X(CXSourceRange, clang_getRange, (CXSourceLocation a, CXSourceLocation b), (a, b))               \
  X(CXSourceLocation, clang_getRangeEnd, (CXSourceRange r), (r))                                   \
  X(CXSourceLocation, clang_getRangeStart, (CXSourceRange r), (r))                                 \
  X(CXTokenKind, clang_getTokenKind, (CXToken t), (t))                                             \
  X(CXSourceLocation, clang_getTokenLocation, (CXTranslationUnit tu, CXToken t), (tu, t))          \
  X(CXString, clang_getTokenSpelling, (CXTranslationUnit tu, CXToken t), (tu, t))                  \
  X(CXCursor, clang_getTranslationUnitCursor, (CXTranslationUnit tu), (tu))                        \
  X(CXCursor, clang_getTypeDeclaration, (CXType t), (t))                                           \
  X(CXString, clang_getTypeSpelling, (CXType t), (t))                                              \
  X(unsigned, clang_isCursorDefinition, (CXCursor c), (c))                                         \
  X(unsigned, clang_isExpression, (enum CXCursorKind k), (k))                                      \
  X(enum CXErrorCode, clang_parseTranslationUnit2,                                                 \
    (CXIndex index, const char* file, const char* const* args, int num_args,                       \
     struct CXUnsavedFile* unsaved, unsigned num_unsaved, unsigned options,                        \
     CXTranslationUnit* unit),                                                                     \
    (index, file, args, num_args, unsaved, num_unsaved, options, unit))                            \
  X(void, clang_tokenize, (CXTranslationUnit tu, CXSourceRange r, CXToken * *tokens, unsigned* n), \
    (tu, r, tokens, n))                                                                            \
  X(unsigned, clang_visitChildren, (CXCursor parent, CXCursorVisitor v, CXClientData d),           \
    (parent, v, d))

namespace {

// One pointer per function, filled together when the library loads: after a successful load
// every pointer is set, so a forwarder never meets a missing symbol.
struct Table {
#define KSFRAME_POINTER(ret, name, params, args) decltype(&::name) name = nullptr;
  KSFRAME_LIBCLANG_FUNCTIONS(KSFRAME_POINTER)
#undef KSFRAME_POINTER
};

struct Loaded {
  Table table;
  bool ok = false;
  std::string why;  ///< why not, when !ok
};

// The library named by $KSFRAME_LIBCLANG, alone when set: a user who names one means that one.
const char* chosen_library() {
  const char* chosen = std::getenv("KSFRAME_LIBCLANG");
  return chosen && *chosen ? chosen : nullptr;
}

std::vector<std::string> candidates() {
  if (const char* chosen = chosen_library()) return {chosen};
  // The version the build's headers came from first; then newer ones (Ubuntu's current LLVM),
  // then older ones. Debian and Ubuntu name the library libclang-N.so.1 on the loader's path
  // and libclang.so.1 under /usr/lib/llvm-N/lib.
  std::vector<int> versions{KSFRAME_LIBCLANG_MAJOR};
  for (int v = 21; v >= 11; --v)
    if (v != KSFRAME_LIBCLANG_MAJOR) versions.push_back(v);
  std::vector<std::string> names;
  for (int v : versions) {
    names.push_back("libclang-" + std::to_string(v) + ".so.1");
    names.push_back("/usr/lib/llvm-" + std::to_string(v) + "/lib/libclang.so.1");
  }
  names.push_back("libclang.so.1");
  return names;
}

Loaded load() {
  Loaded out;
  void* library = nullptr;
  for (const auto& name : candidates()) {
    library = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library) break;
  }
  if (!library) {
    if (const char* chosen = chosen_library()) {
      const char* why = ::dlerror();
      out.why = std::string("KSFRAME_LIBCLANG names a library that cannot be loaded: ") +
                (why ? why : chosen);
    } else {
      out.why =
          "this machine has no libclang, which ksframe loads to read C sources (on Debian "
          "12: apt-get install libclang1-14; or set KSFRAME_LIBCLANG to the library's path)";
    }
    return out;
  }
#define KSFRAME_RESOLVE(ret, name, params, args)                                                \
  out.table.name = reinterpret_cast<decltype(&::name)>(::dlsym(library, #name));                \
  if (!out.table.name) {                                                                        \
    out.why = "the libclang this machine has lacks " #name " (ksframe needs LLVM 11 or newer)"; \
    ::dlclose(library);                                                                         \
    return out;                                                                                 \
  }
  KSFRAME_LIBCLANG_FUNCTIONS(KSFRAME_RESOLVE)
#undef KSFRAME_RESOLVE
  out.ok = true;
  return out;
}

// Loaded once per process, on first use. A forked child inherits the parent's load.
const Loaded& loaded() {
  static const Loaded once = load();
  return once;
}

[[noreturn]] void missing() {
  // Only reached if a caller skipped available(): every path into the extractor checks it.
  std::fputs("ksframe: libclang is not loaded\n", stderr);
  std::abort();
}

}  // namespace

namespace ksframe::cimport {

bool available() { return loaded().ok; }

std::string unavailable_message() { return loaded().why; }

}  // namespace ksframe::cimport

#define KSFRAME_FORWARD(ret, name, params, args) \
  extern "C" ret name params {                   \
    const auto& ksframe_libclang = loaded();     \
    if (!ksframe_libclang.ok) missing();         \
    return ksframe_libclang.table.name args;     \
  }
KSFRAME_LIBCLANG_FUNCTIONS(KSFRAME_FORWARD)
#undef KSFRAME_FORWARD
