// tstape inquiry SOURCE: identify the drive and what it can do.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "tapecore/ssc/probe.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/source/open_source.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunInquiry(const Args& args) {
  po::options_description visible(
      "Prints vendor, product, revision, serial number, block limits, block size,\n"
      "write protection and the capabilities the probe finds (READ POSITION, LOCATE,\n"
      "ERASE, LOG SENSE, target quirks). The probe sets the block size, rewinds the\n"
      "tape and reads its first record; it never writes (ERASE is tried only on a\n"
      "blank tape). The tape is left at the beginning.\n\noptions");
  uint32_t block_size = 512;
  visible.add_options()("help,h", "this help")("block-size,b",
                                               po::value<uint32_t>(&block_size)->default_value(512),
                                               "block size to select before probing (0: variable)")(
      "no-probe", "identify only: no tape motion");
  visible.add_options()("source", po::value<std::string>()->required(), "tape source");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "inquiry SOURCE [options]", visible, {"source"}, vm); rc >= 0)
    return rc;
  const std::string source = vm["source"].as<std::string>();

  auto transport = OpenSource(source);
  if (!transport.ok()) return Fail("inquiry", transport.status());
  Ssc ssc(**transport);

  auto inquiry = ssc.Inquiry();
  if (!inquiry.ok()) return Fail("inquiry", inquiry.status());
  std::printf("device:        %s\n", (*transport)->Describe().c_str());
  std::printf("vendor:        %s\n", inquiry->vendor.c_str());
  std::printf("product:       %s\n", inquiry->product.c_str());
  std::printf("revision:      %s\n", inquiry->revision.c_str());
  if (Status tape = CheckTapeDevice(*inquiry); !tape.ok()) return Fail("inquiry", tape);
  auto serial = ssc.UnitSerialNumber();
  if (!serial.ok()) return Fail("inquiry", serial.status());
  std::printf("serial:        %s\n", serial->empty() ? "(none)" : serial->c_str());

  if (Status ready = WaitReady(ssc); !ready.ok()) return Fail("inquiry", ready);
  auto limits = ssc.ReadBlockLimits();
  if (limits.ok()) {
    std::printf("block limits:  %u..%u bytes\n", limits->min_block_length,
                limits->max_block_length);
  } else {
    std::printf("block limits:  unknown (%s)\n", ErrorLine(limits.status()).c_str());
  }
  if (!vm.count("no-probe")) {
    if (Status s = ssc.ModeSelectBlockLength(block_size); !s.ok()) return Fail("inquiry", s);
  }
  auto mode = ssc.ModeSense();
  if (!mode.ok()) return Fail("inquiry", mode.status());
  if (mode->block_length == 0) {
    std::printf("block size:    variable\n");
  } else {
    std::printf("block size:    %u\n", mode->block_length);
  }
  std::printf("write-protect: %s\n", mode->write_protect ? "yes" : "no");
  if (vm.count("no-probe")) return 0;

  auto caps = ProbeCapabilities(ssc);
  if (!caps.ok()) return Fail("inquiry", caps.status());
  std::printf("capabilities:\n");
  std::string text = DescribeCapabilities(*caps);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    std::printf("  %s\n", text.substr(start, end - start).c_str());
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return 0;
}

}  // namespace tsfs::tstape
