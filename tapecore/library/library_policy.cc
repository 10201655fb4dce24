// TapeLibrary's load/unload policy (see tape_library.h): which drive a
// cartridge goes to, which cartridge leaves, and the robot moves.
#include <chrono>
#include <thread>

#include "tapecore/library/tape_library.h"
#include "tapecore/library/transport_ref.h"

namespace tsfs::library {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

Result<DriveLease> TapeLibrary::Acquire(const std::string& name) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = Clock::now() + config_.busy_wait;
  // Where every cartridge is now: one READ ELEMENT STATUS per access, so a
  // move made behind our back is seen before a unit is handed out.
  TSFS_RETURN_IF_ERROR(Refresh());
  DropMovedUnits();
  TakeOutGoneDrives();
  bool refreshed = true;
  for (;;) {
    if (closed_) return Status::Error(ErrorCode::kIo, "the library is closed");
    const smc::ElementStatus* found = FindCartridge(name);
    if (found == nullptr && !refreshed) {
      // Moved behind our back, or put in since: ask the changer again.
      refreshed = true;
      TSFS_RETURN_IF_ERROR(Refresh());
      continue;
    }
    if (found == nullptr) {
      return Status::Error(ErrorCode::kNotFound, "no cartridge " + name + " in the library");
    }
    const smc::ElementStatus cartridge = *found;
    if (cartridge.type == smc::ElementType::kDataTransfer) {
      const int d = DriveAt(cartridge.address);
      if (d < 0) {
        return Status::Error(ErrorCode::kIo, "cartridge " + name +
                                                 " is in a drive tsfs cannot use (element " +
                                                 std::to_string(cartridge.address) + ")");
      }
      if (drives_[d].failed) {
        // Out of use (gone, or it would not unload): one more try of the
        // robot to take the cartridge home, where another drive can load it.
        const Status home = TakeHome(d);
        if (home.ok()) continue;
        return Status::Error(ErrorCode::kIo, "cartridge " + name + " is in the drive at element " +
                                                 std::to_string(cartridge.address) +
                                                 ", which is out of use, and the changer cannot "
                                                 "take it out: " +
                                                 home.message());
      }
      if (drives_[d].stale) {
        // Our unit for the cartridge that was there is still in use (an
        // open file): it must end before this one gets the drive.
        if (released_.wait_until(lock, deadline) == std::cv_status::timeout) {
          return Status::Error(ErrorCode::kBusy, "the drive of " + name +
                                                     " still serves a file of the cartridge "
                                                     "that was moved out of it");
        }
        continue;
      }
      if (!StillThere(d)) continue;  // taken out; the cartridge went home if it could
      if (!drives_[d].unit) {
        // Left in the drive by an earlier session or put there by someone
        // else: take it as it is.
        Status ready = WaitReady(drives_[d]);
        if (ready.ok()) ready = OpenUnit(d, name);
        if (!ready.ok() && drives_[d].transport->gone()) {
          TakeOut(d);
          continue;
        }
        TSFS_RETURN_IF_ERROR(ready);
      }
      return LeaseOn(d);
    }
    int free = -1, victim = -1, usable = 0;
    for (size_t i = 0; i < drives_.size(); ++i) {
      const Drive& d = drives_[i];
      if (d.failed) continue;
      ++usable;
      const smc::ElementStatus* e = inventory_.Find(d.element);
      if (e != nullptr && !e->full) {
        free = static_cast<int>(i);
        break;
      }
      if (d.leases == 0 && (victim < 0 || d.last_used < drives_[victim].last_used)) {
        victim = static_cast<int>(i);
      }
    }
    if (usable == 0) return Status::Error(ErrorCode::kIo, "no usable drive left in the library");
    if (free >= 0) {
      if (!StillThere(free)) continue;
      const Status st = Load(cartridge, free, name);
      if (st.ok()) return LeaseOn(free);
      // The drive went away as it was loaded: the cartridge is home again
      // (or stuck in it); the next round finds it.
      if (drives_[free].transport->gone()) continue;
      return st;
    }
    if (victim >= 0) {
      if (!StillThere(victim)) continue;
      const Status st = Unload(victim);
      if (!st.ok()) logger_.Log(LogLevel::kError, config_.changer, st.ToString());
      continue;
    }
    if (released_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return Status::Error(ErrorCode::kBusy,
                           "every drive of the library is in use; " + name + " cannot be loaded");
    }
  }
}

Status TapeLibrary::Move(uint16_t from, uint16_t to) {
  const uint16_t picker = inventory_.transports.empty() ? inventory_.addresses.transport.first
                                                        : inventory_.transports[0].address;
  ++stats_.moves;
  Status st = smc_.MoveMedium(picker, from, to);
  Status refreshed = Refresh();
  if (!st.ok()) {
    ++stats_.failed_moves;
    logger_.Log(
        LogLevel::kError, config_.changer,
        st.message() + " (element " + std::to_string(from) + " to " + std::to_string(to) + ")");
    return st;
  }
  // One line per move: an administrator (and the tests) can count them.
  logger_.Log(
      LogLevel::kInfo, config_.changer,
      "robot moved a cartridge from element " + std::to_string(from) + " to " + std::to_string(to));
  return refreshed;
}

Status TapeLibrary::Load(const smc::ElementStatus& cartridge, int drive, const std::string& name) {
  Drive& d = drives_[drive];
  TSFS_RETURN_IF_ERROR(Move(cartridge.address, d.element));
  ++stats_.loads;
  Status st = WaitReady(d);
  if (st.ok()) {
    st = OpenUnit(drive, name);
    if (st.ok()) return st;
  }
  if (d.transport->gone()) {
    TakeOut(drive);
    return st;
  }
  // The drive did not take the cartridge: out of the pool, the cartridge home.
  logger_.Log(
      LogLevel::kError, config_.changer,
      "drive at element " + std::to_string(d.element) + " taken out of use: " + st.ToString());
  d.failed = true;
  (void)Ssc(*d.transport).LoadUnload(false, false);
  (void)Move(d.element, cartridge.address);
  return st;
}

Status TapeLibrary::OpenUnit(int drive, const std::string& name) {
  Drive& d = drives_[drive];
  UnitConfig unit = config_.unit;
  unit.unit = -1;
  unit.device = name;
  auto ref = std::make_unique<TransportRef>(*d.transport);
  TransportRef* raw = ref.get();
  TSFS_ASSIGN_OR_RETURN(d.unit, TapeUnit::Open(unit, std::move(ref), logger_));
  d.ref = raw;
  d.cartridge = name;
  d.stale = false;
  return Status::Ok();
}

void TapeLibrary::DropMovedUnits() {
  for (Drive& d : drives_) {
    if (!d.unit || d.stale) continue;
    const smc::ElementStatus* e = inventory_.Find(d.element);
    if (e != nullptr && e->full && NameOf(*e) == d.cartridge) continue;
    ++stats_.moved_behind;
    logger_.Log(LogLevel::kError, config_.changer,
                "cartridge " + d.cartridge + " was moved out of the drive at element " +
                    std::to_string(d.element) +
                    " behind tsfs's back; what was not on its tape yet is lost, and nothing "
                    "more goes to that drive for it");
    CutUnit(d, "the cartridge was moved out of the drive behind tsfs's back");
  }
}

void TapeLibrary::CutUnit(Drive& d, const char* why) {
  d.ref->Cut(why);
  if (d.leases > 0) {
    d.stale = true;  // the unit goes when its last lease does
  } else {
    d.unit.reset();
    d.ref = nullptr;
  }
}

Status TapeLibrary::Unload(int drive) {
  Drive& d = drives_[drive];
  if (d.unit) {
    const Status st = d.unit->Release();  // the filemark of an open file, the rewind
    if (!st.ok()) logger_.Log(LogLevel::kError, config_.changer, st.ToString());
    d.unit.reset();
    d.ref = nullptr;
  }
  Ssc ssc(*d.transport);
  Status st = ssc.LoadUnload(false, false);
  if (!st.ok() && st.sense() && st.sense()->key == SenseKey::kUnitAttention) {
    st = ssc.LoadUnload(false, false);
  }
  if (!st.ok() && d.transport->gone()) {
    TakeOut(drive);
    return st.WithContext("unload drive at element " + std::to_string(d.element));
  }
  // NOT READY: nothing to unload (already out).
  if (!st.ok() && !(st.sense() && st.sense()->key == SenseKey::kNotReady)) {
    d.failed = true;
    return st.WithContext("unload drive at element " + std::to_string(d.element));
  }
  st = TakeHome(drive);
  if (!st.ok()) {
    d.failed = true;
    return st;
  }
  ++stats_.unloads;
  return Status::Ok();
}

Status TapeLibrary::TakeHome(int drive) {
  const Drive& d = drives_[drive];
  const smc::ElementStatus* e = inventory_.Find(d.element);
  uint16_t home = 0;
  if (e != nullptr && e->source) {
    const smc::ElementStatus* slot = inventory_.Find(*e->source);
    if (slot != nullptr && !slot->full && slot->type == smc::ElementType::kStorage) {
      home = *e->source;
    }
  }
  for (size_t i = 0; home == 0 && i < inventory_.storage.size(); ++i) {
    if (!inventory_.storage[i].full) home = inventory_.storage[i].address;
  }
  if (home == 0) {
    return Status::Error(ErrorCode::kIo, "no empty slot to put the cartridge of element " +
                                             std::to_string(d.element) + " in");
  }
  return Move(d.element, home);
}

bool TapeLibrary::StillThere(int drive) {
  Drive& d = drives_[drive];
  // A drive whose unit is in use is not asked: the unit's own commands see
  // whether it is gone.
  if (d.leases > 0 ? !d.transport->gone() : d.transport->StillThere()) return true;
  TakeOut(drive);
  return false;
}

void TapeLibrary::TakeOutGoneDrives() {
  for (size_t i = 0; i < drives_.size(); ++i) {
    if (!drives_[i].failed && drives_[i].transport->gone()) TakeOut(static_cast<int>(i));
  }
}

void TapeLibrary::TakeOut(int drive) {
  Drive& d = drives_[drive];
  if (d.failed) return;
  d.failed = true;
  const std::string where = "the drive at element " + std::to_string(d.element);
  // The one line an administrator looks for.
  logger_.Log(LogLevel::kError, config_.changer,
              where + " (" + d.transport->Describe() + ") is gone: " + d.transport->why() +
                  "; it is taken out of use until the next mount, the other drives serve "
                  "its cartridges");
  if (d.unit) CutUnit(d, "the drive went away: nothing more is written or read through it");
  const smc::ElementStatus* e = inventory_.Find(d.element);
  if (e == nullptr || !e->full) return;
  const std::string name = NameOf(*e);
  const Status home = TakeHome(drive);
  if (home.ok()) {
    logger_.Log(LogLevel::kInfo, config_.changer,
                "cartridge " + name + " was taken out of " + where + " and put back in a slot");
  } else {
    logger_.Log(LogLevel::kError, config_.changer,
                "cartridge " + name + " stays in " + where + ": the changer cannot take it out (" +
                    home.message() + "); it is not read or written until an operator takes it out");
  }
}

Status TapeLibrary::WaitReady(Drive& drive) {
  Ssc ssc(*drive.transport);
  const auto deadline = Clock::now() + config_.ready_timeout;
  Status last;
  for (;;) {
    last = ssc.TestUnitReady();
    if (last.ok()) return last;
    const SenseData* s = last.sense();
    if (s == nullptr) return last;
    if (s->key != SenseKey::kUnitAttention) {
      if (s->key != SenseKey::kNotReady) return last;
      if (Clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return last.WithContext("drive at element " + std::to_string(drive.element) +
                          " did not become ready");
}

}  // namespace tsfs::library
