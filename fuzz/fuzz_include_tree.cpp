// Fuzz target: include resolution against a tree the fuzzer builds. The bytes are a list of
// operations that lay out DIR/repo (the tree, --root) beside DIR/outside, which holds a secret:
// folders, specs whose `include:` names other entries (relative, with `..`, absolute), symlinks
// to anything (entries, folders, `..`, the secret, /proc/self/environ, /dev/stdin) and FIFOs.
// Then repo/main.yaml is loaded, confined to the tree. The oracle is independent of
// util/confine.cpp: every file the load says it included must, by realpath(3), lie in the tree,
// and the secret's text must appear in no diagnostic. A FIFO opened by mistake hangs, which
// libFuzzer reports as a timeout.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ksframe/spec.hpp"
#include "util/confine.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kSecret = "ghs_FUZZ_CANARY_7f3a";
// Entry names: the fuzzer picks by index, so every operation names something real.
constexpr const char* kNames[] = {"main.yaml", "a.yaml",     "b.yaml", "d",        "d/c.yaml",
                                  "d/e",       "d/e/f.yaml", "l.yaml", "d/l.yaml", "x"};
constexpr const char* kTargets[] = {"a.yaml",
                                    "../a.yaml",
                                    "..",
                                    "../..",
                                    "../../outside/secret.yaml",
                                    "d",
                                    "d/e",
                                    ".",
                                    "/proc/self/environ",
                                    "/dev/stdin",
                                    "../outside",
                                    "d/../../outside/secret.yaml"};

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("ksframe-fuzz-tree-" + std::to_string(::getpid()));
  fs::path repo = dir / "repo", outside = dir / "outside";
  Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(repo, ec);
    fs::create_directories(outside, ec);
    // A spec that would load: its filter's name is the secret, so a read shows in the result.
    std::ofstream(outside / "secret.yaml") << "ksframe: 1\nfilters:\n  - name: " << kSecret
                                           << "\n    pins:\n      - {name: p, dataflow: out}\n";
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::string pick_include(std::uint8_t b, const Scratch& s) {
  const std::size_t n = sizeof kTargets / sizeof *kTargets;
  if (b % 16 == 15) return (s.outside / "secret.yaml").string();
  return kTargets[b % n];
}

void apply(const std::uint8_t* data, std::size_t size, const Scratch& s) {
  std::error_code ec;
  const std::size_t names = sizeof kNames / sizeof *kNames;
  for (std::size_t i = 0; i + 2 < size && i < 96; i += 3) {
    const fs::path at = s.repo / kNames[data[i + 1] % names];
    fs::create_directories(at.parent_path(), ec);
    switch (data[i] % 4) {
      case 0:
        fs::create_directories(at, ec);
        break;
      case 1: {
        // Only a regular file (or nothing) is written: opening a FIFO the input made, or a link
        // to one, would block this harness, not ksframe.
        const auto type = fs::status(at, ec).type();
        if (type != fs::file_type::regular && type != fs::file_type::not_found) break;
        std::ofstream out(at);
        out << "ksframe: 1\nname: n\ninclude: [" << pick_include(data[i + 2], s) << ", "
            << pick_include(static_cast<std::uint8_t>(data[i + 2] >> 4), s) << "]\n";
        break;
      }
      case 2:
        fs::create_symlink(pick_include(data[i + 2], s), at, ec);
        break;
      default:
        (void)::mkfifo(at.c_str(), 0600);
    }
  }
}

bool inside(const fs::path& file, const fs::path& root) {
  char* real = ::realpath(file.c_str(), nullptr);
  if (!real) return false;
  const std::string r = real;
  ::free(real);
  const std::string base = root.string() + "/";
  return r.compare(0, base.size(), base) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Scratch s;
  apply(data, size, s);
  std::string error;
  const ksframe::confine::ScopedTree tree(
      ksframe::confine::make_tree(s.repo.string(), "", {}, error));
  ksframe::DiskFileReader disk;
  const ksframe::LoadResult r =
      ksframe::load_spec_file(disk, (s.repo / "main.yaml").string(), ksframe::LoadOptions{});
  const fs::path root = fs::weakly_canonical(s.repo);
  if (r.spec) {
    for (const auto& f : r.spec->included)
      if (!inside(fs::absolute(f), root)) __builtin_trap();  // read a file outside the tree
    for (const auto& f : r.spec->filters)
      if (f.name.value.find(kSecret) != std::string::npos) __builtin_trap();
  }
  for (const auto& d : r.diagnostics)
    if (d.message.find(kSecret) != std::string::npos) __builtin_trap();
  return 0;
}
