// The unit tests' main: doctest's, plus one guard. ctest runs each test case on its own, selected
// by name (doctest_discover_tests passes --test-case=NAME). A name that selects nothing (CMake
// splits test names at ';', doctest's filter treats ',' '*' '?' specially) would run zero
// cases and pass; here a run that was asked for named test cases and ran none fails instead.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

namespace {

int g_cases_started = 0;

struct CountingListener : doctest::IReporter {
  explicit CountingListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override { ++g_cases_started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

DOCTEST_REGISTER_LISTENER("ksframe-count", 1, CountingListener);

bool selects_test_cases(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--test-case=") || a.starts_with("-tc=") ||
        a.starts_with("--dt-test-case=") || a.starts_with("--dt-tc="))
      return true;
  }
  return false;
}

bool only_lists(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--list") || a.starts_with("-ltc") || a.starts_with("-lts") ||
        a.starts_with("-lr") || a.starts_with("--count") || a == "-c" || a.starts_with("--help") ||
        a == "-h" || a.starts_with("--version") || a == "-v")
      return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit() || only_lists(argc, argv)) return result;
  if (selects_test_cases(argc, argv) && g_cases_started == 0) {
    std::fputs(
        "ksframe_unit_tests: the --test-case filter selected no test case; a test name "
        "that cannot be selected never runs (is there a ';' in it?)\n",
        stderr);
    return 1;
  }
  return result;
}
