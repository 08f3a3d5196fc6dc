/* A pin Create that rewrites its framing at run time (a fixture written for ksframe's tests):
 * flags, memory type and sizes. */
#include <ks.h>
#include <ksmedia.h>

DECLARE_SIMPLE_FRAMING_EX(EditedFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
                          KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 2, FILE_QUAD_ALIGNMENT,
                          4096, 4096);

NTSTATUS EditCreate(PKSPIN Pin, PIRP Irp)
{
    PKSALLOCATOR_FRAMING_EX Framing;
    NTSTATUS Status = KsEdit(Pin, &Pin->Descriptor->AllocatorFraming, 'tidE');
    if (!NT_SUCCESS(Status)) return Status;
    Framing = (PKSALLOCATOR_FRAMING_EX)Pin->Descriptor->AllocatorFraming;
    Framing->FramingItem[0].Flags = KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY |
                                    KSALLOCATOR_REQUIREMENTF_PREFERENCES_ONLY;
    Framing->FramingItem[0].MemoryType = KSMEMORY_TYPE_KERNEL_PAGED;
    Framing->FramingItem[0].Frames = 6;
    return STATUS_SUCCESS;
}

const KSPIN_DISPATCH EditDispatch = { EditCreate, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };

const KSPIN_DESCRIPTOR_EX EditPins[1] = {
    { &EditDispatch, NULL,
      { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_BOTH, NULL, NULL, 0 },
      0, 1, 0, &EditedFraming, NULL }
};
