// Data formats: the GUIDs of ksmedia.h / uuids.h that a pin's data ranges name (major types,
// subtypes, specifiers, pin categories and pin names), and the numbers a format implies (the
// image size of an uncompressed video frame, an audio format's block align and byte rate).
// Pure: no I/O, no YAML. Every GUID is a documented public value (ksmedia.h, bdamedia.h, uuids.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/ks.hpp"

namespace ksframe::ks {

/// What a data-format GUID is used as in KSDATARANGE / KSPIN_DESCRIPTOR.
enum class FormatGuidKind { Major, Subtype, Specifier, Category };
/// The kind of stream a GUID stands for; a category that says Video on a pin whose ranges are
/// all Audio contradicts them (KSF2014).
enum class Media { Any, Video, Audio, Stream };
std::string_view to_string(Media media);

struct NamedFormatGuid {
  std::string_view name;  ///< as in the header (KSDATAFORMAT_SUBTYPE_PCM) or a short alias (PCM)
  std::string_view text;  ///< lowercase GUID text
  FormatGuidKind kind;
  Media media;
  /// Bits per pixel of an uncompressed video subtype (0: compressed or not video).
  unsigned bit_count = 0;
  /// biCompression of the subtype: a FOURCC, or BI_RGB (0) for the RGB subtypes; kUnbounded
  /// when the subtype says nothing about it.
  ULONG compression = kUnbounded;
};

/// Every format GUID the tool knows, full names first, then the short aliases, so
/// format_guid_name() returns the full spelling.
std::span<const NamedFormatGuid> named_format_guids();
/// By name (exact spelling) and kind; GUID_NULL is the wildcard of every kind.
std::optional<Guid> format_guid_by_name(std::string_view name, FormatGuidKind kind);
/// The table row of a GUID of that kind, if known.
const NamedFormatGuid* find_format_guid(const Guid& guid, FormatGuidKind kind);
/// What a pin category or name GUID says a pin streams: Any when names of different media share
/// the GUID (PINNAME_CAPTURE is PINNAME_VIDEO_CAPTURE) or it is not known.
Media category_media(const Guid& guid);
/// The header name of a GUID ("GUID_NULL" for the wildcard), or its text.
std::string format_guid_name(const Guid& guid, FormatGuidKind kind);
/// Names of the given kind (full names and aliases), for did-you-mean.
std::vector<std::string> format_guid_names(FormatGuidKind kind);

namespace format {
extern const Guid TYPE_VIDEO, TYPE_AUDIO, TYPE_STREAM, SUBTYPE_PCM, SPECIFIER_VIDEOINFO,
    SPECIFIER_WAVEFORMATEX, SPECIFIER_NONE;
}  // namespace format

/// biCompression values that are not FOURCCs (wingdi.h).
inline constexpr ULONG kBiRgb = 0, kBiBitfields = 3;
/// The FOURCC of a four-character code, as biCompression holds it (first character in the low
/// byte): "YUY2" -> 0x32595559.
ULONG fourcc(std::string_view code);
/// "YUY2" for a FOURCC of printable characters, "BI_RGB", "BI_BITFIELDS", or hex.
std::string compression_name(ULONG compression);
/// An uncompressed layout whose image size follows from width, height and bit count.
bool is_uncompressed(ULONG compression);

/// The size of an uncompressed image as the DIB rules compute it: rows of width x bit_count
/// bits rounded up to a DWORD, times |height|. 64-bit, so a 65535-bit pixel of a 2^32-wide image
/// cannot wrap; nullopt when even that overflows.
std::optional<std::uint64_t> image_size(std::uint64_t width, std::int64_t height,
                                        std::uint64_t bit_count);
/// The DWORD-aligned row of the rule above, in bytes.
std::uint64_t image_stride(std::uint64_t width, std::uint64_t bit_count);

/// nBlockAlign = channels x bytes per sample (container bytes: bits rounded up to a byte).
std::uint64_t block_align(std::uint64_t channels, std::uint64_t bits_per_sample);
/// nAvgBytesPerSec = sample rate x block align.
std::uint64_t byte_rate(std::uint64_t channels, std::uint64_t bits_per_sample, std::uint64_t rate);

}  // namespace ksframe::ks
