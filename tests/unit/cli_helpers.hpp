// Runs the command line in-process, as main() would, with string streams for its output.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace test {

struct CliRun {
  int code;
  std::string out, err;
};

/// `ksframe ARGS...`: the exit code and what went to standard output and standard error.
inline CliRun run(std::vector<std::string> args, bool err_is_terminal = false) {
  args.insert(args.begin(), "ksframe");
  std::ostringstream out, err;
  ksframe::cli::Io io{.out = out, .err = err, .err_is_terminal = err_is_terminal};
  const int code = ksframe::cli::run(args, io);
  return {code, out.str(), err.str()};
}

}  // namespace test
