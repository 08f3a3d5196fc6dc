// The format GUID table and the arithmetic of formats (include/ksframe/format.hpp).
#include "ksframe/format.hpp"

#include <cstdio>

namespace ksframe::ks {
namespace {

using K = FormatGuidKind;
using M = Media;

constexpr ULONG fcc(char a, char b, char c, char d) {
  return static_cast<ULONG>(static_cast<unsigned char>(a)) |
         static_cast<ULONG>(static_cast<unsigned char>(b)) << 8 |
         static_cast<ULONG>(static_cast<unsigned char>(c)) << 16 |
         static_cast<ULONG>(static_cast<unsigned char>(d)) << 24;
}

// FOURCC subtypes are the FOURCC in Data1 of the base GUID xxxxxxxx-0000-0010-8000-00aa00389b71
// (uuids.h, "FOURCCMap"); the RGB subtypes and the stream types are the e436eb7x family.
// Full header names first; the short aliases follow so the full name is what is printed.
constexpr NamedFormatGuid kFormatGuids[] = {
    // Major types (KSDATARANGE.MajorFormat)
    {"KSDATAFORMAT_TYPE_VIDEO", "73646976-0000-0010-8000-00aa00389b71", K::Major, M::Video},
    {"KSDATAFORMAT_TYPE_AUDIO", "73647561-0000-0010-8000-00aa00389b71", K::Major, M::Audio},
    {"KSDATAFORMAT_TYPE_STREAM", "e436eb83-524f-11ce-9f53-0020af0ba770", K::Major, M::Stream},
    // Subtypes (KSDATARANGE.SubFormat)
    {"KSDATAFORMAT_SUBTYPE_PCM", "00000001-0000-0010-8000-00aa00389b71", K::Subtype, M::Audio},
    {"KSDATAFORMAT_SUBTYPE_IEEE_FLOAT", "00000003-0000-0010-8000-00aa00389b71", K::Subtype,
     M::Audio},
    {"MEDIASUBTYPE_YUY2", "32595559-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 16,
     fcc('Y', 'U', 'Y', '2')},
    {"MEDIASUBTYPE_UYVY", "59565955-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 16,
     fcc('U', 'Y', 'V', 'Y')},
    {"MEDIASUBTYPE_NV12", "3231564e-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('N', 'V', '1', '2')},
    {"MEDIASUBTYPE_YV12", "32315659-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('Y', 'V', '1', '2')},
    {"MEDIASUBTYPE_I420", "30323449-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', '4', '2', '0')},
    // The other uncompressed YUV layouts Microsoft documents (DirectShow "YUV Video Subtypes",
    // Media Foundation's 10- and 16-bit formats, the 1394 camera's Y444/Y411/Y800): bits per
    // pixel as biBitCount gives them, so biSizeImage follows the DIB rule for each.
    {"MEDIASUBTYPE_AYUV", "56555941-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('A', 'Y', 'U', 'V')},
    {"MEDIASUBTYPE_YVYU", "55595659-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 16,
     fcc('Y', 'V', 'Y', 'U')},
    {"MEDIASUBTYPE_IYUV", "56555949-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', 'Y', 'U', 'V')},
    {"MEDIASUBTYPE_IMC2", "32434d49-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', 'M', 'C', '2')},
    {"MEDIASUBTYPE_IMC4", "34434d49-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', 'M', 'C', '4')},
    {"MEDIASUBTYPE_NV11", "3131564e-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('N', 'V', '1', '1')},
    {"MEDIASUBTYPE_Y411", "31313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('Y', '4', '1', '1')},
    {"MEDIASUBTYPE_Y41P", "50313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('Y', '4', '1', 'P')},
    {"MEDIASUBTYPE_Y211", "31313259-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 8,
     fcc('Y', '2', '1', '1')},
    {"MEDIASUBTYPE_YVU9", "39555659-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 9,
     fcc('Y', 'V', 'U', '9')},
    {"MEDIASUBTYPE_Y800", "30303859-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 8,
     fcc('Y', '8', '0', '0')},
    {"MEDIASUBTYPE_Y444", "34343459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 24,
     fcc('Y', '4', '4', '4')},
    {"MEDIASUBTYPE_P010", "30313050-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 24,
     fcc('P', '0', '1', '0')},
    {"MEDIASUBTYPE_P016", "36313050-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 24,
     fcc('P', '0', '1', '6')},
    {"MEDIASUBTYPE_P210", "30313250-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('P', '2', '1', '0')},
    {"MEDIASUBTYPE_P216", "36313250-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('P', '2', '1', '6')},
    {"MEDIASUBTYPE_Y210", "30313259-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('Y', '2', '1', '0')},
    {"MEDIASUBTYPE_Y216", "36313259-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('Y', '2', '1', '6')},
    {"MEDIASUBTYPE_Y410", "30313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('Y', '4', '1', '0')},
    {"MEDIASUBTYPE_Y416", "36313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 64,
     fcc('Y', '4', '1', '6')},
    {"MEDIASUBTYPE_MJPG", "47504a4d-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 0,
     fcc('M', 'J', 'P', 'G')},
    {"MEDIASUBTYPE_H264", "34363248-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 0,
     fcc('H', '2', '6', '4')},
    {"MEDIASUBTYPE_RGB24", "e436eb7d-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 24,
     kBiRgb},
    {"MEDIASUBTYPE_RGB32", "e436eb7e-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 32,
     kBiRgb},
    {"MEDIASUBTYPE_RGB555", "e436eb7c-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 16,
     kBiRgb},
    {"MEDIASUBTYPE_RGB565", "e436eb7b-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 16,
     kBiBitfields},
    {"KSDATAFORMAT_SUBTYPE_NONE", "e436eb8e-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Any},
    {"KSDATAFORMAT_TYPE_MPEG2_TRANSPORT", "e06d8023-db46-11cf-b4d1-00805f6cbbea", K::Subtype,
     M::Stream},
    {"KSDATAFORMAT_SUBTYPE_BDA_MPEG2_TRANSPORT", "f4aeb342-0329-4fdd-a8fd-4aff4926c978", K::Subtype,
     M::Stream},
    // Specifiers (KSDATARANGE.Specifier)
    {"KSDATAFORMAT_SPECIFIER_VIDEOINFO", "05589f80-c356-11ce-bf01-00aa0055595a", K::Specifier,
     M::Video},
    {"KSDATAFORMAT_SPECIFIER_VIDEOINFO2", "f72a76a0-eb0a-11d0-ace4-0000c0cc16ba", K::Specifier,
     M::Video},
    {"KSDATAFORMAT_SPECIFIER_WAVEFORMATEX", "05589f81-c356-11ce-bf01-00aa0055595a", K::Specifier,
     M::Audio},
    {"KSDATAFORMAT_SPECIFIER_DSOUND", "518590a2-a184-11d0-8522-00c04fd9baf3", K::Specifier,
     M::Audio},
    {"KSDATAFORMAT_SPECIFIER_NONE", "0f6417d6-c318-11d0-a43f-00a0c9223196", K::Specifier, M::Any},
    {"KSDATAFORMAT_SPECIFIER_BDA_TRANSPORT", "8deda6fd-ac5f-4334-8ecf-a4ba8fa7d0f0", K::Specifier,
     M::Stream},
    // Pin categories and names (KSPIN_DESCRIPTOR.Category / .Name)
    {"PINNAME_VIDEO_CAPTURE", "fb6c4281-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    // ksmedia.h defines PINNAME_CAPTURE as this same GUID, and audio drivers name their capture
    // pins with it: the GUID says "capture", not "video" (KSF2014 is silent on it).
    {"PINNAME_CAPTURE", "fb6c4281-0353-11d1-905f-0000c0cc16ba", K::Category, M::Any},
    {"PINNAME_VIDEO_PREVIEW", "fb6c4282-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PINNAME_VIDEO_ANALOGVIDEOIN", "fb6c4283-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PINNAME_VIDEO_VBI", "fb6c4284-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PINNAME_VIDEO_VIDEOPORT", "fb6c4285-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PINNAME_VIDEO_STILL", "fb6c428a-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PINNAME_BDA_TRANSPORT", "78216a81-cfa8-493e-9711-36a61c08bd9d", K::Category, M::Stream},
    {"KSCATEGORY_AUDIO", "6994ad04-93ef-11d0-a3cc-00a0c9223196", K::Category, M::Audio},
    {"KSCATEGORY_VIDEO", "6994ad05-93ef-11d0-a3cc-00a0c9223196", K::Category, M::Video},
    {"KSCATEGORY_CAPTURE", "65e8773d-8f56-11d0-a3b9-00a0c9223196", K::Category, M::Any},
    {"KSNODETYPE_MICROPHONE", "dff21be1-f70f-11d0-b917-00a0c9223196", K::Category, M::Audio},
    {"KSNODETYPE_SPEAKER", "dff21ce1-f70f-11d0-b917-00a0c9223196", K::Category, M::Audio},
    // Short aliases, as specs and driver comments usually say them
    {"PCM", "00000001-0000-0010-8000-00aa00389b71", K::Subtype, M::Audio},
    {"IEEE_FLOAT", "00000003-0000-0010-8000-00aa00389b71", K::Subtype, M::Audio},
    {"YUY2", "32595559-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 16,
     fcc('Y', 'U', 'Y', '2')},
    {"UYVY", "59565955-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 16,
     fcc('U', 'Y', 'V', 'Y')},
    {"NV12", "3231564e-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('N', 'V', '1', '2')},
    {"YV12", "32315659-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('Y', 'V', '1', '2')},
    {"I420", "30323449-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', '4', '2', '0')},
    {"AYUV", "56555941-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('A', 'Y', 'U', 'V')},
    {"YVYU", "55595659-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 16,
     fcc('Y', 'V', 'Y', 'U')},
    {"IYUV", "56555949-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', 'Y', 'U', 'V')},
    {"IMC2", "32434d49-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', 'M', 'C', '2')},
    {"IMC4", "34434d49-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('I', 'M', 'C', '4')},
    {"NV11", "3131564e-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('N', 'V', '1', '1')},
    {"Y411", "31313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('Y', '4', '1', '1')},
    {"Y41P", "50313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 12,
     fcc('Y', '4', '1', 'P')},
    {"Y211", "31313259-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 8,
     fcc('Y', '2', '1', '1')},
    {"YVU9", "39555659-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 9,
     fcc('Y', 'V', 'U', '9')},
    {"Y800", "30303859-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 8,
     fcc('Y', '8', '0', '0')},
    {"Y444", "34343459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 24,
     fcc('Y', '4', '4', '4')},
    {"P010", "30313050-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 24,
     fcc('P', '0', '1', '0')},
    {"P016", "36313050-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 24,
     fcc('P', '0', '1', '6')},
    {"P210", "30313250-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('P', '2', '1', '0')},
    {"P216", "36313250-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('P', '2', '1', '6')},
    {"Y210", "30313259-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('Y', '2', '1', '0')},
    {"Y216", "36313259-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('Y', '2', '1', '6')},
    {"Y410", "30313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 32,
     fcc('Y', '4', '1', '0')},
    {"Y416", "36313459-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 64,
     fcc('Y', '4', '1', '6')},
    {"MJPG", "47504a4d-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 0,
     fcc('M', 'J', 'P', 'G')},
    {"H264", "34363248-0000-0010-8000-00aa00389b71", K::Subtype, M::Video, 0,
     fcc('H', '2', '6', '4')},
    {"RGB24", "e436eb7d-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 24, kBiRgb},
    {"RGB32", "e436eb7e-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 32, kBiRgb},
    {"RGB555", "e436eb7c-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 16, kBiRgb},
    {"RGB565", "e436eb7b-524f-11ce-9f53-0020af0ba770", K::Subtype, M::Video, 16, kBiBitfields},
    {"MPEG2_TRANSPORT", "e06d8023-db46-11cf-b4d1-00805f6cbbea", K::Subtype, M::Stream},
    {"BDA_MPEG2_TRANSPORT", "f4aeb342-0329-4fdd-a8fd-4aff4926c978", K::Subtype, M::Stream},
    {"PIN_CATEGORY_CAPTURE", "fb6c4281-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PIN_CATEGORY_PREVIEW", "fb6c4282-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
    {"PIN_CATEGORY_STILL", "fb6c428a-0353-11d1-905f-0000c0cc16ba", K::Category, M::Video},
};

}  // namespace

std::string_view to_string(Media media) {
  switch (media) {
    case Media::Any:
      return "any";
    case Media::Video:
      return "video";
    case Media::Audio:
      return "audio";
    case Media::Stream:
      return "stream";
  }
  return "any";
}

namespace format {
const Guid TYPE_VIDEO = *Guid::parse("73646976-0000-0010-8000-00aa00389b71");
const Guid TYPE_AUDIO = *Guid::parse("73647561-0000-0010-8000-00aa00389b71");
const Guid TYPE_STREAM = *Guid::parse("e436eb83-524f-11ce-9f53-0020af0ba770");
const Guid SUBTYPE_PCM = *Guid::parse("00000001-0000-0010-8000-00aa00389b71");
const Guid SPECIFIER_VIDEOINFO = *Guid::parse("05589f80-c356-11ce-bf01-00aa0055595a");
const Guid SPECIFIER_WAVEFORMATEX = *Guid::parse("05589f81-c356-11ce-bf01-00aa0055595a");
const Guid SPECIFIER_NONE = *Guid::parse("0f6417d6-c318-11d0-a43f-00a0c9223196");
}  // namespace format

std::span<const NamedFormatGuid> named_format_guids() { return kFormatGuids; }

std::optional<Guid> format_guid_by_name(std::string_view name, FormatGuidKind kind) {
  // GUID_NULL is KSDATAFORMAT_TYPE_WILDCARD, _SUBTYPE_WILDCARD and _SPECIFIER_WILDCARD.
  if (name == "GUID_NULL" || name == "KSDATAFORMAT_TYPE_WILDCARD" ||
      name == "KSDATAFORMAT_SUBTYPE_WILDCARD" || name == "KSDATAFORMAT_SPECIFIER_WILDCARD")
    return Guid{};
  for (const auto& row : kFormatGuids)
    if (row.kind == kind && row.name == name) return Guid::parse(row.text);
  return std::nullopt;
}

const NamedFormatGuid* find_format_guid(const Guid& guid, FormatGuidKind kind) {
  const std::string text = guid.to_string();
  for (const auto& row : kFormatGuids)
    if (row.kind == kind && row.text == text) return &row;
  return nullptr;
}

Media category_media(const Guid& guid) {
  const std::string text = guid.to_string();
  std::optional<Media> media;
  for (const auto& row : kFormatGuids) {
    if (row.kind != FormatGuidKind::Category || row.text != text) continue;
    if (media && *media != row.media) return Media::Any;
    media = row.media;
  }
  return media.value_or(Media::Any);
}

std::string format_guid_name(const Guid& guid, FormatGuidKind kind) {
  if (guid.is_null()) return "GUID_NULL";
  if (const auto* row = find_format_guid(guid, kind)) return std::string(row->name);
  return guid.to_string();
}

std::vector<std::string> format_guid_names(FormatGuidKind kind) {
  std::vector<std::string> names{"GUID_NULL"};
  for (const auto& row : kFormatGuids)
    if (row.kind == kind) names.emplace_back(row.name);
  return names;
}

ULONG fourcc(std::string_view code) {
  if (code.size() != 4) return 0;
  return fcc(code[0], code[1], code[2], code[3]);
}

std::string compression_name(ULONG compression) {
  if (compression == kBiRgb) return "BI_RGB";
  if (compression == kBiBitfields) return "BI_BITFIELDS";
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((compression >> (8 * i)) & 0xFF);
    if (c < 0x20 || c > 0x7E) return hex32(compression);
    s += c;
  }
  return s;
}

bool is_uncompressed(ULONG compression) {
  if (compression == kBiRgb || compression == kBiBitfields) return true;
  for (const auto& row : kFormatGuids)
    if (row.compression == compression && row.bit_count != 0) return true;
  return false;
}

std::uint64_t image_stride(std::uint64_t width, std::uint64_t bit_count) {
  // width < 2^32 and bit_count < 2^16: the product fits in 48 bits.
  return (width * bit_count + 31) / 32 * 4;
}

std::optional<std::uint64_t> image_size(std::uint64_t width, std::int64_t height,
                                        std::uint64_t bit_count) {
  if (width > 0xFFFFFFFFull || bit_count > 0xFFFFull) return std::nullopt;
  const std::uint64_t rows = height < 0 ? static_cast<std::uint64_t>(-(height + 1)) + 1
                                        : static_cast<std::uint64_t>(height);
  std::uint64_t size = 0;
  if (__builtin_mul_overflow(image_stride(width, bit_count), rows, &size)) return std::nullopt;
  return size;
}

std::uint64_t block_align(std::uint64_t channels, std::uint64_t bits_per_sample) {
  return channels * ((bits_per_sample + 7) / 8);
}

std::uint64_t byte_rate(std::uint64_t channels, std::uint64_t bits_per_sample, std::uint64_t rate) {
  return block_align(channels, bits_per_sample) * rate;
}

}  // namespace ksframe::ks
