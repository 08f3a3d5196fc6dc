// What the two files of stand-in headers share: stand_ins.cpp (the framing and descriptor
// structures, the GUIDs of ksframe's table) and stand_ins_wdk.cpp (what drivers write around
// them: automation tables, port class, BDA, and the names generated from MinGW-w64's headers).
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ksframe/ks.hpp"

namespace ksframe::cimport {

/// "0x...L, 0x..., ..." : a GUID as the brace-free list a STATIC_ macro spells.
std::string static_guid_list(const ks::Guid& guid);
/// The headers of stand_ins_wdk.cpp. `defined_guids` are the GUID names the hand-kept headers
/// define with their STATIC_ lists, `declared_guids` those they declare at all (with or without
/// a value): the generated names add only what is missing.
std::vector<std::pair<std::string, std::string>> more_stand_in_headers(
    const std::set<std::string>& defined_guids, const std::set<std::string>& declared_guids);
/// The GUIDs MinGW-w64's ks.h, ksmedia.h and bdamedia.h name: (name, GUID text).
std::vector<std::pair<std::string, std::string>> wdk_guid_names();

}  // namespace ksframe::cimport
