// The stand-in WDK headers ksframe hands to clang as in-memory files, so a driver's
// `#include <ks.h>` resolves on a machine without the WDK. They declare what framing and
// descriptor initializers use, in the layout of the Windows headers (x64: ULONG is 32 bits,
// pointers 64), written from the documented structure definitions and constants; everything
// else a driver calls stays undeclared, and the errors that causes in function bodies are
// ignored (docs/c-sources.md). The GUID macros come from ksframe's own GUID table, so the
// names the spec accepts and the names C uses cannot disagree.
#include "cimport/stand_ins.hpp"

#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ksframe/cimport.hpp"
#include "ksframe/format.hpp"
#include "ksframe/ks.hpp"

namespace ksframe::cimport {
namespace {

constexpr const char* kNtdef = R"(#pragma once
#ifndef KSFRAME_STAND_IN_NTDEF
#define KSFRAME_STAND_IN_NTDEF
#ifdef __cplusplus
#define EXTERN_C extern "C"
#else
#define EXTERN_C extern
#endif
#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define VOID void
#define NTAPI __stdcall
#define STDMETHODCALLTYPE __stdcall
#define FASTCALL __fastcall
#define DECLSPEC_NOINITALL
#define _IRQL_requires_max_(x)
#define _Use_decl_annotations_
#define _In_
#define _Out_
#define _Inout_
#define _In_opt_
#define _Out_opt_
#define _Must_inspect_result_
#define UNREFERENCED_PARAMETER(P) (void)(P)
#define C_ASSERT(e) typedef char __C_ASSERT__[(e) ? 1 : -1]
#ifndef NULL
#ifdef __cplusplus
#define NULL 0
#else
#define NULL ((void*)0)
#endif
#endif
#define TRUE 1
#define FALSE 0
typedef void* PVOID;
typedef char CHAR;
typedef unsigned char UCHAR, BYTE, BOOLEAN, *PUCHAR;
typedef short SHORT;
typedef unsigned short USHORT, WORD, WCHAR, *PWSTR, *PUSHORT;
typedef long LONG, *PLONG;
typedef unsigned long ULONG, DWORD, *PULONG;
typedef int INT, BOOL;
typedef unsigned int UINT;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG, ULONG_PTR, SIZE_T, *PULONG_PTR;
typedef long long LONG_PTR;
typedef LONG NTSTATUS;
typedef LONG HRESULT;
typedef const char* PCSTR;
typedef const unsigned short* PCWSTR;
typedef union _LARGE_INTEGER { struct { ULONG LowPart; LONG HighPart; } u; LONGLONG QuadPart; } LARGE_INTEGER, *PLARGE_INTEGER;
typedef struct _UNICODE_STRING { USHORT Length; USHORT MaximumLength; PWSTR Buffer; } UNICODE_STRING, *PUNICODE_STRING;
typedef struct _GUID { ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]; } GUID, *PGUID, *LPGUID, IID, CLSID;
typedef const GUID* LPCGUID;
#ifdef __cplusplus
#define REFGUID const GUID&
#else
#define REFGUID const GUID*
#endif
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
  static const GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010L)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225L)
#endif
)";

constexpr const char* kWdm = R"(#pragma once
#include <ntdef.h>
#ifndef KSFRAME_STAND_IN_WDM
#define KSFRAME_STAND_IN_WDM
#define PAGE_SIZE 0x1000
#define PAGED_CODE()
#define FILE_BYTE_ALIGNMENT 0x00000000
#define FILE_WORD_ALIGNMENT 0x00000001
#define FILE_LONG_ALIGNMENT 0x00000003
#define FILE_QUAD_ALIGNMENT 0x00000007
#define FILE_OCTA_ALIGNMENT 0x0000000f
#define FILE_32_BYTE_ALIGNMENT 0x0000001f
#define FILE_64_BYTE_ALIGNMENT 0x0000003f
#define FILE_128_BYTE_ALIGNMENT 0x0000007f
#define FILE_256_BYTE_ALIGNMENT 0x000000ff
#define FILE_512_BYTE_ALIGNMENT 0x000001ff
typedef enum _POOL_TYPE {
  NonPagedPool = 0, NonPagedPoolExecute = 0, PagedPool = 1, NonPagedPoolMustSucceed = 2,
  DontUseThisType = 3, NonPagedPoolCacheAligned = 4, PagedPoolCacheAligned = 5,
  NonPagedPoolCacheAlignedMustS = 6, MaxPoolType = 7, NonPagedPoolBase = 0,
  NonPagedPoolBaseMustSucceed = 2, NonPagedPoolBaseCacheAligned = 4,
  NonPagedPoolBaseCacheAlignedMustS = 6, NonPagedPoolSession = 32, PagedPoolSession = 33,
  NonPagedPoolMustSucceedSession = 34, DontUseThisTypeSession = 35,
  NonPagedPoolCacheAlignedSession = 36, PagedPoolCacheAlignedSession = 37,
  NonPagedPoolCacheAlignedMustSSession = 38, NonPagedPoolNx = 512,
  NonPagedPoolNxCacheAligned = 516, NonPagedPoolSessionNx = 544
} POOL_TYPE;
typedef struct _DEVICE_OBJECT* PDEVICE_OBJECT;
typedef struct _DRIVER_OBJECT* PDRIVER_OBJECT;
typedef struct _IRP* PIRP;
typedef struct _FILE_OBJECT* PFILE_OBJECT;
typedef struct _MDL* PMDL;
typedef ULONG KSPIN_LOCK_STAND_IN;
#endif
)";

constexpr const char* kNtddk = "#pragma once\n#include <wdm.h>\n";
constexpr const char* kWindows = "#pragma once\n#include <ntdef.h>\n#define PAGE_SIZE 0x1000\n";

// ks.h: the structures the extractor reads, in ks.h's field order, and the macros drivers
// declare them with. The GUID macros (STATIC_*, DEFINE_GUIDSTRUCT) are generated below.
constexpr const char* kKs = R"(#pragma once
#include <wdm.h>
#ifndef KSFRAME_STAND_IN_KS
#define KSFRAME_STAND_IN_KS
#define SIZEOF_ARRAY(a) (sizeof(a) / sizeof((a)[0]))
#define STATICGUIDOF(guid) STATIC_##guid
#define DEFINE_GUIDSTRUCT(g, n) static const GUID n = { STATIC_##n }
#define DEFINE_GUIDNAMED(n) n
#define DEFINE_GUIDEX(n) extern const GUID n
#define KSINSTANCE_INDETERMINATE ((ULONG)-1)
#define KSFILTER_NODE ((ULONG)-1)
#define KSFILTER_DESCRIPTOR_VERSION ((ULONG)-1)
typedef enum { KSPIN_DATAFLOW_IN = 1, KSPIN_DATAFLOW_OUT = 2 } KSPIN_DATAFLOW;
typedef enum {
  KSPIN_COMMUNICATION_NONE = 0, KSPIN_COMMUNICATION_SINK = 1, KSPIN_COMMUNICATION_SOURCE = 2,
  KSPIN_COMMUNICATION_BOTH = 3, KSPIN_COMMUNICATION_BRIDGE = 4
} KSPIN_COMMUNICATION;
typedef struct { GUID Set; ULONG Id; ULONG Flags; } KSIDENTIFIER, KSPROPERTY, KSMETHOD, KSEVENT,
  KSPIN_INTERFACE, KSPIN_MEDIUM, *PKSIDENTIFIER, *PKSPROPERTY, *PKSPIN_INTERFACE, *PKSPIN_MEDIUM;
typedef struct { KSPROPERTY Property; ULONG PinId; union { ULONG Reserved; ULONG Flags; }; } KSP_PIN, *PKSP_PIN;
typedef union {
  struct { ULONG FormatSize; ULONG Flags; ULONG SampleSize; ULONG Reserved; GUID MajorFormat; GUID SubFormat; GUID Specifier; };
  LONGLONG Alignment;
} KSDATAFORMAT, *PKSDATAFORMAT, KSDATARANGE, *PKSDATARANGE;
#define KSDATAFORMAT_BIT_TEMPORAL_COMPRESSION 0
#define KSDATAFORMAT_TEMPORAL_COMPRESSION (1 << KSDATAFORMAT_BIT_TEMPORAL_COMPRESSION)
#define KSDATAFORMAT_BIT_ATTRIBUTES 1
#define KSDATAFORMAT_ATTRIBUTES (1 << KSDATAFORMAT_BIT_ATTRIBUTES)
#define KSDATARANGE_BIT_ATTRIBUTES 1
#define KSDATARANGE_ATTRIBUTES (1 << KSDATARANGE_BIT_ATTRIBUTES)
#define KSDATARANGE_BIT_REQUIRED_ATTRIBUTES 2
#define KSDATARANGE_REQUIRED_ATTRIBUTES (1 << KSDATARANGE_BIT_REQUIRED_ATTRIBUTES)
typedef struct { ULONG Size; ULONG Count; } KSMULTIPLE_ITEM, *PKSMULTIPLE_ITEM;
typedef struct { ULONG FromNode; ULONG FromNodePin; ULONG ToNode; ULONG ToNodePin; } KSTOPOLOGY_CONNECTION, *PKSTOPOLOGY_CONNECTION;

#define KSALLOCATOR_REQUIREMENTF_INPLACE_MODIFIER 0x00000001
#define KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY 0x00000002
#define KSALLOCATOR_REQUIREMENTF_FRAME_INTEGRITY 0x00000004
#define KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE 0x00000008
#define KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY_CUSTOM_ALLOCATION 0x00000010
#define KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY 0x80000000
#define KSALLOCATOR_OPTIONF_COMPATIBLE 0x00000001
#define KSALLOCATOR_OPTIONF_SYSTEM_MEMORY 0x00000002
#define KSALLOCATOR_OPTIONF_VALID 0x00000003
#define KSALLOCATOR_FLAG_PARTIAL_READ_SUPPORT 0x00000010
#define KSALLOCATOR_FLAG_DEVICE_SPECIFIC 0x00000020
#define KSALLOCATOR_FLAG_CAN_ALLOCATE 0x00000040
#define KSALLOCATOR_FLAG_INSIST_ON_FRAMESIZE_RATIO 0x00000080
#define KSALLOCATOR_FLAG_NO_FRAME_INTEGRITY 0x00000100
#define KSALLOCATOR_FLAG_MULTIPLE_OUTPUT 0x00000200
#define KSALLOCATOR_FLAG_CYCLE 0x00000400
#define KSALLOCATOR_FLAG_ALLOCATOR_EXISTS 0x00000800
#define KSALLOCATOR_FLAG_INDEPENDENT_RANGES 0x00001000
#define KSALLOCATOR_FLAG_ATTENTION_STEPPING 0x00002000
#define KSALLOCATOR_FLAG_ENABLE_CACHED_MDL 0x00004000
#define KSALLOCATOR_FLAG_2D_BUFFER_REQUIRED 0x00008000

typedef struct {
  union { ULONG OptionsFlags; ULONG RequirementsFlags; };
  POOL_TYPE PoolType;
  ULONG Frames;
  ULONG FrameSize;
  union { ULONG FileAlignment; LONG FramePitch; };
  ULONG Reserved;
} KSALLOCATOR_FRAMING, *PKSALLOCATOR_FRAMING;
typedef struct { ULONG MinFrameSize; ULONG MaxFrameSize; ULONG Stepping; } KS_FRAMING_RANGE, *PKS_FRAMING_RANGE;
typedef struct { KS_FRAMING_RANGE Range; ULONG InPlaceWeight; ULONG NotInPlaceWeight; } KS_FRAMING_RANGE_WEIGHTED, *PKS_FRAMING_RANGE_WEIGHTED;
typedef struct { ULONG RatioNumerator; ULONG RatioDenominator; ULONG RatioConstantMargin; } KS_COMPRESSION, *PKS_COMPRESSION;
typedef struct {
  GUID MemoryType;
  GUID BusType;
  ULONG MemoryFlags;
  ULONG BusFlags;
  ULONG Flags;
  ULONG Frames;
  union { ULONG FileAlignment; LONG FramePitch; };
  ULONG MemoryTypeWeight;
  KS_FRAMING_RANGE PhysicalRange;
  KS_FRAMING_RANGE_WEIGHTED FramingRange;
} KS_FRAMING_ITEM, *PKS_FRAMING_ITEM;
typedef struct {
  ULONG CountItems;
  ULONG PinFlags;
  KS_COMPRESSION OutputCompression;
  ULONG PinWeight;
  KS_FRAMING_ITEM FramingItem[1];
} KSALLOCATOR_FRAMING_EX, *PKSALLOCATOR_FRAMING_EX;

#define KSMEMORY_TYPE_WILDCARD GUID_NULL
#define STATIC_KSMEMORY_TYPE_WILDCARD STATIC_GUID_NULL
#define KSMEMORY_TYPE_DONT_CARE GUID_NULL
#define STATIC_KSMEMORY_TYPE_DONT_CARE STATIC_GUID_NULL
#define KS_TYPE_DONT_CARE GUID_NULL
#define STATIC_KS_TYPE_DONT_CARE STATIC_GUID_NULL

#define DECLARE_SIMPLE_FRAMING_EX(FramingExName, MemoryType, Flags, Frames, Alignment, MinFrameSize, MaxFrameSize) \
  const KSALLOCATOR_FRAMING_EX FramingExName = { \
    1, 0, {1, 1, 0}, 0, \
    {{MemoryType, STATIC_KS_TYPE_DONT_CARE, 0, 0, Flags, Frames, Alignment, 0, \
      {0, (ULONG)-1, 1}, \
      {{MinFrameSize, MaxFrameSize, 1}, 0, 0}}}}

#define KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING 0x00000001
#define KSPIN_FLAG_CRITICAL_PROCESSING 0x00000002
#define KSPIN_FLAG_HYPERCRITICAL_PROCESSING 0x00000004
#define KSPIN_FLAG_ASYNCHRONOUS_PROCESSING 0x00000008
#define KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING 0x00000010
#define KSPIN_FLAG_INITIATE_PROCESSING_ON_EVERY_ARRIVAL 0x00000020
#define KSPIN_FLAG_FRAMES_NOT_REQUIRED_FOR_PROCESSING 0x00000040
#define KSPIN_FLAG_ENFORCE_FIFO 0x00000080
#define KSPIN_FLAG_GENERATE_MAPPINGS 0x00000100
#define KSPIN_FLAG_DISTINCT_TRAILING_EDGE 0x00000200
#define KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY 0x00010000
#define KSPIN_FLAG_SPLITTER 0x00020000
#define KSPIN_FLAG_USE_STANDARD_TRANSPORT 0x00040000
#define KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT 0x00080000
#define KSPIN_FLAG_FIXED_FORMAT 0x00100000
#define KSPIN_FLAG_GENERATE_EOS_EVENTS 0x00200000
#define KSPIN_FLAG_RENDERER (KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY | KSPIN_FLAG_GENERATE_EOS_EVENTS)
#define KSPIN_FLAG_IMPLEMENT_CLOCK 0x00400000
#define KSPIN_FLAG_SOME_FRAMES_REQUIRED_FOR_PROCESSING 0x00800000
#define KSPIN_FLAG_PROCESS_IF_ANY_IN_RUN_STATE 0x01000000
#define KSPIN_FLAG_DENY_USERMODE_ACCESS 0x80000000
#define KSFILTER_FLAG_DISPATCH_LEVEL_PROCESSING 0x00000001
#define KSFILTER_FLAG_CRITICAL_PROCESSING 0x00000002
#define KSFILTER_FLAG_HYPERCRITICAL_PROCESSING 0x00000004
#define KSFILTER_FLAG_RECEIVE_ZERO_LENGTH_SAMPLES 0x00000008
#define KSFILTER_FLAG_DENY_USERMODE_ACCESS 0x80000000

typedef struct _KSPIN KSPIN, *PKSPIN;
typedef struct _KSFILTER KSFILTER, *PKSFILTER;
typedef struct _KSDEVICE KSDEVICE, *PKSDEVICE;
typedef struct _KSPROCESSPIN_INDEXENTRY* PKSPROCESSPIN_INDEXENTRY;
typedef struct _KSAUTOMATION_TABLE KSAUTOMATION_TABLE, *PKSAUTOMATION_TABLE;
typedef struct _KSNODE_DESCRIPTOR { const KSAUTOMATION_TABLE* AutomationTable; const GUID* Type; const GUID* Name; } KSNODE_DESCRIPTOR;
typedef struct _KSCOMPONENTID KSCOMPONENTID;
typedef struct _KSCLOCK_DISPATCH KSCLOCK_DISPATCH;
typedef enum { KSSTATE_STOP, KSSTATE_ACQUIRE, KSSTATE_PAUSE, KSSTATE_RUN } KSSTATE;
typedef NTSTATUS (*PFNKSPINIRP)(PKSPIN Pin, PIRP Irp);
typedef NTSTATUS (*PFNKSPIN)(PKSPIN Pin);
typedef void (*PFNKSPINVOID)(PKSPIN Pin);
typedef struct { ULONG Size; ULONG Flags; GUID Attribute; } KSATTRIBUTE, *PKSATTRIBUTE;
typedef struct _KSATTRIBUTE_LIST { ULONG Count; PKSATTRIBUTE* Attributes; } KSATTRIBUTE_LIST, *PKSATTRIBUTE_LIST;
typedef NTSTATUS (*PFNKSPINSETDATAFORMAT)(PKSPIN Pin, PKSDATAFORMAT OldFormat, PKSMULTIPLE_ITEM OldAttributeList,
                                          const KSDATARANGE* DataRange, const KSATTRIBUTE_LIST* AttributeRange);
typedef NTSTATUS (*PFNKSPINSETDEVICESTATE)(PKSPIN Pin, KSSTATE ToState, KSSTATE FromState);
typedef NTSTATUS (*PFNKSFILTERIRP)(PKSFILTER Filter, PIRP Irp);
typedef NTSTATUS (*PFNKSFILTERPROCESS)(PKSFILTER Filter, PKSPROCESSPIN_INDEXENTRY Index);
typedef NTSTATUS (*PFNKSFILTERVOID)(PKSFILTER Filter);
typedef NTSTATUS (*PFNKSINITIALIZEALLOCATOR)(PVOID InitialContext, PKSALLOCATOR_FRAMING AllocatorFraming, PVOID* Context);
typedef void (*PFNKSDELETEALLOCATOR)(PVOID Context);
typedef PVOID (*PFNKSDEFAULTALLOCATE)(PVOID Context);
typedef void (*PFNKSDEFAULTFREE)(PVOID Context, PVOID Buffer);
typedef NTSTATUS (*PFNKSINTERSECTHANDLER)(PIRP Irp, PKSP_PIN Pin, PKSDATARANGE DataRange, PVOID Data);
typedef NTSTATUS (*PFNKSINTERSECTHANDLEREX)(PVOID Context, PIRP Irp, PKSP_PIN Pin, PKSDATARANGE DataRange,
                                            PKSDATARANGE MatchingDataRange, ULONG DataBufferSize, PVOID Data, PULONG DataSize);
typedef struct {
  PFNKSINITIALIZEALLOCATOR InitializeAllocator;
  PFNKSDELETEALLOCATOR DeleteAllocator;
  PFNKSDEFAULTALLOCATE Allocate;
  PFNKSDEFAULTFREE Free;
} KSALLOCATOR_DISPATCH, *PKSALLOCATOR_DISPATCH;
typedef struct {
  PFNKSPINIRP Create;
  PFNKSPINIRP Close;
  PFNKSPIN Process;
  PFNKSPINVOID Reset;
  PFNKSPINSETDATAFORMAT SetDataFormat;
  PFNKSPINSETDEVICESTATE SetDeviceState;
  PFNKSPIN Connect;
  PFNKSPINVOID Disconnect;
  const KSCLOCK_DISPATCH* Clock;
  const KSALLOCATOR_DISPATCH* Allocator;
} KSPIN_DISPATCH, *PKSPIN_DISPATCH;
typedef struct {
  PFNKSFILTERIRP Create;
  PFNKSFILTERIRP Close;
  PFNKSFILTERPROCESS Process;
  PFNKSFILTERVOID Reset;
} KSFILTER_DISPATCH, *PKSFILTER_DISPATCH;
typedef struct {
  ULONG InterfacesCount;
  const KSPIN_INTERFACE* Interfaces;
  ULONG MediumsCount;
  const KSPIN_MEDIUM* Mediums;
  ULONG DataRangesCount;
  const PKSDATARANGE* DataRanges;
  KSPIN_DATAFLOW DataFlow;
  KSPIN_COMMUNICATION Communication;
  const GUID* Category;
  const GUID* Name;
  union {
    LONGLONG Reserved;
    struct { ULONG ConstrainedDataRangesCount; PKSMULTIPLE_ITEM* ConstrainedDataRanges; };
  };
} KSPIN_DESCRIPTOR, *PKSPIN_DESCRIPTOR;
typedef struct {
  const KSPIN_DISPATCH* Dispatch;
  const KSAUTOMATION_TABLE* AutomationTable;
  KSPIN_DESCRIPTOR PinDescriptor;
  ULONG Flags;
  ULONG InstancesPossible;
  ULONG InstancesNecessary;
  const KSALLOCATOR_FRAMING_EX* AllocatorFraming;
  PFNKSINTERSECTHANDLEREX IntersectHandler;
} KSPIN_DESCRIPTOR_EX, *PKSPIN_DESCRIPTOR_EX;
typedef struct {
  const KSFILTER_DISPATCH* Dispatch;
  const KSAUTOMATION_TABLE* AutomationTable;
  ULONG Version;
  ULONG Flags;
  const GUID* ReferenceGuid;
  ULONG PinDescriptorsCount;
  ULONG PinDescriptorSize;
  const KSPIN_DESCRIPTOR_EX* PinDescriptors;
  ULONG CategoriesCount;
  const GUID* Categories;
  ULONG NodeDescriptorsCount;
  ULONG NodeDescriptorSize;
  const KSNODE_DESCRIPTOR* NodeDescriptors;
  ULONG ConnectionsCount;
  const KSTOPOLOGY_CONNECTION* Connections;
  const KSCOMPONENTID* ComponentId;
} KSFILTER_DESCRIPTOR, *PKSFILTER_DESCRIPTOR;
struct _KSPIN { const KSPIN_DESCRIPTOR_EX* Descriptor; PVOID Bag; PVOID Context; ULONG Id;
  KSPIN_COMMUNICATION Communication; BOOLEAN ConnectionIsExternal; KSPIN_INTERFACE ConnectionInterface;
  KSPIN_MEDIUM ConnectionMedium; ULONG StreamHeaderSize; KSPIN_DATAFLOW DataFlow; PKSDATAFORMAT ConnectionFormat;
  PVOID AttributeList; ULONG StreamHeaderSizeExtra; KSSTATE DeviceState; ULONG ResetState; KSSTATE ClientState; };
#define DEFINE_KSFILTER_DESCRIPTOR(descriptor) const KSFILTER_DESCRIPTOR descriptor =
#define DEFINE_KSFILTER_DESCRIPTOR_TABLE(table) const KSFILTER_DESCRIPTOR* const table[] =
#define DEFINE_KSFILTER_PIN_DESCRIPTORS(table) SIZEOF_ARRAY(table), sizeof(table[0]), table
#define DEFINE_KSFILTER_CATEGORIES(table) SIZEOF_ARRAY(table), table
#define DEFINE_KSFILTER_CATEGORY(category) 1, &(category)
#define DEFINE_KSFILTER_CATEGORIES_NULL 0, NULL
#define DEFINE_KSFILTER_NODE_DESCRIPTORS(table) SIZEOF_ARRAY(table), sizeof(table[0]), table
#define DEFINE_KSFILTER_NODE_DESCRIPTORS_NULL 0, sizeof(KSNODE_DESCRIPTOR), NULL
#define DEFINE_KSFILTER_CONNECTIONS(table) SIZEOF_ARRAY(table), table
#define DEFINE_KSFILTER_DEFAULT_CONNECTIONS 0, NULL
#define DEFINE_KSFILTER_CONNECTIONS_NULL 0, NULL
#define DEFINE_KSPIN_DEFAULT_INTERFACES 0, NULL
#define DEFINE_KSPIN_DEFAULT_MEDIUMS 0, NULL
EXTERN_C NTSTATUS _KsEdit(PVOID Object, PVOID* PointerToPointer, ULONG NewSize, ULONG OldSize, ULONG Tag);
#define KsEdit(Object, PointerToPointer, Tag) \
  _KsEdit((Object), (PVOID*)(PointerToPointer), sizeof(**(PointerToPointer)), sizeof(**(PointerToPointer)), (Tag))
#define KsEditSized(Object, PointerToPointer, NewSize, OldSize, Tag) \
  _KsEdit((Object), (PVOID*)(PointerToPointer), (NewSize), (OldSize), (Tag))
#define KSPROPERTY_CONNECTION_ALLOCATORFRAMING 5
#define KSPROPERTY_CONNECTION_ALLOCATORFRAMING_EX 6
)";

// ksmedia.h: the data range structures in the x64 layout of the WDK's ksmedia.h (sizes checked
// by a test: KS_BITMAPINFOHEADER 40, KS_VIDEOINFOHEADER 88, KS_VIDEO_STREAM_CONFIG_CAPS 128,
// KS_DATARANGE_VIDEO 296, KSDATARANGE_AUDIO 88), the FOURCC and bitmap constants their
// initializers use, and the format, category and pin-name GUIDs (generated below from ksframe's
// format table, so the values C reads are the ones the spec names). GUIDs ksframe has no value
// for are declared without one: a pin pointing to one is reported by name only.
constexpr const char* kKsmediaHead = R"(#pragma once
#include <ks.h>
#ifndef KSFRAME_STAND_IN_KSMEDIA
#define KSFRAME_STAND_IN_KSMEDIA
#ifndef KSFRAME_STAND_IN_RECT
#define KSFRAME_STAND_IN_RECT
typedef struct tagRECT { LONG left; LONG top; LONG right; LONG bottom; } RECT, *PRECT;
typedef struct tagSIZE { LONG cx; LONG cy; } SIZE, *PSIZE;
#endif
typedef LONGLONG REFERENCE_TIME;
typedef DWORD FOURCC;
#ifndef MAKEFOURCC
#define MAKEFOURCC(ch0, ch1, ch2, ch3) \
  ((DWORD)(BYTE)(ch0) | ((DWORD)(BYTE)(ch1) << 8) | ((DWORD)(BYTE)(ch2) << 16) | ((DWORD)(BYTE)(ch3) << 24))
#endif
#ifndef mmioFOURCC
#define mmioFOURCC(ch0, ch1, ch2, ch3) MAKEFOURCC(ch0, ch1, ch2, ch3)
#endif
#define FCC(ch4) ((((DWORD)(ch4) & 0xFF) << 24) | (((DWORD)(ch4) & 0xFF00) << 8) | \
                  (((DWORD)(ch4) & 0xFF0000) >> 8) | (((DWORD)(ch4) & 0xFF000000) >> 24))
#define KS_BI_RGB 0L
#define KS_BI_RLE8 1L
#define KS_BI_RLE4 2L
#define KS_BI_BITFIELDS 3L
#define KS_AnalogVideo_None 0x00000000
#define KS_AnalogVideo_NTSC_M 0x00000001
#define KS_AnalogVideo_PAL_B 0x00000010
#define KS_VIDEOSTREAM_PREVIEW 0x0001
#define KS_VIDEOSTREAM_CAPTURE 0x0002
#define KS_VIDEOSTREAM_VBI 0x0010
#define KS_VIDEOSTREAM_STILL 0x1000
typedef struct tagKS_BITMAPINFOHEADER {
  DWORD biSize;
  LONG biWidth;
  LONG biHeight;
  WORD biPlanes;
  WORD biBitCount;
  DWORD biCompression;
  DWORD biSizeImage;
  LONG biXPelsPerMeter;
  LONG biYPelsPerMeter;
  DWORD biClrUsed;
  DWORD biClrImportant;
} KS_BITMAPINFOHEADER, *PKS_BITMAPINFOHEADER;
typedef struct tagKS_VIDEOINFOHEADER {
  RECT rcSource;
  RECT rcTarget;
  DWORD dwBitRate;
  DWORD dwBitErrorRate;
  REFERENCE_TIME AvgTimePerFrame;
  KS_BITMAPINFOHEADER bmiHeader;
} KS_VIDEOINFOHEADER, *PKS_VIDEOINFOHEADER;
typedef struct _KS_VIDEO_STREAM_CONFIG_CAPS {
  GUID guid;
  ULONG VideoStandard;
  SIZE InputSize;
  SIZE MinCroppingSize;
  SIZE MaxCroppingSize;
  int CropGranularityX;
  int CropGranularityY;
  int CropAlignX;
  int CropAlignY;
  SIZE MinOutputSize;
  SIZE MaxOutputSize;
  int OutputGranularityX;
  int OutputGranularityY;
  int StretchTapsX;
  int StretchTapsY;
  int ShrinkTapsX;
  int ShrinkTapsY;
  LONGLONG MinFrameInterval;
  LONGLONG MaxFrameInterval;
  LONG MinBitsPerSecond;
  LONG MaxBitsPerSecond;
} KS_VIDEO_STREAM_CONFIG_CAPS, *PKS_VIDEO_STREAM_CONFIG_CAPS;
typedef struct tagKS_DATARANGE_VIDEO {
  KSDATARANGE DataRange;
  BOOL bFixedSizeSamples;
  BOOL bTemporalCompression;
  DWORD StreamDescriptionFlags;
  DWORD MemoryAllocationFlags;
  KS_VIDEO_STREAM_CONFIG_CAPS ConfigCaps;
  KS_VIDEOINFOHEADER VideoInfoHeader;
} KS_DATARANGE_VIDEO, *PKS_DATARANGE_VIDEO;
typedef struct {
  KSDATARANGE DataRange;
  ULONG MaximumChannels;
  ULONG MinimumBitsPerSample;
  ULONG MaximumBitsPerSample;
  ULONG MinimumSampleFrequency;
  ULONG MaximumSampleFrequency;
} KSDATARANGE_AUDIO, *PKSDATARANGE_AUDIO;
#include <ksframe_formats.h>
#include <ksframe_ksmedia_more.h>
#endif
)";

// Names ksmedia.h declares that ksframe's tables give no value (the rest are defined from them).
constexpr const char* kKsmediaDeclaredOnly[] = {"KSCATEGORY_CAPTURE",
                                                "KSCATEGORY_VIDEO",
                                                "KSCATEGORY_AUDIO",
                                                "KSCATEGORY_RENDER",
                                                "KSCATEGORY_BRIDGE",
                                                "KSCATEGORY_TVTUNER",
                                                "KSCATEGORY_CROSSBAR",
                                                "KSCATEGORY_ENCODER",
                                                "KSCATEGORY_DECODER",
                                                "KSCATEGORY_DATATRANSFORM",
                                                "KSCATEGORY_MIXER",
                                                "KSCATEGORY_SPLITTER",
                                                "KSCATEGORY_PREFERRED_WAVEOUT_DEVICE",
                                                "KSCATEGORY_AUDIO_DEVICE",
                                                "KSCATEGORY_TOPOLOGY",
                                                "KSCATEGORY_BDA_RECEIVER_COMPONENT",
                                                "KSCATEGORY_BDA_NETWORK_TUNER",
                                                "KSCATEGORY_VIDEO_CAMERA",
                                                "KSCATEGORY_SENSOR_CAMERA",
                                                "PIN_CATEGORY_CC",
                                                "PIN_CATEGORY_TIMECODE",
                                                "PINNAME_CAPTURE",
                                                "KSNODETYPE_ANALOG_CONNECTOR",
                                                "KSNODETYPE_SPEAKER",
                                                "KSNODETYPE_MICROPHONE",
                                                "KSNODETYPE_DAC",
                                                "KSNODETYPE_ADC",
                                                "KSNODETYPE_VOLUME",
                                                "KSAUDFNAME_RECORDING_CONTROL"};

}  // namespace

std::string static_guid_list(const ks::Guid& guid) {
  char buf[160];
  std::snprintf(
      buf, sizeof buf,
      "0x%08xL, 0x%04x, 0x%04x, 0x%02x, 0x%02x, 0x%02x, 0x%02x, 0x%02x, 0x%02x, 0x%02x, 0x%02x",
      guid.data1, guid.data2, guid.data3, guid.data4[0], guid.data4[1], guid.data4[2],
      guid.data4[3], guid.data4[4], guid.data4[5], guid.data4[6], guid.data4[7]);
  return buf;
}

namespace {

std::string guid_macros() {
  // STATIC_<name> spells a GUID as the brace-free list an initializer takes; DEFINE_GUIDSTRUCT
  // then defines the named constant, so `&NAME` and `STATICGUIDOF(NAME)` both have a value.
  std::string out =
      "#pragma once\n#ifndef KSFRAME_STAND_IN_GUIDS\n#define KSFRAME_STAND_IN_GUIDS\n";
  for (const auto& g : ks::named_guids()) {
    if (g.name == "KSMEMORY_TYPE_WILDCARD" || g.name == "KSMEMORY_TYPE_DONT_CARE" ||
        g.name == "KS_TYPE_DONT_CARE")
      continue;  // aliases of GUID_NULL, spelled as macros in ks.h above
    const auto guid = ks::Guid::parse(g.text);
    if (!guid) continue;
    out += "#define STATIC_" + std::string(g.name) + " " + static_guid_list(*guid) + "\n";
    out += "DEFINE_GUIDSTRUCT(\"" + std::string(g.text) + "\", " + std::string(g.name) + ");\n";
  }
  return out + "#endif\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> stand_in_format_guids() {
  // The rows of the format table that are header names (the short aliases such as YUY2 and PCM
  // are spec spellings, not C names), and the other spellings drivers write for the same values:
  // ksmedia.h's KSDATAFORMAT_SUBTYPE_<X> for uuids.h's MEDIASUBTYPE_<X>, PIN_CATEGORY_<X> for
  // PINNAME_VIDEO_<X>, MEDIASUBTYPE_MPEG2_TRANSPORT for KSDATAFORMAT_TYPE_MPEG2_TRANSPORT.
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& name, std::string_view text) {
    if (seen.insert(name).second) out.emplace_back(name, std::string(text));
  };
  for (const auto& row : ks::named_format_guids()) {
    const std::string name(row.name);
    bool header = false;
    for (const char* prefix : {"KSDATAFORMAT_", "MEDIASUBTYPE_", "PINNAME_", "PIN_CATEGORY_",
                               "KSCATEGORY_", "KSNODETYPE_"})
      header = header || name.starts_with(prefix);
    if (!header) continue;
    add(name, row.text);
    if (name.starts_with("MEDIASUBTYPE_")) add("KSDATAFORMAT_SUBTYPE_" + name.substr(13), row.text);
    if (name.starts_with("PINNAME_VIDEO_")) add("PIN_CATEGORY_" + name.substr(14), row.text);
    if (name == "KSDATAFORMAT_TYPE_MPEG2_TRANSPORT") {
      add("MEDIASUBTYPE_MPEG2_TRANSPORT", row.text);
      add("KSDATAFORMAT_SUBTYPE_MPEG2_TRANSPORT", row.text);
    }
  }
  return out;
}

namespace {

std::string format_guid_header() {
  std::string out =
      "#pragma once\n#ifndef KSFRAME_STAND_IN_FORMATS\n#define KSFRAME_STAND_IN_FORMATS\n";
  std::set<std::string> defined;
  for (const auto& [name, text] : stand_in_format_guids()) {
    const auto guid = ks::Guid::parse(text);
    if (!guid) continue;
    defined.insert(name);
    out += "#define STATIC_" + name + " " + static_guid_list(*guid) + "\n";
    out += "DEFINE_GUIDSTRUCT(\"" + text + "\", " + name + ");\n";
  }
  // The wildcards are GUID_NULL (ks.h).
  for (const char* w : {"KSDATAFORMAT_TYPE_WILDCARD", "KSDATAFORMAT_SUBTYPE_WILDCARD",
                        "KSDATAFORMAT_SPECIFIER_WILDCARD"})
    out += std::string("#define ") + w + " GUID_NULL\n#define STATIC_" + w + " STATIC_GUID_NULL\n";
  std::string declared;
  for (const char* name : kKsmediaDeclaredOnly)
    if (!defined.count(name)) declared += (declared.empty() ? "" : ", ") + std::string(name);
  out += "EXTERN_C const GUID " + declared + ";\n";
  return out + "#endif\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> stand_in_headers() {
  std::string ks = kKs;
  // The GUIDs follow the macros they use; ks.h's own include guard ends after them.
  const auto end = ks.rfind("#define KSPROPERTY_CONNECTION_ALLOCATORFRAMING_EX 6\n");
  ks.insert(end, "#include <ksframe_guids.h>\n");
  ks += "#include <ksframe_ks_more.h>\n#endif\n";
  std::vector<std::pair<std::string, std::string>> out = {
      {"ntdef.h", kNtdef},
      {"wdm.h", kWdm},
      {"ntddk.h", kNtddk},
      {"windows.h", kWindows},
      {"windef.h", kWindows},
      {"ks.h", ks},
      {"ksmedia.h", kKsmediaHead},
      {"ksframe_guids.h", guid_macros()},
      {"ksframe_formats.h", format_guid_header()},
  };
  // The hand-kept headers define these GUIDs from ksframe's table (their STATIC_ lists too); the
  // generated names skip them.
  std::set<std::string> defined = {"GUID_NULL", "KSDATAFORMAT_TYPE_WILDCARD",
                                   "KSDATAFORMAT_SUBTYPE_WILDCARD",
                                   "KSDATAFORMAT_SPECIFIER_WILDCARD"};
  for (const auto& g : ks::named_guids()) defined.insert(std::string(g.name));
  for (const auto& [name, text] : stand_in_format_guids()) defined.insert(name);
  std::set<std::string> declared = defined;  // the names declared already, with or without value
  for (const char* name : kKsmediaDeclaredOnly) declared.insert(name);
  for (auto& header : more_stand_in_headers(defined, declared)) out.push_back(std::move(header));
  return out;
}

bool is_c_source(const std::string& path) {
  static const char* const kExtensions[] = {".c", ".cpp", ".cc", ".cxx",
                                            ".h", ".hpp", ".hh", ".hxx"};
  for (const char* ext : kExtensions) {
    const std::string e = ext;
    if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0)
      return true;
  }
  return false;
}

std::string to_string(Framing::Kind kind) {
  switch (kind) {
    case Framing::Kind::SimpleEx:
      return "DECLARE_SIMPLE_FRAMING_EX";
    case Framing::Kind::Ex:
      return "KSALLOCATOR_FRAMING_EX";
    case Framing::Kind::Legacy:
      return "KSALLOCATOR_FRAMING";
  }
  return "";
}

std::string to_string(DataRange::Kind kind) {
  switch (kind) {
    case DataRange::Kind::Video:
      return "video";
    case DataRange::Kind::Audio:
      return "audio";
    case DataRange::Kind::Plain:
      return "plain";
  }
  return "";
}

}  // namespace ksframe::cimport
