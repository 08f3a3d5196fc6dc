// Inputs written to break ksframe (tests/data/reliability and generated ones): long values,
// escape sequences, links and mentions in names, totals past 2^64, seeds past 2^63, a pitch of
// INT_MIN, a sweep of 2^64 values, file names that are not UTF-8. Each is refused where it
// stands or handled exactly; the sanitizer build runs the same cases.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.hpp"
#include "cli_helpers.hpp"
#include "helpers.hpp"
#include "ksframe/report.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

using test::run;

std::string data(const std::string& leaf) {
  return test::source_dir() + "/tests/data/reliability/" + leaf;
}

const std::string kExample = test::source_dir() + "/examples/capture-preview.yaml";

}  // namespace

TEST_SUITE("hostile") {
  TEST_CASE("a 40,000-character name is refused at the parser, before any regular expression") {
    CHECK(test::summary(test::lint(test::read_file(data("long-name.yaml")))) ==
          "3:11: KSF0003: a value of 40000 bytes is longer than the limit of 1024 bytes\n");
    // The same through --set, and a connection end of 40,000 characters.
    const auto set = run({"export", kExample, "--set", "camera.name=" + std::string(40000, 'x')});
    CHECK(set.code == 2);
    CHECK(set.err == "ksframe: --set camera.name=" + std::string(48, 'x') +
                         "...: the value is not valid YAML (a value of 40000 bytes is longer "
                         "than the limit of 1024 bytes): '" +
                         std::string(60, 'x') + "...'\n");
    const std::string conn =
        "ksframe: 1\nfilters: []\nconnections:\n  - {from: " + std::string(40000, 'a') +
        ".o, to: b.i}\n";
    CHECK(test::summary(test::lint(conn)) ==
          "4:12: KSF0003: a value of 40002 bytes is longer than the limit of 1024 bytes\n");
    // Under the parser's limit but over the format's: names are at most 128 characters.
    const auto d = test::lint(test::one_pin("") + "# x\n");
    CHECK(d.empty());
    std::string long_pin = test::one_pin("");
    long_pin.replace(long_pin.find("name: p"), 7, "name: " + std::string(128, 'p'));
    CHECK(test::with_rule(test::lint(long_pin), "KSF0020").empty());
    long_pin.replace(long_pin.find("name: p"), 7, "name: pp");
    CHECK(test::summary(test::with_rule(test::lint(long_pin), "KSF0020")) ==
          "5:15: KSF0020: name '" + std::string(32, 'p') +
              "'... has 129 characters; at most 128 are allowed\n");
  }

  TEST_CASE("a saved report with a 100,000-digit pipe id is refused before the schema's patterns") {
    const std::string text =
        "{\"ksframe_report\": 1, \"pipes\": [{\"id\": \"pipe-" + std::string(100000, '7') + "\"}]}";
    std::string error;
    CHECK_FALSE(report_from_json_text(text, "r.json", &error));
    CHECK(error ==
          "r.json:1:40: a JSON string longer than the limit of 4096 bytes is not a ksframe report");
  }

  TEST_CASE(
      "8 MB of open brackets are refused at the first one past depth 64, before yaml-cpp buffers "
      "them") {
    const auto d = test::lint("a: " + std::string(8u << 20, '['));
    // The root mapping is level 1, so the 64th '[' (byte 66, column 67) is level 65.
    CHECK(test::summary(d) == "1:67: KSF0005: nesting is deeper than 64 levels\n");
    CHECK(test::summary(test::lint(std::string(8u << 20, '['))) ==
          "1:65: KSF0005: nesting is deeper than 64 levels\n");
    // Brackets inside quotes and comments do not count.
    CHECK(test::lint(test::one_pin("") + "name: '" + std::string(100, '[') + "' # " +
                     std::string(100, '{') + "\n")
              .empty());
  }

  TEST_CASE(
      "more than 4,000 pins or connections are refused on the tree, at the first one too many") {
    std::string spec = "ksframe: 1\nfilters:\n";
    for (int i = 0; i <= 2000; ++i)  // 2,001 filters of 2 pins: pin 4,001 is f2000's first
      spec += "  - {name: f" + std::to_string(i) +
              ", pins: [{name: i, dataflow: in}, {name: o, dataflow: out}]}\n";
    // Line 3 + 2000; "  - {name: f2000, pins: [" is 25 characters, so the pin starts at column 26.
    CHECK(test::summary(test::lint(spec)) ==
          "2003:26: KSF0003: more than 4000 pins: ksframe negotiates, simulates and reports at "
          "most that many\n");
    std::string conns = test::one_pin("") + "connections:\n";
    for (int i = 0; i <= 4000; ++i) conns += "  - {from: f.p, to: f.p}\n";
    CHECK(test::summary(test::lint(conns)) ==
          "4008:5: KSF0003: more than 4000 connections: ksframe negotiates, simulates and reports "
          "at most that many\n");
    // Trusted, generated input (the benchmarks' 100,000-pin chains) raises the limits.
    LoadOptions raised;
    raised.graph = {8000, 8000};  // 4,002 pins and the 2,001 implied consumers of their outputs
    CHECK_FALSE(has_errors(load_spec(SourceFile{"s.yaml", spec}, raised).diagnostics));
    raised.graph = {4002, 3};  // one_pin() is 7 lines, "connections:" the 8th: the 4th is line 11
    CHECK(test::summary(load_spec(SourceFile{"s.yaml", conns}, raised).diagnostics) ==
          "11:5: KSF0003: more than 3 connections: ksframe negotiates, simulates and reports at "
          "most that many\n");
  }

  TEST_CASE("implied consumers count toward the graph limits") {
    // Three filters of two unconnected output pins: 6 pins, and 6 implied consumers.
    std::string spec = "ksframe: 1\nfilters:\n";
    for (int i = 0; i < 3; ++i)
      spec += "  - {name: f" + std::to_string(i) +
              ", pins: [{name: a, dataflow: out}, {name: b, dataflow: out}]}\n";
    LoadOptions limits;
    limits.graph = {12, 12};
    CHECK_FALSE(has_errors(load_spec(SourceFile{"s.yaml", spec}, limits).diagnostics));
    // Eleven pins: the tenth pin is f1.b's consumer (6 driver pins, then f0.a f0.b f1.a f1.b).
    limits.graph = {9, 12};
    CHECK(test::summary(load_spec(SourceFile{"s.yaml", spec}, limits).diagnostics) ==
          "4:49: KSF0003: with the implied consumer of f1.b, the graph has more than 9 pins: "
          "ksframe negotiates, "
          "simulates and reports at most that many\n");
    limits.graph = {12, 2};  // the third connection is f1.a's
    CHECK(test::summary(load_spec(SourceFile{"s.yaml", spec}, limits).diagnostics) ==
          "4:23: KSF0003: with the implied consumer of f1.a, the graph has more than 2 "
          "connections: ksframe "
          "negotiates, simulates and reports at most that many\n");
  }

  TEST_CASE("escape sequences and controls in a name are refused at load") {
    CHECK(test::summary(test::lint(test::read_file(data("control-characters-in-name.yaml")))) ==
          "8:7: KSF0004: control character U+001B is not allowed in a spec value\n");
    CHECK(test::summary(test::lint("ksframe: 1\nname: \"a\\u202Eb\"\nfilters: []\n")) ==
          "2:7: KSF0004: control character U+202E is not allowed in a spec value\n");
    CHECK(test::summary(test::lint("ksframe: 1\nname: \"a\\x9bb\"\nfilters: []\n")) ==
          "2:7: KSF0004: control character U+009B is not allowed in a spec value\n");
  }

  TEST_CASE("a saved report with a control character in a string is refused, not rendered") {
    const std::string base = test::read_file(
        test::source_dir() + "/tests/data/fuzz-corpus/report/seed-2-64-minus-1.json");
    std::string text = base;
    text.replace(text.find("\"name\": \"usb-camera-preview\""), 28, "\"name\": \"evil\\u001b[2J\"");
    std::string error;
    CHECK_FALSE(report_from_json_text(text, "r.json", &error));
    CHECK(
        error ==
        "r.json: control character U+001B in a string at 'spec.name': not a report ksframe wrote");
    CHECK(report_from_json_text(base, "r.json", &error));
  }

  TEST_CASE("URLs, www. and @mentions in a name do not become links or pings in Markdown") {
    auto r = run({"report", data("autolinks-in-name.yaml"), "--frames", "50"});
    const std::string zw = "\u200b";
    CHECK(r.out.find("## ksframe: Approved - see https:" + zw + "//evil.example/login or www" + zw +
                     ".evil.example cc @" + zw + "octocat\n") != std::string::npos);
    CHECK(r.out.find("@octocat") == std::string::npos);
    CHECK(r.out.find("https://evil") == std::string::npos);
    CHECK(r.out.find("www.evil") == std::string::npos);
  }

  TEST_CASE("the memory-increase gate sums in 128 bits: 2^64 + 2,457,599 bytes is an increase") {
    // Head adds a pipe of 4294967295 frames of 4294967295 bytes and one of 2 such frames:
    // (2^32 - 1)^2 + 2 (2^32 - 1) = 2^64 - 1, plus the base's 4 x 614400 = 2,457,600.
    const auto r = run({"diff", data("diff-base.yaml"), data("diff-head-huge-pipes.yaml"),
                        "--frames", "300", "--fail-on", "memory-increase"});
    CHECK(r.code == 1);
    CHECK(r.out.find("bytes committed 2,457,600 -> 18,446,744,073,712,009,215") !=
          std::string::npos);
    const auto json = run({"diff", data("diff-base.yaml"), data("diff-head-huge-pipes.yaml"),
                           "--frames", "300", "--format", "json"});
    CHECK(json.out.find("\"field\": \"bytes_committed\",\n      \"base\": \"2457600\",\n      "
                        "\"head\": \"18446744073712009215\"") != std::string::npos);
  }

  TEST_CASE("seeds from 2^63 to 2^64 - 1 load, run and read back") {
    const std::string spec = test::read_file(kExample);
    std::string top = spec;
    top.replace(top.find("seed: 1"), 7, "seed: 18446744073709551615");
    CHECK(test::with_rule(test::lint(top), "KSF0012").empty());
    const auto r = run(
        {"run", kExample, "--frames", "50", "--seed", "9223372036854775808", "--format", "json"});
    CHECK(r.out.find("\"seed\": 9223372036854775808") != std::string::npos);
    std::string error;
    const auto back = report_from_json_text(r.out, "saved.json", &error);
    REQUIRE_MESSAGE(back, error);
    REQUIRE(back->simulation);
    CHECK(back->simulation->seed == 9223372036854775808ull);
  }

  TEST_CASE(
      "FramePitch -2^31 (file_alignment 0x80000000 with 2D_BUFFER_REQUIRED) is reported, not "
      "negated") {
    const auto d = test::lint(test::read_file(data("frame-pitch-int-min.yaml")));
    const auto pitch = test::with_rule(d, "KSF1007");
    REQUIRE(pitch.size() == 1);
    CHECK(pitch[0].location.line == 12);
    CHECK(pitch[0].location.column == 31);
    CHECK(
        pitch[0].message ==
        "file_alignment 0x80000000 holds FramePitch -2147483648, whose magnitude no LONG can hold");
    CHECK(run({"negotiate", data("frame-pitch-int-min.yaml")}).code !=
          2);  // no crash, no UB (the ASan build checks)
  }

  TEST_CASE("a sweep of 0..2^64-1 is refused before anything runs") {
    const auto r = run({"explore", kExample, "--vary", "load.seed=0..18446744073709551615"});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "ksframe: --vary 'load.seed': '0..18446744073709551615' has 18446744073709551616 values, "
          "more "
          "than the 1000 --max-runs allows\n");
  }

  TEST_CASE("a file name that is not UTF-8 is shown escaped by every command and format") {
    const fs::path dir =
        fs::temp_directory_path() / ("ksframe-names-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string raw = (dir / "caf\xe9\x1b.yaml").string(),
                      shown = (dir / "caf\\xe9\\x1b.yaml").string();
    fs::copy_file(kExample, raw);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"run", raw, "--frames", "50", "--format", "json"},
          {"run", raw, "--frames", "50", "--format", "markdown"},
          {"run", raw, "--frames", "50", "--format", "html"},
          {"negotiate", raw, "--format", "json"},
          {"report", raw, "--frames", "50"},
          {"diff", raw, raw, "--frames", "50", "--format", "json"},
          {"lint", raw, "--format", "json"},
          {"lint", raw, "--format", "sarif"},
          {"lint", raw, "--format", "github"},
          {"export", raw}}) {
      const auto r = run(args);
      auto same = args;  // the same command on a plain name: the same exit code
      std::replace(same.begin(), same.end(), raw, kExample);
      CHECK_MESSAGE(r.code == run(same).code, args[0], " ", args.back(), ": ", r.err);
      CHECK_MESSAGE(r.err.find("internal error") == std::string::npos, args[0], " ", args.back());
      CHECK_MESSAGE((r.out + r.err).find("caf\xe9") == std::string::npos, args[0], " ",
                    args.back());
      CHECK_MESSAGE((r.out + r.err).find('\x1b') == std::string::npos, args[0], " ", args.back());
    }
    CHECK(run({"run", raw, "--frames", "50", "--format", "json"})
              .out.find("caf\\\\xe9\\\\x1b.yaml") != std::string::npos);
    CHECK(run({"lint", raw + ".missing"})
              .out.find(shown + ".missing: error: cannot read " + shown + ".missing") == 0);
    fs::remove_all(dir);
  }
}
