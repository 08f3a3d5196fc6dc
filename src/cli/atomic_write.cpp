#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/cli.hpp"

namespace ksframe::cli {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  // The temporary file sits next to the target so rename() stays within one file system.
  std::string tmp = path + ".ksframe-XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(name.data());
      return err;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string err = std::strerror(errno);
    ::unlink(name.data());
    return err;
  }
  ::chmod(name.data(), 0644);
  if (::rename(name.data(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    ::unlink(name.data());
    return err;
  }
  return {};
}

bool write_output(Io& io, const std::string& path, const std::string& text) {
  if (path.empty()) {
    io.out << text;
    return true;
  }
  if (std::string err = write_file_atomically(path, text); !err.empty()) {
    io.err << "ksframe: cannot write " << path << ": " << err << "\n";
    return false;
  }
  return true;
}

}  // namespace ksframe::cli
