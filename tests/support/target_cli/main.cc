// tsfs-target: starts a private tgtd or istgt for shell-based tests (FUSE
// mounts, tstape), prints its URI and stays in the foreground until killed.
//
//   tsfs-target start tgtd|istgt [--ro] [--size MB] [--chap USER%SECRET]
//
// First line of stdout: the URI. SIGTERM/SIGINT/SIGHUP: tear down and exit 0.
// SIGUSR1: SIGKILL the daemon (the target dies; the program keeps running).
// SIGUSR2: toggle write protection. Exit 77 when the daemon is not installed,
// 2 on a usage error, 1 when the target cannot start.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/support/targets.h"

namespace {

int Usage(const char* why) {
  std::fprintf(stderr,
               "tsfs-target: %s\n"
               "usage: tsfs-target start tgtd|istgt [--ro] [--size MB] [--chap USER%%SECRET]\n"
               "  prints the iscsi:// URI, runs until SIGTERM/SIGINT (then tears down);\n"
               "  SIGUSR1 kills the daemon, SIGUSR2 toggles write protection.\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    Usage("help");
    return 0;
  }
  if (argc < 3 || std::strcmp(argv[1], "start") != 0) return Usage("expected: start tgtd|istgt");
  const std::string kind = argv[2];
  tsfs::testing::TargetOptions options;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--ro") {
      options.read_only = true;
    } else if (arg == "--size" && i + 1 < argc) {
      options.size_mb = std::atoi(argv[++i]);
      if (options.size_mb <= 0) return Usage("--size needs a positive number of MB");
    } else if (arg == "--chap" && i + 1 < argc) {
      const std::string chap = argv[++i];
      const size_t pct = chap.find('%');
      if (pct == std::string::npos) return Usage("--chap needs USER%SECRET");
      options.chap_user = chap.substr(0, pct);
      options.chap_secret = chap.substr(pct + 1);
    } else {
      return Usage(("unknown argument " + arg).c_str());
    }
  }

  // Block the signals we wait for before any daemon is started (the daemons
  // get an empty mask back before exec).
  sigset_t wait_set;
  sigemptyset(&wait_set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2}) sigaddset(&wait_set, s);
  pthread_sigmask(SIG_BLOCK, &wait_set, nullptr);

  tsfs::Result<std::unique_ptr<tsfs::testing::TapeTarget>> started =
      kind == "tgtd"    ? tsfs::testing::StartTgtd(options)
      : kind == "istgt" ? tsfs::testing::StartIstgt(options)
                        : tsfs::Status::Error(tsfs::ErrorCode::kInvalidArgument,
                                              "unknown target '" + kind + "' (tgtd or istgt)");
  if (!started.ok()) {
    std::fprintf(stderr, "tsfs-target: %s\n", started.status().ToString().c_str());
    if (started.status().code() == tsfs::ErrorCode::kNotFound) return 77;
    if (started.status().code() == tsfs::ErrorCode::kInvalidArgument) return 2;
    return 1;
  }
  std::unique_ptr<tsfs::testing::TapeTarget> target = std::move(started).value();
  std::printf("%s\n", target->uri().c_str());
  std::fflush(stdout);

  bool read_only = options.read_only;
  for (;;) {
    int sig = 0;
    if (sigwait(&wait_set, &sig) != 0) continue;
    if (sig == SIGUSR1) {
      target->Kill();
      std::fprintf(stderr, "tsfs-target: %s killed\n", target->name().c_str());
    } else if (sig == SIGUSR2) {
      read_only = !read_only;
      tsfs::Status s = target->SetReadOnly(read_only);
      std::fprintf(stderr, "tsfs-target: write protect %s: %s\n", read_only ? "on" : "off",
                   s.ok() ? "ok" : s.ToString().c_str());
    } else {
      break;
    }
  }
  target.reset();  // tear down before exit
  return 0;
}
