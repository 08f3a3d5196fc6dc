// The tree a command may read (util/confine.hpp), on a real scratch tree with real symlinks,
// FIFOs and a .git folder: what a pull request can plant. POSIX only (symlinks and FIFOs are
// what these cases are about; the windows test preset leaves them out by name).
#include "util/confine.hpp"

#include <doctest/doctest.h>

#ifndef _WIN32

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli_helpers.hpp"
#include "helpers.hpp"
#include "ksframe/spec.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

// DIR/repo (a git work tree) with a spec, and DIR/outside with a secret beside it.
struct Tree {
  fs::path dir, repo, outside;
  Tree() {
    dir = fs::weakly_canonical(fs::temp_directory_path()) /
          ("ksframe-confine-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    repo = dir / "repo";
    outside = dir / "outside";
    fs::create_directories(repo / ".git");
    fs::create_directories(repo / "specs");
    fs::create_directories(outside);
    write(outside / "secret.txt", "ghs_CANARY\n");
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  std::string operator/(const std::string& leaf) const { return (repo / leaf).string(); }
  confine::Tree tree() const {
    std::string error;
    auto t = confine::make_tree("", (repo / "specs/x.yaml").string(), {}, error);
    REQUIRE(t);
    return *t;
  }
};

const std::string kLeaves =
    "the path leaves the tree (ksframe --root names it): a path written in a file must stay "
    "inside the tree or a folder given with -I or --wdk";

}  // namespace

TEST_SUITE("confine") {
  TEST_CASE("confine: the default tree is the git work tree of the first input") {
    Tree t;
    CHECK(t.tree().root == t.repo);
    std::string error;
    // Not in a git work tree: the current folder.
    const auto cwd = confine::make_tree("", (t.outside / "secret.txt").string(), {}, error);
    REQUIRE(cwd);
    CHECK(cwd->root == fs::weakly_canonical(fs::current_path()));
    CHECK_FALSE(confine::make_tree((t.outside / "secret.txt").string(), "", {}, error));
    CHECK(error == "--root " + (t.outside / "secret.txt").string() + ": not a folder");
  }

  TEST_CASE("confine: a path written in a file stays in the tree with its symlinks followed") {
    Tree t;
    fs::create_symlink("../../outside/secret.txt", t.repo / "specs/link.yaml");
    fs::create_symlink(t.outside, t.repo / "specs/dirlink");
    fs::create_symlink(t.outside / "nothing-yet", t.repo / "specs/dangling");
    Tree::write(t.repo / "specs/inside.yaml", "x");
    const confine::ScopedTree scoped(t.tree());
    CHECK(confine::check_written(t / "specs/inside.yaml") == "");
    CHECK(confine::check_written(t / "specs/../specs/inside.yaml") == "");
    CHECK(confine::check_written(t / "specs/link.yaml") == kLeaves);
    CHECK(confine::check_written(t / "specs/dirlink/secret.txt") == kLeaves);
    CHECK(confine::check_written(t / "specs/dangling") == kLeaves);
    CHECK(confine::check_written(t / "../outside/secret.txt") == kLeaves);
    CHECK(confine::check_written((t.outside / "secret.txt").string()) == kLeaves);
    CHECK(confine::check_written("/proc/self/environ") == kLeaves);
    CHECK_FALSE(confine::is_allowed_path(t / "specs/link.yaml"));
  }

  TEST_CASE("confine: the command line's -I folders and --root / widen the tree") {
    Tree t;
    std::string error;
    auto with_dir = confine::make_tree("", t / "specs/x.yaml", {t.outside.string()}, error);
    REQUIRE(with_dir);
    {
      const confine::ScopedTree scoped(with_dir);
      CHECK(confine::check_written((t.outside / "secret.txt").string()) == "");
    }
    auto everything = confine::make_tree("/", t / "specs/x.yaml", {}, error);
    REQUIRE(everything);
    CHECK(everything->everything());
    const confine::ScopedTree scoped(everything);
    CHECK(confine::check_written("/proc/self/environ") == "");
    CHECK(confine::readable_dirs().empty());
  }

  TEST_CASE("confine: a typed path is refused only when the tree leads it out through a symlink") {
    Tree t;
    fs::create_symlink("../../outside/secret.txt", t.repo / "specs/leak.yaml");
    fs::create_symlink(t.outside, t.repo / "specs/dirlink");
    const confine::ScopedTree scoped(t.tree());
    const std::string planted =
        "it is in the tree (ksframe --root names it) but a symbolic link leads out of it";
    CHECK(confine::check_user_path(t / "specs/leak.yaml") == planted);
    CHECK(confine::check_user_path(t / "specs/dirlink/secret.txt") == planted);
    CHECK(confine::check_user_path(t / "specs/new-output.md") == "");
    // Outside the tree: the user's own, followed.
    CHECK(confine::check_user_path((t.outside / "secret.txt").string()) == "");
    CHECK(confine::check_user_path("-") == "");
  }

  TEST_CASE("confine: only regular files are read, a stream or /proc is refused unopened") {
    Tree t;
    REQUIRE(::mkfifo((t / "specs/fifo.yaml").c_str(), 0600) == 0);
    fs::create_symlink("/proc/self/environ", t.repo / "specs/env.yaml");
    fs::create_symlink("/dev/stdin", t.repo / "specs/stdin.yaml");
    CHECK(confine::check_regular_file(t / "specs/fifo.yaml") ==
          "it is a FIFO: ksframe reads only regular files (a stream could block it forever)");
    const std::string proc =
        "it is under /proc: ksframe reads only regular files (not a process's or a device's own "
        "data)";
    CHECK(confine::check_regular_file(t / "specs/env.yaml") == proc);
    CHECK(confine::check_regular_file("/proc/self/fd/1") ==
          "it is under /proc: ksframe reads only regular files (not a process's or a device's "
          "own data)");
    CHECK(confine::check_regular_file("/dev/zero") ==
          "it is under /dev: ksframe reads only regular files (not a process's or a device's own "
          "data)");
    CHECK(confine::check_regular_file(t / "specs/stdin.yaml").starts_with("it is under /"));
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string sock_path = t / "specs/socket.yaml";
    REQUIRE(sock_path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, sock_path.c_str(), sock_path.size() + 1);
    REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    CHECK(confine::check_regular_file(sock_path) ==
          "it is a socket: ksframe reads only regular files");
    ::close(sock);
    CHECK(confine::check_regular_file((t.outside / "secret.txt").string()) == "");
    // No tree is needed for this one: the disk reader refuses at once, and nothing hangs.
    DiskFileReader disk;
    const ReadResult r = disk.read(t / "specs/fifo.yaml", 1024);
    CHECK_FALSE(r.file);
    CHECK(r.error ==
          "it is a FIFO: ksframe reads only regular files (a stream could block it forever)");
  }

  TEST_CASE(
      "confine: a compilation database's forced includes and response files stay in the tree") {
    Tree t;
    Tree::write(t.repo / "a.c", "int a;\n");
    const std::string dir = t.repo.string(), secret = (t.outside / "secret.txt").string();
    auto db = [&](const std::string& args) {
      Tree::write(t.repo / "compile_commands.json",
                  "[{\"directory\": \"" + dir + "\", \"file\": \"a.c\", \"arguments\": [" + args +
                      "]}, {\"directory\": \"" + dir +
                      "\", \"file\": \"other.c\", \"arguments\": [\"cc\", \"@" + secret + "\"]}]");
      return confine::check_compile_commands(t / "compile_commands.json", t / "a.c");
    };
    const confine::ScopedTree scoped(t.tree());
    CHECK(db("\"cc\", \"-Iinclude\", \"-include\", \"a.h\", \"-c\", \"a.c\"") == "");
    CHECK(db("\"cc\", \"-include\", \"" + secret + "\"") == secret + ": " + kLeaves);
    CHECK(db("\"cc\", \"@" + secret + "\"") == secret + ": " + kLeaves);
    CHECK(db("\"cc\", \"-I../outside\"") == "../outside: " + kLeaves);
    CHECK(db("\"cc\", \"-isystem\", \"/etc\"") == "/etc: " + kLeaves);
    // The "command" form, split as a shell would.
    Tree::write(t.repo / "compile_commands.json", "[{\"directory\": \"" + dir +
                                                      "\", \"file\": \"a.c\", \"command\": \"cc "
                                                      "-include '" +
                                                      secret + "' -c a.c\"}]");
    CHECK(confine::check_compile_commands(dir, t / "a.c") == secret + ": " + kLeaves);
  }

  TEST_CASE("confine: an include that leaves the tree is refused at its entry, exit code 2") {
    Tree t;
    fs::create_symlink("../../outside/secret.txt", t.repo / "specs/secret-link.yaml");
    Tree::write(t.repo / "specs/main.yaml", "ksframe: 1\nname: inc\ninclude: [secret-link.yaml, " +
                                                (t.outside / "secret.txt").string() + "]\n");
    const confine::ScopedTree scoped(t.tree());
    DiskFileReader disk;
    const LoadResult r = load_spec_file(disk, t / "specs/main.yaml");
    CHECK(r.unreadable);
    REQUIRE(r.diagnostics.size() == 2);  // every entry is tried
    CHECK(r.diagnostics[0].rule == "KSF0032");
    CHECK(r.diagnostics[0].message ==
          "cannot include " + t / "specs/secret-link.yaml" + ": " + kLeaves);
    CHECK(r.diagnostics[0].location.line == 3);
    CHECK(r.diagnostics[0].location.column == 11);
    CHECK(r.diagnostics[1].message ==
          "cannot include " + (t.outside / "secret.txt").string() + ": " + kLeaves);
    CHECK(r.diagnostics[1].location.column == 29);
    CHECK_FALSE(r.spec);
  }

  TEST_CASE("confine: a spec included by two names, one a symlink, is included twice") {
    Tree t;
    Tree::write(t.repo / "specs/shared.yaml",
                "ksframe: 1\nfilters:\n  - name: f\n    pins:\n      - {name: p, dataflow: out}\n");
    fs::create_symlink("shared.yaml", t.repo / "specs/alias.yaml");
    Tree::write(t.repo / "specs/main.yaml",
                "ksframe: 1\nname: twice\ninclude: [shared.yaml, alias.yaml]\n");
    const confine::ScopedTree scoped(t.tree());
    DiskFileReader disk;
    const LoadResult r = load_spec_file(disk, t / "specs/main.yaml");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].rule == "KSF0032");
    CHECK(r.diagnostics[0].message == "includes '" + t / "specs/alias.yaml" + "' twice");
    CHECK(r.diagnostics[0].location.column == 24);
  }
}

#endif  // !_WIN32
