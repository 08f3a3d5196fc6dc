// Negotiation and simulation output as text for people (the report JSON is report_json.cpp's).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "ksframe/simulate.hpp"
#include "report/report_formats.hpp"
#include "report/rounding.hpp"

namespace ksframe {
namespace {

std::string enum_name(ks::Table t, ks::ULONG v) {
  auto n = ks::name_of(t, v);
  return n ? std::string(*n) : std::to_string(v);
}

}  // namespace

std::string render_simulation_text(const Simulation& sim) {
  std::ostringstream out;
  if (!sim.ran) {
    out << "simulation: not run: " << sim.error << "\n";
    return out.str();
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "simulation: seed %llu, %s mode, %llu source frames: %.3f Hz achieved of %.3f Hz, "
                "%llu delivered, %llu dropped; latency p50 %llu us, p99 %llu us, max %llu us\n",
                static_cast<unsigned long long>(sim.seed), sim.allocator_mode.c_str(),
                static_cast<unsigned long long>(sim.source_frames), sim.achieved_rate_hz,
                sim.target_rate_hz, static_cast<unsigned long long>(sim.delivered),
                static_cast<unsigned long long>(sim.dropped),
                static_cast<unsigned long long>(sim.latency_p50_us),
                static_cast<unsigned long long>(sim.latency_p99_us),
                static_cast<unsigned long long>(sim.latency_max_us));
  out << line;
  for (const auto& s : sim.sources) {
    // Names are the spec's and unbounded, so only the numbers go through the fixed buffer.
    std::snprintf(line, sizeof line, ": %.3f Hz achieved of %.3f Hz, %llu produced, %llu dropped (",
                  s.achieved_rate_hz, s.target_rate_hz, static_cast<unsigned long long>(s.produced),
                  static_cast<unsigned long long>(s.dropped));
    out << "  source " << s.pin << " into " << s.pipe << line << s.when_starved
        << " when starved)\n";
  }
  for (const auto& m : sim.pipes) {
    std::snprintf(
        line, sizeof line,
        "  %s (%s allocator): %llu allocations, peak %llu outstanding, %llu waiting at most, "
        "stalled %llu us, %llu failures, %llu copies, %llu bytes committed at peak, %llu out at "
        "STOP: %s",
        m.id.c_str(), to_string(m.allocator).data(), static_cast<unsigned long long>(m.allocations),
        static_cast<unsigned long long>(m.peak_outstanding),
        static_cast<unsigned long long>(m.pending_high_water),
        static_cast<unsigned long long>(m.stall_time_us),
        static_cast<unsigned long long>(m.failures), static_cast<unsigned long long>(m.copies),
        static_cast<unsigned long long>(m.bytes_committed_peak),
        static_cast<unsigned long long>(m.outstanding_at_stop), to_string(m.verdict).data());
    out << line;
    if (m.frames_needed)
      out << " (" << *m.frames_needed
          << (m.verdict == PipeVerdict::Deadlocked ? " frames unblock it)"
              : m.verdict == PipeVerdict::Dropping ? " frames stop the drops)"
                                                   : " frames remove the stalls)");
    if (m.frames_needed_by_seed.size() > 1) {
      const auto [lo, hi] =
          std::minmax_element(m.frames_needed_by_seed.begin(), m.frames_needed_by_seed.end());
      out << " (" << m.frames_needed_by_seed.size() << " seeds need " << *lo
          << (*lo == *hi ? "" : "-" + std::to_string(*hi)) << ")";
    }
    if (!m.reason.empty()) out << " (" << m.reason << ")";
    out << "\n";
  }
  return out.str();
}

std::string render_negotiation_text(const Negotiation& n, bool explain) {
  std::ostringstream out;
  auto where = [](const Location& l) {
    return l.line ? l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) : l.file;
  };
  for (const auto& p : n.pipes) {
    out << p.id << (p.failed ? " (failed)" : "") << ": ";
    for (std::size_t i = 0; i < p.members.size(); ++i)
      out << (i ? " -> " : "") << p.members[i].name;
    out << "\n";
    auto row = [&](const char* label, const std::string& value, const char* key) {
      std::string l = label;
      l.resize(14, ' ');
      out << "  " << l << value << "\n";
      if (!explain) return;
      for (const auto& e : p.explanation) {
        if (e.value != key) continue;
        out << "      because " << e.because << " (see " << explanation_section(e.rule, e.value)
            << ")";
        if (!e.decided_by.empty()) {
          out << "; decided by";
          for (std::size_t i = 0; i < e.decided_by.size(); ++i)
            out << (i ? ", " : " ") << e.decided_by[i];
        }
        out << "\n";
        for (const auto& l2 : e.locations) out << "        at " << where(l2) << "\n";
      }
    };
    const std::string alloc =
        p.allocator >= 0 ? p.members[p.allocator].name + " (" + std::string(to_string(p.place)) +
                               ", kernel, " + (p.vendor ? "vendor" : "default") + ")"
        : p.user_mode ? std::string("none: user-mode buffers from the proxy")
                      : std::string("none: the pipe failed before an allocator was chosen");
    row("allocator", alloc, "allocator");
    row("memory",
        ks::name_of_guid(p.memory_type, ks::GuidKind::Memory)
            .value_or(p.memory_type.to_string())
            .data(),
        "memory_type");
    row("bus", std::string(ks::name_of_guid(p.bus_type, ks::GuidKind::Bus).value_or("?")),
        "bus_type");
    row("frames", std::to_string(p.frames), "frames");
    row("frame size", std::to_string(p.frame_size), "frame_size");
    const std::uint64_t align = std::uint64_t{p.align_mask} + 1;
    row("alignment",
        std::to_string(align) + (align == 1 ? " byte" : " bytes") + " (mask " +
            ks::hex32(p.align_mask) + ")",
        "alignment");
    std::string flags;
    for (const auto& f : ks::flag_names(ks::framing_item_flags(), p.flags))
      flags += (flags.empty() ? "" : " ") + f;
    row("flags", flags.empty() ? "0" : flags, "flags");
    row("state",
        enum_name(ks::pipe_states(), p.state) + " / " + enum_name(ks::pipe_states(), p.range_state),
        "state");
    if (p.frame_pitch) row("frame pitch", std::to_string(*p.frame_pitch) + " bytes", "frame_pitch");
    if (p.allocator_properties) {
      const auto& ap = *p.allocator_properties;
      row("properties",
          "ALLOCATOR_PROPERTIES {cBuffers " + std::to_string(ap.cBuffers) + ", cbBuffer " +
              std::to_string(ap.cbBuffer) + ", cbAlign " + std::to_string(ap.cbAlign) +
              ", cbPrefix " + std::to_string(ap.cbPrefix) + "}",
          "allocator_properties");
    }
    if (p.legacy)
      row("legacy",
          "{Options " + ks::hex32(p.legacy->OptionsFlags) + ", PoolType " +
              std::to_string(p.legacy->PoolType) + ", Frames " + std::to_string(p.legacy->Frames) +
              ", FrameSize " + std::to_string(p.legacy->FrameSize) + ", FileAlignment " +
              std::to_string(p.legacy->FileAlignment) + "}",
          "legacy");
    out << "\n";
  }
  for (const auto& f : n.failures) {
    out << "failed: " << f.connection << ": " << f.message << " [" << f.reason << "]\n";
    for (const auto& c : f.constraints)
      out << "    " << c.pin << ": " << c.what << " at " << where(c.location) << "\n";
  }
  for (const auto& a : n.pins)
    if (a.pipe.empty()) out << "not in a pipe: " << a.pin << " (" << a.reason << ")\n";
  return out.str();
}

}  // namespace ksframe
