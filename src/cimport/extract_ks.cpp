// The KS structures of a driver's C source, read from what the libclang traversal
// (extract_clang.cpp, through extract_clang.hpp) yields: which file-scope variables are
// framings, pin descriptor tables or filter descriptors (by their field layout), their
// initializers read into the extraction model (KSALLOCATOR_FRAMING and _EX with their items,
// KSPIN_DESCRIPTOR_EX, the data ranges a pin lists, the topology's routes, the dispatch
// functions), and the framing function bodies edit, reported as notes.
#include <clang-c/Index.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cimport/extract_clang.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/ks.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cimport::detail {
namespace {

// The field signatures of the structures ksframe reads (their names in ks.h).
const std::string kSigLegacy = "?,PoolType,Frames,FrameSize,?,Reserved,";
const std::string kSigEx = "CountItems,PinFlags,OutputCompression,PinWeight,FramingItem,";
const std::string kSigPinEx =
    "Dispatch,AutomationTable,PinDescriptor,Flags,InstancesPossible,InstancesNecessary,"
    "AllocatorFraming,"
    "IntersectHandler,";
const std::string kSigDispatch =
    "Create,Close,Process,Reset,SetDataFormat,SetDeviceState,Connect,Disconnect,Clock,Allocator,";
const std::string kSigPinPortClass =
    "MaxGlobalInstanceCount,MaxFilterInstanceCount,MinFilterInstanceCount,AutomationTable,"
    "KsPinDescriptor,";
const std::string kSigFilterPortClass =
    "Version,AutomationTable,PinSize,PinCount,Pins,NodeSize,NodeCount,Nodes,ConnectionCount,"
    "Connections,CategoryCount,Categories,";
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
  fr.source = cx.main_name;
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

// One data range variable, read by its type; `element` >= 0 reads that element of an array of
// ranges (`&PinDataRanges[1]`, port class drivers' pattern). False when it is not a range.
bool read_range(Context& cx, CXCursor var, long long element, DataRange& r, std::string& why) {
  CXType type = clang_getCursorType(var);
  std::string pre;  // the element's path in the variable's initializer
  if (element >= 0 && is_array(type)) {
    type = clang_getArrayElementType(clang_getCanonicalType(type));
    pre = "[" + std::to_string(element) + "].";
  }
  const std::string sig = signature(type);
  const auto members = fields_of(type);
  std::string h = pre;  // the KSDATARANGE header's path
  if (sig == kSigRangeVideo) {
    r.kind = DataRange::Kind::Video;
    h += "DataRange.";
  } else if (sig == kSigRangeAudio) {
    r.kind = DataRange::Kind::Audio;
    h += "DataRange.";
  } else if (sig == kSigRange) {
    r.kind = DataRange::Kind::Plain;
  } else if (!members.empty() && members.front().name == "DataRange" &&
             signature(members.front().type) == kSigRange) {
    r.kind = DataRange::Kind::Plain;  // another range type (KS_DATARANGE_VIDEO2, a driver's own):
                                      // its header
    h += "DataRange.";
  } else {
    why = "its type " + str(clang_getTypeSpelling(type)) + " is not a data range";
    return false;
  }
  // Values after an error are not the driver's (clang leaves out what it could not compile):
  // the range is not linted, and the warning says which error.
  if (check_errors(cx, var, "the initializer of " + spelling(var),
                   "the range is not read, its values are not the driver's")) {
    why = "it does not compile";
    return false;
  }
  cx.read_at.insert(key(cx.walker.where(var)));
  const Flat f = cx.walker.read(var);
  if (f.lower_bound(pre) == f.end() || !f.lower_bound(pre)->first.starts_with(pre)) {
    why = "it has no initializer ksframe can read";
    return false;
  }
  // clang kept the declaration, not what its braces held (it replaces an initializer that does
  // not compile, and the walk then reads made-up scalars): no braces, no range.
  const std::string braces = pre.empty() ? "#" : pre.substr(0, pre.size() - 1) + "#";
  if (!get(f, h + "FormatSize") || !get(f, braces)) {
    why = "clang could not compile its initializer";
    return false;
  }
  r.symbol = spelling(var) + (pre.empty() ? "" : "[" + std::to_string(element) + "]");
  r.type = str(clang_getTypeSpelling(type));
  r.declared = file_location(clang_getCursorLocation(var), cx.main_name, cx.main_path);
  r.format_size = cvalue(f, h + "FormatSize");
  r.flags = cvalue(f, h + "Flags");
  r.sample_size = cvalue(f, h + "SampleSize");
  r.major = cguid(f, h + "MajorFormat");
  r.subtype = cguid(f, h + "SubFormat");
  r.specifier = cguid(f, h + "Specifier");
  if (r.kind == DataRange::Kind::Video) {
    const std::string b = pre + "VideoInfoHeader.bmiHeader.";
    r.width = cnumber(f, b + "biWidth");
    r.height = cnumber(f, b + "biHeight");
    r.bit_count = cvalue(f, b + "biBitCount");
    r.compression = cvalue(f, b + "biCompression");
    r.size_image = cvalue(f, b + "biSizeImage");
    r.avg_time_per_frame = cnumber(f, pre + "VideoInfoHeader.AvgTimePerFrame");
  } else if (r.kind == DataRange::Kind::Audio) {
    r.max_channels = cvalue(f, pre + "MaximumChannels");
    r.bits_min = cvalue(f, pre + "MinimumBitsPerSample");
    r.bits_max = cvalue(f, pre + "MaximumBitsPerSample");
    r.rate_min = cvalue(f, pre + "MinimumSampleFrequency");
    r.rate_max = cvalue(f, pre + "MaximumSampleFrequency");
  }
  return true;
}

// A KSF0030 warning of the extraction (a declaration ksframe could not read, or read but knows
// KS cannot use), once per location and kind.
void warn(Context& cx, const std::string& kind, const Location& at, const std::string& message,
          const std::string& hint) {
  if (!cx.warned.insert(kind + "@" + key(at)).second) return;
  auto d = make_diagnostic("KSF0030", message, at, hint);
  d.severity = Severity::Warning;
  cx.out->diagnostics.push_back(std::move(d));
}

constexpr std::uint32_t kRangeAttributes = 2;  // KSDATARANGE_ATTRIBUTES

bool is_attribute_list(CXType t) {
  const CXType c = is_array(t) ? clang_getArrayElementType(clang_getCanonicalType(t)) : t;
  return signature(c) == "Count,Attributes,";
}

// What a DataRanges table yields: the entries read, each with its index in the table.
struct RangeRead {
  std::vector<DataRange> ranges;
  std::vector<unsigned> index;
  bool declared_only = false;  ///< this source declares the table without defining it
};

// A DataRanges table: an array of PKSDATARANGE whose elements point to range variables
// (`&Var`, `(PKSDATARANGE)&Var`, `&Var.DataRange`, `&Ranges[1]`); the first `count`
// (DataRangesCount) are read. An element ksframe cannot read is a warning at the element.
RangeRead read_range_table(Context& cx, CXCursor table, std::uint64_t count) {
  RangeRead out;
  const CXCursor def = clang_getCursorDefinition(table);
  if (clang_Cursor_isNull(def)) {
    out.declared_only = true;
    return out;
  }
  if (!is_array(clang_getCursorType(def))) return out;
  check_errors(cx, def);
  const Flat t = cx.walker.read(def);
  const std::string name = spelling(def);
  for (std::size_t i = 0; i < count; ++i) {
    const Leaf* l = get(t, "[" + std::to_string(i) + "]");
    if (!l) break;
    DataRange r;
    r.location = l->at;
    std::string why;
    const CXCursor target = l->is_pointer && !clang_Cursor_isNull(l->target)
                                ? clang_getCursorDefinition(l->target)
                                : clang_getNullCursor();
    // A range with KSDATARANGE_ATTRIBUTES is followed by its attribute list (KS's layout).
    if (!clang_Cursor_isNull(target) && is_attribute_list(clang_getCursorType(target)) &&
        !out.ranges.empty() && out.index.back() + 1 == i &&
        (out.ranges.back().flags.value & kRangeAttributes))
      continue;
    if (clang_Cursor_isNull(target) || clang_getCursorKind(target) != CXCursor_VarDecl)
      why = l->is_pointer && !clang_Cursor_isNull(l->target)
                ? spelling(l->target) + " has no definition in this source"
                : "it names no variable";
    else if (read_range(cx, target, l->element, r, why)) {
      out.ranges.push_back(std::move(r));
      out.index.push_back(static_cast<unsigned>(i));
      continue;
    }
    warn(cx, "range", l->at,
         name + "[" + std::to_string(i) + "] is not read (" + why +
             "): the pin's data_ranges leave it out",
         "point the entry at a KS_DATARANGE_VIDEO, KSDATARANGE_AUDIO or KSDATARANGE variable "
         "one of the given sources defines");
  }
  return out;
}

bool is_range_record(CXType t) {
  const std::string sig = signature(t);
  if (sig == kSigRange || sig == kSigRangeVideo || sig == kSigRangeAudio) return true;
  const auto members = fields_of(t);
  return !members.empty() && members.front().name == "DataRange" &&
         signature(members.front().type) == kSigRange;
}

// A pin's DataRanges: its table read here, or (declared `extern` here) left for join_sources;
// a pointer at one range instead of a table is a defect KS cannot survive.
void read_pin_ranges(Context& cx, const Flat& f, const std::string& d, const Leaf& l, Pin& pin) {
  pin.data_ranges_at = l.at;
  // DataRangesCount as C gives it: left out it is 0 (KS sees no ranges); not a constant, the
  // table's length.
  const Leaf* count = get(f, d + "DataRangesCount");
  pin.ranges_count = !count          ? 0
                     : count->is_int ? static_cast<std::uint32_t>(count->value)
                                     : 0xFFFFFFFFu;
  const CXCursor def = clang_getCursorDefinition(l.target);
  if (!clang_Cursor_isNull(def) && clang_getCursorKind(def) == CXCursor_VarDecl &&
      !is_array(clang_getCursorType(def)) && is_range_record(clang_getCursorType(def))) {
    warn(cx, "not-table", l.at,
         "DataRanges points at the range " + spelling(def) +
             ", not at a table of PKSDATARANGE: KS reads the range's first bytes as pointers to "
             "ranges; the pin's data_ranges leave it out",
         "declare `const PKSDATARANGE Ranges[] = { (PKSDATARANGE)&" + spelling(def) +
             " };` and point DataRanges at Ranges");
    return;
  }
  RangeRead read = read_range_table(cx, l.target, pin.ranges_count);
  pin.ranges = std::move(read.ranges);
  if (read.declared_only) pin.ranges_declared_only = spelling(l.target);
}

// The two pin descriptors ksframe reads: AVStream's KSPIN_DESCRIPTOR_EX and port class's
// PCPIN_DESCRIPTOR (no flags or framing: port class owns the allocator; its instance counts are
// MaxFilterInstanceCount and MinFilterInstanceCount).
struct PinShape {
  const char* descriptor;  ///< the KSPIN_DESCRIPTOR member, with its dot
  const char* possible;
  const char* necessary;
  bool port_class;
};
constexpr PinShape kAvStreamPin{"PinDescriptor.", "InstancesPossible", "InstancesNecessary", false};
constexpr PinShape kPortClassPin{"KsPinDescriptor.", "MaxFilterInstanceCount",
                                 "MinFilterInstanceCount", true};

void read_pin_dispatch(Context& cx, const Leaf& d, Pin& pin) {
  pin.dispatch = spelling(d.target);
  const Flat df = cx.walker.read(d.target);
  const Leaf* a = get(df, "Allocator");
  pin.allocator_dispatch = a && a->is_pointer && !clang_Cursor_isNull(a->target);
  pin.create = target_name(df, "Create");
  pin.set_data_format = target_name(df, "SetDataFormat");
}

Pin read_pin(Context& cx, const Flat& f, const std::string& p, const std::string& table,
             unsigned index, const PinShape& shape) {
  Pin pin;
  pin.table = table;
  pin.index = index;
  auto value = [&](const std::string& k) {
    CValue v;
    if (const Leaf* l = get(f, p + k))
      v = {l->is_int ? static_cast<std::uint32_t>(l->value) : 0, l->at};
    return v;
  };
  const std::string d = shape.descriptor;
  if (!shape.port_class) pin.flags = value("Flags");
  pin.instances_possible = value(shape.possible);
  pin.instances_necessary = value(shape.necessary);
  pin.dataflow = value(d + "DataFlow");
  pin.communication = value(d + "Communication");
  const Leaf* start = get(f, (p.empty() ? "" : p.substr(0, p.size() - 1)) + "#");
  pin.location = start ? start->at : pin.dataflow.at.line ? pin.dataflow.at : pin.flags.at;
  if (!shape.port_class) {
    pin.framing = target_name(f, p + "AllocatorFraming");
    if (const Leaf* l = get(f, p + "AllocatorFraming")) pin.framing_at = l->at;
  }
  pin.category = target_name(f, p + d + "Category");
  pin.name = target_name(f, p + d + "Name");
  pin.category_guid = guid_target(cx, f, p + d + "Category");
  pin.name_guid = guid_target(cx, f, p + d + "Name");
  pin.data_ranges = target_name(f, p + d + "DataRanges");
  if (const Leaf* l = get(f, p + d + "DataRanges");
      l && l->is_pointer && !clang_Cursor_isNull(l->target))
    read_pin_ranges(cx, f, p + d, *l, pin);
  if (const Leaf* l = get(f, p + "Dispatch");
      !shape.port_class && l && l->is_pointer && !clang_Cursor_isNull(l->target))
    read_pin_dispatch(cx, *l, pin);
  return pin;
}

// C++ reads `VENDOR_TABLE(X) {...}` (a macro it does not know) as a variable X of an unknown
// type: X is declared, invalid, and a table that points at it compiles with values clang made
// up. Such a table is not read, and the warning names what clang could not resolve, as in C.
bool points_at_invalid(Context& cx, const Flat& f, CXCursor table) {
  for (const auto& [path, leaf] : f) {
    if (!leaf.is_pointer || clang_Cursor_isNull(leaf.target) ||
        !clang_isInvalidDeclaration(leaf.target))
      continue;
    if (!check_errors(cx, leaf.target, spelling(table), "it is not read"))
      warn(cx, "invalid", cx.walker.where(table),
           spelling(table) + " points at " + spelling(leaf.target) +
               ", whose declaration does not compile; it is not read",
           "fix the declaration, or pass the -I/-D (or --wdk) the driver's build uses");
    return true;
  }
  return false;
}

// A pin the initializer does not write (no braces, no DataFlow), in a source clang could not
// compile: clang
// dropped or replaced what the source wrote (C++ recovers from an unknown macro that way), and
// its zeros are not the driver's. The table is not read; the warning names the first error clang
// gave before the table, the declaration it could not resolve.
bool made_up_pins(Context& cx, const std::vector<Pin>& pins, CXCursor table) {
  if (cx.errors.empty()) return false;
  bool made_up = false;
  // No braces of its own and no DataFlow: not a pin the source wrote.
  for (const auto& p : pins) made_up = made_up || p.location.line == 0;
  if (!made_up) return false;
  const Location at = cx.walker.where(table);
  const ClangError* cause = nullptr;
  for (const auto& e : cx.errors)
    if (e.at.file == at.file && e.at.line <= at.line && (!cause || e.at.line < cause->at.line))
      cause = &e;
  warn(cx, "made-up", at,
       spelling(table) + " is not read: clang could not compile what its initializer names" +
           (cause ? " (line " + std::to_string(cause->at.line) + ": " + cause->message + ")"
                  : std::string()),
       "fix the declaration, or pass the -I/-D (or --wdk) the driver's build uses");
  return true;
}

bool is_pin_record(CXType t) {
  const std::string sig = signature(t);
  return sig == kSigPinEx || sig == kSigPinPortClass;
}

bool is_pin_table(CXType t) {
  return is_pin_record(t) ||
         (is_array(t) && is_pin_record(clang_getArrayElementType(clang_getCanonicalType(t))));
}

// A file-scope PKSDATARANGE table: an array of pointers to KSDATARANGE.
bool is_range_table(CXType t) {
  if (!is_array(t)) return false;
  const CXType element =
      clang_getCanonicalType(clang_getArrayElementType(clang_getCanonicalType(t)));
  return element.kind == CXType_Pointer && signature(clang_getPointeeType(element)) == kSigRange;
}

}  // namespace

// A pin table: an array of pin descriptors, or one KSPIN_DESCRIPTOR_EX variable (a driver with
// one pin). Every entry the initializer writes is read; a table longer than the walker's bounds
// is a warning, never a silent cut.
std::vector<Pin> read_pin_table(Context& cx, CXCursor table) {
  check_errors(cx, table);
  std::vector<Pin> pins;
  const CXType type = clang_getCursorType(table);
  const bool array = is_array(type);
  const CXType element = array ? clang_getArrayElementType(clang_getCanonicalType(type)) : type;
  const PinShape& shape = signature(element) == kSigPinPortClass ? kPortClassPin : kAvStreamPin;
  const Flat f = cx.walker.read(table);
  const std::string name = spelling(table);
  if (points_at_invalid(cx, f, table)) return pins;
  if (!array) {
    if (!f.empty()) pins.push_back(read_pin(cx, f, "", name, 0, shape));
    return pins;
  }
  for (unsigned i = 0;; ++i) {
    const std::string p = "[" + std::to_string(i) + "].";
    const auto it = f.lower_bound(p);
    if (it == f.end() || !it->first.starts_with(p)) break;
    pins.push_back(read_pin(cx, f, p, name, i, shape));
  }
  if (made_up_pins(cx, pins, table)) return {};
  if (cx.walker.truncated())
    warn(cx, "truncated", cx.walker.where(table),
         name + " is larger than ksframe reads (" + std::to_string(pins.size()) +
             " pins read): the pins after them are not linted",
         "split the table, or lint the pins as a spec");
  return pins;
}

namespace {

// Routes: every path the topology draws from a filter pin through nodes to another filter pin.
std::vector<Route> read_routes(Context& cx, CXCursor connections) {
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
  return routes;
}

}  // namespace

// A route runs from an input pin to an output pin, whichever way the topology lists them; run
// again when join_sources brings the pins from another source.
void orient_routes(std::vector<Route>& routes, const std::vector<Pin>& pins) {
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
}

// A filter descriptor: AVStream's KSFILTER_DESCRIPTOR or port class's PCFILTER_DESCRIPTOR, with
// its pin table (PinDescriptors, Pins) and the routes of its topology (Connections).
void read_filter(Context& cx, CXCursor var) {
  check_errors(cx, var);
  cx.read_at.insert(key(cx.walker.where(var)));
  const Flat f = cx.walker.read(var);
  Filter filter;
  filter.symbol = spelling(var);
  filter.source = cx.main_name;
  filter.location = file_location(clang_getCursorLocation(var), cx.main_name, cx.main_path);
  filter.port_class = signature(clang_getCursorType(var)) == kSigFilterPortClass;
  if (const Leaf* l = get(f, "Flags"); l && !filter.port_class)
    filter.flags = {l->is_int ? static_cast<std::uint32_t>(l->value) : 0, l->at};
  if (const Leaf* l = get(f, filter.port_class ? "Pins" : "PinDescriptors");
      l && l->is_pointer && !clang_Cursor_isNull(l->target)) {
    filter.pin_table = spelling(l->target);
    filter.pin_table_at = l->at;
    const CXCursor def = clang_getCursorDefinition(l->target);
    if (clang_Cursor_isNull(def))
      filter.pins_declared_only = true;  // join_sources looks in the other sources
    else
      filter.pins = read_pin_table(cx, def);
  }
  if (const Leaf* l = get(f, "Connections"); l && l->is_pointer && !clang_Cursor_isNull(l->target))
    filter.routes = read_routes(cx, l->target);
  orient_routes(filter.routes, filter.pins);
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

// The value an edit assigns, as the driver would read it: a flags field by its flag names
// (KSALLOCATOR_FLAG_CAN_ALLOCATE | ...), a GUID (MemoryType) by the variable it copies, other
// constants as numbers; "" when it is not a constant.
std::string assigned_value(const std::string& field, bool legacy, CXCursor rhs) {
  CXEvalResult r = clang_Cursor_Evaluate(rhs);
  std::string out;
  if (r && clang_EvalResult_getKind(r) == CXEval_Int) {
    const auto v = static_cast<std::uint32_t>(
        clang_EvalResult_isUnsignedInt(r)
            ? clang_EvalResult_getAsUnsigned(r)
            : static_cast<unsigned long long>(clang_EvalResult_getAsLongLong(r)));
    const bool item_flags = field.ends_with(".Flags") || field == "Flags";
    const bool legacy_flags =
        field.ends_with("RequirementsFlags") || field.ends_with("OptionsFlags");
    if (item_flags || legacy_flags) {
      const ks::Table table =
          legacy_flags || legacy
              ? (field.ends_with("OptionsFlags") ? ks::options_flags() : ks::requirements_flags())
              : ks::framing_item_flags();
      for (const auto& name : ks::flag_names(table, v)) out += (out.empty() ? "" : " | ") + name;
      if (out.empty()) out = "0";
    } else if (field.ends_with("Flags")) {
      out = ks::hex32(v);
    } else {
      out = std::to_string(v);
    }
  }
  if (r) clang_EvalResult_dispose(r);
  if (out.empty() && field.ends_with("Type")) {
    // MemoryType/BusType = SOME_GUID: the GUID variable it copies.
    std::function<std::string(CXCursor, int)> name = [&](CXCursor e, int depth) -> std::string {
      if (depth > kMaxDepth) return "";
      if (clang_getCursorKind(e) == CXCursor_DeclRefExpr) return spelling(e);
      for (CXCursor c : children(e))
        if (auto n = name(c, depth + 1); !n.empty()) return n;
      return "";
    };
    out = name(rhs, 0);
  }
  return out;
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
          if (op == "=") edit.value = assigned_value(edit.field, edit.legacy, kids[1]);
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
  if (sets_size) cx.out->frame_size_setters.push_back(name);  // for pins of other sources
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

namespace {

bool is_filter_record(const std::string& sig) {
  return sig.starts_with(kSigFilterPrefix) || sig == kSigFilterPortClass;
}

// A file-scope variable: a framing is read at once; filters, pin tables and range tables are
// kept for extract_one, which reads them after the whole translation unit is known.
void visit_variable(Context& cx, CXCursor c, const CXCursor* next) {
  const CXType t = clang_getCursorType(c);
  const std::string sig = signature(t);
  if (!clang_isCursorDefinition(c)) {
    // clang drops the definition of a declaration whose initializer does not compile.
    if (sig == kSigLegacy || sig == kSigEx || is_filter_record(sig) || is_pin_table(t))
      check_errors(cx, c, spelling(c), "it is not read", next, true);
    return;
  }
  if (sig == kSigLegacy) {
    read_framing(cx, c, true);
  } else if (sig == kSigEx) {
    read_framing(cx, c, false);
  } else if (is_filter_record(sig)) {
    cx.filters.push_back(c);
  } else if (is_pin_table(t)) {
    cx.pin_tables[spelling(c)] = c;
    cx.pin_table_order.push_back(spelling(c));
  } else if (is_range_table(t)) {
    cx.range_tables.push_back(c);
  } else if (sig == kSigDispatch) {
    const Flat df = cx.walker.read(c);
    const Leaf* a = get(df, "Allocator");
    cx.out->dispatch_tables.push_back({spelling(c), target_name(df, "Create"),
                                       target_name(df, "SetDataFormat"),
                                       a && a->is_pointer && !clang_Cursor_isNull(a->target)});
  }
}

}  // namespace

bool is_port_class_table(CXType t) {
  const CXType element = is_array(t) ? clang_getArrayElementType(clang_getCanonicalType(t)) : t;
  return signature(element) == kSigPinPortClass;
}

RangeTable read_file_range_table(Context& cx, CXCursor table) {
  RangeTable out;
  out.symbol = spelling(table);
  out.location = file_location(clang_getCursorLocation(table), cx.main_name, cx.main_path);
  RangeRead read = read_range_table(cx, table, ~std::uint64_t{0});
  out.ranges = std::move(read.ranges);
  out.index = std::move(read.index);
  return out;
}

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
    if (kind == CXCursor_VarDecl)
      visit_variable(cx, c, index + 1 < all.size() ? &all[index + 1] : nullptr);
  }
}

}  // namespace ksframe::cimport::detail
