// One driver, many sources: what one source declares `extern` is taken from the source that
// defines it, after every source of the run is read (extract_here). See cimport.hpp.
#include <set>
#include <string>

#include "cimport/extract_clang.hpp"
#include "ksframe/cimport.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cimport {
namespace {

Diagnostic only_declared(const std::string& what, const Location& at, const std::string& hint) {
  Diagnostic d = make_diagnostic("KSF0030", what, at, hint);
  d.severity = Severity::Warning;
  return d;
}

// A pin whose DataRanges table another source defines gets that table's first DataRangesCount
// entries.
void join_ranges(Extraction& x, Pin& pin) {
  if (pin.ranges_declared_only.empty()) return;
  for (const auto& table : x.range_tables) {
    if (table.symbol != pin.ranges_declared_only) continue;
    for (std::size_t i = 0; i < table.ranges.size(); ++i)
      if (table.index[i] < pin.ranges_count) pin.ranges.push_back(table.ranges[i]);
    pin.ranges_declared_only.clear();
    return;
  }
  x.diagnostics.push_back(only_declared(
      "the DataRanges table " + pin.ranges_declared_only +
          " is only declared in the given sources: the pin's data_ranges are not read",
      pin.data_ranges_at, "give the source that defines " + pin.ranges_declared_only + " too"));
}

// A pin whose KSPIN_DISPATCH another source defines gets its functions, and, when one of them
// sets the frame size at run time (a DispatchCreate with KsEdit), Pin::size_edited_by.
void join_dispatch(const Extraction& x, Pin& pin) {
  if (!pin.dispatch.empty() && pin.create.empty() && pin.set_data_format.empty())
    for (const auto& d : x.dispatch_tables)
      if (d.symbol == pin.dispatch) {
        pin.create = d.create;
        pin.set_data_format = d.set_data_format;
        pin.allocator_dispatch = pin.allocator_dispatch || d.allocator;
        break;
      }
  if (!pin.size_edited_by.empty() || pin.framing.empty()) return;
  for (const auto& f : x.frame_size_setters)
    if (f == pin.create || f == pin.set_data_format) {
      pin.size_edited_by = f;
      return;
    }
}

}  // namespace

void join_sources(Extraction& x) {
  std::set<std::string> taken;  // pin tables moved into the filter that lists them
  for (auto& filter : x.filters) {
    if (!filter.pins_declared_only) continue;
    bool found = false;
    for (auto& other : x.filters)
      if (&other != &filter && !other.pins_declared_only && other.symbol == filter.pin_table &&
          other.pin_table == filter.pin_table && !taken.count(other.symbol)) {
        filter.pins = other.pins;
        filter.port_class = filter.port_class || other.port_class;
        taken.insert(other.symbol);
        found = true;
        break;
      }
    if (found) {
      filter.pins_declared_only = false;
      detail::orient_routes(filter.routes, filter.pins);
    } else {
      x.diagnostics.push_back(only_declared(
          "the pin table " + filter.pin_table + " of " + filter.symbol +
              " is only declared in the given sources: its pins are not read",
          filter.pin_table_at, "give the source that defines " + filter.pin_table + " too"));
    }
  }
  std::erase_if(x.filters, [&](const Filter& f) {
    return taken.count(f.symbol) && f.symbol == f.pin_table && !f.pins_declared_only;
  });
  for (auto& filter : x.filters)
    for (auto& pin : filter.pins) {
      join_ranges(x, pin);
      join_dispatch(x, pin);
    }
}

}  // namespace ksframe::cimport
