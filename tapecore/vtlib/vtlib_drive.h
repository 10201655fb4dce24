// VtlibDrive: one drive of the vtape library, a data transfer element.
//
// The drive is a VtapeTarget while a cartridge is in it (a MOVE MEDIUM into
// the drive opens the image, a MOVE MEDIUM out of it closes it) and answers
// by itself while it is empty: INQUIRY with the drive's own serial number
// (VPD 0x80) and device identifier (VPD 0x83, the identifier READ ELEMENT
// STATUS reports for its element), REQUEST SENSE, PREVENT ALLOW, and NOT
// READY 3A/00 (medium not present) for everything else. For `load_ms` after a
// cartridge was put in, medium commands answer NOT READY 04/01 (becoming
// ready); then the first one answers UNIT ATTENTION 28/00 (medium changed).
// A `stuck` drive answers UNLOAD with HARDWARE ERROR 53/00. A drive that went
// away (GoAway) answers nothing: every command fails as on a lost connection.
//
// Thread-safe: one mutex per drive; the library takes its own mutex first.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/vtape/vtape_options.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs::vtlib {

struct DriveState {
  bool loaded = false;     // a cartridge is in the drive
  bool ejected = false;    // the host sent UNLOAD since it was put in
  bool prevented = false;  // PREVENT MEDIUM REMOVAL is in force
  bool stuck = false;      // fault: will not unload
};

class VtlibDrive final {
 public:
  VtlibDrive(std::string serial, bool stuck);
  VtlibDrive(const VtlibDrive&) = delete;
  VtlibDrive& operator=(const VtlibDrive&) = delete;

  // A command from the host on the drive's logical unit.
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data, double now);

  // The robot puts a cartridge in: opens its image (kNotFound, kCorrupt,
  // kBusy from TapImage). The drive becomes ready at `ready_at`.
  Status Load(const vtape::VtapeOptions& cartridge, double ready_at);
  // The robot takes the cartridge out: closes its image.
  void Unload();

  // Fault: from now on the drive's logical unit does not answer. The
  // robot still sees the drive (Load/Unload work).
  void GoAway() { gone_ = true; }
  bool gone() const { return gone_.load(); }

  DriveState State() const;
  const std::string& serial() const { return serial_; }
  // T10 vendor ID identifier: vendor (8), product (16), serial.
  std::string Identifier() const;
  // Statistics of the cartridge in the drive, if any.
  std::optional<vtape::VtapeStats> CartridgeStats() const;

 private:
  ScsiResponse Inquiry(Cdb cdb, DataBuffer& data) const;

  const std::string serial_;
  const bool stuck_;
  std::atomic<bool> gone_{false};
  mutable std::mutex mu_;
  std::unique_ptr<vtape::VtapeTarget> target_;  // guarded by mu_; null when empty
  double ready_at_ = 0;                         // guarded by mu_
  bool ejected_ = false;                        // guarded by mu_
  bool prevented_ = false;                      // guarded by mu_
};

// Seconds on the monotonic clock (the time the drives and the robot use).
double MonotonicSeconds();

// Copies `bytes` into a data-in buffer, at most `allocation` bytes; the
// response's residual says how much of the buffer was not filled.
ScsiResponse DataInResponse(DataBuffer& data, const std::vector<uint8_t>& bytes, size_t allocation);
// CHECK CONDITION with fixed-format sense.
ScsiResponse CheckCondition(SenseKey key, uint8_t asc, uint8_t ascq);

}  // namespace tsfs::vtlib
