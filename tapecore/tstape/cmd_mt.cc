// tstape mt SOURCE OP [COUNT]: the ts mt operations through a TapeUnit, so
// they follow the unit's rules (erase = whole tape then rewind, retension
// then rewind, eod verified for istgt, the ts words in errors). The unit is
// opened without the capability probe: no tape motion at open, so the tape
// stays where a previous session left it.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/tstape/progress.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/tape_unit.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs::tstape {

namespace {

namespace po = boost::program_options;

constexpr const char* kOps = "rewind fsf weof eod erase retension";

MtOp OpFromName(const std::string& op) {
  if (op == "rewind") return MtOp::kRewind;
  if (op == "fsf") return MtOp::kFsf;
  if (op == "weof") return MtOp::kWeof;
  if (op == "eod") return MtOp::kEod;
  if (op == "erase") return MtOp::kErase;
  if (op == "retension") return MtOp::kRetension;
  return MtOp::kOther;
}

}  // namespace

int RunMt(const Args& args) {
  po::options_description visible(
      "OP is one of: rewind, fsf (space forward COUNT files), weof (write COUNT file\n"
      "marks), eod (to the end of data, ready to append), erase (the whole tape, then\n"
      "rewind), retension (then rewind). COUNT (default 1) is for fsf and weof.\n\noptions");
  std::string config_path;
  bool norewind = false;
  bool quiet = false;
  visible.add_options()("help,h", "this help")(
      "config", po::value<std::string>(&config_path),
      "tsbconf configuration file for rts0..rts15 (default /etc/tsfs/tsbconf.conf)")(
      "norewind", po::bool_switch(&norewind),
      "do not rewind at the end, even on rts0..rts7 (other sources never do)")(
      "quiet,q", po::bool_switch(&quiet), "no elapsed-time line for erase and retension");
  visible.add_options()("source", po::value<std::string>()->required(), "tape source")(
      "op", po::value<std::string>()->required(), "operation")(
      "count", po::value<std::string>(), "count for fsf and weof (default 1)");
  po::variables_map vm;
  if (int rc =
          ParseCommandLine(args, "mt SOURCE OP [COUNT]", visible, {"source", "op", "count"}, vm);
      rc >= 0) {
    return rc;
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

  const std::string source = vm["source"].as<std::string>();
  Result<UnitConfig> config = ResolveSource(source, config_path);
  if (!config.ok()) return Fail("mt", config.status());
  // rts0..rts7 rewind when released, as ts did on close; any other source
  // stays where the operation left it.
  if (norewind || config->unit < 0) config->rewind_on_release = false;
  config->probe_on_open = false;
  SystemLogger logger("tstape", /*to_syslog=*/false, /*to_stderr=*/true);
  Result<std::unique_ptr<TapeUnit>> unit = TapeUnit::Open(*config, logger);
  if (!unit.ok()) return Fail("mt", unit.status());
  const MtOp mt_op = OpFromName(op);
  // erase and retension run for minutes on a real drive and say nothing
  // meanwhile: show the elapsed time on a terminal.
  const bool slow = mt_op == MtOp::kErase || mt_op == MtOp::kRetension;
  ElapsedTicker ticker(op.c_str(), slow && ProgressWanted(quiet));
  Status done = (*unit)->Ioctl(mt_op, count);
  ticker.Done();
  if (!done.ok()) return Fail("mt", done);
  if (Status s = (*unit)->Release(); !s.ok()) return Fail("mt", s);
  return 0;
}

}  // namespace tsfs::tstape
