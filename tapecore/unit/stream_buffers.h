// StreamBuffers: the two streaming buffers of a unit (ts: "two buffers, each
// of this size, allocated when the device is opened, released when it is
// closed"). Each buffer is its own anonymous mapping: an impossible size fails
// at once (the kernel's overcommit check), and its pages are taken only when
// a slot first uses them, so RSS grows with the slots a stream really fills.
//
// Ownership: owns both mappings, unmapped in the destructor.
// Thread-safety: the object is immutable after Allocate; the bytes of a
// buffer are handed between threads by WriterThread/ReaderThread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "tapecore/status.h"

namespace tsfs {

class StreamBuffers final {
 public:
  // Returns memory of `bytes` bytes or nullptr. Injected by tests.
  using AllocFn = std::function<void*(size_t bytes)>;
  using FreeFn = std::function<void(void*, size_t bytes)>;
  // Called once when an allocation failed and the open waits (no openfail).
  using WaitFn = std::function<void()>;

  // openfail: kNoMemory when the memory cannot be had; otherwise wait and
  // retry until it can.
  static Result<std::unique_ptr<StreamBuffers>> Allocate(size_t bytes_each, bool openfail,
                                                         const WaitFn& on_wait = {});
  static Result<std::unique_ptr<StreamBuffers>> Allocate(size_t bytes_each, bool openfail,
                                                         const WaitFn& on_wait,
                                                         const AllocFn& alloc, FreeFn free);
  ~StreamBuffers();
  StreamBuffers(const StreamBuffers&) = delete;
  StreamBuffers& operator=(const StreamBuffers&) = delete;

  size_t size() const { return bytes_; }
  std::span<uint8_t> buffer(int i) { return {data_[i], bytes_}; }

 private:
  StreamBuffers(size_t bytes, uint8_t* a, uint8_t* b, FreeFn free);
  size_t bytes_;
  uint8_t* data_[2];
  FreeFn free_;
};

}  // namespace tsfs
