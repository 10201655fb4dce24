// VtapeOptions: the parsed form of a vtape source string.
//
//   vtape:/path/t.tap?capacity=44M&ew=1M&ro&fail=write@1200:medium*3,read@5:hardware
//        &rate=80&drivebuf=64&delay
//   /path/t.tap                      (a plain path ending in .tap: all defaults)
//
// Options (separated by '&'):
//   capacity=SIZE  bytes of record data the medium holds (default: what
//                  IMAGE.medium says, else 44M, the 450-foot tape of ts(4);
//                  see medium_file.h).
//   ew=SIZE        early-warning distance before the end (default 1M, at most
//                  the capacity).
//   ro             write-protected medium (also implied when the image file
//                  cannot be opened for writing).
//   create         create an empty image when the file does not exist (without
//                  it a missing image is kNotFound).
//   poweron        answer the first command with UNIT ATTENTION 29/00.
//   fail=RULE[,RULE...]  fault injection, RULE = CMD@BLOCK:KEY[*N] (see
//                  fault_injection.h).
//   rate=MB/s      drive speed for the timing model (10^6 bytes/s; 0 = no model).
//   drivebuf=SIZE  the drive's own buffer (a plain number is MiB; default 64).
//   drivestart=PCT how full (writing) or empty (reading) the drive's buffer
//                  must be before the tape starts, in percent (default 100).
//   pace           make the host wait as long as the modelled drive would
//                  (vtape then runs at `rate`, not at memory speed).
//   delay[=MS]     sleep MS milliseconds (default 2) per reposition.
//   erase=SECONDS  a long ERASE with IMMED answers at once and runs this long
//                  (NOT READY 04/07 with progress meanwhile, as LTO drives);
//                  default 0: every erase is done when it answers.
// SIZE is a number with an optional K, M, G or T suffix (powers of 1024, an
// optional trailing "B" or "iB" is accepted). Unknown options and malformed
// values are kInvalidArgument naming the option.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/vtape/fault_injection.h"

namespace tsfs::vtape {

inline constexpr uint64_t kDefaultCapacity = 44ull << 20;
inline constexpr uint64_t kDefaultEarlyWarning = 1ull << 20;

struct VtapeOptions {
  std::string path;
  uint64_t capacity = kDefaultCapacity;
  uint64_t early_warning = kDefaultEarlyWarning;
  bool capacity_given = false;  // in the source string (overrides IMAGE.medium)
  bool early_warning_given = false;
  bool read_only = false;
  bool create = false;
  bool power_on_attention = false;
  std::vector<FaultRule> faults;
  double rate_mb_s = 0;  // 0: drive model off
  uint64_t drive_buffer = 64ull << 20;
  double drive_start = 1.0;  // fraction of drive_buffer
  bool pace = false;
  double delay_ms = 0;  // 0: do not sleep on repositions
  double erase_seconds = 0;
};

// Parses "vtape:PATH[?OPTIONS]" or "PATH.tap[?OPTIONS]".
Result<VtapeOptions> ParseVtapeSpec(const std::string& spec);

// "44M", "1G", "512", "64KiB" -> bytes. kInvalidArgument naming `what`.
Result<uint64_t> ParseSize(std::string_view text, std::string_view what);

}  // namespace tsfs::vtape
