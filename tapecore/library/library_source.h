// Opens the transports of a library: the changer and every drive that may
// belong to it (not yet matched to elements; see drive_matcher.h).
//   vtlib:DIR?...          the vtape library and its drives
//   iscsi://h:p/iqn/LUN    the changer LUN; the drives are the config's, or the
//                          tape LUNs (peripheral type 1) REPORT LUNS lists on
//                          the same target
//   anything else          the changer by OpenSource, drives from the config
// kNotChanger when the changer is no media changer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tapecore/library/library_config.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs::library {

struct LibraryTransports {
  std::unique_ptr<Transport> changer;
  std::vector<std::unique_ptr<Transport>> drives;
};

Result<LibraryTransports> OpenLibraryTransports(const LibraryConfig& config);

}  // namespace tsfs::library
