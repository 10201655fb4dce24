// LibraryConfig: what a tape library mount needs: the changer, the drives
// (listed by hand or found), and the settings of every drive's unit.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tapecore/unit/unit_config.h"

namespace tsfs::library {

struct LibraryConfig {
  // The changer: an iSCSI LUN of peripheral type 8, /dev/sgN, or vtlib:DIR?...
  std::string changer;
  // The drives by hand (source strings); empty: the drives of a vtlib, or the
  // tape LUNs REPORT LUNS finds on the changer's iSCSI target. Either way each
  // drive is matched to its data transfer element by its serial number.
  std::vector<std::string> drives;
  // The settings of each drive's unit (buffer-kb, flags, block size, ...);
  // its device is ignored.
  UnitConfig unit;
  // How long a drive may take to become ready after a cartridge is put in.
  std::chrono::milliseconds ready_timeout{std::chrono::minutes(5)};
  // How long an access waits for a drive when every drive is in use.
  std::chrono::milliseconds busy_wait{std::chrono::seconds(2)};
  // Close() puts every cartridge back in its home slot (false: leaves them in the drives).
  bool return_home = true;
};

}  // namespace tsfs::library
