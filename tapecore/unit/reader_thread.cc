#include "tapecore/unit/reader_thread.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "tapecore/unit/record_reader.h"

namespace tsfs {
namespace {

// One buffer's worth of slots (CutIntoSlots cuts both alike): the most the
// pacer takes one by one before it streams again.
size_t OneBufferOfSlots(size_t slots) { return std::max<size_t>(slots / 2, 1); }

}  // namespace

ReaderThread::ReaderThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size,
                           const Diagnostics& diag, ReaderOptions options,
                           unsigned resume_free_percent, DriveTiming* timing)
    : ssc_(ssc),
      block_size_(block_size),
      buffers_(buffers),
      spans_(CutIntoSlots(buffers, block_size)),
      resume_free_percent_(resume_free_percent),
      diag_(diag),
      options_(std::move(options)),
      slots_(spans_.size()),
      pacer_(spans_.size(), WatermarkSlots(spans_.size(), resume_free_percent),
             OneBufferOfSlots(spans_.size()), timing != nullptr ? *timing : own_timing_) {
  // Slot 0 is filled first, then 1, 2, ... while none has been emptied.
  for (size_t i = spans_.size(); i-- > 0;) free_.push_back(i);
  thread_ = std::thread([this] { Run(); });
}

ReaderThread::~ReaderThread() { Stop(); }

Result<size_t> ReaderThread::Get(std::span<uint8_t> out) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!full_.empty()) {
      const size_t i = full_.front();
      Slot& s = slots_[i];
      const size_t n = std::min(out.size(), s.len - s.pos);
      std::memcpy(out.data(), spans_[i].data() + s.pos, n);
      s.pos += n;
      if (s.pos == s.len) {
        s = Slot{};
        full_.pop_front();
        free_.push_back(i);
        cv_.notify_all();
      }
      // A queued slot holds at least one byte not yet taken, and callers
      // ask for at least one: n > 0.
      return n;
    }
    if (ended_) {
      if (!error_.ok() && !error_reported_) {
        error_reported_ = true;
        return error_;
      }
      return size_t{0};
    }
    pacer_.ConsumerStarved();
    cv_.notify_all();
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
    cv_.wait(lock, [&] {
      return stop_ || pacer_.MayFill(free_.size(), full_.size(), DriveTiming::Now());
    });
    if (stop_) return;
    pacer_.FillStarting(DriveTiming::Now());
    const size_t i = free_.back();
    free_.pop_back();
    lock.unlock();
    Found found;
    const double started = DriveTiming::Now();
    const size_t len = Fill(spans_[i], found);
    const double ended = DriveTiming::Now();
    lock.lock();
    // The data and what was found after it become visible at once: a Get
    // that sees the end of the file has the bytes before it in a slot.
    bytes_ += len;
    if (len > 0) {
      slots_[i] = Slot{len, 0};
      full_.push_back(i);
    } else {
      free_.push_back(i);
    }
    pacer_.Filled(len, ended - started, ended, free_.size());
    objects_ = thread_objects_;
    first_record_ = thread_first_record_;
    if (found.ended()) {
      filemark_ = found.filemark;
      eod_ = found.eod;
      error_ = found.error;
      ended_ = true;
    }
    cv_.notify_all();
    if (!ended_ && widen_to_ > 0 && !WidenSlotsLocked(lock, widen_to_)) return;
  }
}

bool ReaderThread::WidenSlotsLocked(std::unique_lock<std::mutex>& lock, size_t record) {
  widen_to_ = 0;
  // The caller reads from the old slots until they are empty.
  cv_.wait(lock, [&] { return stop_ || full_.empty(); });
  if (stop_) return false;
  const size_t blocks = (record + block_size_ - 1) / block_size_;
  spans_ = CutIntoSlots(buffers_, block_size_, std::max(blocks * block_size_, kMaxSlotBytes));
  slots_.assign(spans_.size(), Slot{});
  free_.clear();
  for (size_t i = spans_.size(); i-- > 0;) free_.push_back(i);
  pacer_.Reset(spans_.size(), WatermarkSlots(spans_.size(), resume_free_percent_),
               OneBufferOfSlots(spans_.size()));
  return true;
}

size_t ReaderThread::Fill(std::span<uint8_t> buf, Found& found) {
  size_t len = 0;
  while (len < buf.size() && !found.ended() && !stopping()) {
    if (mode_ == Mode::kFixed) {
      const size_t got = FillFixed(buf.subspan(len), found);
      len += got;
      if (got == 0 && mode_ == Mode::kFixed) break;
      continue;
    }
    bool full = false;
    len += ReadRecord(buf.subspan(len), len == 0, found, &full);
    if (full) break;
  }
  if (!found.error.ok()) diag_.CommandFailed(found.error);
  return len;
}

size_t ReaderThread::ReadRecord(std::span<uint8_t> room, bool buffer_empty, Found& found,
                                bool* full) {
  // Every record is asked for with all the room there is, so that its
  // length comes back however the target says it: ILI + INFORMATION (SSC,
  // vtape), or GOOD with the iSCSI residual (istgt, which never sets ILI
  // and silently cuts a record longer than the request). tgtd garbles the
  // data of any mismatched read, so there the longest length seen is asked
  // for (a shorter or longer record answers ILI and is read again).
  size_t want = room.size();
  if (options_.reread_mismatched && mode_ == Mode::kVariable && record_length_ > 0) {
    if (record_length_ > room.size() && !buffer_empty) {
      *full = true;
      return 0;
    }
    want = std::min(record_length_, room.size());
  }
  RecordReadOptions opts;
  opts.reread_mismatched = options_.reread_mismatched;
  Result<NextRecord> r = ReadNextRecord(ssc_, room, want, opts);
  if (!r.ok()) {
    found.error = r.status();
    return 0;
  }
  switch (r->kind) {
    case NextRecord::Kind::kFilemark:
      found.filemark = true;
      return 0;
    case NextRecord::Kind::kEndOfData:
      found.eod = true;
      return 0;
    case NextRecord::Kind::kRecord:
      break;
  }
  if (!r->data_valid) {
    // Longer than what is left of the buffer: the tape is past it. Back
    // over it; the next fill starts with an empty buffer.
    if (buffer_empty && r->length > buffers_.size() / block_size_ * block_size_) {
      found.error = Status::Error(ErrorCode::kUnsupported,
                                  "a record of " + std::to_string(r->length) +
                                      " bytes does not fit a streaming buffer of " +
                                      std::to_string(buffers_.size()) + " bytes (raise buffer-kb)")
                        .WithContext("read");
      return 0;
    }
    // Longer than a slot but not than a buffer: back over it and read it
    // again once the slots are cut larger (Run).
    if (buffer_empty) widen_to_ = r->length;
    Result<SpaceResult> back = ssc_.Space(SpaceCode::kBlocks, -1);
    if (!back.ok()) found.error = back.status();
    record_length_ = std::max(record_length_, r->length);
    *full = true;
    return 0;
  }
  if (thread_objects_ == 0) thread_first_record_ = r->length;
  ++thread_objects_;
  if (mode_ == Mode::kFirstRecord) {
    // A file that starts with one block of the unit's size was written in
    // fixed blocks (ts, tsfs, tar -b1): large fixed READs from here on.
    mode_ = r->length == block_size_ ? Mode::kFixed : Mode::kVariable;
  }
  record_length_ = std::max(record_length_, r->length);
  return r->length;
}

size_t ReaderThread::FillFixed(std::span<uint8_t> room, Found& found) {
  const uint64_t blocks = std::min<uint64_t>(room.size() / block_size_, kMaxBlocksPerCommand);
  if (blocks == 0) return 0;
  std::span<uint8_t> buf = room.subspan(0, blocks * block_size_);
  Result<ReadResult> r = ssc_.Read(buf, block_size_);
  if (!r.ok()) {
    const SenseData* s = r.status().sense();
    if (options_.medium_error_at_end_of_data && options_.seek_to_block && s != nullptr &&
        s->Is(SenseKey::kMediumError, 0x31, 0x00) && !r.status().residue()) {
      // tgtd: end of data, or a record of another length, somewhere in this
      // READ, and no count of the good blocks. Back to where it started.
      Status back = options_.seek_to_block(thread_objects_);
      if (!back.ok()) {
        found.error = back;
        return 0;
      }
      return FillBlockByBlock(buf, blocks, found);
    }
    // The blocks before a bad one were transferred (INFORMATION = blocks
    // not read).
    size_t good = 0;
    const std::optional<int64_t> residue = r.status().residue();
    if (residue && *residue >= 0 && static_cast<uint64_t>(*residue) <= blocks) {
      good = static_cast<size_t>(blocks - static_cast<uint64_t>(*residue)) * block_size_;
    }
    thread_objects_ += good / block_size_;
    found.error = r.status();
    return good;
  }
  const size_t good = r->bytes;
  thread_objects_ += good / block_size_;
  if (r->ili && !r->filemark && !r->end_of_data) {
    // A record that is not one block: the drive is past it. Back over it;
    // it and the rest of the file are read as variable records.
    Result<SpaceResult> back = ssc_.Space(SpaceCode::kBlocks, -1);
    if (!back.ok()) found.error = back.status();
    mode_ = Mode::kVariable;
    return good;
  }
  if (r->filemark) found.filemark = true;
  if (r->end_of_data) found.eod = true;
  return good;
}

size_t ReaderThread::FillBlockByBlock(std::span<uint8_t> room, uint64_t blocks, Found& found) {
  size_t len = 0;
  for (uint64_t n = 0; n < blocks && !stopping(); ++n) {
    Result<ReadResult> r = ssc_.Read(room.subspan(len, block_size_), block_size_);
    if (!r.ok()) {
      const SenseData* s = r.status().sense();
      if (s != nullptr && s->Is(SenseKey::kMediumError, 0x31, 0x00)) {
        // tgtd's answer at end of data and for a record that is not one
        // block: the variable reads that follow tell which.
        mode_ = Mode::kVariable;
        return len;
      }
      found.error = r.status();
      return len;
    }
    len += r->bytes;
    thread_objects_ += r->bytes / block_size_;
    if (r->ili && !r->filemark && !r->end_of_data) {
      Result<SpaceResult> back = ssc_.Space(SpaceCode::kBlocks, -1);
      if (!back.ok()) found.error = back.status();
      mode_ = Mode::kVariable;
      return len;
    }
    if (r->filemark || r->end_of_data) {
      found.filemark = r->filemark;
      found.eod = !r->filemark;
      return len;
    }
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
size_t ReaderThread::first_record() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_record_;
}
bool ReaderThread::ended() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ended_;
}

}  // namespace tsfs
