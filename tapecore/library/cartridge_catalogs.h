// CartridgeCatalogs: the tape files of each cartridge of a library as tsfs
// last saw them in a drive, by cartridge name, so that the directory of a
// cartridge that is in its slot can be listed without loading it.
//
// Kept in memory for the mount and, for cartridges with a volume tag (a
// barcode names a cartridge across mounts; slotNNN does not), in one file
// per tag under the catalog directory (the one of catalog_store.h):
//   tsfs-cartridge 1
//   file INDEX BLOCKS SIZE_KNOWN COMPLETE BYTES SIZE_EXACT FIRST_RECORD
// What is listed from here is what tsfs knew when the cartridge left the
// drive; a cartridge written elsewhere since shows its new files once it is
// loaded (the unit then reads and checks its own catalog).
//
// Thread-safe: one mutex.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/unit/tape_unit.h"

namespace tsfs::library {

std::string FormatCartridgeCatalog(const std::vector<TapeFileInfo>& files);
Result<std::vector<TapeFileInfo>> ParseCartridgeCatalog(const std::string& text);

class CartridgeCatalogs final {
 public:
  // `dir` empty: memory only.
  explicit CartridgeCatalogs(std::string dir) : dir_(std::move(dir)) {}

  // What is known of `name`: from memory, else from its file (tagged ones);
  // nullptr when nothing is. Shared, not copied: getattr looks up one file
  // in it per name, so `ls -l` of a cartridge in its slot stays linear.
  std::shared_ptr<const std::vector<TapeFileInfo>> Get(const std::string& name, bool tagged);
  // Remembers the catalog; writes the file of a tagged cartridge (errors
  // returned; memory is updated anyway).
  Status Put(const std::string& name, bool tagged, const std::vector<TapeFileInfo>& files);
  // The file of a tag (empty when the store is memory only or the tag
  // cannot be a file name).
  std::string PathFor(const std::string& tag) const;

 private:
  const std::string dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const std::vector<TapeFileInfo>>> known_;  // guarded by mu_
};

}  // namespace tsfs::library
