/* A capture filter in the shape AVStream camera drivers use (a fixture written for ksframe's
 * tests): a capture pin and a preview pin share one framing, an input pin from a crossbar,
 * a topology through one node, and a DispatchCreate that edits the framing with KsEdit. */
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
            0, NULL,
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
        { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_IN, KSPIN_COMMUNICATION_BOTH, &PIN_CATEGORY_ANALOGVIDEOIN, NULL, 0 },
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
