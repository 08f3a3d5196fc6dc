// The loader (loader.hpp) on the `load:` section: seed, frames, the source (or sources, one a
// source pin) with its distributions and burst, faults and stages, and the defaults a load takes
// from the formats of the connections.
#include <cstdint>
#include <map>
#include <set>

#include "ksframe/spec.hpp"
#include "spec/loader.hpp"
#include "spec/scalar.hpp"
#include "util/text.hpp"

namespace ksframe::detail {
namespace {

// A bound on the work one spec can ask of `ksframe run` (about a minute at 10 million frame-hops
// per second through a few stages).
constexpr ks::ULONG kMaxLoadFrames = 10'000'000;

}  // namespace

// The load streams what the source pin streams unless it says otherwise: the payload of a
// frame is the format's sample (a video image, a fixed-size sample, or the edited audio frame)
// and the rate is 1 / AvgTimePerFrame or 1 / the edited audio frame duration. The source pin is
// the output of a connection with a format whose filter nothing feeds; each such pin gets its
// own defaults (an audio and a video pin of one filter stream different samples).
void Loader::load_from_format(Spec& spec) {
  std::set<int> fed;
  for (const auto& c : spec.connections)
    if (c.to_ref.resolved()) fed.insert(c.to_ref.filter);
  for (const auto& c : spec.connections) {
    if (!c.format.resolved() || c.format.from_range < 0 || fed.count(c.from_ref.filter)) continue;
    const PinSpec& pin = spec.pin(c.from_ref);
    const DataRangeSpec& range = spec.format_range(c);
    std::uint64_t payload = range.sample_bytes();
    double rate = range.avg_time_per_frame.value
                      ? 1e7 / static_cast<double>(range.avg_time_per_frame.value)
                      : 0;
    std::uint64_t audio_byte_rate = 0;
    if (range.kind.value == DataRangeSpec::Kind::Audio && pin.framing_edit &&
        pin.framing_edit->size.value == FramingEditSpec::Size::AudioMs) {
      payload = pin.framing_edit->size_for(range, c.format.channels, c.format.bits, c.format.rate);
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

void Loader::default_load(WorkloadSpec& l) {
  l.seed.value = 1;
  l.frames.value = 10000;
  l.allocator_mode.value = "irp";
  l.source_rate_hz.value = 30.0;
}

DistributionSpec Loader::read_distribution(const Node* node, const std::string& path) {
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

void Loader::read_load(const Node& node, Spec& spec) {
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
      error("KSF0010", "'seed' must be from 0 to 18446744073709551615: " + seed->scalar, seed->pos,
            "load.seed");
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
bool Loader::expect_source_map(const Node& node, const std::string& path) {
  return expect_map(node, path,
                    {"rate_hz", "payload", "jitter_us", "burst_frames", "when_starved"});
}

LU32 Loader::burst(const Node* node, const std::string& path) {
  LU32 v = ulong(node, path, 1);
  if (v.present && v.value == 0) {
    error("KSF0010", "'burst_frames' must be at least 1 (1: one frame per period, no burst)", v.pos,
          path);
    v.present = false;
    v.value = 1;
  }
  return v;
}

// The keys of one load.sources entry, into `s`; without `s` (the entry names no source pin)
// only checked, so every mistake of the entry is reported at once.
bool Loader::read_source_keys(const Node& value, const std::string& path, SourceSpec* s) {
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
void Loader::read_sources(const Node& node, Spec& spec) {
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

}  // namespace ksframe::detail
