// tstape status SOURCE: position, block size, write protection.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "tapecore/ssc/ssc.h"
#include "tapecore/source/open_source.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunStatus(const Args& args) {
  po::options_description visible(
      "Prints the tape position (as the drive reports it), the block size and the\n"
      "write protection. Moves nothing and changes no setting.\n\noptions");
  visible.add_options()("help,h", "this help");
  visible.add_options()("source", po::value<std::string>()->required(), "tape source");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "status SOURCE", visible, {"source"}, vm); rc >= 0) return rc;

  auto transport = OpenSource(vm["source"].as<std::string>());
  if (!transport.ok()) return Fail("status", transport.status());
  Ssc ssc(**transport);
  auto inquiry = ssc.Inquiry();
  if (!inquiry.ok()) return Fail("status", inquiry.status());
  if (Status tape = CheckTapeDevice(*inquiry); !tape.ok()) return Fail("status", tape);
  std::printf("device:        %s\n", (*transport)->Describe().c_str());
  const Status ready = WaitReady(ssc);
  std::printf("online:        %s\n", ready.ok() ? "yes" : "no");
  if (!ready.ok()) return Fail("status", ready);

  auto mode = ssc.ModeSense();
  if (!mode.ok()) return Fail("status", mode.status());
  if (mode->block_length == 0) {
    std::printf("block size:    variable\n");
  } else {
    std::printf("block size:    %u\n", mode->block_length);
  }
  std::printf("write-protect: %s\n", mode->write_protect ? "yes" : "no");

  auto position = ssc.ReadPosition(false);
  if (!position.ok()) {
    std::printf("position:      unknown (%s)\n", ErrorLine(position.status()).c_str());
  } else if (position->position_unknown) {
    // tgtd: READ POSITION always answers "block position unknown".
    std::printf("position:      unknown (the drive does not report it)\n");
  } else {
    std::printf("position:      block %llu%s%s\n", static_cast<unsigned long long>(position->block),
                position->bop ? ", BOT" : "", position->eop ? ", early warning" : "");
  }
  return 0;
}

}  // namespace tsfs::tstape
