// VtapeLibrary: an in-process SCSI media changer (SMC-3) over a directory of
// SIMH .tap images, with VtlibDrive drives: the tape library of vtape.
//
// Source: "vtlib:DIR[?options]" (vtlib_options.h; cartridge naming in
// cartridge_dir.h). Every open starts with each cartridge in its home slot and
// the drives and mail slots empty; nothing of the robot's state is stored.
//
// Element addresses: the picker 0x0001, import/export 0x0010.., drives
// 0x0100.., slots 0x1000.. (slot N at 0x1000 + N - 1).
//
// What the changer answers (fixed-format sense):
//   INQUIRY (type 8, "TSFS" "VTLIB", VPD 0x00/0x80), TEST UNIT READY, REQUEST
//   SENSE, REPORT LUNS, MODE SENSE(6/10) page 0x1D (or 0x3F), INITIALIZE
//   ELEMENT STATUS, READ ELEMENT STATUS (element types 0-4, VOLTAG with the
//   primary volume tag, DVCID with the drives' T10 vendor identifier, the
//   allocation length honoured), MOVE MEDIUM, PREVENT ALLOW MEDIUM REMOVAL.
//   Anything else: ILLEGAL REQUEST 20/00; a bad field: 24/00.
// MOVE MEDIUM, strictly:
//   - an address that is no element (or a picker that is not ours): ILLEGAL
//     REQUEST 21/01 (invalid element address); INVERT: 24/00 (one side);
//   - source empty: ILLEGAL REQUEST 3B/0E; destination full: 3B/0D;
//   - out of a drive whose host set PREVENT MEDIUM REMOVAL: ILLEGAL REQUEST
//     53/02; out of a stuck drive: HARDWARE ERROR 53/00;
//   - out of a drive the host did not UNLOAD: the robot unloads it (as real
//     libraries do) and counts a forced unload;
//   - into a drive, an image that does not open: HARDWARE ERROR 15/01, the
//     cartridge goes back to its source.
//   - out of a drive that went away (gone=): as out of any other; into it:
//     the robot puts it in (it does not know the drive's link is gone).
//   Each move takes the robot time; a failed move changes nothing.
//
// Thread-safe: the changer state has one mutex (taken first); each drive its own.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tapecore/smc/element.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/vtlib/cartridge_dir.h"
#include "tapecore/vtlib/vtlib_drive.h"
#include "tapecore/vtlib/vtlib_options.h"

namespace tsfs::vtlib {

struct VtlibStats {
  uint64_t moves = 0;           // MOVE MEDIUM commands that moved a cartridge
  uint64_t failed_moves = 0;    // MOVE MEDIUM commands answered CHECK CONDITION
  uint64_t forced_unloads = 0;  // moves out of a drive the host had not unloaded
  uint64_t element_status_reads = 0;
  uint64_t initializations = 0;  // INITIALIZE ELEMENT STATUS
  double robot_seconds = 0;      // robot time spent moving
};

class VtapeLibrary final : public std::enable_shared_from_this<VtapeLibrary> {
 public:
  static Result<std::shared_ptr<VtapeLibrary>> Open(const std::string& spec);
  VtapeLibrary(const VtapeLibrary&) = delete;
  VtapeLibrary& operator=(const VtapeLibrary&) = delete;

  // Transports on the changer and on drive `index`; each keeps the library alive.
  std::unique_ptr<Transport> OpenChanger();
  Result<std::unique_ptr<Transport>> OpenDrive(int index);
  int drive_count() const { return static_cast<int>(drives_.size()); }
  const smc::ElementAddressAssignment& addresses() const { return addresses_; }
  const VtlibOptions& options() const { return options_; }
  VtlibStats Stats() const;
  const VtlibDrive& drive(int index) const { return *drives_[index]; }
  // Fault, now (as gone= does at a move): drive `index` stops answering.
  void DriveGoesAway(int index) { drives_[index]->GoAway(); }

  Result<ScsiResponse> ExecuteChanger(Cdb cdb, DataBuffer data);
  Result<ScsiResponse> ExecuteDrive(int index, Cdb cdb, DataBuffer data);

 private:
  struct Element {
    smc::ElementType type = smc::ElementType::kStorage;
    uint16_t address = 0;
    int cartridge = -1;  // index into cartridges_, -1 when empty
    std::optional<uint16_t> source;
    bool except = false;
    uint8_t asc = 0, ascq = 0;
    int drive = -1;  // data transfer elements: index into drives_
  };
  struct CartridgeState {
    Cartridge cartridge;
    bool missing = false;  // fault: listed but not really in its slot
  };

  VtapeLibrary(VtlibOptions options, CartridgeLayout layout);

  Element* Find(uint16_t address);
  ScsiResponse Inquiry(Cdb cdb, DataBuffer& data);
  ScsiResponse ModeSense(Cdb cdb, DataBuffer& data, bool ten);
  ScsiResponse ReadElementStatus(Cdb cdb, DataBuffer& data);
  ScsiResponse MoveMedium(Cdb cdb);
  ScsiResponse Move(Element& from, Element& to);
  std::vector<uint8_t> Descriptor(const Element& e, bool voltag, bool dvcid) const;
  vtape::VtapeOptions CartridgeOptions(const Cartridge& c) const;

  const VtlibOptions options_;
  smc::ElementAddressAssignment addresses_;
  std::vector<std::unique_ptr<VtlibDrive>> drives_;
  std::string serial_;

  mutable std::mutex mu_;  // guards everything below; taken before a drive's
  std::vector<CartridgeState> cartridges_;
  std::vector<Element> elements_;  // picker, import/export, drives, slots
  bool prevented_ = false;
  uint64_t move_commands_ = 0;  // every MOVE MEDIUM, for failmove
  VtlibStats stats_;
};

}  // namespace tsfs::vtlib
