// Writing `-o FILE` and other output files. How a file is replaced, written in place or
// refused is the platform's business (platform::write_file, platform::replace_file).
#include "cli/cli.hpp"
#include "platform/platform.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  return platform::replace_file(path, text);
}

bool write_output(Io& io, const std::string& path, const std::string& text) {
  if (path.empty()) {
    io.out << text;
    return true;
  }
  if (std::string err = platform::write_file(path, text); !err.empty()) {
    io.err << "ksframe: cannot write " << text::display_name(path) << ": " << err << "\n";
    return false;
  }
  return true;
}

}  // namespace ksframe::cli
