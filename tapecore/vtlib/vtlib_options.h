// VtlibOptions: the parsed form of a vtape library source string.
//
//   vtlib:/srv/library?drives=2&slots=8&ie=1&robot=20&loadms=5&capacity=44M
//        &failmove=3&stuck=1&missing=LIB004&ro=LIB005&gone=0@2
//
// The directory holds the cartridges, one SIMH .tap image each (see
// cartridge_dir.h for how a file name gives the slot and the volume tag).
// Options (separated by '&'):
//   drives=N       virtual drives (data transfer elements), 1..16, default 2.
//   slots=N        storage elements; default: as many as the cartridges need.
//   ie=N           import/export elements (mail slots), 0..16, default 1, empty.
//   robot=MS       milliseconds one MOVE MEDIUM takes (the robot time), default 0.
//   loadms=MS      after a cartridge is put in a drive, the drive answers NOT
//                  READY 04/01 (becoming ready) for MS milliseconds, default 0.
//   capacity=SIZE, ew=SIZE, rate=MB/s, drivebuf=SIZE, pace: the vtape options
//                  of every cartridge (vtape_options.h). With pace each drive
//                  streams at `rate` on its own: two drives at once move twice
//                  the bytes of one.
//   ro=TAG[,TAG]   these cartridges are write-protected.
// Fault injection:
//   failmove=N[,N] the N-th MOVE MEDIUM (counting from 1) fails with HARDWARE
//                  ERROR 15/01 (mechanical positioning error); nothing moves.
//   stuck=D[,D]    drive D (0-based) will not unload: its UNLOAD and any MOVE
//                  MEDIUM out of it fail with HARDWARE ERROR 53/00.
//   missing=TAG[,TAG]  the inventory lists the cartridge, but its slot is empty:
//                  the first MOVE MEDIUM out of it fails with ILLEGAL REQUEST
//                  3B/0E and from then on the slot reads empty (EXCEPT set).
//   gone=D[@N][,...]  drive D (0-based) goes away: every command on its logical
//                  unit fails without an answer (as a lost connection or a
//                  selection timeout), from the start, or once the N-th MOVE
//                  MEDIUM (counting from 1, failed ones too) is done. The
//                  changer still lists the drive and its cartridge; the robot
//                  can take the cartridge out (unless the drive is `stuck`).
// Unknown options and malformed values are kInvalidArgument naming the option.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "tapecore/status.h"

namespace tsfs::vtlib {

struct VtlibOptions {
  std::string directory;
  int drives = 2;
  int slots = 0;  // 0: as many as the cartridges need
  int import_export = 1;
  uint32_t robot_ms = 0;
  uint32_t load_ms = 0;
  uint64_t capacity = 44ull << 20;
  uint64_t early_warning = 1ull << 20;
  double rate_mb_s = 0;
  uint64_t drive_buffer = 64ull << 20;
  bool pace = false;
  std::set<std::string> read_only;
  std::set<uint64_t> fail_moves;
  std::set<int> stuck_drives;
  std::map<int, uint64_t> gone_drives;  // drive -> after that many moves (0: from the start)
  std::set<std::string> missing;
};

// True for "vtlib:..." sources.
bool IsVtlibSource(const std::string& source);

// Parses "vtlib:DIR[?OPTIONS]".
Result<VtlibOptions> ParseVtlibSpec(const std::string& spec);

}  // namespace tsfs::vtlib
