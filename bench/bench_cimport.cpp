// Reading a driver's C source: a generated 5,000-line driver (framing declarations of every
// shape, pin tables, filter descriptors, and function bodies with KsEdit and code that calls
// undeclared APIs) extracted end to end, and the split between libclang's parse and ksframe's
// walk of the AST. Target: under 1 s, dominated by the parse.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench_main.hpp"
#include "ksframe/cimport.hpp"

namespace {

// About 50 lines per block: a framing, a legacy framing, a 3-pin table, a filter, a function.
std::string generated_driver(int blocks) {
  std::string s = "#include <ntddk.h>\n#include <ks.h>\n#include <ksmedia.h>\n#define FRAMES 4\n";
  for (int i = 0; i < blocks; ++i) {
    const std::string n = std::to_string(i);
    s += "DECLARE_SIMPLE_FRAMING_EX(Simple" + n +
         ",\n    STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),\n    "
         "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY,\n"
         "    FRAMES,\n    FILE_LONG_ALIGNMENT,\n    " +
         n + " * PAGE_SIZE,\n    (" + n +
         " + 1) * PAGE_SIZE);\n"
         "const KSALLOCATOR_FRAMING_EX Explicit" +
         n +
         " = {\n    1, 0, {1, 1, 0}, 0,\n    {{\n"
         "        STATICGUIDOF(KSMEMORY_TYPE_KERNEL_PAGED), STATICGUIDOF(GUID_NULL), 0, 0,\n"
         "        KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 3, FILE_QUAD_ALIGNMENT, 0,\n"
         "        {0, (ULONG)-1, 1},\n        {{PAGE_SIZE, 4 * PAGE_SIZE, 1}, 0, 0}\n    }}\n};\n"
         "const KSALLOCATOR_FRAMING Legacy" +
         n +
         " = {\n    {KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY},\n"
         "    NonPagedPool, 6, 1316, {FILE_LONG_ALIGNMENT}, 0\n};\n"
         "NTSTATUS Create" +
         n +
         "(PKSPIN Pin, PIRP Irp) {\n    NTSTATUS Status = KsEdit(Pin, &Pin->Descriptor, 'x');\n"
         "    PKSALLOCATOR_FRAMING_EX F = "
         "(PKSALLOCATOR_FRAMING_EX)Pin->Descriptor->AllocatorFraming;\n"
         "    F->FramingItem[0].Frames = 8;\n    UndeclaredApi(Irp, Status);\n    return "
         "Status;\n}\n"
         "const KSPIN_DISPATCH Dispatch" +
         n + " = { Create" + n +
         ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };\n"
         "const KSPIN_DESCRIPTOR_EX Pins" +
         n +
         "[] = {\n"
         "    { &Dispatch" +
         n +
         ", NULL, { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_IN, KSPIN_COMMUNICATION_BOTH, NULL, "
         "NULL, 0 },\n"
         "      0, 1, 1, &Explicit" +
         n +
         ", NULL },\n"
         "    { &Dispatch" +
         n +
         ", NULL, { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_BOTH,\n"
         "      &PIN_CATEGORY_CAPTURE, NULL, 0 },\n"
         "      KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY, 1, 0, &Simple" +
         n +
         ", NULL },\n"
         "    { NULL, NULL, { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_OUT, "
         "KSPIN_COMMUNICATION_BOTH, NULL, NULL, 0 },\n"
         "      0, 1, 0, &Simple" +
         n +
         ", NULL },\n};\n"
         "const KSTOPOLOGY_CONNECTION Connections" +
         n +
         "[] = { { KSFILTER_NODE, 0, KSFILTER_NODE, 1 } };\n"
         "DEFINE_KSFILTER_DESCRIPTOR(Filter" +
         n +
         ") {\n    NULL, NULL, KSFILTER_DESCRIPTOR_VERSION, 0, NULL,\n"
         "    DEFINE_KSFILTER_PIN_DESCRIPTORS(Pins" +
         n +
         "),\n    DEFINE_KSFILTER_CATEGORY(KSCATEGORY_VIDEO),\n"
         "    DEFINE_KSFILTER_NODE_DESCRIPTORS_NULL,\n    DEFINE_KSFILTER_CONNECTIONS(Connections" +
         n + "),\n    NULL\n};\n";
  }
  return s;
}

struct Source {
  std::string path;
  std::size_t lines = 0;
  Source() {
    const std::string text = generated_driver(100);
    for (char c : text) lines += c == '\n';
    path = (std::filesystem::temp_directory_path() / "ksframe-bench-driver.c").string();
    std::ofstream(path, std::ios::binary) << text;
  }
  ~Source() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

double g_parse = 0, g_extract = 0, g_lines = 0;

void BM_ExtractDriver(benchmark::State& state) {
  Source source;
  double parse = 0, extract = 0;
  std::size_t framings = 0;
  for (auto _ : state) {
    const auto x = ksframe::cimport::extract({source.path}, {});
    parse += x.parse_seconds;
    extract += x.extract_seconds;
    framings = x.framings.size();
    benchmark::DoNotOptimize(x);
  }
  if (framings != 300) state.SkipWithError("the generated driver did not extract 300 framings");
  const double n = static_cast<double>(state.iterations());
  state.counters["lines"] = static_cast<double>(source.lines);
  state.counters["parse_ms"] = 1000 * parse / n;
  state.counters["extract_ms"] = 1000 * extract / n;
  g_parse = parse / n;
  g_extract = extract / n;
  g_lines = static_cast<double>(source.lines);
}
BENCHMARK(BM_ExtractDriver)->Unit(benchmark::kMillisecond)->Iterations(5);

// The same in this process (no fork, no trip of the extraction through a pipe): the cost of
// the child is the difference of the two wall times.
void BM_ExtractDriverInProcess(benchmark::State& state) {
  Source source;
  ksframe::cimport::Options options;
  options.isolate = false;
  for (auto _ : state) {
    const auto x = ksframe::cimport::extract({source.path}, options);
    if (x.framings.size() != 300)
      state.SkipWithError("the generated driver did not extract 300 framings");
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_ExtractDriverInProcess)->Unit(benchmark::kMillisecond)->Iterations(5);

class SplitReporter : public benchmark::ConsoleReporter {
 public:
  void Finalize() override {
    benchmark::ConsoleReporter::Finalize();
    const double total = g_parse + g_extract;
    if (total > 0)
      std::printf(
          "%.0f lines: %.0f ms in all, libclang parse %.0f ms (%.0f%%), extraction %.0f ms "
          "(%.0f%%)\n",
          g_lines, 1000 * total, 1000 * g_parse, 100 * g_parse / total, 1000 * g_extract,
          100 * g_extract / total);
  }
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<SplitReporter>(argc, argv); }
