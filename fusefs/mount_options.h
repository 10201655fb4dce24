// The tsfs command line: `tsfs SOURCE MOUNTPOINT [-o opt,...] [-f] [-d] [-s]`.
//
// tsfs's own -o options (config=, norewind, overwrite, ro, buffer_kb=,
// chap_secret_file=) are
// taken out; everything else is handed to libfuse unchanged (allow_other,
// default_permissions, uid=, ...), so libfuse rejects what it does not know
// before anything is mounted. Pure parsing, no I/O; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::fusefs {

struct MountOptions {
  std::string source;
  std::string mountpoint;
  std::string config_path;                  // -o config=FILE (default: the tsbconf path)
  bool norewind = false;                    // -o norewind: leave the tape where it is on unmount
  bool overwrite = false;                   // -o overwrite: opening an existing file for writing
                                            // truncates the tape there
  bool read_only = false;                   // -o ro
  bool nonempty = false;                    // -o nonempty: mount over a non-empty directory
  bool keep_loaded = false;                 // -o keep_loaded: a library's cartridges stay in
                                            // their drives on unmount
  std::optional<size_t> buffer_kb;          // -o buffer_kb=N: each of the two streaming buffers
  std::optional<unsigned> write_watermark;  // -o write_watermark=PCT (UnitConfig)
  std::optional<unsigned> read_watermark;   // -o read_watermark=PCT (UnitConfig)
  std::optional<uint64_t> write_watermark_max_kb;  // -o write_watermark_max_kb=KB (UnitConfig)
  std::string chap_secret_file;            // -o chap_secret_file=PATH: root-only CHAP secret
  bool scan = false;                       // -o scan: read every file once at mount for its size
  std::optional<std::string> catalog_dir;  // -o catalog_dir=DIR|none: the per-medium catalogs
  // -o short_timeout=, io_timeout=, position_timeout=, long_timeout= (in
  // seconds): the limit of one tape command per class (SscTimeouts).
  std::optional<std::chrono::milliseconds> short_timeout;
  std::optional<std::chrono::milliseconds> io_timeout;
  std::optional<std::chrono::milliseconds> position_timeout;
  std::optional<std::chrono::milliseconds> long_timeout;
  bool foreground = false;                // -f (and -d)
  bool debug = false;                     // -d: libfuse request trace, implies -f
  bool single_thread = false;             // -s
  bool help = false;                      // -h, --help
  bool version = false;                   // -V, --version
  std::vector<std::string> fuse_options;  // passed through to libfuse as -o
};

// Parses argv[1..] (without the program name). kInvalidArgument with a
// message fit for the user on malformed input.
Result<MountOptions> ParseCommandLine(const std::vector<std::string>& args);

// The argument vector for fuse_new(): program name, our fixed options
// (fsname, subtype, max_read) and the passed-through ones. `-d` adds debug.
// The fsname (what /proc/mounts and df show) has an iSCSI secret masked.
std::vector<std::string> FuseArguments(const MountOptions& options, const std::string& program);

// Masks an iSCSI CHAP secret in one argument of the process, in place, so
// /proc/PID/cmdline and ps no longer show it: "iscsi://u%***@h/..." with the
// freed bytes set to NUL (a 1- or 2-byte secret becomes '*'s). The string
// never grows. Any other argument is left alone. Returns true when it masked.
bool MaskSecretInArgument(char* arg);

// The --help text (every option, one line each).
std::string HelpText(const std::string& program);

// Largest read and write request asked of the kernel (1 MiB).
inline constexpr size_t kMaxRequestBytes = 1 << 20;

}  // namespace tsfs::fusefs
