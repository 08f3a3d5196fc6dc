// Two small graphs the diff and explore tests vary: a camera into a renderer (optionally
// through an in-place filter), and avshws's capture pin with two formats into an application.
#pragma once

#include <string>

namespace test {

// cam -> [optional in-place overlay] -> screen; the renderer asks for `frames`.
inline std::string chain(int frames, bool overlay,
                         const std::string& memory = "KSMEMORY_TYPE_KERNEL_NONPAGED") {
  std::string s =
      "ksframe: 1\nfilters:\n"
      "  - {name: cam, pins: [{name: out, dataflow: out, framing_ex: {items: [{memory_type: " +
      memory +
      ", flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY], frames: 2, framing_range: {min: 4096, "
      "max: 4096}}]}}]}\n"
      "  - {name: screen, pins: [{name: in, dataflow: in, flags: [KSPIN_FLAG_RENDERER], "
      "framing_ex: {items: [{frames: " +
      std::to_string(frames) + "}]}}]}\n";
  if (overlay)
    s += "  - name: overlay\n    pins:\n"
         "      - {name: in, dataflow: in}\n      - {name: out, dataflow: out}\n"
         "    routes: [{from: in, to: out, in_place: true}]\n"
         "connections: [{from: cam.out, to: overlay.in}, {from: overlay.out, to: screen.in}]\n";
  else
    s += "connections: [{from: cam.out, to: screen.in}]\n";
  return s +
         "load: {seed: 1, source: {rate_hz: 30}, stages: {screen: {service_us: 20000, hold_frames: "
         "2}}}\n";
}

// avshws's capture pin into a user-mode application: the declared 2 x 8192 framing is edited to
// the image size of the connection's format (YUY2 320x240 = 153600, RGB24 320x240 = 230400).
inline std::string avshws(const std::string& format,
                          const std::string& edit = "{frame_size: sample_size, stepping: 0}") {
  return "ksframe: 1\nfilters:\n"
         "  - name: avshws\n    pins:\n"
         "      - name: capture\n        dataflow: out\n"
         "        simple_framing_ex: {memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, flags: "
         "[KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, "
         "KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY], frames: 2, file_alignment: "
         "FILE_BYTE_ALIGNMENT, min: 8192, max: 8192}\n"
         "        framing_edit: " +
         edit +
         "\n"
         "        data_ranges:\n"
         "          - {kind: video, subtype: YUY2, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n"
         "          - {kind: video, subtype: RGB24, width: 320, height: 240, avg_time_per_frame: "
         "333667}\n"
         "  - {name: app, pins: [{name: in, dataflow: in, user_mode: true}]}\n"
         "connections: [{from: avshws.capture, to: app.in" +
         format +
         "}]\n"
         "load: {seed: 1, stages: {app: {service_us: 5000, hold_frames: 0}}}\n";
}

}  // namespace test
