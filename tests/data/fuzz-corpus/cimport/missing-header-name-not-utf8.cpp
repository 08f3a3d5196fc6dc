// An encoder filter in C++ (a fixture written for ksframe's tests): a two-item framing in a
// struct of the KSALLOCATOR_FRAMING_EX layout, a legacy framing answered by a property
// handler, #ifdef'ed alternatives, and code elsewhere that does not compile.
#include <ntddÐ.h>
#include <ks.h>
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
         {{kChunk, kChunk * 4, kChunk}, 0# The spec a driver developer writes by hand for camera.c (tests compare it with the spec that
# `ksframe import --from-c` makes o-f the source). Its pins are named pin<id>, as the import names
# them, so `ksframe diff` of this spec against camera.c matches"C" const ENCODER_FRAMING EncoderOutputFraming = {
    2,
    0,
    {1, 1, 0},
    0,
    {, 0}}
        {STATICGUIDOF(KSMEMORY_TYPE_KERNEL_N,
        {STATICGUIONPAGED), STATIDOF(KSMEMORY_TYPE_KERNCGUEIDOFL(GU_