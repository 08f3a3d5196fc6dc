// The CLI in-process: the command table, help, version, exit codes and atomic -o output.
#include "cli/cli.hpp"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli_helpers.hpp"
#include "helpers.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {
using test::run;
}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("--version and --help") {
    CHECK(run({"--version"}).out == std::string("ksframe ") + KSFRAME_VERSION + "\n");
    auto help = run({"--help"});
    CHECK(help.code == 0);
    for (const auto& c : cli::commands())
      CHECK_MESSAGE(
          (help.out.find("\n  " + std::string(c.name) + " ") != std::string::npos) == !c.hidden,
          c.name);
    for (const auto& c : cli::commands()) {
      auto sub = run({std::string(c.name), "--help"});
      CHECK_MESSAGE(sub.code == 0, c.name);
      CHECK_MESSAGE(sub.out.find(std::string(c.help)) != std::string::npos, c.name);
    }
  }

  TEST_CASE("unknown commands get a suggestion and exit code 2") {
    auto r = run({"rulez"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "ksframe: unknown command 'rulez' (did you mean 'rules'?)\n"
          "Run 'ksframe --help' for the list of commands.\n");
  }

  TEST_CASE("exit codes: 0 clean, 1 errors, 2 unreadable or bad usage") {
    const std::string ex = test::source_dir() + "/examples/capture-preview.yaml";
    const std::string bad = test::source_dir() + "/examples/broken/graph.yaml";
    CHECK(run({"lint", "-q", ex}).code == 0);
    CHECK(run({"lint", "-q", bad}).code == 1);
    CHECK(run({"lint", "-q", ex, "/nonexistent.yaml"}).code == 2);
    CHECK(run({"lint", "-q", test::source_dir()}).code == 2);  // a directory
    CHECK(run({"lint", "--format", "yaml", ex}).code == 2);
    CHECK(
        run({"lint", "-q", "--werror", test::source_dir() + "/examples/broken/framing-ranges.yaml"})
            .code == 1);
  }

  TEST_CASE("-o writes the whole output atomically and leaves no temporary file") {
    auto dir = fs::temp_directory_path() / "ksframe-cli-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto target = (dir / "out.sarif").string();
    auto r = run({"lint", "-q", "--format", "sarif", "-o", target,
                  test::source_dir() + "/examples/broken/pins.yaml"});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(test::read_file(target).find("\"version\": \"2.1.0\"") != std::string::npos);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
    CHECK(files == 1);
    // An unwritable target: an error, exit code 2, and nothing left behind.
    auto bad = run({"lint", "-q", "-o", (dir / "missing" / "x.txt").string(),
                    test::source_dir() + "/examples/capture-preview.yaml"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("cannot write") != std::string::npos);
    fs::remove_all(dir);
  }

  TEST_CASE("rules: list, one rule by id or name, unknown id") {
    CHECK(run({"rules"}).out.find("KSF1003  error   range-order") != std::string::npos);
    CHECK(run({"rules", "KSF1003"}).out.rfind("KSF1003 range-order (error, proposed)\n", 0) == 0);
    CHECK(run({"rules", "range-order"}).out == run({"rules", "KSF1003"}).out);
    auto unknown = run({"rules", "KSF1O03"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err == "ksframe: unknown rule 'KSF1O03' (did you mean 'KSF1003'?)\n");
  }

  TEST_CASE("schema prints the embedded schemas") {
    CHECK(run({"schema", "spec"}).out ==
          test::read_file(test::source_dir() + "/schemas/ksframe-spec.schema.json"));
    CHECK(run({"schema", "lint"}).out ==
          test::read_file(test::source_dir() + "/schemas/ksframe-lint.schema.json"));
    CHECK(run({"schema", "nope"}).code == 2);
  }

  TEST_CASE("progress bars: drawn and then cleared on a terminal, never otherwise") {
    const std::string ex = test::source_dir() + "/examples/capture-preview.yaml";
    const std::vector<std::string> sweep{
        "explore", ex, "--frames", "100", "--vary", "renderer.in.framing_ex.items[0].frames=1..4"};
    const auto quiet = run(sweep);
    CHECK(quiet.code == 0);
    CHECK(quiet.err.empty());
    const auto drawn = run(sweep, true);
    CHECK(drawn.out == quiet.out);  // the table does not depend on the bar
    CHECK(drawn.err.find("] 4/4") != std::string::npos);
    CHECK(drawn.err.ends_with("\r" + std::string(70, ' ') + "\r"));  // the line is left clean
    auto off = sweep;
    off.push_back("--no-progress");
    CHECK(run(off, true).err.empty());
  }

  TEST_CASE("run, report, diff and explore agree on a spec with and without -o") {
    const std::string ex = test::source_dir() + "/examples/splitter-preview-record.yaml";
    const auto via_run = run({"run", ex, "--frames", "100", "--format", "markdown"});
    const auto via_report = run({"report", ex, "--frames", "100"});
    CHECK(via_run.code == 0);
    CHECK(via_run.out == via_report.out);
    const fs::path dir =
        fs::temp_directory_path() / ("ksframe-cli-review-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string saved = (dir / "saved.json").string();
    CHECK(run({"run", ex, "--frames", "100", "-o", saved}).code == 0);
    CHECK(run({"report", saved}).out == via_report.out);
    const auto same =
        run({"diff", saved, ex, "--frames", "100", "--fail-on", "new-errors,memory-increase"});
    CHECK(same.code == 0);
    CHECK(same.out.find("no changes in the outcome or the diagnostics\n") != std::string::npos);
    fs::remove_all(dir);
  }

  TEST_CASE("import: a line break in the file's name cannot add YAML to the output") {
    const fs::path dir =
        fs::temp_directory_path() / ("ksframe-cli-import-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path odd = dir / "a\nframing: {frames: 9}\n.bin";
    fs::copy_file(test::source_dir() + "/examples/captured/avshws-capture-ex.bin", odd);
    const auto r = run({"import", odd.string(), "--as", "ex"});
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("# Imported by ksframe from " +
                            (dir / "a\\x0aframing: {frames: 9}\\x0a.bin").string() +
                            " (112 bytes, KSALLOCATOR_FRAMING_EX).\nframing_ex:\n"));
    fs::remove_all(dir);
  }

  TEST_CASE(
      "a repeatable option takes one value per occurrence on every command (issue 16 item 8)") {
    // Before: the option swallowed the spec and the command said "spec is required".
    const std::string ex = test::source_dir() + "/examples/ac97-audio.yaml";
    const std::string out =
        (fs::temp_directory_path() / ("ksframe-one-value-" + std::to_string(::getpid()) + ".json"))
            .string();
    auto r = run({"run", "--set", "load.frames=50", ex, "-o", out});
    CHECK(r.err == "");
    CHECK(r.code == 0);
    CHECK(fs::exists(out));
    fs::remove(out);
    const std::vector<std::vector<std::string>> commands{
        {"simulate", "--set", "load.frames=50", ex, "--format", "text"},
        {"negotiate", "--set", "options.default_frames=2", ex, "--format", "text"},
        {"negotiate", "--strategy", "MinimizeNumberOfAllocators", ex, "--format", "text"},
        {"report", "--set", "load.frames=50", ex, "--format", "markdown"},
        {"export", "--set", "load.frames=50", ex},
        {"explore", "--set", "load.frames=50", ex, "--vary", "load.seed=1,2"},
        {"explore", "--vary", "load.seed=1,2", ex, "--frames", "50"},
        {"diff", "--fail-on", "new-errors", ex, ex, "--frames", "50"},
        {"lint", "--disable", "KSF5001", ex, ex}};
    for (const auto& args : commands) {
      auto c = run(args);
      INFO(args[0] << " " << args[1] << ": " << c.err);
      CHECK(c.code == 0);
      CHECK(c.err.find("is required") == std::string::npos);
    }
  }

  TEST_CASE(
      "explore: a --vary path the format does not know stops before any row runs (issue 16 item "
      "8)") {
    const std::string ex = test::source_dir() + "/examples/capture-preview.yaml";
    auto r = run(
        {"explore", ex, "--frames", "50", "--vary", "renderer.in.framing_ex.items[0].frame=2,4"});
    CHECK(r.code == 2);
    CHECK(r.out == "");
    CHECK(r.err ==
          "ksframe: --vary renderer.in.framing_ex.items[0].frame: unknown key 'frame' in "
          "'renderer.in.framing_ex.items[0]'; did you mean 'frames'?\n");
  }
}
