// Catalog: the tape files of the mounted tape, built in O(files): rewind,
// then SPACE 1 filemark (+ READ POSITION where positions can be trusted) per
// file until end of data (ASC/ASCQ 00/05 whatever the key). Where READ
// POSITION cannot be trusted (tgtd answers zeros) files are counted by
// spacing and their sizes stay unknown until read or written.
//
// Thread-safety: none; owned by the unit and used under its lock. ScanTape
// uses the Ssc and must be the only user of it while it runs.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"

namespace tsfs {

struct CatalogEntry {
  uint64_t blocks = 0;  // blocks of the unit's block size (size / block size)
  bool size_known = true;
  bool complete = true;           // false: no filemark after it (crash mid-write)
  std::optional<uint64_t> start;  // READ POSITION object number of its first block
};

class Catalog final {
 public:
  bool known() const { return known_; }
  void Invalidate() {
    known_ = false;
    files_.clear();
    eod_.reset();
  }
  void Reset(std::vector<CatalogEntry> files, std::optional<uint64_t> eod) {
    files_ = std::move(files);
    eod_ = eod;
    known_ = true;
  }
  const std::vector<CatalogEntry>& files() const { return files_; }
  int count() const { return static_cast<int>(files_.size()); }
  bool last_incomplete() const { return !files_.empty() && !files_.back().complete; }
  // Object number of end of data, when the target's positions are trusted.
  std::optional<uint64_t> eod() const { return eod_; }
  CatalogEntry& at(int i) { return files_.at(static_cast<size_t>(i)); }

  // Files from `index` on are gone (a write there made a new end of data).
  void TruncateAt(int index) {
    if (index < count()) files_.resize(static_cast<size_t>(index));
    eod_.reset();
  }
  void Put(int index, const CatalogEntry& e) {
    TruncateAt(index);
    files_.push_back(e);
  }
  void SetEod(std::optional<uint64_t> eod) { eod_ = eod; }

 private:
  bool known_ = false;
  std::vector<CatalogEntry> files_;
  std::optional<uint64_t> eod_;
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
};

struct ScanResult {
  std::vector<CatalogEntry> files;
  std::optional<uint64_t> eod;  // object number at end of data (trusted targets)
};

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
