// Integer expressions in spec scalars: `2 * PAGE_SIZE`, `2048*188`, `(320 * 240 * 2)`, as a
// driver writes the same number in its C source. A small recursive-descent evaluator (nothing in
// the dependency set evaluates C constant expressions on a string: libclang is optional and reads
// whole translation units). Pure: no YAML, no diagnostics; the Reader turns a failure into a
// located one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ksframe::expr {

/// A name an expression may use, with the value the driver headers give it.
struct Constant {
  std::string_view name;
  std::int64_t value;
};

/// PAGE_SIZE (4096, x86/x64/ARM64) and the FILE_*_ALIGNMENT masks of wdm.h.
std::span<const Constant> constants();

/// Nesting (parentheses and unary operators) an expression may have; deeper is an error, so a
/// hostile scalar cannot exhaust the stack.
inline constexpr int kMaxDepth = 64;

struct Result {
  std::optional<std::int64_t> value;  ///< absent on an error
  std::string error;                  ///< "division by zero", ...
  std::string hint;                   ///< did-you-mean for an unknown name, or ""
  std::size_t offset = 0;             ///< byte offset in the text of the offending token
};

/// Evaluates `text` in signed 64-bit arithmetic: decimal and 0x hex literals with optional C
/// suffixes (u, l, ul, ll, ull in any case), + - * / % ( ), unary + and -, and the names of
/// constants(). Overflow, division (or %) by zero, a leading-zero literal (octal in C), an
/// unknown name and nesting deeper than kMaxDepth are errors.
Result evaluate(std::string_view text);
/// The same, where `names` may be used too (before constants()): the fields of a connection's
/// format in a framing_edit formula, `(rate * bits * channels + 29) / 30`.
Result evaluate(std::string_view text, std::span<const Constant> names);

/// True when a string scalar is meant as an expression rather than a name: it has an operator or
/// a parenthesis, starts with a digit, or is exactly one of constants().
bool looks_like_expression(std::string_view text);

}  // namespace ksframe::expr
