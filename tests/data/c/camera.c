/* A capture filter in the shape AVStream camera drivers use (a fixture written for ksframe's tests):
 * capture and preview pins share a framing and two video formats, an input pin's frames are too small
 * for its format, a topology through one node, and a DispatchCreate that edits the framing (KsEdit). */
#include <ntddk.h>
#include <ks.h>
#include <ksmedia.h>
#include "camera.h"

DECLARE_SIMPLE_FRAMING_EX(
    CaptureFraming,
    STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
    KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY,
    CAM_CAPTURE_FRAMES,
    FILE_QUAD_ALIGNMENT,
    2 * PAGE_SIZE,
    CAM_FRAME_BYTES + sizeof(CAM_HEADER));

/* The input's framing: written out field by field; its range is upside down. */
const KSALLOCATOR_FRAMING_EX CrossbarFraming = {
    1,                       /* CountItems */
    0,                       /* PinFlags */
    { 1, 1, 0 },             /* OutputCompression */
    0,                       /* PinWeight */
    {
        {
            STATICGUIDOF(KSMEMORY_TYPE_KERNEL_PAGED),
            STATICGUIDOF(GUID_NULL),
            0, 0,
            KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY,
            3,
            FILE_LONG_ALIGNMENT,
            0,
            { 0, (ULONG)-1, 1 },
            { { PAGE_SIZE * 4, PAGE_SIZE, 1 }, 0, 0 }
        }
    }
};

/* 320x240 YUY2 at 29.97 frames per second: 640-byte rows, 153600 bytes. */
const KS_DATARANGE_VIDEO CamFormatYUY2 = {
    {
        sizeof(KS_DATARANGE_VIDEO),
        0,
        CAM_FRAME_BYTES,
        0,
        STATICGUIDOF(KSDATAFORMAT_TYPE_VIDEO),
        STATICGUIDOF(KSDATAFORMAT_SUBTYPE_YUY2),
        STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO)
    },
    TRUE,
    FALSE,
    KS_VIDEOSTREAM_CAPTURE,
    0,
    {
        STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO),
        KS_AnalogVideo_None,
        { CAM_WIDTH, CAM_HEIGHT },
        { CAM_WIDTH, CAM_HEIGHT },
        { CAM_WIDTH, CAM_HEIGHT },
        1, 1, 1, 1,
        { CAM_WIDTH, CAM_HEIGHT },
        { CAM_WIDTH, CAM_HEIGHT },
        CAM_WIDTH, CAM_HEIGHT,
        0, 0, 0, 0,
        CAM_FRAME_INTERVAL,
        CAM_FRAME_INTERVAL,
        8 * CAM_FRAME_BYTES * 30,
        8 * CAM_FRAME_BYTES * 30
    },
    {
        { 0, 0, 0, 0 },
        { 0, 0, 0, 0 },
        8 * CAM_FRAME_BYTES * 30,
        0,
        CAM_FRAME_INTERVAL,
        {
            sizeof(KS_BITMAPINFOHEADER),
            CAM_WIDTH,
            CAM_HEIGHT,
            1,
            16,
            mmioFOURCC('Y', 'U', 'Y', '2'),
            CAM_FRAME_BYTES,
            0, 0, 0, 0
        }
    }
};

/* The same size as top-down RGB24 (designated, as newer drivers write it): 960-byte rows. Not
 * const: the pin table points at its DataRange member. */
KS_DATARANGE_VIDEO CamFormatRGB24 = {
    .DataRange = {
        .FormatSize = sizeof(KS_DATARANGE_VIDEO),
        .SampleSize = CAM_WIDTH * CAM_HEIGHT * 3,
        .MajorFormat = { STATICGUIDOF(KSDATAFORMAT_TYPE_VIDEO) },
        .SubFormat = { STATICGUIDOF(MEDIASUBTYPE_RGB24) },
        .Specifier = { STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO) },
    },
    .bFixedSizeSamples = TRUE,
    .VideoInfoHeader = {
        .AvgTimePerFrame = CAM_FRAME_INTERVAL,
        .bmiHeader = {
            .biSize = sizeof(KS_BITMAPINFOHEADER),
            .biWidth = CAM_WIDTH,
            .biHeight = -CAM_HEIGHT,
            .biPlanes = 1,
            .biBitCount = 24,
            .biCompression = KS_BI_RGB,
            .biSizeImage = CAM_WIDTH * CAM_HEIGHT * 3,
        },
    },
};

const PKSDATARANGE CaptureRanges[] = {
    (PKSDATARANGE)&CamFormatYUY2,
    &CamFormatRGB24.DataRange,
};

/* The crossbar delivers YUY2 only. */
const PKSDATARANGE CrossbarRanges[] = {
    (PKSDATARANGE)&CamFormatYUY2,
};

NTSTATUS CapturePinCreate(PKSPIN Pin, PIRP Irp);
NTSTATUS CaptureSetFormat(PKSPIN Pin, PKSDATAFORMAT OldFormat, PKSMULTIPLE_ITEM OldAttributeList,
                          const KSDATARANGE* DataRange, const void* AttributeRange);
NTSTATUS CaptureProcess(PKSPIN Pin);

NTSTATUS CamInitializeAllocator(PVOID InitialContext, PKSALLOCATOR_FRAMING AllocatorFraming, PVOID* Context);
void CamDeleteAllocator(PVOID Context);
PVOID CamAllocate(PVOID Context);
void CamFree(PVOID Context, PVOID Buffer);

const KSALLOCATOR_DISPATCH CamAllocatorDispatch = {
    CamInitializeAllocator, CamDeleteAllocator, CamAllocate, CamFree
};

const KSPIN_DISPATCH CapturePinDispatch = {
    CapturePinCreate, NULL, CaptureProcess, NULL, CaptureSetFormat, NULL, NULL, NULL, NULL,
#ifdef CAM_OWN_ALLOCATOR
    &CamAllocatorDispatch
#else
    NULL
#endif
};

const KSPIN_DESCRIPTOR_EX CameraPins[] = {
    /* Capture: positional, as the WDK samples write it. */
    {
        &CapturePinDispatch,
        NULL,
        {
            DEFINE_KSPIN_DEFAULT_INTERFACES,
            DEFINE_KSPIN_DEFAULT_MEDIUMS,
            SIZEOF_ARRAY(CaptureRanges),
            CaptureRanges,
            KSPIN_DATAFLOW_OUT,
            KSPIN_COMMUNICATION_BOTH,
            &PIN_CATEGORY_CAPTURE,
            &PINNAME_VIDEO_CAPTURE,
            0
        },
        KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY | KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING,
        1,
        0,
        &CaptureFraming,
        NULL
    },
    /* Preview: designated initializers, the same framing object. */
    {
        .Dispatch = &CapturePinDispatch,
        .PinDescriptor = {
            .DataRangesCount = SIZEOF_ARRAY(CaptureRanges),
            .DataRanges = CaptureRanges,
            .DataFlow = KSPIN_DATAFLOW_OUT,
            .Communication = KSPIN_COMMUNICATION_BOTH,
            .Category = &PIN_CATEGORY_PREVIEW,
        },
        .Flags = KSPIN_FLAG_PROCESS_IN_RUN_STATE_ONLY,
        .InstancesPossible = 1,
        .AllocatorFraming = &CaptureFraming,
    },
    /* Analog input from a crossbar. */
    {
        NULL, NULL,
        { 0, NULL, 0, NULL, 1, CrossbarRanges, KSPIN_DATAFLOW_IN, KSPIN_COMMUNICATION_BOTH, &PIN_CATEGORY_ANALOGVIDEOIN, NULL, 0 },
        0,
        1,
        1,
        &CrossbarFraming,
        NULL
    },
};

const KSTOPOLOGY_CONNECTION CameraConnections[] = {
    { KSFILTER_NODE, 2, 0, 0 },
    { 0, 1, KSFILTER_NODE, 0 },
    { 0, 2, KSFILTER_NODE, 1 },
};

DEFINE_KSFILTER_DESCRIPTOR(CameraFilter) {
    NULL,
    NULL,
    KSFILTER_DESCRIPTOR_VERSION,
    KSFILTER_FLAG_CRITICAL_PROCESSING,
    NULL,
    DEFINE_KSFILTER_PIN_DESCRIPTORS(CameraPins),
    DEFINE_KSFILTER_CATEGORY(KSCATEGORY_VIDEO),
    DEFINE_KSFILTER_NODE_DESCRIPTORS_NULL,
    DEFINE_KSFILTER_CONNECTIONS(CameraConnections),
    NULL
};

NTSTATUS CapturePinCreate(PKSPIN Pin, PIRP Irp)
{
    NTSTATUS Status;
    PKSALLOCATOR_FRAMING_EX Framing;
    UNREFERENCED_PARAMETER(Irp);

    Status = KsEdit(Pin, &Pin->Descriptor, CAM_POOL_TAG);
    if (NT_SUCCESS(Status)) {
        Status = KsEdit(Pin, &((PKSPIN_DESCRIPTOR_EX)Pin->Descriptor)->AllocatorFraming, CAM_POOL_TAG);
    }
    if (NT_SUCCESS(Status)) {
        Framing = (PKSALLOCATOR_FRAMING_EX)Pin->Descriptor->AllocatorFraming;
        Framing->FramingItem[0].Frames = 8;
        Framing->FramingItem[0].FramingRange.Range.MinFrameSize = CamQueryImageSize(Pin);
        Framing->FramingItem[0].FramingRange.Range.MaxFrameSize = CamQueryImageSize(Pin);
    }
    return Status;
}
