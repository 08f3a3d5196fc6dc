// Writing `-o FILE` and other output files. How a file is replaced, written in place or
// refused is the platform's business (platform::write_file, platform::replace_file).
#include "cli/cli.hpp"
#include "platform/platform.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  return platform::replace_file(path, text);
}

bool write_output(Io& io, const std::string& path, const std::string& text) {
  if (path.empty()) {
    io.out << text;
    io.out.flush();
    if (io.out) return true;
    io.err << "ksframe: cannot write standard output\n";
    return false;
  }
  // An output path in the tree that a planted symlink leads out of would overwrite a file the
  // pull request does not own (util/confine.hpp); one outside the tree is the user's own.
  if (std::string why = confine::check_user_path(path); !why.empty()) {
    io.err << "ksframe: cannot write " << text::display_name(path) << ": " << why << "\n";
    return false;
  }
  if (std::string err = platform::write_file(path, text); !err.empty()) {
    io.err << "ksframe: cannot write " << text::display_name(path) << ": " << err << "\n";
    return false;
  }
  return true;
}

}  // namespace ksframe::cli
