// Where the headers of a driver are, as the Windows build finds them: the WDK's include folders
// (--wdk), and an #include resolved as Windows resolves it (case-insensitively, `\` as a
// separator). Every folder ksframe hands to clang for a source passes through here, so a check
// of the folders a run may read is added in one place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ksframe/diagnostics.hpp"

namespace ksframe::cimport::detail {

/// The km, shared and um folders of a WDK: DIR/km... or those of DIR's highest version folder
/// (DIR the kit's Include folder). Empty when DIR holds no kit.
std::vector<std::string> wdk_include_dirs(const std::string& wdk);

/// An #include clang did not find that Windows would: the file, and the name clang looks for.
struct IncludeFix {
  std::string spelled_path;  ///< the path clang looks for (folder + name as the source spells it)
  std::string actual_path;   ///< the file Windows would open
  std::string spelled;       ///< the name in the #include
  Location at;               ///< the #include
};

/// Where `spelled` (included from the file `includer`) is on a Windows machine: the includer's
/// folder, then each of `include_dirs`; nullopt when it is nowhere.
std::optional<IncludeFix> resolve_include(const std::string& spelled, const std::string& includer,
                                          const std::vector<std::string>& include_dirs);

/// The name in clang's "'NAME' file not found", "" for another message.
std::string missing_header_name(const std::string& message);

}  // namespace ksframe::cimport::detail
