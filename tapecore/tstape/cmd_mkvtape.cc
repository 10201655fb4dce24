// tstape mkvtape PATH [--capacity SIZE] [--force]: make a blank virtual tape.
//
// A blank SIMH .tap image is an empty file. The format has no place for the
// capacity, so it is an option of the source string at every open
// (vtape:PATH?capacity=SIZE, default 44M); mkvtape prints the string to use.
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
#include "tapecore/vtape/vtape_options.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunMkvtape(const Args& args) {
  po::options_description opts("tstape mkvtape PATH [options]: make a blank virtual tape");
  std::string path;
  std::string capacity = "44M";
  opts.add_options()("help,h", "show this help")(
      "capacity", po::value<std::string>(&capacity)->default_value("44M"),
      "bytes of data the tape holds (K, M, G suffixes); not stored in the image: "
      "it goes into the source string")("force", "overwrite an existing image");
  opts.add_options()("path", po::value<std::string>(&path)->required(), "the .tap image");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "mkvtape PATH [options]", opts, {"path"}, vm); rc >= 0)
    return rc;
  auto bytes = vtape::ParseSize(capacity, "capacity");
  if (!bytes.ok() || *bytes == 0) {
    std::fprintf(stderr, "tstape mkvtape: bad --capacity '%s'\n", capacity.c_str());
    return 2;
  }
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (vm.count("force") ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) {
    std::fprintf(stderr, "tstape mkvtape: %s: %s%s\n", path.c_str(), std::strerror(errno),
                 errno == EEXIST ? " (use --force to blank it)" : "");
    return 1;
  }
  ::close(fd);
  std::string source = "vtape:" + path;
  if (*bytes != vtape::kDefaultCapacity) source += "?capacity=" + capacity;
  std::printf("blank tape %s, capacity %s: use the source %s\n", path.c_str(), capacity.c_str(),
              source.c_str());
  return 0;
}

}  // namespace tsfs::tstape
