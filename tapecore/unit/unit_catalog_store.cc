// TapeUnit::Impl: the per-medium catalog kept between mounts.
#include <string>

#include "tapecore/unit/record_reader.h"
#include "tapecore/unit/unit_impl.h"

namespace tsfs {

namespace {

constexpr size_t kFingerprintBuffer = 1024 * 1024;  // as the catalog scan

}  // namespace

Result<uint64_t> TapeUnit::Impl::ReadFingerprint() {
  // Which medium: the first record of file 0.
  TSFS_RETURN_IF_ERROR(ssc_.Rewind());
  pos_.SetBot();
  std::vector<uint8_t> scratch(kFingerprintBuffer);
  RecordReadOptions opts;
  opts.need_data = false;
  opts.reread_mismatched = caps_.variable_read_exact_length_only;
  TSFS_ASSIGN_OR_RETURN(NextRecord first, ReadNextRecord(ssc_, scratch, scratch.size(), opts));
  pos_.SetUnknown();
  if (first.kind != NextRecord::Kind::kRecord) return uint64_t{0};  // blank, or file 0 empty
  return MediumFingerprint({scratch.data(), first.data_valid ? first.length : 0}, first.length);
}

Result<bool> TapeUnit::Impl::LoadStoredCatalog() {
  TSFS_ASSIGN_OR_RETURN(const uint64_t fp, ReadFingerprint());
  if (fp == 0) return false;
  std::vector<uint8_t> scratch(kFingerprintBuffer);
  RecordReadOptions opts;
  opts.need_data = false;
  opts.reread_mismatched = caps_.variable_read_exact_length_only;
  Result<std::optional<StoredCatalog>> stored = store_.Load(fp);
  if (!stored.ok()) {
    diag_.Line(LogLevel::kWarning, "ignoring the stored catalog " + store_.PathFor(fp) + ": " +
                                       stored.status().ToString());
    return false;
  }
  if (!stored->has_value()) return false;
  const StoredCatalog& c = **stored;
  if (c.block_size != config_.block_size || c.files.empty()) return false;

  // Check it against the tape: past the last filemark it knows of there is
  // end of data (or the blocks of a last file without filemark), at the
  // object position it recorded where the target's positions are trusted.
  const int n = static_cast<int>(c.files.size());
  const int with_filemark = c.files.back().complete ? n : n - 1;
  TSFS_RETURN_IF_ERROR(ssc_.Rewind());
  bool agrees = true;
  if (with_filemark > 0) {
    TSFS_ASSIGN_OR_RETURN(SpaceResult sp, ssc_.Space(SpaceCode::kFilemarks, with_filemark));
    agrees = !sp.end_of_data && sp.residue == 0;
    if (agrees && caps_.read_position_trusted) {
      const std::optional<uint64_t> expected =
          with_filemark < n ? c.files[static_cast<size_t>(with_filemark)].start : c.eod;
      TSFS_ASSIGN_OR_RETURN(Position p, ssc_.ReadPosition());
      if (expected && p.block != *expected) agrees = false;
    }
  }
  if (agrees) {
    TSFS_ASSIGN_OR_RETURN(NextRecord next, ReadNextRecord(ssc_, scratch, scratch.size(), opts));
    agrees = with_filemark == n ? next.kind == NextRecord::Kind::kEndOfData
                                : next.kind == NextRecord::Kind::kRecord;
  }
  if (!agrees) {
    diag_.Line(LogLevel::kInfo, "the stored catalog " + store_.PathFor(fp) +
                                    " does not match this tape; reading its catalog again");
    pos_.SetUnknown();
    return false;
  }
  catalog_.Reset(c.files, c.eod);
  fingerprint_ = fp;
  after_write_ = false;
  if (with_filemark == n) {
    pos_.Set(n, 0, true);  // the READ at end of data did not move the tape
  } else {
    pos_.SetUnknown();
  }
  diag_.Line(LogLevel::kInfo, "catalog of " + std::to_string(n) + " files from " +
                                  store_.PathFor(fp) + " (checked against the tape)");
  return true;
}

void TapeUnit::Impl::PersistCatalog() {
  if (!store_.enabled() || fingerprint_ == 0 || !catalog_.known() || catalog_.count() == 0) {
    return;
  }
  StoredCatalog c;
  c.block_size = config_.block_size;
  c.eod = catalog_.eod();
  c.files = catalog_.files();
  Status s = store_.Save(fingerprint_, c);
  if (!s.ok()) diag_.Line(LogLevel::kWarning, "cannot keep the catalog: " + s.ToString());
}

void TapeUnit::Impl::NoteWrittenBytes(std::span<const uint8_t> data) {
  if (stream_index_ != 0 || offset_ >= config_.block_size) return;
  const size_t want = config_.block_size - static_cast<size_t>(offset_);
  first_block_.insert(first_block_.end(), data.begin(),
                      data.begin() + static_cast<long>(std::min(want, data.size())));
}

}  // namespace tsfs
