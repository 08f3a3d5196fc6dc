// The rule catalogue's table: every rule ksframe reports, in id order. It is a header so that
// RuleId (rules.hpp) can check at compile time that an id the code reports is in it.
// docs/rules.md is generated from it (`ksframe rules --format markdown`, `make docs`) and a test
// keeps the two in sync: edit here, then run `make docs`.
#pragma once

namespace ksframe::detail {

using S = Severity;
using O = RuleOrigin;

inline constexpr Rule kRuleTable[] = {
    // ---- KSF0xxx: input ----------------------------------------------------------------------
    {"KSF0001", "yaml-syntax", S::Error, O::Input, "docs/spec.md (Values); YAML 1.2",
     "The file is not well-formed YAML.",
     "The YAML parser stopped at the given position. Nothing else in the file is checked until "
     "the syntax error is fixed, because the structure after it is unknown.",
     "filters: [ {name: camera\n", false},
    {"KSF0002", "file-unreadable", S::Error, O::Input, "README.md (exit codes)",
     "The file could not be read.",
     "The path does not exist, is a directory, or cannot be opened. ksframe exits with code 2 "
     "because it could not do what was asked.",
     "ksframe lint no-such-file.yaml", false},
    {"KSF0003", "input-too-large", S::Error, O::Input, "docs/security.md (Limits)",
     "The file is larger than ksframe accepts.",
     "A spec may be at most 16 MiB and hold at most 2,000,000 YAML nodes. Real driver specs are "
     "a few kilobytes; the limits keep a hostile or mistaken input (a log file, a generated "
     "blob) from exhausting memory.",
     "a 20 MiB file", false},
    {"KSF0004", "invalid-utf8", S::Error, O::Input, "docs/spec.md (Values); docs/security.md",
     "The file is not valid UTF-8 text.",
     "Specs are UTF-8 text. The diagnostic points at the first byte that is not part of a valid "
     "UTF-8 sequence (overlong forms, surrogates and code points above U+10FFFF are invalid), "
     "at the first control character YAML does not allow (anything below U+0020 but TAB, LF "
     "and CR, and U+007F), or at a UTF-16 byte-order mark. Save the file as UTF-8.",
     "name: caf\\xe9   # Latin-1 byte", false},
    {"KSF0005", "nesting-too-deep", S::Error, O::Input, "docs/security.md (Limits)",
     "The YAML is nested deeper than 64 levels.",
     "The spec format needs about ten levels. Deeper nesting is refused before it can exhaust "
     "the parser's stack.",
     "a: [[[[[[ ... ]]]]]]", false},
    {"KSF0006", "unsupported-yaml", S::Error, O::Input, "docs/spec.md (Values)",
     "The file uses a YAML feature that specs may not use.",
     "Anchors (&a) and aliases (*a) are refused because they can form cycles and make one line "
     "stand for many values, which defeats file:line:column reporting. Tags (!!str), "
     "non-scalar mapping keys and more than one document per file are refused too.",
     "defaults: &d {frames: 2}\nitems: [*d]", false},
    {"KSF0007", "duplicate-key", S::Error, O::Input, "docs/spec.md (Values)",
     "A mapping has the same key twice.",
     "YAML parsers differ on which value wins (yaml-cpp silently keeps one), so a duplicate key "
     "is always a mistake. The diagnostic points at the second key and names the first.",
     "frames: 2\nframes: 4", false},
    {"KSF0008", "unknown-key", S::Error, O::Input, "docs/spec.md",
     "A mapping has a key the spec format does not define.",
     "Unknown keys are errors, not warnings, because a misspelt key (`frame: 4` for `frames: 4`) "
     "would otherwise be ignored silently and the spec would mean something else than its "
     "author thinks. The message suggests the closest known key.",
     "framing_ex: {itmes: []}", false},
    {"KSF0009", "wrong-type", S::Error, O::Input, "docs/spec.md (Values)",
     "A value has the wrong type.",
     "For example a string where an integer is expected, a mapping where a list is expected, or "
     "a quoted number (\"4\" is a string in YAML). Integers are written bare, in decimal or 0x "
     "hex.",
     "frames: \"4\"", false},
    {"KSF0010", "integer-out-of-range", S::Error, O::Input,
     "docs/spec.md (Values); ULONG fields of ks.h",
     "An integer is negative or larger than its field allows.",
     "Framing fields are ULONGs: 0 to 4294967295 (0xFFFFFFFF). Negative values and larger "
     "values cannot be represented in the driver's structure. Where a field means a maximum, "
     "`unbounded` stands for 0xFFFFFFFF.",
     "frames: -1", false},
    {"KSF0011", "unknown-name", S::Error, O::Input,
     "docs/spec.md (Values); names as in ks.h and wdm.h",
     "A symbolic name (flag, GUID, pool type, alignment, enum) is not known.",
     "Names are spelled exactly as in ks.h, wdm.h and ksproxy.h, for example "
     "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY or FILE_QUAD_ALIGNMENT. The message suggests the "
     "closest known name. Values with no name can be written as integers.",
     "flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMROY]", false},
    {"KSF0012", "schema-violation", S::Error, O::Input,
     "docs/spec.md; schemas/ksframe-spec.schema.json",
     "The spec breaks a rule of the format that no more specific rule covers.",
     "The loader checks every rule of the format (schemas/ksframe-spec.schema.json, the schema "
     "editors use, states the same rules). Most mistakes have a rule of their own (unknown key, "
     "wrong type, out of range, unknown name, missing key); this rule carries the rest: a flag "
     "listed twice, a spec name longer than 256 characters.",
     "flags: [KSALLOCATOR_FLAG_CAN_ALLOCATE, KSALLOCATOR_FLAG_CAN_ALLOCATE]", false},
    {"KSF0013", "missing-key", S::Error, O::Input, "docs/spec.md", "A required key is missing.",
     "For example a pin without `dataflow`, a filter without `name` or `pins`, a connection "
     "without `to`, or a simple_framing_ex without one of the six macro arguments.",
     "pins: [{name: in}]", false},
    {"KSF0014", "unsupported-version", S::Error, O::Input, "docs/spec.md (Top level)",
     "The spec's format version is not one this ksframe reads.",
     "The top-level `ksframe:` key gives the format version. This release reads version 1.",
     "ksframe: 2", false},
    {"KSF0015", "count-items-mismatch", S::Error, O::Input,
     "KSALLOCATOR_FRAMING_EX structure (CountItems)",
     "`count_items` disagrees with the number of items.",
     "CountItems is optional in the spec; when given it must equal the length of `items`, "
     "because a driver whose CountItems is larger than its array makes the kernel read past it.",
     "framing_ex: {count_items: 2, items: [{frames: 2}]}", false},
    {"KSF0016", "duplicate-name", S::Error, O::Input, "docs/spec.md (filters, pins)",
     "Two filters, or two pins of one filter, share a name or a pin id.",
     "Connections name pins as filter.pin, so names must be unique; pin ids are pin factory ids "
     "and are unique within a filter.",
     "pins: [{name: out, dataflow: out}, {name: out, dataflow: out}]", false},
    {"KSF0017", "unknown-reference", S::Error, O::Input, "docs/spec.md",
     "A connection, route or load stage names a filter or pin that does not exist.",
     "Connections use filter.pin; routes use pin names of their own filter; load stages use "
     "filter names. The message lists what exists and suggests the closest name.",
     "connections: [{from: camera.captur, to: renderer.in}]", false},
    {"KSF0018", "bad-route", S::Error, O::Input, "docs/algorithm.md (1. Pipes)",
     "A route does not go from an input pin to an output pin of its filter.",
     "Routes describe how data crosses a filter: from one of its input pins to one of its output "
     "pins. The KS descriptor does not say this, so the spec must, and it must be the right way "
     "round.",
     "routes: [{from: out, to: in}]", false},
    {"KSF0019", "conflicting-keys", S::Error, O::Input, "docs/spec.md",
     "Keys that exclude each other are both present.",
     "A pin's extended framing is either `framing_ex` or `simple_framing_ex`; a legacy framing "
     "carries either `requirements_flags` (query) or `options_flags` (create).",
     "framing_ex: {...}\nsimple_framing_ex: {...}", false},
    {"KSF0020", "invalid-name", S::Error, O::Input, "docs/spec.md (Values)",
     "A filter or pin name is not a plain identifier.",
     "Names start with a letter or underscore and contain letters, digits, '_' and '-' only, so "
     "that `filter.pin` references and --set paths are unambiguous, and have at most 128 "
     "characters.",
     "name: my camera", false},
    {"KSF0021", "binary-too-short", S::Error, O::Kernel,
     "KSALLOCATOR_FRAMING_EX structure; ReactOS ks.sys KsValidateAllocatorFramingEx",
     "A binary framing structure is shorter than its own size says (ksframe import).",
     "The kernel refuses a framing property buffer shorter than 24 bytes (KSALLOCATOR_FRAMING, or "
     "the KSALLOCATOR_FRAMING_EX header) or shorter than 24 + 88 x CountItems, with "
     "STATUS_BUFFER_TOO_SMALL; a CountItems above 64 is refused before anything is allocated.",
     "ksframe import capture.bin --as ex   (a 100-byte file whose CountItems is 2)", false},
    {"KSF0022", "binary-trailing-bytes", S::Warning, O::Input,
     "KSALLOCATOR_FRAMING and KSALLOCATOR_FRAMING_EX structures (sizes)",
     "Bytes follow the binary framing structure (ksframe import).",
     "The structure ends before the file does. Usually the capture holds more than the property "
     "answer, or an EX structure was imported with --as legacy; the extra bytes are ignored.",
     "ksframe import framing-ex.bin --as legacy", false},
    {"KSF0023", "hex-syntax", S::Error, O::Input, "docs/spec.md; ksframe import --help",
     "A hex dump given to ksframe import is not a list of hex bytes.",
     "With --input-format hex, the input is bytes written as hex digit pairs, optionally with 0x "
     "prefixes, separated by spaces, commas or line breaks, with '#' comments (a C array body or "
     "a debugger dump without addresses). Anything else is reported where it stands.",
     "18 00 00 00 zz", false},
    {"KSF0024", "binary-not-legacy", S::Error, O::Input, "KSALLOCATOR_FRAMING structure (24 bytes)",
     "A buffer imported with --as legacy cannot be a KSALLOCATOR_FRAMING (ksframe import).",
     "A KSALLOCATOR_FRAMING is 24 bytes whose PoolType is a POOL_TYPE and whose Reserved is 0. "
     "A buffer of exactly 24 + 88 x CountItems bytes (CountItems at least 1) is a "
     "KSALLOCATOR_FRAMING_EX, and a PoolType or Reserved out of place means the bytes are "
     "something else; reading them as legacy framing would print numbers that mean nothing. "
     "Import an EX buffer with --as ex.",
     "ksframe import framing-ex.bin --as legacy   (a 112-byte file)", false},

    {"KSF0030", "c-source-unread", S::Error, O::Input, "docs/c-sources.md",
     "A C/C++ source could not be read for its framing (ksframe import --from-c, lint of C).",
     "The file is missing, larger than the limit, not in the compilation database, or clang "
     "could not parse it at all; or this build of ksframe has no libclang. A header it includes "
     "that is not found is reported as a warning: what it declares is unknown, so a framing "
     "that uses it is not read. Errors in code that declares no framing are not reported.",
     "ksframe lint missing-driver.cpp", false},
    {"KSF0031", "c-framing-in-code", S::Note, O::Input, "docs/c-sources.md",
     "A function sets framing at run time (KsEdit in DispatchCreate, a legacy framing handler).",
     "Framing that is code rather than data, such as a KsEdit of the pin descriptor followed by "
     "assignments to its framing items in DispatchCreate or SetDataFormat, or a handler that "
     "fills a KSALLOCATOR_FRAMING, is not evaluated: ksframe lints the declared framing and "
     "names the fields the code sets (with the constant assigned, when it is one) so that the "
     "spec can state the values the pin really uses. When the function is a pin's Create or "
     "SetDataFormat and sets a frame size, the pin's declared sizes are placeholders: the rules "
     "that compare them with its data ranges (KSF2009, KSF2011, KSF2012, KSF2013, and KSF4008 "
     "for the load's format-sized payload) are skipped for that pin, and `framing_edit` in the "
     "spec states the edit.",
     "Status = KsEdit(Pin, &Pin->Descriptor->AllocatorFraming, TAG); ... FramingItem[0].Frames = "
     "4;",
     false},
    {"KSF0032", "include-failed", S::Error, O::Input, "docs/spec.md (Includes)",
     "A file the spec's `include:` names cannot be included.",
     "`include:` lists other specs (.yaml, .yml) and a driver's C/C++ sources, whose filters "
     "join the spec. An entry fails when its file cannot be read, has an extension of neither "
     "kind, is listed twice, or gives nothing to include (a spec without filters, a source that "
     "declares no pins); when an included spec has keys other than `ksframe`, `name` and "
     "`filters` (its connections, load and options belong in the spec that includes it; "
     "includes do not nest); or when C options (`include_dirs`, `defines`, `compile_commands`) "
     "are given for a spec.",
     "include: [driver/missing.c]", false},

    // ---- KSF1xxx: framing --------------------------------------------------------------------
    {"KSF1001", "ex-no-items", S::Error, O::Documented, "KS_FRAMING_ITEM structure",
     "KSALLOCATOR_FRAMING_EX has no framing items.",
     "Each KSALLOCATOR_FRAMING_EX instance holds one or more KS_FRAMING_ITEMs; with none, the pin "
     "states no memory type, frame count or size at all.",
     "framing_ex: {items: []}"},
    {"KSF1002", "ex-too-many-items", S::Error, O::Proposed, "docs/rules.md (our bound)",
     "KSALLOCATOR_FRAMING_EX has more than 64 items.",
     "No real pin offers more than a handful of memory-type alternatives. The bound keeps a "
     "hostile CountItems from making a consumer allocate gigabytes.",
     "items: [65 items]"},
    {"KSF1003", "range-order", S::Error, O::Proposed, "KS_FRAMING_RANGE structure",
     "A frame-size range has MinFrameSize greater than MaxFrameSize.",
     "Both PhysicalRange and FramingRange.Range must satisfy Min <= Max; otherwise the range "
     "contains no size and negotiation fails.",
     "physical_range: {min: 8192, max: 4096}"},
    {"KSF1004", "range-stepping", S::Warning, O::Documented,
     "KS_FRAMING_RANGE structure (Stepping)",
     "A range's Stepping is larger than MaxFrameSize - MinFrameSize.",
     "Microsoft documents that a stepping larger than the range gives unpredictable behaviour. "
     "Stepping 0 is accepted and treated as 1 (samples use it with Min == Max).",
     "framing_range: {min: 1000, max: 1500, stepping: 1024}"},
    {"KSF1005", "range-not-nested", S::Warning, O::Proposed,
     "KS_FRAMING_ITEM structure (PhysicalRange, FramingRange); docs/algorithm.md (2. What each "
     "pipe gets)",
     "The optimal FramingRange reaches outside the PhysicalRange.",
     "The optimal range is a preference within the hard physical limits. Negotiation clips it to "
     "the physical range, so the part outside can never be chosen. (When the two do not overlap "
     "at all, KSF1006 is reported instead.)",
     "physical_range: {min: 0, max: 4096}\nframing_range: {min: 0, max: 8192}"},
    {"KSF1006", "range-disjoint", S::Warning, O::Proposed,
     "KS_FRAMING_ITEM structure; docs/algorithm.md (2. What each pipe gets)",
     "The optimal FramingRange and the PhysicalRange have no size in common.",
     "The optimal range is clipped to the physical range during negotiation; when the two do not "
     "overlap at all, the preference can never be honoured and only the physical limits count. "
     "(Reference rule V-RANGE-EMPTY cannot fire on its own: a range with Min <= Max always "
     "contains Min, and Min > Max is KSF1003.)",
     "physical_range: {min: 0, max: 4096}\nframing_range: {min: 8192, max: 16384}"},
    {"KSF1007", "alignment-not-mask", S::Error, O::Proposed,
     "KS_FRAMING_ITEM structure (FileAlignment); FILE_*_ALIGNMENT in wdm.h",
     "FileAlignment is not a mask of the form 2^k - 1.",
     "FileAlignment is the alignment minus one (FILE_LONG_ALIGNMENT = 3 for 4 bytes). A value "
     "like 4 or 5 has no alignment meaning; use a FILE_*_ALIGNMENT name. When "
     "KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED is set the field holds FramePitch instead; then only "
     "0x80000000 is reported, a pitch of -2^31 whose magnitude no LONG holds.",
     "file_alignment: 4"},
    {"KSF1008", "alignment-above-page", S::Warning, O::Kernel,
     "ReactOS ks.sys default allocator (alignment limit)",
     "FileAlignment is above PAGE_SIZE - 1 (0xFFF).",
     "The ReactOS default allocator (KsCreateDefaultAllocatorEx) refuses such alignments with "
     "STATUS_INVALID_PARAMETER, and pool allocations are at most page aligned. It is an error "
     "when the default allocator serves the pipe (see negotiation); here it is a warning.",
     "file_alignment: 0x1FFF"},
    {"KSF1009", "compression-zero-denominator", S::Error, O::Proposed, "KS_COMPRESSION structure",
     "OutputCompression has RatioDenominator 0.",
     "The ratio Num/Den describes how the output frame size relates to the input; a zero "
     "denominator makes it undefined.",
     "output_compression: {numerator: 1, denominator: 0}"},
    {"KSF1010", "compression-zero-numerator", S::Error, O::Proposed, "KS_COMPRESSION structure",
     "OutputCompression has RatioNumerator 0.",
     "A zero numerator would map every input size to just the constant margin.",
     "output_compression: {numerator: 0, denominator: 1}"},
    {"KSF1011", "compression-unknown", S::Warning, O::Proposed,
     "KS_COMPRESSION structure; PipeState_CompressionUnknown (ksproxy.h)",
     "OutputCompression is unknown (RatioNumerator 0xFFFFFFFF).",
     "ReactOS treats this numerator as a sentinel. Sizes after this pin cannot be related to "
     "sizes before it, so the pipe's state becomes PipeState_CompressionUnknown.",
     "output_compression: {numerator: unknown, denominator: 1}"},
    {"KSF1012", "insist-ratio-unknown", S::Error, O::Proposed,
     "KSALLOCATOR_FRAMING_EX structure (KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO)",
     "KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO with an unknown compression ratio.",
     "The flag asks for the KS_COMPRESSION ratio to be kept exactly, which is impossible when "
     "the ratio is unknown.",
     "flags: [KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO]  # with numerator: unknown"},
    {"KSF1013", "reserved-field", S::Warning, O::Documented,
     "KSALLOCATOR_FRAMING_EX, KS_FRAMING_RANGE_WEIGHTED and KS_FRAMING_ITEM structures (reserved "
     "fields)",
     "A field that Microsoft documents as reserved or unsupported is not 0.",
     "PinFlags and PinWeight are reserved (0), BusFlags is not used, and InPlaceWeight / "
     "NotInPlaceWeight are documented as unsupported. Non-zero values are kept (ksframe's "
     "negotiation gives weights a meaning) but a driver should not rely on them.",
     "pin_flags: 1"},
    {"KSF1014", "legacy-reserved", S::Error, O::Documented,
     "KSALLOCATOR_FRAMING structure (Reserved)", "KSALLOCATOR_FRAMING.Reserved is not 0.",
     "The field is reserved for the system and must be zero.", "framing: {reserved: 1}"},
    {"KSF1015", "unknown-flag-bits", S::Warning, O::Proposed,
     "KSALLOCATOR_FRAMING_EX structure (Flags); KSALLOCATOR_FLAG_* in ks.h",
     "Flags contain bits that no ks.h version defines.",
     "Known bits: 0x8000FFFF for KS_FRAMING_ITEM.Flags, 0x8000001F for legacy RequirementsFlags, "
     "0x3 for legacy OptionsFlags. Unknown bits are kept and reported, never dropped.",
     "flags: 0x00100002"},
    {"KSF1016", "pipe-flag-on-pin", S::Warning, O::Proposed,
     "KSALLOCATOR_FRAMING_EX structure (Flags); docs/algorithm.md (5. Flags)",
     "A pin declares a flag that the graph manager computes for a pipe.",
     "NO_FRAME_INTEGRITY, MULTIPLE_OUTPUT, CYCLE, ALLOCATOR_EXISTS and ATTENTION_STEPPING "
     "describe a negotiated pipe, not a pin. INDEPENDENT_RANGES is accepted from pins as a hint.",
     "flags: [KSALLOCATOR_FLAG_CYCLE]"},
    {"KSF1017", "can-allocate-misuse", S::Warning, O::Documented,
     "KS_FRAMING_ITEM structure (MemoryFlags)",
     "CAN_ALLOCATE without DEVICE_SPECIFIC, or DEVICE_SPECIFIC with a standard memory type.",
     "KSALLOCATOR_FLAG_CAN_ALLOCATE says the filter can allocate device-specific memory; "
     "Microsoft asks not to set it merely because the filter can address such memory. "
     "DEVICE_SPECIFIC names a vendor memory GUID, not one of the KSMEMORY_TYPE_* values.",
     "flags: [KSALLOCATOR_FLAG_CAN_ALLOCATE]   # memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED"},
    {"KSF1018", "unknown-memory-type", S::Warning, O::Proposed,
     "KS_FRAMING_ITEM structure (MemoryType); KSMEMORY_TYPE_* in ks.h",
     "The memory type GUID is not a KSMEMORY_TYPE_* value and DEVICE_SPECIFIC is not set.",
     "A vendor memory GUID should carry KSALLOCATOR_FLAG_DEVICE_SPECIFIC; otherwise it is "
     "probably a typo in the GUID.",
     "memory_type: 4a6d5fc4-7895-11d1-b069-00a0c9062803"},
    {"KSF1019", "system-memory-on-device", S::Error, O::Proposed,
     "KS_FRAMING_ITEM structure (Flags, MemoryType)",
     "REQUIREMENTF_SYSTEM_MEMORY on an item whose memory type is device memory.",
     "The item asks for system memory and for device memory at once. Without PREFERENCES_ONLY "
     "the requirement is hard, so the item can never be satisfied.",
     "memory_type: KSMEMORY_TYPE_DEVICE_UNKNOWN\nflags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY]"},
    {"KSF1020", "pool-type-invalid", S::Error, O::Documented,
     "KSALLOCATOR_FRAMING structure (PoolType); POOL_TYPE in wdm.h",
     "Legacy PoolType is not a valid POOL_TYPE.",
     "Valid values are the POOL_TYPE enumeration of wdm.h; DontUseThisType, MaxPoolType and "
     "numbers outside the enumeration are invalid.",
     "pool_type: 7"},
    {"KSF1021", "pool-type-variant", S::Warning, O::Documented,
     "KSALLOCATOR_FRAMING structure (PoolType); ReactOS ks.sys KsCreateDefaultAllocatorEx",
     "Legacy PoolType is a valid POOL_TYPE other than NonPagedPool or PagedPool.",
     "The KS documentation means PoolType to be paged or nonpaged pool, and the ReactOS default "
     "allocator handles only 0 and 1. ksframe classifies the value by its low bit.",
     "pool_type: NonPagedPoolNx"},
    {"KSF1022", "memory-flags", S::Warning, O::Documented,
     "KS_FRAMING_ITEM structure (MemoryFlags)",
     "MemoryFlags holds something other than 0 or KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE.",
     "Microsoft documents MemoryFlags as the place for MUST_ALLOCATE when the connection point "
     "allocates this memory type; other bits have no documented meaning there.",
     "memory_flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY]"},
    {"KSF1023", "nonpaged-budget", S::Warning, O::Proposed,
     "docs/spec.md (lint: nonpaged_budget); KSMEMORY_TYPE_KERNEL_NONPAGED",
     "A hard framing requirement pins more nonpaged memory than the budget.",
     "An item in KSMEMORY_TYPE_KERNEL_NONPAGED (or a legacy framing in SYSTEM_MEMORY with an even "
     "pool type) without KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY insists on frames x frame "
     "size bytes of nonpaged pool, which the graph manager cannot relax. Above the budget "
     "(16 MiB; `lint: {nonpaged_budget: BYTES}` at the top of the spec changes it) that is memory "
     "every instance takes from the scarcest pool of the system. The frame size is the largest "
     "the item allows, or its minimum when the maximum is unbounded.",
     "items: [{memory_type: KSMEMORY_TYPE_KERNEL_NONPAGED, frames: 64, framing_range: {min: "
     "385024, max: 385024}}]"},
    {"KSF1024", "range-stepping-on-a-point", S::Note, O::Documented,
     "KS_FRAMING_RANGE structure (Stepping)",
     "A one-size range (MinFrameSize == MaxFrameSize) has a Stepping above 1.",
     "KS_FRAMING_RANGE's remarks call a stepping larger than MaxFrameSize - MinFrameSize "
     "unpredictable, and on a one-size range that difference is 0. Negotiation takes the one "
     "size either way, so this is a note: write stepping 1 (or 0) to say what is meant.",
     "physical_range: {min: 4096, max: 4096, stepping: 4096}"},
    {"KSF1025", "range-open-one-byte", S::Note, O::Proposed, "KS_FRAMING_RANGE structure",
     "A range accepts every frame size from 1 byte to 4 GiB.",
     "{1, 0xFFFFFFFF} constrains nothing, yet it is not the {0, 0xFFFFFFFF} of a pin with no "
     "preference: real drivers that ship it never filled the range in, and their frames are "
     "sized elsewhere (a run-time edit) or not at all. A note: negotiation treats it as "
     "almost open.",
     "framing_range: {min: 1, max: unbounded}"},

    // ---- KSF2xxx: pins -----------------------------------------------------------------------
    {"KSF2001", "pin-flags-exclusive", S::Error, O::Documented,
     "KSPIN_DESCRIPTOR_EX structure (Flags)",
     "The pin sets two KSPIN_FLAG_* values that exclude each other.",
     "Documented exclusions: CRITICAL vs HYPERCRITICAL_PROCESSING; DO_NOT_INITIATE_PROCESSING vs "
     "INITIATE_PROCESSING_ON_EVERY_ARRIVAL; FRAMES_NOT_REQUIRED vs "
     "SOME_FRAMES_REQUIRED_FOR_PROCESSING; PROCESS_IN_RUN_STATE_ONLY vs "
     "PROCESS_IF_ANY_IN_RUN_STATE.",
     "flags: [KSPIN_FLAG_CRITICAL_PROCESSING, KSPIN_FLAG_HYPERCRITICAL_PROCESSING]"},
    {"KSF2002", "splitter-single-instance", S::Warning, O::Documented,
     "KSPIN_DESCRIPTOR_EX structure (KSPIN_FLAG_SPLITTER)",
     "A KSPIN_FLAG_SPLITTER pin allows at most one instance.",
     "A splitter copies frames to each additional instance of the pin, so it should allow more "
     "than one (InstancesPossible > 1).",
     "flags: [KSPIN_FLAG_SPLITTER]\ninstances: {possible: 1}"},
    {"KSF2003", "instances-necessary-above-possible", S::Error, O::Proposed, "4.3, 5.3 V-INSTANCES",
     "InstancesNecessary is greater than InstancesPossible.",
     "The filter could never reach its minimum processing state, because it needs more pin "
     "instances than it allows. KSINSTANCE_INDETERMINATE (unbounded) possible instances are "
     "always enough.",
     "instances: {possible: 1, necessary: 2}"},
    {"KSF2004", "unknown-pin-flag-bits", S::Warning, O::Proposed,
     "KSPIN_DESCRIPTOR_EX structure (Flags); KSPIN_FLAG_* in ks.h",
     "The pin's flags contain bits that no KSPIN_FLAG_* defines.",
     "Known KSPIN_FLAG_* bits are those of ks.h (reference 4.4); 0x400 and the bits between "
     "0x200 and 0x10000 are not defined. Unknown bits are kept as they are and reported, so a "
     "flag from a newer WDK is noticed rather than silently dropped.",
     "flags: 0x00000400"},
    {"KSF2005", "process-if-any-in-place", S::Warning, O::Documented,
     "KSPIN_DESCRIPTOR_EX structure (KSPIN_FLAG_PROCESS_IF_ANY_IN_RUN_STATE)",
     "KSPIN_FLAG_PROCESS_IF_ANY_IN_RUN_STATE on an output pin of an in-place route.",
     "Microsoft documents that the flag must not be used on an output pin that takes part in an "
     "in-place transform.",
     "routes: [{from: in, to: out, in_place: true}]  # out has PROCESS_IF_ANY_IN_RUN_STATE"},
    {"KSF2006", "codec-few-frames", S::Warning, O::Documented,
     "KSALLOCATOR_FRAMING_EX structure (Frames); docs/rules.md",
     "A pin of a transform (codec) filter allows fewer than three frames.",
     "Microsoft recommends that codecs allow at least three outstanding frames on input and "
     "output. A pin counts as a codec pin when its filter has a route that is not in place.",
     "frames: 1   # on an encoder's input pin"},
    {"KSF2007", "user-mode-denied", S::Error, O::Proposed,
     "KSPIN_DESCRIPTOR_EX structure (KSPIN_FLAG_DENY_USERMODE_ACCESS); docs/algorithm.md (2a. The "
     "user-mode boundary)",
     "A user-mode pin sets KSPIN_FLAG_DENY_USERMODE_ACCESS.",
     "The flag forbids user-mode access to the pin, so it cannot be a user-mode pipe end.",
     "user_mode: true\nflags: [KSPIN_FLAG_DENY_USERMODE_ACCESS]"},
    {"KSF2008", "paged-at-dispatch", S::Warning, O::Proposed,
     "KSPIN_DESCRIPTOR_EX structure (KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING); docs/algorithm.md (5. "
     "Flags)",
     "A pin that touches frames at DISPATCH_LEVEL offers only pageable memory.",
     "KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING and KSPIN_FLAG_GENERATE_MAPPINGS (DMA) need "
     "nonpaged memory, but every framing item of the pin asks for KERNEL_PAGED or USER memory "
     "without PREFERENCES_ONLY. Negotiation will not find a memory type for this pin.",
     "flags: [KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING]  # memory_type: KSMEMORY_TYPE_KERNEL_PAGED"},
    {"KSF2009", "frame-smaller-than-sample", S::Error, O::Proposed, "docs/spec.md (data ranges)",
     "The pin's frames are smaller than one sample of a format it streams.",
     "A video range's sample is its image (biSizeImage, stated or computed from width, height and "
     "bit count); a plain range with `fixed_size: true` has SampleSize-byte samples. A pin whose "
     "largest frame (the legacy FrameSize, or an item's maximum frame size) is smaller truncates "
     "every frame of that format. Drivers that declare a small placeholder framing fix it in "
     "their create dispatch with KsEdit (frame size := the format's sample size); a spec that "
     "declares no such edit is linted as the framing reads.",
     "framing_range: {min: 8192, max: 8192}  # data range: YUY2 320x240 (153600 bytes)"},
    {"KSF2010", "image-size-mismatch", S::Warning, O::Documented,
     "BITMAPINFOHEADER structure (biSizeImage)",
     "A video range's stated biSizeImage disagrees with its width, height and bit count.",
     "For an uncompressed image (BI_RGB, BI_BITFIELDS or a YUV FOURCC such as YUY2 or NV12) "
     "biSizeImage is the DWORD-aligned row (width x bit count bits, rounded up to 4 bytes) times "
     "|height|. A driver that allocates from one number and checks frames against the other "
     "truncates or refuses frames. Compressed formats (MJPG, H264) state a maximum and are not "
     "checked.",
     "{kind: video, subtype: YUY2, width: 320, height: 240, size_image: 8192}"},
    {"KSF2011", "audio-frame-duration", S::Warning, O::Proposed, "docs/spec.md (data ranges)",
     "An audio pin's frames hold more than 100 ms or less than 1 ms of its audio.",
     "A frame's duration is its size divided by the format's byte rate (channels x bytes per "
     "sample x sample rate). The rule judges the whole range: too long even at the range's "
     "highest byte rate, or too short even at its lowest. When the duration is exactly 8 times a "
     "sensible one, the message says so: a size computed as rate x bits x channels is in bits, "
     "not bytes.",
     "framing: {frame_size: 47040}  # (44100 * 16 * 2 + 29) / 30: 266.7 ms of 16-bit stereo"},
    {"KSF2012", "audio-frame-block-align", S::Warning, O::Documented,
     "WAVEFORMATEX structure (nBlockAlign)",
     "An audio pin's frame size is not a multiple of the block align.",
     "nBlockAlign (channels x bytes per sample) is the smallest unit of PCM audio; a buffer that "
     "is not a multiple of it ends inside a sample, and the next frame starts with the wrong "
     "channel. The block align used is that of the range's largest format (its most channels "
     "and bits).",
     "framing: {frame_size: 3306}  # 16-bit stereo: block align 4"},
    {"KSF2013", "degenerate-frame", S::Warning, O::Proposed, "docs/spec.md (data ranges)",
     "The pin's frames are smaller than the smallest unit of any format it streams.",
     "Frames of a byte or a few bytes cannot carry one row of an uncompressed image, one "
     "fixed-size sample or one audio block of the narrowest format. Pins that move no data through "
     "their frames (a video "
     "port pin) declare such framings on purpose; everywhere else they are a placeholder that "
     "was never sized. Reported instead of KSF2009 for the same framing.",
     "framing: {frame_size: 1}  # a video pin"},
    {"KSF2014", "category-contradicts-ranges", S::Warning, O::Proposed,
     "docs/spec.md (data ranges)",
     "The pin's category or name GUID says video but its ranges are all audio, or the reverse.",
     "KSPIN_DESCRIPTOR.Category (and Name) tell applications what a pin streams; an "
     "application looking for PINNAME_VIDEO_PREVIEW would find an audio pin. Categories that "
     "name no medium (KSCATEGORY_CAPTURE), stream ranges, and a GUID that names an audio and a "
     "video pin alike are not judged: PINNAME_CAPTURE is the GUID of PINNAME_VIDEO_CAPTURE, and "
     "Microsoft's audio samples name their capture pins with it.",
     "category: PINNAME_VIDEO_PREVIEW\ndata_ranges: [{kind: audio, max_channels: 2, bits: 16, "
     "rate: 32000}]"},
    {"KSF2015", "placeholder-frame", S::Note, O::Proposed, "KSALLOCATOR_FRAMING_EX; KsEdit",
     "A pin allows frames of at most 1 byte and none of its data ranges states a sample size.",
     "Without a sample size KSF2013 cannot say the frame is too small, but no stream has "
     "1-byte samples: the 1 is a placeholder a driver replaces when the format is set. Say so "
     "with framing_edit (then negotiation uses the edited size), or give the range its "
     "sample_size or size_image. A note, because the run-time edit may well exist.",
     "simple_framing_ex: {frames: 2, min: 1, max: 1}   # ranges: MPEG2 TS, no sample_size"},

    // ---- KSF3xxx: graph ----------------------------------------------------------------------
    {"KSF3001", "dataflow-mismatch", S::Error, O::Documented,
     "KSPIN_DESCRIPTOR structure (DataFlow)",
     "A connection does not go from an output pin to an input pin.",
     "KSPIN_DATAFLOW_OUT pins are data sources and connect only to KSPIN_DATAFLOW_IN pins. "
     "Connections are written from the output pin to the input pin.",
     "connections: [{from: renderer.in, to: camera.capture}]"},
    {"KSF3002", "communication-mismatch", S::Error, O::Documented,
     "KSPIN_DESCRIPTOR structure (Communication)",
     "A connection joins two IRP sink pins or two IRP source pins.",
     "KSPIN_COMMUNICATION_SINK pins can only be connected to SOURCE pins (BOTH pins are both).",
     "two pins with communication: sink"},
    {"KSF3003", "bridge-connected", S::Error, O::Documented,
     "KSPIN_DESCRIPTOR structure (KSPIN_COMMUNICATION_BRIDGE)",
     "A connection touches a BRIDGE or NONE pin.",
     "KSPIN_COMMUNICATION_BRIDGE pins receive only non-KS I/O and NONE pins do not communicate; "
     "neither can be connected to another pin.",
     "communication: bridge"},
    {"KSF3004", "fan-in", S::Error, O::Proposed, "docs/algorithm.md (1. Pipes)",
     "An input pin has more than one incoming connection.",
     "A KS input pin instance is connected to exactly one output pin.",
     "two connections to renderer.in"},
    {"KSF3005", "fan-out-not-splitter", S::Error, O::Proposed, "docs/algorithm.md (1. Pipes)",
     "An output pin without KSPIN_FLAG_SPLITTER has more than one outgoing connection.",
     "Only splitter pins may feed several inputs; each connection is one pin instance, so the "
     "pin must also allow that many instances.",
     "two connections from camera.capture"},
    {"KSF3006", "necessary-pin-unconnected", S::Error, O::Documented,
     "KSPIN_DESCRIPTOR_EX structure (InstancesNecessary)",
     "A pin with InstancesNecessary > 0 is not connected, on a filter the graph connects.",
     "AVStream does not let a filter leave KSSTATE_STOP until InstancesNecessary instances of "
     "each of its pins exist, so the graph as described cannot run: an error, and `run` stops "
     "before it negotiates. Filters no connection touches are not part of the graph and are not "
     "judged.",
     "instances: {possible: 1, necessary: 1}   # and no connection uses the pin"},
    {"KSF3007", "no-common-format", S::Error, O::Documented,
     "KSDATARANGE structure; docs/spec.md (data ranges)",
     "Two connected pins have no data format in common.",
     "KS connects two pins only on a format both accept (data intersection): the same major "
     "type, subtype and specifier, or GUID_NULL as a wildcard on either side; a video range also "
     "fixes width, height, bit count and compression, and audio ranges must overlap in bits "
     "and sample rate. When both pins list `data_ranges`, the loader finds the first common "
     "format (or checks the one `format:` picks). Lint reports the failure before it negotiates, "
     "and negotiate, run and export refuse the spec: a connection KS would refuse has no "
     "framing to negotiate. Disabling the rule silences lint only.",
     "connections: [{from: camera.capture, to: speaker.render}]  # video -> audio"},
    {"KSF3008", "instances-zero-connected", S::Error, O::Documented,
     "KSPIN_DESCRIPTOR_EX structure (InstancesPossible)",
     "A connection uses a pin whose InstancesPossible is 0.",
     "KS creates no instance of a pin factory that allows none, so the connection cannot be "
     "made; negotiate and run reject it too (reason no_instances). Such a pin is in no pipe. "
     "A pin meant to be unused is simply left unconnected.",
     "instances: {possible: 0, necessary: 0}   # and a connection uses the pin"},

    // ---- KSF4xxx: negotiation ----------------------------------------------------------------
    {"KSF4001", "negotiation-failed", S::Error, O::Proposed,
     "docs/algorithm.md (3. When it does not fit)", "A connection or pipe cannot be negotiated.",
     "The graph manager found no allocator framing that every pin of the pipe accepts, even "
     "after relaxing PREFERENCES_ONLY requirements. The message gives a reason code "
     "(no_common_memory_type, no_common_bus, empty_physical_range, stepping_conflict, "
     "two_must_allocate, unknown_compression_insist, frame_size_overflow; see "
     "docs/algorithm.md) and the related locations name the conflicting constraints.",
     "out pin offers only KERNEL_PAGED; in pin has KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING"},
    {"KSF4002", "preferences-relaxed", S::Warning, O::Proposed,
     "docs/algorithm.md (3. When it does not fit)",
     "A pin's PREFERENCES_ONLY requirements were dropped to make a connection work.",
     "The pin marked its memory type, bus and requirement flags as preferences "
     "(KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY) and they conflicted with the rest of the pipe, "
     "so negotiation ignored them; only its frame-size ranges still count. The pin will get "
     "frames it said it would rather not have.",
     "flags: [KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY]"},
    {"KSF4003", "pipe-split", S::Note, O::Proposed,
     "docs/algorithm.md (1. Pipes; 3. When it does not fit)",
     "An in-place route became a pipe boundary.",
     "Joining the route's output pin to the pipe made it infeasible (for example a "
     "FRAME_INTEGRITY requirement upstream of an in-place modifier, or ranges with nothing in "
     "common), so the output starts a pipe of its own and the filter copies frames there. An "
     "integrity split gives the new pipe's allocator KSALLOCATOR_OPTIONF_COMPATIBLE.",
     "routes: [{from: in, to: out, in_place: true}]  # with FRAME_INTEGRITY upstream"},
    {"KSF4004", "cycle", S::Error, O::Proposed, "docs/algorithm.md (1. Pipes)",
     "The graph loops back on itself.",
     "A pipe walk reached a pin it had already visited. Kernel Streaming graphs are acyclic for "
     "streaming; the pipe is flagged KSALLOCATOR_FLAG_CYCLE.",
     "connections: [{from: a.out, to: b.in}, {from: b.out, to: a.in}]  # with in-place routes"},
    {"KSF4005", "default-allocator-alignment", S::Error, O::Kernel,
     "ReactOS ks.sys default allocator (alignment limit)",
     "The default allocator would serve a pipe whose alignment is above PAGE_SIZE - 1.",
     "KsCreateDefaultAllocatorEx refuses FileAlignment above 0xFFF with STATUS_INVALID_PARAMETER "
     "(ReactOS). Lower the alignment or give the pipe a vendor allocator.",
     "file_alignment: 0x1FFF   # and no pin of the pipe has allocator:"},
    {"KSF4006", "default-allocator-device-memory", S::Warning, O::Documented,
     "Default allocators (Windows driver documentation)",
     "The default allocator would serve device memory.",
     "The default allocator allocates from system pool and requires "
     "KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY; a pipe whose memory type is device memory needs an "
     "allocator that can reach that memory (a pin with KSALLOCATOR_DISPATCH).",
     "memory_type: KSMEMORY_TYPE_DEVICE_UNKNOWN   # and no allocator: on the pipe's pins"},
    {"KSF4007", "frames-defaulted", S::Warning, O::Proposed,
     "docs/algorithm.md (2. What each pipe gets)", "No pin of a pipe states a frame count.",
     "Every pin says Frames 0 (no requirement), so the pipe gets options.default_frames. With "
     "one frame the source waits for every frame to come back before it can fill the next.",
     "frames: 0   # on every pin of the pipe"},
    {"KSF4008", "payload-larger-than-frame", S::Error, O::Proposed, "docs/simulation.md (The load)",
     "The load's source payload does not fit the frames its pipe negotiated.",
     "A source fills one frame per payload, so a payload larger than the pipe's frame size is "
     "data the driver could never deliver in one frame. The simulation refuses to run it "
     "rather than clip it; lint says so first. The largest planned payload is the fixed value, "
     "a uniform distribution's max, or an exponential one's mean.",
     "load: {source: {payload: {distribution: fixed, bytes: 8192}}}   # frames of 4096 bytes"},
    {"KSF4009", "allocator-properties-uncommittable", S::Warning, O::Documented,
     "CMemAllocator::SetProperties; CBaseAllocator::Commit; docs/algorithm.md (2a)",
     "The ALLOCATOR_PROPERTIES KsProxy hands the user-mode allocator cannot be committed.",
     "At a kernel/user connection the pipe's framing reaches DirectShow's allocator as "
     "ALLOCATOR_PROPERTIES {cBuffers, cbBuffer, cbAlign, cbPrefix}. The allocator refuses a "
     "cbAlign that is not a power of two up to the 64 KiB allocation granularity "
     "(VFW_E_BADALIGN), and cannot commit with cbBuffer or cBuffers 0 (VFW_E_SIZENOTSET). A "
     "don't-care pipe's size 0 is not reported: the proxy then sizes buffers from the media "
     "type.",
     "framing: {frames: 2, frame_size: 0, file_alignment: 0x1FFFF}  # into a user-mode pin"},

    // ---- KSF5xxx: kernel verdicts ------------------------------------------------------------
    {"KSF5001", "reactos-validate-framing-ex", S::Note, O::Kernel,
     "ReactOS ks.sys KsValidateAllocatorFramingEx",
     "What ReactOS's KsValidateAllocatorFramingEx would return for this framing.",
     "KsValidateAllocatorFramingEx is documented as reserved for system use. ReactOS returns "
     "STATUS_SUCCESS only for a buffer of at least 112 bytes whose first item sets "
     "PARTIAL_READ_SUPPORT and whose OutputCompression is a known expansion (Den != 0, "
     "Num != 0xFFFFFFFF, Den < Num). That looks like a check for one specific case (partial "
     "reads with expansion) that every stock sample fails, so ksframe reports the verdict only "
     "where Windows would object for the same cause: a RatioDenominator of 0 (a ratio "
     "KS_COMPRESSION cannot express), or a buffer shorter than 24 + 88 x CountItems "
     "(STATUS_BUFFER_TOO_SMALL). It is a note, never a validity test; the missing "
     "PARTIAL_READ_SUPPORT of a DECLARE_SIMPLE_FRAMING_EX is not reported.",
     "output_compression: {numerator: 1, denominator: 0}"},
    {"KSF5002", "reactos-validate-create-request", S::Note, O::Kernel,
     "ReactOS ks.sys KsValidateAllocatorCreateRequest",
     "ReactOS's KsValidateAllocatorCreateRequest would refuse this allocator create framing.",
     "For a legacy framing given as an allocator create payload (`options_flags`), ReactOS fails "
     "the create with STATUS_INVALID_PARAMETER when FrameSize is 0 or OptionsFlags has bits "
     "outside 0xF.",
     "framing: {options_flags: [KSALLOCATOR_OPTIONF_SYSTEM_MEMORY], frame_size: 0}"},

    // ---- KSF9xxx: configuration --------------------------------------------------------------
    {"KSF9001", "unknown-rule", S::Warning, O::Input, "docs/rules.md (Suppressing)",
     "A suppression names a rule that does not exist.",
     "`--disable` and `lint: {disable: [...]}` take rule ids (KSF1003) or names (range-order). "
     "An unknown one is reported so a typo does not silently leave a rule on.",
     "lint: {disable: [KSF1099]}"},
    {"KSF9002", "rule-not-suppressible", S::Warning, O::Input, "docs/rules.md (Suppressing)",
     "A suppression names an input rule, which cannot be disabled.",
     "KSF0xxx rules say the spec could not be read as written; disabling them would hide a spec "
     "that ksframe did not understand.",
     "lint: {disable: [KSF0008]}"},
};

}  // namespace ksframe::detail
