/* A transport-stream tuner in the shape BDA drivers use (a fixture written for ksframe's include
 * tests): one output pin of 188-byte packets, its framing from macros of its own header. */
#include <ntddk.h>
#include <ks.h>
#include <ksmedia.h>
#include "tuner.h"

DECLARE_SIMPLE_FRAMING_EX(
    TsFraming,
    STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
    KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY | KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY,
    TS_FRAMES,
    FILE_BYTE_ALIGNMENT,
    TS_FRAME_BYTES,
    TS_FRAME_BYTES);

const KSDATARANGE TsRange = {
    sizeof(KSDATARANGE),
    0,
    TS_PACKET_BYTES,
    0,
    STATICGUIDOF(KSDATAFORMAT_TYPE_STREAM),
    STATICGUIDOF(KSDATAFORMAT_TYPE_MPEG2_TRANSPORT),
    STATICGUIDOF(KSDATAFORMAT_SPECIFIER_BDA_TRANSPORT)
};

const PKSDATARANGE TsRanges[] = { (PKSDATARANGE)&TsRange };

const KSPIN_DESCRIPTOR_EX TunerPins[] = {
    {
        NULL,
        NULL,
        {
            0, NULL, 0, NULL,
            SIZEOF_ARRAY(TsRanges),
            TsRanges,
            KSPIN_DATAFLOW_OUT,
            KSPIN_COMMUNICATION_BOTH,
            NULL,
            NULL,
            0
        },
        KSPIN_FLAG_DO_NOT_INITIATE_PROCESSING,
        1,
        0,
        &TsFraming,
        NULL
    },
};

DEFINE_KSFILTER_DESCRIPTOR(TunerFilter) {
    NULL,
    NULL,
    KSFILTER_DESCRIPTOR_VERSION,
    0,
    NULL,
    DEFINE_KSFILTER_PIN_DESCRIPTORS(TunerPins),
    DEFINE_KSFILTER_CATEGORY(KSCATEGORY_BDA_RECEIVER_COMPONENT),
    DEFINE_KSFILTER_NODE_DESCRIPTORS_NULL,
    DEFINE_KSFILTER_DEFAULT_CONNECTIONS,
    NULL
};
