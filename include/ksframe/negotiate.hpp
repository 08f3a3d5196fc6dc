// Allocator negotiation as the KS graph manager does it: pins are grouped into pipes along
// in-place routes, and for each pipe the memory type, bus, frame count, frame size, alignment and
// allocator pin are chosen (docs/algorithm.md explains every step and decision). Every final
// value records which pins and items decided it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksframe/diagnostics.hpp"
#include "ksframe/ks.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

struct NegotiateOptions {
  ks::ULONG strategy = 0;        ///< AllocatorStrategy_* bits
  ks::ULONG default_frames = 1;  ///< frames of a pipe whose pins all say 0
  bool allocator_place_first = false;
  bool honor_input_physical_range = false;
  /// Evaluate the pipe after every join instead of bisecting (docs/algorithm.md, "When it does
  /// not fit"); the results are the same, so only tests and benchmarks set this.
  bool split_search_per_join = false;
};
/// The spec's `options:` block.
NegotiateOptions negotiate_options(const Spec& spec);

/// size = ceil(num/den x begin_size + margin_num/margin_den): a pin's frame size as a function
/// of the begin pin's, kept exact with 64-bit fractions.
struct SizeMap {
  std::uint64_t num = 1, den = 1;                ///< scale a
  std::uint64_t margin_num = 0, margin_den = 1;  ///< offset b >= 0
  bool unknown = false;                          ///< after an unknown compression
  ks::KS_COMPRESSION as_compression() const;     ///< (num, den, ceil(b)) saturated to ULONG
};

struct Explanation {
  std::string value;                    ///< "frames", "memory_type", ...
  std::vector<std::string> decided_by;  ///< pins
  std::string rule;  ///< "6.4.6": the step's number, listed in docs/algorithm.md section 8
  std::string because;
  std::vector<Location> locations;
};

struct PipeMember {
  PinRef pin;
  int instance = 0;  ///< splitter instance (0: the first)
  std::string name;  ///< "filter.pin", or "filter.pin#2" for a splitter copy branch
  SizeMap size;
  bool reached_in_place = false;  ///< joined through an in-place route (not the begin pin)
  bool relaxed = false;           ///< PREFERENCES_ONLY constraints dropped (6.4.10)
  int item = -1;                  ///< picked framing item, -1: the pin has no framing
  int parent = -1;                ///< the member it was reached from (-1: the begin pin)
};

/// What KsProxy hands a user-mode allocator (DirectShow ALLOCATOR_PROPERTIES): at a
/// kernel/user connection the kernel pins' framing reaches user mode only in this form.
struct AllocatorProperties {
  ks::ULONG cBuffers = 0;     ///< the pipe's frames
  ks::ULONG cbBuffer = 0;     ///< the pipe's frame size
  std::uint64_t cbAlign = 1;  ///< FileAlignment + 1 (a value, not a mask)
  ks::ULONG cbPrefix = 0;     ///< KsProxy asks for no prefix
  bool operator==(const AllocatorProperties&) const = default;
};

enum class AllocatorPlace { None = 0, FirstPin = 1, LastPin = 2, MiddlePin = 3 };
/// "FirstPin", "LastPin", "MiddlePin", "None": the names the reports use.
std::string_view to_string(AllocatorPlace place);

struct Pipe {
  std::string id;                   ///< "pipe-1"
  std::vector<PipeMember> members;  ///< in walk order; members[0] is the begin pin
  std::vector<int> ends;            ///< indices of end members
  // Allocator.
  int allocator = -1;  ///< member index, -1: none (user mode)
  AllocatorPlace place = AllocatorPlace::None;
  bool user_mode = false;  ///< KsAllocatorMode_User
  bool vendor = false;     ///< the pin's own KSALLOCATOR_DISPATCH
  // ALLOCATOR_PROPERTIES_EX.
  ks::Guid memory_type, bus_type;
  ks::ULONG frames = 0, frame_size = 0, align_mask = 0;
  std::uint64_t begin_size = 0;  ///< frame size at the begin pin (every member's size follows)
  std::optional<std::int32_t> frame_pitch;
  ks::KS_FRAMING_RANGE physical_range;   ///< on the allocator pin
  ks::ULONG state = 0, range_state = 0;  ///< PipeState_*
  ks::ULONG inside_factors = 0, flags = 0;
  ks::ULONG input_factors = 0, output_factors = 0;  ///< PIPE_TERMINATION.OutsideFactors
  ks::KS_COMPRESSION dim_allocator, dim_max_expansion, dim_end;
  ks::ULONG weight = 0;
  bool compatible = false;  ///< copy allocator made by an integrity split (OPTIONF_COMPATIBLE)
  std::optional<ks::KSALLOCATOR_FRAMING> legacy;
  std::optional<AllocatorProperties> allocator_properties;  ///< set when a pin is in user mode
  int prev_segment = -1;
  std::vector<int> next_segments;
  std::vector<Explanation> explanation;
  bool failed = false;  ///< infeasible: values are the last reached
};

struct Constraint {
  std::string pin;
  std::string what;  ///< "memory_type KSMEMORY_TYPE_KERNEL_PAGED", "physical_range [0, 4096]"
  Location location;
};

struct NegotiationFailure {
  std::string connection;  ///< "a.out -> b.in", or the pipe id
  std::string reason;      ///< stable reason code, see docs/algorithm.md
  std::string message;
  std::vector<Constraint> constraints;
};

struct PinAssignment {
  std::string pin;
  std::string pipe;    ///< "" when in no pipe
  std::string reason;  ///< why not, when not
};

/// The property requests negotiation made to learn the pins' framing (size probes and gets).
struct PropertyTraffic {
  std::uint64_t requests = 0;
  std::uint64_t bytes = 0;  ///< bytes of KSALLOCATOR_FRAMING(_EX) moved
};

struct Negotiation {
  bool ran = false;  ///< negotiate() ran; false in a Job whose spec had lint errors
  bool ok = true;
  PropertyTraffic property_traffic;
  std::vector<Pipe> pipes;
  std::vector<NegotiationFailure> failures;
  std::vector<PinAssignment> pins;
  Diagnostics diagnostics;  ///< KSF4xxx
};

/// Whether frames stream into this input pin: it uses the standard transport and its
/// communication is not KSPIN_COMMUNICATION_NONE or _BRIDGE (a BDA antenna or tuner input is
/// not fed by a KS connection).
bool streams_in(const PinSpec& pin);
/// A filter none of whose input pins streams in produces frames on its own: a source.
bool is_source_filter(const FilterSpec& filter);

/// Where docs/algorithm.md explains the step that decided `value` under `rule` (an
/// Explanation's), by the section's heading there: `docs/algorithm.md "2. What each pipe gets",
/// step 3`. Explanations cite this, so a reader can open it; the rule number alone names a
/// step of a document users do not have.
std::string explanation_section(std::string_view rule, std::string_view value);

/// Negotiates a spec that loaded without errors. Never throws.
Negotiation negotiate(const Spec& spec, const NegotiateOptions& options);

}  // namespace ksframe
