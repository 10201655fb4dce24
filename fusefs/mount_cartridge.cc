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

Result<std::vector<TapeFileInfo>> Mount::CurrentCatalog() {
  if (!cartridge_) return unit_->Catalog();
  {
    std::lock_guard<std::mutex> hold(hold_mu_);
    if (holds_ > 0) return unit_->Catalog();
  }
  if (auto known = cartridge_->catalogs->Get(cartridge_->name, cartridge_->tagged)) {
    return std::move(known).value();
  }
  // Never seen: the cartridge is loaded to read its catalog (tsfs(8)).
  TSFS_RETURN_IF_ERROR(Hold());
  auto catalog = unit_->Catalog();
  LetGo();
  return catalog;
}

}  // namespace tsfs::fusefs
