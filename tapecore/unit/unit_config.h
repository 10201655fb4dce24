// UnitConfig and the tsbconf configuration file (/etc/tsfs/tsbconf.conf).
//
// One [unit.N] section per unit, in unit order:
//   device = /dev/sg1 | iscsi://... | vtape:/path.tap?...
//   buffer-kb = 1024          each of the two streaming buffers
//   write-watermark = 100     % of both buffers full before the drive starts
//   write-watermark-max-kb = 262144   but never more than this buffered
//   read-watermark = 100      % of both buffers free before reading resumes
//   flags = autoret prsense   any of openfail autoret prsense
//   bits = 1
//   block-size = 512
//   erase-on-write = true
//   chap-secret-file = /etc/tsfs/unit0.chap   CHAP secret of iscsi://user@...
//   short-timeout = 10        seconds one command of each class may take
//   io-timeout = 60           (SscTimeouts; the same as the -o options of
//   position-timeout = 900    tsfs, which win over these)
//   long-timeout = 14400
// Errors name the file, the line and the key; nothing half-configured is used.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"

namespace tsfs {

inline constexpr const char* kDefaultConfigPath = "/etc/tsfs/tsbconf.conf";

struct UnitConfig {
  int unit = -1;            // N of rtsN; -1 when opened by device name
  std::string device;       // source string understood by OpenSource
  size_t buffer_kb = 1024;  // size of each of the two buffers
  // Streaming by watermarks (writer_thread.h, reader_thread.h): writing, the
  // drive starts once this percentage of both buffers is full (or at a
  // sync or close); reading ahead stops when both are full and resumes once
  // this percentage of them is free.
  unsigned write_watermark = 100;
  // ... but never more than this many KiB (a bound on what is held only in
  // host memory before the first WRITE; reached with buffers over 128 MiB).
  uint64_t write_watermark_max_kb = 262144;
  unsigned read_watermark = 100;
  bool openfail = false;  // open fails with kNoMemory instead of waiting
  bool autoret = false;   // retension on first access after a tape change
  bool prsense = false;   // log every sense buffer with its CDB
  int bits = 1;
  uint32_t block_size = 512;
  bool erase_on_write = true;     // erase the tape before a write from BOT
  bool rewind_on_release = true;  // false for rts8..rts15 and -o norewind
  // true: probe the capabilities at open (the probe rewinds the tape).
  // false: no tape motion at open: capabilities from the INQUIRY identity
  // only, position unknown (tstape mt keeps where a previous session left it).
  bool probe_on_open = true;
  // A root-only file holding the CHAP secret of an iscsi://user@... device.
  std::string chap_secret_file;
  // Where what is learned about each medium is kept between mounts
  // (catalog_store.h); empty: nothing is kept. ResolveSource sets the
  // default (/var/lib/tsfs/catalog, or $TSFS_CATALOG_DIR; "none" disables).
  std::string catalog_dir;
  // How long each class of tape command may take (ssc.h; tsfs(8) has the
  // defaults; -o short_timeout=, io_timeout=, position_timeout=,
  // long_timeout=).
  SscTimeouts timeouts;

  // "rts0" for configured units, the device string otherwise (an iSCSI
  // secret in it masked: the name goes into every log line).
  std::string Name() const;
};

// Where the CHAP secret of a unit came from.
enum class ChapSecretOrigin {
  kNone,         // no CHAP user, or not iSCSI
  kInline,       // in the device URL itself (visible to every local user: warn)
  kFile,         // -o chap_secret_file=PATH or the tsbconf key chap-secret-file
  kEnvironment,  // TSFS_CHAP_SECRET
};

// The name of the environment variable tsfs and tstape take a secret from.
inline constexpr const char* kChapSecretEnv = "TSFS_CHAP_SECRET";

// Other places a secret can come from, strongest first: the file of the
// command line, the unit's chap-secret-file, the environment.
struct ChapSecretSources {
  std::string option_file;  // -o chap_secret_file=PATH; "" when not given
  std::string env_secret;   // the value of TSFS_CHAP_SECRET; "" when unset
};

// Puts the secret into cfg.device (in memory only; the transport reads it
// from there, also on every reconnect). A secret file given for a device that
// is not iscsi://user@..., or a second secret next to one inline, is an
// error; TSFS_CHAP_SECRET is ignored where no CHAP user is named. An inline
// secret is used as it is (the caller warns). A CHAP user with no secret
// anywhere is kInvalidArgument naming the ways to give one.
Result<ChapSecretOrigin> ApplyChapSecret(UnitConfig& cfg, const ChapSecretSources& sources);

// A command timeout in seconds, decimals allowed ("10", "0.5"): from 0.1 s
// to a day. nullopt for anything else. The tsbconf keys *-timeout and the
// tsfs options *_timeout= both read their value with it.
std::optional<std::chrono::milliseconds> ParseTimeoutSeconds(std::string_view text);
// The field of `timeouts` a key names: short, io, position or long, followed
// by _timeout or -timeout. nullptr for any other key.
std::chrono::milliseconds* TimeoutNamed(SscTimeouts& timeouts, std::string_view key);

// Parses a tsbconf file. Units come back indexed by N.
Result<std::vector<UnitConfig>> LoadTsbconf(const std::string& path);
Result<std::vector<UnitConfig>> ParseTsbconf(std::string_view text, const std::string& path);

// Resolves a SOURCE: rts0..rts15 through the configuration file (rts8..15
// are the no-rewind names of units 0..7), anything else is a device string
// with default settings.
Result<UnitConfig> ResolveSource(const std::string& source, const std::string& config_path);

}  // namespace tsfs
