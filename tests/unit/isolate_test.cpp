// The clang child (src/cimport/isolate.cpp) as a pull request's C source meets it: an empty
// environment, the kernel's confinement to the tree, death with its parent, a verdict from how
// it ended rather than from what it printed, escaped standard error, and the limits one command
// shares. The child's work is swapped where clang cannot be made to do the thing on purpose.
#include <doctest/doctest.h>

#include "cimport/extract_internal.hpp"

#if defined(KSFRAME_HAVE_LIBCLANG) && defined(KSFRAME_CIMPORT_ISOLATE)

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ksframe/rules.hpp"
#include "util/confine.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

constexpr const char* kCanary = "ghs_CANARY_ISOLATE_0123";

// DIR/repo (the tree, with a .git folder) and DIR/outside (a secret).
struct Scratch {
  fs::path dir, repo, outside;
  Scratch() {
    dir = fs::weakly_canonical(fs::temp_directory_path()) /
          ("ksframe-isolate-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    repo = dir / "repo";
    outside = dir / "outside";
    fs::create_directories(repo / ".git");
    fs::create_directories(outside);
    write(outside / "secret.h", std::string("#define LEAK ") + kCanary + "\n");
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static std::string write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  confine::Tree tree() const {
    std::string error;
    auto t = confine::make_tree(repo.string(), "", {}, error);
    REQUIRE(t);
    return *t;
  }
};

// What a call wrote to standard error (the parent forwards the child's there).
template <class F>
std::string stderr_of(F f) {
  std::fflush(stderr);
  char name[] = "/tmp/ksframe-stderr-XXXXXX";
  const int fd = ::mkstemp(name);
  const int saved = ::dup(2);
  ::dup2(fd, 2);
  f();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  ::close(fd);
  std::ifstream in(name, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ::unlink(name);
  return text;
}

cimport::Extraction says(const std::string& message) {
  cimport::Extraction x;
  x.diagnostics.push_back(make_diagnostic("KSF0031", message, {"driver.c", 1, 1}));
  return x;
}

}  // namespace

TEST_SUITE("C source isolation") {
  TEST_CASE("clang child: its environment is empty, also as /proc/self/environ") {
    ::setenv("KSFRAME_TEST_CANARY", kCanary, 1);
    const auto x = cimport::extract_isolated(
        {"driver.c"}, {}, [](const std::vector<std::string>&, const cimport::Options&) {
          const char* v = std::getenv("KSFRAME_TEST_CANARY");
          std::ifstream environ_file("/proc/self/environ", std::ios::binary);
          std::string environ_text((std::istreambuf_iterator<char>(environ_file)),
                                   std::istreambuf_iterator<char>());
          const bool leaked = environ_text.find(kCanary) != std::string::npos;
          return says(std::string(v ? v : "(no variable)") + (leaked ? " leaked" : " zeroed"));
        });
    ::unsetenv("KSFRAME_TEST_CANARY");
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].message == "(no variable) zeroed");
  }

  TEST_CASE("clang child: it dies with its parent") {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t parent = ::fork();
    REQUIRE(parent >= 0);
    if (parent == 0) {  // a ksframe whose child parses for a long time
      static int report_fd;
      report_fd = pipe_fds[1];
      cimport::Options slow;
      slow.timeout_seconds = 120;
      (void)cimport::extract_isolated({"driver.c"}, slow,
                                      [](const std::vector<std::string>&, const cimport::Options&) {
                                        const pid_t me = ::getpid();
                                        (void)!::write(report_fd, &me, sizeof me);
                                        for (;;) ::pause();
                                        return cimport::Extraction{};
                                      });
      std::_Exit(0);
    }
    ::close(pipe_fds[1]);
    pid_t child = 0;
    REQUIRE(::read(pipe_fds[0], &child, sizeof child) == sizeof child);
    ::close(pipe_fds[0]);
    ::kill(parent, SIGKILL);
    ::waitpid(parent, nullptr, 0);
    // The grandchild goes within a second (reparented and reaped by init, or a zombie there).
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {
      std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
      std::string pid, comm, state;
      gone = !(stat >> pid >> comm >> state) || state == "Z";
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(gone);
  }

  TEST_CASE("clang child: judged by how it ended, its standard error escaped") {
    std::vector<std::string> files{"driver.c"};
    cimport::Extraction x;
    const std::string err = stderr_of([&] {
      x = cimport::extract_isolated(
          files, {}, [](const std::vector<std::string>&, const cimport::Options&) {
            std::fputs(
                "out of memory, std::bad_alloc\nname\n::stop-commands::x\x1b[31m\xe2\x80\xae\n",
                stderr);
            std::fflush(stderr);
            return says("parsed");
          });
    });
    CHECK_FALSE(x.unreadable);
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].message == "parsed");
    CHECK(err ==
          "ksframe: clang: out of memory, std::bad_alloc\n"
          "ksframe: clang: name\n"
          "ksframe: clang: ::stop-commands::x\\x1b[31m\\xe2\\x80\\xae\n");
  }

#if !defined(__SANITIZE_ADDRESS__)
  // (AddressSanitizer's allocator reports a failed malloc itself and exits: no abort to judge.
  // The real clang case, cimport_test's macro bomb, runs in every build.)
  TEST_CASE("clang child: a crash with the address space full is out of memory") {
    cimport::Options small;
    small.memory_limit_bytes = 256u << 20;
    const auto x = cimport::extract_isolated(
        {"driver.c"}, small, [](const std::vector<std::string>&, const cimport::Options&) {
          // As LLVM does when malloc fails: take what there is, then abort. (Through a volatile
          // pointer: the compiler may not assume an allocation succeeds.)
          static void* volatile taken;
          for (std::size_t block = std::size_t{1} << 30; block >= 4096;)
            if (!(taken = std::malloc(block))) block /= 2;
          std::abort();
          return cimport::Extraction{};
        });
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].message ==
          "clang ran out of memory parsing driver.c (the limit is 256 MiB of address space)");
  }
#endif

  TEST_CASE("clang child: what it sends back is bounded") {
    const auto x = cimport::extract_isolated(
        {"driver.c"}, {}, [](const std::vector<std::string>&, const cimport::Options&) {
          cimport::Extraction big;
          big.framings.resize(10001);
          return big;
        });
    CHECK(x.unreadable);
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].message ==
          "the source declares more than 10000 framings, pins, data ranges and findings: "
          "ksframe reads at most that many");
  }

  TEST_CASE("clang child: one command's sources share the total parse time") {
    Scratch s;
    confine::Tree t = s.tree();
    t.c.total_seconds = 0;
    const confine::ScopedTree scoped(t);
    const auto x = cimport::extract_isolated(
        {"driver.c"}, {},
        [](const std::vector<std::string>&, const cimport::Options&) { return says("parsed"); });
    CHECK(x.unreadable);
    REQUIRE(x.diagnostics.size() == 1);
    CHECK(x.diagnostics[0].message ==
          "the C sources of this command used up its total parse time of 0 s");
  }

  TEST_CASE("clang child: an #include out of the tree is refused by the kernel, unread") {
    Scratch s;
    fs::create_symlink(s.outside / "secret.h", s.repo / "link.h");
    const std::string by_path =
        Scratch::write(s.repo / "by-path.c",
                       "#include <ks.h>\n#include \"" + (s.outside / "secret.h").string() + "\"\n");
    const std::string by_link = Scratch::write(s.repo / "by-link.c", "#include \"link.h\"\n");
    const std::string fine =
        Scratch::write(s.repo / "fine.c",
                       "#include <ks.h>\n#include \"fine.h\"\nDECLARE_SIMPLE_FRAMING_EX(F, "
                       "STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED), 0, FRAMES, 0, 4096, 4096);\n");
    Scratch::write(s.repo / "fine.h", "#define FRAMES 3\n");
    const confine::ScopedTree scoped(s.tree());
    const std::string leaves =
        ": the path leaves the tree (ksframe --root names it): a path written in a file must "
        "stay inside the tree or a folder given with -I or --wdk";
    const auto a = cimport::extract({by_path}, {});
    CHECK(a.unreadable);
    REQUIRE(a.diagnostics.size() == 1);
    CHECK(a.diagnostics[0].severity == Severity::Error);
    CHECK(a.diagnostics[0].message ==
          "#include of " + (s.outside / "secret.h").string() + " is refused" + leaves);
    CHECK(a.diagnostics[0].location == Location{by_path, 2, 10});
    const auto b = cimport::extract({by_link}, {});
    CHECK(b.unreadable);
    REQUIRE(b.diagnostics.size() == 1);
    CHECK(b.diagnostics[0].message == "#include of link.h is refused" + leaves);
    // A header inside the tree is read as before.
    const auto c = cimport::extract({fine}, {});
    CHECK_FALSE(c.unreadable);
    REQUIRE(c.framings.size() == 1);
    CHECK(c.framings[0].ex.FramingItem[0].Frames == 3);
  }
}

#endif
