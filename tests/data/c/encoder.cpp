// An encoder filter in C++ (a fixture written for ksframe's tests): a two-item framing in a
// struct of the KSALLOCATOR_FRAMING_EX layout, a legacy framing answered by a property handler,
// #ifdef'ed alternatives, video, audio and stream ranges, and code elsewhere that does not compile.
#include <ntddk.h>
#include <ks.h>
#include <ksmedia.h>
#include "camera.h"

namespace encoder {

constexpr ULONG kChunk = 188 * 7;

struct ENCODER_FRAMING {
    ULONG CountItems;
    ULONG PinFlags;
    KS_COMPRESSION OutputCompression;
    ULONG PinWeight;
    KS_FRAMING_ITEM FramingItem[2];
};

extern "C" const ENCODER_FRAMING EncoderOutputFraming = {
    2,
    0,
    {1, 1, 0},
    0,
    {
        {STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED), STATICGUIDOF(GUID_NULL), 0, 0,
         KSALLOCATOR_REQUIREMENTF_MUST_ALLOCATE | KSALLOCATOR_FLAG_CAN_ALLOCATE, 16, FILE_OCTA_ALIGNMENT, 0,
         {0, (ULONG)-1, 1},
         {{kChunk, kChunk * 4, kChunk}, 0, 0}},
        {STATICGUIDOF(KSMEMORY_TYPE_KERNEL_PAGED), STATICGUIDOF(GUID_NULL), 0, 0,
         KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 8, FILE_BYTE_ALIGNMENT, 0,
         {0, (ULONG)-1, 1},
         {{kChunk, kChunk, 1}, 0, 0}},
    },
};

#if defined(ENCODER_HD)
DECLARE_SIMPLE_FRAMING_EX(EncoderInputFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
                          KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 3, FILE_LONG_ALIGNMENT,
                          1920 * 1080 * 2, 1920 * 1080 * 2);
#else
DECLARE_SIMPLE_FRAMING_EX(EncoderInputFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
                          KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 3, FILE_LONG_ALIGNMENT,
                          CAM_FRAME_BYTES, CAM_FRAME_BYTES);
#endif

// What the legacy framing property answers.
const KSALLOCATOR_FRAMING EncoderLegacyFraming = {
    {KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY},
    NonPagedPool,
    6,
    kChunk,
    {FILE_LONG_ALIGNMENT},
    0,
};

// The video it encodes: NV12 of the camera's size, biSizeImage left 0 (the header's numbers give
// it: 320 x 240 x 12 bits = 115200 bytes).
const KS_DATARANGE_VIDEO EncoderVideoIn = {
    {sizeof(KS_DATARANGE_VIDEO), 0, 0, 0, STATICGUIDOF(KSDATAFORMAT_TYPE_VIDEO),
     STATICGUIDOF(MEDIASUBTYPE_NV12), STATICGUIDOF(KSDATAFORMAT_SPECIFIER_VIDEOINFO)},
    TRUE, FALSE, 0, 0,
    {},
    {{0, 0, 0, 0}, {0, 0, 0, 0}, 0, 0, 2 * CAM_FRAME_INTERVAL,
     {sizeof(KS_BITMAPINFOHEADER), CAM_WIDTH, CAM_HEIGHT, 1, 12, MAKEFOURCC('N', 'V', '1', '2'), 0, 0, 0, 0, 0}},
};

// The audio it muxes: 1 or 2 channels of 16-bit PCM at 32 to 48 kHz.
const KSDATARANGE_AUDIO EncoderAudioIn = {
    {sizeof(KSDATARANGE_AUDIO), 0, 0, 0, STATICGUIDOF(KSDATAFORMAT_TYPE_AUDIO), STATICGUIDOF(KSDATAFORMAT_SUBTYPE_PCM),
     STATICGUIDOF(KSDATAFORMAT_SPECIFIER_WAVEFORMATEX)},
    2,
    16,
    16,
    32000,
    48000,
};

// The transport stream it writes: 188-byte packets.
const KSDATARANGE EncoderTransportOut = {
    sizeof(KSDATARANGE), 0, 188, 0, STATICGUIDOF(KSDATAFORMAT_TYPE_STREAM),
    STATICGUIDOF(KSDATAFORMAT_TYPE_MPEG2_TRANSPORT), STATICGUIDOF(KSDATAFORMAT_SPECIFIER_NONE),
};

const PKSDATARANGE EncoderVideoRanges[] = {reinterpret_cast<PKSDATARANGE>(const_cast<KS_DATARANGE_VIDEO*>(&EncoderVideoIn))};
const PKSDATARANGE EncoderAudioRanges[] = {(PKSDATARANGE)&EncoderAudioIn};
const PKSDATARANGE EncoderTransportRanges[] = {const_cast<PKSDATARANGE>(&EncoderTransportOut)};

const KSPIN_DESCRIPTOR_EX EncoderPins[] = {
    {nullptr, nullptr,
     {0, nullptr, 0, nullptr, SIZEOF_ARRAY(EncoderVideoRanges), EncoderVideoRanges, KSPIN_DATAFLOW_IN,
      KSPIN_COMMUNICATION_BOTH, nullptr, nullptr, {0}},
     KSPIN_FLAG_DISPATCH_LEVEL_PROCESSING, 1, 1,
     &EncoderInputFraming, nullptr},
    {nullptr, nullptr,
     {0, nullptr, 0, nullptr, SIZEOF_ARRAY(EncoderTransportRanges), EncoderTransportRanges, KSPIN_DATAFLOW_OUT,
      KSPIN_COMMUNICATION_BOTH, nullptr, nullptr, {0}},
     0, KSINSTANCE_INDETERMINATE, 0,
     reinterpret_cast<const KSALLOCATOR_FRAMING_EX*>(&EncoderOutputFraming), nullptr},
    {nullptr, nullptr,
     {0, nullptr, 0, nullptr, SIZEOF_ARRAY(EncoderAudioRanges), EncoderAudioRanges, KSPIN_DATAFLOW_IN,
      KSPIN_COMMUNICATION_BOTH, &KSCATEGORY_AUDIO, nullptr, {0}},
     0, 1, 0,
     nullptr, nullptr},
};

// The legacy property handler: the framing it answers is code, reported as a note.
NTSTATUS GetAllocatorFraming(PIRP Irp, PKSPROPERTY Property, PKSALLOCATOR_FRAMING Framing)
{
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Property);
    Framing->RequirementsFlags = KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY;
    Framing->PoolType = NonPagedPool;
    Framing->Frames = 6;
    Framing->FrameSize = kChunk;
    Framing->FileAlignment = FILE_LONG_ALIGNMENT;
    return STATUS_SUCCESS;
}

// Code that calls APIs the stand-in headers do not declare and does not even compile: it
// feeds no framing, so it stops nothing.
void EncoderDpc(PVOID Context)
{
    KeAcquireSpinLockAtDpcLevel(Context);
    int broken = ;
    WdfRequestComplete(Context, STATUS_SUCCESS)
}

}  // namespace encoder
