// One tape library for a test, the same shape on both kinds: the vtape
// library (in-process) or tgtd's virtual tape library (iSCSI on loopback),
// with `drives` drives and `cartridges` cartridges LIB001.. in the first
// slots of `slots`. Opens the transports of the changer and of the drives.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/vtlib/vtape_library.h"
#include "tests/support/library_targets.h"
#include "tests/support/temp_dir.h"

namespace tsfs::testing {

enum class LibraryKind { kVtlib, kTgtd };
const char* LibraryKindName(LibraryKind kind);

struct TestLibrary {
  LibraryKind kind = LibraryKind::kVtlib;
  LibraryOptions options;
  std::string changer_source;                  // vtlib:DIR?... or iscsi://.../LUN
  std::vector<std::string> drive_sources;      // iscsi URIs (tgtd); empty for vtlib
  TempDir dir;                                 // vtlib: the cartridges (outlives vtlib)
  std::shared_ptr<vtlib::VtapeLibrary> vtlib;  // vtlib only
  std::unique_ptr<TapeLibraryTarget> tgtd;     // tgtd only

  std::string barcode(int i) const;
  Result<std::unique_ptr<Transport>> OpenChanger();
  Result<std::unique_ptr<Transport>> OpenDrive(int index);  // in element order
  // Drive `index` goes away now: vtlib's drive stops answering; tgtd's LUN
  // is removed.
  Status RemoveDrive(int index);
};

// `vtlib_extra`: more vtlib options ("robot=5&failmove=2"), ignored for tgtd.
// kNotFound when tgt is missing (tgtd only).
Result<std::unique_ptr<TestLibrary>> StartTestLibrary(LibraryKind kind,
                                                      const LibraryOptions& options = {},
                                                      const std::string& vtlib_extra = "");

}  // namespace tsfs::testing
