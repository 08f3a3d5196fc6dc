/* A driver whose one pin is a single KSPIN_DESCRIPTOR_EX, not a table (a fixture written for
 * ksframe's tests): the code creates the pin factory from it at run time. */
#include <ks.h>
#include <ksmedia.h>

DECLARE_SIMPLE_FRAMING_EX(TemplateFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
                          KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 2, FILE_QUAD_ALIGNMENT,
                          4096, 4096);

const KSPIN_DESCRIPTOR_EX TemplatePin = {
    NULL, NULL,
    { DEFINE_KSPIN_DEFAULT_INTERFACES, DEFINE_KSPIN_DEFAULT_MEDIUMS, 0, NULL,
      KSPIN_DATAFLOW_IN, KSPIN_COMMUNICATION_BOTH, NULL, NULL, 0 },
    KSPIN_FLAG_DO_NOT_USE_STANDARD_TRANSPORT | KSPIN_FLAG_FIXED_FORMAT,
    1, 0, &TemplateFraming, NULL
};
