// What `-o` does to what it names, what an interrupted write leaves, and inputs over the limit:
// on real files, FIFOs, symlinks and /dev/null in a scratch directory.
// POSIX only: FIFOs, /dev/null, /dev/zero, fork and signals are what these cases are about. The
// Windows writer is covered by platform_test.cpp, which runs under wine.
#ifndef _WIN32
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/cli.hpp"
#include "cli_helpers.hpp"
#include "helpers.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

using test::run;

// A fresh scratch directory per test, removed at the end.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() / ("ksframe-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string operator/(const std::string& leaf) const { return (dir / leaf).string(); }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
  }
};

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

const std::string kExample = test::source_dir() + "/examples/capture-preview.yaml";

}  // namespace

TEST_SUITE("output") {
  TEST_CASE("-o to a symlink replaces the link's target and keeps the link") {
    Scratch s("symlink");
    write(s / "real.txt", "old");
    ::chmod((s / "real.txt").c_str(), 0600);
    fs::create_symlink("real.txt", s / "link.txt");
    const auto r = run({"export", kExample, "-o", s / "link.txt"});
    CHECK(r.code == 0);
    CHECK(fs::is_symlink(s / "link.txt"));
    CHECK(test::read_file(s / "real.txt").starts_with("/*"));
    CHECK((fs::status(s / "real.txt").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(s.entries() == 2);
    // A dangling link: its target is created.
    fs::create_symlink("new.txt", s / "dangling.txt");
    CHECK(run({"export", kExample, "-o", s / "dangling.txt"}).code == 0);
    CHECK(fs::is_symlink(s / "dangling.txt"));
    CHECK(test::read_file(s / "new.txt").starts_with("/*"));
  }

  TEST_CASE("-o to a FIFO writes into it and leaves the FIFO in place") {
    Scratch s("fifo");
    const std::string fifo = s / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string received;
    std::thread reader([&] { received = test::read_file(fifo); });
    const auto r = run({"export", kExample, "-o", fifo});
    reader.join();
    CHECK(r.code == 0);
    CHECK(received == run({"export", kExample}).out);
    CHECK(fs::is_fifo(fifo));
    CHECK(s.entries() == 1);
  }

  TEST_CASE("-o /dev/null stays a character device, a directory is refused") {
    CHECK(run({"export", kExample, "-o", "/dev/null"}).code == 0);
    CHECK(fs::is_character_file("/dev/null"));
    Scratch s("dir");
    const auto r = run({"export", kExample, "-o", s.dir.string()});
    CHECK(r.code == 2);
    CHECK(r.err == "ksframe: cannot write " + s.dir.string() + ": Is a directory\n");
    CHECK(s.entries() == 0);
  }

  TEST_CASE("SIGTERM during a write removes the temporary file and ends the process by SIGTERM") {
    Scratch s("signal");
    const std::string target = s / "big.txt";
    // The child writes ever larger outputs until the parent catches one in flight (a temporary
    // file exists) and sends SIGTERM; tmpfs writes hundreds of MB in well under a second.
    bool caught = false;
    for (std::size_t mb = 64; mb <= 1024 && !caught; mb *= 2) {
      const pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        const std::string text(mb << 20, 'x');
        ::_exit(cli::write_file_atomically(target, text).empty() ? 0 : 3);
      }
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      int status = 0;
      while (std::chrono::steady_clock::now() < deadline) {
        bool temp = false;
        for (const auto& e : fs::directory_iterator(s.dir))
          temp |= e.path().filename().string().starts_with(".ksframe-");
        if (temp) {
          ::kill(child, SIGTERM);
          caught = true;
          break;
        }
        if (::waitpid(child, &status, WNOHANG) == child) break;
      }
      if (caught) {
        REQUIRE(::waitpid(child, &status, 0) == child);
        CHECK(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGTERM);
      }
      fs::remove(target);
      CHECK(s.entries() == 0);  // no temporary file, whether caught or finished
    }
    CHECK(caught);
  }

  TEST_CASE("an input over its limit is refused naming the limit, exit code 2") {
    Scratch s("large");
    write(s / "big.yaml", "#" + std::string(16u << 20, ' '));  // 16 MiB + 1 byte
    auto r = run({"negotiate", s / "big.yaml"});
    CHECK(r.code == 2);
    CHECK(r.err == s / "big.yaml" +
                       ":1:1: error: file is larger than the limit of 16777216 bytes [KSF0003]\n"
                       "    hint: is this really a ksframe spec?\n");
    r = run({"lint", "-q", s / "big.yaml"});
    CHECK(r.code == 2);
    CHECK(r.out.find(s / "big.yaml" +
                     ":1:1: error: file is larger than the limit of 16777216 bytes [KSF0003]") ==
          0);
    write(s / "big.json", "{\"ksframe_report\": 1" + std::string(64u << 20, ' ') + "}");
    r = run({"report", s / "big.json"});
    CHECK(r.code == 2);
    CHECK(r.err == "ksframe: cannot read " + s / "big.json" +
                       ": file is larger than the limit of 67108864 bytes\n");
    write(s / "big.bin", std::string((1u << 20) + 1, '\0'));
    r = run({"import", s / "big.bin", "--as", "ex"});
    CHECK(r.code == 2);
    CHECK(r.err == "ksframe: cannot read " + s / "big.bin" +
                       ": file is larger than the limit of 1048576 bytes\n");
    // An endless device is not read at all: only regular files are.
    r = run({"lint", "-q", "/dev/zero"});
    CHECK(r.code == 2);
    CHECK(r.out.find("/dev/zero: error: cannot read /dev/zero: it is under /dev: ksframe reads "
                     "only regular files (not a process's or a device's own data) [KSF0002]") == 0);
    CHECK(run({"report", "/dev/zero"}).code == 2);
  }
}

#endif  // !_WIN32
