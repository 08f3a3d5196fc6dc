// Reading spec files sits behind an interface so tests run on in-memory files.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace ksframe {

/// The bytes of one spec and the name diagnostics use for it ("-" reads standard input and is
/// called "<stdin>").
struct SourceFile {
  std::string name;
  std::string content;
};

/// Default upper bound on a spec's size: far above any real driver's spec (a 1000-pin graph is
/// about 300 KiB), low enough that a hostile file cannot exhaust memory.
inline constexpr std::size_t kDefaultMaxFileBytes = 16u << 20;

struct ReadResult {
  std::optional<SourceFile> file;
  std::string error;  ///< why it could not be read (the file is absent, a directory, ...)
  bool too_large =
      false;  ///< the input is larger than the limit; `error` says so and `file` is empty
};

class FileReader {
 public:
  virtual ~FileReader() = default;
  virtual ReadResult read(const std::string& path, std::size_t max_bytes) = 0;
};

/// The real file system; "-" is standard input.
class DiskFileReader : public FileReader {
 public:
  ReadResult read(const std::string& path, std::size_t max_bytes) override;
};

/// Files held in memory, for tests.
class MemoryFileReader : public FileReader {
 public:
  void add(std::string path, std::string content) { files_[std::move(path)] = std::move(content); }
  ReadResult read(const std::string& path, std::size_t max_bytes) override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace ksframe
