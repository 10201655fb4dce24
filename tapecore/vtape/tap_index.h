// The index of a SIMH .tap image kept beside it (IMAGE.idx), so that opening
// a large image costs O(1) in its size instead of reading every record header.
//
// The index is a cache, never the truth: it records the image's size, mtime,
// inode and a hash of its last 64 KiB (the "stamp"), and is used only when
// the image still has exactly that stamp. A missing, torn (its own checksum),
// foreign (another version) or stale index is ignored, and the image is
// scanned and the index written again. Written to a temporary name and
// renamed, so a reader never sees half of one.
//
// Why an index and not a lazy scan: appending needs end of data, and `df`,
// early warning and READ POSITION need the data bytes before any object, so
// a lazy scan would still read the whole image for the first write or df.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::vtape {

enum class ObjectKind : uint8_t { kRecord, kTapeMark, kBadRecord };

// A run of `count` equal objects stored back to back from `offset`.
struct TapRun {
  uint64_t first = 0;  // first object
  uint64_t count = 0;
  uint64_t offset = 0;        // file offset of the first object
  uint64_t data_before = 0;   // record bytes before the run
  uint64_t marks_before = 0;  // tape marks before the run
  uint32_t length = 0;
  ObjectKind kind = ObjectKind::kRecord;
  uint64_t stride() const;  // bytes of one object in the file
  uint64_t end() const { return first + count; }
};

// What identifies one state of the image file.
struct TapStamp {
  uint64_t size = 0;
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
  uint64_t inode = 0;
  uint64_t tail_hash = 0;  // FNV-1a of the last 64 KiB (or the whole file)
};

// Computes the stamp of the open image `fd`; adds the bytes it read to
// *bytes_read.
Result<TapStamp> StampOf(int fd, uint64_t* bytes_read);

struct TapIndex {
  uint64_t eod_offset = 0;  // where the next object goes
  std::vector<TapRun> runs;
};

// The sidecar's name for an image.
std::string IndexPathFor(const std::string& image_path);

// Reads the index at `index_path` and returns it only when it belongs to an
// image with stamp `stamp`: kNotFound when missing, kCorrupt when torn,
// foreign or stale (the message says which). first/data_before/marks_before
// are recomputed, not read.
Result<TapIndex> ReadTapIndex(const std::string& index_path, const TapStamp& stamp);

// Writes the index atomically (temporary file + rename).
Status WriteTapIndex(const std::string& index_path, const TapStamp& stamp, const TapIndex& index);

// Appends one object to a run list (extending the last run when it can).
void AddToRuns(std::vector<TapRun>& runs, ObjectKind kind, uint32_t length, uint64_t offset);

}  // namespace tsfs::vtape
