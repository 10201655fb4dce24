// tsfs: mounts a tape as a directory of its tape files (see tsfs(8)).
//
//   tsfs SOURCE MOUNTPOINT [-o opt,...] [-f] [-d] [-s]
//
// Order of events: parse the command line, resolve SOURCE (configuration
// file), check the mount point, detach (unless -f), open the unit and read
// the catalog, mount, report "ready" to the waiting parent, serve requests.
// Unmount ends the loop; the unit is released (filemarks, rewind). A
// SOURCE that names a media changer mounts the whole library instead
// (library_mount.h): one directory per cartridge.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "fusefs/detach.h"
#include "fusefs/file_system.h"
#include "fusefs/fuse_api.h"
#include "fusefs/library_mount.h"
#include "fusefs/mount.h"
#include "fusefs/mount_options.h"
#include "fusefs/operations.h"
#include "fusefs/source_path.h"
#include "tapecore/library/library_probe.h"
#include "tapecore/library/library_tsbconf.h"
#include "tapecore/transport/iscsi_url.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/unit_config.h"

namespace {

constexpr const char* kVersion = TSFS_VERSION;  // the CMake project version

// True when `path` has no entries but . and .. (false when unreadable: the
// mount then fails on it anyway).
bool DirectoryIsEmpty(const char* path) {
  DIR* dir = opendir(path);
  if (dir == nullptr) return false;
  bool empty = true;
  while (const dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") {
      empty = false;
      break;
    }
  }
  closedir(dir);
  return empty;
}

std::string CurrentDirectory() {
  char buf[PATH_MAX];
  return getcwd(buf, sizeof(buf)) != nullptr ? std::string(buf) : std::string();
}

// The fuse_args vector keeps pointers into `storage`. fuse_new() replaces
// `args` with a list it allocated itself; the destructor frees that one.
struct FuseArgv {
  std::vector<std::string> storage;
  std::vector<char*> argv;
  struct fuse_args args {};
  explicit FuseArgv(std::vector<std::string> a) : storage(std::move(a)) {
    for (std::string& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    args.argc = static_cast<int>(storage.size());
    args.argv = argv.data();
    args.allocated = 0;
  }
  ~FuseArgv() { fuse_opt_free_args(&args); }
  FuseArgv(const FuseArgv&) = delete;
  FuseArgv& operator=(const FuseArgv&) = delete;
};

// Takes TSFS_CHAP_SECRET out of the environment: the value is returned, the
// bytes in the process's original environment block (what
// /proc/PID/environ shows) are zeroed and the variable is unset, so neither
// that file nor a child process sees it.
std::string TakeChapSecretFromEnvironment() {
  char* value = std::getenv(tsfs::kChapSecretEnv);
  if (value == nullptr) return {};
  std::string secret(value);
  std::memset(value, 0, secret.size());
  unsetenv(tsfs::kChapSecretEnv);
  return secret;
}

int Run(int argc, char** argv) {
  const std::string program = "tsfs";
  std::vector<std::string> args(argv + 1, argv + argc);
  // From here on ps and /proc/PID/cmdline show the source with its secret masked.
  bool secret_in_arguments = false;
  for (int i = 1; i < argc; ++i) {
    secret_in_arguments |= tsfs::fusefs::MaskSecretInArgument(argv[i]);
  }
  std::string env_secret = TakeChapSecretFromEnvironment();
  auto parsed = tsfs::fusefs::ParseCommandLine(args);
  for (std::string& a : args) std::fill(a.begin(), a.end(), '\0');
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), parsed.status().message().c_str());
    return 2;
  }
  tsfs::fusefs::MountOptions options = std::move(parsed).value();
  if (options.help) {
    std::fputs(tsfs::fusefs::HelpText(program).c_str(), stdout);
    return 0;
  }
  if (options.version) {
    std::printf("tsfs %s (libfuse %s)\n", kVersion, fuse_pkgversion());
    return 0;
  }

  options.source = tsfs::fusefs::AbsoluteSource(options.source, CurrentDirectory());
  char real[PATH_MAX];
  struct stat st {};
  if (realpath(options.mountpoint.c_str(), real) == nullptr || stat(real, &st) != 0) {
    std::fprintf(stderr, "%s: mount point %s: %s\n", program.c_str(), options.mountpoint.c_str(),
                 std::strerror(errno));
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    std::fprintf(stderr, "%s: mount point %s: not a directory\n", program.c_str(),
                 options.mountpoint.c_str());
    return 1;
  }
  options.mountpoint = real;
  if (!options.nonempty && !DirectoryIsEmpty(real)) {
    std::fprintf(stderr, "%s: mount point %s is not empty (-o nonempty mounts over it)\n",
                 program.c_str(), options.mountpoint.c_str());
    return 1;
  }

  const std::string shown_source = tsfs::RedactIscsiSecret(options.source);
  // libN: a library of tsbconf's [library.N]; its unit keys and changer
  // stand in for a unit's (the changer is the device asked below).
  tsfs::library::LibraryConfig library_config;
  const bool named_library = tsfs::library::LibraryNumber(options.source).has_value();
  tsfs::Result<tsfs::UnitConfig> config = tsfs::UnitConfig{};
  if (named_library) {
    auto listed = tsfs::library::ResolveLibrary(options.source, options.config_path);
    if (listed.ok()) {
      library_config = *listed;
      config = listed->unit;
      config->device = listed->changer;
    } else {
      config = listed.status();
    }
  } else {
    config = tsfs::ResolveSource(options.source, options.config_path);
  }
  if (!config.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", program.c_str(), shown_source.c_str(),
                 config.status().ToString().c_str());
    return 1;
  }
  auto secret_origin =
      tsfs::ApplyChapSecret(*config, tsfs::ChapSecretSources{options.chap_secret_file, env_secret});
  std::fill(env_secret.begin(), env_secret.end(), '\0');
  if (!secret_origin.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", program.c_str(), shown_source.c_str(),
                 secret_origin.status().ToString().c_str());
    return 1;
  }
  if (options.norewind) config->rewind_on_release = false;
  if (options.buffer_kb) config->buffer_kb = *options.buffer_kb;
  if (options.short_timeout) config->timeouts.short_op = *options.short_timeout;
  if (options.io_timeout) config->timeouts.normal = *options.io_timeout;
  if (options.position_timeout) config->timeouts.position = *options.position_timeout;
  if (options.long_timeout) config->timeouts.long_op = *options.long_timeout;
  if (options.write_watermark) config->write_watermark = *options.write_watermark;
  if (options.read_watermark) config->read_watermark = *options.read_watermark;
  if (options.write_watermark_max_kb) {
    config->write_watermark_max_kb = *options.write_watermark_max_kb;
  }
  if (options.catalog_dir) {
    config->catalog_dir = *options.catalog_dir == "none" ? "" : *options.catalog_dir;
  }

  // Detached, the diagnostics go to the system log, and also on to
  // standard error when that is a log file. Without a system log (no
  // /dev/log) and without such a file they would go nowhere: say so now.
  const bool log_file = tsfs::fusefs::Detacher::StderrIsLogFile();
  if (!options.foreground && !log_file && access("/dev/log", W_OK) != 0) {
    std::fprintf(stderr,
                 "%s: warning: no system log (/dev/log); the diagnostics of the detached tsfs "
                 "are lost: use -f, or send standard error to a file (2>>FILE)\n",
                 program.c_str());
  }
  tsfs::SystemLogger logger(program, /*to_syslog=*/true,
                            /*to_stderr=*/options.foreground || log_file);
  if (*secret_origin == tsfs::ChapSecretOrigin::kInline) {
    const std::string warning =
        std::string("warning: the CHAP secret is given in ") +
        (secret_in_arguments ? "the command line" : "the configuration file's device URL") +
        "; every local user could read it there (ps, /proc); keep it in a file of mode 0600 "
        "(-o chap_secret_file=PATH, tsbconf key chap-secret-file) or in " +
        tsfs::kChapSecretEnv;
    logger.Log(tsfs::LogLevel::kWarning, config->Name(), warning);
    if (!options.foreground && !log_file) {  // else the logger has written it there
      std::fprintf(stderr, "%s: %s: %s\n", program.c_str(), config->Name().c_str(),
                   warning.c_str());
    }
  }
  // A changer (vtlib:, or INQUIRY type 8) is a library; a source that
  // cannot be asked is taken for a tape, whose open then says what is wrong.
  const auto changer =
      named_library ? tsfs::Result<bool>(true) : tsfs::library::NamesChanger(config->device);
  const bool is_library = changer.ok() && *changer;
  std::unique_ptr<tsfs::fusefs::Mount> tape;
  std::unique_ptr<tsfs::fusefs::LibraryMount> library;
  std::unique_ptr<tsfs::fusefs::FileSystem> file_system;
  if (is_library) {
    library_config.changer = config->device;
    library_config.unit = *config;
    library_config.return_home = !options.keep_loaded;
    library = std::make_unique<tsfs::fusefs::LibraryMount>(options, library_config, logger);
    file_system = std::make_unique<tsfs::fusefs::FileSystem>(*library);
  } else {
    tape = std::make_unique<tsfs::fusefs::Mount>(options, *config, logger);
    file_system = std::make_unique<tsfs::fusefs::FileSystem>(*tape);
  }

  FuseArgv fuse_argv(tsfs::fusefs::FuseArguments(options, program));
  const struct fuse_operations ops = tsfs::fusefs::MakeOperations();
  struct fuse* fuse = fuse_new(&fuse_argv.args, &ops, sizeof(ops), file_system.get());
  if (fuse == nullptr) return 1;  // libfuse said why (unknown option, ...)

  tsfs::fusefs::Detacher detacher;
  if (!options.foreground) {
    tsfs::Status st = detacher.Detach();
    if (!st.ok()) {
      std::fprintf(stderr, "%s: %s\n", program.c_str(), st.ToString().c_str());
      fuse_destroy(fuse);
      return 1;
    }
  }

  tsfs::Status started = is_library ? library->Start() : tape->Start();
  if (!started.ok()) {
    std::fprintf(stderr, "%s: cannot open %s: %s\n", program.c_str(), shown_source.c_str(),
                 started.ToString().c_str());
    fuse_destroy(fuse);
    return 1;
  }
  if (fuse_mount(fuse, options.mountpoint.c_str()) != 0) {
    file_system->Shutdown();
    fuse_destroy(fuse);
    return 1;
  }
  struct fuse_session* session = fuse_get_session(fuse);
  fuse_set_signal_handlers(session);
  logger.Log(tsfs::LogLevel::kInfo, config->Name(), "mounted on " + options.mountpoint);
  detacher.ReportReady();

  int rc;
  if (options.single_thread) {
    rc = fuse_loop(fuse);
  } else {
    struct fuse_loop_config* loop = fuse_loop_cfg_create();
    fuse_loop_cfg_set_clone_fd(loop, 0);
    fuse_loop_cfg_set_idle_threads(loop, 4);
    rc = fuse_loop_mt(fuse, loop);
    fuse_loop_cfg_destroy(loop);
  }
  fuse_remove_signal_handlers(session);
  fuse_unmount(fuse);
  // Filemarks of open files, then rewind (unless no-rewind); a library's
  // cartridges go back to their home slots (unless keep_loaded).
  file_system->Shutdown();
  fuse_destroy(fuse);
  // A single tape's drive counters (a library's drives are its own).
  const std::string activity = tape ? tape->drive_activity() : std::string();
  // The tape is let go (a vtape image unlocked, an iSCSI session logged
  // out) before the last line, so that a script waiting for "unmounted"
  // can use the tape at once: the umount command itself returns earlier.
  file_system.reset();
  tape.reset();
  library.reset();
  logger.Log(tsfs::LogLevel::kInfo, config->Name(),
             activity.empty() ? std::string("unmounted") : "unmounted; " + activity);
  return rc == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tsfs: %s\n", e.what());
    return 1;
  }
}
