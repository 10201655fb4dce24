#include "tapecore/unit/writer_thread.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tsfs {

WriterThread::WriterThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size,
                           const Diagnostics& diag, DeferredError& error,
                           unsigned high_water_percent, uint64_t high_water_max_bytes,
                           DriveTiming* timing)
    : ssc_(ssc),
      block_size_(block_size),
      spans_(CutIntoSlots(buffers, block_size)),
      high_water_slots_(WriteWatermarkSlots(spans_, high_water_percent, high_water_max_bytes)),
      diag_(diag),
      error_(error),
      len_(spans_.size(), 0),
      pacer_(high_water_slots_, timing != nullptr ? *timing : own_timing_) {
  // Slot 0 is filled first, then 1, 2, ... while none has been sent.
  for (size_t i = spans_.size(); i-- > 1;) free_.push_back(i);
  thread_ = std::thread([this] { Run(); });
}

WriterThread::~WriterThread() { Stop(); }

bool WriterThread::AcquireFillLocked(std::unique_lock<std::mutex>& lock) {
  if (fill_ != kNoSlot) return true;
  cv_.wait(lock, [&] { return !free_.empty() || error_.failed(); });
  if (free_.empty()) return false;
  fill_ = free_.back();
  free_.pop_back();
  return true;
}

void WriterThread::QueueFillLocked() {
  full_.push_back(fill_);
  fill_ = kNoSlot;
  cv_.notify_all();
}

bool WriterThread::Put(std::span<const uint8_t> data) {
  std::unique_lock<std::mutex> lock(mu_);
  size_t taken = 0;
  while (!data.empty()) {
    if (!AcquireFillLocked(lock) || error_.failed()) {
      // The call fails as a whole: its bytes do not count as accepted.
      accepted_ -= taken;
      return false;
    }
    size_t& len = len_[fill_];
    const size_t n = std::min(spans_[fill_].size() - len, data.size());
    // The caller's slot is not touched by the thread until it is queued.
    std::memcpy(spans_[fill_].data() + len, data.data(), n);
    len += n;
    accepted_ += n;
    taken += n;
    data = data.subspan(n);
    if (len == spans_[fill_].size()) QueueFillLocked();
  }
  if (error_.failed()) {
    accepted_ -= taken;
    return false;
  }
  return true;
}

void WriterThread::WaitIdleLocked(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return full_.empty(); });
}

void WriterThread::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  if (fill_ != kNoSlot && len_[fill_] > 0 && !error_.failed()) {
    size_t& len = len_[fill_];
    uint8_t* base = spans_[fill_].data();
    const size_t rem = len % block_size_;
    if (rem != 0) {
      padded_tail_.assign(base + len - rem, base + len);
      std::memset(base + len, 0, block_size_ - rem);
      len += block_size_ - rem;
    }
    QueueFillLocked();
  }
  // What is queued goes now, watermark or not; then the drive may stop.
  flushing_ = true;
  cv_.notify_all();
  WaitIdleLocked(lock);
  flushing_ = false;
  pacer_.DriveFlushed();
  if (error_.failed()) {
    if (fill_ != kNoSlot) len_[fill_] = 0;  // nothing more goes to the tape
    padded_tail_.clear();
  }
}

bool WriterThread::padded_tail() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !padded_tail_.empty();
}

void WriterThread::Unpad() {
  std::unique_lock<std::mutex> lock(mu_);
  if (padded_tail_.empty()) return;
  // Idle since the Flush: every slot is free.
  on_tape_bytes_ -= block_size_;
  AcquireFillLocked(lock);
  std::memcpy(spans_[fill_].data(), padded_tail_.data(), padded_tail_.size());
  len_[fill_] = padded_tail_.size();
  padded_tail_.clear();
}

void WriterThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WriterThread::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] {
      if (full_.empty()) return stop_;
      return stop_ || flushing_ || pacer_.MaySend(full_.size(), DriveTiming::Now());
    });
    if (full_.empty()) return;  // stopping with nothing queued
    const size_t i = full_.front();
    const size_t len = len_[i];
    const bool failed = error_.failed();
    lock.unlock();
    Status error;
    const double started = DriveTiming::Now();
    const uint64_t written = failed ? 0 : Send(i, len, &error);
    const double ended = DriveTiming::Now();
    lock.lock();
    // Count what reached the tape before the failure is visible to the
    // caller, so the bytes said lost are exact.
    on_tape_bytes_ += written;
    error_.Set(error);
    len_[i] = 0;
    full_.pop_front();
    // The slot just sent is the next one filled: its pages are the ones
    // already taken (and likely in the cache).
    free_.push_back(i);
    pacer_.Sent(written, ended - started, ended, full_.size());
    cv_.notify_all();
  }
}

uint64_t WriterThread::Send(size_t i, size_t len, Status* error) {
  const uint8_t* base = spans_[i].data();
  uint64_t done = 0;
  while (done < len) {
    const size_t chunk = std::min<uint64_t>(len - done, kMaxBlocksPerCommand * block_size_);
    Result<WriteResult> r = ssc_.Write({base + done, chunk}, block_size_);
    if (!r.ok()) {
      // Blocks before the failing one may have reached the tape (INFORMATION).
      const uint64_t blocks = chunk / block_size_;
      const std::optional<int64_t> residue = r.status().residue();
      if (residue && *residue >= 0 && static_cast<uint64_t>(*residue) <= blocks) {
        done += (blocks - static_cast<uint64_t>(*residue)) * block_size_;
      }
      diag_.CommandFailed(r.status());
      diag_.Line(LogLevel::kError, kMsgWriteBuffer);
      *error = r.status();
      return done;
    }
    done += r->bytes;
    if (r->early_warning) {
      std::lock_guard<std::mutex> lock(mu_);
      early_warning_ = true;
    }
    if (r->bytes < chunk) {
      // Early warning with a residue: what did not go is lost as on overflow.
      *error = Status::Error(ErrorCode::kNoSpace, "end of medium on write");
      return done;
    }
  }
  return done;
}

bool WriterThread::early_warning() const {
  std::lock_guard<std::mutex> lock(mu_);
  return early_warning_;
}

uint64_t WriterThread::blocks_on_tape() const {
  std::lock_guard<std::mutex> lock(mu_);
  return on_tape_bytes_ / block_size_;
}

uint64_t WriterThread::bytes_lost() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accepted_ > on_tape_bytes_ ? accepted_ - on_tape_bytes_ : 0;
}

}  // namespace tsfs
