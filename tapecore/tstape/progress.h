// Progress lines of the long tstape operations, on stderr and only when
// stderr is a terminal (a script or a pipe sees nothing); --quiet turns them
// off on a terminal too.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

namespace tsfs::tstape {

// Whether progress lines are shown: stderr is a terminal and not quiet.
bool ProgressWanted(bool quiet);

// A byte count: "\rread 12.0 MiB of 40.0 MiB (30%)  34.5 MB/s  ETA 0:01"
// every half second, the total and ETA only when the size is known; a last
// line with the whole count and time when done.
class Progress final {
 public:
  Progress(const char* verb, bool enabled, std::optional<uint64_t> total = std::nullopt);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void Add(uint64_t bytes);
  void Done();

 private:
  void Print(bool final_line);
  const char* verb_;
  bool enabled_;
  std::optional<uint64_t> total_;
  bool done_ = false;
  uint64_t bytes_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

// For an operation that reports nothing while it runs (erase, retension):
// "\rerase: 0:42 elapsed" once a second from a thread, then a last line.
class ElapsedTicker final {
 public:
  ElapsedTicker(const char* verb, bool enabled);
  ~ElapsedTicker();
  ElapsedTicker(const ElapsedTicker&) = delete;
  ElapsedTicker& operator=(const ElapsedTicker&) = delete;
  void Done();

 private:
  void Print(bool final_line) const;
  const char* verb_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tsfs::tstape
