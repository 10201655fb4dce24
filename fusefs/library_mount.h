// LibraryMount: a tape library mounted as one directory tree (tsfs(8),
// LIBRARIES): one directory per cartridge, named by its volume tag or
// slotNNN, each served by its own Mount over the TapeLibrary, so every rule
// of a single-tape mount holds inside it. A cartridge is loaded when one of
// its files is opened (or its directory is listed and no catalog of it is
// known); the library's policy picks the drive and unloads the least
// recently used idle one when every drive is taken.
//
// The catalogs seen in this mount are kept per volume tag in the catalog
// directory (cartridge_catalogs.h), so a later mount lists a cartridge
// that is not in a drive without loading it.
//
// Thread-safe: mu_ guards the table of cartridge mounts; the mounts and
// the library have their own locks (lock order: LibraryMount::mu_ is never
// held while calling into a Mount).
#pragma once

#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fusefs/mount.h"
#include "fusefs/mount_options.h"
#include "fusefs/mount_stamp.h"
#include "tapecore/library/cartridge_catalogs.h"
#include "tapecore/library/library_config.h"
#include "tapecore/library/tape_library.h"
#include "tapecore/status.h"
#include "tapecore/unit/logger.h"

namespace tsfs::fusefs {

class LibraryMount final {
 public:
  LibraryMount(MountOptions options, library::LibraryConfig config, Logger& logger);
  ~LibraryMount();
  LibraryMount(const LibraryMount&) = delete;
  LibraryMount& operator=(const LibraryMount&) = delete;

  // Opens the changer and the drives and reads the element status. No
  // cartridge is loaded.
  Status Start();
  // Unmount: every cartridge mount finishes its files, then the library
  // rewinds each loaded cartridge and puts it back in its home slot
  // (unless -o keep_loaded). Idempotent.
  void Shutdown();

  const MountStamp& stamp() const { return stamp_; }
  // The cartridges, in home slot order (no command: the last element status).
  std::vector<std::string> Names();
  // The directory of cartridge `name`; nullptr when the library has none.
  Mount* Find(const std::string& name);
  library::TapeLibrary& library() { return *library_; }
  // Given to every cartridge's Mount (Mount::SetKernelCache) as "/NAME".
  void SetKernelCache(const KernelCache* cache) { kernel_cache_ = cache; }

 private:
  Mount* MountFor(const std::string& name);  // mu_ held; creates it

  const MountOptions options_;
  const library::LibraryConfig config_;
  Logger& logger_;
  const MountStamp stamp_;
  std::unique_ptr<library::TapeLibrary> library_;
  std::unique_ptr<library::CartridgeCatalogs> catalogs_;
  const KernelCache* kernel_cache_ = nullptr;  // set before serving

  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Mount>> mounts_;  // guarded by mu_
  uint64_t next_directory_ = 0;                           // guarded by mu_
  bool shut_down_ = false;                                // guarded by mu_
};

}  // namespace tsfs::fusefs
