// Mount, the part that is a library cartridge's (mount.h): the lease on the
// drive holding the cartridge and the catalog of a cartridge not held.
#include "fusefs/mount.h"

namespace tsfs::fusefs {

Status Mount::Hold() {
  if (!cartridge_) return Status::Ok();
  std::lock_guard<std::mutex> hold(hold_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return Status::Error(ErrorCode::kIo, "unmounting");
  }
  if (holds_ == 0) {
    // Loads the cartridge when it is in its slot (tape_library.h); kBusy
    // when every drive serves an open file for longer than the wait.
    TSFS_ASSIGN_OR_RETURN(lease_, cartridge_->library->Acquire(cartridge_->name));
    unit_ = &lease_.unit();
  }
  ++holds_;
  return Status::Ok();
}

void Mount::LetGo() {
  if (!cartridge_) return;
  std::lock_guard<std::mutex> hold(hold_mu_);
  if (holds_ == 0 || --holds_ > 0) return;
  // What the directory shows while the cartridge is out of reach.
  auto catalog = unit_->Catalog();
  if (catalog.ok()) {
    Status kept = cartridge_->catalogs->Put(cartridge_->name, cartridge_->tagged, *catalog);
    if (!kept.ok()) {
      logger_.Log(LogLevel::kWarning, unit_name(), "cannot keep the catalog: " + kept.ToString());
    }
  }
  unit_ = nullptr;
  lease_.Release();
}

template <typename T, typename FromUnit, typename FromKnown>
Result<T> Mount::FromCurrentCatalog(const FromUnit& from_unit, const FromKnown& from_known) {
  if (!cartridge_) return from_unit(*unit_);
  {
    // hold_mu_ stays locked while the unit is read: the last LetGo of
    // another thread would otherwise give the drive back (unit_ = nullptr)
    // between the look at holds_ and the use of unit_.
    std::lock_guard<std::mutex> hold(hold_mu_);
    if (holds_ > 0) return from_unit(*unit_);
  }
  if (auto known = cartridge_->catalogs->Get(cartridge_->name, cartridge_->tagged)) {
    return from_known(*known);
  }
  // Never seen: the cartridge is loaded to read its catalog (tsfs(8)).
  TSFS_RETURN_IF_ERROR(Hold());
  Result<T> result = from_unit(*unit_);
  LetGo();
  return result;
}

Result<std::vector<TapeFileInfo>> Mount::CurrentCatalog() {
  return FromCurrentCatalog<std::vector<TapeFileInfo>>(
      [](TapeUnit& unit) { return unit.Catalog(); },
      [](const std::vector<TapeFileInfo>& known) { return known; });
}

Result<std::optional<TapeFileInfo>> Mount::CurrentCatalogFile(int index) {
  return FromCurrentCatalog<std::optional<TapeFileInfo>>(
      [index](TapeUnit& unit) { return unit.CatalogFile(index); },
      [index](const std::vector<TapeFileInfo>& known) {
        // A known catalog holds file N at position N (ParseCartridgeCatalog).
        if (index < 0 || static_cast<size_t>(index) >= known.size()) {
          return std::optional<TapeFileInfo>();
        }
        return std::optional<TapeFileInfo>(known[static_cast<size_t>(index)]);
      });
}

}  // namespace tsfs::fusefs
