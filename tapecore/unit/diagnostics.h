// Diagnostics: the ts(4) messages of one unit, through the Logger, with the
// unit name ("rts0: Media error on write"). Failed commands are logged with
// their ts words; the CDB and the sense bytes (hex and decoded) follow for
// unusual senses, or for every sense when the unit has prsense (then the
// SenseLogTransport has already printed them as they came).
//
// Thread-safety: thread-safe (the Logger is; the rest is immutable).
#pragma once

#include <string>
#include <string_view>

#include "tapecore/status.h"
#include "tapecore/unit/logger.h"

namespace tsfs {

// ts(4) wording, used by the unit and asserted by the tests.
inline constexpr const char* kMsgWriteBuffer = "error writing buffer to tape";
inline constexpr const char* kMsgCloseFilemark = "tsclose: error writing file mark on close";
inline constexpr const char* kMsgReadAfterWrite = "illegal read after write";
inline constexpr const char* kMsgBadIoctlAfterWrite = "tsioctl: bad operation after write";

class Diagnostics final {
 public:
  Diagnostics(Logger& logger, std::string unit, bool prsense)
      : logger_(logger), unit_(std::move(unit)), prsense_(prsense) {}
  Diagnostics(const Diagnostics&) = delete;
  Diagnostics& operator=(const Diagnostics&) = delete;

  const std::string& unit() const { return unit_; }
  bool prsense() const { return prsense_; }

  void Line(LogLevel level, std::string_view line) const { logger_.Log(level, unit_, line); }
  // A failed command: "<Error> on <command>" (the Status message), then the
  // CDB and sense when unusual (and not already printed by prsense).
  void CommandFailed(const Status& status) const;
  // CDB + sense in hex and decoded, one log line each.
  void SenseDump(std::string_view cdb_hex, std::string_view sense_hex,
                 std::string_view decoded) const;

 private:
  Logger& logger_;
  std::string unit_;
  bool prsense_;
};

}  // namespace tsfs
