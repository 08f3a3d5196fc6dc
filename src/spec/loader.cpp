// YAML tree -> typed Spec. The loader defines the spec format: its checks (unknown keys with
// did-you-mean, types, ranges, names, references) are every check a spec gets, and
// schemas/ksframe-spec.schema.json describes the same format for editors (tests/unit/
// schema_test.cpp holds the two to agreement).
#include <algorithm>
#include <map>
#include <set>

#include "ksframe/format.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/reader.hpp"
#include "spec/scalar.hpp"
#include "util/text.hpp"

namespace ksframe {
namespace {

// [A-Za-z_][A-Za-z0-9_-]*
bool is_identifier(const std::string& s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (s.empty() || !alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '-') return false;
  return true;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A bound on the work one spec can ask of `ksframe run` (about a minute at 10 million frame-hops
// per second through a few stages).
constexpr ks::ULONG kMaxLoadFrames = 10'000'000;

class Loader : public Reader {
 public:
  Loader(const std::string& file, Diagnostics& diags, const std::vector<std::string>& included)
      : Reader(file, diags, included), file_(file), included_(included) {}

  Spec load(const Node& root) {
    Spec spec;
    spec.file = file_;
    spec.included = included_;
    spec.version.pos = root.pos;
    if (root.is_null()) {
      error("KSF0013", "the spec is empty", root.pos, "",
            "a spec starts with 'ksframe: 1' and lists its filters; see docs/spec.md");
      return spec;
    }
    if (!expect_map(
            root, "",
            {"ksframe", "name", "include", "options", "filters", "connections", "load", "lint"}))
      return spec;
    if (require(root, "ksframe", "")) {
      spec.version = ulong(root.find("ksframe"), "ksframe", 0);
      if (spec.version.present && spec.version.value != 1)
        error("KSF0014",
              "unsupported format version " + std::to_string(spec.version.value) +
                  "; this ksframe reads version 1",
              spec.version.pos, "ksframe");
    }
    spec.name = string(root.find("name"), "name");
    if (spec.name.present && code_points(spec.name.value) > kMaxSpecNameBytes)
      error("KSF0012",
            "the spec's 'name' has " + std::to_string(code_points(spec.name.value)) +
                " characters; at most " + std::to_string(kMaxSpecNameBytes) + " are allowed",
            spec.name.pos, "name", "reports show the name in headings: keep it short");
    read_lint(root.find("lint"), "lint", spec.lint, true);
    if (const Node* n = root.find("options"))
      read_options(*n, spec.options);
    else
      default_options(spec.options);
    // With `include:`, the filters may all come from the included files: load_spec puts them
    // under `filters` before this runs, so only a tree read without its includes lacks the key.
    const bool includes_only = root.find("include") && !root.find("filters");
    if (!includes_only && require(root, "filters", "") &&
        expect_seq(*root.find("filters"), "filters")) {
      const Node& filters = *root.find("filters");
      if (filters.items.empty())
        error("KSF0013", "'filters' is empty: a spec describes at least one filter", filters.pos,
              "filters");
      for (std::size_t i = 0; i < filters.items.size(); ++i)
        read_filter(filters.items[i], "filters[" + std::to_string(i) + "]", spec);
      check_filter_names(spec);
    }
    if (const Node* n = root.find("connections"); n && expect_seq(*n, "connections")) {
      index_pins(spec);
      for (std::size_t i = 0; i < n->items.size(); ++i)
        read_connection(n->items[i], "connections[" + std::to_string(i) + "]", spec);
    }
    if (const Node* n = root.find("load"))
      read_load(*n, spec);
    else
      default_load(spec.load);
    // After the load: a load stage cannot name an implied consumer (its pin's implied_consumer
    // key sets its service), so the lookup of stage names must not see them.
    add_implied_consumers(spec);
    load_from_format(spec);
    return spec;
  }

 private:
  void read_lint(const Node* node, const std::string& path, LintConfig& out, bool top = false) {
    if (!node) return;
    if (!(top ? expect_map(*node, path, {"disable", "nonpaged_budget"})
              : expect_map(*node, path, {"disable"})))
      return;
    if (const Node* budget = node->find("nonpaged_budget")) {
      // Bytes; a ULONG is enough (4 GiB of nonpaged frames is far beyond any sane budget).
      auto b = ulong(budget, path + ".nonpaged_budget", 0);
      if (b.present) out.nonpaged_budget = {b.value, b.pos, true};
    }
    const Node* disable = node->find("disable");
    if (!disable || !expect_seq(*disable, path + ".disable")) return;
    for (std::size_t i = 0; i < disable->items.size(); ++i) {
      auto id = string(&disable->items[i], path + ".disable[" + std::to_string(i) + "]");
      if (id.present) out.disable.push_back(id);
    }
  }

  void default_options(OptionsSpec& o) {
    o.default_frames.value = 1;
    o.allocator_place.value = "last";
  }

  void read_options(const Node& node, OptionsSpec& o) {
    default_options(o);
    if (!expect_map(
            node, "options",
            {"strategy", "default_frames", "allocator_place", "honor_input_physical_range"}))
      return;
    o.strategy =
        flags(node.find("strategy"), "options.strategy", ks::allocator_strategy_names(), 0);
    o.default_frames = ulong(node.find("default_frames"), "options.default_frames", 1);
    o.allocator_place =
        choice(node.find("allocator_place"), "options.allocator_place", {"last", "first"}, "last");
    o.honor_input_physical_range = boolean(node.find("honor_input_physical_range"),
                                           "options.honor_input_physical_range", false);
  }

  std::string name_of(const Node& map, const std::string& path, Located<std::string>& out,
                      const std::string& fallback_path) {
    if (!require(map, "name", path)) return fallback_path;
    out = string(map.find("name"), path + ".name");
    if (!out.present) return fallback_path;
    if (!is_identifier(out.value)) {
      error("KSF0020",
            "name " + text::quote(out.value) +
                " is not an identifier (letters, digits, '_' and '-', not starting "
                "with a digit or '-')",
            out.pos, path + ".name");
      return fallback_path;
    }
    if (out.value.size() > kMaxNameBytes) {  // an identifier: a byte a character
      error("KSF0020",
            "name " + text::quote(out.value.substr(0, 32)) + "... has " +
                std::to_string(out.value.size()) + " characters; at most " +
                std::to_string(kMaxNameBytes) + " are allowed",
            out.pos, path + ".name");
      return fallback_path;
    }
    return out.value;
  }

  void read_filter(const Node& node, const std::string& index_path, Spec& spec) {
    FilterSpec f;
    f.pos = node.pos;
    if (!expect_map(node, index_path, {"name", "flags", "pins", "routes", "lint"})) {
      spec.filters.push_back(std::move(f));
      return;
    }
    const std::string path = name_of(node, index_path, f.name, index_path);
    f.flags = flags(node.find("flags"), path + ".flags", ks::filter_flags(), 0);
    read_lint(node.find("lint"), path + ".lint", f.lint);
    if (require(node, "pins", path) && expect_seq(*node.find("pins"), path + ".pins")) {
      const Node& pins = *node.find("pins");
      if (pins.items.empty())
        error("KSF0013", "filter '" + path + "' has no pins", pins.pos, path + ".pins");
      for (std::size_t i = 0; i < pins.items.size(); ++i)
        read_pin(pins.items[i], path, "pins[" + std::to_string(i) + "]", i, f);
      check_pin_names(f, path);
    }
    if (const Node* routes = node.find("routes"); routes && expect_seq(*routes, path + ".routes"))
      for (std::size_t i = 0; i < routes->items.size(); ++i)
        read_route(routes->items[i], path + ".routes[" + std::to_string(i) + "]", f);
    spec.filters.push_back(std::move(f));
  }

  void read_pin(const Node& node, const std::string& filter_path, const std::string& index_path,
                std::size_t index, FilterSpec& f) {
    PinSpec p;
    p.pos = node.pos;
    p.id.value = static_cast<ks::ULONG>(index);
    p.communication.value = ks::Communication::Both;
    p.instances_possible.value = 1;
    const std::string fallback = filter_path + "." + index_path;
    if (!expect_map(node, fallback,
                    {"name", "id", "dataflow", "communication", "flags", "instances", "user_mode",
                     "allocator", "framing", "framing_ex", "simple_framing_ex", "framing_edit",
                     "category", "name_guid", "data_ranges", "implied_consumer", "lint"})) {
      f.pins.push_back(std::move(p));
      return;
    }
    std::string name = name_of(node, fallback, p.name, "");
    const std::string path = name.empty() ? fallback : filter_path + "." + name;
    p.id = ulong(node.find("id"), path + ".id", static_cast<ks::ULONG>(index));
    if (require(node, "dataflow", path)) {
      auto df = enumerated(node.find("dataflow"), path + ".dataflow", ks::dataflow(),
                           {{"in", 1}, {"out", 2}}, 1, false, "dataflow");
      p.dataflow = {static_cast<ks::Dataflow>(df.value), df.pos, df.present};
    }
    auto comm = enumerated(node.find("communication"), path + ".communication", ks::communication(),
                           {{"none", 0}, {"sink", 1}, {"source", 2}, {"both", 3}, {"bridge", 4}}, 3,
                           false, "communication");
    p.communication = {static_cast<ks::Communication>(comm.value), comm.pos, comm.present};
    p.flags = flags(node.find("flags"), path + ".flags", ks::pin_flags(), 0);
    if (const Node* inst = node.find("instances");
        inst && expect_map(*inst, path + ".instances", {"possible", "necessary"})) {
      const Node* possible = inst->find("possible");
      if (possible && possible->is_scalar() && !possible->quoted &&
          possible->scalar == "KSINSTANCE_INDETERMINATE")
        p.instances_possible = {ks::kUnbounded, possible->pos, true};
      else
        p.instances_possible = ulong(possible, path + ".instances.possible", 1, true);
      p.instances_necessary = ulong(inst->find("necessary"), path + ".instances.necessary", 0);
    }
    p.user_mode = boolean(node.find("user_mode"), path + ".user_mode", false);
    if (const Node* a = node.find("allocator"))
      p.allocator = read_allocator(*a, path + ".allocator");
    if (const Node* l = node.find("framing")) p.framing = read_legacy(*l, path + ".framing");
    const Node* ex = node.find("framing_ex");
    const Node* simple = node.find("simple_framing_ex");
    if (ex && simple) {
      Diagnostic d = make_diagnostic(
          "KSF0019", "a pin has either 'framing_ex' or 'simple_framing_ex', not both",
          at(node.entries[0].first.pos));
      for (const auto& [k, v] : node.entries)
        if (k.scalar == "simple_framing_ex") d.location = at(k.pos);
      for (const auto& [k, v] : node.entries)
        if (k.scalar == "framing_ex") d.related.push_back({at(k.pos), "framing_ex is here"});
      d.subject = path + ".simple_framing_ex";
      d.hint = "simple_framing_ex is shorthand for a one-item framing_ex; keep one of them";
      report(std::move(d));
    }
    // With both present, both are still checked (so every mistake is reported); framing_ex wins.
    if (simple) p.framing_ex = read_simple(*simple, path + ".simple_framing_ex");
    if (ex) p.framing_ex = read_framing_ex(*ex, path + ".framing_ex");
    if (const Node* e = node.find("framing_edit"))
      p.framing_edit = read_edit(*e, path + ".framing_edit", p);
    p.category =
        format_guid(node.find("category"), path + ".category", ks::FormatGuidKind::Category);
    p.pin_name =
        format_guid(node.find("name_guid"), path + ".name_guid", ks::FormatGuidKind::Category);
    if (const Node* ranges = node.find("data_ranges");
        ranges && expect_seq(*ranges, path + ".data_ranges")) {
      p.data_ranges_pos = ranges->pos;
      for (std::size_t i = 0; i < ranges->items.size(); ++i)
        p.data_ranges.push_back(
            read_data_range(ranges->items[i], path + ".data_ranges[" + std::to_string(i) + "]"));
    }
    if (const Node* ic = node.find("implied_consumer"))
      p.implied_consumer = read_implied_consumer(*ic, path + ".implied_consumer");
    read_lint(node.find("lint"), path + ".lint", p.lint);
    f.pins.push_back(std::move(p));
  }

  // `implied_consumer: none`, or `{mode: user|kernel, service_us: D, hold_frames: N, format: N}`.
  std::optional<ImpliedConsumerSpec> read_implied_consumer(const Node& node,
                                                           const std::string& path) {
    ImpliedConsumerSpec c;
    c.pos = node.pos;
    c.mode.value = ImpliedConsumerSpec::Mode::User;
    if (node.is_scalar() && !node.quoted && node.scalar == "none") {
      c.none = true;
      return c;
    }
    if (!node.is_map()) {
      error("KSF0009",
            "'implied_consumer' must be none or a mapping {mode, service_us, hold_frames, format}, "
            "not " +
                node.describe(),
            node.pos, path, "none: the pin streams into nothing unless a connection says so");
      return std::nullopt;
    }
    if (!expect_map(node, path, {"mode", "service_us", "hold_frames", "format"}))
      return std::nullopt;
    auto mode = choice(node.find("mode"), path + ".mode", {"user", "kernel"}, "user");
    c.mode = {mode.value == "kernel" ? ImpliedConsumerSpec::Mode::Kernel
                                     : ImpliedConsumerSpec::Mode::User,
              mode.pos, mode.present};
    c.service_us = read_distribution(node.find("service_us"), path + ".service_us");
    c.hold_frames = ulong(node.find("hold_frames"), path + ".hold_frames", 0);
    auto format = ulong(node.find("format"), path + ".format", 0);
    if (format.present) c.format_index = {format.value, format.pos, true};
    return c;
  }

  // A major type, subtype, specifier or pin category: a name from the format table (with a
  // did-you-mean among names of that kind), GUID_NULL (the wildcard) or GUID text.
  Located<ks::Guid> format_guid(const Node* node, const std::string& path,
                                ks::FormatGuidKind kind) {
    Located<ks::Guid> out;
    if (!node) return out;
    out.pos = node->pos;
    if (!node->is_scalar() || scalar::classify(*node) != scalar::Type::String) {
      error("KSF0009",
            "'" + last_key(path) + "' must be a GUID name or GUID text, not " + node->describe(),
            node->pos, path);
      return out;
    }
    if (auto g = ks::format_guid_by_name(node->scalar, kind)) {
      out = {*g, node->pos, true};
      return out;
    }
    if (auto g = ks::Guid::parse(node->scalar)) {
      out = {*g, node->pos, true};
      return out;
    }
    const char* what = kind == ks::FormatGuidKind::Major       ? "major type"
                       : kind == ks::FormatGuidKind::Subtype   ? "subtype"
                       : kind == ks::FormatGuidKind::Specifier ? "specifier"
                                                               : "pin category";
    auto suggestion = text::did_you_mean(node->scalar, ks::format_guid_names(kind));
    error("KSF0011",
          std::string("unknown ") + what + " " + text::quote(node->scalar) +
              ": not a known name and not GUID text",
          node->pos, path,
          suggestion ? "did you mean '" + *suggestion + "'?"
                     : "write a name from docs/spec.md (data ranges) or GUID text "
                       "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    return out;
  }

  static std::string last_key(const std::string& path) {
    auto dot = path.find_last_of('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
  }

  // `bits: 16` or `bits: {min: 8, max: 16}`: a range of ULONGs.
  void ulong_range(const Node* node, const std::string& path, LU32& min, LU32& max) {
    if (!node) return;
    if (node->is_map()) {
      if (!expect_map(*node, path, {"min", "max"})) return;
      require(*node, "min", path);
      require(*node, "max", path);
      min = size(node->find("min"), path + ".min", 0);
      max = size(node->find("max"), path + ".max", 0);
      if (min.present && max.present && min.value > max.value)
        error("KSF0010",
              "'" + last_key(path) + "' has min " + std::to_string(min.value) + " above max " +
                  std::to_string(max.value),
              min.pos, path + ".min");
      return;
    }
    min = max = size(node, path, 0);
  }

  // biCompression: a FOURCC ("YUY2"), BI_RGB, BI_BITFIELDS or an integer.
  LU32 compression(const Node* node, const std::string& path) {
    LU32 out;
    if (!node) return out;
    out.pos = node->pos;
    if (scalar::classify(*node) == scalar::Type::Integer) return ulong(node, path, 0);
    if (node->is_scalar() && node->scalar == "BI_RGB") return {ks::kBiRgb, node->pos, true};
    if (node->is_scalar() && node->scalar == "BI_BITFIELDS")
      return {ks::kBiBitfields, node->pos, true};
    if (node->is_scalar() && node->scalar.size() == 4) {
      bool printable = true;
      for (char c : node->scalar) printable = printable && c > 0x20 && c < 0x7F;
      if (printable) return {ks::fourcc(node->scalar), node->pos, true};
    }
    error("KSF0009",
          "'compression' must be a FOURCC such as YUY2, BI_RGB, BI_BITFIELDS or an "
          "integer, not " +
              node->describe(),
          node->pos, path);
    return out;
  }

  DataRangeSpec read_data_range(const Node& node, const std::string& path) {
    using Kind = DataRangeSpec::Kind;
    DataRangeSpec r;
    r.pos = node.pos;
    if (!node.is_map()) {
      expect_map(node, path, {});
      return r;
    }
    if (!require(node, "kind", path)) return r;
    auto kind = choice(node.find("kind"), path + ".kind", {"video", "audio", "plain"}, "plain");
    if (!kind.present) return r;
    r.kind = {kind.value == "video"   ? Kind::Video
              : kind.value == "audio" ? Kind::Audio
                                      : Kind::Plain,
              kind.pos, true};
    const Kind k = r.kind.value;
    const bool ok =
        k == Kind::Video
            ? expect_map(node, path,
                         {"kind", "major", "subtype", "specifier", "width", "height", "bit_count",
                          "compression", "size_image", "avg_time_per_frame"})
        : k == Kind::Audio
            ? expect_map(node, path,
                         {"kind", "major", "subtype", "specifier", "max_channels", "bits", "rate"})
            : expect_map(node, path,
                         {"kind", "major", "subtype", "specifier", "sample_size", "fixed_size"});
    if (!ok) return r;
    auto guid_or = [&](const char* key, ks::FormatGuidKind gk, const ks::Guid& fallback) {
      auto g = format_guid(node.find(key), path + "." + key, gk);
      if (!g.present) g = {fallback, node.pos, false};
      return g;
    };
    if (k == Kind::Video) {
      r.major = guid_or("major", ks::FormatGuidKind::Major, ks::format::TYPE_VIDEO);
      require(node, "subtype", path);
      r.subtype = guid_or("subtype", ks::FormatGuidKind::Subtype, {});
      r.specifier =
          guid_or("specifier", ks::FormatGuidKind::Specifier, ks::format::SPECIFIER_VIDEOINFO);
      require(node, "width", path);
      require(node, "height", path);
      r.width = size(node.find("width"), path + ".width", 0);
      if (r.width.present && r.width.value > 0x7FFFFFFF)
        error("KSF0010",
              "'width' is " + std::to_string(r.width.value) +
                  "; biWidth is a LONG and holds at most 2147483647",
              r.width.pos, path + ".width");
      r.height = signed_long(node.find("height"), path + ".height");
      const ks::NamedFormatGuid* sub =
          ks::find_format_guid(r.subtype.value, ks::FormatGuidKind::Subtype);
      r.bit_count = size(node.find("bit_count"), path + ".bit_count", sub ? sub->bit_count : 0);
      if (r.bit_count.present && r.bit_count.value > 0xFFFF)
        error("KSF0010",
              "'bit_count' is " + std::to_string(r.bit_count.value) +
                  "; biBitCount is a WORD (at most 65535)",
              r.bit_count.pos, path + ".bit_count");
      if (!r.bit_count.present) r.bit_count.pos = node.pos;
      r.compression = compression(node.find("compression"), path + ".compression");
      if (!r.compression.present)
        r.compression = {
            sub && sub->compression != ks::kUnbounded ? sub->compression : ks::kUnbounded, node.pos,
            false};
      if (!r.compression.present && r.compression.value == ks::kUnbounded && r.subtype.present)
        error("KSF0013",
              "the subtype " + ks::format_guid_name(r.subtype.value, ks::FormatGuidKind::Subtype) +
                  " does not say its biCompression: give 'compression'",
              node.pos, path, "a FOURCC such as YUY2, or BI_RGB for uncompressed RGB");
      r.size_image = size(node.find("size_image"), path + ".size_image", 0);
      if (const Node* t = node.find("avg_time_per_frame")) {
        auto v = size(t, path + ".avg_time_per_frame", 0);
        r.avg_time_per_frame = {v.value, v.pos, v.present, v.expr};
      }
      // The image size of an uncompressed layout follows from its header; a stated biSizeImage
      // that disagrees is linted (KSF2010), not corrected.
      if (r.width.present && r.height.present && ks::is_uncompressed(r.compression.value) &&
          r.bit_count.value > 0) {
        auto image = ks::image_size(r.width.value, r.height.value, r.bit_count.value);
        if (!image || *image > 0xFFFFFFFFull) {
          error("KSF0010",
                "the image of " + std::to_string(r.width.value) + " x " +
                    std::to_string(r.height.value) + " pixels at " +
                    std::to_string(r.bit_count.value) +
                    " bits is larger than "
                    "biSizeImage can hold (4294967295 bytes)",
                r.width.pos, path + ".width");
        } else {
          r.derived_image_size = *image;
          r.derived_stride = ks::image_stride(r.width.value, r.bit_count.value);
        }
      }
    } else if (k == Kind::Audio) {
      r.major = guid_or("major", ks::FormatGuidKind::Major, ks::format::TYPE_AUDIO);
      r.subtype = guid_or("subtype", ks::FormatGuidKind::Subtype, ks::format::SUBTYPE_PCM);
      r.specifier =
          guid_or("specifier", ks::FormatGuidKind::Specifier, ks::format::SPECIFIER_WAVEFORMATEX);
      for (auto key : {"max_channels", "bits", "rate"}) require(node, key, path);
      r.max_channels = size(node.find("max_channels"), path + ".max_channels", 0);
      ulong_range(node.find("bits"), path + ".bits", r.bits_min, r.bits_max);
      ulong_range(node.find("rate"), path + ".rate", r.rate_min, r.rate_max);
      // WAVEFORMATEX holds channels and bits in WORDs: a format outside them cannot be set.
      if (r.max_channels.present && (r.max_channels.value == 0 || r.max_channels.value > 0xFFFF))
        error("KSF0010",
              "'max_channels' is " + std::to_string(r.max_channels.value) +
                  "; a format has 1 to 65535 channels (nChannels is a WORD)",
              r.max_channels.pos, path + ".max_channels");
      else if (r.bits_max.present && (r.bits_min.value == 0 || r.bits_max.value > 0xFFFF))
        error("KSF0010", "'bits' must be from 1 to 65535 (wBitsPerSample is a WORD)",
              r.bits_min.pos, path + ".bits");
      else if (r.rate_max.present && r.rate_min.value == 0)
        error("KSF0010", "'rate' must be at least 1 Hz", r.rate_min.pos, path + ".rate");
      else if (r.max_channels.present && r.bits_max.present && r.rate_max.present) {
        r.block_align_min = ks::block_align(1, r.bits_min.value);
        r.block_align_max = ks::block_align(r.max_channels.value, r.bits_max.value);
        r.byte_rate_min = ks::byte_rate(1, r.bits_min.value, r.rate_min.value);
        r.byte_rate_max = ks::byte_rate(r.max_channels.value, r.bits_max.value, r.rate_max.value);
        if (r.block_align_max > 0xFFFF || r.byte_rate_max > 0xFFFFFFFFull) {
          error("KSF0010",
                "the largest format of this range (" + std::to_string(r.max_channels.value) +
                    " channels of " + std::to_string(r.bits_max.value) + " bits at " +
                    std::to_string(r.rate_max.value) +
                    " Hz) has a block align or byte "
                    "rate WAVEFORMATEX cannot hold",
                r.pos, path);
          r.block_align_min = r.block_align_max = r.byte_rate_min = r.byte_rate_max = 0;
        }
      }
    } else {
      require(node, "major", path);
      require(node, "subtype", path);
      r.major = guid_or("major", ks::FormatGuidKind::Major, {});
      r.subtype = guid_or("subtype", ks::FormatGuidKind::Subtype, {});
      r.specifier = guid_or("specifier", ks::FormatGuidKind::Specifier, ks::format::SPECIFIER_NONE);
      r.sample_size = size(node.find("sample_size"), path + ".sample_size", 0);
      r.fixed_size = boolean(node.find("fixed_size"), path + ".fixed_size", false);
    }
    return r;
  }

  // A LONG (biHeight): -2147483648 to 2147483647, not 0.
  Located<std::int64_t> signed_long(const Node* node, const std::string& path) {
    Located<std::int64_t> out;
    if (!node) return out;
    out.pos = node->pos;
    if (is_expression(*node)) {  // `-(240)`, `2 * 240`: the same range check on the result
      const auto v = expression(*node, path);
      if (!v) return out;
      if (*v == 0 || *v < -0x80000000ll || *v > 0x7FFFFFFFll) {
        error("KSF0010",
              "'" + last_key(path) +
                  "' must be a nonzero LONG (-2147483648 to "
                  "2147483647): " +
                  node->scalar + " = " + std::to_string(*v),
              node->pos, path, "a negative height means top-down rows");
        return out;
      }
      out = {*v, node->pos, true, node->scalar};
      return out;
    }
    if (scalar::classify(*node) != scalar::Type::Integer) {
      error("KSF0009", "'" + last_key(path) + "' must be an integer, not " + node->describe(),
            node->pos, path);
      return out;
    }
    auto v = scalar::parse_integer(node->scalar);
    if (!v || v->overflow || v->magnitude > (v->negative ? 0x80000000ull : 0x7FFFFFFFull) ||
        v->magnitude == 0) {
      error("KSF0010",
            "'" + last_key(path) +
                "' must be a nonzero LONG (-2147483648 to "
                "2147483647): " +
                node->scalar,
            node->pos, path, "a negative height means top-down rows");
      return out;
    }
    out.value = v->negative ? -static_cast<std::int64_t>(v->magnitude)
                            : static_cast<std::int64_t>(v->magnitude);
    out.present = true;
    return out;
  }

  FramingEditSpec read_edit(const Node& node, const std::string& path, const PinSpec& p) {
    FramingEditSpec e;
    e.pos = node.pos;
    if (!expect_map(node, path, {"frame_size", "stepping", "frames"})) return e;
    if (require(node, "frame_size", path)) {
      const Node& size = *node.find("frame_size");
      e.size.pos = size.pos;
      if (size.is_scalar() && !size.quoted && size.scalar == "sample_size") {
        e.size = {FramingEditSpec::Size::SampleSize, size.pos, true};
      } else if (size.is_map()) {
        if (expect_map(size, path + ".frame_size", {"audio_ms"}) &&
            require(size, "audio_ms", path + ".frame_size")) {
          e.audio_ms = ulong(size.find("audio_ms"), path + ".frame_size.audio_ms", 0);
          // A minute bounds the arithmetic (rate x ms x block align stays far inside 64 bits).
          if (e.audio_ms.present && (e.audio_ms.value == 0 || e.audio_ms.value > 60000))
            error("KSF0010",
                  "'audio_ms' must be from 1 to 60000: " + std::to_string(e.audio_ms.value),
                  e.audio_ms.pos, path + ".frame_size.audio_ms");
          else if (e.audio_ms.present)
            e.size = {FramingEditSpec::Size::AudioMs, size.pos, true};
        }
      } else {
        error("KSF0009",
              "'frame_size' must be sample_size or {audio_ms: N}, not " + size.describe(), size.pos,
              path + ".frame_size",
              "sample_size: biSizeImage of a video format, SampleSize of a plain one");
      }
    }
    e.stepping = size(node.find("stepping"), path + ".stepping", 0);
    e.frames = size(node.find("frames"), path + ".frames", 0);
    if (!p.framing && !p.framing_ex)
      error(
          "KSF0013", "framing_edit edits the pin's framing, but the pin declares none", node.pos,
          path,
          "declare the framing the driver starts from (framing, framing_ex or simple_framing_ex)");
    return e;
  }

  // The KsEdit of the driver's create dispatch, for the format of a connection: both ranges of
  // every item (or the legacy FrameSize) become the format's size, located at the edit.
  void apply_edit(PinSpec& p, int range_index, const FormatSpec& f, const std::string& path) {
    if (!p.framing_edit || !p.framing_edit->size.present || p.edited_framing_ex || p.edited_framing)
      return;
    if (range_index < 0 || range_index >= static_cast<int>(p.data_ranges.size())) return;
    const FramingEditSpec& e = *p.framing_edit;
    const DataRangeSpec& range = p.data_ranges[range_index];
    const bool audio = range.kind.value == DataRangeSpec::Kind::Audio;
    const std::uint64_t size = e.size_for(range, f.channels, f.bits, f.rate);
    if (size == 0) {
      error(
          "KSF0013",
          "framing_edit sizes frames from the format, but " + range.describe() +
              (e.size.value == FramingEditSpec::Size::AudioMs && !audio ? " is not audio"
                                                                        : " states no sample size"),
          e.size.pos, path + ".framing_edit.frame_size",
          audio || e.size.value == FramingEditSpec::Size::AudioMs
              ? "audio frames are sized by duration: frame_size: {audio_ms: N}"
              : "give the range a size_image (video) or a sample_size (plain)");
      return;
    }
    if (size > 0xFFFFFFFFull) {
      error("KSF0010",
            "framing_edit gives frames of " + std::to_string(size) +
                " bytes, more than a ULONG FrameSize holds",
            e.size.pos, path + ".framing_edit.frame_size");
      return;
    }
    const LU32 edited{static_cast<ks::ULONG>(size), e.size.pos, true};
    p.edit_note =
        "frame size " + std::to_string(size) + " (" +
        (e.size.value == FramingEditSpec::Size::SampleSize
             ? std::string(range.kind.value == DataRangeSpec::Kind::Video ? "biSizeImage"
                                                                          : "SampleSize") +
                   " of " + range.describe()
             : std::to_string(e.audio_ms.value) + " ms of " + std::to_string(f.channels) + " ch " +
                   std::to_string(f.bits) + " bit " + std::to_string(f.rate) + " Hz, block align " +
                   std::to_string(f.block_align())) +
        ")" + (e.frames.present ? ", " + std::to_string(e.frames.value) + " frames" : "") +
        (e.stepping.present ? ", stepping " + std::to_string(e.stepping.value) : "");
    if (p.framing_ex) {
      FramingExSpec ex = *p.framing_ex;
      for (auto& it : ex.items) {
        for (RangeSpec* r : {&it.framing_range, &it.physical_range}) {
          r->min = r->max = edited;
          if (e.stepping.present) r->stepping = e.stepping;
          r->pos = e.pos;
          r->present = true;
        }
        if (e.frames.present) it.frames = e.frames;
      }
      p.edited_framing_ex = std::move(ex);
    }
    if (p.framing) {
      LegacyFramingSpec l = *p.framing;
      l.frame_size = edited;
      if (e.frames.present) l.frames = e.frames;
      p.edited_framing = std::move(l);
    }
  }

  AllocatorModelSpec read_allocator(const Node& node, const std::string& path) {
    AllocatorModelSpec a;
    a.pos = node.pos;
    if (node.is_null()) return a;  // "allocator:" alone: a vendor allocator with defaults
    if (!expect_map(node, path, {"pool_frames", "fail_initialize", "allocation_failure_rate"}))
      return a;
    a.pool_frames = ulong(node.find("pool_frames"), path + ".pool_frames", 0);
    a.fail_initialize = boolean(node.find("fail_initialize"), path + ".fail_initialize", false);
    a.allocation_failure_rate = number(node.find("allocation_failure_rate"),
                                       path + ".allocation_failure_rate", 0.0, 0.0, 1.0);
    return a;
  }

  LegacyFramingSpec read_legacy(const Node& node, const std::string& path) {
    LegacyFramingSpec l;
    l.pos = node.pos;
    if (!expect_map(node, path,
                    {"requirements_flags", "options_flags", "pool_type", "frames", "frame_size",
                     "file_alignment", "reserved"}))
      return l;
    const Node* req = node.find("requirements_flags");
    const Node* opt = node.find("options_flags");
    if (req && opt)
      error("KSF0019",
            "a legacy framing has either 'requirements_flags' (query) or "
            "'options_flags' (allocator create), not both",
            opt->pos, path + ".options_flags",
            "RequirementsFlags and OptionsFlags are the same ULONG (a union) in ks.h");
    if (opt) {
      l.flags_kind = LegacyFramingSpec::FlagsKind::Options;
      l.flags = flags(opt, path + ".options_flags", ks::options_flags(), 0);
    } else {
      l.flags = flags(req, path + ".requirements_flags", ks::requirements_flags(), 0);
    }
    l.pool_type = enumerated(node.find("pool_type"), path + ".pool_type", ks::pool_types(), {}, 0,
                             true, "pool type");
    l.frames = size(node.find("frames"), path + ".frames", 0);
    l.frame_size = size(node.find("frame_size"), path + ".frame_size", 0);
    l.file_alignment = enumerated(node.find("file_alignment"), path + ".file_alignment",
                                  ks::file_alignments(), {}, 0, true, "alignment", true);
    l.reserved = ulong(node.find("reserved"), path + ".reserved", 0);
    return l;
  }

  RangeSpec read_range(const Node* node, const std::string& path, bool weighted,
                       FramingItemSpec* item) {
    RangeSpec r;
    r.min.value = 0;
    r.max.value = ks::kUnbounded;
    r.stepping.value = 1;
    if (!node) return r;
    r.pos = node->pos;
    r.min.pos = r.max.pos = r.stepping.pos = node->pos;
    bool ok = weighted
                  ? expect_map(*node, path,
                               {"min", "max", "stepping", "in_place_weight", "not_in_place_weight"})
                  : expect_map(*node, path, {"min", "max", "stepping"});
    if (!ok) return r;
    r.present = true;
    r.min = size(node->find("min"), path + ".min", 0);
    r.max = size(node->find("max"), path + ".max", ks::kUnbounded, true);
    r.stepping = size(node->find("stepping"), path + ".stepping", 1);
    for (LU32* v : {&r.min, &r.max, &r.stepping})
      if (!v->present) v->pos = node->pos;
    if (weighted && item) {
      item->in_place_weight = ulong(node->find("in_place_weight"), path + ".in_place_weight", 0);
      item->not_in_place_weight =
          ulong(node->find("not_in_place_weight"), path + ".not_in_place_weight", 0);
    }
    return r;
  }

  FramingItemSpec read_item(const Node& node, const std::string& path) {
    FramingItemSpec it;
    it.pos = node.pos;
    it.physical_range = read_range(nullptr, "", false, nullptr);
    it.framing_range = it.physical_range;
    if (!expect_map(node, path,
                    {"memory_type", "bus_type", "memory_flags", "bus_flags", "flags", "frames",
                     "file_alignment", "memory_type_weight", "physical_range", "framing_range"}))
      return it;
    it.memory_type = guid(node.find("memory_type"), path + ".memory_type", ks::GuidKind::Memory);
    it.bus_type = guid(node.find("bus_type"), path + ".bus_type", ks::GuidKind::Bus);
    it.memory_flags =
        flags(node.find("memory_flags"), path + ".memory_flags", ks::framing_item_flags(), 0);
    it.bus_flags = flags(node.find("bus_flags"), path + ".bus_flags", ks::framing_item_flags(), 0);
    it.flags = flags(node.find("flags"), path + ".flags", ks::framing_item_flags(), 0);
    it.frames = size(node.find("frames"), path + ".frames", 0);
    it.file_alignment = enumerated(node.find("file_alignment"), path + ".file_alignment",
                                   ks::file_alignments(), {}, 0, true, "alignment", true);
    it.memory_type_weight = ulong(node.find("memory_type_weight"), path + ".memory_type_weight", 0);
    it.physical_range =
        read_range(node.find("physical_range"), path + ".physical_range", false, nullptr);
    it.framing_range = read_range(node.find("framing_range"), path + ".framing_range", true, &it);
    default_positions(it);
    return it;
  }

  // A defaulted value points at its enclosing item, so explanations can still name a place.
  static void default_positions(FramingItemSpec& it) {
    for (LU32* v : {&it.memory_flags, &it.bus_flags, &it.flags, &it.frames, &it.file_alignment,
                    &it.memory_type_weight, &it.in_place_weight, &it.not_in_place_weight})
      if (!v->present) v->pos = it.pos;
    if (!it.memory_type.present) it.memory_type.pos = it.pos;
    if (!it.bus_type.present) it.bus_type.pos = it.pos;
    for (RangeSpec* r : {&it.physical_range, &it.framing_range})
      if (!r->present) {
        r->pos = it.pos;
        r->min.pos = r->max.pos = r->stepping.pos = it.pos;
      }
  }

  FramingExSpec read_framing_ex(const Node& node, const std::string& path) {
    FramingExSpec ex;
    ex.pos = ex.items_pos = ex.compression_pos = node.pos;
    ex.ratio_numerator.value = ex.ratio_denominator.value = 1;
    if (!expect_map(node, path,
                    {"count_items", "pin_flags", "output_compression", "pin_weight", "items"}))
      return ex;
    ex.count_items = ulong(node.find("count_items"), path + ".count_items", 0);
    ex.pin_flags = ulong(node.find("pin_flags"), path + ".pin_flags", 0);
    ex.pin_weight = ulong(node.find("pin_weight"), path + ".pin_weight", 0);
    if (const Node* c = node.find("output_compression");
        c && expect_map(*c, path + ".output_compression",
                        {"numerator", "denominator", "constant_margin"})) {
      ex.compression_pos = c->pos;
      const Node* num = c->find("numerator");
      if (num && num->is_scalar() && !num->quoted && num->scalar == "unknown")
        ex.ratio_numerator = {ks::kCompressionUnknown, num->pos, true};
      else
        ex.ratio_numerator = ulong(num, path + ".output_compression.numerator", 1);
      ex.ratio_denominator =
          ulong(c->find("denominator"), path + ".output_compression.denominator", 1);
      ex.ratio_constant_margin =
          ulong(c->find("constant_margin"), path + ".output_compression.constant_margin", 0);
    }
    for (LU32* v : {&ex.count_items, &ex.pin_flags, &ex.pin_weight, &ex.ratio_numerator,
                    &ex.ratio_denominator, &ex.ratio_constant_margin})
      if (!v->present)
        v->pos = (v == &ex.ratio_numerator || v == &ex.ratio_denominator ||
                  v == &ex.ratio_constant_margin)
                     ? ex.compression_pos
                     : node.pos;
    if (require(node, "items", path) && expect_seq(*node.find("items"), path + ".items")) {
      const Node& items = *node.find("items");
      ex.items_pos = items.pos;
      for (std::size_t i = 0; i < items.items.size(); ++i)
        ex.items.push_back(read_item(items.items[i], path + ".items[" + std::to_string(i) + "]"));
      if (ex.count_items.present && ex.count_items.value != items.items.size())
        error("KSF0015",
              "count_items is " + std::to_string(ex.count_items.value) + " but " +
                  std::to_string(items.items.size()) + " item" +
                  (items.items.size() == 1 ? " is" : "s are") + " listed",
              ex.count_items.pos, path + ".count_items",
              "remove count_items (it defaults to the number of items) or list that many items");
    }
    if (!ex.count_items.present) ex.count_items.value = static_cast<ks::ULONG>(ex.items.size());
    return ex;
  }

  FramingExSpec read_simple(const Node& node, const std::string& path) {
    FramingExSpec ex;
    ex.form = FramingExSpec::Form::Simple;
    ex.pos = ex.items_pos = ex.compression_pos = node.pos;
    ex.ratio_numerator = {1, node.pos, false};
    ex.ratio_denominator = {1, node.pos, false};
    ex.count_items = {1, node.pos, false};
    if (!expect_map(node, path, {"memory_type", "flags", "frames", "file_alignment", "min", "max"}))
      return ex;
    for (auto key : {"memory_type", "flags", "frames", "file_alignment", "min", "max"})
      require(node, key, path);
    // DECLARE_SIMPLE_FRAMING_EX: one item; physical range "don't care"; sizes in the optimal
    // range with stepping 1 (ref 3.10).
    FramingItemSpec it;
    it.pos = node.pos;
    it.memory_type = guid(node.find("memory_type"), path + ".memory_type", ks::GuidKind::Memory);
    it.flags = flags(node.find("flags"), path + ".flags", ks::framing_item_flags(), 0);
    it.frames = size(node.find("frames"), path + ".frames", 0);
    it.file_alignment = enumerated(node.find("file_alignment"), path + ".file_alignment",
                                   ks::file_alignments(), {}, 0, true, "alignment", true);
    it.physical_range.min.value = 0;
    it.physical_range.max.value = ks::kUnbounded;
    it.physical_range.stepping.value = 1;
    it.framing_range.min = size(node.find("min"), path + ".min", 0);
    it.framing_range.max = size(node.find("max"), path + ".max", ks::kUnbounded, true);
    it.framing_range.stepping = {1, node.pos, false};
    it.framing_range.present = true;
    it.framing_range.pos = node.pos;
    default_positions(it);
    ex.items.push_back(std::move(it));
    return ex;
  }

  void read_route(const Node& node, const std::string& path, FilterSpec& f) {
    RouteSpec r;
    r.pos = node.pos;
    if (!expect_map(node, path, {"from", "to", "in_place"})) return;
    require(node, "from", path);
    require(node, "to", path);
    r.from = string(node.find("from"), path + ".from");
    r.to = string(node.find("to"), path + ".to");
    r.in_place = boolean(node.find("in_place"), path + ".in_place", false);
    if (r.from.present) r.from_pin = resolve_route_end(f, r.from, path + ".from", ks::Dataflow::In);
    if (r.to.present) r.to_pin = resolve_route_end(f, r.to, path + ".to", ks::Dataflow::Out);
    f.routes.push_back(std::move(r));
  }

  int resolve_route_end(const FilterSpec& f, const Located<std::string>& name,
                        const std::string& path, ks::Dataflow wanted) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < f.pins.size(); ++i) {
      names.push_back(f.pins[i].name.value);
      if (f.pins[i].name.value != name.value) continue;
      if (f.pins[i].dataflow.value != wanted) {
        const bool in = wanted == ks::Dataflow::In;
        Diagnostic d =
            make_diagnostic("KSF0018",
                            std::string("a route goes from an input pin to an output pin, but '") +
                                name.value + "' is an " + (in ? "output" : "input") + " pin",
                            at(name.pos),
                            in ? "routes read {from: <input pin>, to: <output pin>}"
                               : "routes read {from: <input pin>, to: <output pin>}");
        d.related.push_back({at(f.pins[i].dataflow.pos), "'" + name.value + "' is declared here"});
        d.subject = path;
        report(std::move(d));
        return -1;
      }
      return static_cast<int>(i);
    }
    error("KSF0017",
          "route names pin " + text::quote(name.value) + ", which filter '" + f.name.value +
              "' does not have",
          name.pos, path, list_hint(name.value, names, "pins of this filter"));
    return -1;
  }

  static std::string list_hint(const std::string& word, const std::vector<std::string>& names,
                               const std::string& what) {
    if (auto s = text::did_you_mean(word, names)) return "did you mean '" + *s + "'?";
    std::string hint = what + ": ";
    for (std::size_t i = 0; i < names.size() && i < 10; ++i) hint += (i ? ", " : "") + names[i];
    if (names.size() > 10) hint += ", ...";
    if (names.empty()) hint += "(none)";
    return hint;
  }

  void read_connection(const Node& node, const std::string& path, Spec& spec) {
    ConnectionSpec c;
    c.pos = node.pos;
    if (!expect_map(node, path, {"from", "to", "format"})) return;
    require(node, "from", path);
    require(node, "to", path);
    c.from = string(node.find("from"), path + ".from");
    c.to = string(node.find("to"), path + ".to");
    if (c.from.present) c.from_ref = resolve_pin(spec, c.from, path + ".from");
    if (c.to.present) c.to_ref = resolve_pin(spec, c.to, path + ".to");
    const Node* format = node.find("format");
    FormatChoice choice;
    if (format) choice = read_format_choice(*format, path + ".format", c);
    if (c.from_ref.resolved() && c.to_ref.resolved() && choice.ok)
      resolve_format(spec, c, choice, path);
    if (c.format.resolved()) {
      apply_edit(spec.filters[c.from_ref.filter].pins[c.from_ref.pin], c.format.from_range,
                 c.format, spec.pin_name(c.from_ref));
      apply_edit(spec.filters[c.to_ref.filter].pins[c.to_ref.pin], c.format.to_range, c.format,
                 spec.pin_name(c.to_ref));
    }
    spec.connections.push_back(std::move(c));
  }

  struct FormatChoice {
    bool ok = true;
    LU32 channels, bits, rate;  ///< audio values the spec fixes (present) or leaves to intersection
  };

  // `format: N` (the output pin's range N) or `{range: N, channels: C, bits: B, rate: R}`.
  FormatChoice read_format_choice(const Node& node, const std::string& path, ConnectionSpec& c) {
    FormatChoice choice;
    const Node* index = &node;
    if (node.is_map()) {
      if (!expect_map(node, path, {"range", "channels", "bits", "rate"}) ||
          !require(node, "range", path)) {
        choice.ok = false;
        return choice;
      }
      index = node.find("range");
      choice.channels = ulong(node.find("channels"), path + ".channels", 0);
      choice.bits = ulong(node.find("bits"), path + ".bits", 0);
      choice.rate = ulong(node.find("rate"), path + ".rate", 0);
    }
    auto i = ulong(index, node.is_map() ? path + ".range" : path, 0);
    if (!i.present) {
      choice.ok = false;
      return choice;
    }
    c.format_index = {i.value, i.pos, true};
    return choice;
  }

  // KS data intersection, as the spec can state it: two ranges match when their major type,
  // subtype and specifier are equal or one is the wildcard (GUID_NULL); a video range also
  // fixes width, height, bit count and compression, which must then agree; audio ranges must
  // overlap in bits and rate, and the format takes the most channels, bits and rate both allow
  // (what the port class default intersection handler picks), unless the spec fixes them.
  static bool guid_match(const ks::Guid& a, const ks::Guid& b) {
    return a == b || a.is_null() || b.is_null();
  }

  static bool intersect(const DataRangeSpec& a, const DataRangeSpec& b, const FormatChoice& fixed,
                        FormatSpec& out) {
    using Kind = DataRangeSpec::Kind;
    if (!guid_match(a.major.value, b.major.value) ||
        !guid_match(a.subtype.value, b.subtype.value) ||
        !guid_match(a.specifier.value, b.specifier.value))
      return false;
    const Kind ka = a.kind.value, kb = b.kind.value;
    // A plain range with wildcards accepts a specific video or audio range; two specific ranges
    // of different kinds never meet.
    if (ka != kb && ka != Kind::Plain && kb != Kind::Plain) return false;
    if (ka == Kind::Video && kb == Kind::Video &&
        (a.width.value != b.width.value || a.height.value != b.height.value ||
         a.bit_count.value != b.bit_count.value || a.compression.value != b.compression.value))
      return false;
    if (ka == Kind::Audio || kb == Kind::Audio) {
      const DataRangeSpec& x = ka == Kind::Audio ? a : b;
      const DataRangeSpec& y = kb == Kind::Audio ? b : a;
      const std::uint64_t ch = std::min(x.max_channels.value, y.max_channels.value);
      const std::uint64_t bits_lo = std::max(x.bits_min.value, y.bits_min.value);
      const std::uint64_t bits_hi = std::min(x.bits_max.value, y.bits_max.value);
      const std::uint64_t rate_lo = std::max(x.rate_min.value, y.rate_min.value);
      const std::uint64_t rate_hi = std::min(x.rate_max.value, y.rate_max.value);
      if (ch == 0 || bits_lo > bits_hi || rate_lo > rate_hi) return false;
      out.channels = fixed.channels.present ? fixed.channels.value : ch;
      out.bits = fixed.bits.present ? fixed.bits.value : bits_hi;
      out.rate = fixed.rate.present ? fixed.rate.value : rate_hi;
      if (out.channels == 0 || out.channels > ch || out.bits < bits_lo || out.bits > bits_hi ||
          out.rate < rate_lo || out.rate > rate_hi)
        return false;
    }
    return true;
  }

  void resolve_format(const Spec& spec, ConnectionSpec& c, const FormatChoice& choice,
                      const std::string& path) {
    const PinSpec& from = spec.pin(c.from_ref);
    const PinSpec& to = spec.pin(c.to_ref);
    if (c.format_index.present && c.format_index.value >= from.data_ranges.size()) {
      error("KSF0017",
            "format " + std::to_string(c.format_index.value) + " names a data range " +
                c.from.value + " does not have (it has " + std::to_string(from.data_ranges.size()) +
                ")",
            c.format_index.pos, path + ".format",
            "ranges are counted from 0 in the output pin's data_ranges");
      return;
    }
    // A spec that does not say what its pins stream connects them as before.
    if (from.data_ranges.empty() && to.data_ranges.empty()) return;
    for (const auto* r : {&from, &to})
      for (const auto& range : r->data_ranges)
        if (!range.kind.present) return;  // already reported
    if (from.data_ranges.empty() || to.data_ranges.empty()) {
      // One pin states no ranges (an application's pin, typically): it takes what the other
      // streams, so the format is that pin's picked or first range, at its widest for audio.
      const bool from_side = !from.data_ranges.empty();
      const std::size_t index = c.format_index.present ? c.format_index.value : 0;
      const DataRangeSpec& r = (from_side ? from : to).data_ranges[index];
      FormatSpec f;
      f.from_range = from_side ? static_cast<int>(index) : -1;
      f.to_range = from_side ? -1 : static_cast<int>(index);
      f.explicit_choice = c.format_index.present;
      if (r.kind.value == DataRangeSpec::Kind::Audio) {
        f.channels = choice.channels.present ? choice.channels.value : r.max_channels.value;
        f.bits = choice.bits.present ? choice.bits.value : r.bits_max.value;
        f.rate = choice.rate.present ? choice.rate.value : r.rate_max.value;
        if (f.channels == 0 || f.channels > r.max_channels.value || f.bits < r.bits_min.value ||
            f.bits > r.bits_max.value || f.rate < r.rate_min.value || f.rate > r.rate_max.value) {
          c.format_failed = true;
          return;
        }
      }
      c.format = f;
      return;
    }
    const std::size_t first = c.format_index.present ? c.format_index.value : 0;
    const std::size_t last = c.format_index.present ? first + 1 : from.data_ranges.size();
    for (std::size_t i = first; i < last; ++i)
      for (std::size_t j = 0; j < to.data_ranges.size(); ++j) {
        FormatSpec f;
        if (!intersect(from.data_ranges[i], to.data_ranges[j], choice, f)) continue;
        f.from_range = static_cast<int>(i);
        f.to_range = static_cast<int>(j);
        f.explicit_choice = c.format_index.present;
        c.format = f;
        return;
      }
    // Reported by lint (KSF3007) and refused by the commands that negotiate, before they do.
    c.format_failed = true;
  }

  // One map from "filter.pin" to the pin, built once: looking each connection end up by a scan
  // made a 100,000-pin graph take minutes to load.
  void index_pins(const Spec& spec) {
    for (std::size_t fi = 0; fi < spec.filters.size(); ++fi)
      for (std::size_t pi = 0; pi < spec.filters[fi].pins.size(); ++pi)
        pin_index_.emplace(spec.filters[fi].name.value + "." + spec.filters[fi].pins[pi].name.value,
                           PinRef{static_cast<int>(fi), static_cast<int>(pi)});
  }

  PinRef resolve_pin(const Spec& spec, const Located<std::string>& ref, const std::string& path) {
    const auto dot = ref.value.find('.');
    if (dot == std::string::npos || ref.value.find('.', dot + 1) != std::string::npos) {
      error("KSF0009", "a connection end must be written filter.pin, not " + text::quote(ref.value),
            ref.pos, path);
      return {};
    }
    if (auto it = pin_index_.find(ref.value); it != pin_index_.end()) return it->second;
    std::vector<std::string> all;  // only to suggest a name, when the lookup failed
    for (const auto& f : spec.filters)
      for (const auto& p : f.pins) all.push_back(f.name.value + "." + p.name.value);
    error("KSF0017", "connection names " + text::quote(ref.value) + ", which does not exist",
          ref.pos, path, list_hint(ref.value, all, "pins"));
    return {};
  }

  void check_filter_names(const Spec& spec) {
    std::map<std::string, const FilterSpec*> seen;
    for (const auto& f : spec.filters) {
      if (!f.name.present) continue;
      auto [it, inserted] = seen.emplace(f.name.value, &f);
      if (inserted) continue;
      Diagnostic d = make_diagnostic(
          "KSF0016", "duplicate filter name " + text::quote(f.name.value), at(f.name.pos));
      d.related.push_back({at(it->second->name.pos), "first used here"});
      d.subject = f.name.value;
      report(std::move(d));
    }
  }

  void check_pin_names(const FilterSpec& f, const std::string& path) {
    std::map<std::string, const PinSpec*> names;
    std::map<ks::ULONG, const PinSpec*> ids;
    for (const auto& p : f.pins) {
      if (p.name.present) {
        auto [it, inserted] = names.emplace(p.name.value, &p);
        if (!inserted) {
          Diagnostic d = make_diagnostic(
              "KSF0016",
              "duplicate pin name " + text::quote(p.name.value) + " in filter '" + path + "'",
              at(p.name.pos));
          d.related.push_back({at(it->second->name.pos), "first used here"});
          d.subject = path + "." + p.name.value;
          report(std::move(d));
          continue;
        }
      }
      auto [it, inserted] = ids.emplace(p.id.value, &p);
      if (!inserted) {
        Diagnostic d = make_diagnostic(
            "KSF0016",
            "pin id " + std::to_string(p.id.value) + " is used twice in filter '" + path + "'",
            at(p.id.present ? p.id.pos : p.pos), "ids default to the pin's position in the list");
        d.related.push_back(
            {at(it->second->id.present ? it->second->id.pos : it->second->pos), "first used here"});
        d.subject = path + "." + p.name.value + ".id";
        report(std::move(d));
      }
    }
  }

  // The load streams what the source pin streams unless it says otherwise: the payload of a
  // frame is the format's sample (a video image, a fixed-size sample, or the edited audio frame)
  // and the rate is 1 / AvgTimePerFrame or 1 / the edited audio frame duration. The source pin is
  // the output of a connection with a format whose filter nothing feeds; each such pin gets its
  // own defaults (an audio and a video pin of one filter stream different samples).
  void load_from_format(Spec& spec) {
    std::set<int> fed;
    for (const auto& c : spec.connections)
      if (c.to_ref.resolved()) fed.insert(c.to_ref.filter);
    for (const auto& c : spec.connections) {
      if (!c.format.resolved() || c.format.from_range < 0 || fed.count(c.from_ref.filter)) continue;
      const PinSpec& pin = spec.pin(c.from_ref);
      const DataRangeSpec& range = pin.data_ranges[c.format.from_range];
      std::uint64_t payload = range.sample_bytes();
      double rate = range.avg_time_per_frame.value
                        ? 1e7 / static_cast<double>(range.avg_time_per_frame.value)
                        : 0;
      std::uint64_t audio_byte_rate = 0;
      if (range.kind.value == DataRangeSpec::Kind::Audio && pin.framing_edit &&
          pin.framing_edit->size.value == FramingEditSpec::Size::AudioMs) {
        payload =
            pin.framing_edit->size_for(range, c.format.channels, c.format.bits, c.format.rate);
        rate = 1000.0 / pin.framing_edit->audio_ms.value;
      } else if (range.kind.value == DataRangeSpec::Kind::Audio) {
        audio_byte_rate = c.format.byte_rate();  // the rate follows the negotiated frame size
      }
      bool seen = false;  // a pin connected twice (a splitter) streams one format: the first
      for (const auto& d : spec.load.format_defaults)
        seen = seen || (d.ref.filter == c.from_ref.filter && d.ref.pin == c.from_ref.pin);
      if (seen) continue;
      FormatSourceDefault d;
      d.ref = c.from_ref;
      if (payload > 0) {
        d.payload.present = true;
        d.payload.pos = range.pos;
        d.payload.kind = {DistributionSpec::Kind::Fixed, range.pos, false};
        d.payload.value = {static_cast<double>(payload), range.pos, false};
      }
      if (rate > 0 && rate <= 1e6) d.rate_hz = rate;
      d.audio_byte_rate = audio_byte_rate;
      spec.load.format_defaults.push_back(std::move(d));
    }
  }

  // Frames leave an output pin through a standard-transport connection only.
  static bool streams_out(const PinSpec& p) {
    return p.dataflow.value == ks::Dataflow::Out && uses_standard_transport(p);
  }

  // An output pin that no connection uses streams into an implied consumer (ImpliedConsumerSpec):
  // by default on the driver's filters the spec does not connect, on request on any unconnected
  // output pin. Each becomes a one-pin filter `implied:<filter>:<pin>` (':' cannot appear in a
  // spec's names, so it cannot collide), a connection on the pin's first (or chosen) range, and,
  // when its service or hold is given, a load stage: negotiation, the format's framing edit and
  // the load then treat it as any consumer.
  void add_implied_consumers(Spec& spec) {
    std::set<int> connected_filters;
    std::map<std::pair<int, int>, const ConnectionSpec*> connected_pins;
    for (const auto& c : spec.connections)
      for (const PinRef& r : {c.from_ref, c.to_ref})
        if (r.resolved()) {
          connected_filters.insert(r.filter);
          connected_pins.emplace(std::make_pair(r.filter, r.pin), &c);
        }
    struct Wanted {
      PinRef ref;
      ImpliedConsumerSpec consumer;
      Position at;
    };
    std::vector<Wanted> wanted;
    for (std::size_t fi = 0; fi < spec.filters.size(); ++fi) {
      const FilterSpec& f = spec.filters[fi];
      for (std::size_t pi = 0; pi < f.pins.size(); ++pi) {
        const PinSpec& p = f.pins[pi];
        const PinRef ref{static_cast<int>(fi), static_cast<int>(pi)};
        const std::string path = f.name.value + "." + p.name.value + ".implied_consumer";
        if (p.implied_consumer && p.implied_consumer->none) continue;
        if (p.implied_consumer) {  // asked for: it must be able to stand in for a connection
          const Position where = p.implied_consumer->pos;
          std::string why;
          if (p.dataflow.value != ks::Dataflow::Out)
            why = "it is an input pin; a consumer takes frames from an output pin";
          else if (p.user_mode.value)
            why = "it is a user-mode pin (a consumer's own pin)";
          else if (!streams_out(p))
            why =
                "it does not stream through the standard transport (communication none or bridge, "
                "or KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT)";
          if (!why.empty()) {
            error("KSF0019",
                  "pin " + spec.pin_name(ref) + " cannot have an implied consumer: " + why, where,
                  path, "remove implied_consumer from this pin");
            continue;
          }
          if (auto it = connected_pins.find({ref.filter, ref.pin}); it != connected_pins.end()) {
            Diagnostic d = make_diagnostic(
                "KSF0019",
                "pin " + spec.pin_name(ref) +
                    " is connected; an implied consumer stands in for a missing connection",
                at(where));
            d.related.push_back({at(it->second->pos), "the connection"});
            d.subject = path;
            d.hint = "remove implied_consumer, or the connection";
            report(std::move(d));
            continue;
          }
          wanted.push_back({ref, *p.implied_consumer, where});
          continue;
        }
        // The default: a driver's filter described alone (no connection touches it) streams
        // each output pin into a user-mode sink, the way KsProxy uses capture pins.
        if (connected_filters.count(ref.filter) || !streams_out(p) || p.user_mode.value ||
            p.instances_possible.value == 0)
          continue;
        ImpliedConsumerSpec c;
        c.mode.value = ImpliedConsumerSpec::Mode::User;
        c.pos = p.pos;
        wanted.push_back({ref, c, p.pos});
      }
    }
    for (const Wanted& w : wanted) {
      const std::string source = spec.pin_name(w.ref);
      const std::string name =
          "implied:" + spec.filters[w.ref.filter].name.value + ":" + spec.pin(w.ref).name.value;
      FilterSpec f;
      f.name = {name, w.at, true};
      f.pos = w.at;
      f.implied_for = w.ref;
      PinSpec in;
      in.name = {"in", w.at, true};
      in.pos = w.at;
      in.dataflow = {ks::Dataflow::In, w.at, true};
      in.communication = {ks::Communication::Both, w.at, false};
      in.instances_possible = {1, w.at, false};
      in.user_mode = {w.consumer.mode.value == ImpliedConsumerSpec::Mode::User, w.consumer.mode.pos,
                      false};
      f.pins.push_back(std::move(in));
      const int index = static_cast<int>(spec.filters.size());
      spec.filters.push_back(std::move(f));

      ConnectionSpec c;
      c.pos = w.at;
      c.implied = true;
      c.from = {source, w.at, true};
      c.to = {name + ".in", w.at, true};
      c.from_ref = w.ref;
      c.to_ref = {index, 0};
      c.format_index = w.consumer.format_index;
      const std::string path = source + ".implied_consumer";
      resolve_format(spec, c, FormatChoice{}, path);
      if (c.format.resolved())
        apply_edit(spec.filters[w.ref.filter].pins[w.ref.pin], c.format.from_range, c.format,
                   source);
      spec.connections.push_back(std::move(c));

      if (w.consumer.service_us.present || w.consumer.hold_frames.present) {
        StageSpec s;
        s.pos = w.at;
        s.filter = {name, w.at, true};
        s.filter_index = index;
        s.service_us = w.consumer.service_us;
        s.hold_frames = w.consumer.hold_frames;
        spec.load.stages.push_back(std::move(s));
      }
    }
  }

  void default_load(WorkloadSpec& l) {
    l.seed.value = 1;
    l.frames.value = 10000;
    l.allocator_mode.value = "irp";
    l.source_rate_hz.value = 30.0;
  }

  DistributionSpec read_distribution(const Node* node, const std::string& path) {
    DistributionSpec d;
    if (!node) return d;
    d.pos = node->pos;
    d.present = true;
    if (node->is_scalar() && !node->quoted) {  // a bare number is a fixed value
      d.kind = {DistributionSpec::Kind::Fixed, node->pos, true};
      d.value = number(node, path, 0, 0, 1e12);
      if (!d.value.present) d.present = false;
      return d;
    }
    if (!expect_map(*node, path, {"distribution", "value", "bytes", "min", "max", "mean"})) {
      d.present = false;
      return d;
    }
    require(*node, "distribution", path);
    auto kind = choice(node->find("distribution"), path + ".distribution",
                       {"fixed", "uniform", "exponential"}, "fixed");
    d.kind.pos = kind.pos;
    d.kind.present = kind.present;
    d.kind.value = kind.value == "uniform"       ? DistributionSpec::Kind::Uniform
                   : kind.value == "exponential" ? DistributionSpec::Kind::Exponential
                                                 : DistributionSpec::Kind::Fixed;
    const Node* value = node->find("value");
    const Node* bytes = node->find("bytes");
    if (value && bytes)
      error("KSF0019", "'value' and 'bytes' are the same field; give one", bytes->pos,
            path + ".bytes");
    d.value = number(value ? value : bytes, path + (value ? ".value" : ".bytes"), 0, 0, 1e12);
    d.min = number(node->find("min"), path + ".min", 0, 0, 1e12);
    d.max = number(node->find("max"), path + ".max", 0, 0, 1e12);
    d.mean = number(node->find("mean"), path + ".mean", 0, 0, 1e12);
    using K = DistributionSpec::Kind;
    auto need = [&](const char* key, bool have) {
      if (!have && kind.present)
        error("KSF0013", "a " + kind.value + " distribution needs '" + key + "'", node->pos, path);
    };
    if (d.kind.value == K::Fixed) need("value", d.value.present);
    if (d.kind.value == K::Uniform) {
      need("min", d.min.present);
      need("max", d.max.present);
      if (d.min.present && d.max.present && d.min.value > d.max.value)
        error("KSF0010",
              "uniform distribution has min " + node->find("min")->scalar + " above max " +
                  node->find("max")->scalar,
              d.min.pos, path + ".min");
    }
    if (d.kind.value == K::Exponential) need("mean", d.mean.present);
    return d;
  }

  void read_load(const Node& node, Spec& spec) {
    WorkloadSpec& l = spec.load;
    default_load(l);
    l.pos = node.pos;
    l.present = true;
    if (!expect_map(node, "load",
                    {"seed", "frames", "allocator_mode", "source", "sources", "stages", "faults"}))
      return;
    if (const Node* seed = node.find("seed")) {
      auto v =
          seed->is_scalar() && !seed->quoted ? scalar::parse_integer(seed->scalar) : std::nullopt;
      if (!v) {
        error("KSF0009",
              "'seed' must be an integer from 0 to 18446744073709551615, not " + seed->describe(),
              seed->pos, "load.seed");
      } else if (v->negative || v->overflow) {
        error("KSF0010", "'seed' must be from 0 to 18446744073709551615: " + seed->scalar,
              seed->pos, "load.seed");
      } else {
        l.seed = {v->magnitude, seed->pos, true};
      }
    }
    l.frames = ulong(node.find("frames"), "load.frames", 10000);
    if (l.frames.present && l.frames.value > kMaxLoadFrames)
      error("KSF0010",
            "'frames' is " + std::to_string(l.frames.value) + "; a load runs at most " +
                std::to_string(kMaxLoadFrames) + " source frames",
            l.frames.pos, "load.frames", "a few thousand frames show a pipe's steady state");
    l.allocator_mode =
        choice(node.find("allocator_mode"), "load.allocator_mode", {"irp", "direct"}, "irp");
    if (const Node* src = node.find("source"); src && expect_source_map(*src, "load.source")) {
      l.source_rate_hz = number(src->find("rate_hz"), "load.source.rate_hz", 30.0, 1e-6, 1e6);
      l.payload = read_distribution(src->find("payload"), "load.source.payload");
      l.jitter_us = read_distribution(src->find("jitter_us"), "load.source.jitter_us");
      l.burst_frames = burst(src->find("burst_frames"), "load.source.burst_frames");
      l.when_starved =
          choice(src->find("when_starved"), "load.source.when_starved", {"wait", "drop"}, "wait");
    }
    if (const Node* sources = node.find("sources")) read_sources(*sources, spec);
    if (const Node* faults = node.find("faults");
        faults && expect_map(*faults, "load.faults", {"allocation_failure_rate", "lose_frames"})) {
      l.allocation_failure_rate = number(faults->find("allocation_failure_rate"),
                                         "load.faults.allocation_failure_rate", 0.0, 0.0, 1.0);
      l.lose_frames = ulong(faults->find("lose_frames"), "load.faults.lose_frames", 0);
    }
    const Node* stages = node.find("stages");
    if (!stages) return;
    if (!stages->is_map()) {
      expect_map(*stages, "load.stages", {});
      return;
    }
    std::vector<std::string> filters;
    std::map<std::string, int> filter_index;
    for (std::size_t i = 0; i < spec.filters.size(); ++i) {
      filters.push_back(spec.filters[i].name.value);
      filter_index.emplace(spec.filters[i].name.value, static_cast<int>(i));
    }
    for (const auto& [key, value] : stages->entries) {
      StageSpec s;
      s.pos = value.pos;
      s.filter = {key.scalar, key.pos, true};
      const std::string path = "load.stages." + key.scalar;
      if (auto it = filter_index.find(key.scalar); it != filter_index.end())
        s.filter_index = it->second;
      if (s.filter_index < 0)
        error("KSF0017",
              "load stage names filter " + text::quote(key.scalar) + ", which does not exist",
              key.pos, path, list_hint(key.scalar, filters, "filters"));
      if (expect_map(value, path, {"service_us", "hold_frames"})) {
        s.service_us = read_distribution(value.find("service_us"), path + ".service_us");
        s.hold_frames = ulong(value.find("hold_frames"), path + ".hold_frames", 0);
      }
      l.stages.push_back(std::move(s));
    }
  }

  // load.source and each load.sources entry take the same keys.
  bool expect_source_map(const Node& node, const std::string& path) {
    return expect_map(node, path,
                      {"rate_hz", "payload", "jitter_us", "burst_frames", "when_starved"});
  }

  LU32 burst(const Node* node, const std::string& path) {
    LU32 v = ulong(node, path, 1);
    if (v.present && v.value == 0) {
      error("KSF0010", "'burst_frames' must be at least 1 (1: one frame per period, no burst)",
            v.pos, path);
      v.present = false;
      v.value = 1;
    }
    return v;
  }

  // The keys of one load.sources entry, into `s`; without `s` (the entry names no source pin)
  // only checked, so every mistake of the entry is reported at once.
  bool read_source_keys(const Node& value, const std::string& path, SourceSpec* s = nullptr) {
    SourceSpec ignored;
    if (!s) s = &ignored;
    if (!expect_source_map(value, path)) return false;
    if (const Node* r = value.find("rate_hz"))
      s->rate_hz = number(r, path + ".rate_hz", 30.0, 1e-6, 1e6);
    s->payload = read_distribution(value.find("payload"), path + ".payload");
    s->jitter_us = read_distribution(value.find("jitter_us"), path + ".jitter_us");
    s->burst_frames = burst(value.find("burst_frames"), path + ".burst_frames");
    s->when_starved =
        choice(value.find("when_starved"), path + ".when_starved", {"wait", "drop"}, "wait");
    return true;
  }

  // load.sources.<filter>.<pin>: the same keys as load.source, for one source pin. The names are
  // checked as the other name references are: a located error with a did-you-mean.
  void read_sources(const Node& node, Spec& spec) {
    if (!node.is_map()) {
      expect_map(node, "load.sources", {});
      return;
    }
    std::vector<std::string> filters;
    for (const auto& f : spec.filters) filters.push_back(f.name.value);
    for (const auto& [fkey, pins] : node.entries) {
      const std::string fpath = "load.sources." + fkey.scalar;
      int filter = -1;
      for (std::size_t i = 0; i < spec.filters.size(); ++i)
        if (spec.filters[i].name.value == fkey.scalar) filter = static_cast<int>(i);
      // Both mistakes are reported: a name that does not exist and a value that is no mapping.
      if (filter < 0)
        error("KSF0017",
              "load source names filter " + text::quote(fkey.scalar) + ", which does not exist",
              fkey.pos, fpath, list_hint(fkey.scalar, filters, "filters"));
      if (!pins.is_map()) {
        expect_map(pins, fpath, {});
        continue;
      }
      if (filter < 0) {
        for (const auto& [pkey, value] : pins.entries)
          read_source_keys(value, fpath + "." + pkey.scalar);
        continue;
      }
      const FilterSpec& f = spec.filters[filter];
      std::vector<std::string> outputs;  // the names a source can have
      for (const auto& p : f.pins)
        if (p.dataflow.value == ks::Dataflow::Out) outputs.push_back(p.name.value);
      for (const auto& [pkey, value] : pins.entries) {
        const std::string path = fpath + "." + pkey.scalar;
        SourceSpec s;
        s.pos = value.pos;
        s.filter = {fkey.scalar, fkey.pos, true};
        s.pin = {pkey.scalar, pkey.pos, true};
        for (std::size_t i = 0; i < f.pins.size(); ++i)
          if (f.pins[i].name.value == pkey.scalar) s.ref = {filter, static_cast<int>(i)};
        if (!s.ref.resolved()) {
          error("KSF0017",
                "load source names pin " + text::quote(pkey.scalar) + ", which filter '" +
                    fkey.scalar + "' does not have",
                pkey.pos, path, list_hint(pkey.scalar, outputs, "output pins of this filter"));
          read_source_keys(value, path);
          continue;
        }
        if (spec.pin(s.ref).dataflow.value != ks::Dataflow::Out) {
          error("KSF0017",
                "load source names " + text::quote(fkey.scalar + "." + pkey.scalar) +
                    ", an input pin; a source produces frames on an output pin",
                pkey.pos, path, list_hint(pkey.scalar, outputs, "output pins of this filter"));
          read_source_keys(value, path);
          continue;
        }
        if (read_source_keys(value, path, &s)) spec.load.sources.push_back(std::move(s));
      }
    }
  }

  std::string file_;
  std::vector<std::string> included_;
  std::map<std::string, PinRef> pin_index_;
};

}  // namespace

LoadResult load_spec_tree(const Node& root, const std::string& file,
                          const std::vector<std::string>& included) {
  LoadResult result;
  Loader loader(file, result.diagnostics, included);
  result.spec = loader.load(root);
  return result;
}

}  // namespace ksframe
