// --stats of tstape read and write: the bytes and seconds of the data phase,
// timed inside tstape with a monotonic clock, so that a benchmark compares
// streaming and not the start of a process, the open of the drive or the
// catalog.
#pragma once

#include <chrono>
#include <cstdint>

namespace tsfs::tstape {

class DataPhaseStats final {
 public:
  DataPhaseStats() = default;
  void Start() { start_ = std::chrono::steady_clock::now(); }
  void Stop() { stop_ = std::chrono::steady_clock::now(); }
  // "tstape read: 524288000 bytes in 0.412345 s, 1271.5 MB/s (data phase)"
  // on stderr (MB = 10^6 bytes).
  void Print(const char* command, uint64_t bytes) const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point stop_;
};

}  // namespace tsfs::tstape
