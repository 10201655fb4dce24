// The words of the ts(4) diagnostics, in one table: "<Error> on <command>",
// e.g. "Media error on write", "Tape not ready on test unit ready".
//
// Thread-safe (constant tables, pure functions).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "tapecore/status.h"

namespace tsfs {

// The ts error word for a sense key: "Media error", "Media is protected", ...
// Keys ts has no word for give "Unknown error".
const char* TsErrorWords(SenseKey key);

// The ts command word for a CDB: "write", "write file marks", "retension"
// (LOAD UNLOAD with RETEN), and plain names for the commands ts never had
// ("inquiry", "read position", "locate", and the changer's "move medium",
// "read element status", ...). An empty CDB gives "command".
const char* TsCommandWords(std::span<const uint8_t> cdb);

// "Media error on write": the ts message for a failed command.
std::string TsMessage(const SenseData& sense, std::span<const uint8_t> cdb);

// True when a sense is worth logging with its CDB and bytes: anything but the
// conditions of normal tape motion (NO SENSE with FILEMARK, EOM, ILI or
// end of data; BLANK CHECK at end of data; RECOVERED ERROR is unusual).
bool IsUnusualSense(const SenseData& sense);

}  // namespace tsfs
