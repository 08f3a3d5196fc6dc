// A valid spec of a given shape for benchmarks and the resource test: a chain of filters (the
// first is a source with an output pin only; the others have an input pin and an output pin
// with `items` framing items), written as one line of minified JSON (YAML accepts it) or
// pretty-printed with one-space indents.
#pragma once

#include <cstddef>
#include <string>

namespace ksframe_gen {

inline std::string chain_spec(std::size_t n, bool one_line, std::size_t items = 1) {
  const std::string pad(40, 'x');  // long names: more bytes per YAML node
  const std::string nl = one_line ? "" : "\n", colon = one_line ? ":" : ": ",
                    comma = one_line ? "," : ", ";
  auto ind = [&](std::size_t depth) { return one_line ? std::string() : std::string(depth, ' '); };
  auto q = [](const std::string& s) { return "\"" + s + "\""; };
  std::string item = "{" + q("memory_type") + colon + q("KSMEMORY_TYPE_KERNEL_NONPAGED") + comma +
                     q("flags") + colon + "[" + q("KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY") + "]" +
                     comma + q("frames") + colon + "2" + comma + q("file_alignment") + colon +
                     q("FILE_LONG_ALIGNMENT") + comma + q("framing_range") + colon + "{" +
                     q("min") + colon + "4096" + comma + q("max") + colon + "4096" + comma +
                     q("stepping") + colon + "0}}";
  std::string item_list;
  for (std::size_t k = 0; k < items; ++k)
    item_list += (k ? "," + nl + ind(4) : std::string()) + item;
  const std::string out_pin = "{" + q("name") + colon + q("o") + comma + q("dataflow") + colon +
                              q("out") + comma + q("framing_ex") + colon + "{" + q("items") +
                              colon + "[" + item_list + "]}}";
  const std::string in_pin =
      "{" + q("name") + colon + q("i") + comma + q("dataflow") + colon + q("in") + "}";
  std::string s = "{" + nl + ind(1) + q("ksframe") + colon + "1," + nl + ind(1) + q("filters") +
                  colon + "[" + nl;
  for (std::size_t i = 0; i < n; ++i) {
    s += ind(2) + "{" + q("name") + colon + q("f" + std::to_string(i) + pad) + comma + q("pins") +
         colon + "[" + nl;
    if (i > 0) s += ind(3) + in_pin + "," + nl;
    s += ind(3) + out_pin + nl + ind(2) + "]}" + (i + 1 < n ? "," : "") + nl;
  }
  s += ind(1) + "]," + nl + ind(1) + q("connections") + colon + "[" + nl;
  for (std::size_t i = 0; i + 1 < n; ++i)
    s += ind(2) + "{" + q("from") + colon + q("f" + std::to_string(i) + pad + ".o") + comma +
         q("to") + colon + q("f" + std::to_string(i + 1) + pad + ".i") + "}" +
         (i + 2 < n ? "," : "") + nl;
  return s + ind(1) + "]" + nl + "}\n";
}

// The longest chain with `items` items per output pin whose text fits `bytes`.
inline std::string spec_of_size(std::size_t bytes, bool one_line, std::size_t items = 1) {
  const std::size_t per_filter =
      chain_spec(3, one_line, items).size() - chain_spec(2, one_line, items).size();
  std::size_t n = bytes / per_filter;
  std::string s = chain_spec(n, one_line, items);
  while (s.size() > bytes) s = chain_spec(--n, one_line, items);
  return s;
}

}  // namespace ksframe_gen
