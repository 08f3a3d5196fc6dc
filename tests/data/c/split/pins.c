/* The pins of the split driver: the ranges are formats.c's, declared here only. */
#include <ks.h>
#include <ksmedia.h>

extern const PKSDATARANGE StreamRanges[1];

DECLARE_SIMPLE_FRAMING_EX(StreamFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
                          KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 8, FILE_LONG_ALIGNMENT,
                          64, 64);

const KSPIN_DESCRIPTOR_EX StreamPins[] = {
    { NULL, NULL,
      { 0, NULL, 0, NULL, SIZEOF_ARRAY(StreamRanges), StreamRanges, KSPIN_DATAFLOW_OUT,
        KSPIN_COMMUNICATION_BOTH, NULL, NULL, 0 },
      0, 1, 0, &StreamFraming, NULL },
};
