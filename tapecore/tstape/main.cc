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
    {"dump", tsfs::tstape::RunDump,
     "dump PATH               list the records and tape marks of a .tap image"},
};

void Usage(FILE* out) {
  std::fprintf(out,
               "usage: tstape COMMAND [ARGS...]   (tstape COMMAND --help for details)\n\n"
               "SOURCE is rts0..rts15 (from /etc/tsfs/tsbconf.conf), /dev/sgN or /dev/nstN,\n"
               "iscsi://[user%%secret@]host[:port]/iqn/lun, vtape:PATH[?options] or PATH.tap\n\n"
               "commands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %s\n", c.synopsis);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    Usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("tstape 0.1.0\n");
    return 0;
  }
  const tsfs::tstape::Args args(argv + 2, argv + argc);
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
