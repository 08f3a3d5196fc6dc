// The platform seam on POSIX systems (Linux, the BSDs, macOS).
#ifndef _WIN32

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "platform/platform.hpp"

namespace ksframe::platform {

void prepare_standard_streams() {}

std::vector<std::string> arguments(int argc, char** argv) { return {argv, argv + argc}; }

std::filesystem::path native_path(const std::string& utf8) { return std::filesystem::path(utf8); }

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

void* aligned_allocate(std::size_t alignment, std::size_t size) {
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
}

void aligned_free(void* memory) { std::free(memory); }

FileStatus file_status(const std::string& path, bool follow_links) {
  struct stat st {};
  const int rc = follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  FileStatus s;
  if (rc != 0) {
    s.error = std::strerror(errno);
    return s;
  }
  s.kind = S_ISREG(st.st_mode)   ? FileKind::regular
           : S_ISDIR(st.st_mode) ? FileKind::directory
           : S_ISLNK(st.st_mode) ? FileKind::symlink
                                 : FileKind::other;
  s.size = static_cast<unsigned long long>(st.st_size);
  return s;
}

std::string replace_file(const std::string& path, const std::string& text, void (*temp_created)(const std::string&)) {
  // The temporary file sits next to the target so rename() stays within one file system.
  std::string tmp = path + ".ksframe-XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return std::strerror(errno);
  if (temp_created) temp_created(name.data());
  const auto fail = [&](int saved) {
    ::unlink(name.data());
    return std::string(std::strerror(saved));
  };
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      return fail(saved);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    return fail(saved);
  }
  if (::close(fd) != 0) return fail(errno);
  ::chmod(name.data(), 0644);
  if (::rename(name.data(), path.c_str()) != 0) return fail(errno);
  return {};
}

bool remove_file(const std::string& path) { return ::unlink(path.c_str()) == 0; }

}  // namespace ksframe::platform

#endif  // !_WIN32
