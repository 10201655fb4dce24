#include "tapecore/tstape/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace tsfs::tstape {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// "1:02:03" or "2:03".
void FormatDuration(double secs, char* buf, size_t size) {
  const auto s = static_cast<unsigned long long>(std::llround(secs));
  if (s >= 3600) {
    std::snprintf(buf, size, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, size, "%llu:%02llu", s / 60, s % 60);
  }
}

}  // namespace

bool ProgressWanted(bool quiet) { return !quiet && isatty(STDERR_FILENO) == 1; }

Progress::Progress(const char* verb, bool enabled, std::optional<uint64_t> total)
    : verb_(verb),
      enabled_(enabled),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { Done(); }

void Progress::Add(uint64_t bytes) {
  bytes_ += bytes;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  Print(false);
}

void Progress::Done() {
  if (done_) return;
  done_ = true;
  if (enabled_) Print(true);
}

void Progress::Print(bool final_line) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? static_cast<double>(bytes_) / secs : 0;
  char amount[96];
  if (total_ && *total_ > 0 && !final_line) {
    std::snprintf(amount, sizeof(amount), "%.1f MiB of %.1f MiB (%llu%%)",
                  static_cast<double>(bytes_) / kMiB, static_cast<double>(*total_) / kMiB,
                  static_cast<unsigned long long>(bytes_ * 100 / *total_));
  } else {
    std::snprintf(amount, sizeof(amount), "%.1f MiB", static_cast<double>(bytes_) / kMiB);
  }
  char when[48] = "";
  if (final_line) {
    char d[24];
    FormatDuration(secs, d, sizeof(d));
    std::snprintf(when, sizeof(when), "  in %s", d);
  } else if (total_ && rate > 0 && *total_ > bytes_) {
    char d[24];
    FormatDuration(static_cast<double>(*total_ - bytes_) / rate, d, sizeof(d));
    std::snprintf(when, sizeof(when), "  ETA %s", d);
  }
  // \033[K clears what a longer earlier line left on the right.
  std::fprintf(stderr, "\r%s %s  %.1f MB/s%s\033[K%s", verb_, amount, rate / 1e6, when,
               final_line ? "\n" : "");
  std::fflush(stderr);
}

ElapsedTicker::ElapsedTicker(const char* verb, bool enabled)
    : verb_(verb), start_(std::chrono::steady_clock::now()) {
  if (!enabled) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) Print(false);
  });
}

ElapsedTicker::~ElapsedTicker() { Done(); }

void ElapsedTicker::Done() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Print(true);
}

void ElapsedTicker::Print(bool final_line) const {
  char d[24];
  FormatDuration(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
                 d, sizeof(d));
  std::fprintf(stderr, "\r%s: %s %s\033[K%s", verb_, d, final_line ? "done" : "elapsed",
               final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace tsfs::tstape
