#include "tapecore/unit/stream_buffers.h"

#include <sys/mman.h>

#include <chrono>
#include <thread>

namespace tsfs {

namespace {

void* MapBuffer(size_t bytes) {
  // No MAP_POPULATE: a page is taken when a slot first uses it. The threads
  // reuse the slots they just emptied, so a stream that never fills the
  // buffers touches only a few slots; populating 2 GiB at every open cost
  // seconds (on a VM whose host backs guest pages on first touch, about 3 s
  // per GiB here) and counted in RSS even when unused. The kernel's
  // overcommit check still refuses an impossible size at once.
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  // Huge pages where the kernel has them: one fault per 2 MiB instead of
  // 512 (a hint; refused or unsupported, the buffer works the same).
  (void)madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}

void UnmapBuffer(void* p, size_t bytes) { munmap(p, bytes); }

constexpr auto kRetryInterval = std::chrono::milliseconds(200);

}  // namespace

Result<std::unique_ptr<StreamBuffers>> StreamBuffers::Allocate(size_t bytes_each, bool openfail,
                                                               const WaitFn& on_wait) {
  return Allocate(bytes_each, openfail, on_wait, MapBuffer, UnmapBuffer);
}

Result<std::unique_ptr<StreamBuffers>> StreamBuffers::Allocate(size_t bytes_each, bool openfail,
                                                               const WaitFn& on_wait,
                                                               const AllocFn& alloc, FreeFn free) {
  if (bytes_each == 0) return Status::Error(ErrorCode::kInvalidArgument, "empty stream buffer");
  bool waited = false;
  for (;;) {
    void* a = alloc(bytes_each);
    void* b = a ? alloc(bytes_each) : nullptr;
    if (a && b) {
      return std::unique_ptr<StreamBuffers>(new StreamBuffers(
          bytes_each, static_cast<uint8_t*>(a), static_cast<uint8_t*>(b), std::move(free)));
    }
    if (a) free(a, bytes_each);
    if (openfail) {
      return Status::Error(ErrorCode::kNoMemory, "cannot allocate two streaming buffers of " +
                                                     std::to_string(bytes_each / 1024) + " KiB");
    }
    if (!waited && on_wait) on_wait();
    waited = true;
    std::this_thread::sleep_for(kRetryInterval);
  }
}

StreamBuffers::StreamBuffers(size_t bytes, uint8_t* a, uint8_t* b, FreeFn free)
    : bytes_(bytes), data_{a, b}, free_(std::move(free)) {}

StreamBuffers::~StreamBuffers() {
  free_(data_[0], bytes_);
  free_(data_[1], bytes_);
}

}  // namespace tsfs
