// ksframe explore: --vary parsing, combination order, the same rows whatever the number of
// jobs, and a refused value as a row with its error.
#include "ksframe/explore.hpp"

#include "graph_specs.hpp"
#include "helpers.hpp"

using namespace ksframe;
using test::avshws;
using test::chain;

TEST_SUITE("explore") {
  TEST_CASE("--vary values: ranges, steps, lists, and exact errors") {
    std::string error;
    auto v = parse_vary("a.b=2..8:3", 100, &error);
    REQUIRE(v);
    CHECK(v->path == "a.b");
    CHECK(v->values == std::vector<std::string>{"2", "5", "8"});
    CHECK(parse_vary("a=1..3", 100, &error)->values == std::vector<std::string>{"1", "2", "3"});
    CHECK(parse_vary("a=KSMEMORY_TYPE_USER,GUID_NULL", 100, &error)->values ==
          std::vector<std::string>{"KSMEMORY_TYPE_USER", "GUID_NULL"});
    CHECK(parse_vary("a=7", 100, &error)->values == std::vector<std::string>{"7"});
    CHECK(
        parse_vary("a=0..18446744073709551615:18446744073709551615", 100, &error)->values.size() ==
        2);
    CHECK_FALSE(parse_vary("nonsense", 100, &error));
    CHECK(error ==
          "--vary 'nonsense' is not PATH=VALUES (e.g. "
          "camera.capture.framing_ex.items[0].frames=2..6)");
    CHECK_FALSE(parse_vary("a=", 100, &error));
    CHECK(error == "--vary 'a' has no values");
    CHECK_FALSE(parse_vary("a=5..1", 100, &error));
    CHECK(error == "--vary 'a': the range '5..1' is empty (5 > 1)");
    CHECK_FALSE(parse_vary("a=1..5:0", 100, &error));
    CHECK(error == "--vary 'a': the step of '1..5:0' is 0");
    CHECK_FALSE(parse_vary("a=-1..5", 100, &error));
    CHECK(error == "--vary 'a': '-1..5' is not a range of unsigned integers a..b or a..b:step");
    CHECK_FALSE(parse_vary("a=0..4294967295", 1000, &error));
    CHECK(
        error ==
        "--vary 'a': '0..4294967295' has 4294967296 values, more than the 1000 --max-runs allows");
    CHECK_FALSE(parse_vary("a=1,,2", 100, &error));
    CHECK(error == "--vary 'a': empty value in '1,,2'");
  }

  TEST_CASE("combination count saturates instead of wrapping") {
    std::vector<Vary> big(5, Vary{"a", std::vector<std::string>(1 << 16, "1")});
    CHECK(combination_count(big) == UINT64_MAX);
    CHECK(combination_count({Vary{"a", {"1", "2"}}, Vary{"b", {"x", "y", "z"}}}) == 6);
  }

  TEST_CASE("rows in combination order, the same with 1 job and with 4") {
    const SourceFile file{"e.yaml", chain(2, false)};
    const std::vector<Vary> vary{{"screen.in.framing_ex.items[0].frames", {"1", "3", "5"}},
                                 {"load.source.rate_hz", {"10", "30"}}};
    ExploreOptions one;
    one.jobs = 1;
    one.simulate.frames = 60;
    ExploreOptions four = one;
    four.jobs = 4;
    const auto a = explore(file, vary, one), b = explore(file, vary, four);
    REQUIRE(a.error.empty());
    REQUIRE(a.rows.size() == 6);
    CHECK(a.rows[0].values == std::vector<std::string>{"1", "10"});
    CHECK(a.rows[1].values == std::vector<std::string>{"1", "30"});
    CHECK(a.rows[5].values == std::vector<std::string>{"5", "30"});
    CHECK(a.rows[0].pipes.at(0).frames == 2);  // the camera's 2 frames win over the renderer's 1
    CHECK(a.rows[4].pipes.at(0).frames == 5);
    CHECK(render_explore_json(a) == render_explore_json(b));
    CHECK(render_explore_csv(a) == render_explore_csv(b));
  }

  TEST_CASE("--vary connections[0].format: the negotiated frame size follows the format") {
    // avshws's edit sizes frames to the format's image: YUY2 320x240 (640-byte rows) = 153600,
    // RGB24 320x240 (960-byte rows) = 230400; 2 frames each.
    const SourceFile file{"e.yaml", avshws("")};
    ExploreOptions o;
    o.simulate.frames = 30;
    const auto r = explore(file, {{"connections[0].format", {"0", "1"}}}, o);
    REQUIRE(r.error.empty());
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].status == RowStatus::Ok);
    CHECK(r.rows[1].status == RowStatus::Ok);
    CHECK(r.rows[0].pipes.at(0).frame_size == 153600);
    CHECK(r.rows[1].pipes.at(0).frame_size == 230400);
    CHECK(r.rows[0].pipes.at(0).frames == 2);
    CHECK(r.rows[1].pipes.at(0).frames == 2);
    // A range the output pin does not have is a row with its error, not a stopped sweep.
    const auto bad = explore(file, {{"connections[0].format", {"1", "2"}}}, o);
    REQUIRE(bad.rows.size() == 2);
    CHECK(bad.rows[0].status == RowStatus::Ok);
    CHECK(bad.rows[1].status == RowStatus::Errors);
    CHECK(bad.rows[1].first_error ==
          "e.yaml:13:15: format 2 names a data range avshws.capture does not have (it has 2) "
          "[KSF0017]");
  }

  TEST_CASE(
      "a value the spec refuses is a row with its error, a path that does not exist is an error") {
    const SourceFile file{"e.yaml", chain(2, false)};
    ExploreOptions o;
    o.simulate.frames = 30;
    const auto r = explore(file, {{"screen.in.framing_ex.items[0].frames", {"2", "-1"}}}, o);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].status == RowStatus::Ok);
    CHECK(r.rows[1].status == RowStatus::Errors);
    CHECK(r.rows[1].first_error == "e.yaml:4:112: 'frames' is negative: -1 [KSF0010]");
    CHECK(render_explore_csv(r).find("\r\n-1,errors,-,-,-,-,-,-,fail,e.yaml:4:112: 'frames' is "
                                     "negative: -1 [KSF0010]\r\n") != std::string::npos);
    const auto bad = explore(file, {{"sreen.in.frames", {"1"}}}, o);
    CHECK(bad.rows.empty());
    CHECK(bad.error.starts_with(
        "--vary sreen.in.frames: no filter named 'sreen' (did you mean 'screen'?)"));
  }

  TEST_CASE("an override that cannot apply names the option it came from (--set or --vary)") {
    const SourceFile file{"e.yaml", chain(2, false)};
    ExploreOptions o;
    o.simulate.frames = 30;
    o.overrides = {"load.frames=30", "sreen.in.frames=1"};
    CHECK(explore(file, {{"load.seed", {"1", "2"}}}, o).error ==
          "--set sreen.in.frames=1: no filter named 'sreen' (did you mean 'screen'?); filters: "
          "cam, screen (or a top-level key: options, load, ...)");
    // A --vary path is shown without its value (every value fails), cut as --set's are: the
    // loader's own cut of the assignment once kept the message from being renamed.
    o.overrides = {};
    const std::string path = "screen.in." + std::string(130, 'k') + "[3]";
    CHECK(explore(file, {{path, {"1"}}}, o).error == "--vary screen.in." + std::string(50, 'k') +
                                                         "...: there is no list '" +
                                                         std::string(60, 'k') + "...' to index");
  }
}
