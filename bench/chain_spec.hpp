// A valid spec of a given size for benchmarks and the resource test: a chain of filters, each
// with an input pin and an output pin with framing, written as one line of minified JSON
// (YAML accepts it) or pretty-printed with one-space indents.
#pragma once

#include <cstddef>
#include <string>

namespace ksframe_gen {

// A chain of n filters, each with an input pin and an output pin with framing. Names are
// padded so a 16 MiB file stays under the 2,000,000-node limit in both layouts.
inline std::string chain_spec(std::size_t n, bool one_line) {
  const std::string pad(40, 'x');
  const char* nl = one_line ? "" : "\n";
  auto ind = [&](int depth) { return one_line ? std::string() : std::string(static_cast<std::size_t>(depth), ' '); };
  const char* sep = one_line ? ":" : ": ";
  std::string s = "{" + std::string(nl) + ind(1) + "\"ksframe\"" + sep + "1," + nl + ind(1) + "\"filters\"" + sep + "[" + nl;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = "f" + std::to_string(i) + pad;
    s += ind(2) + "{" + nl + ind(3) + "\"name\"" + sep + "\"" + name + "\"," + nl + ind(3) + "\"pins\"" + sep + "[" + nl +
         ind(4) + "{\"name\"" + sep + "\"i\"," + (one_line ? "" : " ") + "\"dataflow\"" + sep + "\"in\"}," + nl + ind(4) +
         "{\"name\"" + sep + "\"o\"," + (one_line ? "" : " ") + "\"dataflow\"" + sep + "\"out\"," + (one_line ? "" : " ") +
         "\"framing_ex\"" + sep + "{\"items\"" + sep + "[{\"frames\"" + sep + "2}]}}" + nl + ind(3) + "]" + nl + ind(2) + "}" +
         (i + 1 < n ? "," : "") + nl;
  }
  s += ind(1) + "]," + nl + ind(1) + "\"connections\"" + sep + "[" + nl;
  for (std::size_t i = 0; i + 1 < n; ++i)
    s += ind(2) + "{\"from\"" + sep + "\"f" + std::to_string(i) + pad + ".o\"," + (one_line ? "" : " ") + "\"to\"" + sep +
         "\"f" + std::to_string(i + 1) + pad + ".i\"}" + (i + 2 < n ? "," : "") + nl;
  return s + ind(1) + "]" + nl + "}\n";
}

// The largest chain whose text fits `bytes`.
inline std::string spec_of_size(std::size_t bytes, bool one_line) {
  const std::size_t per_filter = chain_spec(2, one_line).size() - chain_spec(1, one_line).size();
  std::size_t n = bytes / per_filter;
  std::string s = chain_spec(n, one_line);
  while (s.size() > bytes) s = chain_spec(--n, one_line);
  return s;
}

}  // namespace ksframe_gen
