// tstape: the tape core from the shell, without FUSE.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "tapecore/tstape/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const tsfs::tstape::Args&);
  const char* synopsis;
};

constexpr Command kCommands[] = {
    {"inquiry", tsfs::tstape::RunInquiry,
     "inquiry SOURCE          identify the drive and what it can do"},
    {"status", tsfs::tstape::RunStatus,
     "status SOURCE           position, block size, write protection"},
    {"mt", tsfs::tstape::RunMt, "mt SOURCE OP [COUNT]    rewind fsf weof eod erase retension"},
    {"list", tsfs::tstape::RunList,
     "list SOURCE             index, blocks and bytes of every tape file"},
    {"write", tsfs::tstape::RunWrite,
     "write SOURCE [FILE]     append stdin or FILE as a new tape file"},
    {"read", tsfs::tstape::RunRead, "read SOURCE N [FILE]    copy tape file N to stdout or FILE"},
    {"mkvtape", tsfs::tstape::RunMkvtape,
     "mkvtape PATH [--capacity SIZE]  make a blank virtual tape"},
    {"mklib", tsfs::tstape::RunMklib,
     "mklib DIR [--slots N] [--drives N]  make a vtape library of blank cartridges"},
    {"dump", tsfs::tstape::RunDump,
     "dump PATH               list the records and tape marks of a .tap image"},
    {"changer", tsfs::tstape::RunChanger,
     "changer SOURCE [OP]     a library's changer: status load unload transfer inventory"},
};

// Options that may come before the command (`tstape --config F list rts0`,
// as in git or apt); they are handed to the command as if they came after it.
struct GlobalOption {
  const char* name;
  bool takes_value;
};
constexpr GlobalOption kGlobalOptions[] = {
    {"--config", true}, {"--norewind", false}, {"--buffer-kb", true},
    {"--quiet", false}, {"-q", false},         {"--json", false},
};

void Usage(FILE* out) {
  std::fprintf(out,
               "usage: tstape [OPTIONS] COMMAND [ARGS...]   (tstape COMMAND --help for details)\n\n"
               "SOURCE is rts0..rts15 (from /etc/tsfs/tsbconf.conf), /dev/sgN or /dev/nstN,\n"
               "iscsi://[user%%secret@]host[:port]/iqn/lun, vtape:PATH[?options] or PATH.tap\n\n"
               "OPTIONS (before COMMAND, or after it): --config FILE, --norewind,\n"
               "--buffer-kb N, --quiet, --json; the command must take them.\n\n"
               "commands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %s\n", c.synopsis);
  std::fprintf(out, "\nexit status: 0 done, 1 tape, target or file error, 2 usage error\n");
}

// Moves the options before COMMAND into `global`; returns the index of
// COMMAND in argv, or -1 after printing a usage error.
int SplitGlobalOptions(int argc, char** argv, std::vector<std::string>& global) {
  int i = 1;
  while (i < argc && argv[i][0] == '-' && std::strcmp(argv[i], "-") != 0) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "--version") return i;
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const GlobalOption* found = nullptr;
    for (const auto& o : kGlobalOptions) {
      if (name == o.name) found = &o;
    }
    if (found == nullptr) {
      std::fprintf(stderr, "tstape: unknown option '%s' before the command\n", arg.c_str());
      return -1;
    }
    global.push_back(arg);
    if (found->takes_value && eq == std::string::npos) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tstape: option '%s' needs a value\n", arg.c_str());
        return -1;
      }
      global.emplace_back(argv[++i]);
    }
    ++i;
  }
  return i;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> global;
  const int at = SplitGlobalOptions(argc, argv, global);
  if (at < 0 || at >= argc) {
    if (at >= argc) std::fprintf(stderr, "tstape: no command given\n");
    Usage(stderr);
    return 2;
  }
  const std::string name = argv[at];
  if (name == "--help" || name == "-h" || name == "help") {
    Usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("tstape %s\n", TSFS_VERSION);
    return 0;
  }
  tsfs::tstape::Args args(argv + at + 1, argv + argc);
  args.insert(args.begin(), global.begin(), global.end());
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    try {
      return c.run(args);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tstape %s: %s\n", c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "tstape: unknown command '%s'\n\n", name.c_str());
  Usage(stderr);
  return 2;
}
