// ReaderThread: the read half of ts streaming. A background thread fills the
// slots of the streaming buffers (stream_slots.h), each with one large fixed
// READ, while the caller is served from the slots already filled, so the
// drive sees back-to-back commands. It stops at the filemark (or end of data)
// of the file being read and never reads past it.
//
// Watermark: once every slot is full (a consumer slower than the drive),
// the thread lets the drive stop and reads again only when
// `resume_free_percent` of the slots are free (by default all of them, the
// mirror of the writer); then it takes the drive's buffer one slot at a time
// until the tape moves (read_pacer.h). Resuming at half (the default before)
// took the drive's buffer while the host still held a buffer's worth, and
// the tape stopped again soon: with 64 MiB buffers and a consumer at 90 % of
// the drive rate, 19.5 times the ideal count of repositions against 2.25 at
// 100 % (tests/bench/repositions.sh).
//
// Filled slots are handed over in the order read; a slot the caller has
// emptied is the next one filled (a stack of free slots), so with a consumer
// as fast as the drive the same few slots go round and the rest of a large
// buffer is never touched (its pages are never taken, see stream_buffers.h).
//
// Record structure: the first object of the file is read in variable mode
// (ReadNextRecord), which tells its exact length on every target. A file
// whose first record is one block of the unit's block size is read with
// large fixed READs; any other file (tar or dd through the Linux st driver in
// variable mode: 10240-byte records, the last one short) is read record by
// record, the records joined into one byte stream with nothing added. A
// record of another length met in a fixed-mode file (ILI, or tgtd's MEDIUM
// ERROR 31/00) switches the rest of the file to variable reads.
//
// What the thread learns (end flags, objects, bytes, errors) is published
// together with the data of the buffer it belongs to, so Get never sees the
// end of a file before the bytes that precede it.
//
// Ownership: uses (does not own) the Ssc and the buffers. While the thread
// runs nobody else may use the Ssc; after Stop() it is free again.
// Thread-safety: Get/Stop from one caller thread at a time.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/read_pacer.h"
#include "tapecore/unit/stream_buffers.h"
#include "tapecore/unit/stream_slots.h"

namespace tsfs {

struct ReaderOptions {
  // tgtd: a fixed READ that meets end of data answers MEDIUM ERROR 31/00
  // without a count of the good blocks. With this set, that answer makes the
  // thread go back to where the READ started (seek_to_block) and read block
  // by block to the real end of data.
  bool medium_error_at_end_of_data = false;
  // tgtd: the data of a variable READ whose length differs from the record
  // is wrong; read such a record again with its exact length.
  bool reread_mismatched = false;
  // Positions the tape at object `n` of the file being read (from its start).
  std::function<Status(uint64_t n)> seek_to_block;
};

class ReaderThread final {
 public:
  // timing: what is known of the drive's buffer and tape (the unit keeps it
  // from file to file); null: the thread learns on its own.
  ReaderThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size, const Diagnostics& diag,
               ReaderOptions options = {}, unsigned resume_free_percent = 100,
               DriveTiming* timing = nullptr);
  ~ReaderThread();
  ReaderThread(const ReaderThread&) = delete;
  ReaderThread& operator=(const ReaderThread&) = delete;

  // Copies up to out.size() bytes (out not empty) of the file; waits for
  // data. 0 at the end of the file. A read failure comes after all data before it, once; then 0.
  Result<size_t> Get(std::span<uint8_t> out);
  // Stops reading ahead; waits for the command in flight.
  void Stop();

  // Valid after Stop() (or once Get returned 0):
  bool passed_filemark() const;  // the tape is at the start of the next file
  bool hit_end_of_data() const;  // the file had no filemark
  bool failed() const;
  uint64_t objects_read() const;  // blocks or variable records passed
  uint64_t bytes_read() const;    // bytes the drive delivered (all of the file when ended)
  bool ended() const;
  // Length of the file's first record (0 when the file is empty or the
  // thread has not read it yet).
  size_t first_record() const;

 private:
  struct Slot {
    size_t len = 0;  // bytes read into the slot
    size_t pos = 0;  // bytes handed to the caller
  };
  enum class Mode { kFirstRecord, kFixed, kVariable };
  // What a fill found besides its bytes; published with them by Run.
  struct Found {
    uint64_t objects = 0;
    bool filemark = false;
    bool eod = false;
    Status error;
    bool ended() const { return filemark || eod || !error.ok(); }
  };
  void Run();
  // Fills `buf` (one buffer); returns its length.
  size_t Fill(std::span<uint8_t> buf, Found& found);
  // One fixed READ of as many blocks as `room` holds.
  size_t FillFixed(std::span<uint8_t> room, Found& found);
  // tgtd's MEDIUM ERROR 31/00 inside a fixed READ: back to where it began,
  // then block by block (at most `blocks`) to the filemark, end of data or
  // the record of another length.
  size_t FillBlockByBlock(std::span<uint8_t> room, uint64_t blocks, Found& found);
  // One variable record. Returns its bytes; 0 with `*full` when it does not
  // fit what is left of the buffer (it is read by the next fill).
  size_t ReadRecord(std::span<uint8_t> room, bool buffer_empty, Found& found, bool* full);
  bool stopping() const;

  Ssc& ssc_;
  const uint32_t block_size_;
  // Cuts the buffers again into slots of at least `record` bytes (a variable
  // record longer than a slot); waits until the caller has taken every slot.
  // False when stopping.
  bool WidenSlotsLocked(std::unique_lock<std::mutex>& lock, size_t record);

  StreamBuffers& buffers_;
  std::vector<std::span<uint8_t>> spans_;  // the slots' memory; changed only by the thread, locked
  const unsigned resume_free_percent_;
  const Diagnostics& diag_;
  const ReaderOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Slot> slots_;
  std::deque<size_t> full_;   // filled slots in the order read
  std::vector<size_t> free_;  // empty slots, the most recently emptied last
  bool stop_ = false;
  DriveTiming own_timing_;  // used when the caller keeps none
  ReadPacer pacer_;         // when the thread may fill a slot
  bool ended_ = false;      // no more slots will come
  bool filemark_ = false;
  bool eod_ = false;
  Status error_;
  bool error_reported_ = false;
  uint64_t objects_ = 0;
  uint64_t bytes_ = 0;
  size_t first_record_ = 0;
  // Thread-only state: how the file is read, the record length asked for
  // in variable mode, objects passed so far (for going back to a block).
  Mode mode_ = Mode::kFirstRecord;
  size_t record_length_ = 0;
  size_t widen_to_ = 0;  // a record that needs larger slots (0: none)
  uint64_t thread_objects_ = 0;
  size_t thread_first_record_ = 0;
  std::thread thread_;
};

}  // namespace tsfs
