// The extractor of a build without libclang (the Windows cross build): every request to read
// C sources is refused with one located error, and the CLI exits 2.
#include "ksframe/cimport.hpp"
#include "ksframe/rules.hpp"
#include "util/text.hpp"

namespace ksframe::cimport {

bool available() { return false; }

std::string unavailable_message() { return kUnavailableMessage; }

Extraction extract(const std::vector<std::string>& files, const Options&) {
  Extraction out;
  out.files = files;
  out.unreadable = true;
  out.diagnostics.push_back(
      make_diagnostic("KSF0030", kUnavailableMessage,
                      {files.empty() ? std::string() : text::display_name(files.front()), 0, 0}));
  return out;
}

}  // namespace ksframe::cimport
