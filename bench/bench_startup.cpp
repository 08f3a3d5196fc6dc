// The whole process, as CI runs it: `ksframe run EXAMPLE` for every example beside
// `ksframe --version` in the same run, each a fresh process (posix_spawn, output to /dev/null),
// its wall time and its peak resident memory (wait4's ru_maxrss). Most examples' work is a few
// milliseconds, so start-up is most of a run: the ratio to --version says how much is the work.
// Target: every example under 15 ms wall on the 2-core development machine.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench_main.hpp"

extern char** environ;

namespace {

struct Outcome {
  bool ok = false;
  long max_rss_kib = 0;
};

// One process, its output discarded. Exit codes 0 and 1 (findings) are both a completed run.
Outcome spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  Outcome out;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) == pid) {
      out.ok = WIFEXITED(status) && WEXITSTATUS(status) <= 1;
      out.max_rss_kib = usage.ru_maxrss;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  return out;
}

std::map<std::string, long> g_rss_kib;

void BM_Process(benchmark::State& state, std::vector<std::string> args, std::string name) {
  long rss = 0;
  for (auto _ : state) {
    const Outcome o = spawn(args);
    if (!o.ok) {
      state.SkipWithError(("the command failed: " + name).c_str());
      return;
    }
    rss = std::max(rss, o.max_rss_kib);
  }
  state.counters["max_rss_MiB"] = static_cast<double>(rss) / 1024.0;
  g_rss_kib[name] = rss;
}

class StartupReporter : public MedianReporter {
 public:
  void Finalize() override {
    MedianReporter::Finalize();
    const auto version = medians_.find("version");
    if (version == medians_.end()) return;
    std::printf("\nWhole process, median of the repetitions (the target is under 15 ms):\n");
    std::printf("  %-36s %9s %8s %9s\n", "command", "wall ms", "x version", "RSS MiB");
    double worst = 0;
    for (const auto& [name, seconds] : medians_) {
      worst = std::max(worst, seconds);
      std::printf("  %-36s %9.2f %8.2f %9.1f\n", name.c_str(), seconds * 1e3,
                  seconds / version->second, static_cast<double>(g_rss_kib[name]) / 1024.0);
    }
    std::printf("slowest: %.2f ms (%s the 15 ms target)\n", worst * 1e3,
                worst < 0.015 ? "under" : "OVER");
  }
};

void register_all() {
  const std::string ksframe = KSFRAME_BINARY;
  benchmark::RegisterBenchmark(
      "version", BM_Process, std::vector<std::string>{ksframe, "--version"}, std::string("version"))
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Repetitions(5)
      ->ReportAggregatesOnly(true);
  std::vector<std::string> examples;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(KSFRAME_SOURCE_DIR) + "/examples"))
    if (e.is_regular_file() && e.path().extension() == ".yaml")
      examples.push_back(e.path().string());
  std::sort(examples.begin(), examples.end());
  for (const auto& path : examples) {
    const std::string name = "run " + std::filesystem::path(path).filename().string();
    benchmark::RegisterBenchmark(name.c_str(), BM_Process,
                                 std::vector<std::string>{ksframe, "run", path}, name)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Repetitions(5)
        ->ReportAggregatesOnly(true);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  return run_benchmarks<StartupReporter>(argc, argv);
}
