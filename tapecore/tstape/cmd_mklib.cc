// tstape mklib DIR [--slots N] [--drives N] [--cartridges N] [--prefix TAG]
// [--capacity SIZE]: make a vtape library.
//
// DIR (made if missing) gets one blank cartridge per cartridge asked for, an
// empty SIMH .tap image named PREFIXnnn.tap: volume tag PREFIX001,
// PREFIX002, ... in slots 1, 2, ... (cartridge_dir.h). The vtape library keeps
// nothing else on disk: the drives, the slots and the capacity are options
// of the source string, which mklib prints.
#include <sys/stat.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtape/vtape_options.h"
#include "tapecore/vtlib/cartridge_dir.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunMklib(const Args& args) {
  po::options_description opts("tstape mklib DIR [options]: make a vtape library");
  std::string dir;
  int slots = 8, drives = 2, cartridges = -1;
  std::string prefix = "LIB";
  std::string capacity;
  opts.add_options()("help,h", "show this help")("slots", po::value<int>(&slots)->default_value(8),
                                                 "storage elements, 1..999")(
      "drives", po::value<int>(&drives)->default_value(2), "drives, 1..16")(
      "cartridges", po::value<int>(&cartridges),
      "blank cartridges in slots 1..N (default: every slot)")(
      "prefix", po::value<std::string>(&prefix)->default_value("LIB"),
      "volume tags are PREFIX001, PREFIX002, ...")(
      "capacity", po::value<std::string>(&capacity),
      "bytes of data each cartridge holds (K, M, G suffixes; default 44M), put in the source");
  opts.add_options()("dir", po::value<std::string>(&dir)->required(), "the library directory");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "mklib DIR [options]", opts, {"dir"}, vm); rc >= 0) {
    return rc;
  }
  if (cartridges < 0) cartridges = slots;
  if (slots < 1 || slots > 999 || drives < 1 || drives > 16 || cartridges > slots) {
    std::fprintf(stderr,
                 "tstape mklib: --slots 1..999, --drives 1..16, --cartridges at most --slots\n");
    return 2;
  }
  if (!vtlib::ValidVolumeTag(prefix + "001")) {
    std::fprintf(stderr, "tstape mklib: bad --prefix '%s' (volume tags are printable, no spaces)\n",
                 prefix.c_str());
    return 2;
  }
  if (!capacity.empty()) {
    auto bytes = vtape::ParseSize(capacity, "capacity");
    if (!bytes.ok() || *bytes == 0) {
      std::fprintf(stderr, "tstape mklib: bad --capacity '%s'\n", capacity.c_str());
      return 2;
    }
  }
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "tstape mklib: %s: %s\n", dir.c_str(), std::strerror(errno));
    return 1;
  }
  std::vector<std::string> made;
  for (int i = 1; i <= cartridges; ++i) {
    char tag[64];
    std::snprintf(tag, sizeof tag, "%s%03d", prefix.c_str(), i);
    const std::string path = dir + "/" + tag + ".tap";
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      std::fprintf(stderr, "tstape mklib: %s exists: a library is there already\n", path.c_str());
      return 1;
    }
    auto image = vtape::TapImage::Open(path, false, true);
    if (!image.ok()) {
      std::fprintf(stderr, "tstape mklib: %s\n", image.status().ToString().c_str());
      return 1;
    }
    made.push_back(tag);
  }
  std::string source =
      "vtlib:" + dir + "?drives=" + std::to_string(drives) + "&slots=" + std::to_string(slots);
  if (!capacity.empty()) source += "&capacity=" + capacity;
  std::string tags;
  if (!made.empty()) tags = " " + made.front();
  if (made.size() > 1) tags += ".." + made.back();
  std::printf("library %s: %d drives, %d slots, %d blank cartridges%s: use the source %s\n",
              dir.c_str(), drives, slots, cartridges, tags.c_str(), source.c_str());
  return 0;
}

}  // namespace tsfs::tstape
