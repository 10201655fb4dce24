// tsfs-bench-ssc: the target's own ceiling, and quick test images, straight
// through a transport and the ssc layer (no unit, no buffers, no threads).
//
//   tsfs-bench-ssc write SOURCE BYTES [--command-kb N] [--block N]
//       rewind, then WRITE(6) commands of N KiB (default 1024, what the unit
//       sends with its default buffers) until BYTES are written, then one
//       filemark: tape file 0, as `tstape write` on a blank tape makes it.
//   tsfs-bench-ssc read SOURCE [--command-kb N] [--block N]
//       rewind, then READ(6) commands of N KiB until the filemark of file 0.
//   tsfs-bench-ssc files SOURCE COUNT [--record BYTES]
//       rewind, then COUNT tape files of one record each (default 512 bytes):
//       an image for the metadata benchmark, made in seconds.
//
// write and read print the same line as `tstape --stats`:
//   "tsfs-bench-ssc read: 524288000 bytes in 0.412345 s, 1271.5 MB/s (data phase)"
// timed from the first command after the rewind to the filemark. Fixed
// blocks of --block bytes (default 512, the unit's default block size).
// Exit 0 on success, 1 on a tape error, 2 on a usage error.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/ssc.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string op;
  std::string source;
  uint64_t count = 0;  // bytes (write) or files (files)
  uint64_t command_kb = 1024;
  uint32_t block = 512;
  uint64_t record = 512;
};

int Usage(const char* why) {
  std::fprintf(stderr,
               "tsfs-bench-ssc: %s\n"
               "usage: tsfs-bench-ssc write SOURCE BYTES [--command-kb N] [--block N]\n"
               "       tsfs-bench-ssc read SOURCE [--command-kb N] [--block N]\n"
               "       tsfs-bench-ssc files SOURCE COUNT [--record BYTES]\n",
               why);
  return 2;
}

int Fail(const char* what, const tsfs::Status& status) {
  std::fprintf(stderr, "tsfs-bench-ssc: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

void PrintRate(const char* op, uint64_t bytes, Clock::duration elapsed) {
  const double secs = std::chrono::duration<double>(elapsed).count();
  std::fprintf(stderr, "tsfs-bench-ssc %s: %llu bytes in %.6f s, %.1f MB/s (data phase)\n", op,
               static_cast<unsigned long long>(bytes), secs,
               secs > 0 ? static_cast<double>(bytes) / secs / 1e6 : 0.0);
}

// TEST UNIT READY until tgtd's UNIT ATTENTION of a new session (29/00) is
// gone, then rewind and select fixed blocks (tgtd forgets the block length
// on every connect).
tsfs::Status Prepare(tsfs::Ssc& ssc, uint32_t block) {
  tsfs::Status ready;
  for (int i = 0; i < 4; ++i) {
    ready = ssc.TestUnitReady();
    if (ready.ok() || ready.sense() == nullptr ||
        ready.sense()->key != tsfs::SenseKey::kUnitAttention) {
      break;
    }
  }
  if (!ready.ok()) return ready;
  if (tsfs::Status s = ssc.Rewind(); !s.ok()) return s;
  return ssc.ModeSelectBlockLength(block);
}

int Write(tsfs::Ssc& ssc, const Args& a) {
  const uint64_t command = a.command_kb * 1024 / a.block * a.block;
  if (command == 0 || a.count % a.block != 0) {
    return Usage("BYTES must be a multiple of the block, the command at least one block");
  }
  std::vector<uint8_t> data(command);
  std::mt19937_64 random(42);  // incompressible, like the benchmark's data
  for (size_t i = 0; i + 8 <= data.size(); i += 8) {
    const uint64_t v = random();
    std::memcpy(&data[i], &v, 8);
  }
  const auto start = Clock::now();
  uint64_t done = 0;
  while (done < a.count) {
    const uint64_t n = std::min(command, a.count - done);
    tsfs::Result<tsfs::WriteResult> w = ssc.Write({data.data(), n}, a.block);
    if (!w.ok()) return Fail("write", w.status());
    if (w->bytes < n) return Fail("write", tsfs::Status::Error(tsfs::ErrorCode::kNoSpace, "EOM"));
    done += n;
  }
  if (tsfs::Status s = ssc.WriteFilemarks(1); !s.ok()) return Fail("write filemark", s);
  PrintRate("write", done, Clock::now() - start);
  return 0;
}

int Read(tsfs::Ssc& ssc, const Args& a) {
  const uint64_t command = a.command_kb * 1024 / a.block * a.block;
  if (command == 0) return Usage("the command must be at least one block");
  std::vector<uint8_t> data(command);
  const auto start = Clock::now();
  uint64_t done = 0;
  for (;;) {
    tsfs::Result<tsfs::ReadResult> r = ssc.Read(data, a.block);
    if (!r.ok()) return Fail("read", r.status());
    done += r->bytes;
    if (r->filemark || r->end_of_data) break;
  }
  PrintRate("read", done, Clock::now() - start);
  return 0;
}

int Files(tsfs::Ssc& ssc, const Args& a) {
  if (a.record == 0 || a.record > (1u << 20)) return Usage("--record: 1 to 1048576 bytes");
  std::vector<uint8_t> record(a.record, 0x5a);
  for (uint64_t i = 0; i < a.count; ++i) {
    tsfs::Result<tsfs::WriteResult> w = ssc.Write(record, /*block_length=*/0);
    if (!w.ok()) return Fail("write", w.status());
    if (tsfs::Status s = ssc.WriteFilemarks(1); !s.ok()) return Fail("write filemark", s);
  }
  return 0;
}

bool ParseNumber(const char* text, uint64_t& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 10);
  return end != text && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage("need an operation and a SOURCE");
  Args a;
  a.op = argv[1];
  a.source = argv[2];
  int i = 3;
  if (a.op == "write" || a.op == "files") {
    if (argc < 4 || !ParseNumber(argv[3], a.count)) return Usage("need a count");
    i = 4;
  } else if (a.op != "read") {
    return Usage("operation: write, read or files");
  }
  for (; i < argc; ++i) {
    const std::string opt = argv[i];
    uint64_t v = 0;
    if (i + 1 >= argc || !ParseNumber(argv[i + 1], v)) return Usage("option needs a number");
    ++i;
    if (opt == "--command-kb") {
      a.command_kb = v;
    } else if (opt == "--block" && v > 0 && v <= (1u << 24)) {
      a.block = static_cast<uint32_t>(v);
    } else if (opt == "--record") {
      a.record = v;
    } else {
      return Usage(("unknown option " + opt).c_str());
    }
  }
  tsfs::Result<std::unique_ptr<tsfs::Transport>> transport = tsfs::OpenSource(a.source);
  if (!transport.ok()) return Fail(a.source.c_str(), transport.status());
  tsfs::Ssc ssc(**transport);
  const uint32_t block = a.op == "files" ? 0 : a.block;  // files: variable records
  if (tsfs::Status s = Prepare(ssc, block); !s.ok()) return Fail("prepare", s);
  if (a.op == "write") return Write(ssc, a);
  if (a.op == "read") return Read(ssc, a);
  return Files(ssc, a);
}
