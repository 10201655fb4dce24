// TapeUnit::Impl: the per-medium catalog kept between mounts.
#include <string>
#include <utility>

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
  StoredCatalog& c = **stored;
  if (c.block_size != config_.block_size || c.files.empty()) return false;
  if (!c.files.back().complete) {
    // A last file without filemark is what a crash or a lost session
    // leaves; what was appended behind it since (its filemark and whole
    // files: a kill right after a close keeps no newer catalog) cannot be
    // told from its own blocks. The crash test found a kept catalog that hid
    // such a file. Reading the tape again costs a scan after a crash only.
    diag_.Line(LogLevel::kInfo, "the stored catalog " + store_.PathFor(fp) +
                                    " ends in a file without filemark; reading the catalog again");
    return false;
  }

  // Check it against the tape: past its last filemark there is end of
  // data, at the object position it recorded where the target's positions
  // are trusted.
  const int n = static_cast<int>(c.files.size());
  TSFS_RETURN_IF_ERROR(ssc_.Rewind());
  TSFS_ASSIGN_OR_RETURN(SpaceResult sp, ssc_.Space(SpaceCode::kFilemarks, n));
  bool agrees = !sp.end_of_data && sp.residue == 0;
  if (agrees && caps_.read_position_trusted && c.eod) {
    TSFS_ASSIGN_OR_RETURN(Position p, ssc_.ReadPosition());
    agrees = p.block == *c.eod;
  }
  if (agrees) {
    TSFS_ASSIGN_OR_RETURN(NextRecord next, ReadNextRecord(ssc_, scratch, scratch.size(), opts));
    agrees = next.kind == NextRecord::Kind::kEndOfData;
  }
  if (!agrees) {
    diag_.Line(LogLevel::kInfo, "the stored catalog " + store_.PathFor(fp) +
                                    " does not match this tape; reading its catalog again");
    pos_.SetUnknown();
    return false;
  }
  catalog_.Reset(std::move(c.files), c.eod);
  fingerprint_ = fp;
  after_write_ = false;
  pos_.Set(n, 0, true);  // the READ at end of data did not move the tape
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
