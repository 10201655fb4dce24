#include "tapecore/vtape/tap_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tsfs::vtape {
namespace {

constexpr char kMagic[8] = {'T', 'S', 'F', 'S', 'V', 'I', 'X', '1'};
constexpr size_t kTailBytes = 64 << 10;
constexpr size_t kHeaderBytes = 8 + 8 * 7;   // magic, stamp (5), eod, run count
constexpr size_t kRunBytes = 8 + 8 + 4 + 4;  // count, offset, length, kind
constexpr uint64_t kMaxRuns = uint64_t{1} << 32;

uint64_t Fnv1a(const uint8_t* p, size_t n, uint64_t h = 1469598103934665603ull) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

void Put64(std::vector<uint8_t>& b, uint64_t v) {
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t Get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

uint32_t Get32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

Status ReadAll(int fd, uint8_t* p, size_t n, uint64_t off, const std::string& what) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, p + got, n - got, static_cast<off_t>(off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Status::Error(ErrorCode::kIo, what + ": " + std::strerror(errno));
    if (r == 0) return Status::Error(ErrorCode::kCorrupt, what + ": shorter than expected");
    got += static_cast<size_t>(r);
  }
  return Status::Ok();
}

Status Stale(const std::string& path, const char* why) {
  return Status::Error(ErrorCode::kCorrupt, "index " + path + " " + why);
}

// Reads an index front to back through a small buffer and hashes what it
// hands out. Not the whole file at once: for a tape of 100,000 files that
// copy was 4.8 MB of fresh memory at every open, and first touches of
// memory are dear on some machines (3.6 us a page measured in a
// Firecracker guest; tests/bench/metadata.sh).
class IndexReader {
 public:
  IndexReader(int fd, uint64_t size, const std::string& path)
      : fd_(fd), size_(size), what_("reading " + path), buf_(kChunk) {}

  // The next n (at most kChunk) bytes, hashed unless `hash` is false.
  Result<const uint8_t*> Take(size_t n, bool hash = true) {
    if (end_ - at_ < n) {
      std::memmove(buf_.data(), buf_.data() + at_, end_ - at_);
      end_ -= at_;
      at_ = 0;
      const size_t want =
          static_cast<size_t>(std::min<uint64_t>(buf_.size() - end_, size_ - read_));
      TSFS_RETURN_IF_ERROR(ReadAll(fd_, buf_.data() + end_, want, read_, what_));
      read_ += want;
      end_ += want;
      if (end_ < n) return Status::Error(ErrorCode::kCorrupt, what_ + ": shorter than expected");
    }
    const uint8_t* p = buf_.data() + at_;
    at_ += n;
    if (hash) hash_ = Fnv1a(p, n, hash_);
    return p;
  }
  // Hashes what is left before the last `keep` bytes.
  Status HashUpTo(uint64_t keep) {
    while (size_ - keep > taken()) {
      const uint64_t left = size_ - keep - taken();
      TSFS_RETURN_IF_ERROR(Take(static_cast<size_t>(std::min<uint64_t>(left, kChunk))).status());
    }
    return Status::Ok();
  }
  uint64_t hash() const { return hash_; }

 private:
  static constexpr size_t kChunk = 256 << 10;
  uint64_t taken() const { return read_ - (end_ - at_); }

  const int fd_;
  const uint64_t size_;
  const std::string what_;
  std::vector<uint8_t> buf_;
  size_t at_ = 0;
  size_t end_ = 0;
  uint64_t read_ = 0;
  uint64_t hash_ = Fnv1a(nullptr, 0);
};

// One pass: the header and the runs are checked as they come, and the
// whole is hashed either way, so that a torn index is called torn even where
// its damage also makes a run malformed.
Result<TapIndex> ParseIndex(int fd, const std::string& index_path, const TapStamp& stamp) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderBytes + 8)) {
    return Stale(index_path, "is too short");
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  IndexReader in(fd, size, index_path);
  TSFS_ASSIGN_OR_RETURN(const uint8_t* p, in.Take(kHeaderBytes));
  if (std::memcmp(p, kMagic, 8) != 0) return Stale(index_path, "is not a vtape index");
  p += 8;
  const char* bad = nullptr;
  if (Get64(p) != stamp.size || static_cast<int64_t>(Get64(p + 8)) != stamp.mtime_sec ||
      static_cast<int64_t>(Get64(p + 16)) != stamp.mtime_nsec || Get64(p + 24) != stamp.inode ||
      Get64(p + 32) != stamp.tail_hash) {
    bad = "is stale (the image changed since)";
  }
  TapIndex index;
  index.eod_offset = Get64(p + 40);
  const uint64_t nruns = Get64(p + 48);
  if (bad == nullptr && (nruns > kMaxRuns || size != kHeaderBytes + nruns * kRunBytes + 8 ||
                         index.eod_offset > stamp.size)) {
    bad = "is malformed";
  }
  if (bad == nullptr) index.runs.reserve(static_cast<size_t>(nruns));
  uint64_t next = 0;  // the least offset the next run may start at
  for (uint64_t i = 0; bad == nullptr && i < nruns; ++i) {
    TSFS_ASSIGN_OR_RETURN(p, in.Take(kRunBytes));
    TapRun r;
    r.count = Get64(p);
    r.offset = Get64(p + 8);
    r.length = Get32(p + 16);
    const uint32_t kind = Get32(p + 20);
    if (kind > static_cast<uint32_t>(ObjectKind::kBadRecord) || r.count == 0 || r.offset < next) {
      bad = "is malformed";
      break;
    }
    r.kind = static_cast<ObjectKind>(kind);
    if (!index.runs.empty()) {
      const TapRun& last = index.runs.back();
      r.first = last.end();
      r.data_before =
          last.data_before + (last.kind == ObjectKind::kTapeMark ? 0 : last.count * last.length);
      r.marks_before = last.marks_before + (last.kind == ObjectKind::kTapeMark ? last.count : 0);
    }
    next = r.offset + r.count * r.stride();
    if (next > index.eod_offset) {
      bad = "is malformed";
      break;
    }
    index.runs.push_back(r);
  }
  TSFS_RETURN_IF_ERROR(in.HashUpTo(8));
  const uint64_t hash = in.hash();
  TSFS_ASSIGN_OR_RETURN(p, in.Take(8, false));
  if (hash != Get64(p)) return Stale(index_path, "is torn (checksum)");
  if (bad != nullptr) return Stale(index_path, bad);
  return index;
}

}  // namespace

uint64_t TapRun::stride() const {
  return kind == ObjectKind::kTapeMark ? 4 : 8 + uint64_t{length} + (length & 1u);
}

void AddToRuns(std::vector<TapRun>& runs, ObjectKind kind, uint32_t length, uint64_t offset) {
  if (!runs.empty()) {
    TapRun& last = runs.back();
    if (last.kind == kind && last.length == length &&
        last.offset + last.count * last.stride() == offset) {
      ++last.count;
      return;
    }
  }
  TapRun r;
  r.kind = kind;
  r.length = length;
  r.offset = offset;
  r.count = 1;
  if (!runs.empty()) {
    const TapRun& last = runs.back();
    r.first = last.end();
    r.data_before =
        last.data_before + (last.kind == ObjectKind::kTapeMark ? 0 : last.count * last.length);
    r.marks_before = last.marks_before + (last.kind == ObjectKind::kTapeMark ? last.count : 0);
  }
  runs.push_back(r);
}

Result<TapStamp> StampOf(int fd, uint64_t* bytes_read) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status::Error(ErrorCode::kIo, std::string("stat tape image: ") + std::strerror(errno));
  }
  TapStamp s;
  s.size = static_cast<uint64_t>(st.st_size);
  s.mtime_sec = st.st_mtim.tv_sec;
  s.mtime_nsec = st.st_mtim.tv_nsec;
  s.inode = st.st_ino;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(kTailBytes, s.size));
  std::vector<uint8_t> tail(n);
  TSFS_RETURN_IF_ERROR(ReadAll(fd, tail.data(), n, s.size - n, "reading the tape image's tail"));
  *bytes_read += n;
  s.tail_hash = Fnv1a(tail.data(), n);
  return s;
}

std::string IndexPathFor(const std::string& image_path) { return image_path + ".idx"; }

Result<TapIndex> ReadTapIndex(const std::string& index_path, const TapStamp& stamp) {
  const int fd = ::open(index_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::Error(ErrorCode::kNotFound, "no index " + index_path);
    return Status::Error(ErrorCode::kIo, index_path + ": " + std::strerror(errno));
  }
  Result<TapIndex> index = ParseIndex(fd, index_path, stamp);
  ::close(fd);
  return index;
}

Status WriteTapIndex(const std::string& index_path, const TapStamp& stamp, const TapIndex& index) {
  std::vector<uint8_t> b(kMagic, kMagic + 8);
  b.reserve(kHeaderBytes + index.runs.size() * kRunBytes + 8);
  Put64(b, stamp.size);
  Put64(b, static_cast<uint64_t>(stamp.mtime_sec));
  Put64(b, static_cast<uint64_t>(stamp.mtime_nsec));
  Put64(b, stamp.inode);
  Put64(b, stamp.tail_hash);
  Put64(b, index.eod_offset);
  Put64(b, index.runs.size());
  for (const TapRun& r : index.runs) {
    Put64(b, r.count);
    Put64(b, r.offset);
    const uint64_t length_and_kind = uint64_t{r.length} | uint64_t{static_cast<uint8_t>(r.kind)}
                                                              << 32;
    Put64(b, length_and_kind);
  }
  Put64(b, Fnv1a(b.data(), b.size()));
  const std::string tmp = index_path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Status::Error(ErrorCode::kIo, tmp + ": " + std::strerror(errno));
  size_t put = 0;
  while (put < b.size()) {
    const ssize_t n = ::write(fd, b.data() + put, b.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Error(ErrorCode::kIo, "writing " + tmp + ": " + why);
    }
    put += static_cast<size_t>(n);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), index_path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Error(ErrorCode::kIo, "renaming " + tmp + ": " + why);
  }
  return Status::Ok();
}

}  // namespace tsfs::vtape
