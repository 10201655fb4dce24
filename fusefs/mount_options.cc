#include "fusefs/mount_options.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>

#include "tapecore/transport/iscsi_url.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs::fusefs {
namespace {

Status Usage(std::string message) {
  return Status::Error(ErrorCode::kInvalidArgument, std::move(message));
}

// Options mount(8) or fstab put in the list that mean nothing to a FUSE
// file system; dropped so an fstab line with `defaults,noauto` still mounts.
bool IsMountHelperNoise(std::string_view opt) {
  return opt == "defaults" || opt == "auto" || opt == "noauto" || opt == "nofail" ||
         opt == "_netdev" || opt == "user" || opt == "users" || opt == "nouser" ||
         opt.substr(0, 2) == "x-" || opt.substr(0, 8) == "comment=";
}

// Splits "a,b\,c" at unescaped commas (libfuse's escaping rule).
std::vector<std::string> SplitOptionList(std::string_view list) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == '\\' && i + 1 < list.size()) {
      cur += list[++i];
    } else if (list[i] == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += list[i];
    }
  }
  out.push_back(std::move(cur));
  return out;
}

std::string EscapeOptionValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == ',' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

Status ApplyOption(std::string_view opt, MountOptions& o) {
  if (opt.empty() || IsMountHelperNoise(opt)) return Status::Ok();
  const size_t eq = opt.find('=');
  const std::string_view key = opt.substr(0, eq);
  const std::string_view value = eq == std::string_view::npos ? "" : opt.substr(eq + 1);
  if (key == "config") {
    if (value.empty()) return Usage("option config= needs a file name");
    o.config_path = std::string(value);
  } else if (key == "norewind" && eq == std::string_view::npos) {
    o.norewind = true;
  } else if (key == "overwrite" && eq == std::string_view::npos) {
    o.overwrite = true;
  } else if (key == "nonempty" && eq == std::string_view::npos) {
    o.nonempty = true;  // libfuse 3 no longer knows it: tsfs checks itself
  } else if (key == "keep_loaded" && eq == std::string_view::npos) {
    o.keep_loaded = true;
  } else if (key == "scan" && eq == std::string_view::npos) {
    o.scan = true;
  } else if (key == "catalog_dir" || key == "catalog-dir") {
    if (value.empty() || (value != "none" && value[0] != '/')) {
      return Usage("option catalog_dir= needs an absolute directory or none");
    }
    o.catalog_dir = std::string(value);
  } else if (key == "buffer_kb" || key == "buffer-kb") {
    size_t kb = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), kb);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || kb == 0 ||
        kb > 1024 * 1024) {
      return Usage("option buffer_kb= needs a size in KiB between 1 and 1048576, not '" +
                   std::string(value) + "'");
    }
    o.buffer_kb = kb;
  } else if (key == "write_watermark_max_kb" || key == "write-watermark-max-kb") {
    uint64_t kb = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), kb);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || kb == 0 ||
        kb > 2 * 1024 * 1024) {
      return Usage(
          "option write_watermark_max_kb= needs a size in KiB between 1 and 2097152, "
          "not '" +
          std::string(value) + "'");
    }
    o.write_watermark_max_kb = kb;
  } else if (key == "short_timeout" || key == "io_timeout" || key == "position_timeout" ||
             key == "long_timeout") {
    // Seconds, with decimals (tests use fractions of a second).
    const auto ms = ParseTimeoutSeconds(value);
    if (!ms) {
      return Usage("option " + std::string(key) + "= needs seconds between 0.1 and 86400, not '" +
                   std::string(value) + "'");
    }
    if (key == "short_timeout") {
      o.short_timeout = ms;
    } else if (key == "io_timeout") {
      o.io_timeout = ms;
    } else if (key == "position_timeout") {
      o.position_timeout = ms;
    } else {
      o.long_timeout = ms;
    }
  } else if (key == "write_watermark" || key == "write-watermark" || key == "read_watermark" ||
             key == "read-watermark") {
    unsigned pct = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), pct);
    const std::string name = key[0] == 'w' ? "write_watermark" : "read_watermark";
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || pct == 0 ||
        pct > 100) {
      return Usage("option " + name + "= needs a percentage from 1 to 100, not '" +
                   std::string(value) + "'");
    }
    (key[0] == 'w' ? o.write_watermark : o.read_watermark) = pct;
  } else if (key == "chap_secret_file" || key == "chap-secret-file") {
    if (value.empty() || value.front() != '/') {
      return Usage("option chap_secret_file= needs an absolute file name");
    }
    o.chap_secret_file = std::string(value);
  } else if (opt == "ro") {
    o.read_only = true;
    o.fuse_options.emplace_back("ro");  // the kernel refuses writes too
  } else if (opt == "rw") {
    o.read_only = false;
    o.fuse_options.emplace_back("rw");
  } else if (key == "fsname" || key == "subtype") {
    return Usage("option " + std::string(key) + "= is set by tsfs itself");
  } else {
    o.fuse_options.emplace_back(opt);
  }
  return Status::Ok();
}

}  // namespace

Result<MountOptions> ParseCommandLine(const std::vector<std::string>& args) {
  MountOptions o;
  o.config_path = kDefaultConfigPath;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "-V" || a == "--version") {
      o.version = true;
    } else if (a == "-f") {
      o.foreground = true;
    } else if (a == "-d" || a == "-odebug") {
      o.debug = true;
      o.foreground = true;
    } else if (a == "-s") {
      o.single_thread = true;
    } else if (a == "-o" || (a.size() > 2 && a.compare(0, 2, "-o") == 0)) {
      std::string list;
      if (a == "-o") {
        if (i + 1 >= args.size()) return Usage("option -o needs a list of options");
        list = args[++i];
      } else {
        list = a.substr(2);
      }
      for (const std::string& opt : SplitOptionList(list)) {
        if (opt == "debug") {
          o.debug = true;
          o.foreground = true;
          continue;
        }
        TSFS_RETURN_IF_ERROR(ApplyOption(opt, o));
      }
    } else if (a == "--") {
      for (++i; i < args.size(); ++i) positional.push_back(args[i]);
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option '" + a + "' (see tsfs --help)");
    } else {
      positional.push_back(a);
    }
  }
  if (o.help || o.version) return o;
  if (positional.size() != 2) {
    return Usage(positional.size() < 2 ? "need SOURCE and MOUNTPOINT (see tsfs --help)"
                                       : "too many arguments: '" + positional[2] + "'");
  }
  o.source = positional[0];
  o.mountpoint = positional[1];
  if (o.source.empty()) return Usage("SOURCE is empty");
  if (o.overwrite && o.read_only) return Usage("options overwrite and ro exclude each other");
  return o;
}

std::vector<std::string> FuseArguments(const MountOptions& options, const std::string& program) {
  std::vector<std::string> argv = {program};
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug
  // 105651) on `"literal" + std::string` inlined into a concatenation.
  std::string opts = "fsname=";
  opts += EscapeOptionValue(RedactIscsiSecret(options.source));
  opts += ",subtype=tsfs,max_read=";
  opts += std::to_string(kMaxRequestBytes);
  for (const std::string& o : options.fuse_options) {
    opts += ',';
    opts += EscapeOptionValue(o);
  }
  argv.emplace_back("-o");
  argv.push_back(opts);
  if (options.debug) argv.emplace_back("-d");
  return argv;
}

bool MaskSecretInArgument(char* arg) {
  const size_t n = std::strlen(arg);
  const std::string masked = RedactIscsiSecret(std::string_view(arg, n));
  if (masked == std::string_view(arg, n)) return false;
  if (masked.size() <= n) {
    std::copy(masked.begin(), masked.end(), arg);
    std::fill(arg + masked.size(), arg + n, '\0');
    return true;
  }
  // A secret shorter than "***": star it where it is (the span
  // RedactIscsiSecret masks: after the first '%', up to the last '@').
  const std::string_view view(arg, n);
  const size_t from = view.find('%') + 1;
  const size_t to = view.rfind('@');
  for (size_t i = from; i < to; ++i) arg[i] = '*';
  return true;
}

std::string HelpText(const std::string& program) {
  return "usage: " + program +
         " SOURCE MOUNTPOINT [-o OPTION[,OPTION...]] [-f] [-d] [-s]\n"
         "\n"
         "Mounts a tape as a directory of its tape files file000, file001, ...\n"
         "\n"
         "SOURCE:\n"
         "  rts0 .. rts7            unit N of the configuration file; rewinds on unmount\n"
         "  rts8 .. rts15           the same units (N-8) without the rewind\n"
         "  /dev/sgN, /dev/nstN     a local SCSI tape drive\n"
         "  iscsi://[user@]host[:port]/iqn/lun   an iSCSI tape target (CHAP user)\n"
         "  vtape:PATH[?options], PATH.tap              a virtual tape image (SIMH .tap)\n"
         "  vtlib:DIR[?options], or a changer (iSCSI LUN, /dev/sgN of type 8)\n"
         "                          a tape library: one directory per cartridge\n"
         "\n"
         "tsfs options (-o):\n"
         "  config=FILE             configuration file (default " +
         std::string(kDefaultConfigPath) +
         ")\n"
         "  norewind                leave the tape where it is on unmount\n"
         "  overwrite               opening an existing tape file for writing truncates\n"
         "                          the tape there (every later file is lost)\n"
         "  ro                      read-only mount: files 0444, every write fails (EROFS)\n"
         "  buffer_kb=N             size of each of the two streaming buffers in KiB\n"
         "  write_watermark=PCT     writing starts the drive once PCT % of both buffers\n"
         "                          are full, or at sync/close (default 100)\n"
         "  write_watermark_max_kb=N\n"
         "                          ... but never more than N KiB (default 262144)\n"
         "  read_watermark=PCT      reading ahead resumes once PCT % of both buffers\n"
         "                          are free (default 100)\n"
         "  chap_secret_file=PATH   the CHAP secret of iscsi://user@... (first line of a file\n"
         "                          of mode 0600/0400); or set TSFS_CHAP_SECRET\n"
         "  nonempty                mount over a directory that is not empty (hiding\n"
         "                          its entries); refused without it\n"
         "  scan                    read every file once at mount so that every size is\n"
         "                          exact (tapes whose sizes the drive cannot tell)\n"
         "  catalog_dir=DIR|none    where what is learned about each tape is kept\n"
         "                          (default /var/lib/tsfs/catalog, or $TSFS_CATALOG_DIR)\n"
         "  short_timeout=S         limit in seconds of one TEST UNIT READY, MODE SENSE,\n"
         "                          READ POSITION, ... (default 10)\n"
         "  io_timeout=S            of one READ, WRITE, WRITE FILEMARKS (default 60)\n"
         "  position_timeout=S      of one SPACE, LOCATE, REWIND (default 900)\n"
         "  long_timeout=S          of one long ERASE or retension (default 14400)\n"
         "  keep_loaded             library: leave the cartridges in the drives on unmount\n"
         "                          (default: rewound and put back in their home slots)\n"
         "\n"
         "FUSE options (-o), passed to libfuse:\n"
         "  allow_other, allow_root, default_permissions, uid=N, gid=N, umask=M,\n"
         "  and the mount flags rw, nosuid, nodev, noexec, noatime, ...\n"
         "\n"
         "other:\n"
         "  -f                      stay in the foreground (default: detach once mounted)\n"
         "  -d                      print every FUSE request (implies -f)\n"
         "  -s                      handle one request at a time\n"
         "  -h, --help              this text\n"
         "  -V, --version           the version\n"
         "\n"
         "Unmount with `umount MOUNTPOINT` or `fusermount3 -u MOUNTPOINT`; open files get\n"
         "their filemark, then the tape rewinds (unless norewind or rts8..rts15).\n"
         "See tsfs(8).\n";
}

}  // namespace tsfs::fusefs
