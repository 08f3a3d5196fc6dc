// Thin main: everything, including argument parsing, lives in the library so tests can run the
// CLI in-process (cli::run).
#include "cli/cli.hpp"

int main(int argc, char** argv) { return ksframe::cli::run(argc, argv); }
