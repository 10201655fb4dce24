// tstape dump PATH: the records and tape marks of any SIMH .tap image, runs
// of equal records collapsed ("file 0: 2048 records of 512 bytes").
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/vtape/tap_image.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunDump(const Args& args) {
  po::options_description opts("tstape dump PATH: list the records and tape marks of a .tap image");
  std::string path;
  opts.add_options()("help,h", "show this help");
  opts.add_options()("path", po::value<std::string>(&path)->required(), "the .tap image");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "dump PATH", opts, {"path"}, vm); rc >= 0) return rc;
  if (path.rfind("vtape:", 0) == 0) path = path.substr(6, path.find('?') - 6);
  auto image = vtape::TapImage::Open(path, /*read_only=*/true, /*create=*/false);
  if (!image.ok()) {
    std::fprintf(stderr, "tstape dump: %s\n", image.status().ToString().c_str());
    return 1;
  }
  vtape::TapImage& t = **image;
  const uint64_t end = t.size();
  uint64_t file = 0;
  uint64_t i = 0;
  while (i < end) {
    const vtape::TapObject o = t.Object(i);
    if (o.kind == vtape::ObjectKind::kTapeMark) {
      uint64_t n = 1;
      while (i + n < end && t.Object(i + n).kind == vtape::ObjectKind::kTapeMark) ++n;
      if (n == 1) {
        std::printf("tape mark\n");
      } else {
        std::printf("%llu tape marks\n", static_cast<unsigned long long>(n));
      }
      file += n;
      i += n;
      continue;
    }
    uint64_t n = 1;
    if (o.kind == vtape::ObjectKind::kRecord) {
      n = t.CountRecords(i, end - i, o.length);
    } else {
      while (i + n < end && t.Object(i + n).kind == o.kind && t.Object(i + n).length == o.length) {
        ++n;
      }
    }
    std::printf("file %llu: %llu %srecord%s of %u byte%s%s\n",
                static_cast<unsigned long long>(file), static_cast<unsigned long long>(n),
                o.kind == vtape::ObjectKind::kBadRecord ? "bad " : "", n == 1 ? "" : "s", o.length,
                o.length == 1 ? "" : "s",
                o.kind == vtape::ObjectKind::kBadRecord ? " (read as a medium error)" : "");
    i += n;
  }
  std::printf("end of data: %llu objects, %llu tape marks, %llu bytes of data\n",
              static_cast<unsigned long long>(end),
              static_cast<unsigned long long>(t.TapeMarksBefore(end)),
              static_cast<unsigned long long>(t.DataBytesBefore(end)));
  if (!t.warning().empty()) std::printf("warning: %s\n", t.warning().c_str());
  return 0;
}

}  // namespace tsfs::tstape
