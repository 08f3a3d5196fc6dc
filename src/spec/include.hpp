// `include:` in a spec: the filters of other specs and of a driver's C sources join the spec's
// tree before the typed load, each node keeping the file and line it came from.
#pragma once

#include <string>
#include <vector>

#include "ksframe/spec.hpp"

namespace ksframe {

/// Resolves the `include:` entries of `root` (the tree of spec `spec_name`): reads each file
/// (relative paths are relative to the spec's folder), takes its filters, renumbers their
/// positions (Position::file; the file names go to `included`) and puts them before the spec's
/// own filters. Problems are reported into `diagnostics`, located at the entry or in the
/// included file. Returns false when the load cannot go on (an entry could not be included).
/// `spec_bytes`: the including spec's size; it and its included specs share
/// LoadOptions::max_file_bytes. `*refused` becomes true when an entry was refused before it was
/// read (it leaves the tree, is not a regular file, or passes the size limit): exit code 2.
bool resolve_includes(Node& root, const std::string& spec_name, const LoadOptions& options,
                      Diagnostics& diagnostics, std::vector<std::string>& included,
                      std::size_t spec_bytes = 0, bool* refused = nullptr);

}  // namespace ksframe
