// Headers as the driver's Windows build finds them: see includes.hpp.
#include "cimport/includes.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace ksframe::cimport::detail {
namespace {

namespace fs = std::filesystem;

// `relative` under `dir`, each component matched exactly or else case-insensitively; "" when
// there is none.
std::string find_case_variant(const fs::path& dir, const std::string& relative) {
  std::string rel = relative;
  std::replace(rel.begin(), rel.end(), '\\', '/');
  fs::path at = dir;
  std::error_code ec;
  for (const auto& part : fs::path(rel)) {
    const std::string want = part.string();
    if (want.empty() || want == ".") continue;
    if (want == ".." || fs::exists(at / want, ec)) {
      at /= want;
      continue;
    }
    std::string found;
    for (const auto& entry : fs::directory_iterator(at, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.size() == want.size() &&
          std::equal(name.begin(), name.end(), want.begin(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) ==
                   std::tolower(static_cast<unsigned char>(y));
          })) {
        found = name;
        break;
      }
    }
    if (found.empty()) return "";
    at /= found;
  }
  return fs::is_regular_file(at, ec) ? at.lexically_normal().string() : "";
}

}  // namespace

// The WDK's include folders, most specific first: DIR/km, DIR/shared, DIR/um, or (DIR the
// Include folder of a kit) those of its highest version folder.
std::vector<std::string> wdk_include_dirs(const std::string& wdk) {
  std::vector<std::string> out;
  if (wdk.empty()) return out;
  std::error_code ec;
  fs::path root(wdk);
  if (!fs::is_directory(root / "km", ec)) {
    std::vector<fs::path> versions;
    for (const auto& entry : fs::directory_iterator(root, ec))
      if (fs::is_directory(entry.path() / "km", ec)) versions.push_back(entry.path());
    std::sort(versions.begin(), versions.end());
    if (versions.empty()) return out;
    root = versions.back();
  }
  for (const char* part : {"km", "shared", "um"})
    if (fs::is_directory(root / part, ec)) out.push_back((root / part).string());
  return out;
}

// Includes as Windows resolves them. A driver written on Windows includes "BDACap.h" for
// bdacap.h and "..\inc\common.h" with backslashes; both name a file there. When clang reports a
// header missing, resolve_include looks for it as Windows would (case-insensitively, `\` as a
// separator) in the including file's folder and the -I folders, and the file found is handed to
// clang under the name the source spells. Every folder passes through this one function.

// Where `spelled` (included from `includer`) is on a Windows machine, or nullopt.
std::optional<IncludeFix> resolve_include(const std::string& spelled, const std::string& includer,
                                          const std::vector<std::string>& include_dirs) {
  std::vector<fs::path> dirs;
  if (!includer.empty()) dirs.push_back(fs::path(includer).parent_path());
  for (const auto& d : include_dirs) dirs.emplace_back(d);
  for (const auto& dir : dirs) {
    const std::string actual = find_case_variant(dir.empty() ? "." : dir, spelled);
    if (actual.empty()) continue;
    IncludeFix fix;
    // clang in Microsoft mode reads `\` in an #include as `/`: the name it looks for.
    std::string slashed = spelled;
    std::replace(slashed.begin(), slashed.end(), '\\', '/');
    fix.spelled_path = ((dir.empty() ? fs::path(".") : dir) / slashed).lexically_normal().string();
    fix.actual_path = actual;
    fix.spelled = spelled;
    return fix;
  }
  return std::nullopt;
}

// The name in clang's "'NAME' file not found".
std::string missing_header_name(const std::string& message) {
  const auto end = message.rfind("' file not found");
  if (message.empty() || message[0] != '\'' || end == std::string::npos || end < 1) return "";
  return message.substr(1, end - 1);
}

}  // namespace ksframe::cimport::detail
