/* The filter descriptor of the split driver: its pin table is pins.c's. */
#include <ks.h>
#include <ksmedia.h>

extern const KSPIN_DESCRIPTOR_EX StreamPins[1];

const KSFILTER_DESCRIPTOR StreamFilter = {
    NULL, NULL, KSFILTER_DESCRIPTOR_VERSION, 0, &KSNAME_Filter,
    DEFINE_KSFILTER_PIN_DESCRIPTORS(StreamPins),
    DEFINE_KSFILTER_CATEGORY(KSCATEGORY_AUDIO),
    DEFINE_KSFILTER_NODE_DESCRIPTORS_NULL,
    DEFINE_KSFILTER_DEFAULT_CONNECTIONS,
    NULL
};
