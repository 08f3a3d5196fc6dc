// The platform seam (src/platform): the same behaviour from the POSIX and the Windows
// implementation. The Windows build runs this file under wine.
#include "platform/platform.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace ksframe;

namespace {
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("ksframe-platform-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_SUITE("platform") {
  TEST_CASE("file_status: regular files with their size, directories, missing paths") {
    const fs::path dir = scratch("status");
    std::ofstream(dir / "a.yaml", std::ios::binary) << "12345";
    const auto file = platform::file_status((dir / "a.yaml").string());
    CHECK(file.kind == platform::FileKind::regular);
    CHECK(file.size == 5);
    CHECK(file.error.empty());
    CHECK(platform::file_status(dir.string()).kind == platform::FileKind::directory);
    const auto missing = platform::file_status((dir / "nope.yaml").string());
    CHECK(missing.kind == platform::FileKind::missing);
    CHECK(missing.error == "No such file or directory");
    fs::remove_all(dir);
  }

#ifndef _WIN32  // creating a symbolic link needs a privilege on Windows
  TEST_CASE("file_status follows a symbolic link only when asked to") {
    const fs::path dir = scratch("link");
    std::ofstream(dir / "target.yaml") << "x";
    fs::create_symlink(dir / "target.yaml", dir / "link.yaml");
    CHECK(platform::file_status((dir / "link.yaml").string()).kind == platform::FileKind::regular);
    CHECK(platform::file_status((dir / "link.yaml").string(), false).kind ==
          platform::FileKind::symlink);
    fs::remove_all(dir);
  }
#endif

  TEST_CASE(
      "replace_file writes a new file, replaces an old one whole, and leaves no temporary file") {
    const fs::path dir = scratch("replace");
    const std::string target = (dir / "out.json").string();
    CHECK(platform::replace_file(target, "first") == "");
    CHECK(slurp(target) == "first");
    const std::string big(3 << 20, 'x');
    CHECK(platform::replace_file(target, big) == "");
    CHECK(slurp(target) == big);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);
    // A directory that does not exist: an error, and nothing is created.
    CHECK(platform::replace_file((dir / "no" / "out.json").string(), "x") ==
          "No such file or directory");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);
    // write_file refuses a directory and writes a new path whole.
    CHECK(platform::write_file(dir.string(), "x") == "Is a directory");
    CHECK(platform::write_file((dir / "new.md").string(), "# new") == "");
    CHECK(slurp(dir / "new.md") == "# new");
    fs::remove(dir / "new.md");
    CHECK(platform::remove_file(target));
    CHECK_FALSE(platform::remove_file(target));
    fs::remove_all(dir);
  }

  TEST_CASE("UTF-8 file names round-trip through native_path") {
    const fs::path dir = scratch("utf8");
    const std::string name =
        (dir / "").string() + "caf\xC3\xA9-\xE6\x98\xA0\xE5\x83\x8F.yaml";  // café-映像
    CHECK(platform::replace_file(name, "ksframe: 1\n") == "");
    CHECK(platform::file_status(name).kind == platform::FileKind::regular);
    {
      std::ifstream in(platform::native_path(name), std::ios::binary);
      std::string line;
      std::getline(in, line);
      CHECK(line == "ksframe: 1");
    }  // closed: Windows does not delete an open file
    fs::remove_all(dir);
  }

  TEST_CASE("aligned_allocate honours alignments from 16 bytes to a page, for any size") {
    for (std::size_t alignment : {16u, 64u, 512u, 4096u})
      for (std::size_t size : {1u, 100u, 4096u, 5000u}) {
        void* p = platform::aligned_allocate(alignment, size);
        REQUIRE(p != nullptr);
        CHECK(reinterpret_cast<std::uintptr_t>(p) % alignment == 0);
        static_cast<unsigned char*>(p)[size - 1] = 0xAB;  // the whole size is usable
        platform::aligned_free(p);
      }
  }

  TEST_CASE("arguments: the command line as given") {
    char a0[] = "ksframe", a1[] = "lint", a2[] = "/abs/path.yaml";
    char* argv[] = {a0, a1, a2};
    const auto args = platform::arguments(3, argv);
#ifdef _WIN32
    CHECK(args.size() >= 1);  // Windows: the process's own command line, not argv
#else
    CHECK(args == std::vector<std::string>{"ksframe", "lint", "/abs/path.yaml"});
#endif
  }
}
