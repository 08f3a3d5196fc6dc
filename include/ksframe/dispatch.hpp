// KSALLOCATOR_DISPATCH (reference 4.5, 4.6) and the property-buffer allocator PFNKSALLOCATOR with
// the framing property handlers it serves (reference 5.2, 7.3).
//
// VendorAllocatorHost plays AVStream's part: it calls a pin's InitializeAllocator only when
// negotiation chose that pin, with the legacy framing of reference 8.2; it hands the context to
// Allocate and Free; and it calls DeleteAllocator exactly once, after the pipe closed and every
// frame came back. ReferenceVendorAllocator is a vendor allocator to drive through it: a device
// pool of `pool_frames` frames with injectable failures.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <set>
#include <span>
#include <vector>

#include "ksframe/ks.hpp"

namespace ksframe::engine {

/// The four callbacks, with ks.h's shapes (PFNKSPININITIALIZEALLOCATOR, PFNKSDELETEALLOCATOR,
/// PFNKSDEFAULTALLOCATE, PFNKSDEFAULTFREE). `pin` stands for the PKSPIN.
struct KSALLOCATOR_DISPATCH {
  ks::NTSTATUS (*InitializeAllocator)(void* pin, const ks::KSALLOCATOR_FRAMING* framing,
                                      void** context);
  void (*DeleteAllocator)(void* context);
  void* (*Allocate)(void* context);
  void (*Free)(void* context, void* buffer);
};

/// A vendor allocator: a device pool of frames (0: unlimited), with failure injection.
struct ReferenceVendorAllocatorConfig {
  ks::ULONG pool_frames = 0;
  bool fail_initialize = false;
  double allocation_failure_rate = 0.0;
  std::uint64_t seed = 1;
};
/// The dispatch table of the reference vendor allocator; `pin` must point at a
/// ReferenceVendorAllocatorConfig.
const KSALLOCATOR_DISPATCH& reference_vendor_dispatch();

/// AVStream's side of the contract.
class VendorAllocatorHost {
 public:
  VendorAllocatorHost(const KSALLOCATOR_DISPATCH& dispatch, void* pin);
  ~VendorAllocatorHost();  ///< closes and, once frames are back, deletes
  /// InitializeAllocator with the negotiated legacy framing; a failure is returned, not thrown.
  ks::NTSTATUS initialize(const ks::KSALLOCATOR_FRAMING& framing);
  void* allocate();        ///< Allocate(context), or nullptr
  bool free(void* frame);  ///< Free(context, frame); false for a frame it did not hand out
  /// The pipe stops: DeleteAllocator runs now if no frame is outstanding, else after the last free.
  void close();
  bool deleted() const { return deleted_; }
  std::size_t outstanding() const;
  std::uint64_t delete_calls() const { return delete_calls_; }

 private:
  void maybe_delete();  // locked
  const KSALLOCATOR_DISPATCH& dispatch_;
  void* pin_;
  void* context_ = nullptr;
  bool initialized_ = false, closed_ = false, deleted_ = false;
  std::uint64_t delete_calls_ = 0;
  std::set<void*> outstanding_;
  mutable std::mutex mutex_;
};

/// PFNKSALLOCATOR: allocates the system buffer of a property request (Irp, BufferSize,
/// InputOperation). Returns the buffer or nullptr with a status.
struct PropertyBufferAllocator {
  virtual ~PropertyBufferAllocator() = default;
  virtual ks::NTSTATUS allocate(std::size_t buffer_size, bool input_operation,
                                std::vector<std::uint8_t>* buffer) = 0;
};

/// A PFNKSALLOCATOR that allocates from the heap, optionally failing (to test the failure path).
class HeapPropertyBufferAllocator : public PropertyBufferAllocator {
 public:
  explicit HeapPropertyBufferAllocator(bool fail = false) : fail_(fail) {}
  ks::NTSTATUS allocate(std::size_t buffer_size, bool input_operation,
                        std::vector<std::uint8_t>* buffer) override;
  std::uint64_t calls = 0;
  std::uint64_t bytes = 0;

 private:
  bool fail_;
};

struct PropertyResult {
  ks::NTSTATUS status = ks::status::SUCCESS;
  std::uint64_t information = 0;     ///< Irp->IoStatus.Information: bytes needed or written
  std::vector<std::uint8_t> buffer;  ///< the bytes returned (the ks.h layout)
};

/// KSPROPERTY_CONNECTION_ALLOCATORFRAMING_EX get on a pin whose descriptor's AllocatorFraming is
/// `framing` (nullptr: none). Output length 0: STATUS_BUFFER_OVERFLOW with the size; shorter
/// than 24 + 88 x CountItems: STATUS_BUFFER_TOO_SMALL; no framing: STATUS_NOT_FOUND.
PropertyResult get_allocator_framing_ex(const ks::KSALLOCATOR_FRAMING_EX* framing,
                                        std::uint32_t output_length,
                                        PropertyBufferAllocator& allocator);
/// KSPROPERTY_CONNECTION_ALLOCATORFRAMING get (24 bytes), same size rules.
PropertyResult get_allocator_framing(const ks::KSALLOCATOR_FRAMING* framing,
                                     std::uint32_t output_length,
                                     PropertyBufferAllocator& allocator);

}  // namespace ksframe::engine
