// The loader (loader.hpp) on a spec's filters: each filter with its pins, and what a pin
// declares: dataflow, communication, instances, the allocator model, framing (legacy,
// framing_ex, simple_framing_ex with their items and ranges), the framing edit and its
// application to the format of a connection, and the implied consumer a pin asks for.
#include <cstdint>
#include <optional>

#include "ksframe/format.hpp"
#include "ksframe/rules.hpp"
#include "ksframe/spec.hpp"
#include "spec/loader.hpp"
#include "spec/scalar.hpp"
#include "util/text.hpp"

namespace ksframe::detail {

void Loader::read_filter(const Node& node, const std::string& index_path, Spec& spec) {
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

void Loader::read_pin(const Node& node, const std::string& filter_path,
                      const std::string& index_path, std::size_t index, FilterSpec& f) {
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
  if (const Node* a = node.find("allocator")) p.allocator = read_allocator(*a, path + ".allocator");
  if (const Node* l = node.find("framing")) p.framing = read_legacy(*l, path + ".framing");
  const Node* ex = node.find("framing_ex");
  const Node* simple = node.find("simple_framing_ex");
  if (ex && simple) {
    Diagnostic d =
        make_diagnostic("KSF0019", "a pin has either 'framing_ex' or 'simple_framing_ex', not both",
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
  p.category = format_guid(node.find("category"), path + ".category", ks::FormatGuidKind::Category);
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
std::optional<ImpliedConsumerSpec> Loader::read_implied_consumer(const Node& node,
                                                                 const std::string& path) {
  ImpliedConsumerSpec c;
  c.pos = node.pos;
  c.mode.value = ImpliedConsumerSpec::Mode::User;
  // Quoted or not: a JSON-style spec writes every string in quotes, as for any other word.
  if (node.is_scalar() && node.scalar == "none") {
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
  if (!expect_map(node, path, {"mode", "service_us", "hold_frames", "format"})) return std::nullopt;
  auto mode = choice(node.find("mode"), path + ".mode", {"user", "kernel"}, "user");
  c.mode = {
      mode.value == "kernel" ? ImpliedConsumerSpec::Mode::Kernel : ImpliedConsumerSpec::Mode::User,
      mode.pos, mode.present};
  c.service_us = read_distribution(node.find("service_us"), path + ".service_us");
  c.hold_frames = ulong(node.find("hold_frames"), path + ".hold_frames", 0);
  auto format = ulong(node.find("format"), path + ".format", 0);
  if (format.present) c.format_index = {format.value, format.pos, true};
  return c;
}

FramingEditSpec Loader::read_edit(const Node& node, const std::string& path, const PinSpec& p) {
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
    } else if (size.is_scalar() && !size.scalar.empty() &&
               (size.quoted || scalar::classify(size) == scalar::Type::String)) {
      // A formula over the format's fields, as the driver's KsEdit computes it. Checked here
      // with every field 1 (names and syntax); its value for the connection's format is
      // computed, and judged, when the edit is applied.
      std::vector<expr::Constant> ones;
      for (std::string_view name : FramingEditSpec::formula_fields()) ones.push_back({name, 1});
      if (expression(size, path + ".frame_size", ones)) {
        e.size = {FramingEditSpec::Size::Formula, size.pos, true};
        e.formula = size.scalar;
      }
    } else {
      error("KSF0009",
            "'frame_size' must be sample_size, {audio_ms: N} or a formula, not " + size.describe(),
            size.pos, path + ".frame_size",
            "sample_size: biSizeImage of a video format, SampleSize of a plain one; a formula: "
            "(rate * bits * channels + 29) / 30");
    }
  }
  e.stepping = size(node.find("stepping"), path + ".stepping", 0);
  e.frames = size(node.find("frames"), path + ".frames", 0);
  if (!p.framing && !p.framing_ex)
    error("KSF0013", "framing_edit edits the pin's framing, but the pin declares none", node.pos,
          path,
          "declare the framing the driver starts from (framing, framing_ex or simple_framing_ex)");
  return e;
}

// The KsEdit of the driver's create dispatch, for the format of a connection: both ranges of
// every item (or the legacy FrameSize) become the format's size, located at the edit.
// The values an audio formula read, for messages: the range says "1-2 ch", the format one value.
std::string Loader::formula_inputs(const DataRangeSpec& range, const FormatSpec& f) {
  if (range.kind.value != DataRangeSpec::Kind::Audio) return "";
  return " (" + std::to_string(f.channels) + " ch " + std::to_string(f.bits) + " bit " +
         std::to_string(f.rate) + " Hz)";
}

void Loader::apply_edit(PinSpec& p, int range_index, const DataRangeSpec& range,
                        const FormatSpec& f, const std::string& path) {
  if (!p.framing_edit || !p.framing_edit->size.present || p.edited_framing_ex || p.edited_framing)
    return;
  if (range_index < 0 || range_index >= static_cast<int>(p.data_ranges.size())) return;
  const FramingEditSpec& e = *p.framing_edit;
  const bool audio = range.kind.value == DataRangeSpec::Kind::Audio;
  if (e.size.value == FramingEditSpec::Size::Formula) {
    std::string why;
    const auto v = e.formula_value(range, f.channels, f.bits, f.rate, &why);
    if (!v || *v <= 0) {
      error("KSF0010",
            "framing_edit's frame_size " + text::quote(e.formula) + " gives " +
                (v ? std::to_string(*v) + " bytes" : "no value (" + why + ")") + " for " +
                range.describe() + formula_inputs(range, f),
            e.size.pos, path + ".framing_edit.frame_size",
            "a formula reads the fields of the connection's format; a video format has no rate "
            "or bits, an audio one no width or height (they are 0)");
      return;
    }
  }
  const std::uint64_t size = e.size_for(range, f.channels, f.bits, f.rate);
  if (size == 0) {
    error("KSF0013",
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
  p.edit_note = "frame size " + std::to_string(size) + " (" +
                (e.size.value == FramingEditSpec::Size::Formula
                     ? e.formula + " for " + range.describe() + formula_inputs(range, f)
                 : e.size.value == FramingEditSpec::Size::SampleSize
                     ? std::string(range.kind.value == DataRangeSpec::Kind::Video ? "biSizeImage"
                                                                                  : "SampleSize") +
                           " of " + range.describe()
                     : std::to_string(e.audio_ms.value) + " ms of " + std::to_string(f.channels) +
                           " ch " + std::to_string(f.bits) + " bit " + std::to_string(f.rate) +
                           " Hz, block align " + std::to_string(f.block_align())) +
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

AllocatorModelSpec Loader::read_allocator(const Node& node, const std::string& path) {
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

LegacyFramingSpec Loader::read_legacy(const Node& node, const std::string& path) {
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

RangeSpec Loader::read_range(const Node* node, const std::string& path, bool weighted,
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

FramingItemSpec Loader::read_item(const Node& node, const std::string& path) {
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
void Loader::default_positions(FramingItemSpec& it) {
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

FramingExSpec Loader::read_framing_ex(const Node& node, const std::string& path) {
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
      v->pos =
          (v == &ex.ratio_numerator || v == &ex.ratio_denominator || v == &ex.ratio_constant_margin)
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

FramingExSpec Loader::read_simple(const Node& node, const std::string& path) {
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

}  // namespace ksframe::detail
