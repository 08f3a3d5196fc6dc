// Resource test: each command on large generated inputs stays under a CPU-time and a peak-memory
// bound, measured for the child process with wait4()'s rusage. The bounds are several times
// what the release build needs (docs/security.md states the memory bound they check), and the
// sanitizer build gets four times more, so a loaded CI machine does not make them flake.
//   resource_test KSFRAME SCRATCH_DIR
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "chain_spec.hpp"

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlack = 4;
#else
constexpr double kSlack = 1;
#endif

struct Usage {
  int code = -1;
  double cpu_s = 0;
  long max_rss_mib = 0;
};

// Runs `args` with standard input from /dev/null, standard output to /dev/null and standard
// error to `err` (read back when a case fails).
Usage measure(const std::vector<std::string>& args, const std::string& err = "/dev/null") {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    const int error = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(error, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage ru {};
  ::wait4(pid, &status, 0, &ru);
  Usage u;
  u.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  u.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  u.max_rss_mib = ru.ru_maxrss / 1024;
  return u;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_head(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// A spec including `count` files named PREFIX0.EXT ... (written by the caller).
std::string includer(const std::string& prefix, const std::string& ext, int count) {
  std::string s = "ksframe: 1\nname: includes\ninclude: [";
  for (int i = 0; i < count; ++i) s += (i ? ", " : "") + prefix + std::to_string(i) + ext;
  return s + "]\n";
}

// C whose preprocessing takes as long as clang is let run: an #if over 2^59 tokens.
std::string slow_c_source() {
  std::string c = "#include <ks.h>\n#define A0 1+\n";
  for (int i = 1; i < 60; ++i)
    c += "#define A" + std::to_string(i) + " A" + std::to_string(i - 1) + " A" +
         std::to_string(i - 1) + "\n";
  return c + "#if A59 1\n#endif\n";
}

// C declaring `count` framings in a few bytes each.
std::string many_framings_c_source(int count) {
  std::string c =
      "#include <ks.h>\n#define D(n) DECLARE_SIMPLE_FRAMING_EX(F##n, "
      "STATICGUIDOF(GUID_NULL), 0, 1, 0, 1, 2);\n";
  for (int i = 0; i < count; ++i) c += "D(" + std::to_string(i) + ")" + (i % 50 == 49 ? "\n" : "");
  return c;
}

struct Case {
  std::string what;
  std::vector<std::string> args;  // after the ksframe binary
  int code;
  double cpu_s;
  long rss_mib;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: resource_test KSFRAME SCRATCH_DIR\n");
    return 2;
  }
  const std::string ksframe = argv[1], dir = argv[2];
  std::filesystem::create_directories(dir);
  // 16 MiB specs of 48 framing items per pin stay under the 4,000-pin limit, so lint does all
  // its work; the 2,000-filter chain (3,999 pins) is about the largest graph the limit lets
  // through.
  const std::string pretty = dir + "/pretty-16MiB.yaml", one_line = dir + "/one-line-16MiB.yaml",
                    largest = dir + "/chain-2000.yaml", brackets = dir + "/brackets-8MB.yaml",
                    over = dir + "/over-limit.yaml", too_many = dir + "/chain-2500.yaml",
                    saved = dir + "/chain-2000.json";
  write(pretty, ksframe_gen::spec_of_size(16u << 20, false, 48));
  write(one_line, ksframe_gen::spec_of_size(16u << 20, true, 48));
  write(largest, ksframe_gen::chain_spec(2000, true));
  write(too_many, ksframe_gen::chain_spec(2500, true));
  write(brackets, "a: " + std::string(8u << 20, '['));
  write(over, std::string((16u << 20) + 1, '#'));
  measure({ksframe, "run", largest, "--frames", "20", "-o", saved});
  // Includes: one 4 MB spec copied 8 times (the spec and its includes share 16 MiB), 64 slow C
  // sources (the command's sources share 5 x --clang-time-limit), and a C source of 12,000
  // framings (the child sends back at most 10,000 objects).
  const std::string includes = dir + "/includes-8x4MB.yaml",
                    slow = dir + "/includes-64-slow-c.yaml", many = dir + "/framings-12000.c";
  const std::string four_mb = ksframe_gen::spec_of_size(4000000, false, 48);
  for (int i = 0; i < 8; ++i) write(dir + "/big" + std::to_string(i) + ".yaml", four_mb);
  write(includes, includer("big", ".yaml", 8));
  for (int i = 0; i < 64; ++i) write(dir + "/slow" + std::to_string(i) + ".c", slow_c_source());
  write(slow, includer("slow", ".c", 64));
  write(many, many_framings_c_source(12000));

  const std::vector<Case> cases = {
      {"lint, 16 MiB pretty-printed", {"lint", "-q", pretty}, 0, 60, 1000},
      {"lint, 16 MiB on one line", {"lint", "-q", one_line}, 0, 60, 1000},
      {"lint, 8 MB of '['", {"lint", "-q", brackets}, 1, 5, 150},
      {"lint, 16 MiB + 1 byte", {"lint", "-q", over}, 2, 5, 150},
      {"lint, /dev/zero", {"lint", "-q", "/dev/zero"}, 2, 5, 150},
      {"report, /dev/zero", {"report", "/dev/zero"}, 2, 5, 300},
      {"negotiate, 4,999 pins (refused)", {"negotiate", too_many}, 1, 10, 300},
      {"negotiate, 3,999 pins", {"negotiate", largest, "--format", "json"}, 0, 60, 600},
      {"run, 3,999 pins", {"run", largest, "--frames", "20"}, 0, 60, 600},
      {"report, 3,999 pins", {"report", largest, "--frames", "20"}, 0, 60, 600},
      {"report, its saved JSON", {"report", saved, "--format", "html"}, 0, 60, 600},
      {"diff, saved JSON with itself", {"diff", saved, saved}, 0, 60, 600},
      {"explore, 3,999 pins x 4 runs",
       {"explore", largest, "--frames", "20", "--vary", "load.seed=1..4"},
       0,
       120,
       600},
      {"export, 3,999 pins", {"export", largest}, 0, 30, 1000},
      {"lint, 8 includes of a 4 MB spec", {"lint", "-q", "--root", dir, includes}, 2, 30, 600},
      {"lint, 64 slow C includes, limit 2 s",
       {"lint", "-q", "--root", dir, "--clang-time-limit", "2", slow},
       2,
       30,
       600},
      {"lint, C of 12,000 framings", {"lint", "-q", "--root", dir, many}, 2, 60, 600},
  };
  int failures = 0;
  std::printf("%-34s %5s %9s %9s %10s %10s\n", "case", "exit", "cpu s", "bound", "peak MiB",
              "bound");
  for (const auto& c : cases) {
    std::vector<std::string> args{ksframe};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const Usage u = measure(args, dir + "/stderr.txt");
    const double cpu_bound = c.cpu_s * kSlack;
    const long rss_bound = static_cast<long>(static_cast<double>(c.rss_mib) * kSlack);
    const bool ok = u.code == c.code && u.cpu_s <= cpu_bound && u.max_rss_mib <= rss_bound;
    std::printf(
        "%-34s %5d %9.2f %9.0f %10ld %10ld%s\n", c.what.c_str(), u.code, u.cpu_s, cpu_bound,
        u.max_rss_mib, rss_bound,
        ok ? ""
           : (u.code != c.code ? "  FAILED (exit code, expected " + std::to_string(c.code) + ")"
                               : "  FAILED")
                 .c_str());
    if (!ok) std::printf("  stderr: %s\n", read_head(dir + "/stderr.txt").c_str());
    failures += !ok;
  }
  std::filesystem::remove_all(dir);
  return failures == 0 ? 0 : 1;
}
