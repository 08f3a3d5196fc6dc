// How many decimals the report keeps of each measured ratio. The JSON writer and make_report
// both round with these, so a report read back from its JSON equals the one built from the run.
#pragma once

#include <cmath>

namespace ksframe::report_rounding {

inline double rate_hz(double hz) { return std::round(hz * 1000) / 1000; }
inline double utilisation(double u) { return std::round(u * 1e4) / 1e4; }
inline double payload_utilisation(double u) { return std::round(u * 1e6) / 1e6; }

}  // namespace ksframe::report_rounding
