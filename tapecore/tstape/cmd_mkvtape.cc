// tstape mkvtape PATH [--capacity SIZE] [--ew SIZE] [--write-protect] [--force]:
// make a blank virtual tape.
//
// A blank SIMH .tap image is an empty file. The format has no place for the
// capacity, so it goes into PATH.medium beside it (medium_file.h), which every
// open of the image reads; mkvtape prints the source string to use.
#include <fcntl.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/vtape/medium_file.h"
#include "tapecore/vtape/tap_index.h"
#include "tapecore/vtape/vtape_options.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunMkvtape(const Args& args) {
  po::options_description opts("tstape mkvtape PATH [options]: make a blank virtual tape");
  std::string path;
  std::string capacity = "44M";
  std::string ew;
  opts.add_options()("help,h", "show this help")(
      "capacity", po::value<std::string>(&capacity)->default_value("44M"),
      "bytes of data the tape holds (K, M, G, T suffixes); kept in PATH.medium")(
      "ew", po::value<std::string>(&ew),
      "early-warning distance before the end (default 1M, at most half the capacity)")(
      "write-protect", "set the write-protect tab (every open is read-only)")(
      "force", "overwrite an existing image");
  opts.add_options()("path", po::value<std::string>(&path)->required(), "the .tap image");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "mkvtape PATH [options]", opts, {"path"}, vm); rc >= 0)
    return rc;
  auto bytes = vtape::ParseSize(capacity, "capacity");
  if (!bytes.ok() || *bytes == 0) {
    std::fprintf(stderr, "tstape mkvtape: bad --capacity '%s'\n", capacity.c_str());
    return 2;
  }
  vtape::MediumProperties medium;
  medium.capacity = *bytes;
  if (!ew.empty()) {
    auto ew_bytes = vtape::ParseSize(ew, "ew");
    if (!ew_bytes.ok() || *ew_bytes > *bytes) {
      std::fprintf(stderr, "tstape mkvtape: bad --ew '%s' (a size, at most the capacity)\n",
                   ew.c_str());
      return 2;
    }
    medium.early_warning = *ew_bytes;
  }
  medium.write_protected = vm.count("write-protect") > 0;
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (vm.count("force") ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) {
    std::fprintf(stderr, "tstape mkvtape: %s: %s%s\n", path.c_str(), std::strerror(errno),
                 errno == EEXIST ? " (use --force to blank it)" : "");
    return 1;
  }
  ::close(fd);
  ::unlink(vtape::IndexPathFor(path).c_str());  // the index of a tape that is gone
  if (Status st = vtape::WriteMediumFile(path, medium); !st.ok()) {
    std::fprintf(stderr, "tstape mkvtape: %s\n", st.ToString().c_str());
    return 1;
  }
  const std::string source = "vtape:" + path;
  std::printf("blank tape %s, capacity %s%s (kept in %s): use the source %s\n", path.c_str(),
              capacity.c_str(), medium.write_protected ? ", write-protected" : "",
              vtape::MediumPathFor(path).c_str(), source.c_str());
  return 0;
}

}  // namespace tsfs::tstape
