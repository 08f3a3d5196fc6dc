// Reading a driver's C source: a generated 5,000-line driver (framing declarations of every
// shape, pin tables, filter descriptors, and function bodies with KsEdit and code that calls
// undeclared APIs) extracted end to end, and the split between libclang's parse and ksframe's
// walk of the AST. Target: under 1 s, dominated by the parse.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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

// A two-file driver in the shape of the WDK's avshws sample: capture.cpp holds the capture pin's
// framing, video ranges, range table and dispatch (with a DispatchCreate that edits the framing
// through KsEdit); filter.cpp the pin table and the filter descriptor, which name capture.cpp's
// tables `extern`. Both include the whole stand-in header set a driver may include. Target:
// under 300 ms a run (the two sources are one extraction, joined across the files).
const char* const kHeaders =
    "#include <ntddk.h>\n#include <windef.h>\n#include <mmreg.h>\n#include <ks.h>\n"
    "#include <ksmedia.h>\n#include <portcls.h>\n#include <bdatypes.h>\n#include <bdamedia.h>\n"
    "#include <bdasup.h>\n#include <ntstrsafe.h>\n";

std::string video_range(const std::string& name, int width, int height) {
  const std::string w = std::to_string(width), h = std::to_string(height);
  const std::string bytes = "(" + w + " * " + h + " * 2)";
  return "const KS_DATARANGE_VIDEO " + name + " = {\n  { sizeof(KS_DATARANGE_VIDEO), 0, " + bytes +
         ", 0, STATICGUIDOF(KSDATAFORMAT_TYPE_VIDEO), STATICGUIDOF(KSDATAFORMAT_SUBTYPE_YUY2),\n"
         "    STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO) },\n"
         "  TRUE, FALSE, KS_VIDEOSTREAM_CAPTURE, 0,\n"
         "  { STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO), KS_AnalogVideo_None, { " +
         w + ", " + h + " }, { " + w + ", " + h + " }, { " + w + ", " + h + " }, 8, 1, 8, 1, { " +
         w + ", " + h + " }, { " + w + ", " + h +
         " }, 8, 1, 0, 0, 0, 0, 333667, 640000000, 8 * 2 * 30 * " + w + " * " + h + ", 8 * 2 * " +
         w + " * " + h +
         " },\n"
         "  { { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 8 * 2 * 30 * " +
         w + " * " + h + ", 0, 333667,\n    { sizeof(KS_BITMAPINFOHEADER), " + w + ", " + h +
         ", 1, 16, FOURCC_YUY2, " + bytes +
         ", 0, 0, 0, 0 } }\n"
         "};\n";
}

struct TwoFileDriver {
  std::filesystem::path dir;
  std::vector<std::string> files;
  TwoFileDriver() {
    dir = std::filesystem::temp_directory_path() / "ksframe-bench-avshws";
    std::filesystem::create_directories(dir);
    std::string capture = std::string(kHeaders) + "#include \"avshws.h\"\n";
    capture +=
        "DECLARE_SIMPLE_FRAMING_EX(CapturePinAllocatorFraming, "
        "STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),\n"
        "  KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY, 2,\n"
        "  FILE_LONG_ALIGNMENT, 2 * PAGE_SIZE, 2 * PAGE_SIZE);\n";
    capture += video_range("FormatYUY2_320", 320, 240) + video_range("FormatYUY2_640", 640, 480);
    capture +=
        "const PKSDATARANGE CapturePinDataRanges[CAPTURE_PIN_DATA_RANGE_COUNT] = {\n"
        "  (PKSDATARANGE)&FormatYUY2_320, (PKSDATARANGE)&FormatYUY2_640 };\n"
        "class CCapturePin { public: static NTSTATUS DispatchCreate(PKSPIN Pin, PIRP Irp);\n"
        "  static NTSTATUS DispatchSetFormat(PKSPIN, PKSDATAFORMAT, PKSMULTIPLE_ITEM, const "
        "KSDATARANGE*, const void*); };\n"
        "NTSTATUS CCapturePin::DispatchCreate(PKSPIN Pin, PIRP Irp) {\n"
        "  NTSTATUS Status = KsEdit(Pin, &Pin->Descriptor, 'pac');\n"
        "  if (NT_SUCCESS(Status)) Status = KsEdit(Pin, &Pin->Descriptor->AllocatorFraming, "
        "'pac');\n"
        "  PKSALLOCATOR_FRAMING_EX Framing = "
        "const_cast<PKSALLOCATOR_FRAMING_EX>(Pin->Descriptor->AllocatorFraming);\n"
        "  Framing->FramingItem[0].Frames = 2;\n"
        "  Framing->FramingItem[0].PhysicalRange.MinFrameSize = "
        "Pin->ConnectionFormat->SampleSize;\n"
        "  Framing->FramingItem[0].FramingRange.Range.MaxFrameSize = "
        "Pin->ConnectionFormat->SampleSize;\n"
        "  return Status;\n}\n"
        "const KSPIN_DISPATCH CapturePinDispatch = { CCapturePin::DispatchCreate, NULL, NULL, "
        "NULL, CCapturePin::DispatchSetFormat, NULL, NULL, NULL, NULL, NULL };\n";
    std::string filter = std::string(kHeaders) + "#include \"avshws.h\"\n";
    filter +=
        "const KSPIN_DESCRIPTOR_EX CaptureFilterPinDescriptors[] = {\n"
        "  { &CapturePinDispatch, NULL,\n"
        "    { 0, NULL, 0, NULL, SIZEOF_ARRAY(CapturePinDataRanges), CapturePinDataRanges,\n"
        "      KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_BOTH, &PIN_CATEGORY_CAPTURE,\n"
        "      &g_PINNAME_VIDEO_CAPTURE, 0 },\n"
        "    KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY, 1, 1, &CapturePinAllocatorFraming,\n"
        "    NULL } };\n"
        "const GUID CaptureFilterCategories[] = { STATICGUIDOF(KSCATEGORY_VIDEO), "
        "STATICGUIDOF(KSCATEGORY_CAPTURE) };\n"
        "DEFINE_KSFILTER_DESCRIPTOR(CaptureFilterDescriptor) {\n"
        "  NULL, NULL, KSFILTER_DESCRIPTOR_VERSION, 0, &KSNAME_Filter,\n"
        "  DEFINE_KSFILTER_PIN_DESCRIPTORS(CaptureFilterPinDescriptors),\n"
        "  DEFINE_KSFILTER_CATEGORIES(CaptureFilterCategories),\n"
        "  DEFINE_KSFILTER_NODE_DESCRIPTORS_NULL, DEFINE_KSFILTER_DEFAULT_CONNECTIONS, NULL };\n";
    const std::string header =
        "#pragma once\n#define CAPTURE_PIN_DATA_RANGE_COUNT 2\n"
        "#define FOURCC_YUY2 MAKEFOURCC('Y', 'U', 'Y', '2')\n"
        "extern const KSALLOCATOR_FRAMING_EX CapturePinAllocatorFraming;\n"
        "extern const PKSDATARANGE CapturePinDataRanges[CAPTURE_PIN_DATA_RANGE_COUNT];\n"
        "extern const KSPIN_DISPATCH CapturePinDispatch;\n"
        "#define g_PINNAME_VIDEO_CAPTURE PINNAME_VIDEO_CAPTURE\n";
    std::ofstream(dir / "avshws.h", std::ios::binary) << header;
    std::ofstream(dir / "capture.cpp", std::ios::binary) << capture;
    std::ofstream(dir / "filter.cpp", std::ios::binary) << filter;
    files = {(dir / "filter.cpp").string(), (dir / "capture.cpp").string()};
  }
  ~TwoFileDriver() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

void BM_TwoFileDriver(benchmark::State& state) {
  TwoFileDriver driver;
  for (auto _ : state) {
    const auto x = ksframe::cimport::extract(driver.files, {});
    // The filter of filter.cpp, with capture.cpp's two ranges joined into its one pin.
    if (x.filters.size() != 1 || x.filters[0].pins.size() != 1 ||
        x.filters[0].pins[0].ranges.size() != 2 || x.framings.size() != 1)
      state.SkipWithError("the two-file driver was not read and joined");
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_TwoFileDriver)->Unit(benchmark::kMillisecond)->Iterations(10);

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
