// tstape write SOURCE [FILE]: appends stdin or FILE as a new tape file at
// end of data, through the unit (packing, streaming, the ts rules).
#include <fcntl.h>
#include <sys/stat.h>
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

int RunWrite(const Args& args) {
  static constexpr const char* kSynopsis = "write SOURCE [FILE]   (stdin when FILE is absent)";
  UnitOptions options;
  std::string input;
  bool stats = false;
  po::options_description desc("options");
  AddUnitOptions(desc, options);
  desc.add_options()("stats", po::bool_switch(&stats),
                     "print the bytes and seconds of the data phase on stderr")(
      "source", po::value<std::string>(&options.source)->required(), "tape source")(
      "file", po::value<std::string>(&input), "input file");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, kSynopsis, desc, {"source", "file"}, vm); rc >= 0) return rc;

  int fd = STDIN_FILENO;
  if (!input.empty() && input != "-") {
    fd = open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::fprintf(stderr, "tstape write: %s: %s\n", input.c_str(), std::strerror(errno));
      return 1;
    }
  }
  SystemLogger logger("tstape", /*to_syslog=*/false, /*to_stderr=*/true);
  std::unique_ptr<TapeUnit> unit = OpenUnit("write", options, logger);
  if (!unit) return 1;
  Result<int> index = unit->OpenAppend();
  if (!index.ok()) return ReportError("write", index.status());

  std::vector<uint8_t> buf(unit->config().buffer_kb * 1024);
  // The size is known for a regular file (ETA); a pipe shows bytes and rate.
  std::optional<uint64_t> size;
  if (struct stat st{}; fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    size = static_cast<uint64_t>(st.st_size);
  }
  Progress progress("write", ProgressWanted(options.quiet), size);
  // The data phase: from the first byte handed to the unit to the file
  // closed on tape (buffers drained, filemark written).
  DataPhaseStats timer;
  timer.Start();
  uint64_t total = 0;
  Status status;
  for (;;) {
    const ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      status = Status::Error(ErrorCode::kIo, std::string("reading input: ") + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    status = unit->Write({buf.data(), static_cast<size_t>(n)});
    if (!status.ok()) break;
    total += static_cast<uint64_t>(n);
    progress.Add(static_cast<uint64_t>(n));
  }
  progress.Done();
  if (fd != STDIN_FILENO) close(fd);
  Status closed = unit->Close();
  timer.Stop();
  if (!status.ok()) {
    ReportError("write", status);
    if (!closed.ok()) ReportError("write", closed);
    return 1;
  }
  if (!closed.ok()) return ReportError("write", closed);
  const uint32_t bs = unit->config().block_size;
  std::printf("file %d: %llu bytes, %llu blocks of %u\n", *index,
              static_cast<unsigned long long>(total),
              static_cast<unsigned long long>((total + bs - 1) / bs), bs);
  Status released = unit->Release();
  if (!released.ok()) return ReportError("write", released);
  if (stats) timer.Print("write", total);
  return 0;
}

}  // namespace tsfs::tstape
