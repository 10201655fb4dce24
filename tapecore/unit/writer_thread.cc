#include "tapecore/unit/writer_thread.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tsfs {

WriterThread::WriterThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size,
                           const Diagnostics& diag, DeferredError& error,
                           unsigned high_water_percent)
    : ssc_(ssc),
      block_size_(block_size),
      spans_(CutIntoSlots(buffers, block_size)),
      high_water_slots_(WatermarkSlots(spans_.size(), high_water_percent)),
      diag_(diag),
      error_(error),
      slots_(spans_.size()),
      thread_([this] { Run(); }) {}

WriterThread::~WriterThread() { Stop(); }

bool WriterThread::Put(std::span<const uint8_t> data) {
  std::unique_lock<std::mutex> lock(mu_);
  size_t taken = 0;
  while (!data.empty()) {
    cv_.wait(lock, [&] { return !slots_[fill_].full || error_.failed(); });
    if (error_.failed()) {
      // The call fails as a whole: its bytes do not count as accepted.
      accepted_ -= taken;
      return false;
    }
    Slot& s = slots_[fill_];
    const size_t n = std::min(spans_[fill_].size() - s.len, data.size());
    // The caller's slot is not touched by the thread until it is marked full.
    std::memcpy(spans_[fill_].data() + s.len, data.data(), n);
    s.len += n;
    accepted_ += n;
    taken += n;
    data = data.subspan(n);
    if (s.len == spans_[fill_].size()) {
      s.full = true;
      fill_ = (fill_ + 1) % slots_.size();
      cv_.notify_all();
    }
  }
  if (error_.failed()) {
    accepted_ -= taken;
    return false;
  }
  return true;
}

void WriterThread::WaitIdleLocked(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return FullSlotsLocked() == 0; });
}

size_t WriterThread::FullSlotsLocked() const {
  size_t n = 0;
  for (const Slot& s : slots_) n += s.full ? 1 : 0;
  return n;
}

void WriterThread::Flush(bool pad) {
  std::unique_lock<std::mutex> lock(mu_);
  Slot& s = slots_[fill_];
  std::vector<uint8_t> tail;
  if (s.len > 0 && !error_.failed()) {
    uint8_t* base = spans_[fill_].data();
    const size_t rem = s.len % block_size_;
    if (pad && rem != 0) {
      padded_tail_.assign(base + s.len - rem, base + s.len);
      std::memset(base + s.len, 0, block_size_ - rem);
      s.len += block_size_ - rem;
    } else if (!pad && rem != 0) {
      tail.assign(base + s.len - rem, base + s.len);
      s.len -= rem;
    }
    if (s.len > 0) {
      s.full = true;
      fill_ = (fill_ + 1) % slots_.size();
    }
  }
  // What is queued goes now, watermark or not; then the drive may stop.
  flushing_ = true;
  cv_.notify_all();
  WaitIdleLocked(lock);
  flushing_ = false;
  streaming_ = false;
  if (error_.failed()) {
    slots_[fill_].len = 0;  // nothing more goes to the tape
    padded_tail_.clear();
    return;
  }
  if (!tail.empty()) {
    std::memcpy(spans_[fill_].data(), tail.data(), tail.size());
    slots_[fill_].len = tail.size();
  }
}

bool WriterThread::padded_tail() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !padded_tail_.empty();
}

void WriterThread::Unpad() {
  std::lock_guard<std::mutex> lock(mu_);
  if (padded_tail_.empty()) return;
  // Idle since the Flush: both slots are empty.
  on_tape_bytes_ -= block_size_;
  std::memcpy(spans_[fill_].data(), padded_tail_.data(), padded_tail_.size());
  slots_[fill_].len = padded_tail_.size();
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
      if (!slots_[send_].full) return stop_;
      return streaming_ || stop_ || flushing_ || FullSlotsLocked() >= high_water_slots_;
    });
    if (!slots_[send_].full) return;  // stopping with nothing queued
    if (!streaming_) ++bursts_;
    streaming_ = true;
    const size_t i = send_;
    const size_t len = slots_[i].len;
    const bool failed = error_.failed();
    lock.unlock();
    Status error;
    const uint64_t written = failed ? 0 : Send(i, len, &error);
    lock.lock();
    // Count what reached the tape before the failure is visible to the
    // caller, so the bytes said lost are exact.
    on_tape_bytes_ += written;
    error_.Set(error);
    slots_[i].len = 0;
    slots_[i].full = false;
    send_ = (send_ + 1) % slots_.size();
    // Nothing more queued: the producer is slower than the drive. Let the
    // drive stop and start it again only at the watermark.
    if (!slots_[send_].full) streaming_ = false;
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

uint64_t WriterThread::bytes_accepted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accepted_;
}

uint64_t WriterThread::blocks_on_tape() const {
  std::lock_guard<std::mutex> lock(mu_);
  return on_tape_bytes_ / block_size_;
}

uint64_t WriterThread::bursts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bursts_;
}

uint64_t WriterThread::bytes_lost() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accepted_ > on_tape_bytes_ ? accepted_ - on_tape_bytes_ : 0;
}

}  // namespace tsfs
