// CatalogStore: what tsfs has learned about a medium (files, their exact
// sizes and record structure, end of data), kept between mounts in one file
// per medium under a directory (default /var/lib/tsfs/catalog).
//
// A medium is known by its fingerprint: FNV-1a of the first record of file
// 0 with its length (catalog.h). Drives that identify their media better
// (MAM serial numbers, barcodes) can key by that instead; the stored catalog
// is never trusted blindly: the unit checks it against the tape with a
// bounded number of commands at mount (the file count, end of data, the
// object position where the target has one) and scans the tape again when
// they disagree.
//
// File format (text, one file per medium, replaced atomically):
//   tsfs-catalog 1
//   block-size 512
//   eod 1234            (or "eod -")
//   file BLOCKS BLOCKS_KNOWN BYTES SIZE FIRST_RECORD COMPLETE START
// with SIZE one of exact/estimated/unknown and START a number or "-".
//
// Thread-safety: none; the unit uses it under its lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/unit/catalog.h"

namespace tsfs {

inline constexpr const char* kDefaultCatalogDir = "/var/lib/tsfs/catalog";

struct StoredCatalog {
  uint32_t block_size = 512;
  std::optional<uint64_t> eod;
  std::vector<CatalogEntry> files;
};

// Text form of a stored catalog, and back. Parse errors say which line.
std::string FormatStoredCatalog(const StoredCatalog& c);
Result<StoredCatalog> ParseStoredCatalog(const std::string& text);

class CatalogStore final {
 public:
  // `dir` empty: nothing is stored or loaded.
  explicit CatalogStore(std::string dir) : dir_(std::move(dir)) {}
  bool enabled() const { return !dir_.empty(); }

  // The file that holds the catalog of the medium with this fingerprint.
  std::string PathFor(uint64_t fingerprint) const;
  // nullopt when nothing is stored (or the store is disabled); an error
  // when a file is there but unreadable or malformed.
  Result<std::optional<StoredCatalog>> Load(uint64_t fingerprint) const;
  // Creates the directory (0700) when missing; write + rename.
  Status Save(uint64_t fingerprint, const StoredCatalog& c) const;
  Status Forget(uint64_t fingerprint) const;

 private:
  std::string dir_;
};

}  // namespace tsfs
