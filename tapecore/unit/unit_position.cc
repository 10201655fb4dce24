// TapeUnit::Impl: the catalog, positioning, end of data, erase, retension.
#include <string>

#include "tapecore/unit/erase_progress.h"
#include "tapecore/unit/unit_impl.h"

namespace tsfs {

Status TapeUnit::Impl::CatalogForMetadataLocked() {
  // Metadata never waits for the drive: a known catalog is served from
  // memory; a tape change is noticed by the UNIT ATTENTION the next
  // command gets, or by the TEST UNIT READY at open (CheckMediumAtOpen).
  if (stream_ == StreamKind::kNone) HandleAttention();
  if (stream_ == StreamKind::kNone && !catalog_.known()) {
    TSFS_RETURN_IF_ERROR(CheckMedium());
    TSFS_RETURN_IF_ERROR(EnsureCatalog());
  } else if (!catalog_.known()) {
    return Status::Error(ErrorCode::kBusy, "the tape is busy with an open file")
        .WithContext("catalog");
  }
  return Status::Ok();
}

Result<std::vector<TapeFileInfo>> TapeUnit::Impl::Catalog() {
  UnitLock lock(*this, std::try_to_lock);
  if (!lock.owns()) {
    // A command holds the unit (perhaps on a target that does not answer):
    // the catalog as the last call left it, when there is one.
    {
      std::lock_guard<std::mutex> published(published_mu_);
      if (published_catalog_) return *published_catalog_;
    }
    lock.Lock();
  }
  TSFS_RETURN_IF_ERROR(CatalogForMetadataLocked());
  return CatalogInfoLocked();
}

Result<std::optional<TapeFileInfo>> TapeUnit::Impl::CatalogFile(int index) {
  // As Catalog(), for one file and without copying the others.
  UnitLock lock(*this, std::try_to_lock);
  if (!lock.owns()) {
    {
      std::lock_guard<std::mutex> published(published_mu_);
      if (published_catalog_) {
        if (index < 0 || static_cast<size_t>(index) >= published_catalog_->size()) {
          return std::optional<TapeFileInfo>();
        }
        return std::optional<TapeFileInfo>((*published_catalog_)[static_cast<size_t>(index)]);
      }
    }
    lock.Lock();
  }
  TSFS_RETURN_IF_ERROR(CatalogForMetadataLocked());
  if (index < 0 || static_cast<size_t>(index) >= catalog_.files().size()) {
    return std::optional<TapeFileInfo>();
  }
  return std::optional<TapeFileInfo>(CatalogFileInfoLocked(static_cast<size_t>(index)));
}

Status TapeUnit::Impl::EnsureCatalog() {
  if (catalog_.known()) return Status::Ok();
  if (store_.enabled()) {
    Result<bool> stored = LoadStoredCatalog();
    if (stored.ok() && *stored) return Status::Ok();
    if (!stored.ok()) {
      diag_.Line(LogLevel::kWarning,
                 "cannot check the stored catalog: " + stored.status().ToString());
    }
  }
  ScanOptions options;
  options.block_size = config_.block_size;
  options.trust_positions = caps_.read_position_trusted;
  options.first_file_offset = caps_.read_position_off_by_one_after_bop ? 1 : 0;
  options.verify_end_of_data = caps_.space_eod_unverified;
  options.reread_mismatched = caps_.variable_read_exact_length_only;
  options.locate = caps_.locate && caps_.read_position_trusted;
  Result<ScanResult> scan = ScanTape(ssc_, options);
  if (!scan.ok()) {
    pos_.SetUnknown();
    return Fail(scan.status().WithContext("catalog"));
  }
  catalog_.Reset(std::move(scan->files), scan->eod);
  fingerprint_ = scan->fingerprint;
  PersistCatalog();
  after_write_ = false;  // the scan rewound the tape
  if (!catalog_.last_incomplete()) {
    pos_.Set(catalog_.count(), 0, true);
  } else if (catalog_.files().back().size_known) {
    pos_.Set(catalog_.count() - 1, static_cast<int64_t>(catalog_.files().back().blocks), true);
  } else {
    pos_.SetUnknown();
  }
  return Status::Ok();
}

std::optional<uint64_t> TapeUnit::Impl::CurrentObject() {
  if (!caps_.read_position_trusted) return std::nullopt;
  Result<Position> p = ssc_.ReadPosition();
  if (!p.ok() || p->position_unknown) return std::nullopt;
  // istgt: the first block after BOP is object 1.
  if (caps_.read_position_off_by_one_after_bop && p->block == 0) return 1;
  return p->block;
}

Status TapeUnit::Impl::SeekFileStart(int index) {
  if (pos_.AtFileStart(index)) return Status::Ok();
  if (index == 0) {
    Status s = ssc_.Rewind();
    if (!s.ok()) {
      pos_.SetUnknown();
      return Fail(s);
    }
    pos_.SetBot();
    return Status::Ok();
  }
  // LOCATE to the catalogued start, where the probe found it safe.
  if (caps_.locate && caps_.read_position_trusted && catalog_.known() && index < catalog_.count()) {
    const CatalogEntry& e = catalog_.files()[static_cast<size_t>(index)];
    // An empty file starts at its own filemark. istgt: LOCATE onto a
    // filemark followed by READ goes to a wrong place.
    const bool onto_filemark = e.blocks == 0;
    if (e.start && !(onto_filemark && caps_.locate_onto_filemark_unsafe)) {
      Status s = ssc_.Locate(*e.start);
      if (s.ok()) {
        pos_.Set(index, 0, false);
        return Status::Ok();
      }
      (void)Fail(s);
      pos_.SetUnknown();
    }
  }
  // Forward SPACE from here when the tape is before the file, else rewind.
  int64_t from = 0;
  if (pos_.file() && *pos_.file() < index) {
    from = *pos_.file();
  } else {
    Status s = ssc_.Rewind();
    if (!s.ok()) {
      pos_.SetUnknown();
      return Fail(s);
    }
    pos_.SetBot();
  }
  const int64_t n = index - from;
  Result<SpaceResult> sp = ssc_.Space(SpaceCode::kFilemarks, static_cast<int32_t>(n));
  if (!sp.ok()) {
    pos_.SetUnknown();
    return Fail(sp.status());
  }
  if (sp->end_of_data) {
    pos_.SetUnknown();
    return Status::Error(ErrorCode::kNotFound,
                         "tape file " + std::to_string(index) + " does not exist (end of data)")
        .WithContext("space");
  }
  pos_.Set(index, 0, false);
  return Status::Ok();
}

Status TapeUnit::Impl::SeekEndOfData() {
  if (pos_.at_eod()) return Status::Ok();
  Result<SpaceResult> sp = ssc_.Space(SpaceCode::kEndOfData, 0);
  if (!sp.ok()) {
    pos_.SetUnknown();
    return Fail(sp.status());
  }
  // istgt: SPACE end-of-data stops right after the last filemark even when
  // blocks follow it. A READ must answer end of data here before anything is
  // written; otherwise space on, filemark by filemark, to the real end.
  for (int guard = 0;; ++guard) {
    bool past_filemark = false;
    Result<bool> at_eod = VerifyEndOfData(ssc_, config_.block_size, &past_filemark);
    if (!at_eod.ok()) {
      pos_.SetUnknown();
      return Fail(at_eod.status().WithContext("verify end of data"));
    }
    if (*at_eod) break;
    if (guard > 1'000'000) {
      pos_.SetUnknown();
      return Status::Error(ErrorCode::kIo, "end of data not found").WithContext("space");
    }
    diag_.Line(LogLevel::kInfo, "data after SPACE end-of-data: spacing on to the real end");
    if (!past_filemark) {
      Result<SpaceResult> on = ssc_.Space(SpaceCode::kFilemarks, 1);
      if (!on.ok()) {
        pos_.SetUnknown();
        return Fail(on.status());
      }
    }
  }
  if (!catalog_.known()) {
    pos_.SetUnknown();
  } else if (!catalog_.last_incomplete()) {
    pos_.Set(catalog_.count(), 0, true);
  } else if (catalog_.files().back().size_known) {
    pos_.Set(catalog_.count() - 1, static_cast<int64_t>(catalog_.files().back().blocks), true);
  } else {
    pos_.SetUnknown();
  }
  return Status::Ok();
}

Status TapeUnit::Impl::EraseWholeTape(bool for_write) {
  static constexpr const char* kIllegalErase = "Illegal request on erase";
  // tgtd: ERASE answers ILLEGAL REQUEST 20/00. A write from BOT goes on
  // without it (writing there makes a new end of data anyway), and the
  // refusal is logged once. A refusal is remembered only when the drive
  // answered one (to the probe or to this unit); a refusal assumed from the
  // target's identity (tgtd, tape not blank at the probe, so ERASE never
  // tried) only skips the erase before a write: mt erase asks the drive, so
  // the caller gets the target's own answer.
  const bool refusal_seen = erase_refused_ || (!caps_.erase && caps_.erase_tested);
  if (refusal_seen || (for_write && !caps_.erase)) {
    if (!erase_logged_) diag_.Line(LogLevel::kError, kIllegalErase);
    erase_logged_ = true;
    if (for_write) return Status::Ok();
    if (!erase_refusal_.ok()) return erase_refusal_;
    return Status::Error(ErrorCode::kUnsupported, kIllegalErase).WithContext("erase");
  }
  diag_.Line(LogLevel::kInfo, "erasing the whole tape");
  Status s = ssc_.Rewind();
  if (!s.ok()) {
    pos_.SetUnknown();
    return Fail(s);
  }
  pos_.SetBot();
  Status e = EraseWithProgress(ssc_, diag_);
  if (!e.ok()) {
    const bool refused = e.sense() && e.sense()->key == SenseKey::kIllegalRequest;
    if (!refused) {
      pos_.SetUnknown();
      return Fail(e);
    }
    // The drive's own answer is logged with its sense, even after the
    // assumed refusal's line: it is the first one the drive gave.
    diag_.CommandFailed(e);
    erase_logged_ = true;
    erase_refused_ = true;
    erase_refusal_ = e.WithCode(ErrorCode::kUnsupported);
    if (!for_write) return erase_refusal_;
  }
  s = ssc_.Rewind();
  if (!s.ok()) {
    pos_.SetUnknown();
    return Fail(s);
  }
  pos_.SetBot();
  if (e.ok()) {
    catalog_.Reset({}, caps_.read_position_trusted ? std::optional<uint64_t>(0) : std::nullopt);
  }
  return Status::Ok();
}

Status TapeUnit::Impl::Retension() {
  Status s = ssc_.LoadUnload(/*load=*/true, /*retension=*/true);
  retension_pending_ = false;
  if (!s.ok()) return Fail(s);
  // tgtd: LOAD with RETEN leaves the position alone; rewind so every target
  // ends at BOT as a retension does.
  s = ssc_.Rewind();
  if (!s.ok()) {
    pos_.SetUnknown();
    return Fail(s);
  }
  pos_.SetBot();
  after_write_ = false;
  return Status::Ok();
}

}  // namespace tsfs
