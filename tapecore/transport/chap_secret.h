// Reading an iSCSI CHAP secret from a file that only its owner can read.
//
// A secret in the source URL (iscsi://user%secret@...) is visible to every
// local user in ps, /proc/PID/cmdline and /proc/mounts; a file of mode 0600
// or 0400 owned by root (or by the user running tsfs) is not. Thread-safe.
#pragma once

#include <string>

#include "tapecore/status.h"

namespace tsfs {

// Longest secret accepted: libiscsi keeps at most 255 bytes (MAX_STRING_SIZE
// in iscsi.h) and would cut a longer one silently.
inline constexpr size_t kMaxChapSecretBytes = 255;

// The first line of `path` (without its CR/LF). Refused, with a message
// naming the file and what to do:
//   kNotFound      the file cannot be opened
//   kPermission    not a regular file, readable or writable by group or
//                  others, or owned by someone other than root or the caller
//   kConfig        empty, longer than kMaxChapSecretBytes, or holds a NUL byte
//   kIo            reading it failed
Result<std::string> ReadChapSecretFile(const std::string& path);

}  // namespace tsfs
