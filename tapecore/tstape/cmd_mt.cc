// tstape mt SOURCE OP [COUNT]: the ts mt operations straight over Ssc.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/transport/open_transport.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"

namespace tsfs::tstape {

namespace {

namespace po = boost::program_options;

constexpr const char* kOps = "rewind fsf weof eod erase retension";

// Spaces forward over `count` filemarks; end of data first is an error.
Status Fsf(Ssc& ssc, int32_t count) {
  TSFS_ASSIGN_OR_RETURN(SpaceResult r, ssc.Space(SpaceCode::kFilemarks, count));
  if (r.end_of_data) {
    // tgtd answers NO SENSE 00/05 without a residue: the count done is unknown.
    const std::string what =
        r.residue > 0 ? "end of data after " + std::to_string(count - r.residue) + " of " +
                            std::to_string(count) + " files"
                      : "end of data before " + std::to_string(count) + " files were spaced";
    return Status::Error(ErrorCode::kIo, what).WithContext("fsf");
  }
  return Status::Ok();
}

// SPACE to end of data, then reads on to the real end of data: istgt's SPACE
// EOD stops right after the last filemark even when records follow it. Reads
// go in the drive's block mode; tgtd answers a fixed READ at end of data with
// MEDIUM ERROR 31/00, so that answer counts as end of data only when a
// variable READ at the same place then reports it.
Status Eod(Ssc& ssc) {
  TSFS_ASSIGN_OR_RETURN(ModeData mode, ssc.ModeSense());
  TSFS_ASSIGN_OR_RETURN(SpaceResult space, ssc.Space(SpaceCode::kEndOfData, 0));
  (void)space;
  const uint32_t block = mode.block_length;
  std::vector<uint8_t> buf(block > 0 ? 64 * static_cast<size_t>(block) : 256 * 1024);
  for (;;) {
    Result<ReadResult> r = ssc.Read(buf, block, /*sili=*/block == 0);
    if (r.ok()) {
      if (r->end_of_data) return Status::Ok();
      continue;
    }
    const SenseData* sense = r.status().sense();
    if (block == 0 || sense == nullptr || !sense->Is(SenseKey::kMediumError, 0x31, 0x00)) {
      return r.status();
    }
    TSFS_ASSIGN_OR_RETURN(ReadResult v, ssc.Read(buf, 0, /*sili=*/true));
    if (!v.end_of_data) return r.status();
    return Status::Ok();
  }
}

Status Run(Ssc& ssc, const std::string& op, int32_t count) {
  if (op == "rewind") return ssc.Rewind();
  if (op == "fsf") return Fsf(ssc, count);
  if (op == "weof") return ssc.WriteFilemarks(static_cast<uint32_t>(count));
  if (op == "eod") return Eod(ssc);
  if (op == "erase") {
    // ts: the whole tape, then back to the beginning.
    TSFS_RETURN_IF_ERROR(ssc.Rewind());
    TSFS_RETURN_IF_ERROR(ssc.Erase(/*long_erase=*/true));
    return ssc.Rewind();
  }
  if (op == "retension") {
    TSFS_RETURN_IF_ERROR(ssc.LoadUnload(/*load=*/true, /*retension=*/true));
    // tgtd: RETEN is not honoured and the position stays; ts leaves the tape
    // at the beginning after a retension.
    return ssc.Rewind();
  }
  return Status::Error(ErrorCode::kUnsupported, "unknown operation " + op);
}

}  // namespace

int RunMt(const Args& args) {
  po::options_description visible(
      "usage: tstape mt SOURCE OP [COUNT]\n\n"
      "OP is one of: rewind, fsf (space forward COUNT files), weof (write COUNT file\n"
      "marks), eod (to the end of data, ready to append), erase (the whole tape, then\n"
      "rewind), retension (then rewind). COUNT (default 1) is for fsf and weof.\n\noptions");
  visible.add_options()("help,h", "this help");
  po::options_description all;
  all.add(visible).add_options()("source", po::value<std::string>())(
      "op", po::value<std::string>())("count", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("source", 1).add("op", 1).add("count", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "tstape mt: %s\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  if (!vm.count("source") || !vm.count("op")) {
    std::cerr << visible << "\n";
    return 2;
  }
  const std::string op = vm["op"].as<std::string>();
  const std::string ops = std::string(" ") + kOps + " ";
  if (op.empty() || ops.find(" " + op + " ") == std::string::npos) {
    std::fprintf(stderr, "tstape mt: operation '%s' is not supported (%s)\n", op.c_str(), kOps);
    return 2;
  }
  int32_t count = 1;
  if (vm.count("count")) {
    if (op != "fsf" && op != "weof") {
      std::fprintf(stderr, "tstape mt: %s takes no count\n", op.c_str());
      return 2;
    }
    const std::string text = vm["count"].as<std::string>();
    size_t used = 0;
    long value = -1;
    try {
      value = std::stol(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || value < 0 || value > 0x7FFFFF) {
      std::fprintf(stderr, "tstape mt: bad count '%s' (0..8388607)\n", text.c_str());
      return 2;
    }
    count = static_cast<int32_t>(value);
  }

  auto transport = OpenTransport(vm["source"].as<std::string>());
  if (!transport.ok()) return Fail("mt", transport.status());
  Ssc ssc(**transport);
  auto inquiry = ssc.Inquiry();
  if (!inquiry.ok()) return Fail("mt", inquiry.status());
  if (Status tape = CheckTapeDevice(*inquiry); !tape.ok()) return Fail("mt", tape);
  if (Status ready = WaitReady(ssc); !ready.ok()) return Fail("mt", ready);
  if (Status s = Run(ssc, op, count); !s.ok()) return Fail("mt", s);
  return 0;
}

}  // namespace tsfs::tstape
