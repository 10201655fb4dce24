// TapeLibrary: a tape library (a SCSI media changer and its drives) as a
// set of cartridges, each reached through a TapeUnit in some drive.
//
// Cartridges are named by their volume tag (barcode), or "slotNNN" (their
// home slot, 1-based) when they have none. Acquire(name) gives a DriveLease
// on the unit of the drive holding the cartridge, loading it first when it
// is in its slot:
//   - into a free drive: MOVE MEDIUM, wait until the drive is ready, then the
//     unit's open rules (probe, block size, autoret on first access);
//   - when every drive holds a cartridge: the least recently used drive that
//     nobody holds a lease on is unloaded first (the unit finishes its file
//     and rewinds, UNLOAD, MOVE MEDIUM back to the home slot);
//   - when every drive is leased: waits up to busy_wait, then kBusy.
// A drive whose lease is held (an open file) is never taken. A move that
// fails re-reads the element status, so the cartridges are where the
// changer says; the error (kScsi with the sense, "Hardware error on move
// medium") is returned. A drive that fails to unload or to become ready is
// taken out of the pool; its cartridges stay reachable through the others.
// A drive that goes away (its transport fails, its LUN is removed:
// drive_link.h) is taken out of the pool the first time tsfs sees it (an
// INQUIRY asks each drive no lease holds before it is used; a failed
// command of its unit counts too), with one log line naming the drive. Its unit is cut, so a
// file open on it fails (EIO) and nothing more is written through it. The
// cartridge in it is taken home by the robot (MOVE MEDIUM out of the data
// transfer element) and is then served by another drive; when the changer
// refuses, the cartridge stays there, and each access to it is kIo after
// one more try of the robot; it is never written anywhere else.
// Every Acquire reads the element status first: a cartridge moved out of a
// drive behind the library's back (by an operator, another program) cuts
// the transport of the unit made for it (transport_ref.h), so nothing is
// written to the tape that is in that drive now.
//
// Thread-safe: one mutex guards the robot and the drive table; a lease's unit
// is used outside it (two drives stream at the same time).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tapecore/library/drive_link.h"
#include "tapecore/library/library_config.h"
#include "tapecore/library/transport_ref.h"
#include "tapecore/smc/smc.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/tape_unit.h"

namespace tsfs::library {

struct CartridgeInfo {
  std::string name;  // volume tag, or slotNNN
  std::optional<std::string> volume_tag;
  uint16_t home = 0;      // element address of its home slot
  int slot = 0;           // 1-based home slot number
  uint16_t location = 0;  // element address where it is now
  int drive = -1;         // index of the drive it is in, -1 when not in a drive
};

struct LibraryStats {
  uint64_t moves = 0;  // MOVE MEDIUM commands sent (failed ones too)
  uint64_t loads = 0;
  uint64_t unloads = 0;
  uint64_t failed_moves = 0;
  uint64_t moved_behind = 0;  // cartridges found gone from the drive we loaded them into
};

class TapeLibrary;

// A hold on one drive's unit. While a lease is held the drive is not
// unloaded. Movable; releases on destruction.
class DriveLease final {
 public:
  DriveLease() = default;
  DriveLease(DriveLease&& other) noexcept;
  DriveLease& operator=(DriveLease&& other) noexcept;
  DriveLease(const DriveLease&) = delete;
  DriveLease& operator=(const DriveLease&) = delete;
  ~DriveLease();

  TapeUnit& unit() const { return *unit_; }
  int drive() const { return drive_; }
  void Release();

 private:
  friend class TapeLibrary;
  DriveLease(TapeLibrary* library, int drive, TapeUnit* unit)
      : library_(library), drive_(drive), unit_(unit) {}
  TapeLibrary* library_ = nullptr;
  int drive_ = -1;
  TapeUnit* unit_ = nullptr;
};

class TapeLibrary final {
 public:
  // Opens the changer and the drives (library_source.h), reads the element
  // status and matches the drives to their elements.
  static Result<std::unique_ptr<TapeLibrary>> Open(const LibraryConfig& config, Logger& logger);
  // Same, over transports already open.
  static Result<std::unique_ptr<TapeLibrary>> Open(const LibraryConfig& config,
                                                   std::unique_ptr<Transport> changer,
                                                   std::vector<std::unique_ptr<Transport>> drives,
                                                   Logger& logger);
  ~TapeLibrary();
  TapeLibrary(const TapeLibrary&) = delete;
  TapeLibrary& operator=(const TapeLibrary&) = delete;

  // Every cartridge the changer reports, by home slot.
  std::vector<CartridgeInfo> Cartridges();
  // The unit of the drive holding cartridge `name`, loading it if needed.
  // kNotFound for an unknown name.
  Result<DriveLease> Acquire(const std::string& name);
  // Number of drives in the pool (matched, not failed).
  int UsableDrives();
  LibraryStats Stats();
  // Finishes every unit (filemark, rewind) and, with return_home, puts each
  // cartridge back in its home slot. Waits for no lease: call it after every
  // lease is released. Safe to call twice.
  Status Close();

 private:
  friend class DriveLease;
  struct Drive {
    std::unique_ptr<DriveLink> transport;
    uint16_t element = 0;
    std::unique_ptr<TapeUnit> unit;  // while a cartridge we loaded is in it
    std::string cartridge;           // the name the unit was made for
    TransportRef* ref = nullptr;     // the unit's transport (owned by the unit)
    bool stale = false;              // the cartridge left behind our back; ref is cut
    int leases = 0;
    uint64_t last_used = 0;  // tick of the last lease
    bool failed = false;
  };

  TapeLibrary(LibraryConfig config, std::unique_ptr<Transport> changer, Logger& logger);
  Status Init(std::vector<std::unique_ptr<Transport>> drives);
  Status Refresh();  // element status, under mu_
  const smc::ElementStatus* FindCartridge(const std::string& name) const;
  std::string NameOf(const smc::ElementStatus& e) const;  // tag or slotNNN
  int DriveAt(uint16_t element) const;
  Status Move(uint16_t from, uint16_t to);
  Status Load(const smc::ElementStatus& cartridge, int drive, const std::string& name);
  // A unit for the cartridge `name` now in `drive`.
  Status OpenUnit(int drive, const std::string& name);
  // After a Refresh: units whose cartridge is no longer in their drive.
  void DropMovedUnits();
  // Cuts the drive's unit off (transport_ref.h); it goes now, or with its
  // last lease.
  void CutUnit(Drive& drive, const char* why);
  Status Unload(int drive);
  // False when the drive is gone (asked with an INQUIRY); then it is taken out.
  bool StillThere(int drive);
  // Drives whose link saw them go (a unit's command failed): taken out.
  void TakeOutGoneDrives();
  // Out of the pool: the log line, the unit cut, the cartridge taken home.
  void TakeOut(int drive);
  // The robot puts the cartridge of `drive` back in its home slot (or the
  // first empty one).
  Status TakeHome(int drive);
  Status WaitReady(Drive& drive);
  Result<DriveLease> LeaseOn(int drive);
  void ReleaseLease(int drive);

  const LibraryConfig config_;
  Logger& logger_;
  std::unique_ptr<Transport> changer_;
  smc::Smc smc_;

  std::mutex mu_;  // guards everything below
  std::condition_variable released_;
  smc::Inventory inventory_;
  std::vector<Drive> drives_;
  uint64_t tick_ = 0;
  LibraryStats stats_;
  bool closed_ = false;
};

}  // namespace tsfs::library
