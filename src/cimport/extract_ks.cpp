// The KS structures of a driver's C source, read from what the libclang traversal
// (extract_clang.cpp, through extract_clang.hpp) yields: which file-scope variables are
// framings, pin descriptor tables or filter descriptors (by their field layout), their
// initializers read into the extraction model (KSALLOCATOR_FRAMING and _EX with their items,
// KSPIN_DESCRIPTOR_EX, the data ranges a pin lists, the topology's routes, the dispatch
// functions), and the framing function bodies edit, reported as notes.
#include <clang-c/Index.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cimport/extract_clang.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cimport::detail {
namespace {

// A bound on what a hostile initializer can make the readers do.
constexpr std::size_t kMaxPins = 256;

// The field signatures of the structures ksframe reads (their names in ks.h).
const std::string kSigLegacy = "?,PoolType,Frames,FrameSize,?,Reserved,";
const std::string kSigEx = "CountItems,PinFlags,OutputCompression,PinWeight,FramingItem,";
const std::string kSigPinEx =
    "Dispatch,AutomationTable,PinDescriptor,Flags,InstancesPossible,InstancesNecessary,"
    "AllocatorFraming,"
    "IntersectHandler,";
const std::string kSigFilterPrefix =
    "Dispatch,AutomationTable,Version,Flags,ReferenceGuid,PinDescriptorsCount,";
// The data ranges: ksmedia.h's KS_DATARANGE_VIDEO and KSDATARANGE_AUDIO, and ks.h's KSDATARANGE
// (a union of the header and a LONGLONG that aligns it).
const std::string kSigRangeVideo =
    "DataRange,bFixedSizeSamples,bTemporalCompression,StreamDescriptionFlags,MemoryAllocationFlags,"
    "ConfigCaps,"
    "VideoInfoHeader,";
const std::string kSigRangeAudio =
    "DataRange,MaximumChannels,MinimumBitsPerSample,MaximumBitsPerSample,MinimumSampleFrequency,"
    "MaximumSampleFrequency,";
const std::string kSigRange = "?,Alignment,";
constexpr std::size_t kMaxRanges = 256;
const std::set<std::string> kFramingRecords = {
    kSigLegacy,
    kSigEx,
    "MemoryType,BusType,MemoryFlags,BusFlags,Flags,Frames,?,MemoryTypeWeight,PhysicalRange,"
    "FramingRange,",
    "MinFrameSize,MaxFrameSize,Stepping,",
    "Range,InPlaceWeight,NotInPlaceWeight,",
    "RatioNumerator,RatioDenominator,RatioConstantMargin,",
    "OptionsFlags,RequirementsFlags,",
    "FileAlignment,FramePitch,"};

std::uint32_t u32(const Flat& f, const std::string& key, std::uint32_t fallback = 0) {
  auto it = f.find(key);
  return it != f.end() && it->second.is_int ? static_cast<std::uint32_t>(it->second.value)
                                            : fallback;
}
const Leaf* get(const Flat& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? nullptr : &it->second;
}
std::string target_name(const Flat& f, const std::string& key) {
  const Leaf* l = get(f, key);
  return l && l->is_pointer && !clang_Cursor_isNull(l->target) ? spelling(l->target)
                                                               : std::string();
}

ks::Guid guid_of(const Flat& f, const std::string& path) {
  const std::string p = path.empty() ? path : path + ".";  // "" is a GUID variable itself
  ks::Guid g;
  g.data1 = u32(f, p + "Data1");
  g.data2 = static_cast<std::uint16_t>(u32(f, p + "Data2"));
  g.data3 = static_cast<std::uint16_t>(u32(f, p + "Data3"));
  for (int i = 0; i < 8; ++i)
    g.data4[i] = static_cast<std::uint8_t>(u32(f, p + "Data4[" + std::to_string(i) + "]"));
  return g;
}

CValue cvalue(const Flat& f, const std::string& key) {
  CValue v;
  if (const Leaf* l = get(f, key))
    v = {l->is_int ? static_cast<std::uint32_t>(l->value) : 0, l->at};
  return v;
}

// A signed or 64-bit member: clang gives signed values sign-extended, so LONG -240 reads -240.
CNumber cnumber(const Flat& f, const std::string& key) {
  CNumber v;
  if (const Leaf* l = get(f, key)) v = {l->is_int ? static_cast<std::int64_t>(l->value) : 0, l->at};
  return v;
}

// A GUID member, located where its first value is written (a STATICGUIDOF's use). Members the
// initializer leaves out are GUID_NULL, as in C.
CGuid cguid(const Flat& f, const std::string& key) {
  CGuid g;
  g.value = guid_of(f, key);
  g.known = true;
  if (const Leaf* l = get(f, key + ".Data1"))
    g.at = l->at;
  else if (const Leaf* b = get(f, key + "#"))
    g.at = b->at;
  return g;
}

void read_ex_item(const Flat& f, const std::string& p, const std::string& k, Framing& fr) {
  ks::KS_FRAMING_ITEM it;
  it.MemoryType = guid_of(f, p + ".MemoryType");
  it.BusType = guid_of(f, p + ".BusType");
  it.MemoryFlags = u32(f, p + ".MemoryFlags");
  it.BusFlags = u32(f, p + ".BusFlags");
  it.Flags = u32(f, p + ".Flags");
  it.Frames = u32(f, p + ".Frames");
  it.FileAlignment =
      get(f, p + ".FramePitch") ? u32(f, p + ".FramePitch") : u32(f, p + ".FileAlignment");
  it.MemoryTypeWeight = u32(f, p + ".MemoryTypeWeight");
  // Members a C initializer leaves out are zero, not the spec's defaults.
  it.PhysicalRange = {u32(f, p + ".PhysicalRange.MinFrameSize"),
                      u32(f, p + ".PhysicalRange.MaxFrameSize"),
                      u32(f, p + ".PhysicalRange.Stepping")};
  it.FramingRange.Range = {u32(f, p + ".FramingRange.Range.MinFrameSize"),
                           u32(f, p + ".FramingRange.Range.MaxFrameSize"),
                           u32(f, p + ".FramingRange.Range.Stepping")};
  it.FramingRange.InPlaceWeight = u32(f, p + ".FramingRange.InPlaceWeight");
  it.FramingRange.NotInPlaceWeight = u32(f, p + ".FramingRange.NotInPlaceWeight");
  fr.ex.FramingItem.push_back(it);
  auto at = [&](const std::string& c_key, const std::string& spec_key) {
    if (const Leaf* l = get(f, p + "." + c_key)) fr.where[k + "." + spec_key] = l->at;
  };
  at("MemoryType.Data1", "memory_type");
  at("BusType.Data1", "bus_type");
  at("MemoryFlags", "memory_flags");
  at("BusFlags", "bus_flags");
  at("Flags", "flags");
  at("Frames", "frames");
  at("FileAlignment", "file_alignment");
  at("FramePitch", "file_alignment");
  at("MemoryTypeWeight", "memory_type_weight");
  at("PhysicalRange.MinFrameSize", "physical_range.min");
  at("PhysicalRange.MaxFrameSize", "physical_range.max");
  at("PhysicalRange.Stepping", "physical_range.stepping");
  at("FramingRange.Range.MinFrameSize", "framing_range.min");
  at("FramingRange.Range.MaxFrameSize", "framing_range.max");
  at("FramingRange.Range.Stepping", "framing_range.stepping");
  at("FramingRange.InPlaceWeight", "framing_range.in_place_weight");
  at("FramingRange.NotInPlaceWeight", "framing_range.not_in_place_weight");
}

void read_framing(Context& cx, CXCursor var, bool legacy) {
  check_errors(cx, var);
  cx.read_at.insert(key(cx.walker.where(var)));
  const Flat f = cx.walker.read(var);
  if (f.empty()) return;
  Framing fr;
  fr.symbol = spelling(var);
  fr.location = cx.walker.where(var);
  // The cursor's own location is the name; its extent may start at `const`.
  fr.location = file_location(clang_getCursorLocation(var), cx.main_name, cx.main_path);
  if (legacy) {
    fr.kind = Framing::Kind::Legacy;
    fr.legacy.OptionsFlags =
        get(f, "RequirementsFlags") ? u32(f, "RequirementsFlags") : u32(f, "OptionsFlags");
    fr.legacy.PoolType = u32(f, "PoolType");
    fr.legacy.Frames = u32(f, "Frames");
    fr.legacy.FrameSize = u32(f, "FrameSize");
    fr.legacy.FileAlignment = get(f, "FramePitch") ? u32(f, "FramePitch") : u32(f, "FileAlignment");
    fr.legacy.Reserved = u32(f, "Reserved");
    const std::pair<const char*, const char*> keys[] = {{"OptionsFlags", "requirements_flags"},
                                                        {"RequirementsFlags", "requirements_flags"},
                                                        {"PoolType", "pool_type"},
                                                        {"Frames", "frames"},
                                                        {"FrameSize", "frame_size"},
                                                        {"FileAlignment", "file_alignment"},
                                                        {"FramePitch", "file_alignment"},
                                                        {"Reserved", "reserved"}};
    for (const auto& [c_key, spec_key] : keys)
      if (const Leaf* l = get(f, c_key)) fr.where[spec_key] = l->at;
  } else {
    fr.kind = cx.simple_framing_at.count(key(cx.walker.where(var))) ? Framing::Kind::SimpleEx
                                                                    : Framing::Kind::Ex;
    fr.ex.CountItems = u32(f, "CountItems");
    fr.ex.PinFlags = u32(f, "PinFlags");
    fr.ex.OutputCompression = {u32(f, "OutputCompression.RatioNumerator"),
                               u32(f, "OutputCompression.RatioDenominator"),
                               u32(f, "OutputCompression.RatioConstantMargin")};
    fr.ex.PinWeight = u32(f, "PinWeight");
    const std::pair<const char*, const char*> keys[] = {
        {"CountItems", "count_items"},
        {"PinFlags", "pin_flags"},
        {"OutputCompression.RatioNumerator", "output_compression.numerator"},
        {"OutputCompression.RatioDenominator", "output_compression.denominator"},
        {"OutputCompression.RatioConstantMargin", "output_compression.constant_margin"},
        {"PinWeight", "pin_weight"}};
    for (const auto& [c_key, spec_key] : keys)
      if (const Leaf* l = get(f, c_key)) fr.where[spec_key] = l->at;
    // The items the array declares (a one-element FramingItem[1] in ks.h, FramingItem[N] in a
    // driver's same-layout struct); CountItems is kept as written, so a mismatch is linted.
    const long long declared =
        clang_getArraySize(clang_getCanonicalType(fields_of(clang_getCursorType(var)).back().type));
    for (long long i = 0; i < declared && i < 64; ++i)
      read_ex_item(f, "FramingItem[" + std::to_string(i) + "]", "items[" + std::to_string(i) + "]",
                   fr);
  }
  // A header included by two sources is read twice: the first reading stands.
  for (const auto& existing : cx.out->framings)
    if (existing.symbol == fr.symbol && existing.location == fr.location) return;
  cx.out->framings.push_back(std::move(fr));
}

// The value of the GUID a pointer member names (`&PINNAME_VIDEO_CAPTURE`), located at the
// pointer; unknown when the symbol has no initializer here (declared without a value).
CGuid guid_target(Context& cx, const Flat& f, const std::string& key) {
  CGuid g;
  const Leaf* l = get(f, key);
  if (!l || !l->is_pointer || clang_Cursor_isNull(l->target)) return g;
  g.at = l->at;
  const CXCursor def = clang_getCursorDefinition(l->target);
  if (clang_Cursor_isNull(def) || signature(clang_getCursorType(def)) != "Data1,Data2,Data3,Data4,")
    return g;
  const Flat v = cx.walker.read(def);
  if (!get(v, "Data1")) return g;
  g.value = guid_of(v, "");
  g.known = true;
  return g;
}

// One data range variable, read by its type. False when it is not a range ksframe reads.
bool read_range(Context& cx, CXCursor var, DataRange& r, std::string& why) {
  const CXType type = clang_getCursorType(var);
  const std::string sig = signature(type);
  const auto members = fields_of(type);
  std::string h;  // the KSDATARANGE header's path
  if (sig == kSigRangeVideo) {
    r.kind = DataRange::Kind::Video;
    h = "DataRange.";
  } else if (sig == kSigRangeAudio) {
    r.kind = DataRange::Kind::Audio;
    h = "DataRange.";
  } else if (sig == kSigRange) {
    r.kind = DataRange::Kind::Plain;
  } else if (!members.empty() && members.front().name == "DataRange" &&
             signature(members.front().type) == kSigRange) {
    r.kind = DataRange::Kind::Plain;  // another range type (KS_DATARANGE_VIDEO2, a driver's own):
                                      // its header
    h = "DataRange.";
  } else {
    why = "its type " + str(clang_getTypeSpelling(type)) + " is not a data range";
    return false;
  }
  check_errors(cx, var);
  cx.read_at.insert(key(cx.walker.where(var)));
  const Flat f = cx.walker.read(var);
  if (f.empty()) {
    why = "it has no initializer ksframe can read";
    return false;
  }
  r.symbol = spelling(var);
  r.type = str(clang_getTypeSpelling(type));
  r.declared = file_location(clang_getCursorLocation(var), cx.main_name, cx.main_path);
  r.format_size = cvalue(f, h + "FormatSize");
  r.flags = cvalue(f, h + "Flags");
  r.sample_size = cvalue(f, h + "SampleSize");
  r.major = cguid(f, h + "MajorFormat");
  r.subtype = cguid(f, h + "SubFormat");
  r.specifier = cguid(f, h + "Specifier");
  if (r.kind == DataRange::Kind::Video) {
    const std::string b = "VideoInfoHeader.bmiHeader.";
    r.width = cnumber(f, b + "biWidth");
    r.height = cnumber(f, b + "biHeight");
    r.bit_count = cvalue(f, b + "biBitCount");
    r.compression = cvalue(f, b + "biCompression");
    r.size_image = cvalue(f, b + "biSizeImage");
    r.avg_time_per_frame = cnumber(f, "VideoInfoHeader.AvgTimePerFrame");
  } else if (r.kind == DataRange::Kind::Audio) {
    r.max_channels = cvalue(f, "MaximumChannels");
    r.bits_min = cvalue(f, "MinimumBitsPerSample");
    r.bits_max = cvalue(f, "MaximumBitsPerSample");
    r.rate_min = cvalue(f, "MinimumSampleFrequency");
    r.rate_max = cvalue(f, "MaximumSampleFrequency");
  }
  return true;
}

// A pin's DataRanges table: an array of PKSDATARANGE whose elements point to range variables
// (`&Var`, `(PKSDATARANGE)&Var`, `&Var.DataRange`); the first `count` (DataRangesCount) are read.
// An element ksframe cannot read is a warning at the element, once per table.
std::vector<DataRange> read_range_table(Context& cx, CXCursor table, std::uint64_t count) {
  std::vector<DataRange> out;
  const CXCursor def = clang_getCursorDefinition(table);
  if (clang_Cursor_isNull(def) || !is_array(clang_getCursorType(def))) return out;
  check_errors(cx, def);
  const Flat t = cx.walker.read(def);
  const std::string name = spelling(def);
  for (std::size_t i = 0; i < kMaxRanges && i < count; ++i) {
    const Leaf* l = get(t, "[" + std::to_string(i) + "]");
    if (!l) break;
    DataRange r;
    r.location = l->at;
    std::string why;
    const CXCursor target = l->is_pointer && !clang_Cursor_isNull(l->target)
                                ? clang_getCursorDefinition(l->target)
                                : clang_getNullCursor();
    if (clang_Cursor_isNull(target) || clang_getCursorKind(target) != CXCursor_VarDecl)
      why = l->is_pointer && !clang_Cursor_isNull(l->target)
                ? spelling(l->target) + " has no definition in this source"
                : "it names no variable";
    else if (read_range(cx, target, r, why)) {
      out.push_back(std::move(r));
      continue;
    }
    if (!cx.warned.insert("range@" + key(l->at)).second) continue;
    auto d = make_diagnostic(
        "KSF0030",
        name + "[" + std::to_string(i) + "] is not read (" + why +
            "): the pin's data_ranges leave it out",
        l->at,
        "point the entry at a KS_DATARANGE_VIDEO, KSDATARANGE_AUDIO or KSDATARANGE variable "
        "this source defines");
    d.severity = Severity::Warning;
    cx.out->diagnostics.push_back(std::move(d));
  }
  return out;
}

Pin read_pin(Context& cx, const Flat& f, const std::string& p, const std::string& table,
             unsigned index) {
  Pin pin;
  pin.table = table;
  pin.index = index;
  auto value = [&](const std::string& k) {
    CValue v;
    if (const Leaf* l = get(f, p + k))
      v = {l->is_int ? static_cast<std::uint32_t>(l->value) : 0, l->at};
    return v;
  };
  pin.flags = value("Flags");
  pin.instances_possible = value("InstancesPossible");
  pin.instances_necessary = value("InstancesNecessary");
  pin.dataflow = value("PinDescriptor.DataFlow");
  pin.communication = value("PinDescriptor.Communication");
  const Leaf* start = get(f, p.substr(0, p.size() - 1) + "#");
  pin.location = start ? start->at : pin.dataflow.at.line ? pin.dataflow.at : pin.flags.at;
  pin.framing = target_name(f, p + "AllocatorFraming");
  if (const Leaf* l = get(f, p + "AllocatorFraming")) pin.framing_at = l->at;
  pin.category = target_name(f, p + "PinDescriptor.Category");
  pin.name = target_name(f, p + "PinDescriptor.Name");
  pin.category_guid = guid_target(cx, f, p + "PinDescriptor.Category");
  pin.name_guid = guid_target(cx, f, p + "PinDescriptor.Name");
  pin.data_ranges = target_name(f, p + "PinDescriptor.DataRanges");
  if (const Leaf* l = get(f, p + "PinDescriptor.DataRanges");
      l && l->is_pointer && !clang_Cursor_isNull(l->target)) {
    pin.data_ranges_at = l->at;
    // DataRangesCount as C gives it: left out it is 0 (KS sees no ranges); not a constant, the
    // table's length.
    const Leaf* count = get(f, p + "PinDescriptor.DataRangesCount");
    pin.ranges = read_range_table(cx, l->target,
                                  !count          ? 0
                                  : count->is_int ? count->value
                                                  : kMaxRanges);
  }
  if (const Leaf* d = get(f, p + "Dispatch");
      d && d->is_pointer && !clang_Cursor_isNull(d->target)) {
    pin.dispatch = spelling(d->target);
    const Flat df = cx.walker.read(d->target);
    const Leaf* a = get(df, "Allocator");
    pin.allocator_dispatch = a && a->is_pointer && !clang_Cursor_isNull(a->target);
    pin.create = target_name(df, "Create");
    pin.set_data_format = target_name(df, "SetDataFormat");
  }
  return pin;
}

}  // namespace

std::vector<Pin> read_pin_table(Context& cx, CXCursor table) {
  check_errors(cx, table);
  std::vector<Pin> pins;
  const Flat f = cx.walker.read(table);
  const std::string name = spelling(table);
  for (unsigned i = 0; i < kMaxPins; ++i) {
    const std::string p = "[" + std::to_string(i) + "].";
    bool any = false;
    for (auto it = f.lower_bound(p); it != f.end() && it->first.starts_with(p); ++it) any = true;
    if (!any) break;
    pins.push_back(read_pin(cx, f, p, name, i));
  }
  return pins;
}

namespace {

// Routes: every path the topology draws from a filter pin through nodes to another filter pin.
std::vector<Route> read_routes(Context& cx, CXCursor connections, const std::vector<Pin>& pins) {
  const Flat f = cx.walker.read(connections);
  struct Edge {
    std::uint32_t from_node, from_pin, to_node, to_pin;
    Location at;
  };
  std::vector<Edge> edges;
  for (unsigned i = 0; i < 4096; ++i) {
    const std::string p = "[" + std::to_string(i) + "].";
    const Leaf* l = get(f, p + "FromNode");
    if (!l) break;
    edges.push_back({u32(f, p + "FromNode"), u32(f, p + "FromNodePin"), u32(f, p + "ToNode"),
                     u32(f, p + "ToNodePin"), l->at});
  }
  constexpr std::uint32_t kFilter = 0xFFFFFFFFu;
  std::set<std::pair<unsigned, unsigned>> seen;
  std::vector<Route> routes;
  for (const auto& start : edges) {
    if (start.from_node != kFilter) continue;
    // Breadth-first over nodes; each node is entered once, so a cyclic topology ends.
    std::vector<std::uint32_t> queue;
    std::set<std::uint32_t> visited;
    auto reach = [&](const Edge& e) {
      if (e.to_node == kFilter) {
        if (e.to_pin != start.from_pin && seen.insert({start.from_pin, e.to_pin}).second)
          routes.push_back({start.from_pin, e.to_pin, start.at});
      } else if (visited.insert(e.to_node).second) {
        queue.push_back(e.to_node);
      }
    };
    reach(start);
    for (std::size_t q = 0; q < queue.size() && q < 4096; ++q)
      for (const auto& e : edges)
        if (e.from_node == queue[q]) reach(e);
  }
  // A route runs from an input pin to an output pin, whichever way the topology lists them.
  for (auto& r : routes)
    if (r.from < pins.size() && r.to < pins.size() && pins[r.from].dataflow.value == 2 &&
        pins[r.to].dataflow.value == 1)
      std::swap(r.from, r.to);
  std::sort(routes.begin(), routes.end(), [](const Route& a, const Route& b) {
    return std::pair(a.from, a.to) < std::pair(b.from, b.to);
  });
  routes.erase(
      std::unique(routes.begin(), routes.end(),
                  [](const Route& a, const Route& b) { return a.from == b.from && a.to == b.to; }),
      routes.end());
  return routes;
}

}  // namespace

void read_filter(Context& cx, CXCursor var) {
  check_errors(cx, var);
  cx.read_at.insert(key(cx.walker.where(var)));
  const Flat f = cx.walker.read(var);
  Filter filter;
  filter.symbol = spelling(var);
  filter.location = file_location(clang_getCursorLocation(var), cx.main_name, cx.main_path);
  if (const Leaf* l = get(f, "Flags"))
    filter.flags = {l->is_int ? static_cast<std::uint32_t>(l->value) : 0, l->at};
  if (const Leaf* l = get(f, "PinDescriptors");
      l && l->is_pointer && !clang_Cursor_isNull(l->target)) {
    filter.pin_table = spelling(l->target);
    filter.pins = read_pin_table(cx, l->target);
  }
  if (const Leaf* l = get(f, "Connections"); l && l->is_pointer && !clang_Cursor_isNull(l->target))
    filter.routes = read_routes(cx, l->target, filter.pins);
  cx.out->filters.push_back(std::move(filter));
}

// ---------------------------------------------------------------------------------------------
// Framing that is code: assignments to framing fields inside function bodies.

namespace {

struct Edit {
  std::string field;  ///< "FramingItem[0].FramingRange.Range.MinFrameSize"
  Location at;
  std::string value;  ///< the constant assigned, or ""
  bool legacy = false;
};

std::string assignment_operator(CXTranslationUnit tu, CXCursor lhs, CXCursor op) {
  CXToken* tokens = nullptr;
  unsigned n = 0;
  clang_tokenize(tu, clang_getCursorExtent(op), &tokens, &n);
  const CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(lhs));
  unsigned end_offset = 0;
  clang_getFileLocation(end, nullptr, nullptr, nullptr, &end_offset);
  std::string found;
  for (unsigned i = 0; i < n && found.empty(); ++i) {
    unsigned offset = 0;
    clang_getFileLocation(clang_getTokenLocation(tu, tokens[i]), nullptr, nullptr, nullptr,
                          &offset);
    if (offset < end_offset || clang_getTokenKind(tokens[i]) != CXToken_Punctuation) continue;
    found = str(clang_getTokenSpelling(tu, tokens[i]));
  }
  clang_disposeTokens(tu, tokens, n);
  return found;
}

// "Pin->Descriptor->AllocatorFraming->FramingItem[0].Frames" -> the part inside the framing
// structure ("FramingItem[0].Frames"), and whether the innermost record is legacy framing.
bool framing_path(CXCursor e, std::string& path, bool& legacy, int depth) {
  if (depth > kMaxDepth) return false;
  const auto kind = clang_getCursorKind(e);
  if (kind == CXCursor_MemberRefExpr) {
    const CXCursor field = clang_getCursorReferenced(e);
    const std::string parent = signature(clang_getCursorType(clang_getCursorSemanticParent(field)));
    if (!kFramingRecords.count(parent)) return false;
    // The anonymous unions of ks.h: the flags one is legacy framing's; the alignment one is
    // legacy framing's when the record around it is.
    if (parent == kSigLegacy || parent == "OptionsFlags,RequirementsFlags,") legacy = true;
    if (parent == "FileAlignment,FramePitch," &&
        signature(clang_getCursorType(
            clang_getCursorSemanticParent(clang_getCursorSemanticParent(field)))) == kSigLegacy)
      legacy = true;
    std::string base;
    const auto kids = children(e);
    if (!kids.empty()) framing_path(kids.front(), base, legacy, depth + 1);
    path = base.empty() ? spelling(field) : base + "." + spelling(field);
    return true;
  }
  if (kind == CXCursor_ArraySubscriptExpr) {
    const auto kids = children(e);
    if (kids.size() != 2) return false;
    std::string base;
    if (!framing_path(kids[0], base, legacy, depth + 1)) return false;
    CXEvalResult r = clang_Cursor_Evaluate(kids[1]);
    std::string index = "?";
    if (r && clang_EvalResult_getKind(r) == CXEval_Int)
      index = std::to_string(clang_EvalResult_getAsLongLong(r));
    if (r) clang_EvalResult_dispose(r);
    path = base + "[" + index + "]";
    return true;
  }
  if (kind == CXCursor_UnexposedExpr || kind == CXCursor_ParenExpr ||
      kind == CXCursor_CStyleCastExpr) {
    for (CXCursor c : children(e))
      if (framing_path(c, path, legacy, depth + 1)) return true;
  }
  return false;
}

void find_edits(Context& cx, CXCursor e, std::vector<Edit>& edits, std::vector<Location>& ksedit,
                int depth) {
  if (depth > 200 || edits.size() > 256) return;
  const auto kind = clang_getCursorKind(e);
  if (kind == CXCursor_CallExpr) {
    const std::string callee = spelling(e);
    if (callee == "_KsEdit" || callee == "KsEdit") ksedit.push_back(cx.walker.where(e));
  }
  if (kind == CXCursor_BinaryOperator || kind == CXCursor_CompoundAssignOperator) {
    const auto kids = children(e);
    if (kids.size() == 2) {
      const std::string op = assignment_operator(cx.tu, kids[0], e);
      if (op == "=" || (kind == CXCursor_CompoundAssignOperator && !op.empty())) {
        Edit edit;
        if (framing_path(kids[0], edit.field, edit.legacy, 0)) {
          edit.at = cx.walker.where(e);
          CXEvalResult r = clang_Cursor_Evaluate(kids[1]);
          if (r && clang_EvalResult_getKind(r) == CXEval_Int && op == "=")
            edit.value = std::to_string(
                clang_EvalResult_isUnsignedInt(r)
                    ? clang_EvalResult_getAsUnsigned(r)
                    : static_cast<unsigned long long>(clang_EvalResult_getAsLongLong(r)) &
                          0xFFFFFFFFull);
          if (r) clang_EvalResult_dispose(r);
          edits.push_back(edit);
        }
      }
    }
  }
  for (CXCursor c : children(e)) find_edits(cx, c, edits, ksedit, depth + 1);
}

}  // namespace

void report_code_framing(Context& cx, CXCursor function) {
  std::vector<Edit> edits;
  std::vector<Location> ksedit;
  find_edits(cx, function, edits, ksedit, 0);
  if (edits.empty()) return;
  const std::string name = spelling(function);
  // Which pins run this function, from the dispatch tables read above.
  std::vector<std::string> roles;
  for (const auto& filter : cx.out->filters)
    for (const auto& pin : filter.pins) {
      if (pin.create == name)
        roles.push_back(filter.symbol + " pin " + std::to_string(pin.index) + " Create");
      if (pin.set_data_format == name)
        roles.push_back(filter.symbol + " pin " + std::to_string(pin.index) + " SetDataFormat");
    }
  bool legacy = false;
  std::string fields;
  for (std::size_t i = 0; i < edits.size(); ++i) {
    legacy = legacy || edits[i].legacy;
    fields +=
        (i ? ", " : "") + edits[i].field + (edits[i].value.empty() ? "" : " = " + edits[i].value);
  }
  std::string message;
  if (!ksedit.empty())
    message = name + " edits the pin's framing at run time (KsEdit, then " + fields + ")";
  else if (legacy)
    message = name + " answers legacy framing from code (" + fields + ")";
  else
    message = name + " writes framing fields at run time (" + fields + ")";
  if (!roles.empty()) {
    message += "; it is";
    for (std::size_t i = 0; i < roles.size(); ++i) message += (i ? ", " : " ") + roles[i];
  }
  message += ": ksframe reads only the declared framing and does not guess what the code computes";
  // A pin whose Create or SetDataFormat sets a frame size declares placeholder sizes (avshws's
  // pattern): comparing them with its formats (KSF2009 and its kin) would report what the code
  // already fixes. Those rules are skipped for the pin; nothing about the edit is assumed.
  bool sets_size = false;
  for (const auto& e : edits)
    sets_size = sets_size || (!e.legacy && e.field.find("FrameSize") != std::string::npos);
  std::vector<std::string> edited;
  if (sets_size)
    for (auto& filter : cx.out->filters)
      for (auto& pin : filter.pins)
        if ((pin.create == name || pin.set_data_format == name) && !pin.framing.empty()) {
          if (pin.size_edited_by.empty()) pin.size_edited_by = name;
          edited.push_back(filter.symbol + ".pin" + std::to_string(pin.index));
        }
  std::string hint =
      legacy ? "write the values the handler answers as the pin's `framing:` in the spec"
             : "write the edited values in the spec's framing (or pass them with --set) to "
               "lint the framing the pin really uses";
  if (!edited.empty()) {
    message += "; it sets the frame size, so lint does not compare the declared frame sizes of";
    for (std::size_t i = 0; i < edited.size(); ++i) message += (i ? ", " : " ") + edited[i];
    message += " with their data ranges (" + std::string(kEditedPinRulesText) + " are skipped)";
    hint =
        "if the code sets the frame size from the connection's format, write `framing_edit: "
        "{frame_size: "
        "sample_size, stepping: 0}` on the pin in the spec (docs/spec.md): lint then checks the "
        "edit, and "
        "negotiation and the load use the edited framing";
  }
  const Location at = ksedit.empty() ? cx.walker.where(function) : ksedit.front();
  auto d = make_diagnostic("KSF0031", message, at, hint);
  for (const auto& e : edits) d.related.push_back({e.at, "sets " + e.field});
  cx.out->diagnostics.push_back(std::move(d));
}

// ---------------------------------------------------------------------------------------------

void visit_declarations(Context& cx, CXCursor parent, int depth) {
  if (depth > 16) return;
  const auto all = children(parent);
  for (std::size_t index = 0; index < all.size(); ++index) {
    const CXCursor c = all[index];
    const auto kind = clang_getCursorKind(c);
    if (kind == CXCursor_MacroExpansion) {
      const std::string macro = spelling(c);
      if (macro == "DECLARE_SIMPLE_FRAMING_EX")
        cx.simple_framing_at.insert(key(cx.walker.where(c)));
      if (macro == "DECLARE_SIMPLE_FRAMING_EX" || macro == "DEFINE_KSFILTER_DESCRIPTOR")
        cx.declaring_macros.push_back(c);
      continue;
    }
    if (in_stand_in(c)) continue;
    if (kind == CXCursor_Namespace || kind == CXCursor_LinkageSpec ||
        kind == CXCursor_UnexposedDecl) {
      visit_declarations(cx, c, depth + 1);
      continue;
    }
    if ((kind == CXCursor_FunctionDecl || kind == CXCursor_CXXMethod) &&
        clang_isCursorDefinition(c)) {
      cx.functions.push_back(c);
      continue;
    }
    if (kind != CXCursor_VarDecl) continue;
    const CXType t = clang_getCursorType(c);
    const std::string sig = signature(t);
    if (!clang_isCursorDefinition(c)) {
      // clang drops the definition of a declaration whose initializer does not compile.
      const bool wanted =
          sig == kSigLegacy || sig == kSigEx || sig.starts_with(kSigFilterPrefix) ||
          (is_array(t) &&
           signature(clang_getArrayElementType(clang_getCanonicalType(t))) == kSigPinEx);
      if (wanted)
        check_errors(cx, c, spelling(c), "it is not read",
                     index + 1 < all.size() ? &all[index + 1] : nullptr, true);
      continue;
    }
    if (sig == kSigLegacy)
      read_framing(cx, c, true);
    else if (sig == kSigEx)
      read_framing(cx, c, false);
    else if (sig.starts_with(kSigFilterPrefix))
      cx.filters.push_back(c);
    else if (is_array(t) &&
             signature(clang_getArrayElementType(clang_getCanonicalType(t))) == kSigPinEx) {
      cx.pin_tables[spelling(c)] = c;
      cx.pin_table_order.push_back(spelling(c));
    }
  }
}

}  // namespace ksframe::cimport::detail
