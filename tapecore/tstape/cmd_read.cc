// tstape read SOURCE N [FILE]: copies tape file N to stdout or FILE, through
// the unit (read-ahead thread, byte stream over any record size).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "tapecore/tstape/data_phase_stats.h"
#include "tapecore/tstape/unit_cli.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

namespace {

bool WriteAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

int RunRead(const Args& args) {
  static constexpr const char* kSynopsis = "read SOURCE N [FILE]   (stdout when FILE is absent)";
  UnitOptions options;
  int index = -1;
  std::string output;
  bool stats = false;
  po::options_description desc("options");
  AddUnitOptions(desc, options);
  desc.add_options()("stats", po::bool_switch(&stats),
                     "print the bytes and seconds of the data phase on stderr")(
      "source", po::value<std::string>(&options.source)->required(), "tape source")(
      "index", po::value<int>(&index)->required(), "tape file number (0 is the first)")(
      "file", po::value<std::string>(&output), "output file");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, kSynopsis, desc, {"source", "index", "file"}, vm); rc >= 0) {
    return rc;
  }
  if (index < 0) {
    std::fprintf(stderr, "tstape read: N must be 0 or more\n");
    return 2;
  }
  SystemLogger logger("tstape", /*to_syslog=*/false, /*to_stderr=*/true);
  std::unique_ptr<TapeUnit> unit = OpenUnit("read", options, logger);
  if (!unit) return 1;
  const bool show = ProgressWanted(options.quiet);
  // The catalog before the data phase: the unit needs it to position (it
  // would read it at the first read, inside the phase --stats times; on tgtd
  // the check of a stored catalog spaces over the whole tape, 0.9 s for
  // 256 MiB). It gives the terminal's ETA its size: the whole blocks of the
  // file, where the target lets us know it.
  std::optional<uint64_t> size;
  if (auto files = unit->Catalog(); files.ok() && static_cast<size_t>(index) < files->size()) {
    const TapeFileInfo& f = (*files)[static_cast<size_t>(index)];
    if (f.size_known) size = f.bytes;
  }
  Status status = unit->OpenRead(index);
  if (!status.ok()) return ReportError("read", status);
  // The data phase: from the tape file positioned to its end read.
  DataPhaseStats timer;
  timer.Start();
  uint64_t total = 0;

  int fd = STDOUT_FILENO;
  if (!output.empty() && output != "-") {
    fd = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      std::fprintf(stderr, "tstape read: %s: %s\n", output.c_str(), std::strerror(errno));
      return 1;
    }
  }
  std::vector<uint8_t> buf(unit->config().buffer_kb * 1024);
  Progress progress("read", show, size);
  for (;;) {
    Result<size_t> n = unit->Read(buf);
    if (!n.ok()) {
      status = n.status();
      break;
    }
    if (*n == 0) break;
    total += *n;
    if (!WriteAll(fd, buf.data(), *n)) {
      status =
          Status::Error(ErrorCode::kIo, std::string("writing output: ") + std::strerror(errno));
      break;
    }
    progress.Add(*n);
  }
  timer.Stop();
  progress.Done();
  if (fd != STDOUT_FILENO && close(fd) != 0 && status.ok()) {
    status = Status::Error(ErrorCode::kIo, std::string("closing output: ") + std::strerror(errno));
  }
  Status closed = unit->Close();
  if (!status.ok()) return ReportError("read", status);
  if (!closed.ok()) return ReportError("read", closed);
  Status released = unit->Release();
  if (!released.ok()) return ReportError("read", released);
  if (stats) timer.Print("read", total);
  return 0;
}

}  // namespace tsfs::tstape
