// Catalog: the tape files of the mounted tape, built in O(files): rewind,
// then per file one variable READ of its first record (its length, or the
// filemark of an empty file, or end of data), SPACE 1 filemark and READ
// POSITION where positions can be trusted, until end of data.
//
// Sizes: a file's size in bytes is exact when tsfs wrote it, read it to its
// end, or it has one record; estimated from its record structure (objects
// from READ POSITION × the first record's length, the last record's length
// where LOCATE can reach it) otherwise; unknown where READ POSITION cannot be
// trusted (tgtd answers zeros) until it is read or written, or the
// per-medium catalog store (catalog_store.h) remembers it.
//
// Thread-safety: none; owned by the unit and used under its lock. ScanTape
// uses the Ssc and must be the only user of it while it runs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"

namespace tsfs {

// How much a file's size in bytes can be trusted.
enum class SizeKind : uint8_t {
  kExact,      // written or read to the end here, or a single record
  kEstimated,  // from the record structure; corrected when the file is read
  kUnknown,    // nothing known yet (untrusted positions)
};

struct CatalogEntry {
  uint64_t blocks = 0;     // objects in the file: blocks, or records of a variable file
  bool size_known = true;  // `blocks` is known
  uint64_t bytes = 0;      // data bytes (meaningful unless size is kUnknown)
  SizeKind size = SizeKind::kExact;
  uint32_t first_record = 0;      // length of its first record (0: empty or not read)
  bool complete = true;           // false: no filemark after it (crash mid-write)
  std::optional<uint64_t> start;  // READ POSITION object number of its first block
};

class Catalog final {
 public:
  bool known() const { return known_; }
  void Invalidate() {
    ++generation_;
    known_ = false;
    files_.clear();
    eod_.reset();
  }
  void Reset(std::vector<CatalogEntry> files, std::optional<uint64_t> eod) {
    ++generation_;
    files_ = std::move(files);
    eod_ = eod;
    known_ = true;
  }
  const std::vector<CatalogEntry>& files() const { return files_; }
  int count() const { return static_cast<int>(files_.size()); }
  bool last_incomplete() const { return !files_.empty() && !files_.back().complete; }
  // Object number of end of data, when the target's positions are trusted.
  std::optional<uint64_t> eod() const { return eod_; }
  CatalogEntry& at(int i) {
    ++generation_;  // the caller may change the entry
    return files_.at(static_cast<size_t>(i));
  }
  // Changes with every change (for copies served while the unit is busy).
  uint64_t generation() const { return generation_; }

  // Files from `index` on are gone (a write there made a new end of data).
  void TruncateAt(int index) {
    ++generation_;
    if (index < count()) files_.resize(static_cast<size_t>(index));
    eod_.reset();
  }
  void Put(int index, const CatalogEntry& e) {
    TruncateAt(index);
    files_.push_back(e);
  }
  void SetEod(std::optional<uint64_t> eod) {
    ++generation_;
    eod_ = eod;
  }

 private:
  bool known_ = false;
  std::vector<CatalogEntry> files_;
  std::optional<uint64_t> eod_;
  uint64_t generation_ = 0;
};

struct ScanOptions {
  uint32_t block_size = 512;
  bool trust_positions = false;  // READ POSITION gives real numbers
  // istgt: READ POSITION reports one more than expected once the tape has
  // left BOP; the number read at BOT is then not the start of file 0.
  int64_t first_file_offset = 0;
  // istgt: SPACE filemarks that finds no more filemarks answers end of data
  // without moving, at the start of the last file even when blocks follow:
  // a READ there tells whether a file without filemark is left.
  bool verify_end_of_data = false;
  // tgtd: variable reads of another length than the record's return wrong
  // data (the fingerprint must be of the real first record).
  bool reread_mismatched = false;
  // LOCATE works: the last record of a variable-record file is read to make
  // its size exact for dd-style files (all records equal but the last).
  bool locate = false;
};

struct ScanResult {
  std::vector<CatalogEntry> files;
  std::optional<uint64_t> eod;  // object number at end of data (trusted targets)
  // FNV-1a of the first record of file 0 (with its length); 0 on a blank tape.
  uint64_t fingerprint = 0;
};

// FNV-1a 64 of `data`, seeded.
uint64_t Fnv1a(std::span<const uint8_t> data, uint64_t seed = 0xcbf29ce484222325ull);
// The medium fingerprint: FNV-1a of the first record of file 0 (`data`, the
// record's first bytes when it was only measured) and its length. Never 0.
uint64_t MediumFingerprint(std::span<const uint8_t> data, uint64_t record_length);

// Rewinds and walks the tape to end of data. On return the tape is at end of
// data (after the last filemark, or after the blocks of an incomplete last
// file), except after an incomplete last file of unknown size (somewhere in
// it).
Result<ScanResult> ScanTape(Ssc& ssc, const ScanOptions& options);

// True when the tape is at end of data: a variable READ there answers
// BLANK CHECK / end of data (tgtd: BLANK CHECK 00/00 with EOM; a fixed READ
// would answer MEDIUM ERROR 31/00). When it is not, the READ has moved the
// tape past one record (or a filemark), which `*moved_past_filemark` tells.
Result<bool> VerifyEndOfData(Ssc& ssc, uint32_t block_size, bool* moved_past_filemark);

}  // namespace tsfs
