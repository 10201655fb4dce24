// TapImage: a SIMH .tap file seen as a sequence of logical objects.
//
// Format (open-simh "tape image format"): each record is a little-endian
// 32-bit header, the data, one pad byte when the length is odd, and the
// header again. Bits 31-28 of the header are the class (0 good data, 8 bad
// data: reads as a medium error), bits 27-0 the length. 0x00000000 is a tape
// mark, 0xFFFFFFFE an erase gap (skipped), 0xFFFFFFFF or the end of the file
// the end of medium (end of data for us). Any other class is kCorrupt, as is a
// trailing length that differs from the leading one. A file that ends inside a
// record (a crash while writing) loads up to the last whole object; warning()
// says so, and the next write replaces the torn tail.
//
// Objects are numbered from 0 (the logical object numbers of SSC: records
// and tape marks alike). The index keeps runs of equal objects, so a tape of a
// million 512-byte records costs one run, and lookups are a binary search.
//
// Writing truncates at the given object (new end of data) and appends; the
// file is truncated to match, so the image is always a valid .tap file.
// A writable TapImage holds an exclusive flock on its file: a second
// writable open (in any process) is kBusy. Read-only opens take no lock.
// A TapImage owns its file descriptor; it is not thread-safe.
//
// Opening uses the index beside the image (tap_index.h) when it matches the
// image, so it reads O(1) bytes of a large image; otherwise it scans every
// header and writes the index when the image is closed (best effort: an
// image in a directory we may not write is scanned at every open).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/vtape/tap_index.h"

namespace tsfs::vtape {

struct TapObject {
  ObjectKind kind = ObjectKind::kRecord;
  uint32_t length = 0;  // data bytes (0 for a tape mark)
  uint64_t offset = 0;  // file offset of the leading length
};

inline constexpr uint32_t kMaxRecordLength = 0x0FFFFFFF;

class TapImage final {
 public:
  // Opens and indexes `path`. read_only opens O_RDONLY (every write is then
  // kReadOnly); create makes a missing file. kNotFound / kCorrupt / kIo.
  static Result<std::unique_ptr<TapImage>> Open(const std::string& path, bool read_only,
                                                bool create);
  ~TapImage();
  TapImage(const TapImage&) = delete;
  TapImage& operator=(const TapImage&) = delete;

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  // Non-empty when the image was accepted with a torn tail.
  const std::string& warning() const { return warning_; }

  // Number of objects = the logical object number of end of data.
  uint64_t size() const;
  TapObject Object(uint64_t index) const;  // index < size()
  // Record data bytes before object `index` (index <= size()).
  uint64_t DataBytesBefore(uint64_t index) const;
  // Tape marks before object `index` (index <= size()): the file number.
  uint64_t TapeMarksBefore(uint64_t index) const;
  // How many objects from `index` on (at most `max`) are good records of
  // exactly `length` bytes.
  uint64_t CountRecords(uint64_t index, uint64_t max, uint32_t length) const;
  // The first tape mark at or after `index`, or size() when there is none.
  uint64_t NextTapeMark(uint64_t index) const;
  // The last tape mark before `index`, or -1 when there is none.
  int64_t PrevTapeMark(uint64_t index) const;
  // Index of the first object of file number `file` (0 = BOT), or size().
  uint64_t FileStart(uint64_t file) const;

  // Copies the data of one record (good or bad) of at most dst.size() bytes.
  Status ReadRecord(uint64_t index, std::span<uint8_t> dst);
  // Copies `count` good records of `length` bytes from `index` to dst
  // (count * length bytes), with few large reads.
  Status ReadRecords(uint64_t index, uint64_t count, uint32_t length, uint8_t* dst);

  // Cuts the tape at object `index` (index <= size()): it becomes end of data.
  Status Truncate(uint64_t index);
  // Appends `count` records of `length` bytes each from `data` at end of data.
  Status AppendRecords(const uint8_t* data, uint32_t length, uint64_t count);
  Status AppendTapeMarks(uint64_t count);
  // fsync: what has been written survives a crash.
  Status Sync();

  // What the open cost: whether the index was used, the bytes read from the
  // image and the record headers read to index it.
  struct OpenCost {
    bool used_index = false;
    uint64_t image_bytes_read = 0;
    uint64_t headers_scanned = 0;
    std::string index_note;  // why the index was not used
  };
  const OpenCost& open_cost() const { return open_cost_; }

  // Statistics of the file side.
  uint64_t write_syscalls() const { return write_syscalls_; }
  uint64_t sync_count() const { return sync_count_; }

 private:
  using Run = TapRun;

  TapImage(std::string path, int fd, bool read_only);
  Status Scan();
  Status LoadIndex();
  void SaveIndex();
  void Add(ObjectKind kind, uint32_t length, uint64_t offset) {
    AddToRuns(runs_, kind, length, offset);
  }
  size_t RunIndex(uint64_t object) const;  // run containing object (< size())
  uint64_t OffsetOf(uint64_t index) const;
  Status PWrite(const uint8_t* data, size_t len, uint64_t offset);
  Status PRead(uint8_t* data, size_t len, uint64_t offset);

  std::string path_;
  int fd_ = -1;
  bool read_only_ = false;
  std::string warning_;
  std::vector<Run> runs_;
  uint64_t eod_offset_ = 0;  // where the next object goes
  uint64_t file_size_ = 0;
  std::vector<uint8_t> scratch_;
  uint64_t write_syscalls_ = 0;
  uint64_t sync_count_ = 0;
  OpenCost open_cost_;
  bool index_current_ = false;  // the file beside the image describes it
};

}  // namespace tsfs::vtape
