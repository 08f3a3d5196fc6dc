// ksframe export and import. The exported C is compiled by gcc against a small <ks.h>
// stand-in written here from the reference layouts (not from ksframe's tables), with static
// assertions on sizes and offsets in C11 and on every value in C++17; imported binaries must
// give back, through the real loader, exactly the structure that was encoded.
#include "ksframe/export.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "helpers.hpp"
#include "ksframe/ks.hpp"

using namespace ksframe;
namespace fs = std::filesystem;

namespace {

// The structures of ks.h (reference sections 1.1 and 3) and the constants the exporter may
// name, typed in from the reference tables. ULONG is 32 bits as on Windows.
constexpr const char* kKsHeader = R"(
typedef unsigned int ULONG;
typedef int LONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;
typedef struct { ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]; } GUID;
typedef enum { NonPagedPool = 0, PagedPool = 1, NonPagedPoolMustSucceed = 2, DontUseThisType = 3,
               NonPagedPoolCacheAligned = 4, PagedPoolCacheAligned = 5, NonPagedPoolNx = 512 } POOL_TYPE;
typedef struct { ULONG RatioNumerator; ULONG RatioDenominator; ULONG RatioConstantMargin; } KS_COMPRESSION;
typedef struct { ULONG MinFrameSize; ULONG MaxFrameSize; ULONG Stepping; } KS_FRAMING_RANGE;
typedef struct { KS_FRAMING_RANGE Range; ULONG InPlaceWeight; ULONG NotInPlaceWeight; } KS_FRAMING_RANGE_WEIGHTED;
typedef struct {
  GUID MemoryType; GUID BusType; ULONG MemoryFlags; ULONG BusFlags; ULONG Flags; ULONG Frames;
  union { ULONG FileAlignment; LONG FramePitch; };
  ULONG MemoryTypeWeight; KS_FRAMING_RANGE PhysicalRange; KS_FRAMING_RANGE_WEIGHTED FramingRange;
} KS_FRAMING_ITEM;
typedef struct {
  ULONG CountItems; ULONG PinFlags; KS_COMPRESSION OutputCompression; ULONG PinWeight;
  KS_FRAMING_ITEM FramingItem[1];
} KSALLOCATOR_FRAMING_EX;
typedef struct {
  union { ULONG OptionsFlags; ULONG RequirementsFlags; };
  POOL_TYPE PoolType; ULONG Frames; ULONG FrameSize;
  union { ULONG FileAlignment; LONG FramePitch; };
  ULONG Reserved;
} KSALLOCATOR_FRAMING;
#define STATIC_GUID_NULL 0x00000000L, 0x0000, 0x0000, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define STATIC_KS_TYPE_DONT_CARE STATIC_GUID_NULL
#define STATIC_KSMEMORY_TYPE_SYSTEM 0x091bb638L, 0x603f, 0x11d1, 0xb0, 0x67, 0x00, 0xa0, 0xc9, 0x06, 0x28, 0x02
#define STATIC_KSMEMORY_TYPE_USER 0x8cb0fc28L, 0x7893, 0x11d1, 0xb0, 0x69, 0x00, 0xa0, 0xc9, 0x06, 0x28, 0x02
#define STATIC_KSMEMORY_TYPE_KERNEL_PAGED 0xd833f8f8L, 0x7894, 0x11d1, 0xb0, 0x69, 0x00, 0xa0, 0xc9, 0x06, 0x28, 0x02
#define STATIC_KSMEMORY_TYPE_KERNEL_NONPAGED 0x4a6d5fc4L, 0x7895, 0x11d1, 0xb0, 0x69, 0x00, 0xa0, 0xc9, 0x06, 0x28, 0x02
#define STATIC_KSMEMORY_TYPE_DEVICE_UNKNOWN 0x091bb639L, 0x603f, 0x11d1, 0xb0, 0x67, 0x00, 0xa0, 0xc9, 0x06, 0x28, 0x02
#define KSALLOCATOR_OPTIONF_COMPATIBLE 0x00000001
#define KSALLOCATOR_OPTIONF_SYSTEM_MEMORY 0x00000002
#define KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER 0x00000001
#define KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY 0x00000002
#define KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY 0x00000004
#define KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE 0x00000008
#define KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY_CUSTOM_ALLOCATION 0x00000010
#define KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY 0x80000000
#define KSALLOCATOR_FLAG_PARTIAL_READ_SUPPORT 0x00000010
#define KSALLOCATOR_FLAG_DEVICE_SPECIFIC 0x00000020
#define KSALLOCATOR_FLAG_CAN_ALLOCATE 0x00000040
#define KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO 0x00000080
#define KSALLOCATOR_FLAG_NO_FRAME_INTEGRITY 0x00000100
#define KSALLOCATOR_FLAG_MULTIPLE_OUTPUT 0x00000200
#define KSALLOCATOR_FLAG_CYCLE 0x00000400
#define KSALLOCATOR_FLAG_ALLOCATOR_EXISTS 0x00000800
#define KSALLOCATOR_FLAG_INDEPENDENT_RANGES 0x00001000
#define KSALLOCATOR_FLAG_ATTENTION_STEPPING 0x00002000
#define KSALLOCATOR_FLAG_ENABLE_CACHED_MDL 0x00004000
#define KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED 0x00008000
#define FILE_BYTE_ALIGNMENT 0x00000000
#define FILE_WORD_ALIGNMENT 0x00000001
#define FILE_LONG_ALIGNMENT 0x00000003
#define FILE_QUAD_ALIGNMENT 0x00000007
#define FILE_OCTA_ALIGNMENT 0x0000000f
#define FILE_32_BYTE_ALIGNMENT 0x0000001f
#define FILE_64_BYTE_ALIGNMENT 0x0000003f
#define FILE_128_BYTE_ALIGNMENT 0x0000007f
#define FILE_256_BYTE_ALIGNMENT 0x000000ff
#define FILE_512_BYTE_ALIGNMENT 0x000001ff
#define PAGE_SIZE 0x1000
/* ks.h and ksmedia.h data ranges (x64 layout: the union with LONGLONG Alignment makes
   KSDATARANGE 8-aligned). */
typedef long long LONGLONG;
typedef int BOOL;
typedef unsigned int DWORD;
typedef unsigned short WORD;
typedef LONGLONG REFERENCE_TIME;
#define TRUE 1
#define FALSE 0
typedef struct { LONG left; LONG top; LONG right; LONG bottom; } RECT;
typedef struct { LONG cx; LONG cy; } SIZE;
typedef union {
  struct { ULONG FormatSize; ULONG Flags; ULONG SampleSize; ULONG Reserved; GUID MajorFormat; GUID SubFormat; GUID Specifier; };
  LONGLONG Alignment;
} KSDATARANGE, *PKSDATARANGE;
typedef struct {
  KSDATARANGE DataRange; ULONG MaximumChannels; ULONG MinimumBitsPerSample; ULONG MaximumBitsPerSample;
  ULONG MinimumSampleFrequency; ULONG MaximumSampleFrequency;
} KSDATARANGE_AUDIO;
typedef struct {
  DWORD biSize; LONG biWidth; LONG biHeight; WORD biPlanes; WORD biBitCount; DWORD biCompression; DWORD biSizeImage;
  LONG biXPelsPerMeter; LONG biYPelsPerMeter; DWORD biClrUsed; DWORD biClrImportant;
} KS_BITMAPINFOHEADER;
typedef struct {
  RECT rcSource; RECT rcTarget; DWORD dwBitRate; DWORD dwBitErrorRate; REFERENCE_TIME AvgTimePerFrame;
  KS_BITMAPINFOHEADER bmiHeader;
} KS_VIDEOINFOHEADER;
typedef struct {
  GUID guid; ULONG VideoStandard; SIZE InputSize; SIZE MinCroppingSize; SIZE MaxCroppingSize;
  int CropGranularityX; int CropGranularityY; int CropAlignX; int CropAlignY;
  SIZE MinOutputSize; SIZE MaxOutputSize; int OutputGranularityX; int OutputGranularityY;
  int StretchTapsX; int StretchTapsY; int ShrinkTapsX; int ShrinkTapsY;
  LONGLONG MinFrameInterval; LONGLONG MaxFrameInterval; LONG MinBitsPerSecond; LONG MaxBitsPerSecond;
} KS_VIDEO_STREAM_CONFIG_CAPS;
typedef struct {
  KSDATARANGE DataRange; BOOL bFixedSizeSamples; BOOL bTemporalCompression; DWORD StreamDescriptionFlags;
  DWORD MemoryAllocationFlags; KS_VIDEO_STREAM_CONFIG_CAPS ConfigCaps; KS_VIDEOINFOHEADER VideoInfoHeader;
} KS_DATARANGE_VIDEO;
#define BI_RGB 0
#define BI_BITFIELDS 3
#define STATIC_KSDATAFORMAT_TYPE_VIDEO 0x73646976L, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71
#define STATIC_KSDATAFORMAT_TYPE_AUDIO 0x73647561L, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71
#define STATIC_KSDATAFORMAT_TYPE_STREAM 0xe436eb83L, 0x524f, 0x11ce, 0x9f, 0x53, 0x00, 0x20, 0xaf, 0x0b, 0xa7, 0x70
#define STATIC_KSDATAFORMAT_SUBTYPE_PCM 0x00000001L, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71
#define STATIC_KSDATAFORMAT_SUBTYPE_IEEE_FLOAT 0x00000003L, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71
#define STATIC_KSDATAFORMAT_SUBTYPE_NONE 0xe436eb8eL, 0x524f, 0x11ce, 0x9f, 0x53, 0x00, 0x20, 0xaf, 0x0b, 0xa7, 0x70
#define STATIC_KSDATAFORMAT_TYPE_MPEG2_TRANSPORT 0xe06d8023L, 0xdb46, 0x11cf, 0xb4, 0xd1, 0x00, 0x80, 0x5f, 0x6c, 0xbb, 0xea
#define STATIC_KSDATAFORMAT_SUBTYPE_BDA_MPEG2_TRANSPORT 0xf4aeb342L, 0x0329, 0x4fdd, 0xa8, 0xfd, 0x4a, 0xff, 0x49, 0x26, 0xc9, 0x78
#define STATIC_KSDATAFORMAT_SPECIFIER_VIDEOINFO 0x05589f80L, 0xc356, 0x11ce, 0xbf, 0x01, 0x00, 0xaa, 0x00, 0x55, 0x59, 0x5a
#define STATIC_KSDATAFORMAT_SPECIFIER_WAVEFORMATEX 0x05589f81L, 0xc356, 0x11ce, 0xbf, 0x01, 0x00, 0xaa, 0x00, 0x55, 0x59, 0x5a
#define STATIC_KSDATAFORMAT_SPECIFIER_NONE 0x0f6417d6L, 0xc318, 0x11d0, 0xa4, 0x3f, 0x00, 0xa0, 0xc9, 0x22, 0x31, 0x96
#define STATIC_KSDATAFORMAT_SPECIFIER_BDA_TRANSPORT 0x8deda6fdL, 0xac5f, 0x4334, 0x8e, 0xcf, 0xa4, 0xba, 0x8f, 0xa7, 0xd0, 0xf0
#define DECLARE_SIMPLE_FRAMING_EX(Name, MemoryType, Flags, Frames, Alignment, MinFrameSize, MaxFrameSize) \
  const KSALLOCATOR_FRAMING_EX Name = {1, 0, {1, 1, 0}, 0, {{MemoryType, STATIC_KS_TYPE_DONT_CARE, 0, 0, Flags, \
      Frames, Alignment, 0, {0, (ULONG)-1, 1}, {{MinFrameSize, MaxFrameSize, 1}, 0, 0}}}}
)";

constexpr const char* kLayoutAsserts = R"(
#include <stddef.h>
_Static_assert(sizeof(GUID) == 16, "GUID");
_Static_assert(sizeof(KS_COMPRESSION) == 12, "KS_COMPRESSION");
_Static_assert(sizeof(KS_FRAMING_RANGE) == 12, "KS_FRAMING_RANGE");
_Static_assert(sizeof(KS_FRAMING_RANGE_WEIGHTED) == 20, "KS_FRAMING_RANGE_WEIGHTED");
_Static_assert(sizeof(KS_FRAMING_ITEM) == 88, "KS_FRAMING_ITEM");
_Static_assert(offsetof(KS_FRAMING_ITEM, Flags) == 40, "Flags");
_Static_assert(offsetof(KS_FRAMING_ITEM, PhysicalRange) == 56, "PhysicalRange");
_Static_assert(offsetof(KSALLOCATOR_FRAMING_EX, FramingItem) == 24, "FramingItem");
_Static_assert(sizeof(KSALLOCATOR_FRAMING) == 24, "KSALLOCATOR_FRAMING");
/* Worked out by hand for x64: KSDATARANGE = 4 ULONGs + 3 GUIDs = 64; the audio range adds 5
   ULONGs (84), padded to its 8-byte alignment (88). The config caps: GUID 16, VideoStandard 20,
   three SIZEs 44, four ints 60, two SIZEs 76, six ints 100, padding to 104, two LONGLONGs 120,
   two LONGs 128. The info header: two RECTs 32, two DWORDs 40, AvgTimePerFrame 48,
   BITMAPINFOHEADER 40 -> 88. The video range: 64 + 4 DWORDs = 80, caps to 208, header to 296. */
_Static_assert(sizeof(KSDATARANGE) == 64, "KSDATARANGE");
_Static_assert(offsetof(KSDATARANGE, MajorFormat) == 16, "MajorFormat");
_Static_assert(sizeof(KSDATARANGE_AUDIO) == 88, "KSDATARANGE_AUDIO");
_Static_assert(offsetof(KSDATARANGE_AUDIO, MaximumSampleFrequency) == 80, "MaximumSampleFrequency");
_Static_assert(sizeof(KS_BITMAPINFOHEADER) == 40, "KS_BITMAPINFOHEADER");
_Static_assert(offsetof(KS_BITMAPINFOHEADER, biCompression) == 16, "biCompression");
_Static_assert(sizeof(KS_VIDEOINFOHEADER) == 88, "KS_VIDEOINFOHEADER");
_Static_assert(offsetof(KS_VIDEOINFOHEADER, AvgTimePerFrame) == 40, "AvgTimePerFrame");
_Static_assert(offsetof(KS_VIDEOINFOHEADER, bmiHeader) == 48, "bmiHeader");
_Static_assert(sizeof(KS_VIDEO_STREAM_CONFIG_CAPS) == 128, "KS_VIDEO_STREAM_CONFIG_CAPS");
_Static_assert(offsetof(KS_VIDEO_STREAM_CONFIG_CAPS, MinFrameInterval) == 104, "MinFrameInterval");
_Static_assert(sizeof(KS_DATARANGE_VIDEO) == 296, "KS_DATARANGE_VIDEO");
_Static_assert(offsetof(KS_DATARANGE_VIDEO, ConfigCaps) == 80, "ConfigCaps");
_Static_assert(offsetof(KS_DATARANGE_VIDEO, VideoInfoHeader) == 208, "VideoInfoHeader");
)";

std::string guid_asserts(const std::string& expr, const ks::Guid& g) {
  std::string s = "static_assert(" + expr + ".Data1 == " + std::to_string(g.data1) + "u && " +
                  expr + ".Data2 == " + std::to_string(g.data2) + " && " + expr +
                  ".Data3 == " + std::to_string(g.data3);
  for (int i = 0; i < 8; ++i)
    s += " && " + expr + ".Data4[" + std::to_string(i) + "] == " + std::to_string(g.data4[i]);
  return s + ", \"" + expr + "\");\n";
}

std::string check(const std::string& expr, std::uint64_t value) {
  return "static_assert(" + expr + " == " + std::to_string(value) + "u, \"" + expr + "\");\n";
}

// Static assertions for every field of every pin's framing, from the loaded spec.
std::string value_asserts(const Spec& spec) {
  std::string s;
  std::map<std::string, int> used;
  for (const auto& f : spec.filters)
    for (const auto& p : f.pins) {
      if (p.user_mode.value || (!p.framing && !p.framing_ex && p.data_ranges.empty())) continue;
      std::string stem = c_identifier_stem(f.name.value, p.name.value);
      if (const int n = used[stem]++; n > 0) stem += "_" + std::to_string(n + 1);
      if (p.framing_ex) {
        const auto ex = p.framing_ex->value();
        const std::string v = stem + "AllocatorFramingEx";
        s += check(v + ".CountItems", ex.CountItems) + check(v + ".PinFlags", ex.PinFlags) +
             check(v + ".OutputCompression.RatioNumerator", ex.OutputCompression.RatioNumerator) +
             check(v + ".OutputCompression.RatioDenominator",
                   ex.OutputCompression.RatioDenominator) +
             check(v + ".OutputCompression.RatioConstantMargin",
                   ex.OutputCompression.RatioConstantMargin) +
             check(v + ".PinWeight", ex.PinWeight);
        for (std::size_t i = 0; i < ex.FramingItem.size(); ++i) {
          const auto& it = ex.FramingItem[i];
          const std::string e = v + ".FramingItem[" + std::to_string(i) + "]";
          s += guid_asserts(e + ".MemoryType", it.MemoryType) +
               guid_asserts(e + ".BusType", it.BusType) +
               check(e + ".MemoryFlags", it.MemoryFlags) + check(e + ".BusFlags", it.BusFlags) +
               check(e + ".Flags", it.Flags) + check(e + ".Frames", it.Frames) +
               check(e + ".FileAlignment", it.FileAlignment) +
               check(e + ".MemoryTypeWeight", it.MemoryTypeWeight) +
               check(e + ".PhysicalRange.MinFrameSize", it.PhysicalRange.MinFrameSize) +
               check(e + ".PhysicalRange.MaxFrameSize", it.PhysicalRange.MaxFrameSize) +
               check(e + ".PhysicalRange.Stepping", it.PhysicalRange.Stepping) +
               check(e + ".FramingRange.Range.MinFrameSize", it.FramingRange.Range.MinFrameSize) +
               check(e + ".FramingRange.Range.MaxFrameSize", it.FramingRange.Range.MaxFrameSize) +
               check(e + ".FramingRange.Range.Stepping", it.FramingRange.Range.Stepping) +
               check(e + ".FramingRange.InPlaceWeight", it.FramingRange.InPlaceWeight) +
               check(e + ".FramingRange.NotInPlaceWeight", it.FramingRange.NotInPlaceWeight);
        }
      }
      if (p.framing) {
        const auto l = p.framing->value();
        const std::string v = stem + "AllocatorFraming";
        s += check(v + ".OptionsFlags", l.OptionsFlags) + check(v + ".PoolType", l.PoolType) +
             check(v + ".Frames", l.Frames) + check(v + ".FrameSize", l.FrameSize) +
             check(v + ".FileAlignment", l.FileAlignment) + check(v + ".Reserved", l.Reserved);
      }
      for (std::size_t i = 0; i < p.data_ranges.size(); ++i) {
        const DataRangeSpec& r = p.data_ranges[i];
        const std::string v = stem + "DataRange" + std::to_string(i);
        const std::string d = r.kind.value == DataRangeSpec::Kind::Plain ? v : v + ".DataRange";
        s += guid_asserts(d + ".MajorFormat", r.major.value) +
             guid_asserts(d + ".SubFormat", r.subtype.value) +
             guid_asserts(d + ".Specifier", r.specifier.value) + check(d + ".Flags", 0) +
             check(d + ".SampleSize",
                   r.kind.value == DataRangeSpec::Kind::Audio ? 0 : r.sample_bytes());
        s += "static_assert(" + stem + "DataRanges[" + std::to_string(i) + "] == &" + d +
             ", \"table\");\n";
        if (r.kind.value == DataRangeSpec::Kind::Video) {
          const std::string h = v + ".VideoInfoHeader.bmiHeader";
          s += check(d + ".FormatSize", 296) + check(h + ".biSize", 40) +
               check(h + ".biWidth", r.width.value) + "static_assert(" + h +
               ".biHeight == " + std::to_string(r.height.value) + ", \"biHeight\");\n" +
               check(h + ".biPlanes", 1) + check(h + ".biBitCount", r.bit_count.value) +
               check(h + ".biCompression", r.compression.value) +
               check(h + ".biSizeImage", r.sample_bytes()) +
               check(v + ".VideoInfoHeader.AvgTimePerFrame", r.avg_time_per_frame.value);
        } else if (r.kind.value == DataRangeSpec::Kind::Audio) {
          s += check(d + ".FormatSize", 88) + check(v + ".MaximumChannels", r.max_channels.value) +
               check(v + ".MinimumBitsPerSample", r.bits_min.value) +
               check(v + ".MaximumBitsPerSample", r.bits_max.value) +
               check(v + ".MinimumSampleFrequency", r.rate_min.value) +
               check(v + ".MaximumSampleFrequency", r.rate_max.value);
        } else {
          s += check(d + ".FormatSize", 64);
        }
      }
    }
  return s;
}

struct Compiled {
  int code;
  std::string output;
};

Compiled run(const std::string& command) {
  std::string output;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) output.append(buf, n);
  return {::pclose(p), output};
}

// Writes the header, the export and the assertions, and compiles them as C11 and as C++17.
void compile_export(const Spec& spec, const std::string& tag) {
  const fs::path dir =
      fs::temp_directory_path() / ("ksframe-export-" + std::to_string(::getpid()) + "-" + tag);
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  write("ks_min.h", kKsHeader);
  write("exported.c", export_c(spec));
  write("as_c.c",
        std::string("#include \"ks_min.h\"\n") + kLayoutAsserts + "#include \"exported.c\"\n");
  // In C++ a constexpr object's fields are constant expressions; `const` becomes constexpr
  // only around the exported file (no standard header follows the #define).
  write("as_cpp.cpp",
        "#include \"ks_min.h\"\n#define const constexpr\n#include \"exported.c\"\n#undef const\n" +
            value_asserts(spec));
  const auto c =
      run("gcc -std=c11 -Wall -Wextra -Wno-missing-braces -Wno-missing-field-initializers -Werror "
          "-fsyntax-only " +
          (dir / "as_c.c").string());
  CHECK_MESSAGE(c.code == 0, tag, ": ", c.output);
  const auto cpp = run("g++ -std=c++17 -Wall -Werror -Wno-missing-braces -fsyntax-only " +
                       (dir / "as_cpp.cpp").string());
  CHECK_MESSAGE(cpp.code == 0, tag, ": ", cpp.output);
  fs::remove_all(dir);
}

std::string indented(const std::string& yaml, std::size_t by) {
  std::string out;
  for (std::size_t start = 0; start < yaml.size();) {
    const auto nl = yaml.find('\n', start);
    out += std::string(by, ' ') + yaml.substr(start, nl - start + 1);
    start = nl + 1;
  }
  return out;
}

Spec load_ok(const std::string& text, const std::string& name = "t.yaml") {
  auto r = load_spec(SourceFile{name, text});
  REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
  return *r.spec;
}

// Framing that DECLARE_SIMPLE_FRAMING_EX cannot express: two items, unknown flag bits, a GUID
// with no name, a bus GUID, unknown compression, a negative FramePitch.
constexpr const char* kOddFraming = R"(ksframe: 1
filters:
  - name: odd-device
    pins:
      - name: out_0
        dataflow: out
        framing_ex:
          pin_flags: 0
          output_compression: {numerator: unknown, denominator: 1, constant_margin: 7}
          items:
            - memory_type: 12345678-9abc-def0-1234-56789abcdef0
              bus_type: GUID_BUS_TYPE_PCI
              flags: 0x00100002
              frames: 3
              file_alignment: FILE_512_BYTE_ALIGNMENT
              physical_range: {min: 100, max: unbounded, stepping: 4}
            - memory_type: KSMEMORY_TYPE_KERNEL_PAGED
              flags: [KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED, KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY]
              frames: 2
              file_alignment: 4294966296
              memory_type_weight: 5
              framing_range: {min: 64, max: 128, stepping: 64, in_place_weight: 0, not_in_place_weight: 0}
      - name: legacy
        dataflow: in
        framing:
          options_flags: [KSALLOCATOR_OPTIONF_SYSTEM_MEMORY]
          pool_type: PagedPool
          frames: 2
          frame_size: 4096
          file_alignment: FILE_QUAD_ALIGNMENT
)";

}  // namespace

TEST_SUITE("export") {
  TEST_CASE("every example's export compiles as C and C++ and has the spec's values") {
    REQUIRE_MESSAGE(run("gcc --version").code == 0, "gcc is needed for this test");
    DiskFileReader disk;
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/examples")) {
      if (e.path().extension() != ".yaml") continue;
      auto r = load_spec_file(disk, e.path().string());
      REQUIRE(r.spec);
      compile_export(*r.spec, e.path().stem().string());
    }
  }

  TEST_CASE("framing the simple macro cannot express compiles with its exact values") {
    const Spec spec = load_ok(kOddFraming);
    const std::string c = export_c(spec);
    CHECK(c.find("const struct {\n    ULONG CountItems;") != std::string::npos);
    CHECK(c.find("KS_FRAMING_ITEM FramingItem[2];\n} OddDeviceOut0AllocatorFramingEx = {") !=
          std::string::npos);
    CHECK(c.find("{0x12345678L, 0x9ABC, 0xDEF0, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0},  "
                 "/* MemoryType */") != std::string::npos);
    CHECK(c.find("{0xC8EBDFB0L, 0xB510, 0x11D0, 0x80, 0xE5, 0x00, 0xA0, 0xC9, 0x25, 0x42, 0xE3 /* "
                 "GUID_BUS_TYPE_PCI */},") != std::string::npos);
    CHECK(c.find("KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | 0x00100000,  /* Flags */") !=
          std::string::npos);
    CHECK(c.find("(ULONG)(-1000) /* FramePitch */,  /* FileAlignment */") != std::string::npos);
    CHECK(c.find("{(ULONG)-1, 1, 7},  /* OutputCompression */") != std::string::npos);
    CHECK(c.find("KSALLOCATOR_OPTIONF_SYSTEM_MEMORY,  /* OptionsFlags */\n    PagedPool,") !=
          std::string::npos);
    compile_export(spec, "odd");
  }

  TEST_CASE("DECLARE_SIMPLE_FRAMING_EX exactly when the framing is that macro's expansion") {
    const std::string simple =
        "ksframe: 1\nfilters:\n  - name: cam\n    pins:\n      - name: out\n        dataflow: out\n"
        "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
        "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], "
        "frames: 2, "
        "file_alignment: 0, min: 8192, max: 8192}\n";
    CHECK(export_c(load_ok(simple))
              .find("DECLARE_SIMPLE_FRAMING_EX(\n    CamOutAllocatorFramingEx,\n    "
                    "STATIC_KSMEMORY_TYPE_KERNEL_NONPAGED,\n"
                    "    KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | "
                    "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY,\n    2,\n"
                    "    FILE_BYTE_ALIGNMENT,\n    8192,\n    8192);\n") != std::string::npos);
    // One field away from the macro (a physical limit): an explicit initializer.
    std::string almost = simple;
    almost.replace(almost.find("simple_framing_ex: {"), 20,
                   "framing_ex: {items: [{physical_range: {min: 0, max: 9000}, ");
    almost.replace(almost.find("min: 8192, max: 8192}"), 21,
                   "framing_range: {min: 8192, max: 8192}}]}");
    almost.replace(almost.find("frames: 2, file_alignment: 0, "), 30, "frames: 2, ");
    const std::string c = export_c(load_ok(almost));
    CHECK(c.find("DECLARE_SIMPLE_FRAMING_EX") == std::string::npos);
    CHECK(c.find("const KSALLOCATOR_FRAMING_EX CamOutAllocatorFramingEx = {") != std::string::npos);
  }

  TEST_CASE("the spec's name and path cannot end the header comment") {
    auto r = load_spec(SourceFile{
        "dir*/x/*y.yaml",
        "ksframe: 1\nname: \"a */ int broken = ; /* b\\nc\"\nfilters:\n  - name: cam\n    pins:\n"
        "      - {name: out, dataflow: out, framing_ex: {items: [{frames: 2}]}}\n"});
    REQUIRE_MESSAGE(!has_errors(r.diagnostics), test::summary(r.diagnostics));
    const std::string c = export_c(*r.spec);
    CHECK(c.starts_with(
        "/* Allocator framing of a * / int broken = ; / * b c, exported by ksframe "));
    CHECK(c.find("/* cam.out (dir* /x/ *y.yaml:6:9) */") != std::string::npos);
    compile_export(*r.spec, "hostile-name");
  }

  TEST_CASE("variable names: CamelCase stems, valid identifiers, unique") {
    CHECK(c_identifier_stem("usb-camera", "capture_0") == "UsbCameraCapture0");
    CHECK(c_identifier_stem("_x", "9") == "X9");
    CHECK(c_identifier_stem("", "") == "Pin");
  }

  TEST_CASE("pins whose stems collide get distinct names, and the C compiles") {
    // a.b_c and a_b.c both make the stem ABC, and a.b_c_2 makes ABC2: a numbered suffix
    // without a separator gave two ABC2AllocatorFramingEx.
    const Spec spec = load_ok(
        test::read_file(test::source_dir() + "/tests/data/reliability/export-name-collision.yaml"));
    const std::string c = export_c(spec);
    for (const char* name :
         {"ABCAllocatorFramingEx,", "ABC2AllocatorFramingEx,", "ABC_2AllocatorFramingEx,"}) {
      const auto first = c.find(name);
      CHECK_MESSAGE(first != std::string::npos, name);
      CHECK_MESSAGE(c.find(name, first + 1) == std::string::npos, name);
    }
    compile_export(spec, "name-collision");
  }
}

namespace {

// A driver pin with expressions, legacy-only framing and three data ranges, feeding an
// application's pin (user_mode) that declares framing of its own.
constexpr const char* kDriverAndApp = R"yaml(ksframe: 1
name: cam-to-app
filters:
  - name: cam
    pins:
      - name: video
        dataflow: out
        simple_framing_ex:
          memory_type: KSMEMORY_TYPE_KERNEL_PAGED
          flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY]
          frames: 2
          file_alignment: FILE_LONG_ALIGNMENT
          min: 2 * PAGE_SIZE
          max: "(320 * 240 * 2)"
        data_ranges:
          - {kind: video, subtype: YUY2, width: 320, height: 240, avg_time_per_frame: 10000000 / 30}
          - {kind: video, subtype: RGB24, width: 320, height: -240, avg_time_per_frame: 333333}
      - name: audio
        dataflow: out
        framing: {frames: 10, frame_size: 48 * 4 * 10, file_alignment: FILE_LONG_ALIGNMENT}
        data_ranges:
          - {kind: audio, max_channels: 2, bits: 16, rate: {min: 44100, max: 48000}}
      - name: ts
        dataflow: out
        framing_ex: {items: [{frames: 8, framing_range: {min: 188 * 312, max: 188 * 312}}]}
        data_ranges:
          - {kind: plain, major: KSDATAFORMAT_TYPE_STREAM, subtype: KSDATAFORMAT_TYPE_MPEG2_TRANSPORT,
             sample_size: 188 * 312, fixed_size: true}
  - name: app
    pins:
      - name: in
        dataflow: in
        user_mode: true
        framing_ex: {items: [{frames: 4}]}
connections:
  - {from: cam.video, to: app.in}
)yaml";

}  // namespace

TEST_SUITE("export") {
  TEST_CASE(
      "only the driver's pins, legacy framing said for what it is, the spec's expressions kept") {
    const Spec spec = load_ok(kDriverAndApp);
    const std::string c = export_c(spec);
    CHECK(
        c.starts_with("/* Allocator framing and data ranges of cam-to-app, exported by ksframe "));
    CHECK(
        c.find(" * Needs <ks.h> and <ksmedia.h>; PAGE_SIZE comes from <wdm.h>.\n"
               " * Point each pin's KSPIN_DESCRIPTOR_EX.AllocatorFraming at its _EX initializer.\n"
               " * Point KSPIN_DESCRIPTOR.DataRanges at a pin's DataRanges table.\n"
               " * Not exported: app.in (user_mode: KsProxy or application pins). */\n") !=
        std::string::npos);
    CHECK(c.find("AppIn") == std::string::npos);
    CHECK(c.find("DECLARE_SIMPLE_FRAMING_EX(\n    CamVideoAllocatorFramingEx,\n    "
                 "STATIC_KSMEMORY_TYPE_KERNEL_PAGED,\n"
                 "    KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY,\n    2,\n    FILE_LONG_ALIGNMENT,\n  "
                 "  2 * PAGE_SIZE,\n"
                 "    (320 * 240 * 2));\n") != std::string::npos);
    CHECK(c.find("/* KSPIN_DESCRIPTOR_EX.AllocatorFraming takes a KSALLOCATOR_FRAMING_EX, which "
                 "this pin does not declare:\n"
                 " * this is what its KSPROPERTY_CONNECTION_ALLOCATORFRAMING handler returns. */\n"
                 "const KSALLOCATOR_FRAMING CamAudioAllocatorFraming = {") != std::string::npos);
    CHECK(c.find("    48 * 4 * 10,  /* FrameSize */\n") != std::string::npos);
    CHECK(c.find("CamAudioAllocatorFramingEx") == std::string::npos);
    CHECK(c.find("    FILE_BYTE_ALIGNMENT,\n    188 * 312,\n    188 * 312);\n") !=
          std::string::npos);
    // The data ranges and their tables.
    CHECK(c.find("const KS_DATARANGE_VIDEO CamVideoDataRange0 = {\n    {\n        "
                 "sizeof(KS_DATARANGE_VIDEO),  /* FormatSize */\n"
                 "        0,  /* Flags */\n        153600,  /* SampleSize */\n        0,  /* "
                 "Reserved */\n"
                 "        {STATIC_KSDATAFORMAT_TYPE_VIDEO},  /* MajorFormat */\n"
                 "        {0x32595559L, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, "
                 "0x71 /* MEDIASUBTYPE_YUY2 */},"
                 "  /* SubFormat */\n") != std::string::npos);
    CHECK(c.find("        10000000 / 30,  /* AvgTimePerFrame */\n") != std::string::npos);
    CHECK(c.find("            0x32595559 /* 'YUY2' */,  /* biCompression */\n") !=
          std::string::npos);
    CHECK(c.find("            -240,  /* biHeight */\n") != std::string::npos);
    CHECK(
        c.find(
            "            BI_RGB,  /* biCompression */\n            230400,  /* biSizeImage */\n") !=
        std::string::npos);
    CHECK(c.find("const PKSDATARANGE CamVideoDataRanges[] = {\n    "
                 "(PKSDATARANGE)&CamVideoDataRange0.DataRange,\n"
                 "    (PKSDATARANGE)&CamVideoDataRange1.DataRange\n};\n") != std::string::npos);
    CHECK(c.find("    2,  /* MaximumChannels */\n    16,  /* MinimumBitsPerSample */\n    16,  /* "
                 "MaximumBitsPerSample */\n"
                 "    44100,  /* MinimumSampleFrequency */\n    48000  /* MaximumSampleFrequency "
                 "*/\n};\n") != std::string::npos);
    CHECK(c.find("const KSDATARANGE CamTsDataRange0 = {\n    sizeof(KSDATARANGE),  /* FormatSize "
                 "*/\n    0,  /* Flags */\n"
                 "    188 * 312,  /* SampleSize */\n") != std::string::npos);
    CHECK(c.find("};  /* fixed_size: every sample is SampleSize bytes */\n") != std::string::npos);
    compile_export(spec, "driver-and-app");
  }

  TEST_CASE("an expression C would overflow in int is exported as its number, suffixes stay") {
    const Spec spec = load_ok(test::one_pin(
        "        framing: {frames: 2u, frame_size: 0x40000000 * 2, file_alignment: 8 - 1}\n"));
    const std::string c = export_c(spec);
    CHECK(c.find("    2u,  /* Frames */\n    2147483648,  /* FrameSize */\n    8 - 1,  /* "
                 "FileAlignment */\n") != std::string::npos);
    compile_export(spec, "int-overflow");
  }

  TEST_CASE("a spec whose pins are all user_mode exports nothing, says why, and compiles") {
    const Spec spec = load_ok(
        "ksframe: 1\nfilters:\n  - name: app\n    pins:\n      - {name: in, dataflow: in, "
        "user_mode: true, "
        "framing_ex: {items: [{frames: 2}]}}\n");
    const std::string c = export_c(spec);
    CHECK(c.find(" * Not exported: app.in (user_mode: KsProxy or application pins). */\n\n"
                 "/* No pin the driver declares has framing or data ranges. */\n") !=
          std::string::npos);
    compile_export(spec, "all-user-mode");
  }
}

TEST_SUITE("import") {
  TEST_CASE("an imported binary loads back to the structure that was encoded") {
    const Spec spec = load_ok(kOddFraming);
    const auto ex = spec.filters[0].pins[0].framing_ex->value();
    const auto bytes = ks::encode(ex);
    const auto r = import_framing(bytes, ImportAs::Ex, "odd.bin");
    REQUIRE_MESSAGE(r.diagnostics.empty(), test::summary(r.diagnostics));
    const Spec back = load_ok(test::one_pin(indented(r.yaml, 8)));
    CHECK(back.filters[0].pins[0].framing_ex->value() == ex);

    const auto legacy = spec.filters[0].pins[1].framing->value();
    const auto lr = import_framing(ks::encode(legacy), ImportAs::Legacy, "legacy.bin");
    REQUIRE(lr.diagnostics.empty());
    CHECK(
        lr.yaml ==
        "framing:\n  requirements_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY]\n  pool_type: "
        "PagedPool\n"
        "  frames: 2\n  frame_size: 4096\n  file_alignment: FILE_QUAD_ALIGNMENT\n  reserved: 0\n");
  }

  TEST_CASE("the kernel's size checks, located") {
    const auto bytes = ks::encode(load_ok(kOddFraming).filters[0].pins[0].framing_ex->value());
    REQUIRE(bytes.size() == 24 + 2 * 88);
    auto short_items = import_framing(std::span(bytes).first(150), ImportAs::Ex, "cap.bin");
    CHECK(short_items.yaml.empty());
    CHECK(test::summary(short_items.diagnostics) ==
          "1:1: KSF0021: CountItems is 2, which needs 200 bytes (24 + 88 x 2), but the buffer has "
          "150 "
          "(the kernel answers STATUS_BUFFER_TOO_SMALL)\n");
    auto short_header = import_framing(std::span(bytes).first(10), ImportAs::Ex, "cap.bin");
    CHECK(test::summary(short_header.diagnostics) ==
          "1:11: KSF0021: KSALLOCATOR_FRAMING_EX needs at least 24 bytes, the buffer has 10 "
          "(the kernel answers STATUS_BUFFER_TOO_SMALL)\n");
    auto short_legacy = import_framing(std::span(bytes).first(23), ImportAs::Legacy, "cap.bin");
    CHECK(
        test::summary(short_legacy.diagnostics) ==
        "1:24: KSF0021: KSALLOCATOR_FRAMING needs 24 bytes, the buffer has 23 (the kernel answers "
        "STATUS_BUFFER_TOO_SMALL)\n");
    // A capture that holds more than the answer: the structure, and a warning.
    const auto legacy = ks::encode(load_ok(kOddFraming).filters[0].pins[1].framing->value());
    std::vector<std::uint8_t> longer(legacy.begin(), legacy.end());
    longer.resize(30, 0xEE);
    auto trailing = import_framing(longer, ImportAs::Legacy, "cap.bin");
    CHECK_FALSE(trailing.yaml.empty());
    CHECK(test::summary(trailing.diagnostics) ==
          "1:25: KSF0022: 6 bytes follow the 24-byte structure and were ignored\n");
    // A hostile CountItems: refused by the size check before anything is allocated.
    std::vector<std::uint8_t> hostile(24, 0);
    hostile[0] = hostile[1] = hostile[2] = hostile[3] = 0xFF;
    auto h = import_framing(hostile, ImportAs::Ex, "h.bin");
    REQUIRE(h.diagnostics.size() == 1);
    CHECK(h.diagnostics[0].message.starts_with(
        "CountItems is 4294967295, which needs 377957121984 bytes"));
  }

  TEST_CASE("--as legacy on what cannot be a KSALLOCATOR_FRAMING says so and suggests --as ex") {
    const auto ex =
        ks::encode(load_ok(kOddFraming).filters[0].pins[0].framing_ex->value());  // 2 items
    auto r = import_framing(ex, ImportAs::Legacy, "ex.bin");
    CHECK(r.yaml.empty());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(test::summary(r.diagnostics) ==
          "1:1: KSF0024: the buffer has 200 bytes, a KSALLOCATOR_FRAMING has 24; it is exactly a "
          "KSALLOCATOR_FRAMING_EX with 2 framing items (24 + 88 x 2)\n");
    CHECK(r.diagnostics[0].hint == "import it with --as ex");
    // 24 bytes whose PoolType (bytes 4-7) is 99 and whose Reserved (bytes 20-23) is 5.
    std::vector<std::uint8_t> odd(24, 0);
    odd[4] = 99;
    r = import_framing(odd, ImportAs::Legacy, "odd.bin");
    CHECK(test::summary(r.diagnostics) ==
          "1:5: KSF0024: bytes 4-7 hold PoolType 99, which is no POOL_TYPE: this is not a "
          "KSALLOCATOR_FRAMING\n");
    CHECK(r.diagnostics[0].hint == "check that the file is the framing property's answer");
    odd[4] = 0;
    odd[20] = 5;
    r = import_framing(odd, ImportAs::Legacy, "odd.bin");
    CHECK(test::summary(r.diagnostics) ==
          "1:21: KSF0024: bytes 20-23 hold Reserved 5, which is 0 in a KSALLOCATOR_FRAMING: this "
          "is not one\n");
  }

  TEST_CASE("hex dumps: plain pairs, and WinDbg db, dd and dq output as the debugger prints it") {
    auto bytes_of = [](const std::string& text) {
      Diagnostics d;
      auto r = parse_hex_dump(text, "h.txt", d);
      REQUIRE_MESSAGE(r, test::summary(d));
      return r->bytes;
    };
    using B = std::vector<std::uint8_t>;
    CHECK(bytes_of("0x01, 0x02 # two\n0304") == B{1, 2, 3, 4});
    // db: address with a backtick, '-' between bytes 8 and 9, the ASCII column (which holds
    // hex-looking text here) is not read; the prompt line is skipped.
    const std::string db =
        "0: kd> db ffffc001`12345678 L14\n"
        "ffffc001`12345678  01 00 00 00 02 00 00 00-0a 0b 0c 0d 0e 0f 10 11  ................\n"
        "ffffc001`12345688  41 42 43 44                                      ABCD\n";
    CHECK(bytes_of(db) ==
          B{1, 0, 0, 0, 2, 0, 0, 0, 10, 11, 12, 13, 14, 15, 16, 17, 0x41, 0x42, 0x43, 0x44});
    // dd on a 32-bit target: DWORDs are little-endian values, 00000018 is the bytes 18 00 00 00.
    CHECK(bytes_of("8a2b3c40  00000018 0000ab01\n") == B{0x18, 0, 0, 0, 0x01, 0xab, 0, 0});
    // dq: QWORDs with the debugger's backtick in the middle.
    CHECK(bytes_of("fffff806`1a2b3c40  00000000`00000102\n") == B{2, 1, 0, 0, 0, 0, 0, 0});
    // Where each byte was written: the second byte of a dd DWORD is its 3rd and 4th digits from the
    // end.
    Diagnostics d;
    auto where = parse_hex_dump("8a2b3c40  0000ab01\n", "h.txt", d)->where;
    CHECK(where[1].column == 15);  // "ab" at 0-based 14
    // Unreadable memory, and a bad token in a dump line, are located.
    CHECK_FALSE(parse_hex_dump("ffffc001`12345678  01 02 ?? ??\n", "h.txt", d));
    CHECK(test::summary(d) == "1:26: KSF0023: '?\?' is memory WinDbg could not read\n");
    d.clear();
    CHECK_FALSE(parse_hex_dump("01 02\n03 zz\n", "h.txt", d));
    CHECK(test::summary(d) == "2:4: KSF0023: 'zz' is not hex bytes\n");
  }

  TEST_CASE("zero items import as an empty list, which lint then reports") {
    ks::KSALLOCATOR_FRAMING_EX none;
    none.CountItems = 0;
    const auto r = import_framing(ks::encode(none), ImportAs::Ex, "none.bin");
    CHECK(r.yaml.find("  items: []\n") != std::string::npos);
  }
}
