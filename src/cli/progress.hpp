// The progress bar of the commands that run long loads (run, simulate, explore).
#pragma once

#include <cstdint>

#include "cli/cli.hpp"

namespace ksframe::cli {

/// A progress bar on standard error, drawn only when it is a terminal: a log or a pipe gets no
/// carriage returns.
class ProgressBar {
 public:
  ProgressBar(Io& io, bool enabled) : io_(io), enabled_(enabled && io.err_is_terminal) {}
  ~ProgressBar();
  bool enabled() const { return enabled_; }
  void update(std::uint64_t done, std::uint64_t total);

 private:
  Io& io_;
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace ksframe::cli
