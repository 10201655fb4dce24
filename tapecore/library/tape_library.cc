// TapeLibrary: opening, the inventory, cartridge names, leases and Close.
// The load/unload policy is in library_policy.cc.
#include "tapecore/library/tape_library.h"

#include <algorithm>
#include <cstdio>

#include "tapecore/library/drive_matcher.h"
#include "tapecore/library/library_source.h"
#include "tapecore/smc/drive_identity.h"

namespace tsfs::library {

DriveLease::DriveLease(DriveLease&& other) noexcept
    : library_(other.library_), drive_(other.drive_), unit_(other.unit_) {
  other.library_ = nullptr;
}

DriveLease& DriveLease::operator=(DriveLease&& other) noexcept {
  if (this != &other) {
    Release();
    library_ = other.library_;
    drive_ = other.drive_;
    unit_ = other.unit_;
    other.library_ = nullptr;
  }
  return *this;
}

DriveLease::~DriveLease() { Release(); }

void DriveLease::Release() {
  if (library_ != nullptr) library_->ReleaseLease(drive_);
  library_ = nullptr;
}

Result<std::unique_ptr<TapeLibrary>> TapeLibrary::Open(const LibraryConfig& config,
                                                       Logger& logger) {
  TSFS_ASSIGN_OR_RETURN(LibraryTransports t, OpenLibraryTransports(config));
  return Open(config, std::move(t.changer), std::move(t.drives), logger);
}

Result<std::unique_ptr<TapeLibrary>> TapeLibrary::Open(
    const LibraryConfig& config, std::unique_ptr<Transport> changer,
    std::vector<std::unique_ptr<Transport>> drives, Logger& logger) {
  std::unique_ptr<TapeLibrary> lib(new TapeLibrary(config, std::move(changer), logger));
  TSFS_RETURN_IF_ERROR(lib->Init(std::move(drives)).WithContext("library " + config.changer));
  return lib;
}

TapeLibrary::TapeLibrary(LibraryConfig config, std::unique_ptr<Transport> changer, Logger& logger)
    : config_(std::move(config)), logger_(logger), changer_(std::move(changer)), smc_(*changer_) {}

TapeLibrary::~TapeLibrary() { (void)Close(); }

Status TapeLibrary::Init(std::vector<std::unique_ptr<Transport>> transports) {
  TSFS_ASSIGN_OR_RETURN(InquiryData inquiry, smc_.Inquiry());
  TSFS_RETURN_IF_ERROR(smc::CheckChangerDevice(inquiry));
  // A fresh session may begin with UNIT ATTENTION (power on, reset).
  for (int i = 0; i < 3 && !smc_.TestUnitReady().ok(); ++i) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  TSFS_RETURN_IF_ERROR(Refresh());
  std::vector<smc::DriveIdentity> identities;
  for (auto& t : transports) {
    auto id = smc::ReadDriveIdentity(*t);
    if (!id.ok()) {
      logger_.Log(LogLevel::kWarning, config_.changer,
                  "drive " + t->Describe() + " not used: " + id.status().ToString());
    }
    identities.push_back(id.ok() ? std::move(id).value() : smc::DriveIdentity{});
  }
  TSFS_ASSIGN_OR_RETURN(std::vector<int> match, MatchDrives(inventory_.drives, identities));
  for (size_t i = 0; i < match.size(); ++i) {
    if (match[i] < 0) {
      logger_.Log(LogLevel::kWarning, config_.changer,
                  "no drive found for data transfer element " +
                      std::to_string(inventory_.drives[i].address));
      continue;
    }
    Drive d;
    d.transport = std::make_unique<DriveLink>(std::move(transports[match[i]]));
    d.element = inventory_.drives[i].address;
    drives_.push_back(std::move(d));
  }
  if (drives_.empty()) {
    return Status::Error(ErrorCode::kNotFound,
                         "no drive of the library could be matched to its "
                         "data transfer element");
  }
  return Status::Ok();
}

Status TapeLibrary::Refresh() {
  for (int attempt = 1;; ++attempt) {
    Result<smc::Inventory> read = smc_.ReadAllElements();
    if (read.ok()) {
      inventory_ = std::move(read).value();
      return Status::Ok();
    }
    // A UNIT ATTENTION answers one command in place of doing it (a reset;
    // tgtd's 3F/0E, reported LUNs data has changed, after a LUN of the
    // target was removed): ask again.
    const SenseData* sense = read.status().sense();
    if (sense == nullptr || sense->key != SenseKey::kUnitAttention || attempt == 4) {
      return read.status();
    }
  }
}

std::string TapeLibrary::NameOf(const smc::ElementStatus& e) const {
  if (e.volume_tag) return *e.volume_tag;
  uint16_t home = e.address;
  if (e.type != smc::ElementType::kStorage && e.source) home = *e.source;
  char buf[16];
  std::snprintf(buf, sizeof buf, "slot%03d", home - inventory_.addresses.storage.first + 1);
  return buf;
}

const smc::ElementStatus* TapeLibrary::FindCartridge(const std::string& name) const {
  for (const auto* list : {&inventory_.storage, &inventory_.drives, &inventory_.import_export}) {
    for (const smc::ElementStatus& e : *list) {
      if (e.full && NameOf(e) == name) return &e;
    }
  }
  return nullptr;
}

int TapeLibrary::DriveAt(uint16_t element) const {
  for (size_t i = 0; i < drives_.size(); ++i) {
    if (drives_[i].element == element) return static_cast<int>(i);
  }
  return -1;
}

std::vector<CartridgeInfo> TapeLibrary::Cartridges() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<CartridgeInfo> out;
  for (const auto* list : {&inventory_.storage, &inventory_.drives, &inventory_.import_export}) {
    for (const smc::ElementStatus& e : *list) {
      if (!e.full) continue;
      CartridgeInfo c;
      c.name = NameOf(e);
      c.volume_tag = e.volume_tag;
      c.location = e.address;
      c.home = e.type == smc::ElementType::kStorage ? e.address : e.source.value_or(0);
      c.slot = c.home ? c.home - inventory_.addresses.storage.first + 1 : 0;
      c.drive = DriveAt(e.address);
      out.push_back(std::move(c));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const CartridgeInfo& a, const CartridgeInfo& b) { return a.home < b.home; });
  return out;
}

int TapeLibrary::UsableDrives() {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const Drive& d : drives_) n += d.failed ? 0 : 1;
  return n;
}

LibraryStats TapeLibrary::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

Result<DriveLease> TapeLibrary::LeaseOn(int drive) {
  Drive& d = drives_[drive];
  ++d.leases;
  d.last_used = ++tick_;
  return DriveLease(this, drive, d.unit.get());
}

void TapeLibrary::ReleaseLease(int drive) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Drive& d = drives_[drive];
    --d.leases;
    d.last_used = ++tick_;
    if (d.stale && d.leases == 0) {
      d.unit.reset();  // its transport is cut: nothing reaches the drive
      d.ref = nullptr;
      d.stale = false;
    }
  }
  released_.notify_all();
}

Status TapeLibrary::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return Status::Ok();
  closed_ = true;
  Status first;
  TakeOutGoneDrives();
  for (size_t i = 0; i < drives_.size(); ++i) {
    Drive& d = drives_[i];
    if (!d.unit || !StillThere(static_cast<int>(i))) continue;
    if (config_.return_home) {
      const Status st = Unload(static_cast<int>(i));
      if (first.ok()) first = st;
    } else {
      const Status st = d.unit->Release();
      if (first.ok()) first = st;
      d.unit.reset();
    }
  }
  return first;
}

}  // namespace tsfs::library
