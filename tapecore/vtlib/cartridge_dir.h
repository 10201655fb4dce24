// The cartridges of a vtape library: the SIMH .tap images of one directory.
//
// A file name gives the home slot and the volume tag (barcode):
//   NNN-TAG.tap  slot NNN (1-based), volume tag TAG
//   NNN.tap      slot NNN, a cartridge without a barcode label
//   TAG.tap      volume tag TAG, in the first slot left free, in name order
// Other files are ignored. A volume tag is 1..32 printable ASCII characters
// without spaces (SMC-3 volume identifier). Two cartridges in one slot, a
// tag given twice, or more cartridges than `slots` are kInvalidArgument
// naming the file.
//
// Thread-safe (pure function over the directory listing).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::vtlib {

struct Cartridge {
  int slot = 0;  // 1-based home slot
  std::optional<std::string> volume_tag;
  std::string path;
};

struct CartridgeLayout {
  int slots = 0;  // storage elements: `slots` when given, else as many as needed
  std::vector<Cartridge> cartridges;  // by slot
};

// slots 0: as many as the cartridges need (at least one).
Result<CartridgeLayout> ScanCartridges(const std::string& directory, int slots);

// True when `tag` is a valid volume identifier.
bool ValidVolumeTag(const std::string& tag);

}  // namespace tsfs::vtlib
