// PositionTracker: where the unit believes the tape is, counted by the unit
// itself from the answers of its own commands (file number = filemarks passed
// since the beginning of tape, block = objects passed since the start of that
// file). tgtd's READ POSITION answers all zeros, so the count is the only
// position the unit can trust there. Unknown after anything it cannot follow.
//
// Thread-safety: none; owned by the unit and used under its lock.
#pragma once

#include <cstdint>
#include <optional>

namespace tsfs {

class PositionTracker final {
 public:
  bool known() const { return file_.has_value() && block_.has_value(); }
  std::optional<int64_t> file() const { return file_; }
  std::optional<int64_t> block() const { return block_; }
  bool at_eod() const { return known() && at_eod_; }
  bool at_bot() const { return known() && *file_ == 0 && *block_ == 0; }
  // At the first block of `file` (just past its preceding filemark).
  bool AtFileStart(int64_t file) const { return known() && *file_ == file && *block_ == 0; }

  void SetUnknown() {
    file_.reset();
    block_.reset();
    at_eod_ = false;
  }
  void SetBot() { Set(0, 0, false); }
  void Set(int64_t file, int64_t block, bool at_eod) {
    file_ = file;
    block_ = block;
    at_eod_ = at_eod;
  }
  void AddBlocks(uint64_t n) {
    if (block_) *block_ += static_cast<int64_t>(n);
  }
  // Forward over `n` filemarks: at the start of a later file.
  void PassFilemarks(int64_t n) {
    if (!file_) return;
    *file_ += n;
    block_ = 0;
    at_eod_ = false;
  }
  void MarkEod() { at_eod_ = known(); }

 private:
  std::optional<int64_t> file_;
  std::optional<int64_t> block_;
  bool at_eod_ = false;
};

}  // namespace tsfs
