#include "ksframe/source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "platform/platform.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

// No file comes back: a caller that forgot to look at too_large must not see an empty input.
ReadResult too_large(std::size_t max_bytes) {
  ReadResult r;
  r.too_large = true;
  r.error = "file is larger than the limit of " + std::to_string(max_bytes) + " bytes";
  return r;
}

// Reads at most max_bytes + 1 bytes so an endless stream (a FIFO, /dev/zero) cannot hang or
// exhaust memory: one byte past the limit is enough to know the input is too large.
ReadResult read_stream(std::istream& in, const std::string& name, std::size_t max_bytes) {
  std::string content;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    content.append(buf, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) return too_large(max_bytes);
  }
  if (in.bad()) return ReadResult{std::nullopt, "read error", false};
  return ReadResult{SourceFile{name, std::move(content)}, {}, false};
}

}  // namespace

ReadResult DiskFileReader::read(const std::string& path, std::size_t max_bytes) {
  if (path == "-") return read_stream(std::cin, "<stdin>", max_bytes);
  // Before anything is opened: a stream could block the read forever, and a file the tree
  // links to from outside is not the tree's to show (util/confine.hpp).
  if (std::string why = confine::check_regular_file(path); !why.empty())
    return ReadResult{std::nullopt, std::move(why), false};
  if (std::string why = confine::check_user_path(path); !why.empty())
    return ReadResult{std::nullopt, std::move(why), false};
  const platform::FileStatus st = platform::file_status(path);
  if (!st.error.empty()) return ReadResult{std::nullopt, st.error, false};
  if (st.kind == platform::FileKind::directory)
    return ReadResult{std::nullopt, "is a directory", false};
  if (st.kind == platform::FileKind::regular && st.size > max_bytes) return too_large(max_bytes);
  std::ifstream in(platform::native_path(path), std::ios::binary);
  if (!in) return ReadResult{std::nullopt, std::strerror(errno), false};
  return read_stream(in, text::display_name(path), max_bytes);  // the name outputs show
}

ReadResult MemoryFileReader::read(const std::string& path, std::size_t max_bytes) {
  auto it = files_.find(path);
  if (it == files_.end()) return ReadResult{std::nullopt, "No such file or directory", false};
  if (it->second.size() > max_bytes) return too_large(max_bytes);
  return ReadResult{SourceFile{path, it->second}, {}, false};
}

}  // namespace ksframe
