// GUID text form and the named GUIDs of ref 3.7 - 3.9.
#include <cctype>
#include <cstdio>

#include "ksframe/ks.hpp"

namespace ksframe::ks {
namespace {

constexpr NamedGuid kNamedGuids[] = {
    {"GUID_NULL", "00000000-0000-0000-0000-000000000000", GuidKind::Memory},
    {"KSMEMORY_TYPE_SYSTEM", "091bb638-603f-11d1-b067-00a0c9062802", GuidKind::Memory},
    {"KSMEMORY_TYPE_USER", "8cb0fc28-7893-11d1-b069-00a0c9062802", GuidKind::Memory},
    {"KSMEMORY_TYPE_KERNEL_PAGED", "d833f8f8-7894-11d1-b069-00a0c9062802", GuidKind::Memory},
    {"KSMEMORY_TYPE_KERNEL_NONPAGED", "4a6d5fc4-7895-11d1-b069-00a0c9062802", GuidKind::Memory},
    {"KSMEMORY_TYPE_DEVICE_UNKNOWN", "091bb639-603f-11d1-b067-00a0c9062802", GuidKind::Memory},
    {"GUID_BUS_TYPE_PCI", "c8ebdfb0-b510-11d0-80e5-00a0c92542e3", GuidKind::Bus},
    {"GUID_BUS_TYPE_USB", "9d7debbc-c85d-11d1-9eb4-006008c3a19a", GuidKind::Bus},
    {"GUID_BUS_TYPE_1394", "f74e73eb-9ac5-45eb-be4d-772cc71ddfb3", GuidKind::Bus},
    {"GUID_BUS_TYPE_AVC", "c06ff265-ae09-48f0-812c-16753d7cba83", GuidKind::Bus},
    {"GUID_61883_CLASS", "7ebefbc0-3200-11d2-b4c2-00a0c9697d07", GuidKind::Bus},
    {"GUID_BUS_TYPE_INTERNAL", "1530ea73-086b-11d1-a09f-00c04fc340b1", GuidKind::Bus},
    {"GUID_BUS_TYPE_PCMCIA", "09343630-af9f-11d0-92e9-0000f81e1b30", GuidKind::Bus},
    {"GUID_BUS_TYPE_ISAPNP", "e676f854-d87d-11d0-92b2-00a0c9055fc5", GuidKind::Bus},
    {"GUID_BUS_TYPE_EISA", "ddc35509-f3fc-11d0-a537-0000f8753ed1", GuidKind::Bus},
    {"GUID_BUS_TYPE_MCA", "1c75997a-dc33-11d0-92b2-00a0c9055fc5", GuidKind::Bus},
    {"GUID_BUS_TYPE_LPTENUM", "c4ca1000-2ddc-11d5-a17a-00c04f60524d", GuidKind::Bus},
    {"GUID_BUS_TYPE_USBPRINT", "441ee000-4342-11d5-a184-00c04f60524d", GuidKind::Bus},
    {"GUID_BUS_TYPE_DOT4PRT", "441ee001-4342-11d5-a184-00c04f60524d", GuidKind::Bus},
    {"GUID_BUS_TYPE_SERENUM", "77114a87-8944-11d1-bd90-00a0c906be2d", GuidKind::Bus},
    {"GUID_BUS_TYPE_HID", "eeaf37d0-1963-47c4-aa48-72476db7cf49", GuidKind::Bus},
    {"GUID_BUS_TYPE_IRDA", "7ae17dc1-c944-44d6-881f-4c2e61053bc1", GuidKind::Bus},
    {"GUID_BUS_TYPE_SD", "e700cc04-4036-4e89-9579-89ebf45f00cd", GuidKind::Bus},
    {"KSINTERFACESETID_Standard", "1a8766a0-62ce-11cf-a5d6-28db04c10000", GuidKind::Other},
    {"KSMEDIUMSETID_Standard", "4747b320-62ce-11cf-a5d6-28db04c10000", GuidKind::Other},
    {"KSPROPSETID_Connection", "1d58c920-ac9b-11cf-a5d6-28db04c10000", GuidKind::Other},
    {"KSPROPSETID_Stream", "65aaba60-98ae-11cf-a10d-0020afd156e4", GuidKind::Other},
    {"KSPROPSETID_StreamAllocator", "cf6e4342-ec87-11cf-a130-0020afd156e4", GuidKind::Other},
    {"KSMETHODSETID_StreamAllocator", "cf6e4341-ec87-11cf-a130-0020afd156e4", GuidKind::Other},
    {"KSEVENTSETID_StreamAllocator", "75d95571-073c-11d0-a161-0020afd156e4", GuidKind::Other},
    {"KSNAME_Allocator", "642f5d00-4791-11d0-a5d6-28db04c10000", GuidKind::Other},
    {"IID_IKsAllocator", "8da64899-c0d9-11d0-8413-0000f822fe8a", GuidKind::Other},
    {"IID_IKsAllocatorEx", "091bb63a-603f-11d1-b067-00a0c9062802", GuidKind::Other},
    {"IID_IKsPinPipe", "e539cd90-a8b4-11d1-8189-00a0c9062802", GuidKind::Other},
    // Aliases of GUID_NULL (ref 3.7): accepted as input, never printed.
    {"KSMEMORY_TYPE_WILDCARD", "00000000-0000-0000-0000-000000000000", GuidKind::Memory},
    {"KSMEMORY_TYPE_DONT_CARE", "00000000-0000-0000-0000-000000000000", GuidKind::Memory},
    {"KS_TYPE_DONT_CARE", "00000000-0000-0000-0000-000000000000", GuidKind::Memory},
    {"KSSTRING_Allocator", "642f5d00-4791-11d0-a5d6-28db04c10000", GuidKind::Other},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Guid must_parse(std::string_view text) {
  auto g = Guid::parse(text);
  return g ? *g : Guid{};
}

}  // namespace

std::string Guid::to_string() const {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", data1, data2,
                data3, data4[0], data4[1], data4[2], data4[3], data4[4], data4[5], data4[6],
                data4[7]);
  return buf;
}

std::optional<Guid> Guid::parse(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  // Positions of the hyphens in the canonical 8-4-4-4-12 form.
  for (std::size_t i : {8u, 13u, 18u, 23u})
    if (text[i] != '-') return std::nullopt;
  std::uint8_t bytes[16];
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[n++] = static_cast<std::uint8_t>(hi * 16 + lo);
    ++i;
  }
  Guid g;
  g.data1 = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
            (std::uint32_t{bytes[2]} << 8) | bytes[3];
  g.data2 = static_cast<std::uint16_t>((bytes[4] << 8) | bytes[5]);
  g.data3 = static_cast<std::uint16_t>((bytes[6] << 8) | bytes[7]);
  for (int i = 0; i < 8; ++i) g.data4[i] = bytes[8 + i];
  return g;
}

std::span<const NamedGuid> named_guids() { return kNamedGuids; }

std::optional<Guid> guid_by_name(std::string_view name) {
  for (const auto& row : kNamedGuids)
    if (row.name == name) return Guid::parse(row.text);
  return std::nullopt;
}

std::optional<std::string_view> name_of_guid(const Guid& guid, GuidKind kind) {
  if (guid.is_null()) return "GUID_NULL";
  const std::string text = guid.to_string();
  for (const auto& row : kNamedGuids)
    if (row.text == text && (row.kind == kind || kind == GuidKind::Other)) return row.name;
  // A bus GUID in a memory field (or the reverse) still gets its name: it helps the reader.
  for (const auto& row : kNamedGuids)
    if (row.text == text) return row.name;
  return std::nullopt;
}

std::string guid_name_or_text(const Guid& guid, GuidKind kind) {
  const auto name = name_of_guid(guid, kind);
  return name ? std::string(*name) : guid.to_string();
}

namespace memtype {
const Guid WILDCARD{};
const Guid SYSTEM = must_parse("091bb638-603f-11d1-b067-00a0c9062802");
const Guid USER = must_parse("8cb0fc28-7893-11d1-b069-00a0c9062802");
const Guid KERNEL_PAGED = must_parse("d833f8f8-7894-11d1-b069-00a0c9062802");
const Guid KERNEL_NONPAGED = must_parse("4a6d5fc4-7895-11d1-b069-00a0c9062802");
const Guid DEVICE_UNKNOWN = must_parse("091bb639-603f-11d1-b067-00a0c9062802");
}  // namespace memtype

bool is_standard_memory_type(const Guid& g) {
  using namespace memtype;
  return g == WILDCARD || g == SYSTEM || g == USER || g == KERNEL_PAGED || g == KERNEL_NONPAGED ||
         g == DEVICE_UNKNOWN;
}

LogicalMemoryType logical_memory_type(const Guid& g) {
  using namespace memtype;
  if (g == WILDCARD) return LogicalMemoryType::DontCare;
  if (g == KERNEL_PAGED) return LogicalMemoryType::KernelPaged;
  if (g == KERNEL_NONPAGED) return LogicalMemoryType::KernelNonPaged;
  if (g == DEVICE_UNKNOWN) return LogicalMemoryType::DeviceHostMapped;
  if (g == USER) return LogicalMemoryType::User;
  if (g == SYSTEM) return LogicalMemoryType::AnyHost;
  return LogicalMemoryType::DeviceSpecific;
}

}  // namespace ksframe::ks
