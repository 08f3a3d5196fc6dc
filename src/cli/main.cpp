// Thin main: everything, including argument parsing, lives in the library so tests can run the
// CLI in-process (cli::run).
#include "cli/cli.hpp"
#include "platform/platform.hpp"

int main(int argc, char** argv) {
  ksframe::platform::prepare_standard_streams();
  return ksframe::cli::run(argc, argv);
}
