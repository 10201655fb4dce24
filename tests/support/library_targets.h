// A tape library for the tests: tgtd's virtual tape library (a media
// changer LUN whose data transfer elements are tape LUNs of the same target,
// the recipe of tgt's README.vtl and TARGETS.md), on a free loopback port
// with a private control port and fresh cartridge images, torn down in the
// destructor (also when a test fails).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::testing {

struct LibraryOptions {
  int drives = 2;
  int cartridges = 6;  // in slots 1..cartridges, barcodes LIB001, LIB002, ...
  int slots = 8;       // storage elements (slots after the cartridges are empty)
  int size_mb = 50;    // each cartridge image
};

class TapeLibraryTarget {
 public:
  virtual ~TapeLibraryTarget() = default;
  virtual std::string name() const = 0;
  virtual std::string changer_uri() const = 0;
  // The drive LUNs in data transfer element order.
  virtual std::vector<std::string> drive_uris() const = 0;
  // The barcode of cartridge i (0-based).
  virtual std::string barcode(int i) const = 0;
  virtual std::string LogTail() const { return {}; }
  // Drive `index` (0-based, element order) goes away: its LUN is removed
  // from the target while the changer still lists it.
  virtual Status RemoveDrive(int index) = 0;
};

// Starts tgtd as a VTL. kNotFound when tgt is not installed.
Result<std::unique_ptr<TapeLibraryTarget>> StartTgtdLibrary(const LibraryOptions& options = {});

}  // namespace tsfs::testing
