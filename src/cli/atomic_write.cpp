#include "cli/cli.hpp"
#include "platform/platform.hpp"

namespace ksframe::cli {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  return platform::replace_file(path, text);
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
