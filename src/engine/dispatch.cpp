// KSALLOCATOR_DISPATCH host, the reference vendor allocator, and the property-buffer path.
#include "ksframe/dispatch.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "platform/platform.hpp"

namespace ksframe::engine {
namespace {

// The context InitializeAllocator stores: it must lead back to everything the other three
// callbacks need, because they receive only the context (reference 4.6).
struct VendorContext {
  ks::KSALLOCATOR_FRAMING framing;
  ReferenceVendorAllocatorConfig config;
  std::mt19937_64 random;
  std::size_t alignment;
  std::vector<void*> pool;  // device memory, allocated up front like on-board RAM
  std::vector<void*> free;
  std::mutex mutex;
};

ks::NTSTATUS vendor_initialize(void* pin, const ks::KSALLOCATOR_FRAMING* framing, void** context) {
  const auto* config = static_cast<const ReferenceVendorAllocatorConfig*>(pin);
  if (!framing || !context) return ks::status::INVALID_PARAMETER;
  if (config->fail_initialize) return ks::status::INSUFFICIENT_RESOURCES;
  if (framing->FrameSize == 0) return ks::status::INVALID_PARAMETER;
  auto* c = new VendorContext{*framing,
                              *config,
                              std::mt19937_64(config->seed),
                              std::max<std::size_t>(std::size_t{framing->FileAlignment} + 1, 16),
                              {},
                              {},
                              {}};
  const ks::ULONG frames = config->pool_frames ? config->pool_frames : framing->Frames;
  const std::size_t size = (framing->FrameSize + c->alignment - 1) / c->alignment * c->alignment;
  for (ks::ULONG i = 0; i < frames; ++i) {
    void* block = platform::aligned_allocate(c->alignment, size);
    if (!block) break;
    c->pool.push_back(block);
  }
  c->free = c->pool;
  *context = c;
  return ks::status::SUCCESS;
}

void vendor_delete(void* context) {
  auto* c = static_cast<VendorContext*>(context);
  for (void* block : c->pool) platform::aligned_free(block);
  delete c;
}

void* vendor_allocate(void* context) {
  auto* c = static_cast<VendorContext*>(context);
  std::lock_guard lock(c->mutex);
  if (c->config.allocation_failure_rate > 0 &&
      std::uniform_real_distribution<double>(0, 1)(c->random) < c->config.allocation_failure_rate)
    return nullptr;
  if (c->free.empty()) return nullptr;
  void* frame = c->free.back();
  c->free.pop_back();
  return frame;
}

void vendor_free(void* context, void* buffer) {
  auto* c = static_cast<VendorContext*>(context);
  std::lock_guard lock(c->mutex);
  c->free.push_back(buffer);
}

const KSALLOCATOR_DISPATCH kReferenceVendorDispatch = {vendor_initialize, vendor_delete,
                                                       vendor_allocate, vendor_free};

PropertyResult serve(std::vector<std::uint8_t> bytes, std::uint32_t output_length,
                     PropertyBufferAllocator& allocator) {
  PropertyResult r;
  r.information = bytes.size();
  if (output_length == 0) {  // a size probe
    r.status = ks::status::BUFFER_OVERFLOW;
    return r;
  }
  if (output_length < bytes.size()) {
    r.status = ks::status::BUFFER_TOO_SMALL;
    return r;
  }
  r.status = allocator.allocate(output_length, false, &r.buffer);
  if (r.status != ks::status::SUCCESS) {
    r.information = 0;
    return r;
  }
  std::copy(bytes.begin(), bytes.end(), r.buffer.begin());
  r.buffer.resize(bytes.size());
  return r;
}

}  // namespace

const KSALLOCATOR_DISPATCH& reference_vendor_dispatch() { return kReferenceVendorDispatch; }

VendorAllocatorHost::VendorAllocatorHost(const KSALLOCATOR_DISPATCH& dispatch, void* pin)
    : dispatch_(dispatch), pin_(pin) {}

VendorAllocatorHost::~VendorAllocatorHost() {
  std::lock_guard lock(mutex_);
  // Frames still out at destruction are the caller's leak; the allocator is deleted regardless
  // so the device pool is not leaked as well.
  closed_ = true;
  outstanding_.clear();
  maybe_delete();
}

ks::NTSTATUS VendorAllocatorHost::initialize(const ks::KSALLOCATOR_FRAMING& framing) {
  std::lock_guard lock(mutex_);
  if (initialized_) return ks::status::INVALID_DEVICE_REQUEST;
  const ks::NTSTATUS status = dispatch_.InitializeAllocator(pin_, &framing, &context_);
  initialized_ = status == ks::status::SUCCESS;
  return status;
}

void* VendorAllocatorHost::allocate() {
  std::lock_guard lock(mutex_);
  if (!initialized_ || closed_) return nullptr;
  void* frame = dispatch_.Allocate(context_);
  if (frame) outstanding_.insert(frame);
  return frame;
}

bool VendorAllocatorHost::free(void* frame) {
  std::lock_guard lock(mutex_);
  if (!outstanding_.erase(frame)) return false;
  dispatch_.Free(context_, frame);
  maybe_delete();
  return true;
}

void VendorAllocatorHost::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  maybe_delete();
}

void VendorAllocatorHost::maybe_delete() {
  if (!initialized_ || !closed_ || deleted_ || !outstanding_.empty()) return;
  dispatch_.DeleteAllocator(context_);
  deleted_ = true;
  ++delete_calls_;
}

std::size_t VendorAllocatorHost::outstanding() const {
  std::lock_guard lock(mutex_);
  return outstanding_.size();
}

ks::NTSTATUS HeapPropertyBufferAllocator::allocate(std::size_t buffer_size, bool,
                                                   std::vector<std::uint8_t>* buffer) {
  ++calls;
  if (fail_) return ks::status::INSUFFICIENT_RESOURCES;
  buffer->assign(buffer_size, 0);
  bytes += buffer_size;
  return ks::status::SUCCESS;
}

PropertyResult get_allocator_framing_ex(const ks::KSALLOCATOR_FRAMING_EX* framing,
                                        std::uint32_t output_length,
                                        PropertyBufferAllocator& allocator) {
  if (!framing) return {ks::status::NOT_FOUND, 0, {}};
  return serve(ks::encode(*framing), output_length, allocator);
}

PropertyResult get_allocator_framing(const ks::KSALLOCATOR_FRAMING* framing,
                                     std::uint32_t output_length,
                                     PropertyBufferAllocator& allocator) {
  if (!framing) return {ks::status::NOT_FOUND, 0, {}};
  auto bytes = ks::encode(*framing);
  return serve({bytes.begin(), bytes.end()}, output_length, allocator);
}

}  // namespace ksframe::engine
