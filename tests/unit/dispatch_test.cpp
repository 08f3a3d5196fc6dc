// KSALLOCATOR_DISPATCH contract (reference 4.6) and property-buffer requests (reference 5.2).
#include "ksframe/dispatch.hpp"

#include <memory>
#include <string>

#include "helpers.hpp"

using namespace ksframe;
using namespace ksframe::engine;

namespace {

// A dispatch table that records every call, to check the host keeps the contract.
struct Recorder {
  std::vector<std::string> calls;
  ks::KSALLOCATOR_FRAMING framing{};
  int frames_made = 0;
  ks::NTSTATUS init_status = ks::status::SUCCESS;
  std::vector<std::unique_ptr<int>> frames;
};
Recorder* recorder = nullptr;

ks::NTSTATUS rec_init(void* pin, const ks::KSALLOCATOR_FRAMING* f, void** context) {
  recorder->calls.push_back("InitializeAllocator");
  recorder->framing = *f;
  *context = pin;
  return recorder->init_status;
}
void rec_delete(void* context) {
  CHECK(context == recorder);
  recorder->calls.push_back("DeleteAllocator");
}
void* rec_allocate(void* context) {
  CHECK(context == recorder);
  recorder->calls.push_back("Allocate");
  recorder->frames.push_back(std::make_unique<int>(recorder->frames_made++));
  return recorder->frames.back().get();
}
void rec_free(void* context, void*) {
  CHECK(context == recorder);
  recorder->calls.push_back("Free");
}
const KSALLOCATOR_DISPATCH kRecording = {rec_init, rec_delete, rec_allocate, rec_free};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

TEST_SUITE("engine") {
  TEST_CASE(
      "the host calls InitializeAllocator with the legacy framing, and DeleteAllocator once after "
      "the last free") {
    Recorder r;
    recorder = &r;
    {
      VendorAllocatorHost host(kRecording, &r);
      CHECK(host.initialize({0x2, 0, 4, 614400, 3, 0}) == ks::status::SUCCESS);
      CHECK(r.framing == ks::KSALLOCATOR_FRAMING{0x2, 0, 4, 614400, 3, 0});
      void* a = host.allocate();
      void* b = host.allocate();
      CHECK(host.free(a));
      host.close();  // b is still out: no DeleteAllocator yet
      CHECK_FALSE(host.deleted());
      CHECK(host.allocate() == nullptr);  // closed: nothing more is handed out
      CHECK(host.free(b));
      CHECK(host.deleted());
      CHECK_FALSE(host.free(b));  // not outstanding any more
      CHECK(host.initialize({0x2, 0, 4, 64, 0, 0}) == ks::status::INVALID_DEVICE_REQUEST);
    }
    CHECK(joined(r.calls) == "InitializeAllocator,Allocate,Allocate,Free,Free,DeleteAllocator");
    recorder = nullptr;
  }

  TEST_CASE("a failing InitializeAllocator is reported and nothing else is called") {
    Recorder r;
    r.init_status = ks::status::INSUFFICIENT_RESOURCES;
    recorder = &r;
    {
      VendorAllocatorHost host(kRecording, &r);
      CHECK(host.initialize({0x2, 0, 4, 64, 0, 0}) == ks::status::INSUFFICIENT_RESOURCES);
      CHECK(host.allocate() == nullptr);
      host.close();
      CHECK_FALSE(host.deleted());
    }
    CHECK(joined(r.calls) == "InitializeAllocator");
    recorder = nullptr;
  }

  TEST_CASE("the reference vendor allocator: device pool, exhaustion, injected failures") {
    ReferenceVendorAllocatorConfig pool{2, false, 0.0, 1};
    VendorAllocatorHost host(reference_vendor_dispatch(), &pool);
    REQUIRE(host.initialize({0, 0, 6, 3110400, 0xFF, 0}) == ks::status::SUCCESS);
    void* a = host.allocate();
    void* b = host.allocate();
    REQUIRE(a);
    REQUIRE(b);
    CHECK((reinterpret_cast<std::uintptr_t>(a) & 0xFF) == 0);
    CHECK(host.allocate() == nullptr);  // a pool of two frames
    CHECK(host.free(a));
    CHECK(host.allocate() == a);
    host.free(a);
    host.free(b);
    host.close();
    CHECK(host.delete_calls() == 1);

    ReferenceVendorAllocatorConfig fail_init{0, true, 0.0, 1};
    VendorAllocatorHost refused(reference_vendor_dispatch(), &fail_init);
    CHECK(refused.initialize({0, 0, 2, 64, 0, 0}) == ks::status::INSUFFICIENT_RESOURCES);

    ReferenceVendorAllocatorConfig always{4, false, 1.0, 1};
    VendorAllocatorHost failing(reference_vendor_dispatch(), &always);
    REQUIRE(failing.initialize({0, 0, 4, 64, 0, 0}) == ks::status::SUCCESS);
    for (int i = 0; i < 10; ++i) CHECK(failing.allocate() == nullptr);
  }

  TEST_CASE(
      "KSPROPERTY_CONNECTION_ALLOCATORFRAMING_EX get: probe, short buffer, success (ref 5.2)") {
    auto ex = ks::simple_framing_ex(ks::memtype::KERNEL_NONPAGED, 0x80000002, 2, 0, 8192, 8192);
    ex.FramingItem.push_back(ex.FramingItem[0]);
    ex.CountItems = 2;
    HeapPropertyBufferAllocator heap;
    auto probe = get_allocator_framing_ex(&ex, 0, heap);
    CHECK(probe.status == ks::status::BUFFER_OVERFLOW);
    CHECK(probe.information == 200);  // 24 + 88 x 2
    auto small = get_allocator_framing_ex(&ex, 199, heap);
    CHECK(small.status == ks::status::BUFFER_TOO_SMALL);
    CHECK(small.information == 200);
    CHECK(heap.calls == 0);  // no buffer is allocated for a request that cannot succeed
    auto ok = get_allocator_framing_ex(&ex, 4096, heap);
    CHECK(ok.status == ks::status::SUCCESS);
    CHECK(ok.information == 200);
    CHECK(ok.buffer == ks::encode(ex));
    CHECK(heap.calls == 1);
    CHECK(heap.bytes == 4096);  // the property buffer is the output length the caller gave
    auto decoded = ks::decode_framing_ex(ok.buffer);
    REQUIRE(decoded);
    CHECK(*decoded.value == ex);
    CHECK(get_allocator_framing_ex(nullptr, 200, heap).status == ks::status::NOT_FOUND);
    HeapPropertyBufferAllocator failing(true);
    auto refused = get_allocator_framing_ex(&ex, 200, failing);
    CHECK(refused.status == ks::status::INSUFFICIENT_RESOURCES);
    CHECK(refused.information == 0);
  }

  TEST_CASE("KSPROPERTY_CONNECTION_ALLOCATORFRAMING get: 24 bytes") {
    ks::KSALLOCATOR_FRAMING f{0x80000002, 0, 8, 1920, 3, 0};
    HeapPropertyBufferAllocator heap;
    CHECK(get_allocator_framing(&f, 0, heap).information == 24);
    CHECK(get_allocator_framing(&f, 23, heap).status == ks::status::BUFFER_TOO_SMALL);
    auto ok = get_allocator_framing(&f, 24, heap);
    CHECK(ok.status == ks::status::SUCCESS);
    CHECK(*ks::decode_framing(ok.buffer).value == f);
  }
}
