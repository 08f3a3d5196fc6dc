// Exact ks.h byte layout of KSALLOCATOR_FRAMING (24 bytes) and KSALLOCATOR_FRAMING_EX
// (24 + 88 x CountItems bytes), little endian as on every Windows target.
#include <string>

#include "ksframe/ks.hpp"

namespace ksframe::ks {
namespace {

class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v));
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  void guid(const Guid& g) {
    u32(g.data1);
    u16(g.data2);
    u16(g.data3);
    for (auto b : g.data4) out_.push_back(b);
  }
  void range(const KS_FRAMING_RANGE& r) {
    u32(r.MinFrameSize);
    u32(r.MaxFrameSize);
    u32(r.Stepping);
  }

 private:
  std::vector<std::uint8_t>& out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{in_[pos_ + i]} << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint16_t u16() {
    auto v = static_cast<std::uint16_t>(in_[pos_] | (in_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  Guid guid() {
    Guid g;
    g.data1 = u32();
    g.data2 = u16();
    g.data3 = u16();
    for (auto& b : g.data4) b = in_[pos_++];
    return g;
  }
  KS_FRAMING_RANGE range() {
    KS_FRAMING_RANGE r;
    r.MinFrameSize = u32();
    r.MaxFrameSize = u32();
    r.Stepping = u32();
    return r;
  }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

void encode_item(Writer& w, const KS_FRAMING_ITEM& item) {
  w.guid(item.MemoryType);
  w.guid(item.BusType);
  w.u32(item.MemoryFlags);
  w.u32(item.BusFlags);
  w.u32(item.Flags);
  w.u32(item.Frames);
  w.u32(item.FileAlignment);
  w.u32(item.MemoryTypeWeight);
  w.range(item.PhysicalRange);
  w.range(item.FramingRange.Range);
  w.u32(item.FramingRange.InPlaceWeight);
  w.u32(item.FramingRange.NotInPlaceWeight);
}

KS_FRAMING_ITEM decode_item(Reader& r) {
  KS_FRAMING_ITEM item;
  item.MemoryType = r.guid();
  item.BusType = r.guid();
  item.MemoryFlags = r.u32();
  item.BusFlags = r.u32();
  item.Flags = r.u32();
  item.Frames = r.u32();
  item.FileAlignment = r.u32();
  item.MemoryTypeWeight = r.u32();
  item.PhysicalRange = r.range();
  item.FramingRange.Range = r.range();
  item.FramingRange.InPlaceWeight = r.u32();
  item.FramingRange.NotInPlaceWeight = r.u32();
  return item;
}

}  // namespace

std::array<std::uint8_t, kSizeofFraming> encode(const KSALLOCATOR_FRAMING& f) {
  std::vector<std::uint8_t> bytes;
  Writer w(bytes);
  for (ULONG v : {f.OptionsFlags, f.PoolType, f.Frames, f.FrameSize, f.FileAlignment, f.Reserved})
    w.u32(v);
  std::array<std::uint8_t, kSizeofFraming> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

std::vector<std::uint8_t> encode(const KSALLOCATOR_FRAMING_EX& f) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(sizeof_framing_ex(f.FramingItem.size()));
  Writer w(bytes);
  w.u32(f.CountItems);
  w.u32(f.PinFlags);
  w.u32(f.OutputCompression.RatioNumerator);
  w.u32(f.OutputCompression.RatioDenominator);
  w.u32(f.OutputCompression.RatioConstantMargin);
  w.u32(f.PinWeight);
  for (const auto& item : f.FramingItem) encode_item(w, item);
  return bytes;
}

Decoded<KSALLOCATOR_FRAMING> decode_framing(std::span<const std::uint8_t> bytes) {
  Decoded<KSALLOCATOR_FRAMING> out;
  if (bytes.size() < kSizeofFraming) {
    out.error = DecodeError{
        status::BUFFER_TOO_SMALL, kSizeofFraming,
        "KSALLOCATOR_FRAMING needs 24 bytes, the buffer has " + std::to_string(bytes.size())};
    return out;
  }
  Reader r(bytes);
  KSALLOCATOR_FRAMING f;
  f.OptionsFlags = r.u32();
  f.PoolType = r.u32();
  f.Frames = r.u32();
  f.FrameSize = r.u32();
  f.FileAlignment = r.u32();
  f.Reserved = r.u32();
  out.value = f;
  return out;
}

Decoded<KSALLOCATOR_FRAMING_EX> decode_framing_ex(std::span<const std::uint8_t> bytes,
                                                  ULONG max_items) {
  Decoded<KSALLOCATOR_FRAMING_EX> out;
  if (bytes.size() < kSizeofFramingExHeader) {
    out.error = DecodeError{status::BUFFER_TOO_SMALL, kSizeofFramingExHeader,
                            "KSALLOCATOR_FRAMING_EX needs at least 24 bytes, the buffer has " +
                                std::to_string(bytes.size())};
    return out;
  }
  Reader r(bytes);
  KSALLOCATOR_FRAMING_EX f;
  f.CountItems = r.u32();
  f.PinFlags = r.u32();
  f.OutputCompression.RatioNumerator = r.u32();
  f.OutputCompression.RatioDenominator = r.u32();
  f.OutputCompression.RatioConstantMargin = r.u32();
  f.PinWeight = r.u32();
  const std::uint64_t needed = sizeof_framing_ex(f.CountItems);
  if (bytes.size() < needed) {
    out.error = DecodeError{status::BUFFER_TOO_SMALL, needed,
                            "CountItems is " + std::to_string(f.CountItems) + ", which needs " +
                                std::to_string(needed) + " bytes (24 + 88 x " +
                                std::to_string(f.CountItems) + "), but the buffer has " +
                                std::to_string(bytes.size())};
    return out;
  }
  if (f.CountItems > max_items) {
    out.error = DecodeError{status::INVALID_PARAMETER, needed,
                            "CountItems is " + std::to_string(f.CountItems) +
                                ", above the limit of " + std::to_string(max_items)};
    return out;
  }
  f.FramingItem.reserve(f.CountItems);
  for (ULONG i = 0; i < f.CountItems; ++i) f.FramingItem.push_back(decode_item(r));
  out.value = std::move(f);
  return out;
}

}  // namespace ksframe::ks
