#include "tapecore/unit/reader_thread.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace tsfs {

namespace {
constexpr uint64_t kMaxBlocksPerCommand = 32768;  // tgtd takes at most 65535 per READ(6)
}  // namespace

ReaderThread::ReaderThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size,
                           const Diagnostics& diag, ReaderOptions options)
    : ssc_(ssc),
      buffers_(buffers),
      block_size_(block_size),
      capacity_(std::min<uint64_t>(buffers.size() / block_size, kMaxBlocksPerCommand) * block_size),
      diag_(diag),
      options_(std::move(options)),
      thread_([this] { Run(); }) {}

ReaderThread::~ReaderThread() { Stop(); }

Result<size_t> ReaderThread::Get(std::span<uint8_t> out) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    Slot& s = slots_[get_];
    if (s.full) {
      const size_t n = std::min(out.size(), s.len - s.pos);
      std::memcpy(out.data(), buffers_.buffer(get_).data() + s.pos, n);
      s.pos += n;
      if (s.pos == s.len) {
        s = Slot{};
        get_ ^= 1;
        cv_.notify_all();
      }
      if (n > 0 || out.empty()) return n;
      continue;
    }
    if (ended_) {
      if (!error_.ok() && !error_reported_) {
        error_reported_ = true;
        return error_;
      }
      return size_t{0};
    }
    cv_.wait(lock);
  }
}

void ReaderThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool ReaderThread::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_;
}

void ReaderThread::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!ended_) {
    cv_.wait(lock, [&] { return !slots_[fill_].full || stop_; });
    if (stop_) return;
    const int i = fill_;
    lock.unlock();
    const size_t len = Fill(i);
    lock.lock();
    bytes_ += len;
    if (len > 0) {
      slots_[i] = Slot{len, 0, true};
      fill_ ^= 1;
    }
    cv_.notify_all();
  }
}

void ReaderThread::SetError(const Status& s) {
  diag_.CommandFailed(s);
  std::lock_guard<std::mutex> lock(mu_);
  error_ = s;
  ended_ = true;
}

size_t ReaderThread::Fill(int i) {
  std::span<uint8_t> buf = buffers_.buffer(i).subspan(0, capacity_);
  if (variable_) return FillVariable(buffers_.buffer(i));
  return block_by_block_ ? FillBlockByBlock(buf) : FillFixed(buf);
}

size_t ReaderThread::FillFixed(std::span<uint8_t> buf) {
  Result<ReadResult> r = ssc_.Read(buf, block_size_);
  if (!r.ok() && options_.medium_error_at_end_of_data && options_.seek_to_block &&
      r.status().sense() != nullptr && r.status().sense()->Is(SenseKey::kMediumError, 0x31, 0x00) &&
      !r.status().residue()) {
    // tgtd: end of data inside this READ. Back to where it started, then
    // one block at a time so every good block is kept.
    uint64_t at = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      at = objects_;
    }
    Status back = options_.seek_to_block(at);
    if (!back.ok()) {
      SetError(back);
      return 0;
    }
    block_by_block_ = true;
    return FillBlockByBlock(buf);
  }
  if (!r.ok()) {
    // The blocks before a bad one were transferred (INFORMATION = blocks not
    // read). tgtd's MEDIUM ERROR at end of data has no INFORMATION: none.
    size_t good = 0;
    const std::optional<int64_t> residue = r.status().residue();
    const uint64_t blocks = buf.size() / block_size_;
    if (residue && *residue >= 0 && static_cast<uint64_t>(*residue) <= blocks) {
      good = static_cast<size_t>(blocks - static_cast<uint64_t>(*residue)) * block_size_;
    }
    SetError(r.status());
    std::lock_guard<std::mutex> lock(mu_);
    objects_ += good / block_size_;
    return good;
  }
  const size_t good = r->bytes;
  if (r->ili && !r->filemark && !r->end_of_data) {
    // A record that is not one block: the tape was written in variable mode
    // elsewhere. The drive is past that record; back over it and read it
    // (and the rest) as variable records of their exact length.
    Result<SpaceResult> back = ssc_.Space(SpaceCode::kBlocks, -1);
    std::lock_guard<std::mutex> lock(mu_);
    objects_ += good / block_size_;
    if (!back.ok()) {
      error_ = back.status();
      ended_ = true;
      diag_.CommandFailed(back.status());
    }
    variable_ = true;
    return good;
  }
  std::lock_guard<std::mutex> lock(mu_);
  objects_ += good / block_size_;
  if (r->filemark) {
    filemark_ = true;
    ended_ = true;
  } else if (r->end_of_data) {
    eod_ = true;
    ended_ = true;
  }
  return good;
}

size_t ReaderThread::FillBlockByBlock(std::span<uint8_t> buf) {
  size_t len = 0;
  while (len < buf.size() && !stopping()) {
    Result<ReadResult> r = ssc_.Read(buf.subspan(len, block_size_), block_size_);
    if (!r.ok()) {
      const SenseData* s = r.status().sense();
      if (s != nullptr && s->Is(SenseKey::kMediumError, 0x31, 0x00)) {
        // tgtd's answer at end of data, or a real medium error: a variable
        // READ here answers BLANK CHECK only at end of data.
        Result<ReadResult> v = ssc_.Read(buf.subspan(len, block_size_), 0, /*sili=*/true);
        const bool eod =
            v.ok() ? v->end_of_data
                   : (v.status().sense() && v.status().sense()->key == SenseKey::kBlankCheck);
        if (eod) {
          std::lock_guard<std::mutex> lock(mu_);
          eod_ = true;
          ended_ = true;
          return len;
        }
      }
      SetError(r.status());
      return len;
    }
    std::lock_guard<std::mutex> lock(mu_);
    len += r->bytes;
    objects_ += r->bytes / block_size_;
    if (r->filemark || r->end_of_data) {
      filemark_ = r->filemark;
      eod_ = !r->filemark;
      ended_ = true;
      return len;
    }
  }
  return len;
}

size_t ReaderThread::ReadExactRecord(std::span<uint8_t> buf, size_t want) {
  Result<ReadResult> r = ssc_.Read(buf.subspan(0, want), 0);
  if (!r.ok()) {
    SetError(r.status());
    return 0;
  }
  if (r->filemark || r->end_of_data) {
    std::lock_guard<std::mutex> lock(mu_);
    filemark_ = r->filemark;
    eod_ = !r->filemark;
    ended_ = true;
    return 0;
  }
  if (!r->ili) {
    std::lock_guard<std::mutex> lock(mu_);
    ++objects_;
    return r->bytes;
  }
  // Incorrect length: INFORMATION = requested - actual. tgtd returns wrong
  // data for any length but the record's, so back up and read it exactly.
  const int64_t actual = static_cast<int64_t>(want) - r->residue;
  if (actual <= 0 || static_cast<uint64_t>(actual) > buf.size()) {
    SetError(Status::Error(ErrorCode::kUnsupported,
                           "variable record of " + std::to_string(actual) +
                               " bytes does not fit a streaming buffer of " +
                               std::to_string(buf.size()) + " bytes (raise buffer-kb)")
                 .WithContext("read"));
    return 0;
  }
  Result<SpaceResult> back = ssc_.Space(SpaceCode::kBlocks, -1);
  if (!back.ok()) {
    SetError(back.status());
    return 0;
  }
  Result<ReadResult> again = ssc_.Read(buf.subspan(0, static_cast<size_t>(actual)), 0);
  if (!again.ok()) {
    SetError(again.status());
    return 0;
  }
  if (again->ili || again->filemark || again->end_of_data) {
    SetError(Status::Error(ErrorCode::kIo, "record length changed on re-read").WithContext("read"));
    return 0;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++objects_;
  if (record_length_ == 0) record_length_ = static_cast<size_t>(actual);
  return again->bytes;
}

size_t ReaderThread::FillVariable(std::span<uint8_t> buf) {
  size_t len = 0;
  for (;;) {
    if (stopping()) break;
    const size_t room = buf.size() - len;
    if (room == 0) break;
    size_t want;
    if (record_length_ == 0) {
      if (len > 0) break;  // learn the length at the start of a buffer
      want = room;
    } else {
      if (record_length_ > room) break;
      want = record_length_;
    }
    const size_t got = ReadExactRecord(buf.subspan(len), want);
    len += got;
    if (got == 0) break;
    std::lock_guard<std::mutex> lock(mu_);
    if (ended_) break;
  }
  return len;
}

bool ReaderThread::passed_filemark() const {
  std::lock_guard<std::mutex> lock(mu_);
  return filemark_;
}
bool ReaderThread::hit_end_of_data() const {
  std::lock_guard<std::mutex> lock(mu_);
  return eod_;
}
bool ReaderThread::failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !error_.ok();
}
uint64_t ReaderThread::objects_read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return objects_;
}
uint64_t ReaderThread::bytes_read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}
bool ReaderThread::ended() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ended_;
}

}  // namespace tsfs
