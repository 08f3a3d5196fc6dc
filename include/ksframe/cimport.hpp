// Reading a driver's own C/C++ source: libclang parses it (with ksframe's stand-in WDK headers),
// clang's constant evaluation gives the values of the framing and descriptor initializers, and
// the extraction becomes a spec (YAML whose values carry their C location) or JSON. Lint of a C
// file is lint of that spec with every finding moved back to the C line of its value.
// docs/c-sources.md describes the whole feature.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/ks.hpp"
#include "ksframe/lint.hpp"

namespace ksframe::cimport {

/// Whether C sources can be read here: the build has the C reader and this machine has libclang
/// (loaded on the first call, not at start-up). When false, extract() returns one error saying
/// why (unavailable_message()), and the CLI exits 2.
bool available();

/// Why C sources cannot be read here, after available() returned false.
std::string unavailable_message();

/// The message of a build without the C reader (the Windows cross build).
inline constexpr const char* kUnavailableMessage =
    "this build of ksframe cannot read C sources (it was built without libclang)";

struct Options {
  std::vector<std::string> include_dirs;  ///< -I
  /// A WDK's Include folder (or one version folder under it): its km, shared and um folders are
  /// searched before the stand-in headers (--wdk, KSFRAME_WDK). Empty: the stand-ins only.
  std::string wdk;
  std::vector<std::string> defines;  ///< -D NAME or NAME=VALUE
  std::string compile_commands;  ///< a compile_commands.json; its flags for each file come first
  std::size_t max_file_bytes = 8u << 20;  ///< a larger source is refused before clang sees it
  unsigned timeout_seconds = 60;  ///< a parse that takes longer is given up (KSF0030, exit 2)
  /// POSIX: libclang runs in a child process (fork), so a crash, an allocation without bound or a
  /// hang ends the child, not ksframe: the extraction comes back as an error (KSF0030, exit 2).
  /// false: in this process (the fuzzer, which must see the coverage).
  bool isolate = true;
  /// POSIX, with `isolate`: the address space the child may map beyond what it inherits
  /// (RLIMIT_AS); 0 for no limit.
  std::uint64_t memory_limit_bytes = std::uint64_t{4} << 30;
};

/// A number read from C and where its value is written.
struct CValue {
  std::uint32_t value = 0;
  Location at;
};

/// A signed or 64-bit number read from C (biWidth, biHeight, AvgTimePerFrame) and where it is
/// written.
struct CNumber {
  std::int64_t value = 0;
  Location at;
};

/// A GUID read from C (a data range's MajorFormat, a pin's Category) and where it is written.
struct CGuid {
  ks::Guid value;
  Location at;
  bool known = false;  ///< false: not written, or a symbol declared without a value
};

/// One entry of a pin's DataRanges table, read from the variable it points to by that
/// variable's type: KS_DATARANGE_VIDEO, KSDATARANGE_AUDIO, or any other range (KSDATARANGE or a
/// struct that starts with one) read as its KSDATARANGE header.
struct DataRange {
  enum class Kind { Video, Audio, Plain };
  Kind kind = Kind::Plain;
  std::string symbol;  ///< the range variable
  std::string type;    ///< its C type, as written
  Location location;   ///< where the DataRanges table lists it
  Location declared;   ///< the variable's name
  // The KSDATARANGE header (DataRange of a video or audio range).
  CValue format_size, flags, sample_size;
  CGuid major, subtype, specifier;
  // KS_DATARANGE_VIDEO: VideoInfoHeader.AvgTimePerFrame and its bmiHeader.
  CNumber width, height, avg_time_per_frame;
  CValue bit_count, compression, size_image;
  // KSDATARANGE_AUDIO.
  CValue max_channels, bits_min, bits_max, rate_min, rate_max;
};
std::string to_string(DataRange::Kind kind);

struct Framing {
  enum class Kind { SimpleEx, Ex, Legacy };
  std::string symbol;
  Kind kind = Kind::Ex;
  std::string source;              ///< the source (as shown) whose translation unit read it
  Location location;               ///< the declaration
  ks::KSALLOCATOR_FRAMING_EX ex;   ///< Kind::SimpleEx and Kind::Ex
  ks::KSALLOCATOR_FRAMING legacy;  ///< Kind::Legacy
  /// Where each value is written, by its key in the spec: "count_items", "items[0].frames",
  /// "items[0].framing_range.min", "frame_size", ...
  std::map<std::string, Location> where;
};
std::string to_string(Framing::Kind kind);

/// The rules that compare a pin's declared frame sizes with its data ranges: skipped for a pin
/// whose Create or SetDataFormat sets the frame size at run time (Pin::size_edited_by).
/// KSF4008 too: the load's payload is the format's sample, which the placeholder frames of the
/// pin's implied consumer connection cannot hold.
inline constexpr const char* kEditedPinRules[] = {"KSF2009", "KSF2011", "KSF2012", "KSF2013",
                                                  "KSF4008"};
inline constexpr const char* kEditedPinRulesText = "KSF2009, KSF2011, KSF2012, KSF2013, KSF4008";

struct Pin {
  std::string table;   ///< the KSPIN_DESCRIPTOR_EX array
  unsigned index = 0;  ///< the pin id (its index in the table)
  Location location;   ///< the pin's initializer
  CValue flags, instances_possible, instances_necessary, dataflow, communication;
  std::string dispatch;  ///< the KSPIN_DISPATCH variable, or ""
  bool allocator_dispatch =
      false;  ///< its Allocator slot is not NULL: the pin supplies an allocator
  std::string create, set_data_format;  ///< the dispatch's Create and SetDataFormat functions
  std::string framing;                  ///< the framing symbol AllocatorFraming points to, or ""
  Location framing_at;                  ///< where AllocatorFraming is written
  std::string category, name;           ///< the GUID symbols Category and Name point to, or ""
  CGuid category_guid, name_guid;       ///< their values, when the symbol has one
  std::string data_ranges;              ///< the DataRanges table, or ""
  Location data_ranges_at;              ///< where DataRanges is written
  std::vector<DataRange> ranges;        ///< the table's entries that could be read, in order
  /// The DataRanges table when this source only declares it (`extern`): another source of the
  /// run may define it (join_sources), and DataRangesCount (ranges_count) says how many it has.
  std::string ranges_declared_only;
  std::uint32_t ranges_count = 0;
  /// The function (this pin's Create or SetDataFormat) that sets the frame size at run time, or
  /// "": lint then skips the rules that compare the declared sizes with the formats.
  std::string size_edited_by;
};

struct Route {
  unsigned from = 0, to = 0;  ///< pin ids: an input pin and an output pin the topology joins
  Location at;                ///< the connection entry that starts the path
};

struct Filter {
  std::string symbol;
  std::string source;  ///< the source (as shown) whose translation unit read it
  Location location;
  CValue flags;
  std::string pin_table;
  /// The pin table is only declared (`extern`) in this source: join_sources looks for it in the
  /// other sources of the run. Where PinDescriptors (Pins of a port class filter) is written.
  bool pins_declared_only = false;
  Location pin_table_at;
  bool port_class = false;  ///< a PCFILTER_DESCRIPTOR (or a PCPIN_DESCRIPTOR table)
  std::vector<Pin> pins;
  std::vector<Route> routes;
};

/// A file-scope PKSDATARANGE table (ranges in formats.c, pins in filter.c): read so a pin in
/// another source that names it `extern` gets its ranges (join_sources).
struct RangeTable {
  std::string symbol;
  Location location;
  std::vector<DataRange> ranges;  ///< the entries that could be read
  std::vector<unsigned> index;    ///< each one's index in the table
};

/// A file-scope KSPIN_DISPATCH: a pin table in another source that names it `extern` gets its
/// functions (join_sources).
struct DispatchTable {
  std::string symbol, create, set_data_format;
  bool allocator = false;  ///< its Allocator slot is set
};

struct Extraction {
  std::vector<std::string> files;  ///< the sources, as named on the command line
  std::vector<RangeTable> range_tables;
  std::vector<DispatchTable> dispatch_tables;
  /// The functions that set a framing's frame size at run time (KSF0031): a pin in another
  /// source whose Create or SetDataFormat is one of them gets Pin::size_edited_by.
  std::vector<std::string> frame_size_setters;
  std::vector<Framing> framings;  ///< in source order
  std::vector<Filter> filters;
  Diagnostics diagnostics;   ///< notes (code that edits framing) and errors (unreadable, timeouts)
  bool unreadable = false;   ///< a file could not be read or parsed at all (exit 2)
  double parse_seconds = 0;  ///< in clang_parseTranslationUnit (the benchmark's split)
  double extract_seconds = 0;  ///< walking the AST and evaluating values
};

/// Parses each file as its own translation unit and extracts what it declares, then joins what
/// one source declares `extern` and another defines (join_sources). Never throws.
Extraction extract(const std::vector<std::string>& files, const Options& options);

/// The sources of one driver are one program: a pin table or a DataRanges table that one source
/// declares `extern` is taken from the source that defines it. What no source defines is a
/// warning (KSF0030) naming the table.
void join_sources(Extraction& extraction);

/// True for the file names lint and diff read as C: .c, .cpp, .cc, .cxx, .h, .hpp, .hh, .hxx.
bool is_c_source(const std::string& path);

/// The stand-in headers handed to clang: (file name, text).
std::vector<std::pair<std::string, std::string>> stand_in_headers();
/// The format, category and pin-name GUIDs the stand-in ksmedia.h defines: (C name, GUID text),
/// made from ks::named_format_guids() (a test checks every one against that table).
std::vector<std::pair<std::string, std::string>> stand_in_format_guids();

/// A spec made from an extraction, and for each line of it the C location of the value the
/// line writes (file empty when the line writes none).
struct GeneratedSpec {
  std::string yaml;
  std::vector<Location> line_origin;  ///< index 0 is line 1
};
GeneratedSpec to_spec(const Extraction& extraction, bool with_comments = true);

/// The C location of the value line `line` of the generated spec writes, or of the nearest
/// line above that writes one (a key that opens a block); `c_file` 1:1 when none does.
Location origin_of(const GeneratedSpec& spec, std::size_t line, const std::string& c_file);

/// Moves each location in the generated spec (`yaml_name`) to its origin_of.
void locate_in_c(const GeneratedSpec& spec, const std::string& yaml_name, const std::string& c_file,
                 Diagnostics& diagnostics);

/// `ksframe import --from-c --format json`: schemas/ksframe-import.schema.json.
std::string to_json(const Extraction& extraction);
/// The import schema's text (embedded at build time).
std::string_view import_schema_text();

/// lint of C sources: extract, make the spec, lint it, and move every finding to the C line of
/// the value it is about. One result per file; the file's extraction diagnostics come first.
FileLintResult lint_c_file(const std::string& path, const Options& options,
                           const LintOptions& lint);
/// lint of the sources of one driver: one extraction of all of them (so a table one source
/// declares `extern` comes from the source that defines it), then one result per source, in
/// the order given. A source that declares no framing, pin or filter gets a note, not an error.
std::vector<FileLintResult> lint_c_files(const std::vector<std::string>& paths,
                                         const Options& options, const LintOptions& lint);
/// The part of an extraction one source (`shown`, as display_name gives it) read: its filters,
/// the framings it read or its pins use, its diagnostics (and, for `first`, those located
/// outside every source of the run).
Extraction part_of(const Extraction& extraction, const std::string& shown, bool first);

}  // namespace ksframe::cimport
