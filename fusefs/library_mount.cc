#include "fusefs/library_mount.h"

namespace tsfs::fusefs {

LibraryMount::LibraryMount(MountOptions options, library::LibraryConfig config, Logger& logger)
    : options_(std::move(options)),
      config_(std::move(config)),
      logger_(logger),
      stamp_(MountStamp::Now()) {}

LibraryMount::~LibraryMount() { Shutdown(); }

Status LibraryMount::Start() {
  TSFS_ASSIGN_OR_RETURN(library_, library::TapeLibrary::Open(config_, logger_));
  catalogs_ = std::make_unique<library::CartridgeCatalogs>(config_.unit.catalog_dir);
  return Status::Ok();
}

void LibraryMount::Shutdown() {
  std::vector<Mount*> mounts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || library_ == nullptr) {
      shut_down_ = true;
      return;
    }
    shut_down_ = true;
    for (auto& [name, mount] : mounts_) mounts.push_back(mount.get());
  }
  for (Mount* m : mounts) m->Shutdown();
  // Every unit: the filemark of a file still open, the rewind; then the
  // cartridges go home unless -o keep_loaded.
  const Status closed = library_->Close();
  if (!closed.ok()) {
    logger_.Log(LogLevel::kError, config_.changer, "closing the library: " + closed.ToString());
  }
}

std::vector<std::string> LibraryMount::Names() {
  std::vector<std::string> names;
  if (library_ == nullptr) return names;
  for (const library::CartridgeInfo& c : library_->Cartridges()) names.push_back(c.name);
  return names;
}

Mount* LibraryMount::Find(const std::string& name) {
  if (library_ == nullptr) return nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = mounts_.find(name); it != mounts_.end()) return it->second.get();
  }
  for (const library::CartridgeInfo& c : library_->Cartridges()) {
    if (c.name != name) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = mounts_.find(name); it != mounts_.end()) return it->second.get();
    CartridgeSource source;
    source.library = library_.get();
    source.catalogs = catalogs_.get();
    source.name = name;
    source.tagged = c.volume_tag.has_value();
    // Each directory its own inode range: no two files share an inode.
    source.inode_base = ++next_directory_ << 32;
    UnitConfig unit = config_.unit;
    unit.unit = -1;
    unit.device = name;
    auto mount = std::make_unique<Mount>(options_, unit, logger_, std::move(source));
    mount->SetKernelCache(kernel_cache_, "/" + name);
    Mount* raw = mount.get();
    mounts_.emplace(name, std::move(mount));
    return raw;
  }
  return nullptr;
}

}  // namespace tsfs::fusefs
