// The progress bar: redrawn in place with a carriage return, erased when the command ends so the
// output that follows starts on a clean line.
#include "cli/progress.hpp"

#include <algorithm>
#include <ostream>
#include <string>

namespace ksframe::cli {

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const int width = 40,
            filled = total ? static_cast<int>(width * std::min(done, total) / total) : width;
  io_.err << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done
          << "/" << total << std::flush;
  drawn_ = true;
}

ProgressBar::~ProgressBar() {
  if (drawn_) io_.err << "\r" << std::string(70, ' ') << "\r" << std::flush;
}

}  // namespace ksframe::cli
