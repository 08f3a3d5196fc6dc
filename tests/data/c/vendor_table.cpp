/* A pin table whose automation table is declared through a vendor macro the build's headers
 * define and the given flags do not (a fixture written for ksframe's tests). */
#include <ks.h>
VENDOR_AUTOMATION_TABLE(PinAutomation) {
    0, 0, NULL
};
const KSPIN_DESCRIPTOR_EX VendorPins[1] = {
    { NULL, &PinAutomation,
      { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_BOTH, NULL, NULL, 0 },
      0, 1, 0, NULL, NULL }
};
