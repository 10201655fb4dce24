#include "tapecore/vtape/tap_image.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tsfs::vtape {
namespace {

constexpr uint32_t kTapeMark = 0x00000000;
constexpr uint32_t kEraseGap = 0xFFFFFFFE;
constexpr uint32_t kEndOfMedium = 0xFFFFFFFF;
constexpr uint32_t kClassGood = 0x0;
constexpr uint32_t kClassBad = 0x8;
constexpr size_t kChunk = 4u << 20;  // largest single read/write of the image

uint32_t GetLe32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

void PutLe32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

uint64_t RecordStride(uint32_t length) { return 8 + uint64_t{length} + (length & 1u); }

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Sequential reader over the image with a large window (one pread per MiB
// while indexing, not one per record).
class WindowReader {
 public:
  WindowReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
  // Reads a little-endian 32-bit value at `off` (off + 4 <= size).
  Result<uint32_t> Le32(uint64_t off) {
    if (off < start_ || off + 4 > start_ + buf_.size()) {
      buf_.resize(static_cast<size_t>(std::min<uint64_t>(1u << 20, size_ - off)));
      size_t got = 0;
      while (got < buf_.size()) {
        const ssize_t n =
            ::pread(fd_, buf_.data() + got, buf_.size() - got, static_cast<off_t>(off + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Status::Error(ErrorCode::kIo, Errno("reading tape image"));
        got += static_cast<size_t>(n);
      }
      bytes_read_ += got;
      start_ = off;
    }
    return GetLe32(buf_.data() + (off - start_));
  }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  int fd_;
  uint64_t size_;
  uint64_t start_ = 0;
  uint64_t bytes_read_ = 0;
  std::vector<uint8_t> buf_;
};

}  // namespace

TapImage::TapImage(std::string path, int fd, bool read_only)
    : path_(std::move(path)), fd_(fd), read_only_(read_only) {}

TapImage::~TapImage() {
  if (fd_ < 0) return;
  // The index is a cache beside the image (rebuilt when missing or stale):
  // failing to write it, even by an allocation failure, must not escape.
  try {
    if (!index_current_) SaveIndex();
  } catch (...) {
  }
  ::close(fd_);
}

Result<std::unique_ptr<TapImage>> TapImage::Open(const std::string& path, bool read_only,
                                                 bool create) {
  int flags = (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC;
  if (create && !read_only) flags |= O_CREAT;
  int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0 && !read_only && (errno == EACCES || errno == EROFS)) {
    // A file we may not write is a write-protected medium.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    read_only = true;
  }
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status::Error(ErrorCode::kNotFound,
                           "tape image " + path +
                               " does not exist (make one with `tstape mkvtape`, or add "
                               "?create to the source)");
    }
    return Status::Error(ErrorCode::kIo, Errno("opening tape image " + path));
  }
  if (!read_only && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    // Two writers with two indexes would corrupt the image.
    const int e = errno;
    ::close(fd);
    if (e == EWOULDBLOCK) {
      return Status::Error(ErrorCode::kBusy,
                           "tape image " + path + " is in use by another vtape (a mounted tsfs?)");
    }
    errno = e;
    return Status::Error(ErrorCode::kIo, Errno("locking tape image " + path));
  }
  std::unique_ptr<TapImage> image(new TapImage(path, fd, read_only));
  if (Status indexed = image->LoadIndex(); !indexed.ok()) {
    if (indexed.code() != ErrorCode::kNotFound) image->open_cost_.index_note = indexed.message();
    TSFS_RETURN_IF_ERROR(image->Scan());
  }
  return image;
}

Status TapImage::LoadIndex() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Status::Error(ErrorCode::kIo, Errno("stat " + path_));
  if (!S_ISREG(st.st_mode)) {
    return Status::Error(ErrorCode::kInvalidArgument, "tape image " + path_ + " is not a file");
  }
  if (st.st_size == 0) {
    // A blank tape: nothing to scan, nothing to keep an index of.
    index_current_ = true;
    open_cost_.used_index = true;
    return Status::Ok();
  }
  TSFS_ASSIGN_OR_RETURN(const TapStamp stamp, StampOf(fd_, &open_cost_.image_bytes_read));
  TSFS_ASSIGN_OR_RETURN(TapIndex index, ReadTapIndex(IndexPathFor(path_), stamp));
  // Spot checks against the image itself: the first and the last object
  // must have the headers the index says.
  if (!index.runs.empty()) {
    for (const uint64_t object : {uint64_t{0}, index.runs.back().end() - 1}) {
      const Run& r = object == 0 ? index.runs.front() : index.runs.back();
      const uint64_t off = r.offset + (object - r.first) * r.stride();
      uint8_t h[4];
      TSFS_RETURN_IF_ERROR(PRead(h, 4, off));
      open_cost_.image_bytes_read += 4;
      const uint32_t want = r.kind == ObjectKind::kTapeMark    ? 0
                            : r.kind == ObjectKind::kBadRecord ? (0x80000000u | r.length)
                                                               : r.length;
      if (GetLe32(h) != want) {
        return Status::Error(ErrorCode::kCorrupt,
                             "index disagrees with the image at byte " + std::to_string(off));
      }
    }
  }
  runs_ = std::move(index.runs);
  eod_offset_ = index.eod_offset;
  file_size_ = stamp.size;
  index_current_ = true;
  open_cost_.used_index = true;
  return Status::Ok();
}

void TapImage::SaveIndex() {
  // Only a whole image is worth an index: a torn tail is repaired by the
  // next write, and an empty file needs none.
  if ((!warning_.empty() && file_size_ != eod_offset_) || file_size_ == 0) return;
  uint64_t ignored = 0;
  auto stamp = StampOf(fd_, &ignored);
  if (!stamp.ok() || stamp->size != file_size_) return;  // changed under us
  TapIndex index;
  index.eod_offset = eod_offset_;
  index.runs = runs_;
  (void)WriteTapIndex(IndexPathFor(path_), *stamp, index);  // a cache: failing is harmless
}

Status TapImage::Scan() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Status::Error(ErrorCode::kIo, Errno("stat " + path_));
  if (!S_ISREG(st.st_mode)) {
    return Status::Error(ErrorCode::kInvalidArgument, "tape image " + path_ + " is not a file");
  }
  file_size_ = static_cast<uint64_t>(st.st_size);
  WindowReader in(fd_, file_size_);
  uint64_t off = 0;
  auto corrupt = [&](const std::string& why) {
    char where[64];
    std::snprintf(where, sizeof where, " at byte %llu", static_cast<unsigned long long>(off));
    return Status::Error(ErrorCode::kCorrupt, "tape image " + path_ + ": " + why + where +
                                                  " (object " + std::to_string(size()) + ")");
  };
  while (off < file_size_) {
    if (file_size_ - off < 4) {
      warning_ = "torn record length at the end of the image (" + std::to_string(file_size_ - off) +
                 " stray bytes ignored)";
      break;
    }
    TSFS_ASSIGN_OR_RETURN(const uint32_t header, in.Le32(off));
    ++open_cost_.headers_scanned;
    if (header == kTapeMark) {
      Add(ObjectKind::kTapeMark, 0, off);
      off += 4;
      continue;
    }
    if (header == kEndOfMedium) break;
    if (header == kEraseGap) {
      off += 4;
      continue;
    }
    const uint32_t cls = header >> 28;
    const uint32_t length = header & kMaxRecordLength;
    if (cls != kClassGood && cls != kClassBad) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "%08x", header);
      return corrupt(std::string("unknown record header 0x") + hex);
    }
    const uint64_t stride = RecordStride(length);
    if (stride > file_size_ - off) {
      warning_ = "the last record (" + std::to_string(length) + " bytes at byte " +
                 std::to_string(off) + ") is cut short: ignored";
      break;
    }
    TSFS_ASSIGN_OR_RETURN(const uint32_t trailer, in.Le32(off + stride - 4));
    if (trailer != header) {
      return corrupt("leading length " + std::to_string(length) + " and trailing length " +
                     std::to_string(trailer & kMaxRecordLength) + " differ");
    }
    Add(cls == kClassBad ? ObjectKind::kBadRecord : ObjectKind::kRecord, length, off);
    off += stride;
  }
  eod_offset_ = off;
  open_cost_.image_bytes_read += in.bytes_read();
  return Status::Ok();
}

uint64_t TapImage::size() const { return runs_.empty() ? 0 : runs_.back().end(); }

size_t TapImage::RunIndex(uint64_t object) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), object,
                             [](uint64_t o, const Run& r) { return o < r.first; });
  return static_cast<size_t>(it - runs_.begin()) - 1;
}

TapObject TapImage::Object(uint64_t index) const {
  const Run& r = runs_[RunIndex(index)];
  return {r.kind, r.length, r.offset + (index - r.first) * r.stride()};
}

uint64_t TapImage::OffsetOf(uint64_t index) const {
  return index >= size() ? eod_offset_ : Object(index).offset;
}

uint64_t TapImage::DataBytesBefore(uint64_t index) const {
  if (runs_.empty()) return 0;
  if (index >= size()) {
    const Run& r = runs_.back();
    return r.data_before + (r.kind == ObjectKind::kTapeMark ? 0 : r.count * r.length);
  }
  const Run& r = runs_[RunIndex(index)];
  return r.data_before + (r.kind == ObjectKind::kTapeMark ? 0 : (index - r.first) * r.length);
}

uint64_t TapImage::TapeMarksBefore(uint64_t index) const {
  if (runs_.empty()) return 0;
  if (index >= size()) {
    const Run& r = runs_.back();
    return r.marks_before + (r.kind == ObjectKind::kTapeMark ? r.count : 0);
  }
  const Run& r = runs_[RunIndex(index)];
  return r.marks_before + (r.kind == ObjectKind::kTapeMark ? index - r.first : 0);
}

uint64_t TapImage::CountRecords(uint64_t index, uint64_t max, uint32_t length) const {
  uint64_t n = 0;
  if (index >= size()) return 0;
  for (size_t i = RunIndex(index); i < runs_.size() && n < max; ++i) {
    const Run& r = runs_[i];
    if (r.kind != ObjectKind::kRecord || r.length != length) break;
    n += r.end() - std::max(r.first, index);
  }
  return std::min(n, max);
}

uint64_t TapImage::NextTapeMark(uint64_t index) const {
  if (index >= size()) return size();
  for (size_t i = RunIndex(index); i < runs_.size(); ++i) {
    if (runs_[i].kind == ObjectKind::kTapeMark) return std::max(runs_[i].first, index);
  }
  return size();
}

int64_t TapImage::PrevTapeMark(uint64_t index) const {
  if (index == 0 || runs_.empty()) return -1;
  index = std::min(index, size());
  for (size_t i = RunIndex(index - 1) + 1; i-- > 0;) {
    const Run& r = runs_[i];
    if (r.kind == ObjectKind::kTapeMark) return static_cast<int64_t>(std::min(r.end(), index) - 1);
  }
  return -1;
}

uint64_t TapImage::FileStart(uint64_t file) const {
  if (file == 0) return 0;
  for (const Run& r : runs_) {
    if (r.kind != ObjectKind::kTapeMark) continue;
    if (r.marks_before + r.count >= file) return r.first + (file - r.marks_before);
  }
  return size();
}

Status TapImage::PRead(uint8_t* data, size_t len, uint64_t offset) {
  size_t got = 0;
  while (got < len) {
    const ssize_t n = ::pread(fd_, data + got, len - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Error(ErrorCode::kIo, Errno("reading tape image " + path_));
    if (n == 0) {
      return Status::Error(
          ErrorCode::kCorrupt,
          "tape image " + path_ + " shrank under vtape (changed by another program?)");
    }
    got += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status TapImage::PWrite(const uint8_t* data, size_t len, uint64_t offset) {
  index_current_ = false;
  size_t put = 0;
  while (put < len) {
    ++write_syscalls_;
    const ssize_t n = ::pwrite(fd_, data + put, len - put, static_cast<off_t>(offset + put));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      return Status::Error(e == ENOSPC ? ErrorCode::kNoSpace : ErrorCode::kIo,
                           Errno("writing tape image " + path_));
    }
    put += static_cast<size_t>(n);
  }
  file_size_ = std::max(file_size_, offset + len);
  return Status::Ok();
}

Status TapImage::ReadRecord(uint64_t index, std::span<uint8_t> dst) {
  const TapObject o = Object(index);
  const size_t n = std::min<size_t>(dst.size(), o.length);
  return PRead(dst.data(), n, o.offset + 4);
}

Status TapImage::ReadRecords(uint64_t index, uint64_t count, uint32_t length, uint8_t* dst) {
  const uint64_t stride = RecordStride(length);
  while (count > 0) {
    // Objects of one run are contiguous in the file: one read covers many.
    const Run& r = runs_[RunIndex(index)];
    const uint64_t in_run = std::min(count, r.end() - index);
    const uint64_t per_chunk = std::max<uint64_t>(1, kChunk / stride);
    const uint64_t n = std::min(in_run, per_chunk);
    const uint64_t off = r.offset + (index - r.first) * stride;
    scratch_.resize(static_cast<size_t>(n * stride));
    TSFS_RETURN_IF_ERROR(PRead(scratch_.data(), scratch_.size(), off));
    for (uint64_t i = 0; i < n; ++i) {
      const uint8_t* rec = scratch_.data() + i * stride;
      if (GetLe32(rec) != length) {
        return Status::Error(
            ErrorCode::kCorrupt,
            "tape image " + path_ + " changed under vtape at object " + std::to_string(index + i));
      }
      std::memcpy(dst, rec + 4, length);
      dst += length;
    }
    index += n;
    count -= n;
  }
  return Status::Ok();
}

Status TapImage::Truncate(uint64_t index) {
  if (read_only_) return Status::Error(ErrorCode::kReadOnly, "tape image is read-only");
  if (index < size()) {
    const size_t ri = RunIndex(index);
    Run& r = runs_[ri];
    eod_offset_ = r.offset + (index - r.first) * r.stride();
    if (index == r.first) {
      runs_.resize(ri);
    } else {
      r.count = index - r.first;
      runs_.resize(ri + 1);
    }
  }
  if (file_size_ > eod_offset_) {
    index_current_ = false;
    if (::ftruncate(fd_, static_cast<off_t>(eod_offset_)) != 0) {
      return Status::Error(ErrorCode::kIo, Errno("truncating tape image " + path_));
    }
    file_size_ = eod_offset_;
  }
  return Status::Ok();
}

Status TapImage::AppendRecords(const uint8_t* data, uint32_t length, uint64_t count) {
  if (read_only_) return Status::Error(ErrorCode::kReadOnly, "tape image is read-only");
  if (length == 0 || length > kMaxRecordLength) {
    return Status::Error(ErrorCode::kInvalidArgument, "record length out of range");
  }
  TSFS_RETURN_IF_ERROR(Truncate(size()));  // drop a torn tail or an end-of-medium marker
  const uint64_t stride = RecordStride(length);
  const uint64_t per_chunk = std::max<uint64_t>(1, kChunk / stride);
  while (count > 0) {
    const uint64_t n = std::min(count, per_chunk);
    scratch_.assign(static_cast<size_t>(n * stride), 0);
    for (uint64_t i = 0; i < n; ++i) {
      uint8_t* rec = scratch_.data() + i * stride;
      PutLe32(rec, length);
      std::memcpy(rec + 4, data, length);
      PutLe32(rec + stride - 4, length);
      data += length;
    }
    TSFS_RETURN_IF_ERROR(PWrite(scratch_.data(), scratch_.size(), eod_offset_));
    for (uint64_t i = 0; i < n; ++i) Add(ObjectKind::kRecord, length, eod_offset_ + i * stride);
    eod_offset_ += n * stride;
    count -= n;
  }
  return Status::Ok();
}

Status TapImage::AppendTapeMarks(uint64_t count) {
  if (read_only_) return Status::Error(ErrorCode::kReadOnly, "tape image is read-only");
  TSFS_RETURN_IF_ERROR(Truncate(size()));
  while (count > 0) {
    const uint64_t n = std::min<uint64_t>(count, kChunk / 4);
    scratch_.assign(static_cast<size_t>(n * 4), 0);
    TSFS_RETURN_IF_ERROR(PWrite(scratch_.data(), scratch_.size(), eod_offset_));
    for (uint64_t i = 0; i < n; ++i) Add(ObjectKind::kTapeMark, 0, eod_offset_ + i * 4);
    eod_offset_ += n * 4;
    count -= n;
  }
  return Status::Ok();
}

Status TapImage::Sync() {
  ++sync_count_;
  if (read_only_) return Status::Ok();
  if (::fdatasync(fd_) != 0) return Status::Error(ErrorCode::kIo, Errno("syncing " + path_));
  return Status::Ok();
}

}  // namespace tsfs::vtape
