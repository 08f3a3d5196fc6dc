// The loader (loader.hpp) on data formats: a pin's data ranges (video, audio, plain) with their
// format GUIDs, biCompression and biHeight, and the format of a connection: the range it names
// (`format:`) and the KS data intersection of the two pins' ranges.
#include <algorithm>
#include <cstdint>

#include "ksframe/format.hpp"
#include "ksframe/spec.hpp"
#include "spec/loader.hpp"
#include "spec/scalar.hpp"
#include "util/text.hpp"

namespace ksframe::detail {

// A major type, subtype, specifier or pin category: a name from the format table (with a
// did-you-mean among names of that kind), GUID_NULL (the wildcard) or GUID text.
Located<ks::Guid> Loader::format_guid(const Node* node, const std::string& path,
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
  unknown_guid_name(*node, path, what, ks::format_guid_names(kind),
                    "write a name from docs/spec.md (data ranges) or GUID text "
                    "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  return out;
}

std::string Loader::last_key(const std::string& path) {
  auto dot = path.find_last_of('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// `bits: 16` or `bits: {min: 8, max: 16}`: a range of ULONGs.
void Loader::ulong_range(const Node* node, const std::string& path, LU32& min, LU32& max) {
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
LU32 Loader::compression(const Node* node, const std::string& path) {
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

DataRangeSpec Loader::read_data_range(const Node& node, const std::string& path) {
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
    else if (r.bits_max.present && (r.bits_min.value == 0 || r.bits_max.value > 64))
      // No PCM or float sample is wider than 64 bits; 48000 there is a sample rate in the wrong
      // field (a KSDATARANGE_AUDIO initializer with its fields out of order).
      error("KSF0010",
            "'bits' is " + std::to_string(r.bits_min.value) + ".." +
                std::to_string(r.bits_max.value) +
                "; an audio sample has 1 to 64 bits (wBitsPerSample)",
            r.bits_max.value > 64 ? r.bits_max.pos : r.bits_min.pos, path + ".bits");
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
Located<std::int64_t> Loader::signed_long(const Node* node, const std::string& path) {
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

// `format: N` (the output pin's range N) or `{range: N, channels: C, bits: B, rate: R}`.
Loader::FormatChoice Loader::read_format_choice(const Node& node, const std::string& path,
                                                ConnectionSpec& c) {
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
// overlap in bits and rate, and the format takes the most channels, bits and rate both allow,
// unless the spec fixes them. (That is ksframe's choice, not the port class default handler's:
// that one handles PCM mono and stereo WAVEFORMATEX only, so a driver with more channels has its
// own intersection handler, and the spec states the format it picks with `format:`.)
// A wildcard range gives no format of its own: matched with a concrete range, the connection's
// format is the concrete one (FormatSpec::on_input when that is the input's).
bool Loader::wildcard(const DataRangeSpec& r) {
  return r.kind.value == DataRangeSpec::Kind::Plain &&
         (r.major.value.is_null() || r.subtype.value.is_null());
}

bool Loader::guid_match(const ks::Guid& a, const ks::Guid& b) {
  return a == b || a.is_null() || b.is_null();
}

bool Loader::intersect(const DataRangeSpec& a, const DataRangeSpec& b, const FormatChoice& fixed,
                       FormatSpec& out) {
  using Kind = DataRangeSpec::Kind;
  if (!guid_match(a.major.value, b.major.value) || !guid_match(a.subtype.value, b.subtype.value) ||
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
  out.on_input = wildcard(a) && !wildcard(b);
  return true;
}

void Loader::resolve_format(const Spec& spec, ConnectionSpec& c, const FormatChoice& choice,
                            const std::string& path) {
  const PinSpec& from = spec.pin(c.from_ref);
  const PinSpec& to = spec.pin(c.to_ref);
  if (c.format_index.present && c.format_index.value >= from.data_ranges.size()) {
    error("KSF0017",
          "format " + std::to_string(c.format_index.value) + " names a data range " + c.from.value +
              " does not have (it has " + std::to_string(from.data_ranges.size()) + ")",
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
  auto match = [&](std::size_t i, std::size_t j) {
    FormatSpec f;
    if (!intersect(from.data_ranges[i], to.data_ranges[j], choice, f)) return false;
    f.from_range = static_cast<int>(i);
    f.to_range = static_cast<int>(j);
    f.explicit_choice = c.format_index.present;
    c.format = f;
    return true;
  };
  // Into user mode the input pin's order decides: DirectShow's output pin tries the media types
  // the input pin enumerates before its own. Between kernel pins, the output pin's order.
  if (to.user_mode.value) {
    for (std::size_t j = 0; j < to.data_ranges.size(); ++j)
      for (std::size_t i = first; i < last; ++i)
        if (match(i, j)) return;
  } else {
    for (std::size_t i = first; i < last; ++i)
      for (std::size_t j = 0; j < to.data_ranges.size(); ++j)
        if (match(i, j)) return;
  }
  // Reported by lint (KSF3007) and refused by the commands that negotiate, before they do.
  c.format_failed = true;
}

}  // namespace ksframe::detail
